"""Lesson 7: how well counting characters predicts the next one, the perplexities to beat.

Perplexity = exp(mean of -log p(next character)) over the validation text: on average, the
model is as unsure as if it picked uniformly among that many characters.
"""
import math
from collections import Counter

import tang_data

train_text, val_text = tang_data.load()
vocab = tang_data.Vocab(train_text)
train, val = vocab.encode(train_text), vocab.encode(val_text)
V = len(vocab)

unigram = Counter(train)                 # how often each character occurs
bigram = Counter(zip(train, train[1:]))  # how often b follows a


def p_unigram(b):
    """p(b), add-one smoothed: a character never seen still gets a little probability."""
    return (unigram[b] + 1) / (len(train) + V)


def p_bigram(a, b):
    """p(b | a): half what followed a in training, half p(b) (every a occurs in training)."""
    return 0.5 * bigram[(a, b)] / unigram[a] + 0.5 * p_unigram(b)


def losses(p):
    """-log p(next character) at each position of the validation text, for a model p(a, b) = p(b | a)."""
    return [-math.log(p(a, b)) for a, b in zip(val, val[1:])]   # (character, the one after it)


def perplexity(p):
    return math.exp(sum(losses(p)) / (len(val) - 1))


models = {"unigram": lambda a, b: p_unigram(b), "bigram": p_bigram}
print(f"uniform over {V} characters: perplexity {V}")
for name, p in models.items():
    print(f"{name + ':':9s}perplexity {perplexity(p):.2f}")

print("\nby what the next character is:" + "".join(f"{name:>9}" for name in models))
split = {name: tang_data.perplexity_by_kind(val[1:], losses(p), vocab) for name, p in models.items()}
for kind in tang_data.KINDS:
    print(f"  {kind:29s}" + "".join(f"{split[name][kind][1]:9.1f}" for name in models))
