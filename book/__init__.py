"""The book's own code: one home for what the hooks, the command line, the tests and the benchmarks share.

One module a line (tests/test_book.py checks that every module is here, and that no module imports, directly or
through others, one that imports it back):

    config.py         Book: languages and URL prefixes, pages and nav, folders, library modules (mkdocs.yml)
    pages.py          a page: text, front matter, title, the files it includes (the one include parser)
    snippets.py       run the snippets, write what they print
    translations.py   translation records and freshness
    checks.py         the lesson checker, a function per rule
    quizzes.py        the exercises' answers proven: torch, rnn-shapes.js in Node, the answer text
    answers.py        the exercises' typed answers, derived from the lessons' code
    notebooks.py      each lesson as a notebook: generate, run, cache
    notebook_pages.py the notebook pages of the site
    html.py           small edits of built HTML
    katex.py          formulas rendered at build time
    charts.py         figures drawn from the tables snippets print
    page_settings.py  what every page's head tells its scripts (#__book: languages, library, the runner's URLs)
    site_index.py     each language's own search index and sitemap
    plugins.py        the adapter over other plugins' internals (static-i18n, mkdocs-jupyter, Material)
    scaffold.py       a new lesson
    weights.py        the initial weights of the seeded PyTorch models, for their NumPy twins
    widget_data.py    the data of the widgets that show a trained model
    runtime.py        the runner's runtime as the checkout holds it: Pyodide's release, the site's package folder
    library_wheel.py  the library modules as a wheel in the site's Pyodide lock (pyodide-build)
    pyodide.py        Pyodide's packages mirrored for the site, the runtime's and the lock's URLs on the site
    stdlib.py         Pyodide's standard library compiled to bytecode, for a faster boot
    offline.py        "available offline": each language's offline copy, its manifest and service worker
    pdf.py            the whole book as one PDF per language (make pdf): Chromium's print, merged by pypdf
    manifest.py       installable: each language's web app manifest, icons drawn from the logo by Chromium
    browser.py        headless Chromium (Playwright) and a local server for a built site
    __main__.py       the command line (python -m book)
"""
from .config import Book

__all__ = ["Book"]
