"""A local mirror of the Pyodide packages the in-page runner loads (numpy and what it needs).

With the mirror, no request leaves the site, even when a reader presses Run: for offline
classrooms and for readers who cannot reach Pyodide's CDN.

    python -m book mirror                 # download from Pyodide's CDN into pyodide-packages/
    python -m book mirror --from DIR      # or copy wheels downloaded earlier from DIR
    python -m book mirror --to site/vendor/pyodide-packages   # or straight into a built site

Every file is checked against the sha256 in Pyodide's lock (node_modules/pyodide/pyodide-lock.json,
the version package-lock.json pins), and the lock is copied next to the files. hooks/vendor.py
serves pyodide-packages/ as vendor/pyodide-packages/: then set, in mkdocs.yml,

    extra:
      pyodide:
        packages_url: vendor/pyodide-packages/

and build the site again. `make mirror` runs this (`make mirror FROM=DIR` to copy).
"""
import hashlib
import json
import shutil
import sys
import urllib.request
from pathlib import Path

PACKAGES = ["numpy"]      # what the book's runnable code imports besides the standard library


def runtime(book):
    """The Pyodide release package-lock.json pins, as npm installed it."""
    return book.root / "node_modules" / "pyodide"


def cdn_url(book):
    """The CDN folder of the Pyodide release that package.json pins (where its lock's files live)."""
    version = json.loads((runtime(book) / "package.json").read_text())["version"]
    return f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"


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
    args.to = args.to or book.root / "pyodide-packages"
    args.lock = args.lock or runtime(book) / "pyodide-lock.json"
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
    if args.to.resolve() == (book.root / "pyodide-packages").resolve():
        print("Set in mkdocs.yml, then build the site again (make build):\n\n"
              "extra:\n  pyodide:\n    packages_url: vendor/pyodide-packages/\n")
    else:
        print("Set extra.pyodide.packages_url in mkdocs.yml to the URL this folder is served at.")
    return 0
