"""The glossary: one data file, two pages that agree, every term linked to where it is taught."""

from __future__ import annotations

import functools

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
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


def _nav_titles() -> dict[str, dict[str, str]]:
    """Page stem -> {lang: title} from mkdocs.yml's nav and the English nav_translations."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=Loader)
    titles = {}

    def walk(items):
        for item in items:
            for title, target in item.items():
                if isinstance(target, list):
                    walk(target)
                else:
                    titles[str(Path(target).with_suffix(""))] = title  # reference/conv, not conv

    walk(config["nav"])
    (i18n,) = [p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p]
    (en,) = [lang for lang in i18n["languages"] if lang["locale"] == "en"]
    return {stem: {"uk": uk, "en": en["nav_translations"][uk]} for stem, uk in titles.items()}


def test_lesson_titles_are_the_navigation_titles():
    nav = _nav_titles()
    for lang in LANGS:
        titles = lesson_titles(lang)
        assert titles, lang
        for stem, title in titles.items():
            assert title == nav[stem][lang], f"{lang}/{stem}: {title!r} is not the nav title"


def _stems(name: str) -> list[str]:
    # a crude stem per word (the ending cut off), enough to find «перенавчається» for
    # «перенавчання» and "overfits" for "overfitting"; the parenthesized gloss is left out
    words = re.findall(r"\w+", name.split(" (")[0].lower())
    return [w[:max(4, len(w) - 4)] for w in words if len(w) >= 3]


def _built_section(site: Path, lang: str, page: str, anchor: str) -> str:
    """The rendered text under the heading ``#anchor`` up to the next heading of its level.

    The built page, not the Markdown: much of a section's text is printed by its exec blocks.
    """
    html = _parsed(page_path(site, lang, page))
    heading = html.find(id=anchor)
    assert heading is not None and heading.name in ("h1", "h2", "h3", "h4"), f"{page}#{anchor}"
    level, parts = int(heading.name[1]), [heading.get_text(" ")]
    for el in heading.find_all_next():
        if el.name in ("h1", "h2", "h3", "h4") and int(el.name[1]) <= level:
            break
        if el.name in ("p", "li", "td", "th", "title", "desc", "summary", "figcaption"):
            parts.append(el.get_text(" "))
    return " ".join(parts)


@pytest.mark.parametrize("lang", LANGS)
def test_every_term_is_in_the_section_it_links_to(site, lang):
    # the link must land where the lesson teaches the term, not merely on a page that has it
    for term in TERMS:
        section = _built_section(site, lang, term.page, term.anchor).lower()
        missing = [s for s in _stems(term.name(lang)) if s not in section]
        where = f"{term.page}#{term.anchor}"
        assert not missing, f"{lang}: {term.name(lang)!r} -> {where}: no {missing}"


# the glossary says what the lessons say (language review G1, G3-G5, G7, EG1); a word here is
# a form a lesson does not use for the notion
NOT_THE_LESSONS_WORDS = {
    "uk": ["числова перевірка", "вхідний градієнт", "згори", "обнуля", "розходит", "стовпчик"],
    "en": ["from above", "input gradient"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_terms_and_definitions_use_the_lessons_words(lang):
    glossary_page = (ROOT / "docs" / lang / "glossary.md").read_text("utf-8").lower()
    for term in TERMS:
        text = f"{term.name(lang)} {term.definition(lang)}".lower()
        for word in NOT_THE_LESSONS_WORDS[lang]:
            assert word not in text, f"{lang}: {term.en}: {word!r}"
            assert word not in glossary_page, f"{lang}: glossary.md: {word!r}"
        # a divisor that is a product needs brackets: "/ 2h" reads as (… / 2)·h
        assert not re.search(r"/\s*\d+\s*[a-zα-ω]", text), f"{lang}: {term.en}: {text}"


def test_every_definition_stands_on_its_own():
    # the Ukrainian and English pages sort differently, so a definition that points to
    # its neighbour («Те саме…», "The same…") may point ahead or to nothing
    for term in TERMS:
        for lang in LANGS:
            definition = term.definition(lang)
            leans = r"(Те саме|Те ж|Так само|Аналогічно|The same|Likewise|Similarly|As above)"
            assert not re.match(leans, definition), f"{lang}: {term.en}: {definition}"


def test_the_lessons_other_terms_are_listed():
    # terms the lessons teach that the glossary lacked (language review G11), spelled as
    # the lessons spell them
    expected = {
        "upstream gradient": "градієнт від виходу",
        "numerical gradient check": "чисельна перевірка градієнта",
        "dilation": "розширення (dilation)",
        "depthwise convolution": "поканальна згортка",
        "pointwise convolution": "поточкова згортка",
        "depthwise separable convolution": "поканальна роздільна згортка",
        "kernel rank": "ранг ядра",
        "momentum": "імпульс (momentum)",
        "evaluation mode": "режим оцінювання",
        "gridding": "ефект сітки",
    }
    by_en = {t.en: t.uk for t in TERMS}
    for en, uk in expected.items():
        assert by_en.get(en) == uk, en


def test_ukrainian_alphabet_order():
    # є after е, і and ї after и, ґ after г: code-point order would put them after я
    words = ["ядро", "їжак", "інференс", "иній", "єдність", "ефект", "ґанок", "градієнт", "азот"]
    assert sorted(words, key=uk_sort_key) == [
        "азот", "градієнт", "ґанок", "ефект", "єдність", "иній", "інференс", "їжак", "ядро"]
    assert sorted(words) != sorted(words, key=uk_sort_key)
    with pytest.raises(TypeError, match="word"):
        uk_sort_key(3)


def _table_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_a_term_whose_lesson_is_missing_is_left_out():
    table = glossary_table("en", pages={"backprop"})
    rows = _table_lines(table)[2:]
    assert len(rows) == sum(t.page == "backprop" for t in TERMS)
    assert "convolutions" not in table
    empty = glossary_table("uk", pages=set())
    assert len(_table_lines(empty)) == 2  # the header only


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_sits_in_a_glossary_box_that_names_its_where_column(lang):
    # the phone layout (reading.css) labels a term's lesson with the column's header, which
    # it reads from the box: the label is the header cell's own text, in the page's language
    out = glossary_table(lang, pages={"backprop"}).splitlines()
    assert out[0].startswith('<div class="glossary" markdown ') and out[-1] == "</div>"
    assert out[1] == "" and out[-2] == "", "Markdown in HTML needs blank lines around the table"
    header = [cell.strip() for cell in _table_lines("\n".join(out))[0].strip("|").split("|")]
    assert f"--glossary-where: '{header[2]}: '" in out[0]


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
    table = html.select_one("article .glossary table")
    assert table is not None, f"{lang}: no glossary table in its box"
    return html, [tr.find_all("td") for tr in table.select("tbody tr")]


@functools.cache
def _parsed(path: Path) -> BeautifulSoup:
    # every term links into one of three lessons: parse each page once, not once per term
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


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
        target = _parsed(path)
        assert target.find(id=anchor), f"{lang}: {link.get_text()} -> {link['href']}: no #{anchor}"
        assert target.html["lang"] == lang, f"{lang}: {link['href']} leaves the language"


@pytest.mark.parametrize("lang", LANGS)
def test_where_it_is_taught_names_the_lesson_as_the_navigation_does(site, lang):
    html, rows = _rows(site, lang)
    nav = {a["href"]: a.get_text(" ", strip=True)
           for a in html.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert rows
    for cells in rows:
        link = cells[2].find("a")
        assert link is not None, f"{lang}: a row without its lesson"
        assert link.get_text(strip=True) == nav[link["href"]], f"{lang}: {link['href']}"


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


def test_row_ids_are_unique_ascii_and_the_same_in_both_languages(site):
    ids = [t.id for t in TERMS]
    assert len(ids) == len(set(ids)), "two terms share a row id"
    for term in TERMS:
        # from the English term, word by word (a hand-made slug, not the function's)
        assert term.id == "term-" + "-".join(re.findall(r"[a-z0-9]+", term.en.lower())), term
    found = {}
    for lang in LANGS:
        html, rows = _rows(site, lang)
        assert rows
        found[lang] = []
        for cells in rows:
            anchor = cells[0].find(id=True)
            assert anchor is not None, f"{lang}: {cells[0].get_text()}: its row has no id"
            assert anchor.find("a").get_text() == cells[0].get_text(), "the id is the term's"
            found[lang].append(anchor["id"])
        assert len(html.find_all(id=found[lang][0])) == 1
    assert sorted(found["uk"]) == sorted(found["en"]) == sorted(
        t.id for t in TERMS if t.page in built_pages("uk"))


def test_the_definitions_say_what_the_lessons_say():
    # second site review: dropout's p is PyTorch's drop probability in the lessons, but the
    # keep probability in CS231n and the original paper (G1); Lesson 3 calls a layer's whole
    # multi-channel output a feature map too (G2); inference is taught where the lesson
    # contrasts training with evaluation (G12)
    by_en = {t.en: t for t in TERMS}
    for lang, keep in (("uk", "імовірність залишити"), ("en", "keep probability")):
        dropout = by_en["dropout"].definition(lang)
        assert "PyTorch" in dropout and "CS231n" in dropout and keep in dropout, dropout
        feature_map = by_en["feature map"].definition(lang)
        assert ("багатоканальний вихід" if lang == "uk" else "multi-channel output") in feature_map
    assert by_en["inference"].anchor == "train-vs-eval"
