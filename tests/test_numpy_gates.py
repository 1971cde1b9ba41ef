"""snippets/numpy_gates.py against PyTorch: the same module in torch float64 is the reference.

As in test_numpy_nn.py: each test builds a torch module, copies its weights into the NumPy
one with load_state_dict, runs both forward and backward, and compares the outputs and every
gradient (inputs, h0, c0, all parameters).
"""
import itertools

import numpy as np
import pytest
import torch

import numpy_gates as ng  # snippets/numpy_gates.py (pytest.ini: pythonpath)
import numpy_nn as nn
import parity
from parity import LAYOUTS, T, cell_loop_matches, close, rand, same_grads, shapes

TORCH = {ng.GRU: torch.nn.GRU, ng.LSTM: torch.nn.LSTM, ng.GRUCell: torch.nn.GRUCell, ng.LSTMCell: torch.nn.LSTMCell}


# --- helpers (and parity.py's) -------------------------------------------------------------------------
def twin(cls, *args, **kwargs):
    """(torch module in float64, NumPy module with its weights), both built with the same arguments."""
    return parity.twin(TORCH[cls](*args, **kwargs), cls(*args, **kwargs))


# --- GRU, LSTM: the grid -----------------------------------------------------------------------------------
GRID = list(itertools.product(LAYOUTS, [1, 4], [1, 2, 3], [True, False], [True, False]))


@pytest.mark.parametrize("give_dh_n", [True, False])
@pytest.mark.parametrize("layout_batch, seq_len, num_layers, bias, give_h0", GRID)
def test_gru_matches_torch(layout_batch, seq_len, num_layers, bias, give_h0, give_dh_n):
    (layout, batch), I, H = layout_batch, 3, 5
    t_gru, n_gru = twin(ng.GRU, I, H, num_layers=num_layers, bias=bias, batch_first=layout == "batch_first")
    x_shape, h_shape = shapes(layout, batch, seq_len, I, H, num_layers)
    x, h0 = rand(*x_shape, seed=1), rand(*h_shape, seed=2)
    x_t, h0_t = T(x, grad=True), T(h0, grad=True)

    out_t, h_n_t = t_gru(x_t, h0_t) if give_h0 else t_gru(x_t)
    out, h_n = n_gru(x, h0) if give_h0 else n_gru(x)
    close(out, out_t)
    close(h_n, h_n_t)

    dout, dh_n = rand(*out.shape, seed=3), rand(*h_n.shape, seed=4)
    torch.autograd.backward([out_t, h_n_t], [T(dout), T(dh_n if give_dh_n else np.zeros_like(dh_n))])
    dx, dh0 = n_gru.backward(dout, dh_n) if give_dh_n else n_gru.backward(dout)
    close(dx, x_t.grad)
    if give_h0:
        close(dh0, h0_t.grad)
    assert dh0.shape == h_shape
    same_grads(n_gru, t_gru)


# dL/dh_n and dL/dc_n both given or both omitted over the whole grid; one without the other on a part of it
LSTM_GRID = [case + (give, give) for case in GRID for give in (True, False)] + \
    [(layout_batch, 4, 2, True, True, give, not give) for layout_batch in LAYOUTS for give in (True, False)]


@pytest.mark.parametrize("layout_batch, seq_len, num_layers, bias, give_state, give_dh_n, give_dc_n", LSTM_GRID)
def test_lstm_matches_torch(layout_batch, seq_len, num_layers, bias, give_state, give_dh_n, give_dc_n):
    (layout, batch), I, H = layout_batch, 3, 5
    t_lstm, n_lstm = twin(ng.LSTM, I, H, num_layers=num_layers, bias=bias, batch_first=layout == "batch_first")
    x_shape, h_shape = shapes(layout, batch, seq_len, I, H, num_layers)
    x, h0, c0 = rand(*x_shape, seed=1), rand(*h_shape, seed=2), rand(*h_shape, seed=5)
    x_t, h0_t, c0_t = T(x, grad=True), T(h0, grad=True), T(c0, grad=True)

    out_t, (h_n_t, c_n_t) = t_lstm(x_t, (h0_t, c0_t)) if give_state else t_lstm(x_t)
    out, (h_n, c_n) = n_lstm(x, (h0, c0)) if give_state else n_lstm(x)
    close(out, out_t)
    close(h_n, h_n_t)
    close(c_n, c_n_t)

    dout, dh_n, dc_n = rand(*out.shape, seed=3), rand(*h_n.shape, seed=4), rand(*c_n.shape, seed=6)
    zero = np.zeros_like(dh_n)
    torch.autograd.backward([out_t, h_n_t, c_n_t], [T(dout), T(dh_n if give_dh_n else zero),
                                                    T(dc_n if give_dc_n else zero)])
    kwargs = dict(dh_n=dh_n) if give_dh_n else {}
    if give_dc_n:
        kwargs["dc_n"] = dc_n
    dx, (dh0, dc0) = n_lstm.backward(dout, **kwargs)
    close(dx, x_t.grad)
    if give_state:
        close(dh0, h0_t.grad)
        close(dc0, c0_t.grad)
    assert dh0.shape == dc0.shape == h_shape
    same_grads(n_lstm, t_lstm)


@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM])
def test_larger_sizes_match_torch(cls):
    """Sizes like the lesson's (more units than the grid's), with saturated gates: inputs of scale 5."""
    t_rnn, n_rnn = twin(cls, 10, 24, num_layers=2, batch_first=True)
    x = 5 * rand(32, 30, 10)
    x_t = T(x, grad=True)
    out_t = t_rnn(x_t)[0]
    out = n_rnn(x)[0]
    close(out, out_t)
    dout = rand(*out.shape, seed=1)
    out_t.backward(T(dout))
    close(n_rnn.backward(dout)[0], x_t.grad)
    same_grads(n_rnn, t_rnn)


@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM])
def test_repeated_calls_stack_their_caches(cls):
    """Two forward calls, undone last one first: each backward pops its own call's cache."""
    t_rnn, n_rnn = twin(cls, 3, 4, num_layers=2)
    xs = [rand(5, 2, 3, seed=1), rand(3, 2, 3, seed=2)]
    xs_t = [T(x, grad=True) for x in xs]
    outs = [n_rnn(x)[0] for x in xs]
    outs_t = [t_rnn(x_t)[0] for x_t in xs_t]
    douts = [rand(*out.shape, seed=10 + i) for i, out in enumerate(outs)]
    torch.autograd.backward(outs_t, [T(d) for d in douts])
    dxs = [n_rnn.backward(douts[1])[0], n_rnn.backward(douts[0])[0]][::-1]
    for dx, x_t in zip(dxs, xs_t):
        close(dx, x_t.grad)
    same_grads(n_rnn, t_rnn)
    with pytest.raises(RuntimeError, match=f"{cls.__name__}.backward\\(\\) called more times than forward"):
        n_rnn.backward(douts[0])


# --- GRUCell, LSTMCell ---------------------------------------------------------------------------------------
CELL_CASES = list(itertools.product([None, 1, 3], [1, 4], [True, False], [True, False]))


@pytest.mark.parametrize("batch, steps, bias, give_h", CELL_CASES)
def test_grucell_loop_matches_torch(batch, steps, bias, give_h):
    """T forward steps in a loop, undone by T backward calls, last step first."""
    I, H = 4, 3
    cell_loop_matches(*twin(ng.GRUCell, I, H, bias=bias), I, H, batch, steps, give_h)


@pytest.mark.parametrize("batch, steps, bias, give_state", CELL_CASES)
@pytest.mark.parametrize("give_dc", [True, False])
def test_lstmcell_loop_matches_torch(batch, steps, bias, give_state, give_dc):
    """As the GRUCell's loop; dL/dc_t from outside too if give_dc (else backward's dc_t is omitted at the end)."""
    I, H = 4, 3
    t_cell, n_cell = twin(ng.LSTMCell, I, H, bias=bias)
    lead = () if batch is None else (batch,)
    xs, h0, c0 = rand(steps, *lead, I, seed=1), rand(*lead, H, seed=2), rand(*lead, H, seed=5)
    dhs, dcs = rand(steps, *lead, H, seed=3), rand(steps, *lead, H, seed=4)
    if not give_dc:
        dcs[:] = 0
    xs_t, h0_t, c0_t = T(xs, grad=True), T(h0, grad=True), T(c0, grad=True)

    state_t, state = ((h0_t, c0_t), (h0, c0)) if give_state else (None, None)
    loss = 0
    for t in range(steps):
        state_t = t_cell(xs_t[t], state_t)
        state = n_cell(xs[t], state)
        close(state[0], state_t[0])
        close(state[1], state_t[1])
        loss = loss + (state_t[0] * T(dhs[t])).sum() + (state_t[1] * T(dcs[t])).sum()
    loss.backward()

    dh, dc, dxs = np.zeros_like(dhs[0]), np.zeros_like(dcs[0]), []
    for t in reversed(range(steps)):
        if t == steps - 1 and not give_dc:
            dx, (dh, dc) = n_cell.backward(dh + dhs[t])  # dc_t omitted: zeros
        else:
            dx, (dh, dc) = n_cell.backward(dh + dhs[t], dc + dcs[t])
        dxs.insert(0, dx)
    close(np.array(dxs), xs_t.grad)
    if give_state:
        close(dh, h0_t.grad)
        close(dc, c0_t.grad)
    same_grads(n_cell, t_cell)


# --- accumulation, dtype, no_grad ------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM])
def test_gradients_accumulate_until_zero_grad(cls):
    rnn = cls(3, 4, num_layers=2)
    x = rand(5, 2, 3)
    for _ in range(2):
        out = rnn(x)[0]
        rnn.backward(np.ones_like(out))
        if _ == 0:
            once = {name: p.grad.copy() for name, p in rnn.named_parameters()}
    for name, p in rnn.named_parameters():
        close(p.grad, 2 * once[name])
    rnn.zero_grad()
    assert not any(p.grad.any() for p in rnn.parameters())


@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM, ng.GRUCell, ng.LSTMCell])
def test_float32_stays_float32(cls):
    module = cls(4, 3, dtype=np.float32)
    layer = cls in (ng.GRU, ng.LSTM)
    y = module(rand(5, 2, 4) if layer else rand(2, 4))
    arrays = [y[0], *(y[1] if isinstance(y[1], tuple) else (y[1],))] if layer or cls is ng.LSTMCell else [y]
    assert all(a.dtype == np.float32 for a in arrays)
    first = arrays[0]
    grads = module.backward(np.ones_like(first))
    flat = [grads[0], *(grads[1] if isinstance(grads[1], tuple) else (grads[1],))]
    assert all(g.dtype == np.float32 for g in flat)
    nn.Adam(module.parameters()).step()
    assert all(p.data.dtype == p.grad.dtype == np.float32 for p in module.parameters())


@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM, ng.GRUCell, ng.LSTMCell])
def test_no_grad_keeps_nothing_for_backward(cls):
    module = cls(3, 4)
    x = rand(5, 2, 3) if cls in (ng.GRU, ng.LSTM) else rand(2, 3)
    with nn.no_grad():
        y_eval = module(x)
    assert not module._cache
    y = module(x)  # outside: kept, and the same numbers
    for a, b in zip(np.atleast_1d(y_eval[0]), np.atleast_1d(y[0])):
        np.testing.assert_array_equal(a, b)
    assert len(module._cache) == 1


# --- names, state_dict, init ---------------------------------------------------------------------------------
NAME_CASES = [(ng.GRU, dict(num_layers=2)), (ng.GRU, dict(num_layers=3, bias=False)), (ng.LSTM, dict(num_layers=2)),
              (ng.LSTM, dict(bias=False)), (ng.GRUCell, {}), (ng.GRUCell, dict(bias=False)), (ng.LSTMCell, {}),
              (ng.LSTMCell, dict(bias=False))]


@pytest.mark.parametrize("cls, kwargs", NAME_CASES)
def test_named_parameters_are_torch_state_dict_keys(cls, kwargs):
    torch_state = TORCH[cls](6, 5, **kwargs).state_dict()
    ours = cls(6, 5, **kwargs)
    assert [name for name, _ in ours.named_parameters()] == list(torch_state)
    assert {name: a.shape for name, a in ours.state_dict().items()} == \
        {name: tuple(v.shape) for name, v in torch_state.items()}


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("bias_hh_l1"), r"missing keys \['bias_hh_l1'\]"),
    (lambda s: s.update({"bias_ih_l2": np.zeros(15)}), r"unexpected keys \['bias_ih_l2'\]"),
    (lambda s: s.update({"weight_ih_l0": np.zeros((5, 4))}),  # an RNN's weight: 1 gate, not 3
     r"size mismatch for weight_ih_l0: expected shape \(15, 4\), got \(5, 4\)"),
])
def test_load_state_dict_rejects_bad_keys(change, message):
    gru = ng.GRU(4, 5, num_layers=2)
    state = gru.state_dict()
    change(state)
    before = gru.weight_ih_l0.data.copy()
    with pytest.raises(RuntimeError, match="Error\\(s\\) in loading state_dict for GRU: " + message):
        gru.load_state_dict(state)
    np.testing.assert_array_equal(gru.weight_ih_l0.data, before)  # nothing copied


def test_load_state_dict_of_the_other_cell_fails_clearly():
    lstm_state = {k: v.numpy() for k, v in torch.nn.LSTMCell(4, 5).state_dict().items()}
    with pytest.raises(RuntimeError, match=r"GRUCell: size mismatch for weight_ih: expected shape \(15, 4\), "
                                           r"got \(20, 4\)"):
        ng.GRUCell(4, 5).load_state_dict(lstm_state)


def test_init_follows_torch_distribution():
    nn.manual_seed(0)
    H = 50
    bound = 1 / np.sqrt(H)
    for module in (ng.GRU(20, H, num_layers=2), ng.LSTM(20, H, num_layers=2), ng.GRUCell(20, H), ng.LSTMCell(20, H)):
        for name, p in module.named_parameters():
            assert np.abs(p.data).max() <= bound, name
            assert np.abs(p.data).max() > 0.9 * bound, name  # uniform over the whole interval
            assert abs(p.data.mean()) < 0.1 * bound, name


@pytest.mark.parametrize("cls", [ng.GRU, ng.LSTM, ng.GRUCell, ng.LSTMCell])
def test_seeding_repeats_weights(cls):
    nn.manual_seed(3)
    a = cls(4, 3).state_dict()
    nn.manual_seed(3)
    b = cls(4, 3).state_dict()
    c = cls(4, 3, rng=np.random.default_rng(3)).state_dict()
    d = cls(4, 3).state_dict()  # the module-level Generator has moved on
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
        np.testing.assert_array_equal(a[name], c[name])
        assert not np.array_equal(a[name], d[name])


# --- bad input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: ng.GRU(4, 3)(np.zeros((5, 1, 6))), ValueError, r"GRU: expected input with last dimension 4, got shape "
                                                            r"\(5, 1, 6\)"),
    (lambda: ng.LSTM(4, 3)(np.zeros(4)), ValueError, r"LSTM: expected a 2-D \(unbatched\) or 3-D input, got shape "
                                                     r"\(4,\)"),
    (lambda: ng.GRU(4, 3, num_layers=2)(np.zeros((5, 1, 4)), np.zeros((1, 1, 3))), ValueError,
     r"GRU: expected h0 of shape \(2, 1, 3\), got \(1, 1, 3\)"),
    (lambda: ng.LSTM(4, 3)(np.zeros((5, 4)), (np.zeros((1, 3)), np.zeros((1, 1, 3)))), ValueError,
     r"LSTM: expected c0 of shape \(1, 3\), got \(1, 1, 3\)"),
    (lambda: ng.LSTM(4, 3, batch_first=True)(np.zeros((2, 5, 4)), (np.zeros((1, 5, 3)), np.zeros((1, 2, 3)))),
     ValueError, r"LSTM: expected h0 of shape \(1, 2, 3\), got \(1, 5, 3\)"),
    (lambda: ng.LSTM(4, 3)(np.zeros((5, 1, 4)), np.zeros((1, 1, 3))), ValueError,
     r"LSTM: expected state as a pair \(h, c\), got ndarray"),
    (lambda: ng.GRUCell(4, 3)(np.zeros((2, 5))), ValueError, r"GRUCell: expected input with last dimension 4, "
                                                              r"got shape \(2, 5\)"),
    (lambda: ng.GRUCell(4, 3)(np.zeros((2, 2, 4))), ValueError, r"GRUCell: expected x of shape \(batch, input_size\)"),
    (lambda: ng.GRUCell(4, 3)(np.zeros((2, 4)), np.zeros((1, 3))), ValueError,
     r"GRUCell: expected h of shape \(2, 3\), got \(1, 3\)"),
    (lambda: ng.LSTMCell(4, 3)(np.zeros(4), (np.zeros(3), np.zeros((1, 3)))), ValueError,
     r"LSTMCell: expected c of shape \(3,\), got \(1, 3\)"),
    (lambda: ng.LSTMCell(4, 3)(np.zeros(4), np.zeros(3)), ValueError, r"LSTMCell: expected state as a pair \(h, c\)"),
])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def backward_after(module, x, *args):
    module(x)
    return module.backward(*args)


@pytest.mark.parametrize("call, message", [
    (lambda: backward_after(ng.GRU(4, 3), np.zeros((5, 2, 4)), np.zeros((5, 1, 3))),
     r"GRU.backward: expected dout of shape \(5, 2, 3\), got \(5, 1, 3\)"),
    (lambda: backward_after(ng.LSTM(4, 3, batch_first=True), np.zeros((2, 5, 4)), np.zeros((5, 2, 3))),
     r"LSTM.backward: expected dout of shape \(2, 5, 3\), got \(5, 2, 3\)"),
    (lambda: backward_after(ng.GRU(4, 3), np.zeros((5, 2, 4)), np.zeros((5, 2, 3)), np.zeros((2, 3))),
     r"GRU: expected dh_n of shape \(1, 2, 3\), got \(2, 3\)"),
    (lambda: backward_after(ng.LSTM(4, 3), np.zeros((5, 4)), np.zeros((5, 3)), None, np.zeros((1, 1, 3))),
     r"LSTM: expected dc_n of shape \(1, 3\), got \(1, 1, 3\)"),
    (lambda: backward_after(ng.GRUCell(4, 3), np.zeros((2, 4)), np.zeros(3)),
     r"GRUCell.backward: expected dh_t of shape \(2, 3\), got \(3,\)"),
    (lambda: backward_after(ng.LSTMCell(4, 3), np.zeros(4), np.zeros(3), np.zeros((1, 3))),
     r"LSTMCell.backward: expected dc_t of shape \(3,\), got \(1, 3\)"),
    (lambda: ng.LSTMCell(4, 3).backward(np.zeros(3)), r"LSTMCell.backward\(\) called more times than forward"),
])
def test_bad_gradient_raises_a_clear_error(call, message):
    with pytest.raises((ValueError, RuntimeError), match=message):
        call()
