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
