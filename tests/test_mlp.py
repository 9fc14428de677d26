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
    train_many,
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


def trained_batchnorm_net(dropout=0.0):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 2))
    y = (x[:, 0] > 0).astype(int)
    net = MLP([2, 6, 6, 2], batchnorm=True, dropout=dropout, rng=1)
    train(net, x, y, steps=30, lr=0.1, rng=2)
    return net, x


def eval_by_hand(net, x):
    """The network in evaluation mode written out: running statistics, no dropout."""
    h = x
    for i in range(net.depth):
        z = h @ net.params[f"W{i}"]
        bn = net.norms[i]
        z = bn.gamma * (z - bn.running_mean) / np.sqrt(bn.running_var + bn.eps) + bn.beta
        h = np.maximum(z, 0.0)
    return h @ net.params[f"W{net.depth}"] + net.params[f"b{net.depth}"]


@pytest.mark.parametrize("dropout", [False, True])
def test_predict_uses_running_statistics_and_leaves_them_alone(dropout):
    net, x = trained_batchnorm_net(dropout=0.2 if dropout else 0.0)
    before = [(bn.running_mean.copy(), bn.running_var.copy()) for bn in net.norms]
    single = np.vstack([net.predict(x[i:i + 1], rng=0, dropout=dropout) for i in range(4)])
    assert np.all(np.isfinite(single))
    for bn, (mean, var) in zip(net.norms, before):      # evaluation never updates them
        assert np.array_equal(bn.running_mean, mean) and np.array_equal(bn.running_var, var)
    if not dropout:
        # one sample at a time equals the whole batch and the formula with running stats
        assert np.allclose(single, net.predict(x[:4]))
        assert np.allclose(single, eval_by_hand(net, x[:4]))
        assert not np.allclose(net.predict(x), net.forward(x, training=True)[0])


def test_training_updates_gamma_and_beta_in_place():
    net, _ = trained_batchnorm_net()
    for i, bn in enumerate(net.norms):
        assert net.params[f"gamma{i}"] is bn.gamma and net.params[f"beta{i}"] is bn.beta
        assert not np.allclose(bn.gamma, 1.0) and not np.allclose(bn.beta, 0.0)


def test_eval_mode_prediction_is_deterministic_and_mc_dropout_is_not():
    net, x = trained_batchnorm_net(dropout=0.5)
    x = x[:1]
    assert np.array_equal(net.predict(x), net.predict(x))
    assert np.allclose(net.predict(x), eval_by_hand(net, x))
    draws = {float(net.predict(x, rng=s, dropout=True)[0, 1]) for s in range(10)}
    assert len(draws) > 1


def test_activation_statistics_are_the_mean_and_std_of_each_layer():
    net = MLP([4, 8, 8, 8, 1], rng=0)
    x = np.random.default_rng(1).normal(size=(5, 4))
    means, stds = activation_statistics(net, x)
    h = x
    for i in range(3):            # the hidden activations written out
        h = np.maximum(h @ net.params[f"W{i}"] + net.params[f"b{i}"], 0.0)
        assert means[i] == pytest.approx(h.mean()) and stds[i] == pytest.approx(h.std())


@pytest.mark.parametrize("batchnorm", [False, True])
def test_train_many_is_train_for_each_model(batchnorm):
    data = [(np.random.default_rng(s).normal(size=(12, 2)), np.arange(12) % 2) for s in range(3)]
    lrs = [0.05, 0.1, 0.2]
    stacked = [MLP([2, 8, 8, 2], batchnorm=batchnorm, rng=s) for s in range(3)]
    runs = train_many(stacked, [d[0] for d in data], [d[1] for d in data], lrs=lrs, steps=25)
    for s, (x, y) in enumerate(data):
        alone = MLP([2, 8, 8, 2], batchnorm=batchnorm, rng=s)
        losses = train(alone, x, y, steps=25, lr=lrs[s])
        assert np.allclose(runs[s][0], losses, rtol=1e-9) and not runs[s][1]
        for k in alone.params:
            assert np.allclose(stacked[s].params[k], alone.params[k], rtol=1e-9), k
        assert np.allclose(stacked[s].predict(x), alone.predict(x), rtol=1e-9)


def test_train_many_stops_diverged_and_finished_models():
    x = np.random.default_rng(0).normal(size=(8, 2))
    y = np.arange(8) % 2
    nets = [MLP([2, 8, 2], rng=s) for s in range(2)]
    with np.errstate(all="ignore"):
        runs = train_many(nets, [x, x], [y, y], lrs=[1e4, 0.5], steps=300, max_loss=10.0, stop_below=0.3)
    (big, big_diverged), (ok, ok_diverged) = runs
    assert big_diverged and not big[-1] <= 10.0 and np.all(big[:-1] <= 10.0)
    assert not ok_diverged and ok[-1] < 0.3 and np.all(ok[:-1] >= 0.3)


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
