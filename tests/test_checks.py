"""The lesson checker (book/checks.py), the lesson scaffold, the workflows (contributing by pull request).

The real book passes every rule (each rule one test, calling the function the checker calls); every rule is
shown to catch its problem on a broken copy of the book, through `python -m book check` as a contributor runs it.
"""
import functools
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from book import Book, checks, quizzes, runtime, translations
from book.pages import Page
from conftest import BOOK, ROOT

PAGE = "lessons/01-weight-sharing.md"     # the page the broken copies break
SNIPPET = "weight_count"                  # a snippet shown on that page
IGNORED = (".git", ".venv", "node_modules", "site", ".pytest_cache", "__pycache__", ".cache", "test-artifacts",
           ".venv-pyodide")
NOTICE = {"en": "This translation may be out of date", "zh": "此译文可能已过期"}
# The rules the real book must pass, one test each; the others are tested where their subject is, one test per
# item: outputs_are_current (tests/test_snippets.py, a snippet each), numpy_twins_print_what_torch_prints
# (tests/test_numpy_loops.py, a twin each), exercises_are_proven (tests/test_widgets.py, a lesson each),
# runner_wheel_is_current (tests/test_library_wheel.py), translations_recorded_and_current (below).
RULES = [checks.every_page_in_every_language, checks.lessons_in_the_nav, checks.lessons_have_a_summary,
         checks.included_files_exist, checks.translations_show_the_same_code, checks.sections_are_shown,
         checks.snippets_shown_with_outputs]


def run(root, *args, ci=False, check=False):
    """`python -m book ARGS` in the book at `root` (a copy runs its own book/ package)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    result = subprocess.run([sys.executable, "-m", "book", *args], cwd=root, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def problems(result):
    """The checker's one-line reports (`path: level: message`), without its summary line."""
    return {line for line in result.stdout.splitlines() if re.match(r"\S+: (error|warning|note): ", line)}


def about(result, path, level=None):
    """The problems reported about `path` (at `level`) that the unbroken copy does not have."""
    return [line for line in problems(result) - UNBROKEN
            if line.split(":")[0] == path and (level is None or f": {level}: " in line)]


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


UNBROKEN = set()   # what the checker says about the unbroken copy: a broken copy must add its own problem


@functools.cache
def checked(root):
    """What `make check FAST=1` says about the book at `root`, once a process (each worker asks once)."""
    return frozenset(problems(run(root, "check", "--fast")))


@pytest.fixture
def baseline(pristine):
    UNBROKEN.update(checked(pristine))
    return UNBROKEN


@pytest.fixture
def book(pristine, baseline, tmp_path):
    """A fresh copy of the book to break."""
    root = tmp_path / "book"
    shutil.copytree(pristine, root, symlinks=True)
    return root


# --- the real book ------------------------------------------------------------------------------
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_the_real_book_passes(rule):
    # The snippets' outputs are compared by tests/test_snippets.py; in CI ($CI) stale translations fail.
    assert not [str(p) for p in rule(BOOK)]


def test_the_real_book_records_its_translations():
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    assert not [str(p) for p in checks.translations_recorded_and_current(BOOK, strict=ci) if p.level == "error"]


def test_the_command_line_passes():
    result = subprocess.run([sys.executable, "-m", "book", "check", "--fast"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in problems(result) if ": error: " in line]


def test_the_unbroken_copy_is_clean_about_lesson_one(baseline):
    assert not [line for line in baseline if "01-weight-sharing" in line]


# --- one broken copy per rule -------------------------------------------------------------------
def test_missing_translation(book):
    (book / "docs/en" / PAGE).unlink()
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, f"docs/en/{PAGE}", "error")
    assert "missing" in line and f"docs/zh/{PAGE}" in line and "缺少英文版" in line


def test_lesson_missing_from_the_nav(book):
    edit(book / "mkdocs.yml", f"      - {PAGE}\n", "")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    assert any(f"{PAGE} is not in the nav" in line for line in about(result, "mkdocs.yml", "error"))


def test_nav_entry_without_a_page(book):
    edit(book / "mkdocs.yml", f"      - {PAGE}\n", f"      - {PAGE}\n      - lessons/99-nowhere.md\n")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    assert any("lessons/99-nowhere.md" in line for line in about(result, "mkdocs.yml", "error"))


def test_lesson_without_a_summary(book):
    page = book / "docs/en" / PAGE
    edit(page, "\nsummary: ", "\nsummery: ")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, f"docs/en/{PAGE}", "error")
    assert "summary" in line and "缺少" in line


def test_included_file_missing(book):
    for lang in ("zh", "en"):
        edit(book / "docs" / lang / PAGE, f'--8<-- "snippets/{SNIPPET}.py"', '--8<-- "snippets/no_such_file.py"')
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    for lang in ("zh", "en"):
        page = book / "docs" / lang / PAGE
        where = f"docs/{lang}/{PAGE}:{line_of(page, 'no_such_file.py')}"
        assert [line for line in problems(result) if line.startswith(f"{where}: error: includes")], result.stdout
    # and the snippet those pages no longer include
    assert about(result, f"snippets/{SNIPPET}.py", "error")


def test_twins_include_different_code(book):
    edit(book / "docs/en" / PAGE, f'--8<-- "snippets/out/{SNIPPET}.txt"', "")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, f"docs/en/{PAGE}", "error")
    assert f"missing snippets/out/{SNIPPET}.txt" in line


def test_section_shown_on_no_page(book):
    path = book / "snippets" / f"{SNIPPET}.py"
    path.write_text("# --8<-- [start:unused]\n" + path.read_text(encoding="utf-8") + "# --8<-- [end:unused]\n",
                    encoding="utf-8")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, f"snippets/{SNIPPET}.py", "error")
    assert line.startswith(f"snippets/{SNIPPET}.py:1: error: section 'unused' is shown on no page"), line
    assert f'--8<-- "snippets/{SNIPPET}.py:unused"' in line and "没有页面引用" in line


def test_snippet_without_output_or_page_and_output_without_snippet(book):
    (book / "snippets/extra_demo.py").write_text('print("hi")\n')
    (book / "snippets/out/ghost.txt").write_text("boo\n")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    assert about(result, "snippets/out/extra_demo.txt", "error")          # no output
    assert about(result, "snippets/extra_demo.py", "error")               # never included
    assert about(result, "snippets/out/ghost.txt", "error")               # no snippet


def test_stale_output(book):
    with open(book / "snippets/out" / f"{SNIPPET}.txt", "a") as out:
        out.write("a line the snippet does not print\n")
    assert not about(run(book, "check", "--fast"), f"snippets/out/{SNIPPET}.txt")   # --fast does not run it ...
    result = run(book, "check", "--only", SNIPPET)                        # ... the full check does
    assert result.returncode == 1
    [line] = about(result, f"snippets/out/{SNIPPET}.txt", "error")
    assert "stale" in line and "make outputs" in line


def test_snippet_that_fails(book):
    (book / "snippets/crash_demo.py").write_text('raise SystemExit("boom")\n')
    (book / "snippets/out/crash_demo.txt").write_text("")
    for lang in ("zh", "en"):
        with open(book / "docs" / lang / PAGE, "a", encoding="utf-8") as page:
            page.write('\n```python\n--8<-- "snippets/crash_demo.py"\n```\n\n'
                       '```text\n--8<-- "snippets/out/crash_demo.txt"\n```\n')
    result = run(book, "check", "--only", "crash_demo")
    assert result.returncode == 1
    [line] = about(result, "snippets/crash_demo.py", "error")
    assert "fails to run" in line and "boom" in line


def test_contributing_lists_what_quizzes_and_widgets_read():
    """Section 5 and 6 of CONTRIBUTING name every config key and widget attribute that the JavaScript declares."""
    node = quizzes.in_node(BOOK)
    for name in ("CONTRIBUTING.md", "CONTRIBUTING.zh.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for module, keys in node["keys"].items():
            assert f"`{module}`" in text and all(f"`{key}`" in text for key in keys), (name, module)
        for widget, read in node["declared"].items():
            attrs = [a for kind in read.values() for a in kind] if isinstance(read, dict) else read
            assert all(f"`data-{a}`" in text for a in attrs), (name, widget)
            assert widget == "quiz" or f"`{widget}`" in text, (name, widget)


# --- answers that cannot be fooled: each caught by `make check` and by the rules the tests run ------------------
QUIZ_PAGE = "lessons/03-rnn-layer.md"     # exercise 1: out and h_n of nn.RNN(10, 20, num_layers=2)
QUIZ_CONFIG = '{"seq_len": 7, "batch_size": 3, "input_size": 10, "hidden_size": 20, "num_layers": 2}'


def quiz_problems(root, fast=True):
    """What `make check` says about QUIZ_PAGE (both languages) in the copy at `root`, and what the tests' rule
    (book/quizzes.py, called by tests/test_widgets.py on the real book) says about it, in this process."""
    result = run(root, "check", "--fast" if fast else "--only", *([] if fast else ["none"]))
    said = [line for line in problems(result) - UNBROKEN if QUIZ_PAGE in line and ": error: " in line]
    rule = [f"{where}:{line}: {message}" for where, line, message in quizzes.problems(Book(root), not fast)
            if QUIZ_PAGE in where]
    return result.returncode, said, rule


def break_quiz(root, old, new):
    for lang in ("zh", "en"):
        edit(root / "docs" / lang / QUIZ_PAGE, old, new)


def test_a_literal_shape_is_refused(book):
    break_quiz(book, 'data-shape="rnn:out rnn:h_n" data-config=\'' + QUIZ_CONFIG,
               'data-shape="out=(7,3,20) h_n=(2,3,21)" data-config=\'' + QUIZ_CONFIG)
    status, said, rule = quiz_problems(book)
    assert status == 1 and len(said) == 2 and len(rule) == 2
    assert all("a shape written out ((7,3,20) (2,3,21)) is never checked" in line for line in said + rule)


def test_a_config_key_no_module_reads_is_refused(book):
    break_quiz(book, QUIZ_CONFIG, QUIZ_CONFIG[:-1] + ', "bidirectional": true}')
    status, said, rule = quiz_problems(book)
    assert status == 1 and len(said) == 2 and len(rule) == 2
    assert all("data-config: bidirectional is not read by rnn" in line for line in said + rule)


def test_a_config_that_contradicts_the_answer_text(book):
    break_quiz(book, QUIZ_CONFIG, QUIZ_CONFIG.replace('"hidden_size": 20', '"hidden_size": 30'))
    status, said, rule = quiz_problems(book)
    assert status == 1 and len(said) == 4 and len(rule) == 4           # out and h_n, in both languages
    assert all("the answer text does not state rnn:" in line and ", 30)" in line for line in said + rule)


def test_an_attribute_a_widget_does_not_read_and_a_typed_answer_not_derived(book):
    for lang in ("zh", "en"):
        edit(book / "docs" / lang / QUIZ_PAGE, 'data-widget="shape-explorer" data-mode="rnn"',
             'data-widget="shape-explorer" data-moed="rnn"')
        edit(book / "docs" / lang / PAGE, 'data-type="number" data-count="conv:total" data-config=\'{"in_channels": '
             '3, "out_channels": 16, "kernel_size": 3}\'', 'data-type="number" data-answer="432"')
    status, said, _ = quiz_problems(book)
    assert status == 1 and len(said) == 2
    assert all("shape-explorer does not read data-moed" in line for line in said)
    result = run(book, "check", "--fast")
    typed = [line for line in problems(result) - UNBROKEN if PAGE in line and ": error: " in line]
    assert len(typed) == 2 and all("book/answers.py does not derive" in line for line in typed)


def test_a_numpy_twin_that_prints_another_number(book):
    """np_gates.py (gates.py's twin) made to print one more parameter, its output rewritten by `make outputs`."""
    edit(book / "snippets/np_gates.py", 'print(f"{name:4s} {count:5d} parameters',
         'print(f"{name:4s} {count + 1:5d} parameters')
    run(book, "outputs", "np_gates", check=True)
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, "snippets/out/np_gates.txt", "error")
    assert "prints something else than snippets/out/gates.txt from line 1 on" in line
    assert [str(p) for p in checks.numpy_twins_print_what_torch_prints(Book(book))] == [line]


def test_a_module_lesson_code_imports_must_be_declared(book):
    """A helper module added to snippets/ and imported by a lesson's snippet, but not declared as library."""
    (book / "snippets/shapes_helper.py").write_text("def show(t):\n    return list(t.shape)\n")
    with open(book / "snippets" / f"{SNIPPET}.py", "a") as snippet:
        snippet.write("import shapes_helper  # noqa: E402, F401\n")
    result = run(book, "check", "--fast")
    assert result.returncode == 1
    [line] = about(result, "snippets/shapes_helper.py", "error")
    assert f"imported by {SNIPPET}.py" in line and "add shapes_helper to extra.book.library" in line
    assert not about(result, "snippets/out/shapes_helper.txt"), "not asked for an output it has no use for"


@pytest.fixture
def stale_book(book):
    with open(book / "docs/zh" / PAGE, "a", encoding="utf-8") as page:
        page.write("\n新加的一句话。\n")
    return book


def test_stale_translation_warns_locally(stale_book):
    result = run(stale_book, "check", "--fast")
    [line] = about(result, f"docs/en/{PAGE}")
    assert ": warning: stale translation" in line and f"make mark-translated file=docs/en/{PAGE}" in line


@pytest.mark.parametrize("how", ["CI", "--strict"])
def test_stale_translation_fails_in_ci(stale_book, how):
    result = run(stale_book, "check", "--fast", *(["--strict"] if how == "--strict" else []), ci=how == "CI")
    assert result.returncode == 1
    [line] = about(result, f"docs/en/{PAGE}")
    assert ": error: stale translation" in line


def test_translation_behind_is_allowed(stale_book):
    edit(stale_book / "docs/en" / PAGE, "translation_of:", "translation_behind: true\ntranslation_of:")
    result = run(stale_book, "check", "--fast", ci=True)
    assert not about(result, f"docs/en/{PAGE}", "error") and not about(result, f"docs/en/{PAGE}", "warning")
    assert about(result, f"docs/en/{PAGE}", "note")
    # mark-translated records the new version and drops the flag
    run(stale_book, "mark-translated", f"docs/en/{PAGE}", check=True)
    assert "translation_behind" not in (stale_book / "docs/en" / PAGE).read_text(encoding="utf-8")
    assert not about(run(stale_book, "check", "--fast", ci=True), f"docs/en/{PAGE}")


def test_translation_must_be_recorded_once(book):
    text = (book / "docs/en" / PAGE).read_text(encoding="utf-8")
    (book / "docs/en" / PAGE).write_text(re.sub(r"^translation_of:.*\n", "", text, flags=re.M), encoding="utf-8")
    assert "does not record" in about(run(book, "check", "--fast"), f"docs/en/{PAGE}", "error")[0]
    (book / "docs/en" / PAGE).write_text(text, encoding="utf-8")
    zh = (book / "docs/zh" / PAGE).read_text(encoding="utf-8")      # its front matter holds the summary
    (book / "docs/zh" / PAGE).write_text(zh.replace("---\n", "---\ntranslation_of: 0123456789ab\n", 1))
    assert "both" in about(run(book, "check", "--fast"), f"docs/zh/{PAGE}", "error")[0]


def test_a_chinese_page_can_be_the_translation(book):
    en = book / "docs/en" / PAGE
    en.write_text(re.sub(r"\A---\n.*?\n---\n\n", "", en.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    run(book, "mark-translated", f"docs/zh/{PAGE}", check=True)
    assert run(book, "mark-translated", f"docs/en/{PAGE}").returncode != 0    # the source cannot be marked
    assert not about(run(book, "check", "--fast"), f"docs/zh/{PAGE}")
    with open(en, "a", encoding="utf-8") as page:
        page.write("\nOne more sentence.\n")
    assert ": warning: stale translation" in about(run(book, "check", "--fast"), f"docs/zh/{PAGE}")[0]


def test_the_notice_speaks_the_translations_language(book):
    # the verdict and the notice of hooks/translation_notice.py; tests/test_new_lesson.py sees it in a built copy
    copy = Book(book)

    def shown(lang):
        page = Page(copy, lang, PAGE)
        return translations.with_notice(page.body, lang) if translations.stale(page) else page.body

    assert NOTICE["en"] not in shown("en")                    # current
    with open(book / "docs/zh" / PAGE, "a", encoding="utf-8") as page:
        page.write("\n新加的一句话。\n")
    lines = shown("en").split("\n")
    assert lines[0].startswith("# ") and NOTICE["en"] in "\n".join(lines[1:4])   # under the title
    assert NOTICE["zh"] not in shown("zh")                    # the source gets no notice


# --- the workflows ------------------------------------------------------------------------------
def workflow(name):
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
    on = data.get("on", data.get(True))          # YAML 1.1 reads the key `on` as true
    return data, ({on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on)


def steps(data):
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_ci_runs_what_make_test_runs_on_pull_requests_read_only():
    """Three jobs side by side: lint and the checker, the tests without a browser, the browser tests (after numpy's
    wheel is mirrored, and told where); together the whole of `make test`, each printing its slowest tests."""
    data, on = workflow("ci.yml")
    assert "pull_request" in on and "pull_request_target" not in on
    assert on["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    assert all(job.get("permissions", {"contents": "read"}) == {"contents": "read"} for job in data["jobs"].values())
    runs = {name: [step.get("run", "").strip() for step in job["steps"]] for name, job in data["jobs"].items()}
    assert {name: [r for r in steps if r.startswith("make")] for name, steps in runs.items()} == {
        "lint-and-check": ["make lint check"], "python-tests": ["make test-fast"],
        "browser-tests": ["make mirror", "make test-browser"]}
    browser = next(step for step in data["jobs"]["browser-tests"]["steps"] if step.get("run") == "make test-browser")
    assert browser["env"]["PYODIDE_NUMPY_DIR"] == "pyodide-packages"
    for job in data["jobs"].values():
        uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in job["steps"]}
        assert str(uses["actions/setup-python"]["python-version"]).split()[-1] == "3.11"   # the default, last
        assert str(uses["actions/setup-node"]["node-version"]) == "20"
    assert str(next(step["with"]["python-version"] for step in data["jobs"]["python-tests"]["steps"]
                    if "setup-python" in step.get("uses", ""))).split() == ["3.12", "3.11"]   # pyodide-build's test
    recipes = make_recipes()
    assert '-m "not browser and not slow"' in recipes["test-fast"]
    assert '-m "browser or slow"' in recipes["test-browser"]                   # the two: all of make test
    assert "browser" not in recipes["test"] and "lint" in recipes["test:prerequisites"]    # make test: all of it
    assert all("--durations=15" in recipes[target] for target in ("test", "test-fast", "test-browser"))


def make_recipes():
    """{target: its recipe, target + ":prerequisites": what it depends on} of the Makefile, as written."""
    found, target = {}, None
    for line in (ROOT / "Makefile").read_text().splitlines():
        m = re.match(r"^([\w-]+):(?!=)(.*)$", line)
        if m:
            target = m[1]
            found[target], found[f"{target}:prerequisites"] = "", m[2]
        elif line.startswith("\t") and target:
            found[target] += line.strip() + "\n"
    return found


def test_make_help_lists_every_target_with_the_comment_above_it():
    """`make help` (and `make` alone): every target of the Makefile, each on one line with the first line of the
    comment above it; every target has one, and every target that makes no file is .PHONY."""
    makefile = (ROOT / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", makefile, re.M)[1].replace("\\\n", " ").split())
    targets = [target for target in make_recipes() if ":" not in target and "/" not in target and "." not in target]
    assert sorted(targets) == sorted(phony)
    lines = makefile.splitlines()
    comments = {}
    for i, line in enumerate(lines):
        if (m := re.match(r"^([\w-]+):(?!=)", line)) and m[1] in phony:
            start = i
            while start > 0 and lines[start - 1].startswith("# ") and not lines[start - 1].startswith("# ---"):
                start -= 1
            comments[m[1]] = lines[start][2:] if start < i else ""
    assert not [target for target, comment in comments.items() if not comment], "a target without a comment above it"
    for run in (["make", "-s", "--no-print-directory", "help"], ["make", "-s", "--no-print-directory"]):
        shown = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
        assert {re.match(r"^  make (\S+) +(.*)$", line).groups() for line in shown} == set(comments.items())
        assert len(shown) == len(phony)


def test_deploy_publishes_the_build_to_pages():
    data, on = workflow("deploy.yml")
    assert on["push"]["branches"] == ["main"] and "pull_request_target" not in on
    uses = [step.get("uses", "").split("@")[0] for step in steps(data)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    # the notebooks are run before the build (make pdf builds the site, then prints it), so the published notebook
    # pages have their outputs
    runs = [step.get("run", "").strip() for step in steps(data)]
    assert "make notebooks pdf" in runs and "build" in make_recipes()["pdf:prerequisites"].split()
    # numpy mirrored beside the book's wheel before the build, and the site's own folder as packages_url:
    # the published book asks no other origin for anything, even on Run
    assert runs.index("make mirror") < runs.index("make notebooks pdf")
    assert BOOK.config["extra"]["pyodide"]["packages_url"] == f"vendor/{runtime.PACKAGES}/"
    push = next(step["run"] for step in steps(data) if "git push" in step.get("run", ""))
    assert "notebooks" in push.split("git push", 1)[1] and "find . -name '*.ipynb'" in push
    assert data["jobs"]["build"]["permissions"] == {"contents": "write"}   # that push; pull requests never run it
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


GROUPED = '''import os
import pytest


@pytest.fixture(scope="session")
def shared():
    with open("made.log", "a") as log:                      # one line each time a worker makes it
        log.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")


@pytest.mark.parametrize("n", range(8))
def test_shares(shared, n):
    pass


@pytest.mark.parametrize("n", range(8))
def test_alone(n):
    pass
'''


# The nested pytest's environment: the caller's, but not the options the caller gave its own pytest
OWN_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}


def test_tests_that_share_a_modules_fixture_run_on_one_worker(tmp_path):
    """`make test`'s workers (pytest -n 2 --dist loadgroup) with tests/conftest.py's grouping: a module's
    session-scoped fixture is made once, on one worker, for all the tests that use it."""
    (tmp_path / "conftest.py").write_text(                  # the book's own hook, loaded under another name
        "import importlib.util, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        f"spec = importlib.util.spec_from_file_location('book_conftest', {str(ROOT / 'tests/conftest.py')!r})\n"
        "book_conftest = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(book_conftest)\n"
        "pytest_collection_modifyitems = book_conftest.pytest_collection_modifyitems\n")
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    make = next(line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("PYTEST_WORKERS"))
    result = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-p", "no:randomly",
                             *make.split(":=")[1].split(), "test_grouped.py"], cwd=tmp_path, capture_output=True,
                            text=True, env={**OWN_ENVIRONMENT, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    ran = {test: worker for worker, test in re.findall(r"^\[(gw\d)\] \[[ \d%]+\] PASSED test_grouped.py::(\S+)",
                                                        result.stdout, re.M)}
    assert len(ran) == 16, result.stdout[-2000:]
    assert len({worker for test, worker in ran.items() if test.startswith("test_shares")}) == 1, ran
    assert len((tmp_path / "made.log").read_text().splitlines()) == 1
