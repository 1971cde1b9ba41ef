"""Run the book's snippets and keep the output shown under each one honest.

snippets/ holds what pages show: lesson code (`<name>.py`, with what it prints in `out/<name>.txt`),
the library modules that lesson code imports (declared once, `extra.book.library` in mkdocs.yml)
and the `data/` they read. Every snippet runs from its own folder, as a reader runs it and as the
browser and the notebooks lay the files out: `numpy_nn.py` and `data/` next to the code.

    python -m book outputs            # (re)write every output after changing a snippet
    python -m book outputs rnn_shapes # one
"""
import contextlib
import io
import os
import runpy
import subprocess
import sys

SINGLE_THREAD = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# A NumPy twin prints what its PyTorch program prints, up to a line with this mark: random draws follow, and
# NumPy's random numbers are not torch's (both programs print the mark; tests/test_numpy_loops.py).
RANDOM_MARK = "(random: NumPy and PyTorch draw different numbers)"


def examples(book):
    """The snippet files that are lesson code (everything in snippets/ but the library), by name."""
    library = {path.name for path in book.library_files()}
    return sorted(p for p in book.snippets.glob("*.py") if p.name not in library)


def output_path(book, path):
    return book.outputs / f"{path.stem}.txt"


def twin(book, path):
    """np_<name>.py -> <name>.py: the PyTorch program a NumPy program reproduces (None if it has none)."""
    if not path.stem.startswith("np_"):
        return None
    torch_twin = path.with_name(path.name[len("np_"):])
    return torch_twin if torch_twin.is_file() else None


def run(book, path, source=None):
    """Run one snippet as a reader would (`python name.py` in snippets/) and return its stdout.

    `source`: run this text instead of the file's (an exercise's variant), still from snippets/."""
    env = dict(os.environ, **SINGLE_THREAD)
    command = [sys.executable, str(path)] if source is None else [sys.executable, "-c", source]
    result = subprocess.run(command, cwd=book.snippets, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{path.name} failed:\n{result.stderr}")
    return result.stdout


def run_here(book, path):
    """Run a snippet in this process (from snippets/, printing swallowed) and return its globals:
    the trained model and the data it defines, for the widget data and the exported weights."""
    with contextlib.chdir(book.snippets), contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(str(path), run_name="__main__")


def write_outputs(book, names=()):
    """Run every example (or those named) and write what it prints to out/<name>.txt."""
    book.outputs.mkdir(exist_ok=True)
    written = []
    for path in examples(book):
        if names and path.stem not in names:
            continue
        output_path(book, path).write_text(run(book, path))
        written.append(output_path(book, path))
    return written


def up_to_random(output):
    """What a program printed before its RANDOM_MARK line (all of it without one)."""
    return output.split(RANDOM_MARK)[0]
