"""Keep code listings, and the notebook pages, out of the search index; then one index and one sitemap per
language (book/site_index.py), so that an English reader's search finds English pages and the language
selector finds the same page in the other language.

Every lesson shows the same included snippets in both languages, and the listings made up a
third of the index that each page downloads on load. Prose, headings and inline `code` stay
searchable; the blocks of code do not (they are one click away on the lesson that shows them).
The notebook pages (hooks/notebook_pages.py) repeat their lesson's text: searching finds the
lesson, whose title links to its notebook.
"""
import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

from book import Book, site_index

PRE = re.compile(r"<pre>.*?</pre>", re.S)


@event_priority(-200)   # after the search plugin and static-i18n have written the merged index
def on_post_build(config):
    book = Book.of(config)
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        notebooks = tuple(f"{book.prefix(lang)}notebooks/" for lang in book.languages)
        data = json.loads(index.read_text(encoding="utf-8"))
        data["docs"] = [doc for doc in data["docs"] if not doc["location"].startswith(notebooks)]
        for doc in data["docs"]:
            doc["text"] = PRE.sub("", doc["text"])
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    site_index.write_per_language(book, config.site_dir, config.site_url)
