"""MkDocs hook: fewer bytes per page, the same page on screen.

Lesson 1's page sits close to its budget (DESIGN.md: a lesson page under 200 KB), and the
runnable blocks add to it. Two kinds of markup say nothing CSS cannot say once:

* Python-Markdown writes ``style="text-align: right;"`` on every cell of an aligned table
  column (about 9 KB of Lesson 1's Ukrainian page). :func:`compact_alignment` drops those
  and writes ``data-l``, ``data-c``, ``data-r`` on the ``<table>`` instead (the aligned
  columns, 1-based), which lessons.css turns into the same alignment.
* Pygments wraps every name in ``<span class="n">`` and whitespace in ``<span class="w">``;
  Material colours ``.n`` with ``--md-code-hl-name-color``, which is the code's own colour
  (``var(--md-code-fg-color)``) in both palettes, and ``.w`` not at all, so
  :func:`compact_code` unwraps them (about 5 KB).
* Inline SVG closes its empty elements with ``" />"``; :func:`compact_svg` drops the space,
  and :func:`compact_tables` the line breaks between a table's rows and cells.

It runs after every other page hook (hooks/a11y_hooks.py and hooks/site_hooks.py read the
plain ``<table>`` tag).
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_ALIGN = re.compile(r' style="text-align: (left|center|right);"')
_ALIGN_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
MAX_ALIGNED_COLUMNS = 10  # lessons.css has rules for columns 1 to 10


def compact_alignment(html: str) -> str:
    """``html`` with the per-cell alignment of each table moved to its ``<table>`` tag.

    Examples:
        >>> compact_alignment('<table><tr><th style="text-align: left;">a</th>'
        ...                   '<th style="text-align: right;">b</th></tr></table>')
        '<table data-l="1" data-r="2"><tr><th>a</th><th>b</th></tr></table>'
    """
    def table(m: re.Match) -> str:
        body = m.group(1)
        if "text-align" not in body:
            return m.group(0)
        columns: dict[int, str] = {}
        for row in _ROW.findall(body):
            for i, cell in enumerate(re.findall(r"<t[hd]\b[^>]*>", row), 1):
                found = _ALIGN.search(cell)
                align = found.group(1) if found else ""
                if columns.setdefault(i, align) != align:
                    return m.group(0)  # not one alignment per column: leave it as it is
        if len(columns) > MAX_ALIGNED_COLUMNS:
            return m.group(0)
        attrs = "".join(
            f' data-{kind[0]}="{" ".join(str(i) for i, a in columns.items() if a == kind)}"'
            for kind in ("left", "center", "right") if kind in columns.values())
        return f"<table{attrs}>{_ALIGN.sub('', body)}</table>"

    return _ALIGN_TABLE.sub(table, html) if "text-align" in html else html


_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_PLAIN_SPAN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def compact_code(html: str) -> str:
    """``html`` with Pygments' name and whitespace spans unwrapped inside ``<pre>`` blocks.

    Examples:
        >>> compact_code('<pre><code><span class="n">x</span><span class="w"> </span>'
        ...              '<span class="o">=</span></code></pre>')
        '<pre><code>x <span class="o">=</span></code></pre>'
    """
    return _PRE.sub(lambda m: _PLAIN_SPAN.sub(r"\1", m.group(0)), html)


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def compact_svg(html: str) -> str:
    """``html`` with ``" />"`` written ``"/>"`` inside inline SVG (the same element; about
    190 bytes of Lesson 1's page, where the "try your own" form pushed it to its budget).

    Examples:
        >>> compact_svg('<p>a />b</p><svg><path d="M0,0" /><text>x />y</text></svg>')
        '<p>a />b</p><svg><path d="M0,0"/><text>x />y</text></svg>'
    """
    return _SVG.sub(lambda m: m.group(0).replace('" />', '"/>'), html)


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_TABLE_GAP = re.compile(r">\s+(</?(?:table|thead|tbody|tfoot|tr|th|td)\b)")


def compact_tables(html: str) -> str:
    """``html`` without the line breaks Python-Markdown writes between a table's rows and
    cells (a table lays out no text between them; about 600 bytes of Lesson 1's page).

    Examples:
        >>> compact_tables('<p>a\\n<b>x</b></p><table>\\n<tr>\\n<td><b>x</b>\\n<i>y</i></td>\\n</tr>\\n</table>')
        '<p>a\\n<b>x</b></p><table><tr><td><b>x</b>\\n<i>y</i></td></tr></table>'
    """
    return _TABLE.sub(lambda m: _TABLE_GAP.sub(r">\1", m.group(0)), html)


@event_priority(-80)  # after hooks/a11y_hooks.py (-50), which reads the plain <table>
def on_page_content(html, page, config, files, **kwargs):
    return compact_tables(compact_svg(compact_code(compact_alignment(html))))
