"""One call that shows a lesson's output on the page and in a Jupyter notebook.

A page's exec block prints what a ``lessons`` function returns (a Markdown table, an SVG
figure, an exercise's HTML), and markdown-exec puts the printed text into the page. The
lesson's notebook runs the very same code (tests/test_notebooks.py checks that), but in
Jupyter a printed Markdown table is a wall of pipes and a printed SVG is its source. So the
blocks call `show` instead of ``print``:

- outside a Jupyter kernel (the site's build, a plain ``python``) it prints, as ``print``
  did, followed by a blank line, so the page is unchanged;
- inside a kernel it hands the text to Jupyter as rich output: Markdown, or HTML for an SVG
  figure or an HTML fragment, always with the plain text beside it (``text/plain``), which
  is what a console, a test or a reader without a renderer sees.

Why HTML and not ``image/svg+xml`` for figures: Jupyter shows an SVG output as an ``<img>``,
where ``currentColor`` (the figures' ink, so that they read in the light and the dark
palette) is always black; inline HTML follows the notebook's theme.

Markdown in Jupyter has no admonitions: a ``!!! kind "Title"`` block (one function writes
one) becomes a quoted paragraph with the title in bold, so it still reads as a note.
"""

from __future__ import annotations

import re
import sys

__all__ = ["PAGE_URL", "absolute_links", "in_notebook", "notebook_html", "notebook_markdown",
           "show"]

# The lesson's URL on the site, which a notebook's install cell sets: an output's link to an
# anchor of its own page (``](#rounding)``, ``href="#example-2"``) leads nowhere in a notebook,
# so show() points it to that anchor on the site. None on the site: nothing changes there.
PAGE_URL: str | None = None

_ADMONITION = re.compile(
    r'^(?:!!!|\?\?\?\+?) *\w+(?: +"(?P<title>[^"]*)")? *\n(?P<body>(?:(?: {4}.*)?\n?)*)', re.M)


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (IPython with a kernel attached).

    Examples:
        >>> in_notebook()  # doctests, the site's build and the tests run outside one
        False
    """
    # A kernel has imported IPython long before any cell runs; importing it here would cost
    # every site build about a second (IPython is in the test environment) for nothing.
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def notebook_markdown(text: str) -> str:
    """``text`` with the Markdown that only the site understands rewritten for Jupyter.

    Examples:
        >>> print(notebook_markdown('Before.\\n\\n!!! warning "Careful"\\n\\n    Body line.\\n'))
        Before.
        <BLANKLINE>
        > **Careful**
        >
        > Body line.
        >>> notebook_markdown("| a |\\n|---|\\n| 1 |")
        '| a |\\n|---|\\n| 1 |'
    """

    def quote(m: re.Match) -> str:
        body = [line[4:] if line.startswith("    ") else line
                for line in m.group("body").split("\n")]
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        lines = ([f"**{m.group('title')}**", ""] if m.group("title") else []) + body
        return "\n".join(("> " + line).rstrip() for line in lines) + "\n"

    return _ADMONITION.sub(quote, text)


_FORM = re.compile(r"<(/?)form\b")
_BUTTON = re.compile(r"<button\b.*?</button>", re.S)


def notebook_html(html: str) -> str:
    """An exercise's HTML as a notebook shows it: the statement and its folded solution.

    The page's checker script is not in Jupyter, so the form's buttons would do nothing and
    pressing Enter in a field would submit the form, which reloads the notebook's page: the
    buttons go, and the form becomes a ``div``. Other HTML (figures) is left as it is.

    Examples:
        >>> notebook_html('<form class="exercise"><input><button>Check</button></form>')
        '<div class="exercise"><input></div>'
        >>> notebook_html("<svg></svg>")
        '<svg></svg>'
    """
    if "<form" not in html:
        return html
    return _FORM.sub(r"<\1div", _BUTTON.sub("", html))


def absolute_links(text: str, page_url: str | None) -> str:
    """``text`` with its same-page links (``](#x)``, ``href="#x"``) pointing to ``page_url``.

    Examples:
        >>> absolute_links('[a](#r) <a href="#e">', "https://x/en/p/")
        '[a](https://x/en/p/#r) <a href="https://x/en/p/#e">'
        >>> absolute_links("[a](#r)", None)
        '[a](#r)'
    """
    if not page_url:
        return text
    return text.replace("](#", f"]({page_url}#").replace('href="#', f'href="{page_url}#')


def _kind(text: str) -> str:
    head = text.lstrip()
    if head.startswith("<svg") or head.startswith("<?xml"):
        return "svg"
    if head.startswith("<"):
        return "html"
    return "markdown"


def show(obj: object) -> None:
    """Print ``obj`` on the page; display it as rich output in a Jupyter notebook.

    A string that starts with ``<svg`` is a figure, one that starts with another tag is
    HTML, anything else is Markdown. Other objects go to Jupyter's own ``display`` (and to
    ``print`` outside a notebook).

    Examples:
        >>> show("| a |\\n|---|\\n| 1 |")
        | a |
        |---|
        | 1 |
        <BLANKLINE>

        What markdown-exec does with a block, whose ``print`` writes into the page:

        >>> page = []
        >>> exec("from lessons.display import show; show('<svg/>')",
        ...      {"print": lambda *a, end="\\n": page.append(" ".join(map(str, a)) + end)})
        >>> page
        ['<svg/>\\n\\n']
    """
    if not in_notebook():
        # markdown-exec captures a block's output by putting its own `print` into the
        # block's globals (it does not redirect sys.stdout), so print with the caller's
        # `print`, which is the builtin anywhere else. A blank line after it: two shows in
        # one block make two Markdown blocks (a table, then a paragraph), as
        # `print(a); print(); print(b)` did.
        caller = sys._getframe(1).f_globals.get("print", print)
        caller(obj, end="\n\n")
        return
    from IPython.display import display

    if not isinstance(obj, str):
        display(obj)
        return
    kind = _kind(obj)
    if kind == "markdown":
        rich = {"text/markdown": absolute_links(notebook_markdown(obj), PAGE_URL)}
    else:
        rich = {"text/html": absolute_links(notebook_html(obj), PAGE_URL)}
    display({**rich, "text/plain": obj}, raw=True)
