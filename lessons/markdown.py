"""The Markdown the lesson pages print: tables, the source of the functions they teach, and
the markup of a "try your own" form."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Sequence

from lessons.i18n import check_lang

__all__ = ["scroll_box", "source", "table", "try_form_html"]

_MARKS = {"l": ":--", "r": "--:", "c": ":-:"}
# the name of a table box that scrolls sideways, as hooks/a11y_hooks.py names the site's own
_SCROLL_LABEL = {"uk": "Таблиця з прокручуванням", "en": "Scrollable table"}


def scroll_box(table_html: str, lang: str) -> str:
    """An HTML table in the box the site gives a wide table (it scrolls, takes keyboard focus
    and has a name), for HTML that the build's a11y hook never sees (a form's live result).

    Examples:
        >>> scroll_box("<table></table>", "en")
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Scrollable table"><table></table></div>'
    """
    label = _SCROLL_LABEL["uk" if lang == "uk" else "en"]
    return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
            f"{table_html}</div>")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """A Markdown table; ``align`` has one letter per column (l, r, c), default "lrr…".

    Examples:
        >>> print(table(["x", "f(x)"], [["1", "2,00"]]))
        | x | f(x) |
        |:--|--:|
        | 1 | 2,00 |
    """
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header) or set(align) - set(_MARKS):
        raise ValueError(f"align must have one of l/r/c per column ({len(header)}), got {align!r}")
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"row {i} has {len(row)} cells, the header has {len(header)}")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(_MARKS[a] for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _without_examples(text: str) -> str:
    """``text`` (one function's source) without the ``Examples:`` section of its docstring."""
    tree = ast.parse(text)
    node = tree.body[0]
    body = getattr(node, "body", [])
    if not (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        return text
    lines = text.splitlines()
    first, last = body[0].lineno - 1, body[0].end_lineno - 1  # the docstring's lines
    starts = [i for i in range(first, last + 1) if lines[i].strip() == "Examples:"]
    if not starts:
        return text
    start = starts[0]
    while start > first + 1 and not lines[start - 1].strip():
        start -= 1  # the blank line before the section goes too
    if start == last:
        return text
    # the docstring still closes: its quotes, at the indentation of its closing line
    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
    return "\n".join(lines[:start] + [indent + '"""'] + lines[last + 1:])


def source(*objects: Callable | type, title: str | None = None, examples: bool = True) -> str:
    """A fenced Python block with the real source of ``objects``, read from the tested module.

    Pages show the code that teaches (a gate, ``backward()``, BatchNorm) through this rather
    than a pasted copy, so what a student reads is what the tests run. ``title`` becomes the
    block's title bar (pymdownx.highlight's ``title=``). ``examples=False`` leaves out the
    docstrings' ``Examples:`` sections (the doctests), which a page that demonstrates the
    function itself does not need, and which weigh several KB once highlighted.

    Examples:
        >>> print(source(source).splitlines()[0])
        ```python
        >>> "def source(" in source(source)
        True
    """
    if not objects:
        raise ValueError("source needs at least one function or class")
    parts = []
    for obj in objects:
        if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
            raise TypeError(f"source takes functions, methods or classes, got {type(obj).__name__}")
        text = textwrap.dedent(inspect.getsource(obj)).rstrip()
        parts.append(text if examples else _without_examples(text))
    if title is not None and ('"' in title or "\n" in title):
        raise ValueError(f"title must be one line without double quotes, got {title!r}")
    head = "```python" + (f' title="{title}"' if title else "")
    return "\n".join([head, "\n\n".join(parts), "```"])


def try_form_html(kind: str, lang: str, fields, submit_label: str, result_html: str) -> str:
    """A "try your own" form (``<form class="try-form" data-try=kind>``) for a page's exec block.

    ``fields`` are ``(name, label, default)`` or ``(name, label, default, hint)`` tuples: one
    labelled ``<input>`` each, holding its default; a hint is HTML (the module's own words,
    ``<code>`` allowed), shown under its field and linked to it as its description.
    ``result_html`` is what the form's function (``lessons.browser.TRY``) returns for the
    defaults (the build computes it): without JavaScript the form reads as that example,
    and its submit button stays hidden until ``docs/assets/run.js`` shows it (on a page
    where the build put the runner's words, ``lessons.browser.strings_html``:
    ``hooks/pyodide_hooks.py`` does so before the first runnable block or, on a page
    without one, before the first form). ``lang`` is the page's language.

    Examples:
        >>> html = try_form_html("graph", "en", [("expression", "Expression", "x * <y>")],
        ...                      "Draw", "<p>result</p>")
        >>> html.startswith('<form class="try-form" data-try="graph" novalidate')
        True
        >>> 'value="x * &lt;y&gt;"' in html, 'data-action="try" hidden>Draw</button>' in html
        (True, True)
    """
    from xml.sax.saxutils import escape as text  # as in lessons.draw (Pyodide has no html module)

    def escape(value: str, quote: bool = True) -> str:
        return text(str(value), {'"': "&quot;"} if quote else {})

    check_lang(lang)
    if not re.fullmatch(r"[a-z][a-z0-9-]*", kind or ""):
        raise ValueError(f"kind must be a lowercase word such as 'graph', got {kind!r}")
    rows = []
    for field in fields:
        if len(field) not in (3, 4):
            raise ValueError(f"a field is (name, label, default[, hint]), got {field!r}")
        name, label, default, hint = (*field, None)[:4]
        key = f"try-{kind}-{name}"
        described = f' aria-describedby="{key}-hint"' if hint else ""
        rows.append(f'<p class="try-field"><label for="{key}">{escape(label, quote=False)}</label>'
                    f'<input id="{key}" name="{escape(name)}" value="{escape(default)}" '
                    f'autocomplete="off" autocapitalize="off" spellcheck="false"{described}>'
                    + (f'<small id="{key}-hint">{hint}</small>' if hint else "")
                    + "</p>")
    return (f'<form class="try-form" data-try="{kind}" novalidate>{"".join(rows)}'
            f'<p><button type="submit" class="md-button" data-action="try" hidden>'
            f'{escape(submit_label)}</button></p>'
            f'<div class="try-output" data-try-output role="status" aria-live="polite">'
            f'{result_html}</div></form>')
