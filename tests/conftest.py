"""Shared fixtures: the site is built once per test session, then many small tests read it."""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from book import Book, manifest, notebooks, offline, snippets, stdlib, translations
from book.browser import Server
from book.pages import Page

# torch and numpy on one thread in the test processes, as the snippets run (book/snippets.py): their numbers
# depend on it, and two workers whose OpenMP threads spin against each other on two cores slow down a hundredfold.
for _name, _value in snippets.SINGLE_THREAD.items():
    os.environ.setdefault(_name, _value)

BOOK = Book.find(Path(__file__))
ROOT = BOOK.root
LANGS = BOOK.languages
NUMPY_DIR = os.environ.get("PYODIDE_NUMPY_DIR")   # Pyodide's numpy wheel, where this machine has it (Makefile)


def pytest_configure(config):
    """With several workers (pytest -n 2, as `make test` runs), what every worker reads and would make at the same
    time, the controller makes: the notebooks' runs and the compiled standard library first (both cached in
    .cache/), then the site, built once and served from here (BOOK_TEST_SITE) while the workers start and run the
    tests that do not read it."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput") and not PREBUILT:
        notebooks.run_all(BOOK)
        stdlib.compiled(BOOK)
        config._book_site = _SharedSite()
        os.environ["BOOK_TEST_SITE"] = config._book_site.address


def pytest_unconfigure(config):
    if hasattr(config, "_book_site"):
        config._book_site.close()


@pytest.hookimpl(tryfirst=True)    # before xdist's own hook, which turns the xdist_group marks into groups
def pytest_collection_modifyitems(items):
    """Every test that drives Chromium (through the `browser` fixture, or `page` on top of it) is marked
    `browser`, so `pytest -m "not browser"` (make test-fast) leaves it out.

    What a test module makes once for its tests (a copy of the book built, the PDFs, the offline manifest) is a
    session-scoped fixture of that module: a worker that runs other tests in between keeps it. Tests that share
    one form an xdist group, keyed by the fixtures the others are made from (pages_text is read from made), so
    that with `--dist loadgroup` one worker makes it, once."""
    joined, roots = {}, {}                       # fixtures used by one test together make one group

    def find(name):
        while joined.get(name, name) != name:
            name = joined[name]
        return name
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        info = getattr(item, "_fixtureinfo", None)
        module = item.nodeid.split("::")[0]
        shared = {name: defs[-1] for name, defs in (info.name2fixturedefs.items() if info else ())
                  if defs and defs[-1].baseid == module and defs[-1].scope != "function"}
        roots[item] = [f"{module}:{name}" for name, fixture in sorted(shared.items())
                       if not set(fixture.argnames) & set(shared)]
        for a, b in zip(roots[item], roots[item][1:]):
            joined[find(b)] = find(a)
    for item, names in roots.items():
        if names:
            item.add_marker(pytest.mark.xdist_group(find(names[0])))


# A site built before, for a session run inside a test (tests/test_new_lesson.py): "FOLDER PORT", the site built
# with SITE_URL http://127.0.0.1:PORT/, served there instead of a new build.
PREBUILT = os.environ.get("BOOK_PREBUILT_SITE", "").split()


class _SharedSite:
    """The site built once by the controller of several workers, into a folder of its own, and served from the
    controller's process on a free port (it is idle while the workers run). `address`: "FOLDER URL", which the
    workers read from BOOK_TEST_SITE; FOLDER.done holds the build's exit status and errors once it has ended."""

    def __init__(self):
        folder = Path(tempfile.mkdtemp(prefix="book-site-"))
        self.httpd = Server(folder)
        url = self.httpd.url
        self.address, self.folder = f"{folder} {url}", folder
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._build, args=(url,), daemon=True).start()

    def _build(self, url):
        try:
            result = build(ROOT, self.folder, url)
            status = [result.returncode, result.stderr]
            if result.returncode == 0:
                with_numpy(self.folder)
        except Exception as error:                                # the workers wait for an answer either way
            status = [1, repr(error)]
        done = self.folder.with_suffix(".done")
        done.with_suffix(".part").write_text(json.dumps(status))
        done.with_suffix(".part").rename(done)                  # whole, or not there

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.with_suffix(".done").unlink(missing_ok=True)


# In a worker: the controller's site, "FOLDER URL" (a session inside a test, given its own site, ignores it)
SHARED = [] if PREBUILT else os.environ.get("BOOK_TEST_SITE", "").split()


def _shared_site():
    """The controller's site folder once its build has ended (it runs while this worker starts)."""
    folder = Path(SHARED[0])
    done = folder.with_suffix(".done")
    while not done.exists():
        time.sleep(0.1)                                           # the build's own end, written by the controller
    returncode, stderr = json.loads(done.read_text())
    assert returncode == 0, stderr
    return folder


@pytest.fixture(scope="session")
def _httpd(tmp_path_factory):
    """A server bound to a free port on 127.0.0.1, for the folder the site is built into (none where the
    controller serves it)."""
    if SHARED:
        yield None
        return
    httpd = Server(PREBUILT[0], int(PREBUILT[1])) if PREBUILT else Server(tmp_path_factory.mktemp("site"))
    yield httpd
    httpd.server_close()


def build(root, site, site_url=None):
    """`mkdocs build --strict` of the book at `root` into `site`; the completed process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **({"SITE_URL": site_url} if site_url else {}))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=root, env=env, capture_output=True, text=True)


def with_numpy(site):
    """numpy mirrored into the built `site` (vendor/pyodide-packages/, as `make mirror` does for a deploy) and the
    offline manifest written again to hold it, where PYODIDE_NUMPY_DIR has the wheel: the site readers get. Done
    to the site before any test reads it, never while a test may be loading a page of it."""
    if not NUMPY_DIR or list((site / "vendor/pyodide-packages").glob("numpy-*.whl")):
        return
    result = subprocess.run([sys.executable, "-m", "book", "mirror", "--from", NUMPY_DIR,
                             "--to", str(site / "vendor/pyodide-packages")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    offline.write(BOOK, site)


@pytest.fixture(scope="session")
def site(_httpd):
    """The notebooks run (`make notebooks`: cached), then the site built with `mkdocs build --strict` (with
    several workers, once, by their controller), numpy mirrored into it where this machine has the wheel.

    site_url is the test server's address, as it is the deployed address in production:
    Material's instant navigation only follows links that the sitemap lists under site_url."""
    if SHARED:
        return _shared_site()
    if not PREBUILT:
        notebooks.run_all(BOOK)
        result = build(ROOT, _httpd.folder, _httpd.url)
        assert result.returncode == 0, result.stderr
    with_numpy(_httpd.folder)
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
    if SHARED:
        yield SHARED[1]
        return
    thread = threading.Thread(target=_httpd.serve_forever, daemon=True)
    thread.start()
    yield _httpd.url
    _httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (book/browser.py), one per test session (per worker): a test's page is the reused
    tab, blank again (`page`, `browser.tab()`), or has a context of its own (`browser.new_page()`): nothing a test
    leaves is seen by another, but the browser process and its memory cache."""
    from book.browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser):
    """A desktop-sized page, blank: the worker's reused tab (book/browser.py, Chromium.tab), which holds nothing
    from the tests before. A test that needs a context of its own (several tabs, a profile, the network cut)
    opens one with browser.new_page or browser.new_context."""
    return browser.tab()


@contextlib.contextmanager
def single_thread():
    """torch on one thread inside, as `make weights` and the snippets run it (their numbers depend on it)."""
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def lock_without_numpy(packages, target):
    """A copy of the site's package folder whose lock has no numpy, nor the book's wheel a need of it: a site
    without numpy. Returns the folder, made once: whole, or not there (tests on two workers may ask at once)."""
    if target.exists():
        return target
    part = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    lock = json.loads((packages / "pyodide-lock.json").read_text())
    del lock["packages"]["numpy"]
    for package in lock["packages"].values():
        package["depends"] = [name for name in package["depends"] if name != "numpy"]
        if (packages / package["file_name"]).is_file():
            shutil.copy(packages / package["file_name"], part)
    (part / "pyodide-lock.json").write_text(json.dumps(lock))
    try:
        part.rename(target)
    except OSError:                 # another worker's copy got there first: the same files
        shutil.rmtree(part)
    return target


def page_url(server, lang, page=""):
    """URL of `page` ("lessons/02-rnn-cell/") in `lang` on the site served at `server`."""
    return server + BOOK.prefix(lang) + page


def page_path(site, lang, page):
    """Built HTML file of `page` (e.g. "lessons/03-rnn-layer") in `lang`."""
    return site / f"{BOOK.prefix(lang)}{page}/index.html"
