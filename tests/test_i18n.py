"""The number formatter: decimal comma, true minus, thousands separators, and its checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons.i18n import check_lang, count, fmt, fmt_int, pick, plural

MINUS, NNBSP = "\u2212", "\u202f"


@pytest.mark.parametrize(("args", "kwargs", "expected"), [
    ((0.7311, "uk"), {}, "0,73"),
    ((0.7311, "en"), {}, "0.73"),
    ((-1.5, "uk", 1), {}, f"{MINUS}1,5"),
    ((-1.5, "en", 3), {}, f"{MINUS}1.500"),
    ((1234567.891, "uk", 2), {}, f"1{NNBSP}234{NNBSP}567,89"),
    ((1234567.891, "en", 2), {}, "1,234,567.89"),
    ((-1234.5, "uk", 1), {}, f"{MINUS}1{NNBSP}234,5"),
    ((999.996, "en", 2), {}, "1,000.00"),
    ((-0.001, "uk", 2), {}, "0,00"),        # rounds to -0: shown without a sign
    ((-0.0, "en", 1), {}, "0.0"),
    ((0.5, "en", 1), {"sign": True}, "+0.5"),
    ((-0.5, "uk", 1), {"sign": True}, f"{MINUS}0,5"),
    ((0.0, "en", 1), {"sign": True}, "0.0"),
    ((3, "uk", 0), {}, "3"),
    ((np.float64(2.25), "uk", 1), {}, "2,2"),  # 2.25 is exact: half to even
    ((math.nan, "uk"), {}, "NaN"),
    ((math.inf, "en"), {}, "∞"),
    ((-math.inf, "uk"), {}, f"{MINUS}∞"),
])
def test_fmt(args, kwargs, expected):
    assert fmt(*args, **kwargs) == expected


def test_fmt_default_is_ukrainian_two_digits():
    assert fmt(-0.19661193) == f"{MINUS}0,20"


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (19600, "uk", f"19{NNBSP}600"), (19600, "en", "19,600"), (-5, "en", f"{MINUS}5"),
    (0, "uk", "0"), (-1234567, "uk", f"{MINUS}1{NNBSP}234{NNBSP}567"),
    (np.int64(1000), "en", "1,000"),
])
def test_fmt_int(n, lang, expected):
    assert fmt_int(n, lang) == expected


@pytest.mark.parametrize("n", [1.0, 1.5, True, "3"])
def test_fmt_int_needs_an_int(n):
    with pytest.raises(TypeError, match="int"):
        fmt_int(n)


def test_fmt_int_is_exact_for_big_integers():
    assert fmt_int(10**17 + 1, "en") == "100,000,000,000,000,001"


@pytest.mark.parametrize("lang", ["fr", "UK", "", None, ["uk"]])
def test_bad_lang(lang):
    with pytest.raises(ValueError, match="lang"):
        fmt(1.0, lang)
    with pytest.raises(ValueError, match="lang"):
        check_lang(lang)


def test_bad_digits_and_x():
    with pytest.raises(ValueError, match="digits"):
        fmt(1.0, "uk", -1)
    for digits in (1.5, True, "2"):
        with pytest.raises(TypeError, match="digits"):
            fmt(1.0, "uk", digits)
    for x in ("1", None, True, 1j):
        with pytest.raises(TypeError, match="x"):
            fmt(x, "uk")


def test_pick():
    texts = {"uk": "вхід", "en": "input"}
    assert pick(texts, "uk") == "вхід" and pick(texts, "en") == "input"
    with pytest.raises(KeyError, match="en"):
        pick({"uk": "вхід"}, "uk")           # a missing twin is an error even if unused
    with pytest.raises(ValueError, match="lang"):
        pick(texts, "de")


@pytest.mark.parametrize("x, lang, digits", [(0.001, "en", 1), (0.004, "uk", 2), (4e-9, "en", 3)])
def test_sign_never_prints_plus_zero(x, lang, digits):
    # a positive value that rounds to zero is shown as a plain zero, not "+0.0"
    assert fmt(x, lang, digits, sign=True) == fmt(0.0, lang, digits)
    assert fmt(-x, lang, digits, sign=True) == fmt(0.0, lang, digits)
    assert fmt(0.06, "en", 1, sign=True) == "+0.1"


# Ukrainian agreement of a noun with a numeral, written out by hand from the grammar
# (1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30, 111–114 → many).
_UK_PATHS = {1: "шлях", 2: "шляхи", 4: "шляхи", 5: "шляхів", 11: "шляхів", 12: "шляхів",
             14: "шляхів", 21: "шлях", 22: "шляхи", 25: "шляхів", 0: "шляхів", 101: "шлях",
             111: "шляхів", 112: "шляхів", 1001: "шлях", 1024: "шляхи"}


@pytest.mark.parametrize("n, word", sorted(_UK_PATHS.items()))
def test_plural_uk(n, word):
    assert plural(n, {"uk": ("шлях", "шляхи", "шляхів"), "en": ("path", "paths")}, "uk") == word


def test_plural_en_and_count():
    forms = {"uk": ("піксель", "пікселі", "пікселів"), "en": ("pixel", "pixels")}
    assert [plural(n, forms, "en") for n in (0, 1, 2, 81)] == ["pixels", "pixel", "pixels", "pixels"]
    assert count(19600, forms, "uk") == "19\u202f600 пікселів"
    assert count(81, forms, "en") == "81 pixels"


def test_plural_bad_input():
    forms = {"uk": ("a", "b", "c"), "en": ("a", "b")}
    with pytest.raises(TypeError, match="n must be an int"):
        plural(2.5, forms, "uk")
    with pytest.raises(ValueError, match=r"forms\['uk'\]"):
        plural(2, {"uk": ("a", "b"), "en": ("a", "b")}, "uk")
    with pytest.raises(KeyError, match="translation missing"):
        plural(2, {"uk": ("a", "b", "c")}, "en")
