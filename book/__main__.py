"""The book's command line: `python -m book <command>`, run inside the book (the Makefile's targets).

    check [--fast] [--strict] [--only NAME]   the lesson checker (make check)
    new NAME --title zh=标题 --title en=Title  a new lesson (make lesson)
    mark-translated FILE                      record that a translation is current (make mark-translated)
    outputs [NAME ...]                        run the snippets, write what they print (make outputs)
    notebooks [--list]                        run the lessons' notebooks whose code changed (make notebooks)
    weights                                   the NumPy twins' initial weights and the widgets' data (make weights)
    mirror [--from DIR] [--to DIR] [PACKAGE ...]   Pyodide's packages served by the site (make mirror)
    pyodide-lock                              the book's wheel and the site's Pyodide lock (make pyodide-lock)
    offline SITE                              a built site's offline manifest and service worker, again
    pdf SITE [--out DIR] [--lang LANG]        the whole book as a PDF per language, into the built site (make pdf)
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import (
    Book,
    checks,
    library_wheel,
    notebooks,
    offline,
    pyodide,
    scaffold,
    snippets,
    translations,
    weights,
    widget_data,
)
from .pages import Page


def check(book, args):
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    return checks.report(book, fast=args.fast, strict=args.strict or ci, only=set(args.only))


def new(book, args):
    titles = dict(title.split("=", 1) for title in args.title)
    try:
        slug, changed = scaffold.new_lesson(book, args.name, titles)
    except ValueError as err:
        sys.exit(f"error: {err}")
    translation = Page(book, book.other_languages(book.default_language)[0], book.lesson_page(slug))
    print("created or changed:\n  " + "\n  ".join(changed))
    print(f"next: write the lesson in every language, `make outputs` after changing its snippets, `make serve` "
          f"to preview, `make check` before the pull request; after updating a translation, "
          f"`make mark-translated file={book.rel(translation.file)}`")


def mark_translated(book, args):
    path = Path(args.file).resolve() if str(args.file).strip() else None
    if path is None or not path.is_file() or path.suffix != ".md" or book.docs not in path.parents:
        sys.exit(f"error: {args.file!r}: not a page under docs/ (make mark-translated file=docs/en/lessons/NN-name.md)")
    lang, page = path.relative_to(book.docs).as_posix().split("/", 1)
    try:
        version = translations.mark_translated(Page(book, lang, page))
    except ValueError as err:
        sys.exit(f"error: {book.rel(path)}: {err}")
    source = translations.counterpart(Page(book, lang, page))
    print(f"{book.rel(path)}: translation_of: {version} (the current {book.rel(source.file)})")


def outputs(book, args):
    for path in snippets.write_outputs(book, set(args.names)):
        print(f"wrote {book.rel(path)}")


def run_notebooks(book, args):
    if args.list:
        for name, slug in notebooks.cached_runs(book).items():
            print(name, slug or "(stale: no lesson has this code now)")
        return
    ran = notebooks.run_all(book)
    print(f"ran {ran} of {len(book.lessons())} lessons' notebooks (the others were cached)")


def export_weights(book, args):
    """Runs the lessons' snippets in this process, so it runs where they do: in snippets/, with their folder
    first on the path (`python -m` puts the working folder there), as `python name.py` would."""
    if Path.cwd().resolve() != book.snippets:
        return subprocess.run([sys.executable, "-m", "book", "weights"], cwd=book.snippets).returncode
    import torch
    torch.set_num_threads(1)          # as the snippets run (book/snippets.py: OMP_NUM_THREADS=1)
    try:
        for path in weights.export(book) + widget_data.export(book):
            print(f"wrote {book.rel(path)}")
    except ValueError as err:         # what make weights cannot do, and what to do instead: one line
        sys.exit(f"error: {err}")


def make_pdf(book, args):
    from . import pdf
    missing = pdf.missing_tools()
    if missing:
        sys.exit(f"error: {missing} (make pdf installs it with apt-get)")
    made = pdf.make(book, args.site, args.out or book.root / ".cache" / "pdf", langs=args.lang or None)
    for lang, (url, size) in pdf.publish(book, args.site, made).items():
        print(f"{book.rel(args.site / url) if args.site.resolve().is_relative_to(book.root) else args.site / url}: "
              f"{len(pdf.PdfReader(made[lang]).pages)} pages, {size / 1e6:.1f} MB")
        if size > pdf.LIMIT:
            sys.exit(f"error: {url} is {size / 1e6:.1f} MB, more than the {pdf.LIMIT / 1e6:.0f} MB a PDF may have")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check the book")
    c.add_argument("--fast", action="store_true", help="do not run the snippets to compare their outputs")
    c.add_argument("--strict", action="store_true", help="stale translations are errors (also when $CI is set)")
    c.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this snippet")
    c.set_defaults(run=check)
    n = sub.add_parser("new", help="scaffold a lesson: pages, snippets and outputs, nav entry")
    n.add_argument("name")
    n.add_argument("--title", action="append", default=[], metavar="LANG=TITLE", help="its title in one language")
    n.set_defaults(run=new)
    m = sub.add_parser("mark-translated", help="record that a translation matches its source as it is now")
    m.add_argument("file")
    m.set_defaults(run=mark_translated)
    o = sub.add_parser("outputs", help="run the snippets and write what they print")
    o.add_argument("names", nargs="*", metavar="NAME")
    o.set_defaults(run=outputs)
    b = sub.add_parser("notebooks", help="run the lessons' notebooks whose code changed")
    b.add_argument("--list", action="store_true", help="list the cached runs")
    b.set_defaults(run=run_notebooks)
    w = sub.add_parser("weights", help="export the initial weights and the widgets' data")
    w.set_defaults(run=export_weights)
    p = sub.add_parser("mirror", help="Pyodide's packages, checked against its lock, for the site to serve")
    p.add_argument("--from", dest="source", type=Path, help="copy the files from this folder instead of downloading")
    p.add_argument("--url", default=None, help="download from this base URL (default: Pyodide's CDN)")
    p.add_argument("--to", type=Path, help="mirror folder (default: pyodide-packages/)")
    p.add_argument("--lock", type=Path, help="lock to check against (default: the site's, pyodide-packages/)")
    p.add_argument("packages", nargs="*", default=pyodide.PACKAGES, help="packages (default: numpy)")
    p.set_defaults(run=lambda book, args: pyodide.mirror(book, args))
    lw = sub.add_parser("pyodide-lock", help="the library modules as a wheel in the site's Pyodide lock")
    lw.set_defaults(run=lambda book, args: library_wheel.main(book))
    f = sub.add_parser("offline", help="a built site's offline manifest and service worker, again")
    f.add_argument("site", type=Path, help="the built site's folder")
    f.set_defaults(run=lambda book, args: print(offline.write(book, args.site)["revision"]))
    d = sub.add_parser("pdf", help="the whole book as a PDF per language, printed from a built site")
    d.add_argument("site", type=Path, help="the built site's folder (the PDFs go into its pdf/)")
    d.add_argument("--out", type=Path, help="where to print them first (default: .cache/pdf/)")
    d.add_argument("--lang", action="append", default=[], help="only this language (default: all)")
    d.set_defaults(run=make_pdf)
    args = parser.parse_args(argv)
    return args.run(Book.find(), args) or 0


if __name__ == "__main__":
    sys.exit(main())
