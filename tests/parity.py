"""What the tests of the book's NumPy library against torch share (test_numpy_nn.py, test_numpy_gates.py).

torch in float64 is the reference: a NumPy module gets a torch module's weights (twin), both run forward
and backward, and outputs and every gradient must agree to rounding (close, same_grads).
"""
import numpy as np
import torch

RTOL, ATOL = 1e-10, 1e-12  # float64 against float64: only rounding may differ
LAYOUTS = [("time_first", 1), ("time_first", 3), ("batch_first", 1), ("batch_first", 3), ("unbatched", None)]


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def T(array, grad=False):
    """A float64 torch tensor of `array` (a leaf that wants its gradient if grad)."""
    return torch.tensor(array, dtype=torch.float64, requires_grad=grad)


def close(actual, expected):
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    assert np.shape(actual) == np.shape(expected)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


def twin(torch_module, np_module):
    """Give np_module torch_module's weights (torch in float64)."""
    torch_module.double()
    np_module.load_state_dict({k: v.numpy() for k, v in torch_module.state_dict().items()})
    return torch_module, np_module


def same_grads(np_module, torch_module):
    torch_params = dict(torch_module.named_parameters())
    names = [name for name, _ in np_module.named_parameters()]
    assert names == list(torch_params)
    for name, p in np_module.named_parameters():
        close(p.grad, torch_params[name].grad)


def shapes(layout, batch, seq_len, I, H, num_layers):
    """(x's shape, h0's shape) of a recurrent layer called in `layout` (one of LAYOUTS' names)."""
    x_shape = {"time_first": (seq_len, batch, I), "batch_first": (batch, seq_len, I),
               "unbatched": (seq_len, I)}[layout]
    h_shape = (num_layers, H) if layout == "unbatched" else (num_layers, batch, H)
    return x_shape, h_shape


def cell_loop_matches(t_cell, n_cell, I, H, batch, steps, give_h):
    """A cell whose state is h alone (RNNCell, GRUCell): T forward steps in a loop, undone by T backward
    calls, last step first; every h_t, dx_t, dh_0 and parameter gradient as torch's. batch None: unbatched."""
    lead = () if batch is None else (batch,)
    xs, h0 = rand(steps, *lead, I, seed=1), rand(*lead, H, seed=2)
    dhs = rand(steps, *lead, H, seed=3)  # dL/dh_t from outside the recurrence, one per step
    xs_t, h0_t = T(xs, grad=True), T(h0, grad=True)

    h_t, h = (h0_t, h0) if give_h else (None, None)
    loss = 0
    for t in range(steps):
        h_t = t_cell(xs_t[t], h_t)
        h = n_cell(xs[t], h)
        close(h, h_t)
        loss = loss + (h_t * T(dhs[t])).sum()
    loss.backward()

    dh, dxs = np.zeros_like(dhs[0]), []
    for t in reversed(range(steps)):
        dx, dh = n_cell.backward(dh + dhs[t])
        dxs.insert(0, dx)
    close(np.array(dxs), xs_t.grad)
    if give_h:
        close(dh, h0_t.grad)
    same_grads(n_cell, t_cell)
