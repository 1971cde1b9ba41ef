"""Lesson 8: the gated layers' parameters and shapes, next to the RNN's.

A GRU stacks 3 gates' weights in each matrix, an LSTM 4: weight_ih_l0 is (3H, I) or (4H, I).
x: (seq_len, batch, input_size) = (41, 32, 8), hidden_size H = 16, as in the lesson's task.
"""
import torch

I, H = 8, 16                       # input size (one-hot of 8 symbols), hidden size

torch.manual_seed(0)
layers = {"RNN": torch.nn.RNN(I, H), "GRU": torch.nn.GRU(I, H), "LSTM": torch.nn.LSTM(I, H)}
rnn_count = sum(p.numel() for p in layers["RNN"].parameters())
for name, layer in layers.items():
    count = sum(p.numel() for p in layer.parameters())
    print(f"{name:4s} {count:5d} parameters, {count / rnn_count:g} x the RNN's")
    print("    " + "  ".join(f"{n} {tuple(p.shape)}" for n, p in layer.named_parameters()))

x = torch.zeros(41, 32, I)
out, (h_n, c_n) = layers["LSTM"](x)        # the state is a pair: (h_0, c_0) in, (h_n, c_n) out
print(f"LSTM: out {tuple(out.shape)}, h_n {tuple(h_n.shape)}, c_n {tuple(c_n.shape)}")
