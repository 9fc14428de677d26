"""lessons.conv_page: the tables hold the hand-derived numbers, and the prose's claims hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from lessons.conv import cost, path_counts
from lessons.conv_page import (
    DESIGNS,
    _design_rows,
    _rank_rows,
    answers,
    article_table,
    benchmark_results,
    chain_table,
    cli_demo,
    counting_table,
    design_layers,
    designs_table,
    homework_counts,
    rank_summary,
    receptive_field_figure,
    singular_figure,
    singular_table,
    timing_facts,
    timing_note,
    timing_table,
    vgg_table,
)
from lessons.separable import approximation_error, classic_kernels

LANGS = ("uk", "en")


def test_counting_table_holds_the_hand_counts():
    text = counting_table("en")
    for value in ("9,604", "19,600", "1,960 + 1,372", "**3,332**", "2,800 + 2,800", "**5,600**"):
        assert value in text
    assert "✗" not in text and text.count("✓") == 4
    uk = counting_table("uk")
    assert "9\u202f604" in uk and "«valid»" in uk


def test_every_homework_count_was_performed_by_the_loop():
    for row in homework_counts():
        assert row["counted"] == row["cost"].multiplications
        assert row["diff"] < 1e-10  # the counting loop and conv2d give the same output


def test_chain_table_shows_the_13x13_field():
    text = chain_table("en")
    assert "**13×13**" in text and "**5,524**" in text and "**12,000**" in text


def test_vgg_table_ratio_is_27_over_49():
    assert f"{27 / 49:.3f}" in vgg_table("en")


def test_singular_table_ranks():
    text = singular_table("en")
    ranks = [line.split("|")[2].strip() for line in text.splitlines()[2:]]
    assert ranks == ["1", "1", "1", "2", "3", "7"]


def test_rank_claims_of_the_prose():
    # 14r < 49 ⇒ r ≤ 3 with "same"; (1,960 + 1,372)·r < 9,604 ⇒ r ≤ 2 with "valid"
    assert "r = 3" in rank_summary("en") and "r = 2" in rank_summary("en")
    rows = {r: (same, valid) for r, _, same, valid, _ in _rank_rows()}
    assert rows[3][0] < 19600 < rows[4][0]
    assert rows[2][1] < 9604 < rows[3][1]
    ks = classic_kernels()
    # "the Laplacian of Gaussian is exact at rank 2", "three pairs reproduce the disk",
    # "a random kernel needs all seven pairs, and that costs more than the full kernel"
    assert approximation_error(ks["log"], 2) < 1e-12
    assert approximation_error(ks["disk"], 3) < 1e-12 < approximation_error(ks["disk"], 2)
    assert approximation_error(ks["random"], 6) > 0.01
    assert 7 * 14 > 49


def test_article_table_matches_the_published_figures():
    text = article_table("en")
    assert "1,228,800" in text and "4,800 + 49,152" in text and "53,952" in text


def test_designs_match_their_descriptions():
    for key in DESIGNS:
        c = cost(design_layers(key), 56, 56)
        assert c.output_shape == (64, 56, 56)
        expected = (9, 9) if key == "dil22" else (7, 7)
        assert c.receptive_field == expected, key
    counts = {key: path_counts(design_layers(key, 1)) for key in DESIGNS}
    # gridding: equal dilations leave most of the field unseen; dilations 1 then 2 cover it
    assert np.count_nonzero(counts["dil22"]) < counts["dil22"].size / 2
    assert np.count_nonzero(counts["dil12"]) == counts["dil12"].size
    # "stacks weigh the centre more than the border"
    three = counts["3x3x3"]
    assert three[3, 3] > three[0, 0]


def test_recommendation_claims_hold():
    rows = {r["key"]: r for r in _design_rows()}
    dw = rows["dw7+pw"]["cost"]
    others = [rows[k]["cost"] for k in DESIGNS if k != "dw7+pw"]
    # "by far the fewest parameters and multiplications"
    assert all(dw.params * 5 < c.params and dw.multiplications * 5 < c.multiplications for c in others)
    f = timing_facts()
    # "the depthwise layer runs far below the arithmetic rate of the dense designs"
    assert f["slowest_rate"] == "dw7+pw"
    assert all(f["rate"]["dw7+pw"] * 3 < f["rate"][k] for k in DESIGNS if k != "dw7+pw")
    # "the time saved is smaller than the count promises"
    assert f["time_ratio"]["dw7+pw"] < f["count_ratio"]["dw7+pw"] / 2
    # three 3×3: fewer parameters than 7×7, same field
    assert rows["3x3x3"]["cost"].params < rows["7x7"]["cost"].params


def test_benchmark_results_are_complete_and_consistent():
    data = benchmark_results()
    assert {"machine", "date", "versions", "repeats", "designs"} <= set(data)
    assert set(data["versions"]) >= {"python", "numpy"}
    for key in DESIGNS:
        entry = data["designs"][key]
        assert entry["seconds"] > 0
        assert entry["multiplications"] == cost(design_layers(key), 56, 56).multiplications
    speed = benchmark_results("conv_speed")
    assert set(speed["ratios"]) == {"scipy_over_conv2d", "im2col_over_conv2d"}


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_notes_render_in_both_languages(lang):
    for text in (answers(lang), designs_table(lang), timing_table(lang), timing_note(lang)):
        assert text.strip()
    assert timing_note(lang).startswith("!!! warning")
    decimal = "," if lang == "uk" else "."
    assert f"0{decimal}036" in designs_table(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_figure_is_accessible_svg(lang):
    html = receptive_field_figure(lang)
    root = ET.fromstring(html)
    svgs = list(root)
    assert len(svgs) == len(DESIGNS) + 1
    ids = []
    for svg in svgs:
        assert svg.get("role") == "img" and "viewBox" in svg.attrib
        title = svg.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text
        ids += [e.get("id") for e in svg.iter() if e.get("id")]
        for ref in svg.get("aria-labelledby").split():
            assert any(e.get("id") == ref for e in svg.iter())
    assert len(ids) == len(set(ids))
    word = {"uk": "поле", "en": "field"}[lang]
    assert word in html
    assert "#" not in html.replace("&#", "")  # no hard-coded colours: currentColor only


@pytest.mark.parametrize("lang", LANGS)
def test_singular_figure_has_one_bar_per_nonzero_singular_value(lang):
    root = ET.fromstring(singular_figure(lang))
    assert root.get("role") == "img"
    # ranks by hand: Sobel, box, Gaussian 1 each; LoG 2; disk 3; random 7
    assert len(root.findall(".//{http://www.w3.org/2000/svg}rect")) == 1 + 1 + 1 + 2 + 3 + 7
    assert {"uk": "ранг 3", "en": "rank 3"}[lang] in singular_figure(lang)


def test_cli_demo_shows_command_output_and_exit_code():
    ok = cli_demo(["--input", "20x20x1", "7x1", "1x7"], "en")
    assert ok.startswith("```console\n$ uv run python -m lessons.conv --lang en --input 20x20x1 7x1 1x7")
    assert "3,332" in ok and "echo $?" not in ok
    bad = cli_demo(["--input", "20x20x1", "7x7", "7x7", "7x7", "7x7"], "uk")
    assert "error: layer 4" in bad and bad.rstrip("`\n").endswith("2")
