"""Write the data of two lesson widgets to docs/zh/assets/data/*.json (served at <site>/assets/data/).

hello_rnn_steps.json   lesson 4's step-through: nn.RNN(4, 3) trained by snippets/hello_rnn.py, and the
                       hidden state h_t (= the 3 scores of h, l, o) and softmax(h_t) at every step of "hello",
                       before training and after the 15 epochs.
embedding_lookup.json  lesson 5's lookup: emb.weight (4, 10) of snippets/hello_embedding.py's model,
                       before training (= the seeded table that snippets/embedding_lookup.py prints) and after.

The trained models come from running the lessons' own snippets (their printing swallowed), so the widgets
show exactly what the code on the page trains; the untrained ones from export_init_weights.py.

    python snippets/export_widget_data.py

tests/test_widgets.py runs build() again and fails when the files are stale.
"""
import contextlib
import io
import json
import re
import runpy
from pathlib import Path

import torch

import export_init_weights

SNIPPETS = Path(__file__).resolve().parent
DATA = SNIPPETS.parent / "docs" / "zh" / "assets" / "data"
DIGITS = 4                        # what the pages print; the widgets show no more


def rounded(tensor):
    """A tensor as nested lists of floats rounded to DIGITS decimals (no -0.0)."""
    def walk(v):
        return [walk(x) for x in v] if isinstance(v, list) else round(v, DIGITS) + 0.0
    return walk(tensor.detach().tolist())


def run_snippet(name):
    """Run snippets/<name>.py as a reader would and return its globals (trained model included)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")


def steps(rnn, inputs, h0, vocab_in, vocab_out, x_data, y_data):
    """One record per time step: the input character, h_t (1 layer, batch 1) and softmax(h_t)."""
    with torch.no_grad():
        out, _ = rnn(inputs, h0)              # (seq_len, 1, 3)
        hidden = out[:, 0, :]                 # (seq_len, 3): h_1 ... h_5, also the scores
        probs = torch.softmax(hidden, dim=1)  # (seq_len, 3)
    return [{"input": vocab_in[x], "target": vocab_out[y], "hidden": rounded(h), "softmax": rounded(p),
             "predicted": vocab_out[int(h.argmax())]}
            for x, y, h, p in zip(x_data, y_data, hidden, probs)]


def hello_rnn_steps():
    g = run_snippet("hello_rnn")
    rnn = g["rnn"]
    initial = export_init_weights.hello_rnn()
    args = (g["inputs"], g["h0"], g["idx2char_in"], g["idx2char_out"], g["x_data"], g["y_data"])
    record = {"input_vocab": g["idx2char_in"], "output_vocab": g["idx2char_out"],
              "x_data": g["x_data"], "y_data": g["y_data"]}
    for name, model in (("initial", initial), ("trained", rnn)):
        s = steps(model, *args)
        record[name] = {"weights": {k: rounded(v) for k, v in model.state_dict().items()},
                        "h0": rounded(g["h0"][0, 0]), "steps": s,
                        "predicted": "".join(step["predicted"] for step in s)}
    return record


def embedding_lookup():
    g = run_snippet("hello_embedding")
    initial = export_init_weights.hello_embedding()
    return {"vocab": g["idx2char"], "text": "hello", "x_data": g["x_data"][0],
            "initial": rounded(initial.emb.weight), "trained": rounded(g["model"].emb.weight)}


def build():
    """{file name: data} for every widget data file."""
    return {"hello_rnn_steps.json": hello_rnn_steps(), "embedding_lookup.json": embedding_lookup()}


def dumps(data):
    """Indented JSON with every innermost list on one line: small diffs, easy to read."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m[1].split()) + "]", text) + "\n"


if __name__ == "__main__":
    torch.set_num_threads(1)      # as snippets/_outputs.py runs the snippets (OMP_NUM_THREADS=1)
    DATA.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (DATA / name).write_text(dumps(data), encoding="utf-8")
        print(f"wrote {(DATA / name).relative_to(SNIPPETS.parent)}")
