"""The cost of a stack of convolutions, without numpy: parameters, multiplications, receptive field.

Lesson 3 compares designs that replace one 7×7 convolution. This module describes a layer
(``Conv``) and counts what a stack of them costs on an input (``cost``,
``receptive_field``), with the standard library only, so the same code runs in the
reader's browser (Pyodide has no numpy): the lesson's "Count your own stack" form calls
``try_stack``. ``lessons.conv`` re-exports these names beside ``conv2d`` and the counted
loop that the tests compare the formula with.

Multiplications are counted the way a framework performs them: every kernel tap times
every output position, including taps that land on zero padding ("same" padding
multiplies zeros too). Biases are left out of both parameters and multiplications.

Run ``python -m lessons.conv --input 20x20x1 7x1 1x7`` to count a stack of your own.
"""

from __future__ import annotations

import argparse
import html
import numbers
import re
import sys
from dataclasses import dataclass

from lessons.i18n import fmt_int, pick

__all__ = [
    "Conv",
    "ConvError",
    "Cost",
    "LayerCost",
    "cost",
    "error_text",
    "format_cost",
    "main",
    "parse_input",
    "parse_layer",
    "parse_layers",
    "receptive_field",
    "resolve_padding",
    "table_html",
    "translate",
    "try_stack",
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


# one entry per error the CLI can reach; {…} fields that are pairs print as 7×7 in both
# languages, and the reader's own words ({spec}, a text {got}) are quoted: '3x3 q4' in
# English, «3x3 q4» in Ukrainian
_MESSAGES = {
    "at_least_1": {"en": "{name} be at least 1, got {got}",
                   "uk": "{name} бути щонайменше 1, а задано {got}"},
    "int_at_least_1": {"en": "{name} be a whole number, at least 1, got {got}",
                       "uk": "{name} бути цілим числом, щонайменше 1, а задано {got}"},
    "groups_divide": {"en": "both the input ({c_in}) and the output ({c_out}) channel counts must be "
                            "divisible by the number of groups ({groups})",
                      "uk": "і кількість вхідних ({c_in}), і кількість вихідних ({c_out}) каналів мають "
                            "ділитися націло на кількість груп ({groups})"},
    "same_stride": {"en": "padding 'same' needs stride 1 (as in PyTorch), got stride {stride}",
                    "uk": "доповнення «same» можливе лише з кроком 1 (як і в PyTorch), а задано крок "
                          "{stride}"},
    # "the padded input" misleads when there is no padding: the input, with its padding if any
    "larger_than_input": {"en": "kernel {label} is larger than the input, which is only {padded} even "
                                "with its padding",
                          "uk": "ядро {label} більше за вхід, який навіть із доповненням має розмір "
                                "лише {padded}"},
    "too_large": {"en": "kernel {label} spans {span}, but the input, with its padding, is only {padded}",
                  "uk": "ядро {label} охоплює {span}, а вхід разом із доповненням має розмір лише {padded}"},
    "channels": {"en": "layer {index} ({label}) takes {c_in} channels, but its input has {got}",
                 "uk": "шар {index} ({label}) очікує {c_in} вхідних каналів, а на вході {got}"},
    "layer_input": {"en": "layer {index} (input {size}): {reason}",
                    "uk": "шар {index} (вхід {size}): {reason}"},
    # the form has no --input field, and HxWxC means nothing to a reader: the words, spelled out
    "input": {"en": "the input size is written as height x width or height x width x channels, "
                    "all positive (for example 20x20x1), not {got}",
              "uk": "розмір входу має бути у вигляді висота x ширина або висота x ширина x "
                    "канали з додатними числами (наприклад, 20x20x1), а не {got}"},
    "no_input": {"en": "no input size given: for example 20x20x1",
                 "uk": "розмір входу не задано: наприклад, 20x20x1"},
    "no_layers": {"en": "no layers given: start with a kernel such as 3x3 or 7x1",
                  "uk": "не задано жодного шару: почніть з ядра, наприклад 3x3 або 7x1"},
    # a blank argument among the CLI's layers (7x7 ""); the form's one line never has one
    "empty_layer": {"en": "empty layer: write a kernel such as 3x3 or 7x1",
                    "uk": "порожній шар: почніть з ядра, наприклад 3x3 або 7x1"},
    "kernel_word": {"en": "layer {spec}: the first word must be the kernel, such as 3x3 or 7x1, not {got}",
                    "uk": "шар {spec}: першим має бути ядро, наприклад 3x3 або 7x1, а не {got}"},
    "one_number": {"en": "layer {spec}: {option} takes a single number ({what_en})",
                   "uk": "шар {spec}: після {option} має йти одне число — {what_uk}"},
    "whole_number": {"en": "layer {spec}: {option} takes a whole number, as in {example}",
                     "uk": "шар {spec}: після {option} має йти ціле число, наприклад {example}"},
    "needs_number": {"en": "layer {spec}: {option} needs a number after it, as in {example}",
                     "uk": "шар {spec}: після {option} потрібне число, наприклад {example}"},
    "unknown_option": {"en": "layer {spec}: unknown option {got} (options: s2, p1, same, valid, d2, g4, dw, c64)",
                       "uk": "шар {spec}: невідоме налаштування {got} (можна: s2, p1, same, valid, d2, "
                             "g4, dw, c64)"},
    "in_layer": {"en": "layer {spec}: {reason}", "uk": "шар {spec}: {reason}"},
}

# the subject of "at_least_1" and "int_at_least_1" with its verb (Ukrainian agrees in number)
_NAMES = {
    "kernel": {"en": "kernel sizes must", "uk": "розміри ядра мають"},
    "stride": {"en": "stride must", "uk": "крок має"},
    "dilation": {"en": "dilation must", "uk": "розширення має"},
    "groups": {"en": "the number of groups must", "uk": "кількість груп має"},
    "in_channels": {"en": "the number of input channels must", "uk": "кількість вхідних каналів має"},
    "out_channels": {"en": "the number of output channels must", "uk": "кількість вихідних каналів має"},
}
_QUOTES = {"en": "'{}'", "uk": "«{}»"}
# what a letter option needs after it, as the unknown-option message lists it
_EXAMPLES = {"s": "s2", "p": "p1", "d": "d2", "g": "g4", "c": "c64"}


def _render(key: str, fields: dict, lang: str) -> str:
    lang = _lang(lang)
    shown = {}
    for name, value in fields.items():
        if isinstance(value, ConvError):
            value = _render(value.key, value.fields, lang)
        elif (isinstance(value, (tuple, list)) and len(value) == 2
              and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
            value = f"{value[0]}×{value[1]}"
        elif name == "name":
            value = pick(_NAMES[value], lang) if value in _NAMES else f"{value} must"
        elif name == "label":  # 7x7 d2 reads 7×7 d2 in a message (a spec is echoed as typed)
            value = re.sub(r"(?<=\d)x(?=\d)", "×", str(value))
        elif name in ("spec", "got") and isinstance(value, str):
            value = _QUOTES[lang].format(value)
        shown[name] = value
    return pick(_MESSAGES[key], lang).format(**shown)


def translate(error: Exception, lang: str = "en") -> str:
    """The message of ``error`` in ``lang``: a ConvError in its own words, anything else as is.

    Examples:
        >>> error = ConvError("too_large", label="7x7", span=(7, 7), padded=(2, 2))
        >>> str(error)
        'kernel 7×7 spans 7×7, but the input, with its padding, is only 2×2'
        >>> translate(error, "uk")
        'ядро 7×7 охоплює 7×7, а вхід разом із доповненням має розмір лише 2×2'
    """
    if isinstance(error, ConvError):
        return _render(error.key, error.fields, lang)
    return str(error)


def _positive_pair(value: object, name: str) -> tuple[int, int]:
    """An int or a pair of ints, each >= 1, as a pair."""
    pair = _int_pair(value, name)
    if min(pair) < 1:
        raise ConvError("at_least_1", name=name, got=value)
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
                # the stride as typed: s2 reads 2, s1x2 reads 1×2
                raise ConvError("same_stride", stride=stride[0] if stride[0] == stride[1] else stride)
            total = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((t // 2, t - t // 2) for t in total)  # type: ignore[return-value]
        raise ValueError(f'padding must be an int, a pair, "valid" or "same", got {padding!r}')
    ph, pw = _int_pair(padding, "padding")
    if min(ph, pw) < 0:
        raise ValueError(f"padding must be >= 0, got {padding!r}")
    return (ph, ph), (pw, pw)


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
                raise ConvError("int_at_least_1", name=name, got=value)
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
            if tuple(span) == tuple(self.kernel):  # no dilation: "spans" would repeat the kernel
                raise ConvError("larger_than_input", label=self.label(), padded=padded)
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
_SEPARATOR_CHARS = " \t\n\r\f\v,\"'"  # between layers and options: spaces, commas, quotes
_SEPARATORS = re.compile(r"[\s,\"']+")


def parse_input(text: str) -> tuple[int, int, int]:
    """``HxW`` or ``HxWxC`` (the homework's 20×20×1) as (C, H, W).

    Examples:
        >>> parse_input("20x20x1"), parse_input("56x56x64")
        ((1, 20, 20), (64, 56, 56))
    """
    if not str(text).strip():
        raise ConvError("no_input")
    m = _SIZE.match(text.strip().lower().replace("х", "x"))  # a Cyrillic «х» reads as the x
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1 or (m.group(3) and int(m.group(3)) < 1):
        raise ConvError("input", got=str(text))
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
    # a Cyrillic «х» for the x (as a Ukrainian keyboard types it) reads as the x
    tokens = spec.replace(",", " ").replace("х", "x").replace("Х", "x").split()
    if not tokens:
        raise ConvError("empty_layer")
    m = _KERNEL.match(tokens[0].lower())
    if not m:
        raise ConvError("kernel_word", spec=spec, got=tokens[0])
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
                    raise ConvError("one_number", spec=spec, option="c",
                                    what_en="the number of output channels", what_uk="кількість вихідних каналів")
                out_channels = value
            elif key == "g":
                if isinstance(value, tuple):
                    raise ConvError("one_number", spec=spec, option="g", what_en="the number of groups",
                                    what_uk="кількість груп")
                options["groups"] = value
            else:
                options[{"s": "stride", "p": "padding", "d": "dilation"}[key]] = value
        elif word[:1] in _EXAMPLES and re.fullmatch(r"[\d.,x×*+-]+", word[1:]):
            # a letter option with a number that is not whole: 3x3 c2.5, s1.5
            raise ConvError("whole_number", spec=spec, option=word[:1], example=_EXAMPLES[word[:1]])
        elif word in _EXAMPLES:  # a letter option without its number: 3x3 c
            raise ConvError("needs_number", spec=spec, option=word, example=_EXAMPLES[word])
        else:
            raise ConvError("unknown_option", spec=spec, got=token)
    try:
        return Conv(kernel, in_channels, out_channels, **options)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        reason = exc if isinstance(exc, ConvError) else str(exc)
        raise ConvError("in_layer", spec=spec, reason=reason) from None


def parse_layers(specs: str | list[str], in_channels: int) -> list[Conv]:
    """The layers of a stack from the CLI's words: each layer starts at its kernel, its options follow.

    ``specs`` is one string (the lesson's form) or the CLI's arguments; quotes and commas
    are separators, so ``7x1 1x7 same``, ``7x1 "1x7 same"`` and ``7x1, 1x7 same`` are the
    same two layers. Each layer takes as many channels as the one before it gives (the
    first, ``in_channels``). No words at all is "no layers given", a blank argument beside
    others an empty layer (both ConvError).

    Examples:
        >>> [layer.label() for layer in parse_layers("7x1 1x7 same", 1)]
        ['7x1', '1x7 same']
        >>> [layer.label() for layer in parse_layers(["7x7 same dw", "1x1 c128"], 64)]
        ['7x7 same g64', '1x1']
    """
    specs = [specs] if isinstance(specs, str) else list(specs)
    if not any(spec.strip(_SEPARATOR_CHARS) for spec in specs):
        raise ConvError("no_layers")
    groups: list[list[str]] = []
    for spec in specs:
        words = _SEPARATORS.split(spec.strip(_SEPARATOR_CHARS))
        if words == [""]:
            raise ConvError("empty_layer")
        for word in words:
            if not groups or _KERNEL.match(word.lower()):
                groups.append([word])  # a kernel starts a layer (so does a stray first word)
            else:
                groups[-1].append(word)
    layers: list[Conv] = []
    for words in groups:
        layers.append(parse_layer(" ".join(words), layers[-1].out_channels if layers else in_channels))
    return layers


_HEAD = {
    "layer": {"uk": "шар", "en": "layer"},
    "out": {"uk": "вихід C×H×W", "en": "output C×H×W"},
    "params": {"uk": "параметри", "en": "parameters"},
    "mults": {"uk": "множення", "en": "multiplications"},
    "rf": {"uk": "рецептивне поле", "en": "receptive field"},
    "total": {"uk": "разом", "en": "total"},
    "input": {"uk": "вхід", "en": "input"},
}
_ERROR = {"en": "error: ", "uk": "помилка: "}


def _rows(result: Cost, lang: str) -> list[list[str]]:
    """The table's header and rows as text: input, one row per layer, the total."""
    rows = [[pick(_HEAD[k], lang) for k in ("layer", "out", "params", "mults", "rf")]]
    first = result.per_layer[0].input_shape
    rows.append([pick(_HEAD["input"], lang), "×".join(map(str, first)), "", "", ""])
    for row in list(result.per_layer) + [result]:
        name = row.layer.label() if isinstance(row, LayerCost) else pick(_HEAD["total"], lang)
        rows.append([name, "×".join(map(str, row.output_shape)), fmt_int(row.params, lang),
                     fmt_int(row.multiplications, lang), "×".join(map(str, row.receptive_field))])
    return rows


def format_cost(result: Cost, lang: str = "en") -> str:
    """The per-layer table the CLI prints (plain text, aligned columns).

    Examples:
        >>> print(format_cost(cost([Conv(7)], 20, 20)))  # doctest: +NORMALIZE_WHITESPACE
        layer  output C×H×W  parameters  multiplications  receptive field
        input  1×20×20
        7x7    1×14×14               49            9,604              7×7
        total  1×14×14               49            9,604              7×7
    """
    rows = _rows(result, lang)
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [r[i].rjust(widths[i]) for i in (2, 3, 4)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def table_html(result: Cost, lang: str = "en") -> str:
    """The CLI's table as an HTML table in a box that scrolls sideways on a phone.

    The markup is what the site makes of a wide Markdown table (``hooks/a11y_hooks.py``), so
    the form's table looks like the lesson's: a header row, numbers aligned right, the layer
    column kept in view while the rest scrolls. Every cell is escaped.

    Examples:
        >>> page = table_html(cost([Conv(7)], 20, 20), "uk")
        >>> page.startswith('<div class="table-scroll" tabindex="0" role="region"')
        True
        >>> "<td>разом</td>" in page and '<td style="text-align: right;">9\u202f604</td>' in page
        True
    """
    align = ("left", "left", "right", "right", "right")
    head, *body = _rows(result, lang)

    def cells(tag: str, row: list[str], layer: bool) -> str:
        out = []
        for k, (text, side) in enumerate(zip(row, align)):
            text = html.escape(text)
            if k == 0 and layer:
                text = f"<code>{text}</code>"  # a layer in the CLI's own syntax
            style = f' style="text-align: {side};"' if side == "right" else ""
            out.append(f"<{tag}{style}>{text}</{tag}>")
        return "<tr>" + "".join(out) + "</tr>"

    layers = len(result.per_layer)
    rows = [cells("td", row, 0 < k <= layers) for k, row in enumerate(body)]
    from lessons.markdown import scroll_box

    return scroll_box(f'<table><thead>{cells("th", head, False)}</thead>'
                      f'<tbody>{"".join(rows)}</tbody></table>', lang)


def _lang(lang: str) -> str:
    return "uk" if lang == "uk" else "en"


def error_text(error: Exception, lang: str = "en") -> str:
    """The line the CLI prints for ``error``: ``error:`` and the message, in ``lang``.

    Examples:
        >>> error_text(ConvError("empty_layer"), "uk")
        'помилка: порожній шар: почніть з ядра, наприклад 3x3 або 7x1'
    """
    return pick(_ERROR, lang) + translate(error, lang)


def _count(input_text: str, layer_specs: str | list[str]) -> Cost:
    """The CLI's and the form's one path from text to a cost (ValueError on bad text)."""
    channels, height, width = parse_input(input_text)
    return cost(parse_layers(layer_specs, channels), height, width)


def try_stack(fields: dict[str, str], lang: str, prefix: str = "") -> dict[str, str]:
    """The lesson's "count your own stack" form: ``{"html": table}`` or ``{"error": message}``.

    ``fields["input"]`` is the CLI's ``--input`` (``20x20x1``), ``fields["layers"]`` its
    layers as one line (``7x1 1x7 same``, see ``parse_layers``). The table is
    ``table_html`` in ``lang``; the error is the message the CLI prints with ``--lang``,
    without its ``error:`` (the page says «Помилка» / "Error" itself, as for Lesson 1's
    form). Bad input never raises. ``prefix`` would prefix element ids; the
    table has none. A ``lang`` other than "uk" speaks English.

    Examples:
        >>> try_stack({"input": "20x20x1", "layers": "7x1 1x7"}, "en")["html"][:25]
        '<div class="table-scroll"'
        >>> try_stack({"input": "20x20x1", "layers": "0x7"}, "en")
        {'error': "layer '0x7': kernel sizes must be at least 1, got 0×7"}
    """
    lang = _lang(lang)
    try:
        if not isinstance(fields, dict):
            raise TypeError(f"fields must be a dict, got {type(fields).__name__}")
        result = _count(str(fields.get("input", "")), str(fields.get("layers", "")))
        return {"html": table_html(result, lang)}
    except (TypeError, ValueError) as exc:  # ConvError included
        return {"error": translate(exc, lang)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lessons.conv",
        description="Count parameters, multiplications, output shapes and the receptive field "
                    "of a stack of convolutions.",
        epilog='Layer syntax: KHxKW [sN] [pN|same|valid] [dN] [gN|dw] [cN], e.g. 7x1 '
               '"1x7 same" "3x3 d2 p2 c64" "7x7 same dw". Numbers can be pairs: s1x2, p3x0. '
               "A layer starts at its kernel, so quotes are optional: 7x7 same dw 1x1 c128. "
               "Padding defaults to 0 (valid), output channels to the input channels.")
    parser.add_argument("--input", required=True, metavar="HxWxC",
                        help="input size, e.g. 20x20x1 or 56x56x64 (C defaults to 1)")
    parser.add_argument("--lang", choices=("en", "uk"), default="en",
                        help="language of the table (default: en)")
    parser.add_argument("layers", nargs="+", metavar="LAYER",
                        help="a kernel, then its options; quote a layer or not")
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
        table = format_cost(_count(args.input, args.layers), args.lang)
    except (TypeError, ValueError) as exc:
        print(error_text(exc, args.lang), file=sys.stderr)
        return 2
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
