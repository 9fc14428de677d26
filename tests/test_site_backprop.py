"""The built Lesson 1 pages hold the values a student derives by hand, in each language's style.

Expected numbers are worked out here independently of lessons.pages.backprop: for (x + y)·z at
(−2, 5, −4): q = 3, f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = q = 3. For the neuron,
z = w0·x0 + w1·x1 + w2 = 1, f = σ(1), and every input gradient is σ'(1) = σ(1)(1 − σ(1))
times the other factor of its product (or 1 for w2).
"""

from __future__ import annotations

import math
import re

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
    figures = html.select("div.cg-figure")
    assert len(figures) == 4  # (x+y)z, the neuron gate by gate, the neuron with one σ, staged
    # each figure: the wide drawing, and a top-to-bottom one for phones; both carry the numbers
    variants = [f.select(".cg-wide svg[role=img], .cg-narrow svg[role=img]") for f in figures]
    assert all(len(v) == 2 for v in variants)
    for svg in variants[0]:
        for number in (-2, 5, -4, 3, -12, 1):  # values, gradients and the seed 1
            assert fmt(number, lang, 2) in svg.get_text(" "), number
    for svg in variants[1]:
        assert fmt(SIG, lang, 2) in svg.get_text(" ")
        for grad in NEURON.values():
            assert fmt(grad, lang, 2) in svg.get_text(" ")
    # each drawing is named by the figure's title (the narrow one names the wide one's)
    for wide, narrow in variants:
        title = wide.find("title")
        assert title and title.get_text(strip=True)
        for svg in (wide, narrow):
            assert svg["aria-labelledby"].split()[0] == title["id"]


def test_ukrainian_page_uses_the_decimal_comma_and_english_the_point(site):
    uk, en = page(site, "uk"), page(site, "en").get_text()
    for pre in uk.select("pre"):  # code and its raw output keep the dot (DESIGN.md)
        pre.decompose()
    uk = uk.get_text()
    assert "0,73" in uk and "0.73" in en
    assert "0.73" not in uk.replace("f.data", "")  # code aside, no decimal points


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
    # the rounding trap: rounding every step turns ∂f/∂x0 into 0.40 (hand: see lessons.pages.backprop)
    assert fmt(0.40, lang, 2) in text


# ---- the code that teaches is the real, tested source (issue item 8) -----------------------

def _shown_code(site, lang):
    return [pre.get_text("") for pre in page(site, lang).select("article pre")]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_page_shows_the_real_source_of_the_engine(site, lang):
    import inspect
    import textwrap

    from lessons.autograd import Value, topological_order
    from lessons.pages.backprop import check_error
    from lessons.gradcheck import numerical_gradient

    shown = "\n".join(_shown_code(site, lang))
    for obj in (Value.__add__, Value.__mul__, Value._backward, Value.backward, topological_order,
                Value.sigmoid, Value.exp, numerical_gradient, check_error):
        real = textwrap.dedent(inspect.getsource(obj)).rstrip()
        assert real in shown, obj.__qualname__


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_no_markdown_exec_plumbing_in_code_a_reader_sees(site, lang):
    for code in _shown_code(site, lang):
        assert "```" not in code
        # the calls that only render tables and figures stay out of sight
        for call in ("_table(", "graph_figure(", "source(", "print(source", "cli_demo("):
            assert call not in code or "def " + call.rstrip("(") in code, (call, code[:80])


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_sign_section_gives_exp_its_positive_local_gradient(site, lang):
    html = page(site, lang)
    table = html.select_one(".admonition.warning table")
    cells = {tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
             for tr in table.select("tbody tr")}
    assert set(cells) == {"×(−1)", "exp", "1/x"}
    assert cells["exp"][4] == fmt(math.exp(-1.0), lang, 2)       # e^m at m = −1, no minus
    assert cells["1/x"][4] == fmt(-1 / (1 + math.exp(-1.0)) ** 2, lang, 2)
    assert all(row[5] == fmt(-NEURON["x0"], lang, 2) for row in cells.values())


@pytest.mark.parametrize(("lang", "words"), [
    ("uk", ["max(|a|,|n|)", "де a — аналітичний", "а n — чисельний"]),
    ("en", ["max(|a|,|n|)", "where a is the analytic", "n the numerical one"]),
])
def test_gradient_check_defines_a_and_n_and_its_denominator(site, lang, words):
    html = page(site, lang)
    heading = html.select_one("#gradient-check")
    after = []
    for el in heading.find_all_next(["p", "h2"]):
        if el.name == "h2":
            break
        after.append(el.get_text(""))
    squeeze = lambda t: "".join(t.split())  # noqa: E731 - MathML spreads formulas over spans
    text = squeeze(" ".join(after))
    for word in words:
        assert squeeze(word) in text, word
    assert "|a|+|n|)" not in text.split("max(|a|,|n|)")[0]  # the formula used comes first


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_example_3_explains_why_the_rounded_shares_of_x_miss_its_total(site, lang):
    # ∂f/∂x of f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4, one share per use of x
    x, y = 3.0, -4.0
    sig = lambda t: 1.0 / (1.0 + math.exp(-t))  # noqa: E731
    num, den = x + sig(y), sig(x) + (x + y) ** 2
    shares = [1 / den, -num / den**2 * sig(x) * (1 - sig(x)), -num / den**2 * 2 * (x + y)]
    rounded = sum(float(f"{s:.2f}") for s in shares)
    html = page(site, lang)
    table = html.select_one("#example-3").find_next("table")
    note = table.find_next("p").get_text(" ")
    assert fmt(rounded, lang, 2) in note and fmt(sum(shares), lang, 2) in note
    assert fmt(rounded, lang, 2) != fmt(sum(shares), lang, 2)
    assert fmt(sum(shares), lang, 2) in table.get_text(" ")  # the total row the note explains


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_example_2_explains_the_products_that_do_not_multiply_out(site, lang):
    # x₁ → b: local −3 (the other factor), upstream σ'(1) = 0.197;
    # by hand −3.00 × 0.20 = −0.60
    table = page(site, lang).select_one("#example-2").find_next("table").find_next("table")
    note = table.find_next("p")
    text = note.get_text(" ")
    assert fmt(-3 * round(DSIG, 2), lang, 2) in text and fmt(-3 * DSIG, lang, 2) in text
    assert fmt(-3 * round(DSIG, 2), lang, 2) != fmt(-3 * DSIG, lang, 2)
    assert note.select_one('a[href="#rounding"]')


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_cli_paragraph_lists_every_function_the_parser_accepts(site, lang):
    from lessons.expression import FUNCTIONS

    heading = page(site, lang).select_one("#try-your-own")
    # the section's own paragraphs, not the tip box on running the code elsewhere
    paragraphs = [p for p in heading.find_all_next("p", limit=8)
                  if not p.find_parent(class_="admonition")][:3]
    text = " ".join(p.get_text(" ") for p in paragraphs)
    for name in FUNCTIONS:
        assert f"{name}" in text.split(), name


# ---- the byte budget (DESIGN.md: a lesson page under 200 KB, its exercises under 40 KB) ----

PAGE_BUDGET, EXERCISE_BUDGET = 200_000, 40_000


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_page_and_its_exercises_stay_within_the_byte_budget(site, lang):
    raw = page_path(site, lang, "backprop").read_bytes()  # UTF-8: Cyrillic is 2 bytes a letter
    assert len(raw) < PAGE_BUDGET, len(raw)
    # the forms, as served (a form holds no other form, so each ends at the first </form>)
    forms = re.findall(rb'<form class="exercise" data-kind="([^"]+)".*?</form>', raw, re.S)
    spans = [m.span() for m in re.finditer(rb'<form class="exercise".*?</form>', raw, re.S)]
    assert forms == [b"backprop.gate", b"backprop.graph", b"backprop.sign"]
    total = sum(b - a for a, b in spans)
    assert total < EXERCISE_BUDGET, total
    # all three sit in the practice section, after its heading
    assert raw.index(b'id="practice"') < spans[0][0]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_graph_exercise_of_the_homework_neuron_links_to_its_worked_section(site, lang):
    html = page(site, lang)
    form = html.select_one('form.exercise[data-kind="backprop.graph"] details')
    links = form.select('a[href^="#"]')
    assert len(links) == 1
    target = html.find(id=links[0]["href"][1:])
    assert target is not None and target.name == "h2"
    # the link says the section's name as its heading does (without the permalink sign)
    heading = target.get_text().replace("¶", "").strip()
    assert links[0].get_text() == heading
    # the section it points to holds the neuron's filled figure and its chain-rule table
    section = target.find_next("div", class_="cg-figure")
    assert section is not None and target.find_next("table") is not None
