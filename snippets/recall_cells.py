"""Lesson 8: RNN, GRU and LSTM on the recall task (recall_task.py), under the same budget.

1. At the start of training, how much of the loss's gradient reaches step k: ||dL/dh_k||
   over 256 sequences with N = 80 distractors, relative to the last step's ||dL/dh_80|| (float64);
   for the LSTM also ||dL/dc_k||, its cell state's (LSTM-c).
2. Training: hidden size 16 and Linear(16, 4) on the last h_t, Adam(lr=0.01), 300 steps of 32
   new sequences each; accuracy on 1000 new sequences, for each of 4 seeds; chance is 0.25.
Each column is a cell and how it starts (INITS): torch's own initialisation (RNN, GRU0, LSTM0:
gates near 0.5), an orthogonal W_hh (RNN-orth), or the gates at "keep" (GRU, LSTM:
recall_task.remember); LSTM-f keeps only the forget gate's +3, not the input gate's -3.
"""
import numpy as np
import torch

import recall_task as task

# --8<-- [start:model]
H, STEPS, BATCH, SEEDS = 16, 300, 32, 4
DISTANCES = (20, 40, 80)           # N, the distractors between the symbol and the question
LAYERS = {"RNN": torch.nn.RNN, "GRU": torch.nn.GRU, "LSTM": torch.nn.LSTM}
INITS = {"RNN": ("RNN", "torch"), "RNN-orth": ("RNN", "orthogonal"), "GRU": ("GRU", "keep"),
         "GRU0": ("GRU", "torch"), "LSTM": ("LSTM", "keep"), "LSTM0": ("LSTM", "torch"),
         "LSTM-f": ("LSTM", "forget gate only")}


class Model(torch.nn.Module):
    """x: (N + 1, batch, 8) -> scores for the first symbol: (batch, 4)"""

    def __init__(self, column):
        super().__init__()
        self.kind, init = INITS[column]
        self.rnn = LAYERS[self.kind](task.INPUT_SIZE, H)
        self.fc = torch.nn.Linear(H, task.SYMBOLS)
        with torch.no_grad():
            if init == "keep":
                task.remember(self.kind, self.rnn.named_parameters(), H)
            elif init == "orthogonal":                   # W_hh: every singular value 1, (H, H)
                torch.nn.init.orthogonal_(self.rnn.weight_hh_l0)
            elif init == "forget gate only":
                self.rnn.bias_ih_l0[H:2 * H] += task.KEEP   # f: +3; i left as torch starts it

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[-1])
# --8<-- [end:model]


# --8<-- [start:gradients]
def states(model, x):
    """model(x) one step at a time, and every state (k = 0..N), which keeps its gradient: [h_k], or
    [(h_k, c_k)] for the LSTM, whose step is written out (torch's LSTM hands back h_k and c_k side by
    side, so c_N would get no gradient through h_N = o_N tanh(c_N))."""
    found = []
    if model.kind != "LSTM":
        h = None
        for t in range(len(x)):
            _, h = model.rnn(x[t:t + 1], h)              # h_k: (1, batch, H)
            h.retain_grad()                              # keep dL/dh_k, though h_k is no leaf
            found.append(h)
        return model.fc(h[0]), found
    rnn = model.rnn
    W_ih, W_hh, b_ih, b_hh = rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0
    h = c = torch.zeros(x.shape[1], H, dtype=x.dtype)
    for t in range(len(x)):
        i, f, g, o = (x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=1)   # rows i, f, g, o
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        h.retain_grad()
        c.retain_grad()
        found.append((h, c))
    return model.fc(h), found


def gradient_norms(column, N=80, every=5, part=0):
    """||dL/dh_k|| / ||dL/dh_N|| for k = 0, every, ..., N (part=1: the LSTM's c_k instead of h_k)."""
    torch.manual_seed(0)
    model = Model(column).double()                  # float64: the smallest norms underflow float32
    x, y = task.batch(np.random.default_rng(0), 256, N)
    scores, found = states(model, torch.tensor(x))
    torch.nn.functional.cross_entropy(scores, torch.tensor(y)).backward()
    norms = [(s[part] if model.kind == "LSTM" else s).grad.norm().item() for s in found]
    return [norms[k] / norms[N] for k in range(0, N + 1, every)]
# --8<-- [end:gradients]


# --8<-- [start:accuracy]
def tensor(x):
    return torch.tensor(x, dtype=torch.float32)


def accuracy(column, N, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Model(column)
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
# --8<-- [end:accuracy]


def each(accuracies):
    return " ".join(f"{a:.2f}" for a in accuracies)


kinds = ["RNN", "RNN-orth", "GRU", "GRU0", "LSTM", "LSTM0"]
columns = {kind: gradient_norms(kind) for kind in kinds}
columns["LSTM-c"] = gradient_norms("LSTM", part=1)
print("||dL/dh_k|| / ||dL/dh_80|| at the start of training, N = 80 (LSTM-c: ||dL/dc_k|| / ||dL/dc_80||)")
print("  k" + "".join(f"{name:>10}" for name in columns))
for i, k in enumerate(range(0, 81, 5)):
    print(f"{k:3d}" + "".join(f"{column[i]:10.1e}" for column in columns.values()))
print("each step back multiplies it by about (row k = 0) ** (1/80):")
print("   " + "".join(f"{column[0] ** (1 / 80):10.2f}" for column in columns.values()))

acc = {(kind, N): [accuracy(kind, N, s) for s in range(SEEDS)] for kind in kinds for N in DISTANCES}
print(f"\naccuracy after {STEPS} steps, mean of {SEEDS} seeds (chance 0.25)")
print("  N" + "".join(f"{kind:>9}" for kind in kinds))
for N in DISTANCES:
    print(f"{N:3d}" + "".join(f"{np.mean(acc[kind, N]):9.2f}" for kind in kinds))
print(f"\neach seed ({', '.join(map(str, range(SEEDS)))}):" + "".join(f"{f'N = {N}':>22}" for N in DISTANCES))
for kind in kinds:
    print(f"{kind:8s}" + "".join(f"   {each(acc[kind, N])}" for N in DISTANCES))


# --8<-- [start:input_gate]
def cell_size(column, N=80):
    """An LSTM's mean |c_N| before training, over the same 256 sequences."""
    torch.manual_seed(0)
    model = Model(column).double()
    x, _ = task.batch(np.random.default_rng(0), 256, N)
    _, found = states(model, torch.tensor(x))
    return found[N][1].abs().mean().item()


print("\nthe LSTM's input gate at -3 (LSTM), or left as torch starts it (LSTM-f: +3 on f only)")
print(f"mean |c_80| before training:     LSTM {cell_size('LSTM'):.2f}   LSTM-f {cell_size('LSTM-f'):.2f}")
print(f"accuracy at N = 80, each seed:   LSTM {each(acc['LSTM', 80])}   "
      f"LSTM-f {each(accuracy('LSTM-f', 80, s) for s in range(SEEDS))}")
# --8<-- [end:input_gate]
