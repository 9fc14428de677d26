"""Lesson 3's exercise kinds against references of their own.

Output sizes are counted here by trying every kernel position on the padded input and by
the size formula written out below; multiplications by a loop over output channels, the
input channels of their group and the kernel taps (and, for the small stacks, by the
lesson's seven-loop ``conv2d_counted`` on a real tensor); parameters as the size of a real
weight tensor that ``conv2d`` accepts. Receptive fields come from a brute force that walks
one output pixel back through the layers as a set of input indices.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pytest

from lessons.conv import conv2d, conv2d_counted
from lessons.i18n import fmt_int
from lessons.practice import convolutions as cv
from lessons.practice import variant_id
from lessons.practice.catalog import kinds
from lessons.practice.render import exercise_html, variant_inner_html

LANGS = ("uk", "en")
STACK, FIELD, DESIGN = cv.STACK, cv.FIELD, cv.DESIGN
KINDS = (STACK, FIELD, DESIGN)


@pytest.fixture(scope="module")
def rendered():
    """Every variant of the three kinds in both languages, rendered once."""
    return {(k.name, i, lang): k.render(k.generate(i), lang)
            for k in KINDS for i in range(k.count) for lang in LANGS}


def _variants(rendered, k, lang="en"):
    return [rendered[(k.name, i, lang)] for i in range(k.count)]


# ---- independent references ------------------------------------------------------------------

def _positions(n: int, k: int, s: int, p: int, d: int) -> int:
    """Output positions along one axis: every start on the padded input where the dilated
    kernel fits, taking every s-th start."""
    padded = n + 2 * p
    return sum(1 for start in range(0, padded, s) if start + d * (k - 1) < padded)


def _formula(n: int, k: int, s: int, p: int, d: int) -> int:
    return math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1


def _count_stack(params: dict) -> tuple[int, int, int, int, int]:
    c, h, w = params["input"]
    mults = weights = 0
    for spec in params["layers"]:
        kh, kw = spec["k"]
        ho = _positions(h, kh, spec["s"], spec["p"][0], spec["d"])
        wo = _positions(w, kw, spec["s"], spec["p"][1], spec["d"])
        assert ho == _formula(h, kh, spec["s"], spec["p"][0], spec["d"])
        assert wo == _formula(w, kw, spec["s"], spec["p"][1], spec["d"])
        taps = 0  # multiplications per output position: each output channel, its group's inputs
        per_group = c // spec["g"]
        for _o in range(spec["c"]):
            for _ci in range(per_group):
                taps += kh * kw
        mults += ho * wo * taps
        weights += np.empty((spec["c"], per_group, kh, kw)).size
        c, h, w = spec["c"], ho, wo
    return c, h, w, mults, weights


def _field_1d(layers: list[tuple[int, int, int]]) -> tuple[int, int]:
    """(extent, number of pixels reached) along one axis for (k, s, d) layers: the input
    indices that one output pixel depends on, walked back layer by layer."""
    seen = {0}
    for k, s, d in reversed(layers):
        seen = {y * s + i * d for y in seen for i in range(k)}
    return max(seen) - min(seen) + 1, len(seen)


def _field(specs) -> tuple[int, int]:
    return tuple(_field_1d([(sp["k"][a], sp["s"], sp["d"]) for sp in specs])[0] for a in (0, 1))


def _body_rows(html: str) -> list[list[str]]:
    """The text of each body row's cells (the solutions' tables are plain: no nesting)."""
    body = html.split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


# ---- kinds and counts -------------------------------------------------------------------------

def test_the_kinds_are_registered_with_enough_variants():
    known = kinds()
    for k in KINDS:
        assert known[k.name] is k
    assert STACK.count >= 30 and FIELD.count >= 30 and DESIGN.count >= 12


# ---- convolutions.stack ------------------------------------------------------------------------

@pytest.mark.parametrize("i", range(STACK.count))
def test_stack_answers_match_an_independent_count(i, rendered):
    params = STACK.generate(i)
    v = rendered[(STACK.name, i, "en")]
    answers = {f.key: f.answer for f in v.fields}
    c, h, w, mults, weights = _count_stack(params)
    assert (answers["c"], answers["h"], answers["w"]) == (c, h, w)
    assert answers["mults"] == mults and answers["params"] == weights
    # a real tensor of that shape goes through the real convolution to the same shape
    x = np.ones((1, *params["input"]))
    for spec in params["layers"]:
        weight = np.ones((spec["c"], x.shape[1] // spec["g"], *spec["k"]))
        x = conv2d(x, weight, stride=spec["s"], padding=tuple(spec["p"]), dilation=spec["d"],
                   groups=spec["g"])
    assert x.shape[1:] == (c, h, w)
    # the wrong-rule counter with every rule kept is the right count
    assert cv.wrong_stack(params) == (c, h, w, mults, weights)


def test_small_stacks_match_the_counting_loop():
    checked = 0
    rng = np.random.default_rng(0)
    for i in range(STACK.count):
        params = STACK.generate(i)
        if _count_stack(params)[3] > 40_000:
            continue
        x, counted = rng.standard_normal((1, *params["input"])), 0
        for spec in params["layers"]:
            weight = rng.standard_normal((spec["c"], x.shape[1] // spec["g"], *spec["k"]))
            x, n = conv2d_counted(x, weight, stride=spec["s"], padding=tuple(spec["p"]),
                                  dilation=spec["d"], groups=spec["g"])
            counted += n
        field = {f.key: f.answer for f in STACK.render(params, "en").fields}
        assert field["mults"] == counted
        checked += 1
    assert checked >= 1  # variant 0 at least: the homework's 7×1 then 1×7


def test_stack_variant_0_is_the_homework_pair_on_the_page():
    # 7×1 then 1×7 on 20×20×1, no padding: 14·20·7 + 14·14·7 multiplications, 7 + 7 weights
    answers = {f.key: f.answer for f in STACK.render(STACK.generate(0), "en").fields}
    assert answers == {"c": 1, "h": 14, "w": 14, "mults": 14 * 20 * 7 + 14 * 14 * 7, "params": 14}
    # input pixels times taps (20·20·7 + 14·20·7) earns the per-output-pixel hint
    mults = next(f for f in STACK.render(STACK.generate(0), "en").fields if f.key == "mults")
    assert (20 * 20 * 7 + 14 * 20 * 7, cv._S["per_input"]["en"]) in mults.mistakes


def test_stacks_vary():
    found = Counter()
    for i in range(STACK.count):
        found.update(cv._features(STACK.generate(i)))
        assert 2 <= len(STACK.generate(i)["layers"]) <= 3
    for feature in ("nonsquare", "stride", "dilation", "depthwise", "groups", "padding"):
        assert found[feature] >= 5, (feature, found)


STACK_RULES = ("dilation", "sides", "ceil", "groups", "bias", "per_input")
STACK_KEYS = ("c", "h", "w", "mults", "params")


def _shown(f, value):
    """The hint the checker shows for ``value``: the first mistake that matches it (a count
    must be typed exactly; docs/assets/practice.js, judge)."""
    return next((hint for v, hint in f.mistakes if v == value), f.hint)


def _check_hints(f, answer, wrong: dict, texts: dict, lang: str, axis) -> Counter:
    """Every broken rule's value earns the hint that names exactly the rules giving it
    (all of them, in one sentence, when several do), unless it is the other axis's right
    answer (``axis``: that answer and its hint key), which earns the axis hint; and the
    field holds no mistake but these. Returns what kinds of hint it saw."""
    seen, expected = Counter(), {}
    if axis is not None and axis[0] != answer:
        expected[axis[0]] = texts[axis[1]][lang]
    for rule, value in wrong.items():
        if axis is not None and value == axis[0] != answer:
            seen["axis"] += 1  # a wrong rule that lands on the other axis's right answer
        if value is None or value == answer or value in expected:
            continue
        giving = [r for r, v in wrong.items() if v == value]
        hint = _shown(f, value)
        if len(giving) == 1:
            assert hint == texts[rule][lang], (f.key, value, rule)
            seen["one"] += 1
        else:
            # one sentence that names every rule giving the value, and no other rule
            for r in wrong:
                assert (texts["c_" + r][lang] in hint) == (r in giving), (f.key, value, r, giving)
            assert hint.endswith(".") and ". " not in hint, hint
            seen["both"] += 1
        expected[value] = hint
    for value, hint in expected.items():
        assert _shown(f, value) == hint, (f.key, value)
    # nothing else: no stray value, no two mistakes sharing a value
    assert sorted(v for v, _ in f.mistakes) == sorted(expected)
    return seen


def test_every_stack_mistake_is_what_its_rule_gives_and_each_rule_is_live(rendered):
    live, kinds_seen = Counter(), Counter()
    for i in range(STACK.count):
        params = STACK.generate(i)
        right = _count_stack(params)
        # recount with one rule broken, by a loop of the test's own
        broken = {rule: _broken(params, rule) for rule in STACK_RULES}
        for lang in LANGS:
            for f in rendered[(STACK.name, i, lang)].fields:
                index = STACK_KEYS.index(f.key)
                if f.key == "c":
                    assert f.mistakes == ()
                    continue
                wrong = {rule: value[index] for rule, value in broken.items()}
                axis = {"h": (right[2], "axis_h"), "w": (right[1], "axis_w")}.get(f.key)
                kinds_seen += _check_hints(f, right[index], wrong, cv._S, lang, axis)
                if lang == "en":
                    live.update(r for r, v in wrong.items() if v != right[index])
    for rule in STACK_RULES:
        assert live[rule] >= 5, (rule, live)
    # the review's cases are live: rounding up and no dilation give one value (variant 5's
    # width among them), and a wrong height that is the right width
    assert kinds_seen["both"] >= 5 and kinds_seen["axis"] >= 5, kinds_seen
    # the review's variants: a rounded-up size is no longer blamed on the dilation alone
    both = cv._S["c_ceil"]["en"], cv._S["c_dilation"]["en"]
    for i in (5, 16, 24, 25, 30, 31):
        hints = [h for f in rendered[(STACK.name, i, "en")].fields for _, h in f.mistakes]
        assert any(all(c in h for c in both) for h in hints), i


def _broken(params: dict, rule: str):
    c, h, w = params["input"]
    mults = weights = 0
    for spec in params["layers"]:
        sizes = []
        for a, n in enumerate((h, w)):
            k, s, p, d = spec["k"][a], spec["s"], spec["p"][a], spec["d"]
            span = k if rule == "dilation" else d * (k - 1) + 1
            total = n + (p if rule == "sides" else 2 * p)
            room = total - span
            sizes.append(math.ceil(room / s) + 1 if rule == "ceil" else room // s + 1)
        g = 1 if rule == "groups" else spec["g"]
        layer = spec["k"][0] * spec["k"][1] * (c // g) * spec["c"]
        mults += (h * w if rule == "per_input" else sizes[0] * sizes[1]) * layer
        weights += layer + (spec["c"] if rule == "bias" else 0)
        c, (h, w) = spec["c"], sizes
    return c, h, w, mults, weights


# ---- convolutions.field -----------------------------------------------------------------------

@pytest.mark.parametrize("i", range(FIELD.count))
def test_field_answers_match_a_brute_force(i, rendered):
    params = FIELD.generate(i)
    answers = {f.key: f.answer for f in rendered[(FIELD.name, i, "en")].fields}
    rh, rw = _field(params["layers"])
    assert (answers["rh"], answers["rw"]) == (rh, rw)
    # neighbouring output pixels: their sets of input pixels start j apart
    first, second = {0}, {1}
    for sp in reversed(params["layers"]):
        first = {y * sp["s"] + t * sp["d"] for y in first for t in range(sp["k"][0])}
        second = {y * sp["s"] + t * sp["d"] for y in second for t in range(sp["k"][0])}
    assert answers["jump"] == min(second) - min(first)


def test_field_variants_vary():
    not_square = strided = dilated = 0
    for i in range(FIELD.count):
        specs = FIELD.generate(i)["layers"]
        assert 2 <= len(specs) <= 4
        rh, rw = _field(specs)
        not_square += rh != rw
        strided += any(s["s"] > 1 for s in specs)
        dilated += any(s["d"] > 1 for s in specs)
    assert not_square >= FIELD.count // 2
    assert strided >= FIELD.count - 1 and dilated == FIELD.count


def test_field_variant_0_is_the_lessons_dilated_pair():
    # 3×3, then 3×3 with d = 2: 1 + 2 + 2·2 = 7 (the design table's "3×3 + 3×3, d = 2")
    answers = {f.key: f.answer for f in FIELD.render(FIELD.generate(0), "en").fields}
    assert answers == {"rh": 7, "rw": 7, "jump": 1}


def test_field_solution_rows_follow_the_recurrence(rendered):
    for i in range(FIELD.count):
        specs = FIELD.generate(i)["layers"]
        rows = _body_rows(rendered[(FIELD.name, i, "en")].solution)
        assert len(rows) == len(specs)
        for n, row in enumerate(rows, 1):
            assert row[3] == "×".join(map(str, _field(specs[:n])))
        # the third answer is shown too: j after the last layer, the product of the strides
        for lang in LANGS:
            tail = rendered[(FIELD.name, i, lang)].solution.rsplit("</table>", 1)[1]
            assert re.fullmatch(r"<p>[^<\d]*j = (\d+)\.</p>", tail)
            assert int(re.search(r"j = (\d+)", tail)[1]) == math.prod(sp["s"] for sp in specs)


FIELD_RULES = ("dilation", "jump_rule", "own", "whole")


def _field_wrong(specs, rule: str, axis: int) -> int:
    """The field along one axis in closed form, r = 1 + Σ (k′ − 1)·(strides before), with
    one rule broken: k for k′, no strides, the layer's own stride too, k′ for k′ − 1."""
    r = 1
    for n, sp in enumerate(specs):
        k, d = sp["k"][axis], sp["d"]
        span = k if rule == "dilation" else d * (k - 1) + 1
        before = specs[:n + 1] if rule == "own" else specs[:n]
        step = 1 if rule == "jump_rule" else math.prod(s["s"] for s in before)
        r += (span if rule == "whole" else span - 1) * step
    return r


def test_every_field_mistake_names_the_rules_that_give_it(rendered):
    kinds_seen = Counter()
    for i in range(FIELD.count):
        specs = FIELD.generate(i)["layers"]
        right = _field(specs)
        # the brute force agrees with the closed form when no rule is broken
        assert right == tuple(_field_wrong(specs, "", a) for a in (0, 1))
        strides = [sp["s"] for sp in specs]
        for lang in LANGS:
            fields = {f.key: f for f in rendered[(FIELD.name, i, lang)].fields}
            for a, key in enumerate(("rh", "rw")):
                wrong = {rule: _field_wrong(specs, rule, a) for rule in FIELD_RULES}
                axis = (right[1 - a], ("axis_h", "axis_w")[a])
                kinds_seen += _check_hints(fields[key], right[a], wrong, cv._F, lang, axis)
            wrong = {"sum": sum(strides), "last": math.prod(strides[:-1])}
            _check_hints(fields["jump"], math.prod(strides), wrong, cv._F, lang, None)
    # dilation and jump (or own and whole) giving one value, and a wrong height that is the
    # right width (variants 5 and 20): both happen, and get the hints the review asked for
    assert kinds_seen["both"] >= 5 and kinds_seen["axis"] >= 5, kinds_seen
    for i in (5, 20):  # the review's: a wrong rule's height 21 is the right width
        rh, rw = _field(FIELD.generate(i)["layers"])
        f = rendered[(FIELD.name, i, "en")].fields[0]
        assert _shown(f, rw) == cv._F["axis_h"]["en"] and rw != rh
    # the review's variants: a rounded-up size is no longer blamed on the dilation alone
    both = cv._S["c_ceil"]["en"], cv._S["c_dilation"]["en"]
    for i in (5, 16, 24, 25, 30, 31):
        hints = [h for f in rendered[(STACK.name, i, "en")].fields for _, h in f.mistakes]
        assert any(all(c in h for c in both) for h in hints), i


# ---- convolutions.design ------------------------------------------------------------------------

def _design_facts(key: str, c_in: int, c_out: int, h: int) -> dict:
    """Parameters, multiplications, receptive field and its holes of a design, by hand."""
    layers = cv._design(key, c_in, c_out)
    size, params, mults = h, 0, 0
    for layer in layers:
        kh, kw = layer.kernel
        weights = kh * kw * (layer.in_channels // layer.groups) * layer.out_channels
        (top, bottom), _ = layer.pads
        size = (size + top + bottom - layer.span[0]) // layer.stride[0] + 1
        params += weights
        mults += size * size * weights
    axes = [[(layer.kernel[a], layer.stride[a], layer.dilation[a]) for layer in layers]
            for a in (0, 1)]
    (rh, nh), (rw, nw) = (_field_1d(axes[0]), _field_1d(axes[1]))
    return {"params": params, "mults": mults, "rf": (rh, rw), "holes": nh * nw < rh * rw,
            "layers": len(layers)}


@pytest.mark.parametrize("i", range(DESIGN.count))
def test_design_answer_follows_from_independent_numbers(i, rendered):
    params = DESIGN.generate(i)
    needs, goal = params["needs"], params["goal"]
    facts = [_design_facts(*o) for o in params["options"]]

    def fits(f):
        return (min(f["rf"]) >= needs.get("rf", 0) and not (needs.get("full") and f["holes"])
                and f["layers"] <= needs.get("layers", 99)
                and f["params"] <= needs.get("params", math.inf)
                and f["mults"] <= needs.get("mults", math.inf))

    ok = [j for j, f in enumerate(facts) if fits(f)]
    if goal is None:
        assert len(ok) == 1
        right = ok[0]
    else:
        values = [facts[j][goal[0]] for j in ok]
        best = (min if goal[1] == "min" else max)(values)
        assert values.count(best) == 1  # exactly one option is right
        right = ok[values.index(best)]
    if goal is not None and goal[1] == "min":
        assert len(ok) >= 2  # a real choice among designs that all fit
    for lang in LANGS:
        v = rendered[(DESIGN.name, i, lang)]
        assert [o.correct for o in v.options] == [j == right for j in range(len(facts))]
        # every option's explanation carries its own counts, as the page writes them
        for o, f in zip(v.options, facts):
            text = o.explanation.replace("\u202f", "").replace(",", "")
            assert str(f["params"]) in text and str(f["mults"]) in text
            assert "×".join(map(str, f["rf"])) in o.explanation


def test_design_variant_0_is_the_lessons_design_table():
    # 56×56, 64 → 64: depthwise 7×7 (64·49) plus pointwise 1×1 (64·64) weights
    v = DESIGN.render(DESIGN.generate(0), "en")
    right = next(o for o in v.options if o.correct)
    assert "depthwise 7×7" in right.text and f"{64 * 49 + 64 * 64:,}" in right.explanation


def test_design_covers_the_replacements_of_the_issue():
    keys = {o[0] for i in range(DESIGN.count) for o in DESIGN.generate(i)["options"]}
    for key in ("5x5", "3x3x2", "3x3", "1x3+3x1", "dw7+pw", "3x3d2", "dil22", "3x3s2"):
        assert key in keys
    contexts = Counter(DESIGN.generate(i)["context"] for i in range(DESIGN.count))
    assert contexts["place"] >= 2  # an early high-resolution layer against a late one


def test_place_solutions_say_when_the_multiplications_agree(rendered):
    # one 3×3 layer on H×H with C → C channels: 9·H²·C² multiplications, so equal H·C give
    # equal counts; the note appears exactly where the hand counts agree, and gives H·C
    noted = 0
    for i in range(DESIGN.count):
        params = DESIGN.generate(i)
        if params["context"] != "place":
            continue
        mults = {_design_facts(*o)["mults"] for o in params["options"]}
        products = {h * c for _key, c, _o, h in params["options"]}
        assert mults == {9 * hc ** 2 for hc in products}
        for lang, phrase, says in (
                ("uk", "Множень усюди однаково", "H·C скрізь дорівнює "),
                ("en", "The multiplications are the same everywhere", "H·C is ")):
            solution = rendered[(DESIGN.name, i, lang)].solution
            assert (phrase in solution) == (len(mults) == 1), (i, lang)
            if len(mults) == 1:
                hc = re.escape(says + fmt_int(next(iter(products)), lang))
                assert re.search(hc + r"(?![\d\u202f,])", solution)
                noted += 1
        # a wrong place is compared with the right one's map, as the right option names it
        options = rendered[(DESIGN.name, i, "en")].options
        right = next(j for j, o in enumerate(options) if o.correct)
        _key, c, _o, h = params["options"][right]
        for j, o in enumerate(options):
            assert (f"than on a {h}×{h} map with {c} channels." in o.explanation) == (j != right)
    assert noted == 2  # variant 7 (112·32 = 28·128 = 7·512), in both languages


def test_stack_text_says_padding_is_per_side(rendered):
    # the page's size formula adds p (top and bottom together); the exercise's p is per side,
    # and the statement, the size hint, the padding hints and the solution all add 2p
    for lang, phrase in (("uk", "p — доповнення з одного боку, тож до розміру входу додається 2p"),
                         ("en", "here p is the padding on each side, so 2p is added")):
        for key in ("hint_size", "sides", "c_sides"):
            assert "2p" in cv._S[key][lang], key
        for i in range(STACK.count):
            v = rendered[(STACK.name, i, lang)]
            assert phrase in v.prompt and "2p<sub>h</sub>" in v.solution


# ---- common to the three kinds -------------------------------------------------------------------

def test_hints_never_fire_on_a_right_answer(rendered):
    for k in (STACK, FIELD):
        for i in range(k.count):
            for f in rendered[(k.name, i, "en")].fields:
                assert f.digits == 0 and f.stepwise is None
                assert float(f.answer).is_integer()
                for value, _ in f.mistakes:
                    assert abs(value - f.answer) >= 1, (k.name, i, f.key)
                values = [m for m, _ in f.mistakes]
                assert len(values) == len(set(values))


def test_labels_and_hints_are_plain_text(rendered):
    # the checker writes hints with textContent and the form escapes labels: no markup
    for v in rendered.values():
        for f in v.fields:
            assert "<" not in f.label and "<" not in f.hint
            assert all("<" not in h for _, h in f.mistakes)


def test_ids_are_stable_unique_and_language_neutral(rendered):
    for k in KINDS:
        ids = [rendered[(k.name, i, "uk")].id for i in range(k.count)]
        assert ids == [rendered[(k.name, i, "en")].id for i in range(k.count)]
        assert ids == [variant_id(k.name, k.generate(i)) for i in range(k.count)]
        assert len(set(ids)) == k.count


def test_the_text_is_in_the_pages_language(rendered):
    cyrillic = re.compile("[а-яіїєґ]", re.IGNORECASE)
    for (name, i, lang), v in rendered.items():
        html = re.sub(r'<span class="exercise-id">.*?</span>', "", variant_inner_html(v))
        text = re.sub(r"<[^>]+>", " ", html)  # "Variant 3adeb…" above: hex, not words
        if lang == "en":
            assert not cyrillic.search(text), (name, i)
        else:
            words = re.findall(r"[A-Za-z]{4,}", text.replace("same", ""))
            assert set(words) <= {"cost", "path", "counts"}, (name, i, words)
            # Ukrainian digit groups: a narrow no-break space, never a comma
            assert not re.search(r"\d,\d{3}\b", text), (name, i)


def test_solution_totals_are_the_answers_as_typed(rendered):
    # the last table row of a stack's solution gives the totals the student types: the
    # checker strips digit groups, so the grouped text must read back as the answer
    for lang in LANGS:
        for i in range(STACK.count):
            v = rendered[(STACK.name, i, lang)]
            cells = _body_rows(v.solution)[-1]
            answers = {f.key: f.answer for f in v.fields}
            assert cells[1] == f"{answers['c']:.0f}×{answers['h']:.0f}×{answers['w']:.0f}"
            read = [int(re.sub(r"[\s\u202f,]", "", c)) for c in cells[2:]]
            assert read == [answers["mults"], answers["params"]]


def test_variant_0_forms_are_small():
    # the page carries variant 0 of each kind; the others load on "next"
    for k in KINDS:
        for lang in LANGS:
            assert len(exercise_html(k, lang).encode()) < 12_000, (k.name, lang)


@pytest.mark.parametrize("call,error,name", [
    (lambda: STACK.generate(-1), ValueError, "i"),
    (lambda: FIELD.generate(FIELD.count), ValueError, "i"),
    (lambda: DESIGN.generate("0"), TypeError, "i"),
    (lambda: STACK.render([], "uk"), TypeError, "params"),
    (lambda: STACK.render({}, "uk"), ValueError, "params"),
    (lambda: FIELD.render({}, "en"), ValueError, "params"),
    (lambda: DESIGN.render({"context": "nowhere"}, "en"), ValueError, "params"),
    (lambda: STACK.render(STACK.generate(0), "fr"), ValueError, "lang"),
])
def test_bad_input_names_the_parameter(call, error, name):
    with pytest.raises(error, match=name):
        call()


@pytest.mark.parametrize("lang", LANGS)
def test_a_placement_question_has_its_own_title(lang):
    # "where does this layer cost most" compares places, not designs: its title says so
    for i in range(DESIGN.count):
        params = DESIGN.generate(i)
        title = DESIGN.render(params, lang).title
        key = "title_place" if params["context"] == "place" else "title"
        assert title == cv._D[key][lang], (i, title)


def test_a_ukrainian_pair_is_not_written_as_a_decimal():
    # «0, 1» reads as 0,1 where the comma is the decimal sign: a pair takes a semicolon
    for i in range(STACK.count):
        uk = STACK.render(STACK.generate(i), "uk").prompt
        assert not re.search(r">\d+, \d+<", uk), i
