"""A page of the book: its text, front matter, title and the files it includes.

Includes are pymdownx.snippets block includes, one per line, in either quote style:

    --8<-- "snippets/hello_rnn.py"
    --8<-- 'snippets/numpy_nn.py:rnn'        (a section: `# --8<-- [start:rnn]` ... `[end:rnn]`)

This is the one parser of them in the book: the checker, the notebooks and the tests all use it.
"""
import html
import posixpath
import re
import textwrap
from functools import cached_property
from typing import NamedTuple

from mkdocs.utils.meta import get_data

INCLUDE = re.compile(r"""^[ \t]*--8<--[ \t]+(["'])([^"'\n]+)\1[ \t]*$""", re.M)
SECTION = re.compile(r"^[ \t]*# --8<-- \[(start|end):([a-z][-_0-9a-z]*)\][ \t]*$")   # a section's marker in a file
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.svg)\)")   # a Markdown image of an SVG figure
QUIZ = re.compile(r'<div class="quiz"')      # a self-checking exercise (docs/javascripts/widgets/quiz.js)
# A code block readers can run in the browser (docs/javascripts/runner.js), its code included from a snippet
RUNNABLE = re.compile(r'^[ \t]*```\{\.python \.runnable title="([^"]+)"\}\n[ \t]*--8<-- "([^"]+)"', re.M)


class Include(NamedTuple):
    """One `--8<--` line: 'snippets/numpy_nn.py:rnn' -> file 'snippets/numpy_nn.py', section 'rnn'."""
    spec: str
    file: str
    section: str
    line: int       # 1-based line of the page


def includes(text):
    """Every local file a page's text includes, in order (URLs are not files of the book)."""
    found = []
    for m in INCLUDE.finditer(text):
        spec = m[2].strip()
        if "://" in spec:
            continue
        file, _, section = spec.partition(":")
        found.append(Include(spec, file, section, text.count("\n", 0, m.start()) + 1))
    return found


def sections(text):
    """{name: (first line, last line)} of the sections marked in a file's text, 1-based, markers included."""
    found = {}
    for n, line in enumerate(text.split("\n"), 1):
        if m := SECTION.match(line):
            kind, name = m.groups()
            first, last = found.get(name, (n, n))
            found[name] = (first, n) if kind == "end" else (first, last)
    return found


def read_include(book, spec):
    """The text a page shows for an include spec, as pymdownx.snippets makes it (mkdocs.yml: dedent_subsections):
    the whole file without its section markers, or one section, dedented, without markers."""
    file, _, section = spec.partition(":")
    lines = (book.root / file).read_text(encoding="utf-8").rstrip("\n").split("\n")
    if not section:
        return "\n".join(line for line in lines if not SECTION.match(line))
    first, last = sections("\n".join(lines))[section]
    shown = [line for line in lines[first:last - 1] if not SECTION.match(line)]
    return textwrap.dedent("\n".join(shown)).strip("\n")


def split_front_matter(text):
    """(body, meta) of a page's text, as MkDocs reads it (line endings normalised)."""
    return get_data(text.replace("\r\n", "\n"))


class Page:
    """One Markdown page in one language: `Page(book, "en", "lessons/06-bptt.md")`."""

    def __init__(self, book, lang, page):
        self.book, self.lang, self.page = book, lang, page
        self.file = book.page_file(lang, page)

    def __repr__(self):
        return f"Page({self.lang}, {self.page})"

    @cached_property
    def text(self):
        return self.file.read_text(encoding="utf-8")

    @cached_property
    def body(self):
        return split_front_matter(self.text)[0]

    @cached_property
    def meta(self):
        return split_front_matter(self.text)[1]

    @cached_property
    def includes(self):
        return includes(self.text)

    @cached_property
    def runnable(self):
        """The snippets of its runnable blocks ('snippets/np_hello_rnn.py', ...), in page order."""
        return [snippet for _, snippet in RUNNABLE.findall(self.text)]

    @cached_property
    def title(self):
        return next((line[2:].strip() for line in self.body.splitlines() if line.startswith("# ")), None)

    @cached_property
    def figure(self):
        """The docs-relative path of its first SVG figure ('assets/figures/x.svg'), or None."""
        m = FIGURE.search(self.body)
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.page), m[1])) if m else None

    @cached_property
    def quizzes(self):
        """How many self-checking exercises it has."""
        return len(QUIZ.findall(self.body))

    @property
    def url(self):
        """Its path on the site, e.g. 'en/lessons/06-bptt/'."""
        return self.book.url(self.lang, self.page)


def runnable_blocks(book):
    """[(lesson's path on the site in the default language, snippet)] of every runnable block of every lesson."""
    return [(book.url(book.default_language, book.lesson_page(slug)), snippet) for slug in book.lessons()
            for snippet in Page(book, book.default_language, book.lesson_page(slug)).runnable]


def lesson_cards(book, lang, page):
    """Every lesson in the nav as a numbered list of cards, for `page` (docs-relative) in `lang`: the lesson's
    first figure as a thumbnail (a numbered placeholder when it has none), its title linked, and its
    `summary` (what the reader will be able to do): what a `<!-- lessons -->` line of a page becomes
    (hooks/lesson_list.py). Raw HTML, with URLs relative to the page as it is built. Each card names its lesson's
    path in every language and how many self-checking exercises it has (data-path, data-exercises): the home
    page's "continue where you left off" (docs/javascripts/progress.js) counts the answers kept for it."""
    here = book.url(lang, page)                                 # e.g. 'en/'
    items = []
    for n, slug in enumerate(book.lessons(), 1):
        lesson = Page(book, lang, book.lesson_page(slug))
        href = posixpath.relpath(lesson.url, here) + "/"
        if lesson.figure:
            # a shared figure lives in the default language's folder only (static-i18n's fallback)
            owner = lang if book.page_file(lang, lesson.figure).is_file() else book.default_language
            src = posixpath.relpath(book.prefix(owner) + lesson.figure, here)
            thumb = f'<img src="{src}" alt="" loading="lazy">'
        else:
            thumb = f'<span class="book-lesson__placeholder" aria-hidden="true">{n:02d}</span>'
        path = lesson.url[len(book.prefix(lang)):]                   # under the language's root, as Book.path()
        items.append(f'<li class="book-lesson"><div class="book-lesson__thumb">{thumb}</div>'
                     f'<div class="book-lesson__text" data-path="{path}" data-exercises="{lesson.quizzes}">'
                     f'<a href="{href}">{html.escape(lesson.title)}</a>'
                     f'<p>{html.escape(str(lesson.meta.get("summary", "")))}</p></div></li>')
    return '<ol class="book-lessons">\n' + "\n".join(items) + "\n</ol>"
