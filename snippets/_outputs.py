"""Run the book's snippets and keep the output shown under each one honest.

Every `snippets/<name>.py` that a page shows with its output has the text it
prints in `snippets/out/<name>.txt`; pages include both files. Run this file to
(re)write the outputs after changing a snippet; `tests/test_snippets.py` runs
each snippet again and fails when a page would show output it no longer prints.

    python snippets/_outputs.py            # write every output
    python snippets/_outputs.py rnn_shapes # write one
"""
import os
import subprocess
import sys
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parent
ROOT = SNIPPETS.parent
OUT = SNIPPETS / "out"

# Files in snippets/ that are not examples with printed output.
NOT_EXAMPLES = {"numpy_nn.py", "export_init_weights.py", "export_widget_data.py"}


def examples():
    """The snippet files that have a shown output, sorted by name."""
    return sorted(p for p in SNIPPETS.glob("*.py")
                  if not p.name.startswith("_") and p.name not in NOT_EXAMPLES)


def run(path):
    """Run one snippet the way a reader would (from the repo root) and return its stdout."""
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    result = subprocess.run([sys.executable, str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{path.name} failed:\n{result.stderr}")
    return result.stdout


def output_path(path):
    return OUT / (path.stem + ".txt")


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    OUT.mkdir(exist_ok=True)
    for path in examples():
        if wanted and path.stem not in wanted:
            continue
        output_path(path).write_text(run(path))
        print(f"wrote {output_path(path).relative_to(ROOT)}")
