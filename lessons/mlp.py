"""A small vectorized NumPy multilayer perceptron for the normalization and dropout experiments.

Lesson 1's scalar ``Value`` engine shows how backpropagation works, one number at a time;
it is far too slow to train a 10-layer network of width 64. This module does the same
chain rule on whole matrices. Each hidden layer is

    Linear → [BatchNorm] → tanh or ReLU → [dropout],

and the last layer is Linear alone. The choices the lesson compares are arguments:
the initialization of the weights (``"small"``: N(0, 0.01²); ``"large"``: N(0, 1);
``"xavier"``: variance 2 / (fan_in + fan_out), Glorot & Bengio 2010; ``"he"``: variance
2 / fan_in, He et al. 2015), the nonlinearity, BatchNorm on or off, and a dropout
probability. A layer followed by BatchNorm has no bias: BatchNorm's β replaces it (the
batch mean would cancel a bias exactly, so its gradient is 0).

The backward pass is checked against `lessons.gradcheck.numerical_gradient` in the
tests; BatchNorm and dropout reuse `lessons.normalization` and `lessons.dropout`.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from lessons.dropout import check_p, dropout_mask
from lessons.normalization import BatchNorm1d
from lessons.normalization import _backward as _bn_backward

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "LARGE_STD",
    "MLP",
    "SMALL_STD",
    "MLPCache",
    "activation_statistics",
    "init_std",
    "mean_squared_error",
    "softmax_cross_entropy",
    "train",
    "train_many",
]

INITS = ("small", "large", "xavier", "he")
# parameter names per layer, built once: the training loop looks them up thousands of times
_W, _B, _GAMMA, _BETA = ([f"{name}{i}" for i in range(256)] for name in ("W", "b", "gamma", "beta"))
ACTIVATIONS = ("tanh", "relu")
SMALL_STD = 0.01
LARGE_STD = 1.0


def init_std(init: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the normal distribution the weights of a layer are drawn from.

    Examples:
        >>> init_std("he", 50, 50), init_std("xavier", 50, 50), init_std("small", 50, 50)
        (0.2, 0.1414213562373095, 0.01)
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    for name, n in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"{name} must be a positive int, got {n!r}")
    if init == "small":
        return SMALL_STD
    if init == "large":
        return LARGE_STD
    if init == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    return math.sqrt(2.0 / fan_in)


class MLPCache(NamedTuple):
    """What `MLP.backward` needs from `MLP.forward`, plus the hidden activations."""

    inputs: list          # input of every linear layer
    bn_caches: list       # BatchNormCache per hidden layer (None without BatchNorm)
    activations: list     # output of every hidden nonlinearity, before dropout
    masks: list           # dropout multiplier per hidden layer (None without dropout)


class MLP:
    """A fully connected network with a choice of init, nonlinearity, BatchNorm and dropout.

    Examples:
        >>> net = MLP([2, 8, 8, 3], init="he", activation="relu", rng=0)
        >>> out, cache = net.forward(np.ones((5, 2)))
        >>> out.shape, len(cache.activations), sorted(net.params)[:3]
        ((5, 3), 2, ['W0', 'W1', 'W2'])
    """

    def __init__(self, sizes, *, init: str = "he", activation: str = "relu",
                 batchnorm: bool = False, dropout: float = 0.0, rng=None,
                 momentum: float = 0.1):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool)
                                     and s >= 1 for s in sizes):
            raise ValueError(f"sizes must list at least 2 positive ints (input, ..., output), got {sizes!r}")
        if len(sizes) > len(_W):
            raise ValueError(f"sizes allows at most {len(_W) - 1} layers, got {len(sizes) - 1}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        if not isinstance(batchnorm, bool):
            raise TypeError(f"batchnorm must be a bool, got {type(batchnorm).__name__}")
        self.sizes = [int(s) for s in sizes]
        self.init, self.activation, self.batchnorm = init, activation, batchnorm
        self.dropout = check_p(dropout)
        if self.dropout == 1.0:
            raise ValueError("dropout must be < 1: a network whose hidden units are all zeroed learns nothing")
        rng = np.random.default_rng(rng)
        self.params: dict[str, np.ndarray] = {}
        self.norms: list[BatchNorm1d | None] = []
        last = len(self.sizes) - 2
        for i, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            self.params[f"W{i}"] = rng.normal(0.0, init_std(init, fan_in, fan_out), (fan_in, fan_out))
            if i < last and batchnorm:
                bn = BatchNorm1d(fan_out, momentum=momentum)
                self.norms.append(bn)
                # the same arrays: an in-place update of the parameter updates the layer
                self.params[f"gamma{i}"], self.params[f"beta{i}"] = bn.gamma, bn.beta
            else:
                self.params[f"b{i}"] = np.zeros(fan_out)
                if i < last:
                    self.norms.append(None)

    @property
    def depth(self) -> int:
        """Number of hidden layers.

        Examples:
            >>> MLP([2, 4, 4, 1], rng=0).depth
            2
        """
        return len(self.sizes) - 2

    def forward(self, x, *, training: bool = True, rng=None,
                dropout: bool | None = None) -> tuple[np.ndarray, MLPCache]:
        """Output of the network for a batch ``x`` (N, inputs) and the cache for the backward pass.

        ``training`` selects batch statistics and dropout (True) or running statistics and
        no dropout (False). ``dropout`` overrides whether the masks are drawn (Monte Carlo
        dropout is ``training=False, dropout=True``). ``rng`` draws the dropout masks.

        Examples:
            >>> net = MLP([1, 4, 1], init="he", rng=0)
            >>> out, _ = net.forward(np.zeros((2, 1)))
            >>> out.tolist()   # zero input, zero biases: zero output
            [[0.0], [0.0]]
        """
        h = np.asarray(x, dtype=float)
        if h.ndim != 2 or h.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (N, {self.sizes[0]}), got {h.shape}")
        if not np.all(np.isfinite(h)):
            raise ValueError("x must be finite, found NaN or infinity")
        if training and self.batchnorm and h.shape[0] < 2:
            raise ValueError("x must hold at least 2 samples in training mode with BatchNorm "
                             "(the batch variance of one sample is 0); use training=False")
        if not isinstance(training, bool):
            raise TypeError(f"training must be a bool, got {type(training).__name__}")
        use_dropout = training if dropout is None else dropout
        generator = np.random.default_rng(rng) if (use_dropout and self.dropout > 0) else None
        cache = MLPCache([], [], [], [])
        params, depth, tanh = self.params, len(self.sizes) - 2, self.activation == "tanh"
        for i in range(depth + 1):
            cache.inputs.append(h)
            z = h @ params[_W[i]]
            if i == depth:
                return z + params[_B[i]], cache
            bn = self.norms[i]
            if bn is not None:
                bn.training = training
                z, bn_cache = bn._forward_checked(z)
            else:
                z, bn_cache = z + params[_B[i]], None
            a = np.tanh(z) if tanh else np.maximum(z, 0.0)
            cache.bn_caches.append(bn_cache)
            cache.activations.append(a)
            if generator is not None:
                mask = dropout_mask(a.shape, self.dropout, generator)
                cache.masks.append(mask)
                h = a * mask
            else:
                cache.masks.append(None)
                h = a
        raise AssertionError("unreachable")

    def backward(self, dout, cache: MLPCache) -> dict[str, np.ndarray]:
        """Gradients of the loss with respect to every parameter, from ``dout`` at the output.

        The forward pass must have run in training mode (BatchNorm's batch statistics).

        Examples:
            >>> net = MLP([2, 3, 1], rng=0)
            >>> out, cache = net.forward(np.ones((4, 2)))
            >>> sorted(net.backward(np.ones_like(out), cache)) == sorted(net.params)
            True
        """
        if not isinstance(cache, MLPCache):
            raise TypeError("cache must be the MLPCache returned by MLP.forward")
        grads: dict[str, np.ndarray] = {}
        d = np.asarray(dout, dtype=float)
        last, tanh = len(self.sizes) - 2, self.activation == "tanh"
        for i in range(last, -1, -1):
            if i < last:
                if cache.masks[i] is not None:
                    d = d * cache.masks[i]
                a = cache.activations[i]
                d = d * (1.0 - a * a) if tanh else d * (a > 0)
                if cache.bn_caches[i] is not None:
                    d, grads[_GAMMA[i]], grads[_BETA[i]] = _bn_backward(d, cache.bn_caches[i])
                elif self.norms[i] is not None:
                    raise ValueError("backward needs a forward pass in training mode "
                                     "(batch statistics)")
                else:
                    grads[_B[i]] = d.sum(axis=0)
            else:
                grads[_B[i]] = d.sum(axis=0)
            grads[_W[i]] = cache.inputs[i].T @ d
            if i > 0:
                d = d @ self.params[_W[i]].T
        return grads

    def predict(self, x, *, rng=None, dropout: bool = False) -> np.ndarray:
        """Output in evaluation mode (running statistics); with ``dropout=True`` masks stay on.

        ``dropout=True`` is Monte Carlo dropout: BatchNorm still uses running statistics,
        only the dropout masks are drawn (from ``rng``).

        Examples:
            >>> net = MLP([1, 8, 1], dropout=0.5, rng=0)
            >>> x = np.ones((1, 1))
            >>> bool(np.array_equal(net.predict(x), net.predict(x)))
            True
        """
        return self.forward(x, training=False, rng=rng, dropout=dropout)[0]


def softmax_cross_entropy(logits, labels) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(``logits``) against integer ``labels``, and its gradient.

    Examples:
        >>> loss, grad = softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 1]))
        >>> round(loss, 6) == round(math.log(2), 6), grad.tolist()
        (True, [[-0.25, 0.25], [0.25, -0.25]])
    """
    z = np.asarray(logits, dtype=float)
    y = np.asarray(labels)
    if z.ndim != 2:
        raise ValueError(f"logits must have shape (N, classes), got {z.shape}")
    if y.shape != (z.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be {z.shape[0]} integers, got shape {y.shape} of {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= z.shape[1]):
        raise ValueError(f"labels must lie in [0, {z.shape[1] - 1}]")
    shifted = z - z.max(axis=1, keepdims=True)
    log_prob = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = z.shape[0]
    loss = -float(log_prob[np.arange(n), y].mean())
    grad = np.exp(log_prob)
    grad[np.arange(n), y] -= 1.0
    return loss, grad / n


def mean_squared_error(pred, target) -> tuple[float, np.ndarray]:
    """Mean of the squared differences, and its gradient with respect to ``pred``.

    Examples:
        >>> loss, grad = mean_squared_error(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))
        >>> loss, grad.ravel().tolist()
        (5.0, [1.0, 3.0])
    """
    p, t = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    if p.shape != t.shape:
        raise ValueError(f"pred and target must have the same shape, got {p.shape} and {t.shape}")
    diff = p - t
    return float((diff * diff).mean()), 2.0 * diff / diff.size


_LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mean_squared_error}


def train(model: MLP, x, y, *, loss: str = "cross_entropy", steps: int = 200, lr: float = 0.1,
          momentum: float = 0.9, batch_size: int | None = None, rng=None,
          record: list | None = None, max_loss: float = math.inf) -> np.ndarray:
    """Train ``model`` in place by SGD with momentum; returns the loss of every step.

    ``batch_size=None`` uses the whole data set at every step. ``rng`` draws the
    mini-batches and the dropout masks. If the loss becomes NaN, infinite or larger than
    ``max_loss`` it raises FloatingPointError (the run diverged); pass a list as ``record``
    to keep the losses up to that point.

    Examples:
        >>> x = np.array([[-1.0], [1.0]]); y = np.array([[-1.0], [1.0]])
        >>> losses = train(MLP([1, 4, 1], rng=0), x, y, loss="mse", steps=50, lr=0.05, rng=0)
        >>> bool(losses[-1] < 0.1 * losses[0])
        True
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss must be one of {tuple(_LOSSES)}, got {loss!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    for name, value in (("lr", lr), ("momentum", momentum)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if not lr > 0 or not 0 <= momentum < 1:
        raise ValueError(f"need lr > 0 and 0 <= momentum < 1, got lr={lr!r}, momentum={momentum!r}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same number of samples, got {len(x)} and {len(y)}")
    generator = np.random.default_rng(rng)
    loss_fn = _LOSSES[loss]
    velocity = {k: np.zeros_like(v) for k, v in model.params.items()}
    losses = np.empty(steps)
    for step in range(steps):
        if batch_size is None:
            xb, yb = x, y
        else:
            idx = generator.choice(len(x), size=batch_size, replace=False)
            xb, yb = x[idx], y[idx]
        out, cache = model.forward(xb, training=True, rng=generator)
        losses[step], dout = loss_fn(out, yb)
        if record is not None:
            record.append(float(losses[step]))
        if not losses[step] <= max_loss:      # NaN compares False too
            raise FloatingPointError(f"training diverged at step {step + 1} "
                                     f"(loss {losses[step]}); lower lr")
        grads = model.backward(dout, cache)
        for k, g in grads.items():
            v = velocity[k]
            v *= momentum
            g *= lr               # the gradient arrays are ours to reuse
            v -= g
            model.params[k] += v   # in place: BatchNorm layers share gamma/beta arrays
    return losses


def train_many(models, xs, ys, *, lrs, steps: int = 200, momentum: float = 0.9,
               max_loss: float = math.inf, stop_below: float = 0.0) -> list[tuple[np.ndarray, bool]]:
    """Train several MLPs of one architecture at once: full batch, cross-entropy, SGD with momentum.

    Model ``s`` trains on ``xs[s]``, ``ys[s]`` with learning rate ``lrs[s]``, exactly as
    ``train(models[s], xs[s], ys[s], lr=lrs[s], ...)`` would, but the parameters of all the
    models are stacked along a new leading axis, so a step is one batched matrix product per
    layer for all of them. A model stops when its loss becomes NaN or exceeds ``max_loss``
    (diverged) or falls below ``stop_below`` (done); it leaves the stack, so finished models
    cost nothing. The models are updated in place (weights, BatchNorm's γ, β and running
    statistics). Returns, per model, its losses (up to and including the one that stopped
    it) and whether it diverged.

    Examples:
        >>> x = np.array([[-1.0, 0.0], [1.0, 0.0]]); y = np.array([0, 1])
        >>> nets = [MLP([2, 4, 2], rng=s) for s in range(3)]
        >>> runs = train_many(nets, [x] * 3, [y] * 3, lrs=[0.1] * 3, steps=30)
        >>> [bool(losses[-1] < losses[0]) and not diverged for losses, diverged in runs]
        [True, True, True]
    """
    models = list(models)
    if not models or not all(isinstance(m, MLP) for m in models):
        raise TypeError("models must be a non-empty sequence of MLP")
    first = models[0]
    for m in models:
        if (m.sizes, m.activation, m.batchnorm) != (first.sizes, first.activation, first.batchnorm):
            raise ValueError("models must share sizes, activation and batchnorm to train as one stack")
        if m.dropout:
            raise ValueError("models must have dropout=0 to train as one stack")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    n_models = len(models)
    rate = np.asarray(lrs, dtype=float)
    if rate.shape != (n_models,) or not np.all(np.isfinite(rate) & (rate > 0)):
        raise ValueError(f"lrs must hold one positive learning rate per model ({n_models}), got {lrs!r}")
    x = np.stack([np.asarray(v, dtype=float) for v in xs])
    y = np.stack([np.asarray(v) for v in ys])
    if x.shape[0] != n_models or x.ndim != 3 or x.shape[2] != first.sizes[0] or y.shape != x.shape[:2]:
        raise ValueError(f"xs must be {n_models} arrays (N, {first.sizes[0]}) and ys {n_models} label "
                         f"vectors (N,), got shapes {x.shape} and {y.shape}")
    n = x.shape[1]
    if first.batchnorm and n < 2:
        raise ValueError("xs must hold at least 2 samples each with BatchNorm")
    depth, tanh, bn = first.depth, first.activation == "tanh", first.batchnorm
    params = {k: np.stack([m.params[k] for m in models]) for k in first.params}
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    stats: dict[str, np.ndarray] = {}
    if bn:
        eps, mom = first.norms[0].eps, first.norms[0].momentum
        for i in range(depth):
            stats[f"mean{i}"] = np.stack([m.norms[i].running_mean for m in models])
            stats[f"var{i}"] = np.stack([m.norms[i].running_var for m in models])
    alive = np.arange(n_models)                 # which model each row of the stack is
    record: list[list[float]] = [[] for _ in models]
    diverged = [False] * n_models

    def finish(rows: np.ndarray) -> None:       # write the models of these stack rows back
        for r in rows:
            m = models[alive[r]]
            for k, v in m.params.items():
                v[...] = params[k][r]           # in place: BatchNorm shares gamma and beta
            for i, norm in enumerate(m.norms if bn else ()):
                norm.running_mean = stats[f"mean{i}"][r].copy()
                norm.running_var = stats[f"var{i}"][r].copy()

    for _ in range(steps):
        # forward, every model at once: (models, N, features)
        h, inputs, caches, acts = x, [], [], []
        for i in range(depth + 1):
            inputs.append(h)
            z = h @ params[_W[i]]
            if i == depth:
                z = z + params[_B[i]][:, None, :]
                break
            if bn:
                mean = z.sum(axis=1) / n
                centered = z - mean[:, None, :]
                var = (centered * centered).sum(axis=1) / n
                inv_std = 1.0 / np.sqrt(var + eps)
                xhat = centered * inv_std[:, None, :]
                z = params[_GAMMA[i]][:, None, :] * xhat + params[_BETA[i]][:, None, :]
                stats[f"mean{i}"] = (1 - mom) * stats[f"mean{i}"] + mom * mean
                stats[f"var{i}"] = (1 - mom) * stats[f"var{i}"] + mom * var * n / (n - 1)
                caches.append((xhat, inv_std))
            else:
                z = z + params[_B[i]][:, None, :]
            h = np.tanh(z) if tanh else np.maximum(z, 0.0)
            acts.append(h)
        # softmax cross-entropy of every model
        shifted = z - z.max(axis=2, keepdims=True)
        log_prob = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
        losses = -np.take_along_axis(log_prob, y[:, :, None], axis=2)[:, :, 0].mean(axis=1)
        stop = np.zeros(len(alive), dtype=bool)
        for r, s in enumerate(alive):
            record[s].append(float(losses[r]))
            if not losses[r] <= max_loss:       # NaN compares False too
                diverged[s] = stop[r] = True
            elif losses[r] < stop_below:
                stop[r] = True
        if stop.any():
            finish(np.nonzero(stop)[0])
            keep = ~stop
            if not keep.any():
                return [(np.array(r), dv) for r, dv in zip(record, diverged)]
            alive, x, y, rate, log_prob = alive[keep], x[keep], y[keep], rate[keep], log_prob[keep]
            params = {k: v[keep] for k, v in params.items()}
            velocity = {k: v[keep] for k, v in velocity.items()}
            stats = {k: v[keep] for k, v in stats.items()}
            inputs = [v[keep] for v in inputs]
            acts = [v[keep] for v in acts]
            caches = [(a[keep], b[keep]) for a, b in caches]
        d = np.exp(log_prob)
        np.put_along_axis(d, y[:, :, None], np.take_along_axis(d, y[:, :, None], axis=2) - 1.0, axis=2)
        d /= n
        # backward: the chain rule of MLP.backward with a leading axis
        grads = {}
        for i in range(depth, -1, -1):
            if i < depth:
                a = acts[i]
                d = d * (1.0 - a * a) if tanh else d * (a > 0)
                if bn:
                    xhat, inv_std = caches[i]
                    dbeta = d.sum(axis=1)
                    dgamma = (d * xhat).sum(axis=1)
                    grads[_GAMMA[i]], grads[_BETA[i]] = dgamma, dbeta
                    d = (params[_GAMMA[i]] * inv_std / n)[:, None, :] * (
                        n * d - dbeta[:, None, :] - xhat * dgamma[:, None, :])
                else:
                    grads[_B[i]] = d.sum(axis=1)
            else:
                grads[_B[i]] = d.sum(axis=1)
            grads[_W[i]] = inputs[i].transpose(0, 2, 1) @ d
            if i > 0:
                d = d @ params[_W[i]].transpose(0, 2, 1)
        for k, g in grads.items():
            v = velocity[k]
            v *= momentum
            v -= g * rate.reshape((-1,) + (1,) * (g.ndim - 1))
            params[k] += v
    finish(np.arange(len(alive)))
    return [(np.array(r), dv) for r, dv in zip(record, diverged)]


def activation_statistics(model: MLP, x) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of every hidden layer's activations for the batch ``x``.

    Runs in training mode; the statistics are taken before dropout, so the masks do not
    affect them, and BatchNorm uses the statistics of ``x`` itself.

    Examples:
        >>> means, stds = activation_statistics(MLP([4, 16, 16, 1], rng=0), np.ones((8, 4)))
        >>> means.shape, stds.shape
        ((2,), (2,))
    """
    _, cache = model.forward(x, training=True, rng=0)
    means = np.array([a.mean() for a in cache.activations])
    stds = np.array([a.std() for a in cache.activations])
    return means, stds
