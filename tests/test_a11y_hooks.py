"""hooks/a11y_hooks.py on HTML snippets: which boxes take keyboard focus, with what name.

The widths are derived from the hook's layout constants (Material's CSS at 360 px), so each
case sits clearly on one side of the boundary: an estimate is on the wide side by design, and
these tests check the side, not a literal copied from the hook's output.
"""

from __future__ import annotations

import importlib.util
import re
import types

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("a11y_hooks", ROOT / "hooks" / "a11y_hooks.py")
hooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hooks)

NAMES = {"uk": "Таблиця з прокручуванням", "en": "Scrollable table"}


def table(columns: int, cell: str = "1") -> str:
    head = "".join(f"<th>h{i}</th>" for i in range(columns))
    row = "".join(f"<td>{cell}</td>" for _ in range(columns))
    return f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n<tr>{row}</tr>\n</tbody>\n</table>"


def boxes(html: str) -> list:
    return BeautifulSoup(html, "html.parser").select("[tabindex]")


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_wide_table_is_wrapped_in_a_named_focusable_region(lang):
    # three columns: each at least a header cell (5rem = 100 px) plus padding, so 3 x 132 px
    # exceed the 328 px column of a 360 px phone: Material's table must scroll there
    out = hooks.focusable_scroll_boxes("<p>a</p>" + table(3), lang)
    (box,) = boxes(out)
    assert box.name == "div" and box["class"] == ["table-scroll"]
    assert box["tabindex"] == "0" and box["role"] == "region"
    assert box["aria-label"] == NAMES[lang]
    assert box.find("table") is not None and box.find("table").get("class") is None, \
        "the table keeps no class, so Material still styles it"


def test_narrow_table_is_left_alone():
    # two columns of short cells: 2 x 132 px fit in 328 px
    html = table(2)
    assert hooks.focusable_scroll_boxes(html, "uk") == html


def test_two_columns_with_a_long_unbreakable_word_scroll():
    # a 40-character identifier cannot wrap: 40 glyphs of 12.8 px type are wider than the
    # room left beside a 100 px column
    out = hooks.focusable_scroll_boxes(table(2, "lessons.normalization.batchnorm_backward"), "en")
    assert len(boxes(out)) == 1
    # the same characters with spaces wrap, and fit
    wrapped = " ".join(["word"] * 10)
    assert boxes(hooks.focusable_scroll_boxes(table(2, wrapped), "en")) == []


def test_table_with_a_class_is_not_material_s_and_is_left_alone():
    html = table(5).replace("<table>", '<table class="highlighttable">')
    assert hooks.focusable_scroll_boxes(html, "en") == html


@pytest.mark.parametrize("lang, name", [("uk", "Формула з прокручуванням"), ("en", "Scrollable formula")])
def test_long_display_formula_takes_focus_short_one_does_not(lang, name):
    terms = "".join(f"<mi>x</mi><mo>+</mo>" for _ in range(30))  # 60 glyphs of 18 px: wider than 328
    long = f'<div class="math-block"><math display="block"><mrow>{terms}</mrow></math></div>'
    short = '<div class="math-block"><math display="block"><mi>y</mi><mo>=</mo><mn>2</mn></math></div>'
    out = hooks.focusable_scroll_boxes(long + short, lang)
    (box,) = boxes(out)
    assert box["class"] == ["math-block"] and box["role"] == "region" and box["aria-label"] == name
    assert box.find("math") is not None
    assert short in out


@pytest.mark.parametrize("lang, name", [("uk", "Рисунок із прокручуванням"), ("en", "Scrollable figure")])
def test_figure_box_takes_focus_only_when_its_svg_cannot_shrink_to_fit(lang, name):
    wide = ('<div class="figure-scroll"><svg viewBox="0 0 952 322" width="100%" '
            'style="max-width:952px;height:auto;min-width:571px" role="img"></svg></div>')
    small = ('<div class="figure-scroll"><svg viewBox="0 0 356 222" width="100%" '
             'style="max-width:356px;height:auto;min-width:213px" role="img"></svg></div>')
    scaled = '<div class="figure-scroll"><svg class="lesson-figure" width="900" role="img"></svg></div>'
    fixed = '<div class="figure-scroll"><svg width="500" role="img"></svg></div>'
    out = hooks.focusable_scroll_boxes(wide + small + scaled + fixed, lang)
    found = boxes(out)
    assert [b.find("svg").get("viewbox") or b.find("svg").get("width") for b in found] == ["0 0 952 322", "500"]
    assert all(b["aria-label"] == name and b["role"] == "region" for b in found)


@pytest.mark.parametrize("lang, name", [("uk", "Код із прокручуванням"), ("en", "Scrollable code")])
def test_code_block_with_a_long_line_takes_focus(lang, name):
    long_line = "x = " + " + ".join(["value"] * 12)  # 100 monospace glyphs of 8 px
    pygments = ('<div class="highlight"><pre><span></span><code><span class="n">'
                f'{long_line}</span>\n</code></pre></div>')
    short = '<div class="highlight"><pre><span></span><code>print(1)\n</code></pre></div>'
    out = hooks.focusable_scroll_boxes(pygments + short, lang)
    (code,) = boxes(out)
    assert code.name == "code" and code.parent.name == "pre"
    assert code["tabindex"] == "0" and code["role"] == "region" and code["aria-label"] == name
    assert short in out


def test_idempotent_and_attributes_not_doubled():
    html = table(4) + '<div class="highlight"><pre><code>' + "y" * 200 + "</code></pre></div>"
    once = hooks.focusable_scroll_boxes(html, "uk")
    assert hooks.focusable_scroll_boxes(once, "uk").count('tabindex="0"') == 2
    assert once.count('tabindex="0"') == 2


def test_text_of_the_page_is_unchanged():
    html = "<p>a</p>" + table(3, "<code>z</code>") + '<div class="math-block"><math>' + "<mi>q</mi>" * 50 + "</math></div>"
    out = hooks.focusable_scroll_boxes(html, "en")
    text = lambda h: BeautifulSoup(h, "html.parser").get_text()  # noqa: E731
    assert text(out) == text(html)


def test_bad_language_is_refused_by_name():
    with pytest.raises(ValueError, match="lang"):
        hooks.focusable_scroll_boxes("<table></table>", "de")


def test_hook_uses_the_page_language():
    page = types.SimpleNamespace(file=types.SimpleNamespace(dest_uri="en/backprop/index.html"))
    out = hooks.on_page_content(table(3), page=page, config=None, files=None)
    assert 'aria-label="Scrollable table"' in out
    page.file.dest_uri = "backprop/index.html"
    assert 'aria-label="Таблиця з прокручуванням"' in hooks.on_page_content(table(3), page=page, config=None, files=None)


def test_hook_is_registered_after_the_formula_hook():
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    listed = re.findall(r"^\s+- (hooks/\S+\.py)", config, re.M)
    assert "hooks/a11y_hooks.py" in listed
    assert listed.index("hooks/a11y_hooks.py") > listed.index("hooks/lessons_hooks.py")


def test_no_script_decides_focus_from_layout():
    template = (ROOT / "overrides" / "main.html").read_text("utf-8")
    assert "ResizeObserver" not in template and "tabIndex" not in template


def test_a_formula_broken_into_rows_is_as_wide_as_its_widest_row():
    row = "<mtr><mtd><mi>x</mi><mo>=</mo><mn>1</mn></mtd></mtr>"
    long_row = "<mtr><mtd>" + "<mi>x</mi><mo>+</mo>" * 20 + "<mi>y</mi></mtd></mtr>"
    two_short = f"<math><mtable>{row * 30}</mtable></math>"  # long in all, short per row
    assert hooks.formula_scrolls(f"<math>{'<mi>x</mi>' * 60}</math>")
    assert not hooks.formula_scrolls(two_short)
    assert hooks.formula_scrolls(f"<math><mtable>{row}{long_row}</mtable></math>")


def test_the_glossary_table_gets_no_scroll_box():
    wide = table(12, "word " * 10)
    assert hooks.table_scrolls(wide)
    assert 'class="table-scroll"' in hooks.focusable_scroll_boxes(wide, "uk")
    glossary = f'<div class="glossary" style="--x:1">\n{wide}</div>'
    assert 'class="table-scroll"' not in hooks.focusable_scroll_boxes(glossary, "uk")
