# safeops — `make run` to try it, `make test` to check everything. `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
# Python's bytecode cache lives in var/pycache: each of the many Python processes of `make test`
# (two pytest passes, their server and probe subprocesses, the production smoke test) then compiles
# the code once instead of on every start, also where PYTHONDONTWRITEBYTECODE is set to keep
# __pycache__ out of the tree (nothing is written there either way). About a third less CPU.
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/var/pycache
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3.11
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass of `make test`. Override with POSTGRES_URL=...; DATABASE_URL wins when it is PostgreSQL.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/safeops

.PHONY: help install run test check lint typecheck test-sqlite test-postgres test-databases prod-smoke clean messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --user --quiet uv

install: $(UV) ## Create .venv with uv from uv.lock (system Python 3.11, no downloads)
	@$(UV) sync --frozen --python $(PYTHON) --quiet

run: install ## Migrate the SQLite database, seed the demo district if empty, serve on :8000
	@mkdir -p var
	@DEBUG=$${DEBUG:-true} $(BIN)/safeops migrate --noinput -v0
	@DEBUG=$${DEBUG:-true} $(BIN)/safeops seed-demo --if-empty
	@DEBUG=$${DEBUG:-true} $(BIN)/safeops serve --host $(HOST) --port $(PORT)

lint: install ## ruff (lint and format check), import-linter (layers) and vulture (dead code)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/vulture

typecheck: install ## mypy (strict, django-stubs)
	$(BIN)/mypy

test-sqlite: install ## The whole test suite on SQLite
	DATABASE_URL=sqlite://:memory: $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install ## The Django test suite on PostgreSQL (skips with a reason if unreachable)
	@bash tools/test-postgres.sh "$(POSTGRES_URL)"

prod-smoke: install ## Start the production configuration (PostgreSQL, Redis, gunicorn, worker) and check it end to end
	@bash tools/prod-smoke.sh

check: lint typecheck ## Static checks only

test-databases: install ## The SQLite and PostgreSQL passes at once (logs in var/test-logs/): what make test runs
	@bash tools/test-both.sh "$(POSTGRES_URL)"

test: lint ## Every check: lint, types, architecture, tests on SQLite and PostgreSQL, production smoke test
	@bash tools/test-both.sh "$(POSTGRES_URL)" $(MAKE) --no-print-directory typecheck prod-smoke

messages: install ## Extract strings into src/safeops/locale/*/django.po and compile the .mo (needs GNU gettext)
	@command -v msgfmt >/dev/null 2>&1 || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	cd src/safeops && DEBUG=true ../../$(BIN)/safeops makemessages --all --no-wrap --no-obsolete
	cd src/safeops && DEBUG=true ../../$(BIN)/safeops compilemessages

clean: ## Remove the virtualenv, caches and the local database
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
