"""The course's glossary, Ukrainian ↔ English, from one data file for both languages.

Why one file: the Ukrainian and the English glossary pages render the same entries
(``lessons/data/glossary.toml``), so they cannot disagree about a term, its translation or
where it is taught. A term links to the heading of the lesson that teaches it; a term whose
lesson page is not built yet is left out until the page lands, so the site never links to a
page that does not exist.

Ukrainian terms are sorted in the Ukrainian alphabet (а б в г ґ д е є ж з и і ї й …), which
code-point order gets wrong (є, і, ї, ґ sit outside а–я in Unicode).
"""

from __future__ import annotations

import functools
import html
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lessons.i18n import check_lang, pick

__all__ = ["Term", "load_terms", "lesson_titles", "uk_sort_key", "built_pages", "glossary_table"]

UK_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_UK_RANK = {ch: i for i, ch in enumerate(UK_ALPHABET)}
_DOCS = Path(__file__).resolve().parent.parent / "docs"
_HEADERS = {
    "uk": ("Термін", "Англійською", "Де пояснено", "Коротко"),
    "en": ("Term", "In Ukrainian", "Where it is taught", "In short"),
}


@dataclass(frozen=True)
class Term:
    """One glossary entry: the term in both languages, where it is taught, what it means."""

    uk: str
    en: str
    page: str
    anchor: str
    def_uk: str
    def_en: str

    def name(self, lang: str) -> str:
        """The term in ``lang``.

        Examples:
            >>> Term("ядро", "kernel", "convolutions", "x", "", "").name("en")
            'kernel'
        """
        return pick({"uk": self.uk, "en": self.en}, lang)

    @property
    def id(self) -> str:
        """The id of the term's row on both glossary pages (ASCII, from the English term).

        The site search makes each row its own result and links to it by this id.

        Examples:
            >>> Term("міні-пакет", "mini-batch", "normalization", "x", "", "").id
            'term-mini-batch'
        """
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.en.lower()).strip("-")

    def definition(self, lang: str) -> str:
        """The one-sentence definition in ``lang``.

        Examples:
            >>> Term("ядро", "kernel", "convolutions", "x", "мала матриця", "small matrix").definition("uk")
            'мала матриця'
        """
        return pick({"uk": self.def_uk, "en": self.def_en}, lang)


@functools.cache
def _data() -> dict:
    text = resources.files("lessons").joinpath("data", "glossary.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_terms() -> tuple[Term, ...]:
    """Every term of the data file, in file order.

    Examples:
        >>> any(t.en == "receptive field" and t.uk == "рецептивне поле" for t in load_terms())
        True
    """
    fields = ("uk", "en", "page", "anchor", "def_uk", "def_en")
    terms = []
    for i, entry in enumerate(_data()["term"]):
        missing = [f for f in fields if not str(entry.get(f, "")).strip()]
        if missing:
            raise ValueError(f"glossary term {i + 1} ({entry.get('en', '?')}): missing {missing}")
        terms.append(Term(**{f: entry[f] for f in fields}))
    return tuple(terms)


def lesson_titles(lang: str) -> dict[str, str]:
    """Lesson page stem → its title in the navigation, in ``lang``.

    Examples:
        >>> lesson_titles("en")["convolutions"]
        '3. Replacing a 7×7 convolution'
    """
    lang = check_lang(lang)
    return {stem: names[lang] for stem, names in _data()["pages"].items()}


def uk_sort_key(word: str) -> tuple:
    """Sort key in the Ukrainian alphabet (Latin letters after Cyrillic, case ignored).

    Examples:
        >>> sorted(["ядро", "інференс", "градієнт", "ґанок", "їжак", "dropout"], key=uk_sort_key)
        ['градієнт', 'ґанок', 'інференс', 'їжак', 'ядро', 'dropout']
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    return tuple(
        (0, _UK_RANK[ch]) if ch in _UK_RANK else (1, ord(ch)) for ch in word.lower()
    )


def built_pages(lang: str, docs_dir: Path | None = None) -> frozenset[str]:
    """Stems of the pages present in ``docs/<lang>/`` (the ones this build will have).

    Examples:
        >>> "index" in built_pages("uk")
        True
    """
    lang = check_lang(lang)
    folder = (docs_dir or _DOCS) / lang
    return frozenset(p.stem for p in folder.glob("*.md"))


def glossary_table(lang: str, pages: frozenset[str] | set[str] | None = None) -> str:
    """The glossary as a Markdown table in ``lang``, each term linked to where it is taught.

    Terms whose lesson is not in ``pages`` (default: the pages present in ``docs/<lang>``)
    are left out. Sorted by the term in ``lang``. Links are site URLs relative to the glossary
    page (``../convolutions/#receptive-fields``), not ``.md`` paths: MkDocs does not rewrite
    links in the Markdown that a code block prints, so a ``.md`` link would stay broken.
    Each row carries its term's ``Term.id`` (on a span around the term), the same in both
    languages, so a search result or a link can land on one term.

    The table sits in ``<div class="glossary">`` (Markdown in HTML): below a phone breakpoint
    docs/assets/reading.css stacks each row into a block (the term and its translation, the
    definition, then where it is taught), so a definition reads without swiping sideways. The
    block's «where» label is the column's own header, handed to the CSS in the custom property
    ``--glossary-where`` (one text per language, kept here with the other headers).

    Examples:
        >>> table = glossary_table("en", pages={"convolutions"})
        >>> "[receptive field](../convolutions/#receptive-fields)" in table, "backprop" in table
        (True, False)
    """
    lang = check_lang(lang)
    other = "en" if lang == "uk" else "uk"
    pages = built_pages(lang) if pages is None else frozenset(pages)
    titles = lesson_titles(lang)
    terms = [t for t in load_terms() if t.page in pages]
    key = (lambda t: uk_sort_key(t.uk)) if lang == "uk" else (lambda t: t.en.lower())
    head = _HEADERS[lang]
    lines = [f'<div class="glossary" markdown style="--glossary-where: {_css_string(head[2] + ": ")}">',
             "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for term in sorted(terms, key=key):
        # the row's id on a span around the term (a Markdown row cannot carry one): raw
        # HTML, because markdown-exec prefixes the ids of Markdown elements with a counter
        # of the build's code blocks («exec-29--…»), which would not stay put
        link = f'<span id="{term.id}">[{term.name(lang)}](../{term.page}/#{term.anchor})</span>'
        where = f"[{titles.get(term.page, term.page)}](../{term.page}/)"
        lines.append(f"| {link} | {term.name(other)} | {where} | {term.definition(lang)} |")
    lines += ["", "</div>"]
    return "\n".join(lines)


def _css_string(text: str) -> str:
    """``text`` as a CSS string inside a double-quoted HTML attribute.

    Examples:
        >>> print(_css_string("it's <here>"))
        'it\\'s &lt;here&gt;'
    """
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return "'" + html.escape(escaped, quote=True).replace("&#x27;", "'") + "'"
