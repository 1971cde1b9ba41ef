"""Follow one batch of "hello" through Embedding -> RNN -> Linear and print every shape.

x:       (batch, seq_len)                 = (1, 5)     int64 indices
emb(x):  (batch, seq_len, embedding_dim)  = (1, 5, 10)
rnn:     (batch, seq_len, hidden_size)    = (1, 5, 8)  batch_first=True
fc:      (batch, seq_len, num_class)      = (1, 5, 4)  Linear acts on the last dim only
view:    (batch * seq_len, num_class)     = (5, 4)     one row of scores per character
"""
import torch

torch.manual_seed(0)
emb = torch.nn.Embedding(4, 10)  # 4 tokens -> 10 numbers each
rnn = torch.nn.RNN(input_size=10, hidden_size=8, num_layers=2, batch_first=True)
fc = torch.nn.Linear(8, 4)       # 8 hidden numbers -> 4 class scores

x = torch.tensor([[1, 0, 2, 2, 3]])  # "hello", one sequence in the batch
h0 = torch.zeros(2, x.size(0), 8)    # (num_layers, batch, hidden_size), batch_first does not apply

with torch.no_grad():
    e = emb(x)
    out, h_n = rnn(e, h0)
    scores = fc(out)
    logits = scores.view(-1, 4)

rows = [
    ("x", x, f"{x.dtype} indices of 'hello'"),
    ("emb(x)", e, "one 10-number vector per character"),
    ("rnn out", out, f"h_n: {tuple(h_n.shape)}"),
    ("fc(out)", scores, "4 class scores per character"),
    ("view", logits, "one row per character, ready for CrossEntropyLoss"),
]
for name, tensor, note in rows:
    print(f"{name:8s} {str(tuple(tensor.shape)):11s} {note}")
