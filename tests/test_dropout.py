"""Dropout: drop fraction, inverted scaling, expectation, evaluation mode, edge cases, bad input,
and Monte Carlo prediction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from lessons.dropout import check_p, dropout, dropout_mask, mc_dropout_predict

N = 200_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.7, 0.9])
def test_drop_fraction_is_p_within_a_binomial_bound(p):
    out = dropout(np.ones(N), p, rng=np.random.default_rng(11))
    zeros = int(np.sum(out == 0.0))
    # two-sided binomial test: a correct implementation fails this with probability 1e-6
    assert stats.binomtest(zeros, N, p).pvalue > 1e-6
    assert abs(zeros / N - p) < 6 * math.sqrt(p * (1 - p) / N)


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_survivors_are_scaled_by_one_over_keep_probability(p):
    x = np.random.default_rng(3).uniform(1.0, 2.0, size=1000)
    out = dropout(x, p, rng=np.random.default_rng(4))
    kept = out != 0.0
    assert np.allclose(out[kept], x[kept] / (1.0 - p))


def test_expectation_is_preserved():
    p, x = 0.7, np.linspace(-2.0, 3.0, 5)
    outs = np.stack([dropout(x, p, rng=np.random.default_rng(s)) for s in range(4000)])
    # standard error of the mean of x/(1-p)·Bernoulli(1-p): |x|·sqrt(p/(1-p)/n)
    se = np.abs(x) * math.sqrt(p / (1 - p) / len(outs))
    assert np.all(np.abs(outs.mean(axis=0) - x) < 5 * se + 1e-12)


def test_evaluation_mode_is_the_identity():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    out = dropout(x, 0.7, training=False, rng=np.random.default_rng(0))
    assert np.array_equal(out, x) and out is not x


def test_p_zero_keeps_everything_and_p_one_zeroes_everything():
    x = np.arange(1.0, 6.0)
    assert np.array_equal(dropout(x, 0.0, rng=1), x)
    out = dropout(x, 1.0, rng=1)
    assert np.array_equal(out, np.zeros(5)) and np.all(np.isfinite(out))


def test_seeded_rng_is_reproducible():
    x = np.ones(50)
    a = dropout(x, 0.5, rng=np.random.default_rng(9))
    b = dropout(x, 0.5, rng=np.random.default_rng(9))
    c = dropout(x, 0.5, rng=np.random.default_rng(10))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.array_equal(dropout(x, 0.5, rng=9), a)      # an int seed means the same


def test_mask_values_and_shape():
    mask = dropout_mask((3, 4), 0.75, rng=0)
    assert mask.shape == (3, 4) and set(np.unique(mask)) <= {0.0, 4.0}
    assert dropout_mask(5, 0.5, rng=0).shape == (5,)


@pytest.mark.parametrize("p", [-0.1, 1.01, float("nan"), float("inf")])
def test_p_outside_unit_interval_is_refused(p):
    with pytest.raises(ValueError, match="p must be a probability"):
        dropout(np.ones(3), p)


@pytest.mark.parametrize("p", ["0.5", None, True])
def test_p_of_wrong_type_is_refused(p):
    with pytest.raises(TypeError, match="p must be a real number"):
        check_p(p)


def test_bad_x_training_and_rng():
    with pytest.raises(ValueError, match="x must be finite"):
        dropout(np.array([1.0, np.nan]), 0.5)
    with pytest.raises(TypeError, match="training must be a bool"):
        dropout(np.ones(2), 0.5, training=1)
    with pytest.raises(TypeError, match="rng must be"):
        dropout(np.ones(2), 0.5, rng="seed")
    with pytest.raises(TypeError, match="x must be"):
        dropout(None, 0.5)


def test_mc_dropout_mean_and_spread_match_the_bernoulli_moments():
    # one unit x·Bernoulli(1-p)/(1-p): mean x, std |x|·sqrt(p/(1-p))
    p, x = 0.5, np.array([2.0, -1.0])
    mean, std = mc_dropout_predict(lambda v, r: dropout(v, p, rng=r), x, passes=20_000, rng=5)
    assert np.allclose(mean, x, atol=0.05)
    assert np.allclose(std, np.abs(x) * math.sqrt(p / (1 - p)), rtol=0.03)


def test_mc_dropout_is_reproducible_and_checks_its_arguments():
    f = lambda v, r: dropout(v, 0.3, rng=r)
    a = mc_dropout_predict(f, np.ones(4), passes=10, rng=1)
    b = mc_dropout_predict(f, np.ones(4), passes=10, rng=1)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    with pytest.raises(ValueError, match="passes"):
        mc_dropout_predict(f, np.ones(4), passes=1)
    with pytest.raises(TypeError, match="predict"):
        mc_dropout_predict(None, np.ones(4))
