"""Every lesson as a notebook page in both languages, rendered by mkdocs-jupyter, and links to it.

scripts/notebooks.py makes the notebooks (run once per version of their code, cached); this hook
- adds a "笔记本" / "Notebooks" section to the nav, one entry per lesson in the nav;
- adds each notebook as a page at notebooks/<slug>/ (en/notebooks/<slug>/ in English). This runs
  after mkdocs-static-i18n's on_files, because static-i18n rebuilds every file it sees as a plain
  File, and a plain .ipynb is an asset, copied as raw JSON (ultrabug/mkdocs-static-i18n#198);
- puts links under each lesson's title: the notebook page, the .ipynb (mkdocs-jupyter's
  include_source copies it next to the page) and, when repo_url is a GitHub repository, Colab;
- on notebook pages, removes the MathJax and mermaid scripts nbconvert links from a CDN and marks
  the $...$ formulas for hooks/katex.py, which renders them at build time like everywhere else.
"""
import html
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks  # noqa: E402

LESSON = re.compile(r"^(?:\w+/)?lessons/([\w-]+)\.md$")
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
CDN_SCRIPT = re.compile(r'mathjax|mermaid|cdnjs|src=""', re.I)   # MathJax (src="" here), its config, mermaid
MARKDOWN_CELL = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"'
                           r' data-mime-type="text/markdown">)(.*?)(</div>\n</div>\n</div>\n</div>)', re.S)
DISPLAY_MATH = re.compile(r"(?:<p>)?\$\$(.+?)\$\$(?:</p>)?", re.S)
HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")


class NotebookFile(File):
    """A generated .ipynb that is a page; mkdocs-jupyter renders it (it looks at the file's path)."""

    def is_documentation_page(self):
        return True


def _lang(config):
    return config.plugins["i18n"].current_language


def on_config(config):
    """Add the notebooks' section after the lessons' one (nav titles: the notebooks' H1).

    Runs once per language: static-i18n builds each language with mkdocs' build(), which calls it."""
    slugs = notebooks.lesson_slugs()
    title = notebooks.TEXT[notebooks.DEFAULT_LANG]["section"]
    section = {title: [f"notebooks/{s}.ipynb" for s in slugs]}
    nav = [item for item in config.nav or [] if not (isinstance(item, dict) and title in item)]
    at = next((i + 1 for i, item in enumerate(nav) if "lessons/" in str(item)), len(nav))
    config.nav = nav[:at] + [section] + nav[at:]
    return config


@event_priority(-110)  # after static-i18n (-100): see the module docstring
def on_files(files, config):
    lang = _lang(config)
    # mkdocs-jupyter evicts cache entries its build did not use: one folder per language
    jupyter = config.plugins["mkdocs-jupyter"]
    jupyter.config["cache_dir"] = str(ROOT / ".cache" / "mkdocs-jupyter" / lang)
    slugs = notebooks.lesson_slugs()
    if notebooks.can_run():
        notebooks.run_all(slugs, config.site_url or "/")
    i18n = config.plugins["i18n"]
    for slug in slugs:
        notebooks.write(lang, slug, config.site_url or "/")   # the other languages: in their own builds
        # this language's page, and its twins for the sitemap's alternates (instant navigation
        # follows only the links that the sitemap lists)
        twins = {other: _notebook_file(config, other, slug) for other in i18n.build_languages}
        for file in twins.values():
            file.alternates = twins
        files.append(twins[lang])
        i18n.i18n_files_per_language[lang].append(twins[lang])
    return files


def _notebook_file(config, lang, slug):
    path = notebooks.page_path(lang, slug)
    file = NotebookFile.generated(config, f"{lang}/notebooks/{slug}.ipynb", abs_src_path=str(path))
    file.dest_uri = f"{notebooks.prefix(lang)}notebooks/{slug}/index.html"
    return file


def _colab(config, site_path):
    """Colab opens notebooks from GitHub: the deploy workflow pushes the built ones to a branch."""
    repo = re.match(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", config.repo_url or "")
    if not repo:
        return None
    branch = config.extra.get("notebooks", {}).get("colab_branch", "notebooks")
    return f"https://colab.research.google.com/github/{repo[1]}/blob/{branch}/{site_path}"


def _links(config, lang, slug, here):
    """HTML links from page `here` (a URL) to the lesson's other forms: page, notebook, .ipynb, Colab."""
    text = notebooks.TEXT[lang]
    prefix = notebooks.prefix(lang)
    up = "../" * here.count("/")
    ipynb = f"{prefix}notebooks/{slug}/{slug}.ipynb"
    links = [(f"{prefix}lessons/{slug}/", text["page"], ""),
             (f"{prefix}notebooks/{slug}/", text["notebook"], ""),
             (ipynb, text["download"], f' download="{slug}.ipynb"')]
    items = [f'<a href="{up}{href}"{extra}>{html.escape(label)}</a>' for href, label, extra in links
             if href != here]
    if colab := _colab(config, ipynb):
        items.append(f'<a href="{colab}">{html.escape(text["colab"])}</a>')
    return f'<p class="notebook-links">{" · ".join(items)}</p>'


def on_page_markdown(markdown, page, config, files):
    lesson = LESSON.match(page.file.src_uri)
    if not lesson:
        return markdown
    lines = markdown.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines.insert(title + 1, "\n" + _links(config, _lang(config), lesson[1], page.url) + "\n")
    return "\n".join(lines)


def _flat(toc):
    for anchor in toc:
        yield anchor.id
        yield from _flat(anchor.children)


def _anchors(content, toc):
    """nbconvert gives headings without Latin letters an empty id: use the ids of the page's TOC."""
    headings = list(HEADING.finditer(content))
    ids = list(_flat(toc))
    if len(headings) != len(ids):
        return content
    ids = iter(ids)

    def heading(m):
        anchor = next(ids)
        return f'<h{m[1]} id="{anchor}">{m[2]}<a class="anchor-link" href="#{anchor}">'
    return HEADING.sub(heading, content)


def _math(cell):
    cell = DISPLAY_MATH.sub(lambda m: f'<div class="arithmatex">\\[{m[1]}\\]</div>', cell)
    return INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m[1]}\\)</span>', cell)


@event_priority(10)  # before hooks/katex.py renders the marked formulas
def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    content = SCRIPT.sub(lambda m: "" if CDN_SCRIPT.search(m[0]) else m[0], content)
    content = MARKDOWN_CELL.sub(lambda m: m[1] + _math(m[2]) + m[3], content)
    content = _anchors(content, page.toc)
    slug = Path(page.file.src_uri).stem
    return _links(config, _lang(config), slug, page.url) + content
