"""lessons.conv against independent references: the plain loop, scipy, hand counts, papers."""

from __future__ import annotations

import re

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
    main,
    parse_input,
    parse_layer,
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


# ---------------------------------------------------------------- counts by hand and by papers


def test_homework_counts_by_hand():
    valid = cost([Conv(7)], 20, 20)
    assert valid.output_shape == (1, 14, 14) and valid.multiplications == 14 * 14 * 49
    assert cost([Conv(7, padding="same")], 20, 20).multiplications == 20 * 20 * 49
    sep = cost([Conv((7, 1)), Conv((1, 7))], 20, 20)
    assert [r.multiplications for r in sep.per_layer] == [14 * 20 * 7, 14 * 14 * 7]
    assert sep.multiplications == 3332 and sep.output_shape == (1, 14, 14)
    assert sep.per_layer[0].output_shape == (1, 14, 20)
    assert cost([Conv((7, 1), padding="same"), Conv((1, 7), padding="same")], 20, 20).multiplications == 5600
    assert sep.receptive_field == (7, 7)


def test_the_student_chain_has_a_13x13_field_and_an_8x8_output():
    chain = [Conv(s) for k in (3, 5, 7) for s in ((k, 1), (1, k))]
    c = cost(chain, 20, 20)
    assert c.receptive_field == (3 + 5 + 7 - 2, 3 + 5 + 7 - 2) == (13, 13)
    assert c.output_shape == (1, 8, 8)
    # by hand: 18×20·3, 18×18·3, 14×18·5, 14×14·5, 8×14·7, 8×8·7
    assert c.multiplications == 1080 + 972 + 1260 + 980 + 784 + 448
    same = cost([Conv(s, padding="same") for k in (3, 5, 7) for s in ((k, 1), (1, k))], 20, 20)
    assert same.multiplications == 12000  # the student's number is the "same" count


def test_separable_article_depthwise_example():
    # Chi-Feng Wang, "A Basic Introduction to Separable Convolutions": 12×12×3 input,
    # 256 kernels of 5×5×3 → 8×8×256: 1,228,800 multiplications; depthwise 4,800 +
    # pointwise 49,152 = 53,952
    standard = cost([Conv(5, 3, 256)], 12, 12)
    assert standard.output_shape == (256, 8, 8)
    assert standard.multiplications == 1_228_800
    separable = cost([Conv(5, 3, 3, groups=3), Conv(1, 3, 256)], 12, 12)
    assert [r.multiplications for r in separable.per_layer] == [4_800, 49_152]
    assert separable.multiplications == 53_952
    assert separable.output_shape == (256, 8, 8)


@pytest.mark.parametrize("c", [1, 16, 64, 512])
def test_vgg_three_3x3_against_one_7x7(c):
    three = cost([Conv(3, c, c, padding="same")] * 3, 32, 32)
    one = cost([Conv(7, c, c, padding="same")], 32, 32)
    assert three.params == 27 * c * c and one.params == 49 * c * c
    assert three.receptive_field == one.receptive_field == (7, 7)


@pytest.mark.parametrize("n, dk", [(64, 3), (256, 5), (64, 7), (1024, 3)])
def test_mobilenet_cost_ratio(n, dk):
    # Howard et al. 2017, eq. (5): (Dk²·M·Df² + M·N·Df²) / (Dk²·M·N·Df²) = 1/N + 1/Dk²
    m, df = 32, 14
    standard = cost([Conv(dk, m, n, padding="same")], df, df)
    separable = cost([Conv(dk, m, m, groups=m, padding="same"), Conv(1, m, n)], df, df)
    assert separable.multiplications / standard.multiplications == pytest.approx(1 / n + 1 / dk**2)


# ---------------------------------------------------------------- receptive fields


def test_receptive_field_by_hand():
    assert receptive_field([Conv(3)] * 3) == (7, 7)
    assert receptive_field([Conv(7)]) == (7, 7)
    assert receptive_field([Conv(3, dilation=2)]) == (5, 5)
    assert receptive_field([Conv(3), Conv(3, dilation=2)]) == (7, 7)
    # strides multiply the later layers' steps: 1 + 2 + 2·2 + 2·4
    assert receptive_field([Conv(3, stride=2), Conv(3, stride=2), Conv(3)]) == (15, 15)
    assert receptive_field([Conv((1, 7)), Conv((7, 1))]) == (7, 7)
    # width: the 1-wide kernel adds 0 but doubles the step, so the 3 adds 2·2
    assert receptive_field([Conv((3, 1), stride=(1, 2)), Conv(3)]) == (5, 5)


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
    (lambda: Conv(3, 3, 4, groups=2), "groups"),
    (lambda: Conv(0), "kernel"),
    (lambda: Conv(3, stride=2, padding="same"), "same"),
    (lambda: cost([Conv(3, 1, 8), Conv(3, 4, 4)], 10, 10), "takes 4 channels"),
    (lambda: cost([Conv(7)], 5, 5), "larger than the padded"),
    (lambda: cost([], 5, 5), "at least one"),
])
def test_bad_input_names_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="stride"):
        conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=1.5)
    with pytest.raises(TypeError, match="layers"):
        cost(["3x3"], 5, 5)


# ---------------------------------------------------------------- the CLI


def test_cli_prints_the_table(capsys):
    assert main(["--input", "20x20x1", "7x1", "1x7"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[0] == "layer"
    assert "1×14×20" in lines[2] and "1,960" in lines[2]
    assert "1,372" in lines[3] and "7×7" in lines[3]
    assert lines[-1].split()[:2] == ["total", "1×14×14"] and "3,332" in lines[-1]


def test_cli_in_ukrainian_and_with_options(capsys):
    assert main(["--lang", "uk", "--input", "56x56x64", "7x7 same dw", "1x1 c128"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("шар") and "разом" in out
    assert "128×56×56" in out
    # depthwise 7×7 on 64 channels: 49·64 weights, pointwise 64·128
    assert "3\u202f136" in out  # Ukrainian digit groups: a narrow no-break space


@pytest.mark.parametrize("argv, message", [
    (["--input", "5x5", "7x7"], "larger than the padded"),
    (["--input", "20x20x3", "3x3 g2"], "groups"),
    (["--input", "20x20", "3x3 s2 same"], "same"),
    (["--input", "20x20", "three"], "kernel"),
    (["--input", "20x20", "3x3 q4"], "unknown option"),
    (["--input", "20by20", "3x3"], "--input"),
    (["--input", "0x20", "3x3"], "--input"),
])
def test_cli_refuses_impossible_stacks(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error:") and message in captured.err


@pytest.mark.parametrize("argv, english, ukrainian", [
    (["--input", "20x20x1", "7x7", "7x7", "7x7", "7x7"],
     "error: layer 4 on a 2×2 input: kernel 7×7 spans 7×7, larger than the padded input 2×2",
     "помилка: шар 4 на вході 2×2: ядро 7×7 охоплює 7×7, а доповнений вхід — лише 2×2"),
    (["--input", "20x20x3", "3x3 g2"], "groups=2 must divide", "кількість груп 2 має ділити"),
    (["--input", "20x20", "3x3 s2 same"], 'padding="same" needs stride 1', "доповнення «same» можливе лише"),
    (["--input", "20x20", "three"], "first word must be the kernel", "першим має бути ядро"),
    (["--input", "20x20", "3x3 q4"], "unknown option 'q4'", "невідомий параметр 'q4'"),
    (["--input", "20by20", "3x3"], "--input must look like", "--input має мати вигляд"),
    (["--input", "20x20", "0x3"], "kernel must be >= 1", "ядро має бути не менше 1"),
    (["--input", "20x20", "3x3 c0"], "out_channels must be an int >= 1",
     "кількість вихідних каналів має бути цілим числом"),
    (["--input", "20x20", ""], "empty layer", "порожній шар"),
    (["--input", "20x20", "3x3 c2x2"], "c takes one number", "c приймає одне число"),
])
def test_cli_errors_speak_the_chosen_language(capsys, argv, english, ukrainian):
    assert main(["--lang", "en", *argv]) == 2
    assert english in capsys.readouterr().err
    assert main(["--lang", "uk", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("помилка: ") and ukrainian in err
    # no English sentence leaks into the Ukrainian message (user input such as 'q4' aside)
    assert not re.search(r"\b(must|layer|kernel|larger|error|got)\b", err)


def test_api_errors_stay_english():
    with pytest.raises(ValueError, match="^layer 4 on a 2×2 input: kernel 7×7 spans 7×7"):
        cost([Conv(7)] * 4, 20, 20)
    with pytest.raises(ValueError, match="^groups=2 must divide in_channels=3"):
        Conv(3, 3, 3, groups=2)


def test_cli_without_layers_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--input", "20x20"])
    assert exc.value.code == 2


def test_parsers():
    assert parse_input("20x20x1") == (1, 20, 20)
    assert parse_input("56×56×64") == (64, 56, 56)
    layer = parse_layer("1x7 s2 p3 d2 c64", 1)
    assert (layer.kernel, layer.stride, layer.padding, layer.dilation, layer.out_channels) == (
        (1, 7), (2, 2), (3, 3), (2, 2), 64)
    assert parse_layer("3x3 p1x0", 1).padding == (1, 0)
    assert parse_layer("5", 2).kernel == (5, 5)


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
