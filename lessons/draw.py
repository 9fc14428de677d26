"""Draw a computational graph as an inline SVG figure in the style of the CS231n lectures.

Lesson 1 teaches backpropagation by writing numbers on a graph: the forward value of every
edge above it (green) and its gradient below it (red). A hand-made figure goes stale the
moment an input changes, so the lesson pages draw the graph of a live
``lessons.autograd.Value`` at build time, and the tests check that the figure shows
exactly the numbers the engine computed.

Choices that a figure on this site needs and a plain plot does not:

* Position carries the meaning, not only colour: the value is always above its edge and the
  gradient always below it (in italics), and the legend shows that convention on a sample
  edge, so a reader who cannot tell red from green still reads the figure.
* When a node feeds several gates (a fork, or ``x * x``), each branch shows the gradient
  that flows back along it, and a short stub before the fork shows their sum: the
  node's own gradient. "A fork sums" is then visible on the figure.
* Colours have a contrast of at least 4.5:1 on the white page and on Material's dark
  ("slate") page; everything else is drawn in ``currentColor``.
* The output is deterministic (the same graph gives byte-identical SVG), built with
  ``xml.etree.ElementTree`` so every label is escaped, and labelled for screen readers
  (``role="img"``, ``<title>``, ``<desc>``) in the page's language.
* It scales down (``viewBox``, ``width="100%"``, natural width as maximum), but a phone
  gets its own drawing instead of a shrunken one: ``to_svg(..., direction="down")`` lays
  the graph out from top to bottom, with each value left of its vertical edge and each
  gradient right of it (the legend shows that too), narrow enough for a 360 px phone at
  full size. ``figure_html`` puts both variants in one fragment and shows one of
  them through a media query.

The layout is a small layered (Sugiyama-style) drawing: the column of a gate is the longest
path from the inputs, long edges pass through invisible "dummy" slots, barycenter sweeps
reduce crossings, and each gap between columns is wide enough for the widest label in it.
Labels sit only where every edge runs horizontally, and vertical slots are far enough
apart that no label can touch another label, an edge or a gate box. The narrow variant
reuses the same machinery with columns as rows; there neighbouring edges are one label
width apart, and where two labels would still meet, one of them moves to a second row of
labels.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import numbers
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape
from dataclasses import dataclass, field

from lessons.autograd import Value, topological_order
from lessons.i18n import MINUS, check_digits, check_lang, fmt, pick

__all__ = ["figure_html", "gate_label", "to_svg"]

# ---- colours --------------------------------------------------------------------------
# Contrast ratios (WCAG) checked by the tests: >= 4.5 on #ffffff (light) and on #1e2129
# (Material "slate"), each palette on its own background.
VALUE_LIGHT, GRAD_LIGHT = "#17753a", "#c0262d"
VALUE_DARK, GRAD_DARK = "#6fdc8c", "#ff8f8f"

# ---- geometry (user units = px at natural size) ----------------------------------------
FONT = 13          # edge labels
FONT_GATE = 15     # operation inside a gate box
FONT_NAME = 15     # input and output names
LANE = 44          # vertical room of one labelled edge: value above + gradient below
PORT = 16          # distance between the entry points of a gate with two inputs
DUMMY_H = 14       # vertical room of an edge passing through a column
SEP = 6            # vertical gap between neighbouring slots of one column
PADX = 6           # horizontal padding around a label
FORK = 26          # width of the zone where a fork spreads into branches
MARGIN = 12
ABOVE, BELOW = 6, 5  # distance of the value baseline / gradient top from the edge
# the narrow ("down") variant: value left of a vertical edge, gradient right of it
SIDE = 4           # distance of a label from its edge
PORT_DOWN = 20     # distance between the entry points of a gate with two inputs
LEVEL_H = 19       # vertical room of one row of labels beside the edges
LABEL_GAP = 12     # least room between labels of two edges in one row of labels
STUB_H = 24        # length of the stub above a fork (its labels sit beside it)
NAME_H = 20        # height of an input or output name
BOX_H = 30         # height of a gate box
PHONE_WIDTH = 328  # content width of the page on a 360 px phone (2 × 16 px padding)
MIN_LABEL = 10     # smallest label size (CSS px) a figure may shrink to

_TEXTS = {
    "title": {"uk": "Обчислювальний граф", "en": "Computational graph"},
    "title_of": {"uk": "Обчислювальний граф для", "en": "Computational graph of"},
    "value": {"uk": "значення (прямий прохід)", "en": "value (forward pass)"},
    "grad": {"uk": "градієнт (зворотний прохід)", "en": "gradient (backward pass)"},
    "intro": {
        "uk": "Входи зліва, вихід справа. Над кожним ребром — значення прямого проходу, "
              "під ним — градієнт зворотного проходу.",
        "en": "Inputs on the left, output on the right. Above each edge is its value from "
              "the forward pass, below it the gradient from the backward pass.",
    },
    "intro_down": {
        "uk": "Ребра йдуть згори вниз, від входів до виходу. Ліворуч від кожного ребра — "
              "значення прямого проходу, праворуч — градієнт зворотного проходу.",
        "en": "Edges run from top to bottom, from the inputs to the output. To the left of "
              "each edge is its value from the forward pass; to the right, the gradient from "
              "the backward pass.",
    },
    "intro_down_values": {
        "uk": "Ребра йдуть згори вниз, від входів до виходу. Ліворуч від кожного ребра — "
              "значення прямого проходу.",
        "en": "Edges run from top to bottom, from the inputs to the output. To the left of "
              "each edge is its value from the forward pass.",
    },
    "intro_values": {
        "uk": "Входи зліва, вихід справа. Над кожним ребром — значення прямого проходу.",
        "en": "Inputs on the left, output on the right. Above each edge is its value from "
              "the forward pass.",
    },
    "intro_blank": {
        "uk": "Входи зліва, вихід справа. Над ребром — назва вузла, значення якого воно "
              "передає; чисел на рисунку немає.",
        "en": "Inputs on the left, output on the right. Above an edge is the name of the node "
              "whose value it carries; the figure shows no numbers.",
    },
    "intro_down_blank": {
        "uk": "Ребра йдуть згори вниз, від входів до виходу. Ліворуч від ребра — назва вузла, "
              "значення якого воно передає; чисел на рисунку немає.",
        "en": "Edges run from top to bottom, from the inputs to the output. To the left of an "
              "edge is the name of the node whose value it carries; the figure shows no numbers.",
    },
    "node": {"uk": "назва вузла", "en": "node name"},
    "input": {"uk": "вхід", "en": "input"},
    "gate": {"uk": "операція", "en": "gate"},
    "output": {"uk": "вихід", "en": "output"},
    "val": {"uk": "значення", "en": "value"},
    "gr": {"uk": "градієнт", "en": "gradient"},
    "branches": {"uk": "за гілками", "en": "branches"},
}
_QUOTES = {"uk": ("«", "»"), "en": ("“", "”")}


def _signed_sum(terms: list[float], num) -> str:
    """Terms of a sum as one writes them: "0,51 − 0,04 + 1,58", never "0,51 + −0,04"."""
    out = num(terms[0])
    for t in terms[1:]:
        text = num(t)
        out += f" {MINUS} {text[1:]}" if text.startswith(MINUS) else f" + {text}"
    return out


def _t(key: str, lang: str) -> str:
    return pick(_TEXTS[key], lang)


# ---- operations -----------------------------------------------------------------------

_PLAIN_OPS = ("+", "-", "*", "/", "exp", "log", "tanh", "sigmoid", "relu", "max")


def _parse_op(op: str) -> tuple[str, float | None, str]:
    """Split a gate name into (kind, constant, constant as written).

    Kinds: the plain operations, and "+c", "*c", "c-x", "c/x", "^n", "c^x".
    """
    if op in _PLAIN_OPS:
        return op, None, ""
    for suffix, kind in (("-x", "c-x"), ("/x", "c/x"), ("^x", "c^x")):
        if op.endswith(suffix) and len(op) > len(suffix):
            text = op[: -len(suffix)]
            return kind, _const(text, op), text
    if op[:1] in ("^", "*", "+", "/") and len(op) > 1:
        kind = {"^": "^n", "*": "*c", "+": "+c", "/": "/c"}[op[0]]
        return kind, _const(op[1:], op), op[1:]
    if op.startswith("-") and len(op) > 1:
        return "+c", -_const(op[1:], op), op
    raise ValueError(f"unknown gate {op!r}: cannot draw or differentiate it")


def _const(text: str, op: str) -> float:
    try:
        c = float(text)
    except ValueError:
        raise ValueError(f"unknown gate {op!r}: cannot read the constant {text!r}") from None
    if not math.isfinite(c):
        raise ValueError(f"unknown gate {op!r}: the constant is not finite")
    return c


_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num_text(text: str, lang: str) -> str:
    """A constant as written in a gate name, in the page's number style (0,5 and −1)."""
    text = text.replace("-", MINUS)
    return text.replace(".", ",") if lang == "uk" else text


def gate_label(op: str, lang: str = "uk") -> str:
    """The label drawn inside a gate box for the engine's operation name ``op``.

    Examples:
        >>> [gate_label(op) for op in ("*", "-", "*-1", "1/x", "sigmoid", "^2", "*0.5", "-3")]
        ['×', '−', '×(−1)', '1/x', 'σ', '(·)²', '×0,5', '−3']
    """
    lang = check_lang(lang)
    if not isinstance(op, str):
        raise TypeError(f"op must be a str, got {type(op).__name__}")
    kind, c, text = _parse_op(op)
    plain = {"+": "+", "-": MINUS, "*": "×", "/": "÷", "exp": "exp", "log": "log",
             "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "max": "max"}
    if kind in plain:
        return plain[kind]
    assert c is not None
    num = _num_text(text, lang)
    if kind == "+c":
        return num if c < 0 else "+" + num
    if kind == "*c":
        return "×(" + num + ")" if c < 0 else "×" + num
    if kind == "c-x":
        return num + MINUS + "x"
    if kind == "c/x":
        return num + "/x"
    if kind == "/c":
        return "÷" + num
    if kind == "^n":
        # "(·)" rather than "x": the operand is often not the input named x, as in (x+y)²
        return "(·)" + text.translate(_SUPER) if c.is_integer() else "(·)^" + num
    return num + "ˣ"  # c^x


def _name(label: str) -> str:
    """An input's label with trailing digits as subscripts: w0 → w₀, x_1 → x₁."""
    m = re.fullmatch(r"([^\W\d_]+)_?(\d+)", label)
    return m.group(1) + m.group(2).translate(_SUB) if m else label


# ---- text size estimate ----------------------------------------------------------------

def _char_em(ch: str) -> float:
    if ch.isdigit() and ch.isascii():
        return 0.64
    if ch in ",.:;'|!ilI ":
        return 0.34
    if ch in "−+×÷=<>~":
        return 0.84
    if ch in "()[]/\\":
        return 0.42
    if ch in "mwMWшщжюШЩЖЮ":
        return 0.95
    if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻₀₁₂₃₄₅₆₇₈₉ˣ":
        return 0.45
    if ch.isupper():
        return 0.74
    return 0.64


def _text_width(text: str, size: float) -> float:
    """A generous width estimate of ``text`` in a common sans-serif font (DejaVu is widest)."""
    return sum(_char_em(ch) for ch in text) * size


# ---- expression for the title ----------------------------------------------------------

_EXPR_MAX = 160


def _expressions(order: list[Value], lang: str) -> dict[int, tuple[str, int] | None]:
    """Infix text and precedence of every node, iteratively (no recursion limit)."""
    out: dict[int, tuple[str, int] | None] = {}

    def wrap(e: tuple[str, int], prec: int, strict: bool = False) -> str:
        text, p = e
        return f"({text})" if p < prec or (strict and p == prec) else text

    for node in order:
        if not node.inputs:
            if node.label:
                out[id(node)] = (_name(node.label), 5)
            else:
                out[id(node)] = (fmt(node.data, lang, 2), 3 if node.data < 0 else 5)
            continue
        args = [out[id(i)] for i in node.inputs]
        if any(a is None for a in args):
            out[id(node)] = None
            continue
        a = args[0]
        kind, c, text = _parse_op(node.op)
        num = _num_text(text, lang)
        assert a is not None
        if kind in ("+", "-"):
            b = args[1]
            assert b is not None
            sign = "+" if kind == "+" else MINUS
            e = (f"{wrap(a, 1)} {sign} {wrap(b, 1, kind == '-')}", 1)
        elif kind in ("*", "/"):
            b = args[1]
            assert b is not None
            sign = "×" if kind == "*" else "/"
            e = (f"{wrap(a, 2)} {sign} {wrap(b, 2, kind == '/')}", 2)
        elif kind == "max":
            b = args[1]
            assert b is not None
            e = (f"max({a[0]}, {b[0]})", 5)
        elif kind == "+c":
            assert c is not None
            e = (f"{wrap(a, 1)} {'+' if c >= 0 else MINUS} {num.lstrip(MINUS)}", 1)
        elif kind == "*c":
            e = (f"{MINUS}{wrap(a, 3)}", 3) if c == -1 else (
                f"{wrap(a, 2)} × {f'({num})' if c is not None and c < 0 else num}", 2)
        elif kind == "c-x":
            e = (f"{num} {MINUS} {wrap(a, 1, True)}", 1)
        elif kind == "c/x":
            e = (f"{num} / {wrap(a, 2, True)}", 2)
        elif kind == "/c":
            e = (f"{wrap(a, 2)} / {num}", 2)
        elif kind == "^n":
            assert c is not None
            power = text.translate(_SUPER) if c.is_integer() else "^" + num
            e = (f"{wrap(a, 5)}{power}", 4)
        elif kind == "c^x":
            e = (f"{num}^({a[0]})", 4)
        else:
            e = (f"{gate_label(node.op, lang)}({a[0]})", 5)
        out[id(node)] = e if len(e[0]) <= _EXPR_MAX else None
    return out


# ---- layout -----------------------------------------------------------------------------

@dataclass(eq=False)
class _Item:
    """One slot of a column: an input name, a gate box, an edge passing through, the output."""

    kind: str                      # "input" | "gate" | "dummy" | "out"
    layer: int
    node: Value | None = None
    order: int = 0                 # tie-breaker: topological index
    ins: list[_Seg] = field(default_factory=list)
    outs: list[_Seg] = field(default_factory=list)
    width: float = 0.0
    box_h: float = 0.0
    height: float = 0.0
    rank: int = 0
    y: float = 0.0                 # position across the layers (down the page when "right")
    lane_step: float = LANE        # distance between the branches of a fork
    port_step: float = PORT        # distance between the entry points of a gate

    @property
    def fans(self) -> bool:
        return self.kind in ("input", "gate") and len(self.outs) > 1

    def lane(self, seg: _Seg) -> float:
        """Offset from the centre of the slot where ``seg`` leaves this item."""
        if not self.fans:
            return 0.0
        k = len(self.outs)
        return (self.outs.index(seg) - (k - 1) / 2) * self.lane_step

    def port(self, seg: _Seg) -> float:
        """Offset from the centre where ``seg`` enters this item."""
        if self.kind != "gate":
            return 0.0
        m = len(self.ins)
        return (seg.port - (m - 1) / 2) * self.port_step


@dataclass(eq=False)
class _Seg:
    src: _Item
    dst: _Item
    port: int
    edge: _Edge


@dataclass(eq=False)
class _Edge:
    """An edge of the graph: from a node to a gate input (or to the output terminal)."""

    source: Value
    consumer: Value | None
    port: int
    segs: list[_Seg] = field(default_factory=list)
    grad: float = 0.0               # the gradient flowing back along this edge


def _isotonic(t: list[float]) -> list[float]:
    """Least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []   # [sum, count]
    for v in t:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
    out: list[float] = []
    for s, n in blocks:
        out.extend([s / n] * int(n))
    return out


def _place(items: list[_Item], desired: list[float]) -> None:
    """Put the items of one column as close to ``desired`` as their heights allow."""
    offsets = [0.0]
    for a, b in itertools.pairwise(items):
        offsets.append(offsets[-1] + (a.height + b.height) / 2 + SEP)
    z = _isotonic([d - o for d, o in zip(desired, offsets)])
    for item, zi, o in zip(items, z, offsets):
        item.y = zi + o


def _crossings(layers: list[list[_Item]]) -> int:
    total = 0
    for layer in layers[:-1]:
        segs = [(s.src.rank, s.dst.rank + s.dst.port(s) / 1000.0) for it in layer for s in it.outs]
        for i, (a0, a1) in enumerate(segs):
            for b0, b1 in segs[i + 1:]:
                if a0 != b0 and (a0 - b0) * (a1 - b1) < 0:
                    total += 1
    return total


def _order_layers(layers: list[list[_Item]]) -> None:
    """Barycenter sweeps to reduce edge crossings; keeps the best order seen."""
    def rerank(layer: list[_Item]) -> None:
        for r, it in enumerate(layer):
            it.rank = r

    def by_succ(it: _Item) -> float:
        return sum(s.dst.rank + s.dst.port(s) / (2 * PORT) for s in it.outs) / len(it.outs)

    def by_pred(it: _Item) -> float:
        if not it.ins:          # an input below the top row (the narrow layout)
            return float(it.rank)
        return sum(s.src.rank for s in it.ins) / len(it.ins)

    # initial order: from the output leftwards, each column follows its consumers
    for layer in layers:
        layer.sort(key=lambda it: it.order)
        rerank(layer)
    for c in range(len(layers) - 2, -1, -1):
        layers[c].sort(key=lambda it: (by_succ(it), it.order))
        rerank(layers[c])
    best = _crossings(layers)
    best_order = [list(layer) for layer in layers]
    for sweep in range(8):
        if best == 0:
            break
        if sweep % 2 == 0:
            for c in range(1, len(layers)):
                layers[c].sort(key=lambda it: (by_pred(it), it.rank))
                rerank(layers[c])
        else:
            for c in range(len(layers) - 2, -1, -1):
                layers[c].sort(key=lambda it: (by_succ(it), it.rank))
                rerank(layers[c])
        n = _crossings(layers)
        if n < best:
            best, best_order = n, [list(layer) for layer in layers]
    for c, layer in enumerate(best_order):
        layers[c] = layer
        rerank(layer)


def _position_rows(layers: list[list[_Item]]) -> None:
    """Vertical placement: align each edge's two ends as far as the slot heights allow."""
    for layer in layers:
        _place(layer, [0.0] * len(layer))
        shift = (layer[0].y - layer[0].height / 2 + layer[-1].y + layer[-1].height / 2) / 2
        for it in layer:
            it.y -= shift

    def from_left(it: _Item) -> float:
        if not it.ins:
            return it.y
        return sum(s.src.y + s.src.lane(s) - it.port(s) for s in it.ins) / len(it.ins)

    def from_right(it: _Item) -> float:
        if not it.outs:
            return it.y
        return sum(s.dst.y + s.dst.port(s) - it.lane(s) for s in it.outs) / len(it.outs)

    for _ in range(6):
        for layer in layers[1:]:
            _place(layer, [from_left(it) for it in layer])
        for layer in reversed(layers[:-1]):
            _place(layer, [from_right(it) for it in layer])
    # the output terminal sits on the level of the edge leaving the root
    last = layers[-1]
    _place(last, [from_left(it) for it in last])


# ---- SVG helpers ------------------------------------------------------------------------

def _n(x: float) -> str:
    """A coordinate with one decimal at most: short, and the same on every run."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _path(points: list[tuple[float, float]], *, down: bool = False) -> str:
    """A path through ``points``: runs along the flow stay straight, shifts across it are
    S-curves. The flow runs left to right, or top to bottom with ``down`` (the narrow figure)."""
    (x0, y0), rest = points[0], points[1:]
    d = [f"M{_n(x0)},{_n(y0)}"]
    for x1, y1 in rest:
        (a0, a1), (b0, b1) = ((y0, y1), (x0, x1)) if down else ((x0, x1), (y0, y1))
        if abs(b1 - b0) < 0.05:  # no shift across the flow: a straight run, if any
            if abs(a1 - a0) >= 0.05:
                d.append(("V" if down else "H") + _n(a1))
        else:
            m = (a0 + a1) / 2
            first, second = ((x0, m), (x1, m)) if down else ((m, y0), (m, y1))
            d.append(f"C{_n(first[0])},{_n(first[1])} {_n(second[0])},{_n(second[1])} "
                     f"{_n(x1)},{_n(y1)}")
        x0, y0 = x1, y1
    return "".join(d)


def _text(parent: ET.Element, x: float, y: float, content: str, cls: str, size: int,
          anchor: str = "middle") -> ET.Element:
    attrs = {"x": _n(x), "y": _n(y), "class": cls}
    # the <svg> sets font-size FONT and text-anchor middle, which a <text> inherits: only a
    # label that differs says so (a figure has a few hundred labels: this halves their tags)
    if size != FONT:
        attrs["font-size"] = str(size)
    if anchor != "middle":
        attrs["text-anchor"] = anchor
    el = ET.SubElement(parent, "text", attrs)
    el.text = content
    return el


def _arrow_rule(sel: str, prefix: str) -> str:
    """Every edge of the drawing ``prefix`` ends in its arrow: said once in the style rather
    than on each of its paths."""
    return f"{sel} .cg-edge{{marker-end:url(#{prefix}-arrow)}}"


def _style(prefix: str, scope: str | None = None, colours: bool = True) -> str:
    """The drawing's style, scoped to its own <svg> (``svg.cg#prefix``); with ``scope``, the
    same paint for every drawing inside ``scope`` and no arrow (``figure_html``: one style
    for both variants). A blank drawing has no values or gradients to colour
    (``colours=False``)."""
    sel = scope or f"svg.cg#{prefix}"
    lines = (f"{sel} .cg-edge,{sel} .cg-box{{fill:none;stroke:currentColor;stroke-width:1.5}}"
             + ("" if scope else _arrow_rule(sel, prefix)))
    if not colours:
        return lines
    return (
        lines +
        f"{sel} .cg-value{{fill:{VALUE_LIGHT}}}"
        f"{sel} .cg-grad{{fill:{GRAD_LIGHT};font-style:italic}}"
        f"[data-md-color-scheme=\"slate\"] {sel} .cg-value{{fill:{VALUE_DARK}}}"
        f"[data-md-color-scheme=\"slate\"] {sel} .cg-grad{{fill:{GRAD_DARK}}}"
    )


def _graph_key(order: list[Value], lang: str, digits: int, gradients: bool,
               direction: str = "right", blank: bool = False) -> str:
    index = {id(n): i for i, n in enumerate(order)}
    parts = [lang, str(digits), str(gradients)] + ([direction] if direction != "right" else [])
    parts += ["blank"] if blank else []
    for n in order:
        parts.append(f"{n.op}|{n.label}|{n.data!r}|{n.grad!r}|"
                     + ",".join(str(index[id(i)]) for i in n.inputs))
    return "cg-" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:8]


def _intro(intro: str, lang: str, gradients: bool, blank: bool) -> str:
    """The first sentences of a description: how the drawing reads (``intro`` is "intro" for
    the wide drawing, "intro_down" for the narrow one)."""
    return _t(intro + "_blank" if blank else intro if gradients else intro + "_values", lang)


def _describe(root: Value, order: list[Value], items: dict[int, _Item], names: dict[int, str],
              lang: str, digits: int, gradients: bool, intro: str,
              blank: bool = False) -> tuple[str, str]:
    """The figure's title (the expression, when short) and its description for screen readers.

    A ``blank`` figure's description names the nodes and says no number.
    """
    def num(x: float) -> str:
        return fmt(x, lang, digits)

    exprs = _expressions(order, lang)
    expr = exprs[id(root)]
    root_name = _name(root.label) if root.label else ""
    if expr is not None and root.inputs:
        head = f"{root_name} = {expr[0]}" if root_name else expr[0]
        title = f"{_t('title_of', lang)} {head}"
    elif root_name:
        title = f"{_t('title_of', lang)} {root_name}"
    else:
        title = _t("title", lang)
    q0, q1 = _QUOTES[lang]
    lines = [_intro(intro, lang, gradients, blank)]
    for node in order:
        it = items[id(node)]
        if node.inputs:
            what = f"{_t('gate', lang)} {q0}{gate_label(node.op, lang)}{q1}"
            if node.label:
                what += f" ({_name(node.label)})"
        else:
            what = f"{_t('input', lang)} {names[id(it)]}"
        if node is root:
            what += f", {_t('output', lang)}"
        if blank:
            lines.append(f"{what[0].upper()}{what[1:]}.")
            continue
        text = f"{what[0].upper()}{what[1:]}: {_t('val', lang)} {num(node.data)}"
        if gradients:
            text += f", {_t('gr', lang)} {num(node.grad)}"
            if it.fans:
                branch = _signed_sum([s.edge.grad for s in it.outs], num)
                text += f" ({_t('branches', lang)}: {branch})"
        lines.append(text + ".")
    description = " ".join(lines)

    return title, description


# ---- the drawing ------------------------------------------------------------------------

def _svg_root(id_prefix: str, width: float, height: float, min_scale: float | None,
              title: str, description: str, blank: bool = False) -> ET.Element:
    """The <svg> element with its accessible name, style and arrow marker (which the style
    puts at the end of every ``cg-edge`` path)."""
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg",
        "id": id_prefix,
        "class": "cg",
        "viewBox": f"0 0 {_n(width)} {_n(height)}",
        "width": "100%",
        "style": f"max-width:{_n(width)}px;height:auto"
                 + (f";min-width:{_n(width * min_scale)}px" if min_scale else ""),
        "role": "img",
        "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
        "font-family": "sans-serif",
        "font-size": str(FONT),
        "text-anchor": "middle",
        "fill": "currentColor",
    })
    ET.SubElement(svg, "title", {"id": f"{id_prefix}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{id_prefix}-desc"}).text = description
    ET.SubElement(svg, "style").text = _style(id_prefix, colours=not blank)
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(defs, "marker", {
        "id": f"{id_prefix}-arrow", "viewBox": "0 0 8 8", "refX": "8", "refY": "4",
        "markerWidth": "8", "markerHeight": "8", "markerUnits": "userSpaceOnUse",
        "orient": "auto"})
    ET.SubElement(marker, "path", {"d": "M0,0.5L8,4L0,7.5z", "fill": "currentColor"})
    return svg


def _first_labels(seg: _Seg, num, name=None) -> tuple[str, str]:
    """The value and gradient written beside the first segment of an edge.

    ``name(node, stub)``, given for a blank figure, writes a node name instead of the value.
    """
    src = seg.src
    assert src.node is not None
    grad = seg.edge.grad if src.fans else src.node.grad
    value = num(src.node.data) if name is None else name(src.node, not src.fans)
    return value, num(grad)


def _pitch(edges: list[_Edge], lang: str, digits: int, gradients: bool, name=None) -> float:
    """The narrow layout's distance between neighbouring vertical edges.

    A label must fit between its edge and the next one, so the distance is the widest
    label of the graph plus the room on both sides of it.
    """
    def num(x: float) -> str:
        return fmt(x, lang, digits)

    shown: list[str] = []
    for edge in edges:
        value, grad = _first_labels(edge.segs[0], num, name)
        shown += [value, grad] if gradients else [value]
        if edge.segs[0].src.fans:
            stub = value if name is None else name(edge.source, True)
            shown += [stub, num(edge.source.grad)] if gradients else [stub]
    pitch = max(_text_width(t, FONT) for t in shown) + 2 * SIDE + 6
    # a blank figure's names are short: keep its edges as far apart as a gate's two inputs
    return pitch if name is None else max(pitch, 2 * PORT_DOWN)


def _draw_down(root: Value, order: list[Value], items: dict[int, _Item], terminal: _Item,
               layers: list[list[_Item]], edges: list[_Edge], pitch: float, *, lang: str,
               digits: int, gradients: bool, id_prefix: str, min_scale: float | None,
               name=None) -> str:
    """The narrow variant of ``to_svg``: layers are rows, from the inputs down.

    ``name``, given for a blank figure, writes node names where the values would be.
    """
    def num(x: float) -> str:
        return fmt(x, lang, digits)

    def shown(value: str, grad: str) -> tuple[float, float]:
        return _text_width(value, FONT), (_text_width(grad, FONT) if gradients else 0.0)

    # -- sizes: "height" is the room an item takes across the rows (its width on the page)
    names: dict[int, str] = {}
    box_w: dict[int, float] = {}
    for it in items.values():
        assert it.node is not None
        fan = (len(it.outs) - 1) * pitch + pitch - SEP
        if it.kind == "gate":
            text = gate_label(it.node.op, lang)
            w = max(38.0, _text_width(text, FONT_GATE) + 18, (len(it.ins) - 1) * PORT_DOWN + 20)
        else:
            text = _name(it.node.label) if it.node.label else num(it.node.data)
            w = _text_width(text, FONT_NAME) + 4
        names[id(it)] = text
        box_w[id(it)] = w
        it.height = max(w + 4, fan)
    for layer in layers:
        for it in layer:
            if it.kind == "dummy":
                it.height = pitch - SEP
    out_name = _name(root.label) if root.inputs and root.label else ""
    out_w = _text_width(out_name, FONT_NAME) if out_name else 0.0
    terminal.height = max(out_w + 8, 20.0)

    _position_rows(layers)

    # -- rows and the zones of each gap between rows
    last = len(layers) - 1
    row_top: list[float] = []
    row_mid: list[float] = []
    gaps: list[dict[str, float]] = []
    level: dict[int, int] = {}          # row of labels of each edge, by id of its first segment
    m = MARGIN
    for r, layer in enumerate(layers):
        sizes = [BOX_H if it.kind == "gate" else NAME_H if it.kind != "dummy" else 0.0
                 for it in layer]
        row_h = max(sizes) + (4 if r == last else 0)
        row_top.append(m)
        row_mid.append(m + row_h / 2)
        m += row_h
        if r == last:
            break
        forks = [it for it in layer if it.fans]
        # labels of neighbouring edges share a row of labels only where they cannot touch
        ends: list[float] = []           # right end of the last label in each row of labels
        firsts = sorted(((it.y + it.lane(s), s) for it in layer if it.kind != "dummy"
                         for s in it.outs), key=lambda t: (t[0], t[1].port))
        for c, seg in firsts:
            vw, gw = shown(*_first_labels(seg, num, name))
            left = c - SIDE - vw
            k = next((k for k, end in enumerate(ends) if end + LABEL_GAP <= left), len(ends))
            if k == len(ends):
                ends.append(0.0)
            ends[k] = c + SIDE + gw
            level[id(seg)] = k
        dx = max((abs(s.dst.y + s.dst.port(s) - s.src.y - s.src.lane(s))
                  for it in layer for s in it.outs), default=0.0)
        bend = 12.0 if r == last - 1 else min(80.0, max(24.0, 0.45 * dx))
        gap = {"start": m, "stub_end": m + (STUB_H if forks else 0)}
        gap["fork_end"] = gap["stub_end"] + (FORK if forks else 0)
        gap["label_end"] = gap["fork_end"] + (len(ends) * LEVEL_H + 4 if ends else 0)
        gap["end"] = gap["label_end"] + bend
        gaps.append(gap)
        m = gap["end"]
    graph_bottom = m

    def start_y(it: _Item) -> float:
        if it.kind == "gate":
            return row_mid[it.layer] + BOX_H / 2
        if it.kind == "input":
            return row_mid[it.layer] + NAME_H / 2
        return row_top[it.layer]

    def end_y(it: _Item) -> float:
        if it.kind == "gate":
            return row_mid[it.layer] - BOX_H / 2
        return row_top[it.layer]

    # -- labels, in layout coordinates: (x, y, text, class, anchor)
    jobs: list[tuple[_Item | _Seg, float, float, str, str]] = []

    def beside(key: _Item | _Seg, c: float, y: float, value: str, grad: str) -> None:
        if value:
            jobs.append((key, c - SIDE, y + 0.35 * FONT, value,
                         "cg-value" if name is None else "cg-node"))
        if gradients:
            jobs.append((key, c + SIDE, y + 0.35 * FONT, grad, "cg-grad"))

    for layer in layers[:-1]:
        for it in layer:
            if it.fans:
                assert it.node is not None
                gap = gaps[it.layer]
                value = num(it.node.data) if name is None else name(it.node, True)
                beside(it, it.y, (start_y(it) + gap["stub_end"]) / 2, value, num(it.node.grad))
    for edge in edges:
        first = edge.segs[0]
        gap = gaps[first.src.layer]
        y = gap["fork_end"] + 2 + (level[id(first)] + 0.5) * LEVEL_H
        beside(first, first.src.y + first.src.lane(first), y, *_first_labels(first, num, name))

    def extent(x: float, text: str, cls: str) -> tuple[float, float]:
        w = _text_width(text, FONT)
        return (x - w, x) if cls in ("cg-value", "cg-node") else (x, x + w)

    lo = [it.y - box_w[id(it)] / 2 for it in items.values()]
    hi = [it.y + box_w[id(it)] / 2 for it in items.values()]
    for _, x, _, text, cls in jobs:
        a, b = extent(x, text, cls)
        lo.append(a)
        hi.append(b)
    graph_w = max(hi) - min(lo)

    # -- legend: a sample edge with the two labels beside it, each on two lines
    def two_lines(key: str) -> list[str]:
        head, _, tail = _t(key, lang).partition(" (")
        return [head, "(" + tail] if tail else [head]

    legend_left = two_lines("value" if name is None else "node")
    legend_right = two_lines("grad") if gradients else []
    lw = max(_text_width(t, FONT) for t in legend_left)
    rw = max((_text_width(t, FONT) for t in legend_right), default=0.0)
    legend_w = lw + rw + 2 * SIDE
    width = max(graph_w, legend_w) + 2 * MARGIN
    shift = (width - graph_w) / 2 - min(lo)
    legend_x = (width - legend_w) / 2 + lw + SIDE   # the sample edge
    legend_top = graph_bottom + 14
    legend_lines = max(len(legend_left), len(legend_right))
    legend_bottom = legend_top + legend_lines * (FONT + 4) + 10
    height = legend_bottom + MARGIN

    def X(c: float) -> float:
        return c + shift

    title, description = _describe(root, order, items, names, lang, digits, gradients,
                                   "intro_down", name is not None)
    svg = _svg_root(id_prefix, width, height, min_scale, title, description, name is not None)
    groups: dict[int, ET.Element] = {}
    edges_g = ET.SubElement(svg, "g", {"class": "cg-edges"})
    for layer in layers[:-1]:
        for it in layer:
            if not it.fans:
                continue
            gap = gaps[it.layer]
            g = ET.SubElement(edges_g, "g", {"class": "cg-stub"})
            groups[id(it)] = g
            ET.SubElement(g, "path", {"class": "cg-edge", "d": _path(
                [(X(it.y), start_y(it)), (X(it.y), gap["stub_end"])], down=True)})
            ET.SubElement(g, "circle", {"cx": _n(X(it.y)), "cy": _n(gap["stub_end"]),
                                        "r": "2.5"})
    for edge in edges:
        first = edge.segs[0]
        src = first.src
        gap = gaps[src.layer]
        g = ET.SubElement(edges_g, "g")  # an edge and its labels (no class: a few bytes each)
        groups[id(first)] = g
        points = ([(X(src.y), gap["stub_end"])] if src.fans
                  else [(X(src.y + src.lane(first)), start_y(src))])
        for seg in edge.segs:
            gap = gaps[seg.src.layer]
            c0 = X(seg.src.y + seg.src.lane(seg))
            c1 = X(seg.dst.y + seg.dst.port(seg))
            points += [(c0, gap["fork_end"]), (c0, gap["label_end"]), (c1, gap["end"]),
                       (c1, end_y(seg.dst))]
        ET.SubElement(g, "path", {"class": "cg-edge", "d": _path(points, down=True)})
    for key, x, y, text, cls in jobs:
        _text(groups[id(key)], X(x), y, text, cls, FONT,
              "end" if cls in ("cg-value", "cg-node") else "start")

    gates_g = ET.SubElement(svg, "g", {"class": "cg-gates"})
    for layer in layers:
        for it in layer:
            if it.kind == "gate":
                g = ET.SubElement(gates_g, "g", {"class": "cg-gate"})
                w, yc = box_w[id(it)], row_mid[it.layer]
                ET.SubElement(g, "rect", {
                    "class": "cg-box", "x": _n(X(it.y) - w / 2), "y": _n(yc - BOX_H / 2),
                    "width": _n(w), "height": _n(BOX_H), "rx": "10"})
                _text(g, X(it.y), yc + 0.35 * FONT_GATE, names[id(it)], "cg-op", FONT_GATE)
            elif it.kind == "input":
                _text(gates_g, X(it.y), row_mid[it.layer] + 0.35 * FONT_NAME, names[id(it)],
                      "cg-name", FONT_NAME)
    if out_name:
        _text(gates_g, X(terminal.y), row_top[last] + 4 + 0.8 * FONT_NAME, out_name,
              "cg-name", FONT_NAME)

    legend = ET.SubElement(svg, "g", {"class": "cg-legend"})
    ET.SubElement(legend, "path", {"class": "cg-edge",
                                   "d": _path([(legend_x, legend_top),
                                               (legend_x, legend_bottom)], down=True)})
    for k, text in enumerate(legend_left):
        _text(legend, legend_x - SIDE, legend_top + 3 + (k + 0.8) * (FONT + 4), text,
              "cg-value" if name is None else "cg-node", FONT, "end")
    for k, text in enumerate(legend_right):
        _text(legend, legend_x + SIDE, legend_top + 3 + (k + 0.8) * (FONT + 4), text,
              "cg-grad", FONT, "start")
    return ET.tostring(svg, encoding="unicode")


def to_svg(root: Value, *, lang: str = "uk", digits: int = 2, gradients: bool = True,
           id_prefix: str | None = None, min_scale: float | None = None,
           direction: str = "right", blank: bool = False) -> str:
    """The computational graph of ``root`` as a standalone, accessible SVG string.

    Values of the forward pass are written above the edges, gradients below (as left by
    ``root.backward()``; pass ``gradients=False`` for a forward-pass-only figure).
    ``id_prefix`` makes the element ids unique when one page shows the same graph twice;
    by default it is a short hash of the graph. The figure shrinks with the page down to
    ``min_scale`` times its natural width (by default without limit); below that it
    needs a scrolling container, such as ``<div style="overflow-x:auto">``.
    ``direction="down"`` draws the narrow variant for phones: inputs above, the output at
    the bottom, each value left of its edge and each gradient right of it.
    ``blank=True`` draws the graph of an exercise: no number at all (no value, no gradient),
    and where a value would be, the name of the node it belongs to (``label``; inputs and
    the output are named at their ends, as always), so a student can fill it in.

    Examples:
        >>> x, y = Value(2.0, "x"), Value(3.0, "y")
        >>> f = x * y
        >>> f.label = "f"
        >>> f.backward()
        >>> svg = to_svg(f, lang="en")
        >>> svg.startswith("<svg"), "Computational graph of f = x × y" in svg, "6.00" in svg
        (True, True, True)
        >>> q = x + y
        >>> q.label = "q"
        >>> g = q * x
        >>> g.label = "g"
        >>> g.backward()
        >>> blank = to_svg(g, lang="en", blank=True)
        >>> ">q</text>" in blank, "5.00" in blank, "2.00" in blank
        (True, False, False)
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    lang = check_lang(lang)
    digits = check_digits(digits)
    if not isinstance(gradients, bool):
        raise TypeError(f"gradients must be a bool, got {type(gradients).__name__}")
    if not isinstance(direction, str):
        raise TypeError(f"direction must be a str, got {type(direction).__name__}")
    if direction not in ("right", "down"):
        raise ValueError(f"direction must be 'right' or 'down', got {direction!r}")
    if not isinstance(blank, bool):
        raise TypeError(f"blank must be a bool, got {type(blank).__name__}")
    down = direction == "down"
    order = topological_order(root)
    if blank:
        gradients = False  # no numbers at all

    def name(node: Value, stub: bool) -> str:
        """A blank figure's label beside an edge leaving ``node``: the name of an inner
        node, on the stub of a fork (not on its branches) or on its only edge."""
        if not stub or not node.inputs or node is root or not node.label:
            return ""
        return _name(node.label)

    if id_prefix is None:
        id_prefix = _graph_key(order, lang, digits, gradients, direction, blank)
    elif not isinstance(id_prefix, str):
        raise TypeError(f"id_prefix must be a str, got {type(id_prefix).__name__}")
    elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _, "
                         f"got {id_prefix!r}")

    if min_scale is not None:
        if isinstance(min_scale, bool) or not isinstance(min_scale, numbers.Real):
            raise TypeError(f"min_scale must be a number, got {type(min_scale).__name__}")
        if not 0 < min_scale <= 1:
            raise ValueError(f"min_scale must be in (0, 1], got {min_scale!r}")

    def num(x: float) -> str:
        return fmt(x, lang, digits)

    # -- items, edges and columns
    layer_of: dict[int, int] = {}
    items: dict[int, _Item] = {}
    for i, node in enumerate(order):
        layer = 1 + max((layer_of[id(p)] for p in node.inputs), default=-1)
        layer_of[id(node)] = layer
        items[id(node)] = _Item("gate" if node.inputs else "input", layer, node, order=i)
    if down:
        # an input enters right above its first gate: a phone's width is the scarce room,
        # and an input waiting in the top row would run a long edge beside the others
        first_use: dict[int, int] = {}
        for n in order:
            for p in n.inputs:
                first_use[id(p)] = min(first_use.get(id(p), layer_of[id(n)]), layer_of[id(n)])
        for n in order:
            if not n.inputs and id(n) in first_use:
                items[id(n)].layer = layer_of[id(n)] = first_use[id(n)] - 1
    last = layer_of[id(root)] + 1
    terminal = _Item("out", last, None, order=len(order))
    layers: list[list[_Item]] = [[] for _ in range(last + 1)]
    for it in items.values():
        layers[it.layer].append(it)
    layers[last].append(terminal)

    edges: list[_Edge] = []
    consumers = [(n, k, p) for n in order for k, p in enumerate(n.inputs)]
    for n, k, p in consumers + [(None, 0, root)]:
        edge = _Edge(p, n, k)
        src = items[id(p)]
        dst = items[id(n)] if n is not None else terminal
        chain = [src]
        for c in range(src.layer + 1, dst.layer):
            dummy = _Item("dummy", c, None, order=src.order * 1000 + len(edges))
            layers[c].append(dummy)
            chain.append(dummy)
        chain.append(dst)
        for a, b in itertools.pairwise(chain):
            seg = _Seg(a, b, k if b is dst else 0, edge)
            a.outs.append(seg)
            b.ins.append(seg)
            edge.segs.append(seg)
        if n is None:
            edge.grad = root.grad
        else:
            edge.grad = n.local_gradients()[k] * n.grad
        edges.append(edge)
    for it in items.values():
        if it.kind == "gate":
            it.ins.sort(key=lambda s: s.port)
    if down:
        pitch = _pitch(edges, lang, digits, gradients, name if blank else None)
        for layer in layers:
            for it in layer:
                it.lane_step, it.port_step = pitch, PORT_DOWN

    _order_layers(layers)
    for layer in layers:
        for it in layer:
            it.outs.sort(key=lambda s: (s.dst.rank, s.port))
    if down:
        return _draw_down(root, order, items, terminal, layers, edges, pitch, lang=lang,
                          digits=digits, gradients=gradients, id_prefix=id_prefix,
                          min_scale=min_scale, name=name if blank else None)

    # -- sizes
    names: dict[int, str] = {}
    for it in items.values():
        assert it.node is not None
        k = len(it.outs)
        if it.kind == "gate":
            text = gate_label(it.node.op, lang)
            names[id(it)] = text
            it.width = max(38.0, _text_width(text, FONT_GATE) + 18)
            it.box_h = max(32.0, len(it.ins) * PORT + 14)
            it.height = max(it.box_h, k * LANE)
        else:
            text = _name(it.node.label) if it.node.label else num(it.node.data)
            names[id(it)] = text
            it.width = _text_width(text, FONT_NAME) + 4
            it.height = max(20.0, k * LANE)
    for layer in layers:
        for it in layer:
            if it.kind == "dummy":
                it.height = DUMMY_H
    out_name = _name(root.label) if root.inputs and root.label else ""
    terminal.width = _text_width(out_name, FONT_NAME) + 6 if out_name else 0.0
    terminal.height = 20.0

    _position_rows(layers)

    # -- horizontal geometry: columns and the zones of each gap
    def labels_of(seg: _Seg) -> tuple[str, str]:
        return _first_labels(seg, num, name if blank else None)

    def stub_value(node: Value) -> str:
        return name(node, True) if blank else num(node.data)

    def label_w(texts: tuple[str, ...]) -> float:
        shown = texts if gradients else texts[:1]
        return max(_text_width(t, FONT) for t in shown)

    col_left: list[float] = []
    col_right: list[float] = []
    gaps: list[dict[str, float]] = []
    x = MARGIN
    for c, layer in enumerate(layers):
        width = max(it.width for it in layer)
        col_left.append(x)
        col_right.append(x + width)
        x += width
        if c == last:
            break
        forks = [it for it in layer if it.fans]
        first = [s for it in layer if it.kind != "dummy" for s in it.outs]
        stub = 0.0
        if forks:
            stub = max(label_w((stub_value(it.node),  # type: ignore[arg-type]
                                num(it.node.grad)))  # type: ignore[union-attr]
                       for it in forks) + 2 * PADX
        lab = max((label_w(labels_of(s)) for s in first), default=0.0)
        lab = lab + 2 * PADX if first else 0.0
        dy = max((abs(s.dst.y + s.dst.port(s) - s.src.y - s.src.lane(s))
                  for it in layer for s in it.outs), default=0.0)
        bend = 10.0 if c == last - 1 else min(80.0, max(26.0, 0.45 * dy))
        gap = {"start": x, "stub_end": x + stub, "fork_end": x + stub + (FORK if forks else 0)}
        gap["label_end"] = gap["fork_end"] + lab
        gap["end"] = gap["label_end"] + bend
        gaps.append(gap)
        x = gap["end"]
    graph_right = col_right[last]

    top = min(it.y - it.height / 2 for layer in layers for it in layer)
    bottom = max(it.y + it.height / 2 for layer in layers for it in layer)
    dy0 = MARGIN - top
    for layer in layers:
        for it in layer:
            it.y += dy0
    graph_bottom = bottom + dy0

    def centre_x(it: _Item) -> float:
        return (col_left[it.layer] + col_right[it.layer]) / 2

    def start_x(it: _Item) -> float:
        if it.kind == "gate":
            return centre_x(it) + it.width / 2
        if it.kind == "input":
            return col_right[it.layer] + 2
        return col_left[it.layer]

    def end_x(it: _Item) -> float:
        if it.kind == "gate":
            return centre_x(it) - it.width / 2
        return col_left[it.layer]

    title, description = _describe(root, order, items, names, lang, digits, gradients, "intro",
                                   blank)

    # -- legend size
    legend_texts = [_t("node" if blank else "value", lang)] + (
        [_t("grad", lang)] if gradients else [])
    legend_w = max(_text_width(t, FONT) for t in legend_texts) + 2 * PADX + 24
    legend_top = graph_bottom + 14
    legend_y = legend_top + 18
    height = legend_y + (BELOW + FONT + 4 if gradients else 6) + MARGIN
    width = max(graph_right, MARGIN + legend_w) + MARGIN

    # -- the SVG tree
    svg = _svg_root(id_prefix, width, height, min_scale, title, description, blank)

    def labels(parent: ET.Element, xc: float, y: float, value: str, grad: str) -> None:
        if value:
            _text(parent, xc, y - ABOVE, value, "cg-node" if blank else "cg-value", FONT)
        if gradients:
            _text(parent, xc, y + BELOW + 0.8 * FONT, grad, "cg-grad", FONT)

    edges_g = ET.SubElement(svg, "g", {"class": "cg-edges"})
    for layer in layers:
        for it in layer:
            if not it.fans:
                continue
            assert it.node is not None
            gap = gaps[it.layer]
            g = ET.SubElement(edges_g, "g", {"class": "cg-stub"})
            ET.SubElement(g, "path", {"class": "cg-edge",
                                      "d": _path([(start_x(it), it.y), (gap["stub_end"], it.y)])})
            ET.SubElement(g, "circle", {"cx": _n(gap["stub_end"]), "cy": _n(it.y), "r": "2.5"})
            labels(g, (gap["start"] + gap["stub_end"]) / 2, it.y, stub_value(it.node),
                   num(it.node.grad))
    for edge in edges:
        g = ET.SubElement(edges_g, "g")  # an edge and its labels (no class: a few bytes each)
        first = edge.segs[0]
        src = first.src
        y_lane = src.y + src.lane(first)
        gap = gaps[src.layer]
        points = [(gap["stub_end"], src.y)] if src.fans else [(start_x(src), y_lane)]
        for seg in edge.segs:
            gap = gaps[seg.src.layer]
            y0 = seg.src.y + seg.src.lane(seg)
            y1 = seg.dst.y + seg.dst.port(seg)
            points += [(gap["fork_end"], y0), (gap["label_end"], y0), (gap["end"], y1),
                       (end_x(seg.dst), y1)]
        ET.SubElement(g, "path", {"class": "cg-edge", "d": _path(points)})
        value, grad = labels_of(first)
        gap = gaps[src.layer]
        labels(g, (gap["fork_end"] + gap["label_end"]) / 2, y_lane, value, grad)

    gates_g = ET.SubElement(svg, "g", {"class": "cg-gates"})
    for layer in layers:
        for it in layer:
            if it.kind == "gate":
                g = ET.SubElement(gates_g, "g", {"class": "cg-gate"})
                xc = centre_x(it)
                ET.SubElement(g, "rect", {
                    "class": "cg-box", "x": _n(xc - it.width / 2), "y": _n(it.y - it.box_h / 2),
                    "width": _n(it.width), "height": _n(it.box_h), "rx": "10"})
                _text(g, xc, it.y + 0.35 * FONT_GATE, names[id(it)], "cg-op", FONT_GATE)
            elif it.kind == "input":
                _text(gates_g, col_right[0] - 2, it.y + 0.35 * FONT_NAME, names[id(it)],
                      "cg-name", FONT_NAME, "end")
    if out_name:
        _text(gates_g, col_left[last] + 6, terminal.y + 0.35 * FONT_NAME, out_name,
              "cg-name", FONT_NAME, "start")

    legend = ET.SubElement(svg, "g", {"class": "cg-legend"})
    ET.SubElement(legend, "path", {"class": "cg-edge",
                                   "d": _path([(MARGIN, legend_y), (MARGIN + legend_w, legend_y)])})
    labels(legend, MARGIN + (legend_w - 10) / 2, legend_y, legend_texts[0], legend_texts[-1])
    return ET.tostring(svg, encoding="unicode")


_OWN_STYLE = re.compile(r"<style>[^<]*</style>")  # the <style> that _svg_root writes


def _share_nodes(wide: str, narrow: str, id_prefix: str, lang: str, gradients: bool,
                 blank: bool) -> tuple[str, str]:
    """The two drawings of ``figure_html`` have the same title and read out the same nodes
    after their own first sentences (how each drawing reads): the wide one keeps that list
    in a second ``<desc>`` (id ``<id_prefix>-nodes``), and the narrow one names the wide
    one's title and that list in its ``aria-labelledby`` instead of repeating them, so each
    variant's accessible name stays what ``to_svg`` gives it (an element that
    ``aria-labelledby`` names counts in the name even when it is hidden)."""
    titles = [re.search(rf'<title id="{id_prefix}-{v}-title">[^<]*</title>', svg)
              for v, svg in (("w", wide), ("n", narrow))]
    if None in titles or titles[0].group(0).replace("-w-", "-n-", 1) != titles[1].group(0):
        return wide, narrow
    parts = {}
    for v, svg, intro in (("w", wide, "intro"), ("n", narrow, "intro_down")):
        head = escape(_intro(intro, lang, gradients, blank)) + " "
        m = re.search(rf'<desc id="{id_prefix}-{v}-desc">([^<]*)</desc>', svg)
        if m is None or not m.group(1).startswith(head):
            return wide, narrow
        parts[v] = (m, head[:-1], m.group(1)[len(head):])
    if parts["w"][2] != parts["n"][2]:
        return wide, narrow
    out = []
    for v, svg in (("w", wide), ("n", narrow)):
        m, head, nodes = parts[v]
        desc = f'<desc id="{id_prefix}-{v}-desc">{head}</desc>'
        if v == "w":
            desc += f'<desc id="{id_prefix}-nodes">{nodes}</desc>'
        svg = svg[:m.start()] + desc + svg[m.end():]
        names = f'aria-labelledby="{id_prefix}-{v}-title {id_prefix}-{v}-desc"'
        assert svg.count(names) == 1
        shared = (f'aria-labelledby="{id_prefix}-w-title {id_prefix}-{v}-desc '
                  f'{id_prefix}-nodes"')
        svg = svg.replace(names, shared, 1)
        if v == "n":  # the same title as the wide drawing's, which it names instead
            svg = svg.replace(titles[1].group(0), "", 1)
        out.append(svg)
    return out[0], out[1]


def _natural_width(svg: str) -> float:
    """The width of an SVG from ``to_svg`` at scale 1, read back from its viewBox."""
    m = re.search(r'viewBox="0 0 ([0-9.]+) ', svg)
    assert m is not None
    return float(m.group(1))


def figure_html(root: Value, *, lang: str = "uk", digits: int = 2,
                breakpoint: int | None = None, id_prefix: str | None = None,
                gradients: bool = True, blank: bool = False) -> str:
    """The graph as one HTML figure: the wide SVG, or below ``breakpoint`` px the narrow one.

    Both variants come from ``to_svg``; a media query in the fragment's own ``<style>``
    hides one of them with ``display:none``, so exactly one is shown and in the
    accessibility tree. Their ids get the suffixes ``-w`` and ``-n`` after ``id_prefix``
    (by default a hash of the graph), so they are unique on the page. By default the
    breakpoint is the narrowest viewport (Material's 16 px padding on each side) where the
    wide figure's labels are still ``MIN_LABEL`` px; the narrow one never shrinks below
    that either (it scrolls sideways instead, which only a very wide graph needs).

    Examples:
        >>> x, y = Value(2.0, "x"), Value(3.0, "y")
        >>> f = x * y
        >>> f.backward()
        >>> html = figure_html(f, lang="en", id_prefix="fig", breakpoint=600)
        >>> html.startswith('<div class="cg-figure" id="fig">')
        True
        >>> "@media (max-width:599.98px)" in html
        True
        >>> html.count("<svg"), 'id="fig-w"' in html, 'id="fig-n"' in html
        (2, True, True)
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    lang = check_lang(lang)
    digits = check_digits(digits)
    if not isinstance(gradients, bool):
        raise TypeError(f"gradients must be a bool, got {type(gradients).__name__}")
    if not isinstance(blank, bool):
        raise TypeError(f"blank must be a bool, got {type(blank).__name__}")
    if breakpoint is not None:
        if isinstance(breakpoint, bool) or not isinstance(breakpoint, numbers.Integral):
            raise TypeError(f"breakpoint must be an int (CSS px), got {type(breakpoint).__name__}")
        if not 0 < breakpoint <= 10_000:
            raise ValueError(f"breakpoint must be in 1..10000 px, got {breakpoint!r}")
    if id_prefix is None:
        id_prefix = _graph_key(topological_order(root), lang, digits, gradients, "figure", blank)
    elif not isinstance(id_prefix, str):
        raise TypeError(f"id_prefix must be a str, got {type(id_prefix).__name__}")
    elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _, "
                         f"got {id_prefix!r}")
    common = {"lang": lang, "digits": digits, "gradients": gradients}
    if blank:
        common["blank"] = True
    wide = to_svg(root, id_prefix=f"{id_prefix}-w", **common)
    narrow = to_svg(root, id_prefix=f"{id_prefix}-n", direction="down",
                    min_scale=MIN_LABEL / FONT, **common)
    if breakpoint is None:
        padding = 360 - PHONE_WIDTH
        breakpoint = math.ceil(_natural_width(wide) * MIN_LABEL / FONT + padding)
    sel = f"#{id_prefix}"
    # one style paints both drawings (the same rules, with the same specificity, as each
    # drawing's own), instead of a copy in each
    wide, narrow = (_OWN_STYLE.sub("", svg, count=1) for svg in (wide, narrow))
    wide, narrow = _share_nodes(wide, narrow, id_prefix, lang, gradients, blank)
    style = (_style(id_prefix, scope=f"{sel} svg.cg")
             + "".join(_arrow_rule(f"#{id_prefix}-{v}", f"{id_prefix}-{v}") for v in "wn")
             + f"{sel}>div{{overflow-x:auto}}{sel}>.cg-narrow{{display:none}}"
             f"@media (max-width:{breakpoint - 0.02:.2f}px){{"
             f"{sel}>.cg-wide{{display:none}}{sel}>.cg-narrow{{display:block}}}}")
    return (f'<div class="cg-figure" id="{id_prefix}"><style>{style}</style>'
            f'<div class="cg-wide">{wide}</div><div class="cg-narrow">{narrow}</div></div>')
