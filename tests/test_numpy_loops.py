"""The three NumPy trainings (snippets/np_hello_*.py) against their PyTorch twins.

(a) snippets/data/*.json still hold the initial weights of the seeded torch models;
(b) in float64, every epoch's loss equals torch's to 1e-9 (the NumPy loops here
    are the scripts' loops with float64 in place of float32);
(c) each script prints exactly what the PyTorch snippet prints (snippets/out/hello_*.txt).
"""
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"
if str(SNIPPETS) not in sys.path:
    sys.path.insert(0, str(SNIPPETS))
import _outputs  # noqa: E402
import export_init_weights as export  # noqa: E402
import numpy_nn as nn  # noqa: E402

LESSONS = ["hello_rnncell", "hello_rnn", "hello_embedding"]
EPOCHS = 15
LOSS_RTOL = 1e-9
IDX2CHAR = ['e', 'h', 'l', 'o']  # inputs of all lessons, outputs of lesson 5
OUT2CHAR = ['h', 'l', 'o']       # outputs of lessons 4a and 4b
X_DATA = [1, 0, 2, 2, 3]         # "hello"
Y_4 = [2, 0, 1, 2, 1]            # "ohlol" over OUT2CHAR
Y_5 = [3, 1, 2, 3, 2]            # over IDX2CHAR


def line(predicted, epoch, loss):
    return f"Predicted string: {predicted}, Epoch [{epoch + 1}/{EPOCHS}] loss = {loss:.4f}"


def init_state(lesson):
    return nn.load_json_state(str(SNIPPETS / "data" / f"{lesson}_init.json"))


# --- (a) the JSON files ------------------------------------------------------------------------------------
@pytest.mark.parametrize("filename", list(export.MODELS))
def test_init_json_is_what_torch_makes_now(filename):
    model = export.MODELS[filename]()
    path = SNIPPETS / "data" / filename
    assert path.read_text() == export.to_json(model), f"{path} is stale: run snippets/export_init_weights.py"
    state = nn.load_json_state(str(path))
    assert list(state) == list(model.state_dict())
    for name, tensor in model.state_dict().items():
        np.testing.assert_array_equal(state[name].astype(np.float32), tensor.numpy())  # bit exact


# --- the trainings, in torch and in numpy_nn, in any dtype --------------------------------------------------
def torch_hello_rnncell(dtype):
    cell = export.hello_rnncell().to(dtype)
    inputs = torch.eye(4, dtype=dtype)[X_DATA].view(5, 1, 4)
    labels = torch.tensor(Y_4).view(5, 1)
    criterion, optimizer = torch.nn.CrossEntropyLoss(), torch.optim.Adam(cell.parameters(), lr=0.1)
    for epoch in range(EPOCHS):
        loss, predicted = 0, ""
        optimizer.zero_grad()
        hidden = torch.zeros(1, 3, dtype=dtype)
        for input, label in zip(inputs, labels):
            hidden = cell(input, hidden)
            loss += criterion(hidden, label)
            predicted += OUT2CHAR[hidden.argmax(dim=1).item()]
        loss.backward()
        optimizer.step()
        yield predicted, loss.item()


def numpy_hello_rnncell(dtype):
    cell = nn.RNNCell(4, 3, dtype=dtype)
    cell.load_state_dict(init_state("hello_rnncell"))
    inputs = np.eye(4, dtype=dtype)[X_DATA].reshape(5, 1, 4)
    labels = np.array(Y_4).reshape(5, 1)
    criterion, optimizer = nn.CrossEntropyLoss(), nn.Adam(cell.parameters(), lr=0.1)
    for epoch in range(EPOCHS):
        loss, predicted = 0, ""
        optimizer.zero_grad()
        hidden = np.zeros((1, 3), dtype=dtype)
        for input, label in zip(inputs, labels):
            hidden = cell(input, hidden)
            loss += criterion(hidden, label)
            predicted += OUT2CHAR[hidden.argmax(axis=1).item()]
        dhidden = np.zeros_like(hidden)
        for _ in range(5):
            _, dhidden = cell.backward(dhidden + criterion.backward())
        optimizer.step()
        yield predicted, loss.item()


def torch_hello_rnn(dtype):
    rnn = export.hello_rnn().to(dtype)
    inputs = torch.eye(4, dtype=dtype)[X_DATA].view(5, 1, 4)
    labels = torch.tensor(Y_4)
    criterion, optimizer = torch.nn.CrossEntropyLoss(), torch.optim.Adam(rnn.parameters(), lr=0.05)
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        out, _ = rnn(inputs, torch.zeros(1, 1, 3, dtype=dtype))
        outputs = out.view(-1, 3)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        yield "".join(OUT2CHAR[i] for i in outputs.argmax(dim=1).tolist()), loss.item()


def numpy_hello_rnn(dtype):
    rnn = nn.RNN(4, 3, num_layers=1, dtype=dtype)
    rnn.load_state_dict(init_state("hello_rnn"))
    inputs = np.eye(4, dtype=dtype)[X_DATA].reshape(5, 1, 4)
    labels = np.array(Y_4)
    criterion, optimizer = nn.CrossEntropyLoss(), nn.Adam(rnn.parameters(), lr=0.05)
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        out, _ = rnn(inputs, np.zeros((1, 1, 3), dtype=dtype))
        outputs = out.reshape(-1, 3)
        loss = criterion(outputs, labels)
        rnn.backward(criterion.backward().reshape(out.shape))
        optimizer.step()
        yield "".join(OUT2CHAR[i] for i in outputs.argmax(axis=1)), loss.item()


def torch_hello_embedding(dtype):
    net = export.hello_embedding().to(dtype)
    inputs, labels = torch.tensor([X_DATA]), torch.tensor(Y_5)
    criterion, optimizer = torch.nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.05)
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        emb = net.emb(inputs)
        x, _ = net.rnn(emb, torch.zeros(2, 1, 8, dtype=dtype))  # net(inputs), with h0 in dtype
        outputs = net.fc(x).view(-1, 4)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        yield "".join(IDX2CHAR[i] for i in outputs.argmax(dim=1).tolist()), loss.item()


def numpy_hello_embedding(dtype):
    emb, rnn, fc = (nn.Embedding(4, 10, dtype=dtype),
                    nn.RNN(10, 8, num_layers=2, batch_first=True, dtype=dtype), nn.Linear(8, 4, dtype=dtype))
    net = nn.Module()
    net.emb, net.rnn, net.fc = emb, rnn, fc
    net.load_state_dict(init_state("hello_embedding"))
    inputs, labels = np.array([X_DATA]), np.array(Y_5)
    criterion, optimizer = nn.CrossEntropyLoss(), nn.Adam(net.parameters(), lr=0.05)
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        x, _ = rnn(emb(inputs), np.zeros((2, 1, 8), dtype=dtype))
        logits = fc(x)
        outputs = logits.reshape(-1, 4)
        loss = criterion(outputs, labels)
        dx, _ = rnn.backward(fc.backward(criterion.backward().reshape(logits.shape)))
        emb.backward(dx)
        optimizer.step()
        yield "".join(IDX2CHAR[i] for i in outputs.argmax(axis=1)), loss.item()


TORCH = {"hello_rnncell": torch_hello_rnncell, "hello_rnn": torch_hello_rnn,
         "hello_embedding": torch_hello_embedding}
NUMPY = {"hello_rnncell": numpy_hello_rnncell, "hello_rnn": numpy_hello_rnn,
         "hello_embedding": numpy_hello_embedding}


# --- (b) float64: the same loss at every epoch ---------------------------------------------------------------
@pytest.mark.parametrize("lesson", LESSONS)
def test_float64_training_matches_torch(lesson):
    expected = list(TORCH[lesson](torch.float64))
    actual = list(NUMPY[lesson](np.float64))
    assert len(actual) == EPOCHS
    assert [p for p, _ in actual] == [p for p, _ in expected]
    np.testing.assert_allclose([loss for _, loss in actual], [loss for _, loss in expected], rtol=LOSS_RTOL)


# --- (c) float32: the scripts print what the PyTorch snippets print ------------------------------------------
@pytest.mark.parametrize("lesson", LESSONS)
def test_numpy_script_prints_the_torch_output(lesson):
    shown = _outputs.OUT / f"{lesson}.txt"  # hello_*.py's output, as the page shows it
    assert shown.exists(), f"{shown} is missing: run `make outputs`"
    assert _outputs.run(SNIPPETS / f"np_{lesson}.py") == shown.read_text()


@pytest.mark.parametrize("lesson", LESSONS)
def test_reference_training_is_the_snippets_training(lesson):
    """The torch trainings of (b), run in float32, print what hello_*.py prints."""
    printed = "".join(line(p, epoch, loss) + "\n" for epoch, (p, loss) in enumerate(TORCH[lesson](torch.float32)))
    assert printed == (_outputs.OUT / f"{lesson}.txt").read_text()
