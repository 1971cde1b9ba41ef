# Two commands for a newcomer: `make serve` and `make test`. Everything else is here for contributors.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test outputs chromium clean

# --- setup -------------------------------------------------------------------------------------
$(BIN)/mkdocs: requirements/docs.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements/docs.txt
	touch $@

$(BIN)/pytest: requirements/test.txt requirements/docs.txt $(BIN)/mkdocs
	$(BIN)/pip install -q -r requirements/test.txt
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser)
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# --- the two commands --------------------------------------------------------------------------
serve: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BIN)/mkdocs build --strict
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

test: $(BIN)/pytest node_modules/.package-lock.json chromium
	$(BIN)/python -m pytest

# --- for contributors --------------------------------------------------------------------------
build: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BIN)/mkdocs build --strict

# Run every snippet and write the output shown under it (snippets/out/*.txt)
outputs: $(BIN)/pytest
	$(BIN)/python snippets/_outputs.py

clean:
	rm -rf site .pytest_cache
