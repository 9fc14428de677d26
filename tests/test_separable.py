"""lessons.separable: ranks derived by hand, reconstruction, Eckart–Young, and data checks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from lessons.separable import (
    approximation_error,
    box,
    classic_kernels,
    disk,
    gaussian,
    kernel_rank,
    laplacian_of_gaussian,
    nested_pairs_kernel,
    random_kernel,
    reconstruct,
    separable_approximation,
    separable_conv2d,
    singular_values,
    sobel_x,
)


def test_ranks_of_the_classic_kernels():
    # by hand: Sobel = [1 2 1]ᵀ[−1 0 1]; box = 1·1ᵀ/49; a Gaussian exp(−x²)·exp(−y²) is an
    # outer product; LoG ∝ (x² + y² − 2σ²)·g(x)g(y) = (x² − σ²)g·g + g·(y² − σ²)g: two terms;
    # the 7×7 disk has three distinct rows (3, 5 and 7 ones wide), independent
    assert kernel_rank(sobel_x()) == 1
    assert kernel_rank(box(7)) == 1
    assert kernel_rank(gaussian(7, 1.0)) == 1
    assert kernel_rank(gaussian(5, 0.7)) == 1
    assert kernel_rank(laplacian_of_gaussian(7, 1.0)) == 2
    assert kernel_rank(disk(7)) == 3
    assert kernel_rank(random_kernel(7, 0)) == 7


@pytest.mark.parametrize("scale", [1e-12, 1e-6, 1.0, 1e6, 1e12])
def test_rank_does_not_depend_on_the_kernel_scale(scale):
    # the rank of c·K is the rank of K for any c ≠ 0: the tolerance must be relative to σ₁
    # (an absolute 1e-10 gives 1e-12·Sobel rank 0, and lets rounding noise of a huge kernel count)
    assert kernel_rank(scale * sobel_x()) == 1
    assert kernel_rank(scale * laplacian_of_gaussian(7, 1.0)) == 2
    assert kernel_rank(scale * disk(7)) == 3
    assert kernel_rank(scale * random_kernel(7, 0)) == 7


def test_rank_of_the_zero_kernel_is_zero():
    assert kernel_rank(np.zeros((3, 3))) == 0


def test_zero_sum_log_has_rank_3():
    # fspecial('log')-style: the sampled LoG minus its mean. Independent of kernel_rank: count
    # singular values above 1e-10·σ₁ with numpy's own SVD
    k = laplacian_of_gaussian(7, 1.0)
    z = k - k.mean()
    s = np.linalg.svd(z, compute_uv=False)
    assert int(np.sum(s > 1e-10 * s[0])) == 3
    assert kernel_rank(z) == 3 and kernel_rank(k) == 2
    assert 1e-4 < s[2] / s[0] < 1e-3


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_each_pair_splits_sigma_equally(h, w, r, seed):
    # the docstring: each pair is (√σᵢ·uᵢ, √σᵢ·vᵢ), so ‖column‖ = ‖row‖ = √σᵢ
    k = np.random.default_rng(seed).standard_normal((h, w))
    r = min(r, h, w)
    s = np.linalg.svd(k, compute_uv=False)
    for i, (column, row) in enumerate(separable_approximation(k, r)):
        assert np.linalg.norm(column) == pytest.approx(np.sqrt(s[i]), rel=1e-10)
        assert np.linalg.norm(row) == pytest.approx(np.sqrt(s[i]), rel=1e-10)


def test_nested_pairs_kernel_by_hand():
    # 3×3 kernel 1..9, offsets 0 and 1: [1 4 7]ᵀ[1 2 3] everywhere, plus [5 8]ᵀ[5 6] in the
    # lower right 2×2
    k = np.arange(1.0, 10.0).reshape(3, 3)
    expected = np.outer([1, 4, 7], [1, 2, 3]).astype(float)
    expected[1:, 1:] += np.outer([5, 8], [5, 6])
    np.testing.assert_array_equal(nested_pairs_kernel(k, offsets=(0, 1)), expected)
    # the student's 7-5-3 recipe does not rebuild even a rank-1 kernel: its corner is k₀₀²
    g = gaussian(7, 1.0)
    assert nested_pairs_kernel(g)[0, 0] == pytest.approx(g[0, 0] ** 2)
    with pytest.raises(ValueError, match="offsets"):
        nested_pairs_kernel(g, offsets=(7,))


def test_disk_shape():
    rows = (disk(7) > 0).sum(axis=1).tolist()
    assert rows == [3, 5, 7, 7, 7, 5, 3]


def test_sobel_singular_value_by_hand():
    # ‖[1 2 1]‖·‖[−1 0 1]‖ = √6·√2
    np.testing.assert_allclose(singular_values(sobel_x()), [np.sqrt(12), 0, 0], atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_all_pairs_rebuild_the_kernel_and_error_matches_the_norm(h, w, seed):
    k = np.random.default_rng(seed).standard_normal((h, w))
    n = min(h, w)
    np.testing.assert_allclose(reconstruct(separable_approximation(k, n)), k, atol=1e-10)
    for r in range(1, n + 1):
        direct = np.linalg.norm(k - reconstruct(separable_approximation(k, r))) / np.linalg.norm(k)
        assert approximation_error(k, r) == pytest.approx(direct, abs=1e-12)
    # the error falls as r grows
    errors = [approximation_error(k, r) for r in range(1, n + 1)]
    assert all(a >= b - 1e-15 for a, b in itertools.pairwise(errors))
    assert errors[-1] == pytest.approx(0, abs=1e-12)


def test_eckart_young_beats_other_rank_one_guesses():
    k = random_kernel(7, 3)
    best = approximation_error(k, 1)
    rng = np.random.default_rng(4)
    for _ in range(200):
        c, r = rng.standard_normal(7), rng.standard_normal(7)
        scale = (c @ k @ r) / ((c @ c) * (r @ r))  # the best scale for this pair
        guess = scale * np.outer(c, r)
        assert np.linalg.norm(k - guess) / np.linalg.norm(k) >= best - 1e-12
    # the student's recipe (first row and first column) is not the best rank-1 kernel either
    c, r = k[:, 0], k[0, :] / k[0, 0]
    assert np.linalg.norm(k - np.outer(c, r)) / np.linalg.norm(k) > best


def test_rank_one_kernel_separable_pass_equals_the_full_kernel_on_data():
    rng = np.random.default_rng(7)
    image = rng.standard_normal((20, 20))
    k = gaussian(7, 1.0)
    full = correlate2d(image, k, mode="valid")  # scipy as the independent reference
    approx = separable_conv2d(image, separable_approximation(k, 1))
    assert approx.shape == (14, 14)
    np.testing.assert_allclose(approx, full, atol=1e-14)
    same = separable_conv2d(image, separable_approximation(k, 1), padding="same")
    np.testing.assert_allclose(same, correlate2d(image, k, mode="same"), atol=1e-14)


def test_random_kernel_needs_every_pair():
    rng = np.random.default_rng(8)
    image = rng.standard_normal((20, 20))
    k = random_kernel(7, 0)
    full = correlate2d(image, k, mode="valid")
    errors = [np.max(np.abs(separable_conv2d(image, separable_approximation(k, r)) - full))
              for r in range(1, 8)]
    assert errors[0] > 0.1 * np.max(np.abs(full))
    assert errors[-1] < 1e-12
    assert errors[-1] < errors[3] < errors[0]


def test_classic_kernels_are_normalized():
    ks = classic_kernels()
    assert set(ks) == {"sobel", "box", "gaussian", "log", "disk", "random"}
    for name in ("box", "gaussian", "disk"):
        assert ks[name].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: kernel_rank(np.ones(3)), ValueError, "kernel"),
    (lambda: separable_approximation(np.ones((3, 3)), 4), ValueError, "r must be"),
    (lambda: separable_approximation(np.ones((3, 3)), 0), ValueError, "r must be"),
    (lambda: approximation_error(np.ones((3, 3)), 5), ValueError, "r must be"),
    (lambda: gaussian(7, 0), ValueError, "sigma"),
    (lambda: box(0), ValueError, "n must be"),
    (lambda: reconstruct([]), ValueError, "pairs"),
    (lambda: separable_conv2d(np.ones((3, 3, 3)), []), ValueError, "image"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
