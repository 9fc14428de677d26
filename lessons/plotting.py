"""Matplotlib figures as inline SVG that are deterministic, accessible and theme-aware.

A page inlines its figures into the HTML, so each SVG must be a good citizen of the page:
the same bytes on every build (fixed ``svg.hashsalt``, no date, no metadata block), ids
that cannot collide with another figure's, no global ``<style>`` rule leaking into the
page, an accessible name (``role="img"`` with ``<title>`` and ``<desc>``), text kept as
text, and axes and labels drawn in ``currentColor`` so they follow Material's light and
dark palettes. Lines get a colour *and* a marker *and* a dash style, so a reader who cannot
tell colours apart can still follow the legend.

Usage: draw inside `figure_style`, then turn the figure into a string with
`svg_figure`:

```python
with figure_style():
    fig = Figure(figsize=(5.0, 3.4))      # or plt.subplots(); pyplot is not needed
    ax = fig.add_subplot()
    ax.plot(x, y, **series_style(0), label="...")
    ax.yaxis.set_major_formatter(number_formatter("uk", 1))
html = svg_figure(fig, title="...", desc="...", id_prefix="fig-std")
```

A page in two languages can draw a figure once for both (drawing is the costly part, and
the languages differ only in their words and decimal marks): `FigureText` hands matplotlib
one stand-in per text (the widest of the translations, so the layout leaves room for any
of them), and `svg_figures` renders once and swaps each language's own words into the SVG:

```python
texts = FigureText()
with figure_style():
    fig = Figure(figsize=(5.0, 3.4))
    ax = fig.add_subplot()
    ax.set_xlabel(texts({"uk": "крок", "en": "step"}))
    ax.yaxis.set_major_formatter(texts.formatter(lambda v, lang: fmt(v, lang, 1)))
svgs = svg_figures(fig, texts, title={"uk": ..., "en": ...}, desc={...}, id_prefix="fig-x")
svgs["uk"], svgs["en"]
```
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit: the build runs headless

# pyplot is not imported here: the object-oriented API (matplotlib.figure.Figure) is all a
# figure needs, and pyplot costs import time on every build
from matplotlib.ticker import FuncFormatter

from lessons.i18n import LANGS, MINUS, check_lang, fmt

__all__ = ["PALETTE", "TEXT_COLORS", "FigureText", "figure_style", "log_formatter",
           "number_formatter", "series_style", "svg_figure", "svg_figures", "text_color"]

# Okabe–Ito colours of middle lightness for lines and markers: each has at least 3:1 contrast
# (WCAG 1.4.11, graphics) on Material's white background and on its dark "slate" one,
# hsl(225, 15%, 14%) = #1e2129. The amber is darker than Okabe–Ito's #E69F00 (2.25:1 on white).
PALETTE = ("#BE8400", "#3D9BE0", "#009E73", "#D55E00", "#CC79A7", "#8C8C8C")
# Text needs 4.5:1 (WCAG 1.4.3), which no colour reaches on both backgrounds: text in a
# series' colour (`text_color`) is a darker variant on the light palette and a lighter one on
# the dark palette. The light one is written into the SVG, the dark one comes from
# docs/assets/lessons.css (custom properties ``--lesson-text-0`` … on the slate palette).
TEXT_COLORS = {
    "default": ("#9A6A00", "#1E78BA", "#008360", "#BE5400", "#BA4B89", "#737373"),
    "slate": ("#E69F00", "#3D9BE0", "#00A87A", "#E8690A", "#CC79A7", "#959595"),
}
_MARKERS = ("o", "s", "^", "D", "v", "P")
_DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))

# Placeholder colours: drawn by matplotlib, replaced by ``currentColor`` in the SVG text.
_INK = "#010203"
_GRID = "#040506"
_TEXT_SLOTS = tuple(f"#0a0b{16 + k:02x}" for k in range(len(PALETTE)))   # text_color(k)
_FONT = "font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
_ID = re.compile(r'\bid="([^"]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def series_style(i: int) -> dict:
    """Colour, marker and dash style of the ``i``-th line (cycles after six).

    Examples:
        >>> series_style(0)["marker"], series_style(7)["marker"]
        ('o', 's')
    """
    if isinstance(i, bool) or not isinstance(i, int) or i < 0:
        raise ValueError(f"i must be a non-negative int, got {i!r}")
    k = i % len(PALETTE)
    return {"color": PALETTE[k], "marker": _MARKERS[k], "linestyle": _DASHES[k]}


def text_color(i: int) -> str:
    """Colour for text drawn in the ``i``-th series' colour (a label beside its line).

    A stand-in for matplotlib: `svg_figure` writes it as the CSS custom property
    ``--lesson-text-<i>`` with the light palette's `TEXT_COLORS` as its fallback, so the text
    keeps 4.5:1 contrast in both of Material's palettes.

    Examples:
        >>> text_color(0) != series_style(0)["color"], text_color(6) == text_color(0)
        (True, True)
    """
    series_style(i)  # the same check of i
    return _TEXT_SLOTS[i % len(PALETTE)]


@contextlib.contextmanager
def figure_style(font_size: float = 10.5) -> Iterator[None]:
    """Matplotlib settings for lesson figures; create and draw the figure inside this block.

    Examples:
        >>> with figure_style():
        ...     matplotlib.rcParams["svg.fonttype"]
        'none'
    """
    rc = {
        "svg.hashsalt": "lessons", "svg.fonttype": "none", "path.simplify": True,
        "font.size": font_size, "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"],
        "text.color": _INK, "axes.labelcolor": _INK, "axes.edgecolor": _INK,
        "xtick.color": _INK, "ytick.color": _INK, "axes.titlecolor": _INK,
        "axes.facecolor": "none", "figure.facecolor": "none", "savefig.facecolor": "none",
        "axes.grid": True, "grid.color": _GRID, "grid.alpha": 0.18, "grid.linewidth": 0.8,
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": font_size + 0.5, "axes.titleweight": "bold",
        "legend.frameon": False, "lines.linewidth": 2.0, "lines.markersize": 5.5,
        "axes.formatter.use_mathtext": False, "axes.unicode_minus": True,
    }
    with matplotlib.rc_context(rc):
        yield


def number_formatter(lang: str, digits: int = 1) -> FuncFormatter:
    """Tick labels in the page's number format (decimal comma and U+2212 minus in uk).

    Examples:
        >>> number_formatter("uk", 1)(-0.5, 0)
        '−0,5'
    """
    check_lang(lang)
    return FuncFormatter(lambda v, _pos: fmt(float(v), lang, digits))


_SUPERSCRIPT = str.maketrans("0123456789-" + MINUS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def log_formatter() -> FuncFormatter:
    """Tick labels of a base-10 log axis as 10⁻³, 10⁰, 10² (plain text, no mathtext).

    Examples:
        >>> log_formatter()(0.001, 0), log_formatter()(100.0, 0)
        ('10⁻³', '10²')
    """
    def label(v: float, _pos) -> str:
        if v <= 0:
            return ""
        e = math.log10(v)
        if abs(e - round(e)) > 1e-9:
            return ""
        return "10" + str(round(e)).translate(_SUPERSCRIPT)
    return FuncFormatter(label)


def _round_numbers(match: re.Match) -> str:
    return re.sub(r"-?\d+\.\d{3,}", lambda m: f"{float(m.group()):.2f}".rstrip("0").rstrip("."),
                  match.group())


def svg_figure(fig, *, title: str, desc: str, id_prefix: str, tight: bool = True) -> str:
    """The figure as an inline ``<svg>`` string ready for a page; closes the figure.

    ``title`` and ``desc`` become the accessible name and description, ``id_prefix`` (an
    ASCII name unique on the page) is put in front of every id. Axes, text and grid that
    were drawn inside `figure_style` come out in ``currentColor``. ``tight`` crops the
    figure to what is drawn (``bbox_inches="tight"``), at the price of a second draw; pass
    ``tight=False`` for a figure laid out by hand (``fig.add_axes``) to save build time.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> with figure_style():
        ...     fig = Figure(figsize=(2, 1.5))
        ...     _ = fig.add_subplot().plot([0, 1], [1, 0])
        >>> svg = svg_figure(fig, title="A line", desc="It falls.", id_prefix="demo")
        >>> svg.startswith("<svg") and 'role="img"' in svg and "<metadata" not in svg
        True
    """
    for name, text in (("title", title), ("desc", desc)):
        _check_text(name, text)
    _check_prefix(id_prefix)
    return _with_head(_render(fig, id_prefix, tight), title, desc, id_prefix)


class FigureText:
    """The words of one figure in every language, for drawing it once and translating after.

    Call it with ``{"uk": ..., "en": ...}`` wherever matplotlib wants a string: it returns the
    stand-in to draw, the translation that is widest in matplotlib's font, so legends and
    labels are laid out with room for every language. `svg_figures` then replaces each
    stand-in (a whole ``<text>`` element's content) with the language's own words. Two
    different texts must not share a stand-in (ValueError); the same text may be used twice.

    Examples:
        >>> texts = FigureText()
        >>> texts({"uk": "номер шару", "en": "layer"})
        'номер шару'
        >>> texts.translate('<text x="1">номер шару</text>', "en")
        '<text x="1">layer</text>'
    """

    def __init__(self, langs: tuple[str, ...] = LANGS) -> None:
        if not langs:
            raise ValueError("langs must name at least one language")
        self.langs = tuple(check_lang(lang) for lang in langs)
        self._by_stand_in: dict[str, dict[str, str]] = {}

    def __call__(self, texts: Mapping[str, str]) -> str:
        if not isinstance(texts, Mapping) or set(texts) != set(self.langs):
            raise ValueError(f"texts must map exactly the languages {self.langs} to strings, "
                             f"got {texts!r}")
        for lang in self.langs:
            if not isinstance(texts[lang], str) or "\n" in texts[lang]:
                raise ValueError(f"texts[{lang!r}] must be a one-line string, got {texts[lang]!r}")
        own = {lang: texts[lang] for lang in self.langs}
        stand_in = max((own[lang] for lang in self.langs), key=_text_width)
        known = self._by_stand_in.setdefault(stand_in, own)
        if known != own:
            raise ValueError(f"two different texts would both be drawn as {stand_in!r}: "
                             f"{known!r} and {own!r}")
        return stand_in

    def formatter(self, label: Callable[[float, str], str]) -> FuncFormatter:
        """Tick labels in every language: ``label(value, lang)`` gives one language's text.

        Examples:
            >>> texts = FigureText()
            >>> texts.formatter(lambda v, lang: fmt(v, lang, 1))(0.5, 0)
            '0,5'
            >>> texts.translate("<text>0,5</text>", "en")
            '<text>0.5</text>'
        """
        return FuncFormatter(lambda v, _pos: self({lang: label(float(v), lang)
                                                   for lang in self.langs}))

    def translate(self, svg: str, lang: str) -> str:
        """``svg`` with every stand-in, as a whole ``<text>`` content, in ``lang``'s words."""
        if lang not in self.langs:
            raise ValueError(f"lang must be one of {self.langs}, got {lang!r}")
        swap = {_xml(k): _xml(v[lang]) for k, v in self._by_stand_in.items()}

        def one(m: re.Match) -> str:
            return m.group(1) + swap.get(m.group(2), m.group(2)) + m.group(3)

        return _TEXT.sub(one, svg)


def svg_figures(fig, texts: FigureText, *, title: Mapping[str, str], desc: Mapping[str, str],
                id_prefix: str, tight: bool = True) -> dict[str, str]:
    """One `svg_figure` per language from a single rendering; the words come from ``texts``.

    ``title`` and ``desc`` map each language to its accessible name and description. The
    figure is drawn once; each language costs only a text substitution.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> texts = FigureText()
        >>> with figure_style():
        ...     fig = Figure(figsize=(2, 1.5))
        ...     ax = fig.add_subplot()
        ...     _ = ax.set_xlabel(texts({"uk": "крок", "en": "step"}))
        >>> svgs = svg_figures(fig, texts, title={"uk": "Т", "en": "T"},
        ...                    desc={"uk": "О.", "en": "D."}, id_prefix="demo")
        >>> ">step<" in svgs["en"], ">крок<" in svgs["uk"], ">крок<" in svgs["en"]
        (True, True, False)
    """
    if not isinstance(texts, FigureText):
        raise TypeError(f"texts must be a FigureText, got {type(texts).__name__}")
    for name, per_lang in (("title", title), ("desc", desc)):
        if not isinstance(per_lang, Mapping) or set(per_lang) != set(texts.langs):
            raise ValueError(f"{name} must map exactly the languages {texts.langs} to text")
        for lang in texts.langs:
            _check_text(f"{name}[{lang!r}]", per_lang[lang])
    _check_prefix(id_prefix)
    body = _render(fig, id_prefix, tight)
    return {lang: _with_head(texts.translate(body, lang), title[lang], desc[lang], id_prefix)
            for lang in texts.langs}


_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")


@functools.cache
def _text_width(text: str) -> float:
    """Width of ``text`` in DejaVu Sans, the font figures are laid out with (for comparisons)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _height, _descent = text_to_path.get_text_width_height_descent(
        text, FontProperties(family="DejaVu Sans", size=10), ismath=False)
    return width


def _xml(text: str) -> str:
    # what matplotlib's SVG backend writes for a string, so stand-ins are found as written
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_text(name: str, text: object) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{name} must be a non-empty string (it is the figure's accessible text)")


def _check_prefix(id_prefix: object) -> None:
    if not isinstance(id_prefix, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
        raise ValueError(f"id_prefix must be an ASCII name like 'fig-loss', got {id_prefix!r}")


def _render(fig, id_prefix: str, tight: bool) -> str:
    """The cleaned-up SVG of ``fig`` without its accessible head; closes a pyplot figure."""
    buffer = io.StringIO()
    try:
        with matplotlib.rc_context({"svg.hashsalt": "lessons", "svg.fonttype": "none"}):
            extra = {"bbox_inches": "tight", "pad_inches": 0.05} if tight else {}
            fig.savefig(buffer, format="svg", metadata={"Date": None}, **extra)
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:  # only a figure made by pyplot is registered there
            pyplot.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)  # its `*` rule would leak
    svg = svg.replace(_INK, "currentColor").replace(_GRID, "currentColor")
    for k, slot in enumerate(_TEXT_SLOTS):
        svg = svg.replace(slot, f"var(--lesson-text-{k}, {TEXT_COLORS['default'][k].lower()})")
    svg = re.sub(r"font-family: [^;\"]+", _FONT, svg)
    svg = re.sub(r'\bd="[^"]*"', _round_numbers, svg)
    svg = re.sub(r"\n\s*", "\n", svg)  # matplotlib's indentation is bytes for nothing
    svg = re.sub(r"\nL ", " L ", svg)
    svg = re.sub(r" \n(z|\")", r" \1", svg)
    # keep only the ids something refers to, each with the figure's prefix
    # (short names, numbered in order of appearance: a marker is referred to once per point),
    # and SVG 2's plain href instead of xlink:href
    svg = svg.replace('xlink:href="#', 'href="#')
    used = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
    short = {name: f"{id_prefix}-{k}" for k, name in
             enumerate(dict.fromkeys(a or b for a, b in used), start=1)}
    svg = _ID.sub(lambda m: f'id="{short[m.group(1)]}"' if m.group(1) in short else "", svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{short[m.group(1)]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{short[m.group(1)]}"', svg)
    svg = re.sub(r"<g\s*>", "<g>", svg)
    svg = re.sub(r' transform="rotate\(-?0 [^"]*\)"', "", svg)
    return _slim(svg).strip()


def _slim(svg: str) -> str:
    """``svg`` without bytes that draw nothing: an inline figure is part of the page's HTML.

    Drops the unfilled, unstroked rectangles of the figure and axes backgrounds, empty
    ``<defs>``, ``<g>`` wrappers without attributes (matplotlib nests several per artist), the
    font family on every text (`_with_head` sets it once on the ``<svg>``), and rounds
    positions to 1/100 of a pixel.
    """
    svg = re.sub(r'<path d="[^"]*"(?: clip-path="[^"]*")? style="fill: none"/>\n?', "", svg)
    svg = re.sub(r"<defs>\s*</defs>\n?", "", svg)
    svg = svg.replace(_FONT + "; ", "").replace("; " + _FONT, "")
    svg = re.sub(r'\b(x|y)="(-?\d+\.\d{3,})"',
                 lambda m: f'{m.group(1)}="{float(m.group(2)):.2f}"'.replace('.00"', '"'), svg)
    svg = re.sub(r'\bd="[^"]*"', lambda m: re.sub(r"\s+", " ", m.group()).replace(' "', '"'), svg)
    out, bare = [], []
    for token in re.split(r"(<g\b[^>]*>|</g>)", svg):
        if token.startswith("<g"):
            bare.append(token == "<g>")
            if token != "<g>":
                out.append(token)
        elif token == "</g>":
            if not bare.pop():
                out.append(token)
        else:
            out.append(token)
    svg = re.sub(r"\n{2,}", "\n", "".join(out))
    return _USE_RUN.sub(_group_uses, svg)


# a run of markers drawn alike: their shared style moves to one <g> around them (only
# inherited properties, so the drawing is the same: no opacity, clip, mask or filter)
_USE_RUN = re.compile(r'(?:<use [^>]*? style="([^"]*)"/>\n)(?:<use [^>]*? style="\1"/>\n)+')
_INHERITED = re.compile(r"(?:fill|stroke|stroke-width|stroke-linejoin|stroke-linecap|fill-opacity"
                        r"|stroke-opacity|stroke-dasharray|stroke-dashoffset)")


def _group_uses(match: re.Match) -> str:
    style = match.group(1)
    if not all(_INHERITED.fullmatch(d.split(":")[0].strip()) for d in style.split(";") if d.strip()):
        return match.group()
    uses = match.group().replace(f' style="{style}"', "")
    return f'<g style="{style}">\n{uses}</g>\n'


def _with_head(svg: str, title: str, desc: str, id_prefix: str) -> str:
    """``svg`` with the page's own ``<svg>`` tag, accessible name and description."""
    head = _SVG_OPEN.search(svg).group()
    view = re.search(r'viewBox="([^"]+)"', head).group(1)
    width = float(view.split()[2])
    new_head = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'viewBox="{view}" width="100%" class="lesson-figure" role="img" '
                f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
                f'style="max-width: {round(width * 1.5)}px; color: inherit; {_FONT}">'
                f'<title id="{id_prefix}-title">{_escape(title)}</title>'
                f'<desc id="{id_prefix}-desc">{_escape(desc)}</desc>')
    return svg.replace(head, new_head, 1).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
