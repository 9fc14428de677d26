"""For instructors: print an exercise variant with its answer key, or list a kind's variants.

    uv run python -m lessons.practice 39df509dce8e --lang uk
    uv run python -m lessons.practice --list backprop.gate

The id is the one the page shows beside the exercise's title («Варіант …»), the same in both
languages, so each student can get their own numbers and the instructor their answers.
"""

from __future__ import annotations

import re
import sys
from html import unescape

from lessons.i18n import LANGS, fmt, pick
from lessons.practice import Variant
from lessons.practice.catalog import kinds

__all__ = ["find", "main", "text_of"]

_T = {
    "usage": {
        "uk": "використання: python -m lessons.practice ID [--lang uk|en]\n"
              "              python -m lessons.practice --list ТИП [--lang uk|en]\n"
              "Виводить варіант вправи з ключем відповідей або перелік ідентифікаторів варіантів.\n"
              "Типи вправ: {kinds}",
        "en": "usage: python -m lessons.practice ID [--lang uk|en]\n"
              "       python -m lessons.practice --list KIND [--lang uk|en]\n"
              "Prints an exercise variant with its answer key, or lists the variant ids of one "
              "kind.\n"
              "Kinds: {kinds}",
    },
    "no_id": {"uk": "немає варіанта з ідентифікатором {id!r} (параметр ID); ідентифікатори "
                    "показує --list ТИП",
              "en": "no variant has the id {id!r} (argument ID); --list KIND shows the ids"},
    "no_kind": {"uk": "немає типу вправ {name!r} (параметр --list); відомі типи: {kinds}",
                "en": "no exercise kind {name!r} (option --list); known kinds: {kinds}"},
    "bad_lang": {"uk": "параметр --lang має бути uk або en, а не {v!r}",
                 "en": "option --lang must be uk or en, not {v!r}"},
    "needs": {"uk": "параметр {opt} потребує значення", "en": "option {opt} needs a value"},
    "unknown": {"uk": "невідомий параметр {opt!r}", "en": "unknown option {opt!r}"},
    "one_id": {"uk": "потрібен рівно один ID або --list ТИП",
               "en": "give exactly one ID, or --list KIND"},
    "error": {"uk": "помилка", "en": "error"},
    "variant": {"uk": "Варіант", "en": "Variant"},
    "kind": {"uk": "тип", "en": "kind"},
    "key": {"uk": "Ключ відповідей", "en": "Answer key"},
    "stepwise": {"uk": "з округленням на кожному кроці: {v} (теж зараховується)",
                 "en": "rounded at every step: {v} (also accepted)"},
    "solution": {"uk": "Розв'язок", "en": "Solution"},
    "right": {"uk": "правильна відповідь", "en": "the right answer"},
}


def text_of(html: str) -> str:
    """Plain text of an HTML fragment: a list item or paragraph per line, no tags.

    Examples:
        >>> text_of("<p>a &lt; b</p><ul><li>x</li><li>y</li></ul>")
        'a < b\\n- x\\n- y'
    """
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    html = re.sub(r"<li[^>]*>", "\n- ", html)
    html = re.sub(r"</(p|div|tr|h\d|ul|ol|table)>|<br\s*/?>", "\n", html)
    html = re.sub(r"</t[dh]>", " ", html)
    lines = (re.sub(r"[ \t]+", " ", unescape(re.sub(r"<[^>]+>", "", line))).strip()
             for line in html.split("\n"))
    return "\n".join(line for line in lines if line)


def find(variant: str) -> tuple[str, int] | None:
    """(kind name, index) of the variant with id ``variant``, or None."""
    from lessons.practice import variant_id

    for k in kinds().values():
        for i in range(k.count):
            if variant_id(k.name, k.generate(i)) == variant:
                return k.name, i
    return None


def _report(v: Variant) -> str:
    lang = v.lang
    out = [f"{v.title}", f"{pick(_T['variant'], lang)} {v.id} ({pick(_T['kind'], lang)} {v.kind})",
           "", text_of(v.prompt)]
    if v.question:
        out.append(text_of(v.question))
    for i, o in enumerate(v.options):
        out.append(f"  {chr(ord('a') + i)}) {text_of(o.text)}")
    out += ["", pick(_T["key"], lang) + ":"]
    for f in v.fields:
        line = f"  {f.label}: {fmt(f.answer, lang, f.digits)}"
        if f.stepwise is not None:
            line += "; " + pick(_T["stepwise"], lang).format(v=fmt(f.stepwise, lang, f.digits))
        out.append(line)
    for i, o in enumerate(v.options):
        mark = f" ← {pick(_T['right'], lang)}" if o.correct else ""
        out.append(f"  {chr(ord('a') + i)}) {text_of(o.explanation)}{mark}")
    if v.solution:
        out += ["", pick(_T["solution"], lang) + ":", text_of(v.solution)]
    return "\n".join(out)


def _parse(argv: list[str]) -> dict:
    """{"lang", "list", "ids", "help"} or ValueError(message key, format fields)."""
    opts: dict = {"lang": "uk", "list": None, "ids": [], "help": False}
    # the language first, so that every later error speaks it
    for i, a in enumerate(argv):
        if a.startswith("--lang="):
            opts["lang"] = a.split("=", 1)[1]
        elif a == "--lang" and i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            opts["lang"] = argv[i + 1]
    if opts["lang"] not in LANGS:
        bad, opts["lang"] = opts["lang"], "uk"
        raise _Error(opts["lang"], "bad_lang", v=bad)
    it = iter(argv)
    for a in it:
        name, eq, value = a.partition("=")
        if name in ("--lang", "--list"):
            if not eq:
                value = next(it, None)
                # "--list --lang uk": the next option is not the value this one lacks
                if value is None or value.startswith("--"):
                    raise _Error(opts["lang"], "needs", opt=name)
            if name == "--list":
                opts["list"] = value
        elif a in ("-h", "--help"):
            opts["help"] = True
        elif a.startswith("-"):
            raise _Error(opts["lang"], "unknown", opt=a)
        else:
            opts["ids"].append(a)
    return opts


class _Error(Exception):
    def __init__(self, lang: str, key: str, **fields):
        super().__init__(pick(_T[key], lang).format(**fields))
        self.lang = lang


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 on success, 2 on a usage error (one line naming the parameter).

    Examples:
        >>> main(["--list", "backprop.gate", "--lang", "en"])  # doctest: +ELLIPSIS
        39df509dce8e...
        0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    known = kinds()
    try:
        opts = _parse(argv)
        lang = opts["lang"]
        if opts["help"]:
            print(pick(_T["usage"], lang).format(kinds=", ".join(sorted(known))))
            return 0
        if opts["list"] is not None:
            if opts["ids"]:
                raise _Error(lang, "one_id")
            k = known.get(opts["list"])
            if k is None:
                raise _Error(lang, "no_kind", name=opts["list"], kinds=", ".join(sorted(known)))
            from lessons.practice import variant_id

            for i in range(k.count):
                params = k.generate(i)
                print(f"{variant_id(k.name, params)}  {i}")
            return 0
        if len(opts["ids"]) != 1:
            raise _Error(lang, "one_id")
        found = find(opts["ids"][0])
        if found is None:
            raise _Error(lang, "no_id", id=opts["ids"][0])
        k = known[found[0]]
        print(_report(k.render(k.generate(found[1]), lang)))
        return 0
    except _Error as e:
        print(f"{pick(_T['error'], e.lang)}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
