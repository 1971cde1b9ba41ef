"""Add a lesson, and check the book: every problem on one line, with the file to fix.

    python scripts/lessons.py check [--fast] [--strict] [--only NAME]    # the default command
    python scripts/lessons.py new gru --title-zh 门控循环单元 --title-en "Gated recurrent units"
    python scripts/lessons.py mark-translated docs/en/lessons/06-gru.md

`make check`, `make lesson name=... title_zh=... title_en=...` and `make mark-translated file=...`
run these; CONTRIBUTING.md explains the rules. The translation hash comes from
hooks/translation_notice.py, the hook that shows readers the same verdict.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("zh", "en")
MISSING = {"zh": "缺少中文版", "en": "缺少英文版"}
INCLUDE = re.compile(r"""^[ \t]*--8<--[ \t]+(["'])([^"'\n]+)\1""", re.M)
NAV_LESSON = re.compile(r"^([ \t]*)-[ \t]+(?:[^:#\n]+:[ \t]+)?lessons/[^\s#]+\.md\b")
INDEX_LESSON = re.compile(r"^(\d+)\.[ \t]+\[.*\]\(lessons/[^)]+\.md\)[ \t]*$")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


notice = _load("translation_notice", ROOT / "hooks" / "translation_notice.py")
outputs = _load("_outputs", ROOT / "snippets" / "_outputs.py")


def rel(path):
    return Path(path).resolve().relative_to(ROOT).as_posix()


def pages(lang):
    return {p.relative_to(DOCS / lang).as_posix() for p in (DOCS / lang).rglob("*.md")}


def includes(path):
    """Files a page includes with --8<-- (sections `file.py:name` count as the file)."""
    return [m[1] for m in INCLUDE.findall(path.read_text(encoding="utf-8")) if "://" not in m[1]]


def nav_entries():
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda *args: None)                         # !ENV ...
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)
    found = []

    def walk(item):
        if isinstance(item, str):
            if item.endswith(".md") and "://" not in item:
                found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)
    walk(config.get("nav") or [])
    return found


def translation_pair(page):
    """(source, translation, problem) for a page that exists in both languages."""
    paths = {lang: DOCS / lang / page for lang in LANGS}
    recorded = {lang: notice.front_matter(paths[lang].read_text(encoding="utf-8"))[1] for lang in LANGS}
    if recorded["zh"] is not None and recorded["en"] is not None:
        return paths["zh"], paths["en"], "both"
    return (paths["en"], paths["zh"], None) if recorded["zh"] is not None else (paths["zh"], paths["en"], None)


def current_translation(page):
    """The translated side of `page` if it records a version and that version is current, else None."""
    if not all((DOCS / lang / page).is_file() for lang in LANGS):
        return None
    _, translation, problem = translation_pair(page)
    recorded = notice.front_matter(translation.read_text(encoding="utf-8"))[1]
    if problem or not recorded or notice.stale(translation, DOCS):
        return None
    return translation


class Report:
    def __init__(self):
        self.lines, self.count = [], {"error": 0, "warning": 0, "note": 0}

    def add(self, level, where, message):
        self.count[level] += 1
        self.lines.append(f"{where}: {level}: {message}")


def check(fast=False, strict=False, only=()):
    r = Report()
    zh, en = pages("zh"), pages("en")
    both = sorted(zh & en)

    # 1. Every page in both languages.
    for page in sorted(zh ^ en):
        have, miss = ("zh", "en") if page in zh else ("en", "zh")
        r.add("error", f"docs/{miss}/{page}", f"missing — every page needs a version in both languages; "
              f"translate docs/{have}/{page} ({MISSING[miss]})")

    # 2. Every lesson in the nav, every nav entry a page.
    nav = nav_entries()
    for entry in nav:
        if entry not in zh | en:
            r.add("error", "mkdocs.yml", f"the nav lists {entry}, but neither docs/zh/{entry} nor docs/en/{entry} "
                  "exists — add the page or remove the entry (导航中列出的页面不存在)")
    for page in sorted(zh | en):
        if page.startswith("lessons/") and page not in nav:
            r.add("error", "mkdocs.yml", f'{page} is not in the nav — add "- {page}" after the last lessons/ '
                  "entry (这一课没有加入导航)")

    # 3. Included files exist; both languages include the same ones.
    shown = set()
    for lang in LANGS:
        for page in sorted(pages(lang)):
            path = DOCS / lang / page
            for spec in includes(path):
                file = spec.split(":")[0]
                shown.add(file)
                if not (ROOT / file).is_file():
                    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                                if spec in text and "--8<--" in text)
                    r.add("error", f"{rel(path)}:{line}", f"includes {file}, which does not exist — fix the "
                          "path or add the file (引用的文件不存在)")
    for page in both:
        source, translation, _ = translation_pair(page)
        a, b = includes(source), includes(translation)
        if a != b:
            missing = [f for f in a if f not in b]
            extra = [f for f in b if f not in a]
            detail = "; ".join(filter(None, [missing and "missing " + ", ".join(missing),
                                             extra and "extra " + ", ".join(extra)])) or "a different order"
            r.add("error", rel(translation), f"shows different code from {rel(source)}: {detail} — both "
                  "languages include the same files (两种语言须引用相同的代码)")

    # 4. Every snippet has its output (what tests/test_snippets.py compares against) and is on a page.
    examples = outputs.examples()
    for path in examples:
        out = outputs.output_path(path)
        if not out.is_file():
            r.add("error", rel(out), f"missing — the output of {rel(path)} is generated, never typed: run "
                  f"`make outputs` (缺少输出文件)")
        if rel(path) not in shown:
            r.add("error", rel(path), f'not shown on any page — include it in a lesson: --8<-- "{rel(path)}" '
                  "(没有页面引用这段代码)")
        elif out.is_file() and rel(out) not in shown:
            r.add("error", rel(out), f"not shown on any page — include it under {rel(path)} "
                  "(没有页面显示这段输出)")
    stems = {p.stem for p in examples}
    for out in sorted(outputs.OUT.glob("*.txt")):
        if out.stem not in stems:
            r.add("error", rel(out), f"no snippets/{out.stem}.py prints this — delete it or restore the snippet "
                  "(没有对应的代码)")

    # 5. Every shown output is what its snippet prints now.
    todo = []
    if not fast:
        todo = [p for p in examples if outputs.output_path(p).is_file() and (not only or p.stem in only)]
        print(f"running snippets: {len(todo)} (--fast skips this) ...", file=sys.stderr, flush=True)
        for path in todo:
            try:
                printed = outputs.run(path)
            except (RuntimeError, subprocess.TimeoutExpired) as err:
                last = (str(err).strip().splitlines() or ["?"])[-1]
                r.add("error", rel(path), f"fails to run: {last} (运行出错)")
                continue
            if printed != outputs.output_path(path).read_text():
                r.add("error", rel(outputs.output_path(path)), f"stale — {rel(path)} now prints something else; "
                      "run `make outputs` and review the diff (输出已过期)")

    # 6. Every translation records the version of its source, and is not behind it.
    for page in both:
        source, translation, problem = translation_pair(page)
        mark = f"then run `make mark-translated file={rel(translation)}`"
        if problem == "both":
            r.add("error", rel(source), f"both {rel(source)} and {rel(translation)} record translation_of — only "
                  "the translation does; remove it from the source (只有译文记录 translation_of)")
            continue
        meta, recorded = notice.front_matter(translation.read_text(encoding="utf-8"))
        behind = meta.get(notice.BEHIND) is True
        if recorded is None:
            r.add("error", rel(translation), f"does not record which version of {rel(source)} it translates — "
                  f"check that it says the same, {mark} (译文没有记录 translation_of)")
        elif not re.fullmatch(r"[0-9a-f]{12}", recorded):
            r.add("error", rel(translation), f"translation_of must be 12 hex digits — {mark} "
                  "(translation_of 格式不对)")
        elif notice.stale(translation, DOCS):
            if behind:
                r.add("note", rel(translation), f"behind {rel(source)}, allowed by translation_behind: true; "
                      "the site shows readers a notice (译文已知落后)")
            else:
                r.add("error" if strict else "warning", rel(translation), f"stale translation — {rel(source)} has "
                      f"changed since it was translated; update this page, {mark}, or set translation_behind: "
                      "true (原文已修改，译文需要更新)")
        elif behind:
            r.add("note", rel(translation), "translation_behind is set but the translation is current — remove "
                  "it (译文已是最新)")

    for line in r.lines:
        print(line)
    ran = "outputs not run (--fast)" if fast else f"outputs compared: {len(todo)}"
    if r.count["error"] or r.count["warning"]:
        e, w = r.count["error"], r.count["warning"]
        print(f"{e} error(s), {w} warning(s) ({e} 个错误，{w} 个警告); {ran}")
    else:
        print(f"ok: {len(both)} pages in both languages, {len(examples)} snippets, {ran} (检查通过)")
    return 1 if r.count["error"] else 0


# --- new lesson ---------------------------------------------------------------------------------
SNIPPET = '''"""First example of the lesson "{title}": the tensor shapes through torch.nn.RNN.

x: (seq_len, batch, input_size) -> out: (seq_len, batch, hidden_size), h_n: (num_layers, batch, hidden_size)
"""
import torch

seq_len, batch_size, input_size, hidden_size = 3, 1, 4, 2

torch.manual_seed(0)
rnn = torch.nn.RNN(input_size, hidden_size)       # W_ih (H, I), W_hh (H, H), b_ih, b_hh
x = torch.randn(seq_len, batch_size, input_size)  # the whole sequence, (seq_len, batch, input_size)
out, h_n = rnn(x)                                 # h_0 defaults to zeros

print("x:  ", list(x.shape))
print("out:", list(out.shape))
print("h_n:", list(h_n.shape))
print("out[-1] equals h_n[0]:", torch.equal(out[-1], h_n[0]))
'''

PAGE = {"zh": '''# {title}

!!! info "来源"
    本课是本书新增的一课，不在刘二大人《PyTorch深度学习实践》“循环神经网络（基础篇）”一讲之内；文字和代码由本书的贡献者编写。

## 从一个小例子开始

先用前几课的 `torch.nn.RNN` 跑一个小例子：一段 3 个时间步的序列，批量大小为 1，每步 4 个特征，送进隐藏层大小为 2 的 RNN，看看各个张量的形状。

```python title="snippets/{snippet}.py"
--8<-- "snippets/{snippet}.py"
```

```text title="输出"
--8<-- "snippets/out/{snippet}.txt"
```

`out` 里是每个时间步的隐藏状态，形状是 `(seq_len, batch, hidden_size)`；`h_n` 只有最后一个时间步的隐藏状态，形状是 `(num_layers, batch, hidden_size)`。所以 `out` 的最后一步就是 `h_n`。

## 小结

- `torch.nn.RNN` 的输入形状是 `(seq_len, batch, input_size)`。
- 输出 `out` 的形状是 `(seq_len, batch, hidden_size)`，`h_n` 的形状是 `(num_layers, batch, hidden_size)`。

## 练习

??? question "练习 1"
    把例子中的 `hidden_size` 改成 5，`out` 和 `h_n` 的形状分别是什么？

    ??? success "答案"
        `out` 是 `[3, 1, 5]`，`h_n` 是 `[1, 1, 5]`。
''', "en": '''# {title}

!!! info "Source"
    This lesson is new in this book: it is not part of the basic-RNN lecture of Liu Er's course
    《PyTorch深度学习实践》. Its text and code are written by the book's contributors.

## A small example first

Let's start from the `torch.nn.RNN` of the earlier lessons: a sequence of 3 time steps, batch size 1 and 4 features
per step goes through an RNN with a hidden size of 2, and we look at the shape of every tensor.

```python title="snippets/{snippet}.py"
--8<-- "snippets/{snippet}.py"
```

```text title="Output"
--8<-- "snippets/out/{snippet}.txt"
```

`out` holds the hidden state of every time step, shape `(seq_len, batch, hidden_size)`; `h_n` holds only the last
one, shape `(num_layers, batch, hidden_size)`. So the last step of `out` is `h_n`.

## Summary

- `torch.nn.RNN` takes input of shape `(seq_len, batch, input_size)`.
- Its output `out` has shape `(seq_len, batch, hidden_size)` and `h_n` has shape `(num_layers, batch, hidden_size)`.

## Exercises

??? question "Exercise 1"
    Change `hidden_size` in the example to 5. What are the shapes of `out` and `h_n`?

    ??? success "Answer"
        `out` is `[3, 1, 5]` and `h_n` is `[1, 1, 5]`.
'''}


def fail(message):
    sys.exit(f"error: {message}")


def with_front_matter(text, recorded):
    """`text` with `translation_of: recorded` in its front matter and no `translation_behind`."""
    text = text.replace("\r\n", "\n")
    m = notice.FRONT.match(text)
    if not m:
        return f"---\n{notice.KEY}: {recorded}\n---\n\n{text}"
    head = re.sub(r"^translation_behind:.*\n", "", m.group(1), flags=re.M)
    head = notice.KEY_LINE.sub(f"{notice.KEY}: {recorded}", head) if notice.KEY_LINE.search(head) \
        else head + f"{notice.KEY}: {recorded}\n"
    return text[:m.start(1)] + head + text[m.end(1):]


def mark_translated(file):
    if not str(file).strip():
        fail("which page? make mark-translated file=docs/en/lessons/NN-name.md")
    path = Path(file).resolve()
    if not path.is_file() or path.suffix != ".md" or DOCS.resolve() not in path.parents:
        fail(f"{file}: not a page under docs/")
    source = notice.counterpart(path, DOCS)
    if not source.is_file():
        fail(f"{rel(path)}: there is no {rel(source)} to be a translation of")
    if notice.front_matter(source.read_text(encoding="utf-8"))[1] is not None:
        fail(f"{rel(source)} records translation_of, so it is the translation: mark that page instead")
    recorded = notice.source_hash(source.read_text(encoding="utf-8"))
    path.write_text(with_front_matter(path.read_text(encoding="utf-8"), recorded), encoding="utf-8")
    print(f"{rel(path)}: translation_of: {recorded} (the current {rel(source)})")


def new(name, title_zh, title_en):
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name or ""):
        fail(f"name={name!r}: use lower-case letters, digits and dashes, e.g. name=gru")
    if not title_zh.strip() or not title_en.strip():
        fail('both titles are needed: title_zh="门控循环单元" title_en="Gated recurrent units"')
    lessons = [p for lang in LANGS for p in (DOCS / lang / "lessons").glob("*.md")]
    if any(p.name.split("-", 1)[-1] == f"{name}.md" for p in lessons):
        fail(f"a lesson named {name} exists already")
    number = max((int(m[1]) for p in lessons if (m := re.match(r"(\d+)-", p.name))), default=0) + 1
    stem = f"{number:02d}-{name}"
    snippet = name.replace("-", "_")
    code = ROOT / "snippets" / f"{snippet}.py"
    if code.exists():
        fail(f"{rel(code)} exists already: pick another name")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    last = [i for i, line in enumerate(config) if NAV_LESSON.match(line)]
    if not last:
        fail("mkdocs.yml: no `- lessons/...` entry in the nav to add the new lesson after")

    code.write_text(SNIPPET.format(title=title_en.replace('"', "'")), encoding="utf-8")
    run = subprocess.run([sys.executable, "snippets/_outputs.py", snippet], cwd=ROOT)
    if run.returncode:
        code.unlink()
        fail(f"{rel(code)} did not run (is torch installed? `make lesson` installs it)")

    index_fresh = current_translation("index.md")
    page = {lang: DOCS / lang / "lessons" / f"{stem}.md" for lang in LANGS}
    title = {"zh": title_zh.strip(), "en": title_en.strip()}
    page["zh"].write_text(PAGE["zh"].format(title=title["zh"], snippet=snippet), encoding="utf-8")
    recorded = notice.source_hash(page["zh"].read_text(encoding="utf-8"))
    page["en"].write_text(with_front_matter(PAGE["en"].format(title=title["en"], snippet=snippet), recorded),
                          encoding="utf-8")

    indent = NAV_LESSON.match(config[last[-1]]).group(1)
    config.insert(last[-1] + 1, f"{indent}- lessons/{stem}.md")
    (ROOT / "mkdocs.yml").write_text("\n".join(config), encoding="utf-8")
    changed = [rel(code), rel(outputs.output_path(code)), rel(page["zh"]), rel(page["en"]), "mkdocs.yml"]

    # The lesson lists on the home pages ("1. [title](lessons/01-....md)"), when they have one.
    for lang in LANGS:
        index = DOCS / lang / "index.md"
        lines = index.read_text(encoding="utf-8").split("\n") if index.is_file() else []
        at = [i for i, line in enumerate(lines) if INDEX_LESSON.match(line)]
        if at:
            number = int(INDEX_LESSON.match(lines[at[-1]]).group(1)) + 1
            lines.insert(at[-1] + 1, f"{number}. [{title[lang]}](lessons/{stem}.md)")
            index.write_text("\n".join(lines), encoding="utf-8")
            changed.append(rel(index))
    if index_fresh:  # both home pages changed the same way: a current translation stays current
        mark_translated(index_fresh)

    print("created or changed:\n  " + "\n  ".join(changed))
    print(f"next: write the lesson in both pages, `make outputs` after changing {rel(code)}, `make serve` to "
          f"preview, `make check` before the pull request; after updating the English page, "
          f"`make mark-translated file={rel(page['en'])}`")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "check")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check the book (the default)")
    c.add_argument("--fast", action="store_true", help="do not run the snippets to compare their outputs")
    c.add_argument("--strict", action="store_true", help="stale translations are errors (also when $CI is set)")
    c.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this snippet")
    n = sub.add_parser("new", help="scaffold a lesson: pages, snippet, output, nav entry")
    n.add_argument("name")
    n.add_argument("--title-zh", required=True)
    n.add_argument("--title-en", required=True)
    m = sub.add_parser("mark-translated", help="record that a translation matches its source as it is now")
    m.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "check":
        ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
        return check(fast=args.fast, strict=args.strict or ci, only=set(args.only))
    if args.command == "new":
        new(args.name, args.title_zh, args.title_en)
    else:
        mark_translated(args.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
