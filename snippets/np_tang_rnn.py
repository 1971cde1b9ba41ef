"""tang_rnn.py in NumPy: the same RNN learns the Tang poems, backprop through time by hand.

Same data in the same order, same initial weights (torch.manual_seed(0)'s, from
data/tang_rnn_init.json), same Adam and clipping, float64 like the PyTorch program: the same
printed losses and greedy text. The samples differ: NumPy's random numbers are not torch's.
"""
import math

import numpy as np

import numpy_nn as nn
import tang_data

PREFIX, TEMPERATURE = "春", 0.8    # what the model goes on from; how adventurous its samples are
EPOCHS = 12                        # passes over the training text

train_text, val_text = tang_data.load()
vocab = tang_data.Vocab(train_text)
train, val = vocab.encode(train_text), vocab.encode(val_text)
V, E, H = len(vocab), 32, 96       # vocabulary, embedding size, hidden size
float32 = np.float32


class Model(nn.Module):
    def __init__(self):
        self.emb = nn.Embedding(V, E, dtype=float32)                  # character -> 32 numbers
        self.rnn = nn.RNN(E, H, batch_first=True, dtype=float32)      # 96 hidden units
        self.fc = nn.Linear(H, V, dtype=float32)                      # h_t -> V scores

    def forward(self, x, h):
        """x: (batch, seq_len) int64, h: (1, batch, H) -> logits (batch * seq_len, V), h_n"""
        out, h = self.rnn(self.emb(x), h)
        logits = self.fc(out)
        self.logits_shape = logits.shape   # kept for backward
        return logits.reshape(-1, V), h

    def backward(self, dlogits):
        """dlogits: (batch * seq_len, V) -> None; the gradient stops at h_0 (truncated BPTT)"""
        dout = self.fc.backward(dlogits.reshape(self.logits_shape))
        dx, _ = self.rnn.backward(dout)    # dL/dh_0 is dropped: that is h.detach()
        self.emb.backward(dx)


model = Model()
model.load_state_dict(nn.load_json_state("data/tang_rnn_init.json"))   # torch's float32 weights
model.double()                                                          # computed in float64
criterion = nn.CrossEntropyLoss()
optimizer = nn.Adam(model.parameters(), lr=0.004)


def scores(ids):
    """The model's scores for each next character of ids, read from h_0 = 0: (len(ids) - 1, V)"""
    with nn.no_grad():
        logits, _ = model(np.array([ids[:-1]]), np.zeros((1, 1, H)))
    return logits


def losses(ids):
    """-log p(next character) at each position of ids: (len(ids) - 1,)"""
    logits = scores(ids)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))     # log_softmax
    return -log_p[range(len(ids) - 1), ids[1:]]


def perplexity(ids):
    """exp(mean cross-entropy) of each next character of ids."""
    return math.exp(losses(ids).mean())


updates = clipped = 0
for epoch in range(EPOCHS):
    h = np.zeros((1, 16, H))                   # h_0 of each of the 16 streams
    total, count = 0.0, 0
    for x, y in tang_data.batches(train, batch_size=16, seq_len=48):
        logits, h = model(np.array(x), h)      # h: the last chunk's state, not its history
        loss = criterion(logits, np.array(y).reshape(-1))
        optimizer.zero_grad()
        model.backward(criterion.backward())   # loss.backward()
        norm = nn.clip_grad_norm_(model.parameters(), max_norm=1.0)   # no explosions
        optimizer.step()
        updates, clipped = updates + 1, clipped + int(norm > 1.0)   # norm: before clipping
        total, count = total + loss.item() * len(logits), count + len(logits)
    loss = total / count                # the mean over the epoch's characters
    print(f"epoch {epoch + 1:2d}: loss = {loss:.4f}, train perplexity {math.exp(loss):6.2f},",
          f"validation perplexity {perplexity(val):6.2f}")
print(f"{updates} updates; clipping scaled the gradient down in {clipped} of them")

print("\nvalidation perplexity, by what the next character is:")
for kind, (n, ppl) in tang_data.perplexity_by_kind(val[1:], losses(val).tolist(), vocab).items():
    print(f"  {kind:26s} {ppl:6.1f}  ({n} positions)")
print("where a character comes next, what the model ranks first:")
logits = scores(val)
for name, firsts in (("with <unk>", logits.argmax(axis=1)), ("without <unk>", logits[:, 1:].argmax(axis=1) + 1)):
    counts = tang_data.first_choices(val[1:], firsts.tolist(), vocab)      # generate() never writes <unk>
    print(f"  {name + ':':14s}", ", ".join(f"{kind} {counts[kind]}" for kind in tang_data.KINDS if kind in counts))


def generate(prefix, n, temperature=None, rng=None):
    """prefix and n more characters: each the most likely (greedy), or drawn at temperature."""
    with nn.no_grad():
        h = np.zeros((1, 1, H))
        logits, h = model(np.array([vocab.encode(prefix)]), h)   # warm up on the prefix
        text = prefix
        for _ in range(n):
            scores = logits[-1].copy()
            scores[0] = -np.inf        # never write <unk>
            if temperature is None:
                i = int(scores.argmax())
            else:
                p = np.exp((scores - scores.max()) / temperature)   # softmax(scores / temperature)
                i = int(rng.choice(V, p=p / p.sum()))
            text += vocab.itos[i]
            logits, h = model(np.array([[i]]), h)
    return text


print(f"\ngreedy, from {PREFIX!r}:\n{generate(PREFIX, 36)}")
print(f"\nsampled at temperature {TEMPERATURE} (random: NumPy and PyTorch draw different numbers):")
sample = generate(PREFIX, 600, TEMPERATURE, np.random.default_rng(0))
print(sample[:1 + 72])
lines = [line for line in sample.split("\n")[:-1] if line]   # the complete lines of all 600 characters
print(f"... {sum(map(tang_data.is_couplet, lines))} of the {len(lines)} lines in 600 sampled characters "
      "have the form of a couplet")
