"""A first program for the Run button: plain Python, nothing to install.

A pretend training loop: each "epoch" takes the loss 40% of the way down to
0.1, and prints it as `loss = ...`, so the page draws the loss curve as the
lines arrive. Change the numbers (or the rate) and run it again.
"""
word = "hello"
target = "ohlol"
print(f"Learning to turn {word!r} into {target!r}")

start = 1.4     # the loss before training
rate = 0.4      # share of the way down to the floor (0.1) covered each epoch
loss = start
for epoch in range(1, 16):
    loss = loss - rate * (loss - 0.1)   # one pretend epoch of training
    bar = "#" * round(loss * 20)
    print(f"Epoch [{epoch:2d}/15] loss = {loss:.4f} {bar}")

print(f"Done: the loss fell from {start:.4f} to {loss:.4f}")
