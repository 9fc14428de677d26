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


def test_source_is_the_modules_own_text():
    import inspect

    from lessons import autograd
    from lessons.markdown import source

    block = source(autograd.Value.backward, title="autograd.py")
    lines = block.splitlines()
    assert lines[0] == '```python title="autograd.py"' and lines[-1] == "```"
    body = "\n".join(lines[1:-1])
    # the same lines as the file, only dedented out of the class body
    assert body.splitlines()[0].startswith("def backward(")
    file_lines = inspect.getsource(autograd).splitlines()
    assert all(("    " + ln if ln else ln) in file_lines for ln in body.splitlines())


def test_source_refuses_non_code():
    import pytest

    from lessons.markdown import source

    with pytest.raises(ValueError, match="at least one"):
        source()
    with pytest.raises(TypeError, match="functions, methods or classes"):
        source(42)
    with pytest.raises(ValueError, match="title"):
        source(source, title='a "b"')


def test_source_without_examples_drops_only_the_doctests():
    import ast
    import inspect
    import textwrap

    from lessons.dropout import dropout
    from lessons.markdown import source
    from lessons.normalization import BatchNorm1d

    for obj in (dropout, BatchNorm1d._forward_checked):
        full = textwrap.dedent(inspect.getsource(obj)).rstrip()
        body = "\n".join(source(obj, examples=False).splitlines()[1:-1])
        assert ">>>" not in body and "Examples:" not in body
        ast.parse(body)  # still valid Python
        # every line kept is a line of the real source, in order; only doctest lines went
        kept = body.splitlines()
        it = iter(full.splitlines())
        assert all(line in it for line in kept)
        def code_of(text):
            return [ast.dump(stmt) for stmt in ast.parse(text).body[0].body[1:]]

        assert code_of(body) == code_of(full)  # the code itself is untouched
    # a function without an Examples section comes back unchanged
    def plain(x):
        """Just a summary."""
        return x
    assert source(plain, examples=False) == source(plain)


def test_a_form_s_table_box_is_named_as_the_build_names_the_site_s_own():
    # the forms' live tables (lessons.markdown.scroll_box) and the page's wide tables
    # (hooks/a11y_hooks.py) must read the same to a screen reader
    import importlib.util

    from conftest import ROOT
    from lessons.markdown import scroll_box

    spec = importlib.util.spec_from_file_location("a11y_hooks_t", ROOT / "hooks" / "a11y_hooks.py")
    a11y = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(a11y)
    for lang in ("uk", "en"):
        assert f'aria-label="{a11y.LABELS["table"][lang]}"' in scroll_box("<table></table>", lang)
