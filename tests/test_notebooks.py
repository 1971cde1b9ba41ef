"""The lessons as notebooks: generated from the pages and snippets, run top to bottom, rendered as HTML."""
import re
import shutil

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from book import Book, notebook_pages, notebooks
from book.browser import PHONE, off_origin, record_requests, settle
from book.pages import Page
from conftest import BOOK, LANGS, ROOT
from conftest import page_url as url
from reader import shot, to_dark, visit

SLUGS = BOOK.lessons()


@pytest.fixture(scope="session")
def built():
    """{(lang, slug): notebook with outputs}, each lesson run once (or taken from the run cache)."""
    notebooks.run_all(BOOK)
    return {(lang, slug): notebooks.build(BOOK, lang, slug) for lang in LANGS for slug in SLUGS}


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def stdout(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def test_every_lesson_has_a_notebook_page(site):
    for lang in LANGS:
        lessons = {p.parent.name for p in (site / BOOK.prefix(lang) / "lessons").glob("*/index.html")}
        notebook_pages = {p.parent.name for p in (site / BOOK.prefix(lang) / "notebooks").glob("*/index.html")}
        assert lessons == notebook_pages == set(SLUGS), lang
    assert len(SLUGS) >= 6


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_code_cells_are_the_pages_snippets(built, lang, slug):
    library = {BOOK.rel(path) for path in BOOK.library_files()}
    examples = [i.spec for i in Page(BOOK, lang, BOOK.lesson_page(slug)).includes
                if i.file.endswith(".py") and not i.section and i.file not in library]
    cells = [c for c in code_cells(built[lang, slug]) if "snippet" in c.metadata]
    assert [c.metadata["snippet"] for c in cells] == examples
    for cell in cells:
        assert cell.source == (ROOT / cell.metadata["snippet"]).read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_ran_top_to_bottom_and_outputs_match_the_pages(built, lang, slug):
    cells = code_cells(built[lang, slug])
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:80]
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source[:80]
        if "snippet" in cell.metadata:
            shown = BOOK.outputs / (cell.metadata["snippet"].split("/")[-1][:-3] + ".txt")
            assert stdout(cell) == shown.read_text(encoding="utf-8"), cell.metadata["snippet"]


@pytest.mark.parametrize("lang", LANGS)
def test_first_cell_says_the_tested_versions_and_nothing_installs(built, lang):
    pins = BOOK.pins(*notebooks.PINNED)                       # the versions requirements/test.txt locks
    assert [p.split("==")[0] for p in pins] == ["torch", "numpy"]
    for slug in SLUGS:
        first, check = built[lang, slug].cells[:2]
        assert first.cell_type == "markdown" and first.source.startswith("# ")
        assert all(pin in first.source for pin in pins)
        assert check.source.startswith(f"# %pip install {' '.join(pins)}\n")
        for pin in pins:                                       # the run used those versions
            assert pin.replace("==", " ") in stdout(check), pin
        for cell in code_cells(built[lang, slug]):
            assert not re.search(r"^\s*[%!]\s*pip", cell.source, re.M), "a cell installs something"


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_in_the_pages_language(built, lang):
    for slug in SLUGS:
        nb = built[lang, slug]
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        chinese = len(re.findall(r"[\u4e00-\u9fff]", text)) / len(text)
        assert (chinese > 0.1) if lang == "zh" else (chinese < 0.02), (slug, chinese)
        assert "--8<--" not in text and "!!!" not in text and "???" not in text and "=== " not in text
        assert '<div class="quiz"' not in text and '<div class="rnn-widget"' not in text
        for cell in nb.cells:       # every figure travels with the notebook, as an attachment
            for name in re.findall(r"\(attachment:([^)]+)\)", cell.source):
                assert name in cell.get("attachments", {})


def test_numpy_lessons_bring_their_library(built):
    nb = built["en", "04-hello-ohlol"]
    setup = [c for c in code_cells(nb) if notebooks.SETUP_TAG in c.metadata.get("tags", [])]
    assert [c.source.split("\n", 1)[0] for c in setup] == [
        "import os", "%%writefile numpy_nn.py", "%%writefile data/hello_rnn_init.json",
        "%%writefile data/hello_rnncell_init.json"]
    assert setup[1].source.split("\n", 1)[1] == (BOOK.snippets / "numpy_nn.py").read_text().rstrip("\n")
    assert setup[2].source.split("\n", 1)[1] == (BOOK.data / "hello_rnn_init.json").read_text().rstrip("\n")
    # they run before the first cell that imports numpy_nn (and the kernel ran in an empty folder)
    first_numpy = next(i for i, c in enumerate(code_cells(nb)) if "import numpy_nn" in c.source)
    assert code_cells(nb).index(setup[-1]) < first_numpy


def test_a_failing_cell_fails_the_run():
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('before')"),
                                         nbformat.v4.new_code_cell("1 / 0")], metadata=notebooks.KERNEL)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        notebooks.run(BOOK, nb)
    assert not notebooks.run_path(BOOK, nb).exists()


@pytest.mark.parametrize("lang", LANGS)
def test_a_notebook_without_a_run_says_so(copy, lang):
    # the build never runs a kernel: without a current run in the cache the notebook has no outputs, and says so
    shutil.rmtree(notebooks.cache_dir(copy) / "runs")
    nb = notebooks.build(copy, lang, SLUGS[0])
    assert nb.cells[1].source == notebooks.TEXT[lang]["not_run"]
    assert all(not c.outputs for c in code_cells(nb))


# --- nothing stale ---------------------------------------------------------------------------------
@pytest.fixture
def copy(built, pristine, tmp_path):
    """A fresh copy of the book with a copy of the run cache (not shared: these tests change it)."""
    root = tmp_path / "book"
    shutil.copytree(pristine, root, symlinks=True, ignore=shutil.ignore_patterns("runs"))
    shutil.copytree(notebooks.cache_dir(BOOK) / "runs", root / ".cache/notebooks/runs")
    return Book(root)


def test_a_changed_snippet_is_run_again(built, copy):
    slug = SLUGS[0]
    before = notebooks.build(copy, "en", slug)               # from the copied cache
    assert notebooks.run_key(copy, before) == notebooks.run_key(BOOK, built["en", slug])
    assert [stdout(c) for c in code_cells(before)] == [stdout(c) for c in code_cells(built["en", slug])]
    snippet = copy.root / code_cells(before)[-1].metadata["snippet"]
    snippet.write_text(snippet.read_text() + 'print("a changed snippet")\n')
    assert notebooks.build(copy, "en", slug).cells[1].source == notebooks.TEXT["en"]["not_run"]   # never stale
    assert notebooks.run_all(copy) == 1                       # `make notebooks`: only this lesson runs again
    after = notebooks.build(copy, "en", slug)
    assert notebooks.run_key(copy, after) != notebooks.run_key(copy, before)
    assert stdout(code_cells(after)[-1]).endswith("a changed snippet\n")
    assert notebooks.run_path(copy, after).exists()


def test_the_run_key_covers_the_library_its_data_and_the_versions(copy):
    def key():
        return notebooks.run_key(copy, notebooks.Lesson(copy, "zh", "05-embedding").notebook)
    keys = [key()]
    [numpy] = copy.pins("numpy")
    for path, old, new in ((copy.snippets / "numpy_nn.py", "import math\n", "import math  # a comment\n"),
                           (copy.data / "hello_embedding_init.json", "{\n", "{ \n"),
                           (copy.root / "requirements/test.txt", numpy, numpy + ".post1")):
        text = path.read_text()
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1))
        keys.append(key())
    assert len(set(keys)) == 4


# --- the built site ---------------------------------------------------------------------------------
prefix = BOOK.prefix


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_notebook_pages_are_html_with_outputs(site, built, lang, slug):
    html = (site / f"{prefix(lang)}notebooks/{slug}/index.html").read_text(encoding="utf-8")
    assert '"nbformat"' not in html and '"cell_type"' not in html          # not the raw JSON (#198)
    assert html.count('class="jp-Cell jp-CodeCell') >= 2 and "jp-OutputArea-output" in html
    title = built[lang, slug].cells[0].source.split("\n", 1)[0][2:]
    assert re.search(rf"<h1[^>]*>{re.escape(title)}", html)
    last = [c for c in code_cells(built[lang, slug]) if "snippet" in c.metadata][-1]
    assert stdout(last).splitlines()[-1].replace('"', "&quot;") in html
    scripts = "".join(re.findall(r"<script\b[^>]*>.*?</script>", html, re.S))
    assert not re.search(r'mathjax|mermaid|cdnjs|src=""', scripts, re.I)   # nbconvert's CDN scripts
    assert "%%writefile" not in html                                       # setup cells: download only
    assert "notebook-links" in html and f"{slug}.ipynb" in html
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link"', html)      # headings in Chinese too
    assert len(toc) >= 4 and set(toc) <= set(re.findall(r'<h[1-6] id="([^"]+)"', html))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_the_download_is_a_valid_notebook_with_outputs(site, server, built, lang, slug):
    nb = nbformat.read(site / f"{prefix(lang)}notebooks/{slug}/{slug}.ipynb", as_version=4)
    nbformat.validate(nb)
    # the same cells; links to the book are absolute, to the site it was built for
    assert [c.source.replace(server, "/") for c in nb.cells] == [c.source for c in built[lang, slug].cells]
    assert f"]({server}{prefix(lang)}lessons/{slug}/)" in nb.cells[0].source
    assert [stdout(c) for c in code_cells(nb)] == [stdout(c) for c in code_cells(built[lang, slug])]


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_pages_link_to_their_notebook(site, lang):
    for slug in SLUGS:
        html = (site / f"{prefix(lang)}lessons/{slug}/index.html").read_text(encoding="utf-8")
        links = re.search(r'<p class="notebook-links">(.*?)</p>', html)[1]
        assert f'href="../../{"../" if lang != "zh" else ""}{prefix(lang)}notebooks/{slug}/"' in links
        assert f'{prefix(lang)}notebooks/{slug}/{slug}.ipynb" download=' in links
        assert "colab" not in links        # repo_url is not set in mkdocs.yml: no link that cannot work
    nav = (site / f"{prefix(lang)}index.html").read_text(encoding="utf-8")
    assert nav.count(notebooks.TEXT[lang]["section"]) == 2      # the section, once (label and title)


def test_colab_link_when_repo_url_is_set():
    repo = "https://github.com/someone/rnn-basics"
    assert notebook_pages.colab(repo, "notebooks", "en/notebooks/04-x/04-x.ipynb") == (
        "https://colab.research.google.com/github/someone/rnn-basics/blob/notebooks/en/notebooks/04-x/04-x.ipynb")
    assert notebook_pages.colab("https://gitlab.com/a/b", "notebooks", "x") is None
    links = notebook_pages.links(BOOK, "en", "04-x", "en/lessons/04-x/", "https://github.com/someone/rnn-basics")
    assert "colab.research.google.com/github/someone/rnn-basics/blob/notebooks/en/notebooks/04-x/04-x.ipynb" in links


@pytest.mark.parametrize("lang", LANGS)
def test_notebook_page_in_the_browser(server, page, lang):
    requests = record_requests(page)
    visit(page, url(server, lang, "notebooks/04-hello-ohlol/"))
    for scheme in ("light", "dark"):
        if scheme == "dark":
            to_dark(page)
        assert page.locator(".jp-MarkdownOutput .arithmatex .katex").count() > 0
        assert page.locator(".katex-error").count() == 0
        figure = page.locator(".jp-MarkdownOutput img").first
        assert figure.evaluate("i => i.complete && i.naturalWidth > 0")
        assert page.locator(".jp-OutputArea-output").filter(has_text="Predicted string: ohlol").count() >= 4
        [other] = BOOK.other_languages(lang)
        switch = page.locator(f'a.md-select__link[hreflang="{other}"]')
        assert switch.first.get_attribute("href") == url(server, other, "notebooks/04-hello-ohlol/")
        shot(page, f"notebooks/04-hello-ohlol-{lang}-{scheme}")
        figure.scroll_into_view_if_needed()
        shot(page, f"notebooks/04-hello-ohlol-{lang}-{scheme}-figure")
    assert off_origin(requests, server) == []
    page.set_viewport_size(PHONE)
    for slug in SLUGS:             # code cells scroll inside themselves, the page does not
        visit(page, url(server, lang, f"notebooks/{slug}/"))
        settle(page)
        # once laid out: on a busy machine the first layout after loading was, rarely, 22 px wider (its code
        # cells not yet scrolling inside themselves); a page that stays wider fails after 5 s
        fits = "() => document.documentElement.scrollWidth - window.innerWidth <= 0"
        try:
            page.wait_for_function(fits, timeout=5000)
        except PlaywrightTimeout:
            pytest.fail(f"{slug}: {page.evaluate(fits.replace('<= 0', ''))} px wider than a phone")
