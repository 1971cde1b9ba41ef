"""Compute h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) by hand and check it against RNNCell."""
import torch

torch.manual_seed(0)

input_size, hidden_size = 4, 2
cell = torch.nn.RNNCell(input_size=input_size, hidden_size=hidden_size)

W_ih = cell.weight_ih  # input -> hidden, (hidden_size, input_size)
W_hh = cell.weight_hh  # hidden -> hidden, (hidden_size, hidden_size)
b_ih = cell.bias_ih    # (hidden_size,)
b_hh = cell.bias_hh    # (hidden_size,)

x_t = torch.randn(1, input_size)       # one sample, (batch, input_size)
h_prev = torch.randn(1, hidden_size)   # h_{t-1}, (batch, hidden_size)

with torch.no_grad():
    h_torch = cell(x_t, h_prev)

    # the formula, term by term (rows are samples, so the weights are transposed)
    h_hand = torch.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)

    # the same thing with one concatenated matrix [W_hh W_ih] times [h_{t-1}; x_t]
    W = torch.cat([W_hh, W_ih], dim=1)      # (hidden_size, hidden_size + input_size)
    hx = torch.cat([h_prev, x_t], dim=1)    # (batch, hidden_size + input_size)
    h_concat = torch.tanh(hx @ W.T + b_ih + b_hh)

print("RNNCell      :", h_torch)
print("by hand      :", h_hand)
print("concatenated :", h_concat)
print("[W_hh W_ih] shape:", list(W.shape))
print("allclose(by hand):     ", torch.allclose(h_hand, h_torch))
print("allclose(concatenated):", torch.allclose(h_concat, h_torch))
