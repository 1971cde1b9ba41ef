"""Train one RNNCell to turn "hello" into "ohlol", stepping through time ourselves.

inputs: (seq_len, batch, input_size) = (5, 1, 4)   one-hot "hello"
labels: (seq_len, 1)                 = (5, 1)      class indices of "ohlol"
hidden: (batch, hidden_size)         = (1, 3)      h_t, read as the 3 class scores
"""
import torch

idx2char_in = ['e', 'h', 'l', 'o']  # input vocabulary
idx2char_out = ['h', 'l', 'o']      # output vocabulary: 3 classes
x_data = [1, 0, 2, 2, 3]            # "hello" over idx2char_in
y_data = [2, 0, 1, 2, 1]            # "ohlol" over idx2char_out

one_hot_lookup = torch.eye(4)                   # row i = one-hot vector of index i
inputs = one_hot_lookup[x_data].view(-1, 1, 4)  # (5, 1, 4), float32
labels = torch.tensor(y_data).view(-1, 1)       # (5, 1): step t gets a (1,) target

torch.manual_seed(0)
cell = torch.nn.RNNCell(input_size=4, hidden_size=3)  # hidden_size = number of output classes

criterion = torch.nn.CrossEntropyLoss()  # softmax + negative log-likelihood
optimizer = torch.optim.Adam(cell.parameters(), lr=0.1)

for epoch in range(15):
    optimizer.zero_grad()
    hidden = torch.zeros(1, 3)  # h_0: (batch, hidden_size), no prior information
    loss = 0
    predicted = ""
    for x_t, y_t in zip(inputs, labels):  # x_t: (1, 4), y_t: (1,)
        hidden = cell(x_t, hidden)            # h_t: (1, 3)
        loss = loss + criterion(hidden, y_t)  # add up the loss of every step
        predicted += idx2char_out[hidden.argmax(dim=1).item()]
    loss.backward()
    optimizer.step()
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
