"""Serve pinned front-end packages from node_modules as part of the site.

Nothing is committed and nothing comes from a CDN: `npm ci` installs the
versions locked in package-lock.json, and this hook adds their files to the
build (and to `mkdocs serve`) under `vendor/<name>/`.
"""
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent

# package -> folder inside it whose files the site serves
VENDOR = {
    "katex": "dist",
}


def on_files(files, config):
    for package, folder in VENDOR.items():
        src = ROOT / "node_modules" / package / folder
        if not src.is_dir():
            raise SystemExit(f"{src} is missing: run `npm ci` (the Makefile does it for you)")
        for path in sorted(src.rglob("*")):
            if path.is_file() and _wanted(path):
                uri = f"vendor/{package}/{path.relative_to(src).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def _wanted(path):
    # KaTeX ships .ttf/.woff as well; browsers that run this site all take .woff2
    return path.suffix in {".js", ".css", ".woff2"} and not path.name.endswith(".mjs")
