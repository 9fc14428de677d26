"""Lesson 1's "Try your own" tool: type an expression, see every node's value and gradient.

Run it as ``python -m lessons.autograd "(x + y) * z" x=-2 y=5 z=-4`` (or
``python -m lessons.expression ...``). The expression is read with ``ast.parse`` and the
tree is walked by hand, so nothing the user types is ever evaluated by Python itself.

What an expression may contain:

* the named variables (each given once on the command line as ``name=value``, a finite
  number; a name used twice in the expression is one node with two outgoing edges, a fork);
* number literals, ``+ - * / **``, unary ``-`` and ``+``, parentheses;
* calls of the engine's functions ``exp log tanh sigmoid relu`` (one argument) and
  ``max`` (two arguments).

Limits, so a typo or a hostile input is refused at once instead of hanging or eating
memory (``9**9**9`` is refused by looking at the tree, before anything is computed):

* an exponent must be a number literal (``x**2``, ``x**-1``, ``x**0.5``), never an
  expression, and its absolute value is at most ``MAX_EXPONENT`` (100);
* a number literal has an absolute value of at most ``MAX_CONSTANT`` (1e6);
* the text is at most ``MAX_LENGTH`` (2000) characters, nested at most ``MAX_DEPTH`` (100)
  levels deep.

A variable given on the command line but not used in the expression is not an error: its
gradient is simply 0. The tool prints a warning, because it is most often a typo.
"""

from __future__ import annotations

import argparse
import ast
import math
import numbers
import sys
from collections.abc import Callable

from lessons.autograd import Value, topological_order
from lessons.i18n import LANGS, fmt, pick

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "ExpressionError",
    "main",
    "parse",
]

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_EXPONENT = 100
MAX_CONSTANT = 1e6
# name -> number of arguments
FUNCTIONS = {"exp": 1, "log": 1, "tanh": 1, "sigmoid": 1, "relu": 1, "max": 2}

_METHODS: dict[str, Callable[[Value], Value]] = {
    "exp": Value.exp, "log": Value.log, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
    "relu": Value.relu,
}
assert set(_METHODS) | {"max"} == set(FUNCTIONS)

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED = {
    ast.Attribute: "attribute access (like x.__class__) is not allowed",
    ast.Subscript: "subscripts (like x[0]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.Compare: "comparisons (<, ==, ...) are not allowed",
    ast.BoolOp: "'and' / 'or' are not allowed",
    ast.IfExp: "conditional expressions (a if c else b) are not allowed",
    ast.NamedExpr: "the walrus operator := is not allowed",
    ast.Starred: "*arguments are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.List: "lists are not allowed", ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed", ast.Dict: "dicts are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.Await: "await is not allowed", ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


class ExpressionError(ValueError):
    """An expression the tool refuses, with a one-line message saying why.

    Examples:
        >>> isinstance(ExpressionError("x"), ValueError)
        True
    """


def _snippet(node: ast.AST) -> str:
    """The source of ``node`` for an error message (ast.unparse only prints, never runs)."""
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed(variables: dict[str, float]) -> str:
    names = ", ".join(sorted(variables)) or "(none given)"
    return f"allowed names: variables {names}; functions {', '.join(sorted(FUNCTIONS))}"


def _literal(node: ast.AST) -> float | None:
    """The value of a number literal, optionally signed (``2``, ``-1``, ``+0.5``), else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)):
        return sign * float(node.value)  # already checked: |value| <= MAX_CONSTANT
    return None


def _check(tree: ast.Expression, variables: dict[str, float]) -> None:
    """Refuse anything but the small arithmetic language, before computing anything."""
    # depth first, iteratively, so a deep tree cannot exhaust the stack here
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply (more than "
                                  f"{MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):  # parents before children
        if isinstance(node, (ast.Expression, ast.operator, ast.unaryop, ast.expr_context)):
            continue
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or value is None or value is Ellipsis:
                raise ExpressionError(f"{value!r} is not a number")
            if isinstance(value, (str, bytes)):
                raise ExpressionError(f"strings are not allowed: {_snippet(node)}")
            if isinstance(value, complex):
                raise ExpressionError(f"complex numbers are not allowed: {_snippet(node)}")
            if abs(value) > MAX_CONSTANT:
                raise ExpressionError(f"the number {_snippet(node)} is too large: number "
                                      f"literals are limited to ±{MAX_CONSTANT:,.0f}")
        elif isinstance(node, ast.Name):
            if id(node) in callees:
                if node.id not in FUNCTIONS:
                    raise ExpressionError(
                        f"calling {node.id!r} is not allowed: only the functions "
                        f"{', '.join(sorted(FUNCTIONS))} can be called")
            elif node.id in FUNCTIONS and node.id not in variables:
                raise ExpressionError(f"{node.id!r} is a function: call it, as in "
                                      f"{node.id}(x)")
            elif node.id not in variables:
                raise ExpressionError(
                    f"unknown name {node.id!r}: give it a value as {node.id}=1.5, or fix "
                    f"the spelling ({_allowed(variables)})")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                hint = " (for a power write x**2)" if isinstance(node.op, ast.BitXor) else ""
                raise ExpressionError(f"operator in {_snippet(node)!r} is not supported: "
                                      f"use + - * / **{hint}")
            if isinstance(node.op, ast.Pow):
                n = _literal(node.right)
                if n is None:
                    raise ExpressionError(
                        f"the exponent in {_snippet(node)!r} must be a number such as 2, "
                        "-1 or 0.5, not an expression or a variable (for x**y write "
                        "exp(y * log(x)))")
                if abs(n) > MAX_EXPONENT:
                    raise ExpressionError(f"the exponent {n:g} is too large: exponents are "
                                          f"limited to ±{MAX_EXPONENT}")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise ExpressionError(f"operator in {_snippet(node)!r} is not supported: "
                                      "only unary - and + are")
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                reason = _REFUSED.get(type(node.func), "only functions called by name are "
                                      "allowed")
                raise ExpressionError(f"{reason}: {_snippet(node)}")
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError(f"keyword and * arguments are not allowed: "
                                      f"{_snippet(node)}")
            expected = FUNCTIONS.get(node.func.id)
            if expected is not None and len(node.args) != expected:
                raise ExpressionError(f"{node.func.id} takes {expected} argument"
                                      f"{'s' if expected > 1 else ''}, got {len(node.args)}")
        else:
            reason = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed")
            raise ExpressionError(f"{reason}: {_snippet(node)}")


def _check_variables(variables: object) -> dict[str, float]:
    if not isinstance(variables, dict):
        raise TypeError(f"variables must be a dict of name -> number, got "
                        f"{type(variables).__name__}")
    checked = {}
    for name, value in variables.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"variable name {name!r} is not a valid name")
        if name in FUNCTIONS:
            raise ValueError(f"variable name {name!r} is taken by a function")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"the value of variable {name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"the value of variable {name} must be finite, got {value!r}")
        checked[name] = float(value)
    return checked


def _binary(op: ast.operator, a: Value | float, b: Value | float) -> Value | float:
    """Apply ``op``; two plain numbers go through a throwaway Value for the engine's checks."""
    fold = not isinstance(a, Value) and not isinstance(b, Value)
    left = Value(a) if fold else a
    if isinstance(op, ast.Add):
        out = left + b
    elif isinstance(op, ast.Sub):
        out = left - b
    elif isinstance(op, ast.Mult):
        out = left * b
    elif isinstance(op, ast.Div):
        out = left / b
    else:
        out = left ** b
    return out.data if fold else out


def _call(name: str, args: list[Value | float]) -> Value | float:
    if name == "max":
        a, b = args
        if not isinstance(a, Value) and not isinstance(b, Value):
            return max(a, b)
        # a constant operand becomes a leaf labelled with its number
        a, b = (x if isinstance(x, Value) else Value(x, f"{x:g}") for x in (a, b))
        return a.max(b)
    (a,) = args
    # an explicit table, never getattr(Value, name): only the listed functions can run,
    # even if a name slipped past _check (backward, __class__, ... are attributes too)
    method: Callable[[Value], Value] = _METHODS[name]
    return method(a) if isinstance(a, Value) else method(Value(a)).data


def parse(text: str, variables: dict[str, float]) -> Value:
    """Build the computational graph of ``text``; each used variable becomes one input node.

    Raises ExpressionError (a ValueError) for text outside the small language described
    in the module docstring, and the engine's ZeroDivisionError, ValueError or
    OverflowError when a value cannot be computed.

    Examples:
        >>> f = parse("x * x + exp(0)", {"x": 3.0})
        >>> f.backward()
        >>> f.data, [n.grad for n in topological_order(f) if n.label == "x"]
        (10.0, [6.0])
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    variables = _check_variables(variables)
    text = text.strip()
    if not text:
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters; the "
                              f"limit is {MAX_LENGTH})")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        where = f" at column {e.offset}" if e.offset else ""
        raise ExpressionError(f"cannot read the expression: {e.msg}{where}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("cannot read the expression: it is malformed or nested too "
                              "deeply") from None
    _check(tree, variables)

    nodes: dict[str, Value] = {}  # one node per name: reuse makes a fork

    def build(node: ast.expr) -> Value | float:  # depth <= MAX_DEPTH, checked above
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in nodes:
                nodes[node.id] = Value(variables[node.id], node.id)
            return nodes[node.id]
        if isinstance(node, ast.UnaryOp):
            x = build(node.operand)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.BinOp):
            return _binary(node.op, build(node.left), build(node.right))
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return _call(node.func.id, [build(a) for a in node.args])

    out = build(tree.body)
    return out if isinstance(out, Value) else Value(out)


_HEADERS = {
    "uk": ("№", "вузол", "входи", "значення", "градієнт"),
    "en": ("#", "node", "inputs", "value", "gradient"),
}
_INPUT = {"uk": "вхід", "en": "input"}


def _table(root: Value, lang: str, digits: int) -> str:
    order = topological_order(root)
    number = {id(n): i for i, n in enumerate(order, start=1)}
    rows = [pick(_HEADERS, lang)]
    for i, n in enumerate(order, start=1):
        name = n.label if not n.op else n.op
        inputs = ", ".join(str(number[id(x)]) for x in n.inputs) or "—"
        rows.append((str(i), name or pick(_INPUT, lang), inputs,
                     fmt(n.data, lang, digits), fmt(n.grad, lang, digits)))
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    lines = []
    for r in rows:
        cells = [r[0].rjust(widths[0]), r[1].ljust(widths[1]), r[2].ljust(widths[2]),
                 r[3].rjust(widths[3]), r[4].rjust(widths[4])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        self.exit(2, f"error: {message} (see --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m lessons.autograd",
        description="Build the computational graph of an expression, run the forward and "
                    "the backward pass, and print every node in topological order with "
                    "its value and gradient.",
        epilog=(
            'example: python -m lessons.autograd "(x + y) * z" x=-2 y=5 z=-4 --lang en\n\n'
            "allowed: variables, numbers, + - * / **, unary -, parentheses, "
            f"{', '.join(sorted(FUNCTIONS))}(...).\n"
            f"limits: exponents are number literals with |n| <= {MAX_EXPONENT}; numbers "
            f"|c| <= {MAX_CONSTANT:g}; at most {MAX_LENGTH} characters and {MAX_DEPTH} "
            "levels of nesting.\n"
            'an expression that starts with "-" goes after "--": -- "-x * y" x=1 y=2'),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("expression", help='the expression, in quotes, e.g. "(x + y) * z"')
    p.add_argument("variables", nargs="*", metavar="name=value",
                   help="the value of each variable, e.g. x=-2")
    p.add_argument("--lang", choices=LANGS, default="uk",
                   help="language of the table and the figure (default: uk)")
    p.add_argument("--digits", type=int, default=4,
                   help="decimals shown, 0 to 12 (default: 4)")
    p.add_argument("--svg", metavar="PATH", help="also write the graph as an SVG file")
    return p


def _read_variables(pairs: list[str]) -> dict[str, float]:
    variables: dict[str, float] = {}
    for pair in pairs:
        name, eq, text = pair.partition("=")
        name = name.strip()
        if not eq:
            raise ExpressionError(f"expected name=value, got {pair!r}")
        if not name.isidentifier():
            raise ExpressionError(f"{name!r} is not a valid variable name (in {pair!r})")
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function, not a variable name")
        if name in variables:
            raise ExpressionError(f"variable {name} is given twice")
        try:
            value = float(text)
        except ValueError:
            raise ExpressionError(f"the value of {name} must be a number, got "
                                  f"{text!r}") from None
        if not math.isfinite(value):
            raise ExpressionError(f"the value of {name} must be a finite number, got "
                                  f"{text!r}")
        variables[name] = value
    return variables


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print the node table (and write an SVG); 0 on success, 2 on bad input.

    Examples:
        >>> main(["x * x", "x=3", "--lang", "en", "--digits", "1"])
        #  node  inputs  value  gradient
        1  x     —         3.0       6.0
        2  *     1, 1      9.0       1.0
        0
    """
    args = _build_parser().parse_args(argv)
    try:
        if not 0 <= args.digits <= 12:
            raise ExpressionError(f"--digits must be between 0 and 12, got {args.digits}")
        variables = _read_variables(args.variables)
        root = parse(args.expression, variables)
        root.backward()
    except (ExpressionError, ZeroDivisionError, ValueError, OverflowError, TypeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    used = {n.label for n in topological_order(root) if not n.op}
    for name in variables:
        if name not in used:
            print(f"warning: variable {name} is not used in the expression "
                  "(its gradient is 0)", file=sys.stderr)
    print(_table(root, args.lang, args.digits))
    if args.svg:
        try:
            from lessons.draw import to_svg  # written separately; optional for the table
        except ImportError:
            print("error: --svg needs lessons.draw, which is not available",
                  file=sys.stderr)
            return 2
        try:
            with open(args.svg, "w", encoding="utf-8") as f:
                f.write(to_svg(root, lang=args.lang, digits=args.digits))
        except OSError as e:
            print(f"error: cannot write {args.svg}: {e.strerror}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
