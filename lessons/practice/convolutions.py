"""Exercise kinds of Lesson 3: a stack's size and cost, its receptive field, which design fits.

- ``convolutions.stack``: a stack of 2–3 convolutions (kernels such as 1×3 or 3×1, stride,
  padding that may differ between the two axes, dilation, groups, channels) on a small
  input; the student gives the output size, the multiplications and the parameters.
- ``convolutions.field``: the receptive field (rh, rw) of a stack of 2–4 layers with strides
  and dilations, and the jump (the product of the strides).
- ``convolutions.design``: choice questions: given a constraint (parameters, multiplications,
  receptive field, an early or a late layer), which design fits.

Every number comes from :mod:`lessons.conv` (``cost``, ``receptive_field``, ``path_counts``);
the typical wrong answers come from the same arithmetic with one rule broken (dilation
forgotten, padding on one side only, groups forgotten, bias counted, rounding up), each
with a hint that names the rule (both rules in one sentence where two give the same value;
a check of the axes where a wrong value is the other axis's right answer). The variants are drawn once from a seeded generator and
filtered so that every one reads well; variant 0 of each kind uses numbers of the page.

``lessons.conv`` (and with it numpy) is imported inside the functions that count: listing
the kinds (``lessons.practice.kinds``) imports this module, and Lesson 1's kinds must stay
usable without numpy.
"""

from __future__ import annotations

import json
import math
import random
from functools import cache
from typing import TYPE_CHECKING

from lessons.i18n import check_lang, count, fmt_int, pick
from lessons.practice import Field, Kind, Option, Variant, variant_index

if TYPE_CHECKING:
    from lessons.conv import Conv

__all__ = ["DESIGN", "FIELD", "KINDS", "SCENARIOS", "STACK", "design_options", "field_layers",
           "stack_layers", "wrong_stack"]

STACK_COUNT = 36
FIELD_COUNT = 36

_CHANNELS = {"uk": ("канал", "канали", "каналів"), "en": ("channel", "channels")}
_WITH_CHANNELS = {"uk": ("каналом", "каналами", "каналами"), "en": ("channel", "channels")}
_PARAMS = {"uk": ("параметр", "параметри", "параметрів"), "en": ("parameter", "parameters")}
_MULTS = {"uk": ("множення", "множення", "множень"), "en": ("multiplication", "multiplications")}
_LAYERS = {"uk": ("шар", "шари", "шарів"), "en": ("layer", "layers")}
_PIXELS_OF = {"uk": ("пікселя", "пікселів", "пікселів"), "en": ("pixel", "pixels")}


def _t(texts: dict, key: str, lang: str, **kw: object) -> str:
    return pick(texts[key], lang).format(**kw)


def _nowrap(text: str) -> str:
    return f'<span class="nowrap">{text}</span>'


def _html_table(head: list[str], rows: list[list[str]], right: str) -> str:
    """A compact HTML table (cells are HTML already); ``right`` marks right-aligned columns
    with "r". The page's table wrapper scrolls it on a phone if it must."""
    def row(cells: list[str], tag: str) -> str:
        out = []
        for cell, r in zip(cells, right):
            # the theme gives every header cell 5rem and wide padding: a phone fits 7 columns
            # only with both as narrow as the numbers
            style = ["padding:.4em .6em"] + (["min-width:0"] if tag == "th" else [])
            style += ["text-align:right"] if r == "r" else []
            attr = f' style="{";".join(style)}"' if style else ""
            out.append(f"<{tag}{attr}>{cell}</{tag}>")
        return "<tr>" + "".join(out) + "</tr>"

    head_html = row(head, "th")
    body = "".join(row(r, "td") for r in rows)
    return f"<table><thead>{head_html}</thead><tbody>{body}</tbody></table>"


def _pair(p: tuple[int, int] | list[int], lang: str = "en") -> str:
    """(1, 1) as 1, (1, 2) as 1, 2 (1; 2 in Ukrainian, where the comma is the decimal sign):
    one number when both axes agree."""
    return str(p[0]) if p[0] == p[1] else f"{p[0]}{'; ' if lang == 'uk' else ', '}{p[1]}"


def _times(p) -> str:
    return "×".join(str(v) for v in p)


_BOTH = {"uk": "Таке число виходить, якщо {causes}.", "en": "You get this number by {causes}."}


def _causes(causes: list[str], lang: str) -> str:
    if lang == "uk":
        return ", ".join(causes[:-1]) + " або " + causes[-1]
    return ", by ".join(causes[:-1]) + " or by " + causes[-1]


def _mistakes(candidates, answer: int, texts: dict, lang: str,
              axis: tuple[int, str] | None = None) -> tuple[tuple[int, str], ...]:
    """The mistakes of one field: ``candidates`` are (hint key, wrong value or None) in
    order. A value that two rules give earns one hint that names both causes (the keys'
    ``c_`` phrases), so the checker, which shows the first mistake that matches, never
    blames one of them alone; a value equal to the other axis's right answer (``axis``:
    that answer and its hint key) earns a hint to check the axes, not a rule."""
    mistakes, taken = [], {answer}
    if axis is not None and axis[0] != answer:
        mistakes.append((axis[0], _t(texts, axis[1], lang)))
        taken.add(axis[0])
    groups: dict[int, list[str]] = {}
    for key, value in candidates:
        if value is not None and value not in taken:
            groups.setdefault(value, []).append(key)
    for value, keys in groups.items():
        hint = (_t(texts, keys[0], lang) if len(keys) == 1 else pick(_BOTH, lang).format(
            causes=_causes([_t(texts, "c_" + key, lang) for key in keys], lang)))
        mistakes.append((value, hint))
    return tuple(mistakes)


# ---- convolutions.stack ----------------------------------------------------------------------


def stack_layers(params: dict) -> list[Conv]:
    """The layers of a stack variant as ``lessons.conv.Conv`` objects.

    Examples:
        >>> [layer.label() for layer in stack_layers(generate_stack(0))]
        ['7x1', '1x7']
    """
    from lessons.conv import Conv

    c = params["input"][0]
    layers = []
    for spec in params["layers"]:
        layer = Conv(tuple(spec["k"]), c, spec["c"], stride=spec["s"], padding=tuple(spec["p"]),
                     dilation=spec["d"], groups=spec["g"])
        layers.append(layer)
        c = spec["c"]
    return layers


def wrong_stack(params: dict, *, dilation: bool = True, sides: int = 2, ceil: bool = False,
                groups: bool = True, bias: bool = False, per_input: bool = False):
    """(C, H, W, multiplications, parameters) of a stack counted with one rule broken, or
    None where that wrong rule leaves no output. With the defaults it is the right count
    (a test compares it with ``lessons.conv.cost``).

    Examples:
        >>> wrong_stack(generate_stack(0))
        (1, 14, 14, 3332, 14)
        >>> wrong_stack(generate_stack(0), per_input=True)[3]  # 20·20·7 + 14·20·7
        4760
    """
    c, h, w = params["input"]
    mults = weights = 0
    for spec in params["layers"]:
        size = []
        for axis, n in enumerate((h, w)):
            k, s, p = spec["k"][axis], spec["s"], spec["p"][axis]
            span = (spec["d"] * (k - 1) + 1) if dilation else k
            room = n + sides * p - span
            if room < 0:
                return None
            size.append((-(-room // s) if ceil else room // s) + 1)
        g = spec["g"] if groups else 1
        layer_weights = spec["k"][0] * spec["k"][1] * (c // g) * spec["c"]
        positions = h * w if per_input else size[0] * size[1]
        mults += positions * layer_weights
        weights += layer_weights + (spec["c"] if bias else 0)
        c, (h, w) = spec["c"], size
    return c, h, w, mults, weights


_KERNELS = ((3, 3), (3, 3), (5, 5), (1, 1), (1, 3), (3, 1), (1, 5), (5, 1), (2, 2))
_INPUTS = ((3, 32, 32), (3, 28, 28), (1, 28, 28), (3, 24, 24), (8, 16, 16), (4, 20, 20),
           (3, 31, 31), (16, 15, 15), (6, 27, 27), (2, 30, 30))
_OUT = (4, 6, 8, 12, 16, 24, 32)


def _features(params: dict) -> set[str]:
    found = set()
    c = params["input"][0]
    for spec in params["layers"]:
        if spec["k"][0] != spec["k"][1]:
            found.add("nonsquare")
        if spec["s"] > 1:
            found.add("stride")
        if spec["d"] > 1:
            found.add("dilation")
        if spec["g"] > 1:
            found.add("depthwise" if spec["g"] == c == spec["c"] else "groups")
        if spec["p"][0] != spec["p"][1]:
            found.add("padding")
        c = spec["c"]
    return found


def _stack_fine(params: dict) -> bool:
    from lessons.conv import cost
    try:
        result = cost(stack_layers(params), *params["input"][1:])
    except ValueError:
        return False
    if any(min(r.output_shape[1:]) < 3 for r in result.per_layer):
        return False
    if not 1_000 <= result.multiplications <= 3_000_000:
        return False
    if len(_features(params)) < 3:
        return False
    # the padding trap is live: padding on one side only changes the count
    right = wrong_stack(params)
    return wrong_stack(params, sides=1) != right


@cache
def _stacks() -> tuple[str, ...]:
    # variant 0: the homework's 7×1, then 1×7 on the 20×20×1 image, no padding (on the page)
    first = {"input": [1, 20, 20],
             "layers": [{"k": [7, 1], "c": 1, "s": 1, "p": [0, 0], "d": 1, "g": 1},
                        {"k": [1, 7], "c": 1, "s": 1, "p": [0, 0], "d": 1, "g": 1}]}
    out = [json.dumps(first, sort_keys=True)]
    rng = random.Random("convolutions.stack")
    while len(out) < STACK_COUNT:
        c, h, w = rng.choice(_INPUTS)
        layers, channels = [], c
        for _ in range(rng.choice((2, 3, 3))):
            k = rng.choice(_KERNELS)
            d = 2 if min(k) > 1 and rng.random() < 0.35 else 1
            s = 2 if rng.random() < 0.4 else 1
            span = [d * (v - 1) + 1 for v in k]
            p = [rng.randint(0, v // 2) for v in span]
            roll = rng.random() if k != (1, 1) else 1.0  # a 1×1 layer mixes channels: g = 1
            if channels > 1 and roll < 0.3:
                g, o = channels, channels
            elif channels % 2 == 0 and roll < 0.45:
                g, o = 2, rng.choice([v for v in _OUT if v % 2 == 0])
            else:
                g, o = 1, rng.choice(_OUT)
            layers.append({"k": list(k), "c": o, "s": s, "p": p, "d": d, "g": g})
            channels = o
        params = {"input": [c, h, w], "layers": layers}
        text = json.dumps(params, sort_keys=True)
        if text not in out and _stack_fine(params):
            out.append(text)
    return tuple(out)


def generate_stack(i: int) -> dict:
    """Variant ``i``'s stack: {"input": [C, H, W], "layers": [{"k", "c", "s", "p", "d", "g"}]}."""
    stacks = _stacks()
    return json.loads(stacks[variant_index(i, len(stacks))])


_S = {
    "title": {"uk": "Стос згорток: розмір, множення, параметри",
              "en": "Size and cost of a convolution stack"},
    "prompt": {
        "uk": "<p>Вхід розміром C×H×W = {input} проходить послідовно через такі згорткові "
              "шари:</p>{table}<p>Ядро задано як k<sub>h</sub>×k<sub>w</sub> (висота × "
              "ширина); s — крок, d — розширення, g — кількість груп; p — доповнення нулями: "
              "p<sub>h</sub> рядків зверху й стільки ж знизу, p<sub>w</sub> стовпців ліворуч і "
              "стільки ж праворуч (пара в стовпці p — це p<sub>h</sub>; p<sub>w</sub>, а одне "
              "число стосується обох осей). На відміну від формули з розділу «Як рахувати множення», "
              "де p — сумарне доповнення, тут p — доповнення з одного боку, тож до розміру входу "
              "додається 2p.</p>"
              "<p>Знайдіть розмір виходу всього стосу, загальну кількість множень і кількість "
              "параметрів (лише ваги, без зміщень).</p>",
        "en": "<p>An input of size C×H×W = {input} passes through these convolution layers in "
              "turn:</p>{table}<p>A kernel is given as k<sub>h</sub>×k<sub>w</sub> (height × "
              "width); s is the stride, d the dilation and g the number of groups; p is the zero "
              "padding: p<sub>h</sub> rows at the top and as many at the bottom, p<sub>w</sub> "
              "columns on the left and as many on the right (a pair in the p column is p<sub>h</sub>, "
              "p<sub>w</sub>; a single number applies to both axes). Unlike the formula in the section “How to "
              "count multiplications”, where p is the total padding, here p is the padding on each side, "
              "so 2p is added to the input size.</p><p>Find the output size "
              "of the whole stack, the total number of "
              "multiplications and the number of parameters (weights only, no biases).</p>",
    },
    "layer": {"uk": "шар", "en": "layer"},
    "kernel": {"uk": "ядро", "en": "kernel"},
    "c_out": {"uk": "C<sub>out</sub>", "en": "C<sub>out</sub>"},
    "c": {"uk": "Кількість каналів виходу", "en": "Output channels"},
    "h": {"uk": "Висота виходу", "en": "Output height"},
    "w": {"uk": "Ширина виходу", "en": "Output width"},
    "mults": {"uk": "Кількість множень (усього)", "en": "Multiplications (total)"},
    "params": {"uk": "Кількість параметрів (усього)", "en": "Parameters (total)"},
    # hints and labels are plain text (the checker shows them as text): no <sub>
    "hint_c": {"uk": "Каналів на виході стільки, скільки вихідних каналів має останній шар.",
               "en": "The output has as many channels as the last layer’s C_out."},
    "hint_size": {"uk": "Для кожного шару по черзі: ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1, де n, p і "
                        "k — розмір входу, доповнення з одного боку й розмір ядра вздовж цієї осі; вихід "
                        "одного шару — вхід наступного.",
                  "en": "For each layer in turn: ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1, with n, p "
                        "and k the input size, the padding on each side and the kernel size along "
                        "that axis; one layer’s output is the next one’s input."},
    "hint_mults": {"uk": "Для кожного шару перемножте кількість пікселів виходу, площу ядра, "
                         "кількість вхідних каналів однієї групи (C_in/g) і кількість вихідних "
                         "каналів, а потім додайте результати всіх шарів.",
                   "en": "For each layer: output pixels × kernel area × input channels per group "
                         "× output channels; then add up the results of all layers."},
    "hint_params": {"uk": "Для кожного шару перемножте площу ядра, кількість вхідних каналів однієї "
                          "групи (C_in/g) і кількість вихідних каналів, а потім додайте результати "
                          "всіх шарів.",
                    "en": "For each layer: kernel area × input channels per group × output "
                          "channels; then add up the results of all layers."},
    "dilation": {"uk": "Схоже, ви не врахували розширення: ядро розміром k з розширенням d "
                       "охоплює d·(k − 1) + 1 пікселів.",
                 "en": "It looks like you left out the dilation: a kernel of size k with "
                       "dilation d spans d·(k − 1) + 1 pixels."},
    "sides": {"uk": "Доповнення додають з обох боків: до розміру входу вздовж кожної осі додайте "
                    "2p, а не p.",
              "en": "Padding goes on both sides: along each axis, add 2p to the input size, not "
                    "p."},
    "ceil": {"uk": "Частку від ділення на крок округлюють униз: позицію, де ядро виходить за "
                   "межі доповненого входу, не рахують.",
             "en": "The result of dividing by the stride is rounded down: a position where the kernel sticks "
                   "out of the padded input does not count."},
    "groups": {"uk": "Не забудьте про групи: кожен фільтр бачить лише вхідні канали своєї групи, "
                     "тобто C_in/g з C_in вхідних каналів.",
               "en": "Remember the groups: each filter sees only the input channels of its own "
                     "group, C_in/g of the C_in input channels."},
    "bias": {"uk": "Урок рахує лише ваги, без зміщень: не додавайте по зміщенню на кожен "
                   "вихідний канал.",
             "en": "The lesson counts weights only: leave out the one bias per output channel."},
    "per_input": {"uk": "Множення рахують для кожного пікселя виходу, а не входу.",
                  "en": "Count the multiplications for every output pixel, not every input pixel."},
    # the same rules as causes, for a value that two of them give (one sentence names both)
    "c_dilation": {"uk": "не врахувати розширення (ядро розміром k з розширенням d охоплює "
                         "d·(k − 1) + 1 пікселів)",
                   "en": "leaving out the dilation (a kernel of size k with dilation d spans "
                         "d·(k − 1) + 1 pixels)"},
    "c_sides": {"uk": "додати доповнення лише з одного боку (треба 2p, а не p)",
                "en": "padding one side only (add 2p, not p)"},
    "c_ceil": {"uk": "округлити частку від ділення на крок угору (її округлюють униз)",
               "en": "rounding up after dividing by the stride (the result is rounded down)"},
    "c_groups": {"uk": "забути про групи (кожен фільтр бачить лише C_in/g вхідних каналів)",
                 "en": "forgetting the groups (each filter sees only C_in/g input channels)"},
    "c_bias": {"uk": "додати зміщення (урок рахує лише ваги)",
               "en": "counting the biases (the lesson counts weights only)"},
    "c_per_input": {"uk": "рахувати множення для пікселів входу, а не виходу",
                    "en": "counting the multiplications per input pixel, not per output pixel"},
    "axis_h": {"uk": "Це ширина виходу, а не висота: перевірте, яка вісь яка (у ядрі й у парі p "
                     "перше число стосується висоти, друге — ширини).",
               "en": "That is the output width, not the height: check which axis is which (in a "
                     "kernel and in a pair in the p column, the first number is for the height, the "
                     "second for the width)."},
    "axis_w": {"uk": "Це висота виходу, а не ширина: перевірте, яка вісь яка (у ядрі й у парі p "
                     "перше число стосується висоти, друге — ширини).",
               "en": "That is the output height, not the width: check which axis is which (in a "
                     "kernel and in a pair in the p column, the first number is for the height, the "
                     "second for the width)."},
    "formulas": {
        "uk": "<p>Для кожного шару: H<sub>out</sub> = ⌊(H + 2p<sub>h</sub> − d·(k<sub>h</sub> − 1) "
              "− 1) / s⌋ + 1 (так само для W), параметри P = k<sub>h</sub>k<sub>w</sub>·"
              "C<sub>in</sub>/g·C<sub>out</sub>, множення M = H<sub>out</sub>·W<sub>out</sub>·P."
              "</p>",
        "en": "<p>For each layer: H<sub>out</sub> = ⌊(H + 2p<sub>h</sub> − d·(k<sub>h</sub> − 1) "
              "− 1) / s⌋ + 1 (likewise for W), parameters P = k<sub>h</sub>k<sub>w</sub>·"
              "C<sub>in</sub>/g·C<sub>out</sub>, multiplications M = H<sub>out</sub>·"
              "W<sub>out</sub>·P.</p>",
    },
    "output": {"uk": "вихід C×H×W", "en": "output C×H×W"},
    "total": {"uk": "разом", "en": "total"},
    "input": {"uk": "вхід", "en": "input"},
}


def _size_step(n: int, k: int, s: int, p: int, d: int, out: int) -> str:
    pad = f" + 2·{p}" if p else ""
    dil = f"{d}·({k} − 1)" if d > 1 else f"({k} − 1)"
    inner = f"{n}{pad} − {dil} − 1"
    return _nowrap(f"⌊({inner}) / {s}⌋ + 1 = {out}" if s > 1 else f"{inner} + 1 = {out}")


def render_stack(params: dict, lang: str) -> Variant:
    """The stack variant of ``params`` in ``lang``: five fields and the per-layer table.

    Examples:
        >>> v = render_stack(generate_stack(0), "en")
        >>> [(f.key, f.answer) for f in v.fields]
        [('c', 1.0), ('h', 14.0), ('w', 14.0), ('mults', 3332.0), ('params', 14.0)]
    """
    from lessons.conv import cost

    lang = check_lang(lang)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    if "input" not in params or "layers" not in params:
        raise ValueError(f"params must hold 'input' and 'layers', got {sorted(params)}")
    layers = stack_layers(params)
    result = cost(layers, *params["input"][1:])
    rows = []
    for n, spec in enumerate(params["layers"], 1):
        rows.append([str(n), _times(spec["k"]), str(spec["c"]), str(spec["s"]), _pair(spec["p"], lang),
                     str(spec["d"]), str(spec["g"])])
    head = [_t(_S, "layer", lang), _t(_S, "kernel", lang), _t(_S, "c_out", lang), "s", "p", "d",
            "g"]
    prompt = _t(_S, "prompt", lang, input=_times(params["input"]),
                table=_html_table(head, rows, "lcrrrrr"))
    answers = (*result.output_shape, result.multiplications, result.params)
    wrongs = {key: wrong_stack(params, **kw) for key, kw in (
        ("dilation", {"dilation": False}), ("sides", {"sides": 1}), ("ceil", {"ceil": True}),
        ("groups", {"groups": False}), ("bias", {"bias": True}), ("per_input", {"per_input": True}))}
    fields = []
    hints = {"c": "hint_c", "h": "hint_size", "w": "hint_size", "mults": "hint_mults",
             "params": "hint_params"}
    axes = {"h": (answers[2], "axis_h"), "w": (answers[1], "axis_w")}
    for index, key in enumerate(("c", "h", "w", "mults", "params")):
        # the channel count breaks none of these rules
        candidates = [] if key == "c" else [
            (name, None if wrong is None else wrong[index]) for name, wrong in wrongs.items()]
        mistakes = _mistakes(candidates, answers[index], _S, lang, axes.get(key))
        fields.append(Field(key, _t(_S, key, lang), answers[index], digits=0,
                            mistakes=mistakes, hint=_t(_S, hints[key], lang)))
    # the worked solution: one row per layer, then the totals, then each layer's arithmetic
    table_rows = [[_t(_S, "input", lang), _times(result.per_layer[0].input_shape), "", ""]]
    steps = []
    for n, (spec, row) in enumerate(zip(params["layers"], result.per_layer), 1):
        table_rows.append([str(n), _times(row.output_shape), fmt_int(row.multiplications, lang),
                           fmt_int(row.params, lang)])
        c_in, h, w = row.input_shape
        sizes = [_size_step(n_in, spec["k"][a], spec["s"], spec["p"][a], spec["d"],
                            row.output_shape[1 + a]) for a, n_in in enumerate((h, w))]
        group = f"{c_in}/{spec['g']}" if spec["g"] > 1 else str(c_in)
        p_text = f"{spec['k'][0]}·{spec['k'][1]}·{group}·{spec['c']} = {fmt_int(row.params, lang)}"
        m_text = (f"{row.output_shape[1]}·{row.output_shape[2]}·{fmt_int(row.params, lang)} = "
                  f"{fmt_int(row.multiplications, lang)}")
        steps.append(f"<li>{_t(_S, 'layer', lang)} {n}: H<sub>out</sub> = {sizes[0]}, "
                     f"W<sub>out</sub> = {sizes[1]}; P = {_nowrap(p_text)}; M = {_nowrap(m_text)}"
                     f"</li>")
    table_rows.append([_t(_S, "total", lang), _times(result.output_shape),
                       fmt_int(result.multiplications, lang), fmt_int(result.params, lang)])
    solution = (_t(_S, "formulas", lang) + f"<ul>{''.join(steps)}</ul>"
                + _html_table([_t(_S, "layer", lang), _t(_S, "output", lang),
                               "M", "P"],  # named in the formulas above: narrow on a phone
                              table_rows, "lcrr"))
    return Variant(STACK_NAME, params, lang, _t(_S, "title", lang), prompt, fields=tuple(fields),
                   solution=solution)


# ---- convolutions.field ----------------------------------------------------------------------


def field_layers(params: dict) -> list[Conv]:
    """The layers of a receptive-field variant (channels do not matter here).

    Examples:
        >>> [layer.label() for layer in field_layers(generate_field(0))]
        ['3x3', '3x3 d2']
    """
    from lessons.conv import Conv

    return [Conv(tuple(spec["k"]), stride=spec["s"], dilation=spec["d"])
            for spec in params["layers"]]


_FIELD_KERNELS = ((3, 3), (3, 3), (5, 5), (3, 1), (1, 3), (5, 1), (1, 5), (2, 2), (3, 5))


def _wrong_field(params: dict, rule: str) -> tuple[int, int, int]:
    """(rh, rw, jump) with one rule broken: "dilation" (k for k_eff), "jump" (no product
    of strides), "own" (the layer's own stride counted too), "whole" (k_eff, not k_eff − 1)."""
    r, j = [1, 1], 1
    for spec in params["layers"]:
        for a in (0, 1):
            k = spec["k"][a]
            span = k if rule == "dilation" else spec["d"] * (k - 1) + 1
            step = {"jump": 1, "own": j * spec["s"]}.get(rule, j)
            r[a] += (span if rule == "whole" else span - 1) * step
        j *= spec["s"]
    return r[0], r[1], j


def _field_fine(params: dict) -> bool:
    from lessons.conv import receptive_field
    specs = params["layers"]
    strides = [s["s"] for s in specs]
    if not any(s > 1 for s in strides[:-1]) or sum(s > 1 for s in strides) > 2:
        return False  # a stride before some later layer, so the jump matters
    if not any(s["d"] > 1 for s in specs):
        return False
    rh, rw = receptive_field(field_layers(params))
    return max(rh, rw) <= 45


@cache
def _fields() -> tuple[str, ...]:
    from lessons.conv import receptive_field
    # variant 0: the lesson's "3×3, then 3×3 with d = 2" from the design table
    first = {"layers": [{"k": [3, 3], "s": 1, "d": 1}, {"k": [3, 3], "s": 1, "d": 2}]}
    out = [json.dumps(first, sort_keys=True)]
    rng = random.Random("convolutions.field")
    while len(out) < FIELD_COUNT:
        layers = []
        for _ in range(rng.choice((2, 3, 3, 4))):
            k = rng.choice(_FIELD_KERNELS)
            d = rng.choice((1, 1, 2, 3)) if min(k) > 1 else 1
            s = 2 if rng.random() < 0.4 else 1
            layers.append({"k": list(k), "s": s, "d": d})
        params = {"layers": layers}
        rh, rw = receptive_field(field_layers(params))
        if len(out) % 3 and rh == rw:
            continue  # two variants in three have a field that is not square
        text = json.dumps(params, sort_keys=True)
        if text not in out and _field_fine(params):
            out.append(text)
    return tuple(out)


def generate_field(i: int) -> dict:
    """Variant ``i``'s layers: {"layers": [{"k": [kh, kw], "s": stride, "d": dilation}]}."""
    fields = _fields()
    return json.loads(fields[variant_index(i, len(fields))])


_F = {
    "title": {"uk": "Рецептивне поле стосу", "en": "Receptive field of a stack"},
    "prompt": {
        "uk": "<p>Згорткові шари стоять один за одним:</p>{table}<p>Тут s — крок, d — "
              "розширення, а ядро задано як k<sub>h</sub>×k<sub>w</sub> (висота × ширина). "
              "Знайдіть висоту й ширину рецептивного поля одного пікселя виходу "
              "(у пікселях входу) і відстань j на вході між сусідніми пікселями виходу.</p>",
        "en": "<p>These convolution layers follow one another:</p>{table}<p>Here s is the stride "
              "and d the dilation, and a kernel is given as k<sub>h</sub>×k<sub>w</sub> (height × "
              "width). Find the height and the width of the receptive field of one "
              "output pixel (in input pixels) and the distance j on the input between "
              "neighbouring output pixels.</p>",
    },
    "rh": {"uk": "Висота рецептивного поля", "en": "Height of the receptive field"},
    "rw": {"uk": "Ширина рецептивного поля", "en": "Width of the receptive field"},
    "jump": {"uk": "Відстань j на вході між сусідніми пікселями виходу",
             "en": "Distance j on the input between neighbouring output pixels"},
    "hint_r": {"uk": "Почніть з r = 1, j = 1; для кожного шару r ← r + (k′ − 1)·j, потім j ← j·s, "
                     "де k′ = d·(k − 1) + 1 — розмір розширеного ядра.",
               "en": "Start with r = 1, j = 1; for each layer r ← r + (k′ − 1)·j, then j ← j·s, "
                     "where k′ = d·(k − 1) + 1 is the size of the dilated kernel."},
    "hint_j": {"uk": "Відстань на вході між сусідніми пікселями виходу дорівнює добутку кроків "
                     "усіх шарів.",
               "en": "The distance on the input between neighbouring output pixels is the product "
                     "of all the strides."},
    "dilation": {"uk": "Схоже, ви взяли k замість розміру розширеного ядра k′ = d·(k − 1) + 1.",
                 "en": "It looks like you used k instead of the size of the dilated kernel, "
                       "k′ = d·(k − 1) + 1."},
    "jump_rule": {"uk": "Після шару з кроком s кожен наступний шар додає до поля в s разів "
                        "більше пікселів: множте k′ − 1 на добуток кроків попередніх шарів.",
                  "en": "After a layer with stride s, every later layer widens the field s times "
                        "as much: multiply k′ − 1 by the product of the earlier strides."},
    "own": {"uk": "Крок шару діє лише на наступні шари: для самого шару беріть добуток кроків "
                  "шарів, що стоять перед ним.",
            "en": "A layer’s stride acts only on the layers after it: for the layer itself, take "
                  "the product of the strides before it."},
    "whole": {"uk": "Додавайте k′ − 1, а не k′: один піксель поля вже враховано в початковому "
                    "r = 1.",
              "en": "Add k′ − 1, not k′: the starting r = 1 already counts one pixel."},
    "sum": {"uk": "Кроки перемножують, а не додають.", "en": "Multiply the strides; do not add them."},
    "last": {"uk": "Урахуйте й крок останнього шару.", "en": "Include the last layer’s stride too."},
    "c_dilation": {"uk": "взяти k замість розміру розширеного ядра k′ = d·(k − 1) + 1",
                   "en": "using k instead of the dilated kernel’s size k′ = d·(k − 1) + 1"},
    "c_jump_rule": {"uk": "не помножити k′ − 1 на добуток кроків попередніх шарів",
                    "en": "not multiplying k′ − 1 by the product of the earlier strides"},
    "c_own": {"uk": "врахувати й крок самого шару (він діє лише на наступні шари)",
              "en": "counting the layer’s own stride too (it acts only on the layers after it)"},
    "c_whole": {"uk": "додати k′, а не k′ − 1 (один піксель поля вже враховано в r = 1)",
                "en": "adding k′, not k′ − 1 (the starting r = 1 already counts one pixel)"},
    "c_sum": {"uk": "додати кроки, а не перемножити їх",
              "en": "adding the strides, not multiplying them"},
    "c_last": {"uk": "пропустити крок останнього шару",
               "en": "leaving out the last layer’s stride"},
    "axis_h": {"uk": "Це ширина поля, а не висота: перевірте, яка вісь яка (у ядрі перше число "
                     "стосується висоти, друге — ширини).",
               "en": "That is the field’s width, not its height: check which axis is which (in a "
                     "kernel, the first number is for the height, the second for the width)."},
    "axis_w": {"uk": "Це висота поля, а не ширина: перевірте, яка вісь яка (у ядрі перше число "
                     "стосується висоти, друге — ширини).",
               "en": "That is the field’s height, not its width: check which axis is which (in a "
                     "kernel, the first number is for the height, the second for the width)."},
    "solution": {"uk": "<p>На початку r = 1, j = 1; для кожного шару r ← r + (k′ − 1)·j, потім "
                       "j ← j·s, де k′ = d·(k − 1) + 1.</p>",
                 "en": "<p>Start with r = 1, j = 1; for each layer r ← r + (k′ − 1)·j, then "
                       "j ← j·s, where k′ = d·(k − 1) + 1.</p>"},
    "j_before": {"uk": "j до шару", "en": "j before the layer"},
    "field": {"uk": "поле після шару", "en": "field after the layer"},
    "j_last": {"uk": "<p>Після останнього шару j = {j}.</p>",
               "en": "<p>After the last layer, j = {j}.</p>"},
}


def render_field(params: dict, lang: str) -> Variant:
    """The receptive-field variant of ``params`` in ``lang``: rh, rw, the jump, the recurrence.

    Examples:
        >>> [(f.key, f.answer) for f in render_field(generate_field(0), "en").fields]
        [('rh', 7.0), ('rw', 7.0), ('jump', 1.0)]
    """
    from lessons.conv import receptive_field

    lang = check_lang(lang)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    if "layers" not in params:
        raise ValueError(f"params must hold 'layers', got {sorted(params)}")
    layers = field_layers(params)
    rh, rw = receptive_field(layers)
    jump = math.prod(layer.stride[0] for layer in layers)
    rows = [[str(n), _times(spec["k"]), str(spec["s"]), str(spec["d"])]
            for n, spec in enumerate(params["layers"], 1)]
    prompt = _t(_F, "prompt", lang, table=_html_table(
        [_t(_S, "layer", lang), _t(_S, "kernel", lang), "s", "d"], rows, "lcrr"))
    answers = (rh, rw, jump)
    fields = []
    axes = ((rw, "axis_h"), (rh, "axis_w"))
    for index, key in enumerate(("rh", "rw")):
        candidates = [(hint, _wrong_field(params, rule)[index]) for rule, hint in (
            ("dilation", "dilation"), ("jump", "jump_rule"), ("own", "own"), ("whole", "whole"))]
        fields.append(Field(key, _t(_F, key, lang), answers[index], digits=0,
                            mistakes=_mistakes(candidates, answers[index], _F, lang, axes[index]),
                            hint=_t(_F, "hint_r", lang)))
    strides = [spec["s"] for spec in params["layers"]]
    candidates = [("sum", sum(strides)), ("last", math.prod(strides[:-1]))]
    fields.append(Field("jump", _t(_F, "jump", lang), jump, digits=0,
                        mistakes=_mistakes(candidates, jump, _F, lang),
                        hint=_t(_F, "hint_j", lang)))
    # the recurrence, one row per layer, each through lessons.conv.receptive_field
    table_rows, j = [], 1
    for n, (spec, layer) in enumerate(zip(params["layers"], layers), 1):
        field = receptive_field(layers[:n])
        table_rows.append([str(n), _times(layer.span), str(j), _times(field)])
        j *= spec["s"]
    solution = _t(_F, "solution", lang) + _html_table(
        [_t(_S, "layer", lang), "k′", _t(_F, "j_before", lang),
         _t(_F, "field", lang)], table_rows, "lcrc") + _t(_F, "j_last", lang, j=j)
    return Variant(FIELD_NAME, params, lang, _t(_F, "title", lang), prompt, fields=tuple(fields),
                   solution=solution)


# ---- convolutions.design ---------------------------------------------------------------------


def _design(key: str, c_in: int, c_out: int) -> list[Conv]:
    """The layers of one candidate design, all keeping the spatial size unless strided."""
    from lessons.conv import Conv

    same = {"padding": "same"}
    c, o = c_in, c_out
    layers = {
        "7x7": [Conv(7, c, o, **same)],
        "5x5": [Conv(5, c, o, **same)],
        "3x3": [Conv(3, c, o, **same)],
        "3x3x2": [Conv(3, c, o, **same), Conv(3, o, o, **same)],
        "3x3x3": [Conv(3, c, o, **same)] + [Conv(3, o, o, **same)] * 2,
        "5x5x2": [Conv(5, c, o, **same), Conv(5, o, o, **same)],
        "5x5x3": [Conv(5, c, o, **same)] + [Conv(5, o, o, **same)] * 2,
        "1x7+7x1": [Conv((1, 7), c, o, **same), Conv((7, 1), o, o, **same)],
        "1x3+3x1": [Conv((1, 3), c, o, **same), Conv((3, 1), o, o, **same)],
        "3x3d2": [Conv(3, c, o, dilation=2, **same)],
        "dil12": [Conv(3, c, o, **same), Conv(3, o, o, dilation=2, **same)],
        "dil22": [Conv(3, c, o, dilation=2, **same), Conv(3, o, o, dilation=2, **same)],
        "dil123": [Conv(3, c, o, **same), Conv(3, o, o, dilation=2, **same),
                   Conv(3, o, o, dilation=3, **same)],
        "dw3+pw": [Conv(3, c, c, groups=c, **same), Conv(1, c, o)],
        "dw5+pw": [Conv(5, c, c, groups=c, **same), Conv(1, c, o)],
        "dw7+pw": [Conv(7, c, c, groups=c, **same), Conv(1, c, o)],
        "3x3s2": [Conv(3, c, o, stride=2, padding=1)],
        "5x5s2": [Conv(5, c, o, stride=2, padding=2)],
        "7x7s2": [Conv(7, c, o, stride=2, padding=3)],
        "3x3s2+3x3": [Conv(3, c, o, stride=2, padding=1), Conv(3, o, o, **same)],
    }
    return layers[key]


_NAMES = {
    "7x7": {"uk": "одна 7×7", "en": "one 7×7"},
    "5x5": {"uk": "одна 5×5", "en": "one 5×5"},
    "3x3": {"uk": "одна 3×3", "en": "one 3×3"},
    "3x3x2": {"uk": "дві 3×3", "en": "two 3×3"},
    "3x3x3": {"uk": "три 3×3", "en": "three 3×3"},
    "5x5x2": {"uk": "дві 5×5", "en": "two 5×5"},
    "5x5x3": {"uk": "три 5×5", "en": "three 5×5"},
    "1x7+7x1": {"uk": "1×7, потім 7×1", "en": "1×7, then 7×1"},
    "1x3+3x1": {"uk": "1×3, потім 3×1", "en": "1×3, then 3×1"},
    "3x3d2": {"uk": "одна 3×3 з d = 2", "en": "one 3×3 with d = 2"},
    "dil12": {"uk": "3×3, потім 3×3 з d = 2", "en": "3×3, then 3×3 with d = 2"},
    "dil22": {"uk": "дві 3×3 з d = 2", "en": "two 3×3 with d = 2"},
    "dil123": {"uk": "три 3×3 з d = 1; 2; 3", "en": "three 3×3 with d = 1, 2, 3"},
    "dw3+pw": {"uk": "поканальна 3×3 + поточкова 1×1", "en": "depthwise 3×3 + pointwise 1×1"},
    "dw5+pw": {"uk": "поканальна 5×5 + поточкова 1×1", "en": "depthwise 5×5 + pointwise 1×1"},
    "dw7+pw": {"uk": "поканальна 7×7 + поточкова 1×1", "en": "depthwise 7×7 + pointwise 1×1"},
    "3x3s2": {"uk": "одна 3×3 з кроком 2", "en": "one 3×3 with stride 2"},
    "5x5s2": {"uk": "одна 5×5 з кроком 2", "en": "one 5×5 with stride 2"},
    "7x7s2": {"uk": "одна 7×7 з кроком 2", "en": "one 7×7 with stride 2"},
    "3x3s2+3x3": {"uk": "3×3 з кроком 2, потім 3×3", "en": "3×3 with stride 2, then 3×3"},
}

# (context, needs, goal, options): options are (design, C_in, C_out, H) on an H×H map; needs
# are the inputs of the question (typed budgets and fields); goal ("params" | "mults",
# "min" | "max") picks one among those that meet the needs, or None: exactly one meets them
SCENARIOS: tuple[dict, ...] = (
    # the lesson's design table: 56×56, 64 → 64 channels
    {"context": "same", "needs": {"rf": 7}, "goal": ("params", "min"),
     "options": [("7x7", 64, 64, 56), ("3x3x3", 64, 64, 56), ("1x7+7x1", 64, 64, 56),
                 ("dw7+pw", 64, 64, 56)]},
    {"context": "same", "needs": {"rf": 7, "full": True}, "goal": ("mults", "min"),
     "options": [("7x7", 64, 64, 56), ("3x3x3", 64, 64, 56), ("1x7+7x1", 64, 64, 56),
                 ("dil22", 64, 64, 56)]},
    {"context": "same", "needs": {"rf": 5, "full": True}, "goal": ("params", "min"),
     "options": [("5x5", 32, 32, 28), ("3x3x2", 32, 32, 28), ("3x3d2", 32, 32, 28)]},
    {"context": "same", "needs": {"rf": 3, "full": True}, "goal": ("params", "min"),
     "options": [("3x3", 64, 64, 28), ("1x3+3x1", 64, 64, 28), ("5x5", 64, 64, 28)]},
    {"context": "same", "needs": {"rf": 9, "layers": 2}, "goal": ("params", "min"),
     "options": [("7x7", 64, 64, 56), ("3x3x2", 64, 64, 56), ("5x5x2", 64, 64, 56),
                 ("dil22", 64, 64, 56)]},
    {"context": "same", "needs": {"rf": 7, "params": 60_000}, "goal": None,
     "options": [("7x7", 64, 64, 56), ("3x3x3", 64, 64, 56), ("1x7+7x1", 64, 64, 56),
                 ("dil22", 64, 64, 56)]},
    {"context": "halve", "needs": {"rf": 3, "mults": 50_000_000}, "goal": None,
     "options": [("3x3", 32, 32, 112), ("3x3s2", 32, 32, 112), ("5x5", 32, 32, 112),
                 ("1x3+3x1", 32, 32, 112)]},
    {"context": "place", "needs": {}, "goal": ("params", "max"),
     "options": [("3x3", 32, 32, 112), ("3x3", 128, 128, 28), ("3x3", 512, 512, 7)]},
    {"context": "place", "needs": {}, "goal": ("mults", "max"),
     "options": [("3x3", 64, 64, 112), ("3x3", 256, 256, 14), ("3x3", 512, 512, 7)]},
    {"context": "same", "needs": {"rf": 3, "mults": 20_000_000}, "goal": None,
     "options": [("3x3", 128, 128, 28), ("1x3+3x1", 128, 128, 28), ("dw3+pw", 128, 128, 28)]},
    {"context": "same", "needs": {"rf": 5, "full": True, "params": 3_000_000}, "goal": None,
     "options": [("5x5", 512, 512, 7), ("3x3x2", 512, 512, 7), ("3x3d2", 512, 512, 7),
                 ("dw5+pw", 512, 512, 7)]},
    {"context": "halve", "needs": {"rf": 7, "full": True}, "goal": ("mults", "min"),
     "options": [("7x7", 64, 64, 56), ("3x3x3", 64, 64, 56), ("dil12", 64, 64, 56),
                 ("3x3s2+3x3", 64, 64, 56)]},
    {"context": "same", "needs": {"rf": 13, "full": True, "layers": 3}, "goal": ("params", "min"),
     "options": [("3x3x3", 64, 64, 28), ("5x5x3", 64, 64, 28), ("dil22", 64, 64, 28),
                 ("dil123", 64, 64, 28)]},
    {"context": "stem", "needs": {"rf": 3, "mults": 12_000_000}, "goal": None,
     "options": [("3x3", 3, 32, 224), ("3x3s2", 3, 32, 224), ("5x5s2", 3, 32, 224),
                 ("7x7s2", 3, 32, 224)]},
)


@cache
def _option_facts(key: str, c_in: int, c_out: int, h: int) -> dict:
    import numpy as np

    from lessons.conv import cost, path_counts
    layers = _design(key, c_in, c_out)
    result = cost(layers, h, h)
    counts = path_counts(layers)
    return {"params": result.params, "mults": result.multiplications, "rf": result.receptive_field,
            "reached": int(np.count_nonzero(counts)), "area": int(counts.size),
            "layers": len(layers), "out": result.output_shape}


def _verdict(facts: dict, needs: dict) -> str | None:
    """The first need an option misses (its key), or None if it meets them all."""
    if "rf" in needs and min(facts["rf"]) < needs["rf"]:
        return "rf"
    if needs.get("full") and facts["reached"] < facts["area"]:
        return "full"
    if "layers" in needs and facts["layers"] > needs["layers"]:
        return "layers"
    for key in ("params", "mults"):
        if key in needs and facts[key] > needs[key]:
            return key
    return None


def design_options(params: dict) -> tuple[list[dict], int]:
    """The facts of every option of a scenario and the index of the one right answer.

    Examples:
        >>> facts, right = design_options(generate_design(0))
        >>> facts[right]["params"]  # depthwise 7×7 + pointwise 1×1 on 64 channels
        7232
    """
    facts = [_option_facts(*option) for option in params["options"]]
    fits = [i for i, f in enumerate(facts) if _verdict(f, params["needs"]) is None]
    goal = params["goal"]
    if goal is None:
        if len(fits) != 1:
            raise ValueError(f"scenario needs exactly one fitting option, got {len(fits)}")
        return facts, fits[0]
    metric, way = goal
    values = [facts[i][metric] for i in fits]
    best = (min if way == "min" else max)(values)
    if values.count(best) != 1:
        raise ValueError("scenario's goal must pick exactly one option")
    return facts, fits[values.index(best)]


def generate_design(i: int) -> dict:
    """Variant ``i``'s scenario (0 is the lesson's design table: 56×56, 64 channels)."""
    s = SCENARIOS[variant_index(i, len(SCENARIOS))]
    return {"context": s["context"], "needs": dict(s["needs"]),
            "goal": list(s["goal"]) if s["goal"] else None,
            "options": [list(o) for o in s["options"]]}


_D = {
    "title": {"uk": "Яку схему обрати", "en": "Which design fits"},
    "title_place": {"uk": "Де шар найдорожчий", "en": "Where a layer costs most"},
    "same": {"uk": "Шари обробляють карту ознак {h}×{h} з {c}; на виході стільки ж каналів, "
                   "доповнення «same».",
             "en": "The layers operate on a {h}×{h} feature map with {c}; the output has as many "
                   "channels, and the padding is “same”."},
    "halve": {"uk": "Шари обробляють карту ознак {h}×{h} з {c}; на виході стільки ж каналів. "
                    "Тут просторовий розмір карти ознак можна зменшити вдвічі: наступні шари все "
                    "одно обробляють меншу карту.",
              "en": "The layers operate on a {h}×{h} feature map with {c}; the output has as many "
                    "channels. Here the resolution may be halved: the layers that follow work on "
                    "a smaller map anyway."},
    "stem": {"uk": "Перший шар мережі отримує зображення {h}×{h} з {c}, а на виході мають бути "
                   "{o}; просторовий розмір тут можна зменшити вдвічі.",
             "en": "The first layer of a network takes a {h}×{h} image with {c} and must "
                   "produce {o}; the resolution may be halved here."},
    "place": {"uk": "Одна згортка 3×3 (на виході стільки ж каналів, скільки на вході; доповнення "
                    "«same») може стояти на початку, у середині чи наприкінці мережі. На початку "
                    "карта ознак велика, а каналів мало; що далі, то менша карта і більше "
                    "каналів.",
              "en": "One 3×3 convolution (as many output channels as input ones, “same” padding) "
                    "can sit early, midway or late in a network. Early on, the feature map is "
                    "large and the channels few; the later the layer, the smaller the map and the "
                    "more channels."},
    "needs": {"uk": "Вимоги: {items}.", "en": "Requirements: {items}."},
    "need_rf": {"uk": "рецептивне поле щонайменше {r}×{r}", "en": "a receptive field of at least {r}×{r}"},
    "need_full": {"uk": "кожен піксель поля впливає на вихід (без пропусків)",
                  "en": "every pixel of the field affects the output (no holes)"},
    "need_layers": {"uk": "щонайбільше {n}", "en": "at most {n}"},
    "need_params": {"uk": "щонайбільше {n}", "en": "at most {n}"},
    "need_mults": {"uk": "щонайбільше {n}", "en": "at most {n}"},
    "q_none": {"uk": "Яка схема відповідає вимогам?", "en": "Which design meets the requirements?"},
    "q_params_min": {"uk": "Яка схема відповідає вимогам і має найменше параметрів?",
                     "en": "Which design meets the requirements with the fewest parameters?"},
    "q_mults_min": {"uk": "Яка схема відповідає вимогам і потребує найменше множень?",
                    "en": "Which design meets the requirements with the fewest multiplications?"},
    "q_params_max": {"uk": "Де цей шар має найбільше параметрів?",
                     "en": "Where does this layer have the most parameters?"},
    "q_mults_max": {"uk": "Де цей шар потребує найбільше множень?",
                    "en": "Where does this layer need the most multiplications?"},
    "place_name": {"uk": "карта {h}×{h}, {c}", "en": "a {h}×{h} map, {c}"},
    "facts": {"uk": "{params}, {mults}, поле {rf}",
              "en": "{params}, {mults}, a {rf} receptive field"},
    "out": {"uk": "вихід {h}×{w}", "en": "a {h}×{w} output"},
    "v_rf": {"uk": "Поле замале: потрібно щонайменше {r}×{r}.",
             "en": "The field is too small: at least {r}×{r} is needed."},
    "v_full": {"uk": "У полі є пропуски: на вихід впливають лише {n} з {m}.",
               "en": "The field has holes: only {n} of its {m} affect the output."},
    "v_layers": {"uk": "Забагато шарів: дозволено щонайбільше {n}.",
                 "en": "Too many layers: at most {n} are allowed."},
    "v_params": {"uk": "Параметрів більше, ніж дозволено ({n}).",
                 "en": "More parameters than the {n} allowed."},
    "v_mults": {"uk": "Множень більше, ніж дозволено ({n}).",
                "en": "More multiplications than the {n} allowed."},
    "v_only": {"uk": "Єдина схема, що відповідає всім вимогам.",
               "en": "The only design that meets every requirement."},
    "v_best_min": {"uk": "Відповідає вимогам, і {what} тут найменше.",
                   "en": "Meets the requirements and has the fewest {what}."},
    "v_more": {"uk": "Відповідає вимогам, але {what} більше, ніж у схеми «{best}».",
               "en": "Meets the requirements, but has more {what} than “{best}”."},
    "v_best_max_params": {"uk": "Тут параметрів найбільше.",
                          "en": "This is where it has the most parameters."},
    "v_best_max_mults": {"uk": "Тут множень найбільше.",
                         "en": "This is where it needs the most multiplications."},
    "v_less": {"uk": "{what_cap} менше, ніж на карті {h}×{h} з {c}.",
               "en": "Fewer {what} than on a {h}×{h} map with {c}."},
    "what_params": {"uk": "параметрів", "en": "parameters"},
    "what_mults": {"uk": "множень", "en": "multiplications"},
    "solution": {"uk": "<p>Для кожної схеми функція <code>cost</code> з уроку обчислює "
                       "кількість параметрів (ваг без зміщень), кількість множень і рецептивне "
                       "поле.{holes}</p>",
                 "en": "<p>For each design, the lesson’s <code>cost</code> function returns the "
                       "number of parameters (weights only, no biases), the number of "
                       "multiplications and the receptive field.{holes}</p>"},
    "solution_place": {"uk": "<p>Для кожного розташування функція <code>cost</code> з уроку "
                             "обчислює кількість параметрів (ваг без зміщень), кількість множень "
                             "і рецептивне поле.{same}</p>",
                       "en": "<p>For each placement, the lesson’s <code>cost</code> function "
                             "returns the number of parameters (weights only, no biases), the "
                             "number of multiplications and the receptive field.{same}</p>"},
    "same_mults": {"uk": " Множень усюди однаково: у скільки разів менша сторона карти H, у "
                         "стільки ж разів більше каналів C (H·C скрізь дорівнює {hc}), а кількість "
                         "множень пропорційна (H·C)². Параметри ж пропорційні C².",
                   "en": " The multiplications are the same everywhere: the map’s side H shrinks "
                         "by the same factor as the channel count C grows (H·C is {hc} in every placement), "
                         "and the multiplications are proportional to (H·C)². The parameters, "
                         "though, are proportional to C²."},
    "holes": {"uk": " Функція <code>path_counts</code> показує, чи є в полі пропуски.",
              "en": " The function <code>path_counts</code> shows whether the field has holes."},
}


def _option_name(option: list, context: str, lang: str) -> str:
    key, c_in, _c_out, h = option
    if context == "place":
        return _t(_D, "place_name", lang, h=h, c=count(c_in, _CHANNELS, lang))
    return pick(_NAMES[key], lang)


def render_design(params: dict, lang: str) -> Variant:
    """The choice variant of ``params`` in ``lang``: the constraint, the options, why each.

    Examples:
        >>> v = render_design(generate_design(0), "en")
        >>> [o.text for o in v.options if o.correct]
        ['depthwise 7×7 + pointwise 1×1']
    """
    lang = check_lang(lang)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    if params.get("context") not in ("same", "halve", "stem", "place"):
        raise ValueError(f"params['context'] must be same, halve, stem or place, "
                         f"got {params.get('context')!r}")
    facts, right = design_options(params)
    needs, goal, context = params["needs"], params["goal"], params["context"]
    _key, c_in, c_out, h = params["options"][0]
    text = _t(_D, context, lang, h=h, c=count(c_in, _WITH_CHANNELS, lang),
              o=count(c_out, _CHANNELS, lang))
    prompt = f"<p>{text}</p>"
    items = []
    if "rf" in needs:
        items.append(_t(_D, "need_rf", lang, r=needs["rf"]))
    if needs.get("full"):
        items.append(_t(_D, "need_full", lang))
    for key, forms in (("layers", _LAYERS), ("params", _PARAMS), ("mults", _MULTS)):
        if key in needs:
            items.append(_t(_D, f"need_{key}", lang, n=count(needs[key], forms, lang)))
    if items:
        prompt += f"<p>{_t(_D, 'needs', lang, items='; '.join(items))}</p>"
    question = _t(_D, "q_none" if goal is None else f"q_{goal[0]}_{goal[1]}", lang)
    names = [_option_name(o, context, lang) for o in params["options"]]
    best = names[right]
    options = []
    for i, (option, f) in enumerate(zip(params["options"], facts)):
        shown = _t(_D, "facts", lang, params=count(f["params"], _PARAMS, lang),
                   mults=count(f["mults"], _MULTS, lang), rf=_times(f["rf"]))
        if f["out"][1] != option[3]:  # a strided design: the map it leaves
            shown += ", " + _t(_D, "out", lang, h=f["out"][1], w=f["out"][2])
        missed = _verdict(f, needs)
        if missed == "rf":
            why = _t(_D, "v_rf", lang, r=needs["rf"])
        elif missed == "full":
            why = _t(_D, "v_full", lang, n=f["reached"], m=count(f["area"], _PIXELS_OF, lang))
        elif missed is not None:
            forms = {"layers": _LAYERS, "params": _PARAMS, "mults": _MULTS}[missed]
            n = needs[missed]
            why = _t(_D, f"v_{missed}", lang,
                     n=count(n, forms, lang) if missed == "layers" else fmt_int(n, lang))
        elif goal is None:
            why = _t(_D, "v_only", lang)
        else:
            what = _t(_D, f"what_{goal[0]}", lang)
            if i == right:
                why = _t(_D, "v_best_min" if goal[1] == "min" else f"v_best_max_{goal[0]}",
                         lang, what=what)
            elif goal[1] == "min":
                why = _t(_D, "v_more", lang, what=what, best=best)
            else:
                _k, best_c, _o, best_h = params["options"][right]
                why = _t(_D, "v_less", lang, what=what, what_cap=what[:1].upper() + what[1:],
                         h=best_h, c=count(best_c, _WITH_CHANNELS, lang))
        options.append(Option(names[i], i == right, f"{shown}. {why}"))
    if context == "place":
        # one 3×3 layer everywhere: M = H²·9·C², so equal products H·C give equal M
        products = {h * c for _key, c, _o, h in params["options"]}
        same = ""
        if len({f["mults"] for f in facts}) == 1 and len(products) == 1:
            same = _t(_D, "same_mults", lang, hc=fmt_int(products.pop(), lang))
        solution = _t(_D, "solution_place", lang, same=same)
    else:
        solution = _t(_D, "solution", lang,
                      holes=_t(_D, "holes", lang) if needs.get("full") else "")
    title = _t(_D, "title_place" if context == "place" else "title", lang)
    return Variant(DESIGN_NAME, params, lang, title, prompt,
                   options=tuple(options), question=question, solution=solution)


STACK_NAME, FIELD_NAME, DESIGN_NAME = "convolutions.stack", "convolutions.field", "convolutions.design"
STACK = Kind(STACK_NAME, generate_stack, render_stack, STACK_COUNT)
FIELD = Kind(FIELD_NAME, generate_field, render_field, FIELD_COUNT)
DESIGN = Kind(DESIGN_NAME, generate_design, render_design, len(SCENARIOS))
KINDS = (STACK, FIELD, DESIGN)
