"""The build hook that turns TeX into MathML (hooks/lessons_hooks.py)."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT

spec = importlib.util.spec_from_file_location("lessons_hooks", ROOT / "hooks" / "lessons_hooks.py")
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)


class _Page:
    class file:  # noqa: N801 - mimics mkdocs' page.file
        src_uri = "test.md"


def minus_forms(tex: str) -> list[str]:
    """The form of every minus sign in the MathML of ``tex``: "prefix" (a sign) or "infix"."""
    mathml = hooks._mathml(tex, "inline", _Page)
    return ["prefix" if 'form="prefix"' in m else "infix"
            for m in re.findall(r"<mo[^>]*>&#x02212;</mo>", mathml)]


@pytest.mark.parametrize("tex, forms", [
    (r"x = -2", ["prefix"]),
    (r"(-1,\ -2)", ["prefix", "prefix"]),
    (r"a - b", ["infix"]),
    (r"(x + y) - z", ["infix"]),
    (r"-x", ["prefix"]),
    (r"e^{-z}", ["prefix"]),
    (r"1 - \sigma(z)", ["infix"]),
])
def test_a_sign_is_a_prefix_minus_and_a_difference_is_not(tex, forms):
    assert minus_forms(tex) == forms


def test_block_and_inline_formulas_become_mathml():
    html = ('<p><span class="arithmatex">\\(a &lt; b\\)</span></p>'
            '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>')
    out = hooks.on_page_content(html, page=_Page)
    assert out.count("<math") == 2 and "arithmatex" not in out
    assert '<div class="math-block"><math' in out and "<mfrac>" in out
    assert "&lt;" in out or "&#x0003C;" in out  # the escaped < survives as a character


@pytest.mark.parametrize("tex", [r"x^", r"\left( x", r"\undefinedcommand x"])
def test_a_formula_that_cannot_be_converted_fails_the_build(tex):
    with pytest.raises(PluginError, match="test.md"):
        hooks.on_page_content(f'<span class="arithmatex">\\({tex}\\)</span>', page=_Page)


@pytest.fixture
def lessons_modules():
    """Put ``lessons`` back in ``sys.modules`` afterwards: a test that runs later in this
    process must see the classes its own imports hold, not a second copy of the package."""
    def ours():
        return {m: mod for m, mod in sys.modules.items() if m == "lessons" or m.startswith("lessons.")}

    saved = ours()
    yield
    for m in ours():
        del sys.modules[m]
    sys.modules.update(saved)


def test_pre_build_forgets_lessons_so_serve_reloads_it(lessons_modules):
    import lessons.i18n  # noqa: F401

    hooks.on_pre_build(config=None)
    assert not [m for m in sys.modules if m == "lessons" or m.startswith("lessons.")]


def test_pre_build_keeps_lessons_while_i18n_builds_the_next_language(lessons_modules):
    # mkdocs-static-i18n calls build() again for English inside the same build, with its
    # `building` flag set: the experiments cached in `lessons` must survive that.
    import lessons.i18n  # noqa: F401

    class I18n:
        building = True

    hooks.on_pre_build(config={"plugins": {"i18n": I18n()}})
    assert "lessons.i18n" in sys.modules
    I18n.building = False
    hooks.on_pre_build(config={"plugins": {"i18n": I18n()}})
    assert "lessons.i18n" not in sys.modules


# ---- hooks/site_hooks.py: per-language permalink tooltip, the <title> dash --------------

site_spec = importlib.util.spec_from_file_location("site_hooks", ROOT / "hooks" / "site_hooks.py")
site_hooks = importlib.util.module_from_spec(site_spec)
site_spec.loader.exec_module(site_hooks)


class _Config:
    def __init__(self, title, extra=None, permalink=True):
        self.mdx_configs = {"toc": {"permalink": permalink, "permalink_title": title}}
        self.extra = dict(extra or {})


def test_each_language_build_gets_its_own_permalink_title():
    # mkdocs-static-i18n runs on_config again for every language on the same config:
    # the default language first (no override), then English with its extra override
    config = _Config("Посилання на цей розділ")
    site_hooks.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "Посилання на цей розділ"
    saved = dict(config.extra)  # what i18n restores before the next language
    config.extra.update({"permalink_title": "Link to this section"})
    site_hooks.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "Link to this section"
    config.extra = saved  # a rebuild of the default language on the same config
    site_hooks.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "Посилання на цей розділ"


def test_a_language_built_alone_gets_its_title_and_no_permalinks_stay_untouched():
    config = _Config("Посилання на цей розділ", {"permalink_title": "Link to this section"})
    site_hooks.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "Link to this section"
    config = _Config("x", {"permalink_title": "Link to this section"}, permalink=False)
    site_hooks.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "x"


@pytest.mark.parametrize("title, site, expected", [
    ("<title>1. Backprop - Site</title>", "Site", "<title>1. Backprop \u2014 Site</title>"),
    ("<title>Site</title>", "Site", "<title>Site</title>"),  # the home page: the site alone
    # an apostrophe in the site name, as the page may escape it
    ("<title>Глосарій - Основи комп&#39;ютерного зору</title>", "Основи комп'ютерного зору",
     "<title>Глосарій \u2014 Основи комп&#39;ютерного зору</title>"),
    ("<title>Глосарій - Основи комп'ютерного зору</title>", "Основи комп'ютерного зору",
     "<title>Глосарій \u2014 Основи комп'ютерного зору</title>"),
    # a hyphen inside the page name stays; so does an SVG's <title> further down
    ("<title>3-5-7 - A - B</title><svg><title>x - A - B</title></svg>", "A - B",
     "<title>3-5-7 \u2014 A - B</title><svg><title>x - A - B</title></svg>"),
    ("<p>no title</p>", "Site", "<p>no title</p>"),
])
def test_the_page_title_gets_a_dash(title, site, expected):
    assert site_hooks.title_with_dash(title, site) == expected


@pytest.mark.parametrize("url, language, expected", [
    ("", "uk", True), ("en/", "en", True), ("en/glossary/", "en", False),
    ("glossary/", "uk", False), ("en/", "uk", False), ("", None, True), ("en/", None, False),
])
def test_each_language_home_is_recognised(url, language, expected):
    assert site_hooks.is_language_home(url, language) is expected


def test_the_home_title_is_the_site_name_alone():
    page = "<head><title>Home - Neural nets</title></head><svg><title>x - y</title></svg>"
    assert site_hooks.home_title(page, "Neural nets") == (
        "<head><title>Neural nets</title></head><svg><title>x - y</title></svg>")
    assert site_hooks.home_title("<title>Головна</title>", "Основи комп'ютерного зору") == (
        "<title>Основи комп'ютерного зору</title>")


def test_docstrings_are_marked_english_on_the_ukrainian_module_pages(site):
    from bs4 import BeautifulSoup

    block = '<div class="doc doc-object doc-module"><h1>x</h1></div>'
    assert site_hooks.english_docstrings(block).startswith(
        '<div class="doc doc-object doc-module" lang="en">')
    for lang, prefix in (("uk", site), ("en", site / "en")):
        html = BeautifulSoup((prefix / "reference" / "autograd" / "index.html").read_text("utf-8"),
                             "html.parser")
        module = html.select_one("div.doc-module")
        assert module is not None and html.html["lang"] == lang
        # Ukrainian pages mark the English docstrings; English pages need no marking
        assert module.get("lang") == ("en" if lang == "uk" else None)


def test_serve_polls_for_edits_every_tenth_of_a_second(monkeypatch):
    from mkdocs import livereload

    monkeypatch.setattr(livereload.LiveReloadServer, "__init__", livereload.LiveReloadServer.__init__)
    monkeypatch.setattr(hooks, "_serve", dict(hooks._serve))  # on_startup sets the serve state
    args = dict(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    assert livereload.LiveReloadServer(**args).observer.timeout == 0.5  # mkdocs' own default
    hooks.on_startup("build", dirty=False)
    assert livereload.LiveReloadServer(**args).observer.timeout == 0.5  # only under serve
    hooks.on_startup("serve", dirty=False)
    hooks.on_startup("serve", dirty=False)  # once is enough: not wrapped twice
    assert livereload.LiveReloadServer(**args).observer.timeout == hooks._POLL_S == 0.1
    assert livereload.LiveReloadServer(**args, polling_interval=2).observer.timeout == 2
    assert livereload.LiveReloadServer.__init__.__wrapped__.__name__ == "__init__"
    assert not getattr(livereload.LiveReloadServer.__init__.__wrapped__, "lessons_poll", False)


# ---- compiled templates kept between builds (lessons_hooks._TemplateBytecode) ----

class _ConfigAt:
    def __init__(self, folder):
        self.config_file_path = str(folder / "mkdocs.yml")


def _render(folder, cache) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)
    return env.get_template("page.html").render(name="x")


def test_an_edited_template_is_compiled_afresh_not_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSONS_EXEC_CACHE", raising=False)
    cache = hooks._template_cache(_ConfigAt(tmp_path), "theme")
    (tmp_path / "page.html").write_text("one {{ name }}", "utf-8")
    assert _render(tmp_path, cache) == "one x"
    entries = list((tmp_path / ".cache" / "exec" / "jinja").rglob("*.cache"))
    assert len(entries) == 1 and entries[0].parent.name == "theme"
    (tmp_path / "page.html").write_text("two {{ name }}", "utf-8")
    assert _render(tmp_path, cache) == "two x"


def test_a_corrupt_cache_entry_is_compiled_afresh(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSONS_EXEC_CACHE", raising=False)
    cache = hooks._template_cache(_ConfigAt(tmp_path), "mkdocstrings")
    (tmp_path / "page.html").write_text("ok {{ name }}", "utf-8")
    assert _render(tmp_path, cache) == "ok x"
    [entry] = (tmp_path / ".cache" / "exec" / "jinja").rglob("*.cache")
    from jinja2.bccache import bc_magic

    data = entry.read_bytes()
    # cut short; a right header with a checksum that is no pickle (Jinja itself raises
    # here); a right checksum with truncated code; empty
    for broken in (data[:5], bc_magic + b"\x80\x05garbage", data[:-20], b""):
        entry.write_bytes(broken)
        assert _render(tmp_path, cache) == "ok x"


def test_no_template_cache_when_the_exec_cache_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_EXEC_CACHE", "off")
    assert hooks._template_cache(_ConfigAt(tmp_path), "theme") is None


def test_the_pruned_theme_listing_finds_the_static_files_mkdocs_finds():
    # mkdocs' own listing walks Material's 14,000 icons; the pruned one must give the same files
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    def theme_files(config):
        files = get_files(config)
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted((f.src_uri, f.abs_src_path) for f in files)

    config = load_config(str(ROOT / "mkdocs.yml"))
    expected = theme_files(config)
    assert any(uri.startswith("assets/javascripts/") for uri, _ in expected)
    hooks._prune_theme_listing(config)
    hooks._prune_theme_listing(config)  # once only
    env = config.theme.get_env()
    assert type(env.loader) is hooks._ThemeLoader
    assert theme_files(config) == expected
    # loading by name is untouched: an icon in a dot folder still loads
    assert "<svg" in env.get_template(".icons/material/check.svg").render()
    assert not [n for n in env.list_templates() if "/." in f"/{n}"]
