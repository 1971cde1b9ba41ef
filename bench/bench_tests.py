"""How long the book's own tests take, as CI runs them: `make test` in a fresh clone, then `make test-fast` there.

The bars (issue 21, on this 2-core machine): `make test` at most 9 minutes of pytest, with the NumPy programs
running in the browser on real NumPy (none skipped); `make test-fast` at most 90 s. The clone is of the commit
checked out here (HEAD: commit first), in a temporary folder; it is given the same PYODIDE_NUMPY_DIR as this
checkout (the Makefile's: ../shared/pyodide-numpy beside it), so the NumPy browser tests run there too. Its first
`make` creates its virtualenv and node_modules, as CI's does (not part of the figures: pytest's own "in N s" is).
The clone is removed at the end. It takes about a quarter of an hour.

    python bench/bench_tests.py
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from book import Book

BOOK = Book.find(Path(__file__))
BARS = {"test": 540.0, "test-fast": 90.0}      # seconds of pytest
SUMMARY = re.compile(r"^=+ (.*) in ([\d.]+)s", re.M)
# The environment of a shell that starts make, as CI's does: not that of the `make bench` this runs under
AS_CI = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def make(clone, target):
    """`make target` in the clone: (pytest's summary line, its seconds, the whole command's seconds)."""
    start = time.perf_counter()
    result = subprocess.run(["make", target], cwd=clone, capture_output=True, text=True, env=AS_CI)
    wall = time.perf_counter() - start
    found = SUMMARY.findall(result.stdout)
    if result.returncode != 0 or not found:
        raise SystemExit(f"make {target} failed ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    summary, seconds = found[-1]
    return summary, float(seconds), wall


def main():
    numpy = os.environ.get("PYODIDE_NUMPY_DIR") or str(BOOK.root.parent / "shared" / "pyodide-numpy")
    if not Path(numpy).is_dir():
        raise SystemExit(f"no numpy wheel for the browser at {numpy}: set PYODIDE_NUMPY_DIR")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BOOK.root, capture_output=True,
                            text=True, check=True).stdout.strip()
    print(f"commit {commit}, {os.cpu_count()} cores, PYODIDE_NUMPY_DIR={numpy}")
    folder = Path(tempfile.mkdtemp(prefix="bench-tests-"))
    try:
        clone = folder / "book"
        subprocess.run(["git", "clone", "-q", str(BOOK.root), str(clone)], check=True)
        AS_CI["PYODIDE_NUMPY_DIR"] = numpy
        for target in ("test", "test-fast"):
            summary, seconds, wall = make(clone, target)
            verdict = "ok" if seconds <= BARS[target] else "OVER"
            print(f"make {target:<10} pytest {seconds:6.1f} s (bar {BARS[target]:.0f} s: {verdict}), "
                  f"whole command {wall:6.1f} s: {summary}")
            if " skipped" in summary:
                print("  some tests were skipped: the figure is not the bar's")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
