"""How long `mkdocs build --strict` takes, notebooks included: cold, warm, and after a snippet changes.

cold:     no cached notebook runs (.cache/notebooks/runs) and no cached notebook HTML (.cache/mkdocs-jupyter):
          every lesson's notebook is run (two kernels at a time) and converted
warm:     nothing changed since the last build: every run and every conversion comes from the cache
one snippet changed: the lesson that includes it runs again (its notebook in both languages is converted again)

The bar (issue 6) is a warm build under 30 s on this machine. Each build goes into a temporary folder; the
caches are this checkout's own, so the cold build empties them (they are only caches: the build refills them).

    python bench/bench_build.py [repeats]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHES = [ROOT / ".cache" / "notebooks" / "runs", ROOT / ".cache" / "mkdocs-jupyter"]
SNIPPET = ROOT / "snippets" / "weight_count.py"   # included by lesson 1


def build():
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site], cwd=ROOT,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return seconds


def main(repeats=3):
    for cache in CACHES:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"cold:                {build():5.1f} s")
    warm = [build() for _ in range(repeats)]
    print(f"warm:                {min(warm):5.1f} s  (best of {repeats}; all: "
          + ", ".join(f"{s:.1f}" for s in warm) + ")")
    original = SNIPPET.read_text(encoding="utf-8")
    try:
        SNIPPET.write_text(original + "\n# changed by bench/bench_build.py\n", encoding="utf-8")
        print(f"one snippet changed: {build():5.1f} s")
    finally:
        SNIPPET.write_text(original, encoding="utf-8")
    build()   # back to the cached state of the real snippet (the run for it is still cached)
    print(f"goal: warm build under 30 s -> {'met' if min(warm) < 30 else 'NOT met'}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
