"""Accessibility: axe-core (pinned in package.json) on every page of the built site, in both languages and
both colour schemes (the keyboard is tests/test_keyboard.py).

Each page is loaded once, in the light scheme, and audited; then the reader's toggle switches it to the dark
scheme and the rules about colour are run again (the rest of the page is the same DOM). The pages are the
Markdown pages and the lessons' notebook pages of each language, and a test checks that they are every page of
the built site, so a new lesson is audited as soon as it is in the nav.
"""
import pytest

from conftest import BOOK, LANGS
from reader import audit as axe
from reader import serious, to_dark, visit


def pages(lang):
    """Every page of `lang` on the site, as paths under the site root ('en/lessons/01-weight-sharing/'): its
    Markdown pages (those outside the nav too) and the lessons' notebook pages (hooks/notebook_pages.py)."""
    found = [BOOK.url(lang, page) for page in BOOK.pages(lang)]
    found += [f"{BOOK.prefix(lang)}notebooks/{slug}/" for slug in BOOK.lessons()]
    return sorted(found)


PAGES = [path for lang in LANGS for path in pages(lang)]


def built_pages(site):
    """Every page of the built site (each index.html but the vendored and generated folders)."""
    found = []
    for index in site.rglob("index.html"):
        rel = index.parent.relative_to(site).as_posix()
        path = "" if rel == "." else rel + "/"
        if not path.startswith(("assets/", "vendor/", "search/", "en/search/", "en/assets/")):
            found.append(path)
    return sorted(found)


def test_every_page_of_the_site_is_audited(site):
    assert sorted(PAGES) == built_pages(site)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_axe_finds_nothing_serious(server, page, path):
    problems = []
    visit(page, server + path)
    for scheme, colours_only in (("light", False), ("dark", True)):
        if scheme == "dark":
            to_dark(page)
        for rule, nodes in serious(axe(page, colours_only)):
            for target, message in nodes[:3]:
                problems.append(f"/{path} {scheme}: {rule} ({len(nodes)}x): {target}: {message}")
    assert not problems, f"{len(problems)} axe-core findings:\n" + "\n".join(problems)
