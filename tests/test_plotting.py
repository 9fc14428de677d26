"""The shared matplotlib → inline SVG helper: deterministic, accessible, theme-aware, scoped ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt
import pytest

from lessons.plotting import figure_style, log_formatter, number_formatter, series_style, svg_figure


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
