"""The built site as a whole: every page in both languages, language links, offline math."""

from __future__ import annotations

import re

import pytest

from browser_fixtures import site_stems
from conftest import LANGS, SITE_PATH, page_path
from test_site_quality import soup  # one parse per page per session, shared (don't modify it)

PAGES = site_stems()  # every page, "reference/conv" included


def page_name(stem: str) -> str:
    return "" if stem == "index" else stem


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", PAGES)
def test_every_page_is_built_with_its_language(site, stem, lang):
    html = soup(page_path(site, lang, page_name(stem)))
    assert html.html["lang"] == lang
    assert html.title and html.title.string.strip()
    description = html.find("meta", attrs={"name": "description"})
    assert description and description["content"].strip()


@pytest.mark.parametrize("stem", PAGES)
def test_language_switch_links_the_twins(site, stem):
    name = page_name(stem)
    for lang, other in (("uk", "en"), ("en", "uk")):
        html = soup(page_path(site, lang, name))
        links = {a.get("hreflang"): a["href"] for a in html.select("a[hreflang]")}
        assert other in links, f"{lang}/{name}: no link to {other}"
        href = links[other]
        if href.startswith("/"):  # absolute within the site: strip the site_url path
            assert href.startswith(SITE_PATH), href
            target = (site / href[len(SITE_PATH):]).resolve()
        else:
            target = (page_path(site, lang, name).parent / href).resolve()
        if target.is_dir() or href.endswith("/"):
            target = target / "index.html"
        assert target == page_path(site, other, name).resolve()


def test_no_code_block_failed(site):
    # markdown-exec prints a traceback into the page and only warns; --strict catches the
    # warning, and this catches any block that printed an error some other way.
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in text, path


def test_formulas_are_mathml_without_scripts(site):
    html = soup(page_path(site, "uk", "backprop"))
    assert html.find("math"), "the lesson has formulas, rendered as MathML"
    assert not html.select(".arithmatex"), "TeX left unconverted"
    loaded = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
    for tag in html.find_all(["script", "link", "img"]):
        if tag.name == "link" and not loaded & set(tag.get("rel", [])):
            continue  # canonical and alternate links name pages; browsers do not load them
        url = tag.get("src") or tag.get("href") or ""
        assert not re.match(r"^(https?:)?//", url), f"foreign resource {url}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", PAGES)
def test_no_script_blocks_the_first_layout(site, stem, lang):
    # a plain <script src> (Material's bundle was one) runs before the browser has laid the
    # page out once, and whatever it reads of the layout forces the whole first layout into
    # its own task: Lighthouse's blocking time on a phone (overrides/main.html)
    html = soup(page_path(site, lang, page_name(stem)))
    scripts = html.find_all("script", src=True)
    assert any("javascripts/bundle." in s["src"] for s in scripts), "Material's bundle is loaded"
    blocking = [s["src"] for s in scripts if not (s.has_attr("defer") or s.has_attr("async")
                                                  or s.get("type") == "module")]
    assert not blocking, f"parser-blocking scripts: {blocking}"
