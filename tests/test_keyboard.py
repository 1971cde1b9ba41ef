"""A reader without a mouse: every widget, every exercise and the runner are driven by the keyboard alone,
and the focused control always shows where it is (an outline or a focus ring while :focus-visible).

Each test puts the focus just before the thing it drives (where a reader who tabbed or skipped there would
be), then only presses keys. Widgets and exercises are found in the pages of the nav, never listed here.
"""
import re
import time

import pytest

from book.pages import Page
from conftest import BOOK, LANGS
from conftest import page_url as url
from reader import focused, start_before, visit

WIDGET_DIV = re.compile(r'<div class="rnn-widget"[^>]*data-widget="([^"]+)"')
MAX_TABS = 80               # more stops than any widget has: the walk ends when the focus leaves it
BOOT_MS = 60_000            # the runner's first run boots Python (a busy, shared 2-core machine)
STOP_WITHIN_S = 5.0


def widgets():
    """{"kind-NN": lesson path} of every kind of widget on every lesson page, in nav order."""
    found = {}
    for slug in BOOK.lessons():
        for kind in WIDGET_DIV.findall(Page(BOOK, BOOK.default_language, BOOK.lesson_page(slug)).text):
            found.setdefault(f"{kind}-{slug[:2]}", (f"lessons/{slug}/", kind))
    return found


def quiz_lessons():
    return [slug for slug in BOOK.lessons()
            if 'class="quiz"' in Page(BOOK, BOOK.default_language, BOOK.lesson_page(slug)).text]


WIDGETS = widgets()
RUNNABLE = "playground/"    # its block is plain Python: it runs here without numpy


def inside(locator):
    return locator.evaluate("(el) => el.contains(document.activeElement) && el !== document.activeElement")


def state(locator):
    """What a reader sees of a widget: its text, its fields' values, its buttons' pressed states."""
    return locator.evaluate("""(el) => JSON.stringify([el.innerText,
        [...el.querySelectorAll("input")].map((i) => i.value),
        [...el.querySelectorAll("[aria-pressed]")].map((b) => b.getAttribute("aria-pressed"))])""")


def act(page, control):
    """Use the focused control by keyboard; return the keys that undo it (or None)."""
    if control["tag"] == "input" and control["type"] == "checkbox":
        page.keyboard.press("Space")
        return "Space"
    if control["tag"] == "input" and control["type"] == "range":
        page.keyboard.press("ArrowLeft")
        return "ArrowRight"
    if control["tag"] == "input":
        page.keyboard.press("End")
        page.keyboard.type("1")
        return "Backspace"
    if control["tag"] in ("button", "summary"):
        page.keyboard.press("Enter")
    return None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", WIDGETS)
def test_a_widget_by_keyboard(server, page, lang, name):
    path, kind = WIDGETS[name]
    visit(page, url(server, lang, path))
    widget = page.locator(f'.rnn-widget[data-widget="{kind}"]').first
    widget.locator("button, input").first.wait_for()
    start_before(widget)
    used, unchanged = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if not inside(widget):
            break
        control = focused(page)
        assert control["visible"], f"{name}: no visible focus on {control}"
        before = state(widget)
        undo = act(page, control)
        if state(widget) == before and control["pressed"] != "true" and control["tag"] in ("button", "input"):
            unchanged.append(control)
        used.append(control)
        if undo:
            page.keyboard.press(undo)
    assert used, f"{name}: Tab never reached a control"
    assert not unchanged, f"{name}: keys that changed nothing on {unchanged}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", quiz_lessons())
def test_exercises_by_keyboard(server, page, lang, slug):
    visit(page, url(server, lang, f"lessons/{slug}/"))
    quizzes = page.locator(".quiz")
    assert quizzes.count() > 0
    for i in range(quizzes.count()):
        quiz = quizzes.nth(i)
        exercise = quiz.locator("xpath=ancestor::details[1]")
        start_before(exercise)
        page.keyboard.press("Tab")                                   # the exercise's question
        assert focused(page)["tag"] == "summary" and focused(page)["visible"]
        page.keyboard.press("Enter")                                 # opens it
        assert exercise.evaluate("(d) => d.open")
        start_before(quiz)
        page.keyboard.press("Tab")
        control = focused(page)
        assert inside(quiz) and control["visible"], f"quiz {i}: {control}"
        if control["tag"] == "input":
            page.keyboard.type("1")
        page.keyboard.press("Enter")                                 # choose, or check the answer
        quiz.locator(".quiz__feedback").filter(has_text=re.compile(r"\S")).wait_for(timeout=5000)


def button(page):
    """The focused element, which must be one of the runner's buttons showing its focus: its kind."""
    control = focused(page)
    assert control["tag"] == "button" and control["visible"], control
    return page.evaluate("document.activeElement.className.match(/runner-button--(\\w+)/)[1]")


@pytest.mark.parametrize("lang", LANGS)
def test_the_runner_by_keyboard(server, page, lang):
    visit(page, url(server, lang, RUNNABLE))
    runner = page.locator(".runner").first
    code = runner.locator("code").first
    original = code.text_content()
    start_before(runner)
    page.keyboard.press("Tab")                                       # the code block's copy button
    assert focused(page)["tag"] == "button" and focused(page)["visible"]
    page.keyboard.press("Tab")                                       # into the code: the editor
    assert code.evaluate("(c) => c === document.activeElement") and focused(page)["visible"]
    page.keyboard.press("Control+A")
    page.keyboard.type("while True: pass")                           # editing
    page.keyboard.press("Escape")                                    # Esc, then Tab leaves the code
    page.keyboard.press("Tab")
    assert button(page) == "run"
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.runner-button--stop').disabled", timeout=BOOT_MS)
    assert button(page) == "stop"                                    # Run disabled: the focus moved on to Stop
    start = time.monotonic()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=10_000)
    assert time.monotonic() - start < STOP_WITHIN_S
    assert button(page) == "run"                                     # Stop disabled: back to Run
    page.keyboard.press("Tab")
    assert button(page) == "reset"
    page.keyboard.press("Enter")
    assert code.text_content() == original
    page.keyboard.press("Shift+Tab")                                 # back past the disabled Stop
    assert button(page) == "run"
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=BOOT_MS)
    assert page.locator(".runner-output").first.text_content().strip()
