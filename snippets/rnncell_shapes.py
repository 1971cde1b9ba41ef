"""Step an RNNCell through a short sequence and watch the shapes.

dataset: (seq_len, batch_size, input_size) = (3, 1, 4)
hidden:  (batch_size, hidden_size)         = (1, 2)
"""
import torch

torch.manual_seed(0)

batch_size = 1
seq_len = 3      # number of time steps x_1, x_2, x_3
input_size = 4   # features in each x_t
hidden_size = 2  # features in each h_t

cell = torch.nn.RNNCell(input_size=input_size, hidden_size=hidden_size)

dataset = torch.randn(seq_len, batch_size, input_size)  # (seq_len, batch, input_size)
hidden = torch.zeros(batch_size, hidden_size)           # h_0: no prior information

print("dataset:", list(dataset.shape), " h_0:", list(hidden.shape))
with torch.no_grad():
    for t, x_t in enumerate(dataset, start=1):
        hidden = cell(x_t, hidden)  # the same cell, the same weights, at every step
        print(f"step {t}: x_t {list(x_t.shape)} -> h_t {list(hidden.shape)}  h_t = {hidden}")

print()
for name, param in cell.named_parameters():
    print(f"{name:10s} {list(param.shape)}")
