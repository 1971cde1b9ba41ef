"""Each lesson page as a Jupyter notebook: the page's own text and the very snippet files it includes.

    python -m book notebooks          run the lessons whose code changed (make notebooks)
    python -m book notebooks --list   the run cache: which keys exist, which are current

A notebook is generated, never edited by hand, never committed:
- markdown cells come from the lesson's Markdown: admonitions become quotes, exercises and answers
  <details>, figures cell attachments (the notebook works offline and in Colab), widgets a link to
  the page, links to other pages absolute links to the site;
- code cells are the snippet files the page includes whole (`--8<-- "snippets/x.py"`), also a whole
  program in a collapsed block (`??? example`), as they are; the outputs shown under them on the page
  are left out, because running the cell prints them; a section of a file (`snippets/x.py:part`) is a
  listing in the text;
- a first code cell checks the versions it was tested with and installs nothing unless the reader
  removes the `#` in front of `%pip`; code that imports a library module (extra.book.library) gets
  cells that write the module and the data it reads next to the notebook (tagged `book-setup`,
  hidden on the site), the layout the snippets have in snippets/.

Outputs come from running the code cells top to bottom with nbclient (`make notebooks`, before the
build; an error in any cell fails). Runs are cached in .cache/notebooks/runs/<key>.ipynb, where the
key hashes every code cell (so every snippet, the library and its data) and the pinned versions: a
changed snippet is run again, never shown stale. The site build only reads this cache: a lesson
without a current run is shown without outputs, and says so. Both languages share a run.
"""
import base64
import hashlib
import html
import json
import os
import posixpath
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from . import charts
from .pages import Page, includes, read_include
from .snippets import SINGLE_THREAD

SETUP_TAG = "book-setup"
PINNED = ("torch", "numpy")           # the versions a notebook says it was run with
KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
          "language_info": {"name": "python"}}

TEXT = {
    "zh": {
        "section": "笔记本",
        "intro": "这本笔记本由课程页面[{title}]({url})生成：文字相同，代码就是页面上经过测试的代码。"
                 "它在 Python 3.11、{pins}（CPU）下从头到尾运行过，下面的输出都是运行得到的。"
                 "下一格只检查版本；要安装同样的版本，删掉该格 `%pip` 一行开头的 `#` 再运行。"
                 "除此之外，这本笔记本不安装任何东西。",
        "setup": "下面的代码要导入本书的模块 {modules}{data}。"
                 "下载的笔记本里，紧接着的几格把它们写到笔记本所在的文件夹；网页上省略了这几格。",
        "data": "，并读取数据文件 {files}",
        "widget": "*这里是一个交互演示，请在[课程页面]({url})上操作。*",
        "not_run": "**这本笔记本还没有输出：它现在的代码还没有在这里运行过。** "
                   "`make notebooks` 会运行它（`make test` 和网站部署都会先运行）。",
        "page": "课程页面", "notebook": "笔记本", "download": "下载 .ipynb", "colab": "在 Colab 中打开",
        "code": "代码",
    },
    "en": {
        "section": "Notebooks",
        "intro": "This notebook is generated from the lesson page [{title}]({url}): the same text, and the "
                 "page's tested code. It was run top to bottom with Python 3.11 and {pins} (CPU); every "
                 "output below comes from that run. The next cell only checks versions; to install the same "
                 "ones, delete the `#` in front of its `%pip` line and run it. Nothing else gets installed.",
        "setup": "The code below imports the book's modules {modules}{data}. In the downloaded notebook the "
                 "next cells write them into the notebook's folder; the web page leaves those cells out.",
        "data": " and reads the data files {files}",
        "widget": "*An interactive demo goes here: try it on the [lesson page]({url}).*",
        "not_run": "**This notebook has no outputs yet: its current code has not been run here.** "
                   "`make notebooks` runs it (`make test` and the site's deployment do so first).",
        "page": "Lesson page", "notebook": "Notebook", "download": "Download .ipynb", "colab": "Open in Colab",
        "code": "Code",
    },
}

BLOCK = re.compile(r'^(!!!|\?\?\?\+?|===)[ \t]*(?:[\w-]+[ \t]*)?(?:"([^"]*)")?[ \t]*$')
FENCE = re.compile(r"^(`{3,})[ \t]*\{?\.?([\w-]*)")
IMAGE = re.compile(r"!\[(.*)\]\(([^)\s]+)\)")
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)
PAGE_LINK = re.compile(r"\]\((?![a-z]+:|#)([^)\s]+?\.md)(#[^)\s]*)?\)")
WIDGET = re.compile(r'^<div class="(rnn-widget|quiz)"')
DATA_FILE = re.compile(r"""["'](data/[\w.-]+\.(?:json|txt))["']""")


def cache_dir(book):
    return book.root / ".cache" / "notebooks"


class Lesson:
    """One lesson page in one language, read as notebook cells."""

    def __init__(self, book, lang, slug, site_url="/"):
        self.book, self.lang, self.slug = book, lang, slug
        self.page = Page(book, lang, book.lesson_page(slug))
        self.text = TEXT[lang]
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.markdown = self.page.body
        self.title = self.page.title
        self.url = self.link(f"{slug}.md")
        self.attachments = {}  # name -> {mime: base64}

    def link(self, target, anchor=""):
        """A link on this page ('06-bptt.md', relative to lessons/) -> absolute URL on the site."""
        page = posixpath.normpath(posixpath.join("lessons", target))
        return self.site_url + self.book.url(self.lang, page) + anchor

    def cells(self, lines=None):
        """Markdown lines -> [("markdown", text) | ("code", include spec)], blocks converted."""
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
                if m[1] == "===" or any(kind == "code" for kind, _ in inner):
                    # tabs one after the other, and a collapsed whole program ("??? example"), each titled: its
                    # code is a cell to run, as everywhere else
                    flush()
                    cells.append(("markdown", f"**{m[2]}**"))
                    cells.extend(inner)
                    continue
                md = "\n\n".join(c if kind == "markdown" else fenced(read_include(self.book, c)) for kind, c in inner)
                if m[1] == "!!!":
                    text += [quote(f"**{m[2]}**\n\n{md}" if m[2] else md), ""]
                else:
                    text += [f"<details><summary>{m[2]}</summary>", "", md, "", "</details>", ""]
                continue
            if m := FENCE.match(line):
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == m[1])
                body, i = lines[i + 1:end], end + 1
                found = includes(body[0]) if len(body) == 1 else []
                include = found[0] if found else None
                file = include and self.book.root / include.file
                if not include:
                    text += ["```" + m[2]] + body + ["```"]
                elif file.parent == self.book.outputs:
                    continue                                # the cell's own output replaces it
                elif not include.section and file not in self.book.library_files():
                    flush()
                    cells.append(("code", include.spec))
                else:                                       # a listing (numpy_nn.py:section)
                    text.append(fenced(read_include(self.book, include.spec)))
                continue
            if line.startswith("<figure"):
                end = next(j for j in range(i, len(lines)) if "</figure>" in lines[j])
                figure, i = "\n".join(lines[i:end + 1]), end + 1
                if charts.CHART.search(figure):             # drawn from a snippet's output, as on the page
                    name = f"chart-{len(self.attachments) + 1}.svg"
                    svg = charts.chart(figure, self.book.outputs, standalone=True)
                    self.attachments[name] = {"image/svg+xml": base64.b64encode(svg.encode()).decode()}
                    alt = html.unescape(charts.ATTR_LABEL.search(figure)[1])
                    text += [f"![{alt}](attachment:{name})", "", f"*{FIGCAPTION.search(figure)[1].strip()}*"]
                    continue
                alt, src = IMAGE.search(figure).groups()
                name = posixpath.basename(src)
                svg = (self.page.file.parent / src).resolve()
                if not svg.exists():                        # shared figures live in the default language only
                    svg = (self.book.docs / self.book.default_language / "lessons" / src).resolve()
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

    @cached_property
    def notebook(self):
        """The notebook without outputs: intro, version check, the page (+ setup before library code)."""
        pins = self.book.pins(*PINNED)
        cells = [new_markdown_cell(f"# {self.title}\n\n" + self.text["intro"].format(
                     title=self.title, url=self.url, pins=" ".join(f"`{p}`" for p in pins))),
                 new_code_cell(version_check(pins))]
        body = self.cells()
        first = body[0][1].split("\n", 1)                 # the page's H1 is in the first cell already
        body = ([("markdown", first[1].strip())] if len(first) > 1 else []) + body[1:]
        setup_done = False
        for kind, content in body:
            if kind == "markdown":
                cells.append(new_markdown_cell(content, attachments=self.attached(content)))
                continue
            source = (self.book.root / content).read_text(encoding="utf-8").rstrip("\n")   # the file as it is
            if not setup_done and imported(self.book, source):
                cells += self.setup_cells([read_include(self.book, c) for k, c in body if k == "code"])
                setup_done = True
            cells.append(new_code_cell(source, metadata={"snippet": content}))
        nb = new_notebook(cells=cells, metadata=dict(KERNEL))
        for n, cell in enumerate(nb.cells):                 # ids that do not change between builds
            cell.id = f"{self.slug[:2]}-{n}"
        return nb

    def setup_cells(self, sources):
        """What the lesson's code reads besides itself: the library modules it imports, their data."""
        modules = sorted(imported(self.book, *sources, deep=True))
        texts = sources + [(self.book.snippets / f"{m}.py").read_text(encoding="utf-8") for m in modules]
        files = sorted({f for text in texts for f in DATA_FILE.findall(text)})
        data = self.text["data"].format(files=", ".join(f"`{f}`" for f in files)) if files else ""
        cells = [new_markdown_cell(self.text["setup"].format(modules=", ".join(f"`{m}.py`" for m in modules),
                                                             data=data))]
        if files:
            cells.append(new_code_cell('import os\n\nos.makedirs("data", exist_ok=True)  # where the data files go'))
        for name in [f"{m}.py" for m in modules] + files:
            text = (self.book.snippets / name).read_text(encoding="utf-8").rstrip("\n")
            cells.append(new_code_cell(f"%%writefile {name}\n{text}"))
        for cell in cells[1:]:
            cell.metadata["tags"] = [SETUP_TAG]
        return cells

    def attached(self, markdown):
        return {name: data for name, data in self.attachments.items() if f"attachment:{name}" in markdown}


def imported(book, *sources, deep=False):
    """The library modules that these sources import (and, if deep, that those modules import)."""
    found, todo = set(), list(sources)
    while todo:
        source = todo.pop()
        for name in book.library:
            if name not in found and re.search(rf"^\s*(?:from|import)\s+{name}\b", source, re.M):
                found.add(name)
                if deep:
                    todo.append((book.snippets / f"{name}.py").read_text(encoding="utf-8"))
    return found


def indented(lines, i):
    """The block body starting at lines[i]: blank or 4-space-indented lines, dedented."""
    body = []
    while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
        body.append(lines[i][4:])
        i += 1
    while body and not body[-1].strip():
        body.pop()
    return body, i


def fenced(code):
    return f"```python\n{code}\n```"


def quote(markdown):
    return "\n".join(f"> {line}" if line else ">" for line in markdown.splitlines())


def version_check(pins):
    return (f"# %pip install {' '.join(pins)}\n"
            "import sys\n\nimport numpy\nimport torch\n\n"
            'print("Python", sys.version.split()[0], "| torch", torch.__version__, "| numpy", numpy.__version__)')


# --- running ---------------------------------------------------------------------------------

def run_key(book, nb):
    """What the outputs depend on: every code cell, in order, and the pinned versions."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps([book.pins(*PINNED), code], ensure_ascii=False).encode()).hexdigest()[:16]


def run_path(book, nb):
    """Where the run of this notebook's code is cached."""
    return cache_dir(book) / "runs" / f"{run_key(book, nb)}.ipynb"


def run(book, nb):
    """Run the code cells top to bottom in a fresh kernel and folder; return that run (code cells only).

    Cached by run_key. Single-threaded like the snippets' own runs (book/snippets.py)."""
    path = run_path(book, nb)
    if path.exists():
        return nbformat.read(path, as_version=4)
    from nbclient import NotebookClient
    code = new_notebook(cells=[new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"],
                        metadata=dict(KERNEL))
    with tempfile.TemporaryDirectory() as cwd:
        NotebookClient(code, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": cwd}}).execute(env=dict(os.environ, **SINGLE_THREAD))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    nbformat.write(code, tmp)
    tmp.replace(path)
    return code


def run_all(book, workers=2):
    """Run every lesson that has no cached run yet, `workers` kernels at a time; return how many ran."""
    nbs = [Lesson(book, book.default_language, slug).notebook for slug in book.lessons()]
    todo = [nb for nb in nbs if not run_path(book, nb).exists()]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda nb: run(book, nb), todo))
    return len(todo)


def with_outputs(nb, ran):
    """Copy a run's outputs into the notebook's code cells (same code, same order)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [c.source for c in ran.cells], "run does not match the notebook"
    for cell, done in zip(code, ran.cells):
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
    return nb


def build(book, lang, slug, site_url="/"):
    """The finished notebook of one lesson, with the outputs of its cached run if there is one."""
    nb = Lesson(book, lang, slug, site_url).notebook
    if run_path(book, nb).exists():
        return with_outputs(nb, run(book, nb))
    nb.cells.insert(1, new_markdown_cell(TEXT[lang]["not_run"]))
    nb.cells[1].id = f"{slug[:2]}-not-run"
    return nb


def page_path(book, lang, slug, site_url="/"):
    """Where `write` puts the finished notebook of a lesson (the notebook page's source), for a build with
    `site_url`: its links to the book are absolute, so builds for other addresses (two test workers building at
    once) each keep their own."""
    site = hashlib.sha256(site_url.encode()).hexdigest()[:12]
    return cache_dir(book) / "pages" / site / lang / f"{slug}.ipynb"


def write(book, lang, slug, site_url="/"):
    """Write the finished notebook to .cache/notebooks/pages/<site>/<lang>/<slug>.ipynb (if it changed)."""
    nb = build(book, lang, slug, site_url)
    nbformat.validate(nb)
    path = page_path(book, lang, slug, site_url)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def cached_runs(book):
    """{run file name: the lesson whose current code it ran, or None when no lesson has that code now}."""
    current = {run_path(book, Lesson(book, book.default_language, s).notebook).name: s for s in book.lessons()}
    return {p.name: current.get(p.name) for p in sorted((cache_dir(book) / "runs").glob("*.ipynb"))}
