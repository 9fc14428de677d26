"""Numerical gradients by central differences: the independent check of every backward pass."""

from __future__ import annotations

from collections.abc import Callable

import math

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at ``x`` (an array of any shape).

    Each entry is nudged by ±h in place and restored, so ``f`` sees ``x`` itself; the error
    is O(h²), about 1e-10 for smooth functions with h = 1e-5 in double precision.

    Examples:
        >>> import numpy as np
        >>> g = numerical_gradient(lambda v: float((v ** 2).sum()), np.array([1.0, -3.0]))
        >>> np.round(g, 6)
        array([ 2., -6.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a numpy array of floats (the entries are nudged in place)")
    if not (isinstance(h, (int, float)) and not isinstance(h, bool) and 0 < h < math.inf):
        raise ValueError(f"h must be a positive finite number, got {h!r}")
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        try:
            x[i] = old + h
            f_plus = float(f(x))
            x[i] = old - h
            f_minus = float(f(x))
        finally:  # leave x as we found it, even when f raises
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b, eps: float = 1e-12) -> float:
    """Largest |a - b| / max(|a| + |b|, eps) over the entries, for checking array gradients.

    The denominator is |a| + |b|, not the max(|a|, |b|) of the CS231n notes
    (``lessons.pages.backprop.check_error``), so this error is between half of theirs and
    theirs: a threshold quoted for one formula is not the same threshold for the other.

    Examples:
        >>> relative_error([1.0, 2.0], [1.0, 2.0 + 2e-9]) < 1e-9
        True
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps), initial=0.0))
