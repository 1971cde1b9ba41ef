"""Numbers the pages state that no snippet prints (exercise answers, limits), each derived from code here.

tests/test_site.py checks the numbers quoted in prose against them, tests/test_widgets.py the quizzes.
"""
import contextlib
import math

import tang_data
from book import snippets, weights
from conftest import BOOK


def hello_rnn_with_lr_0_1():
    """Lesson 4, exercise 2: hello_rnn.py with lr=0.1 instead of 0.05; the loss it prints last."""
    path = BOOK.snippets / "hello_rnn.py"
    source = path.read_text(encoding="utf-8")
    assert source.count("lr=0.05") == 1
    out = snippets.run(BOOK, path, source=source.replace("lr=0.05", "lr=0.1"))
    return float(out.strip().splitlines()[-1].rsplit("=", 1)[1])


def lesson5_parameters():
    """Lesson 5, exercise 2: how many numbers the model of hello_embedding.py learns."""
    _, model, _ = weights.train(BOOK, BOOK.snippets / "hello_embedding.py")
    return sum(p.numel() for p in model.parameters())


# Numbers quoted in prose with 4 decimals that no snippet prints: how each is obtained.
DERIVED = {
    "0.2395": lambda: -math.log(math.e / (math.e + 2 / math.e)),  # best loss when scores are in (-1, 1)
    "1.0986": lambda: math.log(3),                                 # loss of three equal scores
    "0.3678": hello_rnn_with_lr_0_1,
}


def tang_vocabulary_size():
    """Lesson 7, exercise 1: the perplexity of a uniform guess is the size of the vocabulary."""
    with contextlib.chdir(BOOK.snippets):
        return len(tang_data.Vocab(tang_data.load()[0]))


def clip_factor(norm=5.0, max_norm=1.0):
    """Lesson 7, exercise 3: clip_grad_norm_'s factor, max_norm / (norm + 1e-6), capped at 1."""
    return min(max_norm / (norm + 1e-6), 1.0)
