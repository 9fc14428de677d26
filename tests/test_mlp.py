"""The NumPy MLP: backward pass against numerical gradients in every configuration, the
initialization scales, the losses, training, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons.gradcheck import numerical_gradient, relative_error
from lessons.mlp import (
    MLP,
    activation_statistics,
    init_std,
    mean_squared_error,
    softmax_cross_entropy,
    train,
)


def check_gradients(net: MLP, x, y, *, dropout_seed=None, tol=1e-6):
    """Compare MLP.backward with central differences of the cross-entropy loss."""
    def loss():
        out, _ = net.forward(x, training=True, rng=dropout_seed)
        return softmax_cross_entropy(out, y)[0]

    out, cache = net.forward(x, training=True, rng=dropout_seed)
    _, dout = softmax_cross_entropy(out, y)
    grads = net.backward(dout, cache)
    assert sorted(grads) == sorted(net.params)
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda _v: loss(), param)
        assert relative_error(grads[name], numeric) < tol, name


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("batchnorm", [False, True])
def test_backward_matches_numerical_gradients(activation, batchnorm):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3))
    y = np.array([0, 1, 2, 1, 0, 2])
    net = MLP([3, 5, 4, 3], init="he", activation=activation, batchnorm=batchnorm, rng=1)
    if batchnorm:   # non-trivial gamma and beta
        for k, v in net.params.items():
            if k.startswith(("gamma", "beta")):
                v[:] = rng.normal(size=v.shape)
    check_gradients(net, x, y)


def test_backward_with_dropout_uses_the_same_masks():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(5, 2))
    y = np.array([0, 1, 1, 0, 1])
    net = MLP([2, 6, 6, 2], init="xavier", activation="tanh", dropout=0.3, rng=3)
    check_gradients(net, x, y, dropout_seed=7)


def test_backward_regression_loss():
    rng = np.random.default_rng(4)
    x, t = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    net = MLP([2, 5, 1], activation="relu", rng=5)
    out, cache = net.forward(x)
    _, dout = mean_squared_error(out, t)
    grads = net.backward(dout, cache)
    w = net.params["W0"]
    numeric = numerical_gradient(lambda _v: mean_squared_error(net.forward(x)[0], t)[0], w)
    assert relative_error(grads["W0"], numeric) < 1e-6


@pytest.mark.parametrize("init, expected", [
    ("small", 0.01), ("large", 1.0), ("xavier", math.sqrt(2 / (64 + 32))), ("he", math.sqrt(2 / 64)),
])
def test_init_std(init, expected):
    assert init_std(init, 64, 32) == pytest.approx(expected)


def test_weights_follow_the_chosen_scale():
    net = MLP([400, 400, 1], init="he", rng=0)
    assert np.std(net.params["W0"]) == pytest.approx(math.sqrt(2 / 400), rel=0.02)


def test_batchnorm_layers_have_no_bias_and_share_gamma_with_the_layer():
    net = MLP([2, 4, 4, 1], batchnorm=True, rng=0)
    assert "b0" not in net.params and "gamma0" in net.params and "b2" in net.params
    net.params["gamma0"] += 1.0
    assert np.all(net.norms[0].gamma == 2.0)


def test_softmax_cross_entropy_against_a_direct_formula():
    z = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 3.0]])
    y = np.array([0, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss, grad = softmax_cross_entropy(z, y)
    assert loss == pytest.approx(-np.mean(np.log(p[[0, 1], y])))
    onehot = np.eye(3)[y]
    assert np.allclose(grad, (p - onehot) / 2)


def test_training_lowers_the_loss_and_is_reproducible():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    runs = [train(MLP([2, 16, 16, 2], rng=1), x, y, steps=150, lr=0.1, rng=2) for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])
    assert runs[0][-1] < 0.5 * runs[0][0]


def test_divergence_is_reported():
    x = np.random.default_rng(0).normal(size=(16, 2))
    y = 3 * x[:, :1]
    record: list = []
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="diverged"):
        train(MLP([2, 8, 1], activation="tanh", rng=0), x, y, loss="mse", steps=200, lr=50.0,
              record=record)
    assert len(record) >= 2 and not math.isfinite(record[-1]) and math.isfinite(record[0])


def test_eval_mode_prediction_is_deterministic_and_mc_dropout_is_not():
    net = MLP([1, 16, 1], dropout=0.5, rng=0)
    x = np.ones((1, 1))
    assert net.predict(x) == net.predict(x)
    draws = {float(net.predict(x, rng=s, dropout=True)[0, 0]) for s in range(10)}
    assert len(draws) > 1


def test_activation_statistics_shapes():
    means, stds = activation_statistics(MLP([4, 8, 8, 8, 1], rng=0), np.ones((5, 4)))
    assert means.shape == stds.shape == (3,)


@pytest.mark.parametrize("kwargs", [
    {"sizes": [3]}, {"sizes": [3, 0, 1]}, {"sizes": [2, 2], "init": "glorot"},
    {"sizes": [2, 2], "activation": "sigmoid"}, {"sizes": [2, 2], "dropout": 1.0},
    {"sizes": [2, 2], "dropout": -0.5},
])
def test_bad_configuration(kwargs):
    with pytest.raises(ValueError):
        MLP(rng=0, **kwargs)


def test_bad_forward_and_train_input():
    net = MLP([3, 4, 2], rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3\)"):
        net.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="x must be finite"):
        net.forward(np.array([[1.0, np.nan, 0.0]]))
    with pytest.raises(ValueError, match="same number of samples"):
        train(net, np.ones((4, 3)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="labels"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 2]))
