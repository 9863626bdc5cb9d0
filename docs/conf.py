"""Sphinx configuration of the alliance documentation site (``make docs``)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("ALLIANCE_PROGRESS", "0")

import alliance  # noqa: E402

HERE = Path(__file__).resolve().parent


def _prepare_sources() -> None:
    """Copy the notebooks in and list every benchmark table: the site always shows all of them."""
    import shutil

    nb_dir = HERE / "notebooks"
    nb_dir.mkdir(exist_ok=True)
    for old in nb_dir.glob("*.py"):
        old.unlink()
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.py")):
        shutil.copy(nb, nb_dir / nb.name)
    parts = [
        "# Benchmarks\n",
        "Every figure comes from one run of the scripts in `benchmarks/` on the project's machine "
        "(2 cores), the peers (nashpy, pygambit, QuantEcon, tucoopy, naive loops) timed side by "
        "side in the same run. Re-run them with `make bench`.\n",
    ]
    for table in sorted((ROOT / "benchmarks" / "results").glob("*.md")):
        parts.append(f"```{{include}} ../benchmarks/results/{table.name}\n"
                     ":heading-offset: 1\n```\n")
    (HERE / "benchmarks.md").write_text("\n".join(parts), encoding="utf-8")


_prepare_sources()

project = "alliance"
author = "the alliance developers"
copyright = "2026, the alliance developers"
release = alliance.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
]

# Text notebooks (jupytext percent scripts) are rendered with their outputs: executed at
# build time, as the test suite executes them.
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
nb_execution_mode = os.environ.get("ALLIANCE_DOCS_EXECUTE", "force")
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".py": "myst-nb"}
templates_path = ["_templates"]
exclude_patterns = ["_build", "_templates", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints",
                    "conf.py", "*.json"]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "furo"
html_title = f"alliance {release}"
html_static_path: list[str] = []
suppress_warnings = ["myst.header"]
