"""The Markdown the lesson pages print: tables, and the source of the functions they teach."""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Sequence

__all__ = ["source", "table"]

_MARKS = {"l": ":--", "r": "--:", "c": ":-:"}


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


def source(*objects: Callable | type, title: str | None = None) -> str:
    """A fenced Python block with the real source of ``objects``, read from the tested module.

    Pages show the code that teaches (a gate, ``backward()``, BatchNorm) through this rather
    than a pasted copy, so what a student reads is what the tests run. ``title`` becomes the
    block's title bar (pymdownx.highlight's ``title=``).

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
        parts.append(textwrap.dedent(inspect.getsource(obj)).rstrip())
    if title is not None and ('"' in title or "\n" in title):
        raise ValueError(f"title must be one line without double quotes, got {title!r}")
    head = "```python" + (f' title="{title}"' if title else "")
    return "\n".join([head, "\n\n".join(parts), "```"])
