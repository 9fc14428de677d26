"""Spatial separability of a kernel: its rank, and the best sum of r separable pairs.

A k×k kernel is separable (a column times a row, one k×1 pass then one 1×k pass) exactly
when its rank is 1. The singular value decomposition says how far from separable it is:
keeping the r largest singular values gives the best rank-r kernel (Eckart–Young), a sum
of r (column, row) pairs that costs r·(kh + kw) multiplications per output instead of
kh·kw, with a relative error set by the singular values left out.
"""

from __future__ import annotations

import numbers

import numpy as np

from lessons.conv import conv2d

__all__ = [
    "approximation_error",
    "box",
    "classic_kernels",
    "disk",
    "gaussian",
    "kernel_rank",
    "laplacian_of_gaussian",
    "nested_pairs_kernel",
    "random_kernel",
    "reconstruct",
    "separable_approximation",
    "separable_conv2d",
    "singular_values",
    "sobel_x",
]


def _kernel(k) -> np.ndarray:
    k = np.asarray(k, dtype=float)
    if k.ndim != 2 or min(k.shape) < 1:
        raise ValueError(f"kernel must be a non-empty 2-D array, got shape {k.shape}")
    return k


def _size(n: object, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{name} must be an int >= 1, got {n!r}")
    return int(n)


def singular_values(kernel) -> np.ndarray:
    """Singular values of the kernel, largest first.

    Examples:
        >>> singular_values(np.outer([1, 2, 1], [-1, 0, 1])).round(6)
        array([3.464102, 0.      , 0.      ])
    """
    return np.linalg.svd(_kernel(kernel), compute_uv=False)


def kernel_rank(kernel, rtol: float = 1e-10) -> int:
    """Rank by SVD: the number of singular values above ``rtol`` times the largest one.

    Examples:
        >>> kernel_rank(sobel_x()), kernel_rank(np.eye(3))
        (1, 3)
    """
    s = singular_values(kernel)
    return int(np.sum(s > rtol * s[0])) if s[0] > 0 else 0


def separable_approximation(kernel, r: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The best rank-``r`` approximation as ``r`` (column, row) pairs: sum of outer products.

    Each pair is (√σᵢ·uᵢ, √σᵢ·vᵢ) from the SVD, so column and row carry equal scale.

    Examples:
        >>> ((column, row),) = separable_approximation(sobel_x(), 1)
        >>> np.allclose(np.outer(column, row), sobel_x())
        True
    """
    k = _kernel(kernel)
    r = _size(r, "r")
    if r > min(k.shape):
        raise ValueError(f"r must be <= min(kernel.shape) = {min(k.shape)}, got {r}")
    u, s, vt = np.linalg.svd(k)
    root = np.sqrt(s[:r])
    return tuple((u[:, i] * root[i], vt[i] * root[i]) for i in range(r))


def reconstruct(pairs) -> np.ndarray:
    """The kernel the (column, row) pairs stand for: the sum of their outer products.

    Examples:
        >>> reconstruct([(np.array([1, 2, 1]), np.array([-1, 0, 1]))])
        array([[-1,  0,  1],
               [-2,  0,  2],
               [-1,  0,  1]])
    """
    pairs = list(pairs)
    if not pairs:
        raise ValueError("pairs must hold at least one (column, row) pair")
    return sum(np.outer(c, w) for c, w in pairs)


def nested_pairs_kernel(kernel, offsets=(0, 2, 4)) -> np.ndarray:
    """The kernel that the homework's vector pairs stand for, if their passes were added.

    The student's answer takes the first column and the first row of the kernel (7×1 and
    1×7), then of the sub-matrix without the first two rows and columns (5×5), then of the
    3×3 one. Added side by side, each pair contributes the outer product ``column · row``
    in the place of its sub-matrix. This is *not* an approximation of the kernel: even its
    corner entry becomes k₀₀² instead of k₀₀, which is why the SVD is the tool to pick pairs.

    Examples:
        >>> nested_pairs_kernel(np.arange(1.0, 10.0).reshape(3, 3), offsets=(0,)).tolist()
        [[1.0, 2.0, 3.0], [4.0, 8.0, 12.0], [7.0, 14.0, 21.0]]
    """
    k = _kernel(kernel)
    out = np.zeros_like(k)
    for o in offsets:
        if isinstance(o, bool) or not isinstance(o, (int, np.integer)) or not 0 <= o < min(k.shape):
            raise ValueError(f"offsets must be ints in [0, {min(k.shape)}), got {offsets!r}")
        sub = k[o:, o:]
        out[o:, o:] += np.outer(sub[:, 0], sub[0, :])
    return out


def approximation_error(kernel, r: int) -> float:
    """Relative Frobenius error of the best rank-``r`` kernel: √(Σ_{i>r} σᵢ²) / √(Σ σᵢ²).

    Examples:
        >>> round(approximation_error(np.eye(2), 1), 4)
        0.7071
    """
    s = singular_values(kernel)
    r = _size(r, "r")
    if r > s.size:
        raise ValueError(f"r must be <= {s.size}, got {r}")
    total = float(np.sqrt(np.sum(s**2)))
    return float(np.sqrt(np.sum(s[r:] ** 2)) / total) if total else 0.0


def separable_conv2d(image, pairs, *, padding="valid") -> np.ndarray:
    """Apply Σ (column pass, then row pass) to a 2-D ``image`` with ``lessons.conv.conv2d``.

    Examples:
        >>> img = np.arange(25.0).reshape(5, 5)
        >>> np.allclose(separable_conv2d(img, [(np.ones(3), np.ones(3))]),
        ...             conv2d(img[None, None], np.ones((1, 1, 3, 3)))[0, 0])
        True
    """
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got shape {image.shape}")
    x = image[None, None]
    total = None
    for column, row in pairs:
        column, row = np.asarray(column, float), np.asarray(row, float)
        # "same" on a k×1 kernel pads only rows, on a 1×k kernel only columns: together
        # they pad like "same" on the k×k kernel
        first = conv2d(x, column.reshape(1, 1, -1, 1), padding=padding)
        out = conv2d(first, row.reshape(1, 1, 1, -1), padding=padding)
        total = out if total is None else total + out
    if total is None:
        raise ValueError("pairs must hold at least one (column, row) pair")
    return total[0, 0]


# ------------------------------------------------------------------ classic kernels


def sobel_x() -> np.ndarray:
    """The 3×3 Sobel kernel for horizontal gradients: [1, 2, 1]ᵀ · [−1, 0, 1].

    Examples:
        >>> sobel_x()[0].tolist()
        [-1.0, 0.0, 1.0]
    """
    return np.outer([1.0, 2.0, 1.0], [-1.0, 0.0, 1.0])


def box(n: int = 7) -> np.ndarray:
    """The n×n averaging kernel.

    Examples:
        >>> float(box(7).sum())
        1.0
    """
    n = _size(n)
    return np.full((n, n), 1.0 / (n * n))


def _grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    n = _size(n)
    r = np.arange(n) - (n - 1) / 2
    return np.meshgrid(r, r, indexing="ij")


def gaussian(n: int = 7, sigma: float = 1.0) -> np.ndarray:
    """The n×n Gaussian kernel with standard deviation ``sigma`` pixels, summing to 1.

    Examples:
        >>> g = gaussian(7, 1.0); round(float(g.sum()), 12), g.shape
        (1.0, (7, 7))
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}")
    y, x = _grid(n)
    k = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    return k / k.sum()


def laplacian_of_gaussian(n: int = 7, sigma: float = 1.0) -> np.ndarray:
    """The n×n Laplacian of Gaussian (a blob detector), up to scale: (r²/(2σ²) − 1)·e^(−r²/(2σ²)).

    It is a sum of two separable kernels, g''(y)·g(x) + g(y)·g''(x), so its rank is at most 2 (here exactly 2).

    Examples:
        >>> k = laplacian_of_gaussian(7, 1.0); float(k[3, 3])
        -1.0
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}")
    y, x = _grid(n)
    q = (x**2 + y**2) / (2 * sigma**2)
    return (q - 1) * np.exp(-q)


def disk(n: int = 7) -> np.ndarray:
    """The n×n disk: ones inside the inscribed circle, normalized to sum to 1.

    Examples:
        >>> (disk(5) > 0).astype(int)[0].tolist()
        [0, 1, 1, 1, 0]
    """
    y, x = _grid(n)
    radius = (n - 1) / 2 + 0.3
    k = (x**2 + y**2 <= radius**2).astype(float)
    return k / k.sum()


def random_kernel(n: int = 7, seed: int = 0) -> np.ndarray:
    """An n×n kernel of standard normal entries from a seeded generator.

    Examples:
        >>> random_kernel(7).shape
        (7, 7)
    """
    return np.random.default_rng(seed).standard_normal((_size(n), _size(n)))


def classic_kernels() -> dict[str, np.ndarray]:
    """The kernels of the lesson by key: sobel (3×3), box, gaussian, log, disk, random (7×7).

    Examples:
        >>> list(classic_kernels())
        ['sobel', 'box', 'gaussian', 'log', 'disk', 'random']
    """
    return {
        "sobel": sobel_x(),
        "box": box(7),
        "gaussian": gaussian(7, 1.0),
        "log": laplacian_of_gaussian(7, 1.0),
        "disk": disk(7),
        "random": random_kernel(7, 0),
    }
