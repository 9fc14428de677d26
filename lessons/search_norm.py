"""Word forms for the site's search: one key for every form of a Ukrainian word.

Why: the theme's search engine (lunr) has no Ukrainian stemmer, so a page that says
«градієнт» is not found by «градієнтів». A stemmer in the browser would be guesswork, and a
Ukrainian morphological dictionary is far too big to send to readers. So the work is split:

* at build time (``hooks/search_hooks.py``) the dictionary (pymorphy3 with its Ukrainian
  data) lemmatizes every Ukrainian word of the site and lists *all* forms of each of those
  lemmas; :func:`form_table` turns that into a small table "form -> key", limited to the
  site's own vocabulary, and :func:`encode_table` packs it for the search payload;
* in the browser (``docs/assets/search/worker.js``) one function maps a token through that
  table; it runs on the index's tokens and on the query's words alike, so whatever
  normalizes the index meets whatever normalizes the query. This module mirrors that
  function (:func:`normalize`) so the contract is unit-tested in Python.

A key is a lemma (``"градієнт"``); an empty key marks a function word (``"та"``, ``"це"``)
that the search ignores. Every key maps to itself, so normalizing twice changes nothing.

The tokenizer (:data:`SEPARATOR`) is shared with the browser too: the index JSON carries it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

__all__ = [
    "ENDINGS",
    "SEPARATOR",
    "WORD",
    "canonical",
    "decode_table",
    "dimensions",
    "encode_table",
    "form_table",
    "is_cyrillic",
    "normalize",
    "strip_ending",
    "words",
]

# Everything that is not a letter (Latin, Latin-1/Extended, Greek, Cyrillic), a digit or an
# apostrophe separates words. Written without \p{..} classes so that Python's `re` and a
# JavaScript RegExp without the `u` flag read it the same way (the index carries it).
_WORD_CHARS = "0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff'\u2019\u02bc"
SEPARATOR = f"[^{_WORD_CHARS}]+"
WORD = f"[{_WORD_CHARS}]"
_SEPARATOR = re.compile(SEPARATOR)
_TAG = re.compile(r"<[^>]*>")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# A size written with a times sign: «7×7», "7x7", or «7х7» with the Cyrillic х that a
# Ukrainian keyboard gives (Latin x, Cyrillic х and × are one sign between digits; «3×3×3»).
_DIMENSIONS = re.compile("[0-9]+(?:[x\u0445\u00d7][0-9]+)+")
_TIMES = re.compile("[x\u0445\u00d7]")

# Inflectional endings tried, longest first, when a query word is not in the table (a word
# the site does not use, so the dictionary never saw it): «градієнтного» -> «градієнтн».
ENDINGS = tuple(sorted({
    # nouns and adjectives
    "а", "я", "у", "ю", "о", "е", "є", "и", "і", "ї", "ь", "й",
    "ам", "ям", "ах", "ях", "ів", "їв", "ей", "ом", "ем", "єм", "ою", "ею", "єю", "ої", "ій",
    "ами", "ями", "ого", "ому", "ими", "их", "им", "ий", "ім", "іх", "ього", "ьому",
    "ові", "еві", "єві",
    # verbs
    "ти", "ть", "ся", "сь", "ла", "ло", "ли", "в", "мо", "те", "уть", "ють", "ать", "ять",
    "ує", "ює", "ують", "юють", "ати", "яти", "ити", "іти", "увати", "ювати", "ував", "ювали",
    "ться", "ється", "ується", "ються",
}, key=lambda e: (-len(e), e)))

# Parses that do not make a key: proper names, slang, abbreviations and the like, and the
# vocative, whose forms are mostly homographs of other words («поле» as the vocative of «піл»).
_RARE = frozenset({"Name", "Surn", "Patr", "Slng", "Abbr", "Arch", "Infr", "Init", "ROMN", "voct"})
_FUNCTION = frozenset({"CONJ", "PREP", "PRCL", "NPRO", "INTJ", "PNCT"})


def canonical(word: str) -> str:
    """Lower case, one apostrophe (U+0027) for ’ and ʼ, none at the ends.

    Examples:
        >>> canonical("Комп’ютерного"), canonical("'lunr'")
        ("комп'ютерного", 'lunr')
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    return word.lower().translate(_APOSTROPHES).strip("'")


def dimensions(word: str) -> str | None:
    """A canonical size («7×7») for a word that is digits joined by a times sign, else None.

    The browser's worker does the same (``key`` in ``docs/assets/search/worker.js``) on the
    index and on the query, so «7х7» with a Cyrillic х finds the pages that write «7×7».

    Examples:
        >>> dimensions("7х7"), dimensions("7x7"), dimensions("3×3×3"), dimensions("x7")
        ('7×7', '7×7', '3×3×3', None)
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    return _TIMES.sub("\u00d7", word) if _DIMENSIONS.fullmatch(word) else None


def is_cyrillic(word: str) -> bool:
    """Whether a word has a Cyrillic letter (it is then looked up in the table).

    Examples:
        >>> is_cyrillic("градієнт"), is_cyrillic("dropout")
        (True, False)
    """
    return bool(_CYRILLIC.search(word))


def words(text: str) -> list[str]:
    """The canonical words of a search entry's text (HTML tags separate words, as in lunr).

    Examples:
        >>> words("Ланцюгове <code>правило</code>: «градієнт»—dropout, x_1")
        ['ланцюгове', 'правило', 'градієнт', 'dropout', 'x', '1']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    found = (canonical(w) for w in _SEPARATOR.split(_TAG.sub(" ", text)))
    return [w for w in found if w]


def _parse_lemmas(morph, word: str) -> tuple[list[tuple[str, object]], bool]:
    """Candidate (lemma, parse) pairs of a word, and whether it is a function word."""
    parses = morph.parse(word)
    content = [p for p in parses if p.tag.POS not in _FUNCTION]
    if not content:
        return [], True
    common = [p for p in content if not (_RARE & p.tag.grammemes)]
    chosen = common or content
    return [(p.normal_form, p) for p in chosen], False


def form_table(vocabulary: Iterable[str], morph) -> dict[str, str]:
    """The form -> key table of a site's vocabulary (its Ukrainian words) under ``morph``.

    Every word of ``vocabulary`` is lemmatized; where a word has several lemmas, the lemma
    more of the site's words share wins (the site's own usage decides: «поля» is «поле»,
    not the name «Поль»). Then every form of every chosen lemma maps to that lemma, so a
    reader's «градієнтів» meets the page's «градієнт». Function words map to "".

    Examples:
        >>> import pymorphy3
        >>> table = form_table(["градієнт", "та"], pymorphy3.MorphAnalyzer(lang="uk"))
        >>> table["градієнтів"], table["градієнтом"], table["та"]
        ('градієнт', 'градієнт', '')
    """
    if isinstance(vocabulary, str):
        raise TypeError("vocabulary must be an iterable of words, not one str")
    # sizes («7х7») are keyed by :func:`dimensions`, not by the dictionary
    site = sorted({canonical(w) for w in vocabulary
                   if is_cyrillic(w) and dimensions(canonical(w)) is None} - {""})
    candidates: dict[str, list[tuple[str, object]]] = {}
    stop: set[str] = set()
    for word in site:
        pairs, function = _parse_lemmas(morph, word)
        if function:
            stop.add(word)
        else:
            candidates[word] = pairs
    support = Counter(lemma for pairs in candidates.values() for lemma in {x for x, _ in pairs})

    def best(lemmas: Iterable[str], word: str = "") -> str:
        # most site words share it; then the word itself; then the shorter, then a-z
        return min(set(lemmas), key=lambda x: (-support[x], x != word, len(x), x))

    # A word with two lemmas of one part of speech joins them (a plural-only «ваги» and
    # «вага»): they share forms, and readers mean either. Lemmas of different parts of speech
    # stay apart (the noun «поле» and the verb «полоти», both spelled «поле»): the one more
    # of the site's words use wins the word.
    parent: dict[str, str] = {}

    def find(lemma: str) -> str:
        parent.setdefault(lemma, lemma)
        while parent[lemma] != lemma:
            parent[lemma] = parent[parent[lemma]]
            lemma = parent[lemma]
        return lemma

    chosen = {word: best((x for x, _ in pairs), word) for word, pairs in candidates.items()}
    for word, pairs in candidates.items():
        pos = {p.tag.POS for x, p in pairs if x == chosen[word]}
        for lemma, parse in pairs:
            if parse.tag.POS in pos:
                a, b = find(lemma), find(chosen[word])
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[str, set[str]] = defaultdict(set)
    for lemma in list(parent):
        members[find(lemma)].add(lemma)
    class_key = {root: best(group) for root, group in members.items()}
    key = {word: class_key[find(lemma)] for word, lemma in chosen.items()}

    # all forms of every lemma of a chosen class (the lexemes of the parses that led there)
    claims: dict[str, set[str]] = defaultdict(set)
    for word, pairs in candidates.items():
        for lemma, parse in pairs:
            if find(lemma) == find(chosen[word]):
                for form in parse.lexeme:
                    claims[canonical(form.word)].add(key[word])
                claims[lemma].add(key[word])
    table = {form: best(lemmas, form) for form, lemmas in claims.items() if form}
    table.update(key)  # the site's own words keep the key their page context chose
    for word in stop:
        table.setdefault(word, "")

    # keys map to themselves: merge a key into the key its own string maps to (a few rounds
    # reach the fixpoint; a cycle, if any, is cut below by mapping each key to itself)
    for _ in range(8):
        moved = {k: table[k] for k in set(table.values()) if k and table.get(k, k) != k}
        if not moved:
            break
        for form, k in table.items():
            if k in moved:
                table[form] = moved[k]
    for k in set(table.values()):
        if k:
            table[k] = k
    return dict(sorted(table.items()))


def encode_table(table: Mapping[str, str]) -> dict[str, list[str]]:
    """Pack a form -> key table: one line per key, each form as (chars to drop, suffix).

    ``{"градієнт": ["градієнт а у ом"]}``-like lines are 3-4 times smaller than the plain
    mapping; the key "" (function words) lists its forms in full.

    Examples:
        >>> encode_table({"поле": "поле", "поля": "поле", "полем": "поле", "та": ""})
        {'keys': ['поле 0м 1я'], 'stop': ['та']}
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for form, key in table.items():
        groups[key].append(form)
    lines = []
    for key in sorted(k for k in groups if k):
        parts = [key]
        for form in sorted(groups[key]):
            if form == key:
                continue
            common = 0
            while common < min(len(form), len(key)) and form[common] == key[common]:
                common += 1
            parts.append(f"{len(key) - common}{form[common:]}")
        lines.append(" ".join(parts))
    return {"keys": lines, "stop": sorted(groups.get("", []))}


def decode_table(packed: Mapping[str, list[str]]) -> dict[str, str]:
    """Unpack :func:`encode_table` (the browser does the same).

    Examples:
        >>> decode_table({"keys": ["поле 1я 0м"], "stop": ["та"]})
        {'поле': 'поле', 'поля': 'поле', 'полем': 'поле', 'та': ''}
    """
    table: dict[str, str] = {}
    for line in packed.get("keys", []):
        key, *forms = line.split(" ")
        table[key] = key
        for code in forms:
            m = re.fullmatch(r"(\d+)(.*)", code)
            if m is None:
                raise ValueError(f"packed form {code!r} of {key!r} has no length prefix")
            drop = int(m.group(1))
            table[key[: len(key) - drop] + m.group(2)] = key
    for form in packed.get("stop", []):
        table[form] = ""
    return table


def normalize(token: str, table: Mapping[str, str]) -> str:
    """The index/query key of one token: a size as «7×7», the table's key for Ukrainian
    words, else the token itself.

    (In the browser, Latin words also go through lunr's English stemmer, the same on both
    sides; that part is JavaScript only.)

    Examples:
        >>> normalize("Градієнтів", {"градієнтів": "градієнт"}), normalize("та", {"та": ""})
        ('градієнт', '')
        >>> normalize("7Х7", {}), normalize("7x7", {})
        ('7×7', '7×7')
    """
    word = canonical(token)
    size = dimensions(word)
    if size is not None:
        return size
    if is_cyrillic(word):
        return table.get(word, word)
    return word


def strip_ending(word: str, min_stem: int = 3) -> str | None:
    """``word`` less its longest inflectional ending (stem kept >= ``min_stem``), or None.

    Examples:
        >>> strip_ending("градієнтного"), strip_ending("шарами"), strip_ending("шар")
        ('градієнтн', 'шар', None)
    """
    if min_stem < 1:
        raise ValueError(f"min_stem must be >= 1, got {min_stem}")
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= min_stem:
            return word[: -len(ending)]
    return None
