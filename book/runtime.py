"""The in-page runner's runtime as this checkout holds it: the facts that book/pyodide.py (the mirror),
book/library_wheel.py (the book's wheel), book/stdlib.py and the hooks share. It imports no other module of the
book, so that each of them can import it.

    pyodide_folder(book)   node_modules/pyodide: the Pyodide release that package-lock.json pins, as npm installed it
    version(book)          that release's version ("314.0.3")
    packages_folder(book)  pyodide-packages/ (PACKAGES): the site's lock, the book's wheel, numpy after `make mirror`
    lock_file(book)        the site's lock in it: Pyodide's, plus the book's wheel
"""
import json

PACKAGES = "pyodide-packages"                   # served as vendor/pyodide-packages/ (hooks/vendor.py)


def pyodide_folder(book):
    """The Pyodide release package-lock.json pins, as npm installed it."""
    return book.root / "node_modules" / "pyodide"


def version(book):
    """The Pyodide release that package-lock.json pins, as npm installed it."""
    return json.loads((pyodide_folder(book) / "package.json").read_text())["version"]


def packages_folder(book):
    return book.root / PACKAGES


def lock_file(book):
    """The site's lock: the one the runner loads."""
    return packages_folder(book) / "pyodide-lock.json"
