"""The book as an installable app: each language's web app manifest and the icons, drawn from the logo by
Chromium (book/manifest.py). overrides/main.html links them from every page; the browser fetches them only to
offer "Install"."""
import logging

from mkdocs.plugins import event_priority

from book import Book, manifest

log = logging.getLogger("mkdocs.hooks.manifest")


def on_config(config):
    """The theme colour for the pages' <meta name="theme-color"> (overrides/main.html), from palette.css."""
    config["extra"]["app_theme_color"] = manifest.colours(Book.of(config))["theme"]
    return config


@event_priority(-100)   # before hooks/offline.py (-300): the offline copy holds what the pages link, the manifest too
def on_post_build(config):
    if not manifest.write(Book.of(config), config.site_dir):
        log.info("no Chromium to draw the app's icons: this build cannot be installed as an app (make chromium)")
