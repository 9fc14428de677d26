"""Tables, sentences and the receptive-field figure of the convolutions lesson, in both languages.

Every number comes from ``lessons.conv`` and ``lessons.separable``; measured times come
from the committed benchmark results in ``benchmarks/results/`` (the build never times
anything). Results are cached, so the second language costs almost nothing.
"""

from __future__ import annotations

import itertools
import json
import statistics
import xml.etree.ElementTree as ET
from functools import cache
from html import escape
from pathlib import Path

import numpy as np

from lessons.console import console
from lessons.conv import Conv, conv2d, conv2d_counted, cost, main, path_counts, receptive_field
from lessons.conv_cost import try_stack
from lessons.i18n import check_lang, count, fmt, fmt_int, pick
from lessons.markdown import source, table
from lessons.separable import (
    approximation_error,
    classic_kernels,
    kernel_rank,
    laplacian_of_gaussian,
    nested_pairs_kernel,
    separable_approximation,
    separable_conv2d,
    singular_values,
)

__all__ = [
    "DESIGNS",
    "STACK_DEFAULTS",
    "article_table",
    "benchmark_caption",
    "benchmark_results",
    "chain_match",
    "chain_table",
    "literal_answer",
    "literal_facts",
    "cli_demo",
    "cost_code",
    "counting_code",
    "counting_table",
    "design_layers",
    "designs_table",
    "dilation_advice",
    "dilation_counts",
    "dilation_coverage",
    "dilation_note",
    "median_spread",
    "equivalence_table",
    "field_code",
    "field_peaks",
    "homework_counts",
    "log_note",
    "rank_table",
    "receptive_field_figure",
    "receptive_field_note",
    "singular_figure",
    "singular_table",
    "stack_form_html",
    "student_facts",
    "student_notes",
    "timing_note",
    "timing_stats",
    "timing_table",
    "vgg_table",
]

def _results_dir() -> Path:
    """Where the committed benchmark results are: the repository's ``benchmarks/results``
    in a checkout (where the benchmarks write them), else the copy an installed wheel
    carries as package data (``lessons/data/benchmarks``, pyproject.toml ``force-include``),
    so the page's functions also work in a notebook, outside the repository."""
    checkout = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parents[1] / "data" / "benchmarks"


RESULTS = _results_dir()
TICK = "✓"


def _t(uk: str, en: str, lang: str) -> str:
    return pick({"uk": uk, "en": en}, lang)


def _pct(x: float, lang: str, digits: int = 1) -> str:
    """A percentage: 55 % in Ukrainian (a no-break space keeps it on one line), 55% in English."""
    return fmt(x, lang, digits) + ("\u00a0%" if lang == "uk" else "%")


_PIXELS_OF = {"uk": ("пікселя", "пікселів", "пікселів"), "en": ("pixel", "pixels")}  # "з 81 пікселя"
_PATHS = {"uk": ("шлях", "шляхи", "шляхів"), "en": ("path", "paths")}
_MULTS = {"uk": ("множення", "множення", "множень"), "en": ("multiplication", "multiplications")}
_COLUMNS = {"uk": ("стовпець", "стовпці", "стовпців"), "en": ("column", "columns")}
_CORES = {"uk": ("ядро", "ядра", "ядер"), "en": ("core", "cores")}


def _shape(shape) -> str:
    return "×".join(str(v) for v in shape)


def _sci(x: float, lang: str, digits: int = 1) -> str:
    """1.2e-16 as 1.2·10<sup>−16</sup> in the page's number format."""
    if x == 0:
        return "0"
    exponent = int(np.floor(np.log10(abs(x))))
    if -3 <= exponent <= 3:
        return fmt(x, lang, max(0, digits - exponent + 1) if exponent < 0 else digits)
    mantissa = x / 10.0**exponent
    return f"{fmt(mantissa, lang, digits)}·10<sup>{fmt_int(exponent, lang)}</sup>"


# ---------------------------------------------------------------- the homework, counted


# what the student wrote for the 20×20×1 image (the task's claims, typed as given)
STUDENT_CLAIMS = {"7x7": 19600, "sep": 5600, "chain": 12000}
STUDENT_CHAIN_OUTPUT = (8, 8)  # the output size the answer states for the 3-5-7 chain


def _homework_layers(key: str, padding: str) -> list[Conv]:
    if key == "7x7":
        return [Conv(7, padding=padding)]
    if key == "sep":
        return [Conv((7, 1), padding=padding), Conv((1, 7), padding=padding)]
    if key == "chain":  # the student's 3-, 5- and 7-long vector pairs, one after another
        return [Conv(shape, padding=padding) for k in (3, 5, 7) for shape in ((k, 1), (1, k))]
    raise ValueError(f"unknown homework design {key!r}")


def _run_counted(layers: list[Conv], image: np.ndarray, rng) -> tuple[int, float]:
    """Run the stack through the counting loop and through conv2d: (count, max |difference|)."""
    fast = slow = image
    count = 0
    for layer in layers:
        w = rng.standard_normal((layer.out_channels, layer.in_channels // layer.groups, *layer.kernel))
        kwargs = {"stride": layer.stride, "padding": layer.padding, "dilation": layer.dilation,
                      "groups": layer.groups}
        slow, performed = conv2d_counted(slow, w, **kwargs)
        fast = conv2d(fast, w, **kwargs)
        count += performed
    return count, float(np.max(np.abs(fast - slow)))


@cache
def homework_counts() -> tuple[dict, ...]:
    """The 20×20×1 image through each homework design and padding: formula vs counted loop.

    Examples:
        >>> [(r["key"], r["padding"], r["counted"]) for r in homework_counts()][:2]
        [('7x7', 'valid', 9604), ('7x7', 'same', 19600)]
    """
    rng = np.random.default_rng(3)
    image = rng.standard_normal((1, 1, 20, 20))
    rows = []
    for key in ("7x7", "sep", "chain"):
        for padding in ("valid", "same"):
            layers = _homework_layers(key, padding)
            c = cost(layers, 20, 20)
            counted, diff = _run_counted(layers, image, rng)
            rows.append({"key": key, "padding": padding, "cost": c, "counted": counted, "diff": diff})
    return tuple(rows)


_HOMEWORK_NAMES = {
    "7x7": {"uk": "одна 7×7", "en": "one 7×7"},
    "sep": {"uk": "7×1, потім 1×7", "en": "7×1, then 1×7"},
    "chain": {"uk": "3×1, 1×3, 5×1, 1×5, 7×1, 1×7 підряд",
              "en": "3×1, 1×3, 5×1, 1×5, 7×1, 1×7 in a row"},
}


def counting_table(lang: str = "uk") -> str:
    """The homework's 20×20×1 image: 7×7 and 7×1 + 1×7, both paddings, formula vs counted loop.

    Examples:
        >>> counting_table("en").splitlines()[2].split(" | ")[4]
        '**9,604**'
    """
    check_lang(lang)
    head = [_t("схема", "design", lang), _t("доповнення", "padding", lang),
            _t("вихід", "output", lang), _t("множення за шарами", "multiplications per layer", lang),
            _t("за формулою", "by the formula", lang), _t("пораховано в циклі", "counted in the loop", lang),
            _t("у студента (для 14×14)", "student's count (for 14×14)", lang)]
    rows = []
    for row in homework_counts():
        if row["key"] == "chain":
            continue
        c = row["cost"]
        claim = STUDENT_CLAIMS[row["key"]] if row["padding"] == "valid" else None
        rows.append([
            pick(_HOMEWORK_NAMES[row["key"]], lang), f'«{row["padding"]}»' if lang == "uk" else f'“{row["padding"]}”',
            _shape(c.output_shape[1:]),
            " + ".join(fmt_int(r.multiplications, lang) for r in c.per_layer),
            f"**{fmt_int(c.multiplications, lang)}**",
            fmt_int(row["counted"], lang) + (" " + TICK if row["counted"] == c.multiplications else " ✗"),
            fmt_int(claim, lang) if claim else "",
        ])
    return table(head, rows, "llcrrrl")


def dilation_counts() -> dict:
    """A 3×3 kernel on 20×20 with dilation 1 and 2, "valid" and "same": the costs.

    Examples:
        >>> {k: c.multiplications for k, c in dilation_counts().items()}
        {('valid', 1): 2916, ('valid', 2): 2304, ('same', 1): 3600, ('same', 2): 3600}
    """
    return {(padding, d): cost([Conv(3, padding=padding, dilation=d)], 20, 20)
            for padding in ("valid", "same") for d in (1, 2)}


def dilation_note(lang: str = "uk") -> str:
    """What dilation does to the count: nothing with "same" padding, a smaller output with "valid"."""
    check_lang(lang)
    c = dilation_counts()
    n = lambda key: fmt_int(c[key].multiplications, lang)
    m = lambda key: count(c[key].multiplications, _MULTS, lang)
    o = lambda key: _shape(c[key].output_shape[1:])
    same = (m(("same", 1)) if c[("same", 1)].multiplications == c[("same", 2)].multiplications
            else f'{n(("same", 1))} / {n(("same", 2))}')
    return _t(
        "**Розширення** розсуває ті самі ваги ширше, і від доповнення залежить, чи зміниться кількість "
        "множень. З доповненням «same» — ні: доповнення зростає разом із розширенням, і вихід зберігає "
        "розмір. Без доповнення («valid») — так: розширене ядро охоплює d·(k − 1) + 1 пікселів, тож "
        f"вихід, а з ним і кількість множень, меншає. Ядро 3×3 на зображенні 20×20 без доповнення дає "
        f"вихід {o(('valid', 1))} і {m(('valid', 1))} за d = 1, але {o(('valid', 2))} і "
        f"{m(('valid', 2))} за d = 2; з доповненням «same» обидва варіанти коштують {same}.",
        "**Dilation** spreads the same taps wider, and whether it changes the count depends on the "
        'padding. With “same” padding it does not: the padding grows with the dilation, and the output '
        'keeps its size. With “valid” padding it does: the dilated kernel spans d·(k − 1) + 1 pixels, so '
        "the output shrinks, and the count with it. A 3×3 kernel on a 20×20 image without padding gives "
        f"an output of {o(('valid', 1))} and {m(('valid', 1))} with d = 1, but "
        f"{o(('valid', 2))} and {n(('valid', 2))} with d = 2; with “same” padding both cost {same}.",
        lang)


@cache
def _code(which: str) -> str:
    functions = {"counting": (conv2d_counted,), "cost": (Conv.output_size, Conv.multiplications, receptive_field),
                 "field": (path_counts,)}[which]
    title = "lessons/conv_cost.py" if which == "cost" else "lessons/conv.py"  # where the code lives
    # the doctests stay in the module: the page runs these functions itself, in its tables
    return source(*functions, title=title, examples=False)


def counting_code(lang: str = "uk") -> str:
    """The real source of the counting loop, as the tests run it (for the page)."""
    check_lang(lang)
    return _code("counting")


def cost_code(lang: str = "uk") -> str:
    """The real source of the count formula and the receptive-field rule (for the page)."""
    check_lang(lang)
    return _code("cost")


def field_code(lang: str = "uk") -> str:
    """The real source of the path counts behind the receptive-field figure."""
    check_lang(lang)
    return _code("field")


def chain_table(lang: str = "uk") -> str:
    """The student's 3-5-7 chain: per-layer output, multiplications and receptive field.

    Examples:
        >>> chain_table("en").splitlines()[8].split(" | ")[-1]
        '**13×13** |'
    """
    check_lang(lang)
    valid, same = [r for r in homework_counts() if r["key"] == "chain"]
    head = [_t("шар", "layer", lang), _t("вихід («valid»)", 'output (“valid”)', lang),
            _t("множення («valid»)", 'multiplications (“valid”)', lang),
            _t("множення («same»)", 'multiplications (“same”)', lang),
            _t("рецептивне поле", "receptive field", lang)]
    rows = []
    for a, b in zip(valid["cost"].per_layer, same["cost"].per_layer):
        rows.append([a.layer.label().split()[0].replace("x", "×"), _shape(a.output_shape[1:]),
                     fmt_int(a.multiplications, lang), fmt_int(b.multiplications, lang),
                     _shape(a.receptive_field)])
    rows.append([_t("**разом**", "**total**", lang), f'**{_shape(valid["cost"].output_shape[1:])}**',
                 f'**{fmt_int(valid["cost"].multiplications, lang)}**',
                 f'**{fmt_int(same["cost"].multiplications, lang)}**',
                 f'**{_shape(valid["cost"].receptive_field)}**'])
    rows.append([_t("у студента", "the student's answer", lang), _shape(STUDENT_CHAIN_OUTPUT), "",
                 fmt_int(STUDENT_CLAIMS["chain"], lang), _t("7×7 (мається на увазі)", "7×7 (implied)", lang)])
    rows.append([_t("перевірка циклом", "checked by the loop", lang), "",
                 fmt_int(valid["counted"], lang) + " " + TICK * (valid["counted"] == valid["cost"].multiplications),
                 fmt_int(same["counted"], lang) + " " + TICK * (same["counted"] == same["cost"].multiplications),
                 ""])
    return table(head, rows, "lcrrc")


def chain_match(lang: str = "uk") -> str:
    """Which padding each of the answer's chain figures belongs to (a computed sentence).

    Examples:
        >>> chain_match("en").startswith("The number in the answer")
        True
    """
    check_lang(lang)
    valid, same = [r for r in homework_counts() if r["key"] == "chain"]
    total, shape = same["cost"].multiplications, tuple(valid["cost"].output_shape[1:])
    if total != STUDENT_CLAIMS["chain"] or shape != STUDENT_CHAIN_OUTPUT:
        raise RuntimeError("the chain's figures no longer match the answer's: rewrite chain_match")
    return _t(
        f"Число в розв'язку ({fmt_int(total, lang)}) — це підсумок для «same», а розмір "
        f"виходу, який там наведено ({_shape(shape)}), — це розмір для «valid»: та сама "
        "невідповідність, що й у першій помилці.",
        f"The number in the answer ({fmt_int(total, lang)}) is the “same” total, and the output "
        f"size it states ({_shape(shape)}) is the “valid” one: the same mismatch as in the first "
        "slip.", lang)


@cache
def _log_ranks() -> tuple[int, int, float]:
    k = laplacian_of_gaussian(7, 1.0)
    zero_sum = k - k.mean()
    s = singular_values(zero_sum)
    return kernel_rank(k), kernel_rank(zero_sum), float(s[2] / s[0])


def log_note(lang: str = "uk") -> str:
    """The sampled LoG has rank 2; the zero-sum discrete LoG (mean subtracted) has rank 3."""
    check_lang(lang)
    sampled, zero_sum, ratio = _log_ranks()
    third = _sci(ratio, lang)
    return _t(
        f"Застереження щодо лапласіана гауссіана: ранг {sampled} має ядро, взяте прямо з формули в "
        "точках сітки, як у нас. Поширений дискретний варіант зсувають так, щоб сума ваг дорівнювала нулю (віднімають "
        "середнє, як `fspecial('log')` у MATLAB); це додає до ядра сталу складову, і ранг стає "
        f"{zero_sum}, хоча третє сингулярне число мале: σ<sub>3</sub>/σ<sub>1</sub> = {third}.",
        f"A caution about the Laplacian of Gaussian: rank {sampled} holds for the kernel sampled "
        "straight from the formula, as used here. The common discrete version is shifted to sum to zero (its mean subtracted, as "
        f"MATLAB's `fspecial('log')` does); that adds a constant to the kernel, and the rank becomes "
        f"{zero_sum}, though the third singular value is small: "
        f"σ<sub>3</sub>/σ<sub>1</sub> = {third}.", lang)


@cache
def student_facts() -> dict:
    """The student's own claims about the 3-5-7 chain, computed.

    Examples:
        >>> f = student_facts()
        >>> f["chain"], f["full"], f["separable"], f["smallest_input"]
        (12000, 19600, 5600, 13)
    """
    rows = {(r["key"], r["padding"]): r["cost"] for r in homework_counts()}
    chain = rows[("chain", "same")].multiplications
    full = rows[("7x7", "same")].multiplications
    separable = rows[("sep", "same")].multiplications
    field = rows[("chain", "valid")].receptive_field[0]
    smallest = next(n for n in range(1, 100) if _fits(_homework_layers("chain", "valid"), n))
    kernels = classic_kernels()
    nested = {key: float(np.linalg.norm(kernels[key] - nested_pairs_kernel(kernels[key]))
                         / np.linalg.norm(kernels[key])) for key in ("disk", "random")}
    svd = {key: approximation_error(kernels[key], 3) for key in ("disk", "random")}
    return {"chain": chain, "full": full, "separable": separable, "fewer": 1 - chain / full,
            "times_separable": chain / separable, "field": field, "smallest_input": smallest,
            "nested_error": nested, "svd_error": svd}


def _fits(layers, n: int) -> bool:
    try:
        cost(layers, n, n)
    except ValueError:
        return False
    return True


def student_notes(lang: str = "uk") -> str:
    """What the student's answer gets right and wrong beyond the two slips (a Markdown list)."""
    check_lang(lang)
    f = student_facts()
    n = lambda x: fmt_int(x, lang)
    disk_n, rand_n = _pct(100 * f["nested_error"]["disk"], lang, 0), _pct(100 * f["nested_error"]["random"], lang, 0)
    disk_s, rand_s = _pct(100 * f["svd_error"]["disk"], lang, 0), _pct(100 * f["svd_error"]["random"], lang, 0)
    return "\n".join([
        _t(f"- **«На 1/3 менше обчислень».** {n(f['chain'])} проти {n(f['full'])} — це на "
           f"{_pct(100 * f['fewer'], lang, 0)} менше, тобто більше, ніж третина; але це в "
           f"{fmt(f['times_separable'], lang, 1)} раза більше, ніж {n(f['separable'])} у пари 7×1 + 1×7 з "
           "того самого розв'язку (усі три числа — для доповнення «same», як у студента).",
           f"- **“A third fewer computations”.** Going from {n(f['full'])} to {n(f['chain'])} is "
           f"{_pct(100 * f['fewer'], lang, 0)} fewer, more than a third; but it is "
           f"{fmt(f['times_separable'], lang, 1)} times the {n(f['separable'])} of the 7×1 + 1×7 pair from "
           "the same answer (all three with “same” padding, as the student counted).", lang),
        _t(f"- **«Зображення мають бути більші за 12×12»** — слушно: поле ланцюжка має розмір "
           f"{f['field']}×{f['field']}, тож без доповнення найменший вхід, на якому він працює, — "
           f"{f['smallest_input']}×{f['smallest_input']}.",
           f"- **“Images must be larger than 12×12”** is right: the chain's field is "
           f"{f['field']}×{f['field']}, so without padding the smallest input it runs on is "
           f"{f['smallest_input']}×{f['smallest_input']}.", lang),
        _t("- **Як вибрано вектори.** Розв'язок бере перший стовпець і перший рядок ядра, потім — "
           "перший стовпець і перший рядок підматриці 5×5, що лишається без перших двох рядків і стовпців, "
           "потім — так само для підматриці 3×3. Такі пари не відтворюють ядро, "
           "навіть якщо їх застосувати паралельно й додати: добуток стовпця на рядок дає в куті k₀₀², а не "
           f"k₀₀. Відносна похибка такої суми — {disk_n} для диска і {rand_n} для випадкового ядра, тоді як "
           f"три найкращі пари з SVD дають {disk_s} і {rand_s}. Вибирати пари — завдання сингулярного "
           "розкладу.",
           "- **How the vectors are picked.** The answer takes the kernel's first column and first row, "
           "then those of the 5×5 sub-matrix without the first two rows and columns, then of the 3×3 one. "
           "Such pairs do not rebuild the kernel even when applied side by side and added: the product of "
           f"a column and a row puts k₀₀² in the corner, not k₀₀. The relative error of that sum is {disk_n} "
           f"for the disk and {rand_n} for the random kernel, whereas the three best pairs from the SVD give "
           f"{disk_s} and {rand_s}. Picking the pairs is the job of the singular value decomposition.", lang),
    ])


# ---------------------------------------------------------------- VGG and the realistic layer


def vgg_table(lang: str = "uk") -> str:
    """Three 3×3 against one 7×7 for C channels: parameters, multiplications on 56×56, field.

    Examples:
        >>> vgg_table("en").splitlines()[2]
        '| 1 | 27 | 49 | 0.551 | 84,672 | 153,664 |'
    """
    check_lang(lang)
    head = [_t("канали C", "channels C", lang), _t("параметри: три 3×3", "parameters: three 3×3", lang),
            _t("параметри: одна 7×7", "parameters: one 7×7", lang), _t("відношення", "ratio", lang),
            _t("множення на 56×56: три 3×3", "multiplications on 56×56: three 3×3", lang),
            _t("множення на 56×56: одна 7×7", "multiplications on 56×56: one 7×7", lang)]
    rows = []
    for c in (1, 64, 256):
        three = cost([Conv(3, c, c, padding="same")] * 3, 56, 56)
        one = cost([Conv(7, c, c, padding="same")], 56, 56)
        rows.append([str(c), fmt_int(three.params, lang), fmt_int(one.params, lang),
                     fmt(three.params / one.params, lang, 3), fmt_int(three.multiplications, lang),
                     fmt_int(one.multiplications, lang)])
    return table(head, rows)


# ---------------------------------------------------------------- separability


_KERNEL_NAMES = {
    "sobel": {"uk": "ядро Собеля 3×3", "en": "Sobel 3×3"},
    "box": {"uk": "усереднювальне 7×7", "en": "box 7×7"},
    "gaussian": {"uk": "гауссове 7×7, σ = 1", "en": "Gaussian 7×7, σ = 1"},
    "log": {"uk": "лапласіан гауссіана 7×7, σ = 1", "en": "Laplacian of Gaussian 7×7, σ = 1"},
    "disk": {"uk": "диск 7×7", "en": "disk 7×7"},
    "random": {"uk": "випадкове 7×7", "en": "random 7×7"},
}


def singular_table(lang: str = "uk") -> str:
    """Rank and singular values (relative to the largest) of the classic kernels.

    Examples:
        >>> singular_table("en").splitlines()[2]
        '| Sobel 3×3 | 1 | 1.000; 0; 0 | 0.0% |'
    """
    check_lang(lang)
    head = [_t("ядро", "kernel", lang), _t("ранг", "rank", lang),
            _t("сингулярні числа σ<sub>i</sub> / σ<sub>1</sub>", "singular values σ<sub>i</sub> / σ<sub>1</sub>", lang),
            _t("похибка наближення рангом 1", "rank-1 error", lang)]
    rows = []
    for key, k in classic_kernels().items():
        s = singular_values(k)
        rel = s / s[0]
        shown = "; ".join(fmt(v, lang, 3) if v >= 5e-4 else "0" for v in rel)
        rows.append([pick(_KERNEL_NAMES[key], lang), str(kernel_rank(k)), shown,
                     _pct(100 * approximation_error(k, 1), lang)])
    return table(head, rows, "lcll")


# The singular-value chart is drawn in the CSS px of a phone's content column (360 px screen
# minus Material's 16 px margins), so on a phone it is shown at its own size and no label
# shrinks below its font size; on a wider screen it grows to _SV_MAX_WIDTH.
_SV_WIDTH = 328
_SV_MAX_WIDTH = 400
_SV_FONT = 11  # every label: at least 10 CSS px at 360 px, with room for rounding


@cache
def singular_figure(lang: str = "uk") -> str:
    """Small multiples: σᵢ/σ₁ of each classic kernel as bars, with its rank (inline SVG).

    Two panels a row in a viewBox as wide as a phone's content column, every label at
    ``_SV_FONT`` user units: at 360 px the figure is not scaled down, so every label is
    drawn at 11 CSS px (at least 10, the phone-reading rule); wider screens show it larger.

    Examples:
        >>> singular_figure("en").count("<rect")  # one bar per nonzero σ: 1 + 1 + 1 + 2 + 3 + 7
        15
    """
    check_lang(lang)
    kernels = classic_kernels()
    cols, panel_h = 2, 120
    panel_w = _SV_WIDTH // cols
    rows = (len(kernels) + cols - 1) // cols
    width, height = _SV_WIDTH, rows * panel_h + 2
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
        "width": str(_SV_MAX_WIDTH), "class": "lesson-figure", "role": "img",
        "aria-labelledby": "sv-title sv-desc", "font-family": "sans-serif",
        "font-size": str(_SV_FONT),
    })
    title = ET.SubElement(svg, "title", {"id": "sv-title"})
    title.text = _t("Сингулярні числа класичних ядер", "Singular values of the classic kernels", lang)
    desc = ET.SubElement(svg, "desc", {"id": "sv-desc"})
    parts = []
    for key, k in kernels.items():
        parts.append(f"{pick(_KERNEL_NAMES[key], lang)}: "
                     + _t("ранг", "rank", lang) + f" {kernel_rank(k)}")
    listed = "; ".join(parts)
    desc.text = (_t("Стовпчики — σᵢ/σ₁ за спаданням. ", "Bars: σᵢ/σ₁, largest first. ", lang)
                 + listed[:1].upper() + listed[1:] + ".")
    bars = ET.SubElement(svg, "g", {"fill": "currentColor", "fill-opacity": "0.7"})
    bar, step = 16, 20  # seven bars and their σ labels fit a panel of 164
    for index, (key, k) in enumerate(kernels.items()):
        x0, y0 = (index % cols) * panel_w + 4, (index // cols) * panel_h
        rel = singular_values(k) / singular_values(k)[0]
        # the name on its own line (the longest, «лапласіан гауссіана 7×7», needs ~150 of
        # the 164), the rank in bold under it
        head = ET.SubElement(svg, "text", {"x": str(x0), "y": str(y0 + 12), "fill": "currentColor"})
        head.text = pick(_KERNEL_NAMES[key], lang).split(",")[0]
        rank = ET.SubElement(svg, "text", {"x": str(x0), "y": str(y0 + 27),
                                           "fill": "currentColor", "font-weight": "bold"})
        rank.text = _t("ранг", "rank", lang) + f" {kernel_rank(k)}"
        base, top = y0 + 94, y0 + 36
        ET.SubElement(svg, "path", {"d": f"M{x0} {base}h{len(rel) * step}M{x0} {top}v{base - top}",
                                    "stroke": "currentColor", "stroke-width": "1", "fill": "none"})
        for i, v in enumerate(rel):
            h = (base - top) * float(v)
            if h >= 0.5:
                ET.SubElement(bars, "rect", {"x": str(x0 + 2 + i * step), "y": f"{base - h:.1f}",
                                             "width": str(bar), "height": f"{h:.1f}"})
            label = ET.SubElement(svg, "text", {"x": str(x0 + 2 + i * step + bar / 2),
                                                "y": str(base + 14), "text-anchor": "middle",
                                                "fill": "currentColor"})
            label.text = f"σ{i + 1}"
    return ET.tostring(svg, encoding="unicode")


@cache
def _rank_rows() -> tuple[tuple, ...]:
    rows = []
    kernels = classic_kernels()
    for r in range(1, 8):
        same = cost([Conv((7, 1), 1, r, padding="same"), Conv((1, 7), r, r, padding="same", groups=r)],
                    20, 20)
        valid = cost([Conv((7, 1), 1, r), Conv((1, 7), r, r, groups=r)], 20, 20)
        errors = tuple(approximation_error(kernels[k], r) for k in ("log", "disk", "random"))
        rows.append((r, same.multiplications // 400, same.multiplications, valid.multiplications,
                     errors))
    return tuple(rows)


def rank_table(lang: str = "uk") -> str:
    """Rank-r sums of separable pairs on 20×20: multiplications and kernel error against r.

    Examples:
        >>> rank_table("en").splitlines()[2].split(" | ")[:4]
        ['| 1', '14', '5,600', '3,332']
    """
    check_lang(lang)
    full_same = cost([Conv(7, padding="same")], 20, 20).multiplications
    full_valid = cost([Conv(7)], 20, 20).multiplications
    head = ["r", _t("множень на вихідний піксель («same»)", 'multiplications per output pixel (“same”)', lang),
            _t("разом «same»", 'total “same”', lang), _t("разом «valid»", 'total “valid”', lang),
            _t("похибка: лапласіан гауссіана", "error: Laplacian of Gaussian", lang),
            _t("похибка: диск", "error: disk", lang), _t("похибка: випадкове", "error: random", lang)]
    rows = []
    for r, per_pixel, same, valid, errors in _rank_rows():
        def mark(n, full):
            return fmt_int(n, lang) if n < full else f"*{fmt_int(n, lang)}*"
        rows.append([str(r), fmt_int(per_pixel, lang), mark(same, full_same), mark(valid, full_valid)]
                    + [_pct(100 * e, lang) for e in errors])
    rows.append([_t("повне ядро 7×7", "full 7×7", lang), "49", fmt_int(full_same, lang),
                 fmt_int(full_valid, lang)] + [_pct(0, lang)] * 3)
    return table(head, rows, "crrrrrr")


def rank_summary(lang: str = "uk") -> str:
    """Where rank r stops paying: the largest r cheaper than the full kernel, per padding.

    Examples:
        >>> "for r ≤ 3" in rank_summary("en")
        True
    """
    check_lang(lang)
    full_same = cost([Conv(7, padding="same")], 20, 20).multiplications
    full_valid = cost([Conv(7)], 20, 20).multiplications
    best_same = max(r for r, _, same, _, _ in _rank_rows() if same < full_same)
    best_valid = max(r for r, _, _, valid, _ in _rank_rows() if valid < full_valid)
    first, second = cost([Conv((7, 1)), Conv((1, 7))], 20, 20).per_layer
    wide, narrow = first.output_shape[2], second.output_shape[2]
    return _t(
        f"На зображенні 20×20 сума пар дешевша, ніж повне ядро, якщо r ≤ {best_same} (з доповненням «same»), "
        f"і лише якщо r ≤ {best_valid} (без доповнення): перший (вертикальний) прохід обробляє всі "
        f"{count(wide, _COLUMNS, lang)}, а не лише {narrow}. Підсумки, більші за підсумок повного ядра, виділено курсивом "
        "(стовпці «разом»).",
        f'On a 20×20 image the sum of pairs is cheaper than the full kernel for r ≤ {best_same} with '
        f'“same” padding and only for r ≤ {best_valid} without padding: the first, vertical, pass runs '
        f"over all {count(wide, _COLUMNS, lang)}, not just {narrow}. Totals larger than the full kernel's are in "
        "italics (the two total columns).", lang)


@cache
def _equivalence() -> tuple:
    rng = np.random.default_rng(11)
    image = rng.standard_normal((20, 20))
    kernels = classic_kernels()
    out = []
    for key in ("gaussian", "log", "random"):
        k = kernels[key]
        full = conv2d(image[None, None], k[None, None])[0, 0]
        errs = []
        for r in range(1, 8):
            approx = separable_conv2d(image, separable_approximation(k, r))
            errs.append(float(np.max(np.abs(approx - full)) / np.max(np.abs(full))))
        out.append((key, tuple(errs)))
    return tuple(out)


def equivalence_table(lang: str = "uk") -> str:
    """On a random 20×20 image: max |rank-r separable output − full 7×7 output|, relative.

    Examples:
        >>> equivalence_table("en").splitlines()[0]
        '| kernel | r = 1 | r = 2 | r = 3 | r = 4 | r = 5 | r = 6 | r = 7 |'
    """
    check_lang(lang)
    head = [_t("ядро", "kernel", lang)] + [f"r = {r}" for r in range(1, 8)]
    rows = [[pick(_KERNEL_NAMES[key], lang)] + [_sci(e, lang) for e in errs]
            for key, errs in _equivalence()]
    return table(head, rows)


# ---------------------------------------------------------------- the depthwise article check


def article_table(lang: str = "uk") -> str:
    """12×12×3 → 8×8×256 with 5×5 kernels: standard vs depthwise + pointwise, and 1/N + 1/Dk².

    Examples:
        >>> article_table("en").splitlines()[3]
        '| depthwise 5×5 + pointwise 1×1 | 256×8×8 | 4,800 + 49,152 | 53,952 |'
    """
    check_lang(lang)
    standard = cost([Conv(5, 3, 256)], 12, 12)
    separable = cost([Conv(5, 3, 3, groups=3), Conv(1, 3, 256)], 12, 12)
    ratio = separable.multiplications / standard.multiplications
    head = [_t("схема", "design", lang), _t("вихід", "output", lang),
            _t("множення за шарами", "multiplications per layer", lang), _t("разом", "total", lang)]
    rows = [
        [_t("звичайна 5×5×3, 256 ядер", "standard 5×5×3, 256 kernels", lang),
         _shape(standard.output_shape), fmt_int(standard.multiplications, lang),
         fmt_int(standard.multiplications, lang)],
        [_t("поканальна 5×5 + поточкова 1×1", "depthwise 5×5 + pointwise 1×1", lang),
         _shape(separable.output_shape),
         " + ".join(fmt_int(r.multiplications, lang) for r in separable.per_layer),
         fmt_int(separable.multiplications, lang)],
        [_t("відношення", "ratio", lang), "", "", fmt(ratio, lang, 4)],
        [_t("формула 1/N + 1/D<sub>k</sub>² (N = 256, D<sub>k</sub> = 5)",
            "formula 1/N + 1/D<sub>k</sub>² (N = 256, D<sub>k</sub> = 5)", lang),
         "", "", fmt(1 / 256 + 1 / 25, lang, 4)],
    ]
    return table(head, rows, "lcrr")


# ---------------------------------------------------------------- the realistic layer


DESIGNS = ("7x7", "3x3x3", "1x7+7x1", "3x(3x1+1x3)", "dil12", "dil22", "dw7+pw")

_DESIGN_NAMES = {
    "7x7": {"uk": "одна 7×7", "en": "one 7×7"},
    "3x3x3": {"uk": "три 3×3 (VGG)", "en": "three 3×3 (VGG)"},
    "1x7+7x1": {"uk": "1×7 + 7×1 (Inception-v3)", "en": "1×7 + 7×1 (Inception-v3)"},
    "3x(3x1+1x3)": {"uk": "три пари 3×1 + 1×3", "en": "three 3×1 + 1×3 pairs"},
    "dil12": {"uk": "3×3, потім 3×3 з d = 2", "en": "3×3, then 3×3 with d = 2"},
    "dil22": {"uk": "3×3 з d = 2 двічі", "en": "3×3 with d = 2, twice"},
    "dw7+pw": {"uk": "поканальна 7×7 + поточкова 1×1 (MobileNet, ConvNeXt)",
               "en": "depthwise 7×7 + pointwise 1×1 (MobileNet, ConvNeXt)"},
}

_SHORT_NAMES = {
    "7x7": {"uk": "7×7", "en": "7×7"},
    "3x3x3": {"uk": "три 3×3", "en": "three 3×3"},
    "1x7+7x1": {"uk": "1×7 + 7×1", "en": "1×7 + 7×1"},
    "3x(3x1+1x3)": {"uk": "3 × (3×1 + 1×3)", "en": "3 × (3×1 + 1×3)"},
    "dil12": {"uk": "3×3 + 3×3, d = 2", "en": "3×3 + 3×3, d = 2"},
    "dil22": {"uk": "3×3, d = 2 двічі", "en": "3×3, d = 2 twice"},
    "dw7+pw": {"uk": "поканальна 7×7 + 1×1", "en": "depthwise 7×7 + 1×1"},
}


def design_layers(key: str, channels: int = 64) -> list[Conv]:
    """The layers of one design of the comparison, all with "same" padding and stride 1.

    Examples:
        >>> [layer.label() for layer in design_layers("dil12")]
        ['3x3 same', '3x3 same d2']
    """
    c = channels
    same = {"padding": "same"}
    layers = {
        "7x7": [Conv(7, c, c, **same)],
        "3x3x3": [Conv(3, c, c, **same)] * 3,
        "1x7+7x1": [Conv((1, 7), c, c, **same), Conv((7, 1), c, c, **same)],
        "3x(3x1+1x3)": [Conv((3, 1), c, c, **same), Conv((1, 3), c, c, **same)] * 3,
        "dil12": [Conv(3, c, c, **same), Conv(3, c, c, dilation=2, **same)],
        "dil22": [Conv(3, c, c, dilation=2, **same)] * 2,
        "dw7+pw": [Conv(7, c, c, groups=c, **same), Conv(1, c, c)],
    }
    if key not in layers:
        raise ValueError(f"design must be one of {DESIGNS}, got {key!r}")
    return layers[key]


@cache
def benchmark_results(name: str = "conv_designs") -> dict:
    """The committed benchmark results ``benchmarks/results/<name>.json``.

    Examples:
        >>> sorted(benchmark_results()["designs"]) == sorted(DESIGNS)
        True
    """
    path = RESULTS / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `uv run python benchmarks/{name}.py`")
    return json.loads(path.read_text(encoding="utf-8"))


def timing_stats(entry: dict, statistic: str = "min") -> dict:
    """Median, fastest and slowest run of one design from its benchmark entry.

    The benchmark records every run (``samples``); older results hold only the fastest run
    (``seconds``, with ``statistic: "min"``) and the median (``seconds_median``). The page
    ranks by the median and shows the spread it has; a missing slowest run is ``None``.

    Examples:
        >>> timing_stats({"samples": [0.3, 0.1, 0.2, 0.5]})
        {'median': 0.25, 'low': 0.1, 'high': 0.5, 'runs': 4}
        >>> timing_stats({"seconds": 0.1, "seconds_median": 0.2})["high"] is None
        True
    """
    samples = entry.get("samples")
    if samples:
        return {"median": statistics.median(samples), "low": min(samples), "high": max(samples),
                "runs": len(samples)}
    median = entry.get("seconds_median", entry["seconds"])
    low = entry.get("seconds_min", entry["seconds"] if statistic == "min" else None)
    return {"median": median, "low": low, "high": entry.get("seconds_max"), "runs": None}


@cache
def _design_rows() -> tuple[dict, ...]:
    data = benchmark_results()
    bench, statistic = data["designs"], data.get("statistic", "min")
    rows = []
    for key in DESIGNS:
        layers = design_layers(key)
        c = cost(layers, 56, 56)
        counts = path_counts(layers)
        t = timing_stats(bench[key], statistic)
        rows.append({"key": key, "cost": c, "layers": len(layers), "reached": int(np.count_nonzero(counts)),
                     "area": counts.size, "seconds": t["median"], "low": t["low"], "high": t["high"],
                     "rate": c.multiplications / t["median"] / 1e9})
    return tuple(rows)


def designs_table(lang: str = "uk") -> str:
    """The comparison on one 56×56 layer, 64 → 64 channels: parameters, count and field.

    Examples:
        >>> designs_table("en").splitlines()[2]
        '| 7×7 | 1 | 200,704 | 629,407,744 | 1.000 | 7×7 (49/49) |'
    """
    check_lang(lang)
    rows_data = _design_rows()
    base = rows_data[0]["cost"]
    head = [_t("схема", "design", lang), _t("кількість шарів", "layers", lang), _t("параметри", "parameters", lang),
            _t("множення", "multiplications", lang), _t("частка від 7×7", "share of 7×7", lang),
            _t("поле (досяжні пікселі)", "field (pixels reached)", lang)]
    rows = []
    for row in rows_data:
        c = row["cost"]
        rows.append([
            pick(_SHORT_NAMES[row["key"]], lang), str(row["layers"]), fmt_int(c.params, lang),
            fmt_int(c.multiplications, lang), fmt(c.multiplications / base.multiplications, lang, 3),
            f'{_shape(c.receptive_field)} ({row["reached"]}/{row["area"]})',
        ])
    return table(head, rows, "lrrrrc")


def timing_table(lang: str = "uk") -> str:
    """Measured median time of our conv2d per design, its spread, against its share of multiplications.

    Rows are ranked by the median time; the shares and the rate use the median too.

    Examples:
        >>> timing_table("en").splitlines()[0].split(" | ")[:4]
        ['| place', 'design', 'share of multiplications', 'median, ms']
    """
    check_lang(lang)
    rows_data = _design_rows()
    base = rows_data[0]
    spread_known = all(r["high"] is not None for r in rows_data)
    head = [_t("місце", "place", lang), _t("схема", "design", lang),
            _t("частка множень", "share of multiplications", lang), _t("медіана, мс", "median, ms", lang),
            _t("найшвидший – найповільніший, мс", "fastest–slowest, ms", lang) if spread_known else
            _t("найшвидший запуск, мс", "fastest run, ms", lang),
            _t("частка часу", "share of time", lang), _t("млрд множень/с", "billion mult./s", lang)]
    rows = []
    for rank, row in enumerate(sorted(rows_data, key=lambda r: r["seconds"]), start=1):
        low = fmt(1000 * row["low"], lang, 1) if row["low"] is not None else "—"
        spread = f'{low}–{fmt(1000 * row["high"], lang, 1)}' if spread_known else low
        rows.append([
            str(rank), pick(_SHORT_NAMES[row["key"]], lang),
            fmt(row["cost"].multiplications / base["cost"].multiplications, lang, 3),
            fmt(1000 * row["seconds"], lang, 1), spread,
            fmt(row["seconds"] / base["seconds"], lang, 2), fmt(row["rate"], lang, 1),
        ])
    return table(head, rows, "clrrcrr")


def _date(iso: str, lang: str) -> str:
    """2026-11-26 as 26.11.2026 in Ukrainian prose; English keeps the ISO date."""
    if lang == "uk" and len(iso.split("-")) == 3:
        y, m, d = iso.split("-")
        return f"{d}.{m}.{y}"
    return iso


def _overlapping(rows) -> list[tuple[str, str]]:
    """Neighbours in the median ranking whose fastest–slowest ranges overlap."""
    ranked = sorted(rows, key=lambda r: r["seconds"])
    return [(a["key"], b["key"]) for a, b in itertools.pairwise(ranked)
            if a["high"] is not None and b["low"] is not None and b["low"] <= a["high"]]


def median_spread() -> float:
    """The largest ratio of a design's median time to its fastest run (the spread the caption names)."""
    return max(r["seconds"] / r["low"] for r in _design_rows() if r["low"])


def _article(name: str) -> str:
    """'an AMD EPYC', 'a Xeon': the indefinite article for an English noun phrase."""
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def benchmark_caption(lang: str = "uk") -> str:
    """Where, when and how the times were measured, and what a reader's machine may show.

    Examples:
        >>> benchmark_caption("en").startswith("Time: the median of")
        True
    """
    check_lang(lang)
    data = benchmark_results()
    m, v = data["machine"], data["versions"]
    rows = _design_rows()
    spread_known = all(r["high"] is not None for r in rows)
    runs = fmt_int(data["repeats"], lang)
    overlaps = _overlapping(rows)
    ratio, wide = fmt(median_spread(), lang, 1), median_spread() >= 2
    pairs = "; ".join(f"«{pick(_SHORT_NAMES[a], lang)}» і «{pick(_SHORT_NAMES[b], lang)}»" if lang == "uk"
                      else f"“{pick(_SHORT_NAMES[a], lang)}” and “{pick(_SHORT_NAMES[b], lang)}”"
                      for a, b in overlaps)
    spread = _t(
        "Поруч — найшвидший і найповільніший запуски. " if spread_known else
        f"Поруч — найшвидший запуск; розкид {'великий' if wide else 'невеликий'}: медіана буває "
        f"в {ratio} раза більшою за найшвидший запуск. ",
        "Next to the median: the fastest and the slowest run. " if spread_known else
        f"Next to the median: the fastest run. The spread is {'wide' if wide else 'narrow'}: a median can be "
        f"{ratio} times the fastest run. ", lang)
    if overlaps:
        spread += _t(f"Діапазони сусідніх за місцем схем перетинаються ({pairs}), тож їхній порядок "
                     "ненадійний і може змінитися від запуску до запуску. ",
                     f"The ranges of neighbours in the ranking overlap ({pairs}), so their order is "
                     "not reliable and may change from run to run. ", lang)
    return _t(
        f"Час — медіана {runs} запусків нашої `conv2d` на вході 1×64×56×56 (float64); місця — за "
        f"медіаною. {spread}Виміряно {_date(data['date'], lang)} на {m['cpu']} "
        f"({count(m['cores'], _CORES, lang)}), Python {v['python']}, NumPy {v['numpy']}. На вашому комп'ютері час буде іншим: "
        "інший процесор, інша бібліотека BLAS чи інше "
        "навантаження змінюють швидкість, але не кількість множень. Числа взято з файлу `benchmarks/results/conv_designs.json`; "
        "оновлює їх команда `uv run python benchmarks/conv_designs.py`, а не збирання сайту.",
        f"Time: the median of {runs} runs of our `conv2d` on a 1×64×56×56 input (float64); rows are "
        f"ranked by the median. {spread}Measured on {_date(data['date'], lang)} on {_article(m['cpu'])} "
        f"({count(m['cores'], _CORES, lang)}), Python {v['python']}, NumPy {v['numpy']}. Your machine will give other times: "
        "another processor, BLAS library or load changes the speed, not the "
        "count. The numbers come from `benchmarks/results/conv_designs.json`; "
        "`uv run python benchmarks/conv_designs.py` refreshes them; the site build does not.", lang)


def timing_facts() -> dict:
    """The facts the prose relies on (median times): fastest design, where time and count disagree.

    Examples:
        >>> timing_facts()["fewest"]
        'dw7+pw'
    """
    rows = _design_rows()
    base = rows[0]
    by_time = min(rows, key=lambda r: r["seconds"])
    by_count = min(rows, key=lambda r: r["cost"].multiplications)
    slowest_rate = min(rows, key=lambda r: r["rate"])
    fastest_rate = max(rows, key=lambda r: r["rate"])
    return {"fastest": by_time["key"], "fewest": by_count["key"], "slowest_rate": slowest_rate["key"],
            "fastest_rate": fastest_rate["key"],
            "count_ratio": {r["key"]: base["cost"].multiplications / r["cost"].multiplications for r in rows},
            "time_ratio": {r["key"]: base["seconds"] / r["seconds"] for r in rows},
            "rate": {r["key"]: r["rate"] for r in rows}}


def timing_note(lang: str = "uk") -> str:
    """An admonition: where the measured time disagrees with the count (computed sentence).

    Examples:
        >>> timing_note("en").splitlines()[0]
        '!!! warning "Fewer multiplications do not mean proportionally less time"'
    """
    check_lang(lang)
    f = timing_facts()
    key = f["slowest_rate"]
    name, best = pick(_SHORT_NAMES[key], lang), pick(_SHORT_NAMES[f["fastest_rate"]], lang)
    fewer, faster = fmt(f["count_ratio"][key], lang, 1), fmt(f["time_ratio"][key], lang, 1)
    rate, best_rate = fmt(f["rate"][key], lang, 1), fmt(f["rate"][f["fastest_rate"]], lang, 1)
    title = _t("Менше множень ще не означає швидше", "Fewer multiplications do not mean proportionally less time", lang)
    body = _t(
        f"Схема «{name}» виконує в {fewer} раза менше множень, ніж одна 7×7, але в нашій NumPy-реалізації "
        f"за медіаною швидша тільки в {faster} раза: вона виконує лише {rate} млрд множень за секунду, тоді як "
        f"«{best}» — {best_rate}. Поканальна згортка обробляє кожен канал окремо, тож на кожне "
        "завантажене з пам'яті число припадає мало обчислень, і швидкість обмежує пропускна здатність "
        "пам'яті, а не арифметика. Звичайна згортка натомість зводиться до великих матричних добутків, які BLAS "
        "виконує дуже ефективно. Кількість множень чесно вимірює роботу, але не час.",
        f"The *{name}* design needs 1/{fewer} of the multiplications of one 7×7, but in our NumPy "
        f"implementation it is only {faster} times faster (median): it manages {rate} billion "
        f"multiplications per second, while *{best}* manages {best_rate}. A depthwise convolution "
        "multiplies each channel on its own, so every number loaded from memory is used for little "
        "arithmetic, and the speed is bound by memory rather than by arithmetic. A standard convolution, "
        "on the other hand, becomes large matrix products, which BLAS runs efficiently. "
        "The count is an honest measure of work, not of time.", lang)
    return f'!!! warning "{title}"\n\n' + "\n".join("    " + line for line in _wrap(body))


HDC_COUNTER = (2, 3)  # no common factor > 1, yet holes: the counter-example
HDC_RATES = (1, 2, 5)  # the rates of hybrid dilated convolution (Wang et al., 2018)
_PIXELS = {"uk": ("піксель", "пікселі", "пікселів"), "en": ("pixel", "pixels")}


def dilation_coverage(rates) -> dict:
    """Field of a stack of 3×3 layers with the given dilations, and how many of its pixels it sees.

    Examples:
        >>> dilation_coverage((2, 2))
        {'side': 9, 'area': 81, 'reached': 25}
    """
    counts = path_counts([Conv(3, dilation=d) for d in rates])
    reached = int(np.count_nonzero(counts))
    return {"side": counts.shape[0], "area": int(counts.size), "reached": reached}


def dilation_advice(lang: str = "uk") -> str:
    """The closing advice: three 3×3 when dense products are fast; dilation rates with no holes.

    Examples:
        >>> "no common factor" in dilation_advice("en")
        True
    """
    check_lang(lang)
    bad, good = dilation_coverage(HDC_COUNTER), dilation_coverage(HDC_RATES)
    b1, b2 = HDC_COUNTER
    rates = ", ".join(str(r) for r in HDC_RATES)
    holes = bad["area"] - bad["reached"]
    side, good_side = f"{bad['side']}×{bad['side']}", f"{good['side']}×{good['side']}"
    return _t(
        "Коли обладнання найкраще справляється саме зі щільними матричними добутками, а каналів "
        "небагато, надійний вибір — **три 3×3**: параметрів менше, ніж у 7×7, поле те саме, ще "
        "й дві додаткові нелінійності. **Розширення** — найдешевший спосіб іще збільшити поле, не зменшуючи "
        "роздільної здатності карти ознак. "
        "Однакове розширення 1 у шарах поспіль нічим не шкодить (це звичайний стос 3×3), а "
        "однакові розширення, більші за 1, лишають пропуски (ефект сітки). Гібридна розширена "
        "згортка (HDC, Wang та ін., 2018) добирає розширення так, щоб пропусків не лишалося: "
        "такі розширення не мають спільного дільника, більшого за 1, і зростають досить "
        "повільно, щоб кожен шар заповнював проміжки попередніх (точну умову наведено в "
        "статті). Самої відсутності спільного дільника замало: шар 3×3 з розширенням "
        f"{b1}, а за ним шар 3×3 з розширенням {b2} мають поле {side}, але бачать лише "
        f"{bad['reached']} з {count(bad['area'], _PIXELS_OF, lang)}, а "
        f"{count(holes, _PIXELS, lang)} лишаються пропусками. Розширення {rates} покривають "
        f"усі {count(good['area'], _PIXELS, lang)} свого поля {good_side}.",
        "When dense matrix products are what the hardware does best and there are few channels, "
        "**three 3×3** layers are the safe choice: fewer parameters than 7×7, the same field, "
        "two extra nonlinearities. **Dilation** is the cheapest way to grow a field further without "
        "downsampling. "
        "Stacking equal dilations is fine for dilation 1 (the plain 3×3 stack), but equal "
        "dilations above 1 leave holes (gridding). Hybrid dilated convolution (Wang et al., "
        "2018) chooses rates that leave no holes: they have no common factor greater than 1, "
        "and they grow slowly enough for each layer to fill the gaps of the ones before (the "
        "paper states the exact condition). Having no common factor is not enough on its own: a 3×3 "
        f"layer with dilation {b1} followed by a 3×3 layer with dilation {b2} has a field of {side} "
        f"but sees only {bad['reached']} of its {count(bad['area'], _PIXELS, lang)}, leaving "
        f"{count(holes, _PIXELS, lang)} as holes. The rates {rates} cover all "
        f"{count(good['area'], _PIXELS, lang)} of their {good_side} field.", lang)


def literal_facts() -> dict:
    """The dilated pair "3×3 + 3×3, d = 2" on the comparison layer: share of one 7×7's count, field.

    Examples:
        >>> f = literal_facts()
        >>> f["side"], f["reached"], f["area"]
        (7, 49, 49)
    """
    rows = {r["key"]: r for r in _design_rows()}
    base, dil = rows["7x7"], rows["dil12"]
    return {"share": dil["cost"].multiplications / base["cost"].multiplications,
            "side": dil["cost"].receptive_field[0], "reached": dil["reached"], "area": int(dil["area"])}


def literal_answer(lang: str = "uk") -> str:
    """A bullet: read literally (a principle the article lacks), the task's answer is dilation.

    Examples:
        >>> literal_answer("en").startswith("- Read strictly")
        True
    """
    check_lang(lang)
    f = literal_facts()
    share = _pct(100 * f["share"], lang, 0)
    side = f"{f['side']}×{f['side']}"
    holes = f["area"] - f["reached"]
    if holes:
        field_uk = f"поле {side}, але {count(holes, _PIXELS, lang)} в ньому лишаються пропусками"
        field_en = f"a {side} field, but {count(holes, _PIXELS, lang)} in it are left as holes"
    else:
        field_uk, field_en = f"поле {side} без пропусків", f"a {side} field with no holes"
    return _t(
        "- Якщо ж читати завдання буквально — як прохання про принцип, якого в статті немає взагалі, — "
        "відповіддю буде **розширення**: шар 3×3, а за ним шар 3×3 з розширенням 2 («3×3 + 3×3, d = 2» у таблиці) "
        f"потребують {share} множень однієї 7×7 і мають {field_uk}.",
        "- Read strictly, as asking for a principle the article does not cover at all, the task's answer "
        "is **dilation**: a 3×3 layer followed by a 3×3 layer with dilation 2 (“3×3 + 3×3, d = 2” "
        f"in the table) needs {share} of the multiplications of one 7×7 and has {field_en}.", lang)


def _wrap(text: str, width: int = 100) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


# ---------------------------------------------------------------- the receptive-field figure

_CELL = 14
_GRID = 9


@cache
def _paths(key: str) -> np.ndarray:
    """Path counts of one design, channels aside (cached: both languages draw the same map)."""
    counts = path_counts(design_layers(key, 1))
    counts.flags.writeable = False
    return counts


@cache
def _most_paths() -> int:
    return max(int(_paths(key).max()) for key in DESIGNS)


def _shade(n: int) -> str:
    """Opacity for n paths on one scale for every panel: logarithmic, 1 path is the lightest."""
    return f"{0.22 + 0.68 * np.log(n) / np.log(max(_most_paths(), 2)):.2f}"


def _paths_label(n: int, lang: str) -> str:
    return count(n, _PATHS, lang)


def field_peaks(counts: np.ndarray) -> dict:
    """Where a path-count map peaks, as offsets (row, column) from the centre of the field.

    ``kind`` is "flat" (every reached pixel has the same count), "centre" (the centre alone
    has the most paths) or "ring" (the most paths lead from elsewhere).

    Examples:
        >>> f = field_peaks(np.outer([1, 1, 2, 1, 2, 1, 1], [1, 1, 2, 1, 2, 1, 1]))
        >>> f["kind"], f["most"], f["offsets"], f["centre"], f["corner"]
        ('ring', 4, ((-1, -1), (-1, 1), (1, -1), (1, 1)), 1, 1)
    """
    counts = np.asarray(counts)
    rh, rw = counts.shape
    most = int(counts.max())
    reached = counts[counts > 0]
    offsets = tuple((int(i) - rh // 2, int(j) - rw // 2) for i, j in zip(*np.nonzero(counts == most)))
    if int(reached.min()) == most:
        kind = "flat"
    elif offsets == ((0, 0),):
        kind = "centre"
    else:
        kind = "ring"
    return {"kind": kind, "most": most, "offsets": offsets, "centre": int(counts[rh // 2, rw // 2]),
            "corner": int(counts[0, 0])}


def _offsets_text(offsets) -> str:
    """((−1, −1), (−1, 1), (1, −1), (1, 1)) as (±1, ±1); anything else listed."""
    sizes = {(abs(a), abs(b)) for a, b in offsets}
    if len(sizes) == 1:
        a, b = sizes.pop()
        full = {(sa * a, sb * b) for sa in (-1, 1) for sb in (-1, 1)}
        if set(offsets) == full:
            return "({}, {})".format(*(("±" + str(v)) if v else "0" for v in (a, b)))
    return ", ".join(f"({a}, {b})".replace("-", "−") for a, b in offsets)


def _field_desc(counts: np.ndarray, lang: str) -> str:
    """The panel's description, generated from its path counts."""
    rh, rw = counts.shape
    reached = int(np.count_nonzero(counts))
    f = field_peaks(counts)
    head = _t(f"Поле {rh}×{rw}; до пікселя виходу доходять {reached} з {count(counts.size, _PIXELS_OF, lang)}",
              f"Field {rh}×{rw}; {reached} of {count(counts.size, _PIXELS_OF, lang)} reach the output pixel", lang)
    if f["kind"] == "flat":
        tail = _t(f"; від кожного з них веде {count(f['most'], _PATHS, lang)}.",
                  f", each by {count(f['most'], _PATHS, lang)}.", lang)
    elif f["kind"] == "centre":
        tail = _t(f"; найбільше шляхів веде від центрального пікселя: {f['most']}; від кутового — "
                  f"{f['corner']}.",
                  f"; the centre has the most paths, {f['most']}; a corner has {count(f['corner'], _PATHS, lang)}.",
                  lang)
    else:
        where = _offsets_text(f["offsets"])
        k = len(f["offsets"])
        tail = _t(f"; найбільше шляхів, по {f['most']}, веде від {count(k, _PIXELS_OF, lang)} зі зміщенням "
                  f"{where} від центру, а від самого центру — {count(f['centre'], _PATHS, lang)}.",
                  f"; the most paths, {f['most']} each, lead from the {count(k, _PIXELS_OF, lang)} at "
                  f"offsets {where} from the centre, and the centre itself has {count(f['centre'], _PATHS, lang)}.",
                  lang)
    return head + tail


def receptive_field_note(lang: str = "uk") -> str:
    """The paragraph under the figure, generated per design from the path counts.

    Examples:
        >>> "(±1, ±1)" in receptive_field_note("en")
        True
    """
    check_lang(lang)
    groups = {"flat": [], "centre": [], "ring": []}
    peaks = {}
    for key in DESIGNS:
        counts = _paths(key)
        peaks[key] = (field_peaks(counts), counts)
        groups[peaks[key][0]["kind"]].append(key)

    def names(keys):
        quoted = [f"«{pick(_SHORT_NAMES[k], lang)}»" if lang == "uk" else f"*{pick(_SHORT_NAMES[k], lang)}*"
                  for k in keys]
        joiner = " і " if lang == "uk" else " and "
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + joiner + quoted[-1]

    parts = []
    if groups["flat"]:
        parts.append(_t(f"У схемах {names(groups['flat'])} від кожного досяжного пікселя веде однакова "
                        "кількість шляхів: поле рівномірне.",
                        f"The designs {names(groups['flat'])} reach every pixel by the same number of "
                        "paths: their field is uniform.", lang))
    if groups["centre"]:
        parts.append(_t(f"Стоси {names(groups['centre'])} надають центру найбільшої ваги: їхнє поле має "
                        "розмір, показаний пунктиром, але «ефективна» його частина менша.",
                        f"The stacks {names(groups['centre'])} weight the centre most heavily: their field is the "
                        "size of the dashed outline, but its “effective” part is smaller.", lang))
    for key in groups["ring"]:
        f = peaks[key][0]
        parts.append(_t(
            f"У стосі «{pick(_SHORT_NAMES[key], lang)}» найбільше шляхів ({f['most']}) веде від пікселів зі "
            f"зміщенням {_offsets_text(f['offsets'])}, а не від центру: від самого центру — {count(f['centre'], _PATHS, lang)}, "
            f"стільки ж, скільки від кута.",
            f"In *{pick(_SHORT_NAMES[key], lang)}* the most paths ({f['most']}) lead from the pixels at "
            f"offsets {_offsets_text(f['offsets'])}, not from the centre: the centre has {count(f['centre'], _PATHS, lang)}, "
            "as many as a corner.", lang)
            if f["centre"] == f["corner"] else _t(
            f"У стосі «{pick(_SHORT_NAMES[key], lang)}» найбільше шляхів ({f['most']}) веде від пікселів зі "
            f"зміщенням {_offsets_text(f['offsets'])}, а не від центру: від самого центру — {count(f['centre'], _PATHS, lang)}.",
            f"In *{pick(_SHORT_NAMES[key], lang)}* the most paths ({f['most']}) lead from the pixels at "
            f"offsets {_offsets_text(f['offsets'])}, not from the centre: the centre has {count(f['centre'], _PATHS, lang)}.",
            lang))
    gridded = [k for k in DESIGNS if np.count_nonzero(peaks[k][1]) < peaks[k][1].size]
    for key in gridded:
        counts = peaks[key][1]
        reached, area = int(np.count_nonzero(counts)), counts.size
        parts.append(_t(
            f"Два шари 3×3 з однаковим розширенням 2 («{pick(_SHORT_NAMES[key], lang)}») бачать лише "
            f"{reached} з {count(area, _PIXELS_OF, lang)} свого поля {_shape(counts.shape)} — саме це й "
            "називають ефектом сітки; а з розширеннями 1, потім 2, поле покрито повністю.",
            f"Two 3×3 layers with the same dilation 2 (*{pick(_SHORT_NAMES[key], lang)}*) see only {reached} of "
            f"the {area} pixels of their {_shape(counts.shape)} field, which is what gridding means, whereas "
            "dilations 1 then 2 cover every pixel.", lang))
    return " ".join(parts)


def _panel(key: str, lang: str) -> ET.Element:
    counts = _paths(key)
    rh, rw = counts.shape
    size = _GRID * _CELL
    width, height = size + 16, size + 70
    name = pick(_SHORT_NAMES[key], lang)
    reached = int(np.count_nonzero(counts))
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
        "width": str(width), "class": "lesson-figure rf-panel", "role": "img",
        "aria-labelledby": f"rf-{key}-title rf-{key}-desc".replace("+", "-").replace("(", "").replace(")", ""),
        "font-family": "sans-serif", "font-size": "11",
    })
    ident = f"rf-{key}".replace("+", "-").replace("(", "").replace(")", "")
    title = ET.SubElement(svg, "title", {"id": f"{ident}-title"})
    title.text = _t(f"Рецептивне поле: {name}", f"Receptive field: {name}", lang)
    desc = ET.SubElement(svg, "desc", {"id": f"{ident}-desc"})
    desc.text = _field_desc(counts, lang)
    head = ET.SubElement(svg, "text", {"x": str(width / 2), "y": "13", "text-anchor": "middle",
                                        "font-weight": "bold", "fill": "currentColor"})
    head.text = name
    top, left = 22, 8
    off_r, off_c = (_GRID - rh) // 2, (_GRID - rw) // 2
    # one path per shade, each row's run of equally shaded cells one rectangle in it: the same
    # picture as a <rect> per cell at a quarter of the bytes (this figure is a fifth of the page)
    cells = ET.SubElement(svg, "g", {"fill": "currentColor"})
    runs: dict[str, list[str]] = {}
    for i in range(rh):
        shades = [_shade(int(c)) if c else None for c in counts[i]]
        for shade, run in itertools.groupby(enumerate(shades), key=lambda cell: cell[1]):
            run = list(run)
            if shade is not None:
                x, y, w = left + (run[0][0] + off_c) * _CELL, top + (i + off_r) * _CELL, len(run) * _CELL
                runs.setdefault(shade, []).append(f"M{x} {y}h{w}v{_CELL}h-{w}z")
    for shade in sorted(runs):
        ET.SubElement(cells, "path", {"d": "".join(runs[shade]), "fill-opacity": shade})
    lines = [f"M{left} {top + k * _CELL}h{size}" for k in range(_GRID + 1)]
    lines += [f"M{left + k * _CELL} {top}v{size}" for k in range(_GRID + 1)]
    ET.SubElement(svg, "path", {"d": "".join(lines), "fill": "none", "stroke": "currentColor",
                                "stroke-opacity": "0.3", "stroke-width": "0.5"})
    # the field's outline, dashed
    ET.SubElement(svg, "rect", {"x": str(left + off_c * _CELL), "y": str(top + off_r * _CELL),
                                "width": str(rw * _CELL), "height": str(rh * _CELL), "fill": "none",
                                "stroke": "currentColor", "stroke-width": "1.5",
                                "stroke-dasharray": "4 2"})
    # the output pixel sits over the centre
    cx, cy = left + (_GRID // 2 + 0.5) * _CELL, top + (_GRID // 2 + 0.5) * _CELL
    ET.SubElement(svg, "circle", {"cx": str(cx), "cy": str(cy), "r": "3.5",
                                  "style": "fill: var(--md-default-bg-color, Canvas)",
                                  "stroke": "currentColor", "stroke-width": "1.2"})
    lines = [_t(f"поле {rh}×{rw}", f"field {rh}×{rw}", lang),
             _t(f"досяжні: {reached} з {counts.size}", f"reached: {reached} of {counts.size}", lang)]
    for k, line in enumerate(lines):
        t = ET.SubElement(svg, "text", {"x": str(width / 2), "y": str(top + size + 16 + 14 * k),
                                        "text-anchor": "middle", "fill": "currentColor"})
        t.text = line
    return svg


def _legend(lang: str) -> ET.Element:
    width, height = 142, 196
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
        "width": str(width), "class": "lesson-figure rf-panel", "role": "img",
        "aria-labelledby": "rf-legend-title", "font-family": "sans-serif", "font-size": "11",
    })
    title = ET.SubElement(svg, "title", {"id": "rf-legend-title"})
    title.text = _t("Як читати рисунок", "How to read the figure", lang)
    head = ET.SubElement(svg, "text", {"x": "4", "y": "13", "font-weight": "bold", "fill": "currentColor"})
    head.text = _t("Як читати", "How to read", lang)
    most = _most_paths()
    middle = round(np.sqrt(most))
    entries = [("none", _t("недосяжний", "never reached", lang))]
    entries += [(_shade(n), _paths_label(n, lang)) for n in (1, middle, most)]
    for k, (opacity, label) in enumerate(entries):
        y = 26 + 22 * k
        attrs = {"x": "4", "y": str(y), "width": "14", "height": "14", "stroke": "currentColor",
                 "stroke-opacity": "0.3", "stroke-width": "0.5"}
        attrs.update({"fill": "none"} if opacity == "none" else
                     {"fill": "currentColor", "fill-opacity": opacity})
        ET.SubElement(svg, "rect", attrs)
        t = ET.SubElement(svg, "text", {"x": "24", "y": str(y + 11), "fill": "currentColor"})
        t.text = label
    y = 26 + 22 * 4
    ET.SubElement(svg, "rect", {"x": "4", "y": str(y), "width": "14", "height": "14", "fill": "none",
                                "stroke": "currentColor", "stroke-width": "1.5",
                                "stroke-dasharray": "4 2"})
    t = ET.SubElement(svg, "text", {"x": "24", "y": str(y + 11), "fill": "currentColor"})
    t.text = _t("межа поля", "field boundary", lang)
    y += 22
    ET.SubElement(svg, "circle", {"cx": "11", "cy": str(y + 7), "r": "3.5",
                                  "style": "fill: var(--md-default-bg-color, Canvas)",
                                  "stroke": "currentColor", "stroke-width": "1.2"})
    t = ET.SubElement(svg, "text", {"x": "24", "y": str(y + 11), "fill": "currentColor"})
    t.text = _t("піксель виходу", "output pixel", lang)
    y += 22
    t = ET.SubElement(svg, "text", {"x": "4", "y": str(y + 11), "fill": "currentColor"})
    t.text = _t("канали не показано", "channels not shown", lang)
    return svg


@cache
def receptive_field_figure(lang: str = "uk") -> str:
    """Inline HTML: one small SVG grid per design, shaded by the number of paths, and a legend.

    Examples:
        >>> receptive_field_figure("en").count("<svg")
        8
    """
    check_lang(lang)
    panels = [_panel(key, lang) for key in DESIGNS] + [_legend(lang)]
    body = "".join(ET.tostring(p, encoding="unicode") for p in panels)
    return ('<div class="rf-figure" style="display:flex;flex-wrap:wrap;gap:0.5rem;'
            'justify-content:center">' + body + "</div>")


# ---------------------------------------------------------------- the CLI on the page


def cli_demo(argv: list[str], lang: str = "uk") -> str:
    """A console block: the command with ``--lang``, what it prints and, on failure, its exit code.

    Examples:
        >>> print(cli_demo(["--input", "9x9", "3x3"], "en"))
        ```console
        $ uv run python -m lessons.conv --lang en --input 9x9 3x3
        layer  output C×H×W  parameters  multiplications  receptive field
        input  1×9×9
        3x3    1×7×7                  9              441              3×3
        total  1×7×7                  9              441              3×3
        ```
    """
    return console("lessons.conv", main, ["--lang", check_lang(lang), *argv])


# the "count your own stack" form: the CLI's grammar, counted in the reader's browser
STACK_DEFAULTS = {"input": "20x20x1", "layers": "7x1 1x7"}  # the homework's input, its separable pair
# labels are text; hints are markup of ours (code spans), never the reader's
_FORM = {
    "input": {"uk": "Вхід", "en": "Input"},
    "input_hint": {"uk": "Висота, ширина й кількість каналів через x: <code>20x20x1</code> або "
                         "<code>56x56x64</code>; якщо третього числа немає, канал один.",
                   "en": "Height, width and channels joined by x: <code>20x20x1</code> or "
                         "<code>56x56x64</code>; without the third number, one channel."},
    "layers": {"uk": "Шари", "en": "Layers"},
    "layers_hint": {"uk": "Шари й налаштування — через пробіл; кожен шар починається з ядра (<code>7x7</code>, "
                          "<code>7x1</code> або просто <code>5</code>), за ним можуть іти налаштування: "
                          "<code>s2</code> — крок, "
                          "<code>p3</code>, <code>same</code> або <code>valid</code> — доповнення, "
                          "<code>d2</code> — розширення, <code>g4</code> — групи, <code>dw</code> — поканальна згортка, "
                          "<code>c64</code> — кількість вихідних каналів. Наприклад: "
                          "<code>7x7 same dw 1x1 c128</code>.",
                    "en": "Layers and their options separated by spaces; each layer starts with its kernel "
                          "(<code>7x7</code>, "
                          "<code>7x1</code> or just <code>5</code>), then any options: <code>s2</code> "
                          "stride, <code>p3</code>, <code>same</code> or <code>valid</code> padding, "
                          "<code>d2</code> dilation, <code>g4</code> groups, <code>dw</code> depthwise convolution, "
                          "<code>c64</code> output channels. For example: <code>7x7 same dw 1x1 c128</code>."},
    "count": {"uk": "Порахувати", "en": "Count the stack"},
}


def stack_form_html(lang: str = "uk") -> str:
    """The form that counts a reader's own stack with the CLI's grammar (``lessons.conv_cost.try_stack``).

    Without JavaScript it shows the build's result for :data:`STACK_DEFAULTS`; with it, the
    page's script runs ``try_stack`` in the browser on every submit and replaces the output.

    Examples:
        >>> html = stack_form_html("en")
        >>> html.startswith('<form class="try-form" data-try="stack" novalidate>')
        True
        >>> 'name="layers" value="7x1 1x7"' in html and '<div class="try-output" data-try-output' in html
        True
    """
    lang = check_lang(lang)
    from lessons.markdown import try_form_html

    t = lambda key: pick(_FORM[key], lang)  # noqa: E731
    result = try_stack(STACK_DEFAULTS, lang, "stack")
    shown = result["html"] if "html" in result else f'<p class="try-error">{escape(result["error"])}</p>'
    fields = [(name, t(name), STACK_DEFAULTS[name], t(name + "_hint")) for name in ("input", "layers")]
    return try_form_html("stack", lang, fields, t("count"), shown)


# ---------------------------------------------------------------- the folded answers


def answers(lang: str = "uk") -> str:
    """The short answers to the task, as a Markdown list (for the folded block).

    Item 2 keeps its second paragraph inside the item (four spaces, after a blank line), so
    the list does not break before item 3.

    Examples:
        >>> answers("en").splitlines()[0][:34]
        '1. **Three 3×3 layers** keep the 7'
        >>> [line[:3] for line in answers("en").splitlines() if line[:1].isdigit()]
        ['1. ', '2. ', '3. ']
    """
    check_lang(lang)
    rows = {(r["key"], r["padding"]): r["cost"] for r in homework_counts()}
    v7, s7 = rows[("7x7", "valid")], rows[("7x7", "same")]
    vs, ss = rows[("sep", "valid")], rows[("sep", "same")]
    d = {r["key"]: r["cost"] for r in _design_rows()}
    one = cost([Conv(7, 1, 1, groups=1), Conv(1, 1, 1)], 20, 20)  # depthwise 7×7 + 1×1 on one channel
    n = lambda x: fmt_int(x, lang)
    share = _pct(d["dw7+pw"].multiplications / d["7x7"].multiplications * 100, lang, 1)
    vgg = _pct(d["3x3x3"].params / d["7x7"].params * 100, lang, 0)
    # the site's question first, then the check of the student's example, then the homework's question
    return "\n".join([
        _t(f"1. **Три шари 3×3** мають те саме рецептивне поле {_shape(d['3x3x3'].receptive_field)} і {vgg} "
           "параметрів шару 7×7 за однакової кількості каналів, а також дві додаткові нелінійності.",
           f"1. **Three 3×3 layers** keep the {_shape(d['3x3x3'].receptive_field)} receptive field with {vgg} "
           "of the parameters of one 7×7 layer at the same channel count, and add two nonlinearities.", lang),
        _t(f"2. **Перевірка прикладу студента (20×20×1).** Один шар 7×7 без доповнення: вихід "
           f"{_shape(v7.output_shape[1:])}, множень — {n(v7.multiplications)}; з доповненням «same»: вихід "
           f"{_shape(s7.output_shape[1:])}, множень — {n(s7.multiplications)}.",
           f"2. **Checking the student's example (20×20×1).** One 7×7 layer without padding: a "
           f"{_shape(v7.output_shape[1:])} output, {n(v7.multiplications)} multiplications; with “same” "
           f"padding: {_shape(s7.output_shape[1:])}, {n(s7.multiplications)}.", lang),
        "",
        _t(f"    7×1, потім 1×7 без доповнення: множень {n(vs.per_layer[0].multiplications)} + "
           f"{n(vs.per_layer[1].multiplications)} = {n(vs.multiplications)} (вихід "
           f"{_shape(vs.output_shape[1:])}); з «same»: {n(ss.multiplications)}. Ця заміна точна лише "
           "для ядер рангу 1.",
           f"    7×1, then 1×7, without padding: {n(vs.per_layer[0].multiplications)} + "
           f"{n(vs.per_layer[1].multiplications)} = {n(vs.multiplications)} multiplications (a "
           f"{_shape(vs.output_shape[1:])} output); with “same”: {n(ss.multiplications)}. It replaces "
           "a 7×7 exactly only for a rank-1 kernel.", lang),
        "",
        _t(f"3. **Інша заміна:** поканальна 7×7 + поточкова 1×1. На шарі 56×56 з 64 каналами на вході й на "
           f"виході: параметрів {n(d['dw7+pw'].params)} замість {n(d['7x7'].params)}, множень — {share} від "
           f"7×7, поле {_shape(d['dw7+pw'].receptive_field)} без пропусків.",
           f"3. **Another replacement:** depthwise 7×7 + pointwise 1×1. On a 56×56 layer with 64 "
           f"channels in and out: {n(d['dw7+pw'].params)} parameters instead of {n(d['7x7'].params)}, "
           f"{share} of the multiplications, a {_shape(d['dw7+pw'].receptive_field)} field with no holes.", lang),
        "",
        _t("    На одноканальному зображенні 20×20 із розв'язку вона нічого не заощаджує: поканальна 7×7 на "
           f"одному каналі — це та сама 7×7 ({count(one.per_layer[0].multiplications, _MULTS, lang)} без "
           "доповнення), "
           f"а шар 1×1 додає ще {n(one.per_layer[1].multiplications)}. Виграш з'являється лише тоді, коли "
           "каналів багато.",
           "    On the student's one-channel 20×20 image it saves nothing: a depthwise 7×7 on one channel "
           f"is the 7×7 itself ({n(one.per_layer[0].multiplications)} multiplications without padding), and "
           f"the 1×1 layer adds {n(one.per_layer[1].multiplications)} more. The saving comes only with many "
           "channels.", lang),
    ])
