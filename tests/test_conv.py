"""lessons.conv against independent references: the plain loop, scipy, impulses.

The fast ``conv2d`` is checked against the counted loop and scipy, and the loop's count against
the formula of ``lessons.conv_cost`` (counts by hand, papers and the CLI: tests/test_conv_cost.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from lessons.conv import (
    Conv,
    conv2d,
    conv2d_counted,
    cost,
    path_counts,
    receptive_field,
    resolve_padding,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conv_case(draw):
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    choices = [st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)), st.just("valid")]
    if stride == (1, 1):
        choices.append(st.just("same"))
    padding = draw(st.one_of(*choices))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    n = draw(st.integers(1, 2))
    return {"n": n, "c_in": c_in, "c_out": c_out, "h": h, "w": w, "kernel": kernel, "stride": stride,
                "dilation": dilation, "padding": padding, "groups": groups}


def _fits(case) -> bool:
    layer = Conv(case["kernel"], case["c_in"], case["c_out"], stride=case["stride"],
                 padding=case["padding"], dilation=case["dilation"], groups=case["groups"])
    try:
        layer.output_size(case["h"], case["w"])
    except ValueError:
        return False
    return True


@SETTINGS
@given(conv_case(), st.integers(0, 2**32 - 1))
def test_conv2d_matches_the_plain_loop_and_the_count_matches_the_formula(case, seed):
    assume(_fits(case))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((case["n"], case["c_in"], case["h"], case["w"]))
    weight = rng.standard_normal((case["c_out"], case["c_in"] // case["groups"], *case["kernel"]))
    kw = {"stride": case["stride"], "padding": case["padding"], "dilation": case["dilation"],
              "groups": case["groups"]}
    fast = conv2d(x, weight, **kw)
    slow, count = conv2d_counted(x, weight, **kw)
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-10)
    layer = Conv(case["kernel"], case["c_in"], case["c_out"], **kw)
    c = cost([layer], case["h"], case["w"])
    # the count of one image, times the batch
    assert count == case["n"] * c.multiplications
    assert fast.shape == (case["n"], *c.output_shape)


def _scipy_conv(x, weight, stride, pads, dilation):
    """Independent reference: scipy's 2-D correlation per channel pair, summed over channels."""
    (sh, sw), (dh, dw) = stride, dilation
    c_out, c_in, kh, kw = weight.shape
    dilated = np.zeros((c_out, c_in, dh * (kh - 1) + 1, dw * (kw - 1) + 1))
    dilated[:, :, ::dh, ::dw] = weight
    xp = np.pad(x, ((0, 0), (0, 0), pads[0], pads[1]))
    out = []
    for b in range(x.shape[0]):
        maps = [sum(correlate2d(xp[b, c], dilated[o, c], mode="valid") for c in range(c_in))
                for o in range(c_out)]
        out.append(np.stack(maps)[:, ::sh, ::sw])
    return np.stack(out)


def _padding_by_hand(padding, kernel, dilation):
    """The padding PyTorch documents, written out here rather than taken from resolve_padding.

    "same" keeps the size at stride 1, so the dilated kernel's extra extent d·(k − 1) is padded
    in total; PyTorch puts the odd one out at the bottom / right.
    """
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        pads = []
        for k, d in zip(kernel, dilation):
            extra = d * k - d  # span − 1
            pads.append((extra // 2, extra - extra // 2))
        return tuple(pads)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    return (ph, ph), (pw, pw)


_SAME_ODD = {"n": 1, "c_in": 1, "c_out": 2, "h": 5, "w": 6, "stride": (1, 1), "padding": "same",
             "groups": 1}


@SETTINGS
@given(conv_case(), st.integers(0, 2**32 - 1))
# "same" with an odd total padding is rare among random cases: name it, so it is always run
@example({**_SAME_ODD, "kernel": (4, 2), "dilation": (1, 1)}, 0)
@example({**_SAME_ODD, "kernel": (2, 3), "dilation": (1, 2)}, 1)
@example({**_SAME_ODD, "kernel": (3, 3), "dilation": (2, 1)}, 2)
def test_conv2d_matches_scipy_correlate2d(case, seed):
    case["groups"], case["c_in"] = 1, case["c_in"] // case["groups"]
    assume(_fits(case))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((case["n"], case["c_in"], case["h"], case["w"]))
    weight = rng.standard_normal((case["c_out"], case["c_in"], *case["kernel"]))
    pads = _padding_by_hand(case["padding"], case["kernel"], case["dilation"])
    expected = _scipy_conv(x, weight, case["stride"], pads, case["dilation"])
    got = conv2d(x, weight, stride=case["stride"], padding=case["padding"],
                 dilation=case["dilation"])
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
    if case["padding"] == "same":  # the point of "same": the output keeps the input size
        assert got.shape[2:] == (case["h"], case["w"])


def test_large_layer_matches_scipy():
    # big enough to take the blocked im2col path with more than one block
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 64, 40, 40))
    w = rng.standard_normal((4, 64, 7, 7))
    np.testing.assert_allclose(conv2d(x, w, padding=3),
                               _scipy_conv(x, w, (1, 1), ((3, 3), (3, 3)), (1, 1)), atol=1e-9)


def test_depthwise_is_each_channel_on_its_own():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 8, 9))
    w = rng.standard_normal((3, 1, 3, 3))
    out = conv2d(x, w, groups=3, padding=1)
    for c in range(3):
        np.testing.assert_allclose(out[:, c:c + 1], conv2d(x[:, c:c + 1], w[c:c + 1], padding=1))


def test_same_with_an_even_kernel_pads_bottom_and_right_like_pytorch():
    # PyTorch: total padding k - 1 = 3, left = 1, right = 2
    assert resolve_padding("same", (4, 2)) == ((1, 2), (0, 1))
    x = np.arange(30.0).reshape(1, 1, 5, 6)
    w = np.ones((1, 1, 4, 2))
    out = conv2d(x, w, padding="same")
    assert out.shape == (1, 1, 5, 6)
    manual = correlate2d(np.pad(x[0, 0], ((1, 2), (0, 1))), w[0, 0], mode="valid")
    np.testing.assert_allclose(out[0, 0], manual)
    # "same" with dilation: total padding d·(k − 1)
    assert resolve_padding("same", (3, 3), dilation=(2, 1)) == ((2, 2), (1, 1))


# ---------------------------------------------------------------- receptive fields


@st.composite
def stack(draw):
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        layers.append(Conv((draw(st.integers(1, 3)), draw(st.integers(1, 3))),
                           stride=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
                           dilation=(draw(st.integers(1, 2)), draw(st.integers(1, 2)))))
    return layers


@settings(max_examples=30, deadline=None)
@given(stack())
def test_receptive_field_and_paths_match_impulses_through_conv2d(layers):
    # one impulse per input pixel (as a batch), all-ones kernels: output pixel (0, 0) of
    # image k is the number of paths from pixel k to it, and it is > 0 exactly on the field
    rh, rw = receptive_field(layers)
    h, w = rh + 4, rw + 4
    try:
        cost(layers, h, w)
    except ValueError:
        assume(False)
    x = np.eye(h * w).reshape(h * w, 1, h, w)
    for layer in layers:
        x = conv2d(x, np.ones((1, 1, *layer.kernel)), stride=layer.stride,
                   dilation=layer.dilation)
    reach = x[:, 0, 0, 0].reshape(h, w)
    rows, cols = np.nonzero(reach)
    assert (rows.max() + 1, cols.max() + 1) == (rh, rw)
    np.testing.assert_array_equal(reach[:rh, :rw], path_counts(layers))


def test_dilated_pair_has_holes():
    counts = path_counts([Conv(3, dilation=2)] * 2)
    assert counts.shape == (9, 9)
    assert np.count_nonzero(counts) == 25  # only even offsets are reached: gridding
    assert np.count_nonzero(path_counts([Conv(3), Conv(3, dilation=2)])) == 49


def test_cost_totals_and_rows_with_counted_stacks():
    rng = np.random.default_rng(5)
    layers = [Conv(3, 2, 4, padding=1), Conv(3, 4, 4, groups=2, stride=2), Conv(1, 4, 3)]
    c = cost(layers, 11, 10)
    x = rng.standard_normal((1, 2, 11, 10))
    counted = 0
    for layer in layers:
        w = rng.standard_normal((layer.out_channels, layer.in_channels // layer.groups, *layer.kernel))
        x, n = conv2d_counted(x, w, stride=layer.stride, padding=layer.padding, groups=layer.groups)
        counted += n
    assert counted == c.multiplications
    assert x.shape[1:] == c.output_shape
    assert c.params == 3 * 3 * 2 * 4 + 3 * 3 * 2 * 4 + 4 * 3
    assert sum(r.params for r in c.per_layer) == c.params


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, match", [
    (lambda: conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 5, 5))), "larger than the padded"),
    (lambda: conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 3, 3, 3)), groups=2), "groups"),
    (lambda: conv2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), groups=4), "channel mismatch"),
    (lambda: conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 3))), "channel mismatch"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=0), "stride"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), dilation=0), "dilation"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=2, padding="same"), "same"),
    (lambda: conv2d(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3))), "x must have shape"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((3, 3))), "weight must have shape"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding="full"), "padding"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding=-1), "padding"),
    (lambda: conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), groups=0), "groups"),
])
def test_bad_input_names_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="stride"):
        conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=1.5)


@st.composite
def channel_stack(draw):
    channels = draw(st.integers(1, 3))
    first = channels
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        groups = draw(st.sampled_from([g for g in (1, 2, 3) if channels % g == 0]))
        out = groups * draw(st.integers(1, 2))
        stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
        padding = draw(st.one_of(st.integers(0, 1), st.just("same") if stride == (1, 1) else st.just(0)))
        layers.append(Conv((draw(st.integers(1, 3)), draw(st.integers(1, 3))), channels, out,
                           stride=stride, padding=padding, dilation=draw(st.integers(1, 2)),
                           groups=groups))
        channels = out
    return first, layers


@settings(max_examples=25, deadline=None)
@given(channel_stack(), st.integers(4, 9), st.integers(4, 9), st.integers(0, 2**32 - 1))
def test_cost_of_random_stacks_equals_the_counted_loop(stack_, h, w, seed):
    channels, layers = stack_
    try:
        expected = cost(layers, h, w)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, channels, h, w))
    performed = 0
    for layer, row in zip(layers, expected.per_layer, strict=True):
        weight = rng.standard_normal((layer.out_channels, layer.in_channels // layer.groups,
                                      *layer.kernel))
        x, n = conv2d_counted(x, weight, stride=layer.stride, padding=layer.padding,
                              dilation=layer.dilation, groups=layer.groups)
        assert n == row.multiplications
        assert x.shape[1:] == row.output_shape
        performed += n
    assert performed == expected.multiplications
