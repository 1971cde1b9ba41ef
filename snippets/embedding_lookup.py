"""An embedding lookup is a one-hot row vector times the embedding matrix.

emb.weight:        (num_embeddings, embedding_dim) = (4, 10)
one_hot(2):        (1, 4)
one_hot(2) @ W:    (1, 10)  = row 2 of W = emb(tensor([2]))
"""
import torch

torch.manual_seed(0)
emb = torch.nn.Embedding(4, 10)  # 4 tokens, each mapped to 10 learnable numbers
W = emb.weight                   # the lookup table, (4, 10)

index = torch.tensor([2])        # int64 (LongTensor) index of the token 'l'
looked_up = emb(index)           # (1, 10): row 2 of W

# the same row by matrix product: (1, 4) @ (4, 10) -> (1, 10)
one_hot = torch.nn.functional.one_hot(index, num_classes=4).float()  # [[0., 0., 1., 0.]]
product = one_hot @ W

torch.set_printoptions(precision=4, linewidth=72)
print("W shape:", tuple(W.shape))
print("one_hot(2):", one_hot)
print("emb(tensor([2])):")
print(looked_up.detach())
print("one_hot(2) @ W:")
print(product.detach())
print("equal:", torch.equal(looked_up, product), " allclose:", torch.allclose(looked_up, product))

try:
    emb(torch.tensor([2.0]))  # a float index is not a row number
except (RuntimeError, IndexError) as err:
    message = str(err).split(";")[0]  # the first clause is enough
    print("float index ->", type(err).__name__)
    print(" ", message)
