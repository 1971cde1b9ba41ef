"""Growing the book: a full-featured new lesson, and a second library module, each added in a copy of the book.

`make lesson` writes a lesson with a PyTorch snippet, its NumPy twin in tabs, a runnable block and a quiz,
and touches nothing but that lesson's own files and its nav entry. Then every check, the notebooks, the
runner and the quiz tests pick it up: the copy's own test suite is run on what concerns the new lesson.
A module added to snippets/ and declared in mkdocs.yml (extra.book.library) reaches the notebooks with nothing
else changed, and the browser after `make pyodide-lock` (the book's wheel in the site's lock) with no change to
the runner.
"""
import functools
import hashlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from types import SimpleNamespace

import nbformat
import pytest

from book import Book, library_wheel, notebooks
from book.browser import close
from conftest import BOOK, build, lock_without_numpy
from reader import configure_runner, visit

# Every test here reads a copy of the book built whole (slow: `make test-fast` leaves them to `make test`)
pytestmark = pytest.mark.slow

NAME, TITLES = "gru", {"zh": "门控循环单元", "en": "Gated recurrent units"}
OUTPUT = ["x:   [3, 1, 4]", "out: [3, 1, 2]", "h_n: [1, 1, 2]", "out[-1] equals h_n[0]: True"]
STALE_PAGE = "lessons/02-rnn-cell.md"     # made stale in the copy after the scaffold
NOTICE = {"en": "This translation may be out of date", "zh": "此译文可能已过期"}
# The copy's own tests that must find the new lesson (by its slug or its snippets' names in their ids)
PICKED_UP = ["test_snippet_output_is_current[gru]", "test_snippet_output_is_current[np_gru]",
             "test_numpy_program_prints_what_its_torch_twin_prints[np_gru]",
             "test_code_cells_are_the_pages_snippets[{slug}-zh]", "test_ran_top_to_bottom_and_outputs_match_the_pages"
             "[{slug}-en]", "test_quiz_markup_is_the_same_in_both_languages_and_answers_agree[{slug}]",
             "test_every_exercise_marks_wrong_and_right_answers[{slug}-zh]",
             "test_every_exercise_marks_wrong_and_right_answers[{slug}-en]",
             "test_runnable_blocks_have_their_buttons[{slug}-np_gru]"]


def python(root, *args, check=True, env=None):
    """`python ARGS` in the copy at `root`, as a contributor runs it (not in CI: stale translations warn)."""
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(NO_MKDOCS_2_WARNING="1", **(env or {}))
    result = subprocess.run([sys.executable, *args], cwd=root, env=environ, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def files(root):
    """{path: bytes} of the book's own files (not the links to node_modules and the shared caches)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not {".cache", "node_modules", "site", "__pycache__"} & set(p.relative_to(root).parts)}


@pytest.fixture(scope="session")
def lesson(pristine, tmp_path_factory):
    """A copy with a new lesson scaffolded, then one translation made stale on purpose, its notebooks run and
    its site built strictly."""
    root = tmp_path_factory.mktemp("new-lesson") / "book"
    shutil.copytree(pristine, root, symlinks=True)
    before = files(root)
    made = python(root, "-m", "book", "new", NAME, *[f"--title={lang}={t}" for lang, t in TITLES.items()])
    after = files(root)
    with open(root / "docs/zh" / STALE_PAGE, "a", encoding="utf-8") as page:
        page.write("\n新加的一句话。\n")
    python(root, "-m", "book", "notebooks")                    # `make notebooks`, as `make test` does first
    site, port = root / "site", free_port()
    built = build(root, site, f"http://127.0.0.1:{port}/")   # served at that address by the copy's own tests
    slug = next(p.stem for p in (root / "docs/zh/lessons").glob(f"*-{NAME}.md"))
    return SimpleNamespace(root=root, book=Book(root), site=site, port=port, made=made, built=built, slug=slug,
                           changed={p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys()))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_lesson_is_numbered_after_the_last_one(lesson, pristine):
    numbers = [int(p.name[:2]) for p in (pristine / "docs/zh/lessons").glob("*.md")]
    assert lesson.slug == f"{max(numbers) + 1:02d}-{NAME}"


def test_only_the_lessons_own_files_and_its_nav_entry_change(lesson, pristine):
    assert lesson.changed == {f"docs/{lang}/lessons/{lesson.slug}.md" for lang in TITLES} | {
        "snippets/gru.py", "snippets/np_gru.py", "snippets/out/gru.txt", "snippets/out/np_gru.txt", "mkdocs.yml"}
    old, new = ((root / "mkdocs.yml").read_text().split("\n") for root in (pristine, lesson.root))
    added = [line for line in new if line not in old]
    assert added == [f"      - lessons/{lesson.slug}.md"] and len(new) == len(old) + 1
    assert re.search(rf"      - lessons/\d\d-[a-z-]+\.md\n      - lessons/{lesson.slug}\.md\n",
                     (lesson.root / "mkdocs.yml").read_text())


def test_the_lesson_has_every_feature(lesson):
    for lang, title in TITLES.items():
        text = (lesson.root / "docs" / lang / "lessons" / f"{lesson.slug}.md").read_text(encoding="utf-8")
        assert f"# {title}\n" in text and "TODO" not in text
        assert '=== "PyTorch"' in text and '=== "NumPy"' in text                          # tabs
        assert '--8<-- "snippets/gru.py"' in text and '--8<-- "snippets/out/gru.txt"' in text
        assert '```{.python .runnable title="snippets/np_gru.py"}' in text                # the twin runs in the browser
        assert '<div class="quiz" data-type="shape"' in text                              # it checks itself
        assert ("## 小结" if lang == "zh" else "## Summary") in text
        assert ("## 练习" if lang == "zh" else "## Exercises") in text
    for name in ("gru", "np_gru"):                                                       # really run
        assert (lesson.root / "snippets/out" / f"{name}.txt").read_text().splitlines() == OUTPUT
    assert "import numpy_nn" in (lesson.root / "snippets/np_gru.py").read_text()


def test_the_checker_passes_it(lesson):
    result = python(lesson.root, "-m", "book", "check", "--only", "gru", "--only", "np_gru", check=False)
    problems = [line for line in result.stdout.splitlines() if re.match(r"\S+: (error|warning|note): ", line)]
    # the only line is the stale translation this copy was given on purpose
    assert problems and all(line.startswith(f"docs/en/{STALE_PAGE}: warning: stale") for line in problems), problems
    assert result.returncode == 0


def test_it_builds_with_its_notebook(lesson):
    assert lesson.built.returncode == 0, lesson.built.stderr
    for lang in TITLES:
        prefix = lesson.book.prefix(lang)
        html = (lesson.site / f"{prefix}lessons/{lesson.slug}/index.html").read_text(encoding="utf-8")
        assert "out: [3, 1, 2]" in html and "--8<--" not in html and 'class="quiz"' in html
        notebook = (lesson.site / f"{prefix}notebooks/{lesson.slug}/index.html").read_text(encoding="utf-8")
        assert "out: [3, 1, 2]" in notebook and "jp-OutputArea-output" in notebook
    home = (lesson.site / "en/index.html").read_text(encoding="utf-8")
    assert f'href="lessons/{lesson.slug}/">{TITLES["en"]}</a>' in home                 # listed from the nav


def test_the_site_flags_the_stale_translation(lesson):
    def html(prefix, page):
        return (lesson.site / f"{prefix}{page[:-3]}/index.html").read_text(encoding="utf-8")
    assert NOTICE["en"] in html("en/", STALE_PAGE)
    assert NOTICE["zh"] not in html("", STALE_PAGE)
    assert NOTICE["en"] not in html("en/", "lessons/01-weight-sharing.md")


@pytest.mark.browser                 # the copy's own browser tests among them
def test_the_tests_pick_it_up(lesson):
    """The copy's own suite, on the tests whose ids name the new lesson or its snippets (on the site built above:
    the same book, not built again); not those of lesson 8's GRU and LSTM widgets, whose names say "gru" too."""
    result = python(lesson.root, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                    "-k", f"{lesson.slug} or gru and not gru_and_lstm",
                    "tests/test_snippets.py", "tests/test_numpy_loops.py", "tests/test_notebooks.py",
                    "tests/test_widgets.py", "tests/test_runner.py", check=False,
                    env={"BOOK_PREBUILT_SITE": f"{lesson.site} {lesson.port}"})
    passed = set(re.findall(r"^PASSED \S+::(\S+)", result.stdout, re.M))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for test in PICKED_UP:
        assert test.format(slug=lesson.slug) in passed, (test, sorted(passed))


# --- a second library module -------------------------------------------------------------------------------------
GRU_MODULE = '''"""A second library module, as a GRU lesson would add beside numpy_nn: torch's gate order."""
GATES = ("r", "z", "n")   # the row blocks of a GRU's weight_ih and weight_hh, in torch's order


def gate_rows(hidden_size):
    """{gate: (first row, end)} of the stacked weights of a GRU with this hidden size."""
    return {gate: (i * hidden_size, (i + 1) * hidden_size) for i, gate in enumerate(GATES)}
'''
GRU_SNIPPET = 'import numpy_gru\n\nprint(numpy_gru.gate_rows(3))\n'
GRU_OUTPUT = "{'r': (0, 3), 'z': (3, 6), 'n': (6, 9)}\n"


@pytest.fixture(scope="session")
def library(pristine, tmp_path_factory):
    """A copy where snippets/numpy_gru.py is added and declared, and lesson 6 shows a snippet that uses it."""
    root = tmp_path_factory.mktemp("library") / "book"
    shutil.copytree(pristine, root, symlinks=True)
    (root / "snippets/numpy_gru.py").write_text(GRU_MODULE)
    config = (root / "mkdocs.yml").read_text()
    assert config.count("library: [") == 1
    (root / "mkdocs.yml").write_text(config.replace("library: [", "library: [numpy_gru, "))
    (root / "snippets/gru_gates.py").write_text(GRU_SNIPPET)
    for lang in ("zh", "en"):
        with open(root / "docs" / lang / "lessons/06-bptt.md", "a", encoding="utf-8") as page:
            page.write('\n```python\n--8<-- "snippets/gru_gates.py"\n```\n\n'
                       '```text\n--8<-- "snippets/out/gru_gates.txt"\n```\n')
    python(root, "-m", "book", "outputs", "gru_gates")
    python(root, "-m", "book", "mark-translated", "docs/en/lessons/06-bptt.md")   # both pages changed alike
    python(root, "-m", "book", "notebooks")
    if library_wheel.find_python():                       # pyodide-build, in the checkout's tool environment
        (root / library_wheel.TOOLS).symlink_to(library_wheel.tools(BOOK).parent)
        python(root, "-m", "book", "pyodide-lock")
    site = root / "site"
    built = build(root, site)
    assert built.returncode == 0, built.stderr
    return SimpleNamespace(root=root, book=Book(root), site=site)


def test_a_declared_module_is_library_not_an_example(library):
    assert (library.root / "snippets/out/gru_gates.txt").read_text() == GRU_OUTPUT
    assert not (library.root / "snippets/out/numpy_gru.txt").exists()
    result = python(library.root, "-m", "book", "check", "--fast", check=False)
    assert "numpy_gru" not in result.stdout and result.returncode == 0, result.stdout


def test_a_declared_module_reaches_the_notebooks(library):
    for lang in ("zh", "en"):
        nb = notebooks.build(library.book, lang, "06-bptt")
        setup = [c.source.split("\n", 1)[0] for c in nb.cells if notebooks.SETUP_TAG in c.metadata.get("tags", [])]
        assert "%%writefile numpy_gru.py" in setup
        cell = next(c for c in nb.cells if c.get("metadata", {}).get("snippet") == "snippets/gru_gates.py")
        assert "".join(o.get("text", "") for o in cell.outputs) == GRU_OUTPUT          # it ran, with the module
        download = nbformat.read(library.site / f"{library.book.prefix(lang)}notebooks/06-bptt/06-bptt.ipynb", 4)
        assert any(c.source.startswith("%%writefile numpy_gru.py\n") for c in download.cells)


@pytest.mark.skipif(library_wheel.find_python() is None, reason="no Python >= 3.12 here: pyodide-build cannot run")
def test_a_declared_module_reaches_the_browser(library, browser):
    assert library_wheel.stale(library.book) == []
    # numpy is left out (this machine cannot fetch it): the copy's own lock and wheel, less numpy
    lock_without_numpy(library.site / "vendor/pyodide-packages", library.site / "vendor/no-numpy")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(library.site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        visit(page, f"http://127.0.0.1:{httpd.server_address[1]}/en/playground/")
        configure_runner(page, "vendor/no-numpy/")                            # the lock beside it, then
        code = page.locator(".runner code").first
        code.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text("import hashlib, importlib.util, os\n"
                                  "if False:\n    import numpy_gru  # found by the runner, not run\n"
                                  "path = importlib.util.find_spec('numpy_gru').origin\n"
                                  "sha = hashlib.sha256(open(path, 'rb').read()).hexdigest()\n"
                                  "print(os.path.basename(path), sha)\n")
        page.locator(".runner-button--run").first.click()
        page.wait_for_function("() => !document.querySelector('.runner--running')", timeout=60_000)
        sha = hashlib.sha256(GRU_MODULE.encode()).hexdigest()
        assert page.locator(".runner-output").first.text_content() == f"numpy_gru.py {sha}\n"
    finally:
        close(page)
        httpd.shutdown()
