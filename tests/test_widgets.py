"""The lesson widgets and self-checking exercises.

The shape logic (docs/javascripts/widgets/rnn-shapes.js) runs in Node and is compared with what torch builds;
the widget data files are regenerated from the lessons' seeded snippets; then headless Chromium, in both
languages, uses every widget and answers every exercise. Screenshots go to test-artifacts/widgets/.
Lessons, widgets and exercises are found in the pages (the nav's lessons), never listed here.
"""
import itertools
import json
import math
import os
import re
import subprocess
import sys

import pytest
import torch

from answers import clip_factor, hello_rnn_with_lr_0_1, lesson5_parameters, tang_vocabulary_size
from book import widget_data
from book.browser import DESKTOP, PHONE, settle
from book.browser import close as close_page
from book.pages import Page
from conftest import BOOK, LANGS, ROOT
from conftest import page_url as url

SHAPES_JS = ROOT / "docs" / "javascripts" / "widgets" / "rnn-shapes.js"
SHOTS = ROOT / "test-artifacts" / "widgets"
WIDGET_DIV = re.compile(r'<div class="rnn-widget"[^>]*></div>')
DATA_FILES = widget_data.widgets(BOOK)      # {data file: (widget kind, snippet)}


def page_text(lang, lesson):
    return Page(BOOK, lang, BOOK.lesson_page(lesson)).text


def found_widgets():
    """{screenshot name: (page URL, widget kind)} of every widget of every lesson, in nav order."""
    found = {}
    for lesson in BOOK.lessons():
        for div in WIDGET_DIV.findall(page_text(BOOK.default_language, lesson)):
            kind = re.search(r'data-widget="([^"]+)"', div)[1]
            found[f"{kind}-{lesson[:2]}"] = (f"lessons/{lesson}/", kind)
    return found


WIDGETS = found_widgets()


def page_with(kind, mode=None):
    """The first lesson page showing a widget of `kind` (and data-mode `mode`)."""
    for lesson in BOOK.lessons():
        for div in WIDGET_DIV.findall(page_text(BOOK.default_language, lesson)):
            if f'data-widget="{kind}"' in div and (mode is None or f'data-mode="{mode}"' in div):
                return f"lessons/{lesson}/"
    raise LookupError(f"no lesson shows a {kind} widget{' in mode ' + mode if mode else ''}")


# The GRU / LSTM versions of two widgets (lesson 8), shown in place of a lesson's widget of the same kind
GRU_LSTM = {
    "shape-explorer-lstm": '<div class="rnn-widget" data-widget="shape-explorer" data-mode="rnn" '
                           'data-cells="rnn gru lstm" data-cell="lstm"></div>',
    "weight-counter-lstm": '<div class="rnn-widget" data-widget="weight-counter" data-cells="rnn gru lstm" '
                           'data-cell="lstm"></div>',
}


def in_place_of(div):
    """(page URL, widget kind, (div on that page, `div`)): the first lesson page with a widget of div's kind."""
    kind = re.search(r'data-widget="([^"]+)"', div)[1]
    for lesson in BOOK.lessons():
        for old in WIDGET_DIV.findall(page_text(BOOK.default_language, lesson)):
            if f'data-widget="{kind}"' in old:
                return f"lessons/{lesson}/", kind, (old, div)
    raise LookupError(kind)


PHONE_STEPS = 50               # a sequence too long for a phone's width
TOPS = "cells => cells.map((c) => Math.round(c.getBoundingClientRect().top))"   # on one line: one top
DATA_TOLERANCE = 2e-4          # the data files keep 4 decimals
REFUSED = {"zh": ("必须在", "必须是整数", "请填写"),
           "en": ("must be between", "must be a whole number", "Please fill in")}
VERDICT = {"zh": ("正确", "不对"), "en": ("Right", "Not quite")}
PROGRESS = {"zh": "答对 {} / {} 题", "en": "{} of {} right"}
CLEAR = {"zh": "清除进度", "en": "Clear progress"}

# grids of configurations checked against torch
RNN_GRID = [dict(num_layers=L, batch_first=bf, batch_size=B, seq_len=T, input_size=I, hidden_size=H, bias=bias)
            for L, bf, B, T, (I, H), bias in itertools.product(
                (1, 2, 3, 4), (False, True), (1, 3), (1, 4), ((4, 2), (10, 20), (1, 1)), (True, False))]
CELL_GRID = [dict(batch_size=B, input_size=I, hidden_size=H, bias=bias)
             for B, (I, H), bias in itertools.product((1, 3, 8), ((4, 2), (10, 20), (5, 3), (1, 1)), (True, False))]
CONV_GRID = [dict(in_channels=i, out_channels=o, kernel_size=k)
             for i, o, k in itertools.product((1, 3, 128), (1, 16, 64), (1, 3, 5))]
LINEAR_GRID = [dict(in_features=i, out_features=o) for i, o in itertools.product((1, 400, 4096), (1, 64, 1024))]
LAYERS = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}   # rnn-shapes.js name: torch module
CELLS = {"cell": torch.nn.RNNCell, "grucell": torch.nn.GRUCell, "lstmcell": torch.nn.LSTMCell}
ALIASES = {"cell": {"h_0": "hidden", "h_t": "hidden"}, "grucell": {"h_0": "hidden", "h_t": "hidden"},
           "lstmcell": {"h_0": "hidden", "h_t": "hidden", "h_1": "hidden", "c_0": "cell", "c_1": "cell", "c_t": "cell"}}


# --- the logic, in Node, against torch -----------------------------------------------------------
def node(calls):
    """Evaluate `RNNShapes.<method>(...args)` for each (method, args) in Node; return the results."""
    script = ("const S = require(process.argv[1]);"
              "const calls = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(calls.map(([m, args]) => S[m](...args))));")
    result = subprocess.run(["node", "-e", script, str(SHAPES_JS)], input=json.dumps(calls),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def described(module, tensors):
    """{tensors, params, total} of a torch module, in the layout rnn-shapes.js returns."""
    params = [{"name": n, "shape": list(p.shape), "count": p.numel()} for n, p in module.named_parameters()]
    return {"tensors": {k: list(v) for k, v in tensors.items()}, "params": params,
            "total": sum(p["count"] for p in params)}


def torch_reference(kind, c):
    """Build the module `kind` from config `c`, run it, and describe what torch really produced."""
    c = {"batch_size": 1, "seq_len": 1, "num_layers": 1, "batch_first": False, "bias": True, **c}
    if kind in LAYERS:            # out, h_n = rnn(x, h_0);  LSTM: out, (h_n, c_n) = lstm(x, (h_0, c_0))
        rnn = LAYERS[kind](c["input_size"], c["hidden_size"], c["num_layers"], bias=c["bias"],
                           batch_first=c["batch_first"])
        B, T = c["batch_size"], c["seq_len"]
        x = torch.zeros((B, T, c["input_size"]) if c["batch_first"] else (T, B, c["input_size"]))
        h0 = torch.zeros(c["num_layers"], B, c["hidden_size"])
        c0 = torch.zeros(c["num_layers"], B, c["hidden_size"])
        with torch.no_grad():
            if kind == "lstm":
                out, (h_n, c_n) = rnn(x, (h0, c0))
                return described(rnn, {"input": x.shape, "h_0": h0.shape, "c_0": c0.shape, "out": out.shape,
                                       "h_n": h_n.shape, "c_n": c_n.shape})
            out, h_n = rnn(x, h0)
        return described(rnn, {"input": x.shape, "h_0": h0.shape, "out": out.shape, "h_n": h_n.shape})
    if kind in CELLS:             # hidden = cell(x, hidden);  LSTMCell: hidden, cell = cell(x, (hidden, cell))
        cell = CELLS[kind](c["input_size"], c["hidden_size"], bias=c["bias"])
        x, h = torch.zeros(c["batch_size"], c["input_size"]), torch.zeros(c["batch_size"], c["hidden_size"])
        with torch.no_grad():
            if kind == "lstmcell":
                h_new, c_new = cell(x, (h, torch.zeros_like(h)))
                return described(cell, {"input": x.shape, "hidden": h_new.shape, "cell": c_new.shape})
            h_new = cell(x, h)
        assert h_new.shape == h.shape
        return described(cell, {"input": x.shape, "hidden": h_new.shape})
    if kind == "embedding":
        emb = torch.nn.Embedding(c["num_embeddings"], c["embedding_dim"], device="meta")
        x = torch.zeros(c["batch_size"], c["seq_len"], dtype=torch.long, device="meta")
        return described(emb, {"input": x.shape, "output": emb(x).shape})
    if kind == "conv":
        conv = torch.nn.Conv2d(c["in_channels"], c["out_channels"], c["kernel_size"], bias=False, device="meta")
        return described(conv, {})
    if kind == "linear":
        return described(torch.nn.Linear(c["in_features"], c["out_features"], bias=False, device="meta"), {})
    raise ValueError(kind)


@pytest.mark.parametrize("kind", [*LAYERS, *CELLS])
def test_recurrent_shapes_and_counts_match_torch(kind):
    grid = RNN_GRID if kind in LAYERS else CELL_GRID
    for config, got in zip(grid, node([[kind, [c]] for c in grid])):
        aliases = got.pop("aliases", {})
        want = torch_reference(kind, config)
        assert got == want, (kind, config)
        assert aliases == ALIASES.get(kind, {}), kind           # the other names a quiz may use


@pytest.mark.parametrize("kind", [*LAYERS, *CELLS])
def test_quiz_keys_of_every_tensor_and_parameter_match_torch(kind):
    """RNNShapes.shape("lstm:c_n", config) and count("gru:total", config), as quizzes ask them."""
    configs = RNN_GRID[-3:] if kind in LAYERS else CELL_GRID[-3:]     # 4 layers, batch_first, bias or not
    for config in configs:
        want = torch_reference(kind, config)
        shapes = {**want["tensors"], **{p["name"]: p["shape"] for p in want["params"]}}
        shapes.update({alias: shapes[name] for alias, name in ALIASES.get(kind, {}).items()})
        calls = [["shape", [f"{kind}:{name}", config]] for name in shapes]
        calls += [["count", [f"{kind}:{p['name']}", config]] for p in want["params"]]
        calls += [["count", [f"{kind}:total", config]]]
        assert node(calls) == [*shapes.values(), *(p["count"] for p in want["params"]), want["total"]], config


def test_gru_and_lstm_are_3_and_4_rnns_of_the_same_sizes():
    """What the weight counter's ratios rest on, from torch: every GRU / LSTM parameter stacks 3 / 4 RNN blocks."""
    for c in RNN_GRID[::7]:
        rnn, gru, lstm = (torch_reference(kind, c)["total"] for kind in LAYERS)
        assert (gru, lstm) == (3 * rnn, 4 * rnn), c


def test_weight_counter_matches_torch():
    calls = [["conv", [c]] for c in CONV_GRID] + [["linear", [c]] for c in LINEAR_GRID]
    for (kind, (config,)), got in zip(calls, node(calls)):
        assert got == torch_reference(kind, config), (kind, config)
    conv, dense = node([["conv", [{"in_channels": 128, "out_channels": 64, "kernel_size": 5}]],
                        ["linear", [{"in_features": 4096, "out_features": 1024}]]])
    assert (conv["total"], dense["total"]) == (204_800, 4_194_304)   # the lesson's numbers


def test_refused_values():
    bad = ["", "abc", "2.5", "-1", "0", "1e3", "51"]
    good = ["1", "7", " 50 ", "+3"]
    got = node([["check", ["seq_len", v]] for v in bad + good])
    assert all(p is not None for p in got[:len(bad)]), got
    assert got[len(bad):] == [None] * len(good)
    assert [p["reason"] for p in got[:4]] == ["empty", "integer", "integer", "range"]
    caps = node([["check", [f, str(v)]] for f, v in (("hidden_size", 4097), ("num_layers", 9), ("batch_size", 4096))])
    assert [p and p["reason"] for p in caps] == ["range", "range", None]


# --- the quizzes in the pages --------------------------------------------------------------------
QUIZ = re.compile(r"<div class=\"quiz\"([^>]*)></div>")
ATTR = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
EXERCISE = re.compile(r'^\?\?\? question "(?:练习|Exercise) (\d+)"', re.M)
SUCCESS = re.compile(r'\?\?\? success "(?:答案|Answer)"\n\s+(\S)')


def quizzes(lang, lesson):
    """[(exercise number, {attribute: value}, first character of its answer block)] of a lesson page."""
    text = page_text(lang, lesson)
    found = []
    blocks = EXERCISE.split(text)[1:]
    for number, block in zip(blocks[::2], blocks[1::2]):
        for m in QUIZ.finditer(block):
            attrs = {k: a if a else b for k, a, b in ATTR.findall(m.group(1))}
            found.append((int(number), attrs, SUCCESS.search(block).group(1)))
    return found


def shape_tokens(attrs):
    """[(label, spec)] of a shape quiz, as quiz.js reads them."""
    tokens = []
    for token in attrs["data-shape"].split():
        label, spec = token.split("=") if "=" in token else (token.split(":")[1], token)
        tokens.append((label, spec))
    return tokens


def literal_shape(spec):
    return [int(n) for n in re.findall(r"\d+", spec)]


# Every answer typed into a page (not computed from a config) and where it comes from.
LITERAL_ANSWERS = {
    ("04-hello-ohlol", 2): hello_rnn_with_lr_0_1,
    ("04-hello-ohlol", 3): lambda: len(["e", "h", "l", "o"]),                 # one score per class
    ("05-embedding", 2): lesson5_parameters,
    ("05-embedding", 3): lambda: "".join("ehlo"[i] for i in [3, 1, 2, 2, 3]),  # the notes' labels
    ("07-text-generation", 1): tang_vocabulary_size,
    ("07-text-generation", 3): clip_factor,
}


def expected_answer(lesson, number, attrs):
    """The right answer of one quiz, from torch (or LITERAL_ANSWERS); a list of strings to type / click."""
    kind = attrs["data-type"]
    config = json.loads(attrs.get("data-config", "{}"))
    if kind == "choice":
        return [attrs["data-answer"]]
    if kind == "shape":
        answers = []
        for _, spec in shape_tokens(attrs):
            if spec.startswith(("(", "[")):
                answers.append(literal_shape(spec))
                continue
            module, name = spec.split(":")
            ref = torch_reference(module, config)
            name = ALIASES.get(module, {}).get(name, name)
            shapes = {**ref["tensors"], **{p["name"]: p["shape"] for p in ref["params"]}}
            answers.append(shapes[name])
        return ["(" + ", ".join(map(str, s)) + ("," if len(s) == 1 else "") + ")" for s in answers]
    if kind == "number" and "data-count" in attrs:
        module, name = attrs["data-count"].split(":")
        assert name == "total"
        return [str(torch_reference(module, config)["total"])]
    return [str(attrs["data-answer"])]


LESSONS = [lesson for lesson in BOOK.lessons() if quizzes(BOOK.default_language, lesson)]  # self-checking ones
QUIZZES_AT_LEAST = 20       # 4 in each of lessons 1-5


def test_the_quizzes_are_all_there():
    assert sum(len(quizzes(BOOK.default_language, lesson)) for lesson in LESSONS) >= QUIZZES_AT_LEAST


@pytest.mark.parametrize("lesson", LESSONS)
def test_quiz_markup_is_the_same_in_both_languages_and_answers_agree(lesson):
    zh, en = quizzes("zh", lesson), quizzes("en", lesson)
    assert [(n, a) for n, a, _ in zh] == [(n, a) for n, a, _ in en], "zh and en pages carry different quizzes"
    exercises = EXERCISE.findall(page_text("zh", lesson))
    assert [n for n, _, _ in zh] == [int(n) for n in exercises], "every exercise checks itself, with one quiz"
    for lang in LANGS:
        for number, attrs, first in quizzes(lang, lesson):
            if attrs["data-type"] == "choice":   # the explanation starts with the letter
                assert first == attrs["data-answer"], (lang, lesson, number)
    computed = [(n, a) for n, a, _ in zh if a["data-type"] == "shape"]
    calls = [["shape", [spec, json.loads(a.get("data-config", "{}"))]]
             for n, a in computed for _, spec in shape_tokens(a) if not spec.startswith(("(", "["))]
    calls += [["count", [a["data-count"], json.loads(a["data-config"])]] for n, a, _ in zh if "data-count" in a]
    js = node(calls)
    want = []
    for n, a in computed:
        for text, (_, spec) in zip(expected_answer(lesson, n, a), shape_tokens(a)):
            if not spec.startswith(("(", "[")):
                want.append(literal_shape(text))
    want += [int(expected_answer(lesson, n, a)[0]) for n, a, _ in zh if "data-count" in a]
    assert js == want
    for number, attrs, _ in zh:
        if attrs["data-type"] in ("number", "text") and "data-count" not in attrs:
            assert (lesson, number) in LITERAL_ANSWERS, f"{lesson} exercise {number}: where does its answer come from?"
            truth = LITERAL_ANSWERS[(lesson, number)]()
            if attrs["data-type"] == "text":
                assert attrs["data-answer"] == truth
            else:
                assert math.isclose(float(attrs["data-answer"]), truth, abs_tol=float(attrs.get("data-tolerance", 0)))


def test_widget_divs_are_the_same_in_both_languages():
    assert len(WIDGETS) >= 5
    for lesson in BOOK.lessons():
        assert len({tuple(WIDGET_DIV.findall(page_text(lang, lesson))) for lang in LANGS}) == 1, lesson


# --- the data files ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regenerated():
    """What `make weights` writes now (book/widget_data.py), from the lessons' own snippets, single-threaded."""
    code = ("import json, torch; from book import Book, widget_data; torch.set_num_threads(1); "
            "print(json.dumps({p.name: d for p, d in widget_data.build(Book.find()).items()}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def close(a, b, path="$"):
    if isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) <= DATA_TOLERANCE, f"{path}: {a} != {b}"
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            close(a[k], b[k], f"{path}.{k}")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def data_of(kind):
    """(data file, snippet) of the widget of `kind` that the pages give data."""
    return next((path, snippet) for path, (k, snippet) in DATA_FILES.items() if k == kind)


@pytest.mark.parametrize("path", list(DATA_FILES), ids=lambda p: p.name)
def test_widget_data_is_what_the_snippets_train(regenerated, path):
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    close(on_disk, regenerated[path.name])   # stale? run: make weights


def test_step_through_data_predicts_ohlol_and_is_consistent():
    path, snippet = data_of("step-through")
    d = json.loads(path.read_text(encoding="utf-8"))
    assert d["trained"]["predicted"] == "ohlol"
    first_epoch = (BOOK.outputs / f"{snippet.stem}.txt").read_text().splitlines()[0]
    assert f"Predicted string: {d['initial']['predicted']}," in first_epoch   # untrained = epoch 1's guess
    for run in ("initial", "trained"):   # h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), from the file's weights
        w = {k: torch.tensor(v) for k, v in d[run]["weights"].items()}
        h = torch.tensor(d[run]["h0"])
        for x, step in zip(d["x_data"], d[run]["steps"]):
            h = torch.tanh(w["weight_ih_l0"][:, x] + w["bias_ih_l0"] + w["weight_hh_l0"] @ h + w["bias_hh_l0"])
            assert torch.allclose(h, torch.tensor(step["hidden"]), atol=2e-3)
            softmax = torch.softmax(torch.tensor(step["hidden"]), 0)
            assert torch.allclose(softmax, torch.tensor(step["softmax"]), atol=2e-3)


def test_embedding_data_starts_from_the_seeded_table():
    path, snippet = data_of("embedding-lookup")
    d = json.loads(path.read_text(encoding="utf-8"))
    init = json.loads((BOOK.data / f"{snippet.stem}_init.json").read_text())["emb.weight"]
    close(d["initial"], [[round(x, 4) for x in row] for row in init])
    printed = (BOOK.outputs / "embedding_lookup.txt").read_text()   # row 2 as the lesson prints it
    assert all(f"{x:.4f}" in printed for x in d["initial"][2])


# --- in the browser ------------------------------------------------------------------------------
def open_page(browser, server, lang, page, viewport=PHONE, scheme="light", swap=None):
    """The page in Chromium; with swap = (div, other div), served with the other div in place of the first
    (a widget mode that no lesson shows yet, through Playwright's routing: nothing is written to the site)."""
    p = browser.new_page(viewport=viewport, color_scheme=scheme)
    if swap:
        def serve(route):
            response = route.fetch()
            assert swap[0] in response.text(), swap[0]
            route.fulfill(response=response, body=response.text().replace(swap[0], swap[1], 1))
        p.route(url(server, lang, page), serve)
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(url(server, lang, page), wait_until="networkidle")
    p.errors = errors
    return p


def widget(page, name):
    w = page.locator(f'.rnn-widget[data-widget="{name}"]')
    w.wait_for()
    return w


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def field(w, name):
    return w.locator(f'input[name="{name}"]')


def shot(page, locator, name):
    """A picture of one element, taken from the full page so that the sticky header is not over it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("scrollTo(0, 0)")       # the sticky header back at the top of the page
    box = page.evaluate("el => { const r = el.getBoundingClientRect(); "
                        "return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }",
                        locator.element_handle())
    x, y, w, h = box
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True,
                    clip={"x": max(0, x - 8), "y": max(0, y - 8), "width": w + 16, "height": h + 16})


@pytest.mark.parametrize("lang", LANGS)
def test_weight_counter(server, browser, lang):
    page = open_page(browser, server, lang, page_with("weight-counter"))
    w = widget(page, "weight-counter")
    text = w.inner_text()
    assert "204,800" in text and "4,194,304" in text and "20.48" in text
    assert w.locator("button[data-cell], .rnn-counter__kinds").count() == 0    # RNN / GRU / LSTM only when asked
    field(w, "kernel_size").fill("3")
    assert "73,728" in w.inner_text()              # 128 * 3**2 * 64
    error = w.locator(".rnn-widget__error")
    for bad, message in (("0", 0), ("abc", 1), ("", 2), ("99999", 0), ("-4", 0)):
        field(w, "in_channels").fill(bad)
        assert error.is_visible() and REFUSED[lang][message] in error.inner_text(), bad
        if bad == "abc":
            shot(page, w, f"weight-counter-refused-{lang}-phone-light")
        assert "73,728" not in w.inner_text()     # no stale count next to a refused value
    field(w, "in_channels").fill("128")
    assert not error.is_visible() and "73,728" in w.inner_text()
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_shape_explorer(server, browser, lang):
    page = open_page(browser, server, lang, page_with("shape-explorer", "rnn"))
    w = widget(page, "shape-explorer")
    def shape(name):
        return w.locator(f'tr[data-tensor="{name}"] .rnn-widget__shape').inner_text()
    assert (shape("inputs"), shape("out"), shape("h_n")) == ("(5, 1, 4)", "(5, 1, 2)", "(3, 1, 2)")
    assert w.locator(".rnn-widget__total").inner_text() == "40"
    assert w.locator(".rnn-grid__box").count() == 15
    assert w.locator("button[data-cell], .rnn-explorer__call").count() == 0   # GRU / LSTM only when asked
    w.locator('input[type="checkbox"]').check()
    assert (shape("inputs"), shape("out"), shape("h_n")) == ("(1, 5, 4)", "(1, 5, 2)", "(3, 1, 2)")
    field(w, "num_layers").fill("4")
    field(w, "seq_len").fill("6")
    assert w.locator(".rnn-grid__box").count() == 24
    assert w.locator(".rnn-grid__box.is-out").count() == 6 and w.locator(".rnn-grid__box.is-hn").count() == 4
    assert w.locator("tr[data-param]").count() == 16
    error = w.locator(".rnn-widget__error")
    for name, bad, message in (("seq_len", "51", 0), ("hidden_size", "2.5", 1), ("num_layers", "", 2),
                               ("num_layers", "9", 0), ("batch_size", "0", 0), ("input_size", "-3", 0)):
        before = field(w, name).input_value()
        field(w, name).fill(bad)
        assert error.is_visible() and REFUSED[lang][message] in error.inner_text(), (name, bad)
        assert name in error.inner_text()
        assert not w.locator(".rnn-grid").is_visible()    # no drawing for a refused value
        if bad == "2.5":
            shot(page, w, f"shape-explorer-refused-{lang}-phone-light")
        field(w, name).fill(before)
        assert not error.is_visible()
    field(w, "seq_len").fill("50")                        # the largest drawing still fits the page
    assert w.locator(".rnn-grid__box").count() == 200
    assert overflow(page) <= 0
    shot(page, w.locator(".rnn-widget__figure"), f"shape-explorer-50-steps-{lang}-phone-light")
    w.locator('button[data-mode="cell"]').click()
    assert (shape("input"), shape("hidden")) == ("(1, 4)", "(1, 2)")
    assert [r.get_attribute("data-param") for r in w.locator("tr[data-param]").all()] == \
        ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    assert w.locator(".rnn-widget__total").inner_text() == "16"
    close_page(page)

    page = open_page(browser, server, lang, page_with("shape-explorer", "cell"))   # lesson 2 starts as RNNCell
    w = widget(page, "shape-explorer")
    assert (shape("input"), shape("hidden")) == ("(1, 4)", "(1, 2)")
    assert w.locator(".rnn-grid__box").count() == 3
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


def shape_of(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def shown_params(w):
    """[(name, shape, count)] of the parameter table a widget shows, and its total."""
    rows = [tuple(td.inner_text() for td in row.locator("td").all()) for row in w.locator("tr[data-param]").all()]
    return rows, w.locator(".rnn-widget__total").inner_text()


def torch_params(ref):
    return [(p["name"], shape_of(p["shape"]), f"{p['count']:,}") for p in ref["params"]], f"{ref['total']:,}"


@pytest.mark.parametrize("lang", LANGS)
def test_shape_explorer_gru_and_lstm(server, browser, lang):
    path, kind, swap = in_place_of(GRU_LSTM["shape-explorer-lstm"])
    page = open_page(browser, server, lang, path, swap=swap)
    w = widget(page, kind)
    def tensors():
        return {r.get_attribute("data-tensor"): r.locator(".rnn-widget__shape").inner_text()
                for r in w.locator("tr[data-tensor]").all()}
    def pressed(attr):
        return [b.get_attribute(attr) for b in w.locator(f'button[{attr}][aria-pressed="true"]').all()]
    sizes = {name: int(field(w, name).input_value()) for name in ("batch_size", "seq_len", "input_size",
                                                                   "hidden_size", "num_layers")}
    for batch_first in (False, True):
        if batch_first:
            w.locator('input[type="checkbox"]').check()
        for cell in ("lstm", "gru", "rnn"):
            w.locator(f'button[data-cell="{cell}"]').click()
            assert pressed("data-cell") == [cell] and pressed("data-mode") == ["rnn"]
            assert w.locator('button[data-mode="rnn"]').inner_text() == {"rnn": "nn.RNN", "gru": "nn.GRU",
                                                                         "lstm": "nn.LSTM"}[cell]
            ref = torch_reference(cell, {**sizes, "batch_first": batch_first})
            want = {("inputs" if k == "input" else k): shape_of(v) for k, v in ref["tensors"].items()}
            assert tensors() == want and list(tensors()) == [k for k in ("inputs", "h_0", "c_0", "out", "h_n", "c_n")
                                                             if k in want], (cell, batch_first)
            assert shown_params(w) == torch_params(ref), (cell, batch_first)
            pair = ("out, (h_n, c_n) = lstm(inputs, (h_0, c_0))" if cell == "lstm"
                    else f"out, h_n = {cell}(inputs, h_0)")
            assert pair in w.locator(".rnn-explorer__call").inner_text()
            assert w.locator(".rnn-grid__box").count() == sizes["num_layers"] * sizes["seq_len"]
            labels = [t.text_content() for t in w.locator(".rnn-grid__label--hn").all()]
            assert labels == (["h_n", "c_n"] if cell == "lstm" else ["h_n"])
    w.locator('button[data-mode="cell"]').click()
    for cell in ("lstm", "gru"):
        w.locator(f'button[data-cell="{cell}"]').click()
        assert w.locator('button[data-mode="cell"]').inner_text() == f"nn.{cell.upper()}Cell"
        ref = torch_reference(f"{cell}cell", sizes)
        assert tensors() == {k: shape_of(v) for k, v in ref["tensors"].items()}
        assert shown_params(w) == torch_params(ref)
        assert w.locator(".rnn-grid__box").count() == sizes["seq_len"]
    field(w, "hidden_size").fill("0")
    assert w.locator(".rnn-widget__error").is_visible() and not w.locator(".rnn-grid").is_visible()
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_weight_counter_gru_and_lstm(server, browser, lang):
    path, kind, swap = in_place_of(GRU_LSTM["weight-counter-lstm"])
    page = open_page(browser, server, lang, path, swap=swap)
    w = widget(page, kind)
    kinds = [b.get_attribute("data-cell") for b in w.locator("button[data-cell]").all()]
    assert kinds == ["rnn", "gru", "lstm"]
    assert w.locator('button[aria-pressed="true"]').get_attribute("data-cell") == "lstm"   # data-cell
    for sizes, clicks in (({"input_size": 10, "hidden_size": 20, "num_layers": 1, "bias": True}, ["lstm"]),
                          ({"input_size": 3, "hidden_size": 7, "num_layers": 3, "bias": False}, ["gru", "rnn"])):
        for name in ("input_size", "hidden_size", "num_layers"):
            field(w, name).fill(str(sizes[name]))
        w.locator('input[type="checkbox"]').set_checked(sizes["bias"])
        refs = {k: torch_reference(k, sizes) for k in kinds}
        bars = w.locator(".rnn-counter__kinds").inner_text().split()
        assert bars == [x for k in kinds for x in (f"nn.{k.upper()}", f"{refs[k]['total']:,}",
                                                   f"×{refs[k]['total'] / refs['rnn']['total']:g}")]
        for k in clicks:
            w.locator(f'button[data-cell="{k}"]').click()
            assert shown_params(w) == torch_params(refs[k]), (k, sizes)
            summary = w.locator(".rnn-counter__ratio").inner_text()
            assert f"{refs[k]['total']:,}" in summary
            if k != "rnn":                                 # "4 times the 640 of an nn.RNN" / "（640 个）的 4 倍"
                ratio = f"{refs[k]['total'] / refs['rnn']['total']:g}"
                assert f"{refs['rnn']['total']:,}" in summary
                assert {"en": f"{ratio} times", "zh": f"的 {ratio} 倍"}[lang] in summary
    assert [x for x in bars if x.startswith("×")] == ["×1", "×3", "×4"]
    error = w.locator(".rnn-widget__error")
    field(w, "num_layers").fill("9")
    assert error.is_visible() and REFUSED[lang][0] in error.inner_text()
    assert w.locator(".rnn-counter__kinds").inner_text().count("–") == 2 * len(kinds)   # no stale counts
    field(w, "num_layers").fill("1")
    assert not error.is_visible()
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_step_through(server, browser, lang):
    page = open_page(browser, server, lang, page_with("step-through"))
    w = widget(page, "step-through")
    w.locator(".rnn-steps__heat").wait_for()
    def outputs():
        return "".join(o.inner_text() for o in w.locator(".rnn-steps__out").all())
    assert outputs() == "o····"
    assert w.locator('[data-step="prev"]').is_disabled()
    for _ in range(4):
        w.locator('[data-step="next"]').click()
    assert w.get_attribute("data-step") == "5" and outputs() == "ohlol"
    assert w.locator('[data-step="next"]').is_disabled()
    w.locator('[data-weights="initial"]').click()
    assert outputs() == "ooooo"
    w.locator(".rnn-widget__char").nth(1).click()          # jump to step 2
    assert w.get_attribute("data-step") == "2"
    w.locator('[data-step="next"]').focus()
    page.keyboard.press("ArrowLeft")
    assert w.get_attribute("data-step") == "1"
    assert w.locator(".rnn-steps__heat td.is-later").count() == 3 * 4
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_embedding_lookup(server, browser, lang):
    d = json.loads(data_of("embedding-lookup")[0].read_text(encoding="utf-8"))
    page = open_page(browser, server, lang, page_with("embedding-lookup"))
    w = widget(page, "embedding-lookup")
    w.locator(".rnn-embedding__value").first.wait_for()
    def values():
        return [float(v.inner_text().replace("−", "-")) for v in w.locator(".rnn-embedding__value").all()]
    def selected():
        return {r.get_attribute("data-row") for r in w.locator("tr.is-selected").all()}
    assert selected() == {"2"} and values() == d["initial"][2]          # l, as in the lesson's printout
    w.locator(".rnn-widget__char").nth(0).click()                     # h
    assert selected() == {"1"} and values() == d["initial"][1]
    assert w.locator(".rnn-embedding__cell.is-selected small").inner_text() == "h"
    w.locator('[data-weights="trained"]').click()
    assert values() == d["trained"][1]
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


def softmax(scores, T):
    top = max(scores)
    e = [math.exp((z - top) / T) for z in scores]
    return [x / sum(e) for x in e]


def test_temperature_data_is_the_lessons_model():
    path, snippet = data_of("temperature")
    d = json.loads(path.read_text(encoding="utf-8"))
    printed = (BOOK.outputs / f"{snippet.stem}.txt").read_text()
    first = d["prefixes"][0]                                   # its samples are the program's own generate()
    sampled = re.search(r"^sampled at temperature 0\.8\b.*:\n", printed, re.M)
    assert printed[sampled.end():].startswith(first["prefix"] + first["samples"]["0.8"][0])
    assert len(d["characters"]) == len(first["scores"]) and "<unk>" not in d["characters"]


def test_temperature_samples_are_drawn_with_seeds_of_each_prefix():
    """Every prefix once drew with seeds 0, 1, 2, so that 春 and 明月 went on alike (issue 22). Each prefix has seeds of
    its own, the same at every temperature (only T changes the draws), and no two prefixes share a continuation."""
    path, _ = data_of("temperature")
    d = json.loads(path.read_text(encoding="utf-8"))
    seeds = [seed for prefix in d["prefixes"] for seed in prefix["seeds"]]
    assert len(set(seeds)) == len(seeds) and all(len(p["seeds"]) == len(p["samples"]["0.8"]) for p in d["prefixes"])
    for T in ("1.0", "1.5"):                                  # far from greedy: alike only if drawn alike
        continuations = [s for prefix in d["prefixes"] for s in prefix["samples"][T]]
        assert len(set(continuations)) == len(continuations), T


@pytest.mark.parametrize("lang", LANGS)
def test_temperature_explorer(server, browser, lang):
    path, _ = data_of("temperature")
    d = json.loads(path.read_text(encoding="utf-8"))
    page = open_page(browser, server, lang, page_with("temperature"))
    w = widget(page, "temperature")
    w.locator(".rnn-steps__bar").first.wait_for()

    def bars():
        return [(bar.locator(".rnn-steps__bar-label").inner_text(),
                 float(bar.locator(".rnn-steps__bar-value").inner_text()[:-1]))
                for bar in w.locator(".rnn-steps__bar").all()]

    for i, prefix in enumerate(d["prefixes"]):
        w.locator(f'[data-prefix="{i}"]').click()
        for T in ("0.8", "0.2", "1.5"):
            w.locator('input[type="range"]').fill(T)
            assert w.get_attribute("data-temperature") == T
            p = softmax(prefix["scores"], float(T))
            top = sorted(range(len(p)), key=lambda k: -p[k])[:10]
            want = [(d["characters"][k].replace("\n", "↵"), round(100 * p[k], 1)) for k in top]
            assert [label for label, _ in bars()] == [label for label, _ in want], (prefix["prefix"], T)
            assert [v for _, v in bars()] == pytest.approx([v for _, v in want], abs=0.051)
            samples = [li.inner_text() for li in w.locator("li").all()]
            shown = [prefix["prefix"] + s.replace("\n", " ↵ ") for s in prefix["samples"][T]]
            assert samples == [" ".join(s.split()) for s in shown]          # as the page shows them
            caption = w.locator(".rnn-embedding__caption").last.inner_text()
            assert all(str(seed) in caption for seed in prefix["seeds"]), caption   # which draws these are
    w.locator('input[type="range"]').fill("0.3")                # between the sampled temperatures: the nearest
    assert "0.2" in w.locator(".rnn-embedding__caption").last.inner_text()
    assert overflow(page) <= 0
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(WIDGETS) + sorted(GRU_LSTM))
def test_widgets_in_light_and_dark_on_phone_and_desktop(server, browser, lang, name):
    path, kind, swap = (*WIDGETS[name], None) if name in WIDGETS else in_place_of(GRU_LSTM[name])
    page = open_page(browser, server, lang, path, PHONE, "light", swap)
    w = widget(page, kind)
    page.wait_for_function("w => w.children.length > 1", arg=w.element_handle())   # data widgets: loaded
    for scheme in ("light", "dark"):
        if scheme == "dark":           # the reader's toggle in the header, as a click (one page load less)
            page.locator("form[data-md-component='palette'] label >> visible=true").first.click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            settle(page)
            assert overflow(page) <= 0, f"{name} {lang} {size} {scheme}"
            assert w.evaluate("w => w.getBoundingClientRect().right <= window.innerWidth + 0.5")
            shot(page, w, f"{name}-{lang}-{size}-{scheme}")
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_shape_explorer_keeps_h_n_in_view_on_a_phone(server, browser, lang):
    page = open_page(browser, server, lang, page_with("shape-explorer", "rnn"), PHONE)
    w = widget(page, "shape-explorer")
    field(w, "seq_len").fill(str(PHONE_STEPS))
    scroll = w.locator(".rnn-widget__figure .rnn-widget__scroll")
    assert scroll.evaluate("s => s.scrollWidth > s.clientWidth"), "the grid fits: no scrolling to test"
    assert overflow(page) <= 0
    # the column the caption names is in view; the rest is a sideways scroll away, with a cue and a keyboard way
    assert w.locator(".rnn-grid__label--hn").evaluate("""l => {
        const r = l.getBoundingClientRect(), s = l.closest(".rnn-widget__scroll").getBoundingClientRect();
        return r.left >= s.left && r.right <= s.right; }""")
    assert "gradient" in scroll.evaluate("s => getComputedStyle(s).backgroundImage")
    assert scroll.get_attribute("tabindex") == "0"
    settle(page)
    shot(page, w, f"shape-explorer-{PHONE_STEPS}-steps-{lang}-phone")
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_embedding_matrix_keeps_its_shape_on_a_phone(server, browser, lang):
    page = open_page(browser, server, lang, page_with("embedding-lookup"), PHONE)
    w = widget(page, "embedding-lookup")
    w.locator(".rnn-embedding__value").first.wait_for()
    d = json.loads((BOOK.docs / BOOK.default_language / w.get_attribute("data-src")).read_text())
    rows, columns = len(d["initial"]), len(d["initial"][0])
    # one table of rows x columns, each row on one line: never blocks that read as a matrix of more rows
    assert w.locator("table").count() == 1
    assert w.locator("tr").count() == rows
    for i in range(rows):
        tops = w.locator("tr").nth(i).locator("th, td").evaluate_all(TOPS)
        assert len(tops) == columns + 1 and len(set(tops)) == 1
    values = w.locator(".rnn-embedding__value").evaluate_all(TOPS)
    assert len(values) == columns and len(set(values)) == 1, "the selected row wraps into lines"
    assert overflow(page) <= 0
    settle(page)
    shot(page, w, f"embedding-lookup-{lang}-phone-matrix")
    close_page(page)


def answer(page, quiz, values):
    if quiz.get_attribute("data-type") == "choice":
        quiz.locator(f'button[data-option="{values[0]}"]').click()
        return
    inputs = quiz.locator("input")
    for i, value in enumerate(values):
        inputs.nth(i).fill(value)
    quiz.locator(".quiz__check").click()


def wrong_answer(kind, right):
    if kind == "choice":
        return ["A" if right[0] != "A" else "B"]
    if kind == "shape":
        return [r.replace("(", "(9, ", 1) for r in right]            # one dimension too many
    if kind == "number":
        return [str(float(right[0]) + 1)]
    return [right[0] + "x"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_exercise_marks_wrong_and_right_answers(server, browser, lang, lesson):
    page = open_page(browser, server, lang, f"lessons/{lesson}/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = quizzes(lang, lesson)
    boxes = page.locator("div.quiz[data-type]")
    assert boxes.count() == len(found)
    for i, (number, attrs, _) in enumerate(found):
        quiz = boxes.nth(i)
        if attrs["data-type"] == "choice":       # one button per option listed in the question
            assert quiz.locator(".quiz__option").count() == quiz.locator("xpath=../ul/li").count() >= 2
        right = expected_answer(lesson, number, attrs)
        answer(page, quiz, wrong_answer(attrs["data-type"], right))
        assert quiz.get_attribute("data-state") == "wrong", (lesson, number)
        assert VERDICT[lang][1] in quiz.locator(".quiz__feedback").inner_text()
        answer(page, quiz, right)
        assert quiz.get_attribute("data-state") == "right", (lesson, number, right)
        assert VERDICT[lang][0] in quiz.locator(".quiz__feedback").inner_text()
    assert PROGRESS[lang].format(len(found), len(found)) in page.locator(".quiz-progress").inner_text()
    assert overflow(page) <= 0
    if lesson == "03-rnn-layer":
        shot(page, boxes.nth(0).locator("xpath=.."), f"exercise-{lang}-phone-light")
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_progress_survives_a_reload_and_can_be_cleared(server, browser, lang):
    page = open_page(browser, server, lang, "lessons/03-rnn-layer/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    quiz = page.locator("div.quiz[data-type]")
    answer(page, quiz.nth(0), ["(7, 3, 20)", "[2, 3, 20]"])             # right, written two ways
    answer(page, quiz.nth(2), ["A"])                                    # wrong
    answer(page, quiz.nth(3), ["two by two"])                           # not a shape: refused, not kept
    assert quiz.nth(3).get_attribute("data-state") == "format"
    page.reload(wait_until="networkidle")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    states = [quiz.nth(i).get_attribute("data-state") for i in range(4)]
    assert states == ["right", None, "wrong", None]
    assert quiz.nth(0).locator("input").nth(1).input_value() == "[2, 3, 20]"
    assert PROGRESS[lang].format(1, 4) in page.locator(".quiz-progress").inner_text()
    [other] = BOOK.other_languages(lang)                                # one key for both languages
    page.goto(url(server, other, "lessons/03-rnn-layer/"), wait_until="networkidle")
    assert page.locator("div.quiz[data-type]").nth(0).get_attribute("data-state") == "right"
    page.goto(url(server, lang, "lessons/03-rnn-layer/"), wait_until="networkidle")
    page.get_by_role("button", name=CLEAR[lang]).click()
    assert [quiz.nth(i).get_attribute("data-state") for i in range(4)] == [None] * 4
    assert PROGRESS[lang].format(0, 4) in page.locator(".quiz-progress").inner_text()
    page.reload(wait_until="networkidle")
    assert [quiz.nth(i).get_attribute("data-state") for i in range(4)] == [None] * 4
    assert page.errors == []
    close_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_widgets_and_exercises_come_back_after_instant_navigation(server, browser, lang):
    page = open_page(browser, server, lang, "lessons/02-rnn-cell/", DESKTOP)
    widget(page, "shape-explorer")
    page.locator(".md-content a[href*='03-rnn-layer'], .md-footer a[href*='03-rnn-layer']").first.click()
    page.wait_for_url("**/lessons/03-rnn-layer/")
    w = widget(page, "shape-explorer")
    assert w.locator(".rnn-grid__box").count() == 15
    assert page.locator(".quiz-progress").count() == 1
    assert CLEAR[lang] in page.locator(".quiz-progress").inner_text()
    assert page.errors == []
    close_page(page)
