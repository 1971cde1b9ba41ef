"""hello_embedding.py in NumPy: Embedding -> 2-layer RNN -> Linear, and we write loss.backward().

inputs: (batch, seq_len)     = (1, 5)  int64 indices of "hello"
logits: (batch * seq_len, 4) = (5, 4)  scores over e, h, l, o
labels: (batch * seq_len,)   = (5,)    indices of "ohlol" over the same vocabulary

Same data, same initial weights (torch.manual_seed(0)'s, from data/hello_embedding_init.json),
same Adam, same printed lines. Model.backward undoes Model.forward, last layer first.
"""
import numpy as np

import numpy_nn as nn

idx2char = ['e', 'h', 'l', 'o']  # one vocabulary for input and output: 4 classes
x_data = [[1, 0, 2, 2, 3]]       # "hello", a batch of one sequence
y_data = [3, 1, 2, 3, 2]         # "ohlol" over idx2char


class Model(nn.Module):
    def __init__(self):
        self.emb = nn.Embedding(4, 10, dtype=np.float32)  # index -> dense vector of 10, learned
        self.rnn = nn.RNN(input_size=10, hidden_size=8, num_layers=2, batch_first=True,
                          dtype=np.float32)
        self.fc = nn.Linear(8, 4, dtype=np.float32)       # hidden state -> 4 class scores

    def forward(self, x):
        """x: (batch, seq_len) int64 -> logits (batch * seq_len, 4)"""
        h0 = np.zeros((2, x.shape[0], 8), dtype=np.float32)  # (num_layers, batch, hidden_size)
        x = self.emb(x)          # (batch, seq_len, 10)
        x, _ = self.rnn(x, h0)   # (batch, seq_len, 8)
        x = self.fc(x)           # (batch, seq_len, 4)
        self.fc_shape = x.shape  # kept for backward
        return x.reshape(-1, 4)  # (batch * seq_len, 4)

    def backward(self, dlogits):
        """dlogits: (batch * seq_len, 4) -> None; the parameters' .grad are filled"""
        dx = dlogits.reshape(self.fc_shape)  # undo the view
        dx = self.fc.backward(dx)            # (batch, seq_len, 8)
        dx, _ = self.rnn.backward(dx)        # (batch, seq_len, 10)
        self.emb.backward(dx)                # indices have no gradient


model = Model()
model.load_state_dict(nn.load_json_state("data/hello_embedding_init.json"))  # torch's weights

inputs = np.array(x_data)  # (1, 5), int64
labels = np.array(y_data)  # (5,)

criterion = nn.CrossEntropyLoss()
optimizer = nn.Adam(model.parameters(), lr=0.05)

for epoch in range(15):
    optimizer.zero_grad()
    logits = model(inputs)
    loss = criterion(logits, labels)
    model.backward(criterion.backward())  # loss.backward()
    optimizer.step()
    predicted = "".join(idx2char[i] for i in logits.argmax(axis=1).tolist())
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
