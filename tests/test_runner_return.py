"""A return visit reuses the last boot (issue 14): after a first boot the runner keeps a memory snapshot of
the interpreter in Cache Storage (docs/javascripts/runner-snapshot.js), and the next worker restores it.

Each test opens a browser context of its own: its pages share one profile's storage, as the tabs of one
reader's browser do, and no test sees another's snapshot. What the worker says to the page is recorded
by a script added before the page's own ({type: "ready", restored} tells a restore from a boot).
Timings are measured by `make bench`, not here.
"""

import pytest

from book import snippets
from book.browser import DESKTOP, close_context
from conftest import BOOK, page_url
from reader import visit as open_ready

PLAYGROUND = "playground/"
HELLO_OUT = snippets.output_path(BOOK, BOOK.snippets / "runner_hello.py").read_text()
RESTORING = {"zh": "正在恢复上次启动的 Python", "en": "Restoring Python"}
BOOT_MS = 60_000            # a cold boot on a busy, shared 2-core machine
CACHE = "runner-snapshot"   # the Cache Storage that runner-snapshot.js keeps its one snapshot in

# Before the page's scripts: keep every message of every runner worker, and every text of the status line.
RECORD = """
window.runnerMessages = [];
window.runnerStatuses = [];
const RealWorker = window.Worker;
window.Worker = class extends RealWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", ({ data }) => window.runnerMessages.push(data));
  }
};
new MutationObserver(() => {
  const status = document.querySelector(".runner-status");
  if (status && status.textContent !== window.runnerStatuses.at(-1)) window.runnerStatuses.push(status.textContent);
}).observe(document, { childList: true, characterData: true, subtree: true });
"""

# The stored snapshots: {url, size, sha256, intact} of each entry of the cache (the runner keeps at most one);
# intact: its bytes have the SHA-256 stored with them.
STORED = f"""async () => {{
  const cache = await caches.open("{CACHE}");
  return Promise.all((await cache.keys()).map(async (request) => {{
    const response = await cache.match(request);
    const bytes = await response.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const sha256 = response.headers.get("x-sha256");
    return {{ url: request.url, size: bytes.byteLength, sha256,
             intact: [...digest].map((b) => b.toString(16).padStart(2, "0")).join("") === sha256 }};
  }}));
}}"""
SNAPSHOT_BYTES = 1_000_000    # a real snapshot is larger (15 MB: the pages of the interpreter's memory that are not 0)


@pytest.fixture()
def context(browser):
    """A fresh profile, recording what its runner workers say."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(RECORD)
    yield context
    close_context(context)


def visit(context, server, lang="zh", code=None):
    """Open the playground in a new tab, press Run and wait for the end of the run.
    Returns the tab, what the run printed and whether its worker restored a snapshot."""
    page = context.new_page()
    open_ready(page, page_url(server, lang, PLAYGROUND))
    page.locator(".runner-button--run").first.click()
    page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=BOOT_MS)
    ready = [m for m in page.evaluate("window.runnerMessages") if m["type"] == "ready"]
    assert len(ready) == 1, ready
    return page, page.locator(".runner-output").first.text_content(), ready[0]["restored"]


def stored(page, within_s=30):
    """The snapshot, once a real one is stored (the worker stores it in the background after a boot): looked for
    in the page every 250 ms (an async check, which wait_for_function would not await)."""
    found = page.evaluate(f"""async () => {{
        for (const end = Date.now() + {within_s * 1000}; Date.now() < end;
             await new Promise((wait) => setTimeout(wait, 250))) {{
            const entries = await ({STORED})();
            if (entries.length === 1 && entries[0].intact && entries[0].size > {SNAPSHOT_BYTES}) return entries[0];
        }}
        return await ({STORED})();
    }}""")
    assert isinstance(found, dict), f"no snapshot stored within {within_s} s: {found}"
    return found


def test_a_return_visit_restores_the_last_boot(server, context):
    first, out, restored = visit(context, server, "zh")
    assert (out, restored) == (HELLO_OUT, False)
    snapshot = stored(first)
    first.close()
    again, out, restored = visit(context, server, "en")       # same browser, page reopened, other language
    assert (out, restored) == (HELLO_OUT, True)
    assert any(RESTORING["en"] in text for text in again.evaluate("window.runnerStatuses"))
    assert stored(again) == snapshot, "a restored boot needs no new snapshot"


# Two ways the stored bytes can be wrong: changed after they were saved (their SHA-256 no longer matches),
# or other bytes saved with their own SHA-256 (the runner's check passes, Pyodide's restore refuses them).
CORRUPT = {
    "flipped": """async (name) => {
        const cache = await caches.open(name);
        const [request] = await cache.keys();
        const response = await cache.match(request);
        const bytes = new Uint8Array(await response.arrayBuffer());
        bytes[bytes.length >> 1] ^= 0xff;
        await cache.put(request, new Response(bytes, { headers: response.headers }));
    }""",
    "replaced": """async (name) => {
        const cache = await caches.open(name);
        const [request] = await cache.keys();
        const response = await cache.match(request);
        const bytes = new Uint8Array(4 + 4 + 65536).fill(0xab);    // one page (page 0) of junk
        new Uint32Array(bytes.buffer, 0, 2).set([1, 0]);
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const headers = new Headers(response.headers);
        headers.set("x-sha256", [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
        await cache.put(request, new Response(bytes, { headers }));
    }""",
}


@pytest.mark.parametrize("how", CORRUPT)
def test_a_corrupt_snapshot_is_discarded_and_saved_again(server, context, how):
    first, out, _ = visit(context, server)
    good = stored(first)
    first.evaluate(CORRUPT[how], CACHE)
    [corrupt] = first.evaluate(STORED)
    assert not corrupt["intact"] if how == "flipped" else corrupt["size"] < SNAPSHOT_BYTES
    first.close()
    second, out, restored = visit(context, server)
    assert (out, restored) == (HELLO_OUT, False), "booted normally"
    assert stored(second)["url"] == good["url"], "saved again, for the same files"
    second.close()
    _, out, restored = visit(context, server)
    assert (out, restored) == (HELLO_OUT, True), "the new snapshot is used"


def test_a_snapshot_of_other_files_is_not_used(server, context):
    """A new deploy: another pyodide-lock.json (here the same lock with one more byte) names other files."""
    first, out, _ = visit(context, server)
    old = stored(first)
    first.close()

    def new_lock(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b"\n")

    context.route(lambda url: "/pyodide-lock.json" in url, new_lock)     # with its ?v=... query
    second, out, restored = visit(context, server)
    assert (out, restored) == (HELLO_OUT, False)
    new = stored(second)
    assert new["url"] != old["url"], "the stale snapshot is replaced by one for the new files"


def test_stop_boots_the_next_python_from_the_snapshot(server, context):
    page, _, _ = visit(context, server)
    stored(page)
    code = page.locator(".runner code").first
    code.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("while True: pass\n")
    page.locator(".runner-button--run").first.click()
    page.wait_for_function("() => document.querySelector('.runner-status').textContent"
                           ".includes('正在运行')", timeout=BOOT_MS)
    page.locator(".runner-button--stop").first.click()
    page.wait_for_function("() => runnerMessages.filter((m) => m.type === 'ready').length === 2", timeout=BOOT_MS)
    assert [m["restored"] for m in page.evaluate("runnerMessages") if m["type"] == "ready"] == [False, True]
