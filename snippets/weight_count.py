"""Count the weights of a convolution and of a fully connected layer.

A 5x5 convolution from 128 to 64 channels versus a dense layer from 4096 to
1024 features. Biases are left out so that only the weights are counted.
"""
import torch

torch.manual_seed(0)


def count(layer):
    """Total number of numbers stored in the layer's parameters."""
    return sum(p.numel() for p in layer.parameters())


conv = torch.nn.Conv2d(128, 64, kernel_size=5, bias=False)  # weight: (64, 128, 5, 5)
dense = torch.nn.Linear(4096, 1024, bias=False)             # weight: (1024, 4096)

n_conv = count(conv)
n_dense = count(dense)

print("conv  weight shape:", list(conv.weight.shape))
print("dense weight shape:", list(dense.weight.shape))
print(f"conv  weights: 128 * 5**2 * 64 = {n_conv:,}")
print(f"dense weights: 4096 * 1024     = {n_dense:,}")
print(f"dense / conv: {n_dense / n_conv:.1f}x")

# The convolution's count does not depend on the image size:
# the same kernel scans a 32x32 image and a 64x64 image.
for side in (32, 64):
    image = torch.zeros(1, 128, side, side)
    print(f"image {side}x{side}: output {list(conv(image).shape)}, weights still {count(conv):,}")
