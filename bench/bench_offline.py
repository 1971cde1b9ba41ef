"""What "Available offline" costs a classroom: each language's download, and the time from press to done.

For each language, in a fresh browser profile: open its first lesson, press the footer's control, and time (in
the page) from the click until the control says it is done: the files downloaded into Cache Storage, each
checked against the manifest's sha256, and the service worker installed. The size is the manifest's total
(offline-manifest.json, book/offline.py), as the button shows it. Then, with the network cut, the time to open
the last lesson from the cache.

The site is built once into a temp folder and served on 127.0.0.1 (no compression, no network delay: on a real
connection the download takes what the size says).

    python bench/bench_offline.py [repeats]
    BENCH_SITE=/tmp/site python bench/bench_offline.py     # measure a site built before
"""
import functools
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from bench_runner import Quiet, build

from book import Book, offline
from book.browser import chromium, close

BOOK = Book.find(Path(__file__))
DONE_MS = 300_000

# In the page: press the footer's control and resolve with the ms until it says done.
PRESS_TO_DONE = """async () => {
  const box = document.querySelector(".book-offline--footer");
  const t0 = performance.now();
  box.querySelector(".book-offline__download").click();
  while (box.dataset.state !== "done") {
    if (box.dataset.state === "failed") throw new Error(box.textContent);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - t0;
}"""


def main(repeats=3):
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(os.environ.get("BENCH_SITE") or Path(tmp) / "site")
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        if "BENCH_SITE" not in os.environ:
            build(site, base)
        manifest = json.loads((site / offline.MANIFEST).read_text(encoding="utf-8"))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        first, last = (BOOK.lesson_page(slug) for slug in (BOOK.lessons()[0], BOOK.lessons()[-1]))

        print("Available offline: each language's copy, press -> done (fresh profile each time)")
        for lang in BOOK.languages:
            entry = manifest["languages"][lang]
            times, opens = [], []
            with chromium() as browser:
                for _ in range(repeats):
                    page = browser.new_page()
                    page.goto(base + BOOK.url(lang, first), wait_until="networkidle")
                    page.set_default_timeout(DONE_MS)
                    times.append(page.evaluate(PRESS_TO_DONE))
                    page.context.set_offline(True)
                    page.goto(base + BOOK.url(lang, last), wait_until="load")
                    opens.append(page.evaluate("performance.getEntriesByType('navigation')[0].duration"))
                    close(page)
            print(f"  {lang}: {entry['bytes'] / 1e6:.1f} MB in {len(entry['files'])} files; press -> done "
                  f"{', '.join(f'{ms / 1000:.2f} s' for ms in times)}, median {statistics.median(times) / 1000:.2f} s "
                  f"({entry['bytes'] / 1e6 / (statistics.median(times) / 1000):.0f} MB/s); offline, "
                  f"{BOOK.url(lang, last)} opens in {statistics.median(opens):.0f} ms")
        httpd.shutdown()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  (load average {load})")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:2]))
