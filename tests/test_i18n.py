"""The number formatter: decimal comma, true minus, thousands separators, and its checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons.i18n import check_lang, fmt, fmt_int, pick

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
