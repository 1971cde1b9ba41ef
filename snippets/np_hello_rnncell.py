"""hello_rnncell.py in NumPy: one RNNCell learns "hello" -> "ohlol", and we write loss.backward().

inputs: (seq_len, batch, input_size) = (5, 1, 4)   one-hot "hello"
labels: (seq_len, 1)                 = (5, 1)      class indices of "ohlol"
hidden: (batch, hidden_size)         = (1, 3)      h_t, read as the 3 class scores

Same data, same initial weights (torch.manual_seed(0)'s, from data/hello_rnncell_init.json),
same Adam, same printed lines. Backward undoes the 5 steps, last step first.
"""
import numpy as np

import numpy_nn as nn

idx2char_in = ['e', 'h', 'l', 'o']  # input vocabulary
idx2char_out = ['h', 'l', 'o']      # output vocabulary: 3 classes
x_data = [1, 0, 2, 2, 3]            # "hello" over idx2char_in
y_data = [2, 0, 1, 2, 1]            # "ohlol" over idx2char_out

one_hot_lookup = np.eye(4, dtype=np.float32)       # row i = one-hot vector of index i
inputs = one_hot_lookup[x_data].reshape(-1, 1, 4)  # (5, 1, 4), float32
labels = np.array(y_data).reshape(-1, 1)           # (5, 1): step t gets a (1,) target

cell = nn.RNNCell(input_size=4, hidden_size=3, dtype=np.float32)  # hidden_size = number of classes
cell.load_state_dict(nn.load_json_state("data/hello_rnncell_init.json"))  # torch's initial weights

criterion = nn.CrossEntropyLoss()  # softmax + negative log-likelihood
optimizer = nn.Adam(cell.parameters(), lr=0.1)

for epoch in range(15):
    optimizer.zero_grad()
    hidden = np.zeros((1, 3), dtype=np.float32)  # h_0: (batch, hidden_size), no prior information
    loss = 0
    predicted = ""
    for x_t, y_t in zip(inputs, labels):  # x_t: (1, 4), y_t: (1,)
        hidden = cell(x_t, hidden)            # h_t: (1, 3)
        loss = loss + criterion(hidden, y_t)  # add up the loss of every step
        predicted += idx2char_out[hidden.argmax(axis=1).item()]
    # loss.backward(): each step's backward, last step first
    dhidden = np.zeros((1, 3), dtype=np.float32)  # dloss/dh_5 through later steps: there are none
    for _ in range(len(inputs)):
        dhidden = dhidden + criterion.backward()  # h_t is scored by its own loss term ...
        _, dhidden = cell.backward(dhidden)       # ... and feeds h_{t+1}; pass both back to h_{t-1}
    optimizer.step()
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
