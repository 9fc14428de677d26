"""Central differences against gradients derived by hand, and the argument checks."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gradcheck import numerical_gradient, relative_error


def test_cubes_1d():
    x = np.array([1.0, -2.0, 0.5])
    # d/dxᵢ Σ xⱼ³ = 3xᵢ²
    np.testing.assert_allclose(numerical_gradient(lambda v: float((v**3).sum()), x),
                               3 * x**2, rtol=1e-8)


def test_linear_2d_is_the_weight_matrix():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4))
    x = rng.normal(size=(3, 4))
    g = numerical_gradient(lambda v: float((a * v).sum()), x)
    assert g.shape == (3, 4)
    np.testing.assert_allclose(g, a, rtol=1e-8)


def test_tanh_layer_2d():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(2, 3)), rng.normal(size=(3, 5))
    # f = Σ tanh(X W): df/dX = (1 - tanh²(XW)) Wᵀ
    expected = (1 - np.tanh(x @ w) ** 2) @ w.T
    g = numerical_gradient(lambda v: float(np.tanh(v @ w).sum()), x)
    assert relative_error(g, expected) < 1e-8


def test_x_is_restored_and_seen_in_place():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3))
    before = x.copy()
    seen = []
    numerical_gradient(lambda v: (seen.append(v is x), float(np.sin(v).sum()))[1], x)
    assert all(seen) and len(seen) == 2 * x.size
    assert np.array_equal(x, before)


@pytest.mark.parametrize("h", [0, -1e-5, "1e-5", None, True])
def test_h_validated(h):
    with pytest.raises(ValueError, match="h"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(2), h=h)


@pytest.mark.parametrize("x", [np.array([1, 2]), [1.0, 2.0], np.array([True]), 3.0])
def test_non_float_arrays_rejected(x):
    with pytest.raises(TypeError, match="float"):
        numerical_gradient(lambda v: float(np.sum(v)), x)


def test_f_must_be_callable():
    with pytest.raises(TypeError, match="callable"):
        numerical_gradient(1.0, np.ones(2))


def test_x_restored_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    assert x[0] == 1.0


def test_relative_error_basics():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(0.5)     # |1-3| / (1+3)
    assert relative_error([0.0, 1.0], [0.0, 3.0]) == pytest.approx(0.5)  # 0/0 -> 0 via eps
    assert relative_error([[1.0, 1.0]], [[1.0, -1.0]]) == pytest.approx(1.0)  # largest entry
    assert relative_error([], []) == 0.0


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        relative_error([1.0, 2.0], [[1.0, 2.0]])
