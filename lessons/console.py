"""Show a command-line tool's run on a page: the command, what it printed, its exit code.

markdown-exec captures what a block ``print``s, not what a called function writes to
``sys.stdout``; a tool's ``main`` therefore runs here with both streams redirected, so the
page shows exactly what a student sees in a terminal.
"""

from __future__ import annotations

import contextlib
import io
import shlex
from collections.abc import Callable, Sequence

__all__ = ["console"]


def console(program: str, main: Callable[[list[str]], int], argv: Sequence[str]) -> str:
    """A Markdown ``console`` block: ``$ uv run python -m program argv…``, its output and exit code.

    Examples:
        >>> def hello(argv):
        ...     print("hello", *argv)
        ...     return 0
        >>> print(console("demo", hello, ["a b"]))
        ```console
        $ uv run python -m demo 'a b'
        hello a b
        ```
    """
    if not isinstance(program, str) or not program:
        raise ValueError(f"program must be a module name, got {program!r}")
    if isinstance(argv, str) or not all(isinstance(a, str) for a in argv):
        raise TypeError("argv must be a list of strings (one per command-line argument)")
    args = list(argv)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(args)
    command = f"uv run python -m {program} " + " ".join(shlex.quote(a) for a in args)
    text = f"$ {command.rstrip()}\n{out.getvalue().rstrip()}"
    if code:
        text += f"\n$ echo $?\n{code}"
    return f"```console\n{text}\n```"
