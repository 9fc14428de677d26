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

A decimal comma in the expression (``x*0,5``, ``exp(0,5)``: the Ukrainian page's values take
one) makes a tuple or an extra argument; that is refused with a message about the comma. A
product typed another way (``x×y``, ``x·y``, which Python reads as one name, ``2x``, ``2(x)``)
is refused with a message that says how to write it (``*``, ``2*x``).
"""

from __future__ import annotations

import argparse
import ast
import math
import numbers
import re
import sys
from collections.abc import Callable

from lessons.autograd import Value, topological_order
from lessons.i18n import LANGS, MINUS, check_lang, fmt, fmt_int, pick, plural

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "ExpressionError",
    "graph_html",
    "main",
    "parse",
    "read_values",
    "translate",
    "try_graph",
]

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_EXPONENT = 100
MAX_CONSTANT = 1e6
# name -> number of arguments
FUNCTIONS = {"exp": 1, "log": 1, "tanh": 1, "sigmoid": 1, "relu": 1, "max": 2}
_FUNCTION_LIST = ", ".join(sorted(FUNCTIONS))
_CHARS = {"uk": ("символ", "символи", "символів"), "en": ("character", "characters")}

_METHODS: dict[str, Callable[[Value], Value]] = {
    "exp": Value.exp, "log": Value.log, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
    "relu": Value.relu,
}
assert set(_METHODS) | {"max"} == set(FUNCTIONS)

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED = {  # node type -> key of _REASONS
    ast.Attribute: "attribute", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.Compare: "compare", ast.BoolOp: "boolop", ast.IfExp: "ifexp", ast.NamedExpr: "walrus",
    ast.Starred: "starred", ast.JoinedStr: "strings", ast.List: "list", ast.Tuple: "tuple",
    ast.Set: "set", ast.Dict: "dict", ast.ListComp: "comprehension",
    ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator", ast.Await: "await", ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """An expression the tool refuses, with a one-line message saying why.

    ``key`` names the message in ``_MESSAGES`` and ``fields`` fill it in; ``str(error)`` is
    the English text (the API speaks English), `translate` gives it in either language
    (the CLI prints it in its ``--lang``, the page's form in the page's language).

    Examples:
        >>> isinstance(ExpressionError("empty"), ValueError)
        True
        >>> error = ExpressionError("twice", name="x")
        >>> str(error), translate(error, "uk")
        ('variable x is given twice', 'змінну x задано двічі')
    """

    def __init__(self, key: str, **fields: object):
        self.key, self.fields = key, fields
        super().__init__(_render(key, fields, "en"))


# one entry per message the tool can print; {x!r} quotes as Python does (the English text
# has always done so), the Ukrainian text uses guillemets around what the reader typed
_MESSAGES = {
    "too_deep": {"en": "the expression is nested too deeply (more than {limit} levels)",
                 "uk": "вираз має забагато рівнів вкладеності (понад {limit})"},
    "not_number": {"en": "{value!r} is not a number", "uk": "«{value}» — не число"},
    "complex": {"en": "complex numbers are not allowed: {code}",
                "uk": "комплексні числа не дозволені: {code}"},
    "big_number": {"en": "the number {code} is too large: number literals must be within ±{limit}",
                   "uk": "число {code} завелике: числа у виразі мають бути в межах ±{limit}"},
    "call_refused": {"en": "calling {name!r} is not allowed: only the functions {functions} can "
                           "be called",
                     "uk": "викликати «{name}» не можна: дозволено лише функції {functions}"},
    "function_name": {"en": "{name!r} is a function: call it, as in {name}(x)",
                      "uk": "«{name}» — це функція: її треба викликати, наприклад {name}(x)"},
    "unknown_name": {"en": "unknown name {name!r}: give it a value, as in {name}=1.5, or fix "
                           "the spelling (allowed names: {names}; functions {functions})",
                     "uk": "невідоме ім'я «{name}»: задайте його значення, наприклад {name}=1.5, "
                           "або виправте написання (дозволені імена: {names}; функції "
                           "{functions})"},
    # Python reads x·y as one name (· continues a name): the reader meant a product
    "unknown_name_dot": {"en": "unknown name {name!r}: write multiplication as *",
                         "uk": "невідоме ім'я «{name}»: множення пишіть як *"},
    "operator": {"en": "the operator in {code!r} is not supported: only + - * / ** are allowed",
                 "uk": "операція в «{code}» не підтримується: дозволено лише + - * / **"},
    "operator_xor": {"en": "the operator in {code!r} is not supported: only + - * / ** are allowed "
                           "(for a power write x**2)",
                     "uk": "операція в «{code}» не підтримується: дозволено лише + - * / ** "
                           "(степінь записують як x**2)"},
    "exponent_expr": {"en": "the exponent in {code!r} must be a number such as 2, -1 or 0.5, not "
                            "an expression or a variable; for x**y write exp(y * log(x))",
                      "uk": "показник степеня в «{code}» має бути числом, наприклад 2, -1 чи 0.5, "
                            "а не виразом чи змінною; x**y можна записати як exp(y * log(x))"},
    "exponent_big": {"en": "the exponent {n} is too large: it must be within ±{limit}",
                     "uk": "показник степеня {n} завеликий: він має бути в межах ±{limit}"},
    "unary": {"en": "the operator in {code!r} is not supported: only - and + are allowed as unary "
                    "operators",
              "uk": "операція в «{code}» не підтримується: з унарних операцій можна лише - і +"},
    "refused": {"en": "{reason}: {code!r}", "uk": "{reason}: «{code}»"},
    # 2(x): a number called as a function, where the reader meant a product
    "number_call": {"en": "write multiplication as {product}, not {code!r}",
                    "uk": "множення пишіть як {product}, а не «{code}»"},
    "keywords": {"en": "keyword and * arguments are not allowed: {code}",
                 "uk": "іменовані аргументи й аргументи із * не дозволені: {code}"},
    "arity": {"en": "{name} takes {n} {args_en}, got {got}",
              "uk": "{name} приймає {n} {args_uk}, а передано {got}"},
    # a tuple or an extra argument made by a decimal comma (x*0,5, exp(0,5)): the Ukrainian
    # page's values take one, so a reader types one in the expression too
    "decimal_comma": {"en": "a comma in the expression separates a function's arguments, so use "
                            "a decimal point: {number}",
                      "uk": "у виразі кома розділяє аргументи функції, тож дробову частину числа "
                            "відокремлюйте крапкою: {number}"},
    "empty": {"en": "the expression is empty", "uk": "вираз порожній"},
    "too_long": {"en": "the expression is too long ({length} characters; the limit is {limit})",
                 "uk": "вираз задовгий ({length} {chars_uk}; можна щонайбільше {limit})"},
    "syntax": {"en": "cannot read the expression: {msg}{where}{hint}",
               "uk": "не вдалося розібрати вираз: {msg}{where}{hint}"},
    "malformed": {"en": "cannot read the expression: it is malformed or nested too deeply",
                  "uk": "не вдалося розібрати вираз: у ньому синтаксична помилка або забагато рівнів "
                        "вкладеності"},
    "digits": {"en": "--digits must be between 0 and 12, got {got}",
               "uk": "--digits має бути від 0 до 12, а не «{got}»"},
    "pair": {"en": "expected name=value, got {pair!r}",
             "uk": "очікувалося «ім'я=значення», а не «{pair}»"},
    "no_name": {"en": "a variable name is missing before = (in {pair!r})",
                "uk": "перед «=» бракує імені змінної (у «{pair}»)"},
    "bad_name": {"en": "{name!r} is not a valid variable name (in {pair!r})",
                 "uk": "«{name}» не може бути ім'ям змінної (у «{pair}»)"},
    "name_is_function": {"en": "{name!r} is a function, not a variable name",
                         "uk": "«{name}» — це функція, а не ім'я змінної"},
    "twice": {"en": "variable {name} is given twice", "uk": "змінну {name} задано двічі"},
    "no_value": {"en": "the value of {name} is missing: write it after the = sign, as in "
                       "{name}=1.5",
                 "uk": "бракує значення {name}: запишіть його після знака =, наприклад {name}=1.5"},
    "value": {"en": "the value of {name} must be a number, got {text!r}",
              "uk": "значення {name} має бути числом, а не «{text}»"},
    # x=0,5 on the command line: the Ukrainian form reads the decimal comma, the CLI does not
    "value_comma": {"en": "the value of {name} must be a number, got {text!r}: use a decimal "
                          "point ({number})",
                    "uk": "значення {name} має бути числом, а не «{text}»: дробову частину "
                          "відокремлюйте крапкою ({number})"},
    "value_finite": {"en": "the value of {name} must be a finite number, got {text!r}",
                     "uk": "значення {name} має бути скінченним числом, а не «{text}»"},
    # division by zero, found by parse itself: the divisor as the reader typed it
    "zero_division": {"en": "division by zero: the divisor {divisor}is 0",
                      "uk": "ділення на нуль: дільник {divisor}дорівнює 0"},
    # the engine's errors (lessons.autograd speaks English), read back by _engine_error
    "engine_zero_division": {"en": "{text}", "uk": "ділення на нуль: дільник {divisor}дорівнює 0"},
    "zero_power": {"en": "0 cannot be raised to the negative power {n}",
                   "uk": "0 не можна підносити до від'ємного степеня {n}"},
    "zero_root": {"en": "{text}",
                  "uk": "x ** {n}, якщо x = 0: значення дорівнює 0, але похідна там нескінченна, "
                        "тож зворотний прохід неможливий"},
    "negative_base": {"en": "{text}",
                      "uk": "від'ємне число ({x}) не можна підносити до нецілого степеня {n}"},
    "log_domain": {"en": "{text}", "uk": "log визначено лише для додатних чисел, а аргумент дорівнює {x}"},
    "overflow": {"en": "the result of {op!r} is not a finite number ({x}): its inputs are too "
                       "large",
                 "uk": "результат операції «{op}» не є скінченним числом ({x}): завеликі вхідні "
                       "значення"},
    "engine": {"en": "{text}", "uk": "{text}"},
    # what the CLI writes before a message
    "error": {"en": "error: {message}", "uk": "помилка: {message}"},
    "warning": {"en": "warning: variable {name} is not used in the expression (its gradient "
                      "is 0)",
                "uk": "попередження: змінна {name} не використовується у виразі (її градієнт "
                      "дорівнює 0)"},
}

# why a construct is refused ("refused" above): by syntax node type
_REASONS = {
    "attribute": {"en": "attribute access (like x.__class__) is not allowed",
                  "uk": "доступ до атрибутів (як-от x.__class__) не дозволено"},
    "subscript": {"en": "subscripts (like x[0]) are not allowed",
                  "uk": "індексування (як-от x[0]) не дозволено"},
    "lambda": {"en": "lambda is not allowed", "uk": "lambda не дозволено"},
    "compare": {"en": "comparisons (<, ==, ...) are not allowed",
                "uk": "порівняння (<, == тощо) не дозволені"},
    "boolop": {"en": "'and' / 'or' are not allowed", "uk": "«and» і «or» не дозволені"},
    "ifexp": {"en": "conditional expressions (a if c else b) are not allowed",
              "uk": "умовні вирази (a if c else b) не дозволені"},
    "walrus": {"en": "the walrus operator := is not allowed", "uk": "оператор := не дозволено"},
    "starred": {"en": "*arguments are not allowed", "uk": "аргументи із * не дозволені"},
    "strings": {"en": "strings are not allowed", "uk": "рядки не дозволені"},
    "list": {"en": "lists are not allowed", "uk": "списки не дозволені"},
    "tuple": {"en": "tuples are not allowed", "uk": "кортежі не дозволені"},
    "set": {"en": "sets are not allowed", "uk": "множини не дозволені"},
    "dict": {"en": "dicts are not allowed", "uk": "словники не дозволені"},
    "comprehension": {"en": "comprehensions are not allowed",
                      "uk": "генератори списків, множин і словників не дозволені"},
    "generator": {"en": "generator expressions are not allowed",
                  "uk": "вирази-генератори не дозволені"},
    "await": {"en": "await is not allowed", "uk": "await не дозволено"},
    "yield": {"en": "yield is not allowed", "uk": "yield не дозволено"},
    "by_name": {"en": "only functions called by name are allowed",
                "uk": "викликати можна лише функцію за її ім'ям"},
    "other": {"en": "{type} is not allowed", "uk": "конструкція {type} не дозволена"},
}

# Python's own syntax messages that a reader meets most often, in Ukrainian (others stay as
# Python says them)
_SYNTAX_UK = (
    (re.compile(r"invalid syntax(?:\. Perhaps you forgot a comma\?)?$"), "синтаксична помилка"),
    (re.compile(r"'(.)' was never closed$"), r"дужку «\1» не закрито"),
    (re.compile(r"unmatched '(.)'$"), r"зайва дужка «\1»"),
    (re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'.*$"),
     r"дужка «\1» не відповідає дужці «\2»"),
    (re.compile(r"invalid decimal literal$"), "неправильний запис числа"),
    (re.compile(r"invalid character '(.)' \((U\+[0-9A-F]+)\)$"), r"недопустимий символ «\1» (\2)"),
    (re.compile(r"unterminated string literal.*$"), "незакритий рядок"),
    (re.compile(r"unexpected EOF while parsing$"), "вираз незавершений"),
)
# characters a reader types for a product (× and the dots): Python refuses them or, after a
# letter, reads · as part of a name (x·y)
_TIMES = "×·⋅∙"
_GLUED = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)([^\W\d]\w*)")  # 2x: a number glued to a name
_HINT = {"en": "; write multiplication as {product}", "uk": "; множення пишіть як {product}"}


def _render(key: str, fields: dict, lang: str) -> str:
    shown = dict(fields)
    if key == "refused":
        shown["reason"] = pick(_REASONS[fields["reason"]], lang).format(**fields)
    elif key == "syntax":
        msg, col = fields["msg"], fields.get("col")
        if lang == "uk":
            for pattern, text in _SYNTAX_UK:
                if pattern.match(msg):
                    msg = pattern.sub(text, msg)
                    break
        elif msg == "invalid decimal literal":  # Python's jargon for 2x: a reader typed a number
            msg = "invalid number"
        shown["where"] = "" if not col else pick({"en": " at column {c}", "uk": " (позиція {c})"},
                                                  lang).format(c=col)
        if lang == "uk" and col and msg.startswith("недопустимий символ"):  # one pair of brackets
            msg, shown["where"] = f"{msg[:-1]}, позиція {col})", ""
        shown["msg"] = msg
        product = fields.get("product")
        shown["hint"] = pick(_HINT, lang).format(product=product) if product else ""
    elif key == "unknown_name":
        names = ", ".join(fields["names"])
        shown["names"] = pick({"en": "variables {names}", "uk": "змінні {names}"}, lang).format(
            names=names) if names else pick({"en": "no variables given",
                                             "uk": "змінних не задано"}, lang)
    elif key == "overflow":
        shown["op"] = str(fields["op"]).replace("^", "**")  # the gate '^100' was typed x**100
    if key == "big_number":
        shown["limit"] = fmt_int(fields["limit"], lang)
    if key in ("zero_division", "engine_zero_division"):
        divisor = fields.get("divisor") or ""
        if divisor and fields.get("quoted"):  # an expression, quoted as the reader typed it
            divisor = f"«{divisor}»" if lang == "uk" else repr(divisor)
        shown["divisor"] = divisor + " " if divisor else ""
    for name in ("x", "n"):  # the engine's numbers, as Python printed them
        if key not in ("exponent_big", "zero_root") and isinstance(fields.get(name), str):
            number = fields[name]
            if re.fullmatch(r"-?\d+\.0", number):  # an integral power: -1, not -1.0
                number = number[:-2]
            if lang == "uk":  # a value in prose; an exponent n keeps its point, as typed
                number = (number.replace(".", ",") if name == "x" else number).replace("-", MINUS)
            shown[name] = number
    return pick(_MESSAGES[key], lang).format(**shown)


def translate(error: BaseException, lang: str = "en") -> str:
    """The message of ``error`` in ``lang``, as the CLI prints it after ``error:``.

    An `ExpressionError` in its own words; one of the engine's errors (division by
    zero, log of a non-positive number, a result too large, ...) in Ukrainian too; anything
    else as it is.

    Examples:
        >>> translate(ZeroDivisionError("division by zero: the divisor x is 0"), "uk")
        'ділення на нуль: дільник x дорівнює 0'
        >>> translate(ZeroDivisionError("0 cannot be raised to the negative power -1.0"), "uk")
        "0 не можна підносити до від'ємного степеня −1"
    """
    check_lang(lang)
    if not isinstance(error, ExpressionError):
        error = _engine_error(error)
    return _render(error.key, error.fields, lang)


# the engine's messages (lessons.autograd), read back into keys; the English stays as it was
_ENGINE = (
    # a label is a name; an unlabelled divisor the engine describes in English: not named here
    (re.compile(r"division by zero(?:: the divisor (?P<divisor>[^\W\d]\w*(?= is 0)))?"),
     "engine_zero_division"),
    (re.compile(r"0 cannot be raised to the negative power (?P<n>\S+)$"), "zero_power"),
    (re.compile(r"x \*\* (?P<n>\S+) at x = 0:"), "zero_root"),
    (re.compile(r"a negative base \((?P<x>\S+)\) cannot be raised to the non-integer power "
                r"(?P<n>\S+)$"), "negative_base"),
    (re.compile(r"log is only defined for positive numbers, got (?P<x>\S+)$"), "log_domain"),
    (re.compile(r"the result of gate (?P<op>'[^']*') is not finite \((?P<x>[^)]*)\)"), "overflow"),
)


def _engine_error(error: BaseException) -> ExpressionError:
    text = str(error)
    for pattern, key in _ENGINE:
        m = pattern.match(text)
        if m:
            fields = m.groupdict()
            if "op" in fields:
                fields["op"] = fields["op"][1:-1]  # the gate's name, without Python's quotes
            return ExpressionError(key, text=text, **fields)
    return ExpressionError("engine", text=text)


def _snippet(node: ast.AST) -> str:
    """The source of ``node`` for an error message (ast.unparse only prints, never runs)."""
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


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


def _typed(node: ast.AST, text: str | None) -> str:
    """``node`` as the reader typed it (``1e7``, not ``10000000.0``), else as ast.unparse prints it."""
    typed = ast.get_source_segment(text, node) if text is not None else None
    if typed is None:
        return _snippet(node)
    return typed if len(typed) <= 40 else typed[:37] + "..."


def _check(tree: ast.Expression, variables: dict[str, float], text: str | None = None) -> None:
    """Refuse anything but the small arithmetic language, before computing anything.

    ``text`` is the source of ``tree``: a number is echoed as typed.
    """
    # depth first, iteratively, so a deep tree cannot exhaust the stack here
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError("too_deep", limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):  # parents before children
        if isinstance(node, (ast.Expression, ast.operator, ast.unaryop, ast.expr_context)):
            continue
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or value is None or value is Ellipsis:
                raise ExpressionError("not_number", value=_typed(node, text))
            if isinstance(value, (str, bytes)):
                raise ExpressionError("refused", reason="strings", code=_snippet(node))
            if isinstance(value, complex):
                raise ExpressionError("complex", code=_snippet(node))
            if abs(value) > MAX_CONSTANT:
                raise ExpressionError("big_number", code=_typed(node, text),
                                      limit=int(MAX_CONSTANT))
        elif isinstance(node, ast.Name):
            if id(node) in callees:
                if node.id not in FUNCTIONS:
                    raise ExpressionError("call_refused", name=node.id, functions=_FUNCTION_LIST)
            elif node.id in FUNCTIONS and node.id not in variables:
                raise ExpressionError("function_name", name=node.id)
            elif node.id not in variables and any(c in node.id for c in _TIMES):
                raise ExpressionError("unknown_name_dot", name=node.id)
            elif node.id not in variables:
                raise ExpressionError("unknown_name", name=node.id, names=tuple(sorted(variables)),
                                      functions=_FUNCTION_LIST)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                key = "operator_xor" if isinstance(node.op, ast.BitXor) else "operator"
                raise ExpressionError(key, code=_snippet(node))
            if isinstance(node.op, ast.Pow):
                n = _literal(node.right)
                if n is None:
                    raise ExpressionError("exponent_expr", code=_snippet(node))
                if abs(n) > MAX_EXPONENT:
                    raise ExpressionError("exponent_big", n=_typed(node.right, text),
                                          limit=MAX_EXPONENT)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise ExpressionError("unary", code=_snippet(node))
        elif isinstance(node, ast.Call):
            if _literal(node.func) is not None and len(node.args) == 1 and not node.keywords:
                arg = node.args[0]
                inner = _typed(arg, text)
                if not isinstance(arg, (ast.Name, ast.Constant, ast.Call)):
                    inner = f"({inner})"
                raise ExpressionError("number_call", code=_typed(node, text),
                                      product=f"{_typed(node.func, text)}*{inner}")
            if not isinstance(node.func, ast.Name):
                reason = _REFUSED.get(type(node.func), "by_name")
                raise ExpressionError("refused", reason=reason, code=_snippet(node))
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError("keywords", code=_snippet(node))
            expected = FUNCTIONS.get(node.func.id)
            if expected is not None and len(node.args) != expected:
                raise ExpressionError(
                    "arity", name=node.func.id, n=expected, got=len(node.args),
                    args_en="argument" if expected == 1 else "arguments",
                    args_uk=plural(expected, {"uk": ("аргумент", "аргументи", "аргументів"),
                                              "en": ("", "")}, "uk"))
        else:
            raise ExpressionError("refused", reason=_REFUSED.get(type(node), "other"),
                                  type=type(node).__name__, code=_snippet(node))


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


# a digit, a comma, a digit, not inside a name (x1,2): a decimal comma in the expression
_COMMA_NUMBER = re.compile(r"(?<![\w.])(\d+),(\d+)")


def _product(msg: str, text: str) -> str | None:
    """How to write the product the reader meant, for a syntax error: *, 2*x, else None."""
    if msg.startswith("invalid character") and any(f"'{c}'" in msg for c in _TIMES):
        return "*"
    glued = _GLUED.search(text) if msg == "invalid decimal literal" else None
    return f"{glued[1]}*{glued[2]}" if glued else None


def _divisor(node: ast.expr, text: str) -> dict[str, object]:
    """The divisor for the message: a name as it is, a number not at all, else the typed text."""
    if isinstance(node, ast.Name):
        return {"divisor": node.id}
    if _literal(node) is not None:
        return {}  # "the divisor is 0": saying "the divisor 0 is 0" says nothing more
    return {"divisor": _typed(node, text), "quoted": True}


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
        raise ExpressionError("empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", length=len(text), limit=MAX_LENGTH,
                              chars_uk=plural(len(text), _CHARS, "uk"))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise ExpressionError("syntax", msg=e.msg, col=e.offset, product=_product(e.msg, text)) \
            from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("malformed") from None
    try:
        _check(tree, variables, text)
    except ExpressionError as e:
        comma = _COMMA_NUMBER.search(text)
        extra = (e.key == "refused" and e.fields.get("reason") == "tuple"
                 or e.key == "arity" and e.fields["got"] > e.fields["n"])
        if comma and extra:  # x*0,5 or exp(0,5): a decimal comma, not a tuple or two arguments
            raise ExpressionError("decimal_comma", number=f"{comma[1]}.{comma[2]}") from None
        raise

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
            left, right = build(node.left), build(node.right)
            if isinstance(node.op, ast.Div) and (
                    right.data if isinstance(right, Value) else right) == 0.0:
                raise ExpressionError("zero_division", **_divisor(node.right, text))
            return _binary(node.op, left, right)
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return _call(node.func.id, [build(a) for a in node.args])

    out = build(tree.body)
    return out if isinstance(out, Value) else Value(out)


_HEADERS = {
    "uk": ("№", "вузол", "входи", "значення", "градієнт"),
    "en": ("#", "node", "inputs", "value", "gradient"),
}
_INPUT = {"uk": "вхід", "en": "input"}
_INPUT_SEP = {"uk": "; ", "en": ", "}  # 1; 2: in Ukrainian "1, 2" reads as a number


def _table(root: Value, lang: str, digits: int) -> str:
    order = topological_order(root)
    number = {id(n): i for i, n in enumerate(order, start=1)}
    rows = [pick(_HEADERS, lang)]
    for i, n in enumerate(order, start=1):
        name = n.label if not n.op else n.op
        inputs = _INPUT_SEP[lang].join(str(number[id(x)]) for x in n.inputs) or "—"
        rows.append((str(i), name or pick(_INPUT, lang), inputs,
                     fmt(n.data, lang, digits), fmt(n.grad, lang, digits)))
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    lines = []
    for r in rows:
        cells = [r[0].rjust(widths[0]), r[1].ljust(widths[1]), r[2].ljust(widths[2]),
                 r[3].rjust(widths[3]), r[4].rjust(widths[4])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# ---- the "try your own graph" form of Lesson 1 (lessons.browser.try_form) ---------------

_PAIR_SEP = {
    # a comma is a decimal comma in Ukrainian (x=0,5): it separates two pairs only before a name=
    "uk": re.compile(r"[\s;]+|,(?=\s*[^\W\d]\w*=)"),
    "en": re.compile(r"[\s;,]+"),
}
_DECIMAL_COMMA = re.compile(r"([+-]?\d+),(\d+)")


def read_values(text: str, lang: str = "en") -> dict[str, float]:
    """The values typed into the page's form, in the CLI's grammar: ``name=value`` pairs.

    The pairs are separated by spaces, semicolons or commas (``x=-2 y=5``, ``x=-2; y=5``,
    ``x=-2, y=5``), with or without spaces around ``=``; the Unicode minus (−, as the page's
    tables print it) is the hyphen. On the Ukrainian page a comma between digits is the
    decimal comma (``x=0,5`` is 0.5), so there a comma separates two pairs only when a name
    and ``=`` follow it (``x=0,5, y=2``); on the English page every comma separates
    (``x=0,5`` is refused with the CLI's message). Everything else, and every error message,
    is the CLI's (ExpressionError).

    Examples:
        >>> read_values("x=-2 y = 5; z=−4", "en")
        {'x': -2.0, 'y': 5.0, 'z': -4.0}
        >>> read_values("x=0,5, y=2", "uk")
        {'x': 0.5, 'y': 2.0}
    """
    lang = check_lang(lang)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = re.sub(r"\s*=\s*", "=", text.replace(MINUS, "-"))
    if lang == "en":  # x=0,5 meant 0.5: say so (as the CLI does), not "expected name=value"
        for m in re.finditer(r"([^\W\d]\w*)=([+-]?\d+,\d+)(?![\w.]*=)", text):
            _read_variables([f"{m[1]}={m[2]}"])  # raises the CLI's value_comma message
    pairs = [p for p in _PAIR_SEP[lang].split(text.strip()) if p]
    if lang == "uk":
        pairs = [name + eq + _DECIMAL_COMMA.sub(r"\1.\2", value) if _DECIMAL_COMMA.fullmatch(value)
                 else name + eq + value
                 for name, eq, value in (p.partition("=") for p in pairs)]
    return _read_variables(pairs)


def graph_html(root: Value, lang: str, prefix: str, digits: int = 4,
               variables: dict[str, float] | None = None) -> str:
    """The figure and the node table of ``root`` (after its backward pass) as HTML for the page.

    The figure is the CLI's ``--svg`` drawing (named by its title; its node by node
    description is the table); when its labels would fall under 10 CSS px on a 360 px
    phone, the page's two variants instead (``lessons.draw.figure_html``: the narrow
    one, top to bottom, on a phone). Every id starts with ``prefix``. The table is the CLI's,
    as an HTML table in a box that scrolls on a phone. A name in ``variables`` that the graph
    does not use gets the CLI's warning under the table, capitalised (a sentence of its own). The text of every node comes from
    the expression the reader typed: it is escaped.

    Examples:
        >>> f = parse("x * x", {"x": 3.0})
        >>> f.backward()
        >>> html = graph_html(f, "en", "t1")
        >>> 'id="t1"' in html and "<td>9.0000</td>" in html
        True
    """
    from xml.sax.saxutils import escape  # Pyodide's standard library has no html module

    from lessons.draw import FONT, MIN_LABEL, PHONE_WIDTH, _natural_width, figure_html
    from lessons.draw import gate_label, to_svg

    lang = check_lang(lang)
    svg = to_svg(root, lang=lang, digits=digits, id_prefix=prefix)
    if _natural_width(svg) * MIN_LABEL / FONT > PHONE_WIDTH:
        svg = figure_html(root, lang=lang, digits=digits, id_prefix=prefix)
    else:
        # no <desc>: it reads out every node's value and gradient, which the table right
        # under the figure gives (a screen reader would hear them twice), and how to read
        # the drawing, which its legend says; the title names the figure (Lesson 1's page
        # has a byte budget, and this is on it twice: as built and as the reader's result)
        svg = svg.replace(f'aria-labelledby="{prefix}-title {prefix}-desc"',
                          f'aria-labelledby="{prefix}-title"', 1)
        svg = re.sub(rf'<desc id="{re.escape(prefix)}-desc">[^<]*</desc>', "", svg, count=1)
    order = topological_order(root)
    number = {id(n): i for i, n in enumerate(order, start=1)}
    sep = _INPUT_SEP[lang]
    head = "".join(f"<th>{h[:1].upper() + h[1:]}</th>" for h in pick(_HEADERS, lang))
    rows = []
    for i, n in enumerate(order, start=1):
        name = gate_label(n.op, lang) if n.op else (n.label or pick(_INPUT, lang))
        inputs = sep.join(str(number[id(x)]) for x in n.inputs) or "—"
        cells = (str(i), escape(name), inputs, fmt(n.data, lang, digits), fmt(n.grad, lang, digits))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    from lessons.markdown import scroll_box

    table = scroll_box(f'<table data-r="1 4 5"><thead><tr>{head}</tr></thead>'
                       f'<tbody>{"".join(rows)}</tbody></table>', lang)
    used = {n.label for n in order if not n.op}
    # the CLI's warning, as a sentence of its own: capitalised ("Warning: ...")
    warnings = "".join(
        f'<p class="try-warning">{escape(_capitalised(_render("warning", {"name": name}, lang)))}</p>'
        for name in variables or () if name not in used)
    return f'<div class="figure-scroll">{svg}</div>{table}{warnings}'


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def try_graph(fields: dict[str, str], lang: str, prefix: str) -> dict[str, str]:
    """Lesson 1's form: the graph of ``fields["expression"]`` at ``fields["values"]``.

    Returns ``{"html": graph_html(...)}``, or ``{"error": message}`` with the message the CLI
    prints (after ``error:``) with ``--lang lang``. The expression goes through `parse`,
    as on the command line (the Unicode minus is read as the hyphen); the values through
    `read_values`.

    Examples:
        >>> try_graph({"expression": "x.y", "values": "x=1"}, "en", "t")
        {'error': "attribute access (like x.__class__) is not allowed: 'x.y'"}
        >>> "html" in try_graph({"expression": "(x + y) * z", "values": "x=-2 y=5 z=-4"}, "uk", "t")
        True
    """
    lang = check_lang(lang)
    if not isinstance(fields, dict):
        raise TypeError(f"fields must be a dict of field name -> text, got {type(fields).__name__}")
    try:
        variables = read_values(str(fields.get("values", "")), lang)
        root = parse(str(fields.get("expression", "")).replace(MINUS, "-"), variables)
        root.backward()
    except (ExpressionError, ZeroDivisionError, ValueError, OverflowError, TypeError) as e:
        return {"error": translate(e, lang)}
    return {"html": graph_html(root, lang, prefix, variables=variables)}


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
            raise ExpressionError("pair", pair=pair)
        if not name:
            raise ExpressionError("no_name", pair=pair)
        if not name.isidentifier():
            raise ExpressionError("bad_name", name=name, pair=pair)
        if name in FUNCTIONS:
            raise ExpressionError("name_is_function", name=name)
        if name in variables:
            raise ExpressionError("twice", name=name)
        if not text.strip():
            raise ExpressionError("no_value", name=name)
        try:
            value = float(text)
        except ValueError:
            comma = _DECIMAL_COMMA.fullmatch(text.strip())
            if comma:  # x=0,5: the decimal comma, which only the Ukrainian form reads
                raise ExpressionError("value_comma", name=name, text=text,
                                      number=f"{comma[1]}.{comma[2]}") from None
            raise ExpressionError("value", name=name, text=text) from None
        if not math.isfinite(value):
            raise ExpressionError("value_finite", name=name, text=text)
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
            raise ExpressionError("digits", got=args.digits)
        variables = _read_variables(args.variables)
        root = parse(args.expression, variables)
        root.backward()
    except (ExpressionError, ZeroDivisionError, ValueError, OverflowError, TypeError) as e:
        print(_render("error", {"message": translate(e, args.lang)}, args.lang), file=sys.stderr)
        return 2
    used = {n.label for n in topological_order(root) if not n.op}
    for name in variables:
        if name not in used:
            print(_render("warning", {"name": name}, args.lang), file=sys.stderr)
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
