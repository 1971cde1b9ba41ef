"""Lesson 8: RNN, GRU and LSTM on the recall task (recall_task.py), under the same budget.

1. At the start of training, how much of the loss's gradient reaches step k: ||dL/dh_k||
   over 256 sequences with N = 80 distractors, relative to the last step's ||dL/dh_80|| (float64);
   for the LSTM also ||dL/dc_k||, its cell state's (LSTM-c).
2. Training: hidden size 16 and Linear(16, 4) on the last h_t, Adam(lr=0.01), 400 steps of 32
   new sequences each; accuracy on 1000 new sequences, the mean of 2 seeds; chance is 0.25.
The GRU and LSTM start with their gates at "keep" (recall_task.remember); GRU0 and LSTM0 are
the same cells with torch's own initialisation, whose gates start near 0.5.
"""
import numpy as np
import torch

import recall_task as task

H, STEPS, BATCH, SEEDS = 16, 400, 32, 2
LAYERS = {"RNN": torch.nn.RNN, "GRU": torch.nn.GRU, "LSTM": torch.nn.LSTM}


class Model(torch.nn.Module):
    """x: (N + 1, batch, 8) -> scores for the first symbol: (batch, 4)"""

    def __init__(self, kind, keep=True):
        super().__init__()
        self.kind = kind
        self.rnn = LAYERS[kind](task.INPUT_SIZE, H)
        self.fc = torch.nn.Linear(H, task.SYMBOLS)
        if keep:
            with torch.no_grad():
                task.remember(kind, self.rnn.named_parameters(), H)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[-1])

    def states(self, x):
        """The same, one step at a time, also returning every state (k = 0..N) for its gradient:
        [h_k], or [(h_k, c_k)] for the LSTM, whose step is written out (torch's LSTM hands back h_k
        and c_k side by side, so c_N would get no gradient through h_N = o_N tanh(c_N))."""
        states = []
        if self.kind != "LSTM":
            h = None
            for t in range(len(x)):
                _, h = self.rnn(x[t:t + 1], h)               # h_k: (1, batch, H)
                h.retain_grad()                              # keep dL/dh_k, though h_k is no leaf
                states.append(h)
            return self.fc(h[0]), states
        rnn = self.rnn
        W_ih, W_hh, b_ih, b_hh = rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0
        h = c = torch.zeros(x.shape[1], H, dtype=x.dtype)
        for t in range(len(x)):
            i, f, g, o = (x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=1)   # rows i, f, g, o
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            h.retain_grad()
            c.retain_grad()
            states.append((h, c))
        return self.fc(h), states


def tensor(x):
    return torch.tensor(x, dtype=torch.float32)


def gradient_norms(kind, keep, N=80, every=5, part=0):
    """||dL/dh_k|| / ||dL/dh_N|| for k = 0, every, ..., N (part=1: the LSTM's c_k instead of h_k)."""
    torch.manual_seed(0)
    model = Model(kind, keep).double()              # float64: the smallest norms underflow float32
    x, y = task.batch(np.random.default_rng(0), 256, N)
    scores, states = model.states(torch.tensor(x))
    torch.nn.functional.cross_entropy(scores, torch.tensor(y)).backward()
    norms = [(s[part] if kind == "LSTM" else s).grad.norm().item() for s in states]
    return [norms[k] / norms[N] for k in range(0, N + 1, every)]


def accuracy(kind, N, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Model(kind)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(STEPS):
        x, y = task.batch(rng, BATCH, N)
        loss = torch.nn.functional.cross_entropy(model(tensor(x)), torch.tensor(y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    x, y = task.batch(np.random.default_rng(1000 + seed), 1000, N)
    with torch.no_grad():
        return (model(tensor(x)).argmax(1).numpy() == y).mean()


columns = {"RNN": gradient_norms("RNN", True), "GRU": gradient_norms("GRU", True),
           "LSTM": gradient_norms("LSTM", True), "LSTM-c": gradient_norms("LSTM", True, part=1),
           "GRU0": gradient_norms("GRU", False), "LSTM0": gradient_norms("LSTM", False)}
print("||dL/dh_k|| / ||dL/dh_80|| at the start of training, N = 80 (LSTM-c: ||dL/dc_k|| / ||dL/dc_80||)")
print("  k" + "".join(f"{name:>10}" for name in columns))
for i, k in enumerate(range(0, 81, 5)):
    print(f"{k:3d}" + "".join(f"{column[i]:10.1e}" for column in columns.values()))

print(f"\naccuracy after {STEPS} steps (mean of {SEEDS} seeds; chance 0.25)")
print("  N" + "".join(f"{name:>6}" for name in LAYERS))
for N in (10, 20, 40, 80):
    print(f"{N:3d}" + "".join(f"{np.mean([accuracy(kind, N, s) for s in range(SEEDS)]):6.2f}" for kind in LAYERS))
