"""Numbers the pages state in prose that no snippet prints, each derived from code here.

tests/test_site.py checks the numbers quoted in prose against them. (The exercises' typed answers are derived in
book/answers.py, which the lesson checker runs.)
"""
import functools
import math
import re

import recall_task
from book import answers, snippets
from conftest import BOOK


@functools.cache
def tang_rnn_with(old, new):
    """What lesson 7's snippets/tang_rnn.py prints with `old` (once in it) replaced by `new`: a run a page states."""
    path = BOOK.snippets / "tang_rnn.py"
    source = path.read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    return snippets.run(BOOK, path, source=source.replace(old, new))


def last_epoch(printed):
    """{"train": ..., "validation": ...}: the perplexities of the last epoch that tang_rnn.py printed."""
    last = [line for line in printed.splitlines() if line.startswith("epoch")][-1]
    return {k: float(v) for k, v in re.findall(r"(train|validation) perplexity\s+([\d.]+)", last)}


THIRTY_EPOCHS = ("EPOCHS = 12", "EPOCHS = 30")                        # lesson 7: overfitting, plain to see
GRU = ("torch.nn.RNN(E, H, batch_first=True)", "torch.nn.GRU(E, H, batch_first=True)")   # lesson 8, exercise 6


def sigmoid(a):
    return 1 / (1 + math.exp(-a))


def loss_per_step_of_hello_rnncell():
    """Lesson 4: the RNNCell program's last loss is a sum over the 5 steps; per step, it is this."""
    printed = (BOOK.outputs / "hello_rnncell.txt").read_text(encoding="utf-8")
    return float(printed.strip().splitlines()[-1].rsplit("=", 1)[1]) / len("hello")


def hello_rnn_furthest_move():
    """Lesson 4: Adam moves a weight by about lr per step at most; over hello_rnn.py's epochs, this far."""
    source = (BOOK.snippets / "hello_rnn.py").read_text(encoding="utf-8")
    return int(re.search(r"range\((\d+)\)", source)[1]) * float(re.search(r"lr=([\d.]+)", source)[1])


def fortunes_version():
    """Lesson 7: the version of Debian's fortunes-zh the corpus comes from, as its provenance records it."""
    return re.search(r"package `fortunes-zh` (\d+\.\d+)", (BOOK.data / "README.md").read_text(encoding="utf-8"))[1]


# Numbers quoted in prose (4 or 2 decimals) that no snippet prints: how each is obtained. A function returns the
# number (compared as the page rounds it) or, for what is no measurement (a version), the string itself.
DERIVED = {
    "0.2395": lambda: -math.log(math.e / (math.e + 2 / math.e)),  # best loss when scores are in (-1, 1)
    "1.0986": lambda: math.log(3),                                 # loss of three equal scores
    "0.3678": lambda: answers.hello_rnn_with_lr_0_1(BOOK),
    "0.37": loss_per_step_of_hello_rnncell,                        # lesson 4: 1.8388 over 5 steps
    "0.75": hello_rnn_furthest_move,                               # lesson 4: 15 Adam steps of lr=0.05
    "2.98": fortunes_version,
    "8.76": lambda: last_epoch(tang_rnn_with(*THIRTY_EPOCHS))["train"],
    "69.83": lambda: last_epoch(tang_rnn_with(*THIRTY_EPOCHS))["validation"],
    "38.23": lambda: last_epoch(tang_rnn_with(*GRU))["train"],
    "48.18": lambda: last_epoch(tang_rnn_with(*GRU))["validation"],
    "0.95": lambda: sigmoid(recall_task.KEEP),                     # lesson 8: a gate started at "keep"
    "0.05": lambda: sigmoid(-recall_task.KEEP),                    # ... and the LSTM's input gate
    "0.02": lambda: sigmoid(recall_task.KEEP) ** 80,               # ... kept for 80 steps
    "0.73": lambda: sigmoid(1),                                    # lesson 8: a forget gate's bias + 1
    "1.39": lambda: math.log(recall_task.SYMBOLS),                 # lesson 8: a uniform guess among 4 symbols
}
