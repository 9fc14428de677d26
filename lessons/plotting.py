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
    fig, ax = plt.subplots(figsize=(5.0, 3.4))
    ax.plot(x, y, **series_style(0), label="...")
    ax.yaxis.set_major_formatter(number_formatter("uk", 1))
html = svg_figure(fig, title="...", desc="...", id_prefix="fig-std")
```
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit: the build runs headless

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from lessons.i18n import MINUS, check_lang, fmt

__all__ = ["PALETTE", "figure_style", "log_formatter", "number_formatter", "series_style",
           "svg_figure"]

# Okabe–Ito colours of middle lightness: readable on Material's white and slate backgrounds.
PALETTE = ("#E69F00", "#3D9BE0", "#009E73", "#D55E00", "#CC79A7", "#8C8C8C")
_MARKERS = ("o", "s", "^", "D", "v", "P")
_DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))

# Placeholder colours: drawn by matplotlib, replaced by ``currentColor`` in the SVG text.
_INK = "#010203"
_GRID = "#040506"
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


@contextlib.contextmanager
def figure_style(font_size: float = 10.5) -> Iterator[None]:
    """Matplotlib settings for lesson figures; create and draw the figure inside this block.

    Examples:
        >>> with figure_style():
        ...     plt.rcParams["svg.fonttype"]
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
    with plt.rc_context(rc):
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
        >>> with figure_style():
        ...     fig, ax = plt.subplots(figsize=(2, 1.5))
        ...     _ = ax.plot([0, 1], [1, 0])
        >>> svg = svg_figure(fig, title="A line", desc="It falls.", id_prefix="demo")
        >>> svg.startswith("<svg") and 'role="img"' in svg and "<metadata" not in svg
        True
    """
    for name, text in (("title", title), ("desc", desc)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string (it is the figure's accessible text)")
    if not isinstance(id_prefix, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
        raise ValueError(f"id_prefix must be an ASCII name like 'fig-loss', got {id_prefix!r}")
    buffer = io.StringIO()
    try:
        with plt.rc_context({"svg.hashsalt": "lessons", "svg.fonttype": "none"}):
            extra = {"bbox_inches": "tight", "pad_inches": 0.05} if tight else {}
            fig.savefig(buffer, format="svg", metadata={"Date": None}, **extra)
    finally:
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)  # its `*` rule would leak
    svg = svg.replace(_INK, "currentColor").replace(_GRID, "currentColor")
    svg = re.sub(r"font-family: [^;\"]+", _FONT, svg)
    svg = re.sub(r'\bd="[^"]*"', _round_numbers, svg)
    svg = re.sub(r"\n\s*", "\n", svg)  # matplotlib's indentation is bytes for nothing
    svg = re.sub(r"\nL ", " L ", svg)
    svg = re.sub(r" \n(z|\")", r" \1", svg)
    # keep only the ids something refers to, each with the figure's prefix
    used = set(re.findall(r'url\(#([^)]+)\)', svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    svg = _ID.sub(lambda m: f'id="{id_prefix}-{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf"url(#{id_prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{id_prefix}-\1"', svg)
    svg = re.sub(r"<g\s*>", "<g>", svg)
    svg = re.sub(r' transform="rotate\(-?0 [^"]*\)"', "", svg)
    head = _SVG_OPEN.search(svg).group()
    view = re.search(r'viewBox="([^"]+)"', head).group(1)
    width = float(view.split()[2])
    new_head = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'viewBox="{view}" width="100%" class="lesson-figure" role="img" '
                f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
                f'style="max-width: {round(width * 1.5)}px; color: inherit">'
                f'<title id="{id_prefix}-title">{_escape(title)}</title>'
                f'<desc id="{id_prefix}-desc">{_escape(desc)}</desc>')
    return svg.replace(head, new_head, 1).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
