"""lessons.markdown: the table writer every page's tables go through."""

from __future__ import annotations

import pytest

from lessons.markdown import table


def test_alignment_row_and_cells():
    text = table(["a", "b", "c"], [["1", "2", "3"], ["x", "", "z"]], "lcr")
    assert text.splitlines() == ["| a | b | c |", "|:--|:-:|--:|", "| 1 | 2 | 3 |", "| x |  | z |"]


def test_default_alignment_is_text_then_numbers():
    assert table(["name", "n"], []).splitlines()[1] == "|:--|--:|"


@pytest.mark.parametrize("header, rows, align, word", [
    (["a", "b"], [["1"]], None, "row 0"),
    (["a", "b"], [], "l", "align"),
    (["a", "b"], [], "lx", "align"),
])
def test_mismatched_shapes_are_refused(header, rows, align, word):
    with pytest.raises(ValueError, match=word):
        table(header, rows, align)
