# Two commands for a newcomer: `make serve` and `make test`. Everything else is here for contributors.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test outputs chromium clean mirror check lesson mark-translated weights bench notebooks

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

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser).
# GitHub's ubuntu runners have /usr/bin/chromium already; elsewhere apt-get, with sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

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

# Every lesson as a notebook: run the ones whose code changed (cached in .cache/notebooks/runs/, keyed by
# their code) and write them all to .cache/notebooks/pages/. The site build does the same when torch is
# installed; without torch (`make serve` alone) it shows the notebooks without outputs, saying so.
notebooks: $(BIN)/pytest
	$(BIN)/python scripts/notebooks.py

# Offline classrooms: the wheels the in-page runner loads (numpy), checked against Pyodide's lock,
# into pyodide-packages/ (served as vendor/pyodide-packages/; see extra.pyodide in mkdocs.yml).
# `make mirror FROM=DIR` copies wheels downloaded earlier instead of downloading them.
mirror: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BIN)/python scripts/pyodide_mirror.py $(if $(FROM),--from $(FROM))

# The lesson checker: one line per problem, with the file to fix (CONTRIBUTING.md). It runs every
# snippet to compare outputs (`make check FAST=1` skips that); stale translations fail only in CI ($CI).
check: $(BIN)/pytest
	$(BIN)/python scripts/lessons.py check $(if $(FAST),--fast)

# A new lesson: make lesson name=gru title_zh="门控循环单元" title_en="Gated recurrent units"
lesson: $(BIN)/pytest
	$(BIN)/python scripts/lessons.py new "$(name)" --title-zh "$(title_zh)" --title-en "$(title_en)"

# After bringing a translation up to date: make mark-translated file=docs/en/lessons/06-gru.md
mark-translated: $(BIN)/mkdocs
	$(BIN)/python scripts/lessons.py mark-translated "$(file)"

# Re-export the seeded torch models' initial weights (NumPy twins) and the widgets' data
weights: $(BIN)/pytest
	$(BIN)/python snippets/export_init_weights.py
	$(BIN)/python snippets/export_widget_data.py

# Benchmarks (figures, not pass/fail): NumPy vs PyTorch training; the in-page runner's weight and timings;
# the site build with its notebooks, cold and warm
bench: $(BIN)/pytest node_modules/.package-lock.json chromium
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_runner.py
	$(BIN)/python bench/bench_build.py

clean:
	rm -rf site .pytest_cache
