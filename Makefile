# Two commands for a newcomer: `make serve` and `make test`. Everything else is here for contributors: `make help`
# (or `make` alone) lists every target with the first line of the comment above it, which every target has.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
BOOK   := $(BIN)/python -m book
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Pyodide's own numpy wheel, for the browser tests of the NumPy programs (Pyodide's CDN is out of reach on the
# machines that test the book): PYODIDE_NUMPY_DIR, else ../shared/pyodide-numpy beside the checkout when it is
# there; with neither, those tests are skipped and say why.
PYODIDE_NUMPY_DIR ?= $(abspath $(wildcard ../shared/pyodide-numpy))
export PYODIDE_NUMPY_DIR

.PHONY: help serve build test test-fast test-browser lint outputs notebooks chromium pdf-tools clean mirror check \
	lesson mark-translated weights bench bench-tests lock pyodide-lock pdf
.DEFAULT_GOAL := help

# This list: every target, with the first line of the comment above it
# (read from this file by awk; a section rule, "# ---", is not a target's comment)
help:
	@awk '/^# ---/ { next } /^# / { if (!about) about = substr($$0, 3); next } \
	     /^[a-z][a-z-]*:/ { printf "  make %-16s %s\n", substr($$1, 1, length($$1) - 1), about } { about = "" }' \
	     $(firstword $(MAKEFILE_LIST))

# --- setup: the locked requirements (requirements/*.txt) and the book's own package (book/, editable) ------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/mkdocs: requirements/docs.txt pyproject.toml $(BIN)/python
	$(BIN)/pip install -q -r requirements/docs.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(BIN)/pytest: requirements/test.txt $(BIN)/mkdocs
	$(BIN)/pip install -q -r requirements/test.txt
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# apt-get runs with sudo when not root
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Chromium for the browser tests, and Noto CJK for their Chinese (with apt-get, if missing)
# Without Noto CJK every Chinese character in a test screenshot or PDF is an empty box. Debian's Chromium, never
# `playwright install` (it downloads a browser); GitHub's ubuntu runners have /usr/bin/chromium already.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@fc-list :lang=zh family | grep -q . || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-noto-cjk; }

# The PDF's tools: poppler-utils, and Droid Sans Fallback for its Chinese (with apt-get, if missing)
# poppler-utils: pdftotext, pdffonts, pdftoppm (what the tests read a PDF with, and what shows its pages as
# pictures). Droid Sans Fallback is a TrueType font, which Chromium embeds (Noto CJK's glyphs it would draw as
# shapes). Its fontconfig file stays disabled: the site's own rendering does not change.
pdf-tools:
	@command -v pdftotext >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils; }
	@fc-list "Droid Sans Fallback" family | grep -q . || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq fonts-droid-fallback; }

# --- the two commands --------------------------------------------------------------------------
# Build the site (strict) and serve it at http://127.0.0.1:8000/, rebuilding as files change
serve: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BIN)/mkdocs build --strict
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# The whole suite: lint, the notebooks, then every test on two workers, the slowest 15 listed
# Two workers: the browser tests wait more than they compute.
test: lint notebooks chromium pdf-tools
	$(BIN)/python -m pytest $(PYTEST_WORKERS) --durations=15

# --- for contributors --------------------------------------------------------------------------
# pytest-xdist: two workers, tests that share a module's fixture kept on one (tests/conftest.py)
PYTEST_WORKERS := -n 2 --dist loadgroup

# The inner loop: every test without a browser and not slow, about a minute
# (rules, snippets vs outputs, NumPy vs torch, the built HTML; slow: another copy of the book built)
test-fast: $(BIN)/pytest node_modules/.package-lock.json
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -m "not browser and not slow" --durations=15

# What make test adds to test-fast: the browser tests (NumPy programs in Chromium) and the slow ones
test-browser: $(BIN)/pytest node_modules/.package-lock.json notebooks chromium pdf-tools
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -m "browser or slow" --durations=15

# Build the site into site/ (strict: a warning fails the build)
build: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BIN)/mkdocs build --strict

# The whole book as one PDF per language, printed by Chromium from the built site into site/pdf/ (book/pdf.py)
pdf: chromium pdf-tools $(BIN)/pytest build
	$(BOOK) pdf site

# ruff for the Python, eslint (package.json) for the JavaScript: zero findings
lint: $(BIN)/pytest node_modules/.package-lock.json
	$(BIN)/ruff check book hooks scripts tests bench snippets
	npx --no-install eslint .

# Run every snippet and write the output shown under it (snippets/out/*.txt)
outputs: $(BIN)/pytest
	$(BOOK) outputs

# Every lesson as a notebook: run the ones whose code changed (cached in .cache/notebooks/runs/)
# Keyed by their code. The site build never runs a kernel: it renders what this cache holds, and a lesson
# without a current run shows no outputs and says so. `make test` and the deploy workflow run this first.
notebooks: $(BIN)/pytest node_modules/.package-lock.json
	$(BOOK) notebooks

# numpy for the in-page runner into pyodide-packages/, checked against the site's lock (FROM=DIR: copy it)
# Beside the book's wheel, served as vendor/pyodide-packages/: then no request leaves the site, even on Run.
# The deploy workflow runs it; `make mirror FROM=DIR` copies wheels downloaded earlier instead of downloading.
mirror: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BOOK) mirror $(if $(FROM),--from $(FROM))

# After changing a library module or snippets/data/: the book's wheel and the site's Pyodide lock (commit both)
# In pyodide-packages/, for extra.book.library; written by pyodide-build in
# .venv-pyodide/, a tool environment made from a Python >= 3.12 found here (book/library_wheel.py). The strict
# build and a test fail while they are stale.
pyodide-lock: $(BIN)/mkdocs node_modules/.package-lock.json
	$(BOOK) pyodide-lock

# The lesson checker: one line per problem, with the file to fix (FAST=1, ONLY="gru np_gru")
# It runs every snippet to compare outputs (`make check FAST=1` skips that, `make check ONLY="gru np_gru"` runs
# those); stale translations fail only in CI ($CI). CONTRIBUTING.md lists the rules.
check: $(BIN)/pytest
	$(BOOK) check $(if $(FAST),--fast) $(foreach name,$(ONLY),--only $(name))

# A new lesson: make lesson name=my-lesson title_zh="我的一课" title_en="My lesson"
lesson: $(BIN)/pytest
	$(BOOK) new "$(name)" --title zh="$(title_zh)" --title en="$(title_en)"

# After bringing a translation up to date: make mark-translated file=docs/en/lessons/NN-name.md
mark-translated: $(BIN)/mkdocs
	$(BOOK) mark-translated "$(file)"

# Re-export the seeded torch models' initial weights (NumPy twins) and the widgets' data; then the book's wheel
weights: $(BIN)/pytest
	$(BOOK) weights
	$(BOOK) pyodide-lock

# Benchmarks (figures, not pass/fail): training, the runner, the offline copy, the build, the tests
# NumPy vs PyTorch training; the in-page runner's weight and timings; the offline copy's size and download
# time; the site build with its notebooks, cold and warm; then bench-tests (about a quarter of an hour).
bench: $(BIN)/pytest node_modules/.package-lock.json chromium
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_runner.py
	$(BIN)/python bench/bench_offline.py
	$(BIN)/python bench/bench_build.py
	$(MAKE) bench-tests

# How long make test and make test-fast take in a fresh clone of HEAD, as CI runs them (bench/bench_tests.py)
bench-tests: $(BIN)/pytest
	$(BIN)/python bench/bench_tests.py

# The Python locks (requirements/*.txt) from what we ask for (requirements/*.in), with pip-tools
# torch's local version label (+cpu, from the CPU wheel the resolver found) is dropped: the index decides the build.
lock: $(BIN)/python
	$(BIN)/pip install -q pip-tools==7.6.2
	for set in docs test; do CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements/$$set.txt requirements/$$set.in || exit 1; done
	sed -i 's/^\(torch==[^+ ]*\)+cpu/\1/' requirements/test.txt

# Remove what builds and tests leave: site/, .pytest_cache/, the pyodide-build tool environment
clean:
	rm -rf site .pytest_cache .venv-pyodide
