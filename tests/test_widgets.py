"""The lesson widgets and self-checking exercises.

The shape logic (docs/javascripts/widgets/rnn-shapes.js) runs in Node and is compared with what torch builds;
the widget data files are regenerated from the lessons' seeded snippets; then headless Chromium, in both
languages, uses every widget and answers every exercise (pictures in test-artifacts/widgets/ with BOOK_SCREENSHOTS=1).
Lessons, widgets and exercises are found in the pages (the nav's lessons), never listed here.
"""
import itertools
import json
import math
import re

import pytest
import torch
from playwright.sync_api import expect

from book import quizzes, widget_data
from book.browser import DESKTOP, PHONE, settle
from book.pages import Page
from conftest import BOOK, LANGS, ROOT, single_thread
from conftest import page_url as url
from reader import ready, to_dark, visit
from reader import shot as take

SHAPES_JS = ROOT / "docs" / "javascripts" / "widgets" / "rnn-shapes.js"
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
ALIASES = quizzes.ALIASES     # the names torch's documentation gives a cell's states, which a quiz may use


# --- the logic, in Node, against torch (book/quizzes.py: the page's JavaScript in Node, torch's reference) ----
def node(calls):
    """RNNShapes.<method>(...args) of each (method, args) in Node: the values (an error fails the test)."""
    results = quizzes.in_node(BOOK, calls)["results"]
    assert all("value" in r for r in results), [r for r in results if "error" in r]
    return [r["value"] for r in results]


def torch_reference(kind, c):
    """What torch builds for module `kind` of rnn-shapes.js from the keys of config `c` that it reads (a widget's
    fields serve several modules: the explorer's cell mode leaves seq_len and num_layers to the layer mode)."""
    return quizzes.reference(kind, {k: v for k, v in c.items() if k in quizzes.keys(BOOK)[kind]})


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


# --- the quizzes in the pages (book/quizzes.py proves each answer; the checker runs the same rules) ---------
LESSONS = [lesson for lesson in BOOK.lessons() if quizzes.quizzes(BOOK, BOOK.default_language, lesson)]
QUIZZES_AT_LEAST = 20       # 4 in each of lessons 1-5


def test_the_quizzes_are_all_there():
    assert sum(len(quizzes.quizzes(BOOK, BOOK.default_language, lesson)) for lesson in LESSONS) >= QUIZZES_AT_LEAST


@pytest.mark.parametrize("lesson", LESSONS)
def test_quiz_markup_is_the_same_in_both_languages_and_answers_agree(lesson):
    """Each quiz's answer computed (torch; book/answers.py), the same in rnn-shapes.js and stated by its answer
    text; only declared attributes and config keys; the same quizzes in both languages (book/quizzes.py)."""
    assert not [" ".join(map(str, p)) for p in quizzes.problems(BOOK, slugs=[lesson])]


def test_config_keys_are_what_torch_builds_from():
    """RNNShapes.KEYS, the keys a quiz's config may hold, are the keys the torch reference gives torch: a key of
    one and not the other would be a setting that one side ignores (as `bidirectional` once was)."""
    sizes = {"batch_size": 2, "seq_len": 3, "input_size": 4, "hidden_size": 5, "num_layers": 2, "batch_first": True,
             "bias": False, "num_embeddings": 6, "embedding_dim": 7, "in_channels": 3, "out_channels": 8,
             "kernel_size": 3, "in_features": 9, "out_features": 10, "num_classes": 11}
    keys = quizzes.keys(BOOK)
    assert set(keys) == {*LAYERS, *CELLS, "embedding", "conv", "linear", "cross_entropy"}
    calls = []
    for module, names in keys.items():
        config = {k: sizes[k] for k in names}
        ref = quizzes.reference(module, config)                         # takes every key ...
        with pytest.raises(quizzes.Unused):
            quizzes.reference(module, {**config, "bidirectional": True})  # ... and no other
        for name in {**ref["tensors"], **{p["name"]: 0 for p in ref["params"]}}:
            calls.append((["shape", [f"{module}:{name}", config]], quizzes.named(module, name, ref)))
        calls.append((["count", [f"{module}:total", config]], ref["total"]))
        calls.append((["shape", [f"{module}:{next(iter(ref['tensors']), 'total')}", {**config, "bidirectional": 1}]],
                      None))
    results = quizzes.in_node(BOOK, [call for call, _ in calls])["results"]
    for (call, want), got in zip(calls, results):
        if want is None:
            assert "bidirectional is not read" in got.get("error", ""), call
        else:
            assert got == {"value": want}, call


def test_widget_divs_are_the_same_in_both_languages():
    assert len(WIDGETS) >= 5
    for lesson in BOOK.lessons():
        assert len({tuple(WIDGET_DIV.findall(page_text(lang, lesson))) for lang in LANGS}) == 1, lesson


def answer_of(quiz):
    """The right answer of a quiz, as a reader types it: computed, never read from the page."""
    return quizzes.expected(BOOK, quiz)


# --- the data files ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def regenerated():
    """What `make weights` writes now (book/widget_data.py), from the lessons' own snippets, single-threaded as it
    runs them (the trainings are shared with tests/test_numpy_loops.py: weights.train runs each once)."""
    with single_thread():
        return {path.name: data for path, data in widget_data.build(BOOK).items()}


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
    """The page in Chromium, in the browser's reused tab (blank first; `.errors`: its uncaught errors); with
    swap = (div, other div), or a list of such pairs, served with the other div in place of the first (a widget
    mode that no lesson shows yet, through Playwright's routing: nothing is written to the site)."""
    p = browser.tab(viewport=viewport, color_scheme=scheme)
    if swap:
        pairs = [swap] if isinstance(swap[0], str) else swap

        def serve(route):
            response = route.fetch()
            body = response.text()
            for old, new in pairs:
                assert old in body, old
                body = body.replace(old, new, 1)
            route.fulfill(response=response, body=body)
        p.route(url(server, lang, page), serve)
    visit(p, url(server, lang, page))
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
    """A picture of one widget in test-artifacts/widgets/, when asked for (BOOK_SCREENSHOTS=1)."""
    take(page, f"widgets/{name}", locator)


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

    page = open_page(browser, server, lang, page_with("shape-explorer", "cell"))   # lesson 2 starts as RNNCell
    w = widget(page, "shape-explorer")
    assert (shape("input"), shape("hidden")) == ("(1, 4)", "(1, 2)")
    assert w.locator(".rnn-grid__box").count() == 3
    assert overflow(page) <= 0
    assert page.errors == []


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


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(WIDGETS) + sorted(GRU_LSTM))
def test_widgets_in_light_and_dark_on_phone_and_desktop(server, browser, lang, name):
    path, kind, swap = (*WIDGETS[name], None) if name in WIDGETS else in_place_of(GRU_LSTM[name])
    page = open_page(browser, server, lang, path, PHONE, "light", swap)
    w = widget(page, kind)
    page.wait_for_function("w => w.children.length > 1", arg=w.element_handle())   # data widgets: loaded
    for scheme in ("light", "dark"):
        if scheme == "dark":           # the reader's toggle in the header, as a click (one page load less)
            to_dark(page)
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            settle(page)
            assert overflow(page) <= 0, f"{name} {lang} {size} {scheme}"
            assert w.evaluate("w => w.getBoundingClientRect().right <= window.innerWidth + 0.5")
            shot(page, w, f"{name}-{lang}-{size}-{scheme}")
    assert page.errors == []


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
    shot(page, w, f"shape-explorer-{PHONE_STEPS}-steps-{lang}-phone")


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
    shot(page, w, f"embedding-lookup-{lang}-phone-matrix")


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
    found = quizzes.quizzes(BOOK, lang, lesson)
    boxes = page.locator("div.quiz[data-type]")
    assert boxes.count() == len(found)
    for i, q in enumerate(found):
        quiz = boxes.nth(i)
        if q.attrs["data-type"] == "choice":       # one button per option listed in the question
            assert quiz.locator(".quiz__option").count() == quiz.locator("xpath=../ul/li").count() >= 2
        right, number = answer_of(q), q.number
        answer(page, quiz, wrong_answer(q.attrs["data-type"], right))
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


SET_UP_WRONGLY = {"zh": ("这道题的设置有误：", "这个小工具没能加载："),
                  "en": ("This exercise is set up wrongly: ", "This widget could not load: ")}


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_quiz_or_widget_does_not_read_is_a_visible_error(server, browser, lang):
    """A config key that no module of the quiz reads (`bidirectional`: rnn-shapes.js does not model it) and an
    attribute that a widget does not read (a typo) are said where they would have been used, not ignored."""
    swaps = [('"num_layers": 2}\'></div>', '"num_layers": 2, "bidirectional": true}\'></div>'),
             ('data-widget="shape-explorer" data-mode="rnn">', 'data-widget="shape-explorer" data-moed="cell">')]
    page = open_page(browser, server, lang, page_with("shape-explorer", "rnn"), swap=swaps)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    quiz = page.locator("div.quiz[data-type]").first
    quiz_says, widget_says = SET_UP_WRONGLY[lang]
    assert quiz.inner_text() == quiz_says + "data-config: bidirectional is not read by rnn (they read " + \
        ", ".join(quizzes.keys(BOOK)["rnn"]) + ")"
    assert quiz.is_visible() and quiz.locator("input").count() == 0
    w = page.locator('.rnn-widget[data-widget="shape-explorer"]')
    assert w.inner_text().startswith(widget_says + "shape-explorer does not read data-moed") and w.is_visible()
    assert page.locator("div.quiz[data-type]").nth(1).locator("input").count() == 2     # the others still work


@pytest.mark.parametrize("lang", LANGS)
def test_progress_survives_a_reload_and_can_be_cleared(server, browser, lang):
    page = open_page(browser, server, lang, "lessons/03-rnn-layer/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    quiz = page.locator("div.quiz[data-type]")
    answer(page, quiz.nth(0), ["(7, 3, 20)", "[2, 3, 20]"])             # right, written two ways
    answer(page, quiz.nth(2), ["A"])                                    # wrong
    answer(page, quiz.nth(3), ["two by two"])                           # not a shape: refused, not kept
    assert quiz.nth(3).get_attribute("data-state") == "format"
    page.reload(wait_until="load")
    ready(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    states = [quiz.nth(i).get_attribute("data-state") for i in range(4)]
    assert states == ["right", None, "wrong", None]
    assert quiz.nth(0).locator("input").nth(1).input_value() == "[2, 3, 20]"
    assert PROGRESS[lang].format(1, 4) in page.locator(".quiz-progress").inner_text()
    [other] = BOOK.other_languages(lang)                                # one key for both languages
    visit(page, url(server, other, "lessons/03-rnn-layer/"))
    assert page.locator("div.quiz[data-type]").nth(0).get_attribute("data-state") == "right"
    visit(page, url(server, lang, "lessons/03-rnn-layer/"))
    page.get_by_role("button", name=CLEAR[lang]).click()
    assert [quiz.nth(i).get_attribute("data-state") for i in range(4)] == [None] * 4
    assert PROGRESS[lang].format(0, 4) in page.locator(".quiz-progress").inner_text()
    page.reload(wait_until="load")
    ready(page)
    assert [quiz.nth(i).get_attribute("data-state") for i in range(4)] == [None] * 4
    assert page.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_widgets_and_exercises_come_back_after_instant_navigation(server, browser, lang):
    page = open_page(browser, server, lang, "lessons/02-rnn-cell/", DESKTOP)
    widget(page, "shape-explorer")
    page.locator(".md-content a[href*='03-rnn-layer'], .md-footer a[href*='03-rnn-layer']").first.click()
    page.wait_for_url("**/lessons/03-rnn-layer/")            # the address changes before the content does:
    w = widget(page, "shape-explorer")                        # until then this is lesson 2's (3 boxes)
    expect(w.locator(".rnn-grid__box")).to_have_count(15)
    assert page.locator(".quiz-progress").count() == 1
    assert CLEAR[lang] in page.locator(".quiz-progress").inner_text()
    assert page.errors == []
