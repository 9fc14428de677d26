"""Lesson 1's graph exercises: fill in a computational graph, and spot a sign error.

Two kinds, both built from one language-neutral description of a graph, so a variant's
id names the graph itself (its inputs and its gates), not a seed:

    {"inputs": [["x", 2], ["y", -1]], "gates": [["q", "+", "x", "y"], ["f", "*-1", "q"]]}

A gate is ``[name, op, input names...]`` with ``op`` spelled as ``lessons.autograd.Value``
spells it (``"*"``, ``"exp"``, ``"+1"``, ``"*-1"``, ``"1/x"``, ``"^2"``, …); the last gate
is the output. :func:`build` turns the description into a ``Value`` graph and runs the
backward pass; :func:`describe` goes the other way, and variant 0 of ``backprop.graph`` is
``describe(sigmoid_neuron())``: the homework's own neuron, so students can check their
homework.

* ``backprop.graph``: the blank figure (node names, no numbers) and a field for the value
  of every gate and the gradient of every node; each field knows what rounding to two
  decimals at every step gives (:func:`stepwise`) and the typical mistakes (the sign, the
  local gradient not yet multiplied, one branch of a fork).
* ``backprop.sign``: a worked backward pass in which one input's gradient has the wrong
  sign (a dropped minus of a subtraction, a negative multiplier or a division); which one?

Everything a variant shows comes from the lesson's functions (``lessons.draw``, the tables
of ``lessons.pages.backprop``). Pure Python, no numpy: the in-browser runner imports it.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re

from lessons.autograd import Value, topological_order
from lessons.draw import (FONT, MIN_LABEL, _expressions, _parse_op, _signed_sum,
                          gate_label, to_svg)
from lessons.draw import _name as _shown
from lessons.i18n import MINUS, check_lang, fmt, pick
from lessons.pages.backprop import (chain_rule_table, fork_rounding_note, fork_shares,
                                    node_table, product_rounding_note, sigmoid_neuron)
from lessons.practice import Field, Kind, Option, Variant, variant_id, variant_index

__all__ = ["GRAPH", "KINDS", "SIGN", "build", "describe", "readable", "stepwise"]

DIGITS = 2
ON_PAGE = "example-2"  # the anchor of the lesson's section that works variant 0 out

# ---- the description of a graph --------------------------------------------------------


def _plain(x: float) -> int | float:
    """A number for the description: 2 rather than 2.0, so the id does not depend on it."""
    x = float(x)
    return int(x) if x.is_integer() else x


def describe(root: Value) -> dict:
    """The language-neutral description of the graph of ``root`` (every node labelled).

    Examples:
        >>> x, y = Value(2.0, "x"), Value(-1.0, "y")
        >>> q = x + y
        >>> q.label = "q"
        >>> f = q * -1
        >>> f.label = "f"
        >>> describe(f)
        {'inputs': [['x', 2], ['y', -1]], 'gates': [['q', '+', 'x', 'y'], ['f', '*-1', 'q']]}
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order = topological_order(root)
    names = [n.label for n in order]
    if not all(names) or len(set(names)) != len(names):
        raise ValueError(f"every node needs its own label, got {names}")
    gates = [[n.label, n.op, *(i.label for i in n.inputs)] for n in order if n.inputs]
    # the inputs in the order the gates first use them (w0, x0, w1, x1, w2 for the neuron)
    first = {}
    for g in gates:
        for name in g[2:]:
            first.setdefault(name, len(first))
    leaves = sorted((n for n in order if not n.inputs), key=lambda n: first.get(n.label, -1))
    inputs = [[n.label, _plain(n.data)] for n in leaves]
    return {"inputs": inputs, "gates": gates}


def _gate(op: str, args: list[Value]) -> Value:
    """Apply the engine's operation ``op`` (as ``Value.op`` spells it) to ``args``."""
    kind, c, _ = _parse_op(op)
    a = args[0]
    if kind in ("+", "-", "*", "/", "max"):
        if len(args) != 2:
            raise ValueError(f"gate {op!r} takes two inputs, got {len(args)}")
        b = args[1]
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                "/": lambda: a / b, "max": lambda: a.max(b)}[kind]()
    if len(args) != 1:
        raise ValueError(f"gate {op!r} takes one input, got {len(args)}")
    if c is None:
        return getattr(a, kind)()  # exp, log, tanh, sigmoid, relu
    return {"+c": lambda: a + c, "*c": lambda: a * c, "c-x": lambda: c - a,
            "c/x": lambda: c / a, "/c": lambda: a / c, "^n": lambda: a**c,
            "c^x": lambda: c**a}[kind]()


def build(params: dict) -> Value:
    """The graph that ``params`` describes (see the module's docstring), after backward().

    Examples:
        >>> f = build({"inputs": [["x", 2], ["y", -1]], "gates": [["f", "*", "x", "y"]]})
        >>> f.data, [n.grad for n in topological_order(f)]
        (-2.0, [-1.0, 2.0, 1.0])
    """
    if not isinstance(params, dict) or set(params) != {"inputs", "gates"}:
        raise ValueError(f"params must be a dict with 'inputs' and 'gates', got {params!r}")
    nodes: dict[str, Value] = {}
    for name, value in params["inputs"]:
        nodes[name] = Value(value, name)
    if not params["gates"]:
        raise ValueError("params['gates'] must name at least one gate")
    out = None
    for name, op, *args in params["gates"]:
        if name in nodes:
            raise ValueError(f"node {name!r} is defined twice")
        missing = [a for a in args if a not in nodes]
        if missing:
            raise ValueError(f"gate {name!r} uses undefined nodes {missing}")
        out = _gate(op, [nodes[a] for a in args])
        if out.op != op:
            raise ValueError(f"gate {name!r}: {op!r} is spelled {out.op!r} by the engine")
        out.label = name
        nodes[name] = out
    assert out is not None
    out.backward()
    return out


# ---- what a student gets rounding at every step -------------------------------------


def _round(x: float, digits: int = DIGITS) -> float:
    return round(x, digits) + 0.0  # + 0.0: no -0.0


def stepwise(params: dict, digits: int = DIGITS) -> dict[str, tuple[float, float]]:
    """Every node's ``(value, gradient)`` as computed on paper, rounding to ``digits``
    decimals at every step: each gate's output, each local gradient (from the rounded
    values) and each product local × upstream; a fork adds its rounded shares.

    Examples:
        >>> p = {"inputs": [["x", 1]], "gates": [["e", "exp", "x"], ["f", "*", "e", "e"]]}
        >>> stepwise(p)["e"]  # e = 2.72; each branch gives 2.72 × 1, and 2.72 + 2.72
        (2.72, 5.44)
    """
    exact = build(params)
    order = topological_order(exact)
    value: dict[int, float] = {}
    local: dict[int, tuple[float, ...]] = {}
    for n in order:
        if not n.inputs:
            value[id(n)] = _round(n.data, digits)
            continue
        # the gate again, on the rounded values its inputs were given on paper
        again = _gate(n.op, [Value(value[id(i)]) for i in n.inputs])
        value[id(n)] = _round(again.data, digits)
        local[id(n)] = tuple(_round(g, digits) for g in again.local_gradients())
    grad = {id(n): 0.0 for n in order}
    grad[id(exact)] = 1.0
    for n in reversed(order):
        for inp, g in zip(n.inputs, local.get(id(n), ())):
            grad[id(inp)] = _round(grad[id(inp)] + _round(g * grad[id(n)], digits), digits)
    return {n.label: (value[id(n)], grad[id(n)]) for n in order}


# ---- numbers that read well ----------------------------------------------------------------

LIMIT = 20.0  # no value or gradient larger than this


def readable(root: Value) -> bool:
    """Whether the graph's numbers read well at two decimals.

    Every value and gradient, and every local gradient and product of the chain-rule
    table, is exactly 0 or shows a nonzero digit (nothing hides behind 0,00 or −0,00);
    none exceeds ``LIMIT``; exp gets an input in [−3, 3] and log one in
    [0.1, 20]; a divisor is at least 0.5 away from 0; ReLU and max are never at their kink
    (an input of 0, a tie); and at most a third of the inputs get a zero gradient.

    Examples:
        >>> readable(build({"inputs": [["x", 2], ["y", 3]], "gates": [["f", "*", "x", "y"]]}))
        True
        >>> readable(build({"inputs": [["x", 0.5]], "gates": [["f", "*0.001", "x"]]}))
        False
    """
    order = topological_order(root)
    for n in order:
        # the node's value and gradient, and on each edge into it the local gradient and
        # the product (the chain-rule table and a fork's branches in the figure show them)
        locals_ = n.local_gradients()
        for v in (n.data, n.grad, *locals_, *(g * n.grad for g in locals_)):
            if v != 0 and abs(v) < 0.01 or abs(v) > LIMIT:
                return False
        ins = [i.data for i in n.inputs]
        kind = _parse_op(n.op)[0] if n.op else ""
        if kind == "exp" and not -3 <= ins[0] <= 3:
            return False
        if kind == "log" and not 0.1 <= ins[0] <= 20:
            return False
        if kind in ("/", "c/x", "^n") and abs(ins[-1]) < 0.5:
            return False
        if kind == "relu" and ins[0] == 0 or kind == "max" and ins[0] == ins[1]:
            return False
        if kind == "/" and n.inputs[0] is n.inputs[1]:
            return False
    leaves = [n for n in order if not n.inputs]
    return 3 * sum(n.grad == 0 for n in leaves) <= len(leaves)


# ---- the graphs ------------------------------------------------------------------------------

# (gates, inputs): each template is a graph of 4-9 gates; its inputs take values from _POOL.
# A name used by two gates (or twice by one) is a fork.
_TEMPLATES: tuple[tuple[tuple[tuple[str, ...], ...], tuple[str, ...]], ...] = (
    ((("q", "+", "x", "y"), ("r", "*", "q", "z"), ("s", "relu", "r"), ("f", "-", "s", "w")),
     ("x", "y", "z", "w")),
    ((("p", "*", "w", "x"), ("z", "+", "p", "b"), ("s", "sigmoid", "z"), ("f", "*", "s", "y")),
     ("w", "x", "b", "y")),
    ((("p", "*", "w0", "x0"), ("q", "*", "w1", "x1"), ("z", "+", "p", "q"), ("u", "+", "z", "b"),
      ("f", "tanh", "u")), ("w0", "x0", "w1", "x1", "b")),
    ((("q", "*", "x", "y"), ("r", "+", "q", "x"), ("s", "*", "r", "z"), ("f", "^2", "s")),
     ("x", "y", "z")),
    ((("s", "*", "x", "x"), ("t", "+", "s", "y"), ("u", "/", "t", "z"), ("f", "log", "u")),
     ("x", "y", "z")),
    ((("p", "*", "x", "y"), ("e", "exp", "p"), ("q", "+", "e", "z"), ("f", "log", "q")),
     ("x", "y", "z")),
    ((("p", "*", "x", "y"), ("q", "*", "z", "w"), ("m", "max", "p", "q"), ("f", "*", "m", "x")),
     ("x", "y", "z", "w")),
    ((("n", "-", "x", "y"), ("d", "+", "y", "z"), ("q", "/", "n", "d"), ("f", "*", "q", "w")),
     ("x", "y", "z", "w")),
    ((("a", "sigmoid", "y"), ("n", "+", "x", "a"), ("b", "sigmoid", "x"),
      ("u", "+", "x", "y"), ("v", "^2", "u"), ("d", "+", "b", "v"),
      ("f", "/", "n", "d")), ("x", "y")),
    ((("a", "*", "w0", "x0"), ("b", "*", "w1", "x1"), ("s", "+", "a", "b"), ("z", "+", "s", "w2"),
      ("r", "relu", "z"), ("t", "*", "r", "v"), ("u", "-1", "t"), ("f", "tanh", "u")),
     ("w0", "x0", "w1", "x1", "w2", "v")),
    ((("p", "*", "w", "x"), ("z", "+", "p", "b"), ("s", "sigmoid", "z"), ("g", "log", "s"),
      ("f", "*-1", "g")), ("w", "x", "b")),
    ((("q", "+", "x", "y"), ("r", "1-x", "q"), ("s", "*", "r", "z"), ("f", "^2", "s")),
     ("x", "y", "z")),
    ((("e", "exp", "x"), ("d", "+1", "e"), ("g", "log", "d"), ("f", "*", "g", "y")),
     ("x", "y")),
    ((("p", "*", "w", "x"), ("d", "-", "p", "t"), ("s", "^2", "d"), ("f", "*0.5", "s")),
     ("w", "x", "t")),
    ((("p", "-", "x", "y"), ("q", "-", "y", "x"), ("m", "max", "p", "q"), ("f", "*", "m", "z")),
     ("x", "y", "z")),
    ((("s", "*", "x", "x"), ("t", "+1", "s"), ("r", "2/x", "t"), ("f", "*", "r", "y")),
     ("x", "y")),
    ((("p", "*", "w1", "x"), ("h", "tanh", "p"), ("q", "*", "w2", "h"), ("f", "+", "q", "b")),
     ("w1", "x", "w2", "b")),
    ((("d", "-", "x", "y"), ("s", "sigmoid", "d"), ("t", "1-x", "s"), ("f", "*", "s", "t")),
     ("x", "y")),
    ((("t", "+", "x", "y"), ("q", "/", "x", "t"), ("r", "*", "q", "z"), ("f", "+", "r", "w")),
     ("x", "y", "z", "w")),
    ((("p", "*", "w1", "x"), ("z1", "+", "p", "b1"), ("h1", "relu", "z1"), ("q", "*", "w2", "x"),
      ("z2", "+", "q", "b2"), ("h2", "relu", "z2"), ("g", "-", "h1", "h2"), ("s", "^2", "g"),
      ("f", "*0.5", "s")), ("w1", "b1", "w2", "b2", "x")),
    ((("m", "max", "x", "y"), ("p", "*", "m", "z"), ("e", "exp", "p"), ("f", "/2", "e")),
     ("x", "y", "z")),
    ((("q", "/", "x", "y"), ("r", "-", "q", "z"), ("s", "*", "r", "w"), ("f", "tanh", "s")),
     ("x", "y", "z", "w")),
    ((("d", "-", "x", "y"), ("q", "/", "d", "z"), ("e", "exp", "q"), ("f", "*", "e", "w")),
     ("x", "y", "z", "w")),
)

_POOL = (-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3)
PER_TEMPLATE = 2
SIGN_COUNT = 30  # a constant, so that importing the module builds no graph


def _hash(*parts: object) -> int:
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:12], 16)


def _params(gates, names, values) -> dict:
    return {"inputs": [[n, _plain(v)] for n, v in zip(names, values)],
            "gates": [list(g) for g in gates]}


def _fine(params: dict) -> bool:
    try:
        root = build(params)
    except (ArithmeticError, ValueError):
        return False
    return len(params["gates"]) >= 4 and readable(root)


@functools.cache
def _graphs() -> tuple[dict, ...]:
    """Variant 0 (the homework's neuron) and PER_TEMPLATE readable variants of each template.

    Input values are tried in a fixed pseudo-random order (a hash of the template and the
    attempt), so the list is the same on every build and on every machine.
    """
    found = [describe(sigmoid_neuron())]
    for t, (gates, names) in enumerate(_TEMPLATES):
        picked: list[dict] = []
        for attempt in range(2000):
            values = [_POOL[_hash(t, attempt, k) % len(_POOL)] for k in range(len(names))]
            params = _params(gates, names, values)
            if not _fine(params):
                continue
            params = describe(build(params))  # the inputs in the order the graph uses them
            if params not in picked:
                picked.append(params)
                if len(picked) == PER_TEMPLATE:
                    break
        if len(picked) < PER_TEMPLATE:
            raise RuntimeError(f"template {t} has too few readable inputs")
        found += picked
    return tuple(found)


# ---- text --------------------------------------------------------------------------------

_T = {
    "graph_title": {"uk": "Заповніть граф", "en": "Fill in the graph"},
    "graph_prompt": {
        "uk": "Обчислювальний граф: {defs}. Входи: {inputs}. Виконайте прямий прохід "
              "(результат кожної операції), потім "
              "зворотний (градієнт {root} за кожним вузлом, зокрема за входами). Досить двох "
              "знаків після коми.",
        "en": "The computational graph: {defs}. Inputs: {inputs}. Do the forward pass "
              "(the output of every gate), then the "
              "backward pass (the gradient of {root} with respect to every node, inputs "
              "included). Two decimal places are enough.",
    },
    "value_label": {"uk": "Значення {n}", "en": "Value of {n}"},
    "grad_label": {"uk": "Градієнт {d}", "en": "Gradient {d}"},
    # {gate} is the gate as a formula of its inputs' names: r = 2 / t
    "hint_value": {"uk": "Обчисліть {gate}.", "en": "Compute {gate}."},
    "hint_root": {"uk": "Зворотний прохід починається з {d} = 1.",
                  "en": "The backward pass starts from {d} = 1."},
    "hint_grad": {
        "uk": "Помножте локальний градієнт {local} ({gate}) на градієнт від виходу {up}.",
        "en": "Multiply the local gradient {local} ({gate}) by the upstream gradient {up}.",
    },
    # an input of the output gate: its local gradient is the whole answer (∂f/∂f = 1), and
    # "the local gradient ∂f/∂d times ∂f/∂f" would name one derivative twice
    "hint_grad_out": {
        "uk": "{n} — вхід останньої операції графа, {gate}: знайдіть її локальний градієнт за {n} "
              "(градієнт від виходу {one} = 1, тож відповідь — сам локальний градієнт).",
        "en": "{n} feeds the output gate {gate}: find that gate’s local gradient with respect "
              "to {n} (the upstream gradient {one} is 1, so that local gradient is the answer).",
    },
    "hint_fork": {
        "uk": "У вузлі {n} граф розгалужується: підсумуйте градієнти всіх гілок (кожен — "
              "локальний градієнт × градієнт від виходу).",
        "en": "The graph forks at {n}: add up the gradients of all branches (each is the local "
              "gradient × the upstream gradient).",
    },
    "mistake_sign": {
        "uk": "Протилежний знак: перевірте знаки локальних градієнтів на шляху від {root} "
              "до {n}.",
        "en": "The sign is flipped: check the signs of the local gradients on the path from "
              "{root} to {n}.",
    },
    # the same where several paths lead from the output to the node (a fork on the way)
    "mistake_sign_paths": {
        "uk": "Протилежний знак: перевірте знаки локальних градієнтів на шляхах від {root} "
              "до {n}.",
        "en": "The sign is flipped: check the signs of the local gradients on the paths from "
              "{root} to {n}.",
    },
    "mistake_local": {
        "uk": "Це лише локальний градієнт {local} ({gate}): помножте його на градієнт від "
              "виходу {up}.",
        "en": "That is only the local gradient {local} ({gate}): multiply it by the "
              "upstream gradient {up}.",
    },
    "mistake_branch": {
        "uk": "Це лише одна гілка: у вузлі {n} граф розгалужується, і {d} — сума "
              "градієнтів усіх гілок.",
        "en": "That is only one branch: the graph forks at {n}, and {d} is the sum of the "
              "gradients of all branches.",
    },
    "graph_solution": {
        "uk": "Ланцюгове правило, ребро за ребром: локальний градієнт × градієнт від виходу.",
        "en": "The chain rule, edge by edge: the local gradient × the upstream gradient.",
    },
    "sign_title": {"uk": "Знайдіть помилку в знаку", "en": "Spot the sign error"},
    "sign_prompt": {
        "uk": "Обчислювальний граф: {defs}. Входи: {inputs}. У таблиці — прямий і зворотний "
              "прохід; усі значення прямого проходу правильні, але один із градієнтів має "
              "неправильний знак.",
        "en": "The computational graph: {defs}. Inputs: {inputs}. The table shows the forward "
              "and backward passes; every forward-pass value is right, but one of the "
              "gradients has the wrong sign.",
    },
    "sign_question": {"uk": "Який із градієнтів має неправильний знак?",
                      "en": "Which gradient has the wrong sign?"},
    "sign_yes": {
        "uk": "Так. Локальний градієнт {dl} ({gate}) дорівнює {local}, тож {d} = {product}, "
              "тоді як у таблиці записано {shown}.",
        "en": "Yes. The local gradient {dl} ({gate}) is {local}, so {d} = {product}, but the "
              "table shows {shown}.",
    },
    "sign_no": {
        "uk": "Ні, тут знак правильний: локальний градієнт {dl} ({gate}) дорівнює {local}, і "
              "{d} = {product}.",
        "en": "No, this sign is right: the local gradient {dl} ({gate}) is {local}, and {d} = "
              "{product}.",
    },
    # an input of the output gate: {d} is that gate's local gradient itself ({product}:
    # "−1,00 × ∂f/∂f (= 1) = −1,00"), so it is not named twice
    "sign_yes_out": {
        "uk": "Так. {gate} — остання операція графа, тож {d} — її локальний градієнт: {product}, "
              "тоді як у таблиці записано {shown}.",
        "en": "Yes. {gate} is the output gate, so {d} is its local gradient: {product}, but "
              "the table shows {shown}.",
    },
    "sign_no_out": {
        "uk": "Ні, тут знак правильний: {gate} — остання операція графа, тож {d} — її локальний "
              "градієнт: {product}.",
        "en": "No, this sign is right: {gate} is the output gate, so {d} is its local "
              "gradient: {product}.",
    },
    # an upstream factor written with 4 decimals where the table shows 2
    "in_table": {"uk": "у таблиці — {v}", "en": "{v} in the table"},
    "sign_no_fork": {
        "uk": "Ні, тут знак правильний: у вузлі {n} граф розгалужується, і {d} — сума градієнтів "
              "гілок: {product}.",
        "en": "No, this sign is right: the graph forks at {n}, and {d} is the sum of the "
              "branch gradients: {product}.",
    },
    "graph_on_page": {
        "uk": "Це граф нейрона із завдання на початку уроку. Повний розв'язок — вище, у "
              "розділі «{link}»: заповнений граф і ланцюгове правило крок за кроком.",
        "en": "This is the neuron from the task at the start of the lesson. Its full solution, "
              "with the filled-in graph and the chain rule step by step, is above in "
              "“{link}”.",
    },
    # the section of the lesson page that works variant 0 out (docs/*/backprop.md)
    "graph_section": {"uk": "Приклад 2: сигмоїдний нейрон", "en": "Example 2: the sigmoid neuron"},
    "sign_solution": {"uk": "Неправильний знак у градієнті {d}: має бути {right}, а не {shown}.",
                      "en": "Wrong sign in the gradient {d}: it should be {right}, not {shown}."},
}


def _t(key: str, lang: str, **kw: str) -> str:
    text = pick(_T[key], lang)
    return text.format(**kw) if kw else text


def _num(x: float, lang: str) -> str:
    return fmt(x, lang, DIGITS)


def _exact(x: float, lang: str) -> str:
    """A factor written out: two decimals when they are exact, else four (0,1966), so that
    the product a student checks by hand comes out as shown."""
    return fmt(x, lang, DIGITS if _round(x) == x else 4)


def _factor(x: float, lang: str) -> str:
    """A number as the second factor of a product: a negative one in parentheses."""
    text = _exact(x, lang)
    return f"({text})" if text.startswith(MINUS) else text


def _input_value(x: float, lang: str) -> str:
    """An input as given: 2, −1,5 (no trailing zeros: inputs are whole or one decimal)."""
    return fmt(x, lang, 0 if float(x).is_integer() else 1)


def _inputs_text(params: dict, lang: str) -> str:
    sep = "; " if lang == "uk" else ", "
    return sep.join(f"{_shown(n)} = {_input_value(v, lang)}" for n, v in params["inputs"])


def _d(root: Value, node: Value) -> str:
    return f"∂{_shown(root.label)}/∂{_shown(node.label)}"


def _gate_name(node: Value, lang: str) -> str:
    return gate_label(node.op, lang)


_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


def _definition(node: Value, lang: str) -> str:
    """The gate ``node`` as a formula of its inputs' names, as the page writes the graph:
    a = w₀ × x₀, r = 2 / t, s = x × x (never the drawn label's placeholder x)."""
    leaves = [Value(i.data, i.label) for i in node.inputs]
    if len(leaves) == 2 and node.inputs[0] is node.inputs[1]:
        leaves[1] = leaves[0]
    one = _gate(node.op, leaves)
    text = _expressions(topological_order(one), lang)[id(one)]
    formula = text[0] if text else _gate_name(node, lang)
    base = _shown(node.inputs[0].label)
    if _parse_op(node.op)[0] == "^n" and len(base.rstrip(_SUBSCRIPTS)) > 1:
        formula = f"({base}){formula[len(base):]}"  # (xy)², not xy² (x times y²)
    return f"{_shown(node.label)} = {formula}"


def _local_d(gate: Value, node: Value) -> str:
    """The local gradient of ``gate`` with respect to its input ``node``: ∂a/∂w₀."""
    return f"∂{_shown(gate.label)}/∂{_shown(node.label)}"


def _paths(root: Value, order: list[Value]) -> dict[int, int]:
    """How many paths lead from ``root`` back to every node (more than 1: a fork on the way)."""
    count = {id(n): 0 for n in order}
    count[id(root)] = 1
    for n in reversed(order):
        for i in n.inputs:
            count[id(i)] += count[id(n)]
    return count


def _consumers(order: list[Value]) -> dict[int, list[tuple[Value, int]]]:
    """For every node, the (gate, input index) pairs that use it, from the output back."""
    uses: dict[int, list[tuple[Value, int]]] = {id(n): [] for n in order}
    for n in reversed(order):
        for k, inp in enumerate(n.inputs):
            uses[id(inp)].append((n, k))
    return uses


# ---- HTML of the lesson's Markdown tables -----------------------------------------------------


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)


def table_html(markdown: str, narrow: bool = False) -> str:
    """A pipe table from ``lessons.markdown.table`` as an HTML table (a variant is HTML).

    A right-aligned column is named on the ``<table>`` tag (``data-r``, 1-based, as
    hooks/slim_hooks.py writes it for Markdown's tables; lessons.css aligns it), not on
    every cell: Lesson 1's page is close to its byte budget.

    Examples:
        >>> print(table_html("| a | b |\\n|:--|--:|\\n| **x** | 1 |").replace("<tr>", "\\n<tr>"))
        <table data-r="2"><thead>
        <tr><th>a</th><th>b</th></tr></thead><tbody>
        <tr><td><strong>x</strong></td><td>1</td></tr></tbody></table>
    """
    lines = markdown.strip().splitlines()
    if len(lines) < 2:
        raise ValueError("markdown must be a table: a header row and an alignment row")

    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.strip().strip("|").split(" | ")]

    right = [m.endswith(":") and not m.startswith(":") for m in lines[1].strip("|").split("|")]

    def row(line: str, tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{_inline(cell)}</{tag}>" for cell in cells(line)) + "</tr>"

    body = "".join(row(line, "td") for line in lines[2:])
    head = row(lines[0], "th")
    if narrow:  # the theme gives every header cell 5rem (100 px on a phone): as narrow as its words
        head = re.sub(r"<th( style=\"|)", lambda m: '<th style="min-width:0' + (
            ";" if m.group(1) else '"'), head)
    aligned = " ".join(str(i) for i, r in enumerate(right, 1) if r)
    attrs = f' data-r="{aligned}"' if aligned else ""
    return f"<table{attrs}><thead>{head}</thead><tbody>{body}</tbody></table>"


# ---- backprop.graph -------------------------------------------------------------------------


def _graph_params(i: int) -> dict:
    graphs = _graphs()
    return graphs[variant_index(i, len(graphs))]


def _keep(mistakes: list[tuple[float, str]], answer: float,
          step: float | None) -> tuple[tuple[float, str], ...]:
    """The mistakes that a student can tell apart: not the answer, not the step-rounded
    value, not an earlier mistake (all as shown at two decimals)."""
    seen = {_round(answer)} | ({_round(step)} if step is not None else set())
    out = []
    for value, hint in mistakes:
        value = value + 0.0
        if _round(value) not in seen:
            seen.add(_round(value))
            out.append((value, hint))
    return tuple(out)


def _render_graph(params: dict, lang: str) -> Variant:
    lang = check_lang(lang)
    root = build(params)
    order = topological_order(root)
    rounded = stepwise(params)
    uses = _consumers(order)
    fields: list[Field] = []

    def step(x: float, y: float) -> float | None:
        return None if _round(x) == _round(y) else y

    paths = _paths(root, order)
    for n in order:  # the forward pass: every gate's value (the inputs are given)
        if not n.inputs:
            continue
        fields.append(Field(f"{n.label}.value", _t("value_label", lang, n=_shown(n.label)),
                            n.data + 0.0, step(n.data, rounded[n.label][0]),
                            hint=_t("hint_value", lang, gate=_definition(n, lang))))
    for n in reversed(order):  # the backward pass: every node's gradient, from the output
        name, d = _shown(n.label), _d(root, n)
        s = step(n.grad, rounded[n.label][1])
        label = _t("grad_label", lang, d=d)
        if n is root:
            fields.append(Field(f"{n.label}.grad", label, n.grad, s,
                                hint=_t("hint_root", lang, d=d)))
            continue
        edges = uses[id(n)]
        sign = "mistake_sign" if paths[id(n)] == 1 else "mistake_sign_paths"
        mistakes = [(-n.grad, _t(sign, lang, root=_shown(root.label), n=name))]
        if len(edges) == 1:
            (gate, k), = edges
            local = gate.local_gradients()[k]
            kw = {"local": _local_d(gate, n), "gate": _definition(gate, lang),
                  "up": _d(root, gate)}
            if gate is root:  # the local gradient is the answer: no "forgot to multiply"
                hint = _t("hint_grad_out", lang, n=name, gate=kw["gate"], one=kw["up"])
            else:
                mistakes.append((local, _t("mistake_local", lang, **kw)))
                hint = _t("hint_grad", lang, **kw)
        else:
            for gate, k in edges:
                share = gate.local_gradients()[k] * gate.grad
                mistakes.append((share, _t("mistake_branch", lang, n=name, d=d)))
            hint = _t("hint_fork", lang, n=name)
        fields.append(Field(f"{n.label}.grad", label, n.grad + 0.0, s,
                            mistakes=_keep(mistakes, n.grad, s), hint=hint))

    # ids of their own: the page may show the same graph (variant 0 is the page's neuron).
    # The blank graph is the narrow drawing alone, on every screen: at full size on a phone,
    # and on a wide screen it can stand beside the fields; half the bytes and time of both.
    vid = variant_id(GRAPH_NAME, params)
    text = _t("graph_prompt", lang, defs=_definitions(topological_order(root), lang),
              inputs=_inputs_text(params, lang), root=_shown(root.label))
    prompt = f"<p>{text}</p>" + _blank_figure(root, lang, f"p{vid[:6]}b")
    if params == _graphs()[0]:
        # the homework's neuron: the page works it out in full (#example-2), so the folded
        # solution points there instead of drawing it again (the page's byte budget)
        link = f'<a href="#{ON_PAGE}">{_t("graph_section", lang)}</a>'
        solution = f"<p>{_t('graph_on_page', lang, link=link)}</p>"
    else:
        solution = (_figure(root, lang, f"p{vid[:6]}s")
                    + f"<p>{_t('graph_solution', lang)}</p>"
                    + table_html(chain_rule_table(root, lang, DIGITS))
                    + _rounding_notes(root, lang))
    return Variant(GRAPH_NAME, params, lang, _t("graph_title", lang), prompt,
                   fields=tuple(fields), solution=solution)


def _rounding_notes(root: Value, lang: str) -> str:
    """The page's notes under a chain-rule table whose rounded rows do not multiply out
    (local × upstream, as shown, against the product shown) or whose rounded shares do not
    add up to a fork's total; nothing when every row reads as shown."""
    notes = [product_rounding_note(root, lang, DIGITS)]
    # the fork note also has words for "every fork adds up", which need not be said here
    if any(_num(sum(_round(x) for x in shares), lang) != _num(n.grad, lang)
           for n, shares in fork_shares(root)):
        notes.append(fork_rounding_note(root, lang, DIGITS))
    return "".join(f"<p>{_inline(note)}</p>" for note in notes if note)


def _blank_figure(root: Value, lang: str, id_prefix: str) -> str:
    """The blank graph, top to bottom; it scrolls rather than shrink its labels below
    ``lessons.draw.MIN_LABEL`` px."""
    svg = to_svg(root, lang=lang, digits=DIGITS, id_prefix=id_prefix, direction="down",
                 blank=True, min_scale=MIN_LABEL / FONT)
    return f'<div class="figure-scroll">{svg}</div>'


def _figure(root: Value, lang: str, id_prefix: str) -> str:
    """The filled graph, drawn like the blank one (top to bottom, the narrow drawing alone),
    so the solution reads against the prompt figure; one drawing instead of the page's two
    (``figure_html``) keeps the variants' files and the build small."""
    svg = to_svg(root, lang=lang, digits=DIGITS, id_prefix=id_prefix, direction="down",
                 min_scale=MIN_LABEL / FONT)
    return f'<div class="figure-scroll">{svg}</div>'


# ---- backprop.sign ---------------------------------------------------------------------------

def _trap(gate: Value, k: int) -> str | None:
    """Which sign trap the edge into input ``k`` of ``gate`` is, if any: a local gradient
    with a minus that students drop."""
    kind = _parse_op(gate.op)[0]
    local = gate.local_gradients()[k]
    if local >= 0:
        return None
    if kind == "-" and k == 1 or kind == "c-x":
        return "subtraction"
    if kind in ("/", "c/x"):
        return "division"
    if kind in ("*", "*c"):
        return "multiplier"
    return None


@functools.cache
def _signs() -> tuple[dict, ...]:
    """Sign-error variants: in each graph, the inputs whose edge has a minus in its local
    gradient (an input used once, so exactly one gradient goes wrong). A first round takes
    one such input from every graph, a second round another; of these, variant 0 is the
    homework neuron, as on the page, and the others are the rarer traps first (a
    subtraction, a division: every one there is), then negative multipliers, up to
    SIGN_COUNT, in the order of the rounds and the graphs."""
    per_graph = []
    for g, params in enumerate(_graphs()):
        root = build(params)
        order = topological_order(root)
        uses = _consumers(order)
        kinds: dict[str, str] = {}
        for n in order:
            if n.inputs or len(uses[id(n)]) != 1 or n.grad == 0:
                continue
            (gate, k), = uses[id(n)]
            trap = _trap(gate, k)
            if trap:
                kinds[n.label] = trap
        # the rarer traps first (a dropped minus of a subtraction or a division), then the rest
        rare = {"subtraction": 0, "division": 0, "multiplier": 1}
        traps = sorted(kinds, key=lambda name: (rare[kinds[name]], _hash("sign", g, name)))
        variants = []
        for wrong in traps[:2]:
            others = [n.label for n in order if n is not root and n.label != wrong]
            others.sort(key=lambda name: _hash("options", g, wrong, name))
            chosen = {wrong, *others[:3]}
            options = [n.label for n in order if n.label in chosen]  # in graph order
            variants.append(({"graph": params, "wrong": wrong, "options": options},
                             rare[kinds[wrong]]))
        per_graph.append(variants)
    found = [v for r in (0, 1) for variants in per_graph for v in variants[r:r + 1]]
    if len(found) < SIGN_COUNT:
        raise RuntimeError(f"only {len(found)} sign-error variants, SIGN_COUNT is {SIGN_COUNT}")
    rest = sorted(range(1, len(found)), key=lambda j: (found[j][1], j))[:SIGN_COUNT - 1]
    return tuple(found[j][0] for j in [0, *sorted(rest)])


def _sign_params(i: int) -> dict:
    signs = _signs()
    return signs[variant_index(i, len(signs))]


def _definitions(order: list[Value], lang: str) -> str:
    """Each gate as a formula of its inputs' names: p = x × y; q = p − z; …"""
    return "; ".join(_definition(n, lang) for n in order if n.inputs)


def _sign_table(root: Value, lang: str) -> str:
    """The page's node table without its "node type" column (the statement defines every
    gate), so that at 360 px the gradient column, which the question is about, fits."""
    lines = node_table(root, lang, DIGITS).splitlines()
    cells = [line.strip().strip("|").split("|") for line in lines]
    return "\n".join("|" + "|".join(row[:1] + row[2:]) + "|" for row in cells)


def _render_sign(params: dict, lang: str) -> Variant:
    lang = check_lang(lang)
    root = build(params["graph"])
    order = topological_order(root)
    by_name = {n.label: n for n in order}
    uses = _consumers(order)
    wrong = by_name[params["wrong"]]
    right_grad = wrong.grad
    options = []
    for name in params["options"]:
        n = by_name[name]
        d = _d(root, n)
        shares = [g.local_gradients()[k] * g.grad for g, k in uses[id(n)]]
        if len(shares) == 1:
            (gate, k), = uses[id(n)]
            local = gate.local_gradients()[k]
            result = _num(local * gate.grad, lang)
            if gate is root:  # ∂f/∂f = 1: d is the output gate's local gradient itself
                product = f"{_exact(local, lang)} × {_d(root, root)} (= 1) = {result}"
            elif _exact(gate.grad, lang) != _num(gate.grad, lang):
                # the upstream factor with 4 decimals, named, and as the table shows it
                shown_up = _t("in_table", lang, v=_num(gate.grad, lang))
                product = (f"{_exact(local, lang)} × {_d(root, gate)} = {_exact(local, lang)} × "
                           f"{_factor(gate.grad, lang)} ({shown_up}) = {result}")
            else:
                product = f"{_exact(local, lang)} × {_factor(gate.grad, lang)} = {result}"
            kw = {"dl": _local_d(gate, n), "gate": _definition(gate, lang),
                  "local": _exact(local, lang), "d": d, "product": product}
            out = "_out" if gate is root else ""
            if n is wrong:
                text = _t("sign_yes" + out, lang, shown=_num(-right_grad, lang), **kw)
            else:
                text = _t("sign_no" + out, lang, **kw)
        else:
            # each branch as exactly as it takes for the written terms to add up to the
            # total shown: 2 decimals when they do, else 4 (−0,6667 − 0,6667 = −1,33)
            digits = next((k for k in (DIGITS, 4, 6)
                           if fmt(sum(round(x, k) for x in shares), lang, DIGITS)
                           == _num(n.grad, lang)), 6)
            total = _signed_sum(shares, lambda x: fmt(x, lang, digits))
            text = _t("sign_no_fork", lang, n=_shown(name), d=d,
                      product=f"{total} = {_num(n.grad, lang)}")
        options.append(Option(d, n is wrong, text))
    wrong.grad = -right_grad  # the worked pass with the mistake: one gradient's sign
    shown = table_html(_sign_table(root, lang), narrow=True)
    wrong.grad = right_grad
    text = _t("sign_prompt", lang, defs=_definitions(order, lang),
              inputs=_inputs_text(params["graph"], lang))
    prompt = f"<p>{text}</p>" + shown
    # the one corrected gradient; the options' explanations (folded with it) say why
    fixed = _t("sign_solution", lang, d=_d(root, wrong), right=_num(right_grad, lang),
               shown=_num(-right_grad, lang))
    solution = f"<p>{fixed}</p>"
    return Variant(SIGN_NAME, params, lang, _t("sign_title", lang), prompt,
                   options=tuple(options), question=_t("sign_question", lang),
                   solution=solution)


GRAPH_NAME, SIGN_NAME = "backprop.graph", "backprop.sign"
GRAPH = Kind(GRAPH_NAME, _graph_params, _render_graph, 1 + PER_TEMPLATE * len(_TEMPLATES))
SIGN = Kind(SIGN_NAME, _sign_params, _render_sign, SIGN_COUNT)
KINDS = (GRAPH, SIGN)
