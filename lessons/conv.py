"""2-D convolution (cross-correlation), its exact operation count and its receptive field.

Lesson 3 replaces one 7×7 convolution with cheaper designs. To compare them honestly we need
three things that agree with each other: a fast ``conv2d`` with PyTorch semantics, a slow
plain-loop reference that *counts* the multiplications it performs, and a formula
(``cost``) for parameters, multiplications, output shape and receptive field of a stack of
layers. Tests check that the formula and the counted loop give the same number.

Multiplications are counted the way a framework performs them: every kernel tap times
every output position, including taps that land on zero padding ("same" padding
multiplies zeros too). Biases are left out of both parameters and multiplications.

Run ``python -m lessons.conv --input 20x20x1 7x1 1x7`` to count a stack of your own.
"""

from __future__ import annotations

import argparse
import numbers
import re
import sys
from dataclasses import dataclass

import numpy as np

from lessons.i18n import fmt_int, pick

__all__ = [
    "Conv",
    "ConvError",
    "Cost",
    "LayerCost",
    "conv2d",
    "conv2d_counted",
    "cost",
    "format_cost",
    "main",
    "parse_input",
    "parse_layer",
    "path_counts",
    "receptive_field",
    "resolve_padding",
    "translate",
]


class ConvError(ValueError):
    """A ValueError whose English text the CLI can also say in Ukrainian.

    ``key`` names the message in ``_MESSAGES`` and ``fields`` fill it in; ``str(error)`` is
    always the English text (the API speaks English), ``translate(error, "uk")`` the
    Ukrainian one.
    """

    def __init__(self, key: str, **fields: object):
        self.key, self.fields = key, fields
        super().__init__(_render(key, fields, "en"))


# one entry per error the CLI can reach; {…} fields that are pairs print as 7×7 in both languages
_MESSAGES = {
    "at_least_1": {"en": "{name} must be >= 1, got {got}",
                   "uk": "{name} має бути не менше 1, отримано {got}"},
    "int_at_least_1": {"en": "{name} must be an int >= 1, got {got}",
                       "uk": "{name} має бути цілим числом, не меншим за 1, отримано {got}"},
    "groups_divide": {"en": "groups={groups} must divide in_channels={c_in} and out_channels={c_out}",
                      "uk": "кількість груп {groups} має ділити кількість вхідних каналів {c_in} "
                            "і вихідних {c_out}"},
    "same_stride": {"en": 'padding="same" needs stride 1 (as in PyTorch), got stride {stride}',
                    "uk": "доповнення «same» можливе лише з кроком 1 (як і в PyTorch), а крок {stride}"},
    "too_large": {"en": "kernel {label} spans {span}, larger than the padded input {padded}",
                  "uk": "ядро {label} охоплює {span}, а доповнений вхід — лише {padded}"},
    "channels": {"en": "layer {index} ({label}) takes {c_in} channels, but its input has {got}",
                 "uk": "шар {index} ({label}) очікує {c_in} вхідних каналів, а на вході {got}"},
    "layer_input": {"en": "layer {index} on a {size} input: {reason}",
                    "uk": "шар {index} на вході {size}: {reason}"},
    "input": {"en": "--input must look like HxW or HxWxC with positive numbers (e.g. 20x20x1), got {got}",
              "uk": "--input має мати вигляд HxW або HxWxC з додатними числами (наприклад, 20x20x1), "
                    "отримано {got}"},
    "empty_layer": {"en": "empty layer: write a kernel such as 3x3 or 7x1",
                    "uk": "порожній шар: почніть з ядра, наприклад 3x3 або 7x1"},
    "kernel_word": {"en": "layer {spec}: first word must be the kernel, like 3x3 or 7x1, got {got}",
                    "uk": "шар {spec}: першим має бути ядро, наприклад 3x3 або 7x1, а не {got}"},
    "one_number": {"en": "layer {spec}: {option} takes one number of {what_en}",
                   "uk": "шар {spec}: {option} приймає одне число — {what_uk}"},
    "unknown_option": {"en": "layer {spec}: unknown option {got} (use s2, p1, same, valid, d2, g4, dw, c64)",
                       "uk": "шар {spec}: невідомий параметр {got} (можна: s2, p1, same, valid, d2, g4, "
                             "dw, c64)"},
    "in_layer": {"en": "layer {spec}: {reason}", "uk": "шар {spec}: {reason}"},
}


_NAMES_UK = {"kernel": "ядро", "stride": "крок", "dilation": "розширення", "groups": "кількість груп",
             "in_channels": "кількість вхідних каналів", "out_channels": "кількість вихідних каналів"}


def _render(key: str, fields: dict, lang: str) -> str:
    shown = {}
    for name, value in fields.items():
        if isinstance(value, ConvError):
            value = _render(value.key, value.fields, lang)
        elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
            value = f"{value[0]}×{value[1]}"
        elif name == "name" and lang == "uk":
            value = _NAMES_UK.get(str(value), value)
        elif name == "label":  # 7x7 d2 reads 7×7 d2 in a message (a spec is echoed as typed)
            value = re.sub(r"(?<=\d)x(?=\d)", "×", str(value))
        shown[name] = value
    return pick(_MESSAGES[key], lang).format(**shown)


def translate(error: Exception, lang: str = "en") -> str:
    """The message of ``error`` in ``lang``: a ConvError in its own words, anything else as is.

    Examples:
        >>> error = ConvError("too_large", label="7x7", span=(7, 7), padded=(2, 2))
        >>> str(error)
        'kernel 7×7 spans 7×7, larger than the padded input 2×2'
        >>> translate(error, "uk")
        'ядро 7×7 охоплює 7×7, а доповнений вхід — лише 2×2'
    """
    if isinstance(error, ConvError):
        return _render(error.key, error.fields, lang)
    return str(error)


def _positive_pair(value: object, name: str) -> tuple[int, int]:
    """An int or a pair of ints, each >= 1, as a pair."""
    pair = _int_pair(value, name)
    if min(pair) < 1:
        raise ConvError("at_least_1", name=name, got=repr(value))
    return pair


def _int_pair(value: object, name: str) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        items = tuple(value)
    else:
        items = (value, value)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    return int(items[0]), int(items[1])


def resolve_padding(padding: object, kernel: tuple[int, int], *, stride: tuple[int, int] = (1, 1),
                    dilation: tuple[int, int] = (1, 1)) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding as ((top, bottom), (left, right)) from an int, a pair, "valid" or "same".

    "same" pads ``dilation * (kernel - 1)`` in total per axis; when that is odd (an even
    kernel with an odd dilation), the extra row goes to the bottom and the extra column
    to the right, as in PyTorch. "same" with a stride above 1 is refused, as in PyTorch.

    Examples:
        >>> resolve_padding("same", (7, 7))
        ((3, 3), (3, 3))
        >>> resolve_padding("same", (4, 1))
        ((1, 2), (0, 0))
        >>> resolve_padding((1, 2), (3, 3))
        ((1, 1), (2, 2))
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise ConvError("same_stride", stride=stride)
            total = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((t // 2, t - t // 2) for t in total)  # type: ignore[return-value]
        raise ValueError(f'padding must be an int, a pair, "valid" or "same", got {padding!r}')
    ph, pw = _int_pair(padding, "padding")
    if min(ph, pw) < 0:
        raise ValueError(f"padding must be >= 0, got {padding!r}")
    return (ph, ph), (pw, pw)


def _check_conv_args(x, weight, stride, padding, dilation, groups):
    x = np.asarray(x)
    weight = np.asarray(weight)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {x.ndim} dimensions {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"weight must have shape (C_out, C_in/groups, kh, kw), got {weight.ndim} "
                         f"dimensions {weight.shape}")
    stride = _positive_pair(stride, "stride")
    dilation = _positive_pair(dilation, "dilation")
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups < 1:
        raise ValueError(f"groups must be an int >= 1, got {groups!r}")
    _n, c, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c % groups:
        raise ValueError(f"groups={groups} must divide the input channels {c}")
    if c_out % groups:
        raise ValueError(f"groups={groups} must divide the output channels {c_out} (weight.shape[0])")
    if c_group != c // groups:
        raise ValueError(f"channel mismatch: weight has {c_group} input channels per group, "
                         f"x has {c} channels / groups={groups} = {c // groups}")
    pads = resolve_padding(padding, (kh, kw), stride=stride, dilation=dilation)
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    padded = (h + sum(pads[0]), w + sum(pads[1]))
    if span[0] > padded[0] or span[1] > padded[1]:
        raise ValueError(f"kernel (with dilation) spans {span[0]}x{span[1]}, larger than the "
                         f"padded image {padded[0]}x{padded[1]}")
    out = ((padded[0] - span[0]) // stride[0] + 1, (padded[1] - span[1]) // stride[1] + 1)
    return x, weight, stride, dilation, pads, out


def conv2d(x, weight, *, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """Cross-correlation of (N, C, H, W) ``x`` with (C_out, C/groups, kh, kw) ``weight``, as in PyTorch.

    Vectorized: im2col in blocks of kernel rows (a few large matrix products), no loop over
    pixels; depthwise layers take a broadcast product per kernel tap. ``padding`` is an int, a pair, "valid" or "same" (see ``resolve_padding``).

    Examples:
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> conv2d(x, np.ones((1, 1, 3, 3)))[0, 0]
        array([[45., 54.],
               [81., 90.]])
        >>> conv2d(x, np.ones((1, 1, 3, 3)), padding="same").shape
        (1, 1, 4, 4)
    """
    x, weight, (sh, sw), (dh, dw), pads, (ho, wo) = _check_conv_args(
        x, weight, stride, padding, dilation, groups)
    n, c, _, _ = x.shape
    c_out, c_group, kh, kw = weight.shape
    dtype = np.result_type(x, weight, np.float64 if x.dtype.kind in "iub" else x.dtype)
    xp = np.pad(x.astype(dtype, copy=False), ((0, 0), (0, 0), pads[0], pads[1]))
    g, o_group = groups, c_out // groups
    w = weight.astype(dtype, copy=False).reshape(g, o_group, c_group, kh, kw)

    def patch(i: int, j: int) -> np.ndarray:  # what the output pixels see at tap (i, j)
        return xp[:, :, i * dh: i * dh + sh * (ho - 1) + 1: sh,
                  j * dw: j * dw + sw * (wo - 1) + 1: sw]

    if c_group == 1 and o_group == 1:  # depthwise: a broadcast product per tap, no matrices
        out = np.zeros((n, c, ho, wo), dtype=dtype)
        for i in range(kh):
            for j in range(kw):
                out += patch(i, j) * weight[:, 0, i, j].astype(dtype)[:, None, None]
        return out
    # im2col in blocks of kernel rows: the patches of `rows` kernel rows become the columns
    # of one matrix, multiplied by the matching slice of the weights in one BLAS call;
    # blocks keep the column matrix under about 32 MB
    per_row = n * c * kw * ho * wo * dtype.itemsize
    rows = max(1, min(kh, (32 << 20) // max(per_row, 1)))
    out = None
    for first in range(0, kh, rows):
        taps = [(i, j) for i in range(first, min(first + rows, kh)) for j in range(kw)]
        cols = np.empty((n, g, c_group, len(taps), ho, wo), dtype=dtype)
        for t, (i, j) in enumerate(taps):
            cols[:, :, :, t] = patch(i, j).reshape(n, g, c_group, ho, wo)
        cols = cols.reshape(n, g, c_group * len(taps), ho * wo)
        block = w[:, :, :, first: first + rows, :].reshape(g, o_group, c_group * len(taps))
        product = block @ cols  # n, g, o, pixels
        out = product if out is None else out + product
    return out.reshape(n, c_out, ho, wo)


def conv2d_counted(x, weight, *, stride=1, padding=0, dilation=1, groups=1) -> tuple[np.ndarray, int]:
    """The plain-loop reference: (output, number of multiplications it actually performed).

    Seven nested Python loops over batch, output channel, output row and column, input
    channel of the group, kernel row and column; the counter grows by one next to each
    multiplication. Slow on purpose: it is the definition, not an implementation.

    Examples:
        >>> out, count = conv2d_counted(np.ones((1, 1, 20, 20)), np.ones((1, 1, 7, 7)))
        >>> out.shape, count
        ((1, 1, 14, 14), 9604)
    """
    x, weight, (sh, sw), (dh, dw), pads, (ho, wo) = _check_conv_args(
        x, weight, stride, padding, dilation, groups)
    n, _c, _, _ = x.shape
    c_out, c_group, kh, kw = weight.shape
    xp = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), pads[0], pads[1])).tolist()
    wl = np.asarray(weight, dtype=float).tolist()
    o_group = c_out // groups
    out = np.zeros((n, c_out, ho, wo))
    count = 0
    for b in range(n):
        for o in range(c_out):
            first = (o // o_group) * c_group  # first input channel of this output's group
            for y in range(ho):
                for z in range(wo):
                    acc = 0.0
                    for ci in range(c_group):
                        image, kernel = xp[b][first + ci], wl[o][ci]
                        for i in range(kh):
                            row, krow = image[y * sh + i * dh], kernel[i]
                            for j in range(kw):
                                acc += row[z * sw + j * dw] * krow[j]
                                count += 1
                    out[b, o, y, z] = acc
    return out, count


@dataclass(frozen=True)
class Conv:
    """A convolution layer as a description: kernel, channels, stride, padding, dilation, groups.

    Examples:
        >>> Conv(7).kernel, Conv((1, 7), 64, 64, padding="same").params
        ((7, 7), 28672)
    """

    kernel: tuple[int, int]
    in_channels: int = 1
    out_channels: int = 1
    stride: tuple[int, int] = (1, 1)
    padding: object = 0
    dilation: tuple[int, int] = (1, 1)
    groups: int = 1

    def __init__(self, kernel, in_channels=1, out_channels=1, *, stride=1, padding=0,
                 dilation=1, groups=1):
        set_ = object.__setattr__
        set_(self, "kernel", _positive_pair(kernel, "kernel"))
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                            ("groups", groups)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ConvError("int_at_least_1", name=name, got=repr(value))
        set_(self, "in_channels", int(in_channels))
        set_(self, "out_channels", int(out_channels))
        set_(self, "groups", int(groups))
        set_(self, "stride", _positive_pair(stride, "stride"))
        set_(self, "dilation", _positive_pair(dilation, "dilation"))
        if in_channels % groups or out_channels % groups:
            raise ConvError("groups_divide", groups=groups, c_in=in_channels, c_out=out_channels)
        if not isinstance(padding, str):
            padding = _int_pair(padding, "padding")
        set_(self, "padding", padding)
        resolve_padding(padding, self.kernel, stride=self.stride, dilation=self.dilation)  # validates

    @property
    def pads(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """Padding as ((top, bottom), (left, right)).

        Examples:
            >>> Conv(4, padding="same").pads
            ((1, 2), (1, 2))
        """
        return resolve_padding(self.padding, self.kernel, stride=self.stride, dilation=self.dilation)

    @property
    def span(self) -> tuple[int, int]:
        """Height and width the (dilated) kernel covers on its input.

        Examples:
            >>> Conv(3, dilation=2).span
            (5, 5)
        """
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel, self.dilation))  # type: ignore[return-value]

    @property
    def params(self) -> int:
        """Weights without bias: kh · kw · (C_in / groups) · C_out.

        Examples:
            >>> Conv(7, 64, 64, groups=64).params
            3136
        """
        return self.kernel[0] * self.kernel[1] * (self.in_channels // self.groups) * self.out_channels

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """Output (H, W) for an input of ``height`` × ``width``; ValueError if the kernel does not fit.

        Examples:
            >>> Conv((7, 1)).output_size(20, 20)
            (14, 20)
        """
        (top, bottom), (left, right) = self.pads
        padded = (height + top + bottom, width + left + right)
        span = self.span
        if span[0] > padded[0] or span[1] > padded[1]:
            raise ConvError("too_large", label=self.label(), span=tuple(span), padded=padded)
        return tuple((p - s) // st + 1 for p, s, st in zip(padded, span, self.stride))  # type: ignore[return-value]

    def multiplications(self, height: int, width: int) -> int:
        """Output positions × kernel area × input channels per group × output channels.

        Examples:
            >>> Conv((7, 1)).multiplications(20, 20)
            1960
        """
        ho, wo = self.output_size(height, width)
        return ho * wo * self.params

    def label(self) -> str:
        """A short name such as ``7x1`` or ``3x3 d2 g64``, in the CLI's own syntax.

        Examples:
            >>> Conv(3, 64, 64, dilation=2, groups=64).label()
            '3x3 d2 g64'
        """
        kh, kw = self.kernel
        parts = [f"{kh}x{kw}"]
        if self.stride != (1, 1):
            parts.append("s" + _pair_text(self.stride))
        if isinstance(self.padding, str):
            parts.append(self.padding)
        elif self.padding != (0, 0):
            parts.append("p" + _pair_text(self.padding))
        if self.dilation != (1, 1):
            parts.append("d" + _pair_text(self.dilation))
        if self.groups != 1:
            parts.append(f"g{self.groups}")
        return " ".join(parts)


def _pair_text(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"


@dataclass(frozen=True)
class LayerCost:
    """One row of ``cost(...).per_layer``: the layer and what it costs on its input."""

    layer: Conv
    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    params: int
    multiplications: int
    receptive_field: tuple[int, int]


@dataclass(frozen=True)
class Cost:
    """Totals of a stack of layers on one input size; ``per_layer`` holds the rows."""

    params: int
    multiplications: int
    output_shape: tuple[int, int, int]
    receptive_field: tuple[int, int]
    per_layer: tuple[LayerCost, ...]


def _check_layers(layers) -> tuple[Conv, ...]:
    layers = tuple(layers)
    if not layers:
        raise ValueError("layers must hold at least one Conv")
    for index, layer in enumerate(layers):
        if not isinstance(layer, Conv):
            raise TypeError(f"layers[{index}] must be a Conv, got {type(layer).__name__}")
    return layers


def receptive_field(layers) -> tuple[int, int]:
    """Receptive field (rh, rw) of one output pixel of a stack, with stride and dilation.

    Each layer adds ``dilation·(k − 1)`` times the product of the strides before it.

    Examples:
        >>> receptive_field([Conv(3), Conv(3), Conv(3)])
        (7, 7)
        >>> receptive_field([Conv(3, stride=2), Conv(3, dilation=2)])
        (11, 11)
    """
    layers = _check_layers(layers)
    field = [1, 1]
    jump = [1, 1]
    for layer in layers:
        for axis in (0, 1):
            field[axis] += (layer.span[axis] - 1) * jump[axis]
            jump[axis] *= layer.stride[axis]
    return field[0], field[1]


def path_counts(layers) -> np.ndarray:
    """How many paths lead from each input pixel of the receptive field to one output pixel.

    Channels aside: one path picks one kernel tap in every layer. The map has the shape of
    ``receptive_field(layers)``; a zero inside it is a pixel the stack never sees (the
    "gridding" of stacked dilated kernels). Its sum is the product of the kernel areas.

    Examples:
        >>> path_counts([Conv((1, 3)), Conv((1, 3))]).tolist()
        [[1, 2, 3, 2, 1]]
        >>> path_counts([Conv((1, 3), dilation=2), Conv((1, 3), dilation=2)]).tolist()
        [[1, 0, 2, 0, 3, 0, 2, 0, 1]]
    """
    layers = _check_layers(layers)
    counts = np.ones((1, 1), dtype=np.int64)
    jump = [1, 1]
    for layer in layers:
        step = (layer.dilation[0] * jump[0], layer.dilation[1] * jump[1])
        kh, kw = layer.kernel
        grown = np.zeros((counts.shape[0] + (kh - 1) * step[0],
                          counts.shape[1] + (kw - 1) * step[1]), dtype=np.int64)
        for i in range(kh):
            for j in range(kw):
                grown[i * step[0]: i * step[0] + counts.shape[0],
                      j * step[1]: j * step[1] + counts.shape[1]] += counts
        counts = grown
        jump = [jump[0] * layer.stride[0], jump[1] * layer.stride[1]]
    return counts


def cost(layers, height: int, width: int) -> Cost:
    """Parameters (no bias), multiplications, output shape and receptive field of a stack.

    The input has ``layers[0].in_channels`` channels; each layer must take as many
    channels as the one before it gives.

    Examples:
        >>> c = cost([Conv(7)], 20, 20)
        >>> c.params, c.multiplications, c.output_shape, c.receptive_field
        (49, 9604, (1, 14, 14), (7, 7))
        >>> cost([Conv((7, 1)), Conv((1, 7))], 20, 20).multiplications
        3332
    """
    layers = _check_layers(layers)
    for name, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    shape = (layers[0].in_channels, int(height), int(width))
    rows = []
    for index, layer in enumerate(layers):
        if layer.in_channels != shape[0]:
            raise ConvError("channels", index=index + 1, label=layer.label(), c_in=layer.in_channels,
                            got=shape[0])
        try:
            h, w = layer.output_size(shape[1], shape[2])
        except ValueError as exc:
            reason = exc if isinstance(exc, ConvError) else str(exc)
            raise ConvError("layer_input", index=index + 1, size=(shape[1], shape[2]),
                            reason=reason) from None
        out = (layer.out_channels, h, w)
        rows.append(LayerCost(layer, shape, out, layer.params, h * w * layer.params,
                              receptive_field(layers[: index + 1])))
        shape = out
    return Cost(sum(r.params for r in rows), sum(r.multiplications for r in rows), shape,
                rows[-1].receptive_field, tuple(rows))


# ---------------------------------------------------------------- the "Count your own" CLI

_SIZE = re.compile(r"^(\d+)[x×*](\d+)(?:[x×*](\d+))?$")
_KERNEL = re.compile(r"^(\d+)(?:[x×*](\d+))?$")
_OPTION = re.compile(r"^([spdgc])(\d+(?:[x×*]\d+)?)$")


def parse_input(text: str) -> tuple[int, int, int]:
    """``HxW`` or ``HxWxC`` (the homework's 20×20×1) as (C, H, W).

    Examples:
        >>> parse_input("20x20x1"), parse_input("56x56x64")
        ((1, 20, 20), (64, 56, 56))
    """
    m = _SIZE.match(text.strip().lower())
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1 or (m.group(3) and int(m.group(3)) < 1):
        raise ConvError("input", got=repr(text))
    return int(m.group(3) or 1), int(m.group(1)), int(m.group(2))


def _parse_pair(text: str) -> int | tuple[int, int]:
    parts = re.split(r"[x×*]", text)
    return int(parts[0]) if len(parts) == 1 else (int(parts[0]), int(parts[1]))


def parse_layer(spec: str, in_channels: int) -> Conv:
    """A layer from the CLI syntax: ``KHxKW`` then options ``s`` stride, ``p`` padding
    (a number, ``same`` or ``valid``), ``d`` dilation, ``g`` groups (``dw`` = depthwise),
    ``c`` output channels (default: as many as come in).

    Examples:
        >>> parse_layer("1x7 s2 p3 d2 c64", 1).label()
        '1x7 s2 p3 d2'
        >>> parse_layer("7x7 same dw", 64).groups
        64
    """
    tokens = spec.replace(",", " ").split()
    if not tokens:
        raise ConvError("empty_layer")
    m = _KERNEL.match(tokens[0].lower())
    if not m:
        raise ConvError("kernel_word", spec=repr(spec), got=repr(tokens[0]))
    kernel = (int(m.group(1)), int(m.group(2) or m.group(1)))
    options: dict[str, object] = {}
    out_channels = in_channels
    for token in tokens[1:]:
        word = token.lower()
        if word in ("same", "valid", "psame", "pvalid"):
            options["padding"] = word.removeprefix("p")
        elif word == "dw":
            options["groups"] = in_channels
        elif o := _OPTION.match(word):
            key, value = o.group(1), _parse_pair(o.group(2))
            if key == "c":
                if isinstance(value, tuple):
                    raise ConvError("one_number", spec=repr(spec), option="c",
                                    what_en="output channels", what_uk="кількість вихідних каналів")
                out_channels = value
            elif key == "g":
                if isinstance(value, tuple):
                    raise ConvError("one_number", spec=repr(spec), option="g", what_en="groups",
                                    what_uk="кількість груп")
                options["groups"] = value
            else:
                options[{"s": "stride", "p": "padding", "d": "dilation"}[key]] = value
        else:
            raise ConvError("unknown_option", spec=repr(spec), got=repr(token))
    try:
        return Conv(kernel, in_channels, out_channels, **options)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        reason = exc if isinstance(exc, ConvError) else str(exc)
        raise ConvError("in_layer", spec=repr(spec), reason=reason) from None


_HEAD = {
    "layer": {"uk": "шар", "en": "layer"},
    "out": {"uk": "вихід C×H×W", "en": "output C×H×W"},
    "params": {"uk": "параметри", "en": "parameters"},
    "mults": {"uk": "множення", "en": "multiplications"},
    "rf": {"uk": "рецептивне поле", "en": "receptive field"},
    "total": {"uk": "разом", "en": "total"},
    "input": {"uk": "вхід", "en": "input"},
}


def format_cost(result: Cost, lang: str = "en") -> str:
    """The per-layer table the CLI prints (plain text, aligned columns).

    Examples:
        >>> print(format_cost(cost([Conv(7)], 20, 20)))  # doctest: +NORMALIZE_WHITESPACE
        layer  output C×H×W  parameters  multiplications  receptive field
        input  1×20×20
        7x7    1×14×14               49            9,604              7×7
        total  1×14×14               49            9,604              7×7
    """
    rows = [[pick(_HEAD[k], lang) for k in ("layer", "out", "params", "mults", "rf")]]
    first = result.per_layer[0].input_shape
    rows.append([pick(_HEAD["input"], lang), "×".join(map(str, first)), "", "", ""])
    for row in list(result.per_layer) + [result]:
        name = row.layer.label() if isinstance(row, LayerCost) else pick(_HEAD["total"], lang)
        rows.append([name, "×".join(map(str, row.output_shape)), fmt_int(row.params, lang),
                     fmt_int(row.multiplications, lang), "×".join(map(str, row.receptive_field))])
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [r[i].rjust(widths[i]) for i in (2, 3, 4)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lessons.conv",
        description="Count parameters, multiplications, output shapes and the receptive field "
                    "of a stack of convolutions.",
        epilog='Layer syntax: KHxKW [sN] [pN|same|valid] [dN] [gN|dw] [cN], e.g. "7x1" '
               '"1x7 same" "3x3 d2 p2 c64" "7x7 same dw". Numbers can be pairs: s1x2, p3x0. '
               "Padding defaults to 0 (valid), output channels to the input channels.")
    parser.add_argument("--input", required=True, metavar="HxWxC",
                        help="input size, e.g. 20x20x1 or 56x56x64 (C defaults to 1)")
    parser.add_argument("--lang", choices=("en", "uk"), default="en",
                        help="language of the table (default: en)")
    parser.add_argument("layers", nargs="+", metavar="LAYER", help="one quoted layer each")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv``; print the table (exit code 0) or the error (exit code 2).

    Examples:
        >>> main(["--input", "9x9", "3x3", "3x3 s2"])
        layer  output C×H×W  parameters  multiplications  receptive field
        input  1×9×9
        3x3    1×7×7                  9              441              3×3
        3x3 s2 1×3×3                  9               81              5×5
        total  1×3×3                 18              522              5×5
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        channels, height, width = parse_input(args.input)
        layers = []
        for spec in args.layers:
            layers.append(parse_layer(spec, layers[-1].out_channels if layers else channels))
        result = cost(layers, height, width)
    except ValueError as exc:
        print(pick({"en": "error: ", "uk": "помилка: "}, args.lang) + translate(exc, args.lang),
              file=sys.stderr)
        return 2
    print(format_cost(result, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
