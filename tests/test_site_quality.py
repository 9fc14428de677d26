"""The built site's promises to readers that need no browser: references, licences, 404 pages,
titles and descriptions per language, hreflang, nothing from other hosts.

Pages are discovered from docs/uk/*.md, so lessons are covered the moment they land.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_fixtures import site_stems
from conftest import LANGS, ROOT, SITE_PATH, page_path

PAGES = site_stems()  # every page, "reference/conv" included
NOT_LESSONS = {"index", "glossary", "reference", "404"}
LESSONS = [stem for stem in PAGES if stem not in NOT_LESSONS and not stem.startswith("reference/")]
SITE_URL = re.search(r"^site_url:\s*(\S+)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(1)
LICENCES = ("MIT", "CC BY 4.0", "MPL-2.0")  # MPL-2.0: Pyodide, hooks/pyodide_hooks.py


@functools.cache
def soup(path: Path) -> BeautifulSoup:
    """The parsed page, parsed once per session (the API reference is large); don't modify it."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def name(stem: str) -> str:
    return "" if stem == "index" else stem


def all_pages(site):
    for lang in LANGS:
        for stem in PAGES:
            yield lang, stem, page_path(site, lang, name(stem))
    yield "uk", "404", site / "404.html"
    yield "en", "404", site / "en" / "404.html"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LESSONS)
def test_every_lesson_has_references(site, stem, lang):
    html = soup(page_path(site, lang, stem))
    heading = html.find(id="references")
    assert heading is not None and heading.name in {"h2", "h3"}, f"{lang}/{stem}: no References heading"
    following = heading.find_next(["ul", "ol", "p"])
    assert following is not None and following.find("a"), f"{lang}/{stem}: references without links"


def test_footer_states_the_licences(site):
    for lang, stem, path in all_pages(site):
        footer = soup(path).select_one(".md-copyright")
        assert footer is not None, f"{lang}/{stem}: no footer"
        text = footer.get_text(" ", strip=True)
        for licence in LICENCES:
            assert licence in text, f"{lang}/{stem}: footer lacks {licence}: {text!r}"
    assert "Код" in soup(page_path(site, "uk", "")).select_one(".md-copyright").get_text()
    assert "Code" in soup(page_path(site, "en", "")).select_one(".md-copyright").get_text()


def test_readme_states_the_licences():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "MIT" in readme and "CC BY 4.0" in readme


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_per_language(site, lang):
    path = site / "404.html" if lang == "uk" else site / lang / "404.html"
    html = soup(path)
    assert html.html["lang"] == lang
    assert html.find("h1", id="not-found")
    assert html.title.string.strip() and html.find("meta", attrs={"name": "description"})
    # served for a missing page at any depth: every local URL is absolute under the site path
    for tag in html.find_all(["a", "link", "script", "img"]):
        url = tag.get("href") or tag.get("src")
        if not url or url.startswith(("#", "https://", "http://", "data:", "mailto:")):
            continue
        assert url.startswith(SITE_PATH), f"{lang} 404: relative URL {url!r} breaks below the root"
    # a reader of the other language is spoken to as well
    other = "en" if lang == "uk" else "uk"
    assert html.select_one(f'article [lang="{other}"] a')


def test_titles_and_descriptions_per_page_and_language(site):
    seen = {lang: {} for lang in LANGS}
    for lang, stem, path in all_pages(site):
        html = soup(path)
        title = html.title.string.strip()
        description = html.find("meta", attrs={"name": "description"})["content"].strip()
        assert title and description, f"{lang}/{stem}"
        assert html.html["lang"] == lang
        seen[lang][stem] = (title, description)
    for lang in LANGS:
        titles = [t for t, _ in seen[lang].values()]
        assert len(titles) == len(set(titles)), f"{lang}: two pages share a <title>"
    for stem in PAGES:
        assert seen["uk"][stem] != seen["en"][stem], f"{stem}: not translated"
        assert seen["uk"][stem][1] != seen["en"][stem][1], f"{stem}: same description in uk and en"


def _hreflang_links(html: BeautifulSoup) -> dict[str, str]:
    for script in html.find_all("script"):
        match = re.search(r"for\(const\[l,h\]of (\[.*?\]\])\)", script.string or "")
        if match:
            return dict(json.loads(match.group(1)))
    return {}


@pytest.mark.parametrize("stem", PAGES)
def test_hreflang_without_sitemap_requests(site, stem):
    """No rel=alternate link is in the head Material's script reads (it would fetch a
    sitemap.xml beside each); the absolute hreflang links are added after load instead."""
    for lang in LANGS:
        html = soup(page_path(site, lang, name(stem)))
        assert not html.head.select('link[rel="alternate"]'), f"{lang}/{stem}"
        links = _hreflang_links(html)
        twin = name(stem) + "/" if name(stem) else ""
        assert links == {
            "uk": f"{SITE_URL}{twin}",
            "en": f"{SITE_URL}en/{twin}",
            "x-default": f"{SITE_URL}{twin}",
        }, f"{lang}/{stem}: {links}"


def test_sitemap_lists_both_languages_with_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    for stem in PAGES:
        twin = name(stem) + "/" if name(stem) else ""
        for loc in (f"{SITE_URL}{twin}", f"{SITE_URL}en/{twin}"):
            assert loc in urls, loc
            alternates = {a.get("hreflang"): a.get("href") for a in urls[loc].findall("x:link", ns)}
            assert alternates == {"uk": f"{SITE_URL}{twin}", "en": f"{SITE_URL}en/{twin}"}


def test_nothing_is_loaded_from_another_host(site):
    for lang, stem, path in all_pages(site):
        html = soup(path)
        for tag in html.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
            if tag.name == "link" and set(tag.get("rel", [])) & {"canonical", "alternate"}:
                continue  # addresses, never fetched
            url = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", url), f"{lang}/{stem}: {tag.name} from {url}"
        for style in html.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()), f"{lang}/{stem}"
        # no repository widget (it calls an API), no analytics
        assert not html.select('[data-md-component="source"]'), f"{lang}/{stem}: repo widget"
        text = path.read_text(encoding="utf-8")  # the file itself: cheaper than str(html), same text
        assert "googletagmanager" not in text and "google-analytics" not in text, f"{lang}/{stem}"
