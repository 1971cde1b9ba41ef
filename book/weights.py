"""The initial weights of the lessons' seeded PyTorch models, for their NumPy twins.

NumPy cannot draw torch's random numbers, so a NumPy program that trains like a PyTorch one
(np_hello_rnn.py and hello_rnn.py) starts from the PyTorch model's initial weights, saved as
`snippets/data/<name>_init.json`. Which files exist is found, not listed: every such file that a
snippet reads holds the initial weights of snippets/<name>.py. They are taken by running that very
snippet and recording what its optimizer starts from.

    python -m book weights        (make weights)

The files are {state_dict key: nested list}, each float32 written with the fewest digits that read back
as that float32 (to_json): a program loads them into float32 first, then computes in float64 if it
wants (np_tang_rnn.py). tests/test_numpy_loops.py checks they are current.
"""
import json
import re
from contextlib import contextmanager
from unittest import mock

from . import snippets

INIT_FILE = re.compile(r"""["']data/([\w-]+)_init\.json["']""")


def exported(book):
    """{data file: the torch snippet whose initial weights it holds}, for every `data/<name>_init.json`
    that some snippet reads and whose <name>.py exists."""
    found = {}
    for path in sorted(book.snippets.glob("*.py")):
        for name in INIT_FILE.findall(path.read_text(encoding="utf-8")):
            source = book.snippets / f"{name}.py"
            if source.is_file():
                found[book.data / f"{name}_init.json"] = source
    return found


@contextmanager
def watching_optimizers():
    """Record, for every torch optimizer built inside, its parameters and their values at that moment:
    the weights a training starts from. Yields the list the records are appended to."""
    import torch
    started = []
    build = torch.optim.Optimizer.__init__

    def record(self, params, *args, **kwargs):
        params = list(params)
        started.append([(p, p.detach().clone()) for p in params])
        build(self, params, *args, **kwargs)

    with mock.patch.object(torch.optim.Optimizer, "__init__", record):
        yield started


_TRAINED = {}   # (snippet, its source, torch's threads): what train() returned; a training runs once a process


def train(book, path):
    """Run a lesson's torch snippet (once a process, for the same source and thread count: `make weights` and the
    tests ask for the same training several times); return its globals, its model and the model's initial
    state_dict. What it returns is shared: read it, never change it.

    The model is the Module of the snippet whose parameters its one optimizer trains. A snippet that builds no
    optimizer and computes no gradient (a forward pass that a NumPy twin repeats) does not change its weights:
    its model is then the one Module of its globals, and its weights at the end are those it started from.
    Anything else raises ValueError, in one line that says what to do."""
    import torch
    key = (str(path.resolve()), path.read_bytes(), torch.get_num_threads())
    if key not in _TRAINED:
        _TRAINED[key] = _train(book, path)
    return _TRAINED[key]


def _train(book, path):
    import torch
    dtype = torch.get_default_dtype()
    try:
        with watching_optimizers() as started:
            namespace = snippets.run_here(book, path)
    finally:
        torch.set_default_dtype(dtype)   # a snippet may change it: the next one starts as in a new process
    modules = [m for m in namespace.values() if isinstance(m, torch.nn.Module)]
    if not started:
        models = [m for m in modules if not any(m is not other and m in other.modules() for other in modules)]
        if len(models) != 1 or any(p.grad is not None for p in models[0].parameters()):
            raise ValueError(f"{path.name} builds no torch.optim optimizer and does not leave exactly one model that "
                             f"no gradient has touched ({len(models)} in its globals): make weights cannot tell which "
                             "weights its NumPy twin starts from — build the training with one optimizer, or keep "
                             "one seeded model that only runs forward")
        model = models[0]
        return namespace, model, {name: p.detach().clone() for name, p in model.named_parameters()}
    if len(started) != 1:
        raise ValueError(f"{path.name} builds {len(started)} optimizers: make weights exports the weights of one "
                         "training — keep one optimizer in it")
    params = [p for p, _ in started[0]]
    models = [m for m in modules if [id(p) for p in m.parameters()] == [id(p) for p in params]]
    if not models:
        raise ValueError(f"{path.name}: no module in its globals owns exactly the parameters its optimizer trains")
    model = models[0]
    initial = {name: value for (name, _), (_, value) in zip(model.named_parameters(), started[0])}
    return namespace, model, initial


def to_json(state):
    """A state_dict as JSON text, one matrix row per line. Numbers that are float32 values (torch's initial
    weights are, also after .double()) are written with the fewest digits that read back as that float32;
    a program reading them into float32 gets them exactly."""
    import torch
    entries = []
    for name, tensor in state.items():
        if torch.equal(tensor.float().to(tensor.dtype), tensor):
            numbers = [str(x) for x in tensor.float().numpy().ravel()]     # numpy's shortest float32 text
        else:
            numbers = [repr(x) for x in tensor.double().numpy().ravel().tolist()]
        width = tensor.shape[-1] if tensor.dim() == 2 else len(numbers)
        rows = ["[" + ", ".join(numbers[i:i + width]) + "]" for i in range(0, len(numbers), width)]
        text = "[\n    " + ",\n    ".join(rows) + "\n  ]" if tensor.dim() == 2 else rows[0]
        entries.append(f"  {json.dumps(name)}: {text}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


def export(book):
    """Write every initial-weights file; return their paths."""
    book.data.mkdir(exist_ok=True)
    written = []
    for target, source in exported(book).items():
        _, _, initial = train(book, source)
        target.write_text(to_json(initial))
        written.append(target)
    return written
