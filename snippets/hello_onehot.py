"""Turn "hello" into numbers a network can take, and "ohlol" into class labels.

input vocabulary:  e, h, l, o  ->  indices 0, 1, 2, 3
x_one_hot:         (seq_len, input_size) = (5, 4), one row per character
output vocabulary: h, l, o     ->  classes 0, 1, 2
"""
import torch

idx2char_in = ['e', 'h', 'l', 'o']                         # input vocabulary, sorted
char2idx_in = {ch: i for i, ch in enumerate(idx2char_in)}  # 'e' -> 0, 'h' -> 1, ...

x_data = [char2idx_in[ch] for ch in "hello"]  # one index per character
print("input vocabulary:", char2idx_in)
print("indices of 'hello':", x_data)

one_hot_lookup = torch.eye(len(idx2char_in))  # row i is the one-hot vector of index i
x_one_hot = one_hot_lookup[x_data]            # one row per character: (5, 4)
print("one-hot matrix, shape", tuple(x_one_hot.shape))
for ch, row in zip("hello", x_one_hot):
    print(f"  {ch} -> {row.int().tolist()}")

idx2char_out = ['h', 'l', 'o']  # output vocabulary: the characters of "ohlol"
y_data = [idx2char_out.index(ch) for ch in "ohlol"]
print(f"labels of 'ohlol' over {idx2char_out}: {y_data}")
