"""batch_first=True puts batch first in inputs and out, but not in h_0 and h_n."""
import torch

torch.manual_seed(0)

batch_size, seq_len, input_size, hidden_size, num_layers = 1, 5, 4, 2, 3

rnn = torch.nn.RNN(input_size, hidden_size, num_layers, batch_first=True)

inputs = torch.randn(batch_size, seq_len, input_size)    # (batch, seq_len, input_size)
h_0 = torch.zeros(num_layers, batch_size, hidden_size)   # unchanged: (num_layers, batch, hidden_size)

out, h_n = rnn(inputs, h_0)

print("inputs:", list(inputs.shape))
print("h_0:   ", list(h_0.shape))
print("out:   ", list(out.shape))
print("h_n:   ", list(h_n.shape))
