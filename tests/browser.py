"""Headless Debian Chromium for the browser tests, driven by Playwright (never `playwright install`)."""
import tempfile
from contextlib import contextmanager
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def chromium():
    """A fresh browser with a fresh profile."""
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True, viewport=DESKTOP)
        try:
            yield context
        finally:
            context.close()


def record_requests(page):
    """Collect every URL the page requests (including those that fail)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def off_origin(urls, base):
    origin = urlparse(base).netloc
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).netloc != origin]
