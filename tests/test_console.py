"""lessons.console: what a page shows of a command-line run."""

from __future__ import annotations

import sys

import pytest

from lessons.pages.backprop import cli_demo
from lessons.console import console


def test_output_of_both_streams_and_a_failing_exit_code_are_shown():
    def tool(argv):
        print("table")
        print("error: bad", file=sys.stderr)
        return 2

    block = console("lessons.x", tool, ["--flag", "it's"])
    lines = block.splitlines()
    assert lines[0] == "```console" and lines[-1] == "```"
    assert lines[1] == "$ uv run python -m lessons.x --flag 'it'\"'\"'s'"  # shell-quoted
    assert lines[2:4] == ["table", "error: bad"]
    assert lines[4:6] == ["$ echo $?", "2"]


def test_nothing_leaks_to_the_real_stdout(capsys):
    console("demo", lambda argv: print("inside") or 0, [])
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv", ["x=1", [1, 2]])
def test_argv_must_be_a_list_of_strings(argv):
    with pytest.raises(TypeError, match="argv"):
        console("demo", lambda a: 0, argv)


def test_lesson_1_demo_runs_the_real_tool():
    block = cli_demo(["(x + y) * z", "x=-2", "y=5", "z=-4"], "uk")
    # f = -12 and df/dz = q = 3, printed with the Ukrainian decimal comma
    assert "−12,0000" in block and "3,0000" in block and "$ echo" not in block
