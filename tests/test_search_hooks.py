"""The build side of search (hooks/search_hooks.py): the worker each page starts, the index."""

from __future__ import annotations

import importlib.util
import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import LANGS, ROOT, page_path


@pytest.fixture(scope="module")
def hooks():
    spec = importlib.util.spec_from_file_location("search_hooks_under_test",
                                                  ROOT / "hooks" / "search_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_with_config(search: str, extra: str = "") -> str:
    config = {"base": "..", "search": search, "translations": {"x": "a</script>b"}}
    return (f'<html><body>{extra}<script id="__config" type="application/json">'
            f"{json.dumps(config).replace('<', chr(92) + 'u003c')}</script></body></html>")


def config_of(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', html, re.DOTALL)[1])


@pytest.mark.parametrize("prefix", ["", "../", "../../", "/nn-fundamentals/"])
def test_the_page_starts_the_wrapper_with_its_language(hooks, prefix):
    material = "assets/javascripts/workers/search.a7633da7.min.js"
    out = hooks._point_worker(page_with_config(prefix + material), "uk")
    search = config_of(out)["search"]
    assert search.startswith(prefix + "assets/search/worker.js?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(search).query).items()}
    assert params["lang"] == "uk"
    # both paths are relative to the wrapper, and land on the site's files
    page = "http://h/site/" + "x/" * prefix.count("../")  # a page that deep in the site
    wrapper = urljoin(page, search)
    site_root = urljoin(wrapper, "../../")
    assert urljoin(wrapper, params["index"]) == site_root + "search/search_index.uk.json"
    assert urljoin(wrapper, params["worker"]) == site_root + material
    assert "a</script>b" not in out  # what Jinja escaped stays escaped
    assert config_of(out)["translations"]["x"] == "a</script>b"


def test_pages_without_material_worker_are_left_alone(hooks):
    for html in ("<html>no config</html>", page_with_config("elsewhere/worker.js")):
        assert hooks._point_worker(html, "en") == html


def test_figures_are_left_out_of_the_index(hooks):
    class Page:
        content = '<p>до</p><svg role="img"><text>поле 7×7</text></svg><p>після</p>'
        meta, toc, url, title = {}, [], "x/", "X"

    view = hooks._WithoutFigures(Page())
    assert "поле" not in view.content and "до" in view.content and "після" in view.content


def test_the_built_pages_point_at_their_language(site):
    for lang in LANGS:
        html = page_path(site, lang, "").read_text("utf-8")
        assert f"lang={lang}" in config_of(html)["search"]


def test_a_table_with_row_ids_becomes_one_section_per_row(hooks):
    html = ("<p>intro</p><table><thead><tr><th>Термін</th><th>English</th><th>Де</th>"
            "<th>Коротко</th></tr></thead><tbody>"
            '<tr><td><span id="term-stride"><a href="../c/#r">крок</a></span></td>'
            '<td>stride</td><td><a href="../c/">3. Урок</a></td>'
            "<td>На скільки <code>k</code>.</td></tr>"
            '<tr><td><span id="term-kernel"><a href="../c/#r">ядро</a></span></td>'
            "<td>kernel</td><td><a href=\"../c/\">3. Урок</a></td><td>Матриця.</td></tr>"
            "</tbody></table><table><tr><td>plain</td><td>table</td></tr></table>")
    out = hooks._rows_as_sections(html)
    assert out.startswith("<p>intro</p>")
    assert '<h2 id="term-stride">крок</h2><p>stride — На скільки <code>k</code>.</p>' in out
    assert '<h2 id="term-kernel">ядро</h2><p>kernel — Матриця.</p>' in out
    # the header row and the where-taught links are not content; a table without ids stays
    assert "Термін" not in out and "3. Урок" not in out
    assert "<table><tr><td>plain</td><td>table</td></tr></table>" in out


def test_english_glossary_terms_become_hidden_keywords_of_their_sections(hooks):
    from lessons.glossary import load_terms

    terms = [t for t in load_terms() if t.page == "convolutions"]
    field = next(t for t in terms if t.en == "receptive field")
    written = next(t for t in terms if t.en == "padding")  # «доповнення (padding)» in the text
    pages = {"convolutions/": [
        {"location": "convolutions/", "title": "Урок", "text": ""},
        {"location": f"convolutions/#{field.anchor}", "title": "Рецептивні поля",
         "text": "<p>Поле.</p>"},
        {"location": f"convolutions/#{written.anchor}", "title": "Як рахувати",
         "text": "<p>доповнення (padding)</p>"},
    ]}
    assert hooks._add_keywords("uk", pages) >= 2
    sections = {e["location"]: e for e in pages["convolutions/"]}
    receptive = sections[f"convolutions/#{field.anchor}"]
    assert "receptive field" in receptive[hooks.KEYWORDS].split("; ")
    assert receptive["text"] == "<p>Поле.</p>", "the shown text stays as it was"
    counting = sections[f"convolutions/#{written.anchor}"]
    assert "padding" not in counting.get(hooks.KEYWORDS, "").split("; "), "already in the text"
    # every keyword names a term that links to its section (the glossary's own data)
    for location, entry in sections.items():
        for name in filter(None, entry.get(hooks.KEYWORDS, "").split("; ")):
            (term,) = [t for t in terms if t.en == name]
            assert location in (f"convolutions/#{term.anchor}", "convolutions/"), (name, location)


def test_the_built_ukrainian_index_carries_the_keywords(site):
    data = json.loads((site / "search" / "search_index.uk.json").read_text("utf-8"))
    assert data["config"]["fields"]["keywords"]["boost"] > data["config"]["fields"]["text"]["boost"]
    docs = {d["location"]: d for d in data["docs"]}
    assert "receptive field" in docs["convolutions/#receptive-fields"]["keywords"]
    assert "stride" in docs["convolutions/#counting-rules"]["keywords"]
    # the Ukrainian prose never writes it (a source listing's English docstring may)
    prose = [re.sub(r"<pre>.*?</pre>", " ", d["text"], flags=re.S) for d in docs.values()
             if d["location"].startswith("convolutions/")]
    assert all("receptive field" not in text for text in prose)
    # the glossary: its intro, then one entry per term, titled by the term
    rows = [d for loc, d in docs.items() if loc.startswith("glossary/#term-")]
    from lessons.glossary import built_pages, load_terms

    assert len(rows) == sum(t.page in built_pages("uk") for t in load_terms())
    assert not any(t.def_uk in docs["glossary/"]["text"] for t in load_terms())
    assert {d["title"] for d in rows} == {t.uk for t in load_terms()}
    en = json.loads((site / "search" / "search_index.en.json").read_text("utf-8"))
    assert "keywords" not in en["config"]["fields"]
    assert not any("keywords" in d for d in en["docs"])


def test_module_pages_of_the_reference_weigh_like_the_reference(hooks):
    weights = hooks.SUPPORTING_PAGES
    assert hooks._supporting_weight("reference/conv/") == weights["reference/"]
    assert hooks._supporting_weight("glossary/") == weights["glossary/"]
    assert hooks._supporting_weight("") == weights[""]
    assert hooks._supporting_weight("convolutions/") is None


def test_the_form_table_is_kept_on_disk_and_made_again_for_new_words(hooks, tmp_path, monkeypatch):
    import sys

    from lessons import search_norm

    spec = importlib.util.spec_from_file_location("lessons_exec_cache", ROOT / "hooks" / "exec_cache.py")
    exec_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exec_cache)
    monkeypatch.setitem(sys.modules, "lessons_exec_cache", exec_cache)
    monkeypatch.setenv("LESSONS_EXEC_CACHE", str(tmp_path))
    monkeypatch.setitem(hooks._state, "config_dir", tmp_path)
    made = []
    real = search_norm.form_table
    monkeypatch.setattr(search_norm, "form_table", lambda *a: made.append(1) or real(*a))

    def table(text):
        hooks._state["tables"].clear()  # a new process: nothing in memory
        return hooks._forms("uk", [{"title": "Градієнт", "text": text}])

    first = table("ланцюгове правило")
    assert len(made) == 1 and len(list((tmp_path / "search").glob("*.json"))) == 1
    assert table("ланцюгове правило") == first and len(made) == 1  # from the disk
    assert table("ланцюгове правило і ваги") != first and len(made) == 2  # a new word
    for entry in (tmp_path / "search").glob("*.json"):
        entry.write_text("{not json", "utf-8")
    assert table("ланцюгове правило") == first and len(made) == 3  # corrupt: made again


def test_a_page_s_sections_are_kept_and_give_material_s_own_entries(hooks, site, tmp_path, monkeypatch):
    import sys
    import types

    from material.plugins.search.plugin import SearchIndex

    spec = importlib.util.spec_from_file_location("lessons_exec_cache", ROOT / "hooks" / "exec_cache.py")
    exec_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exec_cache)
    monkeypatch.setitem(sys.modules, "lessons_exec_cache", exec_cache)
    monkeypatch.setenv("LESSONS_EXEC_CACHE", str(tmp_path))
    monkeypatch.setitem(hooks._state, "config_dir", tmp_path)
    # a built lesson's article: headings with ids, code, tables, an excluded block
    built = page_path(site, "uk", "backprop").read_text("utf-8")
    article = re.search(r"<article\b[^>]*>(.*)</article>", built, re.DOTALL)[1]
    content = article + '<h2 id="hidden">Сховане</h2><div data-search-exclude><p>ні</p></div>'
    page = types.SimpleNamespace(content=content, toc=[], url="backprop/", title="Урок 1",
                                 meta={})
    expected = SearchIndex()
    expected.add_entry_from_context(page)
    assert len(expected.entries) > 10

    def entries():
        index = SearchIndex()
        hooks._index_page(index, page)
        return index.entries

    parses = []  # every parse goes through Material's Parser: count them
    from material.plugins.search import plugin as material_search
    parser = material_search.Parser
    monkeypatch.setattr(material_search, "Parser", lambda: parses.append(1) or parser())
    hooks._parsed.clear()
    assert entries() == expected.entries and len(parses) == 1  # parsed, kept on disk
    stored = list((tmp_path / "search" / "sections").rglob("*.json"))
    assert len(stored) == 1
    assert entries() == expected.entries and len(parses) == 1  # from memory
    hooks._parsed.clear()  # a new process
    assert entries() == expected.entries and len(parses) == 1  # from the disk
    for broken in ("{not json", '{"key": "other", "sections": []}',
                   json.dumps({"key": stored[0].stem, "sections": [["x", "t", [], False]]})):
        stored[0].write_text(broken, "utf-8")
        hooks._parsed.clear()
        before = len(parses)
        assert entries() == expected.entries and len(parses) == before + 1  # parsed afresh
    page.content = content.replace("Сховане", "Інше")  # another page: another key
    assert entries() != expected.entries and len(parses) == before + 2


def test_the_vocabulary_kept_between_builds_is_the_one_computed_afresh(hooks, monkeypatch):
    from lessons import search_norm

    def fresh(docs):
        words = sorted({w for d in docs for f in (d["title"], d["text"])
                        for w in search_norm.words(f)
                        if search_norm.is_cyrillic(w) and search_norm.dimensions(w) is None})
        return words

    monkeypatch.setitem(hooks._state, "words", {})
    docs = [{"title": "Градієнт", "text": "ланцюгове правило, шар 7х7 і stride"},
            {"title": "Нормалізація", "text": "пакетна нормалізація шару"}]
    first, digest = hooks._vocabulary(docs)
    assert first == fresh(docs) and "градієнт" in [w.lower() for w in first]
    docs[1] = {"title": "Нормалізація", "text": "дропаут замість нормалізації"}  # a page edit
    second, digest2 = hooks._vocabulary(docs)
    assert second == fresh(docs) and digest2 != digest
    assert len(hooks._state["words"]) == 2  # the edited section's old words are not kept
