"""Serve pinned front-end packages from node_modules as part of the site.

Nothing is committed and nothing comes from a CDN: `npm ci` installs the
versions locked in package-lock.json, and this hook adds their files to the
build (and to `mkdocs serve`) under `vendor/<name>/`.

Besides npm packages it serves two folders of this repository: `snippets/`
(numpy_nn.py and its data, which the in-page runner gives to Pyodide: the very
files the tests check, no copy) and `pyodide-packages/`, the optional local
wheel mirror that `make mirror` fills (see scripts/pyodide_mirror.py).
"""
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent


def _katex(path):
    # KaTeX ships .ttf/.woff as well; browsers that run this site all take .woff2
    return path.suffix in {".js", ".css", ".woff2"} and not path.name.endswith(".mjs")


# What the runner's worker loads from Pyodide 314: the ES module, the Emscripten
# module it imports, the wasm, the standard library and the lock of its packages.
PYODIDE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}

# site folder -> (source folder, which files, required)
VENDOR = {
    "vendor/katex": ("node_modules/katex/dist", _katex, True),
    "vendor/pyodide": ("node_modules/pyodide", lambda p: p.name in PYODIDE, True),
    "vendor/snippets": ("snippets", lambda p: p.name == "numpy_nn.py" or p.match("data/*.json"), True),
    "vendor/pyodide-packages": ("pyodide-packages", lambda p: p.suffix in {".whl", ".zip", ".json"}, False),
}


def on_files(files, config):
    for folder, (source, wanted, required) in VENDOR.items():
        src = ROOT / source
        if not src.is_dir():
            if required:
                raise SystemExit(f"{src} is missing: run `npm ci` (the Makefile does it for you)")
            continue
        for path in sorted(src.rglob("*")):
            if path.is_file() and wanted(path):
                uri = f"{folder}/{path.relative_to(src).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
