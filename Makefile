# The two commands a new user needs: `make demo` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
export AUPGUARD_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck migrations-check pytest venv clean

venv: $(VENV)/.installed

# Reinstalled whenever pyproject.toml changes; the marker keeps repeated runs fast.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "aupguard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web,dev]'
	@touch $@

demo: venv
	@mkdir -p $(AUPGUARD_VAR_DIR)
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_packs
	$(PY) manage.py load_demo
	@echo "aupguard is running: open http://127.0.0.1:8000/ (Ctrl-C stops it)"
	$(PY) manage.py runserver --insecure 127.0.0.1:8000

test: lint typecheck migrations-check pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

pytest: venv
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
