"""lessons.pages.convolutions: the tables hold the hand-derived numbers, and the prose's claims hold."""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET

import markdown
import numpy as np
import pytest

import lessons.pages.convolutions as page
from lessons.conv import cost, path_counts
from lessons.pages.convolutions import (
    literal_answer,
    literal_facts,
    DESIGNS,
    _design_rows,
    _field_desc,
    _rank_rows,
    HDC_COUNTER,
    HDC_RATES,
    STUDENT_CHAIN_OUTPUT,
    STUDENT_CLAIMS,
    answers,
    article_table,
    benchmark_caption,
    benchmark_results,
    chain_match,
    chain_table,
    cli_demo,
    counting_table,
    design_layers,
    designs_table,
    dilation_advice,
    dilation_coverage,
    dilation_note,
    field_peaks,
    homework_counts,
    log_note,
    rank_summary,
    rank_table,
    receptive_field_figure,
    receptive_field_note,
    singular_figure,
    singular_table,
    stack_form_html,
    student_facts,
    student_notes,
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
    assert "r ≤ 3" in rank_summary("en") and "r ≤ 2" in rank_summary("en")
    assert "r ≤ 3" in rank_summary("uk") and "r ≤ 2" in rank_summary("uk")
    rows = {r: (same, valid) for r, _, same, valid, _ in _rank_rows()}
    assert rows[3][0] < 19600 < rows[4][0]
    assert rows[2][1] < 9604 < rows[3][1]
    ks = classic_kernels()
    # "the Laplacian of Gaussian is exact at rank 2", "three pairs reproduce the disk",
    # "a random kernel needs all seven pairs, and that costs more than the full kernel"
    assert approximation_error(ks["log"], 2) < 1e-12
    assert approximation_error(ks["disk"], 3) < 1e-12 < approximation_error(ks["disk"], 2)
    assert approximation_error(ks["random"], 6) > 0.01
    # "...and that costs more than the full kernel": seven pairs, 7 + 7 taps per output pixel
    # of a 20×20 "same" output, against 49 taps per pixel for the full kernel
    assert rows[7][0] == 7 * (7 + 7) * 20 * 20 > 49 * 20 * 20


def test_rank_table_italics_are_the_totals_dearer_than_the_full_kernel():
    # by hand: "same" 14r·400 > 19,600 from r = 4; "valid" (1,960 + 1,372)·r > 9,604 from r = 3
    for line in rank_table("en").splitlines()[2:9]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        r = int(cells[0])
        assert cells[2].startswith("*") == (14 * r * 400 > 19600), r
        assert cells[3].startswith("*") == ((1960 + 1372) * r > 9604), r
        assert not cells[1].startswith("*")  # the per-pixel column is never italic
    assert "two total columns" in rank_summary("en") and "«разом»" in rank_summary("uk")


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



def _by_hand(key: str) -> np.ndarray:
    """Path counts from 1-D tap-offset histograms: a square kernel with taps every d pixels is a
    histogram of ones with d − 1 zeros between; stacking layers convolves the histograms, and
    the 2-D map is the outer product of the row and column histograms."""
    ones = lambda k, d=1: np.array([1 if i % d == 0 else 0 for i in range(d * (k - 1) + 1)])
    axes = {
        "7x7": (ones(7), ones(7)),
        "3x3x3": (np.convolve(np.convolve(ones(3), ones(3)), ones(3)),) * 2,
        "1x7+7x1": (ones(7), ones(7)),  # 1×7 gives the row taps, 7×1 the column taps
        "3x(3x1+1x3)": (np.convolve(np.convolve(ones(3), ones(3)), ones(3)),) * 2,
        "dil12": (np.convolve(ones(3), ones(3, 2)),) * 2,
        "dil22": (np.convolve(ones(3, 2), ones(3, 2)),) * 2,
        "dw7+pw": (ones(7), ones(7)),  # the 1×1 adds one tap
    }[key]
    return np.outer(*axes)


def test_path_counts_match_the_hand_histograms():
    # the audit's 1-D counts for 3×3 + 3×3 with d = 2: [1, 1, 2, 1, 2, 1, 1]
    assert _by_hand("dil12")[3].tolist() == [1, 1, 2, 1, 2, 1, 1]  # the centre row
    assert _by_hand("dil12")[2].tolist() == [2, 2, 4, 2, 4, 2, 2]  # one row above it
    for key in DESIGNS:
        np.testing.assert_array_equal(path_counts(design_layers(key, 1)), _by_hand(key))


@pytest.mark.parametrize("key", DESIGNS)
def test_every_panel_description_says_where_the_most_paths_are(key):
    counts = _by_hand(key)
    most = counts.max()
    centre = counts[counts.shape[0] // 2, counts.shape[1] // 2]
    peaks = [(int(i) - counts.shape[0] // 2, int(j) - counts.shape[1] // 2)
             for i, j in zip(*np.nonzero(counts == most))]
    en, uk = _field_desc(path_counts(design_layers(key, 1)), "en"), _field_desc(path_counts(design_layers(key, 1)), "uk")
    reached = int(np.count_nonzero(counts))
    assert f"{reached} of {counts.size} pixels" in en
    if counts[counts > 0].min() == most:  # flat: every pixel reached the same way
        assert f"each by {most} path" in en and "веде" in uk
    elif peaks == [(0, 0)]:
        assert f"the centre has the most paths, {most}" in en
        assert f"від центрального пікселя: {most}" in uk
    else:
        assert "centre has the most" not in en and "центрального" not in uk
        assert f"{most} each" in en and f"по {most}" in uk
        assert f"the centre itself has {centre} path" in en
        assert sorted(peaks) == [(-1, -1), (-1, 1), (1, -1), (1, 1)] and "(±1, ±1)" in en and "(±1, ±1)" in uk


def test_panel_descriptions_agree_with_the_noun_after_the_count():
    # "з 81 пікселя" (after 81, the genitive singular), "з 49 пікселів"
    uk = _field_desc(path_counts(design_layers("dil22", 1)), "uk")
    assert "з 81 пікселя" in uk and "пікселів" not in uk.split(";")[0]
    assert "з 49 пікселів" in _field_desc(path_counts(design_layers("7x7", 1)), "uk")


@pytest.mark.parametrize("lang", LANGS)
def test_note_under_the_figure_holds_for_every_design(lang):
    note = receptive_field_note(lang)
    kinds = {}
    for key in DESIGNS:
        counts = _by_hand(key)
        reached = counts[counts > 0]
        centre = counts[counts.shape[0] // 2, counts.shape[1] // 2]
        kinds[key] = ("flat" if reached.min() == reached.max() else
                      "centre" if centre == counts.max() and (counts == centre).sum() == 1 else "ring")
        assert field_peaks(path_counts(design_layers(key, 1)))["kind"] == kinds[key], key
    sentences = note.split(". ")
    for key, kind in kinds.items():
        name = page._SHORT_NAMES[key][lang]
        said = [s for s in sentences if name in s]
        assert said, key
        marker = {"flat": {"en": "uniform", "uk": "рівномірне"},
                  "centre": {"en": "weight the centre most heavily", "uk": "надають центру найбільшої ваги"},
                  "ring": {"en": "not from the centre", "uk": "не від центру"}}[kind][lang]
        assert any(marker in s for s in said), (key, kind)
    # the gridded stack: 25 of 81 by hand (5 taps per axis), and mixing dilations covers all
    assert ("25 of the 81" if lang == "en" else "25 з 81 пікселя") in note


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
    assert "помилка: шар 4 (вхід 2×2)" in bad and "error" not in bad and bad.rstrip("`\n").endswith("2")
    assert "error: layer 4" in cli_demo(["--input", "20x20x1", "7x7", "7x7", "7x7", "7x7"], "en")


@pytest.mark.parametrize("lang", LANGS)
def test_dilation_changes_the_count_only_without_padding(lang):
    # by hand: 3×3 on 20×20, "valid": (20 − 2)²·9 with d = 1, (20 − 4)²·9 with d = 2; "same": 20²·9
    note = dilation_note(lang)
    for n in (18 * 18 * 9, 16 * 16 * 9, 20 * 20 * 9):
        assert page.fmt_int(n, lang) in note, n
    assert "18×18" in note and "16×16" in note
    assert ("2 916 множень" if lang == "uk" else "2,916 multiplications") in note.replace("\u202f", " ")
    assert ("2 304 множення" if lang == "uk" else "2,304") in note.replace("\u202f", " ")  # 4 → «множення»


@pytest.mark.parametrize("lang", LANGS)
def test_log_note_ranks(lang):
    k = page.laplacian_of_gaussian(7, 1.0)
    s = np.linalg.svd(k - k.mean(), compute_uv=False)
    note = log_note(lang)
    word = {"uk": "ранг", "en": "rank"}[lang]
    assert f"{word} 2" in note and ("ранг стає 3" if lang == "uk" else "rank becomes 3") in note
    mantissa = f"{s[2] / s[0] / 1e-4:.1f}".replace(".", "," if lang == "uk" else ".")
    assert f"{mantissa}·10<sup>−4</sup>" in note


@pytest.mark.parametrize("lang", LANGS)
def test_student_notes_numbers(lang):
    f = student_facts()
    # the student's own numbers, recounted by hand: chain 2·(18·20·3) + … = 12,000 ("same": 20²·(3+3+5+5+7+7));
    # 20²·49 = 19,600; 20²·14 = 5,600
    assert (f["chain"], f["full"], f["separable"]) == (400 * 30, 400 * 49, 400 * 14)
    note = student_notes(lang).replace("\u202f", " ").replace("\u00a0", " ")
    fewer = round(100 * (1 - 30 / 49))  # 39
    assert (f"{fewer} %" if lang == "uk" else f"{fewer}%") in note
    times = f"{30 / 14:.1f}".replace(".", "," if lang == "uk" else ".")
    assert times in note
    # "larger than 12×12": 1 + (2 + 2 + 4 + 4 + 6 + 6) / 2 per axis = 13 → 13×13 is the smallest input
    assert f["smallest_input"] == 1 + 2 + 4 + 6 == f["field"]
    with pytest.raises(ValueError):
        cost(page._homework_layers("chain", "valid"), 12, 12)
    assert "13×13" in note
    # the nested first-row/column pairs are far worse than the SVD's three pairs
    assert f["nested_error"]["disk"] > 0.5 > 10 * f["svd_error"]["disk"]


@pytest.mark.parametrize("lang", LANGS)
def test_answers_render_as_one_list_of_three_items(lang):
    # inside the admonition the block is indented; render it the way Python-Markdown does
    html = markdown.markdown(answers(lang))
    root = ET.fromstring(f"<div>{html}</div>")
    assert [e.tag for e in root] == ["ol"]
    items = root.find("ol").findall("li")
    assert len(items) == 3
    text = ["".join(li.itertext()) for li in items]
    number = lambda n: page.fmt_int(n, lang)
    assert number(14 * 14 * 49) in text[1] and number(14 * 20 * 7 + 14 * 14 * 7) in text[1]
    assert number(20 * 20 * 14) in text[1]
    # item 3: on the one-channel image the depthwise 7×7 is the 7×7 (14·14·49), the 1×1 adds 14·14
    assert number(14 * 14 * 49) in text[2] and number(14 * 14) in text[2]
    assert ("55 %" if lang == "uk" else "55%") in text[0].replace("\u00a0", " ")


@pytest.mark.parametrize("lang", LANGS)
def test_percent_signs(lang):
    text = "\n".join([answers(lang), singular_table(lang), rank_table(lang), student_notes(lang)])
    if lang == "uk":
        assert " %" not in text and "\u00a0%" in text  # a no-break space: «55 %» never splits
    else:
        assert " %" not in text and "\u00a0%" not in text and "55%" in text


def _fake_results(samples: dict[str, list[float]]) -> dict:
    designs = {key: {"seconds": statistics.median(v), "seconds_median": statistics.median(v),
                     "seconds_min": min(v), "seconds_max": max(v), "samples": v,
                     "multiplications": cost(design_layers(key), 56, 56).multiplications}
               for key, v in samples.items()}
    return {"machine": {"cpu": "Test CPU", "cores": 4, "system": "Linux"}, "date": "2027-01-02",
            "versions": {"python": "3.x", "numpy": "2.x"}, "repeats": 5, "statistic": "median",
            "designs": designs}


@pytest.fixture
def fake_bench(monkeypatch):
    def install(samples):
        monkeypatch.setattr(page, "benchmark_results", lambda name="conv_designs": _fake_results(samples))
        page._design_rows.cache_clear()
    yield install
    page._design_rows.cache_clear()


def test_timing_table_ranks_by_median_and_shows_the_spread(fake_bench):
    rng = np.random.default_rng(5)
    # medians 10, 20, … 60 ms in the order of DESIGNS, ranges ±10 % that never overlap; the depthwise
    # design has one very fast outlier (best-of would rank it first) and the slowest median
    base = {key: 0.010 * (i + 1) for i, key in enumerate(DESIGNS)}
    samples = {key: list(base[key] * (1 + 0.1 * rng.random(5))) for key in DESIGNS}
    samples["dw7+pw"] = [0.001, 0.2, 0.21, 0.22, 0.23]
    fake_bench(samples)
    lines = timing_table("en").splitlines()
    assert lines[0].split(" | ")[3:5] == ["median, ms", "fastest–slowest, ms"]
    ranked = sorted(DESIGNS, key=lambda k: statistics.median(samples[k]))
    shown = [line.split(" | ")[1] for line in lines[2:]]
    assert shown == [page._SHORT_NAMES[k]["en"] for k in ranked]
    assert shown[-1] == "depthwise 7×7 + 1×1"  # ranked by its median (0.21 s), not its best run
    row = lines[-1].split(" | ")
    assert row[3] == "210.0" and row[4] == "1.0–230.0"
    # share of time and rate from the medians
    assert row[5] == f"{0.21 / statistics.median(samples['7x7']):.2f}"
    caption = benchmark_caption("en")
    assert "median of 5 runs" in caption and "2027-01-02" in caption and "4 cores" in caption
    assert "fastest and the slowest" in caption
    # only the depthwise range (1–230 ms) reaches into its neighbour's (3×3, d = 2 twice: 60–66 ms)
    assert "overlap (“3×3, d = 2 twice” and “depthwise 7×7 + 1×1”), so their order is not reliable" in caption
    assert "(«3×3, d = 2 двічі» і «поканальна 7×7 + 1×1»), тож їхній порядок ненадійний" in benchmark_caption("uk")
    assert "02.01.2027" in benchmark_caption("uk") and "4 ядра" in benchmark_caption("uk")


def test_timing_note_ratios_come_from_the_data(fake_bench):
    samples = {key: [0.1] * 3 for key in DESIGNS}
    samples["7x7"] = [0.3, 0.4, 0.5]  # median 0.4
    samples["dw7+pw"] = [0.05, 0.1, 0.2]  # median 0.1: 4× faster by time
    fake_bench(samples)
    note = timing_note("en")
    count_ratio = cost(design_layers("7x7"), 56, 56).multiplications / cost(design_layers("dw7+pw"), 56, 56).multiplications
    assert f"needs 1/{count_ratio:.1f} of the multiplications" in note and "only 4.0 times faster" in note
    assert note.splitlines()[0] == '!!! warning "Fewer multiplications do not mean proportionally less time"'


def test_committed_results_render_whatever_schema_they_have():
    # the committed file may hold only best-of and median (older schema): the page still ranks by
    # the median and names the fastest run
    data = benchmark_results()
    medians = {k: page.timing_stats(v, data.get("statistic", "min"))["median"] for k, v in data["designs"].items()}
    lines = timing_table("en").splitlines()
    shown = [line.split(" | ")[1] for line in lines[2:]]
    assert shown == [page._SHORT_NAMES[k]["en"] for k in sorted(DESIGNS, key=medians.get)]
    f = timing_facts()
    seven, dw = medians["7x7"], medians["dw7+pw"]
    assert f["time_ratio"]["dw7+pw"] == pytest.approx(seven / dw)
    assert f"{seven / dw:.1f} times faster" in timing_note("en")


def _hand_offsets(rates) -> set[int]:
    """The 1-D offsets a stack of 3-tap layers with these dilations reaches: all sums of ±d or 0."""
    reach = {0}
    for d in rates:
        reach = {a + b for a in reach for b in (-d, 0, d)}
    return reach


@pytest.mark.parametrize("rates", [HDC_COUNTER, HDC_RATES, (2, 2), (1, 1, 1)])
def test_dilation_coverage_matches_the_hand_offsets(rates):
    # a 2-D pixel is reached iff both its row and its column offsets are; the side is 1 + 2·Σd
    reach = _hand_offsets(rates)
    side = 1 + 2 * sum(rates)
    expected = {"side": side, "area": side * side, "reached": len(reach) ** 2}
    assert dilation_coverage(rates) == expected


def test_coprime_dilations_can_still_leave_holes():
    # 2 and 3 share no factor, yet by hand the offsets are {0, ±1, ±2, ±3, ±5}: ±4 is never
    # reached, so 9·9 = 81 of the 11·11 = 121 pixels, 40 holes; 1, 2, 5 reach every offset in −8..8
    assert np.gcd.reduce(HDC_COUNTER) == 1
    assert _hand_offsets(HDC_COUNTER) == {0, 1, -1, 2, -2, 3, -3, 5, -5}
    assert dilation_coverage(HDC_COUNTER) == {"side": 11, "area": 121, "reached": 81}
    assert _hand_offsets(HDC_RATES) == set(range(-8, 9))
    assert dilation_coverage(HDC_RATES)["reached"] == dilation_coverage(HDC_RATES)["area"] == 289


@pytest.mark.parametrize("lang", LANGS)
def test_dilation_advice_states_the_computed_counter_example(lang):
    text = dilation_advice(lang)
    said = {"uk": ("поле 11×11", "лише 81 з 121 пікселя", "40 пікселів", "усі 289 пікселів",
                   "17×17", "ефект сітки"),
            "en": ("field of 11×11", "only 81 of its 121 pixels", "40 pixels as holes",
                   "all 289 pixels", "17×17", "gridding")}[lang]
    for phrase in said:
        assert phrase in text, phrase
    assert "1, 2, 5" in text and "an 11" not in text.replace("a field of", "")


@pytest.mark.parametrize("lang", LANGS)
def test_chain_match_names_the_padding_of_each_figure(lang):
    # by hand: "same" keeps 20×20, so 400·(3+3+5+5+7+7) = 12,000; "valid" loses 2+4+6 per
    # axis: 8×8
    assert 400 * (3 + 3 + 5 + 5 + 7 + 7) == STUDENT_CLAIMS["chain"]
    assert (20 - 2 - 4 - 6,) * 2 == STUDENT_CHAIN_OUTPUT
    text = chain_match(lang)
    assert ("12\u202f000" if lang == "uk" else "12,000") in text
    assert "(8×8)" in text
    assert ("«same»" if lang == "uk" else "“same”") in text


def test_caption_spread_is_the_largest_median_over_fastest_ratio():
    data = benchmark_results()
    ratios = [page.timing_stats(v, data.get("statistic", "min")) for v in data["designs"].values()]
    worst = max(t["median"] / t["low"] for t in ratios if t["low"])
    assert page.median_spread() == pytest.approx(worst)
    if any(t["high"] is None for t in ratios):
        assert f"{worst:.1f} times the fastest" in benchmark_caption("en")
        assert ("is wide" if worst >= 2 else "is narrow") in benchmark_caption("en")
        assert f"{worst:.1f}".replace(".", ",") + " раза" in benchmark_caption("uk")
    assert "next run of the" not in benchmark_caption("en")


@pytest.mark.parametrize("lang", LANGS)
def test_timing_table_heads_its_order_column_place(lang):
    head = timing_table(lang).splitlines()[0].split(" | ")[0]
    assert head == {"uk": "| місце", "en": "| place"}[lang]


def test_overlapping_pairs_are_quoted_and_separated_by_semicolons(fake_bench):
    # every design takes 10 ms at best and 100 ms at worst: all neighbours in the ranking overlap,
    # so the caption lists len(DESIGNS) - 1 pairs, each name quoted, pairs split by semicolons
    samples = {key: [0.01, 0.05 + i / 1000, 0.1] for i, key in enumerate(DESIGNS)}
    fake_bench(samples)
    for lang, open_, close in (("en", "“", "”"), ("uk", "«", "»")):
        caption = benchmark_caption(lang)
        inside = caption.split("overlap (" if lang == "en" else "перетинаються (")[1]
        listed = inside.split("), ")[0]
        pairs = listed.split("; ")
        assert len(pairs) == len(DESIGNS) - 1, listed
        ranked = DESIGNS  # medians grow with the index
        joiner = " and " if lang == "en" else " і "
        for pair, (a, b) in zip(pairs, zip(ranked, ranked[1:])):
            assert pair == f"{open_}{page._SHORT_NAMES[a][lang]}{close}{joiner}{open_}{page._SHORT_NAMES[b][lang]}{close}"


def test_literal_reading_is_the_dilated_pair_with_its_own_share_and_full_field():
    # 3×3 then 3×3 with d = 2, 64 → 64 channels, "same": 2 · 9 · 64 · 64 per pixel against
    # 49 · 64 · 64, so 18/49 of one 7×7; field 1 + 2 + 4 = 7, and 3×3 ⊕ (3×3 dilated by 2) covers all 49
    f = literal_facts()
    assert f["share"] == pytest.approx(18 / 49)
    assert (f["side"], f["reached"], f["area"]) == (7, 49, 49)
    assert f"{round(100 * 18 / 49)}% of the multiplications of one 7×7" in literal_answer("en")
    assert "a 7×7 field with no holes" in literal_answer("en")
    assert f"{round(100 * 18 / 49)}\u00a0% множень однієї 7×7" in literal_answer("uk")
    assert "поле 7×7 без пропусків" in literal_answer("uk")


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_singular_figure_desc_is_sentences_and_chain_row_marks_the_field_implied(lang):
    import re
    from lessons.pages.convolutions import chain_table, singular_figure

    desc = re.search(r"<desc[^>]*>(.*?)</desc>", singular_figure(lang), re.S).group(1)
    # every sentence starts with a capital letter, and the description ends with a full stop
    assert desc.endswith(".")
    assert all(s[0].isupper() for s in re.split(r"\.\s+", desc) if s)
    row = next(line for line in chain_table(lang).splitlines()
               if {"uk": "у студента", "en": "the student's answer"}[lang] in line)
    assert {"uk": "7×7 (мається на увазі)", "en": "7×7 (implied)"}[lang] in row


SVG_NS = "{http://www.w3.org/2000/svg}"


def _phone_label_sizes(svg: ET.Element, column: float = 328.0) -> list[tuple[str, float]]:
    """(text, CSS px) of every label of ``svg`` in a phone's content column of ``column`` px.

    lessons.css caps a figure at the column's width (max-width: 100%), so it is drawn at its
    own width attribute or the column's, whichever is smaller, scaled from its viewBox."""
    view = float(svg.get("viewBox").split()[2])
    scale = min(float(svg.get("width")), column) / view
    root_size = float(svg.get("font-size"))
    return [(t.text, scale * float(t.get("font-size", root_size)))
            for t in svg.iter(f"{SVG_NS}text")]


@pytest.mark.parametrize("lang", LANGS)
def test_every_lesson_3_label_is_at_least_10_px_on_a_phone(lang):
    figures = [ET.fromstring(singular_figure(lang))]
    figures += ET.fromstring(f"<div>{receptive_field_figure(lang)}</div>").iter(f"{SVG_NS}svg")
    sizes = [size for svg in figures for size in _phone_label_sizes(svg)]
    assert len(sizes) > 70 and min(px for _, px in sizes) >= 10, sorted(sizes, key=lambda s: s[1])[:3]


@pytest.mark.parametrize("lang", LANGS)
def test_singular_figure_names_fit_their_panels(lang):
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    svg = ET.fromstring(singular_figure(lang))
    width = float(svg.get("viewBox").split()[2])
    size = float(svg.get("font-size"))
    starts = sorted({float(t.get("x")) for t in svg.iter(f"{SVG_NS}text") if t.get("text-anchor") is None})
    assert len(starts) == 2  # two panels a row
    for t in svg.iter(f"{SVG_NS}text"):
        if t.get("text-anchor") is not None:
            continue  # the σ labels, centred under their bars
        x = float(t.get("x"))
        # DejaVu Sans, wider than the phone fonts; bold is about 10 % wider still
        font = FontProperties(family="DejaVu Sans", size=size,
                              weight="bold" if t.get("font-weight") == "bold" else "normal")
        right = x + text_to_path.get_text_width_height_descent(t.text, font, ismath=False)[0]
        limit = next((s for s in starts if s > x), width)
        assert right <= limit, (t.text, right, limit)


@pytest.mark.parametrize("key", list(page.DESIGNS))
def test_receptive_field_panel_paints_each_reached_pixel_once_in_its_shade(key):
    import re

    svg = ET.fromstring(ET.tostring(page._panel(key, "en"), encoding="unicode"))
    counts = path_counts(page.design_layers(key, 1))
    rh, rw = counts.shape
    off_r, off_c = (page._GRID - rh) // 2, (page._GRID - rw) // 2
    painted = {}
    cells = svg.find(f"{SVG_NS}g")
    for path in cells.iter(f"{SVG_NS}path"):
        for x, y, w, h in re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h-\3z", path.get("d")):
            assert int(h) == page._CELL and int(w) % page._CELL == 0
            i = (int(y) - 22) // page._CELL - off_r  # the grid starts at (8, 22)
            for j in range((int(x) - 8) // page._CELL - off_c,
                           (int(x) - 8 + int(w)) // page._CELL - off_c):
                assert (i, j) not in painted, (i, j)
                painted[i, j] = path.get("fill-opacity")
    assert set(painted) == {tuple(ij) for ij in np.argwhere(counts)}
    # more paths, darker; one path, the lightest shade on every panel
    for (i, j), shade in painted.items():
        assert shade == page._shade(int(counts[i, j]))
    ones = [float(s) for (i, j), s in painted.items() if counts[i, j] == 1]
    assert all(s == min(float(v) for v in painted.values()) for s in ones)


@pytest.mark.parametrize("lang", LANGS)
def test_stack_form_keeps_the_contract_and_shows_the_build_s_result(lang):
    from html.parser import HTMLParser

    from lessons.conv_cost import try_stack

    html = stack_form_html(lang)
    assert html.startswith('<form class="try-form" data-try="stack" novalidate>') and html.endswith("</form>")
    button = {"uk": "Порахувати", "en": "Count the stack"}[lang]
    assert f'<button type="submit" class="md-button" data-action="try" hidden>{button}</button>' in html
    assert '<div class="try-output" data-try-output role="status" aria-live="polite">' in html
    # without JavaScript the output is the form's own result for its defaults
    result = try_stack(page.STACK_DEFAULTS, lang, "stack")
    assert set(result) == {"html"} and result["html"] in html
    assert page.STACK_DEFAULTS == {"input": "20x20x1", "layers": "7x1 1x7"}

    class Fields(HTMLParser):  # every input has a label and a hint of its own
        def __init__(self):
            super().__init__()
            self.inputs, self.labels, self.ids = {}, set(), set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                assert a["id"] not in self.ids, a["id"]
                self.ids.add(a["id"])
            if tag == "input":
                self.inputs[a["name"]] = a
            elif tag == "label":
                self.labels.add(a["for"])

    fields = Fields()
    fields.feed(html)
    assert {n: a["value"] for n, a in fields.inputs.items()} == page.STACK_DEFAULTS
    for a in fields.inputs.values():
        assert a["id"] in fields.labels and a["aria-describedby"] in fields.ids
    other = stack_form_html("en" if lang == "uk" else "uk")
    assert other != html and other.count("<input") == html.count("<input") == 2


@pytest.mark.parametrize("lang", LANGS)
def test_stack_form_hint_calls_layer_options_what_the_messages_call_them(lang):
    # «параметри» is the table's column (the number of weights); a layer's s2, p1, … are its
    # «налаштування», in the hint as in the CLI's messages (the native-speaker review)
    html = stack_form_html(lang)
    said = {"uk": ["Шари й налаштування — через пробіл; кожен шар починається з ядра",
                   "за ним можуть іти налаштування:"],
            "en": ["Layers and their options separated by spaces; each layer starts with its kernel",
                   "then any options:"]}[lang]
    for words in said:
        assert words in html, words
    if lang == "uk":
        assert "параметр" not in html.split('<div class="try-output"')[0]
