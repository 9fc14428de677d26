"""Batch normalization for (N, D) inputs: the forward pass, its compact backward pass, a layer.

Batch normalization (Ioffe & Szegedy, 2015) normalizes every feature over the mini-batch,

    x̂ = (x − μ_B) / sqrt(σ²_B + ε),    y = γ · x̂ + β,

with the batch mean μ_B and the biased batch variance σ²_B, then lets the network scale and
shift the result with learnable γ and β. In training the statistics come from the current
mini-batch, so one sample's output depends on the other samples in its batch; the layer
also keeps running averages of them, and in evaluation mode it uses those instead, so the output
depends on the sample alone. `BatchNorm1d` follows PyTorch: the running variance
averages the *unbiased* batch variance, and ``running = (1 − momentum) · running +
momentum · batch``.

The backward pass is the compact closed form

    dx = (γ / (N · sqrt(σ²_B + ε))) · (N · dy − Σ dy − x̂ · Σ (dy · x̂)),

which the tests check against numerical gradients.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

__all__ = ["BatchNorm1d", "BatchNormCache", "batchnorm_backward", "batchnorm_forward"]


class BatchNormCache(NamedTuple):
    """What the backward pass needs from the forward pass."""

    xhat: np.ndarray      # normalized input, (N, D)
    gamma: np.ndarray     # scale, (D,)
    inv_std: np.ndarray   # 1 / sqrt(var + eps), (D,)
    mean: np.ndarray      # batch mean, (D,)
    var: np.ndarray       # biased batch variance, (D,)


def _matrix(x, name: str) -> np.ndarray:
    """``x`` as a finite float array of shape (N, D), or a clear error naming it."""
    if isinstance(x, (bool, str)) or x is None:
        raise TypeError(f"{name} must be an array of shape (N, D), got {type(x).__name__}")
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from exc
    if a.ndim != 2:
        raise ValueError(f"{name} must have shape (N, D), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, found NaN or infinity")
    return a


def _vector(v, name: str, d: int) -> np.ndarray:
    if isinstance(v, (bool, str)) or v is None:
        raise TypeError(f"{name} must be an array of shape ({d},), got {type(v).__name__}")
    a = np.asarray(v, dtype=float)
    if a.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},) to match x with {d} features, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, found NaN or infinity")
    return a


def _eps(eps) -> float:
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps must be a real number, got {type(eps).__name__}")
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number, got {eps!r}")
    return float(eps)


def _check_batch(x: np.ndarray) -> None:
    if x.shape[0] < 2:
        raise ValueError(
            "x must hold at least 2 samples in training mode: with a batch of one the batch "
            "variance is 0 and the unbiased running variance is undefined (PyTorch refuses it "
            "too); use eval() for single samples")


def batchnorm_forward(x, gamma, beta, eps: float = 1e-5) -> tuple[np.ndarray, BatchNormCache]:
    """Normalize each column of ``x`` (N, D) over the batch, then scale by γ and shift by β.

    Examples:
        >>> out, _ = batchnorm_forward([[1.0], [3.0]], [2.0], [0.5], eps=1e-12)
        >>> out.round(6).ravel().tolist()
        [-1.5, 2.5]
    """
    x = _matrix(x, "x")
    _check_batch(x)
    d = x.shape[1]
    gamma, beta = _vector(gamma, "gamma", d), _vector(beta, "beta", d)
    return _forward(x, gamma, beta, _eps(eps))


def _forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
             eps: float) -> tuple[np.ndarray, BatchNormCache]:
    """The arithmetic of batchnorm_forward on checked arguments (the hot path of training)."""
    scale = 1.0 / x.shape[0]
    mean = x.sum(axis=0) * scale          # sum·(1/n): cheaper than mean() on small arrays
    centered = x - mean
    var = (centered * centered).sum(axis=0) * scale
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = centered * inv_std
    return gamma * xhat + beta, BatchNormCache(xhat, gamma, inv_std, mean, var)


def batchnorm_backward(dout, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dx, dγ, dβ) of the loss, given its gradient ``dout`` at the output.

    Examples:
        >>> out, cache = batchnorm_forward([[1.0], [2.0], [6.0]], [1.0], [0.0])
        >>> dx, dgamma, dbeta = batchnorm_backward([[1.0], [1.0], [1.0]], cache)
        >>> bool(np.allclose(dx, 0.0)), dbeta.tolist()   # a constant shift of the output
        (True, [3.0])
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError("cache must be the BatchNormCache returned by batchnorm_forward")
    dout = _matrix(dout, "dout")
    if dout.shape != cache.xhat.shape:
        raise ValueError(f"dout must have the shape of x {cache.xhat.shape}, got {dout.shape}")
    return _backward(dout, cache)


def _backward(dout: np.ndarray, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The arithmetic of batchnorm_backward on checked arguments."""
    xhat, gamma, inv_std = cache.xhat, cache.gamma, cache.inv_std
    n = xhat.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = (gamma * inv_std / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


class BatchNorm1d:
    """Batch normalization layer for (N, D) inputs with PyTorch's running statistics.

    Examples:
        >>> bn = BatchNorm1d(1, momentum=0.5)
        >>> bn([[0.0], [2.0]]).round(3).ravel().tolist()
        [-1.0, 1.0]
        >>> bn.running_mean.tolist(), bn.running_var.tolist()   # 0.5·0 + 0.5·1, 0.5·1 + 0.5·2
        ([0.5], [1.5])
        >>> bn.eval()([[0.5]]).round(3).ravel().tolist()
        [0.0]
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        if isinstance(num_features, bool) or not isinstance(num_features, numbers.Integral):
            raise TypeError(f"num_features must be an int, got {type(num_features).__name__}")
        if num_features < 1:
            raise ValueError(f"num_features must be >= 1, got {num_features}")
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real):
            raise TypeError(f"momentum must be a real number, got {type(momentum).__name__}")
        if not (0.0 <= momentum <= 1.0):
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        self.num_features = int(num_features)
        self.eps = _eps(eps)
        self.momentum = float(momentum)
        self.gamma = np.ones(self.num_features)
        self.beta = np.zeros(self.num_features)
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)
        self.training = True

    def train(self, mode: bool = True) -> BatchNorm1d:
        """Use batch statistics (and update the running ones) from now on; returns the layer.

        Examples:
            >>> BatchNorm1d(2).train().training
            True
        """
        if not isinstance(mode, bool):
            raise TypeError(f"mode must be a bool, got {type(mode).__name__}")
        self.training = mode
        return self

    def eval(self) -> BatchNorm1d:
        """Use the running statistics from now on; returns the layer.

        Examples:
            >>> BatchNorm1d(2).eval().training
            False
        """
        return self.train(False)

    def forward(self, x) -> tuple[np.ndarray, BatchNormCache | None]:
        """Output and backward cache (None in evaluation mode); updates running stats in training.

        Examples:
            >>> out, cache = BatchNorm1d(1).forward([[1.0], [3.0]])
            >>> out.round(3).ravel().tolist(), cache is not None
            ([-1.0, 1.0], True)
        """
        x = _matrix(x, "x")
        if x.shape[1] != self.num_features:
            raise ValueError(f"x must have {self.num_features} features (columns), got {x.shape[1]}")
        if self.training:
            _check_batch(x)
        return self._forward_checked(x)

    def _forward_checked(self, x: np.ndarray) -> tuple[np.ndarray, BatchNormCache | None]:
        # for callers that already checked x (the MLP checks its input once per batch)
        if not self.training:
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
            return self.gamma * (x - self.running_mean) * inv_std + self.beta, None
        out, cache = _forward(x, self.gamma, self.beta, self.eps)
        n, m = x.shape[0], self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * cache.mean
        self.running_var = (1 - m) * self.running_var + m * cache.var * n / (n - 1)
        return out, cache

    def __call__(self, x) -> np.ndarray:
        return self.forward(x)[0]

    def __repr__(self) -> str:
        mode = "train" if self.training else "eval"
        return (f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"mode={mode})")
