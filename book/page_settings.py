"""What every page's <head> tells its scripts, computed once a build from mkdocs.yml: hooks/page_settings.py keeps
it in `extra.page_settings`, and overrides/main.html only writes it (the template computes nothing).

    {"book":          #__book, read by docs/javascripts/book.js: {"languages": {lang: its root, as extra.alternate
                      links it}, "names": {lang: its name}, "library": [module] (extra.book.library),
                      "runner": {"packages_url", "index_url", "lock_url"}} (docs/javascripts/runner.js)
     "roots":         {lang: its root under the site root, "" for the default}: the app manifest's folder, and
                      the "base" of Material's settings (book/site_index.py writes each language's index there)
     "search_worker": Material's search worker, as its own base.html names it (book/plugins.py)}
"""
from . import plugins, pyodide


def runner(book, extra):
    """The runner's settings: extra.pyodide of mkdocs.yml, completed with the runtime's folder and the site's lock URL,
    both versioned (book/pyodide.py), unless mkdocs.yml sets them."""
    settings = dict(extra.get("pyodide") or {})
    for key, value in pyodide.site_urls(book, settings.get("packages_url", "")).items():
        settings.setdefault(key, value)
    return settings


def compute(book, config):
    extra = config["extra"]
    alternates = extra.get("alternate") or []
    return {
        "book": {"languages": {alt["lang"]: alt["link"] for alt in alternates},
                 "names": {alt["lang"]: alt["name"] for alt in alternates},
                 "library": list(book.library),
                 "runner": runner(book, extra)},
        "roots": {alt["lang"]: alt["link"].replace("./", "") for alt in alternates},
        "search_worker": plugins.Material(config).search_worker(),
    }
