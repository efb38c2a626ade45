# The two commands: `make figures` (the main job) and `make test`.
# Each creates or updates a local virtual environment in .venv first, installing the
# package and the pinned versions in constraints.txt (so a fresh clone rebuilds the
# committed figures byte for byte).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: figures test notebooks lint clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("relscore needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

figures: $(STAMP)
	$(PY) -m relscore figures --weights data/weights.toml
	$(PY) tools/execute_notebooks.py

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) notebooks/executed
