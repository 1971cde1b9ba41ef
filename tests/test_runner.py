"""The in-page Python runner (issue 4): Pyodide from the site's own files, in a Web Worker.

Each test opens the playground page of the built site in headless Chromium and presses Run as a
reader would. A different package mirror is tried by changing the runner's settings in the page (Book.runner,
read from the #__book JSON that overrides/main.html writes from `extra.pyodide` in mkdocs.yml: that it carries
them is checked too), so the site is still built only once.
"""
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from book import library_wheel, runtime, snippets
from book.browser import DESKTOP, PHONE, close, off_origin, record_requests, settle
from book.pages import runnable_blocks
from conftest import BOOK, LANGS, NUMPY_DIR, ROOT, lock_without_numpy, page_url
from reader import (
    FLOAT_NOISE,
    NO_NUMPY,
    audit,
    configure_runner,
    press_run,
    same_printout,
    serious,
    shot,
    to_dark,
    told,
    visit,
)

PLAYGROUND = "playground/"
HELLO = BOOK.snippets / "runner_hello.py"
HELLO_OUT = snippets.output_path(BOOK, HELLO)
LOCK_FILE = runtime.lock_file(BOOK)                       # the site's: Pyodide's plus the book's wheel
LOCK = json.loads(LOCK_FILE.read_text())
NUMPY_WHEEL = LOCK["packages"]["numpy"]["file_name"]
PYODIDE_VERSION = json.loads((runtime.pyodide_folder(BOOK) / "package.json").read_text())["version"]

LABELS = {"zh": ("运行", "停止", "重置"), "en": ("Run", "Stop", "Reset")}
RUNNING = {"zh": "正在运行", "en": "Running"}
NO_RUNTIME = {"zh": "Python 运行时没能加载", "en": "The Python runtime could not be loaded"}
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
BOOK_WHEEL = library_wheel.wheel_name(BOOK)
REFUSED = {"zh": "已拒绝加载 book-library", "en": "Refused to load book-library"}
PYODIDE_INTERNALS = ("_pyodide", "pyodide.asm", "/lib/python3", "_runner_run", "<exec>")

BOOT_MS = 60_000            # a cold boot on a busy, shared 2-core machine
STOP_WITHIN_S = 1.0         # Stop ends an infinite loop within this
MESSAGE_WITHIN_S = 5.0      # a failed numpy download is explained within this


def packages_url():
    return BOOK.config["extra"]["pyodide"]["packages_url"]


def url(server, lang, page=PLAYGROUND):
    return page_url(server, lang, page)


# --- helpers: what a reader does ------------------------------------------------------------------------
def edit(page, code):
    """Replace the first runnable block's code by typing into it."""
    editor = page.locator(".runner code").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def run(page, timeout=BOOT_MS, keyboard=False):
    """Press Run (or Ctrl+Enter in the code) and wait until the run is over; return the output."""
    if keyboard:
        page.locator(".runner code").first.press("Control+Enter")
    else:
        page.locator(".runner-button--run").first.click()
    page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=timeout)
    return page.locator(".runner-output").first.text_content()


def wheel(folder, name="mirrorprobe", version="1.0"):
    """Write a tiny pure-Python wheel by hand; return its lock entry."""
    file_name = f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": 'def greet():\n    return "hello from the mirror"\n',
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},"
        f"{len(text.encode())}\n" for path, text in files.items()) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(folder / file_name, "w") as z:
        for path, text in {**files, f"{info}/RECORD": record}.items():
            z.writestr(path, text)
    return {"name": name, "version": version, "file_name": file_name, "install_dir": "site",
            "sha256": hashlib.sha256((folder / file_name).read_bytes()).hexdigest(),
            "package_type": "package", "imports": [name], "depends": [], "unvendored_tests": False, "tool": {}}


def lock_with(entry, path):
    lock = json.loads(LOCK_FILE.read_text())
    lock["packages"][entry["name"]] = entry
    path.write_text(json.dumps(lock))
    return path


def mirror(*args):
    return subprocess.run([sys.executable, "-m", "book", "mirror", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True)


# --- tests -----------------------------------------------------------------------------------------------
def test_the_page_carries_the_packages_url_of_mkdocs_yml(site):
    """The page's settings, one JSON (#__book): the languages, the library, and the runner's URLs (extra.pyodide of
    mkdocs.yml, the runtime's folder and the lock's, each versioned); no other setting in the page's head."""
    roots = {alt["lang"]: alt["link"] for alt in BOOK.config["extra"]["alternate"]}
    names = {alt["lang"]: alt["name"] for alt in BOOK.config["extra"]["alternate"]}
    lock = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()[:12]
    runner = {"packages_url": packages_url(), "index_url": f"vendor/pyodide/{PYODIDE_VERSION}/",
              "lock_url": f"vendor/pyodide-packages/pyodide-lock.json?v={lock}"}
    for lang in LANGS:
        for page in ("", PLAYGROUND, "lessons/04-hello-ohlol/"):
            html = (site / url("", lang, page) / "index.html").read_text(encoding="utf-8")
            settings = re.findall(r'<script id="__book" type="application/json">(.*?)</script>', html)
            assert len(settings) == 1, page
            assert json.loads(settings[0]) == {"languages": roots, "names": names, "library": list(BOOK.library),
                                               "runner": runner}
            assert "<meta name=\"pyodide" not in html
    for name in RUNTIME_FILES:
        assert (site / "vendor/pyodide" / PYODIDE_VERSION / name).is_file(), name
    for path in runtime.packages_folder(BOOK).iterdir():             # the site's lock and the book's wheel
        assert (site / "vendor/pyodide-packages" / path.name).read_bytes() == path.read_bytes()
    assert (site / "vendor/pyodide-packages" / BOOK_WHEEL).is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_hello_runs_from_the_site_itself_and_fits_the_page(server, page, lang):
    requests = record_requests(page)
    visit(page, url(server, lang))
    buttons = page.locator(".runner-bar").first.locator("button")
    assert [buttons.nth(i).text_content() for i in range(3)] == list(LABELS[lang])
    assert page.locator(".runner-output[aria-live='polite']").count() == 1
    page.wait_for_load_state("networkidle")          # an absence is checked: after all the page asks for by itself
    assert not [u for u in requests if "vendor/pyodide" in u or "runner-worker" in u], "loaded before Run"
    assert run(page) == HELLO_OUT.read_text()
    for name in RUNTIME_FILES:
        assert server + f"vendor/pyodide/{PYODIDE_VERSION}/{name}" in requests, name
    lock = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()[:12]     # versioned URLs: a new build, new URLs
    assert server + f"vendor/pyodide-packages/pyodide-lock.json?v={lock}" in requests
    assert not [u for u in requests if u.endswith(".whl")], "a wheel for code that imports none"
    assert off_origin(requests, server) == []
    assert page.locator(".runner-curve polyline").count() == 1, "no loss curve"
    for scheme, viewport in (("light", DESKTOP), ("light", PHONE), ("dark", PHONE), ("dark", DESKTOP)):
        if scheme == "dark" and viewport == PHONE:
            to_dark(page)
        page.set_viewport_size(viewport)
        page.evaluate("scrollTo(0, document.querySelector('.runner-bar').getBoundingClientRect().top + scrollY - 200)")
        settle(page)                                 # the header's title changes after a scroll, with a transition
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the viewport ({scheme}, {viewport})"
        assert page.locator(".runner-curve").is_visible()
        shot(page, f"screenshots/playground-{lang}-{'phone' if viewport == PHONE else 'desktop'}-{scheme}")


def test_stop_ends_an_infinite_loop_and_the_next_run_works(server, page):
    visit(page, url(server, "zh"))
    edit(page, "while True: pass\n")
    page.locator(".runner-button--run").first.click()
    page.wait_for_function(f"() => document.querySelector('.runner-status').textContent.includes('{RUNNING['zh']}')",
                           timeout=BOOT_MS)
    # timed in the page, from the press to Run being back (not the test's round trips to a busy browser)
    stopped = page.evaluate("""() => new Promise((done) => {
        const run = document.querySelector(".runner-button--run");
        const stop = document.querySelector(".runner-button--stop");
        const t0 = performance.now();
        new MutationObserver((_, watching) => {
            if (!run.disabled) { watching.disconnect(); done((performance.now() - t0) / 1000); }
        }).observe(run, { attributes: true });
        stop.click();
    })""")
    assert stopped < STOP_WITHIN_S, f"Stop took {stopped:.2f} s"
    page.locator(".runner-button--reset").first.click()
    assert run(page) == HELLO_OUT.read_text()


def test_traceback_edited_code_and_reset(server, page):
    visit(page, url(server, "en"))
    original = page.locator(".runner code").first.text_content()
    assert original.strip() == HELLO.read_text().strip()
    edit(page, 'def ratio(x):\n    return 1 / x\n\nprint("before")\nratio(0)\n')
    out = run(page)
    assert out.startswith("before\nTraceback (most recent call last):")
    assert 'File "runner_hello.py", line 5' in out and "ratio(0)" in out and "return 1 / x" in out
    assert "ZeroDivisionError: division by zero" in out
    assert not [word for word in PYODIDE_INTERNALS if word in out], out
    assert page.locator(".runner-stderr").count() > 0
    edit(page, "import random\nrandom.choice(1)\n")     # random: compiled to bytecode for the boot (book/stdlib.py)
    out = run(page)
    assert 'random.py", line' in out and "if not len(seq):" in out, "the standard library's source lines"
    edit(page, "print(6 * 7)\n")
    assert run(page, keyboard=True) == "42\n"
    edit(page, "")                                   # typed: Enter keeps the indentation, Tab indents
    for key in ["for i in range(2):", "Enter", "print(i)", "Enter", "Tab", "# indented"]:
        page.keyboard.press(key) if key in ("Enter", "Tab") else page.keyboard.type(key)
    assert page.locator(".runner code").first.text_content() == "for i in range(2):\n    print(i)\n        # indented"
    assert run(page) == "0\n1\n"
    page.locator(".runner-button--reset").first.click()
    assert page.locator(".runner code").first.text_content() == original
    assert run(page) == HELLO_OUT.read_text()


@pytest.mark.parametrize("lang", LANGS)
def test_numpy_comes_from_the_configured_url_or_a_clear_message(server, page, lang):
    asked = []

    def refuse(route):          # as on a site built without `make mirror` (whether or not this checkout has it)
        asked.append(route.request.url)
        route.fulfill(status=404)

    page.route("**/numpy-*.whl", refuse)
    visit(page, url(server, lang))
    run(page)                               # boot first: what is timed below is the numpy fetch alone
    edit(page, "import numpy as np\nprint(np.arange(3))\n")
    start = time.monotonic()
    page.locator(".runner-button--run").first.click()
    message = page.locator(".runner-message").first
    message.wait_for(state="visible", timeout=MESSAGE_WITHIN_S * 1000)
    assert time.monotonic() - start < MESSAGE_WITHIN_S
    assert asked == [server + packages_url() + NUMPY_WHEEL]
    said, details = told(message, lang)        # a short message for the reader, what to run for the maintainer
    assert NO_NUMPY[lang] in said and "make mirror" not in said and "packages_url" not in said
    assert "make mirror" in details and "packages_url" in details and NUMPY_WHEEL in details
    assert "Traceback" not in said + details
    page.wait_for_function("() => !document.querySelector('.runner-button--run').disabled")
    assert message.locator("details p").is_hidden()
    shot(page, f"screenshots/runner-message-{lang}-desktop-light-closed", message)
    message.locator("summary").click()                                  # the reader opens the details
    assert message.locator("details p").is_visible()
    for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("dark", DESKTOP)):
        if scheme == "dark" and not page.evaluate("document.body.dataset.mdColorScheme === 'slate'"):
            to_dark(page)
        page.set_viewport_size(viewport)
        message.scroll_into_view_if_needed()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the viewport ({scheme}, {viewport})"
        assert not serious(audit(page, colours_only=scheme == "dark", within=".runner-message")), scheme
        shot(page, f"screenshots/runner-message-{lang}-{'phone' if viewport == PHONE else 'desktop'}-{scheme}",
             message)


def test_numpy_nn_and_its_data_are_the_tested_files(server, site, page):
    """Code importing numpy_nn (a declared library module) gets it from the book's wheel, through the site's
    lock, with the data/ beside the code as in snippets/: the tested files, byte for byte. (numpy is left out
    of this lock, and of the wheel's depends: this machine cannot fetch it.)"""
    lock_without_numpy(site / "vendor/pyodide-packages", site / "vendor/no-numpy")
    requests = record_requests(page)
    visit(page, url(server, "en"))
    configure_runner(page, "vendor/no-numpy/")
    assert run(page) == HELLO_OUT.read_text()
    assert not [u for u in requests if u.endswith(".whl")], "fetched for code that does not import numpy_nn"
    edit(page, "import hashlib, importlib.util, os\n"
               "if False:\n    import numpy_nn  # not run: there is no numpy here\n"
               "path = importlib.util.find_spec('numpy_nn').origin\n"
               "print(os.path.basename(path), hashlib.sha256(open(path, 'rb').read()).hexdigest())\n"
               "print(os.getcwd(), hashlib.sha256(open('data/hello_rnn_init.json', 'rb').read()).hexdigest())\n")
    out = run(page)
    sha = hashlib.sha256((BOOK.snippets / "numpy_nn.py").read_bytes()).hexdigest()
    data = hashlib.sha256((BOOK.data / "hello_rnn_init.json").read_bytes()).hexdigest()
    assert out == f"numpy_nn.py {sha}\n/home/pyodide {data}\n"
    assert requests.count(server + "vendor/no-numpy/" + BOOK_WHEEL) == 1


def test_the_wheels_download_while_the_runtime_boots(server, site, page):
    """The book's wheel is asked for before the runtime has booted: the standard library is held back until
    then (were the wheel fetched only after the boot, the boot would wait for ever and the run time out)."""
    lock_without_numpy(site / "vendor/pyodide-packages", site / "vendor/no-numpy")
    held, asked = [], []

    def stdlib(route):
        held.append(route)
        release()

    def wheel(route):
        asked.append(route.request.url)
        route.continue_()
        release()

    def release():
        while asked and held:
            held.pop().continue_()

    page.route("**/python_stdlib.zip", stdlib)
    page.route(lambda u: u.endswith("vendor/no-numpy/" + BOOK_WHEEL), wheel)
    visit(page, url(server, "en"))
    configure_runner(page, "vendor/no-numpy/")
    edit(page, "import importlib.util\nif False:\n    import numpy_nn  # not run: there is no numpy here\n"
               "print(importlib.util.find_spec('numpy_nn').origin.rsplit('/', 1)[1])\n")
    assert run(page, timeout=30_000) == "numpy_nn.py\n"
    assert len(asked) == 1, "the prefetched wheel was downloaded again"


@pytest.mark.parametrize("lang", LANGS)
def test_a_tampered_wheel_is_refused_in_the_page_language(server, site, page, lang):
    """The site's lock names the book's wheel with its sha256: other bytes at that URL are not loaded."""
    folder = lock_without_numpy(site / "vendor/pyodide-packages", site / f"vendor/tampered-{lang}")
    wheel = folder / BOOK_WHEEL
    with zipfile.ZipFile(wheel, "a") as z:
        z.writestr("numpy_nn_extra.py", "print('not the book')\n")
    visit(page, url(server, lang))
    configure_runner(page, f"vendor/tampered-{lang}/")
    edit(page, "import numpy_nn\nprint('ran')\n")
    assert run(page) == ""
    said, details = told(page.locator(".runner-message").first, lang)
    assert REFUSED[lang] in said and "sha256" in said and BOOK_WHEEL in details and "pyodide-lock.json" in details
    assert "Traceback" not in said + details


def test_mirror_script_checks_the_lock(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    entry = wheel(wheels)
    good = mirror("--lock", lock_with(entry, tmp_path / "lock.json"), "--from", wheels, "--to", tmp_path / "m",
                  "mirrorprobe")
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "m" / entry["file_name"]).read_bytes() == (wheels / entry["file_name"]).read_bytes()
    assert "packages_url" in good.stdout
    bad = mirror("--lock", lock_with({**entry, "sha256": "0" * 64}, tmp_path / "bad.json"),
                 "--from", wheels, "--to", tmp_path / "b", "mirrorprobe")
    assert bad.returncode == 1 and "sha256" in bad.stderr
    assert not (tmp_path / "b" / entry["file_name"]).exists()


def test_a_mirror_in_the_site_serves_checked_wheels(server, site, browser, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    entry = wheel(wheels)
    result = mirror("--lock", lock_with(entry, tmp_path / "lock.json"), "--from", wheels,
                    "--to", site / "vendor" / "mirror-good", "mirrorprobe")
    assert result.returncode == 0, result.stderr
    bad = site / "vendor" / "mirror-bad"     # the same wheel, a lock that expects other bytes
    bad.mkdir()
    shutil.copy(wheels / entry["file_name"], bad)
    lock_with({**entry, "sha256": hashlib.sha256(b"other bytes").hexdigest()}, bad / "pyodide-lock.json")

    for folder, works in (("mirror-good", True), ("mirror-bad", False)):
        page = browser.new_page()
        requests = record_requests(page)
        visit(page, url(server, "en"))
        configure_runner(page, f"vendor/{folder}/", f"vendor/{folder}/pyodide-lock.json")
        edit(page, "import mirrorprobe\nprint(mirrorprobe.greet())\n")
        out = run(page)
        assert server + f"vendor/{folder}/{entry['file_name']}" in requests
        assert off_origin(requests, server) == []
        if works:
            assert out == "hello from the mirror\n"
        else:
            assert out == ""
            said, details = told(page.locator(".runner-message"), "en")
            assert "Refused to load mirrorprobe" in said and "sha256" in said and entry["file_name"] in details
        close(page)


def same_document_navigation(page, server, site, back):
    """Run on the playground, go to the page before it by its footer link, come `back`;
    return what the second run printed and the wasm requests of the whole visit."""
    requests = record_requests(page)
    visit(page, url(server, "zh"))
    edit(page, "import sys\nsys.runner_marker = 42\nprint('marked')\n")
    assert run(page) == "marked\n"
    page.evaluate("window.sameDocument = true")
    heading = "h => document.querySelector('.md-content h1').textContent {} h"
    title = page.locator(".md-content h1").text_content()
    previous = page.locator("a.md-footer__link--prev")
    target = previous.evaluate("a => a.href")
    previous.click()                                          # instant navigation to the last lesson ...
    page.wait_for_url(target)
    page.wait_for_function(heading.format("!=="), arg=title)  # (its content is in)
    back()                                                    # ... and back
    page.wait_for_url("**/" + PLAYGROUND)
    page.wait_for_function(heading.format("==="), arg=title)
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded"
    edit(page, "import sys\nprint(getattr(sys, 'runner_marker', None))\n")
    start = time.monotonic()
    out = run(page, timeout=10_000)
    assert time.monotonic() - start < 2, "Python was booted again"
    return out, [u for u in requests if u.endswith("pyodide.asm.wasm")]


def test_instant_navigation_keeps_the_running_python(server, site, page):
    out, wasm = same_document_navigation(page, server, site, back=page.go_back)
    assert out == "42\n"
    assert len(wasm) == 1


def test_clicking_back_to_a_page_keeps_the_running_python(server, site, page):
    out, wasm = same_document_navigation(
        page, server, site, back=lambda: page.locator("a.md-footer__link--next").click())
    assert out == "42\n"
    assert len(wasm) == 1


def test_a_failed_runtime_download_leaves_run_working(server, page):
    aborted = []

    def once(route):
        if not aborted:
            aborted.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/pyodide.asm.wasm", once)
    visit(page, url(server, "zh"))
    assert run(page) == ""
    assert aborted
    said, details = told(page.locator(".runner-message"), "zh")
    assert NO_RUNTIME["zh"] in said and aborted[0] in details
    assert run(page) == HELLO_OUT.read_text()
    assert page.locator(".runner-message").is_hidden()


@pytest.mark.parametrize("page_path, script", runnable_blocks(BOOK), ids=lambda x: Path(x).stem)
def test_runnable_blocks_have_their_buttons(server, page, page_path, script):
    visit(page, url(server, "en", page_path))
    block = page.locator(".runnable").filter(has=page.locator(f'.filename:text-is("{script}")'))
    assert block.count() == 1, script
    bar = block.locator("xpath=following-sibling::div[contains(@class, 'runner-bar')][1]")   # right under the code
    assert [b.text_content() for b in bar.locator("button").all()] == list(LABELS["en"])
    assert block.locator("code").first.text_content().strip() == (ROOT / script).read_text().strip()


def test_same_printout_tells_noise_from_a_change():
    want = "entry   backprop  finite diff.  rel. error\nw[0, 1]   0.020948280646   0.020948280643   1.4e-10\n"
    noise = {-2: 1e-9, -1: 1e-8}
    same_printout(want.replace("280643", "280652").replace("1.4e-10", "1.0e-09"), want, noise)
    for changed in (want.replace("280646", "280647"),                     # the exact column
                    want.replace("280643", "290643"),                     # beyond the tolerance
                    want.replace("w[0, 1]", "w[0, 2]"), want + "one more line\n"):
        with pytest.raises(AssertionError):
            same_printout(changed, want, noise)


@pytest.mark.skipif(not NUMPY_DIR, reason=(
    f"this machine cannot fetch Pyodide {PYODIDE_VERSION}'s numpy wheel ({NUMPY_WHEEL}) from the CDN: "
    "set PYODIDE_NUMPY_DIR to a folder holding it to run the NumPy programs in the browser"))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path, script", runnable_blocks(BOOK), ids=lambda x: Path(x).stem)
def test_numpy_programs_print_what_cpython_prints(server, site, page, page_path, script, lang):
    """What the page shows under the code is what CPython prints (tests/test_snippets.py runs each program and
    compares): the browser must print the same, numbers that are float noise within FLOAT_NOISE."""
    assert (site / "vendor/pyodide-packages" / NUMPY_WHEEL).is_file()   # mirrored, as for a deploy (conftest.py)
    visit(page, url(server, lang, page_path))
    output, message = press_run(page, script, timeout=120_000)
    assert message == ""
    same_printout(output, snippets.output_path(BOOK, ROOT / script).read_text(), FLOAT_NOISE.get(script))
    assert off_origin(page.requested, server) == [] and page.errors == []
