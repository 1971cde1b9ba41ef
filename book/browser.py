"""Headless Debian Chromium for the browser tests and benchmarks, driven by Playwright (never `playwright install`);
and a built site served on a free local port, for it to open."""
import functools
import http.server
import os
import signal
import sys
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")   # Debian's package; override elsewhere
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class Chromium:
    """Headless Chromium that comes back after a watchdog had to kill it.

    `new_page(viewport=..., color_scheme=...)` opens a page in its own context; close it with `close(page)`.
    `tab()` hands out the one reused page, blank, for tests that need no page of their own. Once in many runs,
    Chromium stopped answering while a context closed and the whole suite waited: now a close that takes longer
    than 30 s kills Chromium (the test still passes or fails on its own merits) and the next new_page launches a
    fresh one."""

    def __init__(self, playwright):
        self.playwright, self.browser = playwright, None
        self._tab = self._tab_of = None

    def new_page(self, **options):
        return self.launched().new_page(**options)

    def new_context(self, **options):
        """A context of its own: the pages opened in it share its storage (HTTP cache, Cache Storage), as
        the tabs of one reader's browser do. Close it with `close_context`."""
        return self.launched().new_context(**options)

    def tab(self, viewport=DESKTOP, color_scheme="light"):
        """The one reader's tab of this browser, for tests that need no page of their own: each call hands it
        back blank, as a new page would be, but without the renderer process and context a new page costs
        (about 0.4 s here). Blank: the last document unloaded, everything it stored on the origins it
        visited cleared (localStorage, sessionStorage, IndexedDB, Cache Storage, service workers, cookies),
        its routes dropped, `viewport` and `color_scheme` set; `tab.errors` a new list of its pages' uncaught
        errors, `tab.requested` of the URLs they request (as `record_requests`). Only Chromium's memory cache
        survives, as in a reader's tab. Never close it."""
        page, browser = self._tab, self.launched()
        if page is None or page.is_closed() or self._tab_of is not browser:
            page, self._tab_of = browser.new_page(), browser
            self._tab = page
            page.visited = set()
            page.on("framenavigated", lambda frame: page.visited.add(_origin(frame.url)))
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            page.on("request", lambda request: page.requested.append(request.url))
        page.goto("about:blank")
        session = page.context.new_cdp_session(page)
        for origin in page.visited - {None}:
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        session.detach()
        page.visited.clear()
        page.context.clear_cookies()
        page.unroute_all(behavior="ignoreErrors")
        page.set_viewport_size(viewport)
        page.emulate_media(color_scheme=color_scheme)
        page.errors, page.requested = [], []
        return page

    def launched(self):
        if self.browser is None or not self.browser.is_connected():
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        return self.browser

    def close(self):
        if self.browser is not None and self.browser.is_connected():
            with watchdog(30, "closing Chromium"):
                self.browser.close()


@contextmanager
def chromium():
    """A fresh browser (Playwright gives it a fresh temporary profile)."""
    with sync_playwright() as p:
        browser = Chromium(p)
        try:
            yield browser
        finally:
            browser.close()


def _origin(url):
    """scheme://host:port of an http(s) URL; None for about:blank and the like."""
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def close(page):
    """Close a page and its context (each page from Chromium.new_page owns one), within 30 s."""
    close_context(page.context)


def close_context(context):
    """Close a context and its pages, within 30 s."""
    with watchdog(30, "closing a page"):
        context.close()


@contextmanager
def watchdog(seconds, doing):
    """Kill this run's Chromium processes if the block takes longer than `seconds`; errors from the
    killed browser are swallowed then (a warning says so), so a hung close cannot hang the suite."""
    timer = threading.Timer(seconds, _kill_chromium)
    timer.start()
    try:
        yield
    except PlaywrightError:
        if timer.is_alive():
            raise
        warnings.warn(f"Chromium hung {doing} and was killed after {seconds} s; the next test starts a new one",
                      stacklevel=2)
    finally:
        timer.cancel()


def _kill_chromium():
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    todo, ours = [os.getpid()], []
    while todo:
        kids = children.get(todo.pop(), [])
        ours += kids
        todo += kids
    for pid in ours:
        try:
            if Path(f"/proc/{pid}/comm").read_text().startswith("chrom"):
                os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    """The files in `folder` on 127.0.0.1:`port` (0: a free one), at `url`, answered quietly: no request log, and a
    connection the browser closes mid-answer (a page closed, a download stopped) is no error. Not yet serving:
    `serve_forever()` in a thread, or `serve(folder)` below."""

    def __init__(self, folder, port=0):
        super().__init__(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
        self.folder = Path(folder)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder):
    """The files in `folder` on a free port of 127.0.0.1 (a built site, or a folder holding one under a sub-path);
    its base URL."""
    httpd = Server(folder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.url
    finally:
        httpd.shutdown()
        httpd.server_close()


def settle(page):
    """Wait until the page is still: two frames (a transition starts on the frame after its change), then
    every running CSS transition and finite animation ended (Material's header after a scroll, its layout
    after a viewport change), then a frame to paint. Screenshots are taken after this, never mid-way."""
    page.evaluate("""() => {
        const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
        return frame().then(frame)
            .then(() => Promise.all(document.getAnimations()
                .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .map((a) => a.finished.catch(() => null))))
            .then(frame);
    }""")


def record_requests(page):
    """Collect every URL the page requests (including those that fail): the tab's own list, for Chromium.tab."""
    if hasattr(page, "requested"):
        return page.requested
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def off_origin(urls, base):
    origin = urlparse(base).netloc
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).netloc != origin]

