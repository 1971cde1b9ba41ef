"""Backprop through time, checked by finite differences (NumPy, float64).

A small twin of the embedding lesson's model, on "hello" -> "ohlol":
Embedding(4, 5) -> RNN(5, 3, num_layers=2) -> Linear(3, 4).
One backward pass gives every gradient; a central difference
(L(w + eps) - L(w - eps)) / (2 eps) estimates one entry from two more passes.

x: (5,) indices -> emb: (5, 5) -> out: (5, 3) -> logits: (5, 4), a row per step
"""
import numpy as np

import numpy_nn as nn


class Model(nn.Module):
    def __init__(self):
        self.emb = nn.Embedding(4, 5)           # e, h, l, o -> 5 numbers, (4, 5)
        self.rnn = nn.RNN(5, 3, num_layers=2)   # hidden_size 3, float64
        self.fc = nn.Linear(3, 4)               # h_t -> 4 scores z_t
        self.criterion = nn.CrossEntropyLoss()  # mean over the 5 steps

    def loss_and_grads(self, x, y):
        """Forward, then each backward, last module first; fills p.grad."""
        self.zero_grad()
        out, _ = self.rnn(self.emb(x))          # unbatched: (5, 5) -> (5, 3)
        loss = self.criterion(self.fc(out), y)
        dz = self.criterion.backward()          # dL/dz_t, (5, 4)
        dout = self.fc.backward(dz)             # W_o^T dz_t, (5, 3)
        dx, _ = self.rnn.backward(dout)         # BPTT: t = 5, ..., 1
        self.emb.backward(dx)                   # scatter-add into the table
        return loss


nn.manual_seed(0)
model = Model()
x = np.array([1, 0, 2, 2, 3])  # "hello" over (e, h, l, o): l is read twice
y = np.array([3, 1, 2, 3, 2])  # "ohlol" over the same vocabulary
params = dict(model.named_parameters())

model.loss_and_grads(x, y)
backprop = {name: p.grad.copy() for name, p in params.items()}

eps = 1e-5
checks = [("emb.weight", (2, 0)), ("rnn.weight_hh_l0", (0, 1)),
          ("rnn.weight_ih_l1", (1, 2))]
print(f"{'entry':22} {'backprop':>16} {'finite diff.':>18} {'rel. error':>11}")
for name, index in checks:
    w = params[name].data
    saved = w[index]
    w[index] = saved + eps
    loss_plus = model.loss_and_grads(x, y)
    w[index] = saved - eps
    loss_minus = model.loss_and_grads(x, y)
    w[index] = saved  # put the weight back
    numeric = (loss_plus - loss_minus) / (2 * eps)
    analytic = backprop[name][index]
    rel = abs(analytic - numeric) / max(abs(analytic), abs(numeric))
    entry = f"{name}{list(index)}"
    print(f"{entry:22} {analytic:16.12f} {numeric:18.12f} {rel:11.1e}")
