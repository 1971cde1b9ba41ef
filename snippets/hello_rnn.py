"""Train nn.RNN to turn "hello" into "ohlol": the whole sequence in one call.

inputs: (seq_len, batch, input_size) = (5, 1, 4)   one-hot "hello"
out:    (seq_len, batch, hidden_size) = (5, 1, 3)  h_1 ... h_5
logits: (seq_len * batch, 3)          = (5, 3)     one row of class scores per step
labels: (seq_len * batch,)            = (5,)       class indices of "ohlol"
"""
import torch

idx2char_in = ['e', 'h', 'l', 'o']  # input vocabulary
idx2char_out = ['h', 'l', 'o']      # output vocabulary: 3 classes
x_data = [1, 0, 2, 2, 3]            # "hello" over idx2char_in
y_data = [2, 0, 1, 2, 1]            # "ohlol" over idx2char_out

inputs = torch.eye(4)[x_data].view(5, 1, 4)  # (seq_len, batch, input_size), float32
labels = torch.tensor(y_data)                # (5,)

torch.manual_seed(0)
rnn = torch.nn.RNN(input_size=4, hidden_size=3, num_layers=1)

criterion = torch.nn.CrossEntropyLoss()  # mean over the 5 steps
optimizer = torch.optim.Adam(rnn.parameters(), lr=0.05)
h0 = torch.zeros(1, 1, 3)                # (num_layers, batch, hidden_size)

for epoch in range(15):
    optimizer.zero_grad()
    out, _ = rnn(inputs, h0)   # out: (5, 1, 3)
    logits = out.view(-1, 3)   # (5, 3)
    loss = criterion(logits, labels)
    loss.backward()
    optimizer.step()
    predicted = "".join(idx2char_out[i] for i in logits.argmax(dim=1).tolist())
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
