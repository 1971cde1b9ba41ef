"""Contributing by pull request (issue 7): the lesson checker, the lesson scaffold, the workflows.

Every rule of `scripts/lessons.py check` is shown to catch its problem on a broken copy of the book;
the scaffold makes a lesson that builds and passes; the real book passes.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml

from conftest import ROOT

SCRIPT = "scripts/lessons.py"
PAGE = "lessons/01-weight-sharing.md"     # the page the broken copies break
SNIPPET = "weight_count"                  # a snippet shown on that page
STALE_PAGE = "lessons/02-rnn-cell.md"     # made stale in the built copy
NEW = ("gru", "门控循环单元", "Gated recurrent units")
NEW_OUTPUT = ["x:   [3, 1, 4]", "out: [3, 1, 2]", "h_n: [1, 1, 2]", "out[-1] equals h_n[0]: True"]
IGNORED = (".git", ".venv", "node_modules", "site", ".pytest_cache", "__pycache__", ".cache", "test-artifacts",
           "pyodide-packages")
NOTICE = {"en": "This translation may be out of date", "zh": "此译文可能已过期"}


def run(root, *args, ci=False, check=False):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    result = subprocess.run([sys.executable, SCRIPT, *args], cwd=root, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def problems(result):
    """The checker's one-line reports (`path: level: message`), without its summary line."""
    return {line for line in result.stdout.splitlines() if re.match(r"\S+: (error|warning|note): ", line)}


def about(result, path, level=None):
    return [line for line in problems(result)
            if line.split(":")[0] == path and (level is None or f": {level}: " in line)]


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


@pytest.fixture(scope="session")
def pristine(tmp_path_factory):
    """The book as it is in the working tree (tracked and new files), node_modules linked."""
    root = tmp_path_factory.mktemp("book") / "book"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.split("\0")):
            if (ROOT / name).is_file():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, root / name)
    else:  # not a git checkout
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(*IGNORED))
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    # the notebooks' runs, keyed by their code (scripts/notebooks.py): shared, not run again
    (ROOT / ".cache/notebooks/runs").mkdir(parents=True, exist_ok=True)
    (root / ".cache/notebooks").mkdir(parents=True)
    (root / ".cache/notebooks/runs").symlink_to(ROOT / ".cache/notebooks/runs")
    # Lesson 1 and 2 as current translations, whatever state the book is in right now.
    for page in (PAGE, STALE_PAGE):
        run(root, "mark-translated", f"docs/en/{page}", check=True)
    return root


@pytest.fixture(scope="session")
def baseline(pristine):
    """What the checker says about the unbroken copy: a broken copy must add its own problem."""
    return problems(run(pristine, "check", "--fast"))


@pytest.fixture
def book(pristine, tmp_path):
    root = tmp_path / "book"
    shutil.copytree(pristine, root, symlinks=True)
    return root


# --- the real book ------------------------------------------------------------------------------
def test_the_real_book_passes():
    # The snippets' outputs are compared by tests/test_snippets.py; in CI ($CI) stale translations fail.
    result = subprocess.run([sys.executable, SCRIPT, "check", "--fast"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in problems(result) if ": error: " in line]


def test_the_unbroken_copy_is_clean_about_lesson_one(baseline):
    assert not [line for line in baseline if "01-weight-sharing" in line]


# --- one broken copy per rule -------------------------------------------------------------------
def test_missing_translation(book, baseline):
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
    (book / "docs/en" / PAGE).write_text(re.sub(r"\A---\n.*?\n---\n\n", "", text, flags=re.S), encoding="utf-8")
    assert "does not record" in about(run(book, "check", "--fast"), f"docs/en/{PAGE}", "error")[0]
    (book / "docs/en" / PAGE).write_text(text, encoding="utf-8")
    (book / "docs/zh" / PAGE).write_text("---\ntranslation_of: 0123456789ab\n---\n\n"
                                         + (book / "docs/zh" / PAGE).read_text(encoding="utf-8"))
    assert "both" in about(run(book, "check", "--fast"), f"docs/zh/{PAGE}", "error")[0]


def test_a_chinese_page_can_be_the_translation(book):
    en, zh = book / "docs/en" / PAGE, book / "docs/zh" / PAGE
    en.write_text(re.sub(r"\A---\n.*?\n---\n\n", "", en.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    run(book, "mark-translated", f"docs/zh/{PAGE}", check=True)
    assert run(book, "mark-translated", f"docs/en/{PAGE}").returncode != 0    # the source cannot be marked
    assert not about(run(book, "check", "--fast"), f"docs/zh/{PAGE}")
    with open(en, "a", encoding="utf-8") as page:
        page.write("\nOne more sentence.\n")
    assert ": warning: stale translation" in about(run(book, "check", "--fast"), f"docs/zh/{PAGE}")[0]


def test_the_hook_speaks_the_translations_language(book):
    spec = importlib.util.spec_from_file_location("notice_under_test", book / "hooks/translation_notice.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = {"docs_dir": str(book / "docs")}

    def shown(lang):
        path = book / "docs" / lang / PAGE
        page = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(path)))
        body, _ = hook.get_data(path.read_text(encoding="utf-8"))   # what mkdocs gives the hook
        return hook.on_page_markdown(body, page=page, config=config, files=None)

    assert NOTICE["en"] not in shown("en")                    # current
    with open(book / "docs/zh" / PAGE, "a", encoding="utf-8") as page:
        page.write("\n新加的一句话。\n")
    lines = shown("en").split("\n")
    assert lines[0].startswith("# ") and NOTICE["en"] in "\n".join(lines[1:4])   # under the title
    assert NOTICE["zh"] not in shown("zh")                    # the source gets no notice


# --- the scaffold, and a build with a stale translation -------------------------------------------
@pytest.fixture(scope="module")
def scaffolded(pristine, tmp_path_factory):
    """A copy with a new lesson (its snippet run for real) and a stale translation, built strictly."""
    root = tmp_path_factory.mktemp("scaffold") / "book"
    shutil.copytree(pristine, root, symlinks=True)
    before = run(root, "check", "--fast")
    name, title_zh, title_en = NEW
    made = run(root, "new", name, "--title-zh", title_zh, "--title-en", title_en, check=True)
    with open(root / "docs/zh" / STALE_PAGE, "a", encoding="utf-8") as page:
        page.write("\n新加的一句话。\n")
    site = root / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=root,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
    numbers = [int(p.name[:2]) for p in (pristine / "docs/zh/lessons").glob("*.md")]
    return SimpleNamespace(root=root, site=site, before=before, made=made, build=build,
                           stem=f"{max(numbers) + 1:02d}-{name}")


def test_scaffold_writes_a_lesson(scaffolded):
    root, stem = scaffolded.root, scaffolded.stem
    for lang, title in (("zh", NEW[1]), ("en", NEW[2])):
        text = (root / "docs" / lang / "lessons" / f"{stem}.md").read_text(encoding="utf-8")
        assert f"# {title}\n" in text
        assert '--8<-- "snippets/gru.py"' in text and '--8<-- "snippets/out/gru.txt"' in text
        assert ("## 小结" if lang == "zh" else "## Summary") in text
        assert ("## 练习" if lang == "zh" else "## Exercises") in text
        assert "TODO" not in text
    assert (root / "snippets/out/gru.txt").read_text().splitlines() == NEW_OUTPUT   # really run
    nav = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(rf"      - lessons/\d\d-[a-z-]+\.md\n      - lessons/{stem}\.md\n", nav)
    assert "# Page tree" in nav                                                        # comments survive
    for lang in ("zh", "en"):
        assert f"](lessons/{stem}.md)" in (root / "docs" / lang / "index.md").read_text(encoding="utf-8")


def test_scaffolded_lesson_passes_the_checker(scaffolded):
    after = run(scaffolded.root, "check", "--fast")
    new = problems(after) - problems(scaffolded.before)
    # the only new line is the stale translation this copy was given on purpose
    assert {line.split(":")[0] for line in new} <= {f"docs/en/{STALE_PAGE}"}, "\n".join(new)
    assert not [line for line in problems(after) if "gru" in line]


def test_scaffolded_lesson_builds(scaffolded):
    assert scaffolded.build.returncode == 0, scaffolded.build.stderr
    for prefix in ("", "en/"):
        html = (scaffolded.site / f"{prefix}lessons/{scaffolded.stem}/index.html").read_text(encoding="utf-8")
        assert "out: [3, 1, 2]" in html and "--8<--" not in html
        notebook = (scaffolded.site / f"{prefix}notebooks/{scaffolded.stem}/index.html").read_text(encoding="utf-8")
        assert "out: [3, 1, 2]" in notebook and "jp-OutputArea-output" in notebook


def test_the_site_flags_the_stale_translation(scaffolded):
    def html(prefix, page):
        return (scaffolded.site / f"{prefix}{page[:-3]}/index.html").read_text(encoding="utf-8")
    assert NOTICE["en"] in html("en/", STALE_PAGE)
    assert NOTICE["zh"] not in html("", STALE_PAGE)
    assert NOTICE["en"] not in html("en/", PAGE)


# --- the workflows ------------------------------------------------------------------------------
def workflow(name):
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
    on = data.get("on", data.get(True))          # YAML 1.1 reads the key `on` as true
    return data, ({on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on)


def steps(data):
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_ci_runs_make_test_on_pull_requests_read_only():
    data, on = workflow("ci.yml")
    assert "pull_request" in on and "pull_request_target" not in on
    assert on["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    assert all(job.get("permissions", {"contents": "read"}) == {"contents": "read"} for job in data["jobs"].values())
    assert any("make test" in step.get("run", "") for step in steps(data))
    uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in steps(data)}
    assert str(uses["actions/setup-python"]["python-version"]) == "3.11"
    assert str(uses["actions/setup-node"]["node-version"]) == "20"


def test_deploy_publishes_the_build_to_pages():
    data, on = workflow("deploy.yml")
    assert on["push"]["branches"] == ["main"] and "pull_request_target" not in on
    uses = [step.get("uses", "").split("@")[0] for step in steps(data)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    # the notebooks are run before the build, so the published notebook pages have their outputs
    assert any(step.get("run", "").strip() == "make notebooks build" for step in steps(data))
    push = next(step["run"] for step in steps(data) if "git push" in step.get("run", ""))
    assert "notebooks" in push.split("git push", 1)[1] and "find . -name '*.ipynb'" in push
    assert data["jobs"]["build"]["permissions"] == {"contents": "write"}   # that push; pull requests never run it
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
