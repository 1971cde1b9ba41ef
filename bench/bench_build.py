"""How long the site takes to build, with its notebooks: cold, warm, and after a snippet changes.

The build never runs a kernel: `make notebooks` (python -m book notebooks) runs the lessons whose code
changed, and `mkdocs build --strict` renders what that cache holds. Both are timed:
cold:     no cached notebook runs (.cache/notebooks/runs) and no cached notebook HTML (.cache/mkdocs-jupyter):
          every lesson's notebook is run (two kernels at a time), then converted by the build
warm:     nothing changed since the last build: every run and every conversion comes from the cache
one snippet changed: the lesson that includes it runs again (its notebook in both languages is converted again)

The bar (issue 6) is a warm build under 30 s on this machine; issue 11: no slower than before the book package
(7.6 s on this machine, measured with the same script then). Each build goes into a temporary folder; the caches
are this checkout's own, so the cold build empties them (they are only caches: the build refills them).

    python bench/bench_build.py [repeats]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from book import Book, notebooks

BOOK = Book.find(Path(__file__))
CACHES = [notebooks.cache_dir(BOOK) / "runs", BOOK.root / ".cache" / "mkdocs-jupyter"]
SNIPPET = BOOK.snippets / "weight_count.py"   # included by lesson 1
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=BOOK.root, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return time.perf_counter() - start


def run_notebooks():
    return timed([sys.executable, "-m", "book", "notebooks"])


def build():
    with tempfile.TemporaryDirectory() as site:
        return timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site])


def both():
    n, b = run_notebooks(), build()
    return f"{n + b:5.1f} s  (make notebooks {n:4.1f} s + build {b:4.1f} s)"


def main(repeats=3):
    for cache in CACHES:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"cold:                {both()}")
    warm = [build() for _ in range(repeats)]
    print(f"warm build:          {min(warm):5.1f} s  (best of {repeats}; all: "
          + ", ".join(f"{s:.1f}" for s in warm) + ")")
    print(f"warm make notebooks: {run_notebooks():5.1f} s  (nothing to run)")
    original = SNIPPET.read_text(encoding="utf-8")
    try:
        SNIPPET.write_text(original + "\n# changed by bench/bench_build.py\n", encoding="utf-8")
        print(f"one snippet changed: {both()}")
    finally:
        SNIPPET.write_text(original, encoding="utf-8")
    build()   # back to the cached state of the real snippet (the run for it is still cached)
    print(f"goal: warm build under 30 s -> {'met' if min(warm) < 30 else 'NOT met'}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
