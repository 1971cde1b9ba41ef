"""What every page's <head> tells its scripts (#__book: languages, library, the runner's URLs; Material's search
worker): computed by book/page_settings.py into extra.page_settings, which overrides/main.html only writes."""
from book import Book, page_settings


def on_config(config):
    config["extra"]["page_settings"] = page_settings.compute(Book.of(config), config)
    return config
