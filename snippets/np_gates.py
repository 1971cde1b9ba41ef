"""gates.py with the book's NumPy layers: the same parameters, in the same order and shapes."""
import numpy as np

import numpy_nn as nn
from numpy_gates import GRU, LSTM

I, H = 8, 16                       # input size (one-hot of 8 symbols), hidden size

layers = {"RNN": nn.RNN(I, H), "GRU": GRU(I, H), "LSTM": LSTM(I, H)}
rnn_count = sum(p.data.size for p in layers["RNN"].parameters())
for name, layer in layers.items():
    count = sum(p.data.size for p in layer.parameters())
    print(f"{name:4s} {count:5d} parameters, {count / rnn_count:g} x the RNN's")
    print("    " + "  ".join(f"{n} {p.data.shape}" for n, p in layer.named_parameters()))

x = np.zeros((41, 32, I))
out, (h_n, c_n) = layers["LSTM"](x)        # the state is a pair: (h_0, c_0) in, (h_n, c_n) out
print(f"LSTM: out {out.shape}, h_n {h_n.shape}, c_n {c_n.shape}")
