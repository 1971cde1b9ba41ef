""""Continue where you left off" (issue 24, item 3; docs/javascripts/progress.js), in headless Chromium: a reader
answers an exercise of lesson 4 and reads lesson 5; the home page, in either language, then shows lesson 5 with a
link to continue and lesson 4's answered exercises; "forget my progress" clears it, by keyboard too; every request
the pages made is a GET of the site's own files: nothing is sent anywhere. The panel passes axe in both schemes and
fits a phone. The lessons are found in the nav, the exercises in the page.
"""
import pytest

from book.browser import DESKTOP, PHONE
from book.pages import Page
from conftest import BOOK, LANGS, page_url
from reader import FAILING, audit, shot

ANSWERED, READ = BOOK.lessons()[3], BOOK.lessons()[4]        # lessons 4 and 5
PANEL = ".md-content .book-progress"
SAYS = {"zh": ("第 5 课", "已答 1 / {} 题", "继续阅读"), "en": ("Lesson 5", "1 of {} answered", "Continue reading")}


def answer_one(page):
    """Answer the first exercise of the page that has its answer in the page (choice, number or text): opened,
    answered right, checked."""
    quiz = page.locator(".quiz[data-answer]").first
    page.locator("details.question", has=quiz).first.locator(":scope > summary").click()
    answer = quiz.get_attribute("data-answer").split("|")[0]
    if quiz.get_attribute("data-type") == "choice":
        quiz.locator(f'.quiz__option[data-option="{answer}"]').click()
    else:
        quiz.locator(".quiz__input").fill(answer)
        quiz.locator(".quiz__check").click()
    assert quiz.get_attribute("data-state") == "right"


def kept(page):
    return page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('rnn-basics:'))")


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_shows_where_the_reader_was(server, page, lang):
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.post_data)))
    page.goto(page_url(server, lang))
    assert page.locator(PANEL).is_hidden(), "a first visit has no progress to show"

    page.goto(page_url(server, lang, f"lessons/{ANSWERED}/"))
    answer_one(page)
    page.goto(page_url(server, lang, f"lessons/{READ}/"))
    other = next(o for o in LANGS if o != lang)
    for home in (lang, other):                     # what the browser keeps is the same for both languages
        page.goto(page_url(server, home))
        panel = page.locator(PANEL)
        panel.locator(".book-progress__continue").wait_for()
        lesson, answered, go = SAYS[home]
        read_title = Page(BOOK, home, BOOK.lesson_page(READ)).title
        assert f"{lesson} · {read_title}" in panel.locator(".book-progress__last").inner_text()
        link = panel.locator(".book-progress__continue")
        assert go in link.inner_text() and link.get_attribute("href") == page_url(server, home, f"lessons/{READ}/")
        exercises = Page(BOOK, home, BOOK.lesson_page(ANSWERED)).quizzes
        row = panel.locator(f'li[data-path="lessons/{ANSWERED}/"]')
        assert answered.format(exercises) in row.inner_text()
        assert panel.locator("li").count() == 1, "only lesson 4 has an answer"
    assert all(method == "GET" and url.startswith(server) and not body for method, url, body in requests), \
        [r for r in requests if r[0] != "GET" or not r[1].startswith(server)]

    before = len(requests)
    page.locator(f"{PANEL} .book-progress__forget").focus()
    page.keyboard.press("Enter")                      # by keyboard
    panel = page.locator(PANEL)
    assert panel.locator("[role=status]").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('book-progress')"), "the focus is lost"
    assert kept(page) == [] and len(requests) == before, "forgetting sent something or kept something"
    page.goto(page_url(server, other))
    assert page.locator(PANEL).is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_panel_is_reached_by_keyboard_passes_axe_and_fits_a_phone(server, browser, lang, scheme):
    for viewport in (DESKTOP, PHONE):
        page = browser.tab(viewport=viewport, color_scheme=scheme)
        page.goto(page_url(server, lang, f"lessons/{ANSWERED}/"))
        answer_one(page)
        page.goto(page_url(server, lang))
        panel = page.locator(PANEL)
        panel.locator(".book-progress__forget").wait_for()
        if viewport is DESKTOP:      # axe once a scheme, on the panel (tests/test_accessibility.py: the whole page)
            assert not [(rule, nodes) for rule, impact, nodes in audit(page, within=PANEL) if impact in FAILING]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.locator(f"{PANEL} .book-progress__continue").focus()
        for _ in panel.locator("a").all():          # past the panel's links, to its button
            page.keyboard.press("Tab")
        assert "book-progress__forget" in page.evaluate("document.activeElement.className")
        outline = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
        assert outline and outline != "none", "the focused button shows no focus ring"
        shot(page, f"screenshots/progress-{lang}-{viewport['width']}-{scheme}", panel)
