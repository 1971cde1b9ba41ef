"""recall_lstm.py in NumPy: the LSTM of numpy_gates, trained with backprop through time by hand.

Same sequences in the same order, same initial weights (torch.manual_seed(0)'s, with the gate
biases of recall_task.remember, from data/recall_lstm_init.json), same Adam, float64 like the
PyTorch program: the same printed losses and accuracy.
"""
import numpy as np

import numpy_nn as nn
import recall_task as task
from numpy_gates import LSTM

N, H, STEPS = 40, 16, 300          # distractors, hidden size, training steps
float32 = np.float32


class Model(nn.Module):
    def __init__(self):
        self.lstm = LSTM(task.INPUT_SIZE, H, dtype=float32)   # 8 -> 16, gates i, f, g, o
        self.fc = nn.Linear(H, task.SYMBOLS, dtype=float32)   # h_t -> 4 scores

    def forward(self, x):
        """x: (N + 1, batch, 8) -> scores: (batch, 4), read from the last step only"""
        out, (h_n, c_n) = self.lstm(x)
        self.out_shape = out.shape                    # kept for backward
        return self.fc(out[-1])

    def backward(self, dscores):
        """dscores: (batch, 4) -> None. Only the last step's h_t was read: dout is 0 elsewhere."""
        dout = np.zeros(self.out_shape)
        dout[-1] = self.fc.backward(dscores)
        self.lstm.backward(dout)                      # back through all N + 1 steps


model = Model()
model.load_state_dict(nn.load_json_state("data/recall_lstm_init.json"))   # torch's float32 weights
model.double()                                                             # computed in float64
criterion = nn.CrossEntropyLoss()
optimizer = nn.Adam(model.parameters(), lr=0.005)

rng = np.random.default_rng(0)
for step in range(1, STEPS + 1):
    x, y = task.batch(rng, 32, N)                 # 32 new sequences every step
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    model.backward(criterion.backward())          # loss.backward()
    optimizer.step()
    if step % 25 == 0:
        print(f"step {step:3d}: loss = {loss.item():.4f}")

x, y = task.batch(np.random.default_rng(1), 1000, N)
with nn.no_grad():
    right = (model(x).argmax(axis=1) == y).mean()
print(f"accuracy on 1000 new sequences: {right:.3f}")
