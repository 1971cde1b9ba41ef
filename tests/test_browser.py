"""Open the built site in headless Chromium, as a reader would, in both languages."""
import pytest
from playwright.sync_api import expect

from book.browser import DESKTOP, PHONE, close, off_origin, record_requests, settle
from conftest import BOOK, LANGS
from conftest import page_url as url
from reader import ready, shot, to_dark, visit

MATH_PAGES = ["lessons/02-rnn-cell/", "lessons/04-hello-ohlol/"]
FIGURE_PAGES = ["lessons/02-rnn-cell/", "lessons/03-rnn-layer/", "lessons/05-embedding/"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", sorted(set(MATH_PAGES + FIGURE_PAGES)))
def test_math_rendered_figures_loaded_nothing_off_origin(server, page, lang, path):
    requests = record_requests(page)
    visit(page, url(server, lang, path))
    formulas = page.locator(".arithmatex").count()
    assert page.locator(".arithmatex .katex").count() == formulas, "some formulas were not rendered"
    assert page.locator(".katex-error").count() == 0
    if path in MATH_PAGES:
        assert formulas > 0
    figures = page.locator("figure.diagram img")
    if path in FIGURE_PAGES:
        assert figures.count() > 0
    for i in range(figures.count()):
        img = figures.nth(i)
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
        assert img.get_attribute("alt"), "figure without alt text"
    assert off_origin(requests, server) == []


@pytest.mark.parametrize("lang", LANGS)
def test_readable_on_a_phone_and_in_both_schemes(server, page, lang):
    visit(page, url(server, lang, "lessons/03-rnn-layer/"))
    for scheme in ("light", "dark"):
        if scheme == "dark":
            to_dark(page)
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            settle(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{lang} {name}: page is {overflow}px wider than the viewport"
            shot(page, f"screenshots/lesson3-{lang}-{name}-{scheme}")


def failed_responses(page):
    """Collect every response with an error status ('404 http://...')."""
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return failed


def switch_link(page, lang):
    """The language selector's link to `lang`, which book.js points at the same page once the sitemap is read."""
    return expect(page.locator(f"a.md-select__link[hreflang='{lang}']"))


@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_lands_on_the_same_lesson(server, page, lang):
    [other] = BOOK.other_languages(lang)
    failed = failed_responses(page)
    # Material's language selector finds the page in the other language's sitemap (book/site_index.py)
    with page.expect_response(url(server, other, "sitemap.xml")):
        visit(page, url(server, lang, "lessons/03-rnn-layer/"))
    switch_link(page, other).to_have_js_property("href", url(server, other, "lessons/03-rnn-layer/"))
    page.evaluate("window.__same_document = true")
    page.locator(".md-sidebar--primary a[href*='02-rnn-cell']").first.click()   # instant navigation
    page.wait_for_url("**/lessons/02-rnn-cell/")            # the address changes before the content does:
    assert page.evaluate("window.__same_document === true"), "the click reloaded the page"
    switch_link(page, other).to_have_js_property("href", url(server, other, "lessons/02-rnn-cell/"))
    page.locator(f"a.md-select__link[hreflang='{other}']").dispatch_event("click")
    page.wait_for_url(url(server, other, "lessons/02-rnn-cell/"))
    ready(page)                               # closing a page mid-navigation is where Chromium once hung
    assert failed == []


def test_chinese_search_finds_lesson_one(server, page):
    visit(page, server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("权重共享")
    page.locator(".md-search__input").press("End")   # Material searches on key events, as an IME sends
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10000)
    assert "01-weight-sharing" in result.get_attribute("href")


SEARCHES = {"zh": "循环", "en": "hidden state"}   # words of several pages in each language


def search(page, words):
    """Type `words` into Material's search box; the result links (absolute URLs), best first."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially(words)
    page.locator(".md-search__input").press("End")   # Material searches on key events, as an IME sends
    page.locator(".md-search-result__item a").first.wait_for(timeout=10000)
    return page.locator(".md-search-result__item > a").evaluate_all("links => links.map((a) => a.href)")


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_pages_of_the_readers_language(server, page, lang):
    failed = failed_responses(page)
    visit(page, url(server, lang, "lessons/02-rnn-cell/"))
    found = search(page, SEARCHES[lang])
    assert len(found) > 1
    others = [url(server, other) for other in BOOK.other_languages(lang) if BOOK.prefix(other)]
    for href in found:
        assert href.startswith(url(server, lang)) and not href.startswith(tuple(others)), href
    assert failed == []


def test_the_reused_tab_comes_back_blank(server, browser):
    """Chromium.tab(), which the read-only browser tests share: what one test's pages stored, routed, set or threw
    is gone for the next, which finds what a new page finds; only the page object (and its renderer) is the same."""
    kept = """async () => [JSON.stringify(Object.entries(localStorage)).replace(/\\d{13}/g, "a time"),
        Object.entries(sessionStorage), await caches.keys(),
        (await indexedDB.databases()).map((d) => d.name), document.cookie, innerWidth,
        matchMedia("(prefers-color-scheme: dark)").matches]"""
    lesson = url(server, "en", "lessons/02-rnn-cell/")
    new = browser.new_page(viewport=PHONE, color_scheme="dark")
    visit(new, lesson)
    expected = new.evaluate(kept)
    close(new)

    first = browser.tab()
    first.route(lesson, lambda route: route.fulfill(body="<p>routed</p>", content_type="text/html"))
    first.goto(lesson)
    assert first.locator("p").inner_text() == "routed"
    visit(first, url(server, "en", "lessons/03-rnn-layer/"))
    to_dark(first)                                           # Material keeps the reader's scheme in localStorage
    first.evaluate("""async () => {
        localStorage.setItem("left", "1");
        sessionStorage.setItem("left", "1");
        await (await caches.open("left")).put("/left", new Response("1"));
        await new Promise((done) => { indexedDB.open("left").onsuccess = done; });
        document.cookie = "left=1; path=/";
        setTimeout(() => { throw new Error("left behind"); });
    }""")
    first.wait_for_function("() => true")
    assert any("left behind" in e for e in first.errors)
    assert first.evaluate("localStorage.getItem('left')") == "1"

    again = browser.tab(viewport=PHONE, color_scheme="dark")
    assert again is first and again.errors == [] and again.url == "about:blank"
    visit(again, lesson)
    assert again.locator("article h1").count() == 1                          # no longer routed
    assert again.requested[0] == lesson and lesson not in again.requested[1:]     # its own requests only
    assert again.evaluate(kept) == expected
    assert expected[5:] == [PHONE["width"], True]
    assert browser.tab().evaluate("() => [innerWidth, matchMedia('(prefers-color-scheme: dark)').matches]") \
        == [DESKTOP["width"], False]
