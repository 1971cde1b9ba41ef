"""The whole book as one PDF in each language (`make pdf`, `python -m book pdf SITE`), printed from the built site.

Chromium prints every page of the nav (but those whose front matter says `pdf: false`: the playground) in the
light scheme with the book's print stylesheet, one PDF each; a cover and a table of contents are printed the same
way, from the home page with its content replaced. pypdf then merges them and adds what one print cannot:
- page numbers in the footer: a blank document of as many pages, printed with Chromium's footer template,
  laid over every page but the cover (they are the PDF viewer's page numbers too);
- the outline (bookmarks), following the nav, each page with its sections (h2);
- links: a link to a page of the book that is in the PDF jumps there (to the heading when it names one: Chromium
  keeps a named destination for every heading); a link to another page of the site (a notebook, the
  playground) goes to its published address (site_url), never to the local server the PDF was printed from.
Widgets print as a still image of their opening state, taken on screen before printing, above the note that
says where to try them. Chinese text is set in Droid Sans Fallback (Debian's fonts-droid-fallback): a TrueType
font, which Chromium embeds as a font; it draws the CFF glyphs of Noto Sans CJK as Type 3 shapes instead.

`make(book, site, out)` writes <out>/<name>-<lang>.pdf for every language; `publish(book, site, made)` puts them
into the built site (pdf/) and their sizes into the built javascripts/pdf.js, which shows "Download PDF" on
the home page and in every footer (and nothing before a `make pdf`), then writes the offline copy's manifest
again (book/offline.py): pdf.js is part of the copy, the PDFs are not.
"""
import base64
import html
import io
import json
import re
import shutil
import subprocess
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urldefrag

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject, TextStringObject

from . import offline
from .pages import Page

NAME = "rnn-basics"                        # <NAME>-<lang>.pdf
FOLDER = "pdf"                             # in the built site
SCRIPT = "javascripts/pdf.js"
SIZES = re.compile(r"const PDFS = \{[^}\n]*\};")   # in SCRIPT: {lang: [file, bytes]}, {} in the source
CJK_FONT = "Droid Sans Fallback"
PAPER = {"format": "A4", "margin": {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}}
LIMIT = 15_000_000                         # bytes, each PDF (the budget: a class can share it)
WAIT_MS = 60_000

TEXT = {
    "zh": {"edition": "简体中文版", "contents": "目录", "built": "构建自提交 {commit}（{date}）",
           "dirty": "，含未提交的改动", "online": "在线阅读（可交互、可运行代码）：",
           "languages": "本书有两个版本：{names}，内容相同。", "widget": "交互演示（开始时的样子），可在网页上操作：",
           "lesson": "第 {n} 课"},
    "en": {"edition": "English edition", "contents": "Contents", "built": "Built from commit {commit} ({date})",
           "dirty": ", with uncommitted changes", "online": "Read it online (interactive, with runnable code): ",
           "languages": "This book is written in {names}, with the same content.",
           "widget": "An interactive demo (as it opens); try it on the web page: ", "lesson": "Lesson {n}"},
}

# The PDF's own style (book/templates/pdf.css): Chinese in CJK_FONT, widgets' still images, cover, contents
STYLE = (Path(__file__).parent / "templates" / "pdf.css").read_text(encoding="utf-8").replace("$CJK_FONT", CJK_FONT)

# Ready to print: fonts loaded, every image loaded (the lazy ones too), every widget built with its data.
READY = """() => document.fonts.status === "loaded"
    && [...document.images].every((img) => img.complete)
    && [...document.querySelectorAll(".rnn-widget")].every((w) => w.dataset.ready)
    && !document.querySelector(".rnn-widget[aria-busy='true']")"""

# Chromium keeps a named destination only for an element that a link of the same page points at (a heading's
# permalink, say): every other element with an id (<a id="..."> in a heading, a footnote) gets a link to it too, in
# a hidden box (it lays out nothing), so that a link from another page of the PDF can jump to it.
ANCHORS = """() => {
    const linked = new Set([...document.querySelectorAll('a[href^="#"]')]
        .map((a) => decodeURIComponent(a.getAttribute("href").slice(1))));
    const box = Object.assign(document.createElement("div"), { hidden: true });
    for (const target of document.querySelectorAll("article [id]")) {
        if (!linked.has(target.id)) box.append(Object.assign(document.createElement("a"), { href: "#" + target.id }));
    }
    document.querySelector("article").append(box);
}"""

FOOTER = ('<div style="width: 100%; text-align: center; font-size: 8pt; color: #757575; '
          'font-family: Helvetica, Arial, sans-serif"><span class="pageNumber"></span></div>')


def missing_tools():
    """What printing the PDFs needs and this machine lacks (a sentence), or None."""
    from .browser import CHROMIUM
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    fc_list = shutil.which("fc-list")
    listed = subprocess.run([fc_list, CJK_FONT, "family"], capture_output=True, text=True).stdout if fc_list else ""
    return None if listed.strip() else f"the font {CJK_FONT} is not installed (Debian: fonts-droid-fallback)"


def file_name(lang):
    return f"{NAME}-{lang}.pdf"


def pages(book):
    """The nav's pages that the PDF holds, in nav order: all but those whose front matter says `pdf: false`."""
    return [page for page in book.nav_pages() if Page(book, book.default_language, page).meta.get("pdf", True)]


def outline(book, lang):
    """The nav as the PDF's outline holds it: [(title, page or None, [children])], pages not in the PDF left
    out, and sections left with none."""
    held = set(pages(book))

    def keep(items):
        kept = []
        for title, page, children in items:
            children = keep(children)
            if page in held or (page is None and children):
                kept.append((title, page, children))
        return kept
    return keep(book.nav_tree(lang))


def commit(book):
    """(short commit, its date, whether the working tree has changes), or None outside a git checkout."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=book.root, capture_output=True, text=True, check=True).stdout
    try:
        head, day = git("log", "-1", "--format=%h %cs").split()
        return head, day, bool(git("status", "--porcelain", "--untracked-files=no").strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return None


# --- printing --------------------------------------------------------------------------------------------
class Part:
    """One printed PDF: a page of the site (or the cover, the contents) and what the merge needs of it."""

    def __init__(self, pdf, url=None, title=None, sections=()):
        self.pdf, self.url, self.title, self.sections = pdf, url, title, list(sections)   # sections: [(id, text)]
        self.reader = PdfReader(io.BytesIO(pdf))
        self.dests = {}                    # id -> (page index in this part, top)
        for name, dest in self.reader.named_destinations.items():
            number = self.reader.get_destination_page_number(dest)
            if number is not None:
                self.dests[name.lstrip("/")] = (number, dest.get("/Top"))

    def __len__(self):
        return len(self.reader.pages)


def _prepare(page, lang, stills=True):
    """The page as the PDF prints it: images loaded, each widget's still image above its note, the PDF's style."""
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach((img) => { img.loading = 'eager'; })")
    page.wait_for_function(READY, timeout=WAIT_MS)
    widgets = page.locator(".rnn-widget")
    for i in range(widgets.count() if stills else 0):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        shot = base64.b64encode(widget.screenshot(type="png", animations="disabled")).decode()
        widget.evaluate("""(w, [src, text]) => {
            const note = w.querySelector(":scope > .rnn-widget__print");
            const img = Object.assign(document.createElement("img"), { src: "data:image/png;base64," + src, alt: "" });
            note.replaceChildren(img, text, Book.published());
        }""", [shot, TEXT[lang]["widget"]])
    page.evaluate(ANCHORS)
    page.add_style_tag(content=STYLE)
    page.wait_for_function(READY, timeout=WAIT_MS)


def _print(page):
    return page.pdf(print_background=True, **PAPER)


def print_page(page, url, lang):
    """A page of the site as a Part: its title and its sections (h2 with an id), for the outline and contents."""
    page.goto(url)
    _prepare(page, lang)
    title, sections = page.evaluate("""() => {
        const text = (h) => [...h.childNodes].filter((n) => !(n.classList && n.classList.contains("headerlink")))
            .map((n) => n.textContent).join("").replace(/\u200b/g, "").trim();
        const article = document.querySelector("article");
        return [text(article.querySelector("h1")),
                [...article.querySelectorAll("h2[id]")].map((h) => [h.id, text(h)])];
    }""")
    return Part(_print(page), url, title, sections)


def print_html(page, home, lang, body):
    """`body` (HTML) printed in the book's style: the home page of `lang` with its article replaced."""
    page.goto(home)
    _prepare(page, lang, stills=False)
    page.evaluate("""(body) => {
        const article = document.querySelector("article");
        article.innerHTML = body;
        const logo = document.querySelector(".md-header .md-logo svg");
        const slot = article.querySelector(".book-pdf-logo");
        if (logo && slot) slot.replaceWith(logo.cloneNode(true));
    }""", body)
    return _print(page)


def cover_html(book, lang, site_root):
    t, made = TEXT[lang], commit(book)
    names = "、".join if lang == "zh" else " and ".join     # the languages, each by its own name
    built = (t["built"].format(commit=made[0], date=made[1]) + (t["dirty"] if made[2] else "")) if made else ""
    e = html.escape
    return (f'<div class="book-pdf-cover"><span class="book-pdf-logo"></span>'
            f'<h1>{e(book.setting(lang, "site_name"))}</h1>'
            f'<p class="book-pdf-cover__lead">{e(book.setting(lang, "site_description") or "")}</p>'
            f'<p>{e(t["edition"])} · {e(t["languages"].format(names=names(map(book.language_name, book.languages))))}'
            f'</p><p>{e(" ".join(str(book.setting(lang, "copyright") or "").split()))}</p>'
            f'<p class="book-pdf-cover__small">{e(t["online"])}<a href="{e(site_root + book.prefix(lang))}">'
            f'{e(site_root + book.prefix(lang))}</a><br>{e(built)}<br>{date.today().isoformat()}</p></div>')


def contents_html(book, lang, base, parts, starts):
    """The table of contents: the outline's entries and each page's sections, linked, with their page numbers
    (`starts`: {page: first page number}; None while the contents is printed to count its pages)."""
    t, e = TEXT[lang], html.escape

    def number(page, section=None):
        if starts is None:
            return "000"
        part = parts[page]
        index = part.dests.get(section, (0, None))[0] if section else 0
        return str(starts[page] + index)

    def items(entries, depth=0):
        rows = []
        for title, page, children in entries:
            if page is None:
                rows.append(f'<li><div class="book-pdf-toc__row book-pdf-toc__section"><span>{e(title)}</span></div>'
                            f'<ol>{items(children, depth + 1)}</ol></li>')
                continue
            url = base + book.url(lang, page)
            label = (t["lesson"].format(n=book.lessons().index(page[len("lessons/"):-3]) + 1) + " · "
                     if page.startswith("lessons/") else "") + title
            subs = "".join(f'<li><div class="book-pdf-toc__row"><a href="{e(url)}#{e(id_)}">{e(text)}</a>'
                           f'<span class="book-pdf-toc__page">{number(page, id_)}</span></div></li>'
                           for id_, text in parts[page].sections) if page.startswith("lessons/") else ""
            rows.append(f'<li><div class="book-pdf-toc__row"><a href="{e(url)}">{e(label)}</a>'
                        f'<span class="book-pdf-toc__page">{number(page)}</span></div>'
                        + (f"<ol>{subs}</ol>" if subs else "") + "</li>")
        return "".join(rows)
    return f'<h1>{e(t["contents"])}</h1><ol class="book-pdf-toc">{items(outline(book, lang))}</ol>'


def page_numbers(page, count):
    """A PDF of `count` blank pages, each with its number in the footer (laid over the book's pages)."""
    blank = '<div style="height: 1px; break-after: page"></div>' * (count - 1) + '<div style="height: 1px"></div>'
    page.set_content(f"<!doctype html><html><body style='margin: 0'>{blank}</body></html>")
    pdf = page.pdf(display_header_footer=True, header_template="<span></span>", footer_template=FOOTER, **PAPER)
    return PdfReader(io.BytesIO(pdf))


# --- merging ------------------------------------------------------------------------------------------------
def _destination(writer, index, top):
    return ArrayObject([writer.pages[index].indirect_reference, NameObject("/XYZ"), NullObject(),
                        FloatObject(top) if top is not None else NullObject(), NullObject()])


def _links(writer, book, lang, base, site_root, parts, starts, where):
    """Every link of the merged PDF: to a page of the PDF (and the heading it names), a GoTo there; to another
    page of the local site, its published address. `where`: [(first page index, Part)] in order."""
    by_url = {base + book.url(lang, page): page for page in parts}

    def target(uri):
        url, fragment = urldefrag(uri)
        url = re.sub(r"index\.html$", "", url)
        if url in by_url:
            page = by_url[url]
            index, top = parts[page].dests.get(fragment, (0, None)) if fragment else (0, None)
            return starts[page] - 1 + index, top
        return None

    for first, part in where:
        for i in range(len(part)):
            for annot in writer.pages[first + i].get("/Annots") or []:
                annot = annot.get_object()
                action = annot.get("/A")
                dest = annot.get("/Dest") or (action.get("/D") if action and action.get("/S") == "/GoTo" else None)
                if isinstance(dest, str) and dest.lstrip("/") in part.dests:     # inside the part, by name
                    index, top = part.dests[dest.lstrip("/")]
                    annot.pop("/A", None)
                    annot[NameObject("/Dest")] = _destination(writer, first + index, top)
                elif action and action.get("/S") == "/URI":
                    uri = str(action["/URI"])
                    found = target(uri)
                    if found:
                        del annot["/A"]
                        annot[NameObject("/Dest")] = _destination(writer, *found)
                    elif uri.startswith(base):
                        action[NameObject("/URI")] = TextStringObject(site_root + uri[len(base):])


def merge(book, lang, base, site_root, cover, contents, parts, numbers):
    """One PDF from the printed parts: cover, contents, then `parts` ({page: Part}, nav order)."""
    writer = PdfWriter()
    where, starts = [], {}
    for part in [cover, contents, *parts.values()]:
        if part.url:
            starts[next(p for p in parts if parts[p] is part)] = len(writer.pages) + 1
        where.append((len(writer.pages), part))
        writer.append(part.reader, import_outline=False)
    for i in range(len(cover), len(writer.pages)):              # the cover has no number
        writer.pages[i].merge_page(numbers.pages[i])
        writer.pages[i].compress_content_streams()                 # merging leaves the page's content unpacked
    _links(writer, book, lang, base, site_root, parts, starts, where)

    def add(entries, parent=None):
        for title, page, children in entries:
            if page is None:
                first = next((starts[p] for p in _pages_of(children)), 1) - 1
                item = writer.add_outline_item(title=title, page_number=first, parent=parent)
                add(children, item)
                continue
            item = writer.add_outline_item(title=title, page_number=starts[page] - 1, parent=parent, is_open=False)
            for id_, text in parts[page].sections:
                index, _top = parts[page].dests.get(id_, (0, None))
                writer.add_outline_item(title=text, page_number=starts[page] - 1 + index, parent=item)
    add(outline(book, lang))
    writer.add_metadata({"/Title": book.setting(lang, "site_name"), "/Subject": book.setting(lang, "site_description")
                         or "", "/Creator": "make pdf (Chromium, pypdf)"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    writer.create_viewer_preferences().display_doctitle = True
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), starts


def _pages_of(entries):
    for _title, page, children in entries:
        if page:
            yield page
        yield from _pages_of(children)


def make_one(book, browser, base, lang):
    """The PDF of `lang` (bytes), printed from the site served at `base`; and {page: first page number}."""
    from .browser import DESKTOP, close
    page = browser.new_page(viewport=DESKTOP, color_scheme="light", device_scale_factor=2)
    try:
        home = base + book.prefix(lang)
        page.goto(home)
        site_root = page.evaluate("() => Book.published(Book.site)")
        parts = {p: print_page(page, base + book.url(lang, p), lang) for p in pages(book)}
        cover = Part(print_html(page, home, lang, cover_html(book, lang, site_root)))
        if len(cover) != 1:
            raise RuntimeError(f"the cover took {len(cover)} pages")
        counted = Part(print_html(page, home, lang, contents_html(book, lang, base, parts, None)))
        starts, first = {}, 1 + len(cover) + len(counted)
        for p, part in parts.items():
            starts[p], first = first, first + len(part)
        contents = Part(print_html(page, home, lang, contents_html(book, lang, base, parts, starts)))
        if len(contents) != len(counted):
            raise RuntimeError(f"the contents took {len(contents)} pages, not the {len(counted)} counted")
        numbers = page_numbers(page, len(cover) + len(contents) + sum(map(len, parts.values())))
        pdf, _ = merge(book, lang, base, site_root, cover, contents, parts, numbers)
        return pdf
    finally:
        close(page)


def make(book, site, out, base=None, langs=None, browser=None):
    """Print the PDF of every language (or `langs`) from the built site at `site` (served at `base`, else here)
    into the folder `out`, with `browser` (book/browser.py's Chromium; else one of its own): {lang: path}."""
    from .browser import chromium, serve
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with (serve(site) if base is None else _given(base)) as base, \
            (_given(browser) if browser is not None else chromium()) as browser:
        made = {}
        for lang in langs or book.languages:
            made[lang] = out / file_name(lang)
            made[lang].write_bytes(make_one(book, browser, base, lang))
    return made


@contextmanager
def _given(base):
    yield base


def publish(book, site, made):
    """Copy the PDFs `made` ({lang: path}) into the built site's pdf/ folder, write their sizes into its pdf.js,
    and the offline copy's manifest again (pdf.js changed). Returns {lang: [site path, bytes]}."""
    site = Path(site)
    (site / FOLDER).mkdir(exist_ok=True)
    sizes = {}
    for lang, path in made.items():
        shutil.copyfile(path, site / FOLDER / file_name(lang))
        sizes[lang] = [f"{FOLDER}/{file_name(lang)}", Path(path).stat().st_size]
    script = site / SCRIPT
    text = script.read_text(encoding="utf-8")
    if not SIZES.search(text):
        raise RuntimeError(f"{SCRIPT} has no `const PDFS = {{...}};` to write the sizes into")
    script.write_text(SIZES.sub(f"const PDFS = {json.dumps(sizes, separators=(',', ':'))};", text, count=1),
                      encoding="utf-8")
    offline.write(book, site)
    return sizes

