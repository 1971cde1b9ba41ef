"""What the in-page Python runner costs a reader: bytes before the first Run, time to the first output.

1. Page weight before Run: every response a page receives until the network is idle, each body
   gzip-compressed (as a server would send it); target <= 300 KB per page, and 0 bytes of the
   runtime (vendor/pyodide/, the worker). The pages: the playground in each language, and every
   lesson in the nav (in the default language).
2. Run -> first line of output of the stdlib-only block (snippets/runner_hello.py), measured in
   the page (a MutationObserver on the output): cold, in a fresh browser profile (nothing cached,
   runtime downloaded and booted), target <= 4 s; warm (runtime booted), target <= 100 ms.

The site is built once into a temp folder and served on 127.0.0.1 (no compression, no network
delay: on a real connection add the download of ~13 MB, 4-5 MB gzip-compressed).

    python bench/bench_runner.py [cold repeats] [warm repeats]
    BENCH_SITE=/tmp/site python bench/bench_runner.py     # measure a site built before
"""
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from book import Book
from book.browser import chromium

BOOK = Book.find(Path(__file__))
ROOT = BOOK.root

PAGES = ([BOOK.url(lang, "playground.md") for lang in BOOK.languages]
         + [BOOK.url(BOOK.default_language, BOOK.lesson_page(slug)) for slug in BOOK.lessons()])
PAGE_BUDGET_KB = 300
COLD_BUDGET_S = 4.0
WARM_BUDGET_MS = 100
RUNTIME = ("vendor/pyodide/", "runner-worker.js")

# In the page: press Run and resolve with the ms until the first output line appears.
TIME_TO_FIRST_OUTPUT = """async () => {
  const out = document.querySelector(".runner-output code");
  const done = () => !document.querySelector(".runner--running");
  const first = new Promise((resolve) => {
    new MutationObserver((_, observer) => { observer.disconnect(); resolve(performance.now()); })
      .observe(out, { childList: true, characterData: true, subtree: true });
  });
  const t0 = performance.now();
  document.querySelector(".runner-button--run").click();
  const ms = await first - t0;
  while (!done()) await new Promise((r) => setTimeout(r, 20));
  return ms;
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(out):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                   cwd=ROOT, env=env, check=True)


def page_weight(context, base, path):
    """gzip-compressed bytes of everything the page receives before Run, and the runtime's share."""
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="networkidle")
    total = runtime = 0
    for response in responses:
        try:
            size = len(gzip.compress(response.body()))
        except Exception:       # redirects and failed requests have no body
            size = 0
        total += size
        if any(part in response.url for part in RUNTIME):
            runtime += size
    page.close()
    return total, runtime, len(responses)


def main(cold_repeats=3, warm_repeats=10):
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(os.environ.get("BENCH_SITE") or Path(tmp) / "site")
        if "BENCH_SITE" not in os.environ:
            build(site)
        handler = functools.partial(Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"

        print(f"Page weight before Run (gzip-compressed, budget {PAGE_BUDGET_KB} KB, runtime 0 B)")
        with chromium() as context:
            for path in PAGES:
                total, runtime, count = page_weight(context, base, path)
                flag = "ok" if total <= PAGE_BUDGET_KB * 1000 and runtime == 0 else "OVER"
                print(f"  {path:32s} {total / 1000:7.1f} KB in {count:3d} responses, runtime {runtime} B  {flag}")

        cold, warm = [], []
        for _ in range(cold_repeats):
            with chromium() as context:       # a fresh profile each time: nothing cached
                page = context.new_page()
                page.goto(base + "playground/", wait_until="networkidle")
                cold.append(page.evaluate(TIME_TO_FIRST_OUTPUT))
                for _ in range(0 if warm else warm_repeats):
                    warm.append(page.evaluate(TIME_TO_FIRST_OUTPUT))
        httpd.shutdown()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nRun -> first output line, stdlib-only block (snippets/runner_hello.py); load average {load}")
    print(f"  cold (fresh profile, download + boot): {', '.join(f'{ms / 1000:.2f} s' for ms in cold)}"
          f"  median {statistics.median(cold) / 1000:.2f} s (budget {COLD_BUDGET_S} s)"
          f"  {'ok' if statistics.median(cold) <= COLD_BUDGET_S * 1000 else 'OVER'}")
    print(f"  warm (runtime booted), {len(warm)} runs: median {statistics.median(warm):.1f} ms, "
          f"max {max(warm):.1f} ms (budget {WARM_BUDGET_MS} ms)"
          f"  {'ok' if statistics.median(warm) <= WARM_BUDGET_MS else 'OVER'}")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
