"""Lesson 1's "try your own graph" form, in CPython: what lessons.browser.try_form gives the page.

The expected numbers are derived by hand, not by the code under test: for (x + y)·z at
(−2, 5, −4), q = x + y = 3 and f = q·z = −12; ∂f/∂z = q = 3, ∂f/∂q = z = −4, and the + gate
passes −4 on to x and y. Refusals are compared with what the command-line tool itself prints
to stderr for the same input and ``--lang`` (captured, never a copied string).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page_path
from lessons.autograd import Value
from lessons.browser import TRY, UI, try_form
from lessons.markdown import try_form_html
from lessons.expression import _MESSAGES, _REASONS, main, read_values, try_graph
from lessons.i18n import fmt
from lessons.pages.backprop import TRY_GRAPH, TRY_GRAPH_EXAMPLE, try_graph_form

EXAMPLE = {"expression": "(x + y) * z", "values": "x=-2 y=5 z=-4"}
CYRILLIC = re.compile(r"[а-яіїєґ]", re.I)


def table(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [[c.get_text() for c in tr.find_all(["td", "th"])] for tr in soup.find_all("tr")]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_example_1_gives_the_hand_derived_values_and_gradients(lang):
    html = try_graph(EXAMPLE, lang, "t7")["html"]
    head, *rows = table(html)
    assert head == (["№", "Вузол", "Входи", "Значення", "Градієнт"] if lang == "uk"
                    else ["#", "Node", "Inputs", "Value", "Gradient"])
    by_node = {r[1]: (r[3], r[4]) for r in rows}
    hand = {"x": (-2, -4), "y": (5, -4), "+": (3, -4), "z": (-4, 3), "×": (-12, 1)}
    assert by_node == {k: (fmt(v, lang, 4), fmt(g, lang, 4)) for k, (v, g) in hand.items()}
    # and the engine agrees, node for node
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.backward()
    assert [by_node[n.label][1] for n in (x, y, z)] == [fmt(n.grad, lang, 4) for n in (x, y, z)]
    assert [r[2] for r in rows] == ["—", "—", "1; 2" if lang == "uk" else "1, 2", "—",
                                    "3; 4" if lang == "uk" else "3, 4"]
    # one figure, every id (and every reference to one) under the prefix
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("svg")) == 1
    ids = [e["id"] for e in soup.find_all(id=True)]
    assert ids and all(i.startswith("t7") for i in ids), ids
    assert all(ref.startswith("#t7") for ref in re.findall(r"url\((#[^)]*)\)", html))
    assert soup.svg["aria-labelledby"] == "t7-title"


def test_a_bigger_graph_gets_the_narrow_variant_for_phones():
    fields = {"expression": "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
              "values": "w0=2 x0=-1 w1=-3 x1=-2 w2=-3"}
    soup = BeautifulSoup(try_graph(fields, "en", "big")["html"], "html.parser")
    assert [s["id"] for s in soup.find_all("svg")] == ["big-w", "big-n"]


def test_an_unused_variable_gets_the_clis_warning(capsys):
    for lang in ("uk", "en"):
        html = try_graph({"expression": "x * 2", "values": "x=1 z=3"}, lang, "t")["html"]
        assert main(["x * 2", "x=1", "z=3", "--lang", lang]) == 0
        warning = capsys.readouterr().err.strip()
        # the CLI's words, as a sentence of their own on the page: "Warning: ...", not "warning: ..."
        shown = BeautifulSoup(html, "html.parser").select_one("p.try-warning").get_text()
        assert shown == warning[0].upper() + warning[1:] and shown[0].isupper()


BAD = [
    ("__import__('os')", "x=1"),
    ("x.y", "x=1"),
    ("9**9**9", "x=1"),
    ("x * w", "x=1"),          # w is given no value: unknown name
    ("x + 1", "x=abc"),
    ("x + 1", "x="),           # a value is missing
    ("x + 1", "x=1 x=2"),
    ("x + 1", "x"),
    ("exp(x", "x=1"),
    ("log(x)", "x=0"),
    ("x / y", "x=1 y=0"),
    ("max(x)", "x=1"),
    ("x ^ 2", "x=1"),
    ("(x := 2)", "x=1"),
    ("x ** 0.5", "x=-1"),
    ("x*0,5", "x=1"),          # a decimal comma in the expression: a tuple
    ("exp(0,5)", "x=1"),       # ... or an extra argument
    ("x / (x - x)", "x=1"),    # the divisor is an expression
    ("x + 1", "=1"),           # a name is missing before =
    ("x·y", "x=1 y=2"),        # Python reads x·y as one name
    ("x × y", "x=1 y=2"),      # × is not Python's
    ("2x", "x=1"),             # a number glued to a name
    ("2(x + 1)", "x=1"),       # a number called as a function
    ("True", "x=1"),
    ("w", ""),                 # no variables at all
    ("x ** 0.5", "x=0"),       # the engine's message, its code with a decimal point
    ("exp(x)", "x=1000"),      # the result is not finite
]


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize(("expression", "values"), BAD)
def test_bad_input_is_refused_with_the_clis_message(capsys, lang, expression, values):
    result = try_graph({"expression": expression, "values": values}, lang, "t")
    assert set(result) == {"error"}
    assert main([expression, *values.split(), "--lang", lang]) == 2
    err = capsys.readouterr().err.strip()
    word = {"uk": "помилка", "en": "error"}[lang]
    assert err == f"{word}: {result['error']}"
    assert bool(CYRILLIC.search(result["error"])) == (lang == "uk"), result["error"]


def test_values_take_semicolons_commas_and_the_ukrainian_decimal_comma():
    assert read_values("x=-2; y = 5, z=−4", "en") == {"x": -2.0, "y": 5.0, "z": -4.0}
    assert read_values("x=0,5, y=2;z=1,25", "uk") == {"x": 0.5, "y": 2.0, "z": 1.25}
    assert read_values("x=0.5 y=2", "uk") == {"x": 0.5, "y": 2.0}
    # on the English page a comma separates pairs, but "x=0,5" meant 0.5: the CLI's message
    error = try_graph({"expression": "x", "values": "x=0,5"}, "en", "t")["error"]
    assert error == "the value of x must be a number, got '0,5': use a decimal point (0.5)"
    assert read_values("x=0, y=5", "en") == {"x": 0.0, "y": 5.0}  # a comma before a pair
    ok = try_graph({"expression": "x * x", "values": "x=0,5"}, "uk", "t")["html"]
    assert fmt(0.25, "uk", 4) in ok


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("expression", ["x*0,5", "exp(0,5)", "max(x, 1,5)"])
def test_a_decimal_comma_in_the_expression_is_named_as_such(lang, expression):
    error = try_graph({"expression": expression, "values": "x=1"}, lang, "t")["error"]
    # not "tuples are not allowed" nor "exp takes 1 argument": the comma, and the number with a point
    assert ("кома" if lang == "uk" else "comma") in error, error
    assert ("кортеж" not in error and "аргумент, а" not in error and "tuple" not in error
            and "got 2" not in error), error
    assert error.endswith("1.5" if "1,5" in expression else "0.5"), error
    # a comma between arguments is still an argument count, and a real tuple still a tuple
    assert "2" in try_graph({"expression": "exp(x, 2)", "values": "x=1"}, lang, "t")["error"]


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize(("expression", "values", "product"), [
    ("x·y", "x=1 y=2", "*"), ("x × y", "x=1 y=2", "*"), ("·x", "x=1", "*"),
    ("2x", "x=1", "2*x"), ("1.5x", "x=1", "1.5*x"), ("2(x)", "x=1", "2*x"),
    ("2(x + 1)", "x=1", "2*(x + 1)"),
])
def test_a_product_written_another_way_is_told_how_to_write_it(lang, expression, values, product):
    error = try_graph({"expression": expression, "values": values}, lang, "t")["error"]
    hint = {"uk": "множення пишіть як ", "en": "write multiplication as "}[lang]
    assert hint + product in error and (error.endswith(hint + product)
                                        or error.endswith({"uk": f"а не «{expression}»",
                                                           "en": f"not '{expression}'"}[lang])), error
    assert "=1.5" not in error, error  # not "give x·y a value"


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_cli_says_a_decimal_comma_in_a_value_takes_a_point(capsys, lang):
    assert main(["x", "x=0,5", "--lang", lang]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith({"uk": "дробову частину відокремлюйте крапкою (0.5)",
                         "en": "use a decimal point (0.5)"}[lang]), err
    # the Ukrainian form reads the same pair as 0.5
    assert "html" in try_graph({"expression": "x", "values": "x=0,5"}, "uk", "t")


def test_code_in_a_ukrainian_message_keeps_its_decimal_point():
    error = try_graph({"expression": "x ** 0.5", "values": "x=0"}, "uk", "t")["error"]
    assert error.startswith("x ** 0.5, якщо x = 0") and "0,5" not in error, error


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_form_says_how_to_write_numbers_in_each_field(lang):
    soup = BeautifulSoup(try_graph_form(lang), "html.parser")
    expression = soup.select_one("#try-graph-expression-hint")
    values = soup.select_one("#try-graph-values-hint")
    assert soup.select_one("#try-graph-expression")["aria-describedby"] == expression["id"]
    # the expression takes a decimal point, on either page; the values take a comma in Ukrainian
    assert "0.5" in expression.code.get_text()
    assert [c.get_text() for c in values.find_all("code")][-1] == "x=0.5 y=2"
    assert read_values(values.find_all("code")[-1].get_text(), lang)["x"] == 0.5
    if lang == "uk":  # the hint names the decimal comma the Ukrainian form also takes, as prose
        comma = re.search(r"«(x=0,5)»", values.get_text())
        assert comma and read_values(comma[1], "uk")["x"] == 0.5


def test_the_unicode_minus_of_the_pages_tables_is_a_minus():
    html = try_graph({"expression": "x − 1", "values": "x=−2"}, "en", "t")["html"]
    assert fmt(-3.0, "en", 4) in html


def test_every_message_and_reason_has_both_languages():
    for table_ in (_MESSAGES, _REASONS):
        for key, texts in table_.items():
            assert set(texts) == {"uk", "en"} and all(texts.values()), key
            # what the reader typed is quoted «…» in Ukrainian, never as Python's repr
            assert "!r}" not in texts["uk"], key
    for key in ("error",):
        assert set(UI[key]) == {"uk", "en"}


def test_try_form_dispatches_by_kind_and_refuses_an_unknown_one():
    assert TRY["graph"] == ("lessons.expression", "try_graph")
    assert "stack" in TRY  # Lesson 3's form (lessons.conv_cost) arrives from its own branch
    assert try_form("graph", EXAMPLE, "en", "p") == try_graph(EXAMPLE, "en", "p")
    with pytest.raises(ValueError, match="kind"):
        try_form("graf", EXAMPLE, "en", "p")


@pytest.mark.parametrize("kind", sorted(TRY))
def test_try_form_calls_the_function_try_names(kind, monkeypatch):
    # try_form writes its imports out (the exec cache reads them from the source): they must
    # stay the functions TRY names
    import importlib

    module, name = TRY[kind]
    monkeypatch.setattr(importlib.import_module(module), name,
                        lambda fields, lang, prefix: {"html": f"{kind}:{lang}:{prefix}"})
    assert try_form(kind, {}, "uk", "p7") == {"html": f"{kind}:uk:p7"}


def test_the_form_markup_escapes_what_it_is_given():
    html = try_form_html("graph", "uk", [("expression", "Вираз <b>", '"><script>x</script>', "a & b")],
                         "Go", "<p>ok</p>")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    field = soup.select_one("input[name=expression]")
    assert field["value"] == '"><script>x</script>' and field["id"] == "try-graph-expression"
    assert soup.select_one("label[for=try-graph-expression]").get_text() == "Вираз <b>"
    assert field["aria-describedby"] == "try-graph-expression-hint"
    button = soup.select_one('button[type=submit][data-action="try"]')
    assert button.has_attr("hidden") and button.get_text() == "Go"
    out = soup.select_one("div.try-output[data-try-output]")
    assert out["role"] == "status" and out["aria-live"] == "polite" and out.p.get_text() == "ok"


def test_the_form_runs_where_pyodide_runs_it_without_the_html_module():
    # Pyodide's trimmed standard library (hooks/pyodide_hooks.py STDLIB_KEEP) has no `html`:
    # the first live submit once failed on `from html import escape`
    code = ("import sys; sys.modules['html'] = None\n"
            "from lessons.browser import try_form\n"
            "from lessons.pages.backprop import try_graph_form\n"
            "assert 'html' in try_form('graph', {'expression': 'x*x', 'values': 'x=3'}, 'uk', 'a')\n"
            "assert '<form' in try_graph_form('en')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_scroll_box_is_named_as_the_build_names_its_own():
    spec = importlib.util.spec_from_file_location("a11y_hooks", ROOT / "hooks" / "a11y_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    for lang in ("uk", "en"):
        html = try_graph(EXAMPLE, lang, "t")["html"]
        assert f'aria-label="{hooks.LABELS["table"][lang]}"' in html


def test_a_form_on_a_page_without_runnable_blocks_gets_the_runners_words():
    spec = importlib.util.spec_from_file_location("pyodide_hooks", ROOT / "hooks" / "pyodide_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    form = '<form class="try-form" data-try="stack" novalidate></form>'
    page = hooks.with_try_words(f"<p>a</p>{form}", "en", (5_000_000, 12_000_000))
    assert page.index('id="run-help"') < page.index('id="run-ui"') < page.index(form)
    assert hooks.with_try_words(page, "en", (1, 1)) == page  # once a page
    assert hooks.with_try_words("<p>a</p>", "en", (1, 1)) == "<p>a</p>"


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_page_shows_the_form_after_the_cli_demo_with_example_1(site, lang):
    html = page_path(site, lang, "backprop").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    forms = soup.select("form.try-form[data-try]")
    assert len(forms) == 1 and forms[0]["data-try"] == "graph"
    form = forms[0]
    section = html[html.index('id="try-your-own"'):html.index('id="practice"')]
    assert section.index("lessons.autograd") < section.index('<form class="try-form"')
    values = {i["name"]: i["value"] for i in form.find_all("input")}
    assert values == TRY_GRAPH_EXAMPLE == EXAMPLE
    for i in form.find_all("input"):
        assert soup.select_one(f'label[for="{i["id"]}"]').get_text() == TRY_GRAPH[i["name"]][lang]
    button = form.select_one('button[type=submit][data-action="try"]')
    assert button.has_attr("hidden") and button.get_text() == TRY_GRAPH["submit"][lang]
    # without JavaScript the form reads as Example 1: the result the live function gives
    built = form.select_one("[data-try-output]")
    live = BeautifulSoup(try_form("graph", EXAMPLE, lang, "try0")["html"], "html.parser")
    assert table(str(built)) == table(str(live))
    assert [s["id"] for s in built.find_all("svg")] == ["try0"]
    assert str(built) == str(BeautifulSoup(str(built), "html.parser"))  # well formed
    assert html.count('id="run-help"') == 1 and html.count('id="run-ui"') == 1
    assert len(str(form).encode()) < 5_000
    assert try_graph_form(lang).count("<form") == 1
