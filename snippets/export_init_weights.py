"""Write the initial weights of the three seeded PyTorch models to snippets/data/*.json.

NumPy cannot draw torch's random numbers, so the NumPy twins of the lessons
(np_hello_*.py) start from these files and then train exactly like the
PyTorch programs (hello_*.py). Each model is rebuilt as its lesson builds it:
torch.manual_seed(0), then the model is the first random thing made.

    python snippets/export_init_weights.py

The files are {state_dict key: nested list}. A float32 written as the float64
it converts to (float(x)) reads back as the very same float32.
tests/test_numpy_loops.py checks that the files are still what this writes.
"""
import json
from pathlib import Path

import torch

DATA = Path(__file__).resolve().parent / "data"


def hello_rnncell():
    """Lesson 4a: one RNNCell, 4 one-hot inputs -> 3 hidden units (= 3 output classes)."""
    torch.manual_seed(0)
    return torch.nn.RNNCell(input_size=4, hidden_size=3)


def hello_rnn():
    """Lesson 4b: the same task with nn.RNN over the whole sequence."""
    torch.manual_seed(0)
    return torch.nn.RNN(input_size=4, hidden_size=3, num_layers=1)


class HelloEmbedding(torch.nn.Module):
    """Lesson 5: Embedding(4, 10) -> 2-layer RNN(10, 8) -> Linear(8, 4)."""

    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(4, 10)
        self.rnn = torch.nn.RNN(10, 8, num_layers=2, batch_first=True)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        hidden = torch.zeros(2, x.size(0), 8)
        x = self.emb(x)
        x, _ = self.rnn(x, hidden)
        x = self.fc(x)
        return x.view(-1, 4)


def hello_embedding():
    torch.manual_seed(0)
    return HelloEmbedding()


MODELS = {
    "hello_rnncell_init.json": hello_rnncell,
    "hello_rnn_init.json": hello_rnn,
    "hello_embedding_init.json": hello_embedding,
}


def to_json(model):
    """The model's state_dict as JSON text, one matrix row per line."""
    entries = []
    for name, tensor in model.state_dict().items():
        value = tensor.tolist()  # float32 -> Python floats, exactly
        if tensor.dim() == 2:
            rows = ",\n    ".join(json.dumps(row) for row in value)
            text = f"[\n    {rows}\n  ]"
        else:
            text = json.dumps(value)
        entries.append(f"  {json.dumps(name)}: {text}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    for filename, build in MODELS.items():
        (DATA / filename).write_text(to_json(build()))
        print(f"wrote snippets/data/{filename}")
