"""The exercise machinery (lessons.practice) and Lesson 1's kind "one gate at a time".

Every answer is checked against central differences of the gate written with ``math``
(not with ``lessons.autograd``, which computed it); the form against the DOM contract of
DESIGN.md; the variant files for deterministic bytes; the command line for its output and
its errors. The checker itself (docs/assets/practice.js) runs in tests/test_practice_browser.py.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import subprocess
import sys
import types

import numpy as np
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_without_numpy
from lessons.gradcheck import numerical_gradient
from lessons.i18n import LANGS, fmt
from lessons.practice import Field, Option, Variant, variant_id
from lessons.practice import __main__ as cli
from lessons.practice.catalog import kind, kinds
from lessons.practice.gate import GATE, VARIANTS, generate, render
from lessons.practice.graph import SIGN
from lessons.practice.render import (CHOICE_UI, UI, exercise_html, variant_html, variant_json,
                                     write_variants)

ALL = [(i, lang) for i in range(GATE.count) for lang in LANGS]


def sigma(x):
    return 1 / (1 + math.exp(-x))


# the gate as a plain function of its inputs, written independently of lessons.autograd
def reference(op, c):
    return {
        "+": lambda v: v[0] + v[1], "-": lambda v: v[0] - v[1], "*": lambda v: v[0] * v[1],
        "/": lambda v: v[0] / v[1], "max": lambda v: max(v[0], v[1]),
        "exp": lambda v: math.exp(v[0]), "log": lambda v: math.log(v[0]),
        "tanh": lambda v: math.tanh(v[0]), "sigmoid": lambda v: sigma(v[0]),
        "relu": lambda v: max(0.0, v[0]), "^": lambda v: v[0] ** c, "c*": lambda v: c * v[0],
        "c+": lambda v: v[0] + c, "c/": lambda v: c / v[0], "c-": lambda v: c - v[0],
    }[op]


# ---- the kind ---------------------------------------------------------------------------------


def test_the_kind_is_registered_with_enough_variants():
    assert kind("backprop.gate") is GATE
    assert "backprop.gate" in kinds()
    assert GATE.count == len(VARIANTS) >= 30


def test_every_gate_of_the_lesson_appears():
    # Lesson 1's gate set (lessons.autograd.Value): binary + − × ÷ max, the functions,
    # powers, and the one-input gates with a constant of the neuron (×(−1), +1, 1/x)
    assert {generate(i)["op"] for i in range(GATE.count)} == {
        "+", "-", "*", "/", "max", "exp", "log", "tanh", "sigmoid", "relu", "^",
        "c*", "c+", "c/", "c-"}
    # ... including the neuron's own constant gates
    consts = {(p["op"], p["c"]) for p in map(generate, range(GATE.count))}
    assert {("c*", -1), ("c+", 1), ("c/", 1)} <= consts


def test_variant_0_is_the_product_gate_of_the_lessons_gate_patterns_table():
    from lessons.pages.backprop import gate_patterns_table

    row = next(r for r in gate_patterns_table("en").splitlines() if r.startswith("| multiply"))
    assert "x = 3.00, y = −1.50" in row and "| 2.00 |" in row
    assert generate(0) == {"op": "*", "x": [3, -1.5], "up": 2, "c": None}


@pytest.mark.parametrize("i,lang", ALL)
def test_answers_match_numerical_gradients(i, lang):
    p = generate(i)
    f = reference(p["op"], p["c"])
    local = numerical_gradient(lambda a: f(list(a)), np.array(p["x"], dtype=float))
    v = render(p, lang)
    names = ["x", "y"][:len(p["x"])]
    got = {fl.key: fl.answer for fl in v.fields}
    assert set(got) == {f"{n}.{q}" for n in names for q in ("local", "grad")}
    for k, n in enumerate(names):
        assert got[f"{n}.local"] == pytest.approx(local[k], abs=1e-6)
        assert got[f"{n}.grad"] == pytest.approx(local[k] * p["up"], abs=1e-6)


@pytest.mark.parametrize("i", range(GATE.count))
def test_values_read_well(i):
    p = generate(i)
    # inputs, upstream and constant: small numbers with at most one decimal, no kinks
    for x in p["x"] + [p["up"]] + ([p["c"]] if p["c"] is not None else []):
        assert abs(x * 10 - round(x * 10)) < 1e-12 and abs(x) <= 5
    assert p["up"] not in (1, -1, 0), "upstream ±1 hides 'forgot to multiply'"
    if p["op"] == "relu":
        assert p["x"][0] != 0
    if p["op"] == "max":
        assert p["x"][0] != p["x"][1]
    for fl in render(p, "uk").fields:
        for value in [fl.answer] + ([fl.stepwise] if fl.stepwise is not None else []):
            assert value == 0 or abs(value) >= 0.005, f"{fl.key}: {value} shows as 0,00"
            assert not fmt(value, "uk", 2).startswith("−0,00")
        # not a tie at the third decimal (0,125): both roundings would be "the solution"
        assert abs(abs(fl.answer * 100) % 1 - 0.5) > 1e-6, fl.key


@pytest.mark.parametrize("i", range(GATE.count))
def test_hints_never_fire_on_a_right_answer(i):
    for fl in render(generate(i), "en").fields:
        assert fl.hint
        assert all(round(m, 2) != round(fl.answer, 2) for m, _ in fl.mistakes), fl.key
        assert len({round(m, 2) for m, _ in fl.mistakes}) == len(fl.mistakes)
        if fl.stepwise is not None:
            assert round(fl.stepwise, 2) != round(fl.answer, 2)


def test_the_typical_mistakes_get_their_hints():
    v = render(generate(0), "en")  # q = x·y, x = 3, y = −1.5, upstream 2
    x_local, x_grad = v.fields[0], v.fields[1]
    hints = dict(x_local.mistakes)
    assert "sign" in hints[1.5]          # the sign flipped
    assert "swaps" in hints[3.0]         # its own value instead of the other input's
    assert "product" in hints[-3.0]      # already multiplied by the upstream
    assert "Multiply" in dict(x_grad.mistakes)[-1.5]  # the local gradient alone


@pytest.mark.parametrize("lang", LANGS)
def test_the_own_value_hint_fits_both_fields(lang):
    # sigmoid, tanh, log: the gate's value where its derivative belongs; in the flowing
    # gradient that value times ∂f/∂q. One hint for both, and it never claims the typed
    # number *is* σ(x) (false in the flowing field)
    start = {"uk": "Схоже, ви взяли ", "en": "It looks like you used "}[lang]
    for i, (op, xs, up, _) in enumerate(VARIANTS):
        if op not in ("sigmoid", "tanh", "log"):
            continue
        q = {"sigmoid": lambda x: 1 / (1 + math.exp(-x)), "tanh": math.tanh,
             "log": math.log}[op](xs[0])
        local, grad = render(generate(i), lang).fields
        for fl, wrong in ((local, q), (grad, q * up)):
            hints = [h for m, h in fl.mistakes if abs(m - wrong) < 1e-9]
            if round(wrong, 2) in {round(fl.answer, 2)} | {round(m, 2) for m, h in fl.mistakes
                                                              if h not in hints}:
                continue  # another hint speaks for that number
            assert len(hints) == 1 and hints[0].startswith(start), (i, fl.key, fl.mistakes)
            assert ("σ(x)" if op == "sigmoid" else f"{op}(x)") in hints[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_copied_upstream_hint_is_true(lang):
    # the upstream gradient typed as the answer: the hint says it passes unchanged only
    # where the local gradient is 1, and it is given only where that local gradient is not 1
    word = {"uk": "лише тоді, коли локальний градієнт дорівнює 1",
            "en": "only when the local gradient is 1"}[lang]
    seen = 0
    for i, (op, xs, up, _) in enumerate(VARIANTS):
        v = render(generate(i), lang)
        for local, grad in zip(v.fields[::2], v.fields[1::2]):
            for m, h in grad.mistakes:
                if word in h:
                    seen += 1
                    assert m == up and local.answer != 1, (i, grad.key)
    assert seen >= 10


def test_the_gate_solution_multiplies_out():
    # every "a × b = c" of the worked solution: the factors as written give c as written
    num = r"\(?−?\d+(?:,\d+)?\)?"
    for i in range(GATE.count):
        text = render(generate(i), "uk").solution
        for a, b, c in re.findall(f"({num}) × ({num}) = ({num})", text):
            x, y, z = (float(t.strip("()").replace("−", "-").replace(",", ".")) for t in (a, b, c))
            assert fmt(x * y, "uk", 2) == fmt(z, "uk", 2), (i, a, b, c)


def test_stepwise_is_rounding_every_step():
    # σ(2) = 0.8808 → 0.88; 0.88 · 0.12 = 0.1056 → 0.11; 0.11 · 3 = 0.33 (exact 0.105, 0.315)
    i = VARIANTS.index(("sigmoid", (2,), 3, None))
    local, grad = render(generate(i), "en").fields
    assert (round(local.answer, 2), local.stepwise) == (0.10, 0.11)
    assert (round(grad.answer, 2), grad.stepwise) == (0.31, 0.33)


def test_ids_are_stable_unique_and_language_neutral():
    ids = [variant_id("backprop.gate", generate(i)) for i in range(GATE.count)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{12}", x) for x in ids)
    assert [render(generate(i), "uk").id for i in range(GATE.count)] == ids
    assert [render(generate(i), "en").id for i in range(GATE.count)] == ids
    # the id is a hash of the kind and the parameters as written out here
    import hashlib
    text = '{"kind":"backprop.gate","params":{"c":null,"op":"*","up":2,"x":[3,-1.5]}}'
    assert ids[0] == hashlib.sha256(text.encode()).hexdigest()[:12]


def test_the_statement_is_in_the_pages_language():
    uk, en = render(generate(7), "uk"), render(generate(7), "en")  # x / y, x = 3, y = 2
    text = lambda html: re.sub(r"<[^>]+>", "", html)  # noqa: E731
    assert "Операція q = x / y" in text(uk.prompt) and "x = 3 і y = 2" in text(uk.prompt)
    assert "The gate q = x / y" in text(en.prompt) and "x = 3 and y = 2" in text(en.prompt)
    # a formula does not break across lines at 360 px
    assert '<span class="nowrap">∂f/∂q = 4</span>' in uk.prompt
    assert "−0,75" in uk.solution and "−0.75" in en.solution
    i = VARIANTS.index(("sigmoid", (2,), 3, None))
    assert "≈ 0,10499;" in render(generate(i), "uk").solution  # not 0,1050, which reads as 0,11


@pytest.mark.parametrize("lang", LANGS)
def test_the_task_fits_the_number_of_inputs(lang):
    # "for each input" only where there are two; one input is named, as the field labels do
    each = {"uk": "для кожного входу", "en": "For each input"}[lang]
    one = {"uk": "Знайдіть локальний градієнт і градієнт, що надходить до входу x.",
           "en": "Find the local gradient and the gradient that flows into x."}[lang]
    given = {"uk": ("отримує на входах x", "отримує на вході x"),
             "en": ("receives the inputs x", "receives the input x")}[lang]
    text = lambda html: re.sub(r"<[^>]+>", "", html)  # noqa: E731
    counts = {1: 0, 2: 0}
    for i, (op, xs, up, c) in enumerate(VARIANTS):
        prompt = text(render(generate(i), lang).prompt)
        counts[len(xs)] += 1
        if len(xs) == 2:
            assert each in prompt and one not in prompt and given[0] in prompt, i
        else:
            assert one in prompt and each not in prompt and given[1] in prompt, i
            assert " and " not in prompt.split(".")[0] and " і " not in prompt.split(".")[0], i
    assert counts[1] >= 20 and counts[2] >= 10


def test_one_notation_for_division_and_exp():
    # as the figures and the graph exercises write them: x / y, 1 / x, exp(x); the
    # derivative d/dx notation ∂q/∂x stays tight
    for i in range(GATE.count):
        for lang in LANGS:
            v = render(generate(i), lang)
            words = [v.title, v.prompt, v.solution] + [f.hint for f in v.fields] + [
                h for f in v.fields for _, h in f.mistakes]
            for w in words:
                w = re.sub(r"∂\w/∂\w", "", w)
                assert "eˣ" not in w, (i, w)
                assert not re.search(r"\S/|/\S", w.replace("</", "").replace("/>", "")
                                     .replace('="', "").replace("/span", "")), (i, w)


@pytest.mark.parametrize("lang", LANGS)
def test_the_gate_rule_hints_read_as_written(lang):
    hint = lambda op: next(f.hint for i, v in enumerate(VARIANTS) if v[0] == op  # noqa: E731
                           for f in render(generate(i), lang).fields[:1])
    relu = {"uk": "ReLU пропускає градієнт (локальний градієнт 1), якщо x > 0, і не пропускає "
                  "його (локальний градієнт 0), якщо x ≤ 0.",
            "en": "ReLU passes the gradient (local gradient 1) where x > 0 and blocks it "
                  "(local gradient 0) where x ≤ 0."}[lang]
    assert hint("relu") == relu
    assert hint("*").startswith({"uk": "Множення «міняє входи місцями»",
                                 "en": "Multiplication “swaps” its inputs"}[lang])
    copied = {"uk": "(як в операції додавання)", "en": "(as in addition)"}[lang]
    assert any(copied in h for i in range(GATE.count)
               for f in render(generate(i), lang).fields for _, h in f.mistakes)
    assert render(generate(0), lang).title == {"uk": "Градієнти однієї операції",
                                               "en": "Gradients through one gate"}[lang]


def test_the_kind_is_numpy_free():
    code = ("from lessons.practice.render import exercise_html\n"
            "from lessons.practice.gate import GATE\n"
            "print(len(exercise_html(GATE, 'uk')) > 0)\n")
    assert run_without_numpy(code) == "True"


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("call,error,name", [
    (lambda: generate(-1), ValueError, "i"),
    (lambda: generate(GATE.count), ValueError, "i"),
    (lambda: generate("0"), TypeError, "i"),
    (lambda: render({"op": "sqrt", "x": [1], "up": 2, "c": None}, "en"), ValueError,
     "params['op']"),
    (lambda: render([], "en"), TypeError, "params"),
    (lambda: render(generate(0), "de"), ValueError, "lang"),
    (lambda: kind("backprop.nope"), ValueError, "backprop.nope"),
    (lambda: kind(3), TypeError, "name"),
    (lambda: exercise_html(3, "uk"), TypeError, "kind must be a Kind"),
    (lambda: exercise_html("backprop.gate", "uk"), TypeError, "lessons.practice.gate.GATE"),
    (lambda: exercise_html(GATE, "fr"), ValueError, "lang"),
    (lambda: variant_html("<form>"), TypeError, "v"),
    (lambda: variant_json(None), TypeError, "v"),
    (lambda: write_variants(3, [GATE]), TypeError, "site_dir"),
    (lambda: write_variants("site", ["backprop.gate"]), TypeError, "kinds"),
    (lambda: Field("", "label", 1.0), ValueError, "key"),
    (lambda: Field("k", "label", math.nan), ValueError, "answer"),
])
def test_bad_input_names_the_parameter(call, error, name):
    with pytest.raises(error, match=re.escape(name)):
        call()


# ---- the form (DOM contract of DESIGN.md) -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_form_follows_the_exercise_contract(lang):
    html = exercise_html(GATE, lang)
    soup = BeautifulSoup(html, "html.parser")
    form = soup.select_one("form.exercise")
    v0 = render(generate(0), lang)
    assert form["data-variant"] == v0.id and form["data-kind"] == "backprop.gate"
    assert form["data-lang"] == lang
    assert form["data-ids"].split() == [variant_id("backprop.gate", generate(i))
                                        for i in range(GATE.count)]
    # every message the checker shows for a typed number, in the page's language; the two
    # that only a choice question shows (practice.js: msgRight, msgChoose) are left off
    for key, texts in UI.items():
        if key.startswith("msg-") and key not in ("msg-right", "msg-choose"):
            assert form[f"data-{key}"] == texts[lang]
    assert not form.has_attr("data-msg-right") and not form.has_attr("data-msg-choose")
    inputs = form.select("input")
    assert [i["name"] for i in inputs] == [f.key for f in v0.fields]
    for inp, fl in zip(inputs, v0.fields):
        label = form.select_one(f'label[for="{inp["id"]}"]')
        assert label.get_text() == fl.label and "∂" in fl.label
        assert inp["inputmode"] == "decimal" and inp.get("type", "text") == "text"
        assert inp.get("autocomplete", form["autocomplete"]) == "off"  # the form's, inherited
        assert float(inp["data-answer"]) == fl.answer and inp["data-digits"] == "2"
        listed = json.loads(inp.get("data-mistakes", "[]"))
        assert all([m, h] in [list(x) for x in fl.mistakes] for m, h in listed)
        assert inp["data-hint"] == fl.hint
        msg = soup.find(id=inp["aria-describedby"])
        assert msg.find_parent(attrs={"aria-live": True}) or msg.get("aria-live") == "polite"
    actions = {b.get("data-action"): b for b in form.select("button")}
    assert set(actions) == {None, "solution", "next", "reset"}
    assert actions[None]["type"] == "submit" and actions[None].get_text() == UI["check"][lang]
    assert form.select_one(".exercise-status")["aria-live"] == "polite"
    # no JavaScript: the statement reads and the solution is folded
    assert form.select_one("details.exercise-solution summary").get_text() == UI["worked"][lang]
    assert "∂f/∂x" in form.select_one("details").get_text()
    assert len(html.encode()) < 8_500, "the gate exercise stays small (budget ~8 KB)"


def _hint(x: float, answer: float, mistakes: list, hint: str, digits: int = 2) -> str | None:
    """The checker's verdict on a wrong x, written out here (practice.js, judge)."""
    # a count (0 digits) must be exact, as the checker says
    near = lambda a, b: abs(a - b) <= 0.5 * 10 ** -digits + 1e-9 if digits else a == b  # noqa: E731
    if near(x, answer):
        return None
    return next((h for m, h in mistakes if near(x, m)), hint)


def test_every_form_gives_every_mistake_its_hint():
    # the form leaves out a mistake whose hint is the field's default one; the checker must
    # still answer every typical mistake, and every value near it, exactly as the Field says
    for k in kinds().values():
        for i in range(k.count):
            v = k.render(k.generate(i), "uk")
            soup = BeautifulSoup(variant_html(v), "html.parser")
            for f, inp in zip(v.fields, soup.select("input[data-answer]")):
                listed = json.loads(inp.get("data-mistakes", "[]"))
                assert inp.get("data-hint", "") == f.hint
                for m, _ in f.mistakes:
                    for x in (m - 0.004, m, m + 0.004):
                        assert (_hint(x, f.answer, listed, f.hint)
                                == _hint(x, f.answer, [list(t) for t in f.mistakes], f.hint)), (
                            v.id, f.key, x)


def test_attributes_keep_their_quotes_apart():
    # an apostrophe inside a single-quoted data-mistakes, a double quote inside data-hint
    v = Variant("demo", {"q": 1}, "uk", "T", "<p>?</p>", fields=(
        Field("a", "a", 1.0, mistakes=((2.0, "розв'язок \"так\""),), hint='"ні"'),))
    inp = BeautifulSoup(variant_html(v), "html.parser").select_one("input")
    assert json.loads(inp["data-mistakes"]) == [[2.0, 'розв\'язок "так"']]
    assert inp["data-hint"] == '"ні"'


def test_a_choice_question_follows_the_choice_contract():
    v = Variant("demo.choice", {"n": 1}, "uk", "Де помилка?", "<p>Граф.</p>",
                options=(Option("ребро a", False, "тут знак правильний"),
                         Option("ребро b", True, "тут мінус загубився")),
                question="Яке ребро хибне?", solution="<p>b</p>")
    soup = BeautifulSoup(variant_html(v), "html.parser")
    group = soup.select_one('[role="radiogroup"]')
    assert soup.find(id=group["aria-labelledby"]).get_text() == "Яке ребро хибне?"
    radios = group.select('input[type="radio"]')
    assert len(radios) == 2 and len({r["name"] for r in radios}) == 1
    assert [r.has_attr("data-correct") for r in radios] == [False, True]
    assert all(e.has_attr("hidden") for e in group.select(".exercise-explain"))
    assert soup.find(id=group["aria-describedby"])["aria-live"] == "polite"
    folded = soup.select_one("details").get_text()
    assert "тут мінус загубився" in folded and "тут знак правильний" in folded
    # no fields: the messages speak of the answer, not of fields (the checker reads them)
    form = soup.select_one("form.exercise")
    assert form["data-msg-shown"] == CHOICE_UI["msg-shown"]["uk"]
    assert form["data-msg-some"] == CHOICE_UI["msg-some"]["uk"]
    assert form["data-msg-reset"] == CHOICE_UI["msg-reset"]["uk"]
    for key in ("msg-shown", "msg-some", "msg-reset"):
        assert "пол" not in form[f"data-{key}"] and "{" not in form[f"data-{key}"]
    assert form["data-msg-right"] == UI["msg-right"]["uk"]
    assert not form.has_attr("data-msg-empty") and not form.has_attr("data-msg-step")


@pytest.mark.parametrize("lang", LANGS)
def test_choice_messages_never_mention_fields(lang):
    soup = BeautifulSoup(exercise_html(SIGN, lang), "html.parser")
    form = soup.select_one("form.exercise")
    field_word = {"uk": "пол", "en": "field"}[lang]
    for key, value in form.attrs.items():
        if key.startswith("data-msg-"):
            assert field_word not in value.lower(), (key, value)
    # a typed-number form keeps the field wording
    gate = BeautifulSoup(exercise_html(GATE, lang), "html.parser").form
    assert field_word in gate["data-msg-shown"].lower()


def test_variants_on_the_page_are_unique_in_their_dom_ids():
    soup = BeautifulSoup(exercise_html(GATE, "en"), "html.parser")
    ids = [e["id"] for e in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    # the forms' ids start with 6 hex digits of the variant's id: no two variants of any
    # kinds share them, so any variants "next" puts side by side on a page keep their ids apart
    every = [variant_id(k.name, k.generate(i)) for k in kinds().values() for i in range(k.count)]
    assert len({v[:6] for v in every}) == len(every)


# ---- the variant files ------------------------------------------------------------------------


def test_variant_files_are_complete_and_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    n = write_variants(a, kinds().values())
    assert n == write_variants(b, kinds().values()) == 2 * sum(k.count for k in kinds().values())
    files = sorted(p.relative_to(a) for p in a.rglob("*.json"))
    assert len(files) == n
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.json"))
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    five = render(generate(5), "uk").id
    data = json.loads((a / "practice" / "uk" / f"{five}.json").read_text("utf-8"))
    assert data == variant_json(render(generate(5), "uk"))
    raw = (a / "practice" / "en" / f"{render(generate(5), 'en').id}.json").read_text("utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")) + "\n"
    # rewriting leaves the files alone (mkdocs serve sees no change)
    stamp = (a / rel).stat().st_mtime_ns
    write_variants(a, kinds().values())
    assert (a / rel).stat().st_mtime_ns == stamp


def _hooks():
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import practice_hooks
    finally:
        sys.path.pop(0)
    return practice_hooks


def test_the_hook_writes_once_after_every_language(tmp_path):
    hooks = _hooks()
    building = types.SimpleNamespace(building=True)
    config = {"plugins": {"i18n": building}, "site_dir": str(tmp_path)}
    hooks.on_files([], config)  # an inner build of another language starts no writer
    hooks.on_post_build(config)
    assert not (tmp_path / "practice").exists()
    building.building = False
    hooks.on_files([], config)  # the outer build: the writer runs while the pages render
    hooks.on_post_build(config)
    total = sum(k.count for k in kinds().values())
    assert len(list((tmp_path / "practice" / "uk").glob("*.json"))) == total
    assert len(list((tmp_path / "practice" / "en").glob("*.json"))) == total


def test_a_failing_writer_fails_the_build(tmp_path, monkeypatch):
    from mkdocs.exceptions import PluginError

    hooks = _hooks()
    monkeypatch.setattr(hooks, "_WRITE", "raise SystemExit('no variants today')")
    config = {"plugins": {}, "site_dir": str(tmp_path)}
    hooks.on_files([], config)
    with pytest.raises(PluginError, match="no variants today"):
        hooks.on_post_build(config)
    assert not (tmp_path / "practice").exists()


# a writer that names its files after what it was given: argv = [folder, module, ...]
_FAKE_WRITE = ("import os, pathlib, sys\n"
               "for m in sys.argv[2:] or ['lessons.practice.gate', 'lessons.practice.graph']:\n"
               "    p = pathlib.Path(sys.argv[1]) / m / 'practice' / 'uk'\n"
               "    p.mkdir(parents=True)\n"
               "    (p / (os.environ['FAKE_PREFIX'] + m + '.json')).write_text('{}')\n")


def test_each_kind_module_s_variants_are_kept_until_what_it_reaches_changes(tmp_path, monkeypatch):
    hooks = _hooks()
    spec = importlib.util.spec_from_file_location("exec_cache_for_practice", ROOT / "hooks" / "exec_cache.py")
    exec_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exec_cache)
    digests = {"lessons.practice.gate": "gate-1", "lessons.practice.graph": "graph-1"}
    seen = []

    def digest(codes):
        seen.append(codes)
        return digests[codes[0].removeprefix("import ")]

    exec_cache.STATE.index = types.SimpleNamespace(
        imports={hooks.CATALOG: {"lessons", "lessons.practice", *digests}}, digest=digest)
    monkeypatch.setitem(sys.modules, "lessons_exec_cache", exec_cache)
    monkeypatch.setenv("LESSONS_EXEC_CACHE", str(tmp_path / "cache"))
    config = {"plugins": {}, "site_dir": str(tmp_path / "site"),
              "config_file_path": str(tmp_path / "mkdocs.yml")}

    monkeypatch.setattr(hooks, "_WRITE", _FAKE_WRITE)  # part of the key: the same every build

    def build(text):
        monkeypatch.setenv("FAKE_PREFIX", text)
        hooks.on_files([], config)
        hooks.on_post_build(config)
        return sorted(p.name for p in (tmp_path / "site" / "practice" / "uk").glob("*.json"))

    both = ["lessons.practice.gate.json", "lessons.practice.graph.json"]
    assert build("one-") == ["one-" + n for n in both]
    assert ["import lessons.practice.gate", "import lessons.practice.render"] in seen
    assert build("two-") == ["one-" + n for n in both]  # kept: no writer ran
    digests["lessons.practice.graph"] = "graph-2"  # an edit the graph kinds reach
    assert build("three-") == ["one-" + both[0], "three-" + both[1]]  # the old file is gone
    [kept] = [p for p in (tmp_path / "cache" / "practice").rglob("one-lessons.practice.gate.json")]
    kept.write_text('{"edited": 1}')  # a kept file that no longer checks out
    assert build("four-") == ["four-" + both[0], "three-" + both[1]]
    monkeypatch.setenv("LESSONS_EXEC_CACHE", "off")  # nothing kept: every module, every build
    assert build("five-") == ["five-" + n for n in both]
    assert build("six-") == ["six-" + n for n in both]
    monkeypatch.setenv("LESSONS_EXEC_CACHE", str(tmp_path / "cache"))
    exec_cache.STATE.index = None  # no source index taken: nothing is known, all are written
    assert build("seven-") == ["seven-" + n for n in both]


# ---- the command line ---------------------------------------------------------------------------


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_lists_the_ids(capsys):
    code, out, _ = run(["--list", "backprop.gate"], capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        variant_id("backprop.gate", generate(i)) for i in range(GATE.count)]


@pytest.mark.parametrize("lang", LANGS)
def test_cli_prints_a_variant_with_its_answer_key(capsys, lang):
    i = VARIANTS.index(("sigmoid", (2,), 3, None))
    vid = variant_id("backprop.gate", generate(i))
    code, out, _ = run([vid, "--lang", lang], capsys)
    assert code == 0
    key = {"uk": ("Ключ відповідей", "0,31", "0,33"), "en": ("Answer key", "0.31", "0.33")}[lang]
    assert all(k in out for k in key) and vid in out
    assert "<" not in out  # plain text, no tags


@pytest.mark.parametrize("argv,lang,words", [
    (["000000000000"], "uk", ["помилка", "параметр ID", "000000000000"]),
    (["000000000000", "--lang", "en"], "en", ["error", "argument ID"]),
    (["--list", "nope"], "uk", ["немає типу вправ", "параметр --list", "відомі типи",
                                  "backprop.gate"]),
    (["--list", "nope", "--lang=en"], "en", ["option --list", "backprop.gate"]),
    (["x", "--lang", "de"], "uk", ["параметр --lang", "'de'"]),
    (["--list"], "uk", ["параметр --list", "потребує значення"]),
    # an option where the value should be: that value is missing, in the language asked for
    (["--list", "--lang", "uk"], "uk", ["параметр --list", "потребує значення"]),
    (["--list", "--lang=en"], "en", ["option --list", "needs a value"]),
    (["x", "--lang", "--list"], "uk", ["параметр --lang", "потребує значення"]),
    (["--frobnicate"], "uk", ["невідомий параметр", "--frobnicate"]),
    (["--frobnicate", "--lang", "en"], "en", ["unknown option", "--frobnicate"]),
    ([], "uk", ["рівно один ID"]),
])
def test_cli_errors_name_the_parameter_in_the_chosen_language(capsys, argv, lang, words):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert all(w in err for w in words), err


@pytest.mark.parametrize("lang", LANGS)
def test_cli_usage_lines_align(capsys, lang):
    code, out, _ = run(["--help", "--lang", lang], capsys)
    first, second = out.splitlines()[:2]
    # the second usage line's command starts under the first one's
    assert code == 0 and first.index("python") == second.index("python")
    # the usage names an exercise's kind "тип" in Ukrainian, "kind" in English
    assert ("ТИП" in second and "Типи вправ" in out) if lang == "uk" else "KIND" in second


def test_cli_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "lessons.practice", "--help", "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "backprop.gate" in out.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_gate_solutions_write_equals_only_for_exact_numbers(lang):
    # "∂f/∂x = 0,3679 × 3 ≈ 1,10": "=" where the shown arithmetic is exact, "≈" where rounded
    num = r"\(?−?[\d\s\u202f]+(?:[.,]\d+)?\)?"
    step = re.compile(rf"= ({num}) × ({num}) ([=≈]) ({num})</li>")

    def value(text):
        return float(text.strip("()").replace("−", "-").replace(",", ".").replace("\u202f", ""))

    seen = 0
    for i in range(GATE.count):
        for a, b, sign, c in step.findall(render(generate(i), lang).solution):
            if sign == "=":  # (a rounded true value may still multiply out as shown: then ≈ too)
                assert abs(value(a) * value(b) - value(c)) < 1e-9, (i, a, b, sign, c)
            else:
                assert abs(value(a) * value(b) - value(c)) <= 0.0051 * abs(value(b)) + 0.0051
            seen += 1
    assert seen >= GATE.count


@pytest.mark.parametrize("lang", LANGS)
def test_a_count_form_gives_a_whole_number_as_its_example(lang):
    # "next" swaps the variant but keeps the form's messages: every variant of a kind must
    # be all counts or not, and only an all-count form says "a whole number"
    from lessons.practice.render import COUNT_UI

    for k in kinds().values():
        variants = [k.render(k.generate(i), lang) for i in range(k.count)]
        counts = {all(f.digits == 0 for f in v.fields) for v in variants if v.fields}
        assert len(counts) <= 1, k.name
        if counts:
            form = BeautifulSoup(variant_html(variants[0]), "html.parser").form
            expected = COUNT_UI if counts.pop() else UI
            assert form["data-msg-nan"] == expected["msg-nan"][lang], k.name


def test_the_folded_solution_ends_each_option_with_a_full_stop():
    # no "option: Так: …" chains in the no-JS solution, and no doubled stop
    for k in kinds().values():
        v = k.render(k.generate(0), "uk")
        if not v.options:
            continue
        items = BeautifulSoup(variant_html(v), "html.parser").select("details li")
        assert len(items) == len(v.options), k.name
        for li, o in zip(items, v.options):
            text = li.get_text()
            assert text.startswith(("✓ ", "✗ ")) and ".." not in text, text
            assert text[2:].startswith(BeautifulSoup(o.text, "html.parser").get_text() + ". "), text
