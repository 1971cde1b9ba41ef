"""What the browser tests share: what a reader does and sees in the built site, in one place.

Test modules import from here (and conftest.py), never from one another. Every wait is for the thing needed
(a page whose scripts have built its widgets, exercises and runners; an output; a state), never for a fixed time
or for the network to fall silent.
"""
import os

from book.browser import settle
from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("critical", "serious", "moderate")    # axe impacts that fail a test ("minor" ones are reported only)
ACCEPTED = {}                                    # {axe rule id: why a moderate finding is left as it is}
SHOTS = ROOT / "test-artifacts"
NO_NUMPY = {"zh": "无法下载 numpy", "en": "Could not download numpy"}
DETAILS = {"zh": "给网站维护者的详细信息", "en": "Details for the site's maintainer"}   # the runner's <details>

# The page is ready for a reader: loaded (images, fonts), and the book's scripts have built every widget and
# exercise (data widgets have their data: aria-busy is set while it loads) and set up every runnable block.
READY = """() => document.readyState === "complete" && document.fonts.status === "loaded"
    && [...document.querySelectorAll(".rnn-widget[data-widget], div.quiz[data-type]")].every((e) => e.dataset.ready)
    && [...document.querySelectorAll(".runnable")].every((b) => b.dataset.runner !== undefined)
    && !document.querySelector("[aria-busy='true']")"""


def visit(page, url):
    """Open `url` in `page` and wait until it is ready for a reader (READY); return the response."""
    response = page.goto(url, wait_until="load")
    ready(page)
    return response


def ready(page):
    page.wait_for_function(READY)


# --- pictures: written where a person asked to look at them -------------------------------------------------------
def shots_wanted():
    """BOOK_SCREENSHOTS=1 (make test BOOK_SCREENSHOTS=1) writes the browser tests' pictures to test-artifacts/."""
    return os.environ.get("BOOK_SCREENSHOTS", "") not in ("", "0")


def shot(page, name, target=None, full_page=False):
    """A picture of the page (or of the element `target`, in full) as test-artifacts/<name>.png, when wanted."""
    if not shots_wanted():
        return
    path = SHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    settle(page)
    if target is None:
        page.screenshot(path=str(path), full_page=full_page)
        return
    page.evaluate("scrollTo(0, 0)")       # the sticky header back at the top of the page, then the element whole
    x, y, w, h = target.evaluate("el => { const r = el.getBoundingClientRect(); "
                                 "return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }")
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": max(0, x - 8), "y": max(0, y - 8), "width": w + 16, "height": h + 16})


# --- accessibility ------------------------------------------------------------------------------------------------
# The rules of axe's default set that are about colour alone (its cat.color, less the AAA rule it leaves out)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def audit(page, colours_only=False, within="document"):
    """axe-core's violations on the page: [(rule, impact, [(selector, message)])]. `colours_only`: the rules about
    colour alone, for the same page after a change of colour scheme. `within`: a CSS selector, to audit only that
    part of the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if colours_only:
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    return page.evaluate("""async ([options, within]) => (await axe.run(within === "document" ? document : within,
            options)).violations
        .map((v) => [v.id, v.impact, v.nodes.map((n) => [n.target.join(" "),
                     ((n.any[0] || n.all[0] || n.none[0]) || {}).message || ""])])""", [options, within])


def serious(findings):
    return [(rule, nodes) for rule, impact, nodes in findings if impact in FAILING and rule not in ACCEPTED]


def to_dark(page):
    """The reader's scheme toggle in the header, clicked: the page in the dark scheme, without a reload."""
    page.locator("form[data-md-component='palette'] label >> visible=true").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")


# --- the keyboard -------------------------------------------------------------------------------------------------
def start_before(locator):
    """Focus a point just before `locator` in the tab order: the next Tab enters it."""
    locator.evaluate("""(el) => {
        const start = document.createElement("span");
        start.tabIndex = -1;
        el.before(start);
        start.focus();
    }""")


def focused(page):
    """What has the focus, and whether it shows it: {tag, type, text, pressed, visible}. Visible: it matches
    :focus-visible and it, or the box around it (the runner's code block: :focus-within), has an outline or a
    focus ring."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        const shows = (el) => {
            const s = getComputedStyle(el);
            return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
        };
        const ring = shows(e) || (e.parentElement !== null && e.parentElement.matches(":focus-within")
                                  && shows(e.parentElement));
        return {tag: e.tagName.toLowerCase(), type: e.type || "", text: (e.textContent || "").trim().slice(0, 40),
                pressed: e.getAttribute("aria-pressed"), visible: e.matches(":focus-visible") && ring};
    }""")


# --- the runner ---------------------------------------------------------------------------------------------------
def configure_runner(page, packages, lock=None):
    """Point the page's runner at another package folder (and lock: by default the one in that folder), as
    `extra.pyodide` in mkdocs.yml would: its settings in the page (Book.runner, from #__book), read at each Run."""
    page.evaluate("""([packages, lock]) => {
        Book.runner.packages_url = packages;
        if (lock) Book.runner.lock_url = lock;
        else delete Book.runner.lock_url;
    }""", [packages, lock])


def block_of(page, script):
    """The runnable block titled `script` ("snippets/np_hello_rnn.py")."""
    return page.locator(".runnable").filter(has=page.locator(f'.filename:text-is("{script}")'))


def open_tab_of(block):
    """Open the content tab that holds `block` (a NumPy tab, say), as a reader does: a click on its label."""
    index = block.evaluate("b => { const t = b.closest('.tabbed-block'); "
                           "return t ? [...t.parentElement.children].indexOf(t) : -1; }")
    if index >= 0:
        block.locator("xpath=ancestor::div[contains(@class, 'tabbed-set')][1]"
                      "/div[contains(@class, 'tabbed-labels')]/label").nth(index).click()
    block.wait_for(state="visible")


def told(message, lang):
    """The runner's message (a .runner-message locator) in a page in `lang`, as a reader finds it: (what it says, the
    details for the site's maintainer behind its <details>: "" when it has none). The details stay closed until the
    reader opens them, under a summary in the page's language."""
    details = message.locator("details")
    if details.is_hidden():
        return message.locator("p[role=alert]").text_content(), ""
    assert details.get_attribute("open") is None, "the details are open before the reader opens them"
    assert details.locator("summary").text_content() == DETAILS[lang]
    return message.locator("p[role=alert]").text_content(), details.locator("p").text_content()


def press_run(page, script, timeout):
    """Open the block's tab, press its Run and wait until the run is over; (its output, the runner's message)."""
    block = block_of(page, script)
    open_tab_of(block)
    block.locator("xpath=following-sibling::div[contains(@class, 'runner-bar')][1]//button[1]").click()
    page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=timeout)
    output = block.locator("xpath=following-sibling::div[contains(@class, 'runner-result')][1]//pre").text_content()
    message = block.locator("xpath=following-sibling::div[contains(@class, 'runner-message')][1]")
    return output, message.text_content() if message.is_visible() else ""


# Printed numbers that are float noise, compared by a tolerance; every other character is compared exactly.
# bptt_gradcheck.py's central difference (L(w + eps) - L(w - eps)) / (2 eps) divides the last bits of two
# losses by 2e-5: where the browser's libm rounds exp / tanh in another last bit, the 12th decimal of the
# finite difference and the whole relative error change (seen: 1.4e-10 in CPython, 1.0e-09 in Pyodide). The
# backprop column is exact. {snippet: {field of a table row, counted from its end: absolute tolerance}}
FLOAT_NOISE = {"snippets/bptt_gradcheck.py": {-2: 1e-9, -1: 1e-8}}   # finite diff., rel. error


def same_printout(got, want, noise=None):
    """`got` is `want`, but for the fields of `noise` in table rows (lines with as many fields), within it."""
    assert len(got.splitlines()) == len(want.splitlines()), got
    for line_got, line_want in zip(got.splitlines(), want.splitlines()):
        fields_got, fields_want = line_got.split(), line_want.split()
        noisy = noise and len(fields_got) == len(fields_want) >= len(noise) and line_got != line_want
        if not noisy:
            assert line_got == line_want
            continue
        for i, (a, b) in enumerate(zip(fields_got, fields_want), -len(fields_got)):
            if i in noise:
                assert abs(float(a) - float(b)) <= noise[i], (line_got, line_want)
            else:
                assert a == b, (line_got, line_want)
    assert got.endswith("\n") == want.endswith("\n")
