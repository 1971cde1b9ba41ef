"""Shared fixtures: the site is built once per test session, then many small tests read it."""
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from book import Book, manifest, notebooks, stdlib, translations
from book.pages import Page

BOOK = Book.find(Path(__file__))
ROOT = BOOK.root
LANGS = BOOK.languages


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium (through the `browser` fixture, or `page` on top of it) is marked
    `browser`, so `pytest -m "not browser"` (make test-fast) leaves it out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def _httpd(tmp_path_factory):
    """A server bound to a free port on 127.0.0.1, for the folder the site is built into."""
    folder = tmp_path_factory.mktemp("site")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.folder = folder
    yield httpd
    httpd.server_close()


def build(root, site, site_url=None):
    """`mkdocs build --strict` of the book at `root` into `site`; the completed process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **({"SITE_URL": site_url} if site_url else {}))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=root, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(_httpd):
    """The notebooks run (`make notebooks`: cached), then the site built with `mkdocs build --strict`.

    site_url is the test server's address, as it is the deployed address in production:
    Material's instant navigation only follows links that the sitemap lists under site_url."""
    notebooks.run_all(BOOK)
    result = build(ROOT, _httpd.folder, f"http://127.0.0.1:{_httpd.server_address[1]}/")
    assert result.returncode == 0, result.stderr
    return _httpd.folder


@pytest.fixture(scope="session")
def pristine(tmp_path_factory):
    """A copy of the book as it is in the working tree (tracked and new files), to change in tests.

    node_modules is linked and the notebooks' runs (keyed by their code) are shared. Every translation is
    marked current, whatever state the working tree is in. Commands run inside it (`python -m book`,
    `python -m mkdocs`) import the copy's own book/ package: it is first on their path."""
    root = tmp_path_factory.mktemp("book") / "book"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    runs = notebooks.cache_dir(BOOK) / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    (notebooks.cache_dir(Book(root))).mkdir(parents=True)
    (notebooks.cache_dir(Book(root)) / "runs").symlink_to(runs)
    stdlib.cache_dir(BOOK).mkdir(parents=True, exist_ok=True)    # the compiled standard library (made once)
    stdlib.cache_dir(Book(root)).symlink_to(stdlib.cache_dir(BOOK))
    manifest.cache_dir(BOOK).mkdir(parents=True, exist_ok=True)  # the app's icons (drawn once by Chromium)
    manifest.cache_dir(Book(root)).symlink_to(manifest.cache_dir(BOOK))
    copy = Book(root)
    for page in copy.pages(copy.default_language):
        _, translation, _ = translations.pair(copy, page)
        if translation.file.is_file() and translations.recorded(translation.text) is not None:
            translations.mark_translated(Page(copy, translation.lang, page))
    return root


@pytest.fixture(scope="session")
def server(site, _httpd):
    """Serve the built site and return its base URL."""
    thread = threading.Thread(target=_httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{_httpd.server_address[1]}/"
    _httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (book/browser.py), one per test module."""
    from book.browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser):
    """A fresh desktop-sized page."""
    from book.browser import DESKTOP, close
    page = browser.new_page(viewport=DESKTOP)
    yield page
    close(page)


def lock_without_numpy(packages, target):
    """A copy of the site's package folder whose lock has no numpy, nor the book's wheel a need of it: what this
    machine can load (it cannot fetch Pyodide's numpy wheel). Returns the folder."""
    target.mkdir(parents=True, exist_ok=True)
    lock = json.loads((packages / "pyodide-lock.json").read_text())
    del lock["packages"]["numpy"]
    for package in lock["packages"].values():
        package["depends"] = [name for name in package["depends"] if name != "numpy"]
        if (packages / package["file_name"]).is_file():
            shutil.copy(packages / package["file_name"], target)
    (target / "pyodide-lock.json").write_text(json.dumps(lock))
    return target


def page_url(server, lang, page=""):
    """URL of `page` ("lessons/02-rnn-cell/") in `lang` on the site served at `server`."""
    return server + BOOK.prefix(lang) + page


def page_path(site, lang, page):
    """Built HTML file of `page` (e.g. "lessons/03-rnn-layer") in `lang`."""
    return site / f"{BOOK.prefix(lang)}{page}/index.html"


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("critical", "serious", "moderate")    # axe's impacts that fail a test ("minor" ones are reported only)


def audit(page):
    """axe-core's violations on the page: [(rule, impact, [(selector, message)])]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .map((v) => [v.id, v.impact, v.nodes.map((n) => [n.target.join(" "),
                     ((n.any[0] || n.all[0] || n.none[0]) || {}).message || ""])])""")
