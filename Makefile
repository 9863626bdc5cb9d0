# The two set-up commands of the README live here: `make demo` and `make test`.
# Each creates its own virtual environment (.venv) and installs what it needs, so both work
# on a fresh machine that has only python3 and make.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-dev
RUN_STAMP = $(VENV)/.installed-run

.PHONY: demo test lint bench clean venv docs

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo needs the library alone (what `pip install .` brings), not the test stack.
$(RUN_STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

venv: $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/alliance demo

lint: $(STAMP)
	$(BIN)/ruff check alliance tests benchmarks

# The whole gate: lint, unit and property tests, doctests, and the notebooks
# (tests/test_notebooks.py executes every notebooks/*.py jupytext script top to bottom).
test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 --dist loadfile --doctest-modules --doctest-glob=README.md \
		alliance tests README.md -q
	$(MAKE) docs

# The documentation site (docs/_build/html): tutorial, how-to guides, the executed notebooks,
# the economics, the benchmarks and the API reference. Any warning fails the build.
docs: $(STAMP)
	MPLBACKEND=Agg ALLIANCE_PROGRESS=0 $(BIN)/python -m sphinx -W --keep-going -q -b html \
		docs docs/_build/html

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis alliance-demo docs/_build docs/generated docs/notebooks
