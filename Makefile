# The two commands: `make figures` (the main job) and `make test`.
# Each creates or updates a local virtual environment in .venv first, installing the
# package and the pinned versions in constraints.txt (so a fresh clone rebuilds the
# committed figures byte for byte).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: help figures test notebooks lint clean docs

# JupyterLab settings the project ships (double-click opens a `notebooks/NN_*.py` source as a
# notebook), installed as the environment's defaults: <env>/etc/jupyter/labconfig is one of
# Jupyter's config folders, and a user's own settings still come first.
LABCONFIG := jupyter-config/labconfig/default_setting_overrides.json
# The server's side: a notebook source opens unmodified (see the file's comment).
SERVERCONFIG := jupyter-config/jupyter_server_config.py

$(STAMP): pyproject.toml constraints.txt $(LABCONFIG) $(SERVERCONFIG)
	@$(PYTHON) -c 'import sys; sys.exit("relscore needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	mkdir -p $(VENV)/etc/jupyter/labconfig
	cp $(LABCONFIG) $(VENV)/etc/jupyter/labconfig/
	cp $(SERVERCONFIG) $(VENV)/etc/jupyter/
	touch $(STAMP)

help:
	@echo "make figures    set up .venv, rebuild figures/ and execute the notebooks (the main job)"
	@echo "make test       set up .venv, run the whole test suite"
	@echo "make notebooks  set up .venv, execute the notebooks into notebooks/executed/"
	@echo "make docs       set up .venv, build the docs site into docs/_build/html"
	@echo "make lint       check the code with the linters"
	@echo "make clean      remove .venv and notebooks/executed/"

figures: $(STAMP)
	$(PY) -m relscore figures --weights data/weights.toml
	$(MAKE) --no-print-directory notebooks

notebooks: $(STAMP)
	$(PY) tools/execute_notebooks.py

test: $(STAMP)
	$(PY) -m pytest

# The docs site: the README, the notebooks executed afresh, the tutorial run as printed, the
# CLI and API references. Warnings are errors (-W, -n: every cross-reference resolves); -E
# starts from a fresh environment, so every page is rebuilt against the code as it is.
docs: $(STAMP)
	$(PY) -m sphinx -E -W --keep-going -n -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) notebooks/executed
