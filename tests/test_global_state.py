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
