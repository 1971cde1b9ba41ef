"""Headless Debian Chromium for the browser tests, driven by Playwright (never `playwright install`)."""
import os
from contextlib import contextmanager
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")   # Debian's package; override elsewhere
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def chromium():
    """A fresh browser (Playwright gives it a fresh temporary profile).

    `browser.new_page(viewport=..., color_scheme=...)` opens a page in its own context."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def record_requests(page):
    """Collect every URL the page requests (including those that fail)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def off_origin(urls, base):
    origin = urlparse(base).netloc
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).netloc != origin]


def page_url(server, lang, page=""):
    """URL of `page` ("lessons/02-rnn-cell/") in `lang`: Chinese at the root, others under /<lang>/."""
    return server + ("" if lang == "zh" else f"{lang}/") + page
