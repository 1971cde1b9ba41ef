"""{{snippet}}.py in NumPy: the same shapes through the book's numpy_nn.RNN, written from scratch.

x: (seq_len, batch, input_size) -> out: (seq_len, batch, hidden_size), h_n: (num_layers, batch, hidden_size)
"""
import numpy as np

import numpy_nn as nn

seq_len, batch_size, input_size, hidden_size = 3, 1, 4, 2

nn.manual_seed(0)
rnn = nn.RNN(input_size, hidden_size)             # W_ih (H, I), W_hh (H, H), b_ih, b_hh
x = np.random.default_rng(0).standard_normal((seq_len, batch_size, input_size))  # the whole sequence
out, h_n = rnn(x)                                 # h_0 defaults to zeros

print("x:  ", list(x.shape))
print("out:", list(out.shape))
print("h_n:", list(h_n.shape))
print("out[-1] equals h_n[0]:", np.array_equal(out[-1], h_n[0]))
