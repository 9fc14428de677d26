"""The built Lesson 3 pages: computed values, folded answers, the figure, size and references."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, page_path

THOUSANDS = {"uk": "\u202f", "en": ","}


def page(site, lang):
    path = page_path(site, lang, "convolutions")
    return path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def number(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", THOUSANDS[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_page_holds_the_counts(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    # hand-derived: 14·14·49, 20·20·49, 14·20·7 + 14·14·7, 2·20·20·7, the article's figures
    for n in (9604, 19600, 1960, 1372, 3332, 5600, 5524, 12000, 1228800, 53952):
        assert number(n, lang) in text, n
    assert "13×13" in text
    decimal = "," if lang == "uk" else "."
    assert f"0{decimal}551" in text  # 27/49


@pytest.mark.parametrize("lang", LANGS)
def test_answers_are_folded(site, lang):
    _, html = page(site, lang)
    details = html.find("details")
    assert details is not None and not details.has_attr("open")
    assert number(9604, lang) in details.get_text()


@pytest.mark.parametrize("lang", LANGS)
def test_receptive_field_figure(site, lang):
    _, html = page(site, lang)
    panels = html.select("div.rf-figure svg")
    assert len(panels) == 8
    for svg in panels:
        assert svg["role"] == "img" and svg.find("title").get_text().strip()
        assert "lesson-figure" in svg["class"]
    caption = {"uk": "досяжні", "en": "reached"}[lang]
    assert caption in html.select_one("div.rf-figure").get_text()


@pytest.mark.parametrize("lang", LANGS)
def test_timing_table_and_caption_come_from_the_committed_results(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    assert "benchmarks/results/conv_designs.json" in text
    assert html.select("div.admonition.warning"), "the time-versus-count note"


@pytest.mark.parametrize("lang", LANGS)
def test_cli_section_shows_output_and_error(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    assert "uv run python -m lessons.conv" in text
    assert "error: layer 4" in text and "echo $?" in text


@pytest.mark.parametrize("lang", LANGS)
def test_size_math_and_references(site, lang):
    path, html = page(site, lang)
    assert path.stat().st_size < 200_000
    assert html.find("math") and not html.select(".arithmatex")
    refs = html.find(id="references")
    assert refs is not None
    links = " ".join(a["href"] for a in refs.find_next("ul").find_all("a"))
    for paper in ("1409.1556", "1512.00567", "1704.04861", "2201.03545", "1511.07122", "1702.08502",
                  "cs231n", "separable-convolutions"):
        assert paper in links, paper
    assert not re.search(r"Traceback|Error:", html.get_text().replace("error: layer", ""))
