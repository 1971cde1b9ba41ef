"""The built site: both languages, the same code on both sides, the facts, and nothing off-origin."""
import json
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from answers import DERIVED
from book.pages import Page
from conftest import BOOK, LANGS, page_path

LESSONS = BOOK.lessons()

# Facts the lessons must state, in both languages (issue 2).
FACTS = {
    "lessons/01-weight-sharing": ["204,800", "4,194,304"],
    "lessons/03-rnn-layer": ["[5, 1, 2]", "[3, 1, 2]"],
    "lessons/05-embedding": ["(1, 5)", "(1, 5, 10)", "(1, 5, 8)", "(1, 5, 4)", "(5, 4)"],
}
UI_TEXT = {"zh": "搜索", "en": "Search"}
OFF_ORIGIN = re.compile(r"^(https?:)?//", re.I)
LOADING_TAGS = re.compile(r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>", re.I)
NOT_LOADED = re.compile(r'rel="(canonical|alternate)"')  # links browsers do not fetch
URL_ATTRS = re.compile(r'\b(src|href|data|srcset|poster)\s*=\s*"([^"]*)"', re.I)


def text_of(html):
    """Visible-ish text of a page: tags dropped, entities for brackets restored."""
    text = re.sub(r"<[^>]+>", "", html)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_five_lessons_at_least():
    assert len(LESSONS) >= 5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", sorted(FACTS))
def test_facts_on_the_right_pages(site, lang, page):
    text = text_of(page_path(site, lang, page).read_text(encoding="utf-8"))
    for fact in FACTS[page]:
        assert fact in text, f"{fact} missing from {lang} {page}"


@pytest.mark.parametrize("lang", LANGS)
def test_lessons_built_in_both_languages(site, lang):
    for lesson in LESSONS:
        html = page_path(site, lang, f"lessons/{lesson}").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert UI_TEXT[lang] in html, f"{lang} UI text missing in {lesson}"
        assert "--8<--" not in html, f"an include was not expanded in {lang}/{lesson}"
        assert "TODO" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_language_links_are_the_language_roots(site, lang):
    # extra.alternate in mkdocs.yml: roots in the HTML (Material's instant navigation needs them);
    # book.js then points the selector at the same page (tested in test_browser.py)
    base = "http://book.test/"
    for lesson in LESSONS:
        here = base + BOOK.url(lang, f"lessons/{lesson}.md")
        html = page_path(site, lang, f"lessons/{lesson}").read_text(encoding="utf-8")
        links = {m[1]: urljoin(here, m[0]) for m in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', html)}
        heads = {m[1]: urljoin(here, m[0]) for m in re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="(\w+)"',
                                                               html)}
        roots = {other: base + BOOK.prefix(other) for other in LANGS}
        assert links == heads == roots, (lang, lesson)


def test_nothing_loads_from_another_origin(site):
    bad = []
    for html_file in site.rglob("*.html"):
        for tag in LOADING_TAGS.finditer(html_file.read_text(encoding="utf-8")):
            if NOT_LOADED.search(tag.group(0)):
                continue
            for _, url in URL_ATTRS.findall(tag.group(0)):
                if OFF_ORIGIN.match(url.strip()):
                    bad.append(f"{html_file.relative_to(site)}: {tag.group(0)[:120]}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if OFF_ORIGIN.match(url):
                bad.append(f"{css.relative_to(site)}: {url}")
        assert "@import url(http" not in css.read_text(encoding="utf-8")
    assert not bad, "\n".join(bad[:20])


def test_chinese_search_index_is_segmented(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # lunr's own "zh" language needs jieba in the browser, so it must stay off: jieba runs at build time
    assert index["config"]["lang"] == ["en"]
    docs = [d for d in index["docs"] if d["location"].startswith("lessons/01-weight-sharing")]
    assert docs, "lesson 1 is not in the search index"
    # jieba marks word boundaries with U+200B, so 权重/共享 are separate search terms
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    assert "权重\u200b共享" in text


@pytest.mark.parametrize("lang", LANGS)
def test_math_is_rendered_at_build_time(site, lang):
    # hooks/katex.py: KaTeX's HTML in the page, no KaTeX JavaScript, no TeX left for the reader to see
    for lesson in LESSONS:
        html = page_path(site, lang, f"lessons/{lesson}").read_text(encoding="utf-8")
        assert "katex.min.js" not in html and "auto-render" not in html
        prose = text_of(re.sub(r"<(pre|code|annotation)\b.*?</\1>", "", html, flags=re.S))
        for raw in (r"\(", r"\[", "$"):
            assert raw not in prose, f"unrendered TeX ({raw}) in {lang}/{lesson}"
    html = page_path(site, lang, "lessons/02-rnn-cell").read_text(encoding="utf-8")
    assert html.count('class="arithmatex"') == html.count('<span class="katex">') > 10


# Numbers a page quotes in its prose (4 decimals: losses) must be numbers some snippet prints, or be
# derived in tests/answers.py, so prose cannot drift from the code.
QUOTED = re.compile(r"\b\d+\.\d{4}\b")


def test_numbers_quoted_in_prose_are_printed_or_derived():
    printed = set(QUOTED.findall("".join(p.read_text() for p in BOOK.outputs.glob("*.txt"))))
    quoted = {n for lang in LANGS for page in BOOK.pages(lang) for n in QUOTED.findall(Page(BOOK, lang, page).text)}
    unexplained = quoted - printed - set(DERIVED)
    assert not unexplained, f"numbers in prose that no snippet prints: {sorted(unexplained)}"
    for number in sorted(quoted & set(DERIVED)):
        assert f"{DERIVED[number]():.4f}" == number, number


# The same for numbers with 2 decimals (perplexities, accuracies, factors) and in scientific notation with a decimal
# mantissa ($4.3 \times 10^{-2}$ or 4.3e-02, as the snippets print it): printed by a snippet, a constant of a snippet's
# code (lr=0.05), or derived in tests/answers.py. Powers of ten alone ($10^{-23}$) are orders of magnitude, not checked.
TWO_DECIMALS = re.compile(r"(?<![\d.])\d+\.\d{2}(?!\d|\.\d)")
SCIENTIFIC = re.compile(r"(?<![\d.])(\d+\.\d+)(?:\s*\\times\s*10\^\{?|e)([+-]?\d+)")


def numbers_in(text):
    """The 2-decimal numbers of a text, and its numbers in scientific notation written one way (4.3e-2)."""
    return set(TWO_DECIMALS.findall(text)) | {f"{m}e{int(e)}" for m, e in SCIENTIFIC.findall(text)}


def derived_as_quoted(number):
    value = DERIVED[number]()
    return value if isinstance(value, str) else f"{value:.{len(number.split('.')[1])}f}"


def test_numbers_with_two_decimals_or_an_exponent_are_printed_or_derived():
    code = [*BOOK.outputs.glob("*.txt"), *BOOK.snippets.glob("*.py")]
    printed = numbers_in("\n".join(p.read_text(encoding="utf-8") for p in code))
    quoted = {n for lang in LANGS for page in BOOK.pages(lang) for n in numbers_in(Page(BOOK, lang, page).text)}
    assert {"45.71", "1.9e-23"} <= quoted                     # both kinds are found (lessons 7 and 8)
    unexplained = quoted - printed - set(DERIVED)
    assert not unexplained, f"numbers in prose that no snippet prints: {sorted(unexplained)}"
    for number in sorted(quoted & set(DERIVED)):
        assert derived_as_quoted(number) == number, number


# --- the home page (hooks/lesson_list.py) and the footer ---------------------------------------------
FOOTER_WORDS = {"zh": ("许可", "Lessons"), "en": ("Lessons", "许可")}    # (in its footer, not in it)


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_shows_every_lesson_with_its_figure_and_summary(site, lang):
    home = site / BOOK.prefix(lang) / "index.html"
    html = home.read_text(encoding="utf-8")
    cards = re.findall(r'<li class="book-lesson">(.*?)</li>', html, re.S)
    assert len(cards) == len(LESSONS)                      # every lesson in the nav, in its order
    for slug, card in zip(LESSONS, cards):
        lesson = Page(BOOK, lang, BOOK.lesson_page(slug))
        assert f'href="lessons/{slug}/">{lesson.title}</a>' in card.replace("&gt;", ">")
        assert lesson.meta["summary"] in text_of(card)
        if lesson.figure:                                  # its first figure, as it is served
            src = re.search(r'<img src="([^"]+)"', card)[1]
            assert (home.parent / src).resolve().is_file(), src
        else:
            assert "book-lesson__placeholder" in card
    assert 'data-widget="' in html                         # a live taste of the book
    assert 'href="playground/"' in html
    footer = re.search(r'<div class="md-copyright__highlight">(.*?)</div>', html, re.S)[1]
    word, other = FOOTER_WORDS[lang]
    assert word in footer and other not in footer, footer


# --- anchors: a heading's id is its own words, and every link to a section finds it (issue 22) -------------------
HEADING_ID = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.S)
NUMBERED_ID = re.compile(r"^_\d+$")     # Python-Markdown's default slug for a heading without Latin letters
HAN = re.compile(r"[\u4e00-\u9fff]")
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*#[^"]+)"')


@pytest.mark.parametrize("lang", LANGS)
def test_headings_have_anchors_made_of_their_own_words(site, lang):
    """`#梯度消失与梯度爆炸`, not `#_3`, on lesson and notebook pages alike: a shared link says where it goes, and stays
    put when another heading is added before it. A lesson's notebook page uses its lesson's anchors."""
    for lesson in LESSONS:
        ids = {}
        for page in (f"lessons/{lesson}", f"notebooks/{lesson}"):
            headings = HEADING_ID.findall(page_path(site, lang, page).read_text(encoding="utf-8"))
            ids[page] = [i for level, i, _ in headings if level == "2"]
            for _, anchor, heading in headings:
                assert not NUMBERED_ID.match(anchor), (lang, page, anchor)
                assert bool(HAN.search(anchor)) == bool(HAN.search(text_of(heading))), (lang, page, anchor, heading)
        assert ids[f"lessons/{lesson}"] == ids[f"notebooks/{lesson}"], (lang, lesson)


def test_every_link_to_a_section_finds_it(site):
    """Links with a #fragment within the site (the pages' own, the TOC's, the hooks') point at an id on the page
    they name. (mkdocs.yml's validation makes the strict build fail for the Markdown's links; this covers the rest.)"""
    ids, missing = {}, []
    pages = sorted(site.rglob("*.html"))
    for html_file in pages:
        ids[html_file] = set(re.findall(r'\bid="([^"]+)"', html_file.read_text(encoding="utf-8")))
    for html_file in pages:
        for href in LINK.findall(html_file.read_text(encoding="utf-8")):
            url = urlsplit(href.replace("&amp;", "&"))
            if url.scheme or url.netloc:
                continue
            target = (html_file.parent / unquote(url.path)).resolve() if url.path else html_file
            if target.is_dir() or not target.suffix:
                target = target / "index.html"
            if target in ids and unquote(url.fragment) not in ids[target]:
                missing.append(f"{html_file.relative_to(site)}: {href}")
    assert not missing, "\n".join(missing[:20])
