"""Lesson 1's tables against values derived by hand, and the module's promise to import no numpy.

Hand derivations for the neuron at w = (2, −3, −3), x = (−1, −2): z = w0·x0 + w1·x1 + w2 = 1,
m = −z = −1, e = e^m = e^−1, d = 1 + e, f = 1/d = σ(1). Local gradients: ×(−1) → −1,
exp → e^m = e^−1 (no minus: the minus of e^−z lives in the ×(−1) gate), 1/x → −1/d².
∂f/∂x0 = w0·σ'(1) = 2σ(1)(1 − σ(1)).
"""

from __future__ import annotations

import math
import re

import pytest
from conftest import run_without_numpy

from lessons.autograd import Value, topological_order
from lessons.pages.backprop import (
    STAGED_LABELS,
    add_mul,
    answer_table,
    chain_rule_table,
    fork_rounding_note,
    fork_shares,
    check_error,
    gate_patterns_table,
    gradient_check,
    gradient_check_table,
    node_table,
    product_rounding_note,
    rounding_table,
    sigmoid_comparison_table,
    sigmoid_neuron,
    sign_mistakes_table,
    staged,
)
from lessons.i18n import fmt

SIG = 1 / (1 + math.exp(-1.0))
DX0 = 2 * SIG * (1 - SIG)
E = math.exp(-1.0)
D = 1 + E


def body(md: str) -> list[list[str]]:
    """The data rows of a Markdown table, split into stripped cells."""
    return [[c.strip() for c in line.strip("|").split("|")] for line in md.splitlines()[2:]]


def header(md: str) -> list[str]:
    return [c.strip() for c in md.splitlines()[0].strip("|").split("|")]


# ---- the sign traps (audit b1) ------------------------------------------------------------

@pytest.mark.parametrize("lang", ["uk", "en"])
def test_sign_traps_are_the_graphs_own_gates(lang):
    rows = body(sign_mistakes_table(lang))
    gates = [r[0] for r in rows]
    assert gates == ["×(−1)", "exp", "1/x"]
    by_gate = {r[0]: r for r in rows}
    # the correct local gradient of each gate of the eight-gate graph, by hand
    correct = {"×(−1)": -1.0, "exp": E, "1/x": -1 / D**2}
    for gate, value in correct.items():
        assert by_gate[gate][4] == fmt(value, lang, 2), gate       # correct column
        assert by_gate[gate][3] == fmt(-value, lang, 2), gate      # the mistaken one
    # the exp gate of this graph has a positive local gradient: −e^(−z) is not its row
    assert by_gate["exp"][4] == fmt(0.37, lang, 2) and "−" not in by_gate["exp"][4]
    assert "−e" not in by_gate["exp"][1]
    # each single sign mistake flips ∂f/∂x0; the header states the correct value
    for r in rows:
        assert r[5] == fmt(-DX0, lang, 2)
    assert fmt(DX0, lang, 2) in header(sign_mistakes_table(lang))[5]


def test_sign_traps_name_the_mistake_per_row():
    rows = body(sign_mistakes_table("en"))
    assert [r[2] for r in rows] == ["minus dropped", "the minus of ×(−1) counted again",
                                    "minus dropped"]


# ---- the gradient check (audit b10) -------------------------------------------------------

def test_check_error_is_the_cs231n_formula():
    # |a − n| / max(|a|, |n|), by hand
    assert check_error(1.0, 3.0) == pytest.approx(2 / 3)
    assert check_error(-3.0, -1.0) == pytest.approx(2 / 3)
    assert check_error(2.0, -2.0) == pytest.approx(2.0)
    assert check_error(1e-20, 2e-20) == pytest.approx(0.5)   # scale does not matter
    assert check_error(0.0, 0.0) == 0.0 and check_error(5.0, 5.0) == 0.0
    assert check_error(0.0, 1e-9) == pytest.approx(1.0)


def _wrong_backward(x: float = 1.0) -> Value:
    """f = 2x whose "analytic" gradient is deliberately wrong (3 instead of 2)."""
    xv = Value(x, "x")
    f = xv * 2.0
    f.backward()
    xv.grad = 3.0
    return f


def test_gradient_check_uses_the_max_denominator():
    ((name, a, n, err),) = gradient_check(_wrong_backward, {"x": 1.0})
    assert name == "x" and a == 3.0 and n == pytest.approx(2.0, rel=1e-9)
    assert err == pytest.approx(1 / 3, rel=1e-6)  # |3 − 2| / 3, not |3 − 2| / (3 + 2)


def test_gradient_check_table_prints_the_error():
    rows = body(gradient_check_table(_wrong_backward, {"x": 1.0}, "uk"))
    assert rows[0][3] == "3,3·10⁻¹"


def test_gradient_check_agrees_with_hand_gradients():
    rows = {name: (a, n, err) for name, a, n, err in gradient_check(staged, {"x": 3.0, "y": -4.0})}
    sig = lambda t: 1 / (1 + math.exp(-t))  # noqa: E731
    x, y = 3.0, -4.0
    num, den = x + sig(y), sig(x) + (x + y) ** 2
    dx = 1 / den - num / den**2 * (sig(x) * (1 - sig(x)) + 2 * (x + y))
    dy = sig(y) * (1 - sig(y)) / den - num / den**2 * 2 * (x + y)
    assert rows["x"][0] == pytest.approx(dx, rel=1e-12)
    assert rows["y"][0] == pytest.approx(dy, rel=1e-12)
    for a, n, err in rows.values():
        assert err == pytest.approx(abs(a - n) / max(abs(a), abs(n)), rel=1e-12)
        assert err < 1e-7


# ---- labels and number format in the page's language (B3, B4, B14, B15) --------------------

def test_gate_patterns_separate_values_with_semicolons_in_ukrainian():
    uk, en = gate_patterns_table("uk"), gate_patterns_table("en")
    assert f"x = {fmt(3, 'uk')}; y = {fmt(-1.5, 'uk')}" in uk
    assert f"∂/∂x = {fmt(-3, 'uk')}; ∂/∂y = {fmt(6, 'uk')}" in uk  # multiply: swapped inputs ×2
    assert not re.search(r"\d,\d\d, ", uk)  # no comma list separator after a decimal comma
    assert f"x = {fmt(3, 'en')}, y = {fmt(-1.5, 'en')}" in en


def test_staged_intermediate_nodes_are_named_in_the_page_language():
    for lang in ("uk", "en"):
        labels = [n.label for n in topological_order(staged(lang=lang)) if n.op]
        assert set(STAGED_LABELS[lang].values()) <= set(labels)
        assert {"σ(y)", "σ(x)", "x+y", "(x+y)²", "f"} <= set(labels)
    uk = chain_rule_table(staged(lang="uk"), "uk")
    assert "чис → f" in uk and "знам → f" in uk
    assert not re.search(r"\b(num|den|xpy)\b", uk)
    assert "num → f" in chain_rule_table(staged(lang="en"), "en")
    # the names do not change the numbers
    assert staged(lang="uk").data == staged(lang="en").data


def test_staged_rejects_an_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        staged(lang="fr")


def test_node_table_header_has_no_cyrillic_inside_a_formula():
    head = header(node_table(add_mul(), "uk"))
    assert head[1] == "Тип вузла"  # an input is not an operation
    assert not re.search(r"∂[А-Яа-яІіЇїЄєҐґ]", " ".join(head))


# ---- the module runs without numpy (a later page runs it in the browser) --------------------

def test_backprop_imports_and_renders_without_numpy():
    code = (
        "from lessons.pages import backprop as b\n"
        "import lessons.expression\n"
        "for lang in ('uk', 'en'):\n"
        "    b.node_table(b.sigmoid_neuron(), lang); b.chain_rule_table(b.staged(lang=lang), lang)\n"
        "    b.graph_figure(b.add_mul(), lang); b.sign_mistakes_table(lang)\n"
        "    b.rounding_table(lang); b.gate_patterns_table(lang); b.answer_table(b.add_mul(), lang)\n"
        "    b.sigmoid_comparison_table(lang); b.cli_demo(['x * x', 'x=3'], lang)\n"
        "try:\n"
        "    b.gradient_check(b.add_mul, {'x': 1.0, 'y': 2.0, 'z': 3.0})\n"
        "except ImportError:\n"
        "    print('numpy needed only here')\n"
    )
    assert run_without_numpy(code) == "numpy needed only here"


def _staged_x_shares_by_hand(x: float = 3.0, y: float = -4.0) -> list[float]:
    """∂f/∂x of f = (x + σ(y)) / (σ(x) + (x + y)²), one term per use of x, derived by hand."""
    sig = lambda t: 1.0 / (1.0 + math.exp(-t))  # noqa: E731
    num, den = x + sig(y), sig(x) + (x + y) ** 2
    return [1.0 / den,                                       # through the numerator
            -num / den**2 * sig(x) * (1.0 - sig(x)),         # through σ(x)
            -num / den**2 * 2.0 * (x + y)]                   # through (x + y)²


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_fork_rounding_note_gives_both_sums_of_x(lang):
    shares = _staged_x_shares_by_hand()
    rounded = sum(float(f"{s:.2f}") for s in shares)  # each share as the table shows it
    assert fmt(rounded, lang) != fmt(sum(shares), lang)  # the case the note exists for
    note = fork_rounding_note(staged(lang=lang), lang)
    assert "*x*" in note
    assert fmt(rounded, lang) in note and fmt(sum(shares), lang) in note
    assert note.index(fmt(rounded, lang)) < note.index(fmt(sum(shares), lang))
    assert "*y*" not in note  # y's rounded shares do add up to its total


def test_fork_shares_match_the_hand_derivation():
    (x, xs), (y, ys) = fork_shares(staged())
    assert (x.label, y.label) == ("x", "y")
    assert sorted(xs) == pytest.approx(sorted(_staged_x_shares_by_hand()), rel=1e-12)
    assert sum(ys) == pytest.approx(y.grad, rel=1e-12)


def test_fork_rounding_note_rejects_a_non_value():
    with pytest.raises(TypeError, match="root"):
        fork_rounding_note(3.0)


# ---- the chain-rule table of the neuron: products of exact factors (review B1) ----------------

def _neuron_input_edges_by_hand():
    """(edge, local, upstream) of the four product edges: the upstream of a and b is σ'(1),
    and the local gradient of one factor of a product is the other factor."""
    sig = 1 / (1 + math.exp(-1.0))
    dsig = sig * (1 - sig)
    return [("w₁ → b", -2.0, dsig), ("x₁ → b", -3.0, dsig), ("w₀ → a", -1.0, dsig),
            ("x₀ → a", 2.0, dsig)]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_product_rounding_note_names_exactly_the_rows_that_do_not_multiply_out(lang):
    note = product_rounding_note(sigmoid_neuron(), lang)
    for edge, local, up in _neuron_input_edges_by_hand():
        exact = fmt(local * up, lang)
        by_hand = fmt(round(local, 2) * round(up, 2), lang)
        part = f"*{edge}*"
        if exact != by_hand:  # w₁, x₁ and x₀: −0.393 and 0.20 × −2 = −0.40, and so on
            assert part in note, edge
            tail = note[note.index(part):]
            assert tail.index(by_hand) < tail.index(exact), edge
        else:
            assert part not in note, edge
    assert sum(f"*{e}*" in note for e, *_ in _neuron_input_edges_by_hand()) == 3
    # the upper rows (d → f … b → s) multiply out when rounded: the note names no other edge
    assert note.count("→") == 3


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_product_rounding_note_puts_a_negative_second_factor_in_parentheses(lang):
    # p = a × b with a = 0.046, b = 1, f = −3p: the edge b → p has local a = 0.046 and
    # upstream ∂f/∂p = −3; by hand 0.05 × (−3.00) = −0.15, the table's −0.138 shows −0.14
    f = Value(0.046, "a") * Value(1.0, "b") * -3.0
    f.backward()
    note = product_rounding_note(f, lang)
    by_hand = f"{fmt(0.05, lang)} × ({fmt(-3, lang)}) = {fmt(0.05 * -3, lang)}"
    assert by_hand in note and fmt(0.046 * -3, lang) in note
    assert "× −" not in note


def test_product_rounding_note_is_empty_for_whole_numbers_and_checks_its_input():
    assert product_rounding_note(add_mul(), "en") == ""
    with pytest.raises(TypeError, match="root"):
        product_rounding_note(3.0)
    with pytest.raises(TypeError, match="rounding_link"):
        product_rounding_note(sigmoid_neuron(), "en", rounding_link=1)
    assert product_rounding_note(sigmoid_neuron(), "en", rounding_link="#r").endswith(
        " (see [The rounding trap](#r)).")


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_tables_write_input_indices_as_subscripts_like_the_figures(lang):
    f = sigmoid_neuron()
    for text in (answer_table(f, lang), chain_rule_table(f, lang), node_table(f, lang),
                 rounding_table(lang), sigmoid_comparison_table(lang)):
        assert "w₀" in text and "x₁" in text
        assert not re.search(r"[wx][0-9]", text), text


def test_product_note_says_a_repeated_edge_once():
    from lessons.autograd import Value
    from lessons.pages.backprop import product_rounding_note

    x = Value(-2.0, "x")
    s = x * x  # two edges x → s with the same factors
    s.label = "s"
    f = s * Value(0.3333, "z")
    f.label = "f"
    f.backward()
    note = product_rounding_note(f, "uk")
    assert note.count("x → s") == 1, note
