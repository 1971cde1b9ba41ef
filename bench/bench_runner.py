"""What the in-page Python runner costs a reader: bytes before the first Run, time to the first output.

1. Page weight before Run: every response a page receives until the network is idle, each body
   gzip-compressed (as a server would send it); target <= 300 KB per page, and 0 bytes of the
   runtime (vendor/pyodide/, vendor/pyodide-packages/, the worker). The pages: the playground in each
   language, and every lesson in the nav (in the default language).
2. Run -> first line of output of the stdlib-only block (snippets/runner_hello.py), measured in
   the page (a MutationObserver on the output), in a fresh browser profile each repeat:
   - cold: nothing cached, the runtime downloaded and booted; target <= 1.8 s;
   - warm: the same page again, Python booted; target <= 100 ms;
   - after instant navigation: to a lesson and back by the footer links (Material's instant
     navigation: the page is not reloaded, the worker lives on), then Run;
   - return visit: the page reopened in a new tab of the same profile (HTTP cache and the runner's
     snapshot kept: docs/javascripts/runner-snapshot.js); target <= 0.6 s.
   The same for a NumPy block (cold, target <= 2.5 s, and return visit, target <= 1.0 s) when
   PYODIDE_NUMPY_DIR names a folder holding Pyodide's numpy wheel (as for tests/test_runner.py; `make bench`
   sets it as `make test` does): it is mirrored into the built site's vendor/pyodide-packages/, as
   `make mirror` does; skipped otherwise.
3. Each lesson's NumPy programs (every runnable block of the nav's lessons), run whole in the browser once
   Python is booted and numpy loaded (the second Run on the page), beside the same program in CPython (in
   snippets/, one thread, as the tests run it; numpy and the library imported first, as in the booted
   browser): what a reader waits after pressing Run.

The site is built once into a temp folder and served on 127.0.0.1 (no compression, no network
delay: on a real connection add the download of ~15 MB, about 8 MB gzip-compressed).

    python bench/bench_runner.py [profiles] [warm repeats] [return visits per profile]
    BENCH_SITE=/tmp/site BENCH_PORT=8765 python bench/bench_runner.py     # measure a site built before

Material's instant navigation follows only the links under site_url: the bench builds the site with
SITE_URL set to the address it serves it at. A site built before needs the same (SITE_URL=
http://127.0.0.1:8765/ for BENCH_PORT=8765), or the navigation row says the page was reloaded.
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

from book import Book, snippets
from book.browser import chromium
from book.pages import runnable_blocks

BOOK = Book.find(Path(__file__))
ROOT = BOOK.root

PAGES = ([BOOK.url(lang, "playground.md") for lang in BOOK.languages]
         + [BOOK.url(BOOK.default_language, BOOK.lesson_page(slug)) for slug in BOOK.lessons()])
PAGE_BUDGET_KB = 300
COLD_BUDGET_S = 1.8
WARM_BUDGET_MS = 100
RETURN_BUDGET_S = 0.6
NAV_BUDGET_MS = WARM_BUDGET_MS             # Python is running already: as warm
NUMPY_COLD_BUDGET_S = 2.5
NUMPY_RETURN_BUDGET_S = 1.0
NUMPY_DIR = os.environ.get("PYODIDE_NUMPY_DIR")
NUMPY_MIRROR = "vendor/pyodide-packages"   # numpy put beside the book's wheel in the built site, as by make mirror
SNAPSHOT_CACHE = "runner-snapshot"         # Cache Storage of docs/javascripts/runner-snapshot.js
RUNTIME = ("vendor/pyodide/", "vendor/pyodide-packages/", "runner-worker.js", "runner-snapshot.js", "download.js")

# In the page: press Run on the block whose title ends with `script` and resolve with [the ms until its first
# output line appears, the ms until the run is over].
TIME_TO_FIRST_OUTPUT = """async (script) => {
  const block = [...document.querySelectorAll(".runnable")]
    .find((b) => (b.querySelector(".filename")?.textContent.trim() || "").endsWith(script));
  const code = block.matches(".highlight") ? block : block.querySelector(".highlight");
  const bar = code.nextElementSibling;                       // then the message, the output (runner.js)
  const out = bar.nextElementSibling.nextElementSibling.querySelector(".runner-output code");
  const done = () => !document.querySelector(".runner--running");
  const first = new Promise((resolve) => {
    new MutationObserver((_, observer) => { observer.disconnect(); resolve(performance.now()); })
      .observe(out, { childList: true, characterData: true, subtree: true });
  });
  const t0 = performance.now();
  bar.querySelector(".runner-button--run").click();
  const ms = await first - t0;
  while (!done()) await new Promise((r) => setTimeout(r, 20));
  return [ms, performance.now() - t0];
}"""
HELLO = "runner_hello.py"

# Wait (up to 30 s) until the runner has stored the snapshot of its boot, so that the next tab restores it.
SNAPSHOT_STORED = """async (name) => {
  for (let i = 0; i < 300; i++) {
    if ((await (await caches.open(name)).keys()).length) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}"""

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(out, site_url):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                   cwd=ROOT, env=env, check=True)


def page_weight(browser, base, path):
    """gzip-compressed bytes of everything the page receives before Run, and the runtime's share."""
    page = browser.new_page()
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


def open_page(context, url):
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return page


def profile(base, times, warm_repeats, return_visits, path="playground/", script=HELLO):
    """One fresh browser profile: cold Run, warm Runs, Run after instant navigation, then return visits."""
    with chromium() as browser:
        context = browser.new_context()
        page = open_page(context, base + path)
        times["cold"].append(page.evaluate(TIME_TO_FIRST_OUTPUT, script)[0])
        for _ in range(warm_repeats):
            times["warm"].append(page.evaluate(TIME_TO_FIRST_OUTPUT, script)[0])
        if not page.evaluate(SNAPSHOT_STORED, SNAPSHOT_CACHE):
            print("  (no snapshot stored within 30 s: the return visits below boot from scratch)")
        if "nav" in times:                        # to the lesson before and back, by clicking the footer links
            page.evaluate("window.sameDocument = true")
            for direction in ("prev", "next"):
                title = page.locator(".md-content h1").text_content()
                link = page.locator(f"a.md-footer__link--{direction}")
                target = link.evaluate("a => a.href")
                link.click()
                page.wait_for_url(target)
                page.wait_for_function("t => document.querySelector('.md-content h1').textContent !== t", arg=title)
            page.wait_for_selector(".runner-button--run")
            times["nav"].append(page.evaluate(TIME_TO_FIRST_OUTPUT, script)[0])
            if not page.evaluate("window.sameDocument === true"):
                times["nav reloaded"] = True
        page.close()
        for _ in range(return_visits):            # the page reopened in a new tab of the same browser
            page = open_page(context, base + path)
            times["return"].append(page.evaluate(TIME_TO_FIRST_OUTPUT, script)[0])
            page.close()
        context.close()


# CPython, as the booted runner is: numpy and the library imported, then the program timed (its print swallowed)
CPYTHON = """import contextlib, importlib, io, runpy, sys, time
import numpy
for name in sys.argv[2:]:
    importlib.import_module(name)
t0 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    runpy.run_path(sys.argv[1], run_name="__main__")
print(time.perf_counter() - t0)
"""


def trainings(base):
    """{snippet: (CPython s, browser s)} of every runnable block of the lessons, each program run whole."""
    found = {}
    with chromium() as browser:
        for path, script in runnable_blocks(BOOK):
            cpython = float(subprocess.run(
                [sys.executable, "-c", CPYTHON, str(ROOT / script), *BOOK.library], cwd=BOOK.snippets,
                env=dict(os.environ, **snippets.SINGLE_THREAD), capture_output=True, text=True, check=True).stdout)
            page = open_page(browser.new_context(), base + path)
            page.evaluate(TIME_TO_FIRST_OUTPUT, Path(script).name)                 # boots, loads numpy
            _, ms = page.evaluate(TIME_TO_FIRST_OUTPUT, Path(script).name)
            found[script] = (cpython, ms / 1000)
            page.context.close()
    return found


def row(name, ms, budget_ms):
    verdict = "" if budget_ms is None else ("  ok" if statistics.median(ms) <= budget_ms else "  OVER")
    budget = "" if budget_ms is None else f" (budget {budget_ms / 1000:.1f} s)" if budget_ms >= 1000 \
        else f" (budget {budget_ms:.0f} ms)"
    values = ", ".join(f"{x / 1000:.2f}" for x in ms) if len(ms) <= 6 else \
        f"{len(ms)} runs, {min(ms) / 1000:.2f} to {max(ms) / 1000:.2f}"
    print(f"  {name:28s} median {statistics.median(ms) / 1000:5.2f} s  [{values} s]{budget}{verdict}")


def main(profiles=5, warm_repeats=10, return_visits=3):
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(os.environ.get("BENCH_SITE") or Path(tmp) / "site")
        handler = functools.partial(Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("BENCH_PORT", 0))), handler)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        if "BENCH_SITE" not in os.environ:
            build(site, base)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()

        print(f"Page weight before Run (gzip-compressed, budget {PAGE_BUDGET_KB} KB, runtime 0 B)")
        with chromium() as browser:               # each page in a context of its own: nothing cached
            for path in PAGES:
                total, runtime, count = page_weight(browser, base, path)
                flag = "ok" if total <= PAGE_BUDGET_KB * 1000 and runtime == 0 else "OVER"
                print(f"  {path:32s} {total / 1000:7.1f} KB in {count:3d} responses, runtime {runtime} B  {flag}")

        stdlib = {"cold": [], "warm": [], "nav": [], "return": []}
        for i in range(profiles):
            profile(base, stdlib, warm_repeats if i == 0 else 0, return_visits)
        numpy = {"cold": [], "return": []}
        if NUMPY_DIR:
            numpy_page, numpy_script = runnable_blocks(BOOK)[0]
            subprocess.run([sys.executable, "-m", "book", "mirror", "--from", NUMPY_DIR,
                            "--to", str(site / NUMPY_MIRROR)], cwd=ROOT, check=True)
            for _ in range(profiles):
                profile(base, numpy, 0, return_visits, numpy_page, Path(numpy_script).name)
            programs = trainings(base)
        httpd.shutdown()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nRun -> first output line, medians over {profiles} fresh profiles; load average {load}")
    print(f"stdlib-only block (snippets/{HELLO}):")
    row("cold (download + boot)", stdlib["cold"], COLD_BUDGET_S * 1000)
    row(f"warm (booted, {len(stdlib['warm'])} runs)", stdlib["warm"], WARM_BUDGET_MS)
    if stdlib.get("nav reloaded"):
        row("after navigation: RELOADED", stdlib["nav"], None)   # not instant: site_url is not this address
    else:
        row("after instant navigation", stdlib["nav"], NAV_BUDGET_MS)
    row("return visit (new tab)", stdlib["return"], RETURN_BUDGET_S * 1000)
    if NUMPY_DIR:
        print(f"NumPy block ({numpy_script}, {numpy_page}):")
        row("cold (download + boot)", numpy["cold"], NUMPY_COLD_BUDGET_S * 1000)
        row("return visit (new tab)", numpy["return"], NUMPY_RETURN_BUDGET_S * 1000)
        print("NumPy programs run whole (Python booted, numpy loaded): browser vs CPython (one thread)")
        for script, (cpython, browser) in programs.items():
            print(f"  {script:34s} browser {browser:6.2f} s   CPython {cpython:5.2f} s   x{browser / cpython:4.1f}")
    else:
        print(f"NumPy block: skipped (budgets: cold {NUMPY_COLD_BUDGET_S} s, return visit {NUMPY_RETURN_BUDGET_S} s):"
              " PYODIDE_NUMPY_DIR is not set, and this machine cannot download Pyodide's numpy wheel")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:4]))
