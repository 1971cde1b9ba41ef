"""The NumPy programs (snippets/np_<name>.py) against their PyTorch twins (snippets/<name>.py), by running both.

(a) snippets/data/<name>_init.json still hold the initial weights of the seeded torch models;
(b) each NumPy program prints exactly what its PyTorch twin prints (the page shows both), up to a line that
    announces random draws (book/snippets.py: RANDOM_MARK), after which the two generators' numbers differ;
(c) in float64, a training computes the same loss as its twin at every call of the loss, to 1e-9: both
    programs are run as they are, the NumPy one with float64 in place of float32 and the torch one with
    float64 as torch's default dtype, starting from the same exported weights.
Twins and weight files are found in snippets/ (book/snippets.py, book/weights.py), never listed here.
"""
import contextlib
import functools
import io
import json
import shutil
import subprocess
import sys
from types import SimpleNamespace
from unittest import mock

import numpy as np
import pytest
import torch

import numpy_nn
from book import checks, snippets, weights
from conftest import BOOK, single_thread

TWINS = [p for p in snippets.examples(BOOK) if snippets.twin(BOOK, p)]
TRAININGS = weights.exported(BOOK)                       # {data/<name>_init.json: snippets/<name>.py}
NUMPY_OF = {torch_path: next(p for p in TWINS if snippets.twin(BOOK, p) == torch_path)
            for torch_path in TRAININGS.values()}
LOSS_RTOL = 1e-9


def test_there_are_trainings_with_twins():
    assert len(TRAININGS) >= 3 and len(TWINS) >= 3


# --- (a) the JSON files ------------------------------------------------------------------------------------
@pytest.mark.parametrize("data", list(TRAININGS), ids=lambda p: p.name)
def test_init_json_is_what_torch_makes_now(data):
    with single_thread():                                # as `make weights` runs it (and the widgets' data)
        _, _, initial = weights.train(BOOK, TRAININGS[data])
    assert data.read_text() == weights.to_json(initial), f"{data} is stale: run `make weights`"
    state = numpy_nn.load_json_state(data)
    assert list(state) == list(initial)
    for name, tensor in initial.items():
        np.testing.assert_array_equal(state[name].astype(np.float32), tensor.numpy())  # bit exact


SEEDED_CELL = """import torch

torch.manual_seed(0)
cell = torch.nn.RNNCell(3, 2)               # only runs forward: its twin starts from these weights
print(cell(torch.ones(1, 3)).detach().numpy().round(4))
"""


def test_make_weights_exports_a_model_that_only_runs_forward(tmp_path):
    (tmp_path / "seeded_cell.py").write_text(SEEDED_CELL)
    _, model, initial = weights.train(SimpleNamespace(snippets=tmp_path), tmp_path / "seeded_cell.py")
    torch.manual_seed(0)
    built = torch.nn.RNNCell(3, 2)
    assert list(initial) == [name for name, _ in built.named_parameters()]
    assert all(torch.equal(initial[name], p) for name, p in built.named_parameters())


def test_make_weights_says_in_one_line_what_it_cannot_export(pristine, tmp_path):
    """Two models and no optimizer: `make weights` cannot know which one the twin copies, and says so."""
    root = tmp_path / "book"
    shutil.copytree(pristine, root, symlinks=True)
    (root / "snippets/aaa.py").write_text(SEEDED_CELL + "other = torch.nn.Linear(2, 2)\n")
    (root / "snippets/aaa_twin.py").write_text('WEIGHTS = "data/aaa_init.json"\n')   # the first reader, by name
    result = subprocess.run([sys.executable, "-m", "book", "weights"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: aaa.py builds no torch.optim optimizer") and "cannot tell" in line


# --- (b) the same printed output ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.stem)
def test_numpy_program_prints_what_its_torch_twin_prints(path):
    """The two shown outputs agree up to the random mark (the checker's rule, book/checks.py); each is what its
    program prints now (tests/test_snippets.py runs every snippet once): so the NumPy program prints what torch's
    prints, without running either a second time."""
    for p in (path, snippets.twin(BOOK, path)):
        assert snippets.output_path(BOOK, p).exists(), f"{snippets.output_path(BOOK, p)} is missing: run `make outputs`"
    ours = BOOK.rel(snippets.output_path(BOOK, path))
    assert not [str(p) for p in checks.numpy_twins_print_what_torch_prints(BOOK) if p.where == ours]


# --- (c) float64: the same loss at every call ----------------------------------------------------------------
def recording(cls, losses):
    """Patch cls.forward (a loss) to append every value it returns to `losses`."""
    forward = cls.forward

    def record(self, *args, **kwargs):
        loss = forward(self, *args, **kwargs)
        losses.append(loss.item())
        return loss
    return mock.patch.object(cls, "forward", record)


@functools.cache
def torch_run(path, data, dtype=torch.float64):
    """Run a torch snippet with `dtype` as the default dtype, starting from the exported weights in `data`."""
    initial = [torch.tensor(value, dtype=dtype) for value in json.loads(data.read_text()).values()]
    losses, build = [], torch.optim.Optimizer.__init__

    def start_from_exported(self, params, *args, **kwargs):
        params = list(params)
        with torch.no_grad():
            for p, value in zip(params, initial, strict=True):
                p.copy_(value)
        build(self, params, *args, **kwargs)

    before = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with mock.patch.object(torch.optim.Optimizer, "__init__", start_from_exported), \
                recording(torch.nn.CrossEntropyLoss, losses), contextlib.chdir(BOOK.snippets), \
                contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(path.read_text(), str(path), "exec"), {"__name__": "__main__"})
    finally:
        torch.set_default_dtype(before)
    return printed.getvalue(), tuple(losses)


def numpy_float64(path):
    """Run a NumPy snippet with float64 in place of float32."""
    source = path.read_text()
    assert "np.float32" in source
    losses = []
    with recording(numpy_nn.CrossEntropyLoss, losses), contextlib.chdir(BOOK.snippets), \
            contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(source.replace("np.float32", "np.float64"), str(path), "exec"), {"__name__": "__main__"})
    return printed.getvalue(), losses


@pytest.mark.parametrize("data", list(TRAININGS), ids=lambda p: p.name)
def test_float64_training_matches_torch(data):
    torch_printed, torch_losses = torch_run(TRAININGS[data], data)
    numpy_printed, numpy_losses = numpy_float64(NUMPY_OF[TRAININGS[data]])
    assert len(torch_losses) >= 15 and len(numpy_losses) == len(torch_losses)
    np.testing.assert_allclose(numpy_losses, torch_losses, rtol=LOSS_RTOL)
    assert snippets.up_to_random(numpy_printed) == snippets.up_to_random(torch_printed)   # the same predictions


@pytest.mark.parametrize("data", list(TRAININGS), ids=lambda p: p.name)
def test_the_float64_run_is_float64(data):
    # float32 from the same weights prints the page's output; its losses are close to float64's, not equal
    printed32, losses32 = torch_run(TRAININGS[data], data, torch.float32)
    assert printed32 == snippets.output_path(BOOK, TRAININGS[data]).read_text()
    _, losses64 = torch_run(TRAININGS[data], data)
    assert losses32 != losses64 and np.allclose(losses32, losses64, rtol=1e-4)
