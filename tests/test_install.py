"""The book as an installable app (issue 24, item 2; book/manifest.py, hooks/manifest.py), on the test site and on
the site built for a deploy sub-path (built once here), in headless Chromium:

- Chromium's own installability check (the DevTools protocol's Page.getInstallabilityErrors) finds nothing, in
  each language, at the root and under the sub-path; the manifest's start_url is the language's home, its scope
  the site's root, its colours palette.css's, its icons the sizes they say;
- a page that loads the manifest still downloads nothing of the offline copy before the reader asks;
- once the copy is there, offline: the app's start_url opens from it, and a page the copy does not hold (a
  notebook page, the other language) is the copy's page that says so, in that page's language, linking to the
  copy's home; it passes axe.
"""
import json
import re
from urllib.parse import urljoin

import pytest

from book import manifest, offline
from book.browser import CHROMIUM, DESKTOP, FLAGS, PHONE, close_context, record_requests, serve, settle
from book.pages import Page
from conftest import BOOK, LANGS, ROOT, build
from reader import FAILING, audit, shot

SUB = "rnn-basics/"             # the deploy sub-path (a GitHub Pages project site is served under its name)
DONE_MS = 180_000               # the whole copy on a busy, shared 2-core machine
OFFLINE_FILES = ("sw.js", offline.MANIFEST, "offline-cache.js", "offline-sw.js", "download.js")
COLOUR = re.compile(r"--book-app-(theme|background):\s*(#[0-9a-fA-F]{6})\s*;")


@pytest.fixture(scope="session")
def deployed(tmp_path_factory):
    """(URL, folder) of the site built for, and served under, a sub-path: SITE_URL ends in /rnn-basics/."""
    root = tmp_path_factory.mktemp("deployed")
    with serve(root) as base:
        result = build(ROOT, root / SUB, base + SUB)
        assert result.returncode == 0, result.stderr
        yield base + SUB, root / SUB


@pytest.fixture(scope="session")
def profile(browser, tmp_path_factory):
    """A browser with a profile on disk: Chromium checks installability only outside incognito, and every context
    Playwright makes otherwise is one."""
    context = browser.playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield context
    close_context(context)


def heading(page):
    """The page's title as it reads (its h1, without the permalink)."""
    return page.locator("article h1").evaluate(
        "(h) => [...h.childNodes].filter((n) => !n.classList?.contains('headerlink')).map((n) => n.textContent)"
        ".join('').trim()")


def rgba(hex_colour):
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},1)"


@pytest.mark.parametrize("where", ["root", "sub-path"])
@pytest.mark.parametrize("lang", LANGS)
def test_chromium_finds_it_installable(profile, server, deployed, where, lang):
    base = server if where == "root" else deployed[0]
    palette = dict(COLOUR.findall((BOOK.docs / "stylesheets" / "palette.css").read_text()))
    page = profile.new_page()
    try:
        page.goto(base + BOOK.url(lang, BOOK.lesson_page(BOOK.lessons()[-1])))
        cdp = profile.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        found = cdp.send("Page.getAppManifest")
        assert found["url"] == base + BOOK.prefix(lang) + manifest.FILE and not found["errors"]
        app = found["manifest"]
        assert app["startUrl"] == base + BOOK.prefix(lang) and app["scope"] == base
        assert app["name"] == BOOK.setting(lang, "site_name") and app["display"] == "kStandalone"
        assert app["themeColor"] == rgba(palette["theme"]) and app["backgroundColor"] == rgba(palette["background"])
        sizes = set()
        for icon in app["icons"]:
            response = page.request.get(icon["url"])
            assert response.ok and response.headers["content-type"] == "image/png"
            side = int.from_bytes(response.body()[16:20], "big")
            assert icon["sizes"] == f"{side}x{side}"
            sizes.add(side)
        assert {192, 512} <= sizes
    finally:
        page.close()                  # only the page: the profile serves the module's other tests


def test_the_icons_are_the_logo_drawn_by_chromium(site):
    """The icons are PNGs of the sizes they say, drawn from the logo: not one colour only."""
    for size in manifest.SIZES:
        path = site / manifest.ICONS / f"icon-{size}.png"
        assert manifest.png_size(path) == (size, size)
        assert path.stat().st_size > 1000          # a plain square compresses to a few hundred bytes


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_of_the_offline_copy_before_the_press(deployed, page, lang):
    """A page names its manifest, yet loads what it loaded before: its own files, nothing of the offline copy,
    no service worker."""
    url, folder = deployed
    requests = record_requests(page)
    page.goto(url + BOOK.prefix(lang))
    page.wait_for_selector(".book-offline--footer:not([hidden])")
    assert not [u for u in requests if u.rsplit("/", 1)[-1].split("?")[0] in OFFLINE_FILES]
    needs = {urljoin(url, path) for path in offline.page_needs(folder, BOOK.prefix(lang))} | {url + BOOK.prefix(lang)}
    needs |= {url + BOOK.prefix(other) + "sitemap.xml" for other in LANGS}   # the language selector reads them
    assert {u.split("?")[0] for u in requests if u.startswith(url)} <= needs
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0


def test_offline_the_app_opens_the_copy_and_a_missing_page_says_so(deployed, browser):
    url, folder = deployed
    held, other = LANGS[-1], LANGS[0]        # the reader keeps one language; the other is not in the copy
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url + BOOK.url(held, "about.md"))
        page.locator(".book-offline--footer .book-offline__download").click()
        page.wait_for_selector('.book-offline--footer[data-state="done"]', timeout=DONE_MS)
        app = json.loads((folder / BOOK.prefix(held) / manifest.FILE).read_text())
        start = urljoin(url + BOOK.prefix(held) + manifest.FILE, app["start_url"])
        context.set_offline(True)

        response = page.goto(start)                    # what the installed app opens
        assert response.ok and response.from_service_worker
        assert heading(page) == Page(BOOK, held, "index.md").title

        missing = {held: url + BOOK.url(held, f"notebooks/{BOOK.lessons()[0]}.md"),
                   other: url + BOOK.url(other, BOOK.lesson_page(BOOK.lessons()[0]))}
        for lang, asked in missing.items():
            page.goto(asked)
            assert page.url.startswith(url + BOOK.url(lang, offline.FALLBACK) + "?from=")
            assert heading(page) == Page(BOOK, lang, offline.FALLBACK).title
            home = page.locator(f'.book-offline-home a[href="{url + BOOK.prefix(held)}"]')
            home.wait_for()
            assert page.locator(f'.book-offline-home a[href="{asked}"]').count() == 1    # the page asked for
            assert not [(rule, nodes) for rule, impact, nodes in audit(page) if impact in FAILING]
            shot(page, f"screenshots/offline-missing-{lang}")
        home.click()                                   # to the copy's home, still offline
        page.wait_for_url(url + BOOK.prefix(held))
        assert heading(page) == Page(BOOK, held, "index.md").title
    finally:
        close_context(context)


@pytest.mark.parametrize("lang", LANGS)
def test_the_missing_page_online_fits_a_phone(server, browser, lang):
    """Online, without a copy, the page says there is none and links to the book's home; it fits a phone."""
    page = browser.tab(viewport=PHONE, color_scheme="dark")
    page.goto(server + BOOK.url(lang, offline.FALLBACK))
    page.locator(f'.book-offline-home a[href="{server + BOOK.prefix(lang)}"]').wait_for()
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"screenshots/offline-missing-online-{lang}-phone-dark")
