"""The exercise form of a ``Variant``: HTML for the page, JSON files for the other variants.

One renderer for both: variant 0 goes into the page by an exec block
(``print(exercise_html(GATE, "uk"))``), and every variant, 0 included, is
written to ``practice/<lang>/<id>.json`` at the site root by a build hook, holding the
inner HTML of the same form, so "next" in the browser only swaps that HTML in. The form
follows the DOM contract of DESIGN.md ("On the page": exercise, choice question): every
answer the checker (``docs/assets/practice.js``) compares with sits in ``data-*``
attributes, and the messages it shows come in the page's language as ``data-msg-*``
attributes of the form, so the script has no language table.

Without JavaScript the statement reads and the worked solution sits in a ``<details>``;
the buttons show only once the script has set ``data-ready`` on the form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path

from lessons.i18n import LANGS, check_lang, pick
from lessons.practice import Field, Kind, Variant

__all__ = ["CHOICE_UI", "COUNT_UI", "UI", "exercise_html", "variant_html", "variant_inner_html", "variant_json",
           "write_variants"]

# the interface of every exercise, by language; "msg-*" become data-msg-* of the form
UI = {
    "check": {"uk": "Перевірити", "en": "Check"},
    "solution": {"uk": "Показати розв'язок", "en": "Show solution"},
    "next": {"uk": "Інший варіант", "en": "Another variant"},
    "reset": {"uk": "Почати спочатку", "en": "Start over"},
    "worked": {"uk": "Розв'язок", "en": "Solution"},
    "variant": {"uk": "Варіант", "en": "Variant"},
    "msg-right": {"uk": "Правильно.", "en": "Correct."},
    "msg-empty": {"uk": "Введіть число.", "en": "Enter a number."},
    "msg-nan": {"uk": "Це не число. Введіть, наприклад, −0,25.",
                "en": "That is not a number. Type, for example, −0.25."},
    "msg-step": {"uk": "Зараховано, але, схоже, ви округлювали на кожному кроці: у проміжних "
                       "обчисленнях залишайте більше знаків після коми.",
                 "en": "Accepted, but you seem to have rounded at every step: keep more decimal "
                       "places in intermediate results."},
    "msg-all": {"uk": "Усе правильно!", "en": "All correct!"},
    "msg-some": {"uk": "Правильних відповідей: {r} з {n}. Виправте позначені поля.",
                 "en": "{r} of {n} correct. Fix the marked fields."},
    "msg-choose": {"uk": "Оберіть відповідь.", "en": "Choose an answer."},
    "msg-wrong": {"uk": "Не зовсім. Прочитайте пояснення під кожною відповіддю.",
                  "en": "Not quite. Read the explanation under each option."},
    "msg-shown": {"uk": "Розв'язок підставлено в поля, кроки — нижче.",
                  "en": "The solution is in the fields; the steps are below."},
    "msg-solved": {"uk": "Цей варіант ви вже розв'язали.",
                   "en": "You have already solved this variant."},
    "msg-new": {"uk": "Новий варіант завантажено.", "en": "New variant loaded."},
    "msg-fail": {"uk": "Не вдалося завантажити інший варіант.",
                 "en": "Could not load another variant."},
    "msg-reset": {"uk": "Поля очищено, позначки розв'язаних варіантів стерто.",
                  "en": "The fields are cleared and all variants are marked unsolved again."},
}

# a choice question has no fields: its own words for "shown", "not all right" and "reset" (the
# checker reads whichever data-msg-* the form carries; with nothing chosen yet, msg-some
# stands beside msg-choose, so it must fit that case too)
CHOICE_UI = {
    "msg-shown": {"uk": "Правильну відповідь позначено, пояснення — нижче.",
                  "en": "The right answer is now selected; the explanations are below."},
    "msg-some": {"uk": "Правильну відповідь ще не обрано.",
                 "en": "You haven’t chosen the right answer yet."},
    "msg-reset": {"uk": "Вибір скасовано, позначки розв'язаних варіантів стерто.",
                  "en": "Your choice is cleared and all variants are marked unsolved again."},
}

# a form whose every field is a count (0 digits: conv stacks, receptive fields) gives a whole
# number as its example, not −0,25
COUNT_UI = {
    "msg-nan": {"uk": "Це не число. Введіть ціле число, наприклад 128.",
                "en": "That is not a number. Type a whole number, for example 128."},
}

# the messages that only one sort of form uses (practice.js: msg-right and msg-choose answer
# a choice; msg-empty, msg-nan and msg-step a typed number), left off the other sort's form
_CHOICE_ONLY = frozenset({"msg-right", "msg-choose"})
_FIELDS_ONLY = frozenset({"msg-empty", "msg-nan", "msg-step"})

_DERIVATIVE = re.compile(r"(∂\S*/∂[^\s,:;)]*)")


def _attr(value: object, quote: str = '"') -> str:
    """``value`` for an attribute written between ``quote``s: only that quote is escaped
    (an apostrophe in «розв'язок» stays one byte in a double-quoted attribute)."""
    text = escape(str(value), quote=False)
    return text.replace(quote, {'"': "&quot;", "'": "&#x27;"}[quote])


def _prefix(v: Variant) -> str:
    """A short prefix for the DOM ids of a variant's form: "x" and 6 hex digits of its id
    (unique among all variants of all kinds, which a test checks), so the ids, written
    three times per field, stay short."""
    return f"x{v.id[:6]}"


def _number(x: float) -> int | float:
    """A float for a data attribute or its JSON: shortest exact repr, never "-0.0", and a
    whole number without its ".0" (the same number to the checker)."""
    x = x + 0.0
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _distinct_mistakes(f: Field) -> tuple[tuple[float, str], ...]:
    """The mistakes whose hint the checker could not give anyway: one that only repeats
    ``f.hint`` is left out (any wrong value that matches no mistake gets ``f.hint``),
    unless another mistake lies within two tolerances of it (a value typed between the
    two could then match the other one instead)."""
    tol = 0.5 * 10 ** -f.digits
    kept = []
    for k, (value, hint) in enumerate(f.mistakes):
        near = any(abs(value - other) <= 2 * tol + 1e-9
                   for j, (other, _) in enumerate(f.mistakes) if j != k)
        if hint != f.hint or near:
            kept.append((value, hint))
    return tuple(kept)


def _field_html(v: Variant, i: int, f: Field) -> str:
    dom = f"{_prefix(v)}-{i}"
    data = [f'data-answer="{_number(f.answer)}"', f'data-digits="{f.digits}"']
    if f.stepwise is not None:
        data.append(f'data-stepwise="{_number(f.stepwise)}"')
    mistakes = _distinct_mistakes(f)
    if mistakes:
        # single quotes: the JSON's many double quotes stay one byte each
        text = json.dumps([[_number(m), h] for m, h in mistakes], ensure_ascii=False,
                          separators=(",", ":"))
        data.append(f"data-mistakes='{_attr(text, quote=chr(39))}'")
    if f.hint:
        data.append(f'data-hint="{_attr(f.hint)}"')
    # a derivative such as ∂f/∂x stays on one line
    label = _DERIVATIVE.sub(r'<span class="nowrap">\1</span>', escape(f.label))
    return (f'<div class="exercise-field"><label for="{dom}">{label}</label>'
            f'<input id="{dom}" name="{_attr(f.key)}" inputmode="decimal" '
            f'{" ".join(data)} aria-describedby="{dom}m">'
            f'<span class="exercise-msg" id="{dom}m" aria-live="polite"></span></div>')


def _options_html(v: Variant) -> str:
    qid = f"{_prefix(v)}-q"
    items = []
    for i, o in enumerate(v.options):
        correct = ' data-correct=""' if o.correct else ""
        items.append(
            f'<div class="exercise-option"><label><input type="radio" name="{_prefix(v)}" '
            f'value="{i}"{correct}> {o.text}</label>'
            f'<p class="exercise-explain" hidden>{o.explanation}</p></div>')
    return (f'<div class="exercise-options" role="radiogroup" aria-labelledby="{qid}" '
            f'aria-describedby="{qid}m"><p class="exercise-question" id="{qid}">{v.question}</p>'
            f'{"".join(items)}<p class="exercise-msg" id="{qid}m" aria-live="polite"></p></div>')


def _solution_html(v: Variant) -> str:
    body = v.solution
    if v.options:  # no-JS readers see the right option and why each one is right or wrong
        sign = {True: "✓", False: "✗"}
        # a full stop, not a colon, ends the option: many explanations open with «Так:» or
        # hold a colon of their own, and "option: Так: …" would chain two
        body += "<ul>" + "".join(f"<li>{sign[o.correct]} {o.text}. {o.explanation}</li>"
                                 for o in v.options) + "</ul>"
    return (f'<details class="exercise-solution"><summary>{pick(UI["worked"], v.lang)}'
            f'</summary>{body}</details>')


def _check_variant(v: object) -> Variant:
    if not isinstance(v, Variant):
        raise TypeError(f"v must be a Variant, got {type(v).__name__}")
    return v


def variant_inner_html(v: Variant) -> str:
    """What changes when "next" loads another variant: statement, fields or options, solution."""
    v = _check_variant(v)
    fields = "".join(_field_html(v, i, f) for i, f in enumerate(v.fields))
    answers = (f'<div class="exercise-fields">{fields}</div>'
               if v.fields else _options_html(v))
    return (f'<p class="exercise-title"><strong>{escape(v.title)}</strong> '
            f'<span class="exercise-id">{pick(UI["variant"], v.lang)} {v.id}</span></p>'
            f'<div class="exercise-prompt">{v.prompt}</div>{answers}{_solution_html(v)}')


def variant_html(v: Variant, ids: tuple[str, ...] = ()) -> str:
    """The whole ``<form class="exercise">`` of ``v``; ``ids`` are the variants "next" visits.

    Examples:
        >>> from lessons.practice.gate import GATE
        >>> html = variant_html(GATE.render(GATE.generate(0), "en"))
        >>> html.startswith('<form class="exercise" data-kind="backprop.gate"')
        True
    """
    v = _check_variant(v)
    lang = v.lang
    unused = _CHOICE_ONLY if v.fields else _FIELDS_ONLY
    own = (CHOICE_UI if not v.fields else
           COUNT_UI if all(f.digits == 0 for f in v.fields) else {})
    msgs = " ".join(f'data-{k}="{_attr(pick(own.get(k, t), lang))}"' for k, t in UI.items()
                    if k.startswith("msg-") and k not in unused)
    buttons = (f'<button type="submit" class="md-button md-button--primary">'
               f'{pick(UI["check"], lang)}</button>'
               + "".join(f'<button type="button" class="md-button" data-action="{a}">'
                         f'{pick(UI[a], lang)}</button>' for a in ("solution", "next", "reset")))
    return (f'<form class="exercise" data-kind="{_attr(v.kind)}" data-variant="{v.id}" '
            f'data-lang="{lang}" data-ids="{" ".join(ids or (v.id,))}" {msgs} autocomplete="off" '
            f'novalidate>'
            f'<div class="exercise-body">{variant_inner_html(v)}</div>'
            f'<div class="exercise-actions">{buttons}</div>'
            f'<p class="exercise-status" role="status" aria-live="polite"></p></form>')


def _ids(k: Kind) -> tuple[str, ...]:
    from lessons.practice import variant_id

    return tuple(variant_id(k.name, k.generate(i)) for i in range(k.count))


def exercise_html(kind: Kind, lang: str = "uk") -> str:
    """Variant 0 of ``kind`` as the form an exec block prints (``html="1"``).

    The block imports the kind from its module (``from lessons.practice.gate import GATE``),
    not by name through :mod:`lessons.practice.catalog`: so its cached output depends on that
    lesson's exercises alone (``hooks/exec_cache.py``).

    Examples:
        >>> from lessons.practice.gate import GATE
        >>> 'data-action="next"' in exercise_html(GATE, "uk")
        True
    """
    lang = check_lang(lang)
    if not isinstance(kind, Kind):
        example = (f" (import it from its module, e.g. lessons.practice.gate.GATE, rather than "
                   f"naming it {kind!r})" if isinstance(kind, str) else "")
        raise TypeError(f"kind must be a Kind, got {type(kind).__name__}{example}")
    return variant_html(kind.render(kind.generate(0), lang), _ids(kind))


def variant_json(v: Variant) -> dict:
    """The file "next" fetches: the variant's id, kind, language and inner HTML.

    Examples:
        >>> from lessons.practice.gate import GATE
        >>> sorted(variant_json(GATE.render(GATE.generate(1), "en")))
        ['html', 'id', 'kind', 'lang']
    """
    v = _check_variant(v)
    return {"id": v.id, "kind": v.kind, "lang": v.lang, "html": variant_inner_html(v)}


def write_variants(site_dir: str | Path, kinds: Iterable[Kind]) -> int:
    """Write ``practice/<lang>/<id>.json`` for every variant of ``kinds``; return the count.

    The build passes every kind (``lessons.practice.catalog.kinds().values()``).
    Deterministic bytes (sorted keys, UTF-8, one trailing newline); a file whose bytes
    are already right is not rewritten, so ``mkdocs serve`` sees no change.
    """
    if not isinstance(site_dir, (str, Path)):
        raise TypeError(f"site_dir must be a path, got {type(site_dir).__name__}")
    kinds = tuple(kinds)
    for k in kinds:
        if not isinstance(k, Kind):
            raise TypeError(f"kinds must hold Kind objects, got {type(k).__name__}")
    root = Path(site_dir) / "practice"
    written = 0
    for k in kinds:
        ids = set()
        for i in range(k.count):
            params = k.generate(i)
            for lang in LANGS:
                v = k.render(params, lang)
                if v.id in ids and lang == LANGS[0]:
                    raise ValueError(f"kind {k.name!r}: variants share the id {v.id}")
                ids.add(v.id)
                data = json.dumps(variant_json(v), ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":")) + "\n"
                path = root / lang / f"{v.id}.json"
                path.parent.mkdir(parents=True, exist_ok=True)
                content = data.encode("utf-8")
                if not path.exists() or path.read_bytes() != content:
                    path.write_bytes(content)
                written += 1
    return written
