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

from lessons.pages import normalization as page
from lessons.i18n import fmt

# --------------------------------------------------------------------------------------
# the claims of the page
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_inputs_typed_in_the_prose_match_the_experiments(site, lang):
    # the prose states these inputs in words: read the built page and compare with the code
    _, soup = html_of(site, lang)
    text = " ".join(soup.get_text(" ").split())
    f = lambda v, d=1: fmt(v, lang, d)
    t = page.TRAINING
    expected = {
        "uk": [f"{page.DEPTH} прихованими шарами по {page.WIDTH}",
               f"{page.DEPTH} прихованих шарів по {page.WIDTH} нейрони", f"{t['points']} точки",
               f"імпульсом {f(t['momentum'])}", f"щонайбільше {t['steps']} ітерацій",
               f"нижче {f(page.LOSS_LEVEL)} або перевищують {f(page.DIVERGED_LOSS, 0)}",
               "шістьма зернами", f"N({f(page.WARMUP['mean'], 0)}, {f(page.WARMUP['std'], 0)}²)",
               f"x = {f(page.SAMPLE, 0)}", f"на {page.MC['points']} зашумлених точках",
               f"p = {f(page.MC['p'])}", f"sin({f(page.MC['freq'])}x)",
               f"від {f(page.MC['low'], 0)} до {f(page.MC['high'], 0)}".replace("-", "−"),
               f"з {page.MC['passes']} стохастичних проходів", f"(у нас T = {page.MC['passes']})",
               f"більший за {f(page.SATURATION, 2)}"],
        "en": [f"{page.DEPTH} hidden layers of {page.WIDTH} units", f"{t['points']} points",
               f"momentum {f(t['momentum'])}", f"at most {t['steps']} iterations",
               f"below {f(page.LOSS_LEVEL)} or exceeds {f(page.DIVERGED_LOSS, 0)}", "six random seeds",
               f"N({f(page.WARMUP['mean'], 0)}, {f(page.WARMUP['std'], 0)}²)", f"x = {f(page.SAMPLE, 0)}",
               f"{page.MC['points']} noisy points", f"p = {f(page.MC['p'])}", f"sin({f(page.MC['freq'])}x)",
               f"between {f(page.MC['low'], 0)} and {f(page.MC['high'], 0)}".replace("-", "−"),
               f"{page.MC['passes']} stochastic passes", f"(here T = {page.MC['passes']})",
               f"exceeds {f(page.SATURATION, 2)}"],
    }[lang]
    missing = [e for e in expected if e not in text]
    assert not missing, missing
    assert page.SEEDS == 6 and len({r.seed for r in page.training_experiment()}) == page.SEEDS


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


def first_below(losses, level):
    """Independent of the page: the first step (from 1) whose loss is below ``level``."""
    below = [i for i, v in enumerate(losses) if v < level]
    return below[0] + 1 if below else math.inf


def per_seed():
    """{(batchnorm, lr): [(steps to the level or inf, diverged), one per seed]} from the raw runs."""
    out = {}
    for r in sorted(page.training_experiment(), key=lambda r: r.seed):
        diverged = not np.all(np.isfinite(r.losses)) or r.losses[-1] > page.DIVERGED_LOSS
        assert diverged == r.diverged
        assert (r.reached or math.inf) == first_below(r.losses, page.LOSS_LEVEL)
        out.setdefault((r.config.batchnorm, r.config.lr), []).append((first_below(r.losses, page.LOSS_LEVEL), diverged))
    return out


def independent_claims():
    runs = per_seed()
    lo, hi = 0.05, 0.1
    seeds = range(page.SEEDS)
    return {
        "bn_reaches_both": [runs[(True, lo)][s][0] < math.inf and runs[(True, hi)][s][0] < math.inf for s in seeds],
        "bn_faster": [all(runs[(True, lr)][s][0] < runs[(False, lr)][s][0] for lr in (lo, hi)) for s in seeds],
        "no_bn_reaches": [runs[(False, lo)][s][0] < math.inf for s in seeds],
        "no_bn_diverges_double": [runs[(False, hi)][s][1] for s in seeds],
        "no_bn_slower_double": [runs[(False, hi)][s][0] > runs[(False, lo)][s][0] for s in seeds],
    }


def test_like_with_like_six_seeds():
    assert {(c.init, c.batchnorm, c.lr) for c in page.TRAINING_CONFIGS} == {
        ("he", b, lr) for b in (False, True) for lr in (0.05, 0.1)}
    runs = per_seed()
    assert all(len(v) == page.SEEDS for v in runs.values())


def test_every_stated_claim_holds_for_five_of_six_seeds():
    claims = independent_claims()
    for lang in LANGS:
        stated = set(page.training_claims(lang))
        for key, holds in claims.items():
            if key == "no_bn_reaches":      # said as the first clause of training_spread
                clause = {"uk": "Без BatchNorm за lr = 0,05 порогу досягли ",
                          "en": " reached the target at lr = 0.05;"}[lang]
                assert (clause in page.training_spread(lang)) == (sum(holds) >= 5), (key, sum(holds))
                continue
            sentence = page._CLAIMS[key][lang].format(lo=fmt(0.05, lang, 2), hi=fmt(0.1, lang, 2),
                                                      level=fmt(0.1, lang, 1))
            assert (sentence in stated) == (sum(holds) >= 5), (key, sum(holds))
    # the audit's re-run: without BatchNorm at lr 0.1 one seed of six diverges, so the page
    # must not say that it diverges
    assert sum(claims["no_bn_diverges_double"]) < 5
    assert not any("diverges." in c for c in page.training_claims("en"))
    # and all six reach the target at lr 0.05, which the page says in so many words
    assert sum(claims["no_bn_reaches"]) == 6
    assert page.training_spread("uk").startswith("Без BatchNorm за lr = 0,05 порогу досягли всі шість запусків;")
    assert page.training_spread("en").startswith("Without BatchNorm all six runs reached the target at lr = 0.05;")


@pytest.mark.parametrize("lang", LANGS)
def test_claims_and_spread_are_in_the_prose_and_the_alt_text(site, lang):
    _, soup = html_of(site, lang)
    text = " ".join(soup.get_text(" ").split())
    desc = soup.select("svg.lesson-figure")[1].find("desc").get_text(" ")
    for sentence in page.training_claims(lang) + [page.training_spread(lang)]:
        assert sentence in text and sentence in " ".join(desc.split()), sentence
    # the counts in words, from the raw runs: diverged at lr 0.1, and sooner at 0.1 than at 0.05
    runs, slow = per_seed()[(False, 0.1)], per_seed()[(False, 0.05)]
    gone = sum(d for _, d in runs)
    faster = sum(b[0] < a[0] for a, b in zip(slow, runs))
    words = {"uk": ("жоден", "один", "два", "три", "чотири", "п'ять", "шість"),
             "en": ("no", "one", "two", "three", "four", "five", "six")}[lang]
    spread = page.training_spread(lang)
    after = spread.split("lr = " + fmt(0.1, lang, 2), 1)[1]
    assert after.split()[0] == words[gone], after
    of = {"uk": " з шести", "en": " of the six"}[lang]
    assert f"{words[faster]}{of}" in after, after
    assert (gone, faster) == (1, 3)         # what the audit re-run found


def test_verdict_without_batchnorm_states_only_what_the_runs_show():
    # S4: the learning-rate half of the old sentence was not supported by the table; each
    # half of the generated sentence is checked here against the raw runs
    runs = per_seed()
    lo = [s for s, _ in runs[(False, 0.05)] if s < math.inf]
    seed_dependent = max(lo) >= 2 * min(lo)
    diverges = any(d for _, d in runs[(False, 0.1)]) and not any(d for _, d in runs[(False, 0.05)])
    for lang in LANGS:
        verdict = page.no_bn_verdict(lang)
        seed = {"uk": "сильно залежить від зерна", "en": "depends strongly on the seed"}[lang]
        lr = {"uk": "може й розбігтися", "en": "can even diverge"}[lang]
        assert (seed in verdict) == seed_dependent and (lr in verdict) == diverges, verdict
    # what the audit re-run found: 6 of 6 reach the target at 0.05, one of six diverges at 0.1
    assert len(lo) == 6 and seed_dependent and diverges


@pytest.mark.parametrize("lang", LANGS)
def test_verdict_and_inference_sentence_are_on_the_page(site, lang):
    _, soup = html_of(site, lang)
    text = " ".join(soup.get_text(" ").split())
    for sentence in (page.no_bn_verdict(lang), page.inference_dropout_text(lang)):
        assert sentence.strip() in text, sentence


def test_inference_sentence_names_the_evaluation_answer():
    # S12: the number is the network's own prediction at x = 1 in evaluation mode, computed
    # here straight from the trained net, not from inference_dropout_demo
    net, _, _ = page._regression_net()
    answer = float(net.predict(np.array([[page.X_QUERY]]))[0, 0])
    d = page.inference_dropout_demo()
    close = abs(d["dropout"]["mean"] - answer) < 4 * d["dropout"]["std"] / math.sqrt(100)
    assert close           # the demo's dropout mean is within four standard errors of it
    for lang in LANGS:
        text = page.inference_dropout_text(lang)
        assert f"({fmt(answer, lang, 2)})" in text
        assert ({"uk": "близьке до відповіді", "en": "is close to"}[lang] in text) == close


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
    assert fmt(100 * m["zero_share"], lang, 2) + ("\u00a0%" if lang == "uk" else "%") in text
    for r in page.train_eval_demo():
        assert fmt(r.output, lang, 2) in text
    mc = page.mc_dropout_experiment()
    assert fmt(float(mc.std[~mc.inside].mean()), lang, 3) in text
    if lang == "en":       # English writes 70% with no space (S13)
        assert not re.search(r"\d[ \u00a0\u202f]%", text), re.search(r".{30}\d[ \u00a0\u202f]%", text)
    else:                  # Ukrainian keeps a no-break space before %
        assert not re.search(r"\d[ \u202f]?%", text.replace("\u00a0%", ""))
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
    labels = {"uk": ("номер прихованого шару", "номер ітерації", "вхід x"),
              "en": ("hidden layer", "first iteration with", "input x")}[lang]
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


# the byte budget (DESIGN.md: a lesson page under 200 KB; Lesson 2, already 169 KB before its
# exercises, may add less than 30 KB for them)
PAGE_BUDGET, EXERCISE_BUDGET = 200_000, 30_000


@pytest.mark.parametrize("lang", LANGS)
def test_page_and_its_exercises_stay_within_the_byte_budget(site, lang):
    raw = page_path(site, lang, "normalization").read_bytes()  # UTF-8: Cyrillic is 2 bytes
    assert len(raw) < PAGE_BUDGET, len(raw)
    # the forms, as served (a form holds no other form, so each ends at the first </form>)
    forms = re.findall(rb'<form class="exercise" data-kind="([^"]+)".*?</form>', raw, re.S)
    spans = [m.span() for m in re.finditer(rb'<form class="exercise".*?</form>', raw, re.S)]
    assert forms == [b"normalization.batchnorm", b"normalization.dropout",
                     b"normalization.choice"]
    total = sum(b - a for a, b in spans)
    assert total < EXERCISE_BUDGET, total
    # all three sit in the practice section, after its heading and before the references
    assert raw.index(b'id="practice"') < spans[0][0] < spans[-1][1] < raw.index(b'id="references"')


def test_both_languages_run_the_same_blocks():
    uk = (ROOT / "docs" / "uk" / "normalization.md").read_text("utf-8")
    en = (ROOT / "docs" / "en" / "normalization.md").read_text("utf-8")
    norm = lambda t: re.findall(r"(?:print|show)\((\w+)\(", t)
    assert norm(uk) == norm(en) and len(norm(uk)) >= 8


# --------------------------------------------------------------------------------------
# colour contrast of the figures, in Material's light and dark palettes
# --------------------------------------------------------------------------------------


def luminance(rgb):
    """WCAG 2 relative luminance of an sRGB colour given as three 0-255 numbers."""
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def hex_rgb(text):
    text = text.strip().lstrip("#")
    if len(text) in (3, 4):
        text = "".join(c * 2 for c in text)
    rgb = tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
    alpha = int(text[6:8], 16) / 255 if len(text) == 8 else 1.0
    return rgb, alpha


def over(rgb, alpha, background):
    """``rgb`` at opacity ``alpha`` painted over an opaque ``background``."""
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background))


def test_contrast_formula_gives_the_known_ratios():
    # by hand: black and white are (1 + 0.05) / (0 + 0.05) = 21; #777 on white is the
    # classic just-failing grey (luminance 0.1845, 1.05 / 0.2345 = 4.48), #767676 just passes
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast((0x77,) * 3, (255,) * 3) == pytest.approx(4.48, abs=0.005)
    assert contrast((0x76,) * 3, (255,) * 3) == pytest.approx(4.54, abs=0.005)
    assert contrast((40, 90, 160), (40, 90, 160)) == 1.0
    assert over((0, 0, 0), 0.5, (255, 255, 255)) == (127.5, 127.5, 127.5)


def material_palettes(site):
    """Background and text colour of Material's "default" and "slate" schemes, as built."""
    import colorsys

    css = "".join(p.read_text("utf-8") for p in (site / "assets" / "stylesheets").glob("*.css"))
    hue = float(re.search(r"--md-hue:\s*([\d.]+)deg", css).group(1))

    def hsla(m):
        h, s, l, a = (float(v) for v in m)
        rgb = colorsys.hls_to_rgb(h / 360, l / 100, s / 100)
        return tuple(255 * c for c in rgb), a

    def scheme_var(scheme, name):
        block = re.search(r"\[data-md-color-scheme=" + scheme + r"\]\{([^}]*)\}", css).group(1)
        value = re.search(re.escape(name) + r":\s*([^;]+)", block).group(1)
        m = re.fullmatch(r"hsla\(var\(--md-hue\),\s*([\d.]+)%,\s*([\d.]+)%,\s*([\d.]+)\)", value.strip())
        return hsla((hue, *m.groups())) if m else hex_rgb(value)

    white = (255.0, 255.0, 255.0)
    light_fg = re.search(r"--md-default-fg-color:\s*(#[0-9a-fA-F]+)", css).group(1)
    slate_bg, _ = scheme_var("slate", "--md-default-bg-color")
    slate_fg, slate_alpha = scheme_var("slate", "--md-default-fg-color")
    return {"default": {"bg": white, "fg": over(*hex_rgb(light_fg), white), "vars": {}},
            "slate": {"bg": slate_bg, "fg": over(slate_fg, slate_alpha, slate_bg),
                      "vars": figure_vars(site, "slate")}}


def figure_vars(site, scheme):
    """The custom properties lessons.css sets on figures in ``scheme``."""
    css = (site / "assets" / "lessons.css").read_text("utf-8")
    rules = re.findall(r'\[data-md-color-scheme="' + scheme + r'"\] \.lesson-figure\s*\{([^}]*)\}', css)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]+)", " ".join(rules)))


def painted(value, scheme, opacity=1.0):
    """The colour a fill or stroke value paints in ``scheme`` (currentColor: the text colour)."""
    value = value.strip()
    if value == "currentColor":
        return over(scheme["fg"], opacity, scheme["bg"])
    m = re.fullmatch(r"var\((--[\w-]+),\s*(#[0-9a-fA-F]+)\)", value)
    if m:
        value = scheme["vars"].get(m.group(1), m.group(2))
    rgb, alpha = hex_rgb(value)
    return over(rgb, alpha * opacity, scheme["bg"])


def declarations(element):
    return dict((k.strip(), v.strip()) for k, v in
                (d.split(":", 1) for d in element.get("style", "").split(";") if ":" in d))


def inherited(element, name, default):
    while element is not None and getattr(element, "name", None):
        value = declarations(element).get(name) or element.get(name)
        if value:
            return value
        element = element.parent
    return default


def test_the_slate_background_is_read_from_materials_css(site):
    # Material 9's slate: hsla(225deg, 15%, 14%) = rgb(30, 33, 41), as Chromium computes it
    palettes = material_palettes(site)
    assert [round(c) for c in palettes["slate"]["bg"]] == [30, 33, 41]
    assert palettes["default"]["fg"] == pytest.approx((33.0,) * 3)  # #000000de: 255 * (1 - 222/255)


@pytest.mark.parametrize("lang", LANGS)
def test_figure_text_and_lines_have_enough_contrast_in_both_palettes(site, lang):
    palettes = material_palettes(site)
    assert len(palettes["slate"]["vars"]) >= 6, "lessons.css sets the dark text colours"
    _, soup = html_of(site, lang)
    low = []
    for svg in soup.select("svg.lesson-figure"):
        name = svg.find("title").get_text()
        checks = [(t, inherited(t, "fill", "#000"), 4.5, "text") for t in svg.find_all("text")]
        for el in svg.find_all(["path", "use"]):
            if el.find_parent("defs") or el.find_parent("clippath") or el.find_parent("clipPath"):
                continue
            style = {**declarations(el)}
            if float(style.get("opacity", 1)) < 1 or float(style.get("fill-opacity", 1)) < 1:
                continue  # shaded bands and areas: a background, not a mark to read
            stroke = inherited(el, "stroke", "none")
            if stroke != "none" and float(inherited(el, "stroke-opacity", 1)) == 1:
                checks.append((el, stroke, 3.0, "line"))
            fill = inherited(el, "fill", "none") if el.name == "use" else style.get("fill", "none")
            if fill != "none":
                checks.append((el, fill, 3.0, "marker"))
        assert sum(kind == "text" for *_, kind in checks) >= 10
        for scheme_name, scheme in palettes.items():
            for el, value, need, kind in checks:
                opacity = float(declarations(el).get("opacity", 1)) if kind == "text" else 1.0
                ratio = contrast(painted(value, scheme, opacity), scheme["bg"])
                if ratio < need:
                    low.append(f"{name}: {kind} {value} {ratio:.2f}:1 in {scheme_name} "
                               f"({el.get_text()[:30] if kind == 'text' else el.name})")
    assert not low, "\n".join(sorted(set(low)))
