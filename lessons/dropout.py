"""Inverted dropout, and Monte Carlo dropout prediction built on it.

Dropout (Srivastava et al., 2014) zeroes each unit independently during training. Here
``p`` is the probability of *zeroing* a unit, the convention of PyTorch ``nn.Dropout(p)``,
Keras ``Dropout(rate)`` and TF2 ``tf.nn.dropout(rate=...)``; the original paper and the
CS231n notes use p for the *keep* probability (TF1 calls it ``keep_prob``). The survivors
are scaled by 1 / (1 − p) while training ("inverted" dropout), so the expected output equals
the input and evaluation needs no change at all: the layer is the identity.

Keeping dropout on at inference on purpose is Monte Carlo dropout (Gal & Ghahramani, 2016):
T stochastic passes give a mean prediction and a spread that serves as a cheap estimate of
the model's uncertainty (`mc_dropout_predict`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

__all__ = ["check_p", "dropout", "dropout_mask", "mc_dropout_predict"]


def check_p(p) -> float:
    """``p`` as a float if it is a probability in [0, 1], else a clear error.

    Examples:
        >>> check_p(0.7)
        0.7
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a real number (the probability of zeroing), got {type(p).__name__}")
    p = float(p)
    if math.isnan(p) or not (0.0 <= p <= 1.0):
        raise ValueError(f"p must be a probability in [0, 1] (of zeroing a unit), got {p!r}")
    return p


def _rng(rng) -> np.random.Generator:
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")


def dropout_mask(shape, p: float, rng=None) -> np.ndarray:
    """The multiplier dropout applies: 0 with probability ``p``, else 1 / (1 − p).

    Examples:
        >>> sorted(set(dropout_mask((2, 4), 0.5, rng=0).ravel().tolist()))
        [0.0, 2.0]
    """
    p = check_p(p)
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (int(shape),)
    if not isinstance(shape, tuple) or not all(isinstance(s, numbers.Integral) and s >= 0 for s in shape):
        raise TypeError(f"shape must be an int or a tuple of non-negative ints, got {shape!r}")
    if p == 0.0:
        return np.ones(shape)
    if p == 1.0:
        return np.zeros(shape)
    keep = _rng(rng).random(shape) >= p
    return keep / (1.0 - p)


def dropout(x, p: float, *, training: bool = True, rng=None) -> np.ndarray:
    """Zero each element of ``x`` with probability ``p`` and scale the rest by 1 / (1 − p).

    When ``training`` is False it returns ``x`` unchanged (as a new float array).

    Examples:
        >>> x = np.ones(6)
        >>> sorted(set(dropout(x, 0.5, rng=0).tolist()))   # zeroed, or doubled
        [0.0, 2.0]
        >>> dropout(x, 0.5, training=False).tolist()
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    p = check_p(p)
    if not isinstance(training, bool):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    if isinstance(x, (str, bool)) or x is None:
        raise TypeError(f"x must be an array of real numbers, got {type(x).__name__}")
    a = np.array(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError("x must be finite, found NaN or infinity")
    if not training:
        return a
    return a * dropout_mask(a.shape, p, rng)


def mc_dropout_predict(predict: Callable[[np.ndarray, np.random.Generator], np.ndarray], x, *,
                       passes: int = 100, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of ``passes`` stochastic predictions ``predict(x, rng)``.

    ``predict`` must run the model with dropout switched on and draw its masks from the
    generator it receives.

    Examples:
        >>> noisy = lambda x, rng: dropout(x, 0.5, rng=rng)
        >>> mean, std = mc_dropout_predict(noisy, np.ones(3), passes=2000, rng=0)
        >>> bool(np.allclose(mean, 1.0, atol=0.1)), bool(np.allclose(std, 1.0, atol=0.1))
        (True, True)
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    if isinstance(passes, bool) or not isinstance(passes, numbers.Integral):
        raise TypeError(f"passes must be an int, got {type(passes).__name__}")
    if passes < 2:
        raise ValueError(f"passes must be >= 2 to measure a spread, got {passes}")
    generator = _rng(rng)
    samples = np.stack([np.asarray(predict(x, generator), dtype=float) for _ in range(passes)])
    return samples.mean(axis=0), samples.std(axis=0)
