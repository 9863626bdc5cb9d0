"""Docstring completeness of the public API, checked with numpydoc's validator.

Every public function, class and public method of the covered packages (the names in the
``__all__`` of each public module) must have a summary, a Parameters section naming every
argument (and no argument that does not exist), a Returns section when it returns a value,
and an Examples section (which ``--doctest-modules`` then runs). The site's API reference
is generated from these docstrings (docs/api.md), so a gap here is a gap there.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import types

import pytest
from numpydoc.validate import validate

#: Packages (or modules) whose public API is checked: every public module below them.
COVERED = (
    "alliance.games",
    "alliance.models",
    "alliance.analysis",
    "alliance.figures",
    "alliance.interop",
    "alliance.progress",
    "alliance.network",
    "alliance.io",
    "alliance.cli",
    "alliance.numbers",
    "alliance.expr",
    "alliance.errors",
)

#: Modules not covered yet (a module rewritten by other work may be listed here while it is;
#: covering it means removing the line, running this test and writing the missing sections).
NOT_YET_COVERED = (
)

#: Modules of the covered packages whose docstrings are still being completed; the test
#: below fails once one of them is complete, so that the line is removed and the module is
#: then held to the full check.
PENDING: tuple[str, ...] = (
)

#: Methods of covered classes that only pass their arguments on to a function of a module
#: in NOT_YET_COVERED: their signatures follow that function's, which is being rewritten, so
#: they are spelled out (no ``**kwargs``) together with it. The test below fails once one of
#: them is complete, so that the line is removed.
DELEGATES: tuple[str, ...] = (
)

#: The checks that fail the test (numpydoc codes).
#: GL08 no docstring; SS01 no summary; SS02 summary not capitalised; SS03 summary without a
#: final full stop; PR01 an argument left undocumented; PR02 a documented argument that does
#: not exist; RT01 no Returns section; EX01 no Examples section.
#: Not enforced: SS05 ("Returns" vs "Return": either reads well), SS06 (one-line summaries:
#: several summaries state a model's rule, which takes two lines), and the formatting checks
#: (PR08-PR10, RT02-RT05, ...) that a reader does not notice.
CHECKS = frozenset({"GL08", "SS01", "SS02", "SS03", "PR01", "PR02", "RT01", "EX01"})

#: Checks that do not apply to a property: it takes no argument and its summary says what
#: it returns, so Parameters, Returns and Examples are not asked of it (the class's Examples
#: show it in use).
NOT_FOR_PROPERTIES = frozenset({"PR01", "PR02", "RT01", "EX01"})

#: Single objects exempt from one check, with the reason. Keep it short.
ALLOW: dict[tuple[str, str], str] = {}


def _skipped(module_name: str) -> bool:
    return any(
        module_name == m or module_name.startswith(m + ".") for m in NOT_YET_COVERED
    )


def _public_modules() -> list[types.ModuleType]:
    modules = []
    for name in COVERED:
        root = importlib.import_module(name)
        modules.append(root)
        for info in pkgutil.walk_packages(getattr(root, "__path__", []), name + "."):
            if any(part.startswith("_") for part in info.name.split(".")) or _skipped(info.name):
                continue
            modules.append(importlib.import_module(info.name))
    return modules


def public_objects() -> list[tuple[str, str, bool]]:
    """Every public object of the covered packages: ``(path, defining module, is_property)``.

    An object re-exported by several modules is checked once, under the module that
    defines it (its ``__module__``).
    """
    seen: set[int] = set()
    found: list[tuple[str, str, bool]] = []
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)) or id(obj) in seen:
                continue
            home = obj.__module__
            if not home.startswith("alliance") or _skipped(home):
                continue
            seen.add(id(obj))
            path = f"{home}.{obj.__qualname__}"
            found.append((path, home, False))
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue  # dunder and private methods are not public API
                    if isinstance(value, property):
                        found.append((f"{path}.{attr}", home, True))
                    elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
                        found.append((f"{path}.{attr}", home, False))
    return sorted(found)


def docstring_problems(path: str, is_property: bool = False) -> list[str]:
    """The enforced numpydoc errors of one object, as ``"CODE: message"`` strings."""
    codes = CHECKS - NOT_FOR_PROPERTIES if is_property else CHECKS
    return [
        f"{code}: {message}"
        for code, message in validate(path)["errors"]
        if code in codes and (path, code) not in ALLOW
    ]


OBJECTS = public_objects()


def test_the_check_covers_the_public_api():
    # A walker that finds nothing would pass every test below.
    assert len(OBJECTS) > 300
    names = {p for p, _, _ in OBJECTS}
    for expected in ("alliance.games.normal_form.NormalFormGame.equilibria",
                     "alliance.games.cooperative.game.CooperativeGame.shapley",
                     "alliance.interop.game_from_nashpy",
                     "alliance.network.network.AllianceNetwork.add_member",
                     "alliance.io.toml_games.GameModel.equilibria",
                     "alliance.cli.main",
                     "alliance.numbers.format_number",
                     "alliance.errors.ParameterError"):
        assert expected in names


# modules listed in PENDING are left out of the check here (and
# test_pending_modules_still_have_gaps fails once one of them is complete)
CHECKED = [
    o
    for o in OBJECTS
    if not any(o[1] == m or o[1].startswith(m + ".") for m in PENDING) and o[0] not in DELEGATES
]


@pytest.mark.parametrize("path,home,is_property", CHECKED, ids=[p for p, _, _ in CHECKED])
def test_public_docstring_is_complete(path, home, is_property):
    assert docstring_problems(path, is_property) == []


def test_pending_modules_still_have_gaps():
    # one test over the whole list (an empty list is the goal, not a skipped test)
    complete = [
        module for module in PENDING
        if not any(home == module and docstring_problems(p, prop) for p, home, prop in OBJECTS)
    ]
    assert complete == [], f"complete: remove {complete} from PENDING"


def test_delegates_still_have_gaps():
    names = {p for p, _, _ in OBJECTS}
    assert set(DELEGATES) <= names
    complete = [p for p in DELEGATES if not docstring_problems(p)]
    assert complete == [], f"complete: remove {complete} from DELEGATES"


def test_allow_list_entries_are_still_needed():
    for (path, code), reason in ALLOW.items():
        assert reason
        assert code in {c for c, _ in validate(path)["errors"]}, f"{path} {code} no longer needed"


# -- self-test: the check fails when a docstring loses a section ------------------------------

def _complete(rate, periods=1):
    """Compound a rate.

    Parameters
    ----------
    rate : float
        Interest rate per period, in ``[0, 1]``.
    periods : int, default 1
        Number of periods, at least 1.

    Returns
    -------
    float
        The growth factor ``(1 + rate) ** periods``.

    Examples
    --------
    >>> _complete(0.5, 2)
    2.25
    """
    return (1 + rate) ** periods


def _strip(doc: str, section: str) -> str:
    """The docstring without one section (its heading, underline and body)."""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == section)
    end = next(
        (i - 1 for i in range(start + 2, len(lines))
         if set(lines[i].strip()) == {"-"} and i - 1 > start),
        len(lines),
    )
    return "\n".join(lines[:start] + lines[end:])


@pytest.fixture
def synthetic_module(monkeypatch):
    module = types.ModuleType("alliance_docstring_selftest")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


@pytest.mark.parametrize(
    "section,code", [("Parameters", "PR01"), ("Returns", "RT01"), ("Examples", "EX01")]
)
def test_check_fails_when_a_section_is_lost(synthetic_module, section, code):
    def compound(rate, periods=1):
        return (1 + rate) ** periods

    compound.__module__ = synthetic_module.__name__
    compound.__qualname__ = "compound"
    synthetic_module.compound = compound
    path = f"{synthetic_module.__name__}.compound"

    compound.__doc__ = _complete.__doc__
    assert docstring_problems(path) == []

    compound.__doc__ = _strip(_complete.__doc__, section)
    assert section not in compound.__doc__
    problems = docstring_problems(path)
    assert any(p.startswith(code) for p in problems), problems


def test_check_fails_on_an_unknown_parameter(synthetic_module):
    def compound(rate):
        return 1 + rate

    compound.__doc__ = _complete.__doc__  # documents `periods`, which compound lacks
    synthetic_module.compound = compound
    compound.__module__ = synthetic_module.__name__
    problems = docstring_problems(f"{synthetic_module.__name__}.compound")
    assert any(p.startswith("PR02") for p in problems), problems


def test_every_public_module_is_covered():
    # issue 15: every public function and class of the package is held to the check
    assert NOT_YET_COVERED == () and DELEGATES == () and PENDING == ()
