"""numpy_gates: torch.nn's gated recurrent cells, GRU and LSTM, written again in NumPy.

GRUCell, LSTMCell, GRU and LSTM, with PyTorch's names, argument orders, shapes,
parameter names and gate order, built on numpy_nn's Module and Parameter: the same
rules hold. forward pushes a cache, backward pops the latest one, adds dL/dparam
into p.grad and returns the gradients of the inputs; calls stack, `with no_grad():`
keeps nothing, gradients accumulate until zero_grad(), weights are drawn from
torch's U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), and load_state_dict takes a
torch state_dict's arrays.

The gates of a cell are stacked in its weights, as in torch: W_ih is (3H, I) for
a GRU, rows r, z, n (reset, update, new), and (4H, I) for an LSTM, rows i, f, g, o
(input, forget, cell candidate, output); W_hh, b_ih and b_hh likewise. So one matmul
computes every gate's part at once, and the gates are slices of its result.

One step of each cell is a pair of functions, the step and the step backwards (gru_step and
gru_step_backward, lstm_step and lstm_step_backward): the cells make one step, the layers T steps of each layer.
"""
import math

import numpy as np

from numpy_nn import Layout, Module, Parameter, Recurrent, batched, data, pop, shaped, uniform


def sigmoid(a):
    """σ(a) = 1 / (1 + e^-a), elementwise: a gate, between 0 (closed) and 1 (open).

    (For a < -709, e^-a overflows to inf with a RuntimeWarning, and σ(a) = 0, as it should.)"""
    return 1 / (1 + np.exp(-a))


# --8<-- [start:gru_step]
def gru_step(x_part, h_prev, W_hh, b_hh):
    """One GRU step. x_part = W_ih x_t + b_ih is all that does not wait for h_{t-1}.

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)             reset gate
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)             update gate
        n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))  new candidate
        h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    x_part: (B, 3H), rows r, z, n;  h_prev: (B, H);  W_hh: (3H, H);  b_hh: (3H,) or 0
    -> h_t: (B, H), and what backward needs: (r, z, n, hn), (B, H) each
    """
    H = h_prev.shape[-1]
    h_part = h_prev @ W_hh.T + b_hh  # W_hh h_{t-1} + b_hh, every gate's rows at once, (B, 3H)
    r = sigmoid(x_part[:, :H] + h_part[:, :H])            # reset gate r_t, (B, H)
    z = sigmoid(x_part[:, H:2 * H] + h_part[:, H:2 * H])  # update gate z_t, (B, H)
    hn = h_part[:, 2 * H:]                                # W_hn h_{t-1} + b_hn, (B, H)
    n = np.tanh(x_part[:, 2 * H:] + r * hn)               # new candidate n_t, (B, H)
    h_t = (1 - z) * n + z * h_prev                        # (B, H)
    return h_t, (r, z, n, hn)
# --8<-- [end:gru_step]


# --8<-- [start:gru_step_backward]
def gru_step_backward(dh, h_prev, W_hh, r, z, n, hn):
    """gru_step backwards: the chain rule from dh = dL/dh_t, (B, H), to each gate's argument (of σ or tanh).

    -> dx_part = dL/dx_part and dh_part = dL/d(W_hh h_{t-1} + b_hh), (B, 3H) each, rows r, z, n;
       dh_next = dL/dh_{t-1}, (B, H): what goes on to the step before
    """
    dr = dh * (1 - z) * (1 - n * n) * hn * r * (1 - r)  # through n, which holds r * hn; sigmoid' = r (1 - r)
    dz = dh * (h_prev - n) * z * (1 - z)                # h_t = n + z (h_{t-1} - n); sigmoid' = z (1 - z)
    dn = dh * (1 - z) * (1 - n * n)                     # h_t holds (1 - z) n; tanh' = 1 - n**2
    dx_part = np.concatenate((dr, dz, dn), axis=-1)      # x_part's rows are in the arguments as they are
    dh_part = np.concatenate((dr, dz, dn * r), axis=-1)  # W_hn h_{t-1} + b_hn is multiplied by r
    dh_next = dh * z + dh_part @ W_hh  # backprop into h_{t-1} of z * h_{t-1} and of W_hh h_{t-1}
    return dx_part, dh_part, dh_next
# --8<-- [end:gru_step_backward]


# --8<-- [start:lstm_step]
def lstm_step(x_part, h_prev, c_prev, W_hh):
    """One LSTM step. x_part = W_ih x_t + b_ih + b_hh is all that does not wait for h_{t-1}.

        i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)     input gate
        f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)     forget gate
        g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)  cell candidate
        o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)     output gate
        c_t = f_t * c_{t-1} + i_t * g_t
        h_t = o_t * tanh(c_t)

    x_part: (B, 4H), rows i, f, g, o;  h_prev, c_prev: (B, H);  W_hh: (4H, H)
    -> h_t, c_t: (B, H), and what backward needs: (i, f, g, o, tanh_c), (B, H) each
    """
    H = h_prev.shape[-1]
    a = x_part + h_prev @ W_hh.T  # every gate's argument at once, (B, 4H)
    i = sigmoid(a[:, :H])           # input gate i_t, (B, H)
    f = sigmoid(a[:, H:2 * H])      # forget gate f_t, (B, H)
    g = np.tanh(a[:, 2 * H:3 * H])  # cell candidate g_t, (B, H)
    o = sigmoid(a[:, 3 * H:])       # output gate o_t, (B, H)
    c_t = f * c_prev + i * g        # (B, H)
    tanh_c = np.tanh(c_t)           # (B, H)
    h_t = o * tanh_c                # (B, H)
    return h_t, c_t, (i, f, g, o, tanh_c)
# --8<-- [end:lstm_step]


# --8<-- [start:lstm_step_backward]
def lstm_step_backward(dh, dc_next, c_prev, W_hh, i, f, g, o, tanh_c):
    """lstm_step backwards: the chain rule from dh = dL/dh_t and dc_next = dL/dc_t from step t + 1, (B, H),
    to each gate's argument.

    -> da = dL/da_t, (B, 4H), rows i, f, g, o: the gradient of x_part and of W_hh h_{t-1} alike;
       dh_next = dL/dh_{t-1}, dc_next = dL/dc_{t-1}, (B, H): what goes on to the step before
    """
    dc = dc_next + dh * o * (1 - tanh_c * tanh_c)  # c_t went on to step t + 1, and into h_t = o tanh(c_t)
    di = dc * g * i * (1 - i)                       # c_t holds i g; sigmoid' = i (1 - i)
    df = dc * c_prev * f * (1 - f)                  # c_t holds f c_{t-1}; sigmoid' = f (1 - f)
    dg = dc * i * (1 - g * g)                       # c_t holds i g; tanh' = 1 - g**2
    do = dh * tanh_c * o * (1 - o)                  # h_t = o tanh(c_t); sigmoid' = o (1 - o)
    da = np.concatenate((di, df, dg, do), axis=-1)  # (B, 4H)
    dh_next = da @ W_hh  # backprop into h_{t-1} of W_hh h_{t-1}
    dc_next = dc * f     # backprop into c_{t-1} of f * c_{t-1}
    return da, dh_next, dc_next
# --8<-- [end:lstm_step_backward]


def _like_h(what, value, h_t, unbatched, zeros=False):
    """A state or gradient (c, dh, dc) a cell's caller gives shaped like its h: checked, and as a batch (B, H)."""
    shape = h_t.shape[1:] if unbatched else h_t.shape
    value = shaped(what, value, shape, h_t.dtype, zeros=zeros)
    if value is None:
        raise ValueError(f"{what} of shape {shape}, got None")
    return value.reshape(h_t.shape)


def _pair(name, state, what):
    """(h, c) from an LSTM's state: None, or a pair as torch takes it."""
    if state is None:
        return None, None
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError(f"{name}: expected {what} as a pair (h, c), got {type(state).__name__}")
    return state


def _add_bias_grads(b_ih, b_hh, db_ih, db_hh):
    if b_ih is not None:  # each bias was added to every row (and at every step)
        b_ih.grad += db_ih
        b_hh.grad += db_hh


class GRUCell(Module):
    """One GRU step (gru_step): the gates decide how much of h_{t-1} to keep (z_t) and to read (r_t).

    x: (batch, input_size) or (input_size,);  h: same leading shape with hidden_size
    (zeros if None)  ->  h_t: (batch, hidden_size) or (hidden_size,)
    """

    def __init__(self, input_size, hidden_size, bias=True, dtype=np.float64, rng=None):
        k = 1 / math.sqrt(hidden_size)  # torch's init: U(-1/sqrt(H), 1/sqrt(H)) for all
        self.input_size, self.hidden_size = input_size, hidden_size
        H, I = hidden_size, input_size  # the gates r, z, n are stacked: rows 0:H, H:2H, 2H:3H
        self.weight_ih = Parameter(uniform((3 * H, I), k, dtype, rng))  # W_ih = [W_ir; W_iz; W_in], (3H, I)
        self.weight_hh = Parameter(uniform((3 * H, H), k, dtype, rng))  # W_hh = [W_hr; W_hz; W_hn], (3H, H)
        self.bias_ih = Parameter(uniform((3 * H,), k, dtype, rng)) if bias else None  # [b_ir; b_iz; b_in], (3H,)
        self.bias_hh = Parameter(uniform((3 * H,), k, dtype, rng)) if bias else None  # [b_hr; b_hz; b_hn], (3H,)
        self._cache = []

    def forward(self, x, h=None):
        x, h, unbatched = batched(self, x, h)  # (B, I), (B, H): a batch of one if unbatched
        x_part = x @ self.weight_ih.data.T + data(self.bias_ih)  # W_ih x_t + b_ih, (B, 3H)
        h_t, step = gru_step(x_part, h, self.weight_hh.data, data(self.bias_hh))  # (B, H)
        self._cache.append((x, h, h_t, step, unbatched))
        return h_t[0] if unbatched else h_t

    def backward(self, dh_t):
        """dh_t: dL/dh_t, shaped like h_t  ->  (dx, dh): dL/dx_t and dL/dh_{t-1}"""
        x, h, h_t, step, unbatched = pop(self._cache, self)
        dh_t = _like_h("GRUCell.backward: expected dh_t", dh_t, h_t, unbatched)  # checked, (B, H)
        dx_part, dh_part, dh = gru_step_backward(dh_t, h, self.weight_hh.data, *step)  # (B, 3H), (B, 3H), (B, H)
        self.weight_ih.grad += dx_part.T @ x  # backprop into W_ih of W_ih x_t
        self.weight_hh.grad += dh_part.T @ h  # backprop into W_hh of W_hh h_{t-1}
        _add_bias_grads(self.bias_ih, self.bias_hh, dx_part.sum(axis=0), dh_part.sum(axis=0))
        dx = dx_part @ self.weight_ih.data  # backprop into x_t of W_ih x_t, (B, I)
        return (dx[0], dh[0]) if unbatched else (dx, dh)


class LSTMCell(Module):
    """One LSTM step (lstm_step): a cell state c_t, written through gates, beside h_t.

    x: (batch, input_size) or (input_size,);  state: (h, c), each with x's leading shape and
    hidden_size (zeros if None)  ->  (h_t, c_t): (batch, hidden_size) or (hidden_size,) each
    """

    def __init__(self, input_size, hidden_size, bias=True, dtype=np.float64, rng=None):
        k = 1 / math.sqrt(hidden_size)  # torch's init: U(-1/sqrt(H), 1/sqrt(H)) for all
        self.input_size, self.hidden_size = input_size, hidden_size
        H, I = hidden_size, input_size  # the gates i, f, g, o are stacked: rows 0:H, H:2H, 2H:3H, 3H:4H
        self.weight_ih = Parameter(uniform((4 * H, I), k, dtype, rng))  # W_ih = [W_ii; W_if; W_ig; W_io], (4H, I)
        self.weight_hh = Parameter(uniform((4 * H, H), k, dtype, rng))  # W_hh = [W_hi; W_hf; W_hg; W_ho], (4H, H)
        self.bias_ih = Parameter(uniform((4 * H,), k, dtype, rng)) if bias else None  # [b_ii; b_if; b_ig; b_io]
        self.bias_hh = Parameter(uniform((4 * H,), k, dtype, rng)) if bias else None  # [b_hi; b_hf; b_hg; b_ho]
        self._cache = []

    def forward(self, x, state=None):
        h, c = _pair("LSTMCell", state, "state")
        x, h, unbatched = batched(self, x, h)  # (B, I), (B, H): a batch of one if unbatched
        c = _like_h("LSTMCell: expected c", c, h, unbatched, zeros=True)  # (B, H)
        b = data(self.bias_ih) + data(self.bias_hh)  # b_ih + b_hh, both added to a_t (0 without biases)
        x_part = x @ self.weight_ih.data.T + b  # W_ih x_t + b_ih + b_hh, (B, 4H)
        h_t, c_t, step = lstm_step(x_part, h, c, self.weight_hh.data)  # (B, H) each
        self._cache.append((x, h, c, h_t, step, unbatched))
        return (h_t[0], c_t[0]) if unbatched else (h_t, c_t)

    def backward(self, dh_t, dc_t=None):
        """dh_t, dc_t: dL/dh_t and dL/dc_t, shaped like h_t and c_t (dc_t: zeros if None)
        -> (dx, (dh, dc)): dL/dx_t, dL/dh_{t-1} and dL/dc_{t-1}"""
        x, h, c, h_t, step, unbatched = pop(self._cache, self)
        dh_t = _like_h("LSTMCell.backward: expected dh_t", dh_t, h_t, unbatched)  # checked, (B, H)
        dc_t = _like_h("LSTMCell.backward: expected dc_t", dc_t, h_t, unbatched, zeros=True)  # (B, H)
        da, dh, dc = lstm_step_backward(dh_t, dc_t, c, self.weight_hh.data, *step)  # (B, 4H), (B, H), (B, H)
        self.weight_ih.grad += da.T @ x  # backprop into W_ih of W_ih x_t
        self.weight_hh.grad += da.T @ h  # backprop into W_hh of W_hh h_{t-1}
        db = da.sum(axis=0)  # both biases were added to a_t
        _add_bias_grads(self.bias_ih, self.bias_hh, db, db)
        dx = da @ self.weight_ih.data  # backprop into x_t of W_ih x_t, (B, I)
        return (dx[0], (dh[0], dc[0])) if unbatched else (dx, (dh, dc))


def _input_part(layer_input, W_ih, b):
    """W_ih x_t + b for every t at once: layer_input (T, B, I) -> (T, B, G), one matmul."""
    T, B, I = layer_input.shape
    return (layer_input.reshape(T * B, I) @ W_ih.T + b).reshape(T, B, -1)


def _weight_grads(W_ih, W_hh, layer_input, h, dx_part, dh_part):
    """The weights are shared by all steps: their gradients sum over t and batch, one matmul each.

    layer_input: (T, B, I); h: (T + 1, B, H), h[t] = h_{t-1}; dx_part, dh_part: (T, B, G)."""
    T, B, G = dx_part.shape
    W_ih.grad += dx_part.reshape(T * B, G).T @ layer_input.reshape(T * B, -1)  # backprop into W_ih of W_ih x_t
    W_hh.grad += dh_part.reshape(T * B, G).T @ h[:-1].reshape(T * B, -1)  # backprop into W_hh of W_hh h_{t-1}


class GRU(Recurrent):
    """num_layers GRU cells unrolled over a whole sequence; layer k reads layer k-1's outputs.

    GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dtype=np.float64, rng=None):
    weight_ih_l0 is (3H, I), the gates r, z, n stacked (Recurrent, in numpy_nn).
    x: (seq_len, batch, input_size), or (batch, seq_len, input_size) if batch_first,
       or unbatched (seq_len, input_size)
    h0: (num_layers, batch, hidden_size), or (num_layers, hidden_size) if unbatched; zeros if None
    returns out: the top layer's h_t for every t, shaped like x with hidden_size last,
            h_n: the last h_t of every layer, shaped like h0
    """
    GATES = 3  # r, z, n

    def forward(self, x, h0=None):
        x = np.asarray(x, dtype=self.weight_ih_l0.data.dtype)
        layout = Layout(self, x)  # checks the shapes; inside, time comes first
        h0, T = layout.state("h0", h0), layout.T  # h0: (L, B, H)
        layer_input, layers = layout.inside(x), []  # (T, B, I) for layer 0, (T, B, H) above
        h_n = np.empty_like(h0)  # the last h_t of every layer, (L, B, H)
        for k in range(self.num_layers):
            W_ih, W_hh, b_ih, b_hh = (data(p) for p in self.layer(k))  # arrays; no bias: 0
            x_part = _input_part(layer_input, W_ih, b_ih)  # W_ih x_t + b_ih for every t at once, (T, B, 3H)
            h = np.empty((T + 1, *h0[k].shape), dtype=x.dtype)  # h[0] = h_0, h[t + 1] = h_t
            h[0], steps = h0[k], []
            for t in range(T):  # the part that waits for h_{t-1}: one step after the other
                h[t + 1], step = gru_step(x_part[t], h[t], W_hh, b_hh)
                steps.append(step)
            layers.append((layer_input, h, steps))
            layer_input, h_n[k] = h[1:], h[T]  # this layer's outputs feed the next layer
        self._cache.append((layers, layout))
        return layout.outside(layer_input), layout.state_outside(h_n)

    def backward(self, dout, dh_n=None):
        """dout: dL/dout, shaped like out; dh_n: dL/dh_n, shaped like h_n (zeros if None)
        -> (dx, dh0) shaped like x and h0"""
        layers, layout = pop(self._cache, self)
        dout, dh_n = layout.grad_output(dout), layout.state("dh_n", dh_n)  # (T, B, H), (L, B, H)
        T, B, H = layout.T, layout.B, self.hidden_size
        dh0 = np.empty_like(dh_n)
        for k in reversed(range(self.num_layers)):  # the top layer first
            W_ih, W_hh, b_ih, b_hh = self.layer(k)
            layer_input, h, steps = layers[k]
            dx_part = np.empty((T, B, 3 * H), dtype=dout.dtype)  # dL/dx_part at every step
            dh_part = np.empty_like(dx_part)  # dL/d(W_hh h_{t-1} + b_hh) at every step
            dh_next = dh_n[k]  # dL/dh_T from h_n
            for t in reversed(range(T)):
                dh_t = dout[t] + dh_next  # h_t went up (out / next layer) and on to step t + 1
                dx_part[t], dh_part[t], dh_next = gru_step_backward(dh_t, h[t], W_hh.data, *steps[t])
            dh0[k] = dh_next
            _weight_grads(W_ih, W_hh, layer_input, h, dx_part, dh_part)
            _add_bias_grads(b_ih, b_hh, dx_part.sum(axis=(0, 1)), dh_part.sum(axis=(0, 1)))
            dout = dx_part @ W_ih.data  # backprop into this layer's input: the layer below's dout
        return layout.outside(dout), layout.state_outside(dh0)


class LSTM(Recurrent):
    """num_layers LSTM cells unrolled over a whole sequence; layer k reads layer k-1's outputs.

    LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dtype=np.float64, rng=None):
    weight_ih_l0 is (4H, I), the gates i, f, g, o stacked (Recurrent, in numpy_nn).
    x: (seq_len, batch, input_size), or (batch, seq_len, input_size) if batch_first,
       or unbatched (seq_len, input_size)
    state: (h0, c0), each (num_layers, batch, hidden_size), or (num_layers, hidden_size) if
       unbatched; zeros if None
    returns out: the top layer's h_t for every t, shaped like x with hidden_size last,
            (h_n, c_n): the last h_t and c_t of every layer, shaped like h0
    """
    GATES = 4  # i, f, g, o

    def forward(self, x, state=None):
        x = np.asarray(x, dtype=self.weight_ih_l0.data.dtype)
        layout = Layout(self, x)  # checks the shapes; inside, time comes first
        h0, c0 = _pair("LSTM", state, "state")
        h0, c0, T = layout.state("h0", h0), layout.state("c0", c0), layout.T  # (L, B, H) each
        layer_input, layers = layout.inside(x), []  # (T, B, I) for layer 0, (T, B, H) above
        h_n, c_n = np.empty_like(h0), np.empty_like(c0)  # the last h_t and c_t of every layer, (L, B, H)
        for k in range(self.num_layers):
            W_ih, W_hh, b_ih, b_hh = (data(p) for p in self.layer(k))  # arrays; no bias: 0
            x_part = _input_part(layer_input, W_ih, b_ih + b_hh)  # W_ih x_t + b_ih + b_hh, every t, (T, B, 4H)
            h = np.empty((T + 1, *h0[k].shape), dtype=x.dtype)  # h[0] = h_0, h[t + 1] = h_t
            c = np.empty_like(h)  # c[0] = c_0, c[t + 1] = c_t
            h[0], c[0], steps = h0[k], c0[k], []
            for t in range(T):  # the part that waits for h_{t-1} and c_{t-1}: one step after the other
                h[t + 1], c[t + 1], step = lstm_step(x_part[t], h[t], c[t], W_hh)
                steps.append(step)
            layers.append((layer_input, h, c, steps))
            layer_input, h_n[k], c_n[k] = h[1:], h[T], c[T]  # this layer's outputs feed the next layer
        self._cache.append((layers, layout))
        return layout.outside(layer_input), (layout.state_outside(h_n), layout.state_outside(c_n))

    def backward(self, dout, dh_n=None, dc_n=None):
        """dout: dL/dout, shaped like out; dh_n, dc_n: dL/dh_n and dL/dc_n, shaped like h_n (zeros if None)
        -> (dx, (dh0, dc0)) shaped like x, h0 and c0"""
        layers, layout = pop(self._cache, self)
        dout, dh_n, dc_n = layout.grad_output(dout), layout.state("dh_n", dh_n), layout.state("dc_n", dc_n)
        T, B, H = layout.T, layout.B, self.hidden_size
        dh0, dc0 = np.empty_like(dh_n), np.empty_like(dc_n)
        for k in reversed(range(self.num_layers)):  # the top layer first
            W_ih, W_hh, b_ih, b_hh = self.layer(k)
            layer_input, h, c, steps = layers[k]
            da = np.empty((T, B, 4 * H), dtype=dout.dtype)  # dL/da_t at every step
            dh_next, dc_next = dh_n[k], dc_n[k]  # dL/dh_T, dL/dc_T from h_n, c_n
            for t in reversed(range(T)):
                dh_t = dout[t] + dh_next  # h_t went up (out / next layer) and on to step t + 1
                da[t], dh_next, dc_next = lstm_step_backward(dh_t, dc_next, c[t], W_hh.data, *steps[t])
            dh0[k], dc0[k] = dh_next, dc_next
            _weight_grads(W_ih, W_hh, layer_input, h, da, da)
            db = da.sum(axis=(0, 1))  # both biases were added to a_t
            _add_bias_grads(b_ih, b_hh, db, db)
            dout = da @ W_ih.data  # backprop into this layer's input: the layer below's dout
        return layout.outside(dout), (layout.state_outside(dh0), layout.state_outside(dc0))
