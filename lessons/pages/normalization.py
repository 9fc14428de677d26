"""The experiments of Lesson 2 (BatchNorm and dropout) and their tables and figures, per language.

Every number on the page ``normalization.md`` comes from a function here. The experiments
are cached (``functools.cache``, keyed by their arguments), so the second language reuses
the first one's results and only redraws the labels. All random generators are seeded.

* `train_eval_demo` — one sample, two batches, training vs evaluation mode (2.1);
* `activation_experiment` — per-layer activation statistics of a deep MLP for
  several initializations, with and without BatchNorm (2.2);
* `training_experiment` — the same deep MLP, He-initialized, trained with and without
  BatchNorm at two learning rates over six seeds, all seeds as one stacked array (2.2);
  `training_claims` states only what holds for at least five of the six;
* `dropout_measurement` — what ``p = 0.7`` does under our convention (2.3);
* `inference_dropout_demo`, `mc_dropout_experiment` — dropout left on at
  inference by accident, and on purpose as Monte Carlo dropout (2.4).
"""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple

import numpy as np

from lessons.dropout import dropout, dropout_mask, mc_dropout_predict
from lessons.i18n import check_lang, count, fmt, fmt_int, pick, plural
from lessons.markdown import table
from lessons.mlp import LARGE_STD, MLP, SMALL_STD, activation_statistics, train, train_many
from lessons.normalization import BatchNorm1d

__all__ = [
    "ACTIVATION_CONFIGS",
    "SEEDS",
    "TRAINING_CONFIGS",
    "activation_experiment",
    "activation_svg",
    "activation_table",
    "batchnorm_gradcheck",
    "claim_checks",
    "dropout_measurement",
    "dropout_table",
    "gradcheck_table",
    "inference_dropout_demo",
    "inference_dropout_table",
    "inference_dropout_text",
    "mc_dropout_experiment",
    "mc_dropout_svg",
    "mc_dropout_table",
    "no_bn_verdict",
    "runs_of",
    "spirals",
    "train_eval_demo",
    "train_eval_table",
    "training_claims",
    "training_experiment",
    "training_spread",
    "training_svg",
    "training_table",
    "training_text",
]

# ---------------------------------------------------------------------------------------
# 2.1  training mode vs evaluation mode
# ---------------------------------------------------------------------------------------

SAMPLE = 3.0
BATCH_A = (3.0, 1.0, 0.0, 2.0)
BATCH_B = (3.0, 7.0, 5.0, 9.0)
WARMUP = dict(batches=200, size=32, mean=5.0, std=2.0, seed=21)


class ModeRow(NamedTuple):
    batch: str          # "A" or "B"
    training: bool
    mean: float         # the mean BatchNorm subtracts
    std: float          # the std it divides by (sqrt(var + eps))
    output: float       # BatchNorm's output for SAMPLE


@cache
def train_eval_demo() -> tuple[ModeRow, ...]:
    """The example x = 3.0 normalized inside batch A and batch B, in training and in evaluation mode.

    The layer first sees a seeded stream of batches drawn from N(5, 2²), so its running
    statistics are those of the data, not of the two batches.

    Examples:
        >>> rows = train_eval_demo()
        >>> len({round(r.output, 9) for r in rows if r.training}), len({round(r.output, 9) for r in rows if not r.training})
        (2, 1)
    """
    bn = BatchNorm1d(1)
    rng = np.random.default_rng(WARMUP["seed"])
    for _ in range(WARMUP["batches"]):
        bn(rng.normal(WARMUP["mean"], WARMUP["std"], size=(WARMUP["size"], 1)))
    rows = []
    bn.eval()
    running_std = float(np.sqrt(bn.running_var[0] + bn.eps))
    for name, batch in (("A", BATCH_A), ("B", BATCH_B)):
        out = bn(np.array(batch)[:, None])
        rows.append(ModeRow(name, False, float(bn.running_mean[0]), running_std, float(out[0, 0])))
    bn.train()
    for name, batch in (("A", BATCH_A), ("B", BATCH_B)):
        x = np.array(batch)[:, None]
        out = bn(x)
        rows.append(ModeRow(name, True, float(x.mean()), float(np.sqrt(x.var() + bn.eps)), float(out[0, 0])))
    return tuple(sorted(rows, key=lambda r: (not r.training, r.batch)))


def _percent(lang: str) -> str:
    """The percent sign as each language writes it: "70\u00a0%" (a no-break space) and "70%"."""
    return "\u00a0%" if lang == "uk" else "%"


def _numbers(values, lang: str, digits: int = 0) -> str:
    sep = "; " if lang == "uk" else ", "
    return sep.join(fmt(float(v), lang, digits) for v in values)


def train_eval_table(lang: str) -> str:
    """Markdown table of `train_eval_demo` in ``lang``.

    Examples:
        >>> train_eval_table("en").splitlines()[0]
        '| batch | mode | mean used | std used | output for x = 3 |'
    """
    check_lang(lang)
    header = [pick({"uk": "міні-пакет", "en": "batch"}, lang),
              pick({"uk": "режим", "en": "mode"}, lang),
              pick({"uk": "середнє, яке віднімають", "en": "mean used"}, lang),
              pick({"uk": "ст. відхилення, на яке ділять", "en": "std used"}, lang),
              pick({"uk": "вихід для x = 3", "en": "output for x = 3"}, lang)]
    mode = {True: pick({"uk": "навчання (статистики міні-пакета)", "en": "training (mini-batch statistics)"}, lang),
            False: pick({"uk": "оцінювання (ковзні статистики)", "en": "evaluation (running statistics)"}, lang)}
    rows = []
    for r in train_eval_demo():
        batch = BATCH_A if r.batch == "A" else BATCH_B
        rows.append([f"{r.batch}: {_numbers(batch, lang)}", mode[r.training], fmt(r.mean, lang, 2),
                     fmt(r.std, lang, 2), f"**{fmt(r.output, lang, 2)}**"])
    return table(header, rows, "llrrr") + "\n"


@cache
def batchnorm_gradcheck(n: int = 8, d: int = 3, seed: int = 5) -> dict[str, float]:
    """Relative error of the closed-form backward pass against central differences.

    The scalar checked is ``sum(out * w)`` for a fixed random ``w``, so ``dout = w``.

    Examples:
        >>> max(batchnorm_gradcheck().values()) < 1e-6
        True
    """
    from lessons.gradcheck import numerical_gradient, relative_error
    from lessons.normalization import batchnorm_backward, batchnorm_forward

    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(w, cache)

    def loss(xx, gg, bb):
        return float((batchnorm_forward(xx, gg, bb)[0] * w).sum())

    return {
        "x": relative_error(dx, numerical_gradient(lambda v: loss(v, gamma, beta), x.copy())),
        "gamma": relative_error(dgamma, numerical_gradient(lambda v: loss(x, v, beta), gamma.copy())),
        "beta": relative_error(dbeta, numerical_gradient(lambda v: loss(x, gamma, v), beta.copy())),
    }


def gradcheck_table(lang: str) -> str:
    """Markdown table of `batchnorm_gradcheck`.

    Examples:
        >>> "γ" in gradcheck_table("en")
        True
    """
    check_lang(lang)
    errors = batchnorm_gradcheck()
    header = [pick({"uk": "градієнт", "en": "gradient"}, lang),
              pick({"uk": "найбільша відносна похибка", "en": "largest relative error"}, lang)]
    names = {"x": "∂L/∂x", "gamma": "∂L/∂γ", "beta": "∂L/∂β"}
    return table(header, [[names[k], _sci(v, lang)] for k, v in errors.items()]) + "\n"


# ---------------------------------------------------------------------------------------
# 2.2  activation statistics and a short training run
# ---------------------------------------------------------------------------------------

DEPTH, WIDTH = 10, 64
SATURATION = 0.99      # a tanh unit with |output| above this counts as saturated


class ActConfig(NamedTuple):
    activation: str
    init: str
    batchnorm: bool


ACTIVATION_CONFIGS = tuple(ActConfig(act, init, bn) for act in ("tanh", "relu") for init, bn in
                           (("small", False), ("large", False), ("xavier", False), ("he", False),
                            ("small", True)))


class ActStats(NamedTuple):
    config: ActConfig
    means: np.ndarray       # per hidden layer
    stds: np.ndarray        # per hidden layer
    saturated: float        # share of |tanh| > 0.99 in the last layer (NaN for ReLU)
    dead: float             # share of exact zeros in the last layer (NaN for tanh)


@cache
def activation_experiment(depth: int = DEPTH, width: int = WIDTH, samples: int = 64,
                          seed: int = 0) -> tuple[ActStats, ...]:
    """Mean and std of each hidden layer's activations, for every config in ACTIVATION_CONFIGS.

    One batch of ``samples`` standard-normal inputs goes through a fresh ``depth``-layer MLP
    of width ``width`` (the same weight seed for all configs).

    Examples:
        >>> stats = activation_experiment()
        >>> len(stats), stats[0].stds.shape
        (10, (10,))
    """
    x = np.random.default_rng(seed).normal(size=(samples, width))
    results = []
    for cfg in ACTIVATION_CONFIGS:
        net = MLP([width] + [width] * depth + [1], init=cfg.init, activation=cfg.activation,
                  batchnorm=cfg.batchnorm, rng=seed + 1)
        means, stds = activation_statistics(net, x)
        last = net.forward(x)[1].activations[-1]
        saturated = float(np.mean(np.abs(last) > SATURATION)) if cfg.activation == "tanh" else float("nan")
        dead = float(np.mean(last == 0.0)) if cfg.activation == "relu" else float("nan")
        results.append(ActStats(cfg, means, stds, saturated, dead))
    return tuple(results)


_INIT_LABEL = {
    "small": {"uk": "мала, σ = {s}", "en": "small, σ = {s}"},
    "large": {"uk": "велика, σ = {l}", "en": "large, σ = {l}"},
    "xavier": {"uk": "Xavier", "en": "Xavier"},
    "he": {"uk": "He", "en": "He"},
}


def _config_label(cfg: ActConfig, lang: str, *, with_activation: bool = True) -> str:
    init = pick(_INIT_LABEL[cfg.init], lang).format(s=fmt(SMALL_STD, lang, 2), l=fmt(LARGE_STD, lang, 0))
    text = init + (" + BatchNorm" if cfg.batchnorm else "")
    if with_activation:
        text = ("tanh" if cfg.activation == "tanh" else "ReLU") + ", " + text
    return text


def _sci(x: float, lang: str) -> str:
    """A number for a table: plain with 2 decimals if moderate, else a×10ⁿ."""
    if x == 0.0:
        return fmt(0.0, lang, 0)
    if 0.01 <= abs(x) < 1000:
        return fmt(x, lang, 2)
    exp = int(np.floor(np.log10(abs(x))))
    mant = x / 10.0 ** exp
    sup = str(exp).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))
    return f"{fmt(mant, lang, 1)}·10{sup}"


def activation_table(lang: str) -> str:
    """Markdown table: std of the first and last hidden layer, mean of the last, saturation.

    Examples:
        >>> "Xavier" in activation_table("en")
        True
    """
    check_lang(lang)
    header = [pick({"uk": "мережа", "en": "network"}, lang),
              pick({"uk": "ст. відхилення, шар 1", "en": "std, layer 1"}, lang),
              pick({"uk": f"ст. відхилення, шар {DEPTH}", "en": f"std, layer {DEPTH}"}, lang),
              pick({"uk": f"середнє, шар {DEPTH}", "en": f"mean, layer {DEPTH}"}, lang),
              pick({"uk": f"насичені нейрони tanh, шар {DEPTH}",
                    "en": f"saturated tanh units, layer {DEPTH}"}, lang)]
    rows = []
    for s in activation_experiment():
        share = fmt(100 * s.saturated, lang, 0) + _percent(lang) if s.config.activation == "tanh" else "—"
        rows.append([_config_label(s.config, lang), _sci(s.stds[0], lang), _sci(s.stds[-1], lang),
                     _sci(s.means[-1], lang), share])
    return table(header, rows) + "\n"


def activation_svg(lang: str) -> str:
    """Figure: std of the activations per layer (log scale), tanh above, ReLU below.

    Examples:
        >>> activation_svg("en").startswith("<svg")
        True
    """
    return _activation_figures()[check_lang(lang)]


@cache
def _activation_figures() -> dict[str, str]:
    """`activation_svg` in every language, drawn once."""
    from matplotlib.figure import Figure

    from lessons.plotting import (FigureText, figure_style, log_formatter, series_style, svg_figures,
                                  text_color)

    texts = FigureText()
    stats = activation_experiment()
    layers = np.arange(1, DEPTH + 1)
    with figure_style(FONT), _grid_without_tick_marks():
        fig = Figure(figsize=(5.0, 6.6))
        axes = [fig.add_axes((0.15, 0.62, 0.82, 0.335)), fig.add_axes((0.15, 0.205, 0.82, 0.345))]
        for ax, act, name in ((axes[0], "tanh", "tanh"), (axes[1], "relu", "ReLU")):
            chosen = [s for s in stats if s.config.activation == act]
            for s in chosen:
                style = series_style(_ACT_STYLE[(s.config.init, s.config.batchnorm)])
                ax.plot(layers, _on_scale(s.stds, *_ACT_RANGE),
                        label=texts({lang: _config_label(s.config, lang, with_activation=False)
                                     for lang in texts.langs}), **style)
            ax.set_yscale("log")
            ymin, ymax = _ACT_RANGE
            ax.set_ylim(ymin, ymax)
            for s in chosen:
                color = text_color(_ACT_STYLE[(s.config.init, s.config.batchnorm)])
                for where, beyond, arrow in (("low", s.stds < ymin, "↓"), ("high", s.stds > ymax, "↑")):
                    if beyond.any():
                        k = int(np.argmax(beyond))           # first layer off the scale
                        text = texts({lang: f"{arrow} {_sci(float(s.stds[-1]), lang)} " + pick(
                            {"uk": f"на шарі {DEPTH}", "en": f"at layer {DEPTH}"}, lang)
                            for lang in texts.langs})
                        y = ymin * 1.6 if where == "low" else ymax / 1.6
                        ax.annotate(text, (k + 1, y), xytext=(6, 0), textcoords="offset points",
                                    color=color, fontsize=FONT - 1, va="center", ha="left", fontweight="bold")
            ax.set_xlim(0.7, DEPTH + 0.3)
            ax.yaxis.set_major_locator(_LogLocator(ymin, ymax))
            ax.yaxis.set_minor_locator(_NullLocator())
            ax.yaxis.set_major_formatter(log_formatter())
            ax.axhspan(0.1, 1.0, color=_BAND, alpha=0.10, linewidth=0)
            ax.set_title(name, loc="left")
            ax.set_ylabel(texts({"uk": "ст. відхилення активацій", "en": "std of activations"}))
            ax.set_xticks(layers)
        axes[0].tick_params(labelbottom=False)
        axes[1].set_xlabel(texts({"uk": "номер прихованого шару", "en": "hidden layer"}))
        fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=2,
                   bbox_to_anchor=(0.5, 0.0), fontsize=FONT - 1, handlelength=2.8, columnspacing=1.0)
        title = {"uk": "Стандартне відхилення активацій за шарами",
                 "en": "Standard deviation of the activations, layer by layer"}
        desc = {
            "uk": ("Два графіки з логарифмічною віссю y; затінена смуга від 0,1 до 1. Угорі tanh: з "
                   "малою ініціалізацією розкид активацій падає приблизно на порядок із кожним шаром, з "
                   "великою тримається біля одиниці, бо нейрони насичені, з Xavier і He повільно "
                   "зменшується, з BatchNorm лишається сталим. Унизу ReLU: з малою ініціалізацією "
                   "сигнал згасає, з великою вибухає, з Xavier розкид зменшується вдвічі приблизно "
                   "за кожні два шари, з He та BatchNorm тримається на сталому рівні."),
            "en": ("Two plots with a logarithmic y axis; the shaded band runs from 0.1 to 1. Top, "
                   "tanh: with the small initialization the spread of the activations falls by "
                   "about an order of magnitude per layer, with the large one it stays near one "
                   "because the units saturate, with Xavier and He it shrinks slowly, with "
                   "BatchNorm it stays flat. Bottom, ReLU: with the small initialization the signal "
                   "dies out, with the large one it explodes, with Xavier the spread halves roughly every two layers, "
                   "He and BatchNorm hold a steady level."),
        }
        return svg_figures(fig, texts, title=title, desc=desc, id_prefix="fig-activations",
                           tight=False)


_BAND = "#3D9BE0"
FONT = 12.0          # figures are about 5 inches wide and shrink to phone width: big text
# (at 360 px a 360-unit-wide figure is drawn 328 px wide: FONT - 1 = 11 units is 10.0 CSS px,
# the smallest a label may be there)
_ACT_RANGE = (1e-3, 1e2)
_ACT_STYLE = {("small", False): 3, ("large", False): 0, ("xavier", False): 1, ("he", False): 2,
              ("small", True): 4}


def _grid_without_tick_marks():
    """Settings for axes whose grid lines already mark every tick: no tick marks (about 60
    bytes of the page each), the labels where they were."""
    import matplotlib

    rc = {}
    for axis in ("xtick", "ytick"):
        rc |= {f"{axis}.major.size": 0,
               f"{axis}.major.pad": matplotlib.rcParams[f"{axis}.major.size"]
               + matplotlib.rcParams[f"{axis}.major.pad"]}
    return matplotlib.rc_context(rc)


def _on_scale(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``values`` to plot on a log axis from ``lo`` to ``hi``: a point off the scale whose
    neighbours are off it on the same side draws nothing visible, so it becomes NaN (bytes
    of the page saved); the line still runs to the edge of the plot.

    Examples:
        >>> _on_scale(np.array([1.0, 1e-4, 1e-6, 1e-8, 2.0]), 1e-3, 1e2).tolist()
        [1.0, 0.0001, nan, 1e-08, 2.0]
    """
    side = np.where(values < lo, -1, np.where(values > hi, 1, 0))
    out = np.maximum(values.astype(float), 1e-300)
    for i in range(len(values)):
        neighbours = side[max(i - 1, 0):i + 2]
        if side[i] != 0 and (neighbours == side[i]).all():
            out[i] = np.nan
    return out


def _LogLocator(lo: float, hi: float):
    """Major ticks at powers of ten, at most about five of them."""
    from matplotlib.ticker import FixedLocator

    a, b = int(np.ceil(np.log10(lo))), int(np.floor(np.log10(hi)))
    step = max(1, int(np.ceil((b - a + 1) / 6)))
    start = b - ((b - a) // step) * step
    return FixedLocator([10.0 ** e for e in range(start, b + 1, step)])


def _NullLocator():
    from matplotlib.ticker import NullLocator

    return NullLocator()


def spirals(n: int, seed: int = 0, noise: float = 0.04) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals in the plane: ``n`` points (x of shape (n, 2)) and labels 0/1.

    Examples:
        >>> x, y = spirals(8)
        >>> x.shape, y.tolist()
        ((8, 2), [0, 0, 0, 0, 1, 1, 1, 1])
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n % 2:
        raise ValueError(f"n must be an even int >= 2, got {n!r}")
    rng = np.random.default_rng(seed)
    k = n // 2
    t = np.sqrt(rng.random(k)) * 3 * np.pi
    arm = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (3 * np.pi)
    x = np.concatenate([arm, -arm]) + noise * rng.normal(size=(n, 2))
    return x, np.repeat([0, 1], k)


class TrainConfig(NamedTuple):
    init: str
    batchnorm: bool
    lr: float


# like with like: the same He initialization with and without BatchNorm, at two learning rates
TRAINING_CONFIGS = tuple(TrainConfig("he", bn, lr) for bn in (False, True) for lr in (0.05, 0.1))
SEEDS = 6
# 32 points, full batch: every matrix product stays at most 64×64×64, which OpenBLAS runs on one
# thread (bigger ones go multi-threaded and crawl on a busy 2-core machine)
TRAINING = dict(points=32, steps=200, momentum=0.9, depth=DEPTH, width=WIDTH)
# a run counts as diverged once its loss exceeds this (the start is ln 2 ≈ 0.69)
DIVERGED_LOSS = 10.0
LOSS_LEVEL = 0.1
# a claim about the runs goes on the page only if it holds for at least this many seeds
MAJORITY = 5


class TrainRun(NamedTuple):
    config: TrainConfig
    seed: int
    losses: np.ndarray      # one per step, up to the step that reached LOSS_LEVEL or diverged
    diverged: bool
    reached: int | None     # first step (from 1) with loss < LOSS_LEVEL, None if never


@cache
def training_experiment(steps: int = TRAINING["steps"], seeds: int = SEEDS) -> tuple[TrainRun, ...]:
    """Full-batch SGD with momentum on the two spirals: every config of TRAINING_CONFIGS, every seed.

    Seed ``s`` draws the data (``spirals(seed=s)``) and the initial weights (``rng=s + 1``),
    the same for every config, so each config meets the same ``seeds`` problems. All the runs
    with BatchNorm train as one stacked array, and all the runs without it as another
    (`lessons.mlp.train_many`). A run stops at the first step whose loss is below
    ``LOSS_LEVEL`` (reached) or above ``DIVERGED_LOSS`` (diverged), or after ``steps``.

    Examples:
        >>> runs = training_experiment(steps=3, seeds=2)
        >>> len(runs), {len(r.losses) for r in runs if r.reached is None and not r.diverged}
        (8, {3})
    """
    data = [spirals(TRAINING["points"], seed=s) for s in range(seeds)]
    runs = []
    for bn in (False, True):
        configs = [c for c in TRAINING_CONFIGS if c.batchnorm == bn]
        jobs = [(c, s) for c in configs for s in range(seeds)]
        nets = [MLP([2] + [TRAINING["width"]] * TRAINING["depth"] + [2], init=c.init,
                    activation="relu", batchnorm=bn, rng=s + 1) for c, s in jobs]
        with np.errstate(over="ignore", invalid="ignore"):
            results = train_many(nets, [data[s][0] for _, s in jobs], [data[s][1] for _, s in jobs],
                                 lrs=[c.lr for c, _ in jobs], steps=steps,
                                 momentum=TRAINING["momentum"], max_loss=DIVERGED_LOSS,
                                 stop_below=LOSS_LEVEL)
        for (c, s), (losses, diverged) in zip(jobs, results):
            reached = len(losses) if not diverged and losses[-1] < LOSS_LEVEL else None
            runs.append(TrainRun(c, s, losses, diverged, reached))
    return tuple(runs)


def _train_label(cfg: TrainConfig, lang: str, *, with_lr: bool = False) -> str:
    text = pick({"uk": "з BatchNorm" if cfg.batchnorm else "без BatchNorm",
              "en": "with BatchNorm" if cfg.batchnorm else "without BatchNorm"}, lang)
    if with_lr:
        text += ", lr = " + fmt(cfg.lr, lang, 2)
    return text


def runs_of(config: TrainConfig) -> tuple[TrainRun, ...]:
    """The runs of one config, in seed order.

    Examples:
        >>> len(runs_of(TRAINING_CONFIGS[0])) == SEEDS
        True
    """
    return tuple(sorted((r for r in training_experiment() if r.config == config), key=lambda r: r.seed))


def _steps(run: TrainRun) -> float:
    return math.inf if run.reached is None else run.reached


def claim_checks() -> dict[str, np.ndarray]:
    """Per claim about the training runs, whether it holds for each seed (a bool per seed).

    Examples:
        >>> all(v.shape == (SEEDS,) for v in claim_checks().values())
        True
    """
    C = TrainConfig
    lo, hi = sorted({c.lr for c in TRAINING_CONFIGS})
    bn_lo, bn_hi = runs_of(C("he", True, lo)), runs_of(C("he", True, hi))
    no_lo, no_hi = runs_of(C("he", False, lo)), runs_of(C("he", False, hi))
    return {
        "bn_reaches_both": np.array([a.reached is not None and b.reached is not None
                                     for a, b in zip(bn_lo, bn_hi)]),
        "bn_faster": np.array([_steps(a) < _steps(b) and _steps(c) < _steps(d)
                               for a, b, c, d in zip(bn_lo, no_lo, bn_hi, no_hi)]),
        "no_bn_reaches": np.array([r.reached is not None for r in no_lo]),
        "no_bn_diverges_double": np.array([r.diverged for r in no_hi]),
        "no_bn_slower_double": np.array([_steps(b) > _steps(a) for a, b in zip(no_lo, no_hi)]),
    }


_CLAIMS = {
    "bn_reaches_both": {"uk": "З BatchNorm мережа досягає порогу втрат {level} за обох швидкостей навчання.",
                        "en": "With BatchNorm the network reached the target loss of {level} at both learning rates."},
    "bn_faster": {"uk": "І за кожної з двох швидкостей мережа з BatchNorm досягає порогу раніше, ніж без нього.",
                  "en": "At each of the two rates it got there sooner with BatchNorm than without it."},
    # "no_bn_reaches" (checked in claim_checks) is the first clause of training_spread
    "no_bn_diverges_double": {"uk": "Без BatchNorm за lr = {hi} навчання розбігається.",
                              "en": "Without BatchNorm, at lr = {hi}, training diverged."},
    "no_bn_slower_double": {"uk": "Без BatchNorm подвоєна швидкість навчання сповільнює навчання.",
                            "en": "Without BatchNorm, doubling the learning rate slowed training down."},
}
_SEEDS_FORMS = {"uk": ("зерна", "зерен", "зерен"), "en": ("seed", "seeds")}     # after «з» (genitive)
_SEEDS_NOM = {"uk": ("зерно", "зерна", "зерен"), "en": ("seed", "seeds")}


def training_claims(lang: str) -> list[str]:
    """The sentences about the runs that hold for at least MAJORITY of the SEEDS seeds.

    Examples:
        >>> training_claims("en")[0]
        'With BatchNorm the network reached the target loss of 0.1 at both learning rates.'
    """
    check_lang(lang)
    lo, hi = (fmt(v, lang, 2) for v in sorted({c.lr for c in TRAINING_CONFIGS}))
    level = fmt(LOSS_LEVEL, lang, 1)
    return [pick(_CLAIMS[k], lang).format(lo=lo, hi=hi, level=level) for k, ok in claim_checks().items()
            if k in _CLAIMS and int(ok.sum()) >= MAJORITY]


_WORDS = {"uk": ("жоден", "один", "два", "три", "чотири", "п'ять", "шість"),
          "en": ("none", "one", "two", "three", "four", "five", "six")}
_WORDS_GEN = ("жодного", "одного", "двох", "трьох", "чотирьох", "п'яти", "шести")    # after «з»


def _word(n: int, lang: str, *, genitive: bool = False) -> str:
    """A small count in words (the page has six seeds); digits beyond the table."""
    if not 0 <= n < len(_WORDS_GEN):
        return fmt_int(n, lang)
    return _WORDS_GEN[n] if genitive and lang == "uk" else _WORDS[lang][n]


def training_spread(lang: str) -> str:
    """The runs without BatchNorm, seed by seed, in words: how many reached the target at the
    smaller rate (said only if at least MAJORITY did), how many diverged at the larger one and
    how many got there sooner at it.

    Examples:
        >>> training_spread("en").startswith("Without BatchNorm all six runs reached")
        True
    """
    check_lang(lang)
    lo, hi = sorted({c.lr for c in TRAINING_CONFIGS})
    slow, runs = runs_of(TrainConfig("he", False, lo)), runs_of(TrainConfig("he", False, hi))
    n = len(runs)
    reached = sum(r.reached is not None for r in slow)
    gone = sum(r.diverged for r in runs)
    faster = sum(_steps(b) < _steps(a) for a, b in zip(slow, runs))
    lo_s, hi_s = fmt(lo, lang, 2), fmt(hi, lang, 2)
    if lang == "uk":
        head = "Без BatchNorm "
        if reached >= MAJORITY:
            who = f"всі {_word(n, lang)} запусків" if reached == n else f"{_word(reached, lang)} з {_word(n, lang, genitive=True)}"
            head += f"за lr = {lo_s} порогу досягли {who}; "
        head += f"за lr = {hi_s} "
        if gone == 0:
            head += "жоден запуск не розбігся"
        elif gone == 1:
            head += "один запуск розбігся"
        else:
            head += f"{_word(gone, lang)} з {_word(n, lang, genitive=True)} розбіглися"
        if faster:
            verb = "дійшов" if faster == 1 else "дійшли"
            head += (f", а {_word(faster, lang)} з {_word(n, lang, genitive=True)}{', навпаки,' if gone else ''} "
                     f"{verb} до порогу швидше, ніж за меншої швидкості")
        return head + ": окремий запуск не показав би цього розкиду."
    head = "Without BatchNorm "
    if reached >= MAJORITY:
        who = f"all {_word(n, lang)} runs" if reached == n else f"{_word(reached, lang)} of the {_word(n, lang)} runs"
        head += f"{who} reached the target at lr = {lo_s}; at lr = {hi_s} "
    else:
        head += f"at lr = {hi_s} "
    head += "no run diverged" if gone == 0 else f"{_word(gone, lang)} diverged"
    if faster:
        head += f", while {_word(faster, lang)} of the {_word(n, lang)} got there sooner than at the smaller rate"
    return head + ": a single run would not show this spread."


def training_text(lang: str) -> str:
    """The paragraph under the training table: the majority claims, then the spread.

    Examples:
        >>> training_text("uk").startswith("З BatchNorm")
        True
    """
    return " ".join(training_claims(lang) + [training_spread(lang)]) + "\n"


def no_bn_verdict(lang: str) -> str:
    """What "yes, with care" means, stated from the runs without BatchNorm.

    Each half is said only if the runs show it: a strong dependence on the seed (at the
    smaller rate the slowest seed needs at least twice the iterations of the fastest) and
    divergence at the larger rate (at least one seed diverged there, none at the smaller).

    Examples:
        >>> no_bn_verdict("en").startswith("The network with He initialization")
        True
    """
    check_lang(lang)
    lo, hi = sorted({c.lr for c in TRAINING_CONFIGS})
    slow, fast = runs_of(TrainConfig("he", False, lo)), runs_of(TrainConfig("he", False, hi))
    steps = [r.reached for r in slow if r.reached is not None]
    trains = int(claim_checks()["no_bn_reaches"].sum()) >= MAJORITY
    seed_dependent = bool(steps) and max(steps) >= 2 * min(steps)
    diverges = any(r.diverged for r in fast) and not any(r.diverged for r in slow)
    if not trains:
        return pick({"uk": f"Без нормалізації за lr = {fmt(lo, lang, 2)} мережа з ініціалізацією He "
                           "здебільшого не досягає порогу: «можна» тут вимагає ще більшої обережності.\n",
                     "en": f"Without normalization, at lr = {fmt(lo, lang, 2)}, the He network mostly "
                           "does not reach the target: here \"yes\" needs even more care.\n"}, lang)
    parts = []
    if seed_dependent:
        parts.append(pick({"uk": "її результат сильно залежить від зерна",
                           "en": "its result depends strongly on the seed"}, lang))
    if diverges:
        parts.append(pick({"uk": "за більшої швидкості навчання мережа може й розбігтися",
                           "en": "at the larger learning rate it can even diverge"}, lang))
    if not parts:
        parts.append(pick({"uk": "вона потребує ретельно дібраних ініціалізації та швидкості навчання",
                           "en": "it needs a carefully chosen initialization and learning rate"}, lang))
    head = pick({"uk": "Мережа з ініціалізацією He без нормалізації навчається — це і є «можна, але з "
                       "обережністю»: ",
                 "en": "The network with He initialization and no normalization does train, and this is "
                       "what “yes, with care” means: "}, lang)
    return head + pick({"uk": ", а ", "en": ", and "}, lang).join(parts) + ".\n"


def training_table(lang: str) -> str:
    """Markdown table of `training_experiment`: per config, steps to the level over the seeds.

    Examples:
        >>> "BatchNorm" in training_table("uk")
        True
    """
    check_lang(lang)
    level = fmt(LOSS_LEVEL, lang, 1)
    header = [pick({"uk": "мережа (ReLU, He)", "en": "network (ReLU, He)"}, lang),
              pick({"uk": "швидкість навчання (lr)", "en": "learning rate"}, lang),
              pick({"uk": f"кількість ітерацій до втрат < {level}: медіана (серед запусків, що досягли порогу)",
                     "en": f"iterations to loss < {level}: median (runs that reached it)"}, lang),
              pick({"uk": "діапазон", "en": "range"}, lang),
              pick({"uk": "досягли порогу", "en": "reached the target"}, lang),
              pick({"uk": "розбіглися", "en": "diverged"}, lang)]
    rows = []
    for cfg in TRAINING_CONFIGS:
        runs = runs_of(cfg)
        steps = [r.reached for r in runs if r.reached is not None]
        n = fmt_int(len(runs), lang)
        of = pick({"uk": " з ", "en": " of "}, lang)
        median = float(np.median(steps)) if steps else math.nan
        med = fmt(median, lang, 0 if median.is_integer() else 1) if steps else "—"
        span = f"{fmt_int(min(steps), lang)}–{fmt_int(max(steps), lang)}" if steps else "—"
        rows.append([_train_label(cfg, lang), fmt(cfg.lr, lang, 2), med, span,
                     fmt_int(len(steps), lang) + of + n,
                     fmt_int(sum(r.diverged for r in runs), lang) + of + n])
    return table(header, rows) + "\n"


def training_svg(lang: str) -> str:
    """Figure: iterations to the loss level for every seed and config (a dot per run).

    Examples:
        >>> "<title" in training_svg("uk")
        True
    """
    return _training_figures()[check_lang(lang)]


@cache
def _training_figures() -> dict[str, str]:
    """`training_svg` in every language, drawn once."""
    from matplotlib.figure import Figure

    from lessons.plotting import FigureText, figure_style, series_style, svg_figures, text_color

    texts = FigureText()
    steps = TRAINING["steps"]
    configs = TRAINING_CONFIGS[::-1]          # first config on top
    with figure_style(FONT), _grid_without_tick_marks():
        fig = Figure(figsize=(5.0, 3.9))
        ax = fig.add_axes((0.2, 0.36, 0.76, 0.6))
        offsets = np.linspace(-0.25, 0.25, SEEDS)
        for row, cfg in enumerate(configs):
            style = series_style(4 if cfg.batchnorm else 2)
            for run, dy in zip(runs_of(cfg), offsets):
                if run.diverged:
                    ax.plot(len(run.losses), row + dy, marker="X", markersize=9, linestyle="none",
                            color=style["color"], clip_on=False)
                elif run.reached is None:
                    ax.plot(steps, row + dy, marker=">", markersize=7, linestyle="none",
                            color=style["color"], clip_on=False)
                else:
                    ax.plot(run.reached, row + dy, marker=style.get("marker") or "o", markersize=6,
                            linestyle="none", color=style["color"])
        ax.set_yticks(range(len(configs)))
        ax.set_yticklabels([texts({lang: "lr = " + fmt(c.lr, lang, 2) for lang in texts.langs})
                            for c in configs])
        # each pair of rows is named between its rows, where the dots of the other group are not:
        # the BatchNorm runs finish early (name on the right), the others late (name on the left)
        for bn in (True, False):
            rows = [i for i, c in enumerate(configs) if c.batchnorm == bn]
            name = texts({lang: _train_label(TrainConfig("he", bn, 0.0), lang) for lang in texts.langs})
            ax.text(steps - 2 if bn else 3, float(np.mean(rows)), name, ha="right" if bn else "left",
                    va="center", fontsize=FONT - 1, color=text_color(4 if bn else 2),
                    fontweight="bold")
        ax.set_ylim(-0.6, len(configs) - 0.4)
        ax.set_xlim(0, steps + 4)
        ax.set_xlabel(texts({"uk": "ітерація, на якій втрати вперше < " + fmt(LOSS_LEVEL, "uk", 1),
                             "en": "first iteration with loss < " + fmt(LOSS_LEVEL, "en", 1)}))
        legend = {"uk": "× розбіжність    ▶ порогу не досягнуто", "en": "× diverged    ▶ target not reached"}
        ax.text(0.0, -0.42, texts(legend), transform=ax.transAxes, ha="left", va="top", fontsize=FONT - 1)
        title = {"uk": "Навчання глибокої мережі з BatchNorm і без нього: шість зерен",
                 "en": "Training the deep network with and without BatchNorm: six seeds"}
        desc = {}
        for lang in texts.langs:
            per_seed = pick({"uk": f"Кожна точка — один запуск ({count(SEEDS, _SEEDS_NOM, lang)} на рядок): номер ітерації, на "
                                   f"якій втрати вперше опустилися нижче {fmt(LOSS_LEVEL, lang, 1)}. ",
                             "en": f"Each dot is one run ({count(SEEDS, _SEEDS_NOM, lang)} per row): the iteration at which the "
                                   f"loss first fell below {fmt(LOSS_LEVEL, lang, 1)}. "}, lang)
            desc[lang] = per_seed + " ".join(training_claims(lang) + [training_spread(lang)])
        return svg_figures(fig, texts, title=title, desc=desc, id_prefix="fig-training", tight=False)


# ---------------------------------------------------------------------------------------
# 2.3  what p = 0.7 means
# ---------------------------------------------------------------------------------------

@cache
def dropout_measurement(p: float = 0.7, units: int = 100_000, seed: int = 7) -> dict:
    """Dropout with drop probability ``p`` applied to ``units`` ones: zero share and means.

    Examples:
        >>> m = dropout_measurement()
        >>> abs(m["zero_share"] - 0.7) < 0.01, abs(m["mean_scaled"] - 1.0) < 0.03
        (True, True)
    """
    x = np.ones(units)
    mask = dropout_mask(units, p, np.random.default_rng(seed))
    kept = mask > 0
    unscaled = x * kept
    scaled = dropout(x, p, rng=np.random.default_rng(seed))
    return {
        "p": p, "units": units, "zero_share": float(np.mean(~kept)),
        "mean_in": float(x.mean()), "mean_unscaled": float(unscaled.mean()),
        "mean_scaled": float(scaled.mean()), "survivor": float(scaled[kept][0]),
        "same_mask": bool(np.array_equal(scaled > 0, kept)),
    }


def dropout_table(lang: str) -> str:
    """Markdown table of `dropout_measurement`.

    Examples:
        >>> len(dropout_table("en").splitlines())   # header, rule, six rows
        8
    """
    check_lang(lang)
    m = dropout_measurement()
    header = [pick({"uk": "величина", "en": "quantity"}, lang), pick({"uk": "значення", "en": "value"}, lang)]
    rows = [
        [pick({"uk": "кількість нейронів (усі значення дорівнюють 1)", "en": "units (all equal to 1)"}, lang), fmt_int(m["units"], lang)],
        [pick({"uk": "частка занулених", "en": "fraction zeroed"}, lang), fmt(100 * m["zero_share"], lang, 2) + _percent(lang)],
        [pick({"uk": "середнє до dropout", "en": "mean before dropout"}, lang), fmt(m["mean_in"], lang, 3)],
        [pick({"uk": "середнє після маски, без масштабування", "en": "mean after the mask, unscaled"}, lang), fmt(m["mean_unscaled"], lang, 3)],
        [pick({"uk": "значення вцілілого нейрона: 1 / (1 − p)", "en": "value of a surviving unit: 1 / (1 − p)"}, lang), fmt(m["survivor"], lang, 3)],
        [pick({"uk": "середнє після оберненого масштабування", "en": "mean after inverted scaling"}, lang), fmt(m["mean_scaled"], lang, 3)],
    ]
    return table(header, rows) + "\n"


# ---------------------------------------------------------------------------------------
# 2.4  dropout at inference: by accident, and on purpose (MC dropout)
# ---------------------------------------------------------------------------------------

MC = dict(points=40, low=-2.0, high=2.0, noise=0.1, freq=1.5, p=0.1, width=64, steps=800,
          lr=0.015, grid_low=-4.0, grid_high=4.0, grid=61, passes=200, seed=3)


def _target(x: np.ndarray) -> np.ndarray:
    return np.sin(MC["freq"] * x)


@cache
def _regression_net() -> tuple[MLP, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(MC["seed"])
    x = np.sort(rng.uniform(MC["low"], MC["high"], MC["points"]))[:, None]
    y = _target(x) + MC["noise"] * rng.normal(size=x.shape)
    net = MLP([1, MC["width"], MC["width"], 1], init="he", activation="relu", dropout=MC["p"],
              rng=MC["seed"] + 1)
    train(net, x, y, loss="mse", steps=MC["steps"], lr=MC["lr"], rng=MC["seed"] + 2)
    return net, x, y


class McResult(NamedTuple):
    grid: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    x_train: np.ndarray
    y_train: np.ndarray
    inside: np.ndarray       # grid points within the training range


@cache
def mc_dropout_experiment() -> McResult:
    """MC-dropout mean and std of the small regression net on a grid wider than its data.

    Examples:
        >>> r = mc_dropout_experiment()
        >>> bool(r.std[~r.inside].mean() > r.std[r.inside].mean())
        True
    """
    net, x, y = _regression_net()
    grid = np.linspace(MC["grid_low"], MC["grid_high"], MC["grid"])[:, None]
    mean, std = mc_dropout_predict(lambda g, r: net.predict(g, rng=r, dropout=True), grid,
                                   passes=MC["passes"], rng=MC["seed"] + 3)
    inside = (grid[:, 0] >= MC["low"]) & (grid[:, 0] <= MC["high"])
    return McResult(grid[:, 0], mean[:, 0], std[:, 0], x[:, 0], y[:, 0], inside)


X_QUERY = 1.0


@cache
def inference_dropout_demo(calls: int = 5, passes: int = 100) -> dict:
    """One input (x = 1) predicted repeatedly: eval mode, dropout left on, dropout on and rescaled.

    "Rescaled" mixes conventions: the masks stay on at inference *and* the activations are
    multiplied by the keep probability 1 − p, the test-time rule of non-inverted dropout.

    Examples:
        >>> d = inference_dropout_demo()
        >>> d["eval"]["std"] < 1e-12, d["dropout"]["std"] > 0   # BLAS may differ in the last bit
        (True, True)
    """
    net, _, _ = _regression_net()
    rng = np.random.default_rng(MC["seed"] + 11)
    keep = 1.0 - net.dropout

    def rescaled(xx, r):
        # masks on, and every hidden activation multiplied by 1 - p (keep probability)
        h = xx
        for i in range(net.depth):
            z = h @ net.params[f"W{i}"] + net.params[f"b{i}"]
            h = np.maximum(z, 0.0) * dropout_mask(z.shape, net.dropout, r) * keep
        return h @ net.params[f"W{net.depth}"] + net.params[f"b{net.depth}"]

    ways = {
        "eval": lambda xx, r: net.predict(xx),
        "dropout": lambda xx, r: net.predict(xx, rng=r, dropout=True),
        "rescaled": rescaled,
    }
    out = {"x": X_QUERY, "target": float(_target(np.array(X_QUERY))), "p": net.dropout, "passes": passes}
    # every row of the batch draws its own masks, so one pass over calls + passes copies of
    # the input is the same as calls + passes separate calls (and much faster)
    batch = np.full((calls + passes, 1), X_QUERY)
    for name, f in ways.items():
        values = f(batch, rng)[:, 0]
        first, many = values[:calls], values[calls:]
        # std of the deviations from the first draw: exactly 0 when every call agrees
        out[name] = {"calls": [float(v) for v in first], "mean": float(many.mean()),
                     "std": float((many - many[0]).std()), "min": float(many.min()),
                     "max": float(many.max())}
    return out


def inference_dropout_table(lang: str) -> str:
    """Markdown table of `inference_dropout_demo`.

    Examples:
        >>> len(inference_dropout_table("uk").splitlines())
        5
    """
    check_lang(lang)
    d = inference_dropout_demo()
    header = [pick({"uk": "спосіб виклику", "en": "how it is called"}, lang),
              pick({"uk": "п'ять викликів поспіль", "en": "five calls in a row"}, lang),
              pick({"uk": "середнє зі 100 викликів", "en": "mean of 100 calls"}, lang),
              pick({"uk": "ст. відхилення", "en": "std"}, lang)]
    names = {
        "eval": {"uk": "режим оцінювання (dropout вимкнено)", "en": "evaluation mode (dropout off)"},
        "dropout": {"uk": "dropout залишено увімкненим", "en": "dropout left on"},
        "rescaled": {"uk": "dropout увімкнено, активації ще й помножено на 1 − p",
                     "en": "dropout on, activations also multiplied by 1 − p"},
    }
    rows = []
    for key in ("eval", "dropout", "rescaled"):
        r = d[key]
        rows.append([pick(names[key], lang), _numbers(r["calls"], lang, 2), fmt(r["mean"], lang, 3),
                     fmt(r["std"], lang, 3)])
    return table(header, rows, "llrr") + "\n"


def inference_dropout_text(lang: str) -> str:
    """The sentences under `inference_dropout_table`: evaluation mode is fixed, dropout is random.

    "Close" is said only if the mean of the passes with dropout on is within four standard
    errors of the evaluation-mode answer.

    Examples:
        >>> inference_dropout_text("en").startswith("In evaluation mode")
        True
    """
    check_lang(lang)
    d = inference_dropout_demo()
    answer = fmt(d["eval"]["mean"], lang, 2)
    se = d["dropout"]["std"] / math.sqrt(d["passes"])
    close = abs(d["dropout"]["mean"] - d["eval"]["mean"]) < 4 * se
    mean = pick({"uk": f"середнє багатьох викликів близьке до відповіді в режимі оцінювання ({answer})",
                 "en": f"the mean of many calls is close to the evaluation-mode answer ({answer})"}
                if close else
                {"uk": f"навіть середнє багатьох викликів відрізняється від відповіді в режимі "
                       f"оцінювання ({answer})",
                 "en": f"even the mean of many calls differs from the evaluation-mode answer ({answer})"}, lang)
    return pick({"uk": "У режимі оцінювання відповідь щоразу та сама. З увімкненим dropout кожен виклик "
                       f"дає інше число: {mean}, але кожен окремий прогноз — випадкова величина.\n",
                 "en": "In evaluation mode the answer is the same every time. With dropout on, every call "
                       f"gives a different number: {mean}, but each single prediction is a random "
                       "variable.\n"}, lang)


def mc_dropout_table(lang: str) -> str:
    """Markdown table: mean MC-dropout std inside the training range and outside it.

    Examples:
        >>> len(mc_dropout_table("en").splitlines())
        4
    """
    check_lang(lang)
    r = mc_dropout_experiment()
    lo, hi = fmt(MC["low"], lang, 0), fmt(MC["high"], lang, 0)
    header = [pick({"uk": "ділянка", "en": "region"}, lang),
              pick({"uk": "середнє ст. відхилення прогнозу", "en": "mean std of the prediction"}, lang)]
    rows = [
        [pick({"uk": f"у межах навчальних даних ({lo} ≤ x ≤ {hi})", "en": f"within the training range ({lo} ≤ x ≤ {hi})"}, lang),
         fmt(float(r.std[r.inside].mean()), lang, 3)],
        [pick({"uk": "поза ними", "en": "outside the training range"}, lang), fmt(float(r.std[~r.inside].mean()), lang, 3)],
    ]
    return table(header, rows) + "\n"


def mc_dropout_svg(lang: str) -> str:
    """Figure: MC-dropout mean ± 2 std over a grid, the training points and the true curve.

    Examples:
        >>> "fig-mc" in mc_dropout_svg("en")
        True
    """
    return _mc_dropout_figures()[check_lang(lang)]


@cache
def _mc_dropout_figures() -> dict[str, str]:
    """`mc_dropout_svg` in every language, drawn once."""
    from matplotlib.figure import Figure

    from lessons.plotting import PALETTE, FigureText, figure_style, series_style, svg_figures

    texts = FigureText()
    r = mc_dropout_experiment()
    with figure_style(FONT), _grid_without_tick_marks():
        fig = Figure(figsize=(5.0, 4.2))
        ax = fig.add_axes((0.15, 0.31, 0.82, 0.66))
        for lo, hi in ((MC["grid_low"], MC["low"]), (MC["high"], MC["grid_high"])):
            ax.axvspan(lo, hi, color="#8C8C8C", alpha=0.12, linewidth=0)
        ax.fill_between(r.grid, r.mean - 2 * r.std, r.mean + 2 * r.std, color=PALETTE[1], alpha=0.28,
                        linewidth=0, label=texts({"uk": "середнє ± 2σ", "en": "mean ± 2σ"}))
        ax.plot(r.grid, _target(r.grid), color="#8C8C8C", linestyle=(0, (4, 2)),
                linewidth=1.5, label=texts({"uk": "справжня крива sin(1,5x)", "en": "true sin(1.5x)"}))
        style = series_style(1) | {"marker": None, "linestyle": "-"}
        ax.plot(r.grid, r.mean, label=texts({"uk": "середнє MC dropout", "en": "MC dropout mean"}), **style)
        ax.plot(r.x_train, r.y_train, linestyle="none", marker="o", markersize=4.5, color=PALETTE[3],
                label=texts({"uk": "навчальні точки", "en": "training points"}))
        ax.set_xlim(MC["grid_low"], MC["grid_high"])
        ax.set_xlabel(texts({"uk": "вхід x", "en": "input x"}))
        ax.set_ylabel(texts({"uk": "прогноз", "en": "prediction"}))
        ax.xaxis.set_major_formatter(texts.formatter(lambda v, lang: fmt(v, lang, 0)))
        ax.yaxis.set_major_formatter(texts.formatter(lambda v, lang: fmt(v, lang, 1)))
        ax.text(0.02, 0.97, texts({"uk": "немає даних", "en": "no data"}), transform=ax.transAxes,
                va="top", ha="left", fontsize=FONT - 1, alpha=0.8)
        ax.text(0.98, 0.97, texts({"uk": "немає даних", "en": "no data"}), transform=ax.transAxes,
                va="top", ha="right", fontsize=FONT - 1, alpha=0.8)
        fig.legend(*ax.get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.5, 0.0),
                   ncol=2, fontsize=FONT - 1, handlelength=2.6, columnspacing=1.0)
        title = {"uk": "Monte Carlo dropout: середнє й розкид прогнозу",
                 "en": "Monte Carlo dropout: the mean and spread of the prediction"}
        desc = {
            "uk": ("Навчальні точки лежать між −2 і 2 поблизу кривої sin(1,5x). Середнє "
                   f"{MC['passes']} проходів із "
                   "увімкненим dropout тримається поблизу кривої там, де є дані; смуга ±2σ "
                   "вузька в межах даних і розширюється ліворуч і праворуч від них, у "
                   "затінених ділянках без даних."),
            "en": ("The training points lie between −2 and 2 near the curve sin(1.5x). The mean of "
                   f"{MC['passes']} passes with dropout on follows the curve where there is data; the band "
                   "of ±2 standard deviations is narrow within the range of the data and widens to the left and "
                   "right of it, in the shaded regions without data."),
        }
        return svg_figures(fig, texts, title=title, desc=desc, id_prefix="fig-mc", tight=False)
