"""Lesson 2's exercises (lessons.practice.normalization) against references of their own.

BatchNorm answers are recomputed here with numpy's own statistics (``np.mean``,
``np.var(ddof=0)`` for the normalization, ``np.var(ddof=1)`` for the running variance) and
PyTorch's update rule written out, ``running = (1 − momentum)·running + momentum·batch``;
the dropout answers from the frameworks' documented meaning, typed below by hand from their
documentation, and from ``lessons.dropout.dropout`` measured on many units; the choice
questions for their structure and for the lesson's numbers they cite.
"""

from __future__ import annotations

import json
import math
import pathlib
import re

import numpy as np
import pytest

from conftest import run_without_numpy
from lessons.dropout import dropout
from lessons.i18n import fmt
from lessons.normalization import BatchNormCache, batchnorm_backward, batchnorm_forward
from lessons.pages import normalization as page
from lessons.practice import variant_id
from lessons.practice.catalog import kinds
from lessons.practice import normalization as m
from lessons.practice.render import exercise_html, variant_html

LANGS = ("uk", "en")
EPS, MOMENTUM = 1e-5, 0.1          # PyTorch's BatchNorm1d defaults (torch.nn.BatchNorm1d docs)


@pytest.fixture(scope="module")
def rendered():
    """Every variant of the three kinds, in both languages, computed once."""
    return {k.name: [(k.generate(i), {lang: k.render(k.generate(i), lang) for lang in LANGS})
                     for i in range(k.count)] for k in m.KINDS}


def fields(v):
    return {f.key: f for f in v.fields}


def near(x, y, digits):
    """The checker's tolerance (docs/assets/practice.js, ``near``)."""
    return abs(x - y) <= 0.5 * 10 ** -digits + 1e-9


# ---- the kinds ----------------------------------------------------------------------------


def test_kinds_are_registered_with_enough_variants():
    found = kinds()
    assert found["normalization.batchnorm"].count >= 30
    assert found["normalization.dropout"].count >= 30
    assert found["normalization.choice"].count >= 12


def test_variant_0_is_the_lessons_own_example():
    bn = m.BATCHNORM.generate(0)
    assert tuple(bn["x"]) == page.BATCH_A
    assert (bn["running_mean"], bn["running_var"]) == (0, 1)        # PyTorch's initial values
    do = m.DROPOUT.generate(0)
    assert do["source"] == "pytorch" and do["value"] == page.dropout_measurement()["p"]
    assert m.CHOICE.generate(0) == {"question": "two-batches"}


# ---- normalization.batchnorm ------------------------------------------------------------


def reference(params):
    """BatchNorm in training mode and PyTorch's running update, from numpy's statistics."""
    x = np.array(params["x"], dtype=float)
    mean, var, unbiased = np.mean(x), np.var(x, ddof=0), np.var(x, ddof=1)
    xhat = (x - mean) / np.sqrt(var + EPS)
    y = params["gamma"] * xhat + params["beta"]
    rm = (1 - MOMENTUM) * params["running_mean"] + MOMENTUM * mean
    rv = (1 - MOMENTUM) * params["running_var"] + MOMENTUM * unbiased
    out = {"mean": mean, "var": var, "running_mean": rm, "running_var": rv}
    out.update({f"xhat{i}": v for i, v in enumerate(xhat, 1)})
    out.update({f"y{i}": v for i, v in enumerate(y, 1)})
    return out, unbiased


def test_batchnorm_answers_match_numpy_and_pytorchs_update(rendered):
    for params, by_lang in rendered["normalization.batchnorm"]:
        expected, _ = reference(params)
        for lang in LANGS:
            got = {k: f.answer for k, f in fields(by_lang[lang]).items()}
            assert got.keys() == expected.keys()
            for key, value in expected.items():
                assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-12), (params, key)


def test_batchnorm_by_hand_on_variant_0():
    # mini-batch A = 3, 1, 0, 2 with γ = 2, β = 0.5: μ = 6/4 = 1.5, σ² = (2.25 + 0.25 + 2.25 +
    # 0.25)/4 = 1.25, unbiased 5/3; running mean 0.9·0 + 0.1·1.5 = 0.15, running variance
    # 0.9·1 + 0.1·5/3 = 1.0667, with the biased variance 0.9 + 0.125 = 1.025 instead
    f = fields(m.BATCHNORM.render(m.BATCHNORM.generate(0), "en"))
    assert near(f["mean"].answer, 1.5, 6) and near(f["var"].answer, 1.25, 4)
    assert near(f["running_mean"].answer, 0.15, 6)
    assert near(f["running_var"].answer, 0.9 + 0.1 * 5 / 3, 6)
    assert any(near(v, 1.025, 6) for v, _ in f["running_var"].mistakes)
    assert near(f["xhat1"].answer, 1.5 / math.sqrt(1.25), 4)
    # rounding every step: √1.25 → 1.12, x̂₂ = −0.5/1.12 = −0.4464 → −0.45, y₂ = 2·(−0.45) + 0.5
    # = −0.40, where the exact y₂ = 2·(−0.4472) + 0.5 = −0.39
    assert f["y2"].stepwise == pytest.approx(-0.40) and round(f["y2"].answer, 2) == -0.39


def test_typical_batchnorm_mistakes_get_their_hints(rendered):
    for params, by_lang in rendered["normalization.batchnorm"]:
        expected, unbiased = reference(params)
        g, b = params["gamma"], params["beta"]
        rm, rv = params["running_mean"], params["running_var"]
        f = fields(by_lang["en"])

        def hint(key, value):
            return next(h for v, h in f[key].mistakes if near(v, value, f[key].digits))

        assert "standard deviation" in hint("var", math.sqrt(expected["var"]))
        assert "unbiased" in hint("var", unbiased)
        assert "biased" in hint("running_var", 0.9 * rv + 0.1 * expected["var"])
        assert "Keras" in hint("running_var", 0.1 * rv + 0.9 * unbiased)
        assert "Keras" in hint("running_mean", 0.1 * rm + 0.9 * expected["mean"])
        for i in range(1, len(params["x"]) + 1):
            xhat = expected[f"xhat{i}"]
            assert "variance" in hint(f"xhat{i}",
                                      (params["x"][i - 1] - expected["mean"]) / expected["var"])
            assert "γ·x̂ + β" in hint(f"y{i}", xhat)
            assert "swapped" in hint(f"y{i}", b * xhat + g)


def by_hand(x, digits=2):
    """Rounding as a student does it on paper: half away from zero."""
    from decimal import ROUND_HALF_UP, Decimal
    return float(Decimal(repr(float(x))).quantize(Decimal(10) ** -digits, ROUND_HALF_UP))


def test_stepwise_is_rounding_the_mean_variance_and_root(rendered):
    count = 0
    for params, by_lang in rendered["normalization.batchnorm"]:
        x = [float(v) for v in params["x"]]
        mu = by_hand(sum(x) / len(x))
        var = by_hand(sum((v - mu) ** 2 for v in x) / len(x))
        std = by_hand(math.sqrt(var + EPS))
        xhat = [by_hand((v - mu) / std) for v in x]
        unbiased = by_hand(var * len(x) / (len(x) - 1))
        expected = {"mean": mu, "var": var, "running_mean": 0.9 * params["running_mean"] + 0.1 * mu,
                    "running_var": 0.9 * params["running_var"] + 0.1 * unbiased}
        for i, xh in enumerate(xhat, 1):
            expected[f"xhat{i}"] = xh
            expected[f"y{i}"] = params["gamma"] * xh + params["beta"]
        for f in by_lang["uk"].fields:
            if f.stepwise is None:   # left out only where it is the answer as shown
                assert near(expected[f.key], f.answer, f.digits), (params, f.key)
                continue
            count += 1
            assert not near(f.stepwise, f.answer, f.digits), f.key
            assert f.stepwise == pytest.approx(expected[f.key]), (params, f.key)
    assert count >= 10   # the rounding trap is real in many variants
    trapped = sum(any(f.stepwise is not None for f in by_lang["uk"].fields)
                  for _, by_lang in rendered["normalization.batchnorm"])
    assert trapped >= len(rendered["normalization.batchnorm"]) // 4


def test_batchnorm_inputs_read_well(rendered):
    for params, by_lang in rendered["normalization.batchnorm"]:
        assert 4 <= len(params["x"]) <= 6
        for v in params["x"] + [params[k] for k in ("gamma", "beta", "running_mean",
                                                     "running_var")]:
            assert v == round(v, 1), params
        assert params["gamma"] != params["beta"]


# ---- both numeric kinds -----------------------------------------------------------------


NUMERIC = ("normalization.batchnorm", "normalization.dropout")


@pytest.mark.parametrize("name", NUMERIC)
def test_hints_never_fire_on_a_right_answer(rendered, name):
    for params, by_lang in rendered[name]:
        for f in by_lang["uk"].fields:
            tol = 0.5 * 10 ** -f.digits
            right = [f.answer] + ([f.stepwise] if f.stepwise is not None else [])
            for value, _ in f.mistakes:
                assert all(abs(value - r) > 2 * tol for r in right), (params, f.key, value)
            assert len({round(v, f.digits) for v, _ in f.mistakes}) == len(f.mistakes)


@pytest.mark.parametrize("name", NUMERIC)
def test_no_shown_value_rounds_to_minus_zero(rendered, name):
    for params, by_lang in rendered[name]:
        for lang in LANGS:
            v = by_lang[lang]
            for f in v.fields:
                for x in [f.answer] + ([f.stepwise] if f.stepwise is not None else []):
                    # the solve button writes answer.toFixed(digits): "-0.00" for a tiny negative
                    assert x == 0 or abs(x) >= 10 ** -f.digits, (params, f.key, x)
            assert "−0,00" not in v.solution and "−0.00" not in v.solution


def parse(text, lang):
    """The checker's reading of a typed number (practice.js ``parse``), for what solve writes."""
    text = text.replace("\u2212", "-")
    if lang == "uk":
        text = text.replace(",", ".")
    return float(text)


_INPUT = re.compile(r'data-answer="([^"]+)" data-digits="(\d)"(?: data-stepwise="[^"]+")?'
                    r"(?: data-mistakes='([^']*)')?")


@pytest.mark.parametrize("name", NUMERIC)
def test_every_solution_passes_the_checker(rendered, name):
    # what "Show solution" fills in (toFixed, comma on Ukrainian pages) is judged right
    for _, by_lang in rendered[name]:
        for lang in LANGS:
            v = by_lang[lang]
            found = _INPUT.findall(variant_html(v))
            assert len(found) == len(v.fields)
            for (text, digits, mistakes), f in zip(found, v.fields):
                answer, digits = float(text), int(digits)
                assert answer == pytest.approx(f.answer)
                shown = f"{answer:.{digits}f}"
                if lang == "uk":
                    shown = shown.replace(".", ",")
                assert near(parse(shown.replace("-", "\u2212"), lang), answer, digits)
                for mistake, _ in json.loads(mistakes.replace("&#x27;", "'") or "[]"):
                    assert not near(mistake, answer, digits)


def test_batchnorm_statement_gives_the_batch_size(rendered):
    for params, by_lang in rendered["normalization.batchnorm"]:
        n = len(params["x"])
        assert f"міні-пакет з N = {n} значень однієї ознаки" in by_lang["uk"].prompt
        assert f"mini-batch of N = {n} values of a single feature" in by_lang["en"].prompt


_ARITH = {"uk": r"[\d\s,×/+−()²]+", "en": r"[\d\s.×/+−()²]+"}
_SHOWN = {"uk": r"−?\d+(?:,\d+)?", "en": r"−?\d+(?:\.\d+)?"}


def equations(html, lang):
    """(left side, sign, shown result) of every "a × b = c" / "≈" in a solution's list items:
    the arithmetic just before the sign, as a Python expression, and the number after it."""
    found = []
    for item in re.findall(r"<li>(.*?)</li>", html):
        text = re.sub(r"<[^>]+>", "", item)
        terms = re.split(r" ([=≈]) ", text)
        for left, sign, right in zip(terms[0:-2:2], terms[1::2], terms[2::2]):
            shown = re.match(_SHOWN[lang], right)
            arith = re.search(_ARITH[lang] + "$", left)
            if not shown or not arith or not re.search(r"\d", arith.group()):
                continue
            expr = arith.group().strip()
            while expr.count(")") > expr.count("("):      # a label's "(…)" cut in half
                expr = expr[expr.index(")") + 1:].strip()
            digits = shown.group().partition("," if lang == "uk" else ".")[2]
            def num(t):
                t = t.replace("−", "-").replace("×", "*").replace("²", "**2")
                return eval(t.replace(",", ".") if lang == "uk" else t)   # noqa: S307
            found.append((num(expr), sign, num(shown.group()), len(digits), expr))
    return found


@pytest.mark.parametrize("name", NUMERIC)
def test_equals_only_where_the_shown_operands_give_the_shown_result(rendered, name):
    # F25: "=" only where the operands as shown give the result as shown exactly; "≈" where a
    # shown operand or the result is rounded (and then the result is still the right rounding)
    count = 0
    for params, by_lang in rendered[name]:
        for lang in LANGS:
            for value, sign, shown, digits, expr in equations(by_lang[lang].solution, lang):
                count += 1
                if sign == "=":
                    assert math.isclose(value, shown, abs_tol=1e-9), (params, lang, expr, shown)
                else:
                    # N13: the shown result is what the shown operands give, rounded, and
                    # that rounding is no tie (2,7847 × 6/5 is 3,3416, not 3,3417)
                    assert not math.isclose(value, shown, abs_tol=1e-9), (params, lang, expr)
                    half = 0.5 * 10 ** -digits
                    assert abs(value - shown) < half - 1e-9, (params, lang, expr, shown)
    per_variant = {"normalization.batchnorm": 5, "normalization.dropout": 2}[name]
    assert count >= per_variant * 2 * len(rendered[name])


def test_unbiased_variance_from_a_rounded_variance_is_approximate():
    # 3, 1, 0, 2, 5, 4: σ² = 17.5/6 = 2.916666…, shown 2,9167; × 6/5 is 3.5 exactly, but the
    # shown 2,9167 × 6/5 = 3.50004: the line must say ≈
    params = {"x": [3, 1, 0, 2, 5, 4], "gamma": 2, "beta": 0.5, "running_mean": 0,
              "running_var": 1}
    sol = m.BATCHNORM.render(params, "uk").solution
    assert "2,9167 × 6/5 ≈ 3,5000" in sol
    assert "0,9 × 1 + 0,1 × 3,5000 = 1,250" in sol
    # no dropout variant needs it today, but the paper's 0.75 × 2.5 = 1.875 shows as 1,88
    paper = m.DROPOUT.render({"source": "paper", "value": 0.75, "a": 2.5}, "uk").solution
    assert "0,75 × 2,5 ≈ 1,88" in paper


# ---- normalization.dropout --------------------------------------------------------------

# What each source's number means and when it rescales, typed from the documentation:
# PyTorch nn.Dropout: "p – probability of an element to be zeroed", "outputs are scaled by a
# factor of 1/(1−p) during training"; Keras Dropout: "rate: fraction of the input units to
# drop", "inputs not set to 0 are scaled up by 1/(1 − rate)"; TF2 tf.nn.dropout: "rate: the
# probability that each element is dropped", kept ones "scaled up by 1/(1 − rate)"; TF 1.15
# tf.nn.dropout: "keep_prob: the probability that each element is kept", "scaled up by
# 1/keep_prob"; Srivastava et al. 2014: "retained with probability p during training, the
# outgoing weights of that unit are multiplied by p at test time".
DOCUMENTED = {"pytorch": ("drop", "training"), "keras": ("drop", "training"),
              "tf2": ("drop", "training"), "tf1": ("keep", "training"),
              "paper": ("keep", "inference")}


def test_the_conventions_table_matches_the_documentation():
    assert {k: (c.number, c.scales) for k, c in m.CONVENTIONS.items()} == DOCUMENTED
    assert "p=" in m.CONVENTIONS["pytorch"].code and "rate=" in m.CONVENTIONS["keras"].code
    assert "keep_prob=" in m.CONVENTIONS["tf1"].code and "rate=" in m.CONVENTIONS["tf2"].code


def test_dropout_answers_follow_the_documented_meaning(rendered):
    sources = set()
    for params, by_lang in rendered["normalization.dropout"]:
        number, scales = DOCUMENTED[params["source"]]
        sources.add(params["source"])
        v, a = params["value"], params["a"]
        keep = 1 - v if number == "drop" else v
        factor = 1 / keep if scales == "training" else 1
        expected = {"keep": keep, "train_factor": factor, "expected": keep * factor * a,
                    "infer_factor": 1 if scales == "training" else keep}
        for lang in LANGS:
            got = {k: f.answer for k, f in fields(by_lang[lang]).items()}
            assert got == pytest.approx(expected), params
    assert sources == set(DOCUMENTED)


def test_dropout_measured_on_many_units_matches_the_answers(rendered):
    # lessons.dropout follows PyTorch: dropout(x, p) zeroes with probability p, scales by
    # 1/(1 − p); the paper's rule is the same mask without scaling, times keep at test time
    n = 200_000
    for j, (params, by_lang) in enumerate(rendered["normalization.dropout"]):
        f = {k: x.answer for k, x in fields(by_lang["en"]).items()}
        x = np.full(n, float(params["a"]))
        out = dropout(x, 1 - f["keep"], rng=j)
        kept = out != 0
        assert abs(kept.mean() - f["keep"]) < 0.01
        if DOCUMENTED[params["source"]][1] == "training":
            assert np.allclose(out[kept], f["train_factor"] * params["a"])
            assert abs(out.mean() - f["expected"]) < 0.02 * params["a"]
            assert np.array_equal(dropout(x, 1 - f["keep"], training=False), x * f["infer_factor"])
        else:
            unscaled = out * f["keep"]              # the survivors at their own value
            assert np.allclose(unscaled[kept], params["a"] * f["train_factor"])
            assert abs(unscaled.mean() - f["expected"]) < 0.02 * params["a"]
            # at test time the paper's factor gives the training expectation back
            assert f["infer_factor"] * params["a"] == pytest.approx(f["expected"])


def test_the_reading_the_other_way_gets_its_hint(rendered):
    for params, by_lang in rendered["normalization.dropout"]:
        f = fields(by_lang["en"])["keep"]
        v = params["value"]
        other = v if DOCUMENTED[params["source"]][0] == "drop" else 1 - v
        assert any(near(v, other, 2) for v, _ in f.mistakes), params


def test_dropout_statement_shows_the_value_as_the_source_writes_it():
    v = m.DROPOUT.render(m.DROPOUT.generate(0), "uk")
    assert "<code>nn.Dropout(p=0.7)</code>" in v.prompt       # code keeps the dot
    paper = next(m.DROPOUT.render(m.DROPOUT.generate(i), "uk") for i in range(m.DROPOUT.count)
                 if m.DROPOUT.generate(i)["source"] == "paper")
    assert re.search(r"p = 0,\d", paper.prompt) and "Srivastava" in paper.prompt


# ---- normalization.choice ---------------------------------------------------------------


def test_choice_questions_follow_the_contract(rendered):
    for params, by_lang in rendered["normalization.choice"]:
        uk, en = by_lang["uk"], by_lang["en"]
        assert 3 <= len(uk.options) <= 4 and len(uk.options) == len(en.options)
        assert sum(o.correct for o in uk.options) == 1
        assert [o.correct for o in uk.options] == [o.correct for o in en.options]
        for o_uk, o_en in zip(uk.options, en.options):
            assert o_uk.explanation.strip() and o_en.explanation.strip()
            assert o_uk.text != o_en.text and not o_uk.text.endswith(".")
            assert "{" not in o_uk.explanation + o_en.explanation
        assert uk.question and en.question and re.search(r'href="#[a-z-]+"', uk.solution)
    # the right answer is not always in the same place
    places = {[o.correct for o in by["uk"].options].index(True)
              for _, by in rendered["normalization.choice"]}
    assert len(places) >= 3


def test_no_option_ends_in_a_colon_clause(rendered):
    # the no-JS folded solution writes "✓ option. explanation" (render.py), and explanations
    # often open with «Правильно:»: an option with a colon clause of its own reads as a chain
    for _, by_lang in rendered["normalization.choice"]:
        for lang in LANGS:
            for o in by_lang[lang].options:
                assert ":" not in re.sub(r"<code>.*?</code>", "", o.text), o.text


def test_a_right_answer_is_confirmed_with_yes_or_with_right_after_a_no(rendered):
    # F4 and N19: the right option «Ні, …» is confirmed with «Правильно: …», never «Так: …»;
    # every other right option with «Так» ("Yes"), so «Правильно» marks only the «Ні» case
    for _, by_lang in rendered["normalization.choice"]:
        for lang, no, yes, right in (("uk", "Ні", "Так", "Правильно:"),
                                     ("en", "No", "Yes", "Right:")):
            for o in by_lang[lang].options:
                if o.correct:
                    expected = right if o.text.startswith(no) else yes
                    assert o.explanation.startswith(expected), o.explanation
                else:
                    assert not o.explanation.startswith(right), o.explanation


def test_a_batch_of_one_leaves_only_beta_with_a_gradient():
    # F1: with N = 1, x − μ = 0, so x̂ = 0: ∂L/∂γ = Σ g·x̂ = 0 and the input gradient is 0;
    # only β gets Σ g. batchnorm_forward refuses N = 1 (as PyTorch does), so the cache is
    # written out by hand, and a batch of two shows that γ's gradient is not always zero
    with pytest.raises(ValueError, match="at least 2"):
        batchnorm_forward([[3.0]], [2.0], [0.5])
    gamma = np.array([2.0])
    inv_std = 1 / np.sqrt(np.array([0.0]) + EPS)
    cache = BatchNormCache(np.zeros((1, 1)), gamma, inv_std, np.array([3.0]), np.array([0.0]))
    g = np.array([[1.7]])
    dx, dgamma, dbeta = batchnorm_backward(g, cache)
    assert dgamma.tolist() == [0.0] and np.allclose(dx, 0) and dbeta.tolist() == [1.7]
    _, two = batchnorm_forward([[3.0], [1.0]], gamma, [0.5])
    assert batchnorm_backward([[1.7], [0.2]], two)[1][0] != 0
    uk, en = (next(o for o in m.CHOICE.render({"question": "batch-of-one"}, lang).options
                   if o.text.startswith(("γ", "γ"))) for lang in LANGS)
    assert not uk.correct and "β градієнт отримує" in uk.explanation
    assert "градієнт γ (Σ g·x̂) завжди нульовий, бо x̂ = 0" in uk.explanation
    assert "γ's gradient (Σ g·x̂) is always zero because x̂ = 0" in en.explanation


def test_two_examples_normalize_to_plus_or_minus_one():
    # N1: with N = 2, x − μ = ±d/2 and σ² = d²/4, so x̂ = ±(d/2)/√(d²/4 + ε): ±1 up to ε,
    # whatever the two values; the explanation of the "nothing happens" option says so
    for a, b in ((3.0, 1.0), (-2.0, 7.5), (0.1, 0.3), (100.0, 40.0)):
        out, _ = batchnorm_forward([[a], [b]], [1.0], [0.0])
        half = abs(a - b) / 2
        assert np.allclose(np.abs(out[:, 0]), 1, atol=EPS / half ** 2)
        assert np.sign(out[0, 0]) == np.sign(a - b)
    uk, en = (next(o for o in m.CHOICE.render({"question": "small-batches"}, lang).options
                   if not o.correct and o.text.startswith(("Нічого", "Nothing")))
              for lang in LANGS)
    assert "статистиками двох прикладів (для BatchNorm1d на входах (N, D) x̂ тоді завжди ≈ ±1)" in uk.explanation
    assert "ковзними статистиками" in uk.explanation
    assert "two-example statistics (for BatchNorm1d on (N, D) inputs, x̂ is then always about ±1)" in en.explanation
    assert "mismatch" in en.explanation


def texts(v):
    """Every piece of a variant a reader sees, tags left out."""
    parts = [v.title, v.prompt, v.question or "", v.solution]
    parts += [t for o in v.options for t in (o.text, o.explanation)]
    parts += [t for f in v.fields for t in (f.label, f.hint or "", *(h for _, h in f.mistakes))]
    return [re.sub(r"<[^>]+>", "", t) for t in parts]


# opening and closing quotes of each level: Ukrainian «…» with „…“ inside, English “…”
# with ‘…’ inside (the Ukrainian „…“ closes with the English opening “)
QUOTES = {"uk": {"«": "»", "„": "“"}, "en": {"“": "”", "‘": "’"}}


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_nests_quotes_of_the_same_kind(rendered, lang):
    # N2, N3: «… «p(0.7)»» and “… “p(0.7)”” read badly; the inner pair is „…“ / ‘…’
    pairs = QUOTES[lang]
    closers = {c: o for o, c in pairs.items()}
    count = 0
    for variants in rendered.values():
        for _, by_lang in variants:
            for text in texts(by_lang[lang]):
                open_ = []
                for ch in text:
                    if ch in pairs:
                        assert ch not in open_, text
                        open_.append(ch)
                        count += 1
                    elif ch in closers:     # English apostrophes are straight (N21)
                        assert open_ and open_.pop() == closers[ch], text
                assert not open_, text
    assert count > 0
    cited = re.sub(r"<[^>]+>", "", m.CHOICE.render({"question": "p07"}, lang).solution)
    assert {"uk": "запис „p(0.7)“»", "en": "notation ‘p(0.7)’ means”"}[lang] in cited


def test_english_uses_the_sites_apostrophe(rendered):
    # N21: one apostrophe in the English exercises, the one most of the English pages use
    # (prose only: fenced and inline code left out)
    found = {"'": 0, "’": 0}
    docs = pathlib.Path(m.__file__).parents[2] / "docs" / "en"
    for page_md in docs.glob("*.md"):
        prose = re.sub(r"```.*?```|`[^`]*`", "", page_md.read_text(encoding="utf-8"), flags=re.S)
        for mark in re.findall(r"[A-Za-z](['’])[A-Za-z]", prose):
            found[mark] += 1
    site = max(found, key=found.get)
    other = "’" if site == "'" else "'"
    assert found[site] > found[other]
    uses = 0
    for variants in rendered.values():
        for _, by_lang in variants:
            for text in texts(by_lang["en"]):
                assert not re.search(f"[A-Za-z]{other}[A-Za-z]", text), text
                uses += len(re.findall(f"[A-Za-z]{site}[A-Za-z]", text))
    assert uses > 0


def exact_batchnorm(params):
    """The rational statistics of a variant, exactly: μ, σ², the unbiased σ², x − μ and the
    running mean and variance after PyTorch's update (momentum 1/10)."""
    from fractions import Fraction as F
    x = [F(str(v)) for v in params["x"]]
    n, mom = len(x), F(1, 10)
    mean = sum(x) / n
    var = sum((v - mean) ** 2 for v in x) / n
    unbiased = var * n / (n - 1)
    rm = (1 - mom) * F(str(params["running_mean"])) + mom * mean
    rv = (1 - mom) * F(str(params["running_var"])) + mom * unbiased
    return mean, var, unbiased, [v - mean for v in x], rm, rv


def is_tie(q, digits):
    """A rational q halfway between two numbers of ``digits`` decimals: 2·|q|·10^digits is
    an odd integer."""
    twice = 2 * abs(q) * 10 ** digits
    return twice.denominator == 1 and twice.numerator % 2 == 1


def half_up(q, digits, lang):
    """q written with ``digits`` decimals, rounded as by hand, in the page's notation."""
    from decimal import ROUND_HALF_UP, Decimal
    d = (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal(10) ** -digits,
                                                                  ROUND_HALF_UP)
    text = f"{d:.{digits}f}".replace("-", "−")
    return text.replace(".", ",") if lang == "uk" else text


def test_no_shown_number_is_a_rounding_tie(rendered):
    # N13: 0,9 × 0,5 + 0,1 × 2,0750 = 0,6575 is a tie at three decimals (by hand 0,658,
    # in floating point 0,657): such candidates are skipped, so every shown rational value
    # has one rounding, and the solution shows it
    from fractions import Fraction as F
    for params, by_lang in rendered["normalization.batchnorm"]:
        mean, var, unbiased, dev, rm, rv = exact_batchnorm(params)
        shown = [(mean, 2), (var, 2), (var, 4), (unbiased, 4), (rm, 3), (rv, 3)]
        shown += [(d, 2) for d in dev]
        for q, digits in shown:
            assert not is_tie(q, digits), (params, q, digits)
        for lang in LANGS:
            sol = by_lang[lang].solution
            for q, digits in ((var, 4), (unbiased, 4), (rm, 3), (rv, 3)):
                assert half_up(q, digits, lang) in sol, (params, lang, q)
    for params, by_lang in rendered["normalization.dropout"]:
        number, scales = DOCUMENTED[params["source"]]
        v, a = F(str(params["value"])), F(str(params["a"]))
        keep = 1 - v if number == "drop" else v
        # the expected output: the activation itself in inverted dropout, keep × a otherwise
        for q in (keep, 1 / keep, a if scales == "training" else keep * a):
            assert not is_tie(q, 2), (params, q)
    assert is_tie(F("0.6575"), 3) and not is_tie(F("0.6574"), 3) and is_tie(F("-1.125"), 2)


def test_the_probability_of_keeping_is_written_one_way():
    # N27: «1 − 0,7 = 0,3», then «ділять на 0,3» and «0,3 × 1 / 0,3»: never 0,30 beside 0,3
    count = 0
    for i in range(m.DROPOUT.count):
        params = m.DROPOUT.generate(i)
        number, scales = DOCUMENTED[params["source"]]
        keep = round(1 - params["value"], 10) if number == "drop" else params["value"]
        for lang in LANGS:
            sol = re.sub(r"<[^>]+>", " ", m.DROPOUT.render(params, lang).solution)
            short, value = (f"{x:g}".replace(".", "," if lang == "uk" else ".")
                            for x in (keep, params["value"]))
            written = []
            if number == "drop":
                count += 1
                assert f"1 − {value} = {short}." in sol, (params, sol)
            if scales == "training":
                written += re.findall(r"(?:ділять на|divided by) (\S+):", sol)
                written += re.findall(r"(\S+) × \S+ / (\S+) =", sol)[0]
            else:
                written += re.findall(r"(\S+) × \S+ [=≈]", sol)
            assert written and set(written) == {short}, (params, lang, written)
    assert count >= 10


def test_no_gamma_fills_the_batchnorm_variants(rendered):
    # N14: γ = 0,5 was in 19 of 36 variants; each candidate now tries the least-used γ first
    from collections import Counter
    gammas = Counter(params["gamma"] for params, _ in rendered["normalization.batchnorm"])
    assert len(gammas) >= 5
    assert max(gammas.values()) <= len(rendered["normalization.batchnorm"]) // 4, gammas


def test_choice_links_point_to_headings_of_the_page():
    md = (page.__file__.rsplit("/lessons/", 1)[0] + "/docs/{}/normalization.md")
    for lang in LANGS:
        text = open(md.format(lang), encoding="utf-8").read()
        for section, (anchor_text) in m._SECTIONS.items():
            heading = re.search(r"^#+ (.+) \{ #" + re.escape(section) + r" \}$", text, re.M)
            assert heading and heading.group(1) == anchor_text[lang], (lang, section)


def answer(key, lang):
    v = m.CHOICE.render({"question": key}, lang)
    return next(o for o in v.options if o.correct)


def test_eval_and_mc_dropout_questions_say_what_is_switched():
    assert "running statistics" in answer("eval", "en").text
    assert "dropout is turned off" in answer("eval", "en").text
    assert answer("mc", "en").text == "Dropout on, BatchNorm on its running statistics"
    assert "ковзні" in answer("eval", "uk").text and "ковзні" in answer("mc", "uk").text


@pytest.mark.parametrize("lang", LANGS)
def test_the_two_batches_question_cites_the_lessons_numbers(lang):
    v = m.CHOICE.render(m.CHOICE.generate(0), lang)
    for batch in (page.BATCH_A, page.BATCH_B):
        x = np.array(batch)
        out = (page.SAMPLE - x.mean()) / np.sqrt(x.var() + EPS)     # training mode, γ = 1, β = 0
        assert fmt(out, lang) in v.prompt
        assert fmt(x.mean(), lang) in answer("two-batches", lang).explanation
    # evaluation mode: both rows of the lesson's table give the same output, the one cited
    evaluation = {round(r.output, 9) for r in page.train_eval_demo() if not r.training}
    assert len(evaluation) == 1
    wrong = [o.explanation for o in v.options if not o.correct]
    shown = fmt(evaluation.pop(), lang)
    assert any(shown in e for e in wrong)


# ---- ids, languages, bad input ----------------------------------------------------------


def test_ids_are_stable_unique_and_language_neutral(rendered):
    for name, variants in rendered.items():
        ids = [by["uk"].id for _, by in variants]
        assert len(set(ids)) == len(ids), name
        for params, by in variants:
            assert by["uk"].id == by["en"].id == variant_id(name, json.loads(json.dumps(params)))
    k = m.BATCHNORM
    assert [k.generate(i) for i in range(k.count)] == [k.generate(i) for i in range(k.count)]


def test_statements_are_in_the_pages_language(rendered):
    for name, variants in rendered.items():
        for _, by in variants:
            uk = by["uk"]
            # code keeps its dot, and so does the homework's notation «p(0.7)»; a link names
            # a section by its number (2.1.)
            text = re.sub(r"<code>.*?</code>|<a .*?</a>|«p\(0\.7\)»", "", uk.prompt + uk.solution)
            assert not re.search(r"\d\.\d", text), (name, text)
            assert re.search("[а-яіїєґ]", uk.prompt + uk.title)
            en = by["en"]
            assert not re.search("[а-яіїєґ]", en.prompt + en.solution + en.title)
            assert not re.search(r"\d,\d", re.sub(r"<code>.*?</code>", "", en.prompt))


def test_field_labels_start_with_a_capital_as_on_lessons_1_and_3(rendered):
    for name in NUMERIC:
        for _, by_lang in rendered[name]:
            for lang in LANGS:
                for f in by_lang[lang].fields:
                    first = f.label[0]
                    assert not first.isalpha() or first.isupper() or first in "xyx̂", f.label


def test_the_kind_module_imports_without_numpy():
    code = ("from lessons.practice.catalog import kinds\n"
            "print(sorted(k for k in kinds() if k.startswith('normalization.')))\n")
    assert run_without_numpy(code) == ("['normalization.batchnorm', 'normalization.choice', "
                                       "'normalization.dropout']")


@pytest.mark.parametrize("lang", LANGS)
def test_the_forms_on_the_page_are_small(lang):
    # the Lesson 2 page may grow by less than 30 KB for its three forms (DESIGN.md budgets)
    total = sum(len(exercise_html(k, lang).encode()) for k in m.KINDS)
    assert total < 28_000, total


BN0 = m.BATCHNORM.generate(0)


@pytest.mark.parametrize("call,error,name", [
    (lambda: m.BATCHNORM.generate(-1), ValueError, "i"),
    (lambda: m.DROPOUT.generate(m.DROPOUT.count), ValueError, "i"),
    (lambda: m.CHOICE.generate("0"), TypeError, "i"),
    (lambda: m.BATCHNORM.render([], "en"), TypeError, "params"),
    (lambda: m.BATCHNORM.render({"x": [1, 2]}, "en"), ValueError, "params"),
    (lambda: m.BATCHNORM.render({**BN0, "x": [1]}, "en"), ValueError, "params['x']"),
    (lambda: m.BATCHNORM.render({**BN0, "x": "1234"}, "en"), TypeError, "params['x']"),
    (lambda: m.BATCHNORM.render({**BN0, "gamma": "2"}, "en"), TypeError, "params['gamma']"),
    (lambda: m.BATCHNORM.render({**BN0, "running_var": 0}, "en"), ValueError,
     "params['running_var']"),
    (lambda: m.BATCHNORM.render(BN0, "de"), ValueError, "lang"),
    (lambda: m.DROPOUT.render({"source": "mxnet", "value": 0.5, "a": 1}, "en"), ValueError,
     "params['source']"),
    (lambda: m.DROPOUT.render({"source": "keras", "value": 1.0, "a": 1}, "en"), ValueError,
     "params['value']"),
    (lambda: m.DROPOUT.render({"source": "keras", "value": 0.2, "a": None}, "en"), TypeError,
     "params['a']"),
    (lambda: m.CHOICE.render({"question": "nope"}, "uk"), ValueError, "params['question']"),
    (lambda: m.CHOICE.render({}, "uk"), ValueError, "params"),
    (lambda: m.CHOICE.render({"question": "eval"}, "fr"), ValueError, "lang"),
])
def test_bad_input_names_the_parameter(call, error, name):
    with pytest.raises(error, match=re.escape(name)):
        call()


def test_the_swapped_hint_never_names_a_sign_slip(rendered):
    # with γ = −β, swapping them gives exactly −y: a student who only slipped a sign would be
    # told γ and β were swapped (and with γ = β the swap gives the right y)
    for params, _ in rendered["normalization.batchnorm"]:
        assert params["gamma"] not in (params["beta"], -params["beta"]), params
