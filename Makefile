# The two commands a new user needs: `make demo` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
export AUPGUARD_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck migrations-check pytest venv categories bench clean

CATEGORIES := $(AUPGUARD_VAR_DIR)/categories.aupcat

venv: $(VENV)/.installed

# Reinstalled whenever pyproject.toml or a compiled part (setup.py, *.pyx) changes; the marker keeps
# repeated runs fast. The install builds the compiled parts in place, with the machine's C compiler.
$(VENV)/.installed: pyproject.toml setup.py $(shell find aupguard -name '*.pyx' -o -name '*.pxd')
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "aupguard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web,dev]'
	@touch $@

# The web guard's category database, compiled from the UT1 lists in data/ once, not at every start.
categories: $(CATEGORIES)
$(CATEGORIES): $(VENV)/.installed data/categories/ut1.csv $(shell find data/ut1 data/sinfonietta -type f 2>/dev/null)
	@mkdir -p $(AUPGUARD_VAR_DIR)
	$(PY) -m aupguard.engine.web.compile --out $@

# The web app on :8000, and the email guard on :2525 in front of a mail sink on :2526 that keeps what
# it is sent in var/demo-mail/ (a stand-in for the school's mail server; the web app's own emails go
# there too). The guard reads its roster, directory and approvals from files the registers export,
# as a school's would. Ctrl-C stops all three.
GUARD_FILES := $(AUPGUARD_VAR_DIR)/guards
demo: venv categories
	@mkdir -p $(AUPGUARD_VAR_DIR) $(GUARD_FILES)
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_packs
	$(PY) manage.py load_demo
	$(PY) manage.py close_leaver_accounts
	$(PY) manage.py export_roster --trust demo-trust --out $(GUARD_FILES)/pupils.csv
	$(PY) manage.py export_directory --trust demo-trust --out $(GUARD_FILES)/staff.csv
	$(PY) manage.py export_approvals --trust demo-trust --out $(GUARD_FILES)/approvals.json
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(PY) -m aupguard mail-sink --listen 127.0.0.1:2526 --folder $(AUPGUARD_VAR_DIR)/demo-mail & \
	$(PY) -m aupguard relay --policy wells --listen 127.0.0.1:2525 --next 127.0.0.1:2526 \
		--spool $(AUPGUARD_VAR_DIR)/spool --roster $(GUARD_FILES)/pupils.csv \
		--directory $(GUARD_FILES)/staff.csv --approvals $(GUARD_FILES)/approvals.json & \
	echo "aupguard is running: open http://127.0.0.1:8000/; the email guard listens on 127.0.0.1:2525 (Ctrl-C stops it)"; \
	AUPGUARD_EMAIL_PORT=2526 $(PY) manage.py runserver --insecure 127.0.0.1:8000

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

# The benchmarks (bench/README.md): throughput on one core and the ratio against a baseline run in
# the same process: Presidio for email, squidGuard (Debian package, installed if missing) for the web;
# the registers' pages on a 50,000-person trust generated into PostgreSQL (AUPGUARD_BENCH_DATABASE_URL).
# `make bench BENCH_ARGS="--messages 200"` is a smoke run of the email benchmark.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[web,dev,bench]'
	@touch $@

bench: $(VENV)/.bench-installed categories
	$(PY) -m bench.email $(BENCH_ARGS)
	$(PY) -m bench.web
	$(PY) -m bench.registers

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache bench/.cache build
	find aupguard -name '*.so' -delete
