"""Shapes of torch.nn.RNN with three stacked layers.

inputs: (seq_len, batch_size, input_size)     = (5, 1, 4)
h_0:    (num_layers, batch_size, hidden_size) = (3, 1, 2)
out:    (seq_len, batch_size, hidden_size)    = (5, 1, 2)   top layer, every step
h_n:    (num_layers, batch_size, hidden_size) = (3, 1, 2)   last step, every layer
"""
import torch

torch.manual_seed(0)

batch_size = 1
seq_len = 5      # time steps x_1 ... x_5
input_size = 4
hidden_size = 2
num_layers = 3

rnn = torch.nn.RNN(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)

inputs = torch.randn(seq_len, batch_size, input_size)
h_0 = torch.zeros(num_layers, batch_size, hidden_size)

out, h_n = rnn(inputs, h_0)

print("inputs:", list(inputs.shape))
print("h_0:   ", list(h_0.shape))
print("out:   ", list(out.shape))
print("h_n:   ", list(h_n.shape))

# The top layer's last step sits in both: the last row of out and the last layer of h_n.
print("out[-1] equals h_n[-1]:", torch.equal(out[-1], h_n[-1]))
print()
for name, param in rnn.named_parameters():
    print(f"{name:14s} {list(param.shape)}")
print("total parameters:", sum(p.numel() for p in rnn.parameters()))
