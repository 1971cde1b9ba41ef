"""Lesson 8's long-range task: name the first symbol of a sequence after N distractors.

A sequence has N + 1 steps, each one-hot over INPUT_SIZE = 8 symbols: at t = 0 one of the
SYMBOLS 0..3 (the one to remember), then N distractors drawn from the other four, 4..7.
After the last step the model must say which symbol came first: chance is 1 in 4. Plain
NumPy: the PyTorch programs and the NumPy twin draw the same sequences from the same seed.
"""
import numpy as np

SYMBOLS, DISTRACTORS = 4, 4             # what to remember, what comes in between
INPUT_SIZE = SYMBOLS + DISTRACTORS       # the one-hot width of every step
KEEP = 3.0                               # a gate bias: sigmoid(3) = 0.95 of the state kept per step


def batch(rng, batch_size, N):
    """batch_size sequences -> x: (N + 1, batch_size, INPUT_SIZE) float64 one-hot, y: (batch_size,) int64.

    rng: a np.random.Generator; y is the first symbol of each sequence."""
    y = rng.integers(0, SYMBOLS, size=batch_size)                     # what to remember
    distractors = rng.integers(SYMBOLS, INPUT_SIZE, size=(N, batch_size))
    symbols = np.concatenate([y[None, :], distractors])                # (N + 1, batch_size)
    return np.eye(INPUT_SIZE)[symbols], y


def remember(kind, named_parameters, hidden_size):
    """Start a gated cell's gates at "keep the state": add KEEP to the bias of the GRU's update
    gate z (h_t = (1 - z) n + z h_{t-1}), or to the LSTM's forget gate f and -KEEP to its input
    gate i (c_t = f c_{t-1} + i g). An RNN has no gate: nothing changes.

    named_parameters: (name, parameter) pairs of a torch or numpy_nn GRU/LSTM layer or of a model
    holding one, whose .data is changed in place (bias_ih_l0, ...: rows r, z, n for the GRU, i, f, g, o
    for the LSTM)."""
    H = hidden_size
    for name, p in named_parameters:
        if not name.rsplit(".", 1)[-1].startswith("bias_ih"):
            continue
        if kind == "GRU":
            p.data[H:2 * H] += KEEP      # z: keep h_{t-1}
        elif kind == "LSTM":
            p.data[:H] -= KEEP           # i: write little new
            p.data[H:2 * H] += KEEP      # f: keep c_{t-1}
