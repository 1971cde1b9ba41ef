"""The data files of the lesson widgets that show a trained model, from the snippets that train it.

A page names both in the widget's div, and this module finds them there:

    <div class="rnn-widget" data-widget="step-through" data-src="assets/data/hello_rnn_steps.json"
         data-snippet="hello_rnn"></div>

`data-src` is served from the site root (docs/<default language>/assets/...); `data-snippet` is the
snippet whose training the widget shows. Each kind of widget has its exporter below.

    python -m book widget-data        (make weights)

tests/test_widgets.py builds the data again and fails when a file is stale.
"""
import copy
import json
import re

from . import weights
from .pages import Page

DIGITS = 4                        # what the pages print; the widgets show no more
WIDGET = re.compile(r'<div class="rnn-widget"([^>]*)></div>')
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def widgets(book):
    """{data file: (widget kind, snippet path)} of every widget div with data-src and data-snippet."""
    found = {}
    for slug in book.lessons():
        page = Page(book, book.default_language, book.lesson_page(slug))
        for m in WIDGET.finditer(page.body):
            attrs = dict(ATTR.findall(m[1]))
            if "data-src" in attrs and "data-snippet" in attrs:
                target = book.docs / book.default_language / attrs["data-src"]
                found[target] = (attrs["data-widget"], book.snippets / f"{attrs['data-snippet']}.py")
    return found


def rounded(tensor):
    """A tensor as nested lists of floats rounded to DIGITS decimals (no -0.0)."""
    def walk(v):
        return [walk(x) for x in v] if isinstance(v, list) else round(v, DIGITS) + 0.0
    return walk(tensor.detach().tolist())


def step_through(book, path):
    """Lesson 4's step-through: an nn.RNN(4, 3) before and after training, and at every step of the
    input its hidden state h_t (= the scores of the output characters) and softmax(h_t)."""
    import torch
    g, rnn, initial = weights.train(book, path)
    untrained = copy.deepcopy(rnn)
    untrained.load_state_dict(initial)
    record = {"input_vocab": g["idx2char_in"], "output_vocab": g["idx2char_out"],
              "x_data": g["x_data"], "y_data": g["y_data"]}
    for name, model in (("initial", untrained), ("trained", rnn)):
        with torch.no_grad():
            out, _ = model(g["inputs"], g["h0"])      # (seq_len, 1, 3)
            hidden = out[:, 0, :]                     # (seq_len, 3): h_1 ... h_5, also the scores
            probs = torch.softmax(hidden, dim=1)      # (seq_len, 3)
        steps = [{"input": g["idx2char_in"][x], "target": g["idx2char_out"][y], "hidden": rounded(h),
                  "softmax": rounded(p), "predicted": g["idx2char_out"][int(h.argmax())]}
                 for x, y, h, p in zip(g["x_data"], g["y_data"], hidden, probs)]
        record[name] = {"weights": {k: rounded(v) for k, v in model.state_dict().items()},
                        "h0": rounded(g["h0"][0, 0]), "steps": steps,
                        "predicted": "".join(step["predicted"] for step in steps)}
    return record


def embedding_lookup(book, path):
    """Lesson 5's lookup: the model's emb.weight before training (the seeded table) and after."""
    g, model, initial = weights.train(book, path)
    return {"vocab": g["idx2char"], "text": "hello", "x_data": g["x_data"][0],
            "initial": rounded(initial["emb.weight"]), "trained": rounded(model.emb.weight)}


PREFIXES = ["春", "明月", "白日依山尽，"]   # what the temperature explorer continues
TEMPERATURES = [0.2, 0.5, 0.8, 1.0, 1.5]
SAMPLES = 3


def temperature(book, path):
    """Lesson 7's temperature explorer: the trained model's scores for the character after each prefix (the
    <unk> left out, as the lesson's generate() does), and continuations drawn by that generate() at a few
    temperatures. Each prefix has its own SAMPLES seeds (the first prefix's are 0, 1, 2: the lesson's program
    samples with seed 0), the same at every temperature: between temperatures only T changes the draws."""
    import torch
    g, model, _ = weights.train(book, path)
    vocab, H, generate = g["vocab"], g["H"], g["generate"]
    record = {"characters": vocab.itos[1:], "temperatures": TEMPERATURES, "prefixes": []}
    for p, prefix in enumerate(PREFIXES):
        with torch.no_grad():
            logits, _ = model(torch.tensor([vocab.encode(prefix)]), torch.zeros(1, 1, H, dtype=torch.float64))
        seeds = range(SAMPLES * p, SAMPLES * (p + 1))
        record["prefixes"].append({
            "prefix": prefix, "scores": rounded(logits[-1, 1:]), "seeds": list(seeds),
            "samples": {f"{t:.1f}": [generate(prefix, 12, t, torch.Generator().manual_seed(seed))[len(prefix):]
                                 for seed in seeds] for t in TEMPERATURES}})
    return record


EXPORTERS = {"step-through": step_through, "embedding-lookup": embedding_lookup, "temperature": temperature}


def build(book):
    """{data file: data} for every widget data file the pages name."""
    return {target: EXPORTERS[kind](book, snippet) for target, (kind, snippet) in widgets(book).items()}


def dumps(data):
    """Indented JSON with every innermost list on one line: small diffs, easy to read."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m[1].split()) + "]", text) + "\n"


def export(book):
    written = []
    for target, data in build(book).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(data), encoding="utf-8")
        written.append(target)
    return written
