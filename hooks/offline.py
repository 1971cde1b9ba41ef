"""The book "available offline": after the build, the manifest of each language's offline copy, the service
worker, and each page's download size (book/offline.py). Nothing here loads in a page before the reader asks."""
from mkdocs.plugins import event_priority

from book import Book, offline


@event_priority(-300)   # after hooks/search_index.py (-200) has written each language's search index and sitemap
def on_post_build(config):
    offline.write(Book.of(config), config.site_dir)
