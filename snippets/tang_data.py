# --8<-- [start:load]
"""The poems of lesson 7 as numbers: corpus, vocabulary, train / validation split, batches.

data/tang_poems.txt: the five-character couplets of 300 Tang Poems, one couplet per line,
a blank line between poems (data/README.md says where they come from). Plain Python: the
PyTorch program and its NumPy twin both read the data through this module, so they see
the same numbers in the same order.
"""
import math
from collections import Counter

CORPUS = "data/tang_poems.txt"
UNK = "<unk>"      # every character seen fewer than MIN_COUNT times in the training text
MIN_COUNT = 3
HELD_OUT = 10      # every 10th poem is kept for validation


def load(path=CORPUS):
    """(train_text, val_text): every HELD_OUT-th poem for validation, the others for training."""
    with open(path, encoding="utf-8") as f:
        poems = f.read().strip("\n").split("\n\n")
    val = [p for i, p in enumerate(poems) if i % HELD_OUT == HELD_OUT - 1]
    train = [p for i, p in enumerate(poems) if i % HELD_OUT != HELD_OUT - 1]
    return "\n\n".join(train) + "\n\n", "\n\n".join(val) + "\n"
# --8<-- [end:load]


# --8<-- [start:vocab]
class Vocab:
    """Characters <-> indices. Index 0 is <unk>, then every character of the training text
    seen at least MIN_COUNT times, the most frequent first."""

    def __init__(self, text, min_count=MIN_COUNT):
        counts = Counter(text)
        self.itos = [UNK] + [ch for ch, n in counts.most_common() if n >= min_count]
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}   # character -> index

    def __len__(self):
        return len(self.itos)

    def encode(self, text):
        return [self.stoi.get(ch, 0) for ch in text]

    def decode(self, ids):
        return "".join(self.itos[i] for i in ids)
# --8<-- [end:vocab]


# --8<-- [start:batches]
def batches(ids, batch_size, seq_len):
    """Yield (x, y): the text as batch_size streams read side by side, seq_len at a time.

    x and y are batch_size lists of seq_len indices; y is x one character later (the targets).
    Stream b is the b-th of batch_size equal parts of the text, so every chunk goes on from
    the one before it, row by row: the hidden state at the end of a chunk is the right start
    for the next one.
    """
    n = (len(ids) - 1) // batch_size                        # characters per stream
    streams = [ids[b * n:(b + 1) * n + 1] for b in range(batch_size)]
    for start in range(0, n, seq_len):
        end = min(start + seq_len, n)
        yield [s[start:end] for s in streams], [s[start + 1:end + 1] for s in streams]
# --8<-- [end:batches]


# --8<-- [start:form]
FORM = "\n，。？！；"   # what gives a poem its shape: line breaks and punctuation
KINDS = ("character", UNK, "line break or punctuation")   # what a character is to a poem: kind()
ENDS = "。？！；"      # how the second half of a couplet ends


def kind(ch):
    """What a character is to a poem: part of its form (line break, punctuation), unknown, or a character."""
    return "line break or punctuation" if ch in FORM else UNK if ch == UNK else "character"


def perplexity_by_kind(targets, losses, vocab):
    """{kind: (positions, perplexity)}: exp(mean loss) over the positions whose target is of that kind.

    targets: the next characters' indices; losses: -log p(target) at each position."""
    groups = {}
    for target, loss in zip(targets, losses):
        groups.setdefault(kind(vocab.itos[target]), []).append(loss)
    return {k: (len(v), math.exp(sum(v) / len(v))) for k, v in groups.items()}


def first_choices(targets, firsts, vocab):
    """{kind: positions}: what the model ranks first (firsts: an index per position) where the next
    character (targets) is a character of the poem, neither form nor <unk>."""
    return Counter(kind(vocab.itos[first]) for target, first in zip(targets, firsts)
                   if kind(vocab.itos[target]) == "character")


def is_couplet(line):
    """Whether a line has the form of the corpus: five characters, a comma, five characters, a stop."""
    halves = line[:5] + line[6:11]
    return len(line) == 12 and line[5] == "，" and line[11] in ENDS and not any(ch in FORM for ch in halves)
# --8<-- [end:form]
