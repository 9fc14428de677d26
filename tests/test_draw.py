"""Tests of the computational-graph figure: content, language, accessibility and layout.

The expected numbers come from the engine's nodes (or from calculus done here), never
from the drawing itself; the layout checks use their own, independent text-size estimate.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lessons.autograd import Value, topological_order
from lessons.draw import figure_html, gate_label, to_svg
from lessons.i18n import fmt

NS = "{http://www.w3.org/2000/svg}"


# ---- the three graphs of the brief, and a bigger one ------------------------------------

def graph_a() -> tuple[Value, dict[str, Value]]:
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.label = "f"
    f.backward()
    return f, {"x": x, "y": y, "z": z}


def graph_b() -> tuple[Value, dict[str, Value]]:
    names = ("w0", "x0", "w1", "x1", "w2")
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in zip((2.0, -1.0, -3.0, -2.0, -3.0), names))
    f = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    f.label = "f"
    f.backward()
    return f, dict(zip(names, (w0, x0, w1, x1, w2)))


def graph_c() -> tuple[Value, dict[str, Value]]:
    x, y = Value(3.0, "x"), Value(-4.0, "y")
    f = (x + y.sigmoid()) / (x.sigmoid() + (x + y) ** 2)
    f.label = "f"
    f.backward()
    return f, {"x": x, "y": y}


def graph_d() -> tuple[Value, dict[str, Value]]:
    """A tiny two-unit network: 25 nodes, forks at every level, long edges."""
    x1, x2 = Value(0.5, "x1"), Value(-1.5, "x2")
    w = [Value(v, f"w{i}") for i, v in enumerate([0.3, -0.8, 1.2, 0.4, -0.6, 0.9])]
    h1 = (w[0] * x1 + w[1] * x2).tanh()
    h2 = (w[2] * x1 + w[3] * x2).relu()
    f = (w[4] * h1 + w[5] * h2 + h1 * h2).sigmoid()
    f.label = "L"
    f.backward()
    # the overlap tests lean on this graph being large; a fixture check, not a test
    assert len(topological_order(f)) >= 15
    return f, {"x1": x1, "x2": x2}


GRAPHS = [graph_a, graph_b, graph_c, graph_d]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [t.text or "" for t in root.iter(NS + "text")
            if cls is None or cls in t.get("class", "").split()]


# ---- content ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_every_value_and_gradient_is_shown(make, lang):
    f, _ = make()
    doc = parse(to_svg(f, lang=lang))
    values, grads = texts(doc, "cg-value"), texts(doc, "cg-grad")
    desc = doc.find(NS + "desc").text
    for node in topological_order(f):
        assert fmt(node.data, lang, 2) in values
        assert fmt(node.grad, lang, 2) in grads
        assert fmt(node.data, lang, 2) in desc and fmt(node.grad, lang, 2) in desc


def test_graph_a_numbers_by_hand():
    # (x + y) * z at -2, 5, -4: q = 3, f = -12; df/dx = df/dy = z = -4, df/dz = q = 3
    f, _ = graph_a()
    doc = parse(to_svg(f, lang="en"))
    assert {"−2.00", "5.00", "−4.00", "3.00", "−12.00"} <= set(texts(doc, "cg-value"))
    assert {"−4.00", "3.00", "1.00"} <= set(texts(doc, "cg-grad"))
    assert texts(doc, "cg-op").count("+") == 1 and texts(doc, "cg-op").count("×") == 1
    assert {"x", "y", "z", "f"} <= set(texts(doc, "cg-name"))


def test_sigmoid_neuron_gate_labels_and_subscripts():
    f, _ = graph_b()
    doc = parse(to_svg(f, lang="uk"))
    ops = texts(doc, "cg-op")
    assert sorted(ops) == sorted(["×", "×", "+", "+", "×(−1)", "exp", "+1", "1/x"])
    assert {"w₀", "x₀", "w₁", "x₁", "w₂", "f"} <= set(texts(doc, "cg-name"))
    # the classic result of this figure: dw0 = -0.20, dx0 = 0.39, dw1 = -0.39, dx1 = -0.59
    grads = texts(doc, "cg-grad")
    assert {"−0,20", "0,39", "−0,39", "−0,59", "0,20"} <= set(grads)


def _links(doc: ET.Element) -> list[ET.Element]:
    """The edges with their labels: the <g>s in .cg-edges (a fork's stub has class cg-stub)."""
    edges = next(g for g in doc.iter(NS + "g") if g.get("class") == "cg-edges")
    return [g for g in edges if g.tag == NS + "g"]


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "."))


def test_fork_shows_each_branch_and_their_sum():
    # f = (x + s(y)) / (s(x) + (x + y)^2): x reaches f along three paths
    f, v = graph_c()
    x, y = v["x"].data, v["y"].data

    def sig(t: float) -> float:
        return 1 / (1 + math.exp(-t))

    num, den = x + sig(y), sig(x) + (x + y) ** 2
    expected = sorted([1 / den,                                        # through the numerator
                       -num / den**2 * sig(x) * (1 - sig(x)),           # through sigmoid(x)
                       -num / den**2 * 2 * (x + y)])                   # through (x + y)^2
    doc = parse(to_svg(f, lang="en", digits=6))
    x_text = fmt(x, "en", 6)
    branches, stubs = [], []
    for g in _links(doc):
        value = [t.text for t in g.iter(NS + "text") if t.get("class") == "cg-value"]
        grad = [t.text for t in g.iter(NS + "text") if t.get("class") == "cg-grad"]
        if value == [x_text]:
            (stubs if g.get("class") == "cg-stub" else branches).append(_number(grad[0]))
    assert sorted(branches) == pytest.approx(expected, abs=2e-6)
    assert stubs == [pytest.approx(sum(expected), abs=2e-6)]
    assert stubs[0] == pytest.approx(v["x"].grad, abs=1e-6)


def test_x_times_x_draws_two_edges():
    x = Value(3.0, "x")
    f = x * x
    f.label = "f"
    f.backward()
    doc = parse(to_svg(f, lang="en"))
    links = _links(doc)
    stubs = [g for g in links if g.get("class") == "cg-stub"]
    assert len(links) - len(stubs) == 3     # two edges into the gate, one to the output
    assert len(stubs) == 1
    stub_grad = [t.text for t in stubs[0].iter(NS + "text") if t.get("class") == "cg-grad"]
    assert stub_grad == ["6.00"]            # d(x^2)/dx = 2x
    assert texts(doc, "cg-grad").count("3.00") == 2   # each branch carries x * 1


def test_gradients_false_draws_values_only():
    f, _ = graph_a()
    doc = parse(to_svg(f, lang="en", gradients=False))
    assert texts(doc, "cg-grad") == []
    assert "−12.00" in texts(doc, "cg-value")
    assert "gradient" not in "".join(texts(doc))


# ---- language -----------------------------------------------------------------------------

def test_language_of_title_desc_and_legend():
    f, _ = graph_a()
    uk, en = parse(to_svg(f, lang="uk")), parse(to_svg(f, lang="en"))
    assert uk.find(NS + "title").text.startswith("Обчислювальний граф для f = ")
    assert en.find(NS + "title").text.startswith("Computational graph of f = ")
    assert "(x + y) × z" in uk.find(NS + "title").text
    assert "значення" in uk.find(NS + "desc").text and "value" in en.find(NS + "desc").text
    assert "значення (прямий прохід)" in texts(uk) and "градієнт (зворотний прохід)" in texts(uk)
    assert "value (forward pass)" in texts(en) and "gradient (backward pass)" in texts(en)
    assert not re.search("[а-яіїєґ]", ET.tostring(en, encoding="unicode"), re.IGNORECASE)


def test_decimal_comma_in_uk_and_point_in_en():
    f, _ = graph_b()
    uk = texts(parse(to_svg(f, lang="uk")), "cg-value")
    en = texts(parse(to_svg(f, lang="en")), "cg-value")
    assert "0,73" in uk and "0.73" in en
    assert not any(re.search(r"\d\.\d", t) for t in uk)
    assert not any(re.search(r"\d,\d", t) for t in en)
    assert "−1,00" in uk  # a true minus sign, not a hyphen
    assert not any("-" in t for t in uk + en)


@pytest.mark.parametrize("digits", [0, 1, 4])
def test_digits_changes_precision(digits):
    f, _ = graph_b()
    doc = parse(to_svg(f, digits=digits))
    # the legend's two entries share the classes: only numeric labels are graph labels
    numeric = re.compile(r"^−?\d")
    values = [t for t in texts(doc, "cg-value") if numeric.match(t)]
    grads = [t for t in texts(doc, "cg-grad") if numeric.match(t)]
    assert len(texts(doc, "cg-value")) - len(values) == 1  # only the legend is not a number
    # every label, value and gradient alike, has exactly `digits` decimals
    shape = re.compile(r"^−?\d+" + (rf",\d{{{digits}}}$" if digits else "$"))
    assert values and grads and all(shape.match(t) for t in values + grads), values + grads
    # and every node's value and gradient appears at that precision
    nodes = topological_order(f)
    assert {fmt(n.data, "uk", digits) for n in nodes} <= set(values)
    assert {fmt(n.grad, "uk", digits) for n in nodes} <= set(grads)


# ---- markup, escaping, ids, determinism ---------------------------------------------------

def test_accessible_svg_root():
    f, _ = graph_a()
    svg = to_svg(f, lang="uk")
    doc = parse(svg)
    assert doc.tag == NS + "svg"
    assert doc.get("role") == "img"
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for ref in doc.get("aria-labelledby").split():
        assert ref in ids
    assert {doc.find(NS + "title").get("id"), doc.find(NS + "desc").get("id")} == set(
        doc.get("aria-labelledby").split())
    # every edge ends in an arrow: the svg's own style puts its own marker on .cg-edge
    style = doc.find(NS + "style").text
    arrow = re.search(r"\.cg-edge\{marker-end:url\(#([^)]+)\)\}", style).group(1)
    assert arrow in ids and doc.find(f".//{NS}marker").get("id") == arrow
    assert any(p.get("class") == "cg-edge" for p in doc.iter(NS + "path"))
    # scales to phone width: viewBox, fluid width, natural width as the maximum
    vb = [float(t) for t in doc.get("viewBox").split()]
    assert doc.get("width") == "100%" and doc.get("height") is None
    assert f"max-width:{vb[2]:g}px" in doc.get("style")
    assert "min-width" not in doc.get("style")
    scaled = parse(to_svg(f, lang="uk", min_scale=0.5)).get("style")
    assert f"min-width:{vb[2] / 2:g}px" in scaled


def test_label_is_escaped():
    evil = '<b>&"'
    x = Value(1.0, evil)
    f = x * 2
    f.label = "</svg><script>alert(1)</script>"
    f.backward()
    svg = to_svg(f, lang="en")
    doc = parse(svg)
    tags = {e.tag for e in doc.iter()}
    assert NS + "b" not in tags and NS + "script" not in tags and "script" not in tags
    assert evil in texts(doc, "cg-name")
    assert f.label in texts(doc, "cg-name")
    assert evil in doc.find(NS + "desc").text
    assert "<b>" not in svg


def test_deterministic_and_ids_differ_between_graphs():
    a1, a2 = to_svg(graph_a()[0]), to_svg(graph_a()[0])   # fresh objects each time
    assert a1 == a2
    b = to_svg(graph_b()[0])
    assert parse(a1).get("id") != parse(b).get("id")
    assert parse(a1).get("id") != parse(to_svg(graph_a()[0], lang="en")).get("id")
    custom = parse(to_svg(graph_a()[0], id_prefix="fig-1"))
    assert custom.get("id") == "fig-1"
    assert custom.find(NS + "title").get("id").startswith("fig-1")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_have_contrast_on_light_and_dark_pages():
    style = parse(to_svg(graph_a()[0])).find(NS + "style").text
    light = dict(re.findall(r"(?<!\] )svg\.cg#[\w-]+ \.(cg-value|cg-grad)\{fill:(#[0-9a-f]{6})",
                            style))
    dark = dict(re.findall(r'\[data-md-color-scheme="slate"\] svg\.cg#[\w-]+ '
                           r"\.(cg-value|cg-grad)\{fill:(#[0-9a-f]{6})", style))
    assert set(light) == set(dark) == {"cg-value", "cg-grad"}
    for cls in ("cg-value", "cg-grad"):
        assert _contrast(light[cls], "#ffffff") >= 4.5
        assert _contrast(dark[cls], "#1e2129") >= 4.5
    assert "font-style:italic" in style.split(".cg-grad{")[1].split("}")[0]
    assert "stroke:currentColor" in style


# ---- layout -------------------------------------------------------------------------------

def presented(doc: ET.Element, t: ET.Element, name: str, default: str | None = None):
    """The value of presentation attribute ``name`` that ``t`` renders with: its own, or
    the nearest ancestor's in ``doc`` (font-size and text-anchor inherit in SVG)."""
    parents = {c: p for p in doc.iter() for c in p}
    while t is not None:
        if t.get(name) is not None:
            return t.get(name)
        t = parents.get(t)
    return default


def _text_box(t: ET.Element, doc: ET.Element) -> tuple[float, float, float, float]:
    """Independent estimate: 0.62 em per character, ascent 0.8 em, descent 0.25 em."""
    size = float(presented(doc, t, "font-size"))
    x, y = float(t.get("x")), float(t.get("y"))
    w = 0.62 * size * len(t.text or "")
    anchor = presented(doc, t, "text-anchor", "start")
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return (x0, y - 0.8 * size, x0 + w, y + 0.25 * size)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _horizontal_runs(d: str) -> list[tuple[float, float, float]]:
    """(x0, x1, y) of every horizontal piece of a path made of M, H and C commands."""
    runs = []
    x = y = 0.0
    for cmd, args in re.findall(r"([MHC])([^MHC]*)", d):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "M":
            x, y = nums
        elif cmd == "H":
            runs.append((min(x, nums[0]), max(x, nums[0]), y))
            x = nums[0]
        else:
            x, y = nums[-2], nums[-1]
    return runs


def check_layout(svg: str) -> None:
    doc = parse(svg)
    vb = [float(t) for t in doc.get("viewBox").split()]
    all_texts = list(doc.iter(NS + "text"))
    boxes = {id(t): _text_box(t, doc) for t in all_texts}
    for t in all_texts:
        x0, y0, x1, y1 = boxes[id(t)]
        assert x0 >= vb[0] and y0 >= vb[1] and x1 <= vb[2] and y1 <= vb[3], t.text
    for i, a in enumerate(all_texts):
        for b in all_texts[i + 1:]:
            assert not _overlap(boxes[id(a)], boxes[id(b)]), (a.text, b.text)
    gates = [g for g in doc.iter(NS + "g") if g.get("class") == "cg-gate"]
    rects = []
    for g in gates:
        r = g.find(NS + "rect")
        rect = (float(r.get("x")), float(r.get("y")),
                float(r.get("x")) + float(r.get("width")),
                float(r.get("y")) + float(r.get("height")))
        own = g.find(NS + "text")
        rects.append((rect, own))
        ox0, _, ox1, _ = boxes[id(own)]
        assert rect[0] <= ox0 and ox1 <= rect[2], own.text   # the op fits inside its box
    for i, (ra, _) in enumerate(rects):
        for rb, _ in rects[i + 1:]:
            assert not _overlap(ra, rb)
    for t in all_texts:
        for rect, own in rects:
            if t is not own:
                assert not _overlap(boxes[id(t)], rect), t.text
    # value above its edge, gradient below it, on a straight piece of that edge
    for g in _links(doc) + [g for g in doc.iter(NS + "g") if g.get("class") == "cg-legend"]:
        runs = _horizontal_runs(g.find(NS + "path").get("d"))
        value = [t for t in g.findall(NS + "text") if t.get("class") == "cg-value"]
        grad = [t for t in g.findall(NS + "text") if t.get("class") == "cg-grad"]
        assert len(value) == 1 and len(grad) <= 1
        vx0, _, vx1, vy1 = boxes[id(value[0])]
        under = [t for t in grad]
        for x0, x1, y in runs:
            if x0 <= vx0 and vx1 <= x1 and vy1 < y and all(
                    boxes[id(u)][1] > y and x0 <= boxes[id(u)][0] and boxes[id(u)][2] <= x1
                    for u in under):
                break
        else:
            raise AssertionError(f"labels {value[0].text!r} not around a straight edge")


@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_no_label_overlaps(make, lang):
    f, _ = make()
    check_layout(to_svg(f, lang=lang))
    check_layout(to_svg(f, lang=lang, digits=5))


_SAFE_OPS = ["+", "-", "*", "max", "tanh", "sigmoid", "relu", "*c", "+c", "sq", "self*"]


def _apply(op: str, a: Value, b: Value) -> Value:
    ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
           "max": lambda: a.max(b), "tanh": a.tanh, "sigmoid": a.sigmoid,
           "relu": a.relu, "*c": lambda: a * -0.5, "+c": lambda: a - 2,
           "sq": lambda: a**2, "self*": lambda: a * a}
    return ops[op]()


@st.composite
def random_graph(draw):
    n_in = draw(st.integers(1, 5))
    values = draw(st.lists(st.integers(-30, 30), min_size=n_in, max_size=n_in))
    nodes = [Value(v / 10, f"x{i}") for i, v in enumerate(values)]
    for _ in range(draw(st.integers(1, 16))):
        op = draw(st.sampled_from(_SAFE_OPS))
        a = nodes[draw(st.integers(0, len(nodes) - 1))]
        b = nodes[draw(st.integers(0, len(nodes) - 1))]
        try:
            node = _apply(op, a, b)
        except OverflowError:
            assume(False)
        nodes.append(node)
    # make every node part of the graph: sum the last few into the output
    root = nodes[-1]
    for extra in nodes[-4:-1]:
        root = root + extra
    root.label = "f"
    root.backward()
    return root


@settings(max_examples=40, deadline=None)
@given(random_graph(), st.sampled_from(["uk", "en"]))
def test_no_overlaps_on_random_graphs(root, lang):
    svg = to_svg(root, lang=lang)
    check_layout(svg)
    values = texts(parse(svg), "cg-value")
    for node in topological_order(root):
        assert fmt(node.data, lang, 2) in values


def test_long_chain_does_not_hit_recursion_limit():
    x = Value(0.5, "x")
    f = x
    for _ in range(1500):
        f = f * 1.0
    f.backward()
    svg = to_svg(f, lang="en")
    assert parse(svg).find(NS + "title").text == "Computational graph"  # expression too long


def test_single_input_graph():
    x = Value(2.5, "x")
    x.backward()
    doc = parse(to_svg(x, lang="en"))
    assert "2.50" in texts(doc, "cg-value") and "1.00" in texts(doc, "cg-grad")
    check_layout(to_svg(x, lang="en"))


def test_gate_labels():
    assert gate_label("*-1") == "×(−1)"
    assert gate_label("*") == "×" and gate_label("-") == "−" and gate_label("sigmoid") == "σ"
    assert gate_label("^2") == "(·)²" and gate_label("^-1") == "(·)⁻¹"
    assert gate_label("*0.5", "en") == "×0.5" and gate_label("*0.5", "uk") == "×0,5"
    assert gate_label("-3") == "−3" and gate_label("+1") == "+1"
    assert gate_label("2-x") == "2−x" and gate_label("1/x") == "1/x"


# ---- bad input ----------------------------------------------------------------------------

def test_bad_input():
    f, _ = graph_a()
    with pytest.raises(TypeError, match="root"):
        to_svg(3.0)
    with pytest.raises(ValueError, match="digits"):
        to_svg(f, digits=-1)
    with pytest.raises(TypeError, match="digits"):
        to_svg(f, digits=True)
    with pytest.raises(TypeError, match="digits"):
        to_svg(f, digits=1.5)
    with pytest.raises(ValueError, match="lang"):
        to_svg(f, lang="de")
    with pytest.raises(ValueError, match="min_scale"):
        to_svg(f, min_scale=0)
    with pytest.raises(ValueError, match="id_prefix"):
        to_svg(f, id_prefix="1 bad")
    with pytest.raises(ValueError, match="frobnicate"):
        gate_label("frobnicate")


def test_division_by_a_number_is_one_gate_with_its_own_label():
    x = Value(6.0, "x")
    f = x / 4
    f.backward()
    svg = to_svg(f, lang="en")
    assert gate_label("/4") == "÷4"
    assert "x / 4" in ET.fromstring(svg).find("{http://www.w3.org/2000/svg}title").text
    assert fmt(0.25, "en", 2) in svg  # the local gradient 1/4 reaches x



# ---- the narrow (top-to-bottom) variant ------------------------------------------------------

PHONE = 360                 # the phone the figures must serve
CONTENT = PHONE - 2 * 16    # Material's content width there: 16 px padding on each side
LESSON_GRAPHS = [graph_a, graph_b, graph_c]


def down(root: Value, **kw) -> str:
    return to_svg(root, direction="down", **kw)


def _width(doc: ET.Element) -> float:
    return float(doc.get("viewBox").split()[2])


@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_narrow_shows_every_value_and_gradient(make, lang):
    f, _ = make()
    doc = parse(down(f, lang=lang))
    values, grads = texts(doc, "cg-value"), texts(doc, "cg-grad")
    for node in topological_order(f):
        assert fmt(node.data, lang, 2) in values
        assert fmt(node.grad, lang, 2) in grads
    # one value per edge and per fork stub, plus the legend's lines
    legend = next(g for g in doc.iter(NS + "g") if g.get("class") == "cg-legend")
    n_edges = sum(len(n.inputs) for n in topological_order(f)) + 1
    n_stubs = len([g for g in _links(doc) if g.get("class") == "cg-stub"])
    shown = len(values) - len([t for t in legend.iter(NS + "text")
                               if t.get("class") == "cg-value"])
    assert shown == n_edges + n_stubs


def test_narrow_graph_b_numbers_by_hand():
    # the classic result of this figure: dw0 = -0.20, dx0 = 0.39, dw1 = -0.39, dx1 = -0.59
    f, _ = graph_b()
    doc = parse(down(f, lang="uk"))
    assert {"−0,20", "0,39", "−0,39", "−0,59", "0,20"} <= set(texts(doc, "cg-grad"))
    assert {"2,00", "−1,00", "−3,00", "−2,00", "0,73"} <= set(texts(doc, "cg-value"))
    assert sorted(texts(doc, "cg-op")) == sorted(["×", "×", "+", "+", "×(−1)", "exp", "+1", "1/x"])


def test_narrow_fork_shows_each_branch_and_their_sum():
    f, v = graph_c()
    x, y = v["x"].data, v["y"].data

    def sig(t: float) -> float:
        return 1 / (1 + math.exp(-t))

    num, den = x + sig(y), sig(x) + (x + y) ** 2
    expected = sorted([1 / den, -num / den**2 * sig(x) * (1 - sig(x)),
                       -num / den**2 * 2 * (x + y)])
    doc = parse(down(f, lang="en", digits=6))
    branches, stubs = [], []
    for g in _links(doc):
        value = [t.text for t in g.iter(NS + "text") if t.get("class") == "cg-value"]
        grad = [t.text for t in g.iter(NS + "text") if t.get("class") == "cg-grad"]
        if value == [fmt(x, "en", 6)]:
            (stubs if g.get("class") == "cg-stub" else branches).append(_number(grad[0]))
    assert sorted(branches) == pytest.approx(expected, abs=2e-6)
    assert stubs == [pytest.approx(sum(expected), abs=2e-6)]


def test_narrow_x_times_x_and_values_only():
    x = Value(3.0, "x")
    f = x * x
    f.label = "f"
    f.backward()
    doc = parse(down(f, lang="en"))
    assert texts(doc, "cg-grad").count("3.00") == 2 and "6.00" in texts(doc, "cg-grad")
    g, _ = graph_a()
    plain = parse(down(g, lang="en", gradients=False))
    assert texts(plain, "cg-grad") == [] and "−12.00" in texts(plain, "cg-value")
    assert "gradient" not in "".join(texts(plain)) + plain.find(NS + "desc").text
    check_layout_down(down(g, lang="en", gradients=False))


def test_narrow_language_and_accessible_name():
    f, _ = graph_b()
    uk, en = parse(down(f, lang="uk")), parse(down(f, lang="en"))
    assert uk.get("role") == "img" and en.get("role") == "img"
    assert uk.find(NS + "title").text == parse(to_svg(f, lang="uk")).find(NS + "title").text
    assert "Ліворуч від кожного ребра — значення" in uk.find(NS + "desc").text
    assert "To the left of each edge is its value" in en.find(NS + "desc").text
    assert {"значення", "(прямий прохід)", "градієнт", "(зворотний прохід)"} <= set(texts(uk))
    assert {"value", "(forward pass)", "gradient", "(backward pass)"} <= set(texts(en))
    assert not re.search("[а-яіїєґ]", ET.tostring(en, encoding="unicode"), re.IGNORECASE)
    ids = [e.get("id") for e in uk.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and set(uk.get("aria-labelledby").split()) <= set(ids)
    # the narrow figure's default id differs from the wide one's: both may share a page
    assert uk.get("id") != parse(to_svg(f, lang="uk")).get("id")


def _runs_down(d: str) -> tuple[list[tuple[float, float, float]], list[tuple[float, ...]]]:
    """Vertical runs (x, y0, y1) and curve bounding boxes of a path of M, V and C commands."""
    runs, curves = [], []
    x = y = 0.0
    for cmd, args in re.findall(r"([MVHC])([^MVHC]*)", d):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        assert cmd != "H", "a narrow figure has no horizontal runs"
        if cmd == "M":
            x, y = nums
        elif cmd == "V":
            runs.append((x, min(y, nums[0]), max(y, nums[0])))
            y = nums[0]
        else:
            xs, ys = [x] + nums[0::2], [y] + nums[1::2]
            curves.append((min(xs), min(ys), max(xs), max(ys)))   # inside the control hull
            x, y = nums[-2], nums[-1]
    return runs, curves


def check_layout_down(svg: str) -> None:
    """No label touches another label, an edge or a gate box; values left, gradients right."""
    doc = parse(svg)
    vb = [float(t) for t in doc.get("viewBox").split()]
    all_texts = list(doc.iter(NS + "text"))
    boxes = {id(t): _text_box(t, doc) for t in all_texts}
    for t in all_texts:
        x0, y0, x1, y1 = boxes[id(t)]
        assert x0 >= vb[0] and y0 >= vb[1] and x1 <= vb[2] and y1 <= vb[3], t.text
    for i, a in enumerate(all_texts):
        for b in all_texts[i + 1:]:
            assert not _overlap(boxes[id(a)], boxes[id(b)]), (a.text, b.text)
    rects = []
    for g in (g for g in doc.iter(NS + "g") if g.get("class") == "cg-gate"):
        r = g.find(NS + "rect")
        rect = (float(r.get("x")), float(r.get("y")),
                float(r.get("x")) + float(r.get("width")),
                float(r.get("y")) + float(r.get("height")))
        own = g.find(NS + "text")
        rects.append((rect, own))
        assert rect[0] <= boxes[id(own)][0] and boxes[id(own)][2] <= rect[2], own.text
    for i, (ra, _) in enumerate(rects):
        for rb, _ in rects[i + 1:]:
            assert not _overlap(ra, rb)
    for t in all_texts:
        for rect, own in rects:
            if t is not own:
                assert not _overlap(boxes[id(t)], rect), t.text
    # every edge: its pieces touch no label and cross no gate box
    paths = [p for p in doc.iter(NS + "path") if "cg-edge" in p.get("class", "").split()]
    for p in paths:
        runs, curves = _runs_down(p.get("d"))
        for x, y0, y1 in runs:
            line = (x - 0.5, y0, x + 0.5, y1)
            for t in all_texts:
                assert not _overlap(boxes[id(t)], line), t.text
            for rect, _ in rects:
                shrunk = (rect[0], rect[1] + 0.5, rect[2], rect[3] - 0.5)
                assert not _overlap(shrunk, line), "an edge runs through a gate box"
        for c in curves:
            for t in all_texts:
                assert not _overlap(boxes[id(t)], c), t.text
    # value left of a vertical piece of its own edge, gradient right of it, at its height
    for g in _links(doc) + [g for g in doc.iter(NS + "g") if g.get("class") == "cg-legend"]:
        runs, _ = _runs_down(g.find(NS + "path").get("d"))
        value = [t for t in g.findall(NS + "text") if t.get("class") == "cg-value"]
        grad = [t for t in g.findall(NS + "text") if t.get("class") == "cg-grad"]
        assert value and len(grad) <= len(value)
        for t in value + grad:
            x0, y0, x1, y1 = boxes[id(t)]
            left = t.get("class") == "cg-value"
            assert any(ry0 <= y0 and y1 <= ry1 and (x1 <= x if left else x0 >= x)
                       and (x - x1 if left else x0 - x) < 12
                       for x, ry0, ry1 in runs), (t.text, "not beside its edge")


@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_narrow_no_label_overlaps(make, lang):
    f, _ = make()
    check_layout_down(down(f, lang=lang))
    check_layout_down(down(f, lang=lang, digits=5))


@pytest.mark.parametrize("make", LESSON_GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_narrow_fits_a_phone_at_full_size(make, lang):
    f, _ = make()
    doc = parse(down(f, lang=lang))
    scale = min(1.0, CONTENT / _width(doc))
    assert _width(doc) <= CONTENT
    sizes = [float(presented(doc, t, "font-size")) for t in doc.iter(NS + "text")]
    assert min(sizes) * scale >= 10
    # while the wide figure would have to shrink below 10 px there (why the variant exists)
    wide = parse(to_svg(f, lang=lang))
    if make is not graph_a:
        assert 13 * min(1.0, CONTENT / _width(wide)) < 10


@settings(max_examples=40, deadline=None)
@given(random_graph(), st.sampled_from(["uk", "en"]))
def test_narrow_no_overlaps_on_random_graphs(root, lang):
    svg = down(root, lang=lang)
    check_layout_down(svg)
    doc = parse(svg)
    for node in topological_order(root):
        assert fmt(node.data, lang, 2) in texts(doc, "cg-value")
        assert fmt(node.grad, lang, 2) in texts(doc, "cg-grad")


def test_narrow_single_input_and_long_chain():
    x = Value(2.5, "x")
    x.backward()
    check_layout_down(down(x, lang="en"))
    assert "2.50" in texts(parse(down(x, lang="en")), "cg-value")
    f = x
    for _ in range(300):
        f = f * 1.0
    f.backward()
    assert parse(down(f, lang="en")).find(NS + "title").text == "Computational graph"


def test_narrow_is_deterministic_and_wide_unchanged_by_default():
    assert down(graph_c()[0]) == down(graph_c()[0])
    assert to_svg(graph_c()[0]) == to_svg(graph_c()[0], direction="right")
    assert "V" in parse(down(graph_c()[0])).find(f".//{NS}path[@class='cg-edge']").get("d")


# ---- the HTML figure with both variants ------------------------------------------------------

def _fragment(html: str) -> ET.Element:
    return ET.fromstring(html)   # the fragment is well-formed XML too


def _media(html: str) -> tuple[dict[str, str], float, dict[str, str]]:
    """(display by class outside the media query, its max-width, display inside it)."""
    style = _fragment(html).find("style").text
    m = re.fullmatch(r"(.*)@media \(max-width:([0-9.]+)px\)\{(.*)\}", style)
    assert m, style

    def rules(css: str) -> dict[str, str]:
        return {cls: disp for cls, disp in
                re.findall(r"#[\w-]+>\.(cg-wide|cg-narrow)\{display:(\w+)\}", css)}

    return rules(m.group(1)), float(m.group(2)), rules(m.group(3))


def _shown(html: str, width: float) -> list[str]:
    outside, max_width, inside = _media(html)
    display = {"cg-wide": "block", "cg-narrow": "block"} | outside
    if width <= max_width:
        display |= inside
    return [cls for cls, d in display.items() if d != "none"]


@pytest.mark.parametrize("make", LESSON_GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_figure_html_shows_one_variant_with_readable_labels(make, lang):
    f, _ = make()
    html = figure_html(f, lang=lang)
    doc = _fragment(html)
    assert doc.tag == "div" and doc.get("class") == "cg-figure"
    svgs = {div.get("class"): div.find(NS + "svg") for div in doc.findall("div")}
    assert set(svgs) == {"cg-wide", "cg-narrow"}
    natural = {cls: _width(svg) for cls, svg in svgs.items()}
    _, max_width, _ = _media(html)
    for viewport in (320, PHONE, 412, int(max_width), int(max_width) + 1, 768, 1280):
        shown = _shown(html, viewport)
        assert len(shown) == 1, (viewport, shown)
        if viewport >= PHONE:
            content = min(viewport - 32, 1220)        # one column below Material's sidebars
            scale = min(1.0, content / natural[shown[0]])
            if viewport < 960:
                assert 13 * scale >= 10 - 1e-9, (viewport, shown)
    # at the phone width the lesson's sigmoid and staged graphs are narrow and full size
    if make is not graph_a:
        assert _shown(html, PHONE) == ["cg-narrow"] and natural["cg-narrow"] <= CONTENT
    assert _shown(html, 1280) == ["cg-wide"]


def test_figure_html_ids_are_unique_and_each_variant_keeps_its_name():
    f, _ = graph_b()
    doc = _fragment(figure_html(f, lang="uk", id_prefix="fig-b"))
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert doc.get("id") == "fig-b"
    svgs = list(doc.iter(NS + "svg"))
    assert [s.get("id") for s in svgs] == ["fig-b-w", "fig-b-n"]
    by_id = {e.get("id"): e for e in doc.iter() if e.get("id")}
    alone = {"fig-b-w": parse(to_svg(f, lang="uk", id_prefix="fig-b-w")),
             "fig-b-n": parse(down(f, lang="uk", id_prefix="fig-b-n"))}
    for svg in svgs:
        own = {e.get("id") for e in svg.iter() if e.get("id")}
        assert svg.find(NS + "desc").get("id") in own
        # each variant's accessible name is the standalone drawing's, word for word: its own
        # title and first sentences, then the node list, which only the wide drawing holds
        # (the narrow one refers to it rather than repeat it)
        name = " ".join(by_id[ref].text for ref in svg.get("aria-labelledby").split())
        single = alone[svg.get("id")]
        assert name == single.find(NS + "title").text + " " + single.find(NS + "desc").text
        assert svg.get("aria-labelledby").split()[:2] == ["fig-b-w-title",
                                                          f"{svg.get('id')}-desc"]
        # the figure's one style paints both and gives each its own arrow
        assert svg.find(NS + "style") is None
        rule = re.escape(f"#{svg.get('id')} .cg-edge{{marker-end:url(#")
        arrow = re.search(rule + r"([^)]+)\)", doc.find("style").text).group(1)
        assert arrow in own
    assert "fig-b-nodes" in svgs[1].get("aria-labelledby") and svgs[0].find(
        f".//{NS}desc[@id='fig-b-nodes']") is not None
    assert len(list(svgs[1].iter(NS + "desc"))) == 1 and svgs[1].find(NS + "title") is None
    assert svgs[0].find(NS + "title").get("id") == "fig-b-w-title"
    style = doc.find("style").text
    assert style.count("#fig-b>") == 4      # scoped: another figure on the page is untouched
    # the narrow variant never shrinks its labels below 10 px: it scrolls instead
    narrow = svgs[1]
    least = re.search(r"min-width:([0-9.]+)px", narrow.get("style")).group(1)
    assert float(least) == pytest.approx(_width(narrow) * 10 / 13, abs=0.05)


def test_figure_html_breakpoint_and_determinism():
    f, _ = graph_c()
    assert figure_html(graph_c()[0]) == figure_html(graph_c()[0])
    assert figure_html(f, lang="en") != figure_html(f, lang="uk")
    html = figure_html(f, breakpoint=600)
    assert _media(html)[1] == pytest.approx(599.98)
    assert _shown(html, 599) == ["cg-narrow"] and _shown(html, 600) == ["cg-wide"]
    # the default: the narrowest one-column page where the wide labels are still 10 px
    wide = _width(parse(to_svg(f)))
    assert _media(figure_html(f))[1] == pytest.approx(math.ceil(wide * 10 / 13 + 32) - 0.02)
    plain = _fragment(figure_html(f, gradients=False))
    assert not [t for t in plain.iter(NS + "text") if t.get("class") == "cg-grad"]


def test_narrow_and_figure_bad_input():
    f, _ = graph_a()
    with pytest.raises(ValueError, match="direction"):
        to_svg(f, direction="up")
    with pytest.raises(TypeError, match="direction"):
        to_svg(f, direction=1)
    with pytest.raises(TypeError, match="root"):
        figure_html(2.0)
    with pytest.raises(ValueError, match="breakpoint"):
        figure_html(f, breakpoint=0)
    with pytest.raises(TypeError, match="breakpoint"):
        figure_html(f, breakpoint=True)
    with pytest.raises(TypeError, match="breakpoint"):
        figure_html(f, breakpoint=600.5)
    with pytest.raises(ValueError, match="id_prefix"):
        figure_html(f, id_prefix="1 bad")
    with pytest.raises(TypeError, match="id_prefix"):
        figure_html(f, id_prefix=7)
    with pytest.raises(TypeError, match="gradients"):
        figure_html(f, gradients="yes")
    with pytest.raises(ValueError, match="lang"):
        figure_html(f, lang="de")
    with pytest.raises(ValueError, match="digits"):
        figure_html(f, digits=-1)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_branch_sum_is_written_as_one_writes_a_sum(lang):
    # graph_c's x forks three ways and one branch is negative: "a − b + c", never "a + −b"
    f, leaves = graph_c()
    desc = parse(to_svg(f, lang=lang)).find(NS + "desc").text
    assert "+ −" not in desc and "+ -" not in desc
    x = leaves["x"]
    consumers = [n for n in topological_order(f) for p in n.inputs if p is x]
    shares = [n.local_gradients()[list(n.inputs).index(x)] * n.grad for n in consumers]
    assert any(s < 0 for s in shares) and len(shares) >= 3
    assert fmt(abs(min(shares)), lang, 2) in desc


# ---- the blank figure of an exercise ---------------------------------------------------------

def _named(make) -> Value:
    """A lesson graph with every inner node named (as an exercise names them): n1, n2, …"""
    f, _ = make()
    inner = [n for n in topological_order(f) if n.inputs and n is not f]
    for k, n in enumerate(inner, 1):
        n.label = f"n{k}"
    return f


def _numbers(text: str) -> list[str]:
    """Every number with decimals written in the text (either decimal sign)."""
    return re.findall(r"\d+[.,]\d+", text)


@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("direction", ["right", "down"])
def test_blank_shows_names_and_no_number(make, lang, direction):
    f = _named(make)
    svg = to_svg(f, lang=lang, direction=direction, blank=True)
    doc = parse(svg)
    assert not texts(doc, "cg-value") and not texts(doc, "cg-grad")
    assert not _numbers(" ".join(texts(doc)) + doc.find(NS + "desc").text)
    order = topological_order(f)
    uses = {id(n): sum(i is n for m in order for i in m.inputs) for n in order}
    names = texts(doc, "cg-node")
    # each inner node named once beside its edge (a fork: on the stub, not on each branch)
    from lessons.draw import _name
    inner = sorted(_name(n.label) for n in order if n.inputs and n is not f)
    legend = [t.text for g in doc.iter(NS + "g") if g.get("class") == "cg-legend"
              for t in g.iter(NS + "text")]
    assert sorted(t for t in names if t not in legend) == inner
    assert any(uses[id(n)] > 1 for n in order) or make in (graph_a, graph_b)
    # inputs, gates and the output are drawn as always
    assert {_name(n.label) for n in order if not n.inputs} <= set(texts(doc, "cg-name"))
    assert len(texts(doc, "cg-op")) == sum(1 for n in order if n.inputs)
    desc = doc.find(NS + "desc").text
    assert ("no numbers" in desc) if lang == "en" else ("чисел на рисунку немає" in desc)


@pytest.mark.parametrize("make", GRAPHS)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_blank_labels_do_not_overlap(make, lang):
    f = _named(make)
    for svg in (to_svg(f, lang=lang, blank=True), down(f, lang=lang, blank=True)):
        doc = parse(svg)
        vb = [float(t) for t in doc.get("viewBox").split()]
        all_texts = list(doc.iter(NS + "text"))
        boxes = [_text_box(t, doc) for t in all_texts]
        for (x0, y0, x1, y1), t in zip(boxes, all_texts):
            assert x0 >= vb[0] and y0 >= vb[1] and x1 <= vb[2] and y1 <= vb[3], t.text
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _overlap(a, b)
        for g in (g for g in doc.iter(NS + "g") if g.get("class") == "cg-gate"):
            r = g.find(NS + "rect")
            rect = (float(r.get("x")), float(r.get("y")), float(r.get("x")) + float(r.get("width")),
                    float(r.get("y")) + float(r.get("height")))
            for box, t in zip(boxes, all_texts):
                if t is not g.find(NS + "text"):
                    assert not _overlap(box, rect), t.text


def test_blank_changes_nothing_else():
    f = _named(graph_c)
    before = [to_svg(f), to_svg(f, direction="down"), figure_html(f, lang="en")]
    blank = to_svg(f, blank=True)
    assert [to_svg(f), to_svg(f, direction="down"), figure_html(f, lang="en")] == before
    assert to_svg(f, blank=False) == before[0]
    assert blank != before[0] and blank == to_svg(f, blank=True)
    # its own ids: a page may show the exercise's blank graph beside the filled one
    assert parse(blank).get("id") != parse(before[0]).get("id")
    assert to_svg(f, blank=True, gradients=False) == blank  # a blank figure has no gradients


def test_blank_figure_html_narrow_fits_a_phone():
    f = _named(graph_b)
    html = figure_html(f, lang="uk", blank=True, id_prefix="ex")
    doc = _fragment(html)
    svgs = {div.get("class"): div.find(NS + "svg") for div in doc.findall("div")}
    assert [s.get("id") for s in svgs.values()] == ["ex-w", "ex-n"]
    assert _width(svgs["cg-narrow"]) <= CONTENT
    assert not _numbers(" ".join(t.text or "" for t in doc.iter(NS + "text")))
    assert figure_html(f, lang="uk", blank=True) != figure_html(f, lang="uk")


def test_blank_bad_input():
    f, _ = graph_a()
    with pytest.raises(TypeError, match="blank"):
        to_svg(f, blank="yes")
    with pytest.raises(TypeError, match="blank"):
        figure_html(f, blank=1)


@pytest.mark.parametrize("direction", ["right", "down"])
def test_a_blank_drawing_styles_only_what_it_draws(direction):
    f, _ = graph_b()
    blank = parse(to_svg(f, lang="en", blank=True, direction=direction))
    filled = parse(to_svg(f, lang="en", direction=direction))
    drawn = {c for t in blank.iter(NS + "text") for c in t.get("class").split()}
    assert not drawn & {"cg-value", "cg-grad"}
    assert ".cg-value" not in blank.find(NS + "style").text
    assert ".cg-value" in filled.find(NS + "style").text and "marker-end" in blank.find(
        NS + "style").text
