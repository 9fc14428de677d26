"""Lesson 2 (normalization and dropout): the claims the page makes hold for the computed
numbers, and the built pages in both languages show those numbers and figures.

The first half runs the experiments and asserts every trend the prose states, so the text
cannot drift from the numbers; the second half reads the built HTML (``site`` fixture).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, ROOT, page_path

from lessons import normalization_page as page
from lessons.i18n import fmt

# --------------------------------------------------------------------------------------
# the claims of the page
# --------------------------------------------------------------------------------------


def test_inputs_typed_in_the_prose_match_the_experiments():
    # the page text states these inputs in words; a change here must change the text
    assert (page.DEPTH, page.WIDTH) == (10, 64)
    assert page.activation_experiment.__wrapped__.__defaults__[:3] == (10, 64, 64)
    assert page.TRAINING == dict(points=32, steps=200, momentum=0.9, depth=10, width=64)
    assert {c.lr for c in page.TRAINING_CONFIGS} == {0.05, 0.1}
    assert (page.MC["points"], page.MC["p"], page.MC["passes"]) == (40, 0.1, 200)
    assert (page.MC["low"], page.MC["high"], page.MC["freq"]) == (-2.0, 2.0, 1.5)
    assert (page.SAMPLE, page.WARMUP["mean"], page.WARMUP["std"]) == (3.0, 5.0, 2.0)
    assert page.SATURATION == 0.99 and page.X_QUERY == 1.0
    assert page.LOSS_LEVEL == 0.1


def test_same_sample_two_outputs_in_training_one_in_evaluation():
    rows = {(r.batch, r.training): r for r in page.train_eval_demo()}
    a, b = rows[("A", True)], rows[("B", True)]
    assert a.output > 0 > b.output                       # "even of opposite sign"
    assert rows[("A", False)].output == rows[("B", False)].output
    # the running statistics are close to the data's N(5, 2²)
    assert abs(rows[("A", False)].mean - 5.0) < 0.3 and abs(rows[("A", False)].std - 2.0) < 0.2
    # and the training-mode numbers are the batch's own (hand-computed for 3, 1, 0, 2)
    assert a.mean == pytest.approx(1.5) and a.std == pytest.approx(math.sqrt(1.25 + 1e-5))


def test_backward_agrees_with_numerical_gradient():
    assert max(page.batchnorm_gradcheck().values()) < 1e-6


def stats_of(activation, init, bn=False):
    for s in page.activation_experiment():
        if s.config == page.ActConfig(activation, init, bn):
            return s
    raise KeyError((activation, init, bn))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_small_init_collapses(activation):
    s = stats_of(activation, "small")
    assert np.all(np.diff(np.log(s.stds)) < np.log(0.2))       # falls every layer
    assert s.stds[-1] < 1e-8 * s.stds[0]                        # by orders of magnitude


def test_large_init_saturates_tanh_and_explodes_relu():
    tanh = stats_of("tanh", "large")
    assert np.all(tanh.stds > 0.8) and tanh.saturated > 0.5
    relu = stats_of("relu", "large")
    assert np.all(np.diff(relu.stds) > 0) and relu.stds[-1] > 1e5 * relu.stds[0]


@pytest.mark.parametrize("activation, init, bn", [
    ("tanh", "xavier", False), ("tanh", "he", False), ("relu", "he", False),
    ("tanh", "small", True), ("relu", "small", True),
])
def test_matched_init_and_batchnorm_stay_in_the_band(activation, init, bn):
    s = stats_of(activation, init, bn)
    assert np.all((s.stds > 0.1) & (s.stds < 1.0))       # the shaded band of Figure 1
    if activation == "tanh":
        assert s.saturated < 0.05


def test_xavier_with_tanh_shrinks_slowly():
    s = stats_of("tanh", "xavier")
    assert s.stds[-1] < s.stds[0] and s.stds[-1] > 0.1 * s.stds[0]


def test_xavier_with_relu_shrinks_by_about_sqrt2_per_layer():
    s = stats_of("relu", "xavier")
    per_layer = (s.stds[-1] / s.stds[0]) ** (1 / (len(s.stds) - 1))
    assert 0.6 < per_layer < 0.8                     # 1/√2 ≈ 0.71: "halves every two layers"
    assert s.stds[-1] < 0.1                          # it leaves the band


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_batchnorm_is_flat(activation):
    s = stats_of(activation, "small", True)
    assert s.stds.max() / s.stds.min() < 1.2


def runs_by_config():
    return {r.config: r for r in page.training_experiment()}


def test_training_order_batchnorm_then_he_then_xavier():
    runs = runs_by_config()
    C = page.TrainConfig
    reach = {c: page.steps_to(r.losses, page.LOSS_LEVEL) for c, r in runs.items() if not r.diverged}
    bn, he, xavier = reach[C("xavier", True, 0.05)], reach[C("he", False, 0.05)], reach[C("xavier", False, 0.05)]
    assert bn is not None and he is not None
    assert bn < he < (xavier if xavier is not None else math.inf)
    # Xavier without BatchNorm "stalls": it is still above the level at half time
    assert runs[C("xavier", False, 0.05)].losses[page.TRAINING["steps"] // 2] > page.LOSS_LEVEL


def test_batchnorm_tolerates_the_larger_learning_rate_that_breaks_he():
    runs = runs_by_config()
    C = page.TrainConfig
    assert runs[C("he", False, 0.1)].diverged
    bn = runs[C("xavier", True, 0.1)]
    assert not bn.diverged and page.steps_to(bn.losses, page.LOSS_LEVEL) is not None
    assert all(r.accuracy == 1.0 for r in runs.values() if not r.diverged and r.config.batchnorm)


def test_dropout_p07_drops_seventy_percent_and_keeps_the_mean():
    m = page.dropout_measurement()
    assert abs(m["zero_share"] - 0.7) < 5 * math.sqrt(0.21 / m["units"])
    assert abs(m["mean_unscaled"] - 0.3) < 0.01
    assert abs(m["mean_scaled"] - 1.0) < 0.03
    assert m["survivor"] == pytest.approx(1 / 0.3) and m["same_mask"]


def test_dropout_at_inference_is_random_and_mixed_conventions_shift_it():
    d = page.inference_dropout_demo()
    # Identical rows of one batch can differ in the last bit through BLAS (a std of 1.1e-17
    # with OPENBLAS_CORETYPE=Haswell, 0.0 with Prescott): assert what the page shows.
    for lang in ("uk", "en"):
        assert len({fmt(v, lang, 2) for v in d["eval"]["calls"]}) == 1
        assert fmt(d["eval"]["std"], lang, 3) == fmt(0.0, lang, 3)
    assert d["eval"]["std"] < 1e-12
    assert len(set(d["dropout"]["calls"])) == len(d["dropout"]["calls"]) and d["dropout"]["std"] > 0
    se = d["dropout"]["std"] / math.sqrt(100)
    assert abs(d["dropout"]["mean"] - d["eval"]["mean"]) < 4 * se       # right on average
    se_r = d["rescaled"]["std"] / math.sqrt(100)
    assert d["eval"]["mean"] - d["rescaled"]["mean"] > 4 * se_r           # shifted


def test_mc_dropout_spread_grows_away_from_the_data():
    r = page.mc_dropout_experiment()
    inside = r.std[r.inside].mean()
    left, right = r.std[r.grid < page.MC["low"]].mean(), r.std[r.grid > page.MC["high"]].mean()
    assert left > 1.5 * inside and right > 1.5 * inside
    err = np.abs(r.mean - np.sin(page.MC["freq"] * r.grid))
    assert err[~r.inside].mean() > 3 * err[r.inside].mean()       # "the model is wrong there"


# --------------------------------------------------------------------------------------
# the built pages
# --------------------------------------------------------------------------------------


def html_of(site, lang):
    path = page_path(site, lang, "normalization")
    return path, BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_computed_numbers(site, lang):
    _, soup = html_of(site, lang)
    text = soup.get_text(" ")
    m = page.dropout_measurement()
    assert fmt(100 * m["zero_share"], lang, 2) + "\u00a0%" in text
    for r in page.train_eval_demo():
        assert fmt(r.output, lang, 2) in text
    run = runs_by_config()[page.TrainConfig("xavier", False, 0.05)]
    assert page._loss(run.losses[-1], lang) in text
    mc = page.mc_dropout_experiment()
    assert fmt(float(mc.std[~mc.inside].mean()), lang, 3) in text
    if lang == "uk":       # decimal comma in tables, never a decimal point
        for table in soup.select("article table"):
            for code in table.find_all("code"):      # code keeps its dot
                code.decompose()
            assert not re.search(r"\d\.\d", table.get_text(" ")), table.get_text(" ")[:200]


@pytest.mark.parametrize("lang", LANGS)
def test_page_has_three_accessible_figures_in_its_language(site, lang):
    path, soup = html_of(site, lang)
    figures = soup.select("svg.lesson-figure")
    assert len(figures) == 3
    labels = {"uk": ("номер прихованого шару", "крок навчання", "вхід x"),
              "en": ("hidden layer", "training step", "input x")}[lang]
    for svg, label in zip(figures, labels):
        assert svg.get("role") == "img" and svg.find("title").get_text().strip()
        assert label in svg.get_text(" ")
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids)), "duplicate ids on the page"
    html = path.read_text("utf-8")
    assert "Matplotlib" not in html and "<metadata" not in html and "dc:date" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_page_structure_and_size(site, lang):
    path, soup = html_of(site, lang)
    assert path.stat().st_size < 200_000
    for anchor in ("task", "batchnorm-idea", "train-vs-eval", "without-normalization",
                   "activation-statistics", "training-run", "normalization-free", "dropout-p",
                   "dropout-at-inference", "mc-dropout", "references"):
        assert soup.find(id=anchor), anchor
    assert soup.select_one("details"), "short answers are folded"
    assert soup.find("math"), "formulas are MathML"
    refs = soup.find(id="references").find_next("ol").get_text(" ")
    for arxiv in ("1502.03167", "1805.11604", "1506.02142", "1706.02515", "1901.09321",
                  "2102.06171", "1502.01852"):
        assert arxiv in refs
    assert "srivastava14a" in refs and "glorot10a" in refs


def test_both_languages_run_the_same_blocks():
    uk = (ROOT / "docs" / "uk" / "normalization.md").read_text("utf-8")
    en = (ROOT / "docs" / "en" / "normalization.md").read_text("utf-8")
    norm = lambda t: re.findall(r"print\((\w+)\(", t)
    assert norm(uk) == norm(en) and len(norm(uk)) >= 8
