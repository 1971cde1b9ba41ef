"""Figures from what snippets print: every `<div class="book-chart" ...>` becomes an inline SVG (book/charts.py)."""
from book import Book, charts


def on_page_content(html, page, config, files):
    if 'class="book-chart"' not in html:
        return html
    book = Book.of(config)
    return charts.render(html, book.outputs)
