"""First example of the lesson "{{title}}": the tensor shapes through torch.nn.RNN.

x: (seq_len, batch, input_size) -> out: (seq_len, batch, hidden_size), h_n: (num_layers, batch, hidden_size)
"""
import torch

seq_len, batch_size, input_size, hidden_size = 3, 1, 4, 2

torch.manual_seed(0)
rnn = torch.nn.RNN(input_size, hidden_size)       # W_ih (H, I), W_hh (H, H), b_ih, b_hh
x = torch.randn(seq_len, batch_size, input_size)  # the whole sequence, (seq_len, batch, input_size)
out, h_n = rnn(x)                                 # h_0 defaults to zeros

print("x:  ", list(x.shape))
print("out:", list(out.shape))
print("h_n:", list(h_n.shape))
print("out[-1] equals h_n[0]:", torch.equal(out[-1], h_n[0]))
