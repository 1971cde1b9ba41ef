"""How long the lesson-5 training takes in NumPy (snippets/numpy_nn.py) and in PyTorch.

The training of snippets/np_hello_embedding.py and its PyTorch twin: Embedding(4, 10)
-> 2-layer RNN(10, 8) -> Linear(8, 4) on "hello", Adam, 15 epochs, from the same
initial weights, each built with its library exactly as the lesson builds it
(printing left out). One thread for both. Every repeat builds the model and
trains it; we report the best of the repeats, the least disturbed measurement.
The ratio is what to look at: absolute times depend on the machine.

    python bench/bench_training.py [repeats]
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # before numpy and torch are imported

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "snippets"))
import export_init_weights as export  # noqa: E402
import numpy_nn as nn  # noqa: E402

torch.set_num_threads(1)

EPOCHS = 15
idx2char = ['e', 'h', 'l', 'o']
x_data = [[1, 0, 2, 2, 3]]
y_data = [3, 1, 2, 3, 2]
INIT = nn.load_json_state("data/hello_embedding_init.json")  # read once, outside the timings


class NumpyModel(nn.Module):  # the Model of np_hello_embedding.py
    def __init__(self):
        self.emb = nn.Embedding(4, 10, dtype=np.float32)
        self.rnn = nn.RNN(input_size=10, hidden_size=8, num_layers=2, batch_first=True,
                          dtype=np.float32)
        self.fc = nn.Linear(8, 4, dtype=np.float32)

    def forward(self, x):
        h0 = np.zeros((2, x.shape[0], 8), dtype=np.float32)
        x = self.emb(x)
        x, _ = self.rnn(x, h0)
        x = self.fc(x)
        self.fc_shape = x.shape
        return x.reshape(-1, 4)

    def backward(self, dlogits):
        dx = dlogits.reshape(self.fc_shape)
        dx = self.fc.backward(dx)
        dx, _ = self.rnn.backward(dx)
        self.emb.backward(dx)


def train_numpy():
    model = NumpyModel()
    model.load_state_dict(INIT)
    inputs, labels = np.array(x_data), np.array(y_data)
    criterion = nn.CrossEntropyLoss()
    optimizer = nn.Adam(model.parameters(), lr=0.05)
    results = []
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        logits = model(inputs)
        loss = criterion(logits, labels)
        model.backward(criterion.backward())
        optimizer.step()
        predicted = "".join(idx2char[i] for i in logits.argmax(axis=1).tolist())
        results.append((predicted, loss.item()))
    return results


def train_torch():
    model = export.hello_embedding()  # torch.manual_seed(0), then the lesson's Model()
    inputs, labels = torch.tensor(x_data), torch.tensor(y_data)
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    results = []
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        logits = model(inputs)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        predicted = "".join(idx2char[i] for i in logits.argmax(dim=1).tolist())
        results.append((predicted, loss.item()))
    return results


def best_times(trainings, repeats):
    """Best wall time of each training; the trainings take turns, so a busy moment hits both."""
    times = [[] for _ in trainings]
    for _ in range(repeats):
        for train, measured in zip(trainings, times):
            start = time.perf_counter()
            train()
            measured.append(time.perf_counter() - start)
    return [min(measured) for measured in times]


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    numpy_run, torch_run = train_numpy(), train_torch()  # warm up, and check that both train alike
    assert [p for p, _ in numpy_run] == [p for p, _ in torch_run], (numpy_run, torch_run)
    assert np.allclose([loss for _, loss in numpy_run], [loss for _, loss in torch_run], rtol=1e-4)
    print(f"numpy {np.__version__}, torch {torch.__version__}, 1 thread, {EPOCHS} epochs, "
          f"best of {repeats}; final loss {numpy_run[-1][1]:.4f}")
    t_numpy, t_torch = best_times([train_numpy, train_torch], repeats)
    print(f"NumPy   {t_numpy * 1e3:7.2f} ms  ({t_numpy / EPOCHS * 1e6:6.0f} us per epoch)")
    print(f"PyTorch {t_torch * 1e3:7.2f} ms  ({t_torch / EPOCHS * 1e6:6.0f} us per epoch)")
    print(f"PyTorch / NumPy = {t_torch / t_numpy:.1f}x")
