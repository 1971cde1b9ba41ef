"""Pyodide's standard library with its modules compiled to bytecode, served to the in-page runner.

Pyodide 314 ships python_stdlib.zip as .py sources, so every boot compiles, in wasm, each module that
Pyodide imports while it starts (encodings, site, ast, shutil, tempfile, zipfile, its own pyodide
package ...). Measured in headless Chromium on localhost: of a 2.3-3.6 s cold boot, 1.8-2.9 s is
Python starting, and with those modules compiled beforehand that part takes 0.65-0.8 s. The cost: the
zip grows from 2.5 MB to 4.0 MB (zip files are not compressed again on the way). The sources stay
beside the bytecode, so tracebacks through the standard library show their lines as in CPython.

node compiles them (book/stdlib_compile.mjs), with Pyodide itself: the bytecode comes from the very
interpreter that runs it. The result is kept in .cache/pyodide-stdlib/, named by a hash of the
runtime's files and of the script, so a new Pyodide (package-lock.json) or a changed script makes a
new one and a build never serves bytecode of another interpreter. hooks/vendor.py serves it as
vendor/pyodide/<version>/python_stdlib.zip; the runner's snapshots (runner-snapshot.js) are keyed by its bytes.
"""
import hashlib
import os
import subprocess
from pathlib import Path

from . import runtime

COMPILE = Path(__file__).with_name("stdlib_compile.mjs")
RUNTIME_FILES = ("python_stdlib.zip", "pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs")


def cache_dir(book):
    return book.root / ".cache" / "pyodide-stdlib"


def compiled(book):
    """The compiled zip for the Pyodide in node_modules (made on first use: node, ~10-25 s)."""
    pyodide = runtime.pyodide_folder(book)
    digest = hashlib.sha256(COMPILE.read_bytes())
    for name in RUNTIME_FILES:
        digest.update(hashlib.sha256((pyodide / name).read_bytes()).digest())
    path = cache_dir(book) / f"python_stdlib-{digest.hexdigest()[:16]}.zip"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")    # builds running at once each write theirs
        result = subprocess.run(["node", str(COMPILE), str(pyodide), str(partial)], capture_output=True, text=True)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise RuntimeError(f"compiling Pyodide's standard library failed:\n{result.stderr}")
        partial.replace(path)
    return path
