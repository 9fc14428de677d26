"""The one Markdown table writer the lesson pages use."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["table"]

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
