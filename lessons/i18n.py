"""Languages of the site and the one number formatter every page and figure uses.

Ukrainian writes a decimal comma (0,73) and groups thousands with a narrow no-break
space (19 600); English writes 0.73 and 19,600. We format by hand instead of with the
``locale`` module because a fresh machine has no ``uk_UA`` locale installed. Both
languages use the true minus sign (U+2212), which screen readers read as "minus".
"""

from __future__ import annotations

import math
import numbers

__all__ = ["LANGS", "check_digits", "check_lang", "count", "fmt", "fmt_int", "fmt_sci", "pick", "plural"]

LANGS = ("uk", "en")
MINUS = "\u2212"
_THOUSANDS = {"uk": "\u202f", "en": ","}
_DECIMAL = {"uk": ",", "en": "."}


def check_lang(lang: object) -> str:
    """Return ``lang`` if the site has that language, else raise ValueError.

    Examples:
        >>> check_lang("uk")
        'uk'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang  # type: ignore[return-value]


def check_digits(digits: object) -> int:
    """Return ``digits`` if it is a non-negative int (a count of decimals), else raise.

    Examples:
        >>> check_digits(2)
        2
    """
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise TypeError(f"digits must be an int, got {type(digits).__name__}")
    if digits < 0:
        raise ValueError(f"digits must be >= 0, got {digits}")
    return int(digits)


def fmt(x: float, lang: str = "uk", digits: int = 2, *, sign: bool = False) -> str:
    """A number with ``digits`` decimals in the page's language.

    Examples:
        >>> fmt(-0.19661193, "uk"), fmt(-0.19661193, "en"), fmt(12345.5, "uk", 1)
        ('−0,20', '−0.20', '12\u202f345,5')
    """
    lang = check_lang(lang)
    digits = check_digits(digits)
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return ("" if x > 0 else MINUS) + "∞"
    text = f"{abs(x):,.{digits}f}"
    # rounding can turn a tiny negative into "-0.00": show it as 0
    negative = x < 0 and float(text.replace(",", "")) != 0.0
    text = text.replace(",", "\0").replace(".", _DECIMAL[lang]).replace("\0", _THOUSANDS[lang])
    positive = x > 0 and float(text.replace(_THOUSANDS[lang], "").replace(",", ".")) != 0.0
    prefix = MINUS if negative else ("+" if sign and positive else "")
    return prefix + text


def fmt_int(n: int, lang: str = "uk") -> str:
    """An integer with the thousands separator of ``lang``.

    Examples:
        >>> fmt_int(19600, "uk"), fmt_int(19600, "en"), fmt_int(-5, "en")
        ('19\u202f600', '19,600', '−5')
    """
    lang = check_lang(lang)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    text = f"{abs(int(n)):,}".replace(",", _THOUSANDS[lang])  # exact: no detour through float
    return (MINUS if n < 0 else "") + text


def pick(texts: dict[str, str], lang: str) -> str:
    """The text for ``lang`` from a ``{"uk": ..., "en": ...}`` pair; both must be present.

    Examples:
        >>> pick({"uk": "вхід", "en": "input"}, "en")
        'input'
    """
    lang = check_lang(lang)
    missing = [code for code in LANGS if code not in texts]
    if missing:
        raise KeyError(f"translation missing for {missing} in {texts!r}")
    return texts[lang]


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def fmt_sci(x: float, lang: str = "uk", digits: int = 1) -> str:
    """A number in scientific notation as printed text: 3,2·10⁻¹¹ (uk) or 3.2·10⁻¹¹ (en).

    Examples:
        >>> fmt_sci(3.24e-11, "uk"), fmt_sci(-0.00051, "en", 2), fmt_sci(0.0, "en")
        ('3,2·10⁻¹¹', '−5.10·10⁻⁴', '0')
    """
    lang = check_lang(lang)
    digits = check_digits(digits)
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return fmt(x, lang, digits)
    mantissa, exponent = f"{float(x):.{digits}e}".split("e")
    return f"{fmt(float(mantissa), lang, digits)}·10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def plural(n: int, forms: dict[str, tuple[str, ...]], lang: str) -> str:
    """The noun form that agrees with the integer ``n`` in ``lang``.

    ``forms["uk"]`` is (one, few, many): 1 шлях, 2 шляхи, 5 шляхів (21 takes "one", 12–14
    take "many"); ``forms["en"]`` is (one, other). Every count in Ukrainian text and figures
    goes through here, so no page hard-codes a form that is wrong for some numbers.

    Examples:
        >>> paths = {"uk": ("шлях", "шляхи", "шляхів"), "en": ("path", "paths")}
        >>> [plural(n, paths, "uk") for n in (1, 3, 5, 11, 21, 22, 112)]
        ['шлях', 'шляхи', 'шляхів', 'шляхів', 'шлях', 'шляхи', 'шляхів']
        >>> plural(1, paths, "en"), plural(0, paths, "en")
        ('path', 'paths')
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    words = pick(forms, lang)
    if lang == "uk":
        if len(words) != 3:
            raise ValueError(f"forms['uk'] must be (one, few, many), got {words!r}")
        last, tens = abs(int(n)) % 10, abs(int(n)) % 100
        if last == 1 and tens != 11:
            return words[0]
        return words[1] if 2 <= last <= 4 and not 12 <= tens <= 14 else words[2]
    if len(words) != 2:
        raise ValueError(f"forms['en'] must be (one, other), got {words!r}")
    return words[0] if abs(int(n)) == 1 else words[1]


def count(n: int, forms: dict[str, tuple[str, ...]], lang: str) -> str:
    """``n`` in the page's digits followed by the agreeing noun form (see `plural`).

    Examples:
        >>> pixels = {"uk": ("пікселя", "пікселів", "пікселів"), "en": ("pixel", "pixels")}
        >>> count(81, pixels, "uk"), count(1200, pixels, "en")  # після «з»: з 81 пікселя
        ('81 пікселя', '1,200 pixels')
    """
    return f"{fmt_int(n, lang)} {plural(n, forms, lang)}"
