"""Word forms for the search (lessons.search_norm, and its JavaScript twin in the worker).

The property that matters: a page uses one form of a word, a reader types another, and the
table built from the page's vocabulary maps both to one key; unrelated words keep apart.
The expected groupings are Ukrainian grammar, not the module's output.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import ROOT, require

from lessons.search_norm import (
    ENDINGS,
    SEPARATOR,
    WORD,
    canonical,
    decode_table,
    dimensions,
    encode_table,
    form_table,
    normalize,
    strip_ending,
    words,
)

WORKER = ROOT / "docs" / "assets" / "search" / "worker.js"


@pytest.fixture(scope="module")
def morph():
    # only the tests that need the dictionary ask for it; the rest run without pymorphy3
    try:
        import pymorphy3
    except ImportError:
        pymorphy3 = None
    require(pymorphy3 is not None, "pymorphy3", "uv sync --group docs")
    return pymorphy3.MorphAnalyzer(lang="uk")


# (the form a page uses, forms a reader may type): nouns in every case and number,
# adjectives in every gender and case, verbs in a few persons and tenses
FAMILIES = [
    ("градієнт", ["градієнта", "градієнту", "градієнтом", "градієнті", "градієнти",
                  "градієнтів", "градієнтам", "градієнтами", "градієнтах"]),
    ("нормалізація", ["нормалізації", "нормалізацію", "нормалізацією", "нормалізацій"]),
    ("рецептивне", ["рецептивний", "рецептивного", "рецептивному", "рецептивним",
                    "рецептивна", "рецептивної", "рецептивні", "рецептивних"]),
    ("поля", ["поле", "полю", "полем", "полі", "полів", "полями"]),
    ("нормалізує", ["нормалізувати", "нормалізують", "нормалізував", "нормалізували"]),
    ("згорткою", ["згортка", "згортки", "згортку", "згорток", "згортками"]),
    ("ланцюгове", ["ланцюговий", "ланцюгового", "ланцюговому", "ланцюговим"]),
    ("правило", ["правила", "правилу", "правилом", "правил", "правилами"]),
    ("ядра", ["ядро", "ядру", "ядром", "ядер", "ядрами"]),
    ("крок", ["кроку", "кроком", "кроки", "кроків"]),
    ("комп'ютерного", ["комп’ютерний", "комп'ютерна", "комп'ютерних"]),
]


@pytest.mark.parametrize("site_form, reader_forms", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_every_form_meets_the_form_the_page_uses(morph, site_form, reader_forms):
    table = form_table([site_form], morph)
    key = normalize(site_form, table)
    assert key, f"{site_form} must have a key"
    for form in reader_forms:
        assert normalize(form, table) == key, f"{form} does not meet {site_form}"


def test_a_whole_vocabulary_keeps_the_families_together(morph):
    vocabulary = [site for site, _ in FAMILIES]
    table = form_table(vocabulary, morph)
    keys = {site: normalize(site, table) for site in vocabulary}
    assert len(set(keys.values())) == len(vocabulary), "two families share a key"
    for site, forms in FAMILIES:
        assert {normalize(f, table) for f in forms} == {keys[site]}


# pairs that look alike (or share a homograph) but are different words
UNRELATED = [
    ("градієнт", "граф"),
    ("нормалізація", "норма"),
    ("нормалізація", "нормальний"),
    ("крок", "кров"),
    ("шар", "шарф"),
    ("поле", "поль"),       # «поля» is also a form of the name Поль
    ("вага", "вагон"),
    ("ядро", "ядерний"),
    ("згортка", "згорнути"),
    ("зміщення", "зміна"),
]


@pytest.mark.parametrize("a, b", UNRELATED, ids=[f"{a}-{b}" for a, b in UNRELATED])
def test_unrelated_words_do_not_collide(morph, a, b):
    table = form_table([a, b], morph)
    assert normalize(a, table) != normalize(b, table)


def test_a_homograph_goes_to_the_reading_the_site_uses(morph):
    # «поле» is also a form of the verb «полоти»; the page's other words decide
    table = form_table(["поле", "поля", "полі", "рецептивне"], morph)
    assert normalize("поле", table) == normalize("поля", table) == "поле"
    assert table.get("полоти") != "поле", "the verb's own forms stay out of the noun"
    # «ваги» is a plural-only noun and the plural of «вага»: one family for readers
    table = form_table(["ваги", "вагою"], morph)
    assert normalize("ваги", table) == normalize("вагою", table) == normalize("ваг", table)


def test_function_words_are_dropped(morph):
    table = form_table(["та", "і", "що", "це", "на", "для", "градієнт"], morph)
    for word in ("та", "і", "що", "це", "на", "для"):
        assert normalize(word, table) == "", word
    assert normalize("градієнт", table) == "градієнт"


def site_vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "uk").glob("*.md"))
    return words(text)


def test_keys_map_to_themselves_on_the_site_vocabulary(morph):
    table = form_table(site_vocabulary(), morph)
    keys = {k for k in table.values() if k}
    assert keys, "the site has Ukrainian words"
    for key in keys:
        assert table[key] == key, f"key {key!r} maps to {table[key]!r}: not idempotent"
    for form in table:
        assert normalize(normalize(form, table), table) == normalize(form, table)


def test_the_packed_table_round_trips_and_is_smaller(morph):
    table = form_table(site_vocabulary(), morph)
    packed = encode_table(table)
    assert decode_table(packed) == table
    plain = len(json.dumps(table, ensure_ascii=False))
    assert len(json.dumps(packed, ensure_ascii=False)) < plain / 2


def test_decode_refuses_a_form_without_length():
    with pytest.raises(ValueError, match="length prefix"):
        decode_table({"keys": ["поле я"]})


def test_words_split_like_the_index():
    assert words("<p>Ланцюгове правило,</p> «крок»—stride; x.grad") == [
        "ланцюгове", "правило", "крок", "stride", "x", "grad"]
    assert words("міні-пакет") == ["міні", "пакет"]
    assert canonical("’Комп’ютер’") == "комп'ютер"
    with pytest.raises(TypeError):
        words(None)
    with pytest.raises(TypeError):
        canonical(3)


# a size as readers type it: Latin x (English layout), Cyrillic х (Ukrainian layout), the
# times sign the pages print; upper case too; all one key. Hand-written, not the output.
SIZES = {
    "7x7": "7\u00d77", "7\u0445\u0037": "7\u00d77", "7\u00d77": "7\u00d77",
    "7X7": "7\u00d77", "7\u0425\u0037": "7\u00d77",
    "20\u044520": "20\u00d720", "3x3\u04453": "3\u00d73\u00d73",
}
NOT_SIZES = ["x7", "7x", "7xx7", "\u0445", "x", "7", "x7x", "7a7", "\u04457\u0445", "vgg16x"]


def test_sizes_are_one_key_whatever_times_sign_is_typed():
    for typed, key in SIZES.items():
        assert normalize(typed, {}) == key, typed
        # the dictionary table cannot take a size: sizes are keyed before it
        assert normalize(typed, {canonical(typed): "\u0445\u0430"}) == key, typed
    for word in NOT_SIZES:
        assert dimensions(canonical(word)) is None, word
    assert normalize("\u0445", {}) == "\u0445"  # a lone Cyrillic letter stays a word
    with pytest.raises(TypeError, match="word"):
        dimensions(7)


def test_a_size_never_goes_to_the_dictionary(morph):
    table = form_table(["7\u04457", "\u0437\u0433\u043e\u0440\u0442\u043a\u0430"], morph)
    assert not any(any(ch.isdigit() for ch in form) for form in table)


def test_strip_ending_keeps_a_stem():
    assert strip_ending("градієнтного") == "градієнтн"
    assert strip_ending("шарами") == "шар"
    assert strip_ending("шар") is None
    assert strip_ending("ого") is None
    assert list(ENDINGS) == sorted(ENDINGS, key=lambda e: (-len(e), e))
    with pytest.raises(ValueError):
        strip_ending("шар", min_stem=0)


def test_form_table_refuses_a_bare_string(morph):
    with pytest.raises(TypeError):
        form_table("градієнт", morph)


# ---------------------------------------------------------------------------------------
# the browser side: the worker's pure functions, run in Node, agree with Python


NODE = shutil.which("node")


def run_worker_functions(script: str) -> object:
    source = f"const w = require({json.dumps(str(WORKER))});\n{script}"
    result = subprocess.run([NODE, "-"], input=source, capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_worker_normalizes_like_python(morph):
    require(NODE is not None, "node", "apt-get install nodejs")
    table = form_table(site_vocabulary() + [f for _, forms in FAMILIES for f in forms], morph)
    packed = encode_table(table)
    probes = sorted(table)[::7] + ["Градієнтів", "комп’ютерного", "невідоме", "’та’"]
    probes += list(SIZES) + NOT_SIZES
    out = run_worker_functions(f"""
const table = w.decodeTable({json.dumps(packed, ensure_ascii=False)})
const n = w.makeNormalizer({{table, endings: [], stem: s => s, isStop: () => false}})
const probes = {json.dumps(probes, ensure_ascii=False)}
console.log(JSON.stringify({{
  size: table.size,
  keys: probes.map(p => n.key(w.canonical(p))),
  split: "Ланцюгове <b>правило</b>, «крок»—x.grad".replace(/<[^>]*>/g, " ")
    .split(new RegExp({json.dumps(SEPARATOR)})).map(w.canonical).filter(Boolean),
}}))""")
    assert out["size"] == len(table)
    assert out["keys"] == [normalize(p, table) for p in probes]
    assert out["split"] == words("Ланцюгове <b>правило</b>, «крок»—x.grad")


def test_the_worker_rewrites_queries_word_by_word(morph):
    require(NODE is not None, "node", "apt-get install nodejs")
    table = form_table(["градієнт", "рецептивного", "поля", "нормалізація", "та"], morph)
    packed = encode_table(table)
    queries = ["градієнтів", "рецептивному полю", '"рецептивного поля"', "+градієнтом -поле",
               "рецептивно", "нормалізаційний", "градієнт*", "міні-градієнти", "та",
               "згортка 7х7", "7X7"]
    out = run_worker_functions(f"""
const table = w.decodeTable({json.dumps(packed, ensure_ascii=False)})
const n = w.makeNormalizer({{table, endings: {json.dumps(list(ENDINGS), ensure_ascii=False)},
  stem: s => s, isStop: () => false}})
const forms = new Map(table)
const index = w.siteIndex([...new Set(table.values())].filter(Boolean).concat(["7\u00d77"]), forms)
const queries = {json.dumps(queries, ensure_ascii=False)}
console.log(JSON.stringify(queries.map(q =>
  w.rewriteQuery(q, {json.dumps(WORD)}, word => n.queryTerm(word, index)))))""")
    assert out == [
        "градієнт",
        "рецептивний поле",
        '"рецептивний поле"',
        "+градієнт -поле",
        "рецептивний",       # half-typed: completed from the forms it begins
        "нормалізаці",       # not on the site: endings off until a key begins with it
        "градієнт*",         # the reader's own wildcard is kept
        "міні градієнт",     # a hyphen splits as in the index
        "",                  # a function word alone: nothing to search
        "згортка 7\u00d77",  # a Cyrillic х between digits is the times sign
        "7\u00d77",
    ]
