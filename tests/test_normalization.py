"""Batch normalization: forward against the formula, backward against numerical gradients,
running statistics against a hand-written PyTorch-style update, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.gradcheck import numerical_gradient, relative_error
from lessons.normalization import BatchNorm1d, batchnorm_backward, batchnorm_forward


def reference_forward(x, gamma, beta, eps):
    """Per column, written out with plain loops: the definition in Ioffe & Szegedy (Alg. 1)."""
    n, d = x.shape
    out = np.empty_like(x)
    for j in range(d):
        col = [float(v) for v in x[:, j]]
        mu = sum(col) / n
        var = sum((v - mu) ** 2 for v in col) / n
        for i in range(n):
            out[i, j] = gamma[j] * (col[i] - mu) / (var + eps) ** 0.5 + beta[j]
    return out


def test_forward_matches_the_definition():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(7, 4))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    out, _ = batchnorm_forward(x, gamma, beta, eps=1e-3)
    assert np.allclose(out, reference_forward(x, gamma, beta, 1e-3), atol=1e-12)


def test_forward_hand_values():
    # column [1, 3]: mean 2, biased variance 1 -> [-1, 1]; then 2 * x + 0.5
    out, _ = batchnorm_forward(np.array([[1.0], [3.0]]), np.array([2.0]), np.array([0.5]), eps=1e-12)
    assert out.ravel().tolist() == pytest.approx([-1.5, 2.5])


def test_output_has_zero_mean_and_unit_variance_with_identity_affine():
    x = np.random.default_rng(1).normal(-4.0, 9.0, size=(32, 3))
    out, _ = batchnorm_forward(x, np.ones(3), np.zeros(3))
    assert np.allclose(out.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(out.var(axis=0), 1.0, atol=1e-5)


@pytest.mark.parametrize("shape", [(3, 1), (5, 3), (9, 2)])
def test_backward_matches_numerical_gradients(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape)
    gamma, beta = rng.normal(size=shape[1]), rng.normal(size=shape[1])
    w = rng.normal(size=shape)            # loss = sum(out * w), so dout = w

    def loss(xx, gg, bb):
        return float((batchnorm_forward(xx, gg, bb)[0] * w).sum())

    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(w, cache)
    assert relative_error(dx, numerical_gradient(lambda v: loss(v, gamma, beta), x.copy())) < 1e-6
    assert relative_error(dgamma, numerical_gradient(lambda v: loss(x, v, beta), gamma.copy())) < 1e-7
    assert relative_error(dbeta, numerical_gradient(lambda v: loss(x, gamma, v), beta.copy())) < 1e-7


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 6), d=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_backward_gradient_sums_to_zero_over_the_batch(n, d, seed):
    # out is invariant to adding a constant to a column, so dx sums to 0 per column
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 5.0)
    _, cache = batchnorm_forward(x, rng.normal(size=d), rng.normal(size=d))
    dx, _, _ = batchnorm_backward(rng.normal(size=(n, d)), cache)
    assert np.allclose(dx.sum(axis=0), 0.0, atol=1e-8)


def test_running_statistics_follow_the_pytorch_update():
    rng = np.random.default_rng(2)
    bn = BatchNorm1d(3, momentum=0.2)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(4):
        x = rng.normal(1.0, 3.0, size=(6, 3))
        bn(x)
        n = len(x)
        unbiased = ((x - x.mean(axis=0)) ** 2).sum(axis=0) / (n - 1)
        mean = 0.8 * mean + 0.2 * x.mean(axis=0)
        var = 0.8 * var + 0.2 * unbiased
    assert np.allclose(bn.running_mean, mean)
    assert np.allclose(bn.running_var, var)


def test_eval_mode_uses_running_statistics_and_does_not_update_them():
    bn = BatchNorm1d(2)
    bn.running_mean = np.array([1.0, -2.0])
    bn.running_var = np.array([4.0, 9.0])
    bn.gamma, bn.beta = np.array([2.0, 1.0]), np.array([0.0, 1.0])
    bn.eval()
    x = np.array([[3.0, 1.0]])              # a single sample is fine in eval mode
    expected = [2.0 * (3.0 - 1.0) / np.sqrt(4.0 + 1e-5), (1.0 + 2.0) / np.sqrt(9.0 + 1e-5) + 1.0]
    assert bn(x).ravel().tolist() == pytest.approx(expected)
    assert bn.running_mean.tolist() == [1.0, -2.0] and bn.running_var.tolist() == [4.0, 9.0]


def test_same_sample_in_two_batches_differs_in_training_agrees_in_eval():
    bn = BatchNorm1d(1)
    a, b = np.array([[3.0], [0.0], [1.0]]), np.array([[3.0], [8.0], [6.0]])
    assert bn(a)[0, 0] != pytest.approx(bn(b)[0, 0])
    bn.eval()
    assert bn(a)[0, 0] == bn(b)[0, 0]


def test_train_and_eval_switch_modes():
    bn = BatchNorm1d(1)
    assert bn.training and not bn.eval().training and bn.train().training


@pytest.mark.parametrize("bad, message", [
    (np.ones((1, 3)), "at least 2 samples"),
    (np.ones(3), r"shape \(N, D\)"),
    (np.array([[1.0, np.nan, 0.0], [0.0, 1.0, 2.0]]), "x must be finite"),
    (np.array([[1.0, np.inf, 0.0], [0.0, 1.0, 2.0]]), "x must be finite"),
])
def test_bad_x_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        batchnorm_forward(bad, np.ones(3), np.zeros(3))


def test_batch_of_one_is_refused_in_training_mode_only():
    bn = BatchNorm1d(2)
    with pytest.raises(ValueError, match="batch variance is 0"):
        bn(np.ones((1, 2)))
    assert bn.eval()(np.ones((1, 2))).shape == (1, 2)


def test_shape_mismatch_names_the_parameter():
    x = np.ones((4, 3))
    with pytest.raises(ValueError, match="gamma must have shape"):
        batchnorm_forward(x, np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="beta must have shape"):
        batchnorm_forward(x, np.ones(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="3 features"):
        BatchNorm1d(3)(np.ones((4, 2)))
    _, cache = batchnorm_forward(x + np.arange(4)[:, None], np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="dout"):
        batchnorm_backward(np.ones((4, 2)), cache)


@pytest.mark.parametrize("kwargs, error", [
    ({"num_features": 0}, ValueError), ({"num_features": 2.0}, TypeError),
    ({"num_features": 2, "momentum": 1.5}, ValueError), ({"num_features": 2, "eps": 0.0}, ValueError),
    ({"num_features": 2, "eps": float("nan")}, ValueError),
])
def test_bad_layer_arguments(kwargs, error):
    with pytest.raises(error):
        BatchNorm1d(**kwargs)


def test_identity_needs_gamma_sqrt_var_eps_and_beta_mean_with_batch_statistics():
    # the page: "if γ = √(σ_B² + ε) and β = μ_B, the layer in training mode gives back its input"
    x = np.random.default_rng(3).normal(2.0, 3.0, size=(7, 2))
    eps = 1e-5
    mean, var = x.mean(axis=0), x.var(axis=0)          # the biased batch variance
    out, _ = batchnorm_forward(x, np.sqrt(var + eps), mean, eps=eps)
    assert np.allclose(out, x)
    out, _ = batchnorm_forward(x, np.sqrt(var), mean, eps=eps)       # γ = σ alone is not exact
    assert not np.allclose(out, x, rtol=0, atol=1e-9)
    bn = BatchNorm1d(2, eps=eps)                      # in evaluation mode the running stats rule
    bn.gamma[:], bn.beta[:] = np.sqrt(var + eps), mean
    assert not np.allclose(bn.eval()(x), x)
