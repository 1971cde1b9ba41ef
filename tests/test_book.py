"""The book package itself (book/): its shape (no import cycle, every module in its index), its reading of
mkdocs.yml, the include parser, the plugin adapter, HTML edits."""
import ast
import re
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import material
import pytest
from mkdocs.exceptions import PluginError

import book
from book import Book, html, katex, plugins
from book.pages import Page, includes, read_include, runnable_blocks, sections
from conftest import BOOK, ROOT

PACKAGE = ROOT / "book"

I18N = ("zh", "en")     # mkdocs.yml's i18n block, read by hand here


# --- the package's shape ---------------------------------------------------------------------------------------
def imports(package):
    """{module: the modules of `package` it imports}, read from the source (imports inside functions too): `from .
    import x`, `from .x import y`, `from book import x`, `import book.x`. A name of __init__ (`from book import
    Book`) is an import of __init__, which imports what it imports in turn."""
    modules = {path.stem for path in package.glob("*.py")}
    found = {}
    for path in package.glob("*.py"):
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith(f"{package.name}.")}
            elif isinstance(node, ast.ImportFrom):
                parts = (node.module or "").split(".")
                if node.level == 0 and parts[0] == package.name:
                    parts = parts[1:]
                elif node.level != 1:
                    continue
                if parts and parts[0]:
                    edges.add(parts[0])                          # from .x import y, from book.x import y
                else:                                            # from . import x, from book import x
                    edges |= {alias.name if alias.name in modules else "__init__" for alias in node.names}
        found[path.stem] = edges & modules - {path.stem}
    return found


def cycles(graph):
    """Every import cycle of `graph`, each as the list of modules around it (the first one again at the end)."""
    found, done = [], set()

    def walk(module, path):
        if module in path:
            cycle = path[path.index(module):]
            if frozenset(cycle) not in done:
                done.add(frozenset(cycle))
                found.append(cycle + [module])
            return
        for other in sorted(graph.get(module, ())):
            walk(other, path + [module])

    for module in sorted(graph):
        walk(module, [])
    return found


def test_no_module_of_the_book_imports_one_that_imports_it_back():
    assert cycles(imports(PACKAGE)) == [], "import cycles inside book/: move what both need into a module of its own"


def test_the_cycle_finder_finds_a_cycle_through_others_and_through_init(tmp_path):
    package = tmp_path / "book"
    package.mkdir()
    for name, text in {"__init__.py": "from .a import A\n", "a.py": "def f():\n    from book.b import g\n",
                       "b.py": "from . import c\n", "c.py": "import book.a\n", "d.py": "from book import A\n",
                       "e.py": "import os\nfrom . import d\n"}.items():
        (package / name).write_text(text)
    graph = imports(package)
    assert graph["d"] == {"__init__"} and graph["e"] == {"d"}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    (package / "a.py").write_text("from book import e\n")            # a -> e -> d -> __init__ -> a
    assert cycles(imports(package)) == [["__init__", "a", "e", "d", "__init__"]]


def test_no_test_module_imports_another():
    """What tests share lives in conftest.py (fixtures) and reader.py (helpers for the browser tests)."""
    found = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.name} imports {name}" for name in names if name.split(".")[0].startswith("test_")]
    assert not found, found


def test_the_module_index_lists_every_module():
    listed = re.findall(r"^    (\w+)\.py +\S", book.__doc__, re.M)
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert sorted(listed) == sorted(modules), f"book/__init__.py's index: missing {sorted(modules - set(listed))}, " \
                                              f"not modules {sorted(set(listed) - modules)}"


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
        with pytest.raises(PluginError, match=r"mkdocs-material 1\.4\.0 is installed.*mkdocs-material 9\.8\.1"):
            plugins.Material(config)
    with pytest.raises(PluginError, match="does not enable the mkdocs-jupyter plugin"):
        plugins.Jupyter(config)


def test_the_search_worker_is_the_one_materials_base_html_names(tmp_path):
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[str(ROOT / "overrides"), str(tmp_path)]))
    (tmp_path / "base.html").write_text('{{- {"base": base_url,\n "search": "assets/workers/search.1234abcd.min.js" '
                                        '| url,\n "tags": none} | tojson -}}')
    with pytest.raises(PluginError, match="no longer names its search worker"):      # named, but not a file
        plugins.Material(config).search_worker()
    (tmp_path / "assets/workers").mkdir(parents=True)
    (tmp_path / "assets/workers/search.1234abcd.min.js").write_text("")
    assert plugins.Material(config).search_worker() == "assets/workers/search.1234abcd.min.js"
    (tmp_path / "base.html").write_text('"search": search_worker | url')
    with pytest.raises(PluginError, match="no longer names its search worker"):
        plugins.Material(config).search_worker()
    installed = Path(material.__file__).parent / "templates"                          # the pinned Material's own
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[str(ROOT / "overrides"), str(installed)]))
    assert [plugins.Material(config).search_worker()] == [
        path.relative_to(installed).as_posix() for path in installed.glob("assets/javascripts/workers/search.*.min.js")]


def test_the_templates_change_nothing_they_are_given():
    """overrides/ only writes what the build computed (book/page_settings.py): no dict or list changed in a template
    (Material's own namespace, `set _.x = ...`, is a template variable)."""
    for path in (ROOT / "overrides").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.findall(r"\.(?:update|append|extend|insert|pop|setdefault|clear)\(", text), path


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
