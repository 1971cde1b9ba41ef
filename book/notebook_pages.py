"""The notebook pages of the site: where they go, how lessons link to them, what their HTML needs.

hooks/notebook_pages.py wires these into the build; book/notebooks.py makes the notebooks.
"""
import html
import re

from mkdocs.structure.files import File

from . import notebooks
from .html import focusable_code, mark_math, text, with_heading_ids, without_cdn_scripts

LESSON = re.compile(r"^(?:[\w-]+/)?lessons/([\w-]+)\.md$")     # a lesson's src_uri, language folder or not
HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")
GITHUB = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


class NotebookFile(File):
    """A generated .ipynb that is a page; mkdocs-jupyter renders it (it looks at the file's path)."""

    def is_documentation_page(self):
        return True


def with_section(book, nav):
    """The nav with a notebooks section after the lessons' one: one entry per lesson, in order."""
    title = notebooks.TEXT[book.default_language]["section"]
    section = {title: [f"notebooks/{slug}.ipynb" for slug in book.lessons()]}
    nav = [item for item in nav or [] if not (isinstance(item, dict) and title in item)]
    at = next((i + 1 for i, item in enumerate(nav) if "lessons/" in str(item)), len(nav))
    return nav[:at] + [section] + nav[at:]


def files(book, config, slug):
    """{lang: File} of a lesson's notebook page in every language (the site's notebooks/<slug>/)."""
    twins = {}
    for lang in book.languages:
        path = notebooks.page_path(book, lang, slug, config.site_url or "/")
        file = NotebookFile.generated(config, f"{lang}/notebooks/{slug}.ipynb", abs_src_path=str(path))
        file.dest_uri = f"{book.prefix(lang)}notebooks/{slug}/index.html"
        twins[lang] = file
    return twins


def colab(repo_url, branch, site_path):
    """Colab opens notebooks from GitHub only: the deploy workflow pushes the built ones to `branch`."""
    repo = GITHUB.match(repo_url or "")
    return f"https://colab.research.google.com/github/{repo[1]}/blob/{branch}/{site_path}" if repo else None


def links(book, lang, slug, here, repo_url=None, branch="notebooks"):
    """HTML links from the page at `here` (a site path) to the lesson's other forms: page, notebook,
    .ipynb and, when the repository is on GitHub, Colab."""
    text = notebooks.TEXT[lang]
    up = "../" * here.count("/")
    prefix = book.prefix(lang)
    ipynb = f"{prefix}notebooks/{slug}/{slug}.ipynb"
    targets = [(book.url(lang, book.lesson_page(slug)), text["page"], ""),
               (f"{prefix}notebooks/{slug}/", text["notebook"], ""),
               (ipynb, text["download"], f' download="{slug}.ipynb"')]
    items = [f'<a href="{up}{href}"{extra}>{html.escape(label)}</a>' for href, label, extra in targets
             if href != here]
    if url := colab(repo_url, branch, ipynb):
        items.append(f'<a href="{url}">{html.escape(text["colab"])}</a>')
    return f'<p class="notebook-links">{" · ".join(items)}</p>'


def under_title(markdown, block):
    """A page's Markdown with `block` right under its first `# ` title."""
    lines = markdown.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines.insert(title + 1, "\n" + block + "\n")
    return "\n".join(lines)


def page_html(content, toc_ids, lang):
    """nbconvert's HTML made a page of this site in `lang`: no CDN scripts, formulas for KaTeX, the TOC's
    ids, code cells that a keyboard can reach and scroll."""
    html = with_heading_ids(mark_math(without_cdn_scripts(content)), toc_ids)
    return focusable_code(html, notebooks.TEXT[lang]["code"])


def anchors(toc):
    """The TOC's entries, in page order."""
    for anchor in toc:
        yield anchor
        yield from anchors(anchor.children)


def flat(toc):
    return (anchor.id for anchor in anchors(toc))


def with_heading_titles(toc, page_html):
    """Title every TOC entry with its heading's text: mkdocs-jupyter's TOC leaves out what a heading holds
    in `code` (`## `batch_first=True`` became an empty, unnamed link). Unchanged unless the counts agree."""
    titles = [html.escape(text(TAG.sub("", ANCHOR_LINK.sub("", m[2])))) for m in HEADING.finditer(page_html)]
    entries = list(anchors(toc))
    if len(titles) == len(entries):
        for entry, title in zip(entries, titles):
            entry.title = title


def with_slugs(toc, slugify):
    """Give every TOC entry the id that the site's Markdown gives a heading of its title (mkdocs.yml's toc
    `slugify`, made unique as the toc extension does), instead of mkdocs-jupyter's own (`_1`, `_2`, ... for a
    heading without Latin letters): a notebook page's anchors are its lesson's, and they say something."""
    from markdown.extensions.toc import unique
    ids = set()
    for entry in anchors(toc):
        entry.id = unique(slugify(html.unescape(entry.title), "-"), ids)
