"""How long the lessons' trainings take in NumPy (snippets/np_<name>.py, on numpy_nn) and in PyTorch (<name>.py).

Every training with a NumPy twin is found in snippets/ (the torch programs whose initial weights the twins
load, book/weights.py) and both programs are run as the lesson shows them: the whole file (compiled once),
from snippets/, printing swallowed, one thread. A whole program includes building the model and, for NumPy,
reading the exported initial weights, so the ratio is a little lower than for the training loop alone.
Each repeat runs every program once, in turn, so a busy moment hits all of them; we report the best of the
repeats, the least disturbed measurement. The ratio is what to look at: absolute times depend on the machine.

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
paths, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
programs = {path: compile(open(path).read(), path, "exec") for path in paths}   # compiled once, run many times

def once(path):
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        exec(programs[path], {"__name__": "__main__", "__file__": path})
        return time.perf_counter() - start

for path in paths:
    once(path)                                  # warm up: imports, caches
times = {path: [] for path in paths}
for _ in range(repeats):
    for path in paths:
        times[path].append(once(path))
best = {path: min(t) for path, t in times.items()}
print(json.dumps({"numpy": numpy.__version__, "torch": torch.__version__, "best": best}))
"""


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


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
