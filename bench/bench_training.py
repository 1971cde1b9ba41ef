"""How long the lessons' trainings take in NumPy (snippets/np_<name>.py, on numpy_nn) and in PyTorch (<name>.py).

Every training with a NumPy twin is found in snippets/ (the torch programs whose initial weights the twins
load, book/weights.py) and both programs are run as the lesson shows them: the whole file (compiled once),
from snippets/, printing swallowed, one thread. A whole program includes building the model and, for NumPy,
reading the exported initial weights, so the ratio is a little lower than for the training loop alone.
Each repeat runs every program once, in turn, so a busy moment hits all of them; we report the best of the
repeats, the least disturbed measurement (a program that has run for BUDGET seconds in all stops repeating after
3 runs). The ratio is what to look at: absolute times depend on the machine.

Then the gated layers alone (lesson 8's numpy_gates against torch.nn): GRU and LSTM training steps at the lesson's
toy sizes (batch 32, N + 1 = 41 steps, 8 inputs, hidden size 16, Linear head, cross-entropy, Adam), forward and
backward, in float64 (as the twins compute) and float32, one thread.

    python bench/bench_training.py [repeats]
"""
import json
import os
import subprocess
import sys

from book import Book, snippets, weights
from book.snippets import SINGLE_THREAD

# Runs in snippets/ (`python -c`: the folder is on the path, as for the lesson code): times each program.
DRIVER = """
import contextlib, io, json, sys, time
import numpy, torch
torch.set_num_threads(1)
paths, repeats, BUDGET = json.loads(sys.argv[1]), int(sys.argv[2]), 60
programs = {path: compile(open(path).read(), path, "exec") for path in paths}   # compiled once, run many times

def once(path):
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        exec(programs[path], {"__name__": "__main__", "__file__": path})
        return time.perf_counter() - start

for path in paths:
    once(path)                                  # warm up: imports, caches
times = {path: [] for path in paths}
for r in range(repeats):
    for path in paths:
        if r < 3 or sum(times[path]) < BUDGET:
            times[path].append(once(path))
best = {path: min(t) for path, t in times.items()}
print(json.dumps({"numpy": numpy.__version__, "torch": torch.__version__, "best": best}))
"""


# Runs in snippets/: one training step of each gated layer, NumPy and torch, timed over STEPS steps.
LAYERS = """
import json, sys, time
import numpy as np, torch
import numpy_nn as nn, numpy_gates, recall_task as task
torch.set_num_threads(1)
B, N, H, STEPS, repeats = 32, 40, 16, 50, int(sys.argv[1])
x, y = task.batch(np.random.default_rng(0), B, N)

def numpy_steps(kind, dtype):
    layer = getattr(numpy_gates, kind)(task.INPUT_SIZE, H, dtype=dtype)
    fc, loss, params = nn.Linear(H, task.SYMBOLS, dtype=dtype), nn.CrossEntropyLoss(), []
    params = list(layer.parameters()) + list(fc.parameters())
    opt, xs = nn.Adam(params, lr=0.01), x.astype(dtype)
    start = time.perf_counter()
    for _ in range(STEPS):
        out = layer(xs)[0]
        loss(fc(out[-1]), y)
        dout = np.zeros_like(out)
        dout[-1] = fc.backward(loss.backward())
        opt.zero_grad(); layer.backward(dout); opt.step()
    return time.perf_counter() - start

def torch_steps(kind, dtype):
    layer = getattr(torch.nn, kind)(task.INPUT_SIZE, H).to(dtype)
    fc = torch.nn.Linear(H, task.SYMBOLS).to(dtype)
    opt = torch.optim.Adam(list(layer.parameters()) + list(fc.parameters()), lr=0.01)
    xs, ys = torch.tensor(x, dtype=dtype), torch.tensor(y)
    start = time.perf_counter()
    for _ in range(STEPS):
        loss = torch.nn.functional.cross_entropy(fc(layer(xs)[0][-1]), ys)
        opt.zero_grad(); loss.backward(); opt.step()
    return time.perf_counter() - start

rows = {}
for kind in ("GRU", "LSTM"):
    for name, np_dtype, torch_dtype in (("float64", np.float64, torch.float64), ("float32", np.float32, torch.float32)):
        numpy_steps(kind, np_dtype); torch_steps(kind, torch_dtype)          # warm up
        t = [(numpy_steps(kind, np_dtype), torch_steps(kind, torch_dtype)) for _ in range(repeats)]
        rows[f"{kind} {name}"] = [min(a for a, _ in t) / STEPS, min(b for _, b in t) / STEPS]
print(json.dumps(rows))
"""


def layers(book, repeats=10):
    """{"GRU float64": [NumPy s/step, torch s/step], ...}: the gated layers alone, one thread, best of repeats."""
    result = subprocess.run([sys.executable, "-c", LAYERS, str(repeats)], cwd=book.snippets,
                            env=dict(os.environ, **SINGLE_THREAD, OPENBLAS_NUM_THREADS="1"), capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def pairs(book):
    """[(NumPy program, its PyTorch twin)] of every training the lessons show in both."""
    found = []
    for torch_path in weights.exported(book).values():
        found += [(p, torch_path) for p in snippets.examples(book) if snippets.twin(book, p) == torch_path]
    return found


def main(repeats=30):
    book = Book.find()
    found = pairs(book)
    paths = [str(p) for pair in found for p in pair]
    result = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(paths), str(repeats)], cwd=book.snippets,
                            env=dict(os.environ, **SINGLE_THREAD, OPENBLAS_NUM_THREADS="1"), capture_output=True,
                            text=True, check=True)
    timed = json.loads(result.stdout)
    print(f"numpy {timed['numpy']}, torch {timed['torch']}, 1 thread, whole programs as the lessons show them, "
          f"best of {repeats}")
    print(f"{'training':24} {'NumPy':>10} {'PyTorch':>10} {'PyTorch / NumPy':>16}")
    for numpy_path, torch_path in found:
        t_numpy, t_torch = timed["best"][str(numpy_path)], timed["best"][str(torch_path)]
        print(f"{torch_path.stem:24} {t_numpy * 1e3:8.2f} ms {t_torch * 1e3:8.2f} ms {t_torch / t_numpy:15.1f}x")
    print("\ngated layers, one training step (batch 32, 41 steps, 8 -> 16, Linear, Adam), best of 10 x 50 steps")
    print(f"{'layer':24} {'NumPy':>10} {'PyTorch':>10} {'PyTorch / NumPy':>16}")
    for name, (t_numpy, t_torch) in layers(book).items():
        print(f"{name:24} {t_numpy * 1e3:8.2f} ms {t_torch * 1e3:8.2f} ms {t_torch / t_numpy:15.1f}x")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
