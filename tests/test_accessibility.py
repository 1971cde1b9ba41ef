"""Accessibility: axe-core (pinned in package.json) on every page of the built site, in both languages and
both colour schemes; and a reader without a mouse, who drives every widget, exercise and the runner by
keyboard and always sees where the focus is.

The pages are found in the built site (every index.html: lessons, notebook pages, playground, home, about),
never listed here, so a new lesson is audited as soon as it is in the nav.
"""

import pytest

from book.browser import DESKTOP, close
from conftest import BOOK, FAILING, LANGS, audit

ACCEPTED = {}                                    # {axe rule id: why a moderate finding is left as it is}
SCHEMES = ("light", "dark")
SETTLE_MS = 300                                  # widgets build after their data arrives


def site_pages(site, lang):
    """Every page of `lang` in the built site, as paths under the site root ('en/lessons/01-weight-sharing/')."""
    others = [BOOK.prefix(other) for other in LANGS if BOOK.prefix(other) and other != lang]
    found = []
    for index in site.rglob("index.html"):
        rel = index.parent.relative_to(site).as_posix()
        path = "" if rel == "." else rel + "/"
        if path.startswith(("assets/", "vendor/", "search/")) or not path.startswith(BOOK.prefix(lang)):
            continue
        if any(path.startswith(prefix) for prefix in others):
            continue
        found.append(path)
    return sorted(found)


def test_every_page_is_found(site):
    for lang in LANGS:
        pages = site_pages(site, lang)
        for lesson in BOOK.lessons():
            assert f"{BOOK.prefix(lang)}lessons/{lesson}/" in pages
            assert f"{BOOK.prefix(lang)}notebooks/{lesson}/" in pages
        assert BOOK.prefix(lang) in pages and f"{BOOK.prefix(lang)}playground/" in pages


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_serious(server, site, browser, lang, scheme):
    page = browser.new_page(viewport=DESKTOP, color_scheme=scheme)
    problems = []
    try:
        for path in site_pages(site, lang):
            page.goto(server + path, wait_until="networkidle")
            page.wait_for_timeout(SETTLE_MS)
            for rule, impact, nodes in audit(page):
                if impact in FAILING and rule not in ACCEPTED:
                    for target, message in nodes[:3]:
                        problems.append(f"/{path} {rule} ({impact}, {len(nodes)}x): {target}: {message}")
    finally:
        close(page)
    assert not problems, f"{len(problems)} axe-core findings ({lang}, {scheme}):\n" + "\n".join(problems)
