# Pathways: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
ASSETS := node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css

.PHONY: run test bench lint install clean

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# GOV.UK Frontend's compiled styles, scripts, fonts and images come from the npm registry,
# pinned by package-lock.json; once installed they are served from this checkout, offline.
$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed once to install GOV.UK Frontend (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: install
	@mkdir -p var
	$(BIN)/pathways migrate --noinput
	$(BIN)/pathways demo --if-empty
	$(BIN)/pathways demo_sign_ins
	PORT=$(PORT) $(BIN)/pathways serve

test: install
	$(BIN)/lint-imports
	$(BIN)/pathways makemigrations --check --dry-run
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3 var/huey.db
