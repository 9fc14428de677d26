"""The site's own words around the lessons, in the page's language (language review S1-S11).

Material's UI strings (skip link, landmarks, search messages, footer), the heading links'
tooltip, the generator line and the ``<title>`` separator are checked on the built pages of
both languages: Ukrainian pages carry the site's Ukrainian strings (overrides/partials/
languages/uk.html), English pages keep Material's English ones, read from the installed
theme, so an English page can never inherit a Ukrainian string again.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import material
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import LANGS, ROOT, page_path

PAGES = sorted(p.stem for p in (ROOT / "docs" / "uk").glob("*.md"))
MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"

# what a reader should get, written out by hand (not read from the files under test)
PERMALINK_TITLE = {"uk": "Посилання на цей розділ", "en": "Link to this section"}
SKIP = {"uk": "Перейти до основного вмісту"}
HEADER = {"uk": "Шапка сайту"}
FOOTER = {"uk": "Нижня частина сайту"}
SEARCH = {"uk": "Пошук"}  # the search dialog's name: a noun, not the verb «Шукати»
NOT_UKRAINIAN_UI = ["Хедер", "Футер", "Перейти до змісту", "Made with", "Знайдено # збігів",
                    "Розпочніть писати", "Пошук розпочато", "Не знайдено запиту", "Вперед",
                    "Нижній колонтитул", "Архівувати", "Контриб'ютори"]


def translations(path: Path) -> dict[str, str]:
    """The key -> string table of one of Material's languages/*.html files."""
    text = path.read_text("utf-8")
    return dict(re.findall(r'^\s*"([\w.]+)":\s*"((?:[^"\\]|\\.)*)",?$', text, re.M))


def material_strings(lang: str) -> dict[str, str]:
    return translations(MATERIAL_LANGUAGES / f"{lang}.html")


@functools.cache
def site_names() -> dict[str, str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=Loader)
    (i18n,) = [p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p]
    names = {lang["locale"]: lang.get("site_name") for lang in i18n["languages"]}
    return {lang: names.get(lang) or config["site_name"] for lang in LANGS}


@functools.cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def pages(site: Path):
    for lang in LANGS:
        for stem in PAGES:
            yield lang, stem, page_path(site, lang, "" if stem == "index" else stem)
        yield lang, "404", site / "404.html" if lang == "uk" else site / lang / "404.html"


def page_config(html: BeautifulSoup) -> dict:
    script = html.find("script", id="__config")
    assert script is not None, "no Material config on the page"
    return json.loads(script.string)


def strings(lang: str) -> dict[str, str]:
    """What the page's UI strings should be: the site's Ukrainian, Material's English."""
    if lang == "uk":
        return translations(ROOT / "overrides" / "partials" / "languages" / "uk.html")
    return material_strings(lang)


# ---- the override itself ---------------------------------------------------------------


def test_the_ukrainian_strings_cover_every_key_of_material():
    # the override shadows Material's file: a key it lacked would show in English
    ours, theirs = strings("uk"), material_strings("uk")
    assert theirs, "could not read Material's uk.html"
    assert set(theirs) <= set(ours), sorted(set(theirs) - set(ours))
    for key, value in ours.items():
        if key != "language":
            assert re.search("[а-яіїєґ]", value, re.I), f"{key}: {value!r} is not Ukrainian"


def test_search_counts_need_no_agreement():
    # Material has the forms "one" and "other" only; Ukrainian needs three (1 збіг, 3 збіги,
    # 5 збігів), so the count must stand where no word agrees with it: last, after a colon
    ours = strings("uk")
    for key in ("search.result.other", "search.result.more.other"):
        assert re.search(r":\s*#$", ours[key]), f"{key}: {ours[key]!r}"
        one = key.replace(".other", ".one")
        assert ours[one] == ours[key].replace("#", "1"), f"{one}: {ours[one]!r}"
    for n in (1, 2, 3, 4, 5, 11, 21, 22, 24, 25, 101, 102):
        for key in ("search.result.other", "search.result.more.other"):
            text = ours[key].replace("#", str(n))
            assert not re.search(rf"\b{n}\s+\w", text), text


# ---- the built pages -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_heading_links_have_a_tooltip_in_the_page_language(site, lang):
    seen = 0
    for page_lang, stem, path in pages(site):
        if page_lang != lang:
            continue
        for link in soup(path).select("a.headerlink"):
            title = link.get("title")
            assert title == PERMALINK_TITLE[lang], f"{lang}/{stem}: {title!r}"
            seen += 1
    assert seen > 20, f"{lang}: only {seen} heading links"


def test_ui_strings_are_the_page_language(site):
    for lang, stem, path in pages(site):
        html = soup(path)
        expected = strings(lang)
        assert html.html["lang"] == lang, f"{lang}/{stem}"
        header = html.select_one("nav.md-header__inner")
        label = header["aria-label"]
        assert label == expected["header"], f"{lang}/{stem}: {label!r}"
        meta = html.select_one(".md-search-result__meta").get_text(strip=True)
        assert meta == expected["search.result.initializer"], f"{lang}/{stem}: {meta!r}"
        shown = page_config(html)["translations"]
        for key, value in shown.items():
            assert value == expected[key], f"{lang}/{stem}: {key} = {value!r}"
        if stem == "404":
            continue  # no table of contents to skip to, no previous / next page
        skip = html.select_one("a.md-skip").get_text(strip=True)
        assert skip == expected["action.skip"], f"{lang}/{stem}: {skip!r}"
        footer = html.select_one("nav.md-footer__inner")
        assert footer["aria-label"] == expected["footer"], f"{lang}/{stem}"
        for link in footer.select("a[aria-label]"):
            direction = link["aria-label"].split(":")[0]
            directions = {expected["footer.previous"], expected["footer.next"]}
            assert direction in directions, link["aria-label"]


def test_the_ukrainian_strings_are_the_reviewed_ones(site):
    html = soup(page_path(site, "uk", "backprop"))
    assert html.select_one("a.md-skip").get_text(strip=True) == SKIP["uk"]
    assert html.select_one("nav.md-header__inner")["aria-label"] == HEADER["uk"]
    assert html.select_one("nav.md-footer__inner")["aria-label"] == FOOTER["uk"]
    assert html.select_one("a.md-footer__link--next")["aria-label"].startswith("Далі: ")
    assert html.select_one('.md-search[role="dialog"]')["aria-label"] == SEARCH["uk"]
    text = str(html)
    for old in NOT_UKRAINIAN_UI:
        assert old not in text, old


def test_the_generator_line_is_in_the_page_language(site):
    for lang, stem, path in pages(site):
        footer = soup(path).select_one(".md-copyright").get_text(" ", strip=True)
        assert "Material for MkDocs" in footer, f"{lang}/{stem}"
        assert ("Made with" in footer) == (lang == "en"), f"{lang}/{stem}: {footer!r}"
        if lang == "uk":
            assert not re.search(r"\b[A-Za-z]+ with\b", footer), footer


def test_theme_toggles_name_the_action(site):
    words = {"uk": "Увімкнути", "en": "Switch to"}
    for lang, stem, path in pages(site):
        labels = [i["aria-label"] for i in soup(path).select("input[name=__palette][aria-label]")]
        assert len(labels) == 2, f"{lang}/{stem}"
        assert all(label.startswith(words[lang]) for label in labels), f"{lang}/{stem}: {labels}"


def test_titles_join_page_and_site_with_a_dash(site):
    names = site_names()
    for lang, stem, path in pages(site):
        title = soup(path).title.string.strip()
        assert title.endswith(names[lang]), f"{lang}/{stem}: {title!r}"
        page = title[: -len(names[lang])]
        assert page == "" or page.endswith(" \u2014 "), f"{lang}/{stem}: {title!r}"
        assert " - " not in title, f"{lang}/{stem}: {title!r}"


def test_each_language_home_is_titled_with_the_site_name_alone(site):
    # the home page is the site itself, in either language (review H2: the English home was
    # titled "Home — …" while the Ukrainian one had the bare site name); every other page
    # is named before the site
    names = site_names()
    for lang, stem, path in pages(site):
        title = soup(path).title.string.strip()
        if stem == "index":
            assert title == names[lang], f"{lang}: {title!r}"
        else:
            assert title != names[lang], f"{lang}/{stem}: {title!r}"


def test_the_rss_strings_are_hyphenated_and_not_calques():
    # review U1: «RSS стрічка оновленого контенту» (no hyphen, the calque «контент»)
    strings = translations(ROOT / "overrides" / "partials" / "languages" / "uk.html")
    for key in ("rss.created", "rss.updated"):
        assert strings[key].startswith("RSS-стрічка"), f"{key}: {strings[key]!r}"
        assert "контент" not in strings[key], f"{key}: {strings[key]!r}"
