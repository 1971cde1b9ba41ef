"""The whole book as one PDF per language (issue 24, item 1; book/pdf.py): made once per session from the test
site, then read with pypdf and poppler's pdftotext and pdffonts as a reader's tools would.

The PDFs go to test-artifacts/pdf/ (look at them). The lessons, their titles, formulas, outputs and figures are
found in the nav, the pages and the built site, never listed here.
"""
import html
import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from book import html as book_html
from book import pdf
from book.browser import DESKTOP, PHONE, serve
from book.pages import Page
from conftest import BOOK, LANGS, ROOT, page_path
from reader import shot

OUT = ROOT / "test-artifacts" / "pdf"
MAX_BYTES = 15_000_000
OUTPUT = re.compile(r'```text title="[^"]*"\n[ \t]*--8<-- "([^"]+)"')
WINDOW = 12                  # characters of an answer's words that must be found together
ANSWERS = re.compile(r'^\s*\?\?\? success "([^"]+)"\n+\s*(\S.*)$', re.M)   # an answer's title, its first line
H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
DOWNLOAD = {"zh": "下载 PDF（{}）", "en": "Download PDF ({})"}
CJK = re.compile(r"[\u3400-\u9fff]")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or pdf.missing_tools() is not None,
                                reason="needs poppler-utils and fonts-droid-fallback: make pdf-tools")


def plain(text):
    """Text as compared: NFKC (a PDF may map CJK glyphs to compatibility code points), no spaces."""
    return re.sub(r"[\s\u200b]+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="session")
def made(site, browser):
    """Both PDFs, printed once from the test site as `make pdf` prints them from site/ (served on a port of its
    own, not at the site's published address, the test server's), into test-artifacts/pdf/."""
    return pdf.make(BOOK, site, OUT, browser=browser)


@pytest.fixture(scope="session")
def pages_text(made):
    """{lang: [text of each page]}, as pdftotext reads it."""
    return {lang: subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
            .stdout.split("\f")[:-1] for lang, path in made.items()}


def outline_of(reader):
    """The PDF's outline as [(title, first page number, [children])]."""
    def walk(items):
        tree = []
        for item in items:
            if isinstance(item, list):
                tree[-1] = (*tree[-1][:2], walk(item))
            else:
                tree.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return tree
    return walk(reader.outline)


def starts(reader, lang):
    """{page of the nav: its first page number}, from the outline entries that stand for the nav's pages."""
    found = {}

    def walk(entries, nav):
        for (_title, number, children), (_nav_title, page, nav_children) in zip(entries, nav):
            if page:
                found[page] = number
            else:
                walk(children, nav_children)
    walk(outline_of(reader), in_pdf(lang))
    return found


def in_pdf(lang):
    """The nav as the PDF must follow it, from mkdocs.yml and the pages' front matter: what `pdf: false` leaves."""
    def keep(items):
        kept = []
        for title, page, children in items:
            children = keep(children)
            if (page and Page(BOOK, lang, page).meta.get("pdf", True)) or (page is None and children):
                kept.append((title, page, children))
        return kept
    return keep(BOOK.nav_tree(lang))


def walk_nav(nav):
    for title, page, children in nav:
        yield title, page, children
        yield from walk_nav(children)


def sections(site, lang, page):
    """The h2 headings of a built page, as its outline entry's children must be."""
    built = (site / BOOK.url(lang, page) / "index.html").read_text(encoding="utf-8")
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", body))).split())
            for _id, body in H2.findall(built)]


def formulas(built):
    """The visible text of every formula of a built page (what KaTeX's katex-html holds), plain."""
    found, depth, text = [], 0, None
    for chunk, _ in book_html.tokens(built):
        if text is None:
            if 'class="katex-html"' in chunk:
                text, depth = [], 1
            continue
        tag = re.match(r"<(/?)span\b", chunk)
        if tag:
            depth += -1 if tag[1] else 1
            if depth == 0:
                found.append(plain("".join(text)))
                text = None
        elif not chunk.startswith("<"):
            text.append(html.unescape(chunk))
    return found


def lesson_pages(reader, texts, lang):
    """{slug: text of the lesson's pages}, from its first page to the next nav page's."""
    first = starts(reader, lang)
    order = sorted(first.values()) + [len(texts) + 1]
    return {slug: "\n".join(texts[first[BOOK.lesson_page(slug)] - 1:
                                  order[order.index(first[BOOK.lesson_page(slug)]) + 1] - 1])
            for slug in BOOK.lessons()}


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_made_and_small_enough(made, lang):
    size = made[lang].stat().st_size
    reader = PdfReader(made[lang])
    print(f"{made[lang].name}: {len(reader.pages)} pages, {size / 1e6:.1f} MB")
    assert 0 < size <= MAX_BYTES
    assert reader.metadata.title == BOOK.setting(lang, "site_name")
    assert reader.trailer["/Root"]["/Lang"] == lang


@pytest.mark.parametrize("lang", LANGS)
def test_the_outline_is_the_nav(made, site, lang):
    """The outline is the nav (the i18n plugin's titles), less the pages whose front matter says `pdf: false`
    (the playground), each page with its sections (h2) below it; the pages follow one another in nav order."""
    reader = PdfReader(made[lang])

    def titles(entries):
        return [(title, titles(children)) for title, _number, children in entries]

    def expected(nav):
        return [(title, expected(children) if page is None else [(h, []) for h in sections(site, lang, page)])
                for title, page, children in nav]
    assert titles(outline_of(reader)) == expected(in_pdf(lang))
    first = starts(reader, lang)
    assert list(first) == pdf.pages(BOOK) == [p for p in BOOK.nav_pages() if p != "playground.md"]
    assert list(first.values()) == sorted(first.values())


@pytest.mark.parametrize("lang", LANGS)
def test_the_text_holds_every_lesson_in_order(made, pages_text, site, lang):
    """pdftotext finds each lesson's title on its first page, one of its formulas as the site shows it, the first
    line of its first printed output and of every runnable block's output, and its answers, each within the
    lesson's pages, which follow in nav order."""
    reader = PdfReader(made[lang])
    texts = pages_text[lang]
    by_lesson = lesson_pages(reader, texts, lang)
    first = starts(reader, lang)
    for slug in BOOK.lessons():
        lesson = Page(BOOK, lang, BOOK.lesson_page(slug))
        text = plain(by_lesson[slug])
        assert plain(lesson.title) in plain(texts[first[lesson.page] - 1]), f"{slug}: title not on its first page"
        shown = [f for f in formulas(page_path(site, lang, f"lessons/{slug}").read_text(encoding="utf-8"))
                 if len(f) >= 4]
        if shown:
            assert any(f in text for f in shown), f"{slug}: none of its {len(shown)} formulas' text is in the PDF"
        outputs = OUTPUT.findall(lesson.text)
        for include in outputs[:1] + [f"snippets/out/{s.split('/')[-1][:-3]}.txt" for s in lesson.runnable]:
            line = next(x for x in (ROOT / include).read_text(encoding="utf-8").splitlines() if x.strip())
            assert plain(line) in text, f"{slug}: the output line {line!r} ({include}) is not printed"
        title_at = text.index(plain(lesson.title))
        if outputs:
            line = next(x for x in (ROOT / outputs[0]).read_text(encoding="utf-8").splitlines() if x.strip())
            assert text.index(plain(line), title_at) > title_at
        answers = ANSWERS.findall(lesson.body)
        for title in {title for title, _ in answers}:
            assert text.count(plain(title)) >= [t for t, _ in answers].count(title), f"{slug}: not every answer"
        for _title, answer in answers:   # a run of its plain words (code and formulas wrap apart in the text)
            words = plain(max(re.split(r"[*_|()\[\]]", re.sub(r"\$[^$]*(\$|$)|`[^`]*(`|$)", "|", answer)), key=len))
            assert any(words[i:i + WINDOW] in text for i in range(max(1, len(words) - WINDOW + 1))), \
                f"{slug}: the answer {answer!r} is not printed"


@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_numbered_in_the_footer(pages_text, lang):
    texts = pages_text[lang]
    assert not re.search(r"\n1\s*$", texts[0]), "the cover has no number"
    for number in range(2, len(texts) + 1):
        assert texts[number - 1].rstrip().endswith(str(number)), f"page {number} does not end with its number"


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_and_the_contents(made, pages_text, lang):
    cover = plain(pages_text[lang][0])
    assert plain(BOOK.setting(lang, "site_name")) in cover
    assert all(plain(BOOK.language_name(other)) in cover for other in LANGS)
    assert "CCBY4.0" in cover and "MIT" in cover
    made_from = pdf.commit(BOOK)
    assert made_from is None or made_from[0] in cover
    reader = PdfReader(made[lang])
    first = starts(reader, lang)
    contents = plain("".join(pages_text[lang][1:min(first.values()) - 1]))
    titles = {page: title for title, page, _ in walk_nav(in_pdf(lang))}
    for page, number in first.items():
        assert plain(titles[page]) in contents and str(number) in contents


@pytest.mark.parametrize("lang", LANGS)
def test_links_jump_inside_the_pdf(made, server, lang):
    """The contents' links and the lessons' links to other lessons are jumps to their pages (a heading's own
    page when the link names one); a link to a page of the site that is not in the PDF (the playground) leads to
    its published address (the test site's is the test server), not to the server it was printed from."""
    reader = PdfReader(made[lang])
    first = starts(reader, lang)
    jumps, uris = [], []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Dest"):
                jumps.append((number, reader.get_page_number(annot["/Dest"][0].get_object()) + 1))
            elif annot.get("/A") and annot["/A"].get("/URI"):
                uris.append(str(annot["/A"]["/URI"]))
    contents = [to for at, to in jumps if at < min(first.values())]
    assert set(first.values()) <= set(contents), "a page of the nav has no link in the contents"
    lessons = [(at, to) for at, to in jumps if at >= min(first.values())]
    assert any(to != at for at, to in lessons), "no link between the book's pages jumps inside the PDF"
    local = [u for u in uris if u.startswith("http://127.0.0.1:")]
    assert local and all(u.startswith(server) for u in local), f"links to where the PDF was printed from: {local}"
    bptt = BOOK.lesson_page(next(s for s in BOOK.lessons() if "bptt" in s))
    after = sorted(first.values())
    end = after[after.index(first[bptt]) + 1]
    assert any(first[bptt] < to < end for _at, to in lessons), "no link to a heading inside the BPTT lesson"


def test_chinese_is_in_an_embedded_cjk_font(made):
    """pdffonts lists the CJK font, embedded; no glyph of a Chinese character is drawn as a Type 3 shape."""
    fonts = subprocess.run(["pdffonts", str(made["zh"])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    cjk = [row for row in rows if pdf.CJK_FONT.replace(" ", "") in row[0]]
    assert cjk and all(row[-5] == "yes" for row in cjk), f"no embedded {pdf.CJK_FONT}:\n{fonts}"
    reader = PdfReader(made["zh"])
    for page in reader.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3" and font.get("/ToUnicode"):
                assert not CJK.search(cmap_text(font["/ToUnicode"].get_object().get_data())), "CJK as Type 3"


def cmap_text(data):
    """The characters a ToUnicode CMap maps to."""
    return "".join(chr(int(code, 16)) for code in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>", data)
                   for code in [code.decode()][:1])


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_and_widget_is_in_it(made, site, lang):
    """Each lesson's pages hold at least as many pictures (SVG figures as forms, widgets' still images) as
    the built lesson has figures and widgets."""
    reader = PdfReader(made[lang])
    first = starts(reader, lang)
    after = sorted(first.values()) + [len(reader.pages) + 1]
    for slug in BOOK.lessons():
        built = page_path(site, lang, f"lessons/{slug}").read_text(encoding="utf-8")
        figures = len(re.findall(r'<figure class="diagram"', built))
        widgets = len(re.findall(r'class="rnn-widget"', built))
        start = first[BOOK.lesson_page(slug)]
        images = forms = 0
        for page in reader.pages[start - 1:after[after.index(start) + 1] - 1]:
            for x in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
                kind = x.get_object().get("/Subtype")
                images += kind == "/Image"
                forms += kind == "/Form"
        assert images >= widgets, f"{slug}: {widgets} widgets, {images} still images"
        assert forms + images >= figures + widgets, f"{slug}: {figures} figures, {forms} drawn"


def test_the_links_show_once_published(made, site, browser, tmp_path):
    """`make pdf` puts the PDFs into the site and their sizes into pdf.js: then the home page and the footer
    link to the PDF of their language with its size, the link serves it, and the offline copy's manifest
    is written again. A site without them (the test site) shows no link."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    sizes = pdf.publish(BOOK, copy, made)
    manifest = json.loads((copy / "offline-manifest.json").read_text())
    assert manifest["files"][pdf.SCRIPT]["size"] == (copy / pdf.SCRIPT).stat().st_size
    with serve(copy) as base:
        for lang in LANGS:
            for viewport, scheme in ((DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")):
                page = browser.tab(viewport=viewport, color_scheme=scheme)
                page.goto(base + BOOK.prefix(lang))
                want = DOWNLOAD[lang].format(f"{sizes[lang][1] / 1e6:.1f} MB")
                for where in (".md-content .book-pdf", ".book-pdf--footer"):
                    link = page.locator(f"{where} a")
                    link.wait_for()
                    assert link.inner_text() == want
                    assert link.get_attribute("href") == base + sizes[lang][0]
                response = page.request.get(base + sizes[lang][0])
                assert response.ok and response.body()[:5] == b"%PDF-"
                page.locator(".book-pdf--footer a").focus()      # with its focus ring
                name = f"{lang}-{viewport['width']}-{scheme}"
                shot(page, f"screenshots/pdf-link-footer-{name}", page.locator(".md-footer-meta"))
                shot(page, f"screenshots/pdf-link-home-{name}", page.locator(".md-content .book-pdf"))


def test_no_link_before_make_pdf(server, page):
    """The test site was built without `make pdf`: no link to a PDF that is not there."""
    page.goto(server)
    page.wait_for_function("() => document.querySelector('.book-offline--footer:not([hidden])')")
    assert page.locator(".book-pdf").count() == 2
    assert all(page.locator(".book-pdf").nth(i).is_hidden() for i in range(2))
