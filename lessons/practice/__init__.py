"""Exercises with fresh numbers: the data every exercise kind produces, and its stable id.

An exercise *kind* (one per idea, in a module beside this one: ``gate``, ``graph``, …) turns
an index into language-neutral *parameters* (``generate``), and parameters plus a language
into a ``Variant`` (``render``): the statement, the answer fields or the options, and the
worked solution, all computed by the functions the lesson teaches. The browser only
compares what a student types with the answers written here at build time.

A variant's id is a hash of its kind and parameters, not of its language, so the id an
instructor hands out names the same numbers on both sites.

Every kind by name is :mod:`lessons.practice.catalog`'s business, not this module's: each
module of a kind imports this one, so whatever this one imported would count as an input of
every exercise block (``hooks/exec_cache.py`` keys a block by the source it reaches), and an
edit of one lesson's exercises would re-run every lesson's.

This module is pure Python (no numpy): Lesson 1's kinds must run in the browser too.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

from lessons.i18n import check_lang

__all__ = ["Field", "Kind", "Option", "Variant", "variant_id", "variant_index"]


def _finite(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return float(x)


@dataclass(frozen=True)
class Field:
    """One number a student types: what is asked, the answer, and the hints for wrong ones.

    ``stepwise`` is what a student gets by rounding to two decimals at every step, as
    the lesson warns (``rounding_trap``); it is accepted with a hint to keep more digits.
    ``mistakes`` pairs a typical wrong value with the hint it earns (a flipped sign, a
    local gradient not yet multiplied, one path of a fork); ``hint`` answers any other
    wrong value.

    Examples:
        >>> Field("x.grad", "∂f/∂x", -0.2).answer
        -0.2
    """

    key: str
    label: str
    answer: float
    stepwise: float | None = None
    digits: int = 2
    mistakes: tuple[tuple[float, str], ...] = ()
    hint: str = ""

    def __post_init__(self):
        if not isinstance(self.key, str) or not self.key.isascii() or not self.key:
            raise ValueError(f"key must be a non-empty ASCII string, got {self.key!r}")
        object.__setattr__(self, "answer", _finite("answer", self.answer))
        if self.stepwise is not None:
            object.__setattr__(self, "stepwise", _finite("stepwise", self.stepwise))
        mistakes = tuple((_finite("mistake", v), str(h)) for v, h in self.mistakes)
        object.__setattr__(self, "mistakes", mistakes)


@dataclass(frozen=True)
class Option:
    """One answer of a choice question, whether it is right, and why (inline HTML).

    Examples:
        >>> Option("z", True, "its sign flips").correct
        True
    """

    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Variant:
    """One exercise with its numbers: a numeric one (``fields``) or a choice (``options``).

    ``prompt`` and ``solution`` are HTML (a figure may sit in either); ``question`` labels
    the radio group of a choice question.

    Examples:
        >>> v = Variant("demo", {"a": 1}, "en", "Demo", "<p>2 + 2?</p>",
        ...             fields=(Field("sum", "2 + 2", 4),))
        >>> v.id == variant_id("demo", {"a": 1})
        True
    """

    kind: str
    params: dict
    lang: str
    title: str
    prompt: str
    fields: tuple[Field, ...] = ()
    options: tuple[Option, ...] = ()
    question: str = ""
    solution: str = ""
    id: str = field(init=False)

    def __post_init__(self):
        check_lang(self.lang)
        if bool(self.fields) == bool(self.options):
            raise ValueError("a variant has either fields or options, not both or neither")
        if self.options and sum(o.correct for o in self.options) != 1:
            raise ValueError("a choice question needs exactly one correct option")
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"field keys must be unique, got {keys}")
        object.__setattr__(self, "id", variant_id(self.kind, self.params))


def variant_index(i: object, count: int) -> int:
    """``i`` if it is an int in ``0 .. count - 1`` (a kind's ``generate`` argument), else raise.

    Examples:
        >>> variant_index(2, 3)
        2
    """
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i must be an int, got {type(i).__name__}")
    if not 0 <= i < count:
        raise ValueError(f"i must be in 0..{count - 1}, got {i}")
    return i


def variant_id(kind_name: str, params: dict) -> str:
    """The stable id of a variant: 12 hex digits of a hash of its kind and parameters.

    Examples:
        >>> variant_id("gate", {"op": "*", "a": 2, "b": -3, "up": 1}) == variant_id(
        ...     "gate", {"up": 1, "b": -3, "a": 2, "op": "*"})
        True
        >>> len(variant_id("gate", {}))
        12
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    text = json.dumps({"kind": kind_name, "params": params}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Kind:
    """An exercise kind: ``generate(i)`` gives variant i's parameters (0 is the page's own
    example), ``render(params, lang)`` its ``Variant``; ``count`` variants in all.

    Examples:
        >>> k = Kind("demo", lambda i: {"n": i}, lambda p, lang: None, 3)
        >>> [k.generate(i) for i in range(k.count)]
        [{'n': 0}, {'n': 1}, {'n': 2}]
    """

    name: str
    generate: Callable[[int], dict]
    render: Callable[[dict, str], Variant]
    count: int
