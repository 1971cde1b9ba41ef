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


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Build the site with `mkdocs build --strict` into a temp folder and return its path."""
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1 (a free port) and return its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def page_path(site, lang, page):
    """Built HTML file of `page` (e.g. "lessons/03-rnn-layer") in `lang`."""
    prefix = "" if lang == "zh" else f"{lang}/"
    return site / f"{prefix}{page}/index.html"
