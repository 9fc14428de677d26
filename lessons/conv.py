"""2-D convolution (cross-correlation) with PyTorch semantics, and a loop that counts its work.

Lesson 3 replaces one 7×7 convolution with cheaper designs. To compare them honestly we need
three things that agree with each other: a fast ``conv2d`` with PyTorch semantics, a slow
plain-loop reference that *counts* the multiplications it performs, and a formula
(``cost``) for parameters, multiplications, output shape and receptive field of a stack of
layers. Tests check that the formula and the counted loop give the same number.

The formula and the layer description live in ``lessons.conv_cost`` (no numpy, so they
also run in the reader's browser); this module re-exports them, so ``lessons.conv.Conv``,
``cost``, ``receptive_field`` and the CLI keep their names (they are the same objects).

Run ``python -m lessons.conv --input 20x20x1 7x1 1x7`` to count a stack of your own.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

from lessons.conv_cost import (
    Conv,
    ConvError,
    Cost,
    LayerCost,
    _check_layers,
    _positive_pair,
    cost,
    format_cost,
    main,
    parse_input,
    parse_layer,
    receptive_field,
    resolve_padding,
    translate,
)

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


if __name__ == "__main__":
    sys.exit(main())
