"""Lesson 1's graph exercises against references of their own.

Forward values are recomputed here with ``math`` from the description of each graph (an
evaluator of its own, which never touches ``lessons.autograd``), gradients are central
differences of that evaluator (``lessons.gradcheck.numerical_gradient``), and the
step-rounded values are checked on cases worked out by hand.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from conftest import run_without_numpy

from lessons.autograd import topological_order
from lessons.gradcheck import numerical_gradient
from lessons.i18n import fmt
from lessons.pages.backprop import rounding_trap, sigmoid_neuron
from lessons.practice import Variant, variant_id
from lessons.practice import graph as g

LANGS = ("uk", "en")
GRAPH, SIGN = g.GRAPH, g.SIGN


# ---- an evaluator of our own --------------------------------------------------------------

def _sigmoid(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t))


_BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b, "max": max}
_UNARY = {"exp": math.exp, "log": math.log, "tanh": math.tanh, "sigmoid": _sigmoid,
          "relu": lambda a: max(0.0, a)}


def _unary_const(op: str):
    """The one-input gates with a constant, read from the op string by regular expressions."""
    patterns = [
        (r"\+(\d+(?:\.\d+)?)", lambda c: lambda a: a + c),
        (r"-(\d+(?:\.\d+)?)", lambda c: lambda a: a - c),
        (r"\*(-?\d+(?:\.\d+)?)", lambda c: lambda a: a * c),
        (r"/(\d+(?:\.\d+)?)", lambda c: lambda a: a / c),
        (r"\^(\d+)", lambda c: lambda a: a**c),
        (r"(-?\d+(?:\.\d+)?)-x", lambda c: lambda a: c - a),
        (r"(-?\d+(?:\.\d+)?)/x", lambda c: lambda a: c / a),
    ]
    for pattern, make in patterns:
        m = re.fullmatch(pattern, op)
        if m:
            return make(float(m.group(1)))
    raise AssertionError(f"the test does not know gate {op!r}")


def kind_of(op: str) -> str:
    """The gate family of an op string: the plain ops, and c for the constants' shapes."""
    if op in _BINARY or op in _UNARY:
        return op
    for pattern, name in ((r"\+.*", "+c"), (r"-.*", "+c"), (r"\*.*", "*c"), (r"/.*", "/c"),
                          (r"\^.*", "^n"), (r".*-x", "c-x"), (r".*/x", "c/x")):
        if re.fullmatch(pattern, op):
            return name
    raise AssertionError(op)


def evaluate(params: dict, override: dict[str, float] | None = None) -> dict[str, float]:
    """Every node's value; ``override`` replaces a node's value (a free variable)."""
    override = override or {}
    values: dict[str, float] = {}
    for name, v in params["inputs"]:
        values[name] = float(override.get(name, v))
    for name, op, *args in params["gates"]:
        a = [values[x] for x in args]
        if op in _BINARY:
            out = _BINARY[op](*a)
        elif op in _UNARY:
            out = _UNARY[op](*a)
        else:
            out = _unary_const(op)(*a)
        values[name] = float(override.get(name, out))
    return values


def output(params: dict) -> str:
    return params["gates"][-1][0]


def reference(params: dict) -> tuple[dict[str, float], dict[str, float]]:
    """(values, gradients of the output) of every node: gradients by central differences."""
    key = json.dumps(params, sort_keys=True)
    if key not in _REFERENCE:
        _REFERENCE[key] = _reference(params)
    return _REFERENCE[key]


_REFERENCE: dict[str, tuple[dict[str, float], dict[str, float]]] = {}


def _reference(params: dict) -> tuple[dict[str, float], dict[str, float]]:
    values = evaluate(params)
    out = output(params)
    grads = {}
    names = [n for n, _ in params["inputs"]]
    vec = np.array([values[n] for n in names])
    by_inputs = numerical_gradient(
        lambda v: evaluate(params, dict(zip(names, v)))[out], vec)
    grads.update({n: float(d) for n, d in zip(names, by_inputs)})
    for name, *_ in params["gates"]:
        one = numerical_gradient(lambda v, n=name: evaluate(params, {n: v[0]})[out],
                                 np.array([values[name]]))
        grads[name] = float(one[0])
    return values, grads


def graph_params() -> list[dict]:
    return [GRAPH.generate(i) for i in range(GRAPH.count)]


def sign_params() -> list[dict]:
    return [SIGN.generate(i) for i in range(SIGN.count)]


@pytest.fixture(scope="module")
def graphs() -> list[Variant]:
    return {lang: [GRAPH.render(p, lang) for p in graph_params()] for lang in LANGS}


@pytest.fixture(scope="module")
def signs() -> list[Variant]:
    return {lang: [SIGN.render(p, lang) for p in sign_params()] for lang in LANGS}


def _close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# ---- backprop.graph ---------------------------------------------------------------------------

def test_counts():
    assert GRAPH.count >= 30 and SIGN.count >= 20
    assert GRAPH.name == "backprop.graph" and SIGN.name == "backprop.sign"
    assert g.KINDS == (GRAPH, SIGN)


@pytest.mark.parametrize("lang", LANGS)
def test_every_answer_against_math_and_numerical_gradients(graphs, lang):
    for params, v in zip(graph_params(), graphs[lang]):
        values, grads = reference(params)
        fields = {f.key: f for f in v.fields}
        gates = [name for name, *_ in params["gates"]]
        inputs = [name for name, _ in params["inputs"]]
        # a field for every gate's value and every node's gradient (inputs are given)
        assert set(fields) == {f"{n}.value" for n in gates} | {f"{n}.grad" for n in inputs + gates}
        for n in gates:
            assert _close(fields[f"{n}.value"].answer, values[n], 1e-12), (v.id, n)
        for n in inputs + gates:
            assert abs(fields[f"{n}.grad"].answer - grads[n]) <= 1e-6 * max(1, abs(grads[n])), \
                (v.id, n, fields[f"{n}.grad"].answer, grads[n])
        assert fields[f"{output(params)}.grad"].answer == 1.0


def test_variant_0_is_the_homework_neuron():
    params = GRAPH.generate(0)
    assert params == g.describe(sigmoid_neuron())
    # the neuron as the homework writes it: w0·x0 + w1·x1 + w2, then 1/(1 + e^−z)
    assert params["inputs"] == [["w0", 2], ["x0", -1], ["w1", -3], ["x1", -2], ["w2", -3]]
    values = evaluate(params)
    assert _close(values["f"], _sigmoid(2 * -1 + -3 * -2 + -3))
    neuron = {n.label: n for n in topological_order(sigmoid_neuron())}
    for f in GRAPH.render(params, "en").fields:
        name, what = f.key.split(".")
        node = neuron[name]
        assert f.answer == pytest.approx(node.data if what == "value" else node.grad)


def test_build_and_describe_round_trip():
    for params in graph_params():
        assert g.describe(g.build(params)) == params


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_read_well(graphs, lang):
    for params, v in zip(graph_params(), graphs[lang]):
        for _, x in params["inputs"]:
            assert isinstance(x, int) or round(x, 1) == x, (v.id, x)   # 2 or 1.5
            assert abs(x) <= 3
        for f in v.fields:
            shown = round(f.answer, 2)
            # nothing that shows as −0,00, and no nonzero number hidden behind 0,00
            assert f.answer == 0 or shown != 0, (v.id, f.key, f.answer)
            assert abs(f.answer) <= 20
            assert math.copysign(1, f.answer) == 1 or f.answer < 0   # no −0.0
        values, grads = reference(params)
        for name, op, *args in params["gates"]:
            a = [values[x] for x in args]
            # each edge's local gradient and its product with the upstream gradient
            for k, x in enumerate(args):
                sub = {"inputs": [[y, values[y]] for y in dict.fromkeys(args)],
                       "gates": [[name, op, *args]]}
                local = reference(sub)[1][x] / args.count(x)
                for shown in (local, local * grads[name]):
                    assert abs(shown) <= 20 and (abs(shown) < 1e-9 or abs(shown) >= 0.005), \
                        (name, x, shown)
            if op == "exp":
                assert -3 <= a[0] <= 3
            if op == "log":
                assert 0.1 <= a[0] <= 20
            if op in ("relu",):
                assert a[0] != 0
            if op == "max":
                assert a[0] != a[1]


def test_gates_forks_and_sizes():
    seen = set()
    forks = 0
    for params in graph_params():
        gates = params["gates"]
        assert 4 <= len(gates) <= 9
        seen |= {kind_of(op) for _, op, *_ in gates}
        used = [x for _, _, *args in gates for x in args]
        forks += any(used.count(x) > 1 for x in set(used))
    lesson_gates = {"+", "-", "*", "/", "^n", "exp", "log", "tanh", "sigmoid", "relu", "max"}
    assert lesson_gates <= seen
    assert {"+c", "*c", "c/x", "c-x", "/c"} <= seen      # the gates with a constant too
    assert forks >= 3


def test_ids_unique_stable_and_the_same_in_both_languages(graphs, signs):
    for kind, variants in ((GRAPH, graphs), (SIGN, signs)):
        ids = [v.id for v in variants["uk"]]
        assert len(set(ids)) == len(ids) == kind.count
        assert ids == [v.id for v in variants["en"]]
        again = [variant_id(kind.name, kind.generate(i)) for i in range(kind.count)]
        assert again == ids
        assert [kind.render(kind.generate(i), "uk").id for i in (0, 1)] == ids[:2]


def test_stepwise_is_the_lesson_rounding_trap():
    rounded = g.stepwise(g.describe(sigmoid_neuron()))
    for name, (_exact, by_hand) in rounding_trap().items():
        assert rounded[name][1] == pytest.approx(by_hand, abs=1e-12), name


def flat(pairs: dict[str, tuple[float, float]]) -> dict[str, float]:
    return {f"{k}.{i}": v for k, vs in pairs.items() for i, v in enumerate(vs)}


def test_stepwise_by_hand():
    # p = x/3 at x = 1: 0.33 on paper; f = p·y at y = 3: 0.99 instead of 1
    # backward: ∂f/∂p = y = 3; ∂f/∂x = 0.33 (local of /3, rounded) × 3 = 0.99; ∂f/∂y = p = 0.33
    params = {"inputs": [["x", 1], ["y", 3]], "gates": [["p", "/3", "x"], ["f", "*", "p", "y"]]}
    assert flat(g.stepwise(params)) == pytest.approx(flat(
        {"x": (1, 0.99), "y": (3, 0.33), "p": (0.33, 3.0), "f": (0.99, 1.0)}))
    # a fork: e = e¹ = 2.72, f = e·e = 7.40 (2.72² = 7.3984); each branch brings 2.72,
    # so ∂f/∂e = 5.44 and ∂f/∂x = 2.72 × 5.44 = 14.7968 → 14.80 (exactly 2e² = 14.78)
    params = {"inputs": [["x", 1]], "gates": [["e", "exp", "x"], ["f", "*", "e", "e"]]}
    assert flat(g.stepwise(params)) == pytest.approx(flat(
        {"x": (1, 14.8), "e": (2.72, 5.44), "f": (7.4, 1.0)}))


@pytest.mark.parametrize("lang", LANGS)
def test_stepwise_fields(graphs, lang):
    differ = 0
    for params, v in zip(graph_params(), graphs[lang]):
        rounded = g.stepwise(params)
        for f in v.fields:
            name, what = f.key.split(".")
            by_hand = rounded[name][0 if what == "value" else 1]
            if round(by_hand, 2) == round(f.answer, 2):
                assert f.stepwise is None
            else:
                differ += 1
                assert f.stepwise == pytest.approx(by_hand)
                # the hint "keep more digits" fits only a near miss
                assert abs(f.stepwise - f.answer) <= 0.1 * max(1, abs(f.answer)), (v.id, f.key)
    assert differ >= 5  # the trap shows up in practice


@pytest.mark.parametrize("lang", LANGS)
def test_mistakes(graphs, lang):
    kinds = {"sign": 0, "local": 0, "branch": 0}
    words = {"uk": ("Протилежний знак", "лише локальний", "лише одна гілка"),
             "en": ("sign is flipped", "only the local", "only one branch")}[lang]
    for params, v in zip(graph_params(), graphs[lang]):
        values, grads = reference(params)
        consumers: dict[str, list[tuple[str, int]]] = {}
        for name, op, *args in params["gates"]:
            for k, x in enumerate(args):
                consumers.setdefault(x, []).append((name, k))
        for f in v.fields:
            shown = {round(f.answer, 2)}
            if f.stepwise is not None:
                shown.add(round(f.stepwise, 2))
            rounded = [round(m, 2) for m, _ in f.mistakes]
            assert len(set(rounded)) == len(rounded) and not set(rounded) & shown, (v.id, f.key)
            name, what = f.key.split(".")
            for value, hint in f.mistakes:
                assert hint
                if words[0] in hint:
                    kinds["sign"] += 1
                    assert value == -f.answer
                elif words[1] in hint:
                    kinds["local"] += 1
                    ((gate, k),) = consumers[name]
                    # the consumer's local derivative, numerically: d gate / d input k
                    gate_row = next(r for r in params["gates"] if r[0] == gate)
                    sub = {"inputs": [[x, values[x]] for x in dict.fromkeys(gate_row[2:])],
                           "gates": [gate_row]}
                    _, d = reference(sub)
                    assert value == pytest.approx(d[name], abs=1e-6)
                else:
                    assert words[2] in hint
                    kinds["branch"] += 1
                    assert len(consumers[name]) > 1
        # every branch share is listed, unless it coincides with another number shown
    assert all(kinds.values()), kinds


def test_fork_shares_add_up():
    # checked exactly on the staged graph of the lesson (x feeds three gates)
    params = GRAPH.generate(1 + 2 * 8)      # the CS231n staged template, first variant
    assert [r[0] for r in params["gates"]][-1] == "f" and params["gates"][0][1] == "sigmoid"
    v = GRAPH.render(params, "en")
    _, grads = reference(params)
    fx = next(f for f in v.fields if f.key == "x.grad")
    shares = [m for m, h in fx.mistakes if "only one branch" in h]
    assert len(shares) == 3 and sum(shares) == pytest.approx(grads["x"], abs=1e-6)


@pytest.mark.parametrize("lang", LANGS)
def test_text_and_figures(graphs, lang):
    other = {"uk": r"\d\.\d", "en": r"\d,\d"}[lang]
    for params, v in zip(graph_params(), graphs[lang]):
        assert v.lang == lang and v.title
        text = re.sub(r"<[^>]+>", " ", v.prompt.split("</p>", 1)[0])
        # the prompt's figure shows no number: only the inputs' values are given
        figure = v.prompt.split("</p>", 1)[1]
        shown = re.findall(r"<(?:text|title|desc)\b[^>]*>([^<]*)<", figure)
        # (gate constants such as ×0,5 stay; every computed number has two decimals)
        assert shown and not re.search(r"\d[.,]\d\d", " ".join(shown)), v.id
        assert not re.search(other, text)
        for name, value in params["inputs"]:
            assert fmt(value, lang, 0 if float(value).is_integer() else 1) in text
        if params == graph_params()[0]:
            # the homework's neuron: the page works it out in #example-2; the solution links there
            assert '<a href="#example-2">' in v.solution and "<svg" not in v.solution
            # the section's name in quotes around the link (its text stays the heading's)
            assert {"uk": "«<a", "en": "“<a"}[lang] in v.solution
            assert {"uk": "</a>»", "en": "</a>”"}[lang] in v.solution
            continue
        # the solution: the filled figure (the narrow drawing, like the prompt) and the chain-rule table
        assert v.solution.count("<svg") == 1 and "figure-scroll" in v.solution and "<table" in v.solution
        _, grads = reference(params)
        assert fmt(grads[params["inputs"][0][0]], lang, 2) in v.solution
        for f in v.fields:
            assert f.label and len(f.label) <= 24, f.label
            assert not re.search(other, f.label + f.hint)
        ids = re.findall(r'id="([^"]+)"', v.prompt + v.solution)
        assert len(ids) == len(set(ids))


def test_uk_labels_and_hints_name_the_node_as_drawn():
    v = GRAPH.render(GRAPH.generate(0), "uk")
    labels = {f.key: f.label for f in v.fields}
    assert labels["a.value"] == "Значення a"
    assert labels["w0.grad"] == "Градієнт ∂f/∂w₀"
    hints = {f.key: f.hint for f in v.fields}
    # the gate as a formula of its real inputs, never the label's placeholder x
    assert hints["x0.grad"] == ("Помножте локальний градієнт ∂a/∂x₀ (a = w₀ × x₀) на градієнт "
                                "від виходу ∂f/∂a.")
    assert hints["m.value"] == "Обчисліть m = −z."
    assert hints["f.value"] == "Обчисліть f = 1 / d."
    # d feeds the output gate: its local gradient is the answer, not one factor of it
    assert hints["d.grad"] == ("d — вхід останньої операції графа, f = 1 / d: знайдіть її "
                               "локальний градієнт за d (градієнт від виходу ∂f/∂f = 1, тож "
                               "відповідь — сам локальний градієнт).")


@pytest.mark.parametrize("lang", LANGS)
def test_value_hints_write_the_gate_over_its_own_inputs(graphs, lang):
    # "Compute r = 2 / t.": the node's name, then a formula naming exactly its inputs
    start = {"uk": "Обчисліть ", "en": "Compute "}[lang]
    from lessons.draw import _name
    for params, v in zip(graph_params(), graphs[lang]):
        rows = {r[0]: r for r in params["gates"]}
        for f in v.fields:
            name, what = f.key.split(".")
            if what != "value":
                continue
            assert f.hint.startswith(f"{start}{_name(name)} = ") and f.hint.endswith("."), f.hint
            formula = f.hint[len(start) + len(_name(name)) + 3:-1]
            for arg in rows[name][2:]:
                assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(_name(arg))}(?![A-Za-z0-9_₀-₉])",
                                 formula), \
                    (f.hint, arg)
            # a placeholder x only where the gate really reads x
            if "x" not in rows[name][2:]:
                assert not re.search(r"(?<![A-Za-z0-9_])x(?![A-Za-z0-9_₀-₉])", formula), f.hint
            assert "«" not in f.hint and "(·)" not in f.hint
    sq = GRAPH.render(GRAPH.generate(1 + 2 * 8), lang)   # the staged graph: v = u²
    assert any(f.hint == f"{start}v = u²." for f in sq.fields)


def test_the_sign_hint_says_paths_where_a_fork_lies_on_the_way(graphs):
    # several paths from f to a node exactly where some node on the way (or the node
    # itself) feeds more than one gate; counted here from the description alone
    for params, v in zip(graph_params(), graphs["en"]):
        users: dict[str, list[str]] = {}
        for name, _, *args in params["gates"]:
            for a in args:
                users.setdefault(a, []).append(name)
        out = output(params)

        def paths(n):
            return 1 if n == out else sum(paths(u) for u in users.get(n, []))

        for f in v.fields:
            name, what = f.key.split(".")
            sign = [h for _, h in f.mistakes if "sign is flipped" in h]
            if what != "grad" or not sign:
                continue
            word = "paths" if paths(name) > 1 else "path"
            assert f" the {word} from f to " in sign[0], (v.id, name, sign[0])


_LOCAL = {"uk": r"(?:[Лл]окальний градієнт|локальних градієнтів) (∂[^/\s]+/∂[^\s(:.,]+)",
          "en": r"local gradients? (∂[^/\s]+/∂[^\s(:.,]+)"}


def _local_named(text: str, lang: str, root: str) -> list[str]:
    """The derivatives a text calls "the local gradient ∂a/∂b", each checked to be a
    gate's own (its numerator not the output's name) and named only once in the text: the
    local gradient of the output gate is the result itself, and a sentence that names one
    derivative as both reads circular."""
    found = re.findall(_LOCAL[lang], text)
    for d in found:
        assert not d.startswith(f"∂{root}/"), text
        assert text.count(d) == 1, text
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_names_one_derivative_as_local_gradient_and_result(graphs, signs, lang):
    from lessons.draw import _name
    out_words = {"uk": "остан", "en": "output gate"}[lang]  # «останньої операції графа» / «остання операція графа»
    named = outs = 0
    for params, v in zip(graph_params(), graphs[lang]):
        root = _name(output(params))
        root_row = params["gates"][-1]
        users = {}
        for name, _, *args in params["gates"]:
            for a in args:
                users.setdefault(a, []).append(name)
        for f in v.fields:
            for text in [f.hint] + [h for _, h in f.mistakes]:
                named += len(_local_named(text, lang, root))
            name, what = f.key.split(".")
            if what == "grad" and users.get(name) == [root_row[0]]:
                # an input of the output gate only: its local gradient is the answer
                outs += 1
                assert out_words in f.hint and f"∂{root}/∂{root}" in f.hint and "1" in f.hint, f.hint
                assert not any("only the local" in h or "лише локальний" in h
                               for _, h in f.mistakes), f.key
    for params, v in zip(sign_params(), signs[lang]):
        root = _name(output(params["graph"]))
        root_row = params["graph"]["gates"][-1]
        uses = [a for _, _, *args in params["graph"]["gates"] for a in args]
        for name, o in zip(params["options"], v.options):
            named += len(_local_named(o.explanation, lang, root))
            assert o.correct or o.explanation.startswith(
                {"uk": "Ні, тут знак правильний: ", "en": "No, this sign is right: "}[lang])
            if name in root_row[2:] and uses.count(name) == 1:
                outs += 1
                # "−1,00 × ∂f/∂f (= 1) = −1,00": the output gate's local gradient is the result
                assert out_words in o.explanation, o.explanation
                assert f"× ∂{root}/∂{root} (= 1) = " in o.explanation, o.explanation
    assert named >= 100 and outs >= 40, (named, outs)


@pytest.mark.parametrize("lang", LANGS)
def test_a_four_decimal_upstream_factor_says_what_the_table_shows(signs, lang):
    # "× ∂f/∂a = −1,00 × 0,1966 (у таблиці — 0,20)": the factor read off the table's
    # gradient column, named, with its two decimals as the table shows them
    from lessons.draw import _name
    dec = re.escape({"uk": ",", "en": "."}[lang])
    seen = 0
    for params, v in zip(sign_params(), signs[lang]):
        _, grads = reference(params["graph"])
        for o in v.options:
            for m in re.finditer(rf"× (∂\S+/∂(\S+)) = \S+ × \(?(−?\d+{dec}\d{{4}})\)? "
                                 rf"\((?:у таблиці — )?(−?\d+{dec}\d\d)(?: in the table)?\)",
                                 o.explanation):
                seen += 1
                upstream = next(n for n in grads if _name(n) == m.group(2))
                assert _value(m.group(3)) == pytest.approx(grads[upstream], abs=1e-4)
                assert m.group(4) == fmt(grads[upstream], lang, 2) != m.group(3)
            # no other four-decimal factor after a ×
            bare = re.findall(rf"× \(?−?\d+{dec}\d{{4}}\)? =", o.explanation)
            assert not bare, o.explanation
    assert seen >= 10, seen


# ---- backprop.sign --------------------------------------------------------------------------

class _Cells(HTMLParser):
    """The rows of the tables in an HTML fragment, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    p = _Cells()
    p.feed(html)
    return p.rows[1:]


@pytest.mark.parametrize("lang", LANGS)
def test_sign_exactly_one_gradient_flipped(signs, lang):
    from lessons.draw import _name
    for params, v in zip(sign_params(), signs[lang]):
        graph = params["graph"]
        values, grads = reference(graph)
        rows = {r[0]: r for r in table_rows(v.prompt)}
        wrong = params["wrong"]
        for name in values:
            row = rows[_name(name)]
            # three columns (node, value, gradient): at 360 px the gradient stays on screen
            # (measured in Chromium: 294 px of the form's 294); header cells as narrow as
            # their words, not the theme's 5rem each
            assert len(row) == 3 and v.prompt.count('<th style="min-width:0') == 3
            assert row[1] == fmt(values[name], lang, 2)
            expected = -grads[name] if name == wrong else grads[name]
            assert row[2] == fmt(expected, lang, 2), (v.id, name)
        # the wrong one differs only in sign, and visibly
        assert round(grads[wrong], 2) != 0
        # the solution names the flipped gradient with its right value and the shown one
        text = re.sub(r"<[^>]+>", "", v.solution)
        assert f"∂f/∂{_name(wrong)}:" in text, v.id  # every graph's output is f
        assert text.startswith({"uk": f"Неправильний знак у градієнті ∂f/∂{_name(wrong)}: ",
                                "en": f"Wrong sign in the gradient ∂f/∂{_name(wrong)}: "}[lang])
        assert {"uk": "прямий і зворотний прохід",
                "en": "the forward and backward passes"}[lang] in v.prompt
        right, shown = fmt(grads[wrong], lang, 2), fmt(-grads[wrong], lang, 2)
        assert re.search(rf"{re.escape(right)}\D+{re.escape(shown)}\.$", text), (v.id, text)


def test_sign_traps_and_options(signs):
    kinds = set()
    for params, v in zip(sign_params(), signs["en"]):
        graph = params["graph"]
        wrong = params["wrong"]
        inputs = [n for n, _ in graph["inputs"]]
        assert wrong in inputs
        uses = [(row, k) for row in graph["gates"] for k, x in enumerate(row[2:]) if x == wrong]
        assert len(uses) == 1           # used once: exactly one gradient goes wrong
        (row, k), = uses
        op = row[1]
        values = evaluate(graph)
        if op == "-" and k == 1 or kind_of(op) == "c-x":
            kinds.add("subtraction")
        elif op == "/" and k == 1 or kind_of(op) == "c/x":
            kinds.add("division")
        elif op == "*":
            assert values[row[2 + (1 - k)]] < 0   # the other factor is negative
            kinds.add("multiplier")
        elif kind_of(op) == "*c":
            kinds.add("multiplier")
        else:
            raise AssertionError(op)
        assert 3 <= len(v.options) <= 5
        assert sum(o.correct for o in v.options) == 1
        assert wrong in params["options"] and output(graph) not in params["options"]
        correct = next(o for o in v.options if o.correct)
        assert correct.explanation.startswith("Yes.")
        assert all(o.explanation.startswith("No, this sign is right: ")
                   for o in v.options if not o.correct)
        assert v.question
    assert kinds == {"subtraction", "division", "multiplier"}
    # variant 0 is the homework neuron, as on the page
    assert SIGN.generate(0)["graph"] == GRAPH.generate(0)


def _value(text: str) -> float:
    return float(text.strip("()").replace("−", "-").replace(",", "."))


def _digits(text: str) -> int:
    return len(re.split(r"[.,]", text)[1]) if re.search(r"[.,]", text) else 0


@pytest.mark.parametrize("lang", LANGS)
def test_sign_explanations_multiply_out(signs, lang):
    """Each explanation's product, recomputed from the factors it writes, gives its result
    as written, and each fork's sum of the branches as written gives the total as written."""
    dec = {"uk": ",", "en": "."}[lang]
    num = r"\(?−?\d+" + re.escape(dec) + r"\d+\)?"
    products = sums = 0
    for v in signs[lang]:
        for o in v.options:
            # the upstream factor may carry how the table shows it: 0,1966 (у таблиці — 0,20)
            for a, b, c in re.findall(rf"({num}) × ({num})(?: \([^)]*\))? = ({num})",
                                      o.explanation):
                products += 1
                assert fmt(_value(a) * _value(b), lang, _digits(c)) == c.strip("()"), \
                    o.explanation
            m = re.search(rf": ((?:−?\d+{re.escape(dec)}\d+(?: [+−] )?)+) = ({num})\.$",
                          o.explanation)
            if m and "×" not in m.group(1):
                sums += 1
                terms = re.findall(rf"([+−]?) ?(\d+{re.escape(dec)}\d+)", m.group(1))
                total = sum((-1 if s == "−" else 1) * _value(t) for s, t in terms)
                assert fmt(total, lang, _digits(m.group(2))) == m.group(2), o.explanation
    assert products >= 50 and sums >= 1, (products, sums)


@pytest.mark.parametrize("lang", LANGS)
def test_graph_solutions_add_up_as_shown_or_say_why(graphs, lang):
    """Every row of a chain-rule table in a solution: local × upstream as shown gives the
    product as shown, and a fork's rounded shares add up to its total, or the solution
    carries the lesson's note that names exactly that row."""
    note_word = {"uk": ("Добутки в таблиці", "Частки в таблиці"),
                 "en": ("The products in the table", "The shares in the table")}[lang]
    noted = 0
    for v in graphs[lang][1:]:   # variant 0 links to the page, which notes its own table
        rows = table_rows(v.solution)
        notes = re.sub(r"<[^>]+>", "", "".join(re.findall(r"<p>.*?</p>", v.solution.split(
            "</table>")[-1])))
        shares: dict[str, list[float]] = {}
        for row in rows:
            edge, local, up, product = row
            if local:
                by_hand = fmt(_value(local) * _value(up), lang, 2)
                shares.setdefault(edge.split(" → ")[0], []).append(_value(product))
                if by_hand != product:
                    noted += 1
                    assert note_word[0] in notes and f"{edge}" in notes, (v.id, row)
                    assert f"{by_hand}" in notes and product in notes
            else:
                name = edge.split(":")[0]
                added = fmt(sum(shares[name]), lang, 2)
                if added != product:
                    noted += 1
                    assert note_word[1] in notes and name in notes, (v.id, row)
        if not notes:
            assert note_word[0] not in v.solution
    assert noted >= 10  # the trap is real: the reviewer counted 29 rows


def test_definitions_of_the_neuron():
    v = SIGN.render(SIGN.generate(0), "en")
    assert ("a = w₀ × x₀; b = w₁ × x₁; s = a + b; z = s + w₂; m = −z; e = exp(m); d = e + 1; "
            "f = 1 / d") in v.prompt


# ---- pure Python ------------------------------------------------------------------------------

def test_imports_and_renders_without_numpy():
    code = (
        "from lessons.practice import graph as g\n"
        "for lang in ('uk', 'en'):\n"
        "    for k in g.KINDS:\n"
        "        for i in (0, 1, k.count - 1):\n"
        "            k.render(k.generate(i), lang)\n"
        "print('ok')\n"
    )
    assert run_without_numpy(code) == "ok"


def test_bad_input():
    with pytest.raises(ValueError, match="i must be"):
        GRAPH.generate(GRAPH.count)
    with pytest.raises(TypeError, match="i must be"):
        SIGN.generate("0")
    with pytest.raises(ValueError, match="undefined"):
        g.build({"inputs": [["x", 1]], "gates": [["f", "*", "x", "y"]]})
    with pytest.raises(ValueError, match="params"):
        g.build({"inputs": []})
    with pytest.raises(ValueError, match="spelled"):
        g.build({"inputs": [["x", 1]], "gates": [["f", "+-1", "x"]]})
    with pytest.raises(ValueError, match="lang"):
        GRAPH.render(GRAPH.generate(0), "de")
