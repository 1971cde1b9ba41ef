"""Printing a lesson (Ctrl+P, Save as PDF): Chromium prints two lessons in each language to PDF (page.pdf),
from the dark scheme, and the PDF holds the lesson: both code tabs with their labels, an output, formulas
(KaTeX's fonts embedded), figures; no navigation, no runner buttons, widgets as a note; light colours.
The PDFs go to test-artifacts/print/ (look at them). The lessons are found in the nav, never listed here.
"""
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from book.browser import DESKTOP, close
from book.pages import Page
from conftest import BOOK, LANGS, ROOT
from conftest import page_url as url
from reader import visit

OUT = ROOT / "test-artifacts" / "print"
PRINTED = 2                                   # lessons printed in each language
TABS = ("PyTorch", "NumPy")
OUTPUT = re.compile(r'^```text title="[^"]*"\n[ \t]*--8<-- "([^"]+)"', re.M)
WHITE = "rgb(255, 255, 255)"
HIDDEN_ON_PAPER = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".runner-button",
                   ".md-code__nav")


def printable_lessons():
    """The first lessons of the nav with code tabs, formulas, a figure and an output: what a PDF must hold."""
    found = []
    for slug in BOOK.lessons():
        page = Page(BOOK, BOOK.default_language, BOOK.lesson_page(slug))
        if all(f'=== "{tab}"' in page.text for tab in TABS) and "$" in page.body and page.figure \
                and OUTPUT.search(page.text):
            found.append(slug)
    return found[:PRINTED]


LESSONS = printable_lessons()


def plain(text):
    """Text as compared: NFKC (a PDF may map CJK glyphs to compatibility code points), no spaces."""
    return re.sub(r"[\s\u200b]+", "", unicodedata.normalize("NFKC", text))


def test_two_lessons_are_printable():
    assert len(LESSONS) == PRINTED


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", LESSONS)
def test_a_lesson_prints_to_pdf(server, browser, lang, slug):
    OUT.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=DESKTOP, color_scheme="dark")
    try:
        visit(page, url(server, lang, f"lessons/{slug}/"))
        formulas = page.locator(".arithmatex .katex").count()
        words = set(re.findall(r"[A-Za-z]{3,}", " ".join(page.locator(".arithmatex .katex-html").all_inner_texts())))
        figures = page.locator("figure.diagram img").count()
        widgets = page.locator(".rnn-widget").count()
        pdf = page.pdf(format="A4", print_background=True)
        (OUT / f"{slug}-{lang}.pdf").write_bytes(pdf)
        page.emulate_media(media="print")                  # what the PDF was made from, to ask the page
        assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == WHITE
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == WHITE, "dark mode on paper"
        for selector in HIDDEN_ON_PAPER:
            for i in range(page.locator(selector).count()):
                assert not page.locator(selector).nth(i).is_visible(), f"{selector} is printed"
        for i in range(widgets):
            assert page.locator(".rnn-widget .rnn-widget__print").nth(i).is_visible(), "a widget without its note"
        assert page.locator("figure.diagram img").first.evaluate("i => getComputedStyle(i).filter") == "none"
    finally:
        close(page)

    reader = PdfReader(io.BytesIO(pdf))
    text = plain("\n".join(p.extract_text() for p in reader.pages))
    fonts, forms = set(), 0
    for p in reader.pages:
        resources = p.get("/Resources") or {}
        fonts |= {str(f.get_object().get("/BaseFont")) for f in (resources.get("/Font") or {}).values()}
        forms += sum(x.get_object().get("/Subtype") in ("/Form", "/Image")
                     for x in (resources.get("/XObject") or {}).values())
    lesson = Page(BOOK, lang, BOOK.lesson_page(slug))
    assert plain(lesson.title) in text
    for tab in TABS:
        assert tab in text, f"the {tab} tab's label is not printed"
    output = (ROOT / OUTPUT.search(lesson.text)[1]).read_text(encoding="utf-8")
    line = next(line for line in output.splitlines() if line.strip())
    assert plain(line) in text, f"the output line {line!r} is not printed"
    assert formulas > 0 and any("KaTeX_Math" in f for f in fonts), "no formula printed"
    assert not words or any(word in text for word in words), f"none of the formulas' words {words} printed"
    assert figures > 0 and forms >= figures, "figures missing from the PDF"
    if widgets:
        assert plain(url(server, lang, f"lessons/{slug}/")) in text    # the widget's note says where it lives
