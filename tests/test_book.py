"""The book package itself (book/): its reading of mkdocs.yml, the include parser, the plugin adapter, HTML edits."""
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from mkdocs.exceptions import PluginError

from book import Book, html, katex, plugins
from book.pages import Page, includes, read_include, runnable_blocks, sections
from conftest import BOOK, ROOT

I18N = ("zh", "en")     # mkdocs.yml's i18n block, read by hand here


def test_languages_come_from_the_i18n_block():
    assert BOOK.languages == I18N and BOOK.default_language == "zh"
    assert [BOOK.prefix(lang) for lang in I18N] == ["", "en/"]
    assert BOOK.url("en", "lessons/06-bptt.md") == "en/lessons/06-bptt/"
    assert BOOK.url("zh", "index.md") == "" and BOOK.url("en", "index.md") == "en/"


def test_the_language_selector_points_at_each_languages_root():
    # extra.alternate in mkdocs.yml is configuration for Material; it must say what the i18n block says
    alternates = BOOK.config["extra"]["alternate"]
    assert [alt["lang"] for alt in alternates] == list(BOOK.languages)
    for alt in alternates:
        assert re.sub(r"^\./?", "", alt["link"]) == BOOK.prefix(alt["lang"])
    names = {lang["locale"]: lang["name"] for lang in BOOK.plugin("i18n")["languages"]}
    assert {alt["lang"]: alt["name"] for alt in alternates} == names


def test_lessons_are_the_nav_entries_under_lessons():
    nav = BOOK.nav_pages()
    assert BOOK.lessons() == [p[len("lessons/"):-3] for p in nav if p.startswith("lessons/")]
    assert all((ROOT / "docs" / lang / BOOK.lesson_page(slug)).is_file() for lang in I18N for slug in BOOK.lessons())


# What the README and the contributors' guides say about the lessons, against the nav (issue 22: "Six lessons", and a
# scaffold example `make lesson name=gru` once a gated-cells lesson existed).
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
GUIDES = ["README.md", "CONTRIBUTING.md", "CONTRIBUTING.zh.md", "Makefile", ".github/ISSUE_TEMPLATE/lesson-proposal.md",
          "docs/zh/about.md", "docs/en/about.md"]


def test_the_readme_counts_the_lessons_of_the_nav():
    said = re.findall(r"\b(\w+) lessons take a reader\b", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert said == [NUMBER_WORDS[len(BOOK.lessons())].capitalize()], "README.md: say how many lessons the nav has"


@pytest.mark.parametrize("guide", GUIDES)
def test_the_guides_examples_name_no_lesson_that_exists_and_none_that_does_not(guide):
    """`make lesson name=X` scaffolds a new lesson: X is none of the book's. A lesson file named as a real one
    (`docs/zh/lessons/04-hello-ohlol.md`) exists; an example's number is `NN`, which cannot go stale."""
    text = (ROOT / guide).read_text(encoding="utf-8")
    names = {slug.split("-", 1)[1] for slug in BOOK.lessons()}
    examples = re.findall(r"make lesson name=([\w-]+)", text)
    assert not set(examples) & names, f"{guide}: the example names an existing lesson"
    for page in re.findall(r"\b(lessons/\d+-[\w-]+\.md)\b", text):
        assert (ROOT / "docs" / BOOK.default_language / page).is_file(), f"{guide}: {page} is no lesson"


# Lesson 7's corpus is not the book's work (issue 22): wherever it is named, its licence is named the same way.
CORPUS, CORPUS_LICENCE = "tang_poems.txt", "GPL-3.0-or-later"
OTHER_GPL_NAMES = re.compile(r"GPL-3\.0(?!-or-later|\.txt)|GPLv?3\+?")


def test_the_corpus_licence_is_the_same_wherever_the_corpus_is_named():
    pages = [Page(BOOK, lang, page).file for lang in BOOK.languages for page in BOOK.pages(lang)]
    places = [p for p in pages + [ROOT / "README.md", ROOT / "LICENSE-text.md", BOOK.data / "README.md"]
              if CORPUS in p.read_text(encoding="utf-8")]
    assert len(places) >= 5                          # both lesson 7 pages, README, LICENSE-text.md, data/README.md
    for path in places:
        text = path.read_text(encoding="utf-8")
        assert CORPUS_LICENCE in text and not OTHER_GPL_NAMES.search(text), BOOK.rel(path)


def test_one_include_parser_for_both_quote_styles():
    text = ('a\n--8<-- "snippets/a.py"\n  --8<-- \'snippets/numpy_nn.py:rnn\'\n'
            '--8<-- "https://example.com/x.py"\n--8<-- "mixed.py\'\n')
    assert [(i.file, i.section, i.line) for i in includes(text)] == [
        ("snippets/a.py", "", 2), ("snippets/numpy_nn.py", "rnn", 3)]
    section = read_include(BOOK, "snippets/numpy_nn.py:adam")
    assert section.startswith("class Adam:") and "--8<--" not in section


# --- listings: code the text explains, shown where it explains it (issue 23) ------------------------------------
# A listing on a page is at most LISTING_LINES long (a section of a file, about 30 lines, where the text speaks of it).
# The one exception: a whole file shown so that a reader can run it or take it along, not read it along the text, in
# a runnable block or in a collapsed block (`??? example "..."`), after the sections that explain it.
LISTING_LINES = 50
COLLAPSED = re.compile(r"^\?\?\?[ \t]")      # a block that starts closed (`???+` starts open)


def blocks_around(lines, n):
    """The lines that open the blocks (admonitions, tabs, list items) holding line n (1-based), innermost first."""
    indent = len(lines[n - 1]) - len(lines[n - 1].lstrip())
    for line in reversed(lines[:n - 1]):
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            indent = len(line) - len(line.lstrip())
            yield line.strip()


def listings(page):
    """[(include, lines it shows, whether it is a whole file to run or take along)] of a page's code listings."""
    lines, runnable = page.text.split("\n"), set(page.runnable)
    return [(include, len(read_include(BOOK, include.spec).split("\n")),
             not include.section and (include.spec in runnable or any(map(COLLAPSED.match, blocks_around(
                 lines, include.line)))))
            for include in page.includes if include.file.endswith(".py")]


def test_listings_are_found_with_their_blocks():
    page = Page(BOOK, "en", "lessons/08-gates.md")
    shown = {include.spec: (n, whole) for include, n, whole in listings(page)}
    assert shown["snippets/recall_cells.py"] == (len(read_include(BOOK, "snippets/recall_cells.py").split("\n")), True)
    assert shown["snippets/np_recall_lstm.py"][1] and not shown["snippets/recall_lstm.py"][1]    # runnable, a tab
    assert not shown["snippets/numpy_gates.py:lstm_step"][1]


def test_a_program_readers_run_has_no_sections():
    """A runnable block's code is its file exactly (tests/test_runner.py), and a page leaves section markers out: a
    program readers run has none. What explains it is shown as sections of its PyTorch twin."""
    for _, script in runnable_blocks(BOOK):
        assert not sections((ROOT / script).read_text(encoding="utf-8")), script


@pytest.mark.parametrize("lang", I18N)
def test_no_listing_is_longer_than_a_section_unless_it_is_a_whole_program_to_run(lang):
    long = [f"docs/{lang}/{name}:{include.line}: {include.spec} shows {n} lines"
            for name in BOOK.pages(lang) for include, n, whole in listings(Page(BOOK, lang, name))
            if n > LISTING_LINES and not whole]
    assert not long, "split these into sections shown where the text explains them:\n" + "\n".join(long)


def test_the_library_is_declared_once():
    declared = re.search(r"^\s+library: \[([^\]]*)\]", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
    assert BOOK.library == tuple(name.strip() for name in declared.split(",")) and "numpy_nn" in BOOK.library
    assert BOOK.library_files() == [BOOK.snippets / f"{name}.py" for name in BOOK.library]
    assert all(path.is_file() for path in BOOK.library_files())


def test_a_book_is_found_from_inside_it(tmp_path):
    assert Book.find(ROOT / "snippets").root == ROOT
    with pytest.raises(FileNotFoundError):
        Book.find(tmp_path)


# --- the adapter over other plugins' internals ---------------------------------------------------------------
def test_the_adapter_was_read_in_the_pinned_versions():
    locked = (ROOT / "requirements" / "docs.txt").read_text()
    for distribution, version in plugins.READ_IN.items():
        assert re.search(rf"^{re.escape(distribution)}=={re.escape(version)}$", locked, re.M), distribution


def test_another_plugin_version_stops_the_build_with_one_message():
    config = SimpleNamespace(plugins={"i18n": object()})
    with mock.patch.object(plugins, "version", return_value="1.4.0"):
        with pytest.raises(PluginError, match=r"mkdocs-static-i18n 1\.4\.0 is installed.*mkdocs-static-i18n 1\.3\.1"):
            plugins.I18n(config)
    with pytest.raises(PluginError, match="does not enable the mkdocs-jupyter plugin"):
        plugins.Jupyter(config)


# --- HTML edits of the notebook pages --------------------------------------------------------------------------
def test_math_is_marked_in_prose_and_never_in_code():
    page = ('<p>so $W^\\top\n\\mathrm{d}y$ is <code>dy @ W</code>, and $a$ costs $5</p>'
            '<pre><code>print(f"${x}$")</code></pre><p>$$\nh_t\n$$</p><script>var s = "$x$";</script>')
    marked = html.mark_math(page)
    assert '<span class="arithmatex">\\(W^\\top\n\\mathrm{d}y\\)</span>' in marked
    assert '<span class="arithmatex">\\(a\\)</span> costs $5' in marked
    assert '<pre><code>print(f"${x}$")</code></pre>' in marked and 'var s = "$x$"' in marked
    assert '<div class="arithmatex">\\[\nh_t\n\\]</div>' in marked and "<p><div" not in marked


def test_headings_get_the_tocs_ids():
    page = ('<h1 id="">第一<a class="anchor-link" href="#">¶</a></h1><pre><h2>not a heading</h2></pre>'
            '<h2 id="x">第二<a class="anchor-link" href="#x">¶</a></h2>')
    fixed = html.with_heading_ids(page, ["one", "two"])
    assert '<h1 id="one">第一<a class="anchor-link" href="#one">' in fixed
    assert '<h2 id="two">第二<a class="anchor-link" href="#two">' in fixed and "<pre><h2>not" in fixed
    assert html.with_heading_ids(page, ["only-one"]) == page          # counts differ: left alone


def test_cdn_scripts_are_dropped():
    page = '<script src=""></script><script>MathJax.Hub.Config({})</script><script src="x.js"></script>'
    assert html.without_cdn_scripts(page) == '<script src="x.js"></script>'


def test_a_formula_katex_cannot_parse_is_an_error_naming_it():
    assert "katex" in katex.render(BOOK, [("h_t", False)])[0]
    with pytest.raises(ValueError, match=r"KaTeX cannot render \"\\\\frac\{\"") as error:
        katex.render(BOOK, [("x", False), ("\\frac{", True)])
    assert "frac" in str(error.value)
    assert len(katex.render(BOOK, [("a", False), ("b", True)])) == 2        # and it renders on after that
