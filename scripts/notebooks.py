"""Each lesson page as a Jupyter notebook: the page's own text and the very snippet files it includes.

    python scripts/notebooks.py          run what changed, write every notebook to .cache/notebooks/pages/
    python scripts/notebooks.py --list   the run cache: which keys exist, which are current

A notebook is generated, never edited by hand, never committed:
- markdown cells come from the lesson's Markdown: admonitions become quotes, exercises and answers
  <details>, figures cell attachments (the notebook works offline and in Colab), widgets a link to
  the page, links to other pages absolute links to the site;
- code cells are the snippet files the page includes (`--8<-- "snippets/x.py"`); the outputs shown
  under them on the page are left out, because running the cell prints them;
- a first code cell checks the versions it was tested with and installs nothing unless the reader
  removes the `#` in front of `%pip`; NumPy lessons get cells that write `numpy_nn.py` and the
  initial weights next to the notebook (tagged `book-setup`, hidden on the site).

Outputs come from running the code cells top to bottom with nbclient; an error in any cell fails.
Runs are cached in .cache/notebooks/runs/<key>.ipynb, where key hashes every code cell (so every
snippet and numpy_nn.py) and the pinned versions: a changed snippet is run again, never shown stale.
Both languages share their code cells, so each lesson runs once.
"""
import base64
import hashlib
import importlib.util
import json
import os
import posixpath
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CACHE = ROOT / ".cache" / "notebooks"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"  # served at the site root; English under /en/
SETUP_TAG = "book-setup"
KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
          "language_info": {"name": "python"}}

TEXT = {
    "zh": {
        "section": "笔记本",
        "intro": "这本笔记本由课程页面[{title}]({url})生成：文字相同，代码就是页面上经过测试的代码。"
                 "它在 Python 3.11、{pins}（CPU）下从头到尾运行过，下面的输出都是运行得到的。"
                 "下一格只检查版本；要安装同样的版本，删掉该格 `%pip` 一行开头的 `#` 再运行。"
                 "除此之外，这本笔记本不安装任何东西。",
        "setup": "下面的 NumPy 代码要用本书的 `numpy_nn.py`（第 6 课逐行讲解的库）和从 PyTorch 模型导出的"
                 "初始权重 {files}。下载的笔记本里，紧接着的几格把它们写到笔记本所在的文件夹；网页上省略了这几格。",
        "widget": "*这里是一个交互演示，请在[课程页面]({url})上操作。*",
        "not_run": "**这次构建没有运行这本笔记本（当前环境没有安装 torch），所以没有输出。** "
                   "`make test` 和网站部署时都会运行它。",
        "page": "课程页面", "notebook": "笔记本", "download": "下载 .ipynb", "colab": "在 Colab 中打开",
    },
    "en": {
        "section": "Notebooks",
        "intro": "This notebook is generated from the lesson page [{title}]({url}): the same text, and the "
                 "page's tested code. It was run top to bottom with Python 3.11 and {pins} (CPU); every "
                 "output below comes from that run. The next cell only checks versions; to install the same "
                 "ones, delete the `#` in front of its `%pip` line and run it. Nothing else gets installed.",
        "setup": "The NumPy code below uses the book's `numpy_nn.py` (the library lesson 6 walks through) and "
                 "the initial weights exported from the PyTorch model, {files}. In the downloaded notebook "
                 "the next cells write them into the notebook's folder; the web page leaves those cells out.",
        "widget": "*An interactive demo goes here: try it on the [lesson page]({url}).*",
        "not_run": "**This build did not run the notebook (torch is not installed here), so it has no "
                   "outputs.** `make test` and the site's deployment run it.",
        "page": "Lesson page", "notebook": "Notebook", "download": "Download .ipynb", "colab": "Open in Colab",
    },
}

BLOCK = re.compile(r'^(!!!|\?\?\?\+?|===)[ \t]*(?:[\w-]+[ \t]*)?(?:"([^"]*)")?[ \t]*$')
FENCE = re.compile(r"^(`{3,})[ \t]*\{?\.?([\w-]*)")
INCLUDE = re.compile(r'^--8<--[ \t]+"([^"]+)"[ \t]*$')
IMAGE = re.compile(r"!\[(.*)\]\(([^)\s]+)\)")
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)
PAGE_LINK = re.compile(r"\]\((?![a-z]+:|#)([^)\s]+?\.md)(#[^)\s]*)?\)")
WIDGET = re.compile(r'^<div class="(rnn-widget|quiz)"')
DATA_FILE = re.compile(r"""["']data/([\w.-]+\.json)["']""")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# Snippet files that are not examples: listed from, never run as cells (snippets/_outputs.py)
sys.path.insert(0, str(ROOT / "snippets"))
from _outputs import NOT_EXAMPLES  # noqa: E402


def pins():
    """'torch==2.13.0 numpy==2.4.6': the versions `make test` installs (requirements/test.txt)."""
    text = (ROOT / "requirements" / "test.txt").read_text(encoding="utf-8")
    return " ".join(re.findall(r"^((?:torch|numpy)==[\w.]+)", text, re.M))


def prefix(lang):
    """Where a language lives on the site: '' (Chinese, the root) or 'en/'."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def site_path(lang, page):
    """docs-relative page ('lessons/06-bptt.md') -> its path on the site ('en/lessons/06-bptt/')."""
    stem = page[:-3]
    return prefix(lang) + ("" if stem == "index" else stem[:-5] if stem.endswith("/index") else stem + "/")


class Lesson:
    """One lesson page in one language, read as notebook cells."""

    def __init__(self, lang, slug, site_url="/"):
        self.lang, self.slug = lang, slug
        self.text = TEXT[lang]
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.path = DOCS / lang / "lessons" / f"{slug}.md"
        self.markdown = FRONT_MATTER.sub("", self.path.read_text(encoding="utf-8"))
        self.title = next(line[2:].strip() for line in self.markdown.splitlines() if line.startswith("# "))
        self.url = self.link(f"{slug}.md")
        self.attachments = {}  # name -> {mime: base64}

    def link(self, target, anchor=""):
        """A link on this page ('06-bptt.md', relative to lessons/) -> absolute URL on the site."""
        return self.site_url + site_path(self.lang, posixpath.normpath(posixpath.join("lessons", target))) + anchor

    def cells(self, lines=None):
        """Markdown lines -> [("markdown", text) | ("code", snippet path)], blocks converted."""
        lines = self.markdown.splitlines() if lines is None else lines
        cells, text, i = [], [], 0

        def flush():
            md = "\n".join(text).strip("\n")
            if md.strip():
                cells.append(("markdown", md))
            text.clear()

        while i < len(lines):
            line = lines[i]
            if m := BLOCK.match(line):                     # admonition, exercise, or content tab
                body, i = indented(lines, i + 1)
                inner = self.cells(body)
                if m[1] == "===":                          # tabs: one after the other, titled
                    flush()
                    cells.append(("markdown", f"**{m[2]}**"))
                    cells.extend(inner)
                    continue
                md = "\n\n".join(c if kind == "markdown" else fenced(read(c)) for kind, c in inner)
                if m[1] == "!!!":
                    text += [quote(f"**{m[2]}**\n\n{md}" if m[2] else md), ""]
                else:
                    text += [f"<details><summary>{m[2]}</summary>", "", md, "", "</details>", ""]
                continue
            if m := FENCE.match(line):
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == m[1])
                body, i = lines[i + 1:end], end + 1
                include = INCLUDE.match(body[0].strip()) if len(body) == 1 else None
                if not include:
                    text += ["```" + m[2]] + body + ["```"]
                elif include[1].startswith("snippets/out/"):
                    continue                                # the cell's own output replaces it
                elif ":" not in include[1] and Path(include[1]).name not in NOT_EXAMPLES:
                    flush()
                    cells.append(("code", include[1]))
                else:                                       # a listing (numpy_nn.py:section)
                    text.append(fenced(read(include[1])))
                continue
            if line.startswith("<figure"):
                end = next(j for j in range(i, len(lines)) if "</figure>" in lines[j])
                figure, i = "\n".join(lines[i:end + 1]), end + 1
                alt, src = IMAGE.search(figure).groups()
                name = posixpath.basename(src)
                svg = (self.path.parent / src).resolve()
                if not svg.exists():                        # shared figures live in docs/zh only
                    svg = (DOCS / DEFAULT_LANG / "lessons" / src).resolve()
                self.attachments[name] = {"image/svg+xml": base64.b64encode(svg.read_bytes()).decode()}
                text += [f"![{alt}](attachment:{name})", "", f"*{FIGCAPTION.search(figure)[1].strip()}*"]
                continue
            if m := WIDGET.match(line.strip()):
                if m[1] == "rnn-widget":
                    text.append(self.text["widget"].format(url=self.url))
            else:
                if line.startswith("## "):                 # a cell per section
                    flush()
                text.append(PAGE_LINK.sub(lambda m: "](" + self.link(m[1], m[2] or "") + ")", line))
            i += 1
        flush()
        return cells

    def notebook(self):
        """The notebook without outputs: intro, version check, the page (+ setup before NumPy code)."""
        cells = [new_markdown_cell(f"# {self.title}\n\n" + self.text["intro"].format(
                     title=self.title, url=self.url, pins=" ".join(f"`{p}`" for p in pins().split()))),
                 new_code_cell(version_check())]
        body = self.cells()
        first = body[0][1].split("\n", 1)                 # the page's H1 is in the first cell already
        body = ([("markdown", first[1].strip())] if len(first) > 1 else []) + body[1:]
        for kind, content in body:
            if kind == "markdown":
                cells.append(new_markdown_cell(content, attachments=self.attached(content)))
                continue
            source = read(content)
            if "import numpy_nn" in source and not any(SETUP_TAG in c.metadata.get("tags", []) for c in cells):
                files = sorted({name for k, c in body if k == "code" for name in DATA_FILE.findall(read(c))})
                cells.append(new_markdown_cell(self.text["setup"].format(
                    files=", ".join(f"`{f}`" for f in files))))
                for name, text in [("numpy_nn.py", read("snippets/numpy_nn.py"))] + \
                                  [(f, read(f"snippets/data/{f}")) for f in files]:
                    cells.append(new_code_cell(f"%%writefile {name}\n{text}", metadata={"tags": [SETUP_TAG]}))
            cells.append(new_code_cell(source, metadata={"snippet": content}))
        nb = new_notebook(cells=cells, metadata=dict(KERNEL))
        for n, cell in enumerate(nb.cells):                 # ids that do not change between builds
            cell.id = f"{self.slug[:2]}-{n}"
        return nb

    def attached(self, markdown):
        return {name: data for name, data in self.attachments.items() if f"attachment:{name}" in markdown}


def indented(lines, i):
    """The block body starting at lines[i]: blank or 4-space-indented lines, dedented."""
    body = []
    while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
        body.append(lines[i][4:])
        i += 1
    while body and not body[-1].strip():
        body.pop()
    return body, i


def read(include):
    """'snippets/x.py' or 'snippets/numpy_nn.py:rnn' (a pymdownx.snippets section) -> text."""
    path, _, section = include.partition(":")
    text = (ROOT / path).read_text(encoding="utf-8").rstrip("\n")
    if not section:
        return text
    start, end = f"# --8<-- [start:{section}]", f"# --8<-- [end:{section}]"
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def fenced(code):
    return f"```python\n{code}\n```"


def quote(markdown):
    return "\n".join(f"> {line}" if line else ">" for line in markdown.splitlines())


def version_check():
    return (f"# %pip install {pins()}\n"
            "import sys\n\nimport numpy\nimport torch\n\n"
            'print("Python", sys.version.split()[0], "| torch", torch.__version__, "| numpy", numpy.__version__)')


# --- running ---------------------------------------------------------------------------------

def run_key(nb):
    """What the outputs depend on: every code cell, in order, and the pinned versions."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps([pins(), code], ensure_ascii=False).encode()).hexdigest()[:16]


def can_run():
    """Running needs torch in this environment (the kernel is this Python); `make serve` has none."""
    return all(importlib.util.find_spec(m) for m in ("torch", "nbclient", "ipykernel"))


def run_path(nb):
    """Where the run of this notebook's code is cached."""
    return CACHE / "runs" / f"{run_key(nb)}.ipynb"


def run(nb):
    """Run the code cells top to bottom in a fresh kernel and folder; return that run (code cells only).

    Cached by run_key. Single-threaded like the snippets' own runs (snippets/_outputs.py)."""
    path = run_path(nb)
    if path.exists():
        return nbformat.read(path, as_version=4)
    from nbclient import NotebookClient
    code = new_notebook(cells=[new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"],
                        metadata=dict(KERNEL))
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as cwd:
        NotebookClient(code, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": cwd}}).execute(env=env)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    nbformat.write(code, tmp)
    tmp.replace(path)
    return code


def with_outputs(nb, ran):
    """Copy a run's outputs into the notebook's code cells (same code, same order)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [c.source for c in ran.cells], "run does not match the notebook"
    for cell, done in zip(code, ran.cells):
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
    return nb


def build(lang, slug, site_url="/", execute=None):
    """The finished notebook of one lesson: run (or taken from the cache) if it can be."""
    lesson = Lesson(lang, slug, site_url)
    nb = lesson.notebook()
    if execute is None:  # a run in the cache is as good as a new one (the key covers all the code)
        execute = run_path(nb).exists() or can_run()
    if execute:
        return with_outputs(nb, run(nb))
    nb.cells.insert(1, new_markdown_cell(TEXT[lang]["not_run"]))
    nb.cells[1].id = f"{slug[:2]}-not-run"
    return nb


def run_all(slugs, site_url="/", workers=2):
    """Run every lesson that has no cached run yet, `workers` kernels at a time."""
    nbs = [Lesson(DEFAULT_LANG, slug, site_url).notebook() for slug in slugs]
    todo = [nb for nb in nbs if not run_path(nb).exists()]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, todo))
    return len(todo)


def page_path(lang, slug):
    """Where `write` puts the finished notebook of a lesson."""
    return CACHE / "pages" / lang / f"{slug}.ipynb"


def write(lang, slug, site_url="/", execute=None):
    """Write the finished notebook to .cache/notebooks/pages/<lang>/<slug>.ipynb (if it changed)."""
    nb = build(lang, slug, site_url, execute)
    nbformat.validate(nb)
    path = page_path(lang, slug)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def lesson_slugs():
    """The lessons in mkdocs.yml's nav, in order: their notebooks, in the same order."""
    spec = importlib.util.spec_from_file_location("lessons", ROOT / "scripts" / "lessons.py")
    lessons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lessons)
    return [Path(p).stem for p in lessons.nav_entries() if p.startswith("lessons/")]


if __name__ == "__main__":
    slugs = lesson_slugs()
    if "--list" in sys.argv:
        current = {run_key(Lesson(DEFAULT_LANG, s).notebook()): s for s in slugs}
        for path in sorted((CACHE / "runs").glob("*.ipynb")):
            print(path.name, current.get(path.stem, "(stale: no lesson has this code now)"))
        sys.exit(0)
    print(f"ran {run_all(slugs)} of {len(slugs)} lessons (the others were cached)")
    for lang in LANGS:
        for slug in slugs:
            print(write(lang, slug).relative_to(ROOT))
