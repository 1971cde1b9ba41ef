"""Lesson 8: an LSTM learns to name the first symbol after N = 40 distractors (recall_task.py).

x: (41, 32, 8) one-hot -> out: (41, 32, 16) -> the last step's h_t -> scores: (32, 4).
The gates start at "keep" (recall_task.remember); computed in float64, like the NumPy twin.
"""
import numpy as np
import torch

import recall_task as task

N, H, STEPS = 40, 16, 300          # distractors, hidden size, training steps


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(task.INPUT_SIZE, H)     # 8 -> 16, gates i, f, g, o
        self.fc = torch.nn.Linear(H, task.SYMBOLS)        # h_t -> 4 scores

    def forward(self, x):
        """x: (N + 1, batch, 8) -> scores: (batch, 4), read from the last step only"""
        out, (h_n, c_n) = self.lstm(x)
        return self.fc(out[-1])


torch.manual_seed(0)
model = Model()
with torch.no_grad():
    task.remember("LSTM", model.lstm.named_parameters(), H)   # f_t starts near 0.95, i_t near 0.05
model.double()
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.005)

rng = np.random.default_rng(0)
for step in range(1, STEPS + 1):
    x, y = task.batch(rng, 32, N)                 # 32 new sequences every step
    loss = criterion(model(torch.tensor(x)), torch.tensor(y))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 25 == 0:
        print(f"step {step:3d}: loss = {loss.item():.4f}")

x, y = task.batch(np.random.default_rng(1), 1000, N)
with torch.no_grad():
    right = (model(torch.tensor(x)).argmax(dim=1).numpy() == y).mean()
print(f"accuracy on 1000 new sequences: {right:.3f}")
