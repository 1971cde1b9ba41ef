"""The typed answers of the exercises: every number or text written into a quiz's data-answer, derived here
from the lesson's own code, so that no answer is trusted because someone typed it.

A shape or a parameter count needs nothing here: the quiz computes it from its data-config (rnn-shapes.js,
checked against torch by book/quizzes.py). A quiz with `data-answer` on a `number` or `text` quiz needs an entry
in TYPED, keyed by (lesson slug, exercise number): a function of the book that returns the answer. The lesson
checker (`make check`) runs each one and compares it with the page's answer (within data-tolerance).
"""
import math

from . import snippets, weights


def hello_rnn_with_lr_0_1(book):
    """Lesson 4, exercise 2: hello_rnn.py with lr=0.1 instead of 0.05; the loss it prints last."""
    path = book.snippets / "hello_rnn.py"
    source = path.read_text(encoding="utf-8")
    assert source.count("lr=0.05") == 1, f"{path.name} no longer sets lr=0.05 once"
    out = snippets.run(book, path, source=source.replace("lr=0.05", "lr=0.1"))
    return float(out.strip().splitlines()[-1].rsplit("=", 1)[1])


def lesson5_parameters(book):
    """Lesson 5, exercise 2: how many numbers the model of hello_embedding.py learns."""
    _, model, _ = weights.train(book, book.snippets / "hello_embedding.py")
    return sum(p.numel() for p in model.parameters())


def tang_vocabulary_size(book):
    """Lesson 7, exercise 1: the perplexity of a uniform guess is the size of the vocabulary."""
    code = "import tang_data\nprint(len(tang_data.Vocab(tang_data.load()[0])))\n"
    return int(snippets.run(book, book.snippets / "tang_data.py", source=code))


def clip_factor(book, norm=5.0, max_norm=1.0):
    """Lesson 7, exercise 3: clip_grad_norm_'s factor, max_norm / (norm + 1e-6), capped at 1."""
    import torch
    grad = torch.zeros(1)
    grad[0] = norm                                   # one gradient of norm 5, clipped as the lesson's loop does
    p = torch.nn.Parameter(torch.zeros(1))
    p.grad = grad.clone()
    torch.nn.utils.clip_grad_norm_([p], max_norm)
    factor = (p.grad / grad).item()
    assert math.isclose(factor, min(max_norm / (norm + 1e-6), 1.0), rel_tol=1e-6)   # the formula the answer gives
    return factor


# (lesson slug, exercise number) -> the answer, from the lesson's code
TYPED = {
    ("04-hello-ohlol", 2): hello_rnn_with_lr_0_1,
    ("04-hello-ohlol", 3): lambda book: len(["e", "h", "l", "o"]),                  # one score per class
    ("05-embedding", 2): lesson5_parameters,
    ("05-embedding", 3): lambda book: "".join("ehlo"[i] for i in [3, 1, 2, 2, 3]),   # the notes' labels
    ("07-text-generation", 1): tang_vocabulary_size,
    ("07-text-generation", 3): clip_factor,
}
