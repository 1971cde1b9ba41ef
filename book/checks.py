"""The lesson checker: every rule a function that yields problems, one line each with the file to fix.

    python -m book check [--fast] [--strict] [--only NAME]      (make check)

The tests call these same functions (tests/test_checks.py and others): a rule is written once.
CONTRIBUTING.md lists the rules for contributors.
"""
import ast
import subprocess
import sys
from typing import NamedTuple

from . import library_wheel, quizzes, runtime, snippets, translations
from .pages import Page, sections

MISSING = {"zh": "缺少中文版", "en": "缺少英文版"}


class Problem(NamedTuple):
    level: str      # error | warning | note
    where: str      # the file to fix (and line), relative to the book
    message: str

    def __str__(self):
        return f"{self.where}: {self.level}: {self.message}"


def every_page_in_every_language(book):
    """1. A page exists in each language folder under the same name."""
    have = {lang: set(book.pages(lang)) for lang in book.languages}
    for page in sorted(set().union(*have.values())):
        for lang in book.languages:
            if page not in have[lang]:
                source = next(other for other in book.languages if page in have[other])
                yield Problem("error", f"docs/{lang}/{page}", f"missing — every page needs a version in every "
                              f"language; translate docs/{source}/{page} ({MISSING.get(lang, lang)})")


def lessons_in_the_nav(book):
    """2. Every lesson is in the nav, and every nav entry is a page."""
    nav = book.nav_pages()
    pages = set().union(*(book.pages(lang) for lang in book.languages))
    for entry in nav:
        if entry not in pages:
            yield Problem("error", "mkdocs.yml", f"the nav lists {entry}, but no docs/<lang>/{entry} exists — add "
                          "the page or remove the entry (导航中列出的页面不存在)")
    for page in sorted(pages):
        if page.startswith("lessons/") and page not in nav:
            yield Problem("error", "mkdocs.yml", f'{page} is not in the nav — add "- {page}" after the last '
                          "lessons/ entry (这一课没有加入导航)")


def lessons_have_a_summary(book):
    """2b. Every lesson says, in one line of its front matter, what the reader will be able to do
    (`summary:`): the home page shows it under the lesson's title (hooks/lesson_list.py)."""
    for slug in book.lessons():
        for lang in book.languages:
            page = Page(book, lang, book.lesson_page(slug))
            if not page.file.is_file():
                continue
            summary = page.meta.get("summary")
            if not isinstance(summary, str) or not summary.strip() or "\n" in summary.strip():
                yield Problem("error", book.rel(page.file), "no one-line `summary:` in the front matter — say what "
                              "the reader will be able to do after this lesson; the home page shows it "
                              "(缺少一句话的课程简介 summary)")


def included_files_exist(book):
    """3a. Every file a page includes exists."""
    for lang in book.languages:
        for name in book.pages(lang):
            page = Page(book, lang, name)
            for include in page.includes:
                if not (book.root / include.file).is_file():
                    yield Problem("error", f"{book.rel(page.file)}:{include.line}", f"includes {include.file}, "
                                  "which does not exist — fix the path or add the file (引用的文件不存在)")


def translations_show_the_same_code(book):
    """3b. A translation includes the same files, in the same order, as its source."""
    for name in _in_every_language(book):
        source, translation, _ = translations.pair(book, name)
        a, b = [i.spec for i in source.includes], [i.spec for i in translation.includes]
        if a != b:
            missing = [f for f in a if f not in b]
            extra = [f for f in b if f not in a]
            detail = "; ".join(filter(None, [missing and "missing " + ", ".join(missing),
                                             extra and "extra " + ", ".join(extra)])) or "a different order"
            yield Problem("error", book.rel(translation.file), f"shows different code from "
                          f"{book.rel(source.file)}: {detail} — both languages include the same files "
                          "(两种语言须引用相同的代码)")


def sections_are_shown(book):
    """3c. Every section marked in a snippet (`# --8<-- [start:name]` ... `[end:name]`) is shown on a page: a marker
    no page includes is a listing that lost its place, or one that nobody reads."""
    shown = {i.spec for lang in book.languages for name in book.pages(lang) for i in Page(book, lang, name).includes}
    for path in sorted(book.snippets.glob("*.py")):
        for name, (first, _) in sections(path.read_text(encoding="utf-8")).items():
            spec = f"{book.rel(path)}:{name}"
            if spec not in shown:
                yield Problem("error", f"{book.rel(path)}:{first}", f"section {name!r} is shown on no page — include "
                              f'it where the text explains it (--8<-- "{spec}"), or remove its markers '
                              "(没有页面引用这一段代码)")


def snippets_shown_with_outputs(book):
    """4. Every snippet has its output and is shown on a page with it; every output has its snippet."""
    shown = {i.file for lang in book.languages for name in book.pages(lang)
             for i in Page(book, lang, name).includes}
    examples = snippets.examples(book)
    importers = _importers(book, examples)
    for path in examples:
        out = snippets.output_path(book, path)
        if path.stem in importers and book.rel(path) not in shown:
            yield Problem("error", book.rel(path), f"imported by {', '.join(importers[path.stem])}: a module that "
                          f"lesson code imports is library, not an example — add {path.stem} to extra.book.library "
                          "in mkdocs.yml, then run `make pyodide-lock` (被课程代码导入的模块要登记为库)")
            continue
        if not out.is_file():
            yield Problem("error", book.rel(out), f"missing — the output of {book.rel(path)} is generated, never "
                          "typed: run `make outputs` (缺少输出文件)")
        if book.rel(path) not in shown:
            yield Problem("error", book.rel(path), f'not shown on any page — include it in a lesson: --8<-- '
                          f'"{book.rel(path)}" (没有页面引用这段代码)')
        elif out.is_file() and book.rel(out) not in shown:
            yield Problem("error", book.rel(out), f"not shown on any page — include it under {book.rel(path)} "
                          "(没有页面显示这段输出)")
    stems = {p.stem for p in examples}
    for out in sorted(book.outputs.glob("*.txt")):
        if out.stem not in stems:
            yield Problem("error", book.rel(out), f"no {book.rel(book.snippets)}/{out.stem}.py prints this — "
                          "delete it or restore the snippet (没有对应的代码)")


def outputs_are_current(book, only=()):
    """5. Every shown output is what its snippet prints now (runs the snippets: the slow rule)."""
    for path in snippets.examples(book):
        out = snippets.output_path(book, path)
        if not out.is_file() or (only and path.stem not in only):
            continue
        try:
            printed = snippets.run(book, path)
        except (RuntimeError, subprocess.TimeoutExpired) as err:
            last = (str(err).strip().splitlines() or ["?"])[-1]
            yield Problem("error", book.rel(path), f"fails to run: {last} (运行出错)")
            continue
        if printed != out.read_text():
            yield Problem("error", book.rel(out), f"stale — {book.rel(path)} now prints something else; run "
                          "`make outputs` and review the diff (输出已过期)")


def _importers(book, examples):
    """{module name: [the snippets that import it]} for the examples that another snippet imports."""
    stems = {p.stem for p in examples}
    found = {}
    for path in sorted(book.snippets.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                if name in stems and name != path.stem:
                    found.setdefault(name, []).append(path.name)
    return found


def numpy_twins_print_what_torch_prints(book):
    """5b. A NumPy twin (np_<name>.py) prints what its PyTorch program prints, up to the line announcing random
    draws: their outputs are compared (rule 5 keeps each output what its snippet prints)."""
    for path in snippets.examples(book):
        torch_twin = snippets.twin(book, path)
        if torch_twin is None:
            continue
        ours, theirs = snippets.output_path(book, path), snippets.output_path(book, torch_twin)
        if not (ours.is_file() and theirs.is_file()):
            continue                               # rule 4 says which is missing
        a, b = ours.read_text(), theirs.read_text()
        if snippets.up_to_random(a) != snippets.up_to_random(b) or (snippets.RANDOM_MARK in a) != (
                snippets.RANDOM_MARK in b):
            lines = list(zip(a.splitlines(), b.splitlines()))
            n = next((i for i, (x, y) in enumerate(lines, 1) if x != y), len(lines) + 1)
            yield Problem("error", book.rel(ours), f"the NumPy twin prints something else than "
                          f"{book.rel(theirs)} from line {n} on — a NumPy program prints what its PyTorch twin prints "
                          f"(up to {snippets.RANDOM_MARK!r}); fix {book.rel(path)}, then `make outputs` "
                          "(NumPy 版与 PyTorch 版输出不同)")


def exercises_are_proven(book, fast=False):
    """8. Every quiz's answer is computed (shapes and counts by torch from data-config, as rnn-shapes.js computes
    them; typed answers by book/answers.py) and stated by the exercise's answer text; quizzes and widgets carry only
    the attributes and config keys their JavaScript reads. `fast`: book/answers.py's code is not run."""
    for where, line, message in quizzes.problems(book, typed_answers=not fast):
        yield Problem("error", f"{where}:{line}", f"{message} (练习的答案须由代码算出)")


def translations_recorded_and_current(book, strict=False):
    """6. Every translation records the version of its source, and is not behind it."""
    for name in _in_every_language(book):
        source, translation, problem = translations.pair(book, name)
        src, tr = book.rel(source.file), book.rel(translation.file)
        mark = f"then run `make mark-translated file={tr}`"
        if problem == "both":
            yield Problem("error", src, f"both {src} and {tr} record translation_of — only the translation does; "
                          "remove it from the source (只有译文记录 translation_of)")
            continue
        version = translations.recorded(translation.text)
        behind = translation.meta.get(translations.BEHIND) is True
        if version is None:
            yield Problem("error", tr, f"does not record which version of {src} it translates — check that it "
                          f"says the same, {mark} (译文没有记录 translation_of)")
        elif not translations.HASH.fullmatch(version):
            yield Problem("error", tr, f"translation_of must be 12 hex digits — {mark} (translation_of 格式不对)")
        elif translations.stale(translation):
            if behind:
                yield Problem("note", tr, f"behind {src}, allowed by translation_behind: true; the site shows "
                              "readers a notice (译文已知落后)")
            else:
                yield Problem("error" if strict else "warning", tr, f"stale translation — {src} has changed since "
                              f"it was translated; update this page, {mark}, or set translation_behind: true "
                              "(原文已修改，译文需要更新)")
        elif behind:
            yield Problem("note", tr, "translation_behind is set but the translation is current — remove it "
                          "(译文已是最新)")


def runner_wheel_is_current(book):
    """7. The book's wheel and the site's Pyodide lock (pyodide-packages/) hold the library and data as they are."""
    for problem in library_wheel.stale(book):
        yield Problem("error", runtime.PACKAGES + "/", f"{problem}: run `make pyodide-lock` and commit "
                      f"{runtime.PACKAGES}/ (浏览器用的 wheel 已过期)")


def _in_every_language(book):
    pages = [set(book.pages(lang)) for lang in book.languages]
    return sorted(set.intersection(*pages))


def problems(book, fast=False, strict=False, only=()):
    """Every problem of the book, rule by rule (the snippets are run unless `fast`)."""
    yield from every_page_in_every_language(book)
    yield from lessons_in_the_nav(book)
    yield from lessons_have_a_summary(book)
    yield from included_files_exist(book)
    yield from translations_show_the_same_code(book)
    yield from sections_are_shown(book)
    yield from snippets_shown_with_outputs(book)
    yield from runner_wheel_is_current(book)
    yield from numpy_twins_print_what_torch_prints(book)
    yield from exercises_are_proven(book, fast or bool(only))   # book/answers.py runs snippets: not with --only
    if not fast:
        print(f"running snippets{' ' + ', '.join(only) if only else ''} (--fast skips this) ...",
              file=sys.stderr, flush=True)
        yield from outputs_are_current(book, only)
    yield from translations_recorded_and_current(book, strict)


def report(book, fast=False, strict=False, only=()):
    """Print every problem and a summary line; return the exit status (1 when there is an error)."""
    found = list(problems(book, fast, strict, only))
    for problem in found:
        print(problem)
    count = {level: sum(p.level == level for p in found) for level in ("error", "warning")}
    ran = "outputs not run (--fast)" if fast else "outputs compared"
    if count["error"] or count["warning"]:
        e, w = count["error"], count["warning"]
        print(f"{e} error(s), {w} warning(s) ({e} 个错误，{w} 个警告); {ran}")
    else:
        proven = sum(len(quizzes.quizzes(book, book.default_language, slug)) for slug in book.lessons())
        print(f"ok: {len(_in_every_language(book))} pages in every language, {len(snippets.examples(book))} "
              f"snippets, {proven} exercises' answers proven, {ran} (检查通过)")
    return 1 if count["error"] else 0
