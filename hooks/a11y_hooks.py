"""MkDocs hook: every box that can scroll sideways on a phone takes keyboard focus from the HTML.

A box that scrolls (a wide table, a long display formula, a wide figure, a long code line) must
be reachable by keyboard, or a reader without a mouse cannot see its right-hand part (axe-core:
scrollable-region-focusable, serious). Deciding it in the browser from layout comes too late:
lessons.css lets a phone skip laying out blocks far below the screen (``content-visibility``),
so a script that measures them finds nothing to measure when axe-core, or a fast keyboard user,
arrives. So the decision is made here, at build time, for the narrowest width the site supports
(360 px), from what the HTML says about the width of its content:

* a table (``<table>`` with no class, the kind Material styles) is wrapped in
  ``<div class="table-scroll" tabindex="0" role="region" aria-label="…">``, which is the box
  that scrolls (lessons.css; Material's own wrapper, added by its script inside ours, no longer
  scrolls), when its columns cannot fit: each column is at least as wide as Material's header
  cell (5rem) or its longest unbreakable word, plus the cell padding;
* a display formula (``div.math-block``) and a figure box (``div.figure-scroll``) get the same
  attributes themselves when their content is wider than the phone's column;
* a code block's scroll box, ``pre > code`` (as Material makes it), gets them when its longest
  line does not fit. Material's own script keeps or drops that ``tabindex`` once it has
  measured the block (it drops it where the block does not scroll, e.g. on a wide screen).

The estimates err on the wide side: a box that would fit by a few pixels still takes focus
(a tab stop that scrolls nothing costs one key press), but a box that scrolls is never left
out. The name says what the box is and that it scrolls, in the page's language.
"""

from __future__ import annotations

import html as htmlmod
import re

from mkdocs.plugins import event_priority

# Layout at 360 px (Material 9: root font 20 px, text 0.8rem = 16 px, content margins 0.8rem).
COLUMN_PX = 360 - 2 * 16          # the content column of a phone
TABLE_FONT_PX = 12.8              # tables: 0.64rem
TABLE_CHAR_PX = 0.62 * TABLE_FONT_PX   # a generous average glyph width (digits, Latin, Cyrillic)
TABLE_CELL_PAD_PX = 2 * 1.25 * TABLE_FONT_PX
TABLE_TH_MIN_PX = 5 * 20          # th { min-width: 5rem }
TABLE_ROOM_PX = COLUMN_PX - 2 * 12  # inside an admonition or details the column is narrower
CODE_CHAR_PX = 0.6 * 13.6         # monospace at 0.85em of 16 px
CODE_ROOM_PX = COLUMN_PX - 2 * 16 - 2 * 12
MATH_CHAR_PX = 0.6 * 18.4         # display formulas at 1.15em of 16 px
FIGURE_ROOM_PX = COLUMN_PX - 2 * 12

LABELS = {
    "table": {"uk": "Таблиця з прокручуванням", "en": "Scrollable table"},
    "math": {"uk": "Формула з прокручуванням", "en": "Scrollable formula"},
    "figure": {"uk": "Рисунок із прокручуванням", "en": "Scrollable figure"},
    "code": {"uk": "Код із прокручуванням", "en": "Scrollable code"},
}

_MATH_ROW = re.compile(r"<mtr\b.*?</mtr>", re.S)
# the glossary's wrapper right before its table: lessons/glossary.py, laid out as blocks below 720 px
_GLOSSARY = re.compile(r'<div class="glossary"[^>]*>\s*\Z')
_TABLE = re.compile(r'(<div class="table-scroll"[^>]*>\s*)?<table>.*?</table>', re.S)
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<[^>]+>")
_MATH_BLOCK = re.compile(r'<div class="math-block">(.*?)</div>', re.S)
_FIGURE = re.compile(r'<div class="figure-scroll">(\s*<svg\b[^>]*>)')
_SVG_WIDTH = re.compile(r'\swidth="([\d.]+)(?:px)?(%?)"')
_MIN_WIDTH = re.compile(r"min-width:\s*([\d.]+)px")
_SVG_CLASS = re.compile(r'\bclass="[^"]*\blesson-figure\b')
_CODE = re.compile(r"(<pre\b[^>]*>(?:\s*<span></span>)?\s*<code\b)([^>]*)(>)(.*?)(</code>)", re.S)
_NO_BREAK = re.compile(r"[^\s\u200b\u00ad-]+")  # a cell wraps at spaces and hyphens only


def _text(fragment: str) -> str:
    return htmlmod.unescape(_TAG.sub("", fragment))


def _attrs(kind: str, lang: str) -> str:
    return f'tabindex="0" role="region" aria-label="{LABELS[kind][lang]}"'


def table_min_width(table: str) -> float:
    """The narrowest a Material table can be laid out (CSS px): the sum over its columns."""
    widths: list[float] = []
    for row in _ROW.findall(table):
        for i, (tag, cell) in enumerate(_CELL.findall(row)):
            words = _NO_BREAK.findall(_text(cell)) or [""]
            width = max(len(w) for w in words) * TABLE_CHAR_PX
            if tag == "th":
                width = max(width, TABLE_TH_MIN_PX)
            if i == len(widths):
                widths.append(0.0)
            widths[i] = max(widths[i], width)
    return sum(w + TABLE_CELL_PAD_PX for w in widths)


def table_scrolls(table: str) -> bool:
    return table_min_width(table) > TABLE_ROOM_PX


def formula_scrolls(mathml: str) -> bool:
    # every glyph side by side: a fraction or a sub/superscript makes it narrower, never wider;
    # a formula broken into lines (align*: rows of an mtable) is as wide as its widest row
    rows = _MATH_ROW.findall(mathml) or [mathml]
    return max(len(re.sub(r"\s+", "", _text(row))) for row in rows) * MATH_CHAR_PX > COLUMN_PX


def code_scrolls(code: str) -> bool:
    longest = max((len(line.rstrip()) for line in _text(code).splitlines()), default=0)
    return longest * CODE_CHAR_PX > CODE_ROOM_PX


def figure_scrolls(svg_tag: str) -> bool:
    """Whether an SVG in a figure box can be wider than the phone's column.

    An SVG with a ``min-width`` (the graphs of Lesson 1 scale down to it, then scroll) scrolls
    when that minimum does not fit; one sized in px when that size does not fit; one sized in
    % or scaled by lessons.css (class ``lesson-figure``) never does.
    """
    least = _MIN_WIDTH.search(svg_tag)
    if least:
        return float(least.group(1)) > FIGURE_ROOM_PX
    if _SVG_CLASS.search(svg_tag):
        return False
    width = _SVG_WIDTH.search(svg_tag)
    if width is None:
        return True  # no size to go by: focusable, in case
    return not width.group(2) and float(width.group(1)) > FIGURE_ROOM_PX


def focusable_scroll_boxes(html: str, lang: str) -> str:
    """``html`` with every box that can scroll at 360 px focusable and named (see the module)."""
    if lang not in ("uk", "en"):
        raise ValueError(f"lang must be 'uk' or 'en', got {lang!r}")

    def table(m: re.Match) -> str:
        if m.group(1) or not table_scrolls(m.group(0)):  # wrapped already, or fits
            return m.group(0)
        if _GLOSSARY.search(m.string, 0, m.start()):  # a phone shows it as blocks, not a table
            return m.group(0)
        return f'<div class="table-scroll" {_attrs("table", lang)}>{m.group(0)}</div>'

    def math(m: re.Match) -> str:
        if not formula_scrolls(m.group(1)):
            return m.group(0)
        return f'<div class="math-block" {_attrs("math", lang)}>{m.group(1)}</div>'

    def figure(m: re.Match) -> str:
        if not figure_scrolls(m.group(1)):
            return m.group(0)
        return f'<div class="figure-scroll" {_attrs("figure", lang)}>{m.group(1)}'

    def code(m: re.Match) -> str:
        head, attrs, close, body, end = m.groups()
        if "tabindex" in attrs or not code_scrolls(body):
            return m.group(0)
        return f"{head}{attrs} {_attrs('code', lang)}{close}{body}{end}"

    if "<table>" in html:
        html = _TABLE.sub(table, html)
    if "math-block" in html:
        html = _MATH_BLOCK.sub(math, html)
    if "figure-scroll" in html:
        html = _FIGURE.sub(figure, html)
    if "<pre" in html:
        html = _CODE.sub(code, html)
    return html


def _page_lang(page, config) -> str:
    i18n = config.plugins.get("i18n") if config is not None else None
    lang = getattr(i18n, "current_language", None)
    if lang in ("uk", "en"):
        return lang
    return "en" if page.file.dest_uri.startswith("en/") else "uk"


@event_priority(-50)  # after lessons_hooks (formulas to MathML) and site_hooks (row headers)
def on_page_content(html, page, config, files, **kwargs):
    return focusable_scroll_boxes(html, _page_lang(page, config))
