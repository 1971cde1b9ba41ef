"""Shared fixtures: the site is built once per test session, then many small tests read it."""
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")
sys.path.insert(0, str(ROOT / "snippets"))  # snippets import as modules (numpy_nn, _outputs)


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


@pytest.fixture(scope="session")
def site(_httpd):
    """Build the site with `mkdocs build --strict` and return its folder.

    site_url is the test server's address, as it is the deployed address in production:
    Material's instant navigation only follows links that the sitemap lists under site_url."""
    url = f"http://127.0.0.1:{_httpd.server_address[1]}/"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(_httpd.folder)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return _httpd.folder


@pytest.fixture(scope="session")
def server(site, _httpd):
    """Serve the built site and return its base URL."""
    thread = threading.Thread(target=_httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{_httpd.server_address[1]}/"
    _httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (tests/browser.py), one per test module."""
    from browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser):
    """A fresh desktop-sized page."""
    from browser import DESKTOP, close
    page = browser.new_page(viewport=DESKTOP)
    yield page
    close(page)


def page_path(site, lang, page):
    """Built HTML file of `page` (e.g. "lessons/03-rnn-layer") in `lang`."""
    prefix = "" if lang == "zh" else f"{lang}/"
    return site / f"{prefix}{page}/index.html"
