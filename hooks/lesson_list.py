"""The home page's list of lessons, made from the nav: a new lesson appears there without a hand edit.

A page asks for the list with a line `<!-- lessons -->`; it becomes a numbered list of every lesson in the
nav, each with its first figure as a thumbnail, its title in the page's language and the one line of its
front matter's `summary` (book/pages.py: lesson_cards).
"""
from book import Book
from book.pages import lesson_cards

MARKER = "<!-- lessons -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    book = Book.of(config)
    lang, name = book.page_of(page.file.abs_src_path)
    return markdown.replace(MARKER, lesson_cards(book, lang, name))
