"""The API reference: one landing page and one page per engine module, in both languages.

What a reader of the lessons calls is documented (the engine modules); what only assembles
pages is not. The docstrings are English in both languages, so the documented part of a
module page is the same HTML in both; only the landing page's introduction is translated.
"""

from __future__ import annotations

import re

import pytest

from conftest import LANGS, ROOT, page_path
from test_site_quality import soup

DOCS = ROOT / "docs"
BUDGET = 200_000  # bytes of HTML per page (DESIGN.md budgets)
MODULES = sorted(p.stem for p in (DOCS / "uk" / "reference").glob("*.md"))
# modules whose only job is one page's tables, figures and exercises (lessons/pages/, which
# the glob below does not reach), or the site's plumbing
PAGE_MODULES = {"glossary", "search_norm", "console", "plotting", "notebook", "browser"}


def test_module_pages_are_the_same_files_in_both_languages():
    en = sorted(p.stem for p in (DOCS / "en" / "reference").glob("*.md"))
    assert MODULES == en
    for lang in LANGS:
        for module in MODULES:
            text = (DOCS / lang / "reference" / f"{module}.md").read_text("utf-8")
            assert re.findall(r"^::: (\S+)", text, re.M) == [f"lessons.{module}"], f"{lang}/{module}"


def test_every_engine_module_is_documented_and_no_page_module_is():
    package = {p.stem for p in (ROOT / "lessons").glob("*.py") if p.stem != "__init__"}
    assert PAGE_MODULES <= package, "a page module was renamed: update PAGE_MODULES"
    assert set(MODULES) == package - PAGE_MODULES


@pytest.mark.parametrize("lang", LANGS)
def test_every_reference_page_is_within_the_page_budget(site, lang):
    for stem in ["reference"] + [f"reference/{m}" for m in MODULES]:
        size = page_path(site, lang, stem).stat().st_size
        assert size < BUDGET, f"{lang}/{stem}: {size} bytes of HTML"


@pytest.mark.parametrize("lang", LANGS)
def test_landing_page_links_every_module_page(site, lang):
    html = soup(page_path(site, lang, "reference"))
    article = html.select_one("article")
    linked = {a["href"].split("#")[0].rstrip("/").split("/")[-1]
              for a in article.select("td a[href]")}
    assert linked == set(MODULES)
    # the landing page documents nothing itself: no module's members land on it
    assert not article.select(".doc"), f"{lang}: docstrings on the landing page"


def test_landing_intros_are_translated(site):
    uk = soup(page_path(site, "uk", "reference")).select_one("article").get_text(" ")
    en = soup(page_path(site, "en", "reference")).select_one("article").get_text(" ")
    assert re.search("[А-Яа-яІіЇїЄєҐґ]", uk) and not re.search("[А-Яа-яІіЇїЄєҐґ]", en)
    assert "приклади в ній перевіряють тести" not in uk  # ambiguous: who checks what (site.md R1)
    assert "приклади в ній — доктести" in uk and "їх запускає" in uk  # R1, R2
    assert "перевіряються тестами" not in uk and "doctest-и" not in uk
    # the lessons have no notebooks (site.md R3/R4); the identity is a mapping (R8)
    assert "блокноті Jupyter" in uk and "Jupyter notebook" in en
    assert "блокноті уроку" not in uk and "lesson's notebook" not in en
    assert "тотожне відображення" in uk and "узгодження іменників із числівниками" in uk


@pytest.mark.parametrize("lang, title", [("uk", "Довідник API"), ("en", "API reference")])
def test_landing_tab_says_what_it_is(site, lang, title):
    """The nav label «Огляд» / "Overview" alone would not say what the tab is (site.md R23)."""
    assert soup(page_path(site, lang, "reference")).title.string.startswith(f"{title} — ")


@pytest.mark.parametrize("module", MODULES)
def test_module_page_documents_its_module_the_same_in_both_languages(site, module):
    docs = {}
    for lang in LANGS:
        html = soup(page_path(site, lang, f"reference/{module}"))
        heading = html.select_one("article h1")
        assert heading is not None and heading.get("id") == f"lessons.{module}", f"{lang}/{module}"
        assert len(html.select("article h1")) == 1, f"{lang}/{module}: one heading per page"
        body = html.select_one("article .doc-module > .doc-contents")
        assert body is not None and body.find(["h2", "p"]), f"{lang}/{module}: nothing documented"
        # the translated parts: the names of scroll boxes (hooks/a11y_hooks.py) and the
        # heading links' tooltip (hooks/site_hooks.py)
        text = re.sub(r'aria-label="(Код із прокручуванням|Scrollable code)"', 'aria-label=""', str(body))
        docs[lang] = re.sub(r'title="(Посилання на цей розділ|Link to this section)"', 'title=""', text)
    assert 'aria-label=""' in docs["uk"] or "tabindex" not in docs["uk"]
    assert docs["uk"] == docs["en"], f"{module}: the docstrings differ between the languages"


def test_lesson_3_names_the_function_where_it_is_documented(site):
    for lang in LANGS:
        lesson = soup(page_path(site, lang, "convolutions"))
        assert lesson.select_one('a[href$="reference/separable/#lessons.separable.separable_conv2d"]'), lang
        html = soup(page_path(site, lang, "reference/separable"))
        assert html.find(id="lessons.separable.separable_conv2d") is not None, lang


@pytest.mark.parametrize("lang", LANGS)
def test_no_sphinx_roles_on_the_module_pages(site, lang):
    """mkdocstrings renders Markdown, not reST: a :func:`x` role would be printed as is."""
    for module in MODULES:
        text = soup(page_path(site, lang, f"reference/{module}")).find("article").get_text()
        roles = re.findall(r":(?:mod|func|class|meth|attr|data|exc):`?", text)
        assert not roles, f"{lang}/{module}: {roles}"
