"""The built Lesson 1 pages hold the values a student derives by hand, in each language's style.

Expected numbers are worked out here independently of lessons.backprop: for (x + y)·z at
(−2, 5, −4): q = 3, f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = q = 3. For the neuron,
z = w0·x0 + w1·x1 + w2 = 1, f = σ(1), and every input gradient is σ'(1) = σ(1)(1 − σ(1))
times the other factor of its product (or 1 for w2).
"""

from __future__ import annotations

import math

import pytest
from bs4 import BeautifulSoup

from conftest import page_path
from lessons.i18n import fmt

SIG = 1 / (1 + math.exp(-1.0))
DSIG = SIG * (1 - SIG)
NEURON = {"w0": -1 * DSIG, "x0": 2 * DSIG, "w1": -2 * DSIG, "x1": -3 * DSIG, "w2": DSIG}


def page(site, lang):
    return BeautifulSoup(page_path(site, lang, "backprop").read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_graph_figures_carry_forward_values_and_gradients(site, lang):
    html = page(site, lang)
    svgs = html.select("svg[role=img]")
    assert len(svgs) == 4  # (x+y)z, the neuron gate by gate, the neuron with one σ, staged
    first = svgs[0].get_text(" ")
    for number in (-2, 5, -4, 3, -12, 1):  # values, gradients and the seed 1
        assert fmt(number, lang, 2) in first, number
    neuron = svgs[1].get_text(" ")
    assert fmt(SIG, lang, 2) in neuron
    for grad in NEURON.values():
        assert fmt(grad, lang, 2) in neuron
    for svg in svgs:
        assert svg.find("title") and svg.find("title").get_text(strip=True)


def test_ukrainian_page_uses_the_decimal_comma_and_english_the_point(site):
    uk, en = page(site, "uk").get_text(), page(site, "en").get_text()
    assert "0,73" in uk and "0.73" in en
    assert "0.73" not in uk.replace("f.data", "")  # code output aside, no decimal points


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_answer_and_gradient_check_are_on_the_page(site, lang):
    text = page(site, lang).get_text(" ")
    # the folded answer holds every input gradient of the neuron
    answer = page(site, lang).select_one("details")
    for grad in NEURON.values():
        assert fmt(grad, lang, 2) in answer.get_text(" ")
    # the gradient check prints six decimals of the same numbers
    for grad in NEURON.values():
        assert fmt(grad, lang, 6) in text
    # the rounding trap: rounding every step turns ∂f/∂x0 into 0.40 (hand: see lessons.backprop)
    assert fmt(0.40, lang, 2) in text
