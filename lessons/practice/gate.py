"""Exercise kind ``backprop.gate``: one gate at a time.

A gate of Lesson 1's gate set receives its input values and the gradient ∂f/∂q arriving
from its output q; the student finds, for each input, the local gradient ∂q/∂x and the
gradient ∂f/∂x = ∂q/∂x × ∂f/∂q that flows to it. Everything is computed by
:class:`lessons.autograd.Value`: the local gradients are the gate's own, the flowing ones
come from a backward pass through ``q * (∂f/∂q)``.

The variants are a fixed table, not random draws: every value reads well (small integers
or one decimal place), every gate of the lesson appears, and variant 0 is the product gate
of the lesson's gate-patterns table (x = 3, y = −1.5, upstream 2). Pure Python, no numpy.
"""

from __future__ import annotations

import math
import re

from lessons.autograd import Value
from lessons.i18n import check_lang, fmt, pick
from lessons.practice import Field, Kind, Variant, variant_index

__all__ = ["GATE", "KINDS", "VARIANTS", "gate_inputs", "stepwise_locals"]

# (op, inputs, upstream, constant): op is the engine's gate; "c*", "c+", "c/", "c-" take a
# plain number c on one side (the neuron's ×(−1), +1 and 1/x gates), "^" the exponent c.
VARIANTS: tuple[tuple[str, tuple[float, ...], float, float | None], ...] = (
    ("*", (3, -1.5), 2, None),          # the gate-patterns table of the lesson
    ("+", (2, -1), 3, None),
    ("+", (-1.5, 4), -2, None),
    ("-", (5, 2), 1.5, None),
    ("-", (-1, 3), -2, None),
    ("*", (4, -0.5), 3, None),
    ("*", (-2, -3), 0.5, None),
    ("/", (3, 2), 4, None),
    ("/", (-1, 2), 3, None),
    ("/", (2, -0.5), -3, None),
    ("max", (2, -1), 3, None),
    ("max", (-0.5, 1.5), -2, None),
    ("exp", (1,), 2, None),
    ("exp", (-1,), 3, None),
    ("exp", (0.5,), -2, None),
    ("log", (2,), 3, None),
    ("log", (4,), -2, None),
    ("log", (0.5,), 1.5, None),
    ("tanh", (1,), 3, None),
    ("tanh", (-0.5,), -2, None),
    ("tanh", (0,), 2.5, None),
    ("sigmoid", (0,), 4, None),
    ("sigmoid", (2,), 3, None),
    ("sigmoid", (-1,), 2, None),
    ("relu", (1.5,), -2, None),
    ("relu", (-2,), 3, None),
    ("relu", (0.5,), 4, None),
    ("^", (-1.5,), 2, 2),
    ("^", (0.5,), -3, 2),
    ("^", (-2,), 0.5, 3),
    ("c*", (1.5,), 2, -1),              # the neuron's ×(−1)
    ("c*", (-2,), -0.5, 3),
    ("c+", (-2,), 0.5, 1),              # the neuron's +1
    ("c/", (2,), 3, 1),                 # the neuron's 1/x
    ("c/", (-0.5,), 2, 1),
    ("c-", (0.3,), 2, 1),
)

_NAMES = ("x", "y")
_PLAIN = re.compile(r"^[−\d,.]+(,|$)")  # a rule that is a number already (1, −1, 3, "1, бо …")


def _num(x: float, lang: str) -> str:
    """A given value as short as it is exact: 3, −1,5 (the inputs are chosen that way)."""
    for digits in range(3):
        if abs(round(x, digits) - x) < 1e-12:
            return fmt(x, lang, digits)
    return fmt(x, lang, 2)


def _nowrap(text: str) -> str:
    """A formula the line may not break inside (at 360 px "∂f/∂q" would break after "/")."""
    return f'<span class="nowrap">{text}</span>'


def _build(op: str, xs: tuple[Value, ...], c: float | None) -> Value:
    if op in ("+", "-", "*", "/"):
        a, b = xs
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
    if op == "max":
        return xs[0].max(xs[1])
    (a,) = xs
    if op in ("exp", "log", "tanh", "sigmoid", "relu"):
        return getattr(a, op)()
    assert c is not None
    return {"^": lambda: a**c, "c*": lambda: c * a, "c+": lambda: a + c,
            "c/": lambda: c / a, "c-": lambda: c - a}[op]()


def gate_inputs(params: dict) -> tuple[list[float], list[float], float]:
    """The local gradients and the flowing gradients of a variant, by the engine.

    Examples:
        >>> gate_inputs({"op": "*", "x": [3, -1.5], "up": 2, "c": None})
        ([-1.5, 3.0], [-3.0, 6.0], -4.5)
    """
    xs = tuple(Value(v, n) for v, n in zip(params["x"], _NAMES))
    q = _build(params["op"], xs, params["c"])
    f = q * params["up"]   # a "×(∂f/∂q)" gate stands for the rest of the graph
    f.backward()
    # + 0.0 turns a −0.0 (0 · negative upstream) into 0.0
    return [g + 0.0 for g in q.local_gradients()], [x.grad + 0.0 for x in xs], q.data


def _r(v: float) -> float:
    return round(v, 2)


def _enough(v: float) -> int:
    """Decimals (4 or more) whose rounding still rounds to what 2 decimals show: 0,10499
    rather than 0,1050, which a reader would round to 0,11."""
    from decimal import ROUND_HALF_UP, Decimal

    def by_hand(d: int) -> str:  # the shown number, rounded again as a reader does
        return str(Decimal(f"{v:.{d}f}").quantize(Decimal("0.01"), ROUND_HALF_UP))

    return next((d for d in range(4, 9) if by_hand(d) == f"{v:.2f}"), 4)


def stepwise_locals(params: dict) -> list[float]:
    """The local gradients a student gets rounding every intermediate value to 2 decimals.

    Examples:
        >>> stepwise_locals({"op": "sigmoid", "x": [2], "up": 3, "c": None})
        [0.11]
    """
    op, xs, c = params["op"], params["x"], params["c"]
    x = xs[0]
    if op == "/":
        return [_r(1 / xs[1]), _r(-x / _r(xs[1] * xs[1]))]
    if op == "exp":
        return [_r(math.exp(x))]
    if op == "log":
        return [_r(1 / x)]
    if op == "tanh":
        t = _r(math.tanh(x))
        return [_r(1 - t * t)]
    if op == "sigmoid":
        s = _r(1 / (1 + math.exp(-x)))
        return [_r(s * (1 - s))]
    if op == "c/":
        return [_r(-c / _r(x * x))]
    return gate_inputs(params)[0]  # the others have exact short local gradients


_T = {
    "title": {"uk": "Градієнти однієї операції", "en": "Gradients through one gate"},
    # {task}: what to find, for two inputs or for one ("task2", "task1")
    "prompt": {
        "uk": "<p>Операція {formula} отримує {given}. Від її виходу надходить "
              "градієнт <span class=\"nowrap\">∂f/∂q = {up}</span>.</p><p>{task} "
              "Відповіді запишіть із двома знаками після коми.</p>",
        "en": "<p>The gate {formula} receives {given}. The upstream gradient arriving at its "
              "output is <span class=\"nowrap\">∂f/∂q = {up}</span>.</p><p>{task} Give your "
              "answers to two decimal places.</p>",
    },
    "task2": {"uk": "Знайдіть для кожного входу локальний градієнт і градієнт, що надходить до "
                    "цього входу.",
              "en": "For each input, find the local gradient and the gradient that flows into "
                    "that input."},
    "task1": {"uk": "Знайдіть локальний градієнт і градієнт, що надходить до входу x.",
              "en": "Find the local gradient and the gradient that flows into x."},
    # the given values: "the inputs x = 3 and y = −1.5", "the input x = 2"
    "given2": {"uk": "на входах {values}", "en": "the inputs {values}"},
    "given1": {"uk": "на вході {values}", "en": "the input {values}"},
    "local": {"uk": "Локальний градієнт ∂q/∂{n}", "en": "Local gradient ∂q/∂{n}"},
    "flow": {"uk": "Градієнт ∂f/∂{n}, що надходить до {n}",
             "en": "Gradient ∂f/∂{n} flowing into {n}"},
    "sign": {"uk": "Перевірте знак: за модулем число правильне.",
             "en": "Check the sign: the magnitude is right."},
    "times": {"uk": "Це вже добуток. Локальний градієнт — похідна самої операції, без множення "
                    "на градієнт від виходу.",
              "en": "That is already the product. The local gradient is the derivative of the gate "
                    "alone, not yet multiplied by the upstream gradient."},
    "not_times": {"uk": "Це локальний градієнт. Помножте його на градієнт від виходу ∂f/∂q.",
                  "en": "That is the local gradient. Multiply it by the upstream gradient ∂f/∂q."},
    "copied": {"uk": "Градієнт від виходу проходить без змін лише тоді, коли локальний "
                     "градієнт дорівнює 1 (як в операції додавання). Тут його треба помножити на "
                     "локальний градієнт.",
               "en": "The upstream gradient passes through unchanged only when the local "
                     "gradient is 1 (as in addition). Here, multiply it by the local gradient."},
    "flow_rule": {"uk": "∂f/∂{n} = ∂q/∂{n} × ∂f/∂q: локальний градієнт, помножений на градієнт "
                        "від виходу.",
                  "en": "∂f/∂{n} = ∂q/∂{n} × ∂f/∂q: the local gradient times the upstream "
                        "gradient."},
    "swap": {"uk": "Множення «міняє входи місцями»: ∂q/∂x дорівнює значенню y, а ∂q/∂y — "
                   "значенню x.",
             "en": "Multiplication “swaps” its inputs: ∂q/∂x is the value of y, and ∂q/∂y the "
                   "value of x."},
    "winner": {"uk": "Максимум передає градієнт лише більшому входу; меншому дістається 0.",
               "en": "The max gate routes the gradient only to the larger input; the smaller one "
                     "gets 0."},
    # the value of the gate itself where its derivative belongs (in a flowing gradient:
    # times ∂f/∂q), so the words fit both fields
    "sigmoid_own": {"uk": "Схоже, ви взяли σ(x) замість її похідної. Похідна сигмоїди — "
                          "σ(x)·(1 − σ(x)).",
                    "en": "It looks like you used σ(x) instead of its derivative, "
                          "σ(x)·(1 − σ(x))."},
    "tanh_own": {"uk": "Схоже, ви взяли tanh(x) замість його похідної. Похідна tanh(x) — "
                       "1 − tanh²(x).",
                 "en": "It looks like you used tanh(x) instead of its derivative, 1 − tanh²(x)."},
    "log_own": {"uk": "Схоже, ви взяли log(x) замість похідної логарифма. Похідна log(x) — "
                       "1 / x.",
                "en": "It looks like you used log(x) instead of its derivative, 1 / x."},
    "pow_n": {"uk": "Не забудьте множник n: (xⁿ)′ = n·xⁿ⁻¹.",
              "en": "Remember the factor n: (xⁿ)′ = n·xⁿ⁻¹."},
    "because": {"uk": "бо", "en": "because"},
}

# the local derivative as a formula, per gate and input
_RULE = {
    "+": ("1", "1"),
    "-": ("1", "−1"),
    "*": ("y", "x"),
    "/": ("1 / y", "−x / y²"),
    "exp": ("exp(x)",),
    "log": ("1 / x",),
    "tanh": ("1 − tanh²(x)",),
    "sigmoid": ("σ(x)·(1 − σ(x))",),
}
_RULE_HINT = {
    "+": {"uk": "Додавання копіює градієнт: локальний градієнт за кожним входом дорівнює 1.",
          "en": "Addition copies the gradient: the local gradient for each input is 1."},
    "-": {"uk": "Для q = x − y: ∂q/∂x = 1, ∂q/∂y = −1.",
          "en": "For q = x − y: ∂q/∂x = 1, ∂q/∂y = −1."},
    "*": _T["swap"],
    "/": {"uk": "Для q = x / y: ∂q/∂x = 1 / y, ∂q/∂y = −x / y².",
          "en": "For q = x / y: ∂q/∂x = 1 / y, ∂q/∂y = −x / y²."},
    "max": _T["winner"],
    "exp": {"uk": "Похідна exp(x) — сама exp(x), тобто значення виходу q.",
            "en": "The derivative of exp(x) is exp(x) itself, the output value q."},
    "log": {"uk": "Тут log — натуральний логарифм, тож похідна log(x) дорівнює 1 / x.",
            "en": "Here log is the natural logarithm; the derivative of log(x) is 1 / x."},
    "tanh": {"uk": "Похідна tanh(x) — 1 − tanh²(x).",
             "en": "The derivative of tanh(x) is 1 − tanh²(x)."},
    "sigmoid": {"uk": "Похідна σ(x) — σ(x)·(1 − σ(x)).",
                "en": "The derivative of σ(x) is σ(x)·(1 − σ(x))."},
    "relu": {"uk": "ReLU пропускає градієнт (локальний градієнт 1), якщо x > 0, і не пропускає "
                   "його (локальний градієнт 0), якщо x ≤ 0.",
             "en": "ReLU passes the gradient (local gradient 1) where x > 0 and blocks it "
                   "(local gradient 0) where x ≤ 0."},
    "^": {"uk": "(xⁿ)′ = n·xⁿ⁻¹.", "en": "(xⁿ)′ = n·xⁿ⁻¹."},
    "c*": {"uk": "Для q = c × x локальний градієнт — сама стала c.",
           "en": "For q = c × x the local gradient is the constant c itself."},
    "c+": {"uk": "Додавання сталої не змінює градієнт: локальний градієнт дорівнює 1.",
           "en": "Adding a constant leaves the gradient unchanged: the local gradient is 1."},
    "c/": {"uk": "Для q = c / x: ∂q/∂x = −c / x². Мінус тут легко загубити.",
           "en": "For q = c / x: ∂q/∂x = −c / x². The minus is easy to lose."},
    "c-": {"uk": "Для q = c − x: ∂q/∂x = −1.", "en": "For q = c − x: ∂q/∂x = −1."},
}


def _formula(op: str, c: float | None, lang: str) -> str:
    if op in ("+", "-", "*", "/"):
        return "q = x " + {"+": "+", "-": "−", "*": "×", "/": "/"}[op] + " y"
    if op in ("max",):
        return "q = max(x, y)"
    words = {"exp": "q = exp(x)", "log": "q = log(x)", "tanh": "q = tanh(x)", "sigmoid": "q = σ(x)",
             "relu": "q = ReLU(x) = max(0, x)"}
    if op in words:
        return words[op]
    n = _num(c, lang)
    return {"^": f"q = x{'²' if c == 2 else '³'}",
            "c*": "q = −x" if c == -1 else f"q = {n} × x",
            "c+": f"q = x + {n}", "c/": f"q = {n} / x", "c-": f"q = {n} − x"}[op]


def _rule(op: str, i: int, params: dict, lang: str) -> str:
    """The local derivative of input i as a formula a student recognizes."""
    xs, c = params["x"], params["c"]
    if op in _RULE:
        return _RULE[op][i]
    because = pick(_T["because"], lang)
    if op == "max":
        bigger = xs[i] >= xs[1 - i] if i == 0 else xs[1] > xs[0]
        rel = ">" if bigger else "&lt;"
        return ("1" if bigger else "0") + f", {because} {_NAMES[i]} {rel} {_NAMES[1 - i]}"
    if op == "relu":
        return "1, " + because + " x > 0" if xs[0] > 0 else "0, " + because + " x ≤ 0"
    n = _num(c, lang)
    return {"^": f"{n}·x{'' if c == 2 else '²'}", "c*": n, "c+": "1",
            "c/": f"−{n} / x²", "c-": "−1"}[op]


def _own_mistakes(op: str, i: int, params: dict, q: float,
                  local: list[float]) -> list[tuple[float, str]]:
    """Gate-specific wrong local gradients: (value, key of the hint)."""
    xs, c = params["x"], params["c"]
    if op == "*":
        return [(xs[i], "swap")]
    if op == "max":
        return [(1 - local[i], "winner")]
    if op == "sigmoid":
        return [(q, "sigmoid_own")]
    if op == "tanh":
        return [(q, "tanh_own")]
    if op == "log":
        return [(q, "log_own")]
    if op == "^":
        return [(xs[0] ** (c - 1), "pow_n")]
    return []


def _field_mistakes(answer: float, candidates: list[tuple[float, str]], lang: str):
    """Keep the first hint for each distinct wrong value (as shown at 2 decimals)."""
    seen, out = {round(answer, 2)}, []
    for value, key in candidates:
        if round(value, 2) in seen:
            continue
        seen.add(round(value, 2))
        out.append((value, pick(_T[key], lang)))
    return tuple(out)


def generate(i: int) -> dict:
    """Variant ``i``'s parameters (0 is the lesson's own product gate)."""
    op, xs, up, c = VARIANTS[variant_index(i, len(VARIANTS))]
    return {"op": op, "x": list(xs), "up": up, "c": c}


def render(params: dict, lang: str) -> Variant:
    """The variant of ``params`` in ``lang``: the statement, four or two fields, the solution.

    Examples:
        >>> v = render(generate(0), "en")
        >>> [(f.key, f.answer) for f in v.fields]
        [('x.local', -1.5), ('x.grad', -3.0), ('y.local', 3.0), ('y.grad', 6.0)]
    """
    lang = check_lang(lang)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    op, xs, up, c = params.get("op"), params.get("x"), params.get("up"), params.get("c")
    if op not in _RULE_HINT:
        raise ValueError(f"params['op'] must be one of {sorted(_RULE_HINT)}, got {op!r}")
    local, flow, q = gate_inputs(params)
    step = stepwise_locals(params)
    names = _NAMES[:len(xs)]
    given = (" і " if lang == "uk" else " and ").join(_nowrap(f"{n} = {_num(v, lang)}")
                                                       for n, v in zip(names, xs))
    count = len(names)
    prompt = pick(_T["prompt"], lang).format(
        formula=_nowrap(_formula(op, c, lang)),
        given=pick(_T[f"given{count}"], lang).format(values=given), up=_num(up, lang),
        task=pick(_T[f"task{count}"], lang))
    fields, steps = [], []
    for i, n in enumerate(names):
        stepwise_flow = _r(step[i] * up)
        own = _own_mistakes(op, i, params, q, local)
        fields.append(Field(
            f"{n}.local", pick(_T["local"], lang).format(n=n), local[i],
            stepwise=step[i] if _r(step[i]) != _r(local[i]) else None,
            mistakes=_field_mistakes(local[i], [(-local[i], "sign"), (flow[i], "times")] + own,
                                     lang),
            hint=pick(_RULE_HINT[op], lang)))
        flow_own = [(v * up, key) for v, key in own]
        # max and ReLU pass the gradient unchanged to some inputs: their rule hint says which
        copied = [] if op in ("max", "relu") else [(up, "copied")]
        fields.append(Field(
            f"{n}.grad", pick(_T["flow"], lang).format(n=n), flow[i],
            stepwise=stepwise_flow if stepwise_flow != _r(flow[i]) else None,
            mistakes=_field_mistakes(flow[i], [(-flow[i], "sign"), (local[i], "not_times")]
                                     + copied + flow_own, lang),
            hint=pick(_T["flow_rule"], lang).format(n=n)))
        # a local gradient that 2 decimals do not hold goes on with 4, as the lesson advises
        exact = _r(local[i]) == local[i]
        more = fmt(local[i], lang, 2 if exact else _enough(local[i]))
        rule = _rule(op, i, params, lang)
        # "∂q/∂x = 1" rather than "1 = 1,00"; "2·x = −3,00" with the value
        # "=" only where the number shown is the value itself, "≈" where it is rounded
        value = "" if _PLAIN.match(rule) else f" {'=' if exact else '≈'} {more}"
        upstream = _num(up, lang) if up >= 0 else f"({_num(up, lang)})"
        product = "=" if _r(flow[i]) == flow[i] else "≈"
        steps.append(f"<li>∂q/∂{n} = {rule}{value}; ∂f/∂{n} = {more} × {upstream} {product} "
                     f"{fmt(flow[i], lang)}</li>")
    q_text = fmt(q, lang, 2 if _r(q) == q else _enough(q))
    solution = f"<ul><li>q {'=' if _r(q) == q else '≈'} {q_text}</li>{''.join(steps)}</ul>"
    return Variant("backprop.gate", params, lang, pick(_T["title"], lang), prompt,
                   fields=tuple(fields), solution=solution)


GATE = Kind("backprop.gate", generate, render, len(VARIANTS))
KINDS = (GATE,)
