"""The worked examples of Lesson 1 and the tables that explain them.

Each example is a function of its input values that builds the graph with
:class:`lessons.autograd.Value`, runs the backward pass and returns the output node.
The page calls these functions and prints the tables below; the tests call the same
functions and compare them with hand-derived values and numerical gradients.

The module imports no numpy (a later page runs it in the browser, where numpy is not
available): only :func:`gradient_check` needs it, and imports it when called.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from lessons.autograd import Value, topological_order
from lessons.console import console
from lessons.draw import _name as _subscripted
from lessons.draw import figure_html, gate_label
from lessons.i18n import check_lang, fmt, fmt_sci, pick
from lessons.markdown import table

__all__ = [
    "add_mul", "sigmoid_neuron", "staged", "node_table", "chain_rule_table",
    "sigmoid_comparison_table", "gate_patterns_table", "sign_mistakes_table",
    "rounding_trap", "rounding_table", "check_error", "gradient_check", "gradient_check_table",
    "answer_table", "inputs_of", "STAGED_LABELS", "fork_shares", "fork_rounding_note",
    "product_rounding_note", "try_graph_form", "TRY_GRAPH",
]

# ---- the worked examples ---------------------------------------------------------------


def add_mul(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> Value:
    """f(x, y, z) = (x + y)·z, after the backward pass.

    Examples:
        >>> f = add_mul()
        >>> f.data, [n.grad for n in inputs_of(f)]
        (-12.0, [-4.0, -4.0, 3.0])
    """
    x, y, z = Value(x, "x"), Value(y, "y"), Value(z, "z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    f.backward()
    return f


def sigmoid_neuron(w0: float = 2.0, x0: float = -1.0, w1: float = -3.0, x1: float = -2.0,
                   w2: float = -3.0, *, one_gate: bool = False) -> Value:
    """The two-input neuron f = 1 / (1 + e^-(w0·x0 + w1·x1 + w2)), after the backward pass.

    Gate by gate (·, +, ·(−1), exp, +1, 1/x) by default; ``one_gate=True`` uses a single
    sigmoid gate with the local gradient σ(z)(1 − σ(z)).

    Examples:
        >>> round(sigmoid_neuron().data, 4), round(sigmoid_neuron(one_gate=True).data, 4)
        (0.7311, 0.7311)
    """
    w0, x0 = Value(w0, "w0"), Value(x0, "x0")
    w1, x1 = Value(w1, "w1"), Value(x1, "x1")
    w2 = Value(w2, "w2")
    a = w0 * x0
    b = w1 * x1
    s = a + b
    z = s + w2
    for node, name in ((a, "a"), (b, "b"), (s, "s"), (z, "z")):
        node.label = name
    if one_gate:
        f = z.sigmoid()
    else:
        m = -z
        e = m.exp()
        d = 1 + e
        f = 1 / d
        for node, name in ((m, "m"), (e, "e"), (d, "d")):
            node.label = name
    f.label = "f"
    f.backward()
    return f


# the intermediate nodes of `staged`, named in the page's language (CS231n calls them
# num, den, xpy, xpysqr; a Ukrainian student reads «чис» and «знам» at once)
STAGED_LABELS = {
    "uk": {"num": "чис", "den": "знам"},
    "en": {"num": "num", "den": "den"},
}


def staged(x: float = 3.0, y: float = -4.0, *, lang: str = "en") -> Value:
    """f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²), staged as in CS231n, after the backward pass.

    ``x`` feeds three gates and ``y`` two: their gradients are sums over the paths.
    ``lang`` names the numerator and the denominator (:data:`STAGED_LABELS`); the other
    intermediate nodes are named by their formula (σ(y), x+y, (x+y)²).

    Examples:
        >>> f = staged()
        >>> round(f.data, 4)
        1.5456
        >>> [n.label for n in topological_order(staged(lang="uk"))][2:4]
        ['σ(y)', 'чис']
    """
    words = STAGED_LABELS[check_lang(lang)]
    xv, yv = Value(x, "x"), Value(y, "y")
    sig_y = yv.sigmoid()
    num = xv + sig_y
    sig_x = xv.sigmoid()
    xpy = xv + yv
    xpy_sqr = xpy**2
    den = sig_x + xpy_sqr
    f = num / den
    names = ((sig_y, "σ(y)"), (num, words["num"]), (sig_x, "σ(x)"), (xpy, "x+y"),
             (xpy_sqr, "(x+y)²"), (den, words["den"]), (f, "f"))
    for node, name in names:
        node.label = name
    f.backward()
    return f


def inputs_of(root: Value) -> list[Value]:
    """The input (leaf) nodes of a graph, in the order they were first used.

    Examples:
        >>> [n.label for n in inputs_of(add_mul())]
        ['x', 'y', 'z']
    """
    return [n for n in topological_order(root) if not n.inputs]


# ---- labels ------------------------------------------------------------------------------

_T = {
    "node": {"uk": "Вузол", "en": "Node"},
    "node_type": {"uk": "Тип вузла", "en": "Node type"},
    "gate": {"uk": "Операція", "en": "Gate"},
    "input": {"uk": "вхід", "en": "input"},
    "value": {"uk": "Значення (прямий прохід)", "en": "Value (forward pass)"},
    "grad": {"uk": "Градієнт f за вузлом", "en": "Gradient ∂f/∂node"},
    "edge": {"uk": "Ребро", "en": "Edge"},
    "local": {"uk": "Локальний градієнт", "en": "Local gradient"},
    "upstream": {"uk": "Градієнт від виходу", "en": "Upstream gradient"},
    "product": {"uk": "Добуток", "en": "Product"},
    "total": {"uk": "разом (сума за гілками)", "en": "total (sum over branches)"},
    "by_gates": {"uk": "Операція за операцією", "en": "Gate by gate"},
    "one_gate": {"uk": "Одна операція σ", "en": "One σ gate"},
    "difference": {"uk": "Різниця", "en": "Difference"},
    "pattern": {"uk": "Правило", "en": "Pattern"},
    "inputs": {"uk": "Входи", "en": "Inputs"},
    "grads_in": {"uk": "Градієнти за входами", "en": "Gradients of the inputs"},
    "add": {"uk": "додавання роздає (копіює): кожен вхід отримує градієнт від виходу "
                  "без змін",
            "en": "add distributes: each input gets the upstream gradient unchanged"},
    "mul": {"uk": "множення міняє місцями: кожен вхід отримує значення іншого входу "
                  "× градієнт від виходу",
            "en": "multiply swaps: each input gets the other input’s value × the upstream "
                  "gradient"},
    "max": {"uk": "max скеровує градієнт до одного входу: увесь градієнт отримує більший вхід, "
                  "а менший — нуль",
            "en": "max routes: the larger input gets all of it, the smaller gets zero"},
    "fork": {"uk": "розгалуження підсумовує: вузол, використаний двічі, отримує суму",
             "en": "a fork sums: a node used twice receives the sum"},
    "formula": {"uk": "Правильна локальна похідна", "en": "Correct local derivative"},
    "mistake": {"uk": "Помилка", "en": "Mistake"},
    "wrong": {"uk": "Локальний градієнт із помилкою", "en": "Local gradient with the mistake"},
    "right": {"uk": "Правильний локальний градієнт", "en": "Local gradient, correct"},
    "effect_wrong": {"uk": "∂f/∂x₀ із помилкою (правильно: {})",
                     "en": "∂f/∂x₀ with the mistake (correct: {})"},
    "dropped": {"uk": "мінус загублено", "en": "minus dropped"},
    "twice": {"uk": "мінус операції ×(−1) враховано вдруге",
              "en": "the minus of ×(−1) counted again"},
    "exact_rounded": {"uk": "Точні, округлені наприкінці", "en": "Exact, rounded at the end"},
    "exact": {"uk": "Точні", "en": "Exact"},
    "rounded": {"uk": "Округлені на кожному кроці", "en": "Rounded at every step"},
    "analytic": {"uk": "Аналітичний (зворотний прохід)", "en": "Analytic (backward pass)"},
    "numeric": {"uk": "Чисельний (центральна різниця)", "en": "Numerical (central difference)"},
    "relerr": {"uk": "Відносна похибка", "en": "Relative error"},
    "output": {"uk": "вихід f", "en": "output f"},
    "fork_note": {
        "uk": "Частки в таблиці округлено, а рядки «разом» — це суми точних часток, "
              "округлені лише наприкінці, тож сума округлених чисел може від них "
              "відрізнятися: {parts}.",
        "en": "The shares in the table are rounded, while each total is the sum of the exact "
              "shares, rounded only at the end, so a total may differ from what its rounded rows "
              "add up to: {parts}.",
    },
    "fork_part": {
        "uk": "для *{name}* округлені частки дають у сумі {rounded}, а точна сума — {total}",
        "en": "for *{name}* the rounded shares add up to {rounded}, but the exact sum is {total}",
    },
    "product_note": {
        "uk": "Добутки в таблиці обчислено з точних множників і округлено лише наприкінці, "
              "тому вони не завжди збігаються з добутком округлених множників: {parts}{see}.",
        "en": "The products in the table are computed from the exact factors and rounded only "
              "at the end, so they do not always equal the product of the rounded factors: "
              "{parts}{see}.",
    },
    "product_see": {"uk": "див. [«Пастка округлення»]({})", "en": "see [The rounding trap]({})"},
    "product_part": {
        "uk": "для *{edge}* маємо {local} × {upstream} = {rounded}, а в таблиці стоїть {product}",
        "en": "for *{edge}*, {local} × {upstream} = {rounded}, but the table shows {product}",
    },
    "fork_match": {
        "uk": "Тут округлені частки кожної гілки дають у сумі саме те число, що й рядок «разом».",
        "en": "Here the rounded shares of every fork add up to exactly its total.",
    },
}


def _t(key: str, lang: str) -> str:
    return pick(_T[key], lang)

# between two values in one cell: with the decimal comma a comma would be ambiguous (3,00, y)
_SEP = {"uk": "; ", "en": ", "}


def _name(node: Value, names: dict[int, str]) -> str:
    return _subscripted(node.label) if node.label else _subscripted(names[id(node)])


def _auto_names(order: list[Value]) -> dict[int, str]:
    """q1, q2, … for unlabelled intermediate nodes, in topological order."""
    names, k = {}, 0
    for n in order:
        if not n.label:
            k += 1
            names[id(n)] = f"q{k}"
    return names


def _check_root(root: object) -> Value:
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    return root


# ---- figures and tables -------------------------------------------------------------------------------


def graph_figure(root: Value, lang: str = "uk", digits: int = 2) -> str:
    """The graph as inline SVG: the wide drawing, and on a narrow screen the top-to-bottom one.

    ``lessons.draw.figure_html`` switches between them where the wide drawing's labels
    would fall under 10 CSS px, so a phone gets the narrow one at full size instead of a
    shrunken wide one; the box scrolls sideways only if even that does not fit.

    Examples:
        >>> graph_figure(add_mul(), "en").startswith('<div class="figure-scroll">')
        True
    """
    html = figure_html(_check_root(root), lang=check_lang(lang), digits=digits)
    return f'<div class="figure-scroll">{html}</div>'


def node_table(root: Value, lang: str = "uk", digits: int = 2) -> str:
    """Markdown table of every node: its gate, forward value and gradient of the output.

    Examples:
        >>> print(node_table(add_mul(), "en"))  # doctest: +ELLIPSIS
        | Node | Node type | Value (forward pass) | Gradient ∂f/∂node |
        |:--|--:|--:|--:|
        | x | input | −2.00 | −4.00 |
        ...
    """
    root, lang = _check_root(root), check_lang(lang)
    order = topological_order(root)
    names = _auto_names(order)
    rows = []
    for n in order:
        gate = gate_label(n.op, lang) if n.op else _t("input", lang)
        rows.append([_name(n, names), gate, fmt(n.data, lang, digits), fmt(n.grad, lang, digits)])
    header = [_t("node", lang), _t("node_type", lang), _t("value", lang), _t("grad", lang)]
    return table(header, rows)


def chain_rule_table(root: Value, lang: str = "uk", digits: int = 2) -> str:
    """Markdown table of the backward pass, one row per edge: local × upstream = product.

    Rows run from the output back to the inputs; a node used more than once gets a row
    per edge and a total row, which is the sum (the fork rule).

    Examples:
        >>> print(chain_rule_table(add_mul(), "en").splitlines()[2])
        | q → f | −4.00 | 1.00 | −4.00 |
    """
    root, lang = _check_root(root), check_lang(lang)
    order = topological_order(root)
    names = _auto_names(order)
    uses: dict[int, int] = {}
    for n in order:
        for i in n.inputs:
            uses[id(i)] = uses.get(id(i), 0) + 1
    rows = []
    for n in reversed(order):
        for inp, local in zip(n.inputs, n.local_gradients()):
            rows.append([f"{_name(inp, names)} → {_name(n, names)}", fmt(local, lang, digits),
                         fmt(n.grad, lang, digits), fmt(local * n.grad, lang, digits)])
    # the fork rule: one total row for every node used more than once
    for n in order:
        if uses.get(id(n), 0) > 1:
            rows.append([f"**{_name(n, names)}**: {_t('total', lang)}", "", "",
                         f"**{fmt(n.grad, lang, digits)}**"])
    header = [_t("edge", lang), _t("local", lang), _t("upstream", lang), _t("product", lang)]
    return table(header, rows)


def fork_shares(root: Value) -> list[tuple[Value, list[float]]]:
    """Every node used more than once, with the share of its gradient from each of its uses.

    The shares are the products of the chain-rule table (local × upstream), in its row
    order; their exact sum is the node's gradient (the fork rule).

    Examples:
        >>> [(n.label, len(s)) for n, s in fork_shares(staged())]
        [('x', 3), ('y', 2)]
    """
    root = _check_root(root)
    order = topological_order(root)
    shares: dict[int, list[float]] = {}
    for n in reversed(order):
        for inp, local in zip(n.inputs, n.local_gradients()):
            shares.setdefault(id(inp), []).append(local * n.grad)
    return [(n, shares[id(n)]) for n in order if len(shares.get(id(n), ())) > 1]


def _rounded(x: float, digits: int) -> float:
    """``x`` rounded as :func:`lessons.i18n.fmt` shows it."""
    return float(f"{x:.{digits}f}")


def fork_rounding_note(root: Value, lang: str = "uk", digits: int = 2) -> str:
    """A sentence for the chain-rule table: where the rounded shares of a fork do not add
    up to the total shown, because the total is the sum of the exact shares.

    Examples:
        >>> fork_rounding_note(staged(), "en")  # doctest: +ELLIPSIS
        'The shares in the table are rounded...: for *x* the rounded shares add up to 2.05, ...'
        >>> fork_rounding_note(add_mul(), "en")  # no node feeds two gates
        ''
    """
    root, lang = _check_root(root), check_lang(lang)
    forks = fork_shares(root)
    if not forks:
        return ""
    parts = []
    for n, shares in forks:
        rounded_sum = sum(_rounded(s, digits) for s in shares)
        if fmt(rounded_sum, lang, digits) != fmt(n.grad, lang, digits):
            parts.append(pick(_T["fork_part"], lang).format(
                name=_subscripted(n.label) if n.label else "?",
                rounded=fmt(rounded_sum, lang, digits),
                total=fmt(n.grad, lang, digits)))
    if not parts:
        return pick(_T["fork_match"], lang)
    return pick(_T["fork_note"], lang).format(parts=_SEP[lang].join(parts))


def product_rounding_note(root: Value, lang: str = "uk", digits: int = 2,
                          rounding_link: str = "") -> str:
    """A sentence for the chain-rule table: the rows whose rounded factors (local and
    upstream, as shown) do not multiply to the product shown, which is the rounded exact
    product. With ``rounding_link`` (the address of the rounding-trap section) the
    sentence ends with a reference to it.

    Examples:
        >>> product_rounding_note(sigmoid_neuron(), "en")  # doctest: +ELLIPSIS
        'The products in the table...: for *w₁ → b*, −2.00 × 0.20 = −0.40, but the table...'
        >>> product_rounding_note(add_mul(), "en")  # whole numbers: every row multiplies out
        ''
        >>> from lessons.autograd import Value
        >>> f = Value(0.046, "a") * Value(1.0, "b") * -3.0  # upstream of a × b: −3, in parentheses
        >>> f.backward()
        >>> product_rounding_note(f, "uk")  # doctest: +ELLIPSIS
        '...маємо 0,05 × (−3,00) = −0,15, а в таблиці стоїть −0,14.'
    """
    root, lang = _check_root(root), check_lang(lang)
    if not isinstance(rounding_link, str):
        raise TypeError(f"rounding_link must be a str, got {type(rounding_link).__name__}")
    order = topological_order(root)
    names = _auto_names(order)
    parts = []
    for n in reversed(order):  # the table's row order
        for inp, local in zip(n.inputs, n.local_gradients()):
            shown = fmt(local * n.grad, lang, digits)
            by_hand = fmt(_rounded(local, digits) * _rounded(n.grad, digits), lang, digits)
            if by_hand != shown:
                parts.append(pick(_T["product_part"], lang).format(
                    edge=f"{_name(inp, names)} → {_name(n, names)}",
                    local=fmt(local, lang, digits), rounded=by_hand, product=shown,
                    # a negative second factor in parentheses: 0,05 × (−3,00)
                    upstream=(f"({up})" if (up := fmt(n.grad, lang, digits)).startswith("−")
                              else up)))
    if not parts:
        return ""
    parts = list(dict.fromkeys(parts))  # x × x: both edges x → s read the same, say it once
    # "; " in both languages: the English parts hold commas of their own
    see = f" ({pick(_T['product_see'], lang).format(rounding_link)})" if rounding_link else ""
    return pick(_T["product_note"], lang).format(parts="; ".join(parts), see=see)


def answer_table(root: Value, lang: str = "uk", digits: int = 2) -> str:
    """The short answer: the output value and the gradient of every input, one row each.

    Examples:
        >>> print(answer_table(add_mul(), "en").splitlines()[2])
        | f | −12.00 |
    """
    root, lang = _check_root(root), check_lang(lang)
    rows = [[root.label or "f", fmt(root.data, lang, digits)]]
    rows += [[f"∂f/∂{_subscripted(n.label)}", fmt(n.grad, lang, digits)]
             for n in inputs_of(root)]
    return table(["", _t("value", lang).split(" (")[0]], rows)


def sigmoid_comparison_table(lang: str = "uk", digits: int = 4) -> str:
    """Gradients of the neuron's inputs gate by gate next to the single σ gate.

    Examples:
        >>> "0,1966" in sigmoid_comparison_table("uk")
        True
    """
    lang = check_lang(lang)
    a, b = sigmoid_neuron(), sigmoid_neuron(one_gate=True)
    rows = []
    for na, nb in zip(inputs_of(a), inputs_of(b)):
        rows.append([f"∂f/∂{_subscripted(na.label)}", fmt(na.grad, lang, digits),
                     fmt(nb.grad, lang, digits),
                     fmt_sci(abs(na.grad - nb.grad), lang, 1)])
    header = ["", _t("by_gates", lang), _t("one_gate", lang), _t("difference", lang)]
    return table(header, rows)


def gate_patterns_table(lang: str = "uk", digits: int = 2) -> str:
    """The four patterns of gradient flow, each computed on a tiny graph with upstream 2.

    Examples:
        >>> "max" in gate_patterns_table("en")
        True
    """
    lang = check_lang(lang)
    upstream = 2.0
    rows = []
    cases: list[tuple[str, Callable[[Value, Value], Value]]] = [
        ("add", lambda p, q: p + q),
        ("mul", lambda p, q: p * q),
        ("max", lambda p, q: p.max(q)),
    ]
    for key, gate in cases:
        p, q = Value(3.0, "x"), Value(-1.5, "y")
        out = gate(p, q) * upstream  # the ×2 gate stands for "the rest of the graph"
        out.backward()
        sep = _SEP[lang]
        rows.append([_t(key, lang), f"x = {fmt(p.data, lang, digits)}{sep}y = {fmt(q.data, lang, digits)}",
                     fmt(upstream, lang, digits),
                     f"∂/∂x = {fmt(p.grad, lang, digits)}{sep}∂/∂y = {fmt(q.grad, lang, digits)}"])
    p = Value(3.0, "x")
    out = (p * 1.0 + p * 1.0) * upstream  # x feeds two branches
    out.backward()
    rows.append([_t("fork", lang), f"x = {fmt(p.data, lang, digits)}", fmt(upstream, lang, digits),
                 f"∂/∂x = {fmt(upstream, lang, digits)} + {fmt(upstream, lang, digits)} = "
                 f"{fmt(p.grad, lang, digits)}"])
    header = [_t("pattern", lang), _t("inputs", lang), _t("upstream", lang), _t("grads_in", lang)]
    return table(header, rows, "llrl")


def _backward_flipping(root: Value, flipped: Value) -> dict[int, float]:
    """A backward pass in which the local gradients of one gate have the wrong sign."""
    order = topological_order(root)
    grads = {id(n): 0.0 for n in order}
    grads[id(root)] = 1.0
    for n in reversed(order):
        locals_ = n.local_gradients()
        if n is flipped:
            locals_ = tuple(-g for g in locals_)
        for inp, g in zip(n.inputs, locals_):
            grads[id(inp)] += g * grads[id(n)]
    return grads


def sign_mistakes_table(lang: str = "uk", digits: int = 2) -> str:
    """The sign traps of the eight-gate neuron: each local gradient right and mistaken.

    Two gates of the graph have a minus in their local derivative, ×(−1) and 1/x; a student
    can drop either. The exp gate has none: its input is already m = −z, so its local
    gradient is +e^m. Writing −e^(−z) there (the derivative of e^(−z) as *one* gate) counts
    the minus of ×(−1) a second time. Each row runs the whole backward pass again with that
    one local gradient negated: every path to x₀ passes through the gate, so ∂f/∂x₀ comes
    out with the wrong sign.

    Examples:
        >>> len(sign_mistakes_table("en").splitlines())
        5
    """
    lang = check_lang(lang)
    f = sigmoid_neuron()
    by_label = {n.label: n for n in topological_order(f)}
    x0, m, e = by_label["x0"], by_label["m"], by_label["e"]
    cases = [
        # (gate as drawn, its correct local derivative, the mistake, the node at stake)
        ("×(−1)", "∂(−z)/∂z = −1", "dropped", m),
        ("exp", "∂eᵐ/∂m = eᵐ", "twice", e),
        ("1/x", "∂(1/d)/∂d = −1/d²", "dropped", f),
    ]
    rows = []
    for gate, formula, mistake, node in cases:
        (right,) = node.local_gradients()
        wrong_x0 = _backward_flipping(f, node)[id(x0)]
        rows.append([gate, formula, _t(mistake, lang), fmt(-right, lang, digits),
                     fmt(right, lang, digits), fmt(wrong_x0, lang, digits)])
    header = [_t("gate", lang), _t("formula", lang), _t("mistake", lang), _t("wrong", lang),
              _t("right", lang), _t("effect_wrong", lang).format(fmt(x0.grad, lang, digits))]
    return table(header, rows, "lllrrr")


def rounding_trap(digits: int = 2) -> dict[str, tuple[float, float]]:
    """Each input gradient of the neuron, exact and as a student gets it rounding every step.

    The rounded pass rounds every forward value, every local gradient and every product
    to ``digits`` decimals, as one does on paper. Returns ``{label: (exact, rounded)}``.

    Examples:
        >>> exact, rounded = rounding_trap()["x0"]
        >>> round(exact, 2), rounded
        (0.39, 0.4)
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a non-negative int, got {digits!r}")
    exact = sigmoid_neuron()
    r = lambda v: round(v, digits)  # noqa: E731 - the rounding "by hand"
    # forward, rounded: the values a student writes above the edges
    w0, x0, w1, x1, w2 = 2.0, -1.0, -3.0, -2.0, -3.0
    a, b = r(w0 * x0), r(w1 * x1)
    z = r(r(a + b) + w2)
    m = r(-z)
    e = r(math.exp(m))
    d = r(1 + e)
    # backward, rounded: each product of local and upstream gradient
    g_f = 1.0
    g_d = r(r(-1 / d**2) * g_f)
    g_e = r(1.0 * g_d)
    g_m = r(r(e) * g_e)
    g_z = r(-1.0 * g_m)
    g_a = g_b = g_w2 = g_z  # the + gates distribute
    rounded = {"w0": r(x0 * g_a), "x0": r(w0 * g_a), "w1": r(x1 * g_b), "x1": r(w1 * g_b),
               "w2": g_w2}
    return {n.label: (n.grad, rounded[n.label]) for n in inputs_of(exact)}


def rounding_table(lang: str = "uk", digits: int = 2) -> str:
    """Markdown table of :func:`rounding_trap`: exact gradients next to the rounded ones.

    Examples:
        >>> "0.40" in rounding_table("en")
        True
    """
    lang = check_lang(lang)
    rows = [[f"∂f/∂{_subscripted(k)}", fmt(v[0], lang, 4), fmt(v[0], lang, digits),
             fmt(v[1], lang, digits)]
            for k, v in rounding_trap(digits).items()]
    header = ["", _t("exact", lang), _t("exact_rounded", lang), _t("rounded", lang)]
    return table(header, rows)


def check_error(a: float, n: float) -> float:
    """The relative error of a gradient check, |a − n| / max(|a|, |n|), as in the CS231n notes.

    ``a`` is the analytic gradient (from the backward pass), ``n`` the numerical one. With
    this denominator CS231n's rule of thumb holds: below 1e-7 the gradient is right, above
    1e-2 it is probably wrong. Two zeros agree exactly (0.0).

    Examples:
        >>> check_error(1.0, 3.0), check_error(-2.0, -2.0), check_error(0.0, 0.0)
        (0.6666666666666666, 0.0, 0.0)
    """
    a, n = float(a), float(n)
    if a == n:
        return 0.0
    return abs(a - n) / max(abs(a), abs(n))


def gradient_check(build: Callable[..., Value], point: dict[str, float],
                   h: float = 1e-5) -> list[tuple[str, float, float, float]]:
    """Analytic gradients of ``build(**point)`` next to central differences, with relative error.

    The error is :func:`check_error`. The only function of this module that needs numpy
    (through :func:`lessons.gradcheck.numerical_gradient`): it imports it here.

    Examples:
        >>> rows = gradient_check(add_mul, {"x": -2.0, "y": 5.0, "z": -4.0})
        >>> [(name, round(a, 6), round(n, 6)) for name, a, n, _ in rows][0]
        ('x', -4.0, -4.0)
    """
    import numpy as np  # lazily: the rest of the module runs without numpy

    from lessons.gradcheck import numerical_gradient

    names = list(point)
    root = build(**point)
    analytic = {n.label: n.grad for n in inputs_of(root)}
    vec = np.array([float(point[k]) for k in names])
    numeric = numerical_gradient(lambda v: build(**dict(zip(names, v))).data, vec, h=h)
    return [(k, analytic[k], float(numeric[i]), check_error(analytic[k], numeric[i]))
            for i, k in enumerate(names)]


def gradient_check_table(build: Callable[..., Value], point: dict[str, float],
                         lang: str = "uk", digits: int = 6) -> str:
    """Markdown table of :func:`gradient_check`.

    Examples:
        >>> print(gradient_check_table(add_mul, {"x": -2.0, "y": 5.0, "z": -4.0}, "en").splitlines()[0])
        |  | Analytic (backward pass) | Numerical (central difference) | Relative error |
    """
    lang = check_lang(lang)
    rows = []
    for name, a, n, err in gradient_check(build, point):
        rows.append([f"∂f/∂{_subscripted(name)}", fmt(a, lang, digits), fmt(n, lang, digits),
                     fmt_sci(err, lang, 1)])
    header = ["", _t("analytic", lang), _t("numeric", lang), _t("relerr", lang)]
    return table(header, rows)


def cli_demo(argv: list[str], lang: str = "uk") -> str:
    """The "try your own" tool run on ``argv``, as a console block for the page.

    Examples:
        >>> print(cli_demo(["x * x", "x=3"], "en"))  # doctest: +ELLIPSIS
        ```console
        $ uv run python -m lessons.autograd 'x * x' x=3 --lang en
        ...
        ```
    """
    from lessons.expression import main  # the CLI imports the engine; keep this module light

    return console("lessons.autograd", main, [*argv, "--lang", check_lang(lang)])


# the form's words, and its example: Example 1 of the page, as in the CLI demo above it
TRY_GRAPH = {
    "expression": {"uk": "Вираз", "en": "Expression"},
    "values": {"uk": "Значення змінних", "en": "Variable values"},
    # the hints are HTML (lessons.markdown.try_form_html): the module's own words
    "expression_hint": {"uk": "Числа у виразі — з десятковою крапкою: <code>0.5 * x</code>.",
                        "en": "Numbers in the expression use a decimal point: <code>0.5 * x</code>."},
    "values_hint": {"uk": "Пари <code>ім'я=значення</code> через пробіл: <code>x=0.5 y=2</code>. "
                          "У формі дробову частину можна відокремлювати й комою («x=0,5»), у "
                          "командному рядку — лише крапкою.",
                    "en": "Pairs <code>name=value</code> separated by spaces, as on the command "
                          "line: <code>x=0.5 y=2</code>. Numbers need a decimal point, because a "
                          "comma also separates pairs."},
    "submit": {"uk": "Побудувати граф", "en": "Draw the graph"},
}
TRY_GRAPH_EXAMPLE = {"expression": "(x + y) * z", "values": "x=-2 y=5 z=-4"}


def try_graph_form(lang: str = "uk") -> str:
    """The "try your own graph" form, showing Example 1's graph and table until it is used.

    Examples:
        >>> html = try_graph_form("en")
        >>> html.count("<input"), 'data-try="graph"' in html, "<table" in html
        (2, True, True)
    """
    from lessons.expression import try_graph
    from lessons.markdown import try_form_html

    lang = check_lang(lang)
    result = try_graph(TRY_GRAPH_EXAMPLE, lang, "try0")  # live results: try1, try2, ...
    fields = [("expression", _pick_try("expression", lang), TRY_GRAPH_EXAMPLE["expression"],
               _pick_try("expression_hint", lang)),
              ("values", _pick_try("values", lang), TRY_GRAPH_EXAMPLE["values"],
               _pick_try("values_hint", lang))]
    return try_form_html("graph", lang, fields, _pick_try("submit", lang), result["html"])


def _pick_try(key: str, lang: str) -> str:
    return pick(TRY_GRAPH[key], lang)
