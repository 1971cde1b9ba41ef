"""Formulas rendered at build time with the site's pinned KaTeX (book/katex.py): no KaTeX JavaScript
in the pages. A formula KaTeX cannot parse fails the build, naming the page and the formula."""
from mkdocs.exceptions import PluginError

from book import Book, katex


def on_page_content(content, page, config, files):
    try:
        return katex.render_page(Book.of(config), content)
    except ValueError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
