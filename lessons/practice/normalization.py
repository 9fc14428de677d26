"""Exercise kinds of Lesson 2: BatchNorm by hand, dropout in numbers, and the ideas of 2.1–2.4.

* ``normalization.batchnorm``: one training step of a ``BatchNorm1d(1)`` layer on a small
  mini-batch. The student gives the batch mean, the biased batch variance the layer
  normalizes with, the normalized values x̂, the outputs y = γ·x̂ + β, and the running mean
  and variance after the step (PyTorch's convention: momentum 0.1 is the weight of the new
  batch statistic, and the running variance averages the *unbiased* batch variance). Every
  answer is read off :class:`lessons.normalization.BatchNorm1d`; variant 0 is the lesson's
  mini-batch A.
* ``normalization.dropout``: what a dropout value means in one framework (the table
  ``CONVENTIONS``): the probability that a unit is kept, the factor a kept activation is
  multiplied by in training, its expected value in training, and the factor at inference.
  The original paper (Srivastava et al., 2014) writes p for the probability of *keeping* a
  unit and scales at test time; the frameworks scale in training ("inverted" dropout).
* ``normalization.choice``: choice questions on the ideas of sections 2.1–2.4, every option
  explained; variant 0 is the lesson's own example (one sample in two mini-batches).

numpy (through ``lessons.normalization`` and ``lessons.dropout``) is imported only where a
variant is computed: ``lessons.practice.catalog`` imports every kind module, and Lesson 1's
page must still render without numpy.

The variants are fixed, deterministic lists: inputs are small integers or one-decimal
numbers, and a candidate is kept only if every typical mistake lies clearly apart from the
answer and from the step-rounded value (so a hint never fires on a right answer).
"""

from __future__ import annotations

import functools
import math
import numbers
import random
import statistics
from typing import NamedTuple

from lessons.i18n import check_lang, fmt, pick
from lessons.practice import Field, Kind, Option, Variant, variant_index

__all__ = ["BATCHNORM", "CHOICE", "CONVENTIONS", "DROPOUT", "EPS", "KINDS", "MOMENTUM",
           "QUESTIONS", "batchnorm_step", "dropout_answers", "stepwise_batchnorm"]

EPS, MOMENTUM = 1e-5, 0.1            # PyTorch's defaults, named in the statement
DIGITS, RUNNING_DIGITS = 2, 3        # the running statistics carry the momentum's extra decimal
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num(x: float, lang: str) -> str:
    """A given value as short as it is exact: 3, −1,5, 0,25."""
    for digits in range(3):
        if abs(round(x, digits) - x) < 1e-9:
            return fmt(x, lang, digits)
    return fmt(x, lang, 2)


def _eq(x: float, digits: int) -> str:
    """"=" where the number shown with ``digits`` decimals is the value itself, else "≈"."""
    return "=" if abs(round(x, digits) - x) < 1e-9 else "≈"


def _rel(shown_operands: float, result: float, digits: int) -> str:
    """"=" where the arithmetic on the operands as shown gives the result as shown (with
    ``digits`` decimals) exactly, else "≈": 1,2292 × 6/5 ≈ 1,4750, but 0,9 × 2 + 0,1 × 1,92
    = 1,992 even though 1,92 is a rounded mean."""
    return "=" if abs(shown_operands - round(result, digits)) < 1e-9 else "≈"


def _list(values, lang: str) -> str:
    """Values one after another: "3; 1; 0; 2" (a comma is the Ukrainian decimal sign)."""
    return ("; " if lang == "uk" else ", ").join(_num(v, lang) for v in values)


def _keep_apart(answer: float, stepwise: float | None, mistakes, digits: int) -> bool:
    """True if no value a student might type is within two tolerances of another one."""
    tol = 0.5 * 10 ** -digits
    values = [answer] + ([stepwise] if stepwise is not None else []) + [m for m, _ in mistakes]
    return all(abs(a - b) > 2 * tol + 1e-9 for i, a in enumerate(values) for b in values[i + 1:])


def _readable(x: float, digits: int) -> bool:
    """Exactly 0, or far enough from 0 that its rounding shows a digit (never −0,00)."""
    return x == 0.0 or abs(x) >= 10 ** -digits


def _check_params(params: object, keys: tuple[str, ...]) -> dict:
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    missing = [k for k in keys if k not in params]
    if missing:
        raise ValueError(f"params must have the keys {list(keys)}; missing {missing}")
    return params


def _real(params: dict, key: str) -> float:
    v = params[key]
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"params[{key!r}] must be a real number, got {type(v).__name__}")
    if not math.isfinite(v):
        raise ValueError(f"params[{key!r}] must be finite, got {v!r}")
    return float(v)


# ==== normalization.batchnorm ================================================================

class BatchNormStep(NamedTuple):
    mean: float
    var: float            # biased: the one the layer normalizes with
    unbiased: float       # var · N / (N − 1): the one the running variance averages
    std: float            # sqrt(var + eps)
    xhat: tuple[float, ...]
    y: tuple[float, ...]
    running_mean: float
    running_var: float


def _clean(x: float) -> float:
    """0.0 for a float-noise residue of an exact zero (x̂ of a value equal to the mean)."""
    return 0.0 if abs(x) < 1e-12 else float(x)


def _batch(params: object) -> tuple[list[float], float, float, float, float]:
    p = _check_params(params, ("x", "gamma", "beta", "running_mean", "running_var"))
    x = p["x"]
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"params['x'] must be a list of numbers, got {type(x).__name__}")
    if not 2 <= len(x) <= 8 or len(set(x)) < 2:
        raise ValueError(f"params['x'] must hold 2 to 8 numbers, not all equal, got {x!r}")
    xs = [_real({"x": v}, "x") for v in x]
    gamma, beta, rm, rv = (_real(p, k) for k in ("gamma", "beta", "running_mean", "running_var"))
    if rv <= 0:
        raise ValueError(f"params['running_var'] must be positive, got {rv!r}")
    return xs, gamma, beta, rm, rv


def batchnorm_step(params: dict) -> BatchNormStep:
    """One training step of ``BatchNorm1d(1)`` (ε = 1e-5, momentum 0.1) on the variant's batch.

    Examples:
        >>> s = batchnorm_step({"x": [3, 1, 0, 2], "gamma": 2, "beta": 0.5,
        ...                     "running_mean": 0, "running_var": 1})
        >>> round(s.mean, 4), round(s.var, 4), round(s.running_mean, 4), round(s.running_var, 4)
        (1.5, 1.25, 0.15, 1.0667)
    """
    xs, gamma, beta, rm, rv = _batch(params)
    return _step(tuple(xs), gamma, beta, rm, rv)


@functools.lru_cache(maxsize=4096)
def _step(xs: tuple[float, ...], gamma: float, beta: float, rm: float,
          rv: float) -> BatchNormStep:
    """batchnorm_step on validated numbers, cached: the variant filter asks for the same
    step several times (an immutable result, so sharing it is safe)."""
    import numpy as np

    from lessons.normalization import BatchNorm1d

    x = np.array(xs)[:, None]
    bn = BatchNorm1d(1, eps=EPS, momentum=MOMENTUM)
    bn.gamma, bn.beta = np.array([gamma], dtype=float), np.array([beta], dtype=float)
    bn.running_mean, bn.running_var = np.array([rm], dtype=float), np.array([rv], dtype=float)
    out, cache = bn.forward(x)
    n = x.shape[0]
    var = float(cache.var[0])
    return BatchNormStep(
        mean=_clean(cache.mean[0]), var=var, unbiased=var * n / (n - 1),
        std=float(1 / cache.inv_std[0]), xhat=tuple(_clean(v) for v in cache.xhat[:, 0]),
        y=tuple(_clean(v) for v in out[:, 0]), running_mean=_clean(bn.running_mean[0]),
        running_var=float(bn.running_var[0]))


def _half_up(x: float, digits: int = DIGITS) -> float:
    """``x`` rounded as by hand: a 5 in the next place rounds away from zero (1.125 → 1.13)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def stepwise_batchnorm(params: dict) -> dict[str, float]:
    """What a student gets who rounds the mean, the variance, the square root and each x̂ to
    two decimals (by hand, half up) before going on, keyed as the fields are; the last
    step of each answer is left exact (the checker's tolerance is that rounding).

    Examples:
        >>> s = stepwise_batchnorm({"x": [3, 1, 0, 2], "gamma": 2, "beta": 0.5,
        ...                         "running_mean": 0, "running_var": 1})
        >>> s["xhat2"], s["y2"], round(s["running_var"], 4)
        (-0.45, -0.4, 1.067)
    """
    xs, gamma, beta, rm, rv = _batch(params)
    n, r = len(xs), _half_up
    mu = r(sum(xs) / n)
    var = r(sum((v - mu) ** 2 for v in xs) / n)
    std = r(math.sqrt(var + EPS))
    out = {"mean": mu, "var": var}
    for i, v in enumerate(xs, 1):
        xhat = r((v - mu) / std)
        out[f"xhat{i}"] = xhat
        out[f"y{i}"] = gamma * xhat + beta
    m = MOMENTUM
    out["running_mean"] = (1 - m) * rm + m * mu
    out["running_var"] = (1 - m) * rv + m * r(var * n / (n - 1))
    return out


def _bn_fields(params: dict) -> list[tuple[str, int, float, float | None, list, str]]:
    """(key, digits, answer, stepwise or None, [(mistake, hint key)], default hint key)."""
    s, step = batchnorm_step(params), stepwise_batchnorm(params)
    g, b, rm, rv = (params[k] for k in ("gamma", "beta", "running_mean", "running_var"))
    m = MOMENTUM
    x = [float(v) for v in params["x"]]
    rows = [("mean", DIGITS, s.mean, [], "mean_rule"),
            ("var", DIGITS, s.var, [(math.sqrt(s.var), "std_not_var"),
                                    (s.unbiased, "unbiased_norm")], "var_rule")]
    for i, (v, xh, y) in enumerate(zip(x, s.xhat, s.y), 1):
        rows.append((f"xhat{i}", DIGITS, xh, [((v - s.mean) / (s.var + EPS), "by_var")],
                     "xhat_rule"))
        rows.append((f"y{i}", DIGITS, y, [(xh, "no_gamma_beta"), (b * xh + g, "swapped")],
                     "y_rule"))
    rows.append(("running_mean", RUNNING_DIGITS, s.running_mean,
                 [(m * rm + (1 - m) * s.mean, "flipped")], "rmean_rule"))
    rows.append(("running_var", RUNNING_DIGITS, s.running_var,
                 [((1 - m) * rv + m * s.var, "biased_running"),
                  (m * rv + (1 - m) * s.unbiased, "flipped")], "rvar_rule"))
    out = []
    for key, digits, answer, mistakes, hint in rows:
        sw = step[key]
        if abs(sw - answer) <= 0.5 * 10 ** -digits + 1e-9:
            sw = None
        out.append((key, digits, answer, sw, mistakes, hint))
    return out


def _tie(x: float, digits: int) -> bool:
    """True if ``x`` lies on a rounding tie at ``digits`` decimals (0,6575 at three): by hand
    it rounds up, in floating point either way, so no shown number may be one."""
    scaled = abs(x) * 10 ** digits
    return abs(scaled - math.floor(scaled) - 0.5) < 1e-6


def _agree(shown_operands: float, exact: float, digits: int) -> bool:
    """True if the arithmetic on the operands as the solution shows them and the exact value
    round to the same number, and neither is a tie: then "a × b ≈ c" holds both ways."""
    return (not _tie(shown_operands, digits) and not _tie(exact, digits)
            and round(shown_operands, digits) == round(exact, digits))


def _bn_consistent(params: dict, outputs: bool = True) -> bool:
    """The solution's steps hold as shown: no shown number is a rounding tie, and every line
    "operands = result" / "≈ result" gives, from its operands as shown, the result shown (the
    exact value rounded). A candidate that breaks this is skipped, not explained: 2,7847 × 6/5
    is 3,3416 to four places while the exact unbiased variance is 3,3417. ``outputs=False``
    leaves out the outputs y, the only part that depends on γ and β."""
    s, r = batchnorm_step(params), round
    x = [float(v) for v in params["x"]]
    n, k, m = len(x), 1 - MOMENTUM, MOMENTUM
    shown = [(s.mean, DIGITS), (s.var, DIGITS), (s.running_mean, RUNNING_DIGITS),
             (s.running_var, RUNNING_DIGITS)]
    shown += [(v - s.mean, 2) for v in x]
    shown += [(v, d) for v in s.xhat + (s.y if outputs else ()) for d in (DIGITS, 4)]
    lines = [(sum(r(v - s.mean, 2) ** 2 for v in x) / n, s.var, 4),
             (math.sqrt(r(s.var, 4) + EPS), s.std, 4),
             (k * params["running_mean"] + m * r(s.mean, 2), s.running_mean, RUNNING_DIGITS),
             (r(s.var, 4) * n / (n - 1), s.unbiased, 4),
             (k * params["running_var"] + m * r(s.unbiased, 4), s.running_var, RUNNING_DIGITS)]
    return (not any(_tie(v, d) for v, d in shown)
            and all(_agree(a, b, d) for a, b, d in lines))


def _bn_fine(params: dict) -> tuple[bool, bool]:
    """(the candidate reads well and its hints never fire on a right answer, rounding every
    step changes one of its answers)."""
    if not _bn_consistent(params):
        return False, False
    fields = _bn_fields(params)
    fine = all(
        _keep_apart(a, sw, mis, d) and _readable(a, d) and (sw is None or _readable(sw, d))
        and all(_readable(v, d) for v, _ in mis) for _, d, a, sw, mis, _ in fields)
    return fine, any(sw is not None for _, _, _, sw, _, _ in fields)


# the lesson's mini-batch A (lessons.pages.normalization.BATCH_A), with a γ and β that show
_BN_FIRST = {"x": [3, 1, 0, 2], "gamma": 2, "beta": 0.5, "running_mean": 0, "running_var": 1}
_BN_COUNT = 36
_GAMMAS = (2, 0.5, 1.5, 3, 2.5, 1.2, 0.8)
_BETAS = (1, -0.5, 0.5, 2, -1, 1.5)
_RUNNING = ((0, 1), (1, 2), (0, 1), (2, 0.5), (-1, 1.5), (0.5, 4), (3, 2))


@functools.cache
def _bn_variants() -> tuple[dict, ...]:
    """Variant 0 and then candidates drawn from a seeded generator, in order, kept while
    they read well: 4 to 6 distinct values (integers, every fourth batch in halves).

    Each candidate tries the γ values least used so far first, so that no γ fills the list
    (a small γ passes the filter most easily: it keeps the step-rounded y within the
    tolerance). At least every fourth variant is one where rounding every step changes an
    answer (the trap the stepwise hint explains); such candidates are rare, so while the list
    has too few of them, only they are kept."""
    rng = random.Random(12)
    found, k, trapped = [_BN_FIRST], 0, 0
    used = dict.fromkeys(_GAMMAS, 0)
    while len(found) < _BN_COUNT:
        k += 1
        if k > 5000:
            raise RuntimeError(f"only {len(found)} BatchNorm variants, _BN_COUNT is {_BN_COUNT}")
        n = (4, 5, 4, 6)[k % 4]
        x = rng.sample(range(-2, 10), n)
        if k % 4 == 3:
            x = [v / 2 for v in x]
        if not 0.8 <= statistics.pstdev(x) <= 3.5:
            continue
        rm, rv = _RUNNING[k % len(_RUNNING)]
        beta = _BETAS[k % len(_BETAS)]
        base = {"x": [v if isinstance(v, int) or not v.is_integer() else int(v) for v in x],
                "gamma": 1, "beta": beta, "running_mean": rm, "running_var": rv}
        if not _bn_consistent(base, outputs=False):
            continue                # its statistics break the solution's steps for any γ
        turn = {g: (i - k) % len(_GAMMAS) for i, g in enumerate(_GAMMAS)}
        need_trap = trapped < (len(found) + 1) // 4
        for gamma in sorted(_GAMMAS, key=lambda g: (used[g], turn[g])):
            params = {**base, "gamma": gamma}
            # γ = β would make "swapped" give the right y; γ = −β would make it give −y, so a
            # student who only slipped a sign on y would be told γ and β were swapped
            if gamma in (beta, -beta):
                continue
            ok, trap = _bn_fine(params)
            if ok and (trap or not need_trap):
                found.append(params)
                used[gamma] += 1
                trapped += trap
                break
    return tuple(found)


_BN_T = {
    "title": {"uk": "Пакетна нормалізація вручну", "en": "Batch normalization by hand"},
    "prompt": {
        "uk": "<p>Шар <code>BatchNorm1d(1)</code> у режимі навчання отримує міні-пакет з "
              "N = {n} значень однієї ознаки: {xs}. Параметри шару: γ = {g} і β = {b}; стала "
              "ε = 10⁻⁵. До цього кроку ковзне середнє дорівнювало {rm}, а ковзна дисперсія — "
              "{rv}. Імпульс (momentum) — {m}; ковзні статистики шар оновлює так, як у "
              "PyTorch.</p><p>Знайдіть середнє μ і дисперсію σ², за якими шар нормалізує "
              "міні-пакет, нормалізовані значення x̂, виходи y, а "
              "також ковзне середнє й ковзну дисперсію після цього кроку. Ковзні статистики "
              "запишіть із трьома знаками після коми, решту — з двома.</p>",
        "en": "<p>A <code>BatchNorm1d(1)</code> layer in training mode receives a mini-batch of "
              "N = {n} values of a single feature: {xs}. The layer's parameters are γ = {g} and "
              "β = {b}, and the constant ε is 10⁻⁵. Before this step the running mean was {rm} and the running "
              "variance {rv}. The momentum is {m}, and the layer updates its running statistics "
              "as PyTorch does.</p><p>Find the mini-batch mean μ and "
              "variance σ² the layer normalizes with, the normalized values x̂, the outputs y, "
              "and the running mean and running variance after this step. Give the running "
              "statistics to three decimal places and the rest to two.</p>",
    },
    "mean": {"uk": "Середнє μ", "en": "Mean μ"},
    "var": {"uk": "Дисперсія σ²", "en": "Variance σ²"},
    "running_mean": {"uk": "Ковзне середнє", "en": "Running mean"},
    "running_var": {"uk": "Ковзна дисперсія", "en": "Running variance"},
    "mean_rule": {"uk": "μ — середнє арифметичне міні-пакета: сума значень, поділена на N.",
                  "en": "μ is the mini-batch average: the sum of the values divided by N."},
    "var_rule": {"uk": "σ² — середнє квадратів відхилень від μ: суму (x − μ)² ділять на N.",
                 "en": "σ² is the mean of the squared deviations from μ: the sum of (x − μ)² "
                       "divided by N."},
    "std_not_var": {"uk": "Це стандартне відхилення σ, а потрібна дисперсія σ², тобто його "
                          "квадрат.",
                    "en": "That is the standard deviation σ; the variance σ² is its square."},
    "unbiased_norm": {"uk": "Це незміщена дисперсія (ділення на N − 1). Для нормалізації "
                            "беруть зміщену: суму (x − μ)² ділять на N.",
                      "en": "That is the unbiased variance (divided by N − 1). The layer "
                            "normalizes with the biased one: the sum of (x − μ)² divided by N."},
    "xhat_rule": {"uk": "x̂ = (x − μ) / √(σ² + ε).", "en": "x̂ = (x − μ) / √(σ² + ε)."},
    "by_var": {"uk": "Ви поділили на дисперсію. Ділити треба на стандартне відхилення "
                     "√(σ² + ε).",
               "en": "You divided by the variance. Divide by the standard deviation "
                     "√(σ² + ε)."},
    "y_rule": {"uk": "y = γ·x̂ + β.", "en": "y = γ·x̂ + β."},
    "no_gamma_beta": {"uk": "Це x̂. Вихід шару — γ·x̂ + β.",
                      "en": "That is x̂. The layer's output is γ·x̂ + β."},
    "swapped": {"uk": "γ і β помінялися місцями: на γ множать, а β додають.",
                "en": "γ and β are swapped: γ multiplies, β is added."},
    "rmean_rule": {"uk": "Ковзне середнє = {k} × попереднє + {m} × μ.",
                   "en": "Running mean = {k} × its previous value + {m} × μ."},
    "rvar_rule": {"uk": "Ковзна дисперсія = {k} × попередня + {m} × σ² × N / (N − 1).",
                  "en": "Running variance = {k} × its previous value + {m} × σ² × N / (N − 1)."},
    "flipped": {"uk": "Ви прочитали імпульс навпаки, як momentum у Keras. У PyTorch {m} — вага "
                      "нової статистики міні-пакета, а попереднє значення множать на {k}.",
                "en": "You read the momentum the other way round, as Keras does. In PyTorch, "
                      "{m} is the weight of the new mini-batch statistic, and the previous "
                      "value is multiplied by {k}."},
    "biased_running": {"uk": "Ви взяли зміщену дисперсію. Ковзна дисперсія в PyTorch усереднює "
                             "незміщену: σ² × N / (N − 1).",
                       "en": "You used the biased variance. PyTorch's running variance "
                             "averages the unbiased one: σ² × N / (N − 1)."},
    # the solution
    "sol_mean": {"uk": "Середнє", "en": "Mean"},
    "sol_var": {"uk": "Дисперсія (ділимо на N)", "en": "Variance (divided by N)"},
    "sol_run": {"uk": "Ковзне середнє", "en": "Running mean"},
    "sol_unbiased": {"uk": "Незміщена дисперсія", "en": "Unbiased variance"},
    "sol_rvar": {"uk": "ковзна дисперсія", "en": "running variance"},
}


def _bn_t(key: str, lang: str) -> str:
    m = MOMENTUM
    return pick(_BN_T[key], lang).format(m=fmt(m, lang, 1), k=fmt(1 - m, lang, 1))


def _bn_params(i: int) -> dict:
    variants = _bn_variants()
    return variants[variant_index(i, len(variants))]


def _paren(x: float, lang: str, digits: int) -> str:
    text = fmt(x, lang, digits)
    return f"({text})" if text.startswith("−") else text


def _bn_solution(params: dict, s: BatchNormStep, lang: str) -> str:
    x = [float(v) for v in params["x"]]
    n = len(x)
    plus = " + ".join(_paren(v, lang, 0) if v.is_integer() else _paren(v, lang, 1) for v in x)
    squares = " + ".join(f"{_paren(v - s.mean, lang, 2)}²" for v in x)
    std4 = fmt(s.std, lang, 4)
    shown = round  # a value as the solution writes it: rounded to the digits it shows
    exact = _rel(sum(shown(v - s.mean, 2) ** 2 for v in x) / n, s.var, 4)
    lines = [
        f"{_bn_t('sol_mean', lang)}: μ = ({plus}) / {n} {_eq(s.mean, 2)} {fmt(s.mean, lang)}",
        f"{_bn_t('sol_var', lang)}: σ² = ({squares}) / {n} {exact} "
        f"{fmt(s.var, lang, 4)}; √(σ² + ε) ≈ {std4}",
        f"x̂ = (x − μ) / √(σ² + ε), y = {_num(params['gamma'], lang)}·x̂ "
        f"{'−' if params['beta'] < 0 else '+'} {_num(abs(params['beta']), lang)}",
    ]
    # short headers, as narrow as their words (the theme gives a header cell 5rem), so the
    # table fits a 360 px phone; the formulas stand in the line above it
    th = '<th style="min-width:0;text-align:right">'
    head = f"<tr>{th}x</th>{th}x − μ</th>{th}x̂</th>{th}y</th></tr>"
    cell = '<td style="text-align:right">'
    body = "".join(f"<tr>{cell}{_num(v, lang)}</td>{cell}{fmt(v - s.mean, lang)}</td>"
                   f"{cell}{fmt(xh, lang, 4)}</td>{cell}{fmt(y, lang, 4)}</td></tr>"
                   for v, xh, y in zip(x, s.xhat, s.y))
    m, k = fmt(MOMENTUM, lang, 1), fmt(1 - MOMENTUM, lang, 1)
    rv = _num(params["running_var"], lang)
    rm = _num(params["running_mean"], lang)
    rm = f"({rm})" if params["running_mean"] < 0 else rm
    frac = f"{n}/{n - 1}"
    km, mm = 1 - MOMENTUM, MOMENTUM
    run_mean = _rel(km * params["running_mean"] + mm * shown(s.mean, 2), s.running_mean, 3)
    unbiased = _rel(shown(s.var, 4) * n / (n - 1), s.unbiased, 4)
    run_var = _rel(km * params["running_var"] + mm * shown(s.unbiased, 4), s.running_var, 3)
    tail = [
        f"{_bn_t('sol_run', lang)}: {k} × {rm} + {m} × {_paren(s.mean, lang, 2)} "
        f"{run_mean} {fmt(s.running_mean, lang, 3)}",
        f"{_bn_t('sol_unbiased', lang)}: {fmt(s.var, lang, 4)} × {frac} {unbiased} "
        f"{fmt(s.unbiased, lang, 4)}; {_bn_t('sol_rvar', lang)}: {k} × {rv} + {m} × "
        f"{fmt(s.unbiased, lang, 4)} {run_var} {fmt(s.running_var, lang, 3)}",
    ]
    table = f'<table><thead>{head}</thead><tbody>{body}</tbody></table>'
    return ("<ul>" + "".join(f"<li>{t}</li>" for t in lines) + "</ul>" + table
            + "<ul>" + "".join(f"<li>{t}</li>" for t in tail) + "</ul>")


def _bn_render(params: dict, lang: str) -> Variant:
    """The BatchNorm variant of ``params`` in ``lang``.

    Examples:
        >>> v = _bn_render(_bn_params(0), "en")
        >>> [f.key for f in v.fields][:4], len(v.fields)
        (['mean', 'var', 'xhat1', 'y1'], 12)
    """
    lang = check_lang(lang)
    _batch(params)
    s = batchnorm_step(params)
    x = [float(v) for v in params["x"]]
    xs = ("; " if lang == "uk" else ", ").join(
        f'<span class="nowrap">x{str(i).translate(_SUB)} = {_num(v, lang)}</span>'
        for i, v in enumerate(x, 1))
    prompt = pick(_BN_T["prompt"], lang).format(
        n=len(x), xs=xs, g=_num(params["gamma"], lang), b=_num(params["beta"], lang),
        rm=_num(params["running_mean"], lang), rv=_num(params["running_var"], lang),
        m=fmt(MOMENTUM, lang, 1))
    fields = []
    for key, digits, answer, sw, mistakes, hint in _bn_fields(params):
        if key.startswith(("xhat", "y")):
            name, i = ("x̂", key[4:]) if key.startswith("xhat") else ("y", key[1:])
            label = name + i.translate(_SUB)
        else:
            label = _bn_t(key, lang)
        fields.append(Field(key, label, answer, stepwise=sw, digits=digits,
                            mistakes=tuple((v, _bn_t(h, lang)) for v, h in mistakes),
                            hint=_bn_t(hint, lang)))
    return Variant(BATCHNORM_NAME, params, lang, _bn_t("title", lang), prompt,
                   fields=tuple(fields), solution=_bn_solution(params, s, lang))


# ==== normalization.dropout ==================================================================

class Convention(NamedTuple):
    """How one source writes dropout: ``number`` is what its value means ("drop": the
    probability of zeroing a unit; "keep": of keeping it), ``scales`` when the survivors'
    scale is corrected ("training": inverted dropout, ×1/keep; "inference": the original
    rule, outputs ×keep at test time)."""

    name: dict
    code: str             # how the value is written; {v} is the value
    number: str
    scales: str


CONVENTIONS: dict[str, Convention] = {
    "pytorch": Convention({"uk": "PyTorch", "en": "PyTorch"}, "nn.Dropout(p={v})", "drop",
                          "training"),
    "keras": Convention({"uk": "Keras", "en": "Keras"}, "Dropout(rate={v})", "drop", "training"),
    "tf2": Convention({"uk": "TensorFlow 2", "en": "TensorFlow 2"},
                      "tf.nn.dropout(x, rate={v})", "drop", "training"),
    "tf1": Convention({"uk": "TensorFlow 1", "en": "TensorFlow 1"},
                      "tf.nn.dropout(x, keep_prob={v})", "keep", "training"),
    "paper": Convention({"uk": "оригінальній статті (Srivastava та ін., 2014)",
                         "en": "the original paper (Srivastava et al., 2014)"},
                        "p = {v}", "keep", "inference"),
}


class DropoutAnswers(NamedTuple):
    keep: float           # probability that a unit is kept
    train_factor: float   # what a kept activation is multiplied by in training
    expected: float       # the expected activation in training for the given value
    infer_factor: float   # what an activation is multiplied by at inference


def dropout_answers(params: dict) -> DropoutAnswers:
    """The four answers for a source, its value and an activation.

    Examples:
        >>> dropout_answers({"source": "pytorch", "value": 0.7, "a": 1})
        DropoutAnswers(keep=0.3, train_factor=3.3333333333333335, expected=1.0, infer_factor=1.0)
        >>> dropout_answers({"source": "paper", "value": 0.8, "a": 2})
        DropoutAnswers(keep=0.8, train_factor=1.0, expected=1.6, infer_factor=0.8)
    """
    p = _check_params(params, ("source", "value", "a"))
    if p["source"] not in CONVENTIONS:
        raise ValueError(f"params['source'] must be one of {sorted(CONVENTIONS)}, "
                         f"got {p['source']!r}")
    c, v, a = CONVENTIONS[p["source"]], _real(p, "value"), _real(p, "a")
    if not 0 < v < 1:
        raise ValueError(f"params['value'] must be a probability strictly between 0 and 1, "
                         f"got {v!r}")
    keep = round(1.0 - v, 12) if c.number == "drop" else v
    factor = 1.0 / keep if c.scales == "training" else 1.0
    infer = 1.0 if c.scales == "training" else keep
    return DropoutAnswers(keep, factor, round(keep * factor * a, 12), infer)


def _do_fields(params: dict) -> list[tuple[str, float, list, str]]:
    """(key, answer, [(mistake, hint key)], default hint key) of a dropout variant."""
    c = CONVENTIONS[params["source"]]
    d, a = dropout_answers(params), float(params["a"])
    k = d.keep
    keep = ("keep", k, [(1 - k, f"read_{c.number}")], f"rule_{c.number}")
    if c.scales == "training":
        rest = [("train_factor", d.train_factor, [(1 / (1 - k), "by_drop"), (k, "times_keep"),
                                                  (1.0, "inverted_scales")], "inverted_scales"),
                ("expected", d.expected, [(k * a, "unscaled")], "expected_inverted"),
                ("infer_factor", d.infer_factor, [(k, "paper_rule")], "inverted_infer")]
    else:
        rest = [("train_factor", d.train_factor, [(1 / k, "paper_train"), (k, "paper_train")],
                 "paper_train"),
                ("expected", d.expected, [(a, "paper_expected")], "paper_expected"),
                ("infer_factor", d.infer_factor, [(1.0, "paper_infer"), (1 / k, "paper_infer")],
                 "paper_infer")]
    return [keep] + rest


def _do_fine(params: dict) -> bool:
    return all(_keep_apart(ans, None, mis, DIGITS) and _readable(ans, DIGITS)
               for _, ans, mis, _ in _do_fields(params))


# the page's example: dropout(x, 0.7) on ones, in PyTorch's convention
_DO_FIRST = {"source": "pytorch", "value": 0.7, "a": 1}
_DO_VALUES = {"drop": (0.2, 0.3, 0.1, 0.4, 0.6, 0.25, 0.8, 0.7),
              "keep": (0.8, 0.7, 0.9, 0.6, 0.4, 0.75, 0.3)}
_ACTIVATIONS = (2, 1.5, 3, 0.8, 2.5, 4, 1.2, 5)
_DO_COUNT = 35


@functools.cache
def _do_variants() -> tuple[dict, ...]:
    """Variant 0, then the sources in turn, each with its values in turn and an activation."""
    found, seen, k = [_DO_FIRST], {(_DO_FIRST["source"], _DO_FIRST["value"])}, 0
    sources = ("keras", "paper", "tf1", "pytorch", "tf2")
    while len(found) < _DO_COUNT:
        if k > 1000:
            raise RuntimeError(f"only {len(found)} dropout variants, _DO_COUNT is {_DO_COUNT}")
        source = sources[k % len(sources)]
        values = _DO_VALUES[CONVENTIONS[source].number]
        value = values[(k // len(sources)) % len(values)]
        params = {"source": source, "value": value, "a": _ACTIVATIONS[k % len(_ACTIVATIONS)]}
        k += 1
        if (source, value) not in seen and _do_fine(params):
            seen.add((source, value))
            found.append(params)
    return tuple(found)


_DO_T = {
    "title": {"uk": "Dropout у числах", "en": "Dropout in numbers"},
    "prompt_code": {
        "uk": "<p>У {name} dropout задано так: <code>{code}</code>. На вхід шару dropout "
              "надходить активація {a}.</p>",
        "en": "<p>In {name}, dropout is written as <code>{code}</code>. An activation of {a} "
              "enters the dropout layer.</p>"},
    "prompt_paper": {
        "uk": "<p>Dropout задано так, як в {name}: {code}. На вхід шару dropout надходить "
              "активація {a}.</p>",
        "en": "<p>Dropout is given as in {name}: {code}. An activation of {a} enters the "
              "dropout layer.</p>"},
    "task": {
        "uk": "<p>Знайдіть імовірність того, що нейрон залишиться; множник, на який під час "
              "навчання множать активацію нейрона, що залишився; математичне сподівання виходу "
              "під час навчання; множник на інференсі. Відповіді запишіть із двома знаками "
              "після коми.</p>",
        "en": "<p>Find the probability that a unit is kept, the factor a kept activation is "
              "multiplied by in training, the expected output in training, and the factor at "
              "inference. Give your answers to two decimal places.</p>"},
    "keep": {"uk": "Імовірність залишити", "en": "Probability of keeping"},
    "train_factor": {"uk": "Множник під час навчання", "en": "Factor in training"},
    "expected": {"uk": "Сподівання під час навчання", "en": "Expected output in training"},
    "infer_factor": {"uk": "Множник на інференсі", "en": "Factor at inference"},
    "rule_drop": {"uk": "Тут число — імовірність вимкнути нейрон; залишається він з імовірністю "
                        "1 − {v}.",
                  "en": "Here the number is the probability of dropping a unit; it is kept with "
                        "probability 1 − {v}."},
    "rule_keep": {"uk": "Тут число — саме ймовірність залишити нейрон.",
                  "en": "Here the number is itself the probability of keeping a unit."},
    "read_drop": {"uk": "Це ймовірність вимкнути нейрон: у {short} число означає саме її.",
                  "en": "That is the probability of dropping a unit, which is what the number "
                        "means in {short}."},
    "read_keep": {"uk": "Ви прочитали число як імовірність вимкнути нейрон, а в {short} це "
                        "ймовірність залишити.",
                  "en": "You read the number as the probability of dropping a unit; in {short} "
                        "it is the probability of keeping one."},
    "inverted_scales": {"uk": "{short} масштабує вже під час навчання («обернений» dropout): "
                              "активацію нейрона, що залишився, ділять на ймовірність його "
                              "залишити.",
                        "en": "{short} rescales during training (“inverted” dropout): a kept "
                              "activation is divided by the probability of keeping the unit."},
    "by_drop": {"uk": "Ви поділили на ймовірність вимкнути. Ділять на ймовірність залишити "
                      "нейрон.",
                "en": "You divided by the probability of dropping. Divide by the probability "
                      "of keeping the unit."},
    "times_keep": {"uk": "На ймовірність залишити не множать, а ділять: так вихід у середньому "
                         "не змінюється.",
                   "en": "Divide by the probability of keeping instead of multiplying by it: "
                         "that keeps the output unchanged on average."},
    "expected_inverted": {"uk": "Сподівання = ймовірність залишити × множник × активація.",
                          "en": "Expected output = probability of keeping × factor × "
                                "activation."},
    "unscaled": {"uk": "Так було б без масштабування. Множник 1 / (імовірність залишити) "
                       "робить сподівання рівним самій активації.",
                 "en": "That would be the value without rescaling. The factor 1 / (probability "
                       "of keeping) brings the expectation back to the activation itself."},
    "inverted_infer": {"uk": "Обернений dropout на інференсі нічого не робить: множник 1.",
                       "en": "Inverted dropout does nothing at inference: the factor is 1."},
    "paper_rule": {"uk": "Так робили в оригінальній статті. Обернений dropout масштабує вже під "
                         "час навчання, тож на інференсі множник 1.",
                   "en": "That is the original paper's rule. Inverted dropout has already "
                         "rescaled in training, so the factor at inference is 1."},
    "paper_train": {"uk": "В оригінальній статті під час навчання не масштабують: множник 1, "
                          "а масштаб виправляють на інференсі.",
                    "en": "The original paper does not rescale in training: the factor is 1, "
                          "and the scale is corrected at inference."},
    "paper_expected": {"uk": "Без масштабування під час навчання сподівання дорівнює "
                             "ймовірності залишити нейрон, помноженій на активацію.",
                       "en": "Without rescaling in training, the expected output is the "
                             "probability of keeping the unit times the activation."},
    "paper_infer": {"uk": "В оригінальній статті на інференсі вихід нейрона (точніше, його "
                          "вихідні ваги) множать на ймовірність залишити нейрон.",
                    "en": "At inference the original paper multiplies a unit's output "
                          "(strictly, its outgoing weights) by the probability of keeping it."},
    # the solution
    "sol_keep_drop": {"uk": "Число {v} — імовірність вимкнути нейрон, тож залишається він з "
                            "імовірністю 1 − {v} = {keep}.",
                      "en": "The number {v} is the probability of dropping a unit, so it is "
                            "kept with probability 1 − {v} = {keep}."},
    "sol_keep_keep": {"uk": "Число {v} — імовірність залишити нейрон.",
                      "en": "The number {v} is the probability of keeping a unit."},
    "sol_train_inv": {"uk": "Під час навчання активацію нейрона, що залишився, ділять на "
                            "{keep}: множник 1 / {keep} {eq} {factor}.",
                      "en": "In training a kept activation is divided by {keep}: the factor is "
                            "1 / {keep} {eq} {factor}."},
    "sol_train_paper": {"uk": "Під час навчання нейрон, що залишився, передає активацію без "
                              "змін: множник 1.",
                        "en": "In training a kept unit passes its activation on unchanged: the "
                              "factor is 1."},
    "sol_exp_inv": {"uk": "Сподівання: {keep} × {a} / {keep} = {e}, тобто сама активація.",
                    "en": "Expected output: {keep} × {a} / {keep} = {e}, the activation "
                          "itself."},
    "sol_exp_paper": {"uk": "Сподівання: {keep} × {a} {eq} {e}.",
                      "en": "Expected output: {keep} × {a} {eq} {e}."},
    "sol_inf_inv": {"uk": "На інференсі шар нічого не змінює: множник 1.",
                    "en": "At inference the layer changes nothing: the factor is 1."},
    "sol_inf_paper": {"uk": "На інференсі виходи множать на {keep}, тож сподівання те саме, "
                            "що й під час навчання.",
                      "en": "At inference the outputs are multiplied by {keep}, so the "
                            "expectation is the same as in training."},
}


def _short(source: str, lang: str) -> str:
    """The source's name for a hint: "PyTorch", or "the original paper"."""
    if source == "paper":
        return pick({"uk": "оригінальній статті", "en": "the original paper"}, lang)
    return pick(CONVENTIONS[source].name, lang)


def _do_params(i: int) -> dict:
    variants = _do_variants()
    return variants[variant_index(i, len(variants))]


def _do_render(params: dict, lang: str) -> Variant:
    """The dropout variant of ``params`` in ``lang``.

    Examples:
        >>> v = _do_render(_do_params(0), "en")
        >>> [(f.key, round(f.answer, 4)) for f in v.fields]
        [('keep', 0.3), ('train_factor', 3.3333), ('expected', 1.0), ('infer_factor', 1.0)]
    """
    lang = check_lang(lang)
    d = dropout_answers(params)
    source, v, a = params["source"], params["value"], params["a"]
    c = CONVENTIONS[source]
    short = _short(source, lang)
    text = lambda key, **kw: pick(_DO_T[key], lang).format(  # noqa: E731
        v=_num(v, lang), short=short, **kw)
    if source == "paper":
        prompt = text("prompt_paper", name=pick(c.name, lang),
                      code=f'<span class="nowrap">{c.code.format(v=_num(v, lang))}</span>',
                      a=_num(a, lang))
    else:
        prompt = text("prompt_code", name=pick(c.name, lang), code=c.code.format(v=v),
                      a=_num(a, lang))
    fields = tuple(
        Field(key, pick(_DO_T[key], lang), ans, digits=DIGITS,
              mistakes=tuple((m, text(h)) for m, h in mis), hint=text(hint))
        for key, ans, mis, hint in _do_fields(params))
    keep = _num(d.keep, lang)          # 0,3 in every line, never 0,30 in one of them
    inverted = c.scales == "training"
    steps = [
        text("sol_keep_drop" if c.number == "drop" else "sol_keep_keep", keep=keep),
        text("sol_train_inv", keep=_num(d.keep, lang), eq=_eq(d.train_factor, 2),
             factor=fmt(d.train_factor, lang)) if inverted else text("sol_train_paper"),
        text("sol_exp_inv" if inverted else "sol_exp_paper", keep=_num(d.keep, lang),
             a=_num(a, lang), e=fmt(d.expected, lang), eq=_eq(d.expected, 2)),
        text("sol_inf_inv") if inverted else text("sol_inf_paper", keep=_num(d.keep, lang)),
    ]
    solution = "<ul>" + "".join(f"<li>{s}</li>" for s in steps) + "</ul>"
    return Variant(DROPOUT_NAME, params, lang, pick(_DO_T["title"], lang),
                   prompt + pick(_DO_T["task"], lang), fields=fields, solution=solution)


# ==== normalization.choice ===================================================================

# the sections the questions send a reader to, with their headings
_SECTIONS = {
    "batchnorm-idea": {"uk": "2.1. Головна ідея пакетної нормалізації",
                       "en": "2.1. The main idea of batch normalization"},
    "train-vs-eval": {"uk": "Навчання та інференс: один приклад, два міні-пакети",
                      "en": "Training and inference: one example, two mini-batches"},
    "why-it-works": {"uk": "Чому це допомагає: два пояснення",
                     "en": "Why it helps: two explanations"},
    "activation-statistics": {"uk": "Статистики активацій у глибокій мережі",
                              "en": "Activation statistics in a deep network"},
    "normalization-free": {"uk": "Як навчають глибокі мережі без нормалізації",
                           "en": "How deep networks are trained without normalization"},
    "dropout-p": {"uk": "2.3. Що означає запис «p(0.7)»",
                  "en": "2.3. What the notation “p(0.7)” means"},
    "by-accident": {"uk": "Випадково: прогноз як лотерея",
                    "en": "By accident: the prediction as a lottery"},
    "mc-dropout": {"uk": "Навмисно: Monte Carlo dropout", "en": "On purpose: Monte Carlo dropout"},
}


def _o(correct: bool, uk: str, en: str, why_uk: str, why_en: str) -> tuple:
    return (correct, {"uk": uk, "en": en}, {"uk": why_uk, "en": why_en})


# key: (section, prompt, question, options); a prompt or an explanation may hold {names}
# filled from _choice_numbers (the lesson's own computed values)
QUESTIONS: dict[str, tuple[str, dict, dict, tuple]] = {
    "two-batches": (
        "train-vs-eval",
        {"uk": "<p>Приклад x = 3 потрапляє до міні-пакета A ({a}) і до міні-пакета B ({b}). "
               "У режимі навчання шар BatchNorm дає для нього {ya} в A і {yb} в B.</p>",
         "en": "<p>The example x = 3 appears in mini-batch A ({a}) and in mini-batch B ({b}). In "
               "training mode a BatchNorm layer outputs {ya} for it in A and {yb} in B.</p>"},
        {"uk": "Чому виходи різні?", "en": "Why do the outputs differ?"},
        (_o(False, "Між двома міні-пакетами змінилися γ і β.",
            "γ and β changed between the two mini-batches.",
            "γ і β змінює лише крок оптимізатора; тут обидва виходи обчислено тим самим шаром "
            "(γ = 1, β = 0).",
            "Only an optimizer step changes γ and β; here the same layer computed both outputs "
            "(γ = 1, β = 0)."),
         _o(True, "Шар нормалізує за статистиками поточного міні-пакета.",
            "The layer normalizes with the statistics of the current mini-batch.",
            "Так: у міні-пакеті A середнє {ma}, і x = 3 більше за нього; у B середнє {mb}, і "
            "x = 3 менше.",
            "Yes: the mean of A is {ma}, and x = 3 lies above it; the mean of B is {mb}, and "
            "x = 3 lies below it."),
         _o(False, "Шар нормалізує за ковзними статистиками, а вони оновилися між міні-пакетами.",
            "The layer normalizes with its running statistics, which were updated in between.",
            "Ковзні статистики в режимі навчання оновлюються, але на вихід не впливають. У "
            "режимі оцінювання, де шар бере саме їх, обидва виходи однакові (у таблиці уроку — "
            "{ye}).",
            "In training mode the running statistics are updated but do not affect the output. "
            "In evaluation mode, which uses them, both outputs are the same ({ye} in the "
            "lesson's table)."),
         _o(False, "BatchNorm, як і dropout, додає випадковий шум.",
            "Like dropout, BatchNorm adds random noise.",
            "Сам шар, на відміну від dropout, нічого не вибирає випадково: той самий міні-пакет "
            "завжди дає той самий вихід. «Шум» BatchNorm — саме в тому, що склад міні-пакета "
            "змінюється, а з ним і статистики.",
            "The layer itself draws nothing at random, unlike dropout: the same mini-batch "
            "always gives the same output. BatchNorm's “noise” comes only from which examples "
            "share the mini-batch, and so from its changing statistics."))),
    "eval": (
        "train-vs-eval",
        {"uk": "<p>Мережа має шари BatchNorm і dropout. Перед інференсом викликають "
               "<code>model.eval()</code>.</p>",
         "en": "<p>A network has BatchNorm and dropout layers. Before inference, "
               "<code>model.eval()</code> is called.</p>"},
        {"uk": "Що змінює <code>model.eval()</code>?",
         "en": "What does <code>model.eval()</code> change?"},
        (_o(False, "Лише вимикає dropout.", "It only turns dropout off.",
            "BatchNorm теж перемикається: замість статистик міні-пакета він бере ковзні.",
            "BatchNorm switches too: it uses its running statistics instead of the "
            "mini-batch's."),
         _o(False, "Заморожує ваги й вимикає обчислення градієнтів.",
            "It freezes the weights and stops gradient computation.",
            "Обчислення градієнтів вимикає <code>torch.no_grad()</code> (а ваги заморожують за "
            "допомогою <code>requires_grad_(False)</code>); <code>model.eval()</code> змінює лише "
            "поведінку шарів на кшталт BatchNorm і dropout.",
            "Gradient computation is turned off by <code>torch.no_grad()</code> (weights are "
            "frozen with <code>requires_grad_(False)</code>); <code>model.eval()</code> only "
            "changes how layers such as BatchNorm and dropout behave."),
         _o(True, "BatchNorm бере ковзні статистики, а dropout вимикається.",
            "BatchNorm uses its running statistics, and dropout is turned off.",
            "Так: вихід для прикладу тепер залежить лише від нього самого, і той самий вхід "
            "завжди дає той самий прогноз.",
            "Yes: an example's output now depends on that example alone, and the same input "
            "always gives the same prediction."),
         _o(False, "Повністю вимикає BatchNorm.", "It switches BatchNorm off entirely.",
            "BatchNorm і далі нормалізує й застосовує γ і β, тільки з ковзними статистиками.",
            "BatchNorm still normalizes and applies γ and β, only with its running "
            "statistics."))),
    "mc": (
        "mc-dropout",
        {"uk": "<p>Для Monte Carlo dropout ту саму мережу з BatchNorm і dropout запускають "
               "кілька разів на тому самому вході.</p>",
         "en": "<p>For Monte Carlo dropout, the same network with BatchNorm and dropout is run "
               "several times on the same input.</p>"},
        {"uk": "У якому режимі мають бути шари?", "en": "Which mode should the layers be in?"},
        (_o(False, "Уся модель у режимі навчання (<code>model.train()</code>).",
            "The whole model in training mode (<code>model.train()</code>).",
            "Тоді BatchNorm нормалізує за статистиками вхідного міні-пакета, та ще й оновлює "
            "свої ковзні статистики.",
            "Then BatchNorm normalizes with the statistics of the incoming mini-batch and even "
            "updates its running statistics."),
         _o(True, "Dropout увімкнено, BatchNorm бере ковзні статистики.",
            "Dropout on, BatchNorm on its running statistics.",
            "Так: модель у режимі оцінювання, і лише шари dropout знову в режимі навчання. "
            "Маски різні на кожному проході, а нормалізація та сама.",
            "Yes: the model is in evaluation mode and only the dropout layers are back in "
            "training mode. The masks differ from pass to pass; the normalization does not."),
         _o(False, "Dropout вимкнено, BatchNorm бере ковзні статистики.",
            "Dropout off, BatchNorm on its running statistics.",
            "Це звичайний інференс: усі проходи дають той самий прогноз, розкиду немає.",
            "That is ordinary inference: every pass gives the same prediction, so there is no "
            "spread."))),
    "axis": (
        "batchnorm-idea",
        {"uk": "<p>Вхід шару BatchNorm має форму (N, D): N прикладів міні-пакета, D ознак.</p>",
         "en": "<p>The input of a BatchNorm layer has shape (N, D): N examples in the "
               "mini-batch, D features.</p>"},
        {"uk": "За якими значеннями обчислюють середнє й дисперсію?",
         "en": "What are the mean and variance computed over?"},
        (_o(True, "Для кожної з D ознак — за N прикладами міні-пакета.",
            "For each of the D features, over the N examples of the mini-batch.",
            "Так, і кожна ознака має власні γ і β.",
            "Yes, and each feature has its own γ and β."),
         _o(False, "Для кожного прикладу — за його D ознаками.",
            "For each example, over its D features.",
            "Так працює нормалізація шару (layer normalization), а не пакетна.",
            "That is layer normalization, not batch normalization."),
         _o(False, "Одне середнє й одна дисперсія для всіх N·D чисел.",
            "One mean and one variance for all N·D numbers.",
            "Ні: кожна ознака має свої статистики, інакше ознаки різного масштабу "
            "заважали б одна одній.",
            "No: each feature has statistics of its own; otherwise features of different "
            "scales would interfere with each other."),
         _o(False, "За всією навчальною вибіркою.", "Over the whole training set.",
            "Під час навчання беруть статистики поточного міні-пакета; ковзні статистики "
            "лише наближають статистики даних.",
            "In training the statistics are the current mini-batch's; the running statistics "
            "only approximate those of the data."))),
    "gamma-beta": (
        "batchnorm-idea",
        {"uk": "<p>Після нормалізації BatchNorm обчислює y = γ·x̂ + β.</p>",
         "en": "<p>After normalizing, BatchNorm computes y = γ·x̂ + β.</p>"},
        {"uk": "Навіщо γ і β?", "en": "What are γ and β for?"},
        (_o(False, "Щоб не ділити на нуль.", "To avoid dividing by zero.",
            "Від ділення на нуль захищає ε під коренем.",
            "The ε under the square root guards against division by zero."),
         _o(False, "Щоб зберігати ковзне середнє й ковзну дисперсію.",
            "To store the running mean and variance.",
            "Ковзні статистики не навчаються: їх накопичують, усереднюючи статистики "
            "міні-пакетів; γ і β навчаються градієнтним спуском.",
            "The running statistics are accumulated by averaging mini-batch statistics, not "
            "learned; γ and β are learned by gradient descent."),
         _o(True, "Щоб мережа сама обирала масштаб і зсув кожної ознаки.",
            "To let the network choose each feature's scale and shift itself.",
            "Так: за γ = √(σ² + ε) і β = μ шар у режимі навчання повертає свій міні-пакет без "
            "змін, тож нормалізація не обмежує того, що шар здатен виразити.",
            "Yes: with γ = √(σ² + ε) and β = μ the layer in training mode returns its "
            "mini-batch unchanged, so normalization does not reduce what the layer can "
            "represent."))),
    "variance": (
        "batchnorm-idea",
        {"uk": "<p>Шар BatchNorm у режимі навчання нормалізує міні-пакет з N прикладів.</p>",
         "en": "<p>A BatchNorm layer in training mode normalizes a mini-batch of N "
               "examples.</p>"},
        {"uk": "На яку дисперсію він ділить (під коренем, разом з ε)?",
         "en": "Which variance does it divide by (under the root, with ε)?"},
        (_o(False, "На незміщену дисперсію міні-пакета (ділення на N − 1).",
            "The unbiased variance of the mini-batch (divided by N − 1).",
            "Незміщену PyTorch бере лише для ковзної дисперсії.",
            "PyTorch uses the unbiased one only for the running variance."),
         _o(False, "На ковзну дисперсію.", "The running variance.",
            "Її шар бере в режимі оцінювання.", "The layer uses it in evaluation mode."),
         _o(True, "На зміщену дисперсію міні-пакета (ділення на N).",
            "The biased variance of the mini-batch (divided by N).",
            "Так: σ² = Σ(x − μ)² / N поточного міні-пакета.",
            "Yes: σ² = Σ(x − μ)² / N of the current mini-batch."))),
    "batch-of-one": (
        "train-vs-eval",
        {"uk": "<p>Модель з BatchNorm1d на входах форми (N, D) намагаються навчати на "
               "міні-пакетах з одного прикладу.</p>",
         "en": "<p>Someone tries to train a model with BatchNorm1d on inputs of shape (N, D), "
               "using mini-batches of one example.</p>"},
        {"uk": "Що піде не так?", "en": "What goes wrong?"},
        (_o(False, "γ і β не матимуть градієнтів.", "γ and β get no gradients.",
            "β градієнт отримує, а градієнт γ (Σ g·x̂) завжди нульовий, бо x̂ = 0; нульовий і "
            "градієнт входу. Причина — у статистиках міні-пакета з одного прикладу.",
            "β does get a gradient, but γ's gradient (Σ g·x̂) is always zero because x̂ = 0, "
            "and so is the input's gradient. The root of the trouble is the statistics of a "
            "one-example mini-batch."),
         _o(True, "Дисперсія міні-пакета дорівнює 0, а незміщена оцінка не визначена.",
            "The mini-batch variance is 0, and the unbiased estimate is undefined.",
            "Так: x − μ = 0, тож x̂ = 0 для будь-якого входу, а ділення на N − 1 = 0 неможливе. "
            "PyTorch і наш <code>BatchNorm1d</code> такий міні-пакет відхиляють.",
            "Yes: x − μ = 0, so x̂ = 0 for any input, and dividing by N − 1 = 0 is impossible. "
            "PyTorch and our <code>BatchNorm1d</code> refuse such a mini-batch."),
         _o(False, "Лише те, що навчання йтиме повільніше.",
            "Only that training is slower.",
            "Справа не у швидкості: для будь-якого входу вихід шару дорівнює β.",
            "Speed is not the issue: the layer outputs β for any input."))),
    "why": (
        "why-it-works",
        {"uk": "<p>З BatchNorm можна використовувати більшу швидкість навчання, а саме "
               "навчання стає стабільнішим.</p>",
         "en": "<p>BatchNorm allows higher learning rates and makes training more "
               "stable.</p>"},
        {"uk": "Яке пояснення цього нині вважають одним із провідних?",
         "en": "Which explanation of this is now considered a leading one?"},
        (_o(False, "BatchNorm усуває внутрішній зсув коваріат.",
            "BatchNorm removes internal covariate shift.",
            "Це гіпотеза авторів методу. Santurkar та ін. (2018) навмисно збільшували зсув "
            "шумом, і мережа навчалася майже так само добре.",
            "That was the authors' hypothesis. Santurkar et al. (2018) deliberately increased "
            "the shift with noise, and the network trained almost as well."),
         _o(True, "BatchNorm робить ландшафт функції втрат гладкішим.",
            "BatchNorm smooths the loss landscape.",
            "Так: функція втрат та її градієнт змінюються плавніше, тож градієнт краще передбачає "
            "наслідки кроку. Це провідне, але не єдине пояснення.",
            "Yes: the loss and its gradient change more smoothly, so the gradient better "
            "predicts what a step will do. It is a leading explanation, not the only one."),
         _o(False, "BatchNorm додає мережі багато параметрів.",
            "BatchNorm adds many parameters to the network.",
            "Лише два на ознаку: γ і β.", "Only two per feature: γ and β."))),
    "small-batches": (
        "why-it-works",
        {"uk": "<p>Велика модель вміщується в пам'ять відеокарти лише з двома прикладами на "
               "міні-пакет.</p>",
         "en": "<p>A large model fits in GPU memory only with two examples per "
               "mini-batch.</p>"},
        {"uk": "Що буде з BatchNorm?", "en": "What happens to BatchNorm?"},
        (_o(True, "Статистики міні-пакета стануть ненадійними, і точність упаде.",
            "The mini-batch statistics become unreliable, and accuracy drops.",
            "Так; звичайна заміна — нормалізація, що не залежить від міні-пакета, наприклад "
            "групова нормалізація (Group Normalization).",
            "Yes; the usual remedy is a normalization that does not depend on the mini-batch, "
            "such as Group Normalization."),
         _o(False, "Нічого, бо на інференсі шар бере ковзні статистики.",
            "Nothing, because at inference the layer uses its running statistics.",
            "Під час навчання шар і далі нормалізує за статистиками двох прикладів (для "
            "BatchNorm1d на входах (N, D) x̂ тоді завжди ≈ ±1), а на інференсі — за ковзними статистиками; ця розбіжність і шкодить "
            "точності.",
            "Training still normalizes with two-example statistics (for BatchNorm1d on (N, D) "
            "inputs, x̂ is then always about ±1), while inference uses the running statistics; that mismatch is what costs "
            "accuracy."),
         _o(False, "Статистики стануть точнішими, бо менше прикладів — менше шуму.",
            "The statistics become more accurate, since fewer examples mean less noise.",
            "Навпаки: що менше прикладів, то шумніші оцінки середнього й дисперсії.",
            "The opposite: the fewer the examples, the noisier the estimates of the mean and "
            "variance."))),
    "without": (
        "normalization-free",
        {"uk": "<p>Глибоку мережу треба навчити без жодної нормалізації.</p>",
         "en": "<p>A deep network has to be trained without any normalization.</p>"},
        {"uk": "Чи це можливо?", "en": "Is that possible?"},
        (_o(False, "Ні, без нормалізації градієнти завжди зникають.",
            "No, without normalization the gradients always vanish.",
            "He та ін. (2015) навчили 30-шарову мережу без нормалізації й без залишкових "
            "з'єднань.",
            "He et al. (2015) trained a 30-layer network with neither normalization nor "
            "residual connections."),
         _o(False, "Так, якщо замість нормалізації застосувати dropout.",
            "Yes, if dropout replaces normalization.",
            "Dropout — регуляризація: він не тримає масштаб сигналу від шару до шару.",
            "Dropout is a regularizer: it does not keep the signal's scale from layer to "
            "layer."),
         _o(True, "Так, з ініціалізацією, узгодженою з нелінійністю, і ретельно дібраною "
                  "швидкістю навчання.",
            "Yes, with an initialization matched to the nonlinearity and a carefully chosen "
            "learning rate.",
            "Так: Xavier для tanh, He для ReLU, а для дуже глибоких мереж — Fixup, SELU чи "
            "NFNets.",
            "Yes: Xavier for tanh, He for ReLU, and for very deep networks Fixup, SELU or "
            "NFNets."))),
    "xavier-relu": (
        "activation-statistics",
        {"uk": "<p>Мережа з 10 прихованими шарами ReLU без нормалізації ініціалізована за "
               "правилом Xavier.</p>",
         "en": "<p>A network of 10 hidden ReLU layers without normalization uses Xavier "
               "initialization.</p>"},
        {"uk": "Що відбувається з розкидом активацій від шару до шару?",
         "en": "What happens to the spread of the activations from layer to layer?"},
        (_o(False, "Він вибухає.", "It explodes.",
            "Так буває з великою ініціалізацією (σ = 1) і ReLU.",
            "That happens with the large initialization (σ = 1) and ReLU."),
         _o(True, "Він зменшується приблизно в √2 раза на шар.",
            "It shrinks by about a factor of √2 per layer.",
            "Так: ReLU занулює близько половини входів і вдвічі зменшує другий момент. "
            "Ініціалізація He подвоює дисперсію ваг саме для того, щоб це компенсувати.",
            "Yes: ReLU zeroes about half of its inputs and halves the second moment. He "
            "initialization doubles the weight variance precisely to make up for it."),
         _o(False, "Активації «прилипають» до ±1.", "The activations saturate at ±1.",
            "ReLU не насичується; так поводиться tanh з великою ініціалізацією.",
            "ReLU does not saturate; that is how tanh behaves with the large "
            "initialization."),
         _o(False, "Він не змінюється.", "It stays the same.",
            "Незмінним розкид тримає ініціалізація He, а не Xavier.",
            "It is He initialization that keeps the spread constant, not Xavier."))),
    "large-tanh": (
        "activation-statistics",
        {"uk": "<p>Мережу з tanh без нормалізації ініціалізовано вагами з σ = 1. Стандартне "
               "відхилення активацій глибоких шарів близьке до 1.</p>",
         "en": "<p>A tanh network without normalization is initialized with weights of "
               "σ = 1. The standard deviation of the deep layers' activations is close to "
               "1.</p>"},
        {"uk": "Чи добре це для навчання?", "en": "Is that good for training?"},
        # the right option itself starts with «Ні»/"No", so its explanation confirms it with
        # «Правильно:»/"Right:", not «Так:»/"Yes:" (a right option that does not start with
        # «Ні» is confirmed with «Так»; tests/test_practice_normalization.py checks both)
        (_o(True, "Ні, більшість нейронів насичені, і градієнт не проходить.",
            "No, most units are saturated, and the gradient does not get through.",
            "Правильно: виходи «прилипають» до ±1, де похідна 1 − tanh² майже дорівнює нулю.",
            "Right: the outputs stick to ±1, where the derivative 1 − tanh² is almost "
            "zero."),
         _o(False, "Так, сигнал тримається в робочому діапазоні.",
            "Yes, the signal stays in the working range.",
            "Розкид близький до 1 лише тому, що виходи притиснуті до ±1.",
            "The spread is close to 1 only because the outputs are pinned to ±1."),
         _o(False, "Ні, активації вибухають.", "No, the activations explode.",
            "tanh обмежений одиницею, тож вибухнути активації не можуть.",
            "tanh is bounded by 1, so its activations cannot explode."))),
    "p07": (
        "dropout-p",
        {"uk": "<p>У домашньому завданні записано «p(0.7)», а курс спирається на конспекти "
               "CS231n.</p>",
         "en": "<p>The homework says “p(0.7)”, and the course follows the CS231n "
               "notes.</p>"},
        {"uk": "Що означає це число?", "en": "What does the number mean?"},
        (_o(False, "Кожен нейрон вимикають з імовірністю 0,7.",
            "Each unit is dropped with probability 0.7.",
            "Так це прочитали б PyTorch, Keras і TF2, де число — імовірність вимкнути.",
            "That is how PyTorch, Keras and TF2 would read it: there the number is the "
            "probability of dropping."),
         _o(False, "70\u00a0% ваг назавжди занулюють.", "70% of the weights are zeroed for good.",
            "Dropout щокроку бере нову маску й вимикає активації, а не ваги.",
            "Dropout draws a new mask at every step and drops activations, not weights."),
         _o(True, "Кожен нейрон залишають з імовірністю 0,7.",
            "Each unit is kept with probability 0.7.",
            "Так: у CS231n, як і в оригінальній статті (і як <code>keep_prob</code> у TF1), p — "
            "імовірність залишити нейрон.",
            "Yes: in CS231n, as in the original paper (and like <code>keep_prob</code> in TF1), "
            "p is the probability of keeping a unit."))),
    "inverted": (
        "dropout-p",
        {"uk": "<p>Обернений dropout під час навчання ділить активації нейронів, що "
               "залишилися, на 1 − p (p — імовірність вимкнути).</p>",
         "en": "<p>In training, inverted dropout divides the activations of the kept units "
               "by 1 − p (p is the probability of dropping).</p>"},
        {"uk": "Навіщо?", "en": "Why?"},
        (_o(False, "Щоб залишалося більше нейронів.", "So that more units are kept.",
            "Скільки нейронів вимкнено, визначає лише p; масштабування на це не впливає.",
            "Only p decides how many units are dropped; the scaling does not change that."),
         _o(True, "Щоб сподівання виходу дорівнювало входу і на інференсі нічого не "
                  "треба було змінювати.",
            "So that the expected output equals the input and nothing has to change at inference.",
            "Так: на інференсі шар просто пропускає вхід.",
            "Yes: at inference the layer simply passes its input on."),
         _o(False, "Щоб збільшити градієнти.", "To make the gradients larger.",
            "Градієнти справді масштабуються, але мета — зберегти сподівання виходу.",
            "The gradients are scaled too, but the purpose is to preserve the expected "
            "output."))),
    "accident": (
        "by-accident",
        {"uk": "<p>Модель із dropout забули перевести в режим оцінювання перед "
               "інференсом.</p>",
         "en": "<p>A model with dropout was not switched to evaluation mode before "
               "inference.</p>"},
        {"uk": "Що побачить користувач?", "en": "What will the user see?"},
        (_o(False, "Нічого незвичного, бо обернений dropout на інференсі нічого не робить.",
            "Nothing unusual, because inverted dropout does nothing at inference.",
            "Нічого не робить він лише в режимі оцінювання. У режимі навчання шар і далі "
            "вимикає випадкові нейрони.",
            "It does nothing only in evaluation mode. In training mode the layer keeps "
            "dropping random units."),
         _o(True, "Та сама фотографія щоразу отримує інший прогноз.",
            "The same photo gets a different prediction every time.",
            "Так: кожен виклик бере нову маску, і прогноз стає лотереєю.",
            "Yes: every call draws a new mask, and the prediction becomes a lottery."),
         _o(False, "Прогнози стануть точнішими, як в ансамблі.",
            "The predictions become more accurate, as in an ensemble.",
            "Ансамбль дає середнє багатьох проходів; один випадковий прохід — лише шум.",
            "An ensemble averages many passes; a single random pass is just noise."))),
    "mc-output": (
        "mc-dropout",
        {"uk": "<p>Monte Carlo dropout запускає мережу з увімкненим dropout T разів на тому "
               "самому вході.</p>",
         "en": "<p>Monte Carlo dropout runs the network T times on the same input, with "
               "dropout left on.</p>"},
        {"uk": "Що з цих проходів беруть за прогноз і за оцінку невизначеності?",
         "en": "What is taken from these passes as the prediction, and what as the "
               "uncertainty estimate?"},
        (_o(False, "Прогноз — будь-який один прохід, невизначеність — T.",
            "The prediction is any single pass, the uncertainty is T.",
            "Один випадковий прохід — якраз та помилка, від якої застерігає розділ 2.4.",
            "A single random pass is exactly the bug section 2.4 warns about."),
         _o(False, "Прогноз — найбільший вихід, невизначеність — найменший.",
            "The prediction is the largest output, the uncertainty the smallest.",
            "Крайні значення нестійкі; беруть середнє й розкид усіх проходів.",
            "Extremes are unstable; the mean and spread of all passes are used."),
         _o(True, "Прогноз — середнє проходів, невизначеність — їхнє стандартне відхилення.",
            "The prediction is the mean of the passes, the uncertainty their standard "
            "deviation.",
            "Так: там, де навчальних даних немає, розкид зазвичай зростає й попереджає, що "
            "модель не впевнена.",
            "Yes: where there is no training data, the spread usually grows and warns that "
            "the model is unsure."))),
}


@functools.cache
def _choice_numbers() -> dict[str, dict[str, float | tuple]]:
    """The lesson's own numbers the questions cite: lessons.pages.normalization's example."""
    from lessons.pages.normalization import BATCH_A, BATCH_B, train_eval_demo

    rows = {(r.batch, r.training): r for r in train_eval_demo()}
    return {"a": BATCH_A, "b": BATCH_B, "ya": rows["A", True].output,
            "yb": rows["B", True].output, "ma": rows["A", True].mean, "mb": rows["B", True].mean,
            "ye": rows["A", False].output}


def _fill(text: str, lang: str) -> str:
    if "{" not in text:
        return text
    n = _choice_numbers()
    return text.format(a=_list(n["a"], lang), b=_list(n["b"], lang), ya=fmt(n["ya"], lang),
                       yb=fmt(n["yb"], lang), ma=fmt(n["ma"], lang), mb=fmt(n["mb"], lang),
                       ye=fmt(n["ye"], lang))


_CHOICE_T = {
    "title": {"uk": "Ідеї уроку", "en": "The lesson's ideas"},
    "more": {"uk": "Докладніше — у розділі «{s}».", "en": "See the section “{s}”."},
}
_KEYS = tuple(QUESTIONS)


def _choice_params(i: int) -> dict:
    return {"question": _KEYS[variant_index(i, len(_KEYS))]}


def _inner_quotes(heading: str, lang: str) -> str:
    """A heading cited inside quotes, with its own quotes made inner ones: «…» becomes „…“ in
    Ukrainian, “…” becomes ‘…’ in English (no «» inside «», no “” inside “”).

    Examples:
        >>> _inner_quotes("2.3. Що означає запис «p(0.7)»", "uk")
        '2.3. Що означає запис „p(0.7)“'
        >>> _inner_quotes("2.3. What the notation “p(0.7)” means", "en")
        '2.3. What the notation ‘p(0.7)’ means'
    """
    table = {"uk": str.maketrans("«»", "„“"), "en": str.maketrans("“”", "‘’")}
    return heading.translate(table[check_lang(lang)])


def _choice_render(params: dict, lang: str) -> Variant:
    """The choice question of ``params`` in ``lang``.

    Examples:
        >>> v = _choice_render({"question": "eval"}, "en")
        >>> [o.correct for o in v.options]
        [False, False, True, False]
    """
    lang = check_lang(lang)
    _check_params(params, ("question",))
    if params["question"] not in QUESTIONS:
        raise ValueError(f"params['question'] must be one of {list(QUESTIONS)}, "
                         f"got {params['question']!r}")
    section, prompt, question, options = QUESTIONS[params["question"]]
    # an option reads as a phrase without its full stop: the folded solution writes
    # "option. explanation" (render.py adds the stop)
    opts = tuple(Option(pick(text, lang).rstrip("."), correct, _fill(pick(why, lang), lang))
                 for correct, text, why in options)
    link = f'<a href="#{section}">{_inner_quotes(pick(_SECTIONS[section], lang), lang)}</a>'
    solution = f"<p>{pick(_CHOICE_T['more'], lang).format(s=link)}</p>"
    return Variant(CHOICE_NAME, params, lang, pick(_CHOICE_T["title"], lang),
                   _fill(pick(prompt, lang), lang), options=opts,
                   question=pick(question, lang), solution=solution)


BATCHNORM_NAME, DROPOUT_NAME, CHOICE_NAME = ("normalization.batchnorm", "normalization.dropout",
                                             "normalization.choice")
BATCHNORM = Kind(BATCHNORM_NAME, _bn_params, _bn_render, _BN_COUNT)
DROPOUT = Kind(DROPOUT_NAME, _do_params, _do_render, _DO_COUNT)
CHOICE = Kind(CHOICE_NAME, _choice_params, _choice_render, len(QUESTIONS))
KINDS = (BATCHNORM, DROPOUT, CHOICE)
