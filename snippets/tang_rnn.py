"""Lesson 7: a character-level RNN learns the Tang poems, then writes some.

x: (batch, seq_len) indices -> emb: (batch, seq_len, 32) -> out: (batch, seq_len, 96)
-> logits: (batch * seq_len, V). Truncated backprop through time: the text is read as 16
streams side by side, 48 characters at a time; the hidden state goes on from one chunk to
the next, the gradient stops at the chunk's start (h.detach()).
"""
import math

import torch

import tang_data

# --8<-- [start:model]
PREFIX, TEMPERATURE = "春", 0.8    # what the model goes on from; how adventurous its samples are
EPOCHS = 12                        # passes over the training text

train_text, val_text = tang_data.load()
vocab = tang_data.Vocab(train_text)
train, val = vocab.encode(train_text), vocab.encode(val_text)
V, E, H = len(vocab), 32, 96       # vocabulary, embedding size, hidden size
float64 = torch.float64


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V, E)              # character -> 32 numbers, learned
        self.rnn = torch.nn.RNN(E, H, batch_first=True)  # 96 hidden units
        self.fc = torch.nn.Linear(H, V)                  # h_t -> one score per character

    def forward(self, x, h):
        """x: (batch, seq_len) int64, h: (1, batch, H) -> logits (batch * seq_len, V), h_n"""
        out, h = self.rnn(self.emb(x), h)
        return self.fc(out).reshape(-1, V), h


torch.manual_seed(0)
model = Model().double()   # torch's float32 initial weights, computed in float64 (see the text)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.004)
# --8<-- [end:model]


def scores(ids):
    """The model's scores for each next character of ids, read from h_0 = 0: (len(ids) - 1, V)"""
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids[:-1]]), torch.zeros(1, 1, H, dtype=float64))
    return logits


def losses(ids):
    """-log p(next character) at each position of ids: (len(ids) - 1,)"""
    return -torch.log_softmax(scores(ids), dim=1)[range(len(ids) - 1), ids[1:]]


def perplexity(ids):
    """exp(mean cross-entropy) of each next character of ids."""
    return math.exp(losses(ids).mean().item())


# --8<-- [start:train]
updates = clipped = 0
for epoch in range(EPOCHS):
    h = torch.zeros(1, 16, H, dtype=float64)   # h_0 of each of the 16 streams
    total, count = 0.0, 0
    for x, y in tang_data.batches(train, batch_size=16, seq_len=48):
        h = h.detach()                 # keep the state, drop its history: no gradient past it
        logits, h = model(torch.tensor(x), h)
        loss = criterion(logits, torch.tensor(y).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)   # no explosions
        optimizer.step()
        updates, clipped = updates + 1, clipped + int(norm > 1.0)   # norm: before clipping
        total, count = total + loss.item() * len(logits), count + len(logits)
    loss = total / count                # the mean over the epoch's characters
    print(f"epoch {epoch + 1:2d}: loss = {loss:.4f}, train perplexity {math.exp(loss):6.2f},",
          f"validation perplexity {perplexity(val):6.2f}")
print(f"{updates} updates; clipping scaled the gradient down in {clipped} of them")
# --8<-- [end:train]

# --8<-- [start:by_kind]
print("\nvalidation perplexity, by what the next character is:")
for kind, (n, ppl) in tang_data.perplexity_by_kind(val[1:], losses(val).tolist(), vocab).items():
    print(f"  {kind:26s} {ppl:6.1f}  ({n} positions)")
print("where a character comes next, what the model ranks first:")
logits = scores(val)
for name, firsts in (("with <unk>", logits.argmax(dim=1)), ("without <unk>", logits[:, 1:].argmax(dim=1) + 1)):
    counts = tang_data.first_choices(val[1:], firsts.tolist(), vocab)      # generate() never writes <unk>
    print(f"  {name + ':':14s}", ", ".join(f"{kind} {counts[kind]}" for kind in tang_data.KINDS if kind in counts))
# --8<-- [end:by_kind]


# --8<-- [start:generate]
def generate(prefix, n, temperature=None, generator=None):
    """prefix and n more characters: each the most likely (greedy), or drawn at temperature."""
    with torch.no_grad():
        h = torch.zeros(1, 1, H, dtype=float64)
        logits, h = model(torch.tensor([vocab.encode(prefix)]), h)   # warm up on the prefix
        text = prefix
        for _ in range(n):
            scores = logits[-1].clone()
            scores[0] = -math.inf      # never write <unk>
            if temperature is None:
                i = int(scores.argmax())
            else:
                p = torch.softmax(scores / temperature, dim=0)
                i = int(torch.multinomial(p, 1, generator=generator))
            text += vocab.itos[i]
            logits, h = model(torch.tensor([[i]]), h)
    return text


print(f"\ngreedy, from {PREFIX!r}:\n{generate(PREFIX, 36)}")
print(f"\nsampled at temperature {TEMPERATURE} (random: NumPy and PyTorch draw different numbers):")
sample = generate(PREFIX, 600, TEMPERATURE, torch.Generator().manual_seed(0))
print(sample[:1 + 72])
lines = [line for line in sample.split("\n")[:-1] if line]   # the complete lines of all 600 characters
print(f"... {sum(map(tang_data.is_couplet, lines))} of the {len(lines)} lines in 600 sampled characters "
      "have the form of a couplet")
# --8<-- [end:generate]
