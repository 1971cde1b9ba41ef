"""hello_rnn.py in NumPy: nn.RNN learns "hello" -> "ohlol", and we write loss.backward().

inputs: (seq_len, batch, input_size) = (5, 1, 4)   one-hot "hello"
out:    (seq_len, batch, hidden_size) = (5, 1, 3)  h_1 ... h_5
logits: (seq_len * batch, 3)          = (5, 3)     one row of class scores per step
labels: (seq_len * batch,)            = (5,)       class indices of "ohlol"

Same data, same initial weights (torch.manual_seed(0)'s, from data/hello_rnn_init.json),
same Adam, same printed lines. loss.backward() becomes each module's backward, last one first.
"""
import numpy as np

import numpy_nn as nn

idx2char_in = ['e', 'h', 'l', 'o']  # input vocabulary
idx2char_out = ['h', 'l', 'o']      # output vocabulary: 3 classes
x_data = [1, 0, 2, 2, 3]            # "hello" over idx2char_in
y_data = [2, 0, 1, 2, 1]            # "ohlol" over idx2char_out

inputs = np.eye(4, dtype=np.float32)[x_data].reshape(5, 1, 4)  # (seq_len, batch, input_size)
labels = np.array(y_data)                                      # (5,)

rnn = nn.RNN(input_size=4, hidden_size=3, num_layers=1, dtype=np.float32)
rnn.load_state_dict(nn.load_json_state("data/hello_rnn_init.json"))  # torch's initial weights

criterion = nn.CrossEntropyLoss()  # mean over the 5 steps
optimizer = nn.Adam(rnn.parameters(), lr=0.05)
h0 = np.zeros((1, 1, 3), dtype=np.float32)  # (num_layers, batch, hidden_size)

for epoch in range(15):
    optimizer.zero_grad()
    out, _ = rnn(inputs, h0)      # out: (5, 1, 3)
    logits = out.reshape(-1, 3)   # (5, 3)
    loss = criterion(logits, labels)
    dlogits = criterion.backward()            # loss.backward(): the loss's backward,
    rnn.backward(dlogits.reshape(out.shape))  # then the view's and the RNN's
    optimizer.step()
    predicted = "".join(idx2char_out[i] for i in logits.argmax(axis=1).tolist())
    print(f"Predicted string: {predicted}, Epoch [{epoch + 1}/15] loss = {loss.item():.4f}")
