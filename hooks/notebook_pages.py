"""Every lesson as a notebook page in every language, rendered by mkdocs-jupyter, and links to it.

`make notebooks` runs the notebooks (book/notebooks.py); the build only reads that cache. This hook
- adds a "笔记本" / "Notebooks" section to the nav, one entry per lesson in the nav;
- writes each lesson's notebook and adds it as a page at notebooks/<slug>/ (en/notebooks/<slug>/), after
  mkdocs-static-i18n's on_files: static-i18n rebuilds every file it sees as a plain File, and a plain
  .ipynb is an asset, copied as raw JSON (ultrabug/mkdocs-static-i18n#198). Plugin internals: book/plugins.py;
- puts links under each lesson's title: the notebook page, the .ipynb (mkdocs-jupyter's include_source
  copies it next to the page) and, when repo_url is a GitHub repository, Colab;
- on notebook pages, drops the scripts nbconvert links from a CDN and marks the formulas for
  hooks/katex.py, which renders them at build time like everywhere else; lets a keyboard reach the code
  cells; and titles the TOC's entries with their headings' whole text (code included), their anchors made
  as the lessons' are (mkdocs.yml's toc slugify).
"""
from mkdocs.plugins import event_priority

from book import Book, notebook_pages, notebooks
from book.plugins import I18n, Jupyter


def on_config(config):
    """Runs once per language: static-i18n builds each language with mkdocs' build(), which calls it."""
    config.nav = notebook_pages.with_section(Book.of(config), config.nav)
    return config


@event_priority(-110)  # after static-i18n (-100): see the module docstring
def on_files(files, config):
    book, i18n = Book.of(config), I18n(config)
    Jupyter(config).cache_in(book.root / ".cache" / "mkdocs-jupyter" / i18n.language)
    for slug in book.lessons():
        notebooks.write(book, i18n.language, slug, config.site_url or "/")
        i18n.add_page(files, notebook_pages.files(book, config, slug))
    return files


def _links(config, slug, here):
    branch = config.extra.get("notebooks", {}).get("colab_branch", "notebooks")
    return notebook_pages.links(Book.of(config), I18n(config).language, slug, here, config.repo_url, branch)


def on_page_markdown(markdown, page, config, files):
    lesson = notebook_pages.LESSON.match(page.file.src_uri)
    if not lesson:
        return markdown
    return notebook_pages.under_title(markdown, _links(config, lesson[1], page.url))


@event_priority(10)  # before hooks/katex.py renders the marked formulas
def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    slug = page.file.src_uri.rsplit("/", 1)[-1][:-len(".ipynb")]
    notebook_pages.with_heading_titles(page.toc, content)
    if slugify := config.mdx_configs.get("toc", {}).get("slugify"):
        notebook_pages.with_slugs(page.toc, slugify)
    html = notebook_pages.page_html(content, notebook_pages.flat(page.toc), I18n(config).language)
    return _links(config, slug, page.url) + html
