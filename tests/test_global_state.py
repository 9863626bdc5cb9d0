"""`import alliance` is light, and no library function changes the session's global state."""

import subprocess
import sys

import pytest


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_alliance_loads_no_matplotlib_pandas_or_dask():
    loaded = _run(
        "import sys, alliance; print(sorted(m for m in ('matplotlib', 'pandas', 'dask', 'sympy',"
        " 'scipy') if m in sys.modules))"
    )
    assert loaded == "[]"


def test_public_names_resolve_lazily_and_io_is_an_attribute():
    out = _run(
        "import sys, alliance as al; al.io; al.interop; al.NormalFormGame; al.AllianceNetwork;"
        "print('matplotlib' in sys.modules, sorted(set(al.__all__) - set(dir(al))))"
    )
    assert out == "False []"


def test_star_import_does_not_load_matplotlib():
    assert _run("import sys; from alliance import *; print('matplotlib' in sys.modules)") == "False"


def test_unknown_attribute_is_an_attribute_error():
    import alliance

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        alliance.nope  # noqa: B018


def test_no_matplotlib_use_in_library_code():
    import pathlib

    import alliance

    root = pathlib.Path(alliance.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        for line in p.read_text(encoding="utf-8").splitlines()
        if "matplotlib.use(" in line and ">>>" not in line and "``matplotlib.use``" not in line
    ]
    assert offenders == []


@pytest.fixture
def rc_snapshot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = {k: v for k, v in plt.rcParams.items()}
    yield before
    plt.close("all")


def _assert_same(before):
    import matplotlib.pyplot as plt

    changed = sorted(k for k, v in plt.rcParams.items() if str(before.get(k)) != str(v))
    assert changed == []


def test_region_map_leaves_rcparams_alone(rc_snapshot):
    import alliance as al

    g = al.models.lending_game(symbolic=["pi", "F"])
    al.figures.region_map(g, x=("pi", 0, 1), y=("F", 0, 100), resolution=21)
    _assert_same(rc_snapshot)


def test_game_tree_leaves_rcparams_alone(rc_snapshot):
    from alliance.figures.tree import game_tree
    from alliance.games.sequential import Chance, Decision, GameTree, Leaf

    project = Chance({"success": (0.9, Leaf((1, 2))), "failure": (0.1, Leaf((-1, 0)))})
    tree = GameTree(Decision("Bank", {"lend": project, "refuse": Leaf((0, 0))}),
                    players=("Bank", "SME"))
    game_tree(tree)
    _assert_same(rc_snapshot)


def test_network_and_evolutionary_figures_leave_rcparams_alone(rc_snapshot):
    import alliance as al

    net = al.AllianceNetwork()
    net.add_member("A", demand=100, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", kind="guarantee", amount=40)
    al.figures.draw_network(net)
    ev = al.EvolutionaryGame(al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    al.figures.phase_portrait(ev)
    _assert_same(rc_snapshot)


def test_progress_policy(monkeypatch):
    from alliance.progress import MIN_SECONDS, progress_bar, show_progress

    monkeypatch.delenv("ALLIANCE_PROGRESS", raising=False)
    assert show_progress(True, 0.0) and not show_progress(False, 1e9)
    # short work: never by default, even for a watcher
    assert not show_progress(None, MIN_SECONDS / 2)
    monkeypatch.setenv("ALLIANCE_PROGRESS", "1")
    assert show_progress(None, None) and not show_progress(None, 0.1)
    monkeypatch.setenv("ALLIANCE_PROGRESS", "0")
    assert not show_progress(None, 1e9)
    bar = progress_bar(total=2, progress=True)
    assert bar.leave is False  # a finished bar removes itself
    bar.close()


def test_pytest_is_not_watching(monkeypatch):
    from alliance.progress import show_progress

    monkeypatch.delenv("ALLIANCE_PROGRESS", raising=False)
    # pytest captures stderr, so nobody is watching: long work shows no bar by default
    assert not show_progress(None, 100.0)
