"""Every page's front matter is valid YAML that MkDocs actually reads.

MkDocs swallows a YAML error in front matter without a warning (not even under --strict):
the block is then printed as page text above the H1 and indexed for search, and the page
falls back to the site description. An unquoted ": " inside ``description`` was enough.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_site_quality import soup

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
KEYS = {"title", "description", "search"}  # the keys the pages use; a new one is a decision, not a typo


def front_matter(path: Path) -> dict:
    match = FRONT.match(path.read_text("utf-8"))
    assert match, f"{path.relative_to(ROOT)}: no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict), f"{path.relative_to(ROOT)}: front matter is not a mapping"
    return data


def built(site: Path, page: Path) -> Path:
    """The built HTML of a docs/<lang>/... source page."""
    lang, *rest = page.relative_to(DOCS).with_suffix("").parts
    prefix = site if lang == "uk" else site / lang
    rest = [] if rest == ["index"] else rest
    return prefix.joinpath(*rest, "index.html")


def test_pages_are_found():
    assert len(PAGES) >= 2 * 12 and (DOCS / "uk" / "reference" / "autograd.md") in PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_front_matter_is_a_mapping_with_known_keys(page):
    data = front_matter(page)
    assert set(data) <= KEYS, f"unknown keys {set(data) - KEYS}"
    assert isinstance(data["description"], str) and data["description"].strip()
    if "search" in data:
        assert isinstance(data["search"], dict) and set(data["search"]) <= {"boost", "exclude"}
        assert isinstance(data["search"].get("boost", 1.0), (int, float))


def test_an_unquoted_colon_is_caught():
    """The check above can fail: the very text that broke the module pages is rejected."""
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load("description: Reference of lessons.autograd: the scalar node.\n")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_built_page_uses_its_description_and_shows_no_front_matter(site, page):
    data = front_matter(page)
    html = soup(built(site, page))
    assert html.find("meta", attrs={"name": "description"})["content"] == data["description"]
    article = html.find("article")
    h1 = article.find("h1")
    before = "".join(s for s in h1.find_all_previous(string=True) if article in s.parents)
    assert not before.strip(), f"text above the H1: {before.strip()[:80]!r}"
    text = article.get_text(" ")
    assert not re.search(r"(?m)^\s*(?:description|search|boost|title):", text)
    assert f"description: {data['description'][:30]}" not in text


def test_search_index_holds_no_front_matter(site):
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    leaked = [doc["location"] for doc in index["docs"]
              if "description:" in doc["text"] or "boost:" in doc["text"]]
    assert not leaked
