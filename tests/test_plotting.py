"""The shared matplotlib → inline SVG helper: deterministic, accessible, theme-aware, scoped ids."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt
import pytest

from lessons.i18n import fmt
from lessons.plotting import (PALETTE, TEXT_COLORS, FigureText, figure_style, log_formatter,
                              number_formatter, series_style, svg_figure, svg_figures, text_color)

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def draw(prefix="demo", **kwargs):
    with figure_style():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([1, 2, 3], [0.1, 10.0, 1.0], label="шар", **series_style(0))
        ax.plot([1, 2, 3], [1.0, 2.0, 3.0], label="layer", **series_style(1))
        ax.set_yscale("log")
        ax.set_xlabel("вхід")
        ax.legend()
    return svg_figure(fig, title="Заголовок & <тест>", desc="Опис.", id_prefix=prefix, **kwargs)


def test_same_bytes_every_time():
    assert draw() == draw()
    assert draw(tight=False) == draw(tight=False)


def test_no_prolog_metadata_date_or_global_style():
    svg = draw()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for leftover in ("<?xml", "<!DOCTYPE", "<metadata", "dc:date", "<style", "Matplotlib v"):
        assert leftover not in svg


def test_accessible_name_and_theme_colours():
    svg = draw()
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and "lesson-figure" in root.get("class")
    assert root[0].tag == ns + "title" and root[0].text == "Заголовок & <тест>"
    assert root[1].tag == ns + "desc" and root[1].text == "Опис."
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert set(labelled) <= ids
    assert "currentColor" in svg and "#010203" not in svg and "#040506" not in svg
    assert root.get("width") == "100%" and root.get("viewBox") and not root.get("height")
    assert "вхід" in svg and "шар" in svg        # text stays text


def test_ids_are_prefixed_and_every_reference_resolves():
    svg = draw("fig-a")
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("fig-a-") for i in ids)
    assert len(ids) == len(set(ids))
    refs = re.findall(r'url\(#([^)]+)\)', svg) + re.findall(r'href="#([^"]+)"', svg)
    assert refs and set(refs) <= set(ids)
    # two figures on one page share no id
    assert not set(ids) & set(re.findall(r'\bid="([^"]+)"', draw("fig-b")))


@pytest.mark.parametrize("kwargs, message", [
    ({"title": "", "desc": "d", "id_prefix": "x"}, "title"),
    ({"title": "t", "desc": " ", "id_prefix": "x"}, "desc"),
    ({"title": "t", "desc": "d", "id_prefix": "1 bad"}, "id_prefix"),
])
def test_bad_arguments(kwargs, message):
    fig = plt.figure()
    with pytest.raises(ValueError, match=message):
        svg_figure(fig, **kwargs)
    plt.close(fig)


def test_formatters():
    assert number_formatter("uk", 2)(-1.5, 0) == "\u22121,50"
    assert number_formatter("en", 1)(2.25, 0) == "2.2"
    assert [log_formatter()(v, 0) for v in (1e-3, 1.0, 1e7, 3.0)] == ["10⁻³", "10⁰", "10⁷", ""]


def test_series_styles_differ_without_colour():
    styles = [series_style(i) for i in range(6)]
    assert len({s["marker"] for s in styles}) == 6
    assert len({str(s["linestyle"]) for s in styles}) == 6
    with pytest.raises(ValueError):
        series_style(-1)


# --- colours: lines 3:1, text 4.5:1, on Material's white and slate backgrounds -------------

WHITE, SLATE = "#ffffff", "#1e2129"   # slate = hsl(225, 15%, 14%); test_site_normalization reads it


def contrast(a, b):
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(h):
        c = [int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_of_black_on_white_is_21():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.005)


def test_lines_and_series_text_pass_wcag_on_both_palettes():
    for colour in PALETTE:                                   # graphics: 1.4.11, 3:1
        assert contrast(colour, WHITE) >= 3.0 and contrast(colour, SLATE) >= 3.0, colour
    assert len(TEXT_COLORS["default"]) == len(TEXT_COLORS["slate"]) == len(PALETTE)
    for light, dark in zip(TEXT_COLORS["default"], TEXT_COLORS["slate"]):   # text: 1.4.3, 4.5:1
        assert contrast(light, WHITE) >= 4.5, light
        assert contrast(dark, SLATE) >= 4.5, dark


def test_series_text_is_a_custom_property_that_lessons_css_sets_on_slate():
    with figure_style():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([1, 2], [1, 2], **series_style(3))
        ax.text(1, 1, "orange words", color=text_color(3))
    svg = svg_figure(fig, title="T", desc="D.", id_prefix="tc")
    fill = re.search(r'<text [^>]*style="[^"]*fill: ([^;"]+)[^>]*>orange words', svg).group(1)
    assert fill == f"var(--lesson-text-3, {TEXT_COLORS['default'][3].lower()})"
    css = (ROOT / "docs" / "assets" / "lessons.css").read_text("utf-8")
    rule = re.search(r'\[data-md-color-scheme="slate"\] \.lesson-figure \{([^}]*)\}', css).group(1)
    assert dict(re.findall(r"--lesson-text-(\d+):\s*(#[0-9a-fA-F]{6})", rule)) == {
        str(k): c.lower() for k, c in enumerate(TEXT_COLORS["slate"])}
    assert text_color(9) == text_color(3)
    with pytest.raises(ValueError, match="i must be"):
        text_color(-1)


def test_slim_svg_keeps_every_mark_and_drops_empty_wrappers():
    from matplotlib.figure import Figure

    with figure_style():
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.plot(range(8), [v * v for v in range(8)], **series_style(0))
        ax.fill_between([0, 7], [0, 0], [5, 5], alpha=0.3)
    svg = svg_figure(fig, title="T", desc="D.", id_prefix="slim")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert not [g for g in root.iter(f"{ns}g") if not g.attrib], "a <g> without attributes"
    assert "font-family" not in "".join(t.get("style", "") for t in root.iter(f"{ns}text"))
    assert "font-family: system-ui" in root.get("style")
    assert not re.search(r'\b[xy]="-?\d+\.\d{3,}"', svg)
    # the eight markers share one <g> with their colour, and the <use>s inherit it
    group = [g for g in root.iter(f"{ns}g") if PALETTE[0].lower() in g.get("style", "")]
    assert len(group) == 1 and len(group[0].findall(f"{ns}use")) == 8
    assert all("style" not in u.attrib for u in group[0].findall(f"{ns}use"))
    assert any("fill-opacity: 0.3" in p.get("style", "") or "opacity: 0.3" in p.get("style", "")
               for p in root.iter(f"{ns}path")), "the shaded area is kept"


# --- one drawing, every language: FigureText + svg_figures --------------------------------

def draw_both(prefix="fig-both"):
    from matplotlib.figure import Figure

    texts = FigureText()
    with figure_style():
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.plot([0.0, 0.5, 1.0], [1.0, -0.5, 0.25], label=texts({"uk": "середнє", "en": "mean & <std>"}),
                **series_style(0))
        ax.set_xlabel(texts({"uk": "номер прихованого шару", "en": "layer"}))
        ax.yaxis.set_major_formatter(texts.formatter(lambda v, lang: fmt(v, lang, 1)))
        ax.legend()
    return svg_figures(fig, texts, title={"uk": "Заголовок", "en": "Title"},
                       desc={"uk": "Опис.", "en": "Description."}, id_prefix=prefix)


def texts_of(svg):
    return [html.unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]


def test_one_drawing_gives_each_language_its_own_words_and_numbers():
    svgs = draw_both()
    assert set(svgs) == {"uk", "en"}
    uk, en = texts_of(svgs["uk"]), texts_of(svgs["en"])
    assert "номер прихованого шару" in uk and "середнє" in uk and "layer" not in uk
    assert "layer" in en and "mean & <std>" in en and "середнє" not in en
    assert "&amp; &lt;std&gt;" in svgs["en"]                    # still well-formed XML
    # tick labels: decimal comma and U+2212 in uk, a point in en, on the same ticks
    uk_ticks = [t for t in uk if re.fullmatch(r"\u2212?\d+,\d", t)]
    en_ticks = [t for t in en if re.fullmatch(r"\u2212?\d+\.\d", t)]
    assert uk_ticks and [t.replace(",", ".") for t in uk_ticks] == en_ticks
    assert "\u22120,5" in uk_ticks
    for lang, title in (("uk", "Заголовок"), ("en", "Title")):
        root = ET.fromstring(svgs[lang])
        assert root.get("role") == "img" and root[0].text == title
    # same drawing: the two SVGs differ only in the words
    strip = lambda s: re.sub(r"<(text|title|desc)\b([^>]*)>[^<]*</\1>", r"<\1\2/>", s)
    assert strip(svgs["uk"]) == strip(svgs["en"])


def test_one_drawing_matches_a_separate_drawing_per_language_in_its_words():
    # independent reference: draw each language on its own with svg_figure
    from matplotlib.figure import Figure

    for lang, words in (("uk", "номер прихованого шару"), ("en", "layer")):
        with figure_style():
            fig = Figure(figsize=(3, 2))
            ax = fig.add_subplot()
            ax.plot([0.0, 0.5, 1.0], [1.0, -0.5, 0.25], **series_style(0),
                    label={"uk": "середнє", "en": "mean & <std>"}[lang])
            ax.set_xlabel(words)
            ax.yaxis.set_major_formatter(number_formatter(lang, 1))
            ax.legend()
        alone = svg_figure(fig, title="t", desc="d", id_prefix="fig-both")
        assert sorted(texts_of(alone)) == sorted(texts_of(draw_both()[lang]))


def test_one_drawing_is_deterministic():
    assert draw_both() == draw_both()


def test_stand_in_is_the_widest_translation_and_collisions_are_refused():
    texts = FigureText()
    assert texts({"uk": "номер прихованого шару", "en": "layer"}) == "номер прихованого шару"
    assert texts({"uk": "шар", "en": "hidden layer"}) == "hidden layer"
    assert texts({"uk": "шар", "en": "hidden layer"}) == "hidden layer"   # the same text twice is fine
    with pytest.raises(ValueError, match="two different texts"):
        texts({"uk": "рівень", "en": "hidden layer"})
    with pytest.raises(ValueError, match="texts must map"):
        texts({"uk": "лише українська"})
    with pytest.raises(ValueError, match="one-line"):
        texts({"uk": "два\nрядки", "en": "two"})
    with pytest.raises(ValueError, match="lang"):
        texts.translate("<svg/>", "de")


def test_svg_figures_checks_its_arguments():
    from matplotlib.figure import Figure

    fig = Figure()
    with pytest.raises(TypeError, match="texts"):
        svg_figures(fig, {}, title={"uk": "т", "en": "t"}, desc={"uk": "о", "en": "d"}, id_prefix="x")
    with pytest.raises(ValueError, match="title"):
        svg_figures(fig, FigureText(), title={"uk": "т"}, desc={"uk": "о", "en": "d"}, id_prefix="x")
    with pytest.raises(ValueError, match="desc"):
        svg_figures(fig, FigureText(), title={"uk": "т", "en": "t"}, desc={"uk": "о", "en": " "},
                    id_prefix="x")
    with pytest.raises(ValueError, match="id_prefix"):
        svg_figures(fig, FigureText(), title={"uk": "т", "en": "t"}, desc={"uk": "о", "en": "d"},
                    id_prefix="1 bad")


def test_no_pyplot_needed():
    import subprocess
    import sys

    code = ("import sys; from lessons.pages.normalization import activation_svg; "
            "activation_svg('uk'); print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
