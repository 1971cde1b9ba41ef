"""Train Embedding -> 2-layer RNN -> Linear on "hello" with the course's labels.

inputs: (batch, seq_len)     = (1, 5)  int64 indices of "hello"
logits: (batch * seq_len, 4) = (5, 4)  scores over e, h, l, o
labels: (batch * seq_len,)   = (5,)    class indices over the same vocabulary
"""
import torch

idx2char = ['e', 'h', 'l', 'o']  # one vocabulary for input and output: 4 classes
x_data = [[1, 0, 2, 2, 3]]       # "hello", a batch of one sequence
y_data = [3, 1, 2, 3, 2]         # "ohlol" over idx2char


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(4, 10)  # index -> dense vector of 10, learned
        self.rnn = torch.nn.RNN(input_size=10, hidden_size=8, num_layers=2, batch_first=True)
        self.fc = torch.nn.Linear(8, 4)       # hidden state -> 4 class scores

    def forward(self, x):
        """x: (batch, seq_len) int64 -> logits (batch * seq_len, 4)"""
        h0 = torch.zeros(2, x.size(0), 8)  # (num_layers, batch, hidden_size)
        x = self.emb(x)                    # (batch, seq_len, 10)
        x, _ = self.rnn(x, h0)             # (batch, seq_len, 8)
        x = self.fc(x)                     # (batch, seq_len, 4)
        return x.view(-1, 4)               # (batch * seq_len, 4)


torch.manual_seed(0)
model = Model()

inputs = torch.tensor(x_data)  # (1, 5), int64
labels = torch.tensor(y_data)  # (5,)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)

for epoch in range(15):
    optimizer.zero_grad()
    logits = model(inputs)
    loss = criterion(logits, labels)
    loss.backward()
    optimizer.step()
    predicted = "".join(idx2char[i] for i in logits.argmax(dim=1).tolist())
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
