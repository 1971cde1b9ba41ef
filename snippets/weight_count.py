"""Count the weights of a convolution and of a fully connected layer.

A 5x5 convolution from 128 to 64 channels versus a dense layer from 4096 to
1024 features; then a dense layer doing the convolution's own job on a
32x32 image. Biases are left out so that only the weights are counted.
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

# Like for like: a dense layer doing the convolution's job on the 32x32 image
# maps the whole input map (C_in * H * W numbers) to the whole output map
# (C_out * H' * W' numbers). device="meta" builds it with shapes only: its
# weights would take about 26 GB of memory.
image = torch.zeros(1, 128, 32, 32)
in_features = image[0].numel()         # 128 * 32 * 32
out_features = conv(image)[0].numel()  # 64 * 28 * 28
same_job = torch.nn.Linear(in_features, out_features, bias=False, device="meta")
n_same_job = count(same_job)
print(f"dense, same job on 32x32: {in_features:,} * {out_features:,} = {n_same_job:,}")
print(f"dense (same job) / conv: {n_same_job / n_conv:,.0f}x")
