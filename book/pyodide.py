"""The Pyodide packages the in-page runner loads besides the book's own wheel (numpy and what it needs),
put beside that wheel in the site's package folder, so that no request leaves the site, even on Run.

    python -m book mirror                 # download from Pyodide's CDN into pyodide-packages/
    python -m book mirror --from DIR      # or copy wheels downloaded earlier from DIR
    python -m book mirror --to site/vendor/pyodide-packages   # or straight into a built site

Every file is checked against the sha256 in the site's lock (pyodide-packages/pyodide-lock.json:
Pyodide's lock, the version package-lock.json pins, plus the book's wheel; book/library_wheel.py, book/runtime.py).
hooks/vendor.py serves pyodide-packages/ as vendor/pyodide-packages/, the `extra.pyodide.packages_url`
of mkdocs.yml: build the site again after this. `make mirror` runs it (`make mirror FROM=DIR` to copy);
the deploy workflow runs it before the build.
"""
import hashlib
import json
import shutil
import sys
import urllib.request
from pathlib import Path

from . import runtime

PACKAGES = ["numpy"]      # what the book's runnable code imports besides the standard library


def cdn_url(book):
    """The CDN folder of the Pyodide release that package-lock.json pins (where its lock's files live)."""
    return f"https://cdn.jsdelivr.net/pyodide/v{runtime.version(book)}/full/"


def site_urls(book, packages_url):
    """The runtime's folder and the lock's URL on the site, each with what changes at each release in it (the
    Pyodide version, the lock's hash): a reader's browser never pairs a new page with an old runtime or lock
    from its HTTP cache (the wheels' names carry their own version). Relative to the site root."""
    urls = {"index_url": f"vendor/pyodide/{runtime.version(book)}/"}
    folder = packages_url.rstrip("/")
    if folder == f"vendor/{runtime.PACKAGES}":                                # the site's own lock
        urls["lock_url"] = f"{folder}/pyodide-lock.json?v={sha256(runtime.lock_file(book))[:12]}"
    return urls


def needed(lock, names):
    """The lock entries of `names` and of everything they depend on."""
    todo, found = list(names), {}
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if name not in lock["packages"]:
            raise SystemExit(f"{name} is not in the lock")
        found[name] = lock["packages"][name]
        todo.extend(found[name].get("depends", []))
    return [found[name] for name in sorted(found)]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package, source, tmp):
    """Put the package's file at `tmp`, from a local folder or a URL."""
    if isinstance(source, Path):
        src = source / package["file_name"]
        if not src.exists():
            raise FileNotFoundError(f"{src} is missing")
        shutil.copyfile(src, tmp)
    else:
        with urllib.request.urlopen(source + package["file_name"], timeout=60) as response, open(tmp, "wb") as f:
            shutil.copyfileobj(response, f)


def mirror(book, args):
    """Fill args.to with args.packages (and what they need), checked against args.lock; exit status."""
    args.to = args.to or runtime.packages_folder(book)
    args.lock = args.lock or runtime.lock_file(book)
    lock = json.loads(args.lock.read_text())
    source = args.source.resolve() if args.source else (args.url or cdn_url(book)).rstrip("/") + "/"
    args.to.mkdir(parents=True, exist_ok=True)
    failed = []
    for package in needed(lock, args.packages):
        target = args.to / package["file_name"]
        if target.exists() and sha256(target) == package["sha256"]:
            print(f"ok      {package['file_name']} (already there)")
            continue
        tmp = target.with_name(target.name + ".part")
        try:
            fetch(package, source, tmp)
        except OSError as error:
            failed.append(f"{package['file_name']}: {error}")
            continue
        if sha256(tmp) != package["sha256"]:
            tmp.unlink()
            failed.append(f"{package['file_name']}: sha256 differs from the lock's {package['sha256']}")
            continue
        tmp.replace(target)
        print(f"ok      {package['file_name']} ({target.stat().st_size / 1e6:.1f} MB, sha256 checked)")
    if (args.to / "pyodide-lock.json").resolve() != args.lock.resolve():
        shutil.copyfile(args.lock, args.to / "pyodide-lock.json")

    if failed:
        print("FAILED  " + "\n        ".join(failed), file=sys.stderr)
        if not args.source:
            print("No internet here? Download the files elsewhere and use --from DIR.", file=sys.stderr)
        return 1
    try:
        shown = args.to.resolve().relative_to(book.root)
    except ValueError:
        shown = args.to
    print(f"\nMirror ready in {shown}/.")
    if args.to.resolve() == runtime.packages_folder(book).resolve():
        print("Build the site again (make build): it serves this folder at extra.pyodide.packages_url.")
    else:
        print("Serve this folder at extra.pyodide.packages_url (mkdocs.yml) with the site's lock beside it.")
    return 0
