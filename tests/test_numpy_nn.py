"""snippets/numpy_nn.py against PyTorch: the same module in torch float64 is the reference.

Each test builds a torch module, copies its weights into the NumPy one with
load_state_dict, runs both forward and backward, and compares the outputs and
every gradient (inputs, h0, all parameters).
"""
import itertools
import math

import numpy as np
import pytest
import torch

import numpy_nn as nn  # snippets/numpy_nn.py (pytest.ini: pythonpath)
from parity import LAYOUTS, T, cell_loop_matches, close, rand, same_grads, shapes, twin

ADAM_STEPS = 100


# --- RNN ---------------------------------------------------------------------------------------------------
RNN_CASES = list(itertools.product(LAYOUTS, [1, 4], [1, 2, 3], ["tanh", "relu"], [True, False],
                                   [True, False], [True, False]))


@pytest.mark.parametrize("layout_batch, seq_len, num_layers, nonlinearity, bias, give_h0, give_dh_n", RNN_CASES)
def test_rnn_matches_torch(layout_batch, seq_len, num_layers, nonlinearity, bias, give_h0, give_dh_n):
    layout, batch = layout_batch
    I, H = 3, 5
    kwargs = dict(num_layers=num_layers, nonlinearity=nonlinearity, bias=bias, batch_first=layout == "batch_first")
    t_rnn, n_rnn = twin(torch.nn.RNN(I, H, **kwargs), nn.RNN(I, H, **kwargs))
    x_shape, h_shape = shapes(layout, batch, seq_len, I, H, num_layers)
    x, h0 = rand(*x_shape, seed=1), rand(*h_shape, seed=2)
    x_t, h0_t = T(x, grad=True), T(h0, grad=True)

    out_t, h_n_t = t_rnn(x_t, h0_t) if give_h0 else t_rnn(x_t)
    out, h_n = n_rnn(x, h0) if give_h0 else n_rnn(x)
    close(out, out_t)
    close(h_n, h_n_t)

    dout, dh_n = rand(*out.shape, seed=3), rand(*h_n.shape, seed=4)
    torch.autograd.backward([out_t, h_n_t], [T(dout), T(dh_n if give_dh_n else np.zeros_like(dh_n))])
    dx, dh0 = n_rnn.backward(dout, dh_n) if give_dh_n else n_rnn.backward(dout)
    close(dx, x_t.grad)
    if give_h0:
        close(dh0, h0_t.grad)
    same_grads(n_rnn, t_rnn)


# --- RNNCell -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("batch, steps, nonlinearity, bias, give_h",
                         itertools.product([None, 1, 3], [1, 4], ["tanh", "relu"], [True, False], [True, False]))
def test_rnncell_loop_matches_torch(batch, steps, nonlinearity, bias, give_h):
    """T forward steps in a loop, undone by T backward calls, last step first."""
    I, H = 4, 3
    cell_loop_matches(*twin(torch.nn.RNNCell(I, H, bias=bias, nonlinearity=nonlinearity),
                            nn.RNNCell(I, H, bias=bias, nonlinearity=nonlinearity)), I, H, batch, steps, give_h)


# --- Linear, Embedding, CrossEntropyLoss -------------------------------------------------------------------
@pytest.mark.parametrize("x_shape", [(3,), (5, 3), (2, 5, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(x_shape, bias):
    t_fc, n_fc = twin(torch.nn.Linear(3, 4, bias=bias), nn.Linear(3, 4, bias=bias))
    x = rand(*x_shape)
    x_t = T(x, grad=True)
    y_t, y = t_fc(x_t), n_fc(x)
    close(y, y_t)
    dy = rand(*y.shape, seed=1)
    y_t.backward(T(dy))
    close(n_fc.backward(dy), x_t.grad)
    same_grads(n_fc, t_fc)


@pytest.mark.parametrize("indices", [3, [1, 1, 1], [[1, 0, 2, 2, 3], [3, 3, 0, 1, 1]]])
def test_embedding_matches_torch(indices):
    """Repeated indices: their gradients add up in the same row."""
    t_emb, n_emb = twin(torch.nn.Embedding(5, 6), nn.Embedding(5, 6))
    y_t, y = t_emb(torch.tensor(indices)), n_emb(np.array(indices))
    assert y.shape == np.shape(indices) + (6,)
    close(y, y_t)
    dy = rand(*y.shape, seed=1)
    y_t.backward(T(dy))
    assert n_emb.backward(dy) is None
    same_grads(n_emb, t_emb)


@pytest.mark.parametrize("N, C, scale", [(1, 3, 1), (5, 4, 1), (7, 10, 1000)])
def test_cross_entropy_matches_torch(N, C, scale):
    """scale=1000: logits that would overflow a naive exp."""
    logits, target = scale * rand(N, C), np.random.default_rng(1).integers(0, C, size=N)
    logits_t = T(logits, grad=True)
    loss_t = torch.nn.CrossEntropyLoss()(logits_t, torch.tensor(target))
    criterion = nn.CrossEntropyLoss()
    loss = criterion(logits, target)
    close(loss, loss_t)
    loss_t.backward()
    close(criterion.backward(), logits_t.grad)


# --- Adam ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, dict(lr=0.05), dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6)])
def test_adam_matches_torch(kwargs):
    shapes = [(3, 4), (3,), (2, 2)]
    params = [nn.Parameter(rand(*s, seed=i)) for i, s in enumerate(shapes)]
    params_t = [torch.nn.Parameter(T(p.data)) for p in params]
    adam, adam_t = nn.Adam(params, **kwargs), torch.optim.Adam(params_t, **kwargs)
    rng = np.random.default_rng(7)
    for _ in range(ADAM_STEPS):
        adam.zero_grad()
        adam_t.zero_grad()
        for p, p_t in zip(params, params_t):
            g = rng.standard_normal(p.data.shape)
            p.grad += g
            p_t.grad = T(g)
        adam.step()
        adam_t.step()
    for p, p_t in zip(params, params_t):
        close(p.data, p_t)


def test_gradients_accumulate_until_zero_grad():
    fc = nn.Linear(3, 2)
    x, dy = rand(4, 3), rand(4, 2, seed=1)
    fc(x)
    fc.backward(dy)
    once = fc.weight.grad.copy()
    fc(x)
    fc.backward(dy)
    close(fc.weight.grad, 2 * once)
    fc.zero_grad()
    assert not fc.weight.grad.any()


def test_float32_stays_float32():
    rnn = nn.RNN(4, 3, num_layers=2, dtype=np.float32)
    out, h_n = rnn(rand(5, 1, 4))
    assert out.dtype == h_n.dtype == np.float32
    dx, dh0 = rnn.backward(np.ones_like(out))
    assert dx.dtype == dh0.dtype == np.float32
    adam = nn.Adam(rnn.parameters())
    adam.step()
    assert all(p.data.dtype == p.grad.dtype == np.float32 for p in rnn.parameters())


# --- names, state_dict ---------------------------------------------------------------------------------------
class TorchNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(4, 10)
        self.rnn = torch.nn.RNN(10, 8, num_layers=2, batch_first=True)
        self.fc = torch.nn.Linear(8, 4, bias=False)
        self.scale = torch.nn.Parameter(torch.ones(4))  # set last, listed first (own parameters first)


class NumpyNet(nn.Module):
    def __init__(self):
        self.emb = nn.Embedding(4, 10)
        self.rnn = nn.RNN(10, 8, num_layers=2, batch_first=True)
        self.fc = nn.Linear(8, 4, bias=False)
        self.scale = nn.Parameter(np.ones(4))


def test_named_parameters_are_torch_state_dict_keys():
    names = [name for name, _ in NumpyNet().named_parameters()]
    assert names == list(TorchNet().state_dict())
    assert names[:3] == ["scale", "emb.weight", "rnn.weight_ih_l0"]
    assert list(NumpyNet().state_dict()) == names


def test_load_state_dict_round_trip():
    net, other = NumpyNet(), NumpyNet()
    other.load_state_dict(net.state_dict())
    for (_, p), (_, q) in zip(net.named_parameters(), other.named_parameters()):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("rnn.bias_hh_l1"), r"missing keys \['rnn.bias_hh_l1'\]"),
    (lambda s: s.update({"fc.bias": np.zeros(4)}), r"unexpected keys \['fc.bias'\]"),
    (lambda s: s.update({"emb.weight": np.zeros((10, 4))}),
     r"size mismatch for emb.weight: expected shape \(4, 10\), got \(10, 4\)"),
])
def test_load_state_dict_rejects_bad_keys(change, message):
    net = NumpyNet()
    state = net.state_dict()
    change(state)
    before = net.emb.weight.data.copy()
    with pytest.raises(RuntimeError, match=message):
        net.load_state_dict(state)
    np.testing.assert_array_equal(net.emb.weight.data, before)  # nothing copied


# --- bad input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.RNN(4, 3)(np.zeros((5, 1, 6))), ValueError, r"last dimension 4, got shape \(5, 1, 6\)"),
    (lambda: nn.RNN(4, 3)(np.zeros(4)), ValueError, r"got shape \(4,\)"),
    (lambda: nn.RNN(4, 3, num_layers=2)(np.zeros((5, 1, 4)), np.zeros((1, 1, 3))), ValueError,
     r"expected h0 of shape \(2, 1, 3\), got \(1, 1, 3\)"),
    (lambda: nn.RNN(4, 3)(np.zeros((5, 4)), np.zeros((1, 1, 3))), ValueError,
     r"expected h0 of shape \(1, 3\)"),
    (lambda: nn.RNNCell(4, 3)(np.zeros((2, 5))), ValueError, r"last dimension 4, got shape \(2, 5\)"),
    (lambda: nn.RNNCell(4, 3)(np.zeros((2, 4)), np.zeros((1, 3))), ValueError,
     r"expected h of shape \(2, 3\), got \(1, 3\)"),
    (lambda: nn.RNNCell(4, 3, nonlinearity="sigmoid"), ValueError, "'tanh' or 'relu'"),
    (lambda: nn.Linear(3, 2)(np.zeros((4, 2))), ValueError, r"last dimension 3, got shape \(4, 2\)"),
    (lambda: nn.Embedding(4, 2)([1, 7, 2]), IndexError, "index 7 is out of range"),
    (lambda: nn.Embedding(4, 2)([[0, -1]]), IndexError, "index -1 is out of range"),
    (lambda: nn.Embedding(4, 2)([0.0, 1.0]), TypeError, "must be integers, got dtype float64"),
    (lambda: nn.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3])), IndexError, "3 classes"),
    (lambda: nn.Linear(3, 2).backward(np.zeros(2)), RuntimeError, "more times than forward"),
])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- initialisation --------------------------------------------------------------------------------------------
def test_init_follows_torch_distributions():
    nn.manual_seed(0)
    H = 50
    bound = 1 / np.sqrt(H)
    for module in (nn.RNN(20, H, num_layers=2), nn.RNNCell(20, H)):
        for name, p in module.named_parameters():
            assert np.abs(p.data).max() <= bound, name
            if p.data.ndim == 2:
                assert np.abs(p.data).max() > 0.95 * bound, name  # uniform over the whole interval
    fc = nn.Linear(40, 10)
    for p in fc.parameters():
        assert np.abs(p.data).max() <= 1 / np.sqrt(40)
    w = nn.Embedding(1000, 100).weight.data  # N(0, 1)
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01


def test_seeding_repeats_weights():
    nn.manual_seed(3)
    a = nn.RNN(4, 3).state_dict()
    nn.manual_seed(3)
    b = nn.RNN(4, 3).state_dict()
    c = nn.RNN(4, 3, rng=np.random.default_rng(3)).state_dict()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
        np.testing.assert_array_equal(a[name], c[name])


# --- clip_grad_norm_, no_grad, double ----------------------------------------------------------------------------
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 1.0, 1e3])     # 1e3: under the limit, nothing is scaled
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    shapes = [(3, 4), (4,), (2, 5, 3)]
    params = [nn.Parameter(rand(*s, seed=i)) for i, s in enumerate(shapes)]
    params_t = [torch.nn.Parameter(T(p.data)) for p in params]
    for i, (p, p_t) in enumerate(zip(params, params_t)):
        g = rand(*p.data.shape, seed=10 + i)
        p.grad[...] = g
        p_t.grad = T(g)
    norm = nn.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    norm_t = torch.nn.utils.clip_grad_norm_(params_t, max_norm, norm_type=norm_type)
    close(norm, norm_t)
    for p, p_t in zip(params, params_t):
        close(p.grad, p_t.grad)
    assert (norm > max_norm) == (max_norm < 1e3)               # the grid has both cases


def test_no_grad_keeps_nothing_for_backward():
    rnn, fc = nn.RNN(3, 4, num_layers=2), nn.Linear(4, 2)
    x = rand(5, 1, 3)
    with nn.no_grad():
        y_eval = fc(rnn(x)[0])
    assert not rnn._cache and not fc._cache
    y = fc(rnn(x)[0])                                           # outside: kept, and the same numbers
    np.testing.assert_array_equal(y, y_eval)
    assert len(rnn._cache) == len(fc._cache) == 1


def test_double_is_torch_double():
    t_rnn, n_rnn = torch.nn.RNN(3, 4), nn.RNN(3, 4, dtype=np.float32)
    n_rnn.load_state_dict({k: v.numpy() for k, v in t_rnn.state_dict().items()})   # float32 weights
    assert n_rnn.double() is n_rnn
    t_rnn.double()
    for (name, p), (_, p_t) in zip(n_rnn.named_parameters(), t_rnn.named_parameters()):
        assert p.data.dtype == p.grad.dtype == np.float64, name
        np.testing.assert_array_equal(p.data, p_t.detach().numpy())
    out, _ = n_rnn(rand(5, 1, 3))
    assert out.dtype == np.float64
