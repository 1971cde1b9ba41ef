"""The exercises that check themselves (docs/javascripts/widgets/quiz.js), each proven against its question.

No answer is trusted because it is written in the page:

- a shape or a parameter count is computed by torch from the quiz's data-config (`reference`), and rnn-shapes.js,
  which computes it in the reader's browser, must give the same (`in_node`);
- a typed answer (data-answer of a number or text quiz) is derived from the lesson's code in book/answers.py;
- the exercise's answer text (its `??? success` block) must state the computed answer;
- a data-config holds only keys that the quiz's modules read, and a quiz or a widget only the data-* attributes
  that its JavaScript declares (`declared`: the widget files run in Node, as the page runs them).

`problems(book)` says what fails, one (file, line, message) each; the lesson checker (book/checks.py) reports
them and the tests call it. `expected(book, quiz)` is what a reader must type, for the browser tests.
"""
import json
import math
import re
import subprocess
from functools import cache
from typing import NamedTuple

from . import answers
from .pages import Page

QUIZ = re.compile(r'<div class="quiz"([^>]*)></div>')
WIDGET = re.compile(r'<div class="rnn-widget"([^>]*)></div>')
ATTR = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
EXERCISE = re.compile(r'^\?\?\? question "(?:练习|Exercise) (\d+)"', re.M)
SUCCESS = re.compile(r'^[ \t]*\?\?\? success "[^"]*"\n(.*)', re.M | re.S)
TUPLE = re.compile(r"[(\[]\s*(\d+(?:\s*,\s*\d+)*)\s*,?\s*[)\]]")          # (7, 3, 20), [20, 10], (1,)
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")         # 25,600 (LaTeX: 25{,}600), 0.3678
WIDGET_FILES = "docs/javascripts/widgets"
SHAPES_JS = f"{WIDGET_FILES}/rnn-shapes.js"


class Quiz(NamedTuple):
    lang: str
    slug: str
    number: int       # the exercise's number
    attrs: dict       # its data-* attributes, as written: {"data-type": "shape", ...}
    answer: str       # the text of the exercise's answer (`??? success`)
    line: int         # of the quiz in the page

    @property
    def config(self):
        return json.loads(self.attrs.get("data-config", "{}"))

    @property
    def specs(self):
        """[(label, "module:name")] of a shape quiz's blanks, or [("", data-count)] of a counted number."""
        if "data-count" in self.attrs:
            return [("", self.attrs["data-count"])]
        tokens = self.attrs.get("data-shape", "").split()
        return [tuple(t.split("=", 1)) if "=" in t else (t.split(":")[-1], t) for t in tokens]


def attributes(markup):
    return {k: a if a else b for k, a, b in ATTR.findall(markup)}


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def quizzes(book, lang, slug):
    """Every quiz of a lesson page in `lang`, in page order."""
    page = Page(book, lang, book.lesson_page(slug))
    text = page.text
    found = []
    starts = [(m.start(), int(m[1])) for m in EXERCISE.finditer(text)] + [(len(text), None)]
    for (start, number), (end, _) in zip(starts, starts[1:]):
        block = text[start:end]
        success = SUCCESS.search(block)
        for m in QUIZ.finditer(block):
            found.append(Quiz(lang, slug, number, attributes(m[1]), success[1] if success else "",
                              line_of(text, start + m.start())))
    return found


def exercises(book, lang, slug):
    """The exercise numbers of a lesson page, in page order."""
    return [int(n) for n in EXERCISE.findall(Page(book, lang, book.lesson_page(slug)).text)]


def widgets(book, lang, slug):
    """[(data-* attributes, line)] of every widget div of a lesson page."""
    text = Page(book, lang, book.lesson_page(slug)).text
    return [(attributes(m[1]), line_of(text, m.start())) for m in WIDGET.finditer(text)]


# --- the page's JavaScript, in Node ------------------------------------------------------------------------
NODE = r"""
const fs = require("fs"), path = require("path");
const [shapes, folder] = process.argv.slice(1);
const declared = {};
globalThis.RNNShapes = require(shapes);
globalThis.Book = new Proxy({ declare: (name, attrs) => { declared[name] = attrs; },
                              register: (name, build, attrs = []) => { declared[name] = attrs; } },
                            { get: (book, key) => (key in book ? book[key] : () => {}) });
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".js")).sort()) require(path.join(folder, file));
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
const results = calls.map(([method, args]) => {
  try { return { value: RNNShapes[method](...args) }; } catch (err) { return { error: err.message }; }
});
process.stdout.write(JSON.stringify({ declared, keys: RNNShapes.KEYS, results }));
"""


def in_node(book, calls=()):
    """Run the widget files in Node as the page does: {declared: {widget or "quiz": the data-* it reads},
    keys: RNNShapes.KEYS, results: [{value} or {error}] of each (method, args) in `calls` (RNNShapes.method)}."""
    result = subprocess.run(["node", "-e", NODE, str(book.root / SHAPES_JS), str(book.root / WIDGET_FILES)],
                            input=json.dumps(list(calls)), capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"node could not run {WIDGET_FILES}/: {result.stderr.strip()}")
    return json.loads(result.stdout)


# --- torch, the reference -----------------------------------------------------------------------------------
class Unused(ValueError):
    """A config key the torch reference was given and did not use."""


def reference(kind, config):
    """What torch builds and computes for the module `kind` of rnn-shapes.js, from `config` (that module's keys):
    {tensors: {name: shape}, params: [{name, shape, count}], total}, in rnn-shapes.js's layout (and names:
    input, h_0, out, h_n, ...). Every key of `config` is given to torch; one it has no use for raises Unused."""
    import torch
    from torch import nn
    c = dict(config)
    take = c.pop
    layers = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
    cells = {"cell": nn.RNNCell, "grucell": nn.GRUCell, "lstmcell": nn.LSTMCell}
    with torch.no_grad():
        if kind in layers:        # out, h_n = rnn(x, h_0);  LSTM: out, (h_n, c_n) = lstm(x, (h_0, c_0))
            B, T, L = take("batch_size", 1), take("seq_len", 1), take("num_layers", 1)
            batch_first = take("batch_first", False)
            rnn = layers[kind](take("input_size"), take("hidden_size"), L, bias=take("bias", True),
                               batch_first=batch_first)
            x = torch.zeros((B, T, rnn.input_size) if batch_first else (T, B, rnn.input_size))
            h0 = torch.zeros(L, B, rnn.hidden_size)
            if kind == "lstm":
                c0 = torch.zeros_like(h0)
                out, (h_n, c_n) = rnn(x, (h0, c0))
                tensors = {"input": x, "h_0": h0, "c_0": c0, "out": out, "h_n": h_n, "c_n": c_n}
            else:
                out, h_n = rnn(x, h0)
                tensors = {"input": x, "h_0": h0, "out": out, "h_n": h_n}
            module = rnn
        elif kind in cells:       # hidden = cell(x, hidden);  LSTMCell: hidden, cell = cell(x, (hidden, cell))
            module = cells[kind](take("input_size"), take("hidden_size"), bias=take("bias", True))
            B = take("batch_size", 1)
            x, h = torch.zeros(B, module.input_size), torch.zeros(B, module.hidden_size)
            if kind == "lstmcell":
                h_new, c_new = module(x, (h, torch.zeros_like(h)))
                tensors = {"input": x, "hidden": h_new, "cell": c_new}
            else:
                h_new = module(x, h)
                assert h_new.shape == h.shape
                tensors = {"input": x, "hidden": h_new}
        elif kind == "embedding":
            module = nn.Embedding(take("num_embeddings"), take("embedding_dim"))
            x = torch.zeros(take("batch_size", 1), take("seq_len", 1), dtype=torch.long)
            tensors = {"input": x, "output": module(x)}
        elif kind == "conv":
            k = take("kernel_size")
            module = nn.Conv2d(take("in_channels"), take("out_channels"), k, bias=False, device="meta")
            tensors = {}
        elif kind == "linear":
            module = nn.Linear(take("in_features"), take("out_features"), bias=False, device="meta")
            tensors = {}
        elif kind == "cross_entropy":
            B = take("batch_size", 1)
            scores, target = torch.zeros(B, take("num_classes")), torch.zeros(B, dtype=torch.long)
            nn.CrossEntropyLoss()(scores, target)          # torch accepts the pair
            module, tensors = nn.Module(), {"input": scores, "target": target}
        else:
            raise ValueError(f"no torch reference for {kind}")
    if c:
        raise Unused(f"torch builds {kind} without {', '.join(sorted(c))}")
    params = [{"name": n, "shape": list(p.shape), "count": p.numel()} for n, p in module.named_parameters()]
    return {"tensors": {name: list(t.shape) for name, t in tensors.items()}, "params": params,
            "total": sum(p["count"] for p in params)}


ALIASES = {"cell": {"h_0": "hidden", "h_t": "hidden"}, "grucell": {"h_0": "hidden", "h_t": "hidden"},
           "lstmcell": {"h_0": "hidden", "h_t": "hidden", "h_1": "hidden", "c_0": "cell", "c_1": "cell",
                        "c_t": "cell"}}   # the names torch's documentation gives a cell's states


def named(kind, name, ref):
    """The shape (list) or count (int, for "total") that `name` of module `kind` has in a reference."""
    if name == "total":
        return ref["total"]
    shapes = {**ref["tensors"], **{p["name"]: p["shape"] for p in ref["params"]}}
    return shapes[ALIASES.get(kind, {}).get(name, name)]


def computed(quiz, keys):
    """The quiz's answers by torch, one per spec, from the keys of the config that each module reads."""
    found = []
    for _, spec in quiz.specs:
        kind, name = spec.split(":")
        config = {k: v for k, v in quiz.config.items() if k in keys.get(kind, ())}
        found.append(named(kind, name, reference(kind, config)))
    return found


def shape_text(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@cache
def _keys(book_root, mtime):
    from .config import Book
    return in_node(Book.at(book_root))["keys"]


def keys(book):
    """RNNShapes.KEYS: the config keys each module of rnn-shapes.js reads."""
    return _keys(book.root, (book.root / SHAPES_JS).stat().st_mtime_ns)


def expected(book, quiz):
    """What a reader types or clicks for the right answer: a list of strings, one per blank."""
    kind = quiz.attrs["data-type"]
    if kind == "choice":
        return [quiz.attrs["data-answer"]]
    if kind == "shape" or "data-count" in quiz.attrs:
        values = computed(quiz, keys(book))
        return [shape_text(v) if isinstance(v, list) else str(v) for v in values]
    return [str(typed(book, quiz.slug, quiz.number))]


@cache
def _typed(book_root, slug, number):
    from .config import Book
    return answers.TYPED[(slug, number)](Book.at(book_root))


def typed(book, slug, number):
    """The typed answer of an exercise, derived by book/answers.py (run once per process)."""
    return _typed(book.root, slug, number)


# --- the rules ----------------------------------------------------------------------------------------------
def numbers(text):
    return [float(m[1].replace(",", "") + (m[2] or "")) for m in NUMBER.finditer(text.replace("{,}", ","))]


def shapes(text):
    return [[int(n) for n in m[1].split(",")] for m in TUPLE.finditer(text)]


def states(value, quiz):
    """Whether the answer text states `value` (a shape, a number within data-tolerance, or a text)."""
    if isinstance(value, list):
        return value in shapes(quiz.answer)
    if isinstance(value, str):
        return any(a.strip().lower() in quiz.answer.lower() for a in value.split("|"))
    tolerance = float(quiz.attrs.get("data-tolerance", 0) or 0)
    return any(math.isclose(n, value, abs_tol=tolerance, rel_tol=1e-9) for n in numbers(quiz.answer))


def problems(book, typed_answers=True, slugs=None):
    """Every quiz and widget (of the lessons `slugs`, default all) that is not proven, as (file, line, message).
    `typed_answers`: also run the code of book/answers.py (it runs snippets: `make check FAST=1` leaves it out)."""
    node = in_node(book)
    declared, keys = node["declared"], node["keys"]
    calls, pending = [], []          # rnn-shapes.js's answers, asked in one run of Node
    for slug in slugs or book.lessons():
        if not all(book.page_file(lang, book.lesson_page(slug)).is_file() for lang in book.languages):
            continue                                      # rules 1 and 2 say which page is missing
        per_lang = {lang: quizzes(book, lang, slug) for lang in book.languages}
        for lang in book.languages:
            page = book.rel(book.page_file(lang, book.lesson_page(slug)))
            for attrs, line in widgets(book, lang, slug):
                name = attrs.get("data-widget")
                if name not in declared or name == "quiz":
                    yield page, line, f'no widget is called "{name}" (data-widget)'
                    continue
                unknown = sorted(set(attrs) - {"class", "data-widget"} - {f"data-{a}" for a in declared[name]})
                if unknown:
                    yield page, line, (f"{name} does not read {', '.join(unknown)}: it reads "
                                       f"{', '.join('data-' + a for a in declared[name]) or 'no other attribute'} "
                                       f"({WIDGET_FILES}/{name}.js)")
            if per_lang[lang] and [q.number for q in per_lang[lang]] != exercises(book, lang, slug):
                yield page, 1, "every exercise of a lesson with quizzes checks itself with exactly one quiz"
            for quiz in per_lang[lang]:
                where = (page, quiz.line)
                kind = quiz.attrs.get("data-type")
                read = declared["quiz"].get(kind)
                if read is None:
                    yield *where, f'data-type="{kind}" is none of {", ".join(declared["quiz"])}'
                    continue
                unknown = sorted(set(quiz.attrs) - {"class", "data-type", "data-id"} - {f"data-{a}" for a in read})
                if unknown:
                    yield *where, (f"a {kind} quiz does not read {', '.join(unknown)} (it reads "
                                   f"{', '.join('data-' + a for a in read)}; docs/javascripts/widgets/quiz.js)")
                    continue
                if not quiz.answer:
                    yield *where, "the exercise has no answer (a `??? success` block under the question)"
                    continue
                yield from _proven(book, quiz, where, keys, calls, pending, typed_answers)
        source = [(q.number, q.attrs) for q in per_lang[book.default_language]]
        for lang in book.other_languages(book.default_language):
            if [(q.number, q.attrs) for q in per_lang[lang]] != source:
                yield (book.rel(book.page_file(lang, book.lesson_page(slug))), 1,
                       f"its quizzes differ from those of docs/{book.default_language}/: every language carries the "
                       "same ones")
    results = in_node(book, calls)["results"] if calls else []
    for (where, spec, want), got in zip(pending, results):
        if "error" in got:
            yield *where, got["error"]
        elif got["value"] != want:
            yield *where, f"rnn-shapes.js gives {spec} = {got['value']}, torch {want}"


def _proven(book, quiz, where, keys, calls, pending, typed_answers):
    kind = quiz.attrs["data-type"]
    if kind == "choice":
        if not quiz.answer.strip().startswith(quiz.attrs.get("data-answer", "?")):
            yield *where, f"the answer text does not start with the right option, {quiz.attrs.get('data-answer')}"
        return
    if kind == "shape" or "data-count" in quiz.attrs:
        specs = quiz.specs
        literal = [spec for _, spec in specs if ":" not in spec]
        if literal or not specs:
            yield *where, (f"a shape written out ({' '.join(literal) or 'none'}) is never checked: name it as "
                           "module:name (rnn-shapes.js and torch compute it from data-config; "
                           "cross_entropy:target is a loss's class indices)")
            return
        modules = list(dict.fromkeys(spec.split(":")[0] for _, spec in specs))
        unknown = sorted(set(quiz.config) - {k for m in modules for k in keys.get(m, ())})
        bad = [m for m in modules if m not in keys]
        if bad or unknown:
            yield *where, (f"data-config: {', '.join(bad + unknown)} is not read by {', '.join(modules)} (they read "
                           f"{', '.join(dict.fromkeys(k for m in modules for k in keys.get(m, ())))})")
            return
        try:
            values = computed(quiz, keys)
        except (KeyError, TypeError, RuntimeError, Unused) as err:
            yield *where, f"torch cannot build this quiz's modules from data-config: {err}"
            return
        for (_, spec), value in zip(specs, values):
            method = "count" if "data-count" in quiz.attrs else "shape"
            calls.append([method, [spec, quiz.config, modules]])
            pending.append((where, spec, value))
            if not states(value, quiz):
                shown = shape_text(value) if isinstance(value, list) else value
                yield *where, f"the answer text does not state {spec} = {shown}, which torch computes from data-config"
        return
    if (quiz.slug, quiz.number) not in answers.TYPED:
        yield *where, (f"a typed answer ({quiz.attrs.get('data-answer')}) that book/answers.py does not derive: add "
                       f"({quiz.slug!r}, {quiz.number}) to its TYPED, a function that computes it from the code")
        return
    if not typed_answers:
        return
    truth = typed(book, quiz.slug, quiz.number)
    given = quiz.attrs.get("data-answer", "")
    if kind == "text":
        right = str(truth).lower() in [a.strip().lower() for a in given.split("|")]
    else:
        right = math.isclose(float(given), truth, abs_tol=float(quiz.attrs.get("data-tolerance", 0) or 0))
    if not right:
        yield *where, f"data-answer is {given}, but book/answers.py derives {truth} from the lesson's code"
    elif not states(truth if kind == "text" else float(given), quiz):
        yield *where, f"the answer text does not state the answer, {given}"
