"""The book "available offline" (issue 14, item 4): the control in every page's footer and on the playground,
the manifest and service worker of book/offline.py, in headless Chromium on the test server's real origin.

A reader presses the control in one language and waits for it to finish; with the network cut, every page of
that language's nav opens from the cache and every runnable block runs: the standard-library ones print what
snippets/out/ holds, the NumPy ones say that numpy could not be downloaded (no numpy wheel here), or, when
PYODIDE_NUMPY_DIR holds one (numpy mirrored into vendor/pyodide-packages/), start and print the first line that
CPython prints, and are stopped there (tests/test_runner.py runs each to its end and compares all it prints).
A reader who never presses downloads nothing for it. After a new build, a reader who had pressed gets the new
pages once online, and the old copy is gone.
"""
import ast
import functools
import http.server
import json
import shutil
import sys
import threading
from urllib.parse import urljoin

import pytest

from book import offline, pyodide, runtime, snippets
from book.browser import DESKTOP, PHONE, close, close_context, record_requests, settle
from book.pages import Page
from conftest import BOOK, LANGS, ROOT, page_url
from reader import NO_NUMPY, audit, block_of, focused, open_tab_of, ready, serious, shot, start_before, to_dark, visit

DONE_MS = 180_000           # the whole copy (about 18 MB) on a busy, shared 2-core machine
RUN_MS = 120_000
PLAYGROUND = "playground.md"
PAGES = BOOK.nav_pages()    # what a language's copy holds, besides the files they load (book/offline.py)
OFFLINE_FILES = ("sw.js", offline.MANIFEST, "offline-cache.js", "offline-sw.js", "download.js")
FOOTER = ".book-offline--footer"
SHOWN = {"zh": "下载供离线使用（{}）", "en": "Make available offline ({})"}
DONE = {"zh": "已可离线使用", "en": "available offline"}


def mb(n):
    return f"{n / 1e6:.1f} MB"


def stdlib_only(script):
    """Whether the snippet imports nothing but the standard library."""
    tree = ast.parse((ROOT / script).read_text(encoding="utf-8"))
    nodes = list(ast.walk(tree))
    names = {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    names = {name.split(".")[0] for name in names}
    return names <= set(sys.stdlib_module_names)


def press(page, where=FOOTER):
    """Press "Make available offline" and wait until it is done; return the progress values the bar showed."""
    page.evaluate("""() => {
        window.progressSeen = [];
        new MutationObserver(() => {
            const bar = document.querySelector(".book-offline progress");
            if (bar) window.progressSeen.push([bar.value, bar.max, bar.getAttribute("aria-label")]);
        }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    }""")
    page.locator(f"{where} .book-offline__download").click()
    page.wait_for_selector(f'{where}[data-state="done"]', timeout=DONE_MS)
    return page.evaluate("window.progressSeen")


def cache_state(page):
    """{cache name: [URLs]} of the page's origin, and how many service workers are registered."""
    return page.evaluate("""async () => {
        const found = {};
        for (const name of await caches.keys()) {
            found[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
        }
        return [found, (await navigator.serviceWorker.getRegistrations()).length];
    }""")


def block_starts(page, script):
    """Press Run under the block titled `script` and wait for its first line of output (or the end of the run, or
    the runner's message); then Stop it if it still runs. Returns (what it printed, the runner's message)."""
    block = block_of(page, script)
    open_tab_of(block)
    output = block.locator("xpath=following-sibling::div[contains(@class, 'runner-result')][1]//pre")
    message = block.locator("xpath=following-sibling::div[contains(@class, 'runner-message')][1]")
    block.locator("xpath=following-sibling::div[contains(@class, 'runner-bar')][1]//button[1]").click()
    page.wait_for_function("""([out, message]) => !document.querySelector(".runner--running")
        || out.textContent.includes("\\n") || !message.hidden""",
                           arg=[output.element_handle(), message.element_handle()], timeout=RUN_MS)
    stop = block.locator("xpath=following-sibling::div[contains(@class, 'runner-bar')][1]//button[2]")
    stop.evaluate("button => { if (!button.disabled) button.click(); }")      # Stop, unless it just ended
    page.wait_for_function("() => !document.querySelector('.runner--running')")
    return output.text_content(), message.text_content() if message.is_visible() else ""


@pytest.fixture(scope="session")
def manifest(site):
    """The manifest of the test site (numpy mirrored into it where PYODIDE_NUMPY_DIR is set: conftest.with_numpy)."""
    return json.loads((site / offline.MANIFEST).read_text(encoding="utf-8"))


# --- the manifest -----------------------------------------------------------------------------------------
def test_the_manifest_lists_each_language_with_sizes_and_hashes(site, manifest):
    for lang in LANGS:
        files = manifest["languages"][lang]["files"]
        for page in PAGES:
            assert (BOOK.url(lang, page) or "./") in files, page
        for name in ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs"):
            assert f"vendor/pyodide/{runtime.version(BOOK)}/{name}" in files
        assert "javascripts/runner-worker.js" in files and "javascripts/runner-snapshot.js" in files
        assert any(f.startswith("vendor/katex/fonts/") for f in files), "KaTeX's fonts (from its CSS)"
        assert f"{BOOK.prefix(lang)}search/search_index.json" in files
        others = tuple(BOOK.prefix(other) for other in LANGS if other != lang and BOOK.prefix(other))
        missing = {BOOK.url(other, offline.FALLBACK) for other in LANGS}   # "not in the copy", in every language
        assert missing <= set(files)
        assert not [f for f in files if others and f.startswith(others) and f not in missing], \
            "pages of another language"
        assert manifest["languages"][lang]["bytes"] == sum(manifest["files"][f]["size"] for f in files)
    lock = pyodide.site_urls(BOOK, BOOK.config["extra"]["pyodide"]["packages_url"])["lock_url"]
    for folder in ("vendor/pyodide", "vendor/pyodide-packages"):     # every file there, whatever its name
        for path in (site / folder).rglob("*") if (site / folder).is_dir() else []:
            if path.is_file():                                       # the site's lock by the URL the pages ask
                url = path.relative_to(site).as_posix()
                assert (lock if url == lock.split("?")[0] else url) in manifest["languages"][LANGS[0]]["files"]
    for url, entry in manifest["files"].items():
        url = url.split("?")[0]
        path = site / url / "index.html" if url.endswith("/") else site / url
        assert path.stat().st_size == entry["size"], url
    assert f'const REVISION = "{manifest["revision"]}";' in (site / "sw.js").read_text()
    sizes = {lang: manifest["languages"][lang]["bytes"] for lang in LANGS}
    assert f"const SIZES = {json.dumps(sizes, separators=(',', ':'))};" in (site / offline.SCRIPT).read_text()


# --- before the press ------------------------------------------------------------------------------------------
def test_nothing_is_downloaded_before_the_press(server, manifest, page):
    requests = record_requests(page)
    for path in ("", "lessons/04-hello-ohlol/", "playground/"):    # an absence: after all each page asks for
        page.goto(server + path, wait_until="networkidle")
    page.locator(".md-footer a.md-footer__link--next").click()     # and an instant navigation
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if u.rsplit("/", 1)[-1] in OFFLINE_FILES]
    assert cache_state(page) == [{}, 0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_size_shown_is_the_manifest_total(server, manifest, page, lang):
    total = manifest["languages"][lang]["bytes"]
    for path in ("lessons/01-weight-sharing/", "playground/"):
        visit(page, page_url(server, lang, path))
        for button in page.locator(".book-offline__download").all():
            assert button.text_content() == SHOWN[lang].format(mb(total))
        assert page.locator(".book-offline__download").count() == (2 if path == "playground/" else 1)


def test_the_control_is_reached_by_keyboard_and_shows_its_focus(server, manifest, page):
    visit(page, page_url(server, "en", "about/"))
    start_before(page.locator(FOOTER))
    page.keyboard.press("Tab")
    control = focused(page)
    assert control["tag"] == "button" and control["visible"] and control["text"].startswith("Make available offline")


# --- the press, and offline ----------------------------------------------------------------------------------
PRESSED = {"zh": ("lessons/01-weight-sharing/", FOOTER),                # the footer's control of a lesson, and
           "en": ("playground/", ".md-content .book-offline")}          # the playground's own


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_opens_and_every_block_runs_offline_then_remove(server, site, manifest, browser, lang):
    page = browser.new_page(viewport=DESKTOP)
    try:
        path, control = PRESSED[lang]
        visit(page, page_url(server, lang, path))
        seen = press(page, control)
        total = manifest["languages"][lang]["bytes"]
        assert seen and seen[-1][:2] == [total, total], "the progress bar never reached the total"
        assert all(label for *_, label in seen)
        assert page.locator(FOOTER).get_attribute("data-state") == "done"      # every control on the page follows
        assert DONE[lang] in page.locator(f"{FOOTER} [role=status]").text_content()
        names, workers = cache_state(page)
        assert workers == 1 and list(names) == [f"book-offline-{manifest['revision']}"]
        cached = set(names[f"book-offline-{manifest['revision']}"])
        assert {urljoin(server, url) for url in manifest["languages"][lang]["files"]} <= cached

        page.context.set_offline(True)
        numpy = bool(list((site / "vendor/pyodide-packages").glob("numpy-*.whl")))
        for path in PAGES:
            response = page.goto(server + BOOK.url(lang, path), wait_until="load")
            assert response.ok and response.from_service_worker, path
            page.wait_for_selector(f'{FOOTER}[data-state="done"]')    # every page knows it is offline-ready
            for script in Page(BOOK, lang, path).runnable:
                out, message = block_starts(page, script)
                printed = snippets.output_path(BOOK, ROOT / script).read_text()
                if stdlib_only(script):
                    assert out == printed, script
                elif numpy:
                    assert out and printed.startswith(out.split("\n")[0] + "\n") and not message, (script, message)
                else:
                    assert NO_NUMPY[lang] in message, (script, message)
        assert any(Page(BOOK, lang, p).runnable for p in PAGES)

        page.context.set_offline(False)                               # Remove, online again
        visit(page, page_url(server, lang, "about/"))
        page.locator(f"{FOOTER} .book-offline__remove").click()
        page.wait_for_selector(f'{FOOTER}[data-state="idle"]')
        names, workers = cache_state(page)                            # the runner's own snapshot may stay
        assert workers == 0 and not [name for name in names if name.startswith("book-offline")], names
    finally:
        close(page)


# --- a new build ----------------------------------------------------------------------------------------------
class _Logged(http.server.SimpleHTTPRequestHandler):
    """Serves a folder and notes each path asked for in `served`: what reached the server, not the cache."""
    served = None

    def do_GET(self):
        self.served.append(self.path.split("?")[0].lstrip("/"))
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture()
def own_site(site, tmp_path):
    """A copy of the built site on an origin of its own (a fresh service worker scope): (folder, URL, the paths
    served)."""
    folder = tmp_path / "site"
    shutil.copytree(site, folder)
    served = []
    handler = type("Handler", (_Logged,), {"served": served})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}/", served
    httpd.shutdown()
    httpd.server_close()


def test_a_new_build_reaches_an_offline_reader_whole(own_site, browser):
    folder, base, served = own_site
    lesson = "lessons/01-weight-sharing/"
    page = browser.new_page(viewport=DESKTOP)
    try:
        visit(page, base + lesson)
        press(page)
        old = json.loads((folder / offline.MANIFEST).read_text())

        # the new build: one page changed, its manifest and service worker written again
        built = folder / lesson / "index.html"
        built.write_text(built.read_text(encoding="utf-8").replace(
            "</h1>", '</h1><p id="second-build">second build</p>', 1), encoding="utf-8")
        new = offline.write(BOOK, folder)
        assert new["revision"] != old["revision"]
        changed = [url for url in new["files"] if new["files"][url] != old["files"].get(url)]
        assert sorted(changed) == sorted([lesson, offline.SCRIPT])   # the page, and the sizes the pages show

        page.reload(wait_until="load")                   # the old worker still serves the old build, whole
        ready(page)
        assert page.locator("#second-build").count() == 0
        served.clear()
        page.locator(f"{FOOTER} .book-offline__update").click()
        page.wait_for_selector("#second-build", timeout=DONE_MS)   # the update took over and reloaded the page
        page.wait_for_selector(f'{FOOTER}[data-state="done"]')
        fetched = set(served) - {"sw.js", offline.MANIFEST}
        assert lesson in fetched
        again = fetched & set(old["languages"]["zh"]["files"]) - {lesson, offline.SCRIPT, *offline.SW_IMPORTS}
        assert not again, f"unchanged files downloaded again: {again}"
        names, workers = cache_state(page)
        assert workers == 1 and list(names) == [f"book-offline-{new['revision']}"], "the old copy is still there"

        page.context.set_offline(True)
        page.goto(base + lesson, wait_until="load")
        assert page.locator("#second-build").count() == 1
    finally:
        close(page)


def test_update_waits_for_the_other_tabs(own_site, browser):
    """With a second tab of the book open, Update does not switch builds under it: it says so, and the new
    build takes over once that tab is closed."""
    folder, base, _ = own_site
    lesson, other = "en/lessons/01-weight-sharing/", "en/lessons/02-rnn-cell/"
    context = browser.new_context(viewport=DESKTOP)                 # two tabs of one reader's browser
    page, second = context.new_page(), context.new_page()
    try:
        visit(page, base + lesson)
        press(page)
        visit(second, base + other)                                  # served by the old build's worker
        built = folder / lesson / "index.html"
        built.write_text(built.read_text(encoding="utf-8").replace(
            "</h1>", '</h1><p id="second-build">second build</p>', 1), encoding="utf-8")
        new = offline.write(BOOK, folder)
        page.reload(wait_until="load")
        ready(page)
        page.locator(f"{FOOTER} .book-offline__update").click()
        page.wait_for_function(f"() => document.querySelector('{FOOTER}').textContent.includes('other tabs')",
                               timeout=DONE_MS)
        assert page.locator("#second-build").count() == 0
        names, _ = cache_state(page)
        assert f"book-offline-{new['revision']}" in names and len(names) == 2, "the old copy went under a tab"
        second.close()
        page.locator(f"{FOOTER} .book-offline__update").click()
        page.wait_for_selector("#second-build", timeout=DONE_MS)
        names, _ = cache_state(page)
        assert list(names) == [f"book-offline-{new['revision']}"]
    finally:
        close_context(context)


# --- how it looks ------------------------------------------------------------------------------------------------
# Each language in two of the four layouts (light and dark, phone and desktop), switched in one page: the control
# idle, working (one file of the copy held back, so that it stays working) and done.
LAYOUTS = {"zh": (("light", DESKTOP), ("dark", PHONE)), "en": (("light", PHONE), ("dark", DESKTOP))}


@pytest.mark.parametrize("lang", LANGS)
def test_the_control_fits_and_passes_axe(server, manifest, browser, lang):
    page = browser.new_page(viewport=LAYOUTS[lang][0][1], color_scheme="light")
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))   # answered once "working" is checked
    try:
        visit(page, page_url(server, lang, "playground/"))
        for state in ("idle", "working", "done"):
            if state == "working":
                page.locator(f"{FOOTER} .book-offline__download").click()
                page.wait_for_selector(f"{FOOTER} progress")
            if state == "done":
                for route in held:                                    # answered before the handler goes:
                    route.continue_()                                 # unroute() lets pending routes through
                page.unroute("**/pyodide.asm.wasm")
                page.wait_for_selector(f'{FOOTER}[data-state="done"]', timeout=DONE_MS)
            for scheme, viewport in LAYOUTS[lang]:
                page.set_viewport_size(viewport)
                if scheme == "dark":
                    to_dark(page)
                settle(page)                                          # laid out for this size and scheme
                problems = serious(audit(page))
                assert not problems, (state, scheme, problems)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"the page is {overflow}px wider than the viewport ({state}, {scheme})"
                places = (("footer", page.locator(".md-footer-meta")),
                          ("playground", page.locator(".md-content .book-offline")))
                for where, locator in places[:1] if state == "working" else places:
                    assert locator.is_visible(), (where, state)
                    name = f"offline-{lang}-{'phone' if viewport == PHONE else 'desktop'}-{scheme}-{where}-{state}"
                    shot(page, f"screenshots/{name}", locator)
                if scheme == "dark":                                  # back to light for the next state
                    page.locator("form[data-md-component='palette'] label >> visible=true").first.click()
                    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    finally:
        close(page)
