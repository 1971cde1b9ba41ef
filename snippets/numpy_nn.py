"""numpy_nn: the few pieces of torch.nn this book uses, written again in NumPy.

Linear, Embedding, RNNCell, RNN, CrossEntropyLoss, Adam and clip_grad_norm_, with
PyTorch's names, argument orders and shapes, so a NumPy program reads like its
PyTorch twin. The difference is autograd: here every module has a `backward` that
undoes its own `forward`, and the training loop calls them in reverse order.

    forward(x)   -> y     computes y and pushes what backward will need (a cache)
    backward(dy) -> dx    pops the latest cache, adds dL/dparam into p.grad, returns dL/dx

Caches form a stack, so a module called T times (an RNNCell in a loop over time)
is undone by T backward calls, last step first. Every forward must be matched
by one backward, except inside `with no_grad():`, where forward keeps nothing.

Gradients accumulate in `p.grad` until `zero_grad()`, as in PyTorch. New
weights are drawn from torch's distributions with a NumPy Generator: the
module-level one (`manual_seed(seed)`, seeded with 0 on import), or one passed as
`rng=`. NumPy cannot reproduce torch's random numbers, so to train exactly like
a PyTorch program, load its weights with `load_state_dict`.

Arrays are float64 unless a module is built with `dtype=np.float32`; inputs
are converted to the dtype of the module's parameters. Only the standard library
and NumPy are used, so the file also runs in the browser (Pyodide).
"""
import contextlib
import json
import math

import numpy as np

_rng = np.random.default_rng(0)
_keep_caches = True  # False inside no_grad()


def manual_seed(seed):
    """Reseed the Generator that new modules draw their weights from (like torch.manual_seed)."""
    global _rng
    _rng = np.random.default_rng(seed)


def _uniform(shape, bound, dtype, rng):
    """Weights drawn from U(-bound, bound), as torch.nn.init.uniform_."""
    rng = _rng if rng is None else rng
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


@contextlib.contextmanager
def no_grad():
    """Like torch.no_grad(): forward calls inside keep nothing for backward (evaluation, generation)."""
    global _keep_caches
    before, _keep_caches = _keep_caches, False
    try:
        yield
    finally:
        _keep_caches = before


def load_json_state(path):
    """{name: ndarray} from a JSON file of {name: nested list} (exported torch weights), for load_state_dict."""
    with open(path) as f:
        return {name: np.array(value) for name, value in json.load(f).items()}


class Parameter:
    """A learnable array `data` and the gradient `grad` accumulated for it (same shape)."""

    def __init__(self, data):
        self.data = data
        self.grad = np.zeros_like(data)

    def __repr__(self):
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class. A Module's Parameters and sub-Modules are simply its attributes.

    named_parameters() finds them in the order they were assigned in __init__,
    its own Parameters first, then those of each sub-Module with the attribute
    name as prefix: the same names as the keys of torch's state_dict().
    """

    def __call__(self, *args, **kwargs):
        y = self.forward(*args, **kwargs)
        if not _keep_caches and hasattr(self, "_cache"):
            self._cache.pop()  # in no_grad(): nothing is kept for backward
        return y

    def named_parameters(self, prefix=""):
        attributes = vars(self).items()
        for name, value in attributes:
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, value in attributes:
            if isinstance(value, Module):
                yield from value.named_parameters(prefix + name + ".")

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def zero_grad(self):
        for p in self.parameters():
            p.grad[...] = 0

    def double(self):
        """Every parameter in float64, like torch's Module.double(); returns the module."""
        for p in self.parameters():
            p.data, p.grad = p.data.astype(np.float64), p.grad.astype(np.float64)
        return self

    def state_dict(self):
        """{name: copy of the parameter's array}."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy arrays (or nested lists) into the parameters, in their dtype.

        Every name must be present with the right shape and nothing else may be
        there; otherwise nothing is copied and a RuntimeError lists the problems.
        """
        own = dict(self.named_parameters())
        problems = []
        missing = [name for name in own if name not in state]
        unexpected = [name for name in state if name not in own]
        if missing:
            problems.append(f"missing keys {missing}")
        if unexpected:
            problems.append(f"unexpected keys {unexpected}")
        for name, p in own.items():
            if name in state and np.shape(state[name]) != p.data.shape:
                problems.append(f"size mismatch for {name}: expected shape {p.data.shape}, "
                                f"got {np.shape(state[name])}")
        if problems:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}: "
                               + "; ".join(problems))
        for name, p in own.items():
            p.data[...] = np.asarray(state[name], dtype=p.data.dtype)


def _pop(cache, module):
    """The cache of the latest forward call not yet undone."""
    if not cache:
        raise RuntimeError(f"{type(module).__name__}.backward() called more times than forward()")
    return cache.pop()


def _check_last_dim(x, size, what):
    if x.ndim == 0 or x.shape[-1] != size:
        raise ValueError(f"{what}: expected input with last dimension {size}, got shape {x.shape}")


# --8<-- [start:linear]
class Linear(Module):
    """y = x W^T + b.   x: (..., in_features) -> y: (..., out_features)"""

    def __init__(self, in_features, out_features, bias=True, dtype=np.float64, rng=None):
        k = 1 / math.sqrt(in_features)  # torch's init: U(-1/sqrt(in), 1/sqrt(in))
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(_uniform((out_features, in_features), k, dtype, rng))  # W, (out, in)
        self.bias = Parameter(_uniform((out_features,), k, dtype, rng)) if bias else None  # b, (out,)
        self._cache = []

    def forward(self, x):
        W = self.weight.data
        x = np.asarray(x, dtype=W.dtype)
        _check_last_dim(x, self.in_features, "Linear")
        self._cache.append(x)
        y = x @ W.T
        if self.bias is not None:
            y = y + self.bias.data
        return y

    def backward(self, dy):
        """dy: (..., out_features) -> dx: (..., in_features)"""
        x = _pop(self._cache, self)
        W = self.weight.data
        dy2 = dy.reshape(-1, self.out_features)  # every leading index is one row
        self.weight.grad += dy2.T @ x.reshape(-1, self.in_features)  # backprop into W of x W^T
        if self.bias is not None:
            self.bias.grad += dy2.sum(axis=0)  # b was added to every row
        return dy @ W  # backprop into x of x W^T
# --8<-- [end:linear]


# --8<-- [start:embedding]
class Embedding(Module):
    """A lookup table: row i of `weight` is the vector of token i.

    indices: integers of any shape -> output: indices.shape + (embedding_dim,)
    """

    def __init__(self, num_embeddings, embedding_dim, dtype=np.float64, rng=None):
        rng = _rng if rng is None else rng
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        # torch's init: N(0, 1), (num_embeddings, embedding_dim)
        self.weight = Parameter(rng.standard_normal((num_embeddings, embedding_dim)).astype(dtype))
        self._cache = []

    def forward(self, indices):
        indices = np.asarray(indices)
        if not np.issubdtype(indices.dtype, np.integer):
            raise TypeError(f"Embedding: indices must be integers, got dtype {indices.dtype}")
        if indices.size and (indices.min() < 0 or indices.max() >= self.num_embeddings):
            bad = indices[(indices < 0) | (indices >= self.num_embeddings)].flat[0]
            raise IndexError(f"Embedding: index {bad} is out of range "
                             f"(num_embeddings={self.num_embeddings}, valid 0..{self.num_embeddings - 1})")
        self._cache.append(indices)
        return self.weight.data[indices]

    def backward(self, dy):
        """dy: indices.shape + (embedding_dim,). Returns None: indices have no gradient."""
        indices = _pop(self._cache, self)
        # backprop through the lookup: row i gets the sum of dy over every place i was read
        np.add.at(self.weight.grad, indices.reshape(-1), dy.reshape(-1, self.embedding_dim))
        return None
# --8<-- [end:embedding]


# --8<-- [start:activations]
def _relu(a):
    return np.maximum(a, 0)


_ACTIVATIONS = {"tanh": np.tanh, "relu": _relu}


def _activation_derivative(h, nonlinearity):
    """dh/da, written with h = activation(a): what backprop through the activation multiplies by."""
    if nonlinearity == "tanh":
        return 1 - h * h  # tanh'(a) = 1 - tanh(a)**2 = 1 - h**2
    return h > 0  # relu'(a) = 1 where a > 0 (then h > 0), else 0
# --8<-- [end:activations]


def _check_nonlinearity(nonlinearity):
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")


def _data(bias):
    """A Parameter's array, or 0 for a bias the module does not have (bias=False): what `+ b` then adds."""
    return 0 if bias is None else bias.data


def _shaped(name, value, shape, dtype, zeros=False):
    """`value` as an array of `dtype` that must have `shape` (None: zeros if `zeros`, else stays None)."""
    if value is None:
        return np.zeros(shape, dtype=dtype) if zeros else None
    value = np.asarray(value, dtype=dtype)
    if value.shape != shape:
        raise ValueError(f"{name} of shape {shape}, got {value.shape}")
    return value


def _cell_inputs(cell, x, h):
    """RNNCell.forward's x and h checked and as a batch: (B, I), (B, H), and whether x was unbatched."""
    x = np.asarray(x, dtype=cell.weight_ih.data.dtype)
    name = type(cell).__name__
    if x.ndim not in (1, 2):
        raise ValueError(f"{name}: expected x of shape (batch, input_size) or (input_size,), got {x.shape}")
    _check_last_dim(x, cell.input_size, name)
    unbatched = x.ndim == 1
    x = x.reshape(-1, cell.input_size)  # unbatched becomes a batch of one
    expected = (cell.hidden_size,) if unbatched else (x.shape[0], cell.hidden_size)
    h = _shaped(f"{name}: expected h", h, expected, x.dtype, zeros=True)
    return x, h.reshape(-1, cell.hidden_size), unbatched


def _cell_grad(dh_t, h_t, unbatched):
    """RNNCell.backward's dh_t, given as the caller shaped h_t: checked, and as a batch like h_t (B, H)."""
    shape = h_t.shape[1:] if unbatched else h_t.shape
    return _shaped("RNNCell.backward: expected dh_t", dh_t, shape, h_t.dtype).reshape(h_t.shape)


class _Layout:
    """How a recurrent layer's caller lays out a sequence, and the layer's own layout: time first.

    Inside, x is (T, B, features) and states are (num_layers, B, H); `batch_first` input is
    (B, T, features) and unbatched input (T, features), with states (num_layers, H)."""

    def __init__(self, layer, x):
        name = type(layer).__name__
        if x.ndim not in (2, 3):
            raise ValueError(f"{name}: expected a 2-D (unbatched) or 3-D input, got shape {x.shape}")
        _check_last_dim(x, layer.input_size, name)
        self.name, self.unbatched, self.batch_first = name, x.ndim == 2, layer.batch_first and x.ndim == 3
        self.T, self.B = (x.shape[0], 1) if self.unbatched else x.shape[1::-1] if self.batch_first else x.shape[:2]
        self.L, self.H, self.dtype = layer.num_layers, layer.hidden_size, x.dtype

    def inside(self, y):
        """(T, B, F) from the caller's layout."""
        return y[:, None, :] if self.unbatched else y.transpose(1, 0, 2) if self.batch_first else y

    def outside(self, y):
        """The caller's layout from (T, B, F)."""
        return y[:, 0] if self.unbatched else y.transpose(1, 0, 2) if self.batch_first else y

    def state(self, name, value):
        """A state the caller gives (h0, dh_n, ...) as (num_layers, B, H); zeros if None."""
        shape = (self.L, self.H) if self.unbatched else (self.L, self.B, self.H)
        return _shaped(f"{self.name}: expected {name}", value, shape, self.dtype, zeros=True).reshape(
            self.L, self.B, self.H)

    def state_outside(self, h):
        return h[:, 0] if self.unbatched else h

    def grad_output(self, dout):
        """dL/dout as the caller gives it, checked, time first."""
        shape = (self.T, self.H) if self.unbatched else (self.B, self.T, self.H) if self.batch_first \
            else (self.T, self.B, self.H)
        return self.inside(_shaped(f"{self.name}.backward: expected dout", dout, shape, self.dtype))


# --8<-- [start:rnn_step]
def rnn_step(x_part, h_prev, W_hh, activation=np.tanh):
    """One step of the recurrence: h_t = act(x_part + W_hh h_{t-1}).

    x_part = W_ih x_t + b_ih + b_hh is all of a_t that does not wait for h_{t-1}.
    x_part, h_prev: (B, H); W_hh: (H, H) -> h_t: (B, H). RNNCell makes one step, RNN T of each layer.
    """
    return activation(x_part + h_prev @ W_hh.T)


def rnn_step_backward(dh_t, dh_da_t, W_hh):
    """One step back: (dh_t, dh_da_t) -> (da_t, dh_prev), all (B, H).

    dh_t = dL/dh_t, dh_da_t = act'(a_t); da_t = dL/da_t, dh_prev = dL/dh_{t-1}."""
    da_t = dh_t * dh_da_t  # backprop through the activation (tanh: 1 - h_t**2)
    return da_t, da_t @ W_hh  # backprop into h_{t-1} of W_hh h_{t-1}
# --8<-- [end:rnn_step]


# --8<-- [start:rnncell]
class RNNCell(Module):
    """One time step: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).

    x: (batch, input_size) or (input_size,);  h: same leading shape with hidden_size
    (zeros if None)  ->  h_t: (batch, hidden_size) or (hidden_size,)
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh",
                 dtype=np.float64, rng=None):
        _check_nonlinearity(nonlinearity)
        k = 1 / math.sqrt(hidden_size)  # torch's init: U(-1/sqrt(H), 1/sqrt(H)) for all
        self.input_size, self.hidden_size, self.nonlinearity = input_size, hidden_size, nonlinearity
        H, I = hidden_size, input_size
        self.weight_ih = Parameter(_uniform((H, I), k, dtype, rng))  # W_ih: input -> hidden, (H, I)
        self.weight_hh = Parameter(_uniform((H, H), k, dtype, rng))  # W_hh: hidden -> hidden, (H, H)
        self.bias_ih = Parameter(_uniform((H,), k, dtype, rng)) if bias else None  # b_ih, (H,)
        self.bias_hh = Parameter(_uniform((H,), k, dtype, rng)) if bias else None  # b_hh, (H,)
        self._cache = []

    def forward(self, x, h=None):
        x, h, unbatched = _cell_inputs(self, x, h)  # (B, I), (B, H): a batch of one if unbatched
        b = _data(self.bias_ih) + _data(self.bias_hh)  # b_ih + b_hh, both in a_t (0 without biases)
        x_part = x @ self.weight_ih.data.T + b  # W_ih x_t + b_ih + b_hh, (B, H)
        h_t = rnn_step(x_part, h, self.weight_hh.data, _ACTIVATIONS[self.nonlinearity])  # (B, H)
        self._cache.append((x, h, h_t, unbatched))
        return h_t[0] if unbatched else h_t
    # --8<-- [end:rnncell]

    # --8<-- [start:rnncell_backward]
    def backward(self, dh_t):
        """dh_t: dL/dh_t, shaped like h_t  ->  (dx, dh): dL/dx_t and dL/dh_{t-1}"""
        x, h, h_t, unbatched = _pop(self._cache, self)
        dh_t = _cell_grad(dh_t, h_t, unbatched)  # checked, (B, H)
        dh_da = _activation_derivative(h_t, self.nonlinearity)  # act'(a_t), (B, H)
        da, dh = rnn_step_backward(dh_t, dh_da, self.weight_hh.data)
        self.weight_ih.grad += da.T @ x  # backprop into W_ih of W_ih x_t
        self.weight_hh.grad += da.T @ h  # backprop into W_hh of W_hh h_{t-1}
        if self.bias_ih is not None:
            db = da.sum(axis=0)  # both biases were added to every row
            self.bias_ih.grad += db
            self.bias_hh.grad += db
        dx = da @ self.weight_ih.data  # backprop into x_t of W_ih x_t, (B, I)
        return (dx[0], dh[0]) if unbatched else (dx, dh)
    # --8<-- [end:rnncell_backward]


class Recurrent(Module):
    """What RNN and the gated layers GRU and LSTM (numpy_gates.py) share: torch's parameters, layer by layer.

    Layer k has weight_ih_lk: W_ih, (G, I), where layer k > 0 reads the H outputs of layer k - 1 (I = H);
    weight_hh_lk: W_hh, (G, H); and, with bias, bias_ih_lk and bias_hh_lk: b_ih, b_hh, (G,). G = GATES * H:
    the blocks of H rows of each gate, stacked (RNN 1, GRU 3, LSTM 4). All drawn as torch draws them."""
    GATES = 1

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dtype=np.float64, rng=None):
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first = bias, batch_first
        bound = 1 / math.sqrt(hidden_size)  # torch's init: U(-1/sqrt(H), 1/sqrt(H)) for all
        G, H = self.GATES * hidden_size, hidden_size
        for k in range(num_layers):  # names as torch's: weight_ih_l0, weight_hh_l0, ..., bias_hh_l1
            I = input_size if k == 0 else H
            setattr(self, f"weight_ih_l{k}", Parameter(_uniform((G, I), bound, dtype, rng)))  # W_ih, (G, I)
            setattr(self, f"weight_hh_l{k}", Parameter(_uniform((G, H), bound, dtype, rng)))  # W_hh, (G, H)
            if bias:
                setattr(self, f"bias_ih_l{k}", Parameter(_uniform((G,), bound, dtype, rng)))  # b_ih, (G,)
                setattr(self, f"bias_hh_l{k}", Parameter(_uniform((G,), bound, dtype, rng)))  # b_hh, (G,)
        self._cache = []

    def layer(self, k):
        """The Parameters (W_ih, W_hh, b_ih, b_hh) of layer k; biases are None without bias."""
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, f"{name}_l{k}", None) for name in names]


# --8<-- [start:rnn]
class RNN(Recurrent):
    """num_layers RNNCells unrolled over a whole sequence; layer k reads layer k-1's outputs.

    x: (seq_len, batch, input_size), or (batch, seq_len, input_size) if batch_first,
       or unbatched (seq_len, input_size)
    h0: (num_layers, batch, hidden_size), or (num_layers, hidden_size) if unbatched; zeros if None
    returns out: the top layer's h_t for every t, shaped like x with hidden_size last,
            h_n: the last h_t of every layer, shaped like h0
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dtype=np.float64, rng=None):
        _check_nonlinearity(nonlinearity)
        self.nonlinearity = nonlinearity
        # weight_ih_l0: W_ih (H, I), weight_hh_l0: W_hh (H, H), bias_ih_l0, bias_hh_l0: (H,); _l1 ... (Recurrent)
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dtype, rng)

    def forward(self, x, h0=None):
        x = np.asarray(x, dtype=self.weight_ih_l0.data.dtype)
        layout = _Layout(self, x)  # checks the shapes; inside, time comes first
        h0, T = layout.state("h0", h0), layout.T  # h0: (L, B, H)
        layer_input, layers = layout.inside(x), []  # (T, B, I) for layer 0, (T, B, H) above
        h_n = np.empty_like(h0)  # the last h_t of every layer, (L, B, H)
        for k in range(self.num_layers):
            W_ih, W_hh, b_ih, b_hh = (_data(p) for p in self.layer(k))  # arrays; no bias: 0
            # the part of the cell's step that does not wait for h_{t-1}, for every t at once
            x_part = layer_input @ W_ih.T + (b_ih + b_hh)  # W_ih x_t + b_ih + b_hh, (T, B, H)
            activation = _ACTIVATIONS[self.nonlinearity]
            h = np.empty((T + 1, *h0[k].shape), dtype=x.dtype)  # h[0] = h_0, h[t + 1] = h_t
            h[0] = h0[k]
            for t in range(T):  # the part that does: one step after the other
                h[t + 1] = rnn_step(x_part[t], h[t], W_hh, activation)
            layers.append((layer_input, h))
            layer_input, h_n[k] = h[1:], h[T]  # this layer's outputs feed the next layer
        self._cache.append((layers, layout))
        return layout.outside(layer_input), layout.state_outside(h_n)
    # --8<-- [end:rnn]

    # --8<-- [start:rnn_backward]
    def backward(self, dout, dh_n=None):
        """dout: dL/dout, shaped like out; dh_n: dL/dh_n, shaped like h_n (zeros if None)
        -> (dx, dh0) shaped like x and h0"""
        layers, layout = _pop(self._cache, self)
        dout, dh_n = layout.grad_output(dout), layout.state("dh_n", dh_n)  # (T, B, H), (L, B, H)
        T, B, H = layout.T, layout.B, self.hidden_size
        dh0 = np.empty_like(dh_n)
        for k in reversed(range(self.num_layers)):  # the top layer first
            W_ih, W_hh, b_ih, b_hh = self.layer(k)
            layer_input, h = layers[k]
            dh_da = _activation_derivative(h[1:], self.nonlinearity)  # act'(a_t), every step at once
            da = np.empty_like(dout)  # dL/da_t at every step, (T, B, H)
            dh_next = dh_n[k]  # dL/dh_T from h_n
            for t in reversed(range(T)):
                dh_t = dout[t] + dh_next  # h_t went up (out / next layer) and on to step t + 1
                da[t], dh_next = rnn_step_backward(dh_t, dh_da[t], W_hh.data)
            dh0[k] = dh_next
            da2 = da.reshape(T * B, H)  # the weights are shared by all steps: sum over t and batch
            W_ih.grad += da2.T @ layer_input.reshape(T * B, -1)  # backprop into W_ih of W_ih x_t
            W_hh.grad += da2.T @ h[:-1].reshape(T * B, H)  # backprop into W_hh of W_hh h_{t-1}
            if b_ih is not None:
                db = da2.sum(axis=0)  # both biases were added at every step, to every row
                b_ih.grad += db
                b_hh.grad += db
            dout = da @ W_ih.data  # backprop into this layer's input: the layer below's dout
        return layout.outside(dout), layout.state_outside(dh0)
    # --8<-- [end:rnn_backward]


# --8<-- [start:crossentropyloss]
class CrossEntropyLoss(Module):
    """Mean over N of -log softmax(logits)[target].

    logits: (N, C) floats, target: (N,) class indices -> loss: a NumPy scalar of the logits' dtype
    (loss.item() gives a Python float, as in torch)
    """

    def __init__(self):
        self._cache = []

    def forward(self, logits, target):
        logits, target = np.asarray(logits), np.asarray(target)
        if logits.ndim != 2 or target.shape != logits.shape[:1]:
            raise ValueError(f"CrossEntropyLoss: expected logits (N, C) and target (N,), "
                             f"got {logits.shape} and {target.shape}")
        if not np.issubdtype(target.dtype, np.integer):
            raise TypeError(f"CrossEntropyLoss: target must be integers, got dtype {target.dtype}")
        N, C = logits.shape
        if target.size and (target.min() < 0 or target.max() >= C):
            raise IndexError(f"CrossEntropyLoss: target {target.tolist()} out of range for {C} classes")
        z = logits - logits.max(axis=1, keepdims=True)  # shifted so exp cannot overflow
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # log softmax, (N, C)
        rows = np.arange(N)
        self._cache.append((log_p, rows, target))
        return -log_p[rows, target].mean()

    def backward(self):
        """-> dlogits: (N, C), the gradient of the loss (dL/dloss = 1)."""
        log_p, rows, target = _pop(self._cache, self)
        dlogits = np.exp(log_p)  # backprop through log softmax: softmax(logits) ...
        dlogits[rows, target] -= 1  # ... minus the one-hot target
        return dlogits / len(target)  # backprop through the mean
# --8<-- [end:crossentropyloss]


# --8<-- [start:adam]
class Adam:
    """torch.optim.Adam with its defaults (no weight decay, no amsgrad), step for step.

    For each parameter p with gradient g, at step t:
        m = beta1 m + (1 - beta1) g                 running mean of g
        v = beta2 v + (1 - beta2) g^2               running mean of g^2
        p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    """

    def __init__(self, parameters, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.parameters = list(parameters)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m = [np.zeros_like(p.data) for p in self.parameters]  # first moments, one per parameter
        self.v = [np.zeros_like(p.data) for p in self.parameters]  # second moments
        self.t = 0  # steps taken

    def zero_grad(self):
        for p in self.parameters:
            p.grad[...] = 0

    def step(self):
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1 - beta1 ** self.t)  # lr with m's bias correction
        bias_correction2_sqrt = math.sqrt(1 - beta2 ** self.t)
        for p, m, v in zip(self.parameters, self.m, self.v):
            g = p.grad
            m += (1 - beta1) * (g - m)  # = beta1 m + (1 - beta1) g, with one operation less
            v += (1 - beta2) * (g * g - v)  # = beta2 v + (1 - beta2) g^2
            p.data -= step_size * m / (np.sqrt(v) / bias_correction2_sqrt + self.eps)
# --8<-- [end:adam]


# --8<-- [start:clip]
def clip_grad_norm_(parameters, max_norm, norm_type=2.0):
    """torch.nn.utils.clip_grad_norm_: scale every .grad, in place, to a joint norm of at most max_norm.

    The joint norm is the norm of the parameters' gradient norms (= of all gradients as one
    vector). The scale max_norm / (norm + 1e-6) is capped at 1: gradients under the limit stay
    as they are. Returns the joint norm before clipping.
    """
    grads = [p.grad for p in parameters]
    norms = [np.linalg.norm(g.ravel(), norm_type) for g in grads]  # one per parameter
    total_norm = np.linalg.norm(norms, norm_type)
    clip_coef = min(max_norm / (total_norm + 1e-6), 1.0)
    for g in grads:
        g *= clip_coef  # in place, like torch
    return total_norm
# --8<-- [end:clip]


# --- The plumbing of the modules above, by public names: numpy_gates.py builds its cells and layers on it ---------
Layout = _Layout  # a layer's view of a sequence: the caller's layout (batch_first, unbatched) <-> time first
batched = _cell_inputs  # a cell's x and h checked, as a batch: (B, I), (B, H), and whether x was unbatched
data = _data  # a Parameter's array, or 0 for a bias the module does not have
pop = _pop  # the cache of the latest forward call not yet undone
shaped = _shaped  # an array that must have a given shape (None: zeros, or stays None)
uniform = _uniform  # new weights drawn from U(-bound, bound), as torch.nn.init.uniform_
