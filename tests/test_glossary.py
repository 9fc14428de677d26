"""The glossary: one data file, two pages that agree, every term linked to where it is taught."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, ROOT, page_path
from lessons.glossary import (
    Term,
    built_pages,
    glossary_table,
    lesson_titles,
    load_terms,
    uk_sort_key,
)

TERMS = load_terms()


def test_every_term_is_complete_and_unique():
    assert len(TERMS) >= 20
    for lang in ("uk", "en"):
        names = [t.name(lang).lower() for t in TERMS]
        assert len(names) == len(set(names)), f"a {lang} term is listed twice"
    for term in TERMS:
        assert re.fullmatch(r"[a-z0-9-]+", term.anchor), term
        assert term.page in lesson_titles("uk") and term.page in lesson_titles("en"), term
        assert term.def_uk.endswith(".") and term.def_en.endswith("."), term
        assert not re.search(r"[a-zA-Z]{4,}", term.uk.split("(")[0]) or term.en == "dropout", term


def test_terms_use_the_course_vocabulary():
    # the terms table of the design, spelled exactly (a hand-written sample, not the data)
    pairs = {
        "batch normalization": "пакетна нормалізація (batch normalization)",
        "mini-batch": "міні-пакет (mini-batch)",
        "running mean": "ковзне середнє",
        "dropout": "dropout (виключення нейронів)",
        "inference": "інференс (застосування моделі)",
        "overfitting": "перенавчання",
        "receptive field": "рецептивне поле",
        "padding": "доповнення (padding)",
        "feature map": "карта ознак",
        "separable convolution": "роздільна (сепарабельна) згортка",
        "chain rule": "ланцюгове правило",
    }
    by_en = {t.en: t.uk for t in TERMS}
    for en, uk in pairs.items():
        assert by_en.get(en) == uk, en


def test_ukrainian_alphabet_order():
    # є after е, і and ї after и, ґ after г: code-point order would put them after я
    words = ["ядро", "їжак", "інференс", "иній", "єдність", "ефект", "ґанок", "градієнт", "азот"]
    assert sorted(words, key=uk_sort_key) == [
        "азот", "градієнт", "ґанок", "ефект", "єдність", "иній", "інференс", "їжак", "ядро"]
    assert sorted(words) != sorted(words, key=uk_sort_key)
    with pytest.raises(TypeError, match="word"):
        uk_sort_key(3)


def test_a_term_whose_lesson_is_missing_is_left_out():
    table = glossary_table("en", pages={"backprop"})
    rows = [line for line in table.splitlines()[2:]]
    assert len(rows) == sum(t.page == "backprop" for t in TERMS)
    assert "convolutions" not in table
    empty = glossary_table("uk", pages=set())
    assert empty.count("\n") == 1  # the header only


def test_bad_language_and_incomplete_term():
    with pytest.raises(ValueError, match="lang"):
        glossary_table("de")
    assert Term("а", "a", "backprop", "x", "б.", "b.").name("uk") == "а"


def test_both_languages_list_the_same_terms():
    tables = {lang: glossary_table(lang) for lang in LANGS}
    links = {lang: sorted(re.findall(r"\]\((\.\./\w+/#[\w-]+)\)", tables[lang])) for lang in LANGS}
    assert links["uk"] == links["en"]
    assert len(links["uk"]) == sum(t.page in built_pages("uk") for t in TERMS)


# ---- the built pages -------------------------------------------------------------------


def _rows(site: Path, lang: str):
    html = BeautifulSoup(page_path(site, lang, "glossary").read_text("utf-8"), "html.parser")
    table = html.select_one("article table")
    assert table is not None, f"{lang}: no glossary table"
    return html, [tr.find_all("td") for tr in table.select("tbody tr")]


def _target(site: Path, lang: str, href: str) -> tuple[Path, str]:
    base = page_path(site, lang, "glossary").parent
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, f"glossary links stay on the site: {href}"
    path = (base / unquote(parts.path)).resolve()
    if path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


@pytest.mark.parametrize("lang", LANGS)
def test_every_listed_term_links_to_a_heading_that_exists(site, lang):
    _, rows = _rows(site, lang)
    expected = [t for t in TERMS if t.page in built_pages(lang)]
    assert len(rows) == len(expected) > 0
    for cells in rows:
        link = cells[0].find("a")
        assert link is not None and link.get_text(strip=True), f"{lang}: a term without a link"
        path, anchor = _target(site, lang, link["href"])
        assert path.is_file(), f"{lang}: {link.get_text()} -> {link['href']}: no such page"
        target = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        assert target.find(id=anchor), f"{lang}: {link.get_text()} -> {link['href']}: no #{anchor}"
        assert target.html["lang"] == lang, f"{lang}: {link['href']} leaves the language"


def test_the_two_pages_agree(site):
    pairs = {}
    for lang in LANGS:
        _, rows = _rows(site, lang)
        pairs[lang] = {(cells[0].get_text(strip=True), cells[1].get_text(strip=True))
                       for cells in rows}
    swapped = {(b, a) for a, b in pairs["en"]}
    assert pairs["uk"] == swapped


def test_ukrainian_page_is_in_ukrainian_order(site):
    _, rows = _rows(site, "uk")
    names = [cells[0].get_text(strip=True) for cells in rows]
    assert names == sorted(names, key=uk_sort_key)
    _, rows = _rows(site, "en")
    names = [cells[0].get_text(strip=True).lower() for cells in rows]
    assert names == sorted(names)
