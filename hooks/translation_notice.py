"""Tell readers when a translated page may be out of date: a notice under its title, in its language.

The verdict is book/translations.py's, as in the lesson checker. Nothing is logged, so
`mkdocs build --strict` is not affected by a stale translation (the checker reports it).
"""
from book import Book, translations
from book.pages import Page


def on_page_markdown(markdown, page, config, files):
    book = Book.of(config)
    found = book.page_of(page.file.abs_src_path or "")
    if not found or not found[1].endswith(".md") or not translations.stale(Page(book, *found)):
        return markdown
    return translations.with_notice(markdown, found[0])
