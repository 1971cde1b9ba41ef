"""Serve pinned front-end packages from node_modules, and the runner's packages, as part of the site.

Nothing comes from a CDN: `npm ci` installs the versions locked in package-lock.json, and this hook adds
their files to the build (and to `mkdocs serve`) under `vendor/<name>/`. Besides npm packages it serves
pyodide-packages/ as vendor/pyodide-packages/: the site's own Pyodide lock and the book's wheel (the library
modules declared in mkdocs.yml with their data: book/library_wheel.py, both committed), and the numpy wheels
that `make mirror` puts beside them (book/pyodide.py). Pyodide's standard library is served compiled to
bytecode (book/stdlib.py: a faster cold boot).
"""
import logging

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from book import Book, library_wheel, runtime, stdlib

# What the runner's worker loads from Pyodide 314: the ES module, the Emscripten module it imports and the
# wasm; and the standard library, compiled (on_files). Its lock is the site's own, in vendor/pyodide-packages/.
PYODIDE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"}
log = logging.getLogger("mkdocs.hooks.vendor")


def _katex(path):
    # KaTeX ships .ttf/.woff as well; browsers that run this site all take .woff2
    return path.suffix in {".js", ".css", ".woff2"} and not path.name.endswith(".mjs")


def folders(book):
    """site folder -> (source folder, which files, required)."""
    return {
        "vendor/katex": (book.root / "node_modules/katex/dist", _katex, True),
        f"vendor/pyodide/{runtime.version(book)}": (runtime.pyodide_folder(book), lambda p: p.name in PYODIDE, True),
        "vendor/pyodide-packages": (runtime.packages_folder(book), lambda p: p.suffix in {".whl", ".zip", ".json"},
                                    True),
    }


def on_pre_build(config):
    """A stale book wheel is a warning, so the strict build (make build, make serve, CI) fails, saying the fix: the
    browser would run the committed, older library."""
    problems = library_wheel.stale(Book.of(config))
    if problems:
        log.warning(f"{'; '.join(problems)}: run `make pyodide-lock` and commit {runtime.PACKAGES}/")


def on_files(files, config):
    book = Book.of(config)
    for folder, (source, wanted, required) in folders(book).items():
        if not source.is_dir():
            if required:
                raise PluginError(f"{source} is missing: run `npm ci` (the Makefile does it for you)")
            continue
        for path in sorted(source.rglob("*")):
            if path.is_file() and wanted(path):
                uri = f"{folder}/{path.relative_to(source).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    uri = f"vendor/pyodide/{runtime.version(book)}/python_stdlib.zip"
    try:
        files.append(File.generated(config, uri, abs_src_path=str(stdlib.compiled(book))))
    except (OSError, RuntimeError) as error:      # no node, or it failed: say so, as for a missing node_modules
        raise PluginError(f"{uri}: {error}") from error
    return files
