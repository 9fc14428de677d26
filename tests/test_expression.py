"""The "Try your own" tool: good expressions end to end, hostile or broken ones refused fast."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lessons.autograd import Value, topological_order
from lessons.expression import MAX_LENGTH, ExpressionError, main, parse

ROOT = Path(__file__).resolve().parent.parent
MINUS = "\u2212"


def rows(out: str) -> list[list[str]]:
    """The table's data rows split into cells (the header line dropped)."""
    return [line.split() for line in out.strip().splitlines()[1:]]


def test_cs231n_example_table_in_ukrainian(capsys):
    # by hand: q = x + y = 3, f = q z = -12; df/dz = q = 3, df/dq = z = -4,
    # df/dx = df/dy = df/dq * 1 = -4
    assert main(["(x + y) * z", "x=-2", "y=5", "z=-4"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0].split() == ["№", "вузол", "входи", "значення", "градієнт"]
    table = {r[1]: (r[-2], r[-1]) for r in rows(out)}
    assert table == {
        "x": (f"{MINUS}2,0000", f"{MINUS}4,0000"),
        "y": ("5,0000", f"{MINUS}4,0000"),
        "+": ("3,0000", f"{MINUS}4,0000"),
        "z": (f"{MINUS}4,0000", "3,0000"),
        "*": (f"{MINUS}12,0000", "1,0000"),
    }
    # topological order: each gate after its inputs, the output last
    assert [r[1] for r in rows(out)] == ["x", "y", "+", "z", "*"]


def test_english_and_digits(capsys):
    assert main(["(x + y) * z", "x=-2", "y=5", "z=-4", "--lang", "en", "--digits", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["#", "node", "inputs", "value", "gradient"]
    assert rows(out)[-1][-2:] == [f"{MINUS}12.0", "1.0"]
    assert rows(out)[0][-2:] == [f"{MINUS}2.0", f"{MINUS}4.0"]


def test_fork_in_table(capsys):
    # f = x * x + x at x = 3: df/dx = 2x + 1 = 7; x appears as one row
    assert main(["x * x + x", "x=3", "--lang", "en", "--digits", "2"]) == 0
    table = rows(capsys.readouterr().out)
    assert [r[1] for r in table].count("x") == 1
    assert table[0][-1] == "7.00"
    assert table[1][2:4] == ["1,", "1"]  # the * gate has input 1 twice


def test_runs_as_module_of_autograd():
    result = subprocess.run(
        [sys.executable, "-m", "lessons.autograd", "(x + y) * z", "x=-2", "y=5", "z=-4",
         "--lang", "en"], capture_output=True, text=True, timeout=30, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert f"{MINUS}12.0000" in result.stdout


def test_help_has_description_and_example(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and "(x + y) * z" in out and "limits" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["__import__('os')"], ["__import__", "not allowed"]),
    (["x.__class__", "x=1"], ["attribute"]),
    (["open('f')"], ["open", "not allowed"]),
    (["x + w", "x=1"], ["unknown name 'w'", "allowed names", "x", "exp"]),
    (["2**1000"], ["exponent", "100"]),
    (["x**y", "x=2", "y=3"], ["exponent"]),
    (["(lambda: 1)()"], ["lambda"]),
    (["x[0]", "x=1"], ["subscript"]),
    (['"a"'], ["string"]),
    (["1e300 * x", "x=1"], ["too large", "1,000,000"]),
    (["x * y", "x=1"], ["unknown name 'y'"]),  # used but not given
    (["x + 1", "x=abc"], ["value of x", "number", "abc"]),
    (["x + 1", "x=nan"], ["finite"]),
    (["x + 1", "x"], ["name=value"]),
    (["x + 1", "x=1", "x=2"], ["twice"]),
    (["x ^ 2", "x=1"], ["x**2"]),
    (["x < 1", "x=1"], ["comparison"]),
    (["True + x", "x=1"], ["not a number"]),
    (["1j * x", "x=1"], ["complex"]),
    (["(y := 2)"], ["walrus"]),
    (["exp(x=1)"], ["keyword"]),
    (["max(x)", "x=1"], ["max takes 2"]),
    (["(x +", "x=1"], ["cannot read"]),
    (["log(x)", "x=0"], ["log", "positive"]),
    (["x / y", "x=1", "y=0"], ["division by zero"]),
    (["1 / x", "x=0"], ["division by zero"]),
    (["exp(x)", "x=1000"], ["not a finite number"]),
    (["x * x", "x=1e300"], ["not a finite number"]),
    (["x", "x=1", "--digits", "-1"], ["digits"]),
])
def test_refused_with_clear_message(capsys, argv, words):
    assert main([*argv, "--lang", "en"]) == 2  # the words are English
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err
    for word in words:
        assert word in err


def test_bad_option_is_one_line(capsys):
    with pytest.raises(SystemExit) as e:
        main(["x", "x=1", "--lang", "fr"])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "fr" in err


def test_unused_variable_warns_but_succeeds(capsys):
    assert main(["x * 2", "x=1", "z=3", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "z" in err


@pytest.mark.parametrize("text", ["9**9**9", "9**9**9**9", "x**9**9", "2**x**2"])
def test_power_towers_refused_before_computing(text):
    # in a subprocess with a timeout: computing 9**9**9 would hang the test session
    result = subprocess.run([sys.executable, "-m", "lessons.expression", text, "x=1", "--lang", "en"],
                            capture_output=True, text=True, timeout=20, cwd=ROOT,
                            check=False)
    assert result.returncode == 2
    assert "exponent" in result.stderr and "Traceback" not in result.stderr


def test_very_long_expression_refused(capsys):
    text = "+".join(["x"] * 5000)
    assert main([text, "x=1", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "too long" in err and str(MAX_LENGTH) in err


@pytest.mark.parametrize("text", ["(" * 300 + "x" + ")" * 300, "-" * 500 + "x",
                                  "+".join(["x"] * 150), "exp(" * 120 + "x" + ")" * 120])
def test_deep_nesting_refused(capsys, text):
    assert main(["--lang", "en", "--", text, "x=1"]) == 2  # "--": the text may start with a minus
    err = capsys.readouterr().err
    assert ("nested" in err or "cannot read" in err) and "\n" not in err.strip()


SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> tuple[ET.Element, list[str]]:
    """The parsed SVG (it must be well-formed XML) and the text of every <text> element."""
    root = ET.parse(path).getroot()
    return root, [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def test_svg_option_writes_the_graph(tmp_path, capsys):
    # no importorskip: lessons.draw is part of the package, a broken import must fail here
    path = tmp_path / "graph.svg"
    assert main(["(x + y) * z", "x=-2", "y=5", "z=-4", "--svg", str(path)]) == 0
    assert capsys.readouterr().err == ""
    root, texts = svg_texts(path)
    assert root.tag == f"{SVG_NS}svg"
    # by hand: values x=-2, y=5, q=3, z=-4, f=-12; gradients -4, -4, -4, 3, 1 (default: uk, 4 digits)
    for number in (f"{MINUS}2,0000", "5,0000", "3,0000", f"{MINUS}4,0000", f"{MINUS}12,0000",
                   "1,0000"):
        assert number in texts, number
    assert {"x", "y", "z", "+", "×"} <= set(texts)
    assert "значення (прямий прохід)" in texts


@pytest.mark.parametrize(("lang", "digits", "legend", "numbers", "absent"), [
    ("en", 1, "value (forward pass)", [f"{MINUS}12.0", "3.0", "1.0"], [f"{MINUS}12,0", "значення"]),
    ("uk", 3, "значення (прямий прохід)", [f"{MINUS}12,000", "3,000", "1,000"], [f"{MINUS}12.0", "value"]),
    ("en", 0, "gradient (backward pass)", [f"{MINUS}12", "3"], [f"{MINUS}12.0"]),
])
def test_svg_follows_lang_and_digits(tmp_path, capsys, lang, digits, legend, numbers, absent):
    path = tmp_path / "graph.svg"
    argv = ["(x + y) * z", "x=-2", "y=5", "z=-4", "--svg", str(path), "--lang", lang,
            "--digits", str(digits)]
    assert main(argv) == 0
    _, texts = svg_texts(path)
    assert legend in texts
    for number in numbers:
        assert number in texts, number
    joined = " ".join(texts) + path.read_text("utf-8")
    for text in absent:
        assert text not in " ".join(texts), text
    assert "Computational graph" in joined if lang == "en" else "Обчислювальний граф" in joined


def test_svg_to_an_unwritable_path_is_one_line(tmp_path, capsys):
    assert main(["x * 2", "x=1", "--svg", str(tmp_path / "missing" / "g.svg")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot write") and "\n" not in err


# ---- the parser admits only its small language --------------------------------------------

@pytest.mark.parametrize("text", [
    "backward(x)", "__class__(x)", "__init__(x)", "_gate(x)", "_backward(x)",
    "local_gradients(x)", "_lift(x)", "__add__(x)", "__pow__(x)", "__rpow__(x)", "_local(x)",
])
def test_only_the_listed_functions_can_be_called(text):
    # every one of these is an attribute of Value: none may run, the same parser will run
    # reader input in the browser
    assert hasattr(Value, text.split("(")[0])
    with pytest.raises(ExpressionError, match="not allowed"):
        parse(text, {"x": 2.0})


@pytest.mark.parametrize("text", ["x.backward()", "x.__class__(x)", "x.exp()", "(x).data",
                                  "x.grad"])
def test_attribute_access_and_method_calls_are_refused(text, capsys):
    with pytest.raises(ExpressionError, match="attribute"):
        parse(text, {"x": 2.0})
    assert main([text, "x=2", "--lang", "en"]) == 2
    assert "attribute" in capsys.readouterr().err


@pytest.mark.parametrize("exponent", ["-1000", "-101", "101", "1e3", "-1e3", "-100.5"])
def test_exponent_limit_holds_on_both_sides(exponent, capsys):
    assert main([f"x**{exponent}", "x=2", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "exponent" in err and "100" in err and "too large" in err
    assert f"the exponent {exponent} is too large" in err  # with its sign, as typed


@pytest.mark.parametrize(("exponent", "value"), [("-100", 2.0**-100), ("100", 2.0**100),
                                                 ("-1", 0.5)])
def test_exponent_at_the_limit_is_accepted(exponent, value):
    assert parse(f"x**{exponent}", {"x": 2.0}).data == value


# ---- parse -----------------------------------------------------------------------------

def test_parse_agrees_with_operators():
    env = {"a": 1.5, "b": -0.7, "c": 2.0}
    f = parse("sigmoid(a * b) + tanh(c) / (1 + exp(-a)) - log(c) ** 2 + relu(b) "
              "+ max(a, c) - 3 * a ** -1", env)
    a, b, c = (Value(env[k], k) for k in "abc")
    g = ((a * b).sigmoid() + c.tanh() / (1 + (-a).exp()) - c.log() ** 2 + b.relu()
         + a.max(c) - 3 * a ** -1)
    f.backward()
    g.backward()
    assert f.data == pytest.approx(g.data, rel=1e-12)
    leaves = {n.label: n.grad for n in topological_order(f) if not n.op}
    assert leaves == pytest.approx({"a": a.grad, "b": b.grad, "c": c.grad}, rel=1e-12)


def test_parse_reuse_is_one_node():
    f = parse("x * x + x", {"x": 3.0})
    xs = [n for n in topological_order(f) if n.label == "x"]
    assert len(xs) == 1
    f.backward()
    assert xs[0].grad == 7.0  # 2x + 1 at x = 3


def test_parse_constants_are_folded_with_float_arithmetic():
    f = parse("x * (2 + 3) ** 2", {"x": 1.0})
    assert f.data == 25.0
    assert len(topological_order(f)) == 2  # x and one "*25" gate


def test_parse_rejects_bad_arguments():
    with pytest.raises(TypeError):
        parse(1, {})
    with pytest.raises(TypeError):
        parse("x", {"x": "1"})
    with pytest.raises(ValueError, match="finite"):
        parse("x", {"x": math.inf})
    with pytest.raises(ValueError, match="function"):
        parse("exp(1)", {"exp": 1.0})
    with pytest.raises(ExpressionError, match="empty"):
        parse("   ", {})


def test_constant_overflow_is_an_error_not_inf(capsys):
    # each literal is within limits, the folded constant is not: 1e6 ** 100 = 1e600
    assert main(["x * 1e6 ** 100", "x=1", "--lang", "en"]) == 2
    assert "not a finite number" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "shown", "hidden"), [
    # the divisor named as typed, never the engine's repr of its node
    (["x / (x - x)", "x=1"], "the divisor 'x - x' is 0", "Value("),
    (["1 / x", "x=0"], "the divisor x is 0", "Value("),
    (["x / 0", "x=1"], "the divisor is 0", "Value("),
    # a number as typed, not as Python prints it
    (["x * 1e7", "x=1"], "the number 1e7 is too large", "10000000"),
    # an integral exponent without ".0"
    (["x ** -1", "x=0"], "the negative power -1", "-1.0"),
    (["x ** 0.5", "x=-1"], "a negative base (-1) ", "-1.0"),
    (["log(x)", "x=0"], "positive numbers, got 0", "0.0"),
    # a missing name is not "'' is not a valid variable name"
    (["x", "=1"], "a variable name is missing before = (in '=1')", "''"),
])
def test_messages_show_what_the_reader_typed(capsys, argv, shown, hidden):
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert shown in err and hidden not in err, err


def test_the_ukrainian_table_separates_inputs_with_a_semicolon(capsys):
    # "1, 2" reads as a number with a decimal comma; the page's form writes "1; 2" too
    assert main(["x * y", "x=1", "y=2", "--lang", "uk"]) == 0
    assert "1; 2" in capsys.readouterr().out
    assert main(["x * y", "x=1", "y=2", "--lang", "en"]) == 0
    assert "1, 2" in capsys.readouterr().out


def test_ukrainian_messages_print_numbers_as_the_reader_reads_them(capsys):
    assert main(["x ** -1", "x=0", "--lang", "uk"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(f"{MINUS}1") and "1,0" not in err, err
    assert main(["x / x", "x=0", "--lang", "uk"]) == 2
    assert "дільник x дорівнює 0" in capsys.readouterr().err
