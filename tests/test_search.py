"""The site's search as a reader uses it: Material's search box in Chromium, both languages.

Each query is typed into the search box of a lesson page (one page session per language, no
reload between queries) and must bring the page that teaches the topic among the top three
results (first, for the phrases a lesson teaches), with no page of the other language above
it (the index is per language, so none at all). The queries are inflected Ukrainian forms the pages do not necessarily use, phrases,
Latin terms typed on a Ukrainian page, and English queries with English inflections.

Playwright's ``fill`` sends no key events, and Material's search listens for them: each
query is followed by a press of End (what the pitfall in DESIGN.md says about Cyrillic).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pytest
from browser_fixtures import make_context, page_url, site_stems, watch
from conftest import LANGS, ROOT, page_path


@dataclass(frozen=True)
class Query:
    lang: str      # the language of the page the reader searches from
    text: str      # what the reader types
    page: str      # the page that must be among the top three
    anchor: str = ""  # a section of that page the results must link to ("" = any)
    first: bool = False  # a phrase: the page that teaches it must come first


QUERIES = [
    # Ukrainian: nouns in other cases and numbers than the page's own
    Query("uk", "градієнтів", "backprop"),
    Query("uk", "градієнтами", "backprop"),
    Query("uk", "обчислювального графа", "backprop"),
    Query("uk", "зворотного поширення", "backprop"),
    Query("uk", "прямого проходу", "backprop", "forward-backward"),
    Query("uk", "вузлами", "backprop"),
    Query("uk", "нормалізації", "normalization"),
    Query("uk", "нормалізацією", "normalization"),
    Query("uk", "міні-пакетів", "normalization"),
    Query("uk", "інференсі", "normalization"),
    Query("uk", "згорткою", "convolutions"),
    Query("uk", "згорток", "convolutions"),
    Query("uk", "ядрами", "convolutions"),
    Query("uk", "доповненням", "convolutions"),
    # adjectives in other genders and cases, with their nouns
    Query("uk", "рецептивного поля", "convolutions", "receptive-fields", first=True),
    Query("uk", "рецептивному полю", "convolutions"),
    Query("uk", "рецептивні поля", "convolutions"),
    Query("uk", "сигмоїдного нейрона", "backprop", "example-2"),
    Query("uk", "чисельну перевірку градієнта", "backprop", "gradient-check"),
    Query("uk", "локальних градієнтів", "backprop"),
    Query("uk", "ковзного середнього", "normalization"),
    Query("uk", "роздільної згортки", "convolutions", first=True),
    # verbs
    Query("uk", "нормалізує", "normalization"),
    # phrases: the page that teaches them first
    Query("uk", "ланцюгове правило", "backprop", first=True),
    Query("uk", "ланцюгового правила", "backprop", first=True),
    Query("uk", "пакетна нормалізація", "normalization", "batchnorm-idea", first=True),
    Query("uk", "пакетної нормалізації", "normalization", first=True),
    # Latin terms typed on a Ukrainian page
    Query("uk", "dropout", "normalization", "dropout-p"),
    Query("uk", "batch normalization", "normalization"),
    Query("uk", "BatchNorm", "normalization"),
    Query("uk", "dilation", "convolutions"),
    Query("uk", "ConvNeXt", "convolutions"),
    Query("uk", "VGG", "convolutions"),
    # English terms typed on a Ukrainian page that the Ukrainian lesson never writes: the
    # glossary's English name of the term is a hidden keyword of the section teaching it
    Query("uk", "receptive field", "convolutions", "receptive-fields", first=True),
    Query("uk", "stride", "convolutions", "counting-rules"),
    Query("uk", "batch norm", "normalization"),
    # a size typed with the Cyrillic х of a Ukrainian keyboard
    Query("uk", "7х7", "convolutions"),
    # a half-typed word
    Query("uk", "рецептивно", "convolutions"),
    # English, with English inflections (lunr's stemmer on both sides)
    Query("en", "gradients", "backprop"),
    Query("en", "chain rule", "backprop", first=True),
    Query("en", "computational graphs", "backprop"),
    Query("en", "backpropagation", "backprop"),
    Query("en", "numerical gradient check", "backprop", "gradient-check"),
    Query("en", "batch normalization", "normalization", first=True),
    Query("en", "normalizing", "normalization"),
    Query("en", "dropout", "normalization", "dropout-p"),
    Query("en", "running averages", "normalization"),
    Query("en", "receptive fields", "convolutions", first=True),
    Query("en", "separable convolutions", "convolutions", first=True),
    Query("en", "multiplications", "convolutions"),
]

SEARCH_FROM = "backprop"  # the lesson page the reader searches from
TOP = 3


def test_the_query_list_is_big_enough():
    assert len(QUERIES) >= 30
    assert {q.lang for q in QUERIES} == set(LANGS)


def _stem_and_lang(href: str, base: str) -> tuple[str, str, str]:
    """(page stem, language, anchor) of a result link."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    assert path.startswith(urlsplit(base).path), f"result outside the site: {href}"
    rel = path[len(urlsplit(base).path):]
    lang = "en" if rel.startswith("en/") else "uk"
    rel = rel[3:] if lang == "en" else rel
    return rel.strip("/") or "index", lang, parts.fragment


def _results(page) -> list[list[str]]:
    """Result groups (one per page, best first), each the absolute hrefs of its links."""
    return page.eval_on_selector_all(
        "ol.md-search-result__list > li.md-search-result__item",
        "items => items.map(li => [...li.querySelectorAll('a')].map(a => a.href))",
    )


# Material re-renders the result list for every answer of its worker: count the renders
COUNT_RENDERS = """() => {
  window.__renders = 0
  new MutationObserver(() => { window.__renders++ }).observe(
    document.querySelector('.md-search-result__list'), {childList: true})
}"""


def _ask(page, query: str) -> list[list[str]]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("input.md-search__input")
    before = page.evaluate("window.__renders")
    box.fill(query)
    box.press("End")  # fill sends no key events; Material's search waits for one
    try:
        page.wait_for_function("n => window.__renders > n", arg=before, timeout=3000)
    except PlaywrightTimeout:
        return []  # no answer rendered: no results (the assertion says which query)
    return _results(page)


def _open_search(context, site_server, lang: str):
    """A lesson page of ``lang`` with its search box open and the index loaded."""
    page = context.new_page()
    log = watch(page)
    page.goto(page_url(site_server, lang, SEARCH_FROM))
    config = json.loads(page.locator("#__config").text_content())
    placeholder = config["translations"]["search.result.placeholder"].strip()
    button = page.locator('label.md-header__button[for="__search"]')
    if button.is_visible():  # a phone: the search box opens from the header's button
        button.click()
    page.locator("input.md-search__input").click()
    # the worker is ready (index loaded) when the initializer text gives way to the placeholder
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent.trim() === p",
        arg=placeholder, timeout=10000,
    )
    page.evaluate(COUNT_RENDERS)
    return page, log


@pytest.fixture(scope="module")
def search_page(browser, site_server):
    """``search_page(lang)``: the module's one searching page of ``lang`` (a page and its
    index load once, not once per test)."""
    contexts, pages = [], {}

    def get(lang: str):
        if lang not in pages:
            contexts.append(make_context(browser))
            pages[lang] = _open_search(contexts[-1], site_server, lang)
        return pages[lang]

    yield get
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_the_page_that_teaches(site, site_server, search_page, lang):
    stems = set(site_stems())
    queries = [q for q in QUERIES if q.lang == lang]
    missing = sorted({q.page for q in queries} - stems)
    assert not missing, f"queries aim at pages that do not exist: {missing}"

    page, log = search_page(lang)

    failures, anchors = [], set()
    for query in queries:
        groups = _ask(page, query.text)
        found = [_stem_and_lang(links[0], site_server) for links in groups if links]
        for links in groups:
            for href in links:
                stem, href_lang, anchor = _stem_and_lang(href, site_server)
                if anchor:
                    anchors.add((href_lang, stem, anchor))
        ranks = [i for i, (stem, g, _) in enumerate(found) if (stem, g) == (query.page, lang)]
        shown = [f"{g}/{s}" for s, g, _ in found[:5]]
        if not ranks or ranks[0] >= (1 if query.first else TOP):
            where = "first" if query.first else f"in the top {TOP}"
            failures.append(f"{query.text!r}: {query.page} not {where}: {shown}")
            continue
        foreign = [s for s, g, _ in found if g != lang]
        if foreign:
            failures.append(f"{query.text!r}: pages of the other language: {foreign}")
        if query.anchor:
            group = groups[ranks[0]]
            if not any(href.endswith("#" + query.anchor) for href in group):
                failures.append(f"{query.text!r}: no link to #{query.anchor} in {group}")
    assert not failures, f"{len(failures)} of {len(queries)} queries failed:\n" + "\n".join(
        failures)

    # every section a result linked to exists on its page (results land on the heading)
    ids = {}
    for href_lang, stem, anchor in sorted(anchors):
        if (href_lang, stem) not in ids:
            html = page_path(site, href_lang, "" if stem == "index" else stem).read_text("utf-8")
            ids[href_lang, stem] = set(re.findall(r'\bid="([^"]+)"', html))
        assert anchor in ids[href_lang, stem], f"no section {href_lang}/{stem}#{anchor}"
    assert not log.problems(), log.problems()


def test_each_language_downloads_only_its_own_index(site):
    # the combined index Material's bundle fetches is an empty stub; the per-language
    # indexes hold only their language's pages
    stub = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert stub["docs"] == []
    for lang in LANGS:
        data = json.loads((site / "search" / f"search_index.{lang}.json").read_text("utf-8"))
        locations = [doc["location"] for doc in data["docs"]]
        assert locations, lang
        assert all(loc.startswith("en/") == (lang == "en") for loc in locations), lang
        assert ("forms" in data) == (lang == "uk")
    page = page_path(site, "en", SEARCH_FROM).read_text("utf-8")
    config = json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', page, re.DOTALL)[1])
    assert "lang=en" in config["search"] and "search_index.en.json" in unquote(config["search"])
    assert not (ROOT / "docs" / "assets" / "search" / "pymorphy3").exists()


# the results as shown: per page group, each link's target, title and snippet
SHOWN = """() => [...document.querySelectorAll('ol.md-search-result__list > li')].map(li =>
  [...li.querySelectorAll('a')].map(a => ({
    href: a.href.replace(/[?][^#]*/, ''),
    title: (a.querySelector('h1, h2') || {textContent: ''}).textContent.trim(),
    text: [...a.querySelectorAll('article > p, article > ul, article > ol')]
      .map(e => e.textContent).join(' ').replace(/\\s+/g, ' ').trim(),
  })))"""


def _shown(page, query: str) -> list[list[dict]]:
    _ask(page, query)
    return page.evaluate(SHOWN)


def test_what_results_show_for_english_terms_sizes_and_glossary_hits(
        site, site_server, search_page):
    """The Ukrainian site (F14): what «receptive field», «7х7» and a glossary hit show,
    not only which page ranks first (that is in the query list above)."""
    from lessons.glossary import load_terms

    page, log = search_page("uk")
    lesson = page_url(site_server, "uk", "convolutions")
    glossary = page_url(site_server, "uk", "glossary")

    # an English term finds the section that teaches it, whose snippet is the lesson's own
    # Ukrainian prose: the hidden keyword is searched but never shown
    groups = _shown(page, "receptive field")
    assert groups and groups[0][0]["href"].startswith(lesson), groups[:1]
    section = [r for r in groups[0] if r["href"] == lesson + "#receptive-fields"]
    assert section, groups[0]
    assert section[0]["title"] == "Рецептивні поля"
    assert section[0]["text"] and "receptive" not in section[0]["text"].lower(), section[0]

    # a size with the Cyrillic х finds what the Latin x and the times sign find
    found = {q: [[r["href"] for r in g] for g in _shown(page, q)]
             for q in ("7\u04457", "7x7", "7\u00d77")}
    assert found["7\u00d77"], "the pages write 7×7: it must find them"
    assert found["7\u04457"] == found["7x7"] == found["7\u00d77"], found

    # a glossary hit is one term: its name as the title, its definition as the text,
    # linked to its row (not the whole table run together)
    stride = next(t for t in load_terms() if t.en == "stride")
    groups = _shown(page, "stride")
    (rows,) = [g for g in groups if g[0]["href"].startswith(glossary)]
    hit = [r for r in rows if r["href"] == f"{glossary}#{stride.id}"]
    assert hit, rows
    assert hit[0]["title"] == stride.uk
    assert stride.def_uk in hit[0]["text"] and stride.en in hit[0]["text"], hit[0]
    for result in rows:
        assert "Де пояснено" not in result["text"], f"a glossary result runs on: {result}"
    for result in [r for r in rows if "#term-" in r["href"]]:
        term = next(t for t in load_terms() if result["href"].endswith("#" + t.id))
        assert result["title"] == term.uk
        assert len(result["text"]) <= len(f"{term.en} — {term.def_uk}"), result
    assert not log.problems(), log.problems()
