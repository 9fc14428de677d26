"""Figure labels and display formulas of the lesson pages on a phone (360×740), in Chromium.

The phone-reading rule (DESIGN.md, issue 10): at 360 px every figure label is at least 10 CSS
px, and a display formula fits its box instead of scrolling. A label's rendered size is its
font size in the SVG's user units times the scale the browser draws the SVG at, read from
the text element's screen matrix (``getScreenCTM``: the length of its first column, so a
rotated label counts too). One page load per language and page; the palette does not change
a size, so one palette is enough here. No script is loaded: figures and formulas are laid out
by the HTML and CSS alone (Lesson 1's narrow variants switch by a media query), and Material's
bundle, the search worker and its index cost a loaded machine a second; other tests watch the
console.
"""

from __future__ import annotations

import pytest
from browser_fixtures import page_url, settle
from conftest import LANGS

PHONE = {"width": 360, "height": 740}
SMALLEST = 10.0  # CSS px
# the lesson pages whose figures this module measures (Lesson 1's graphs have their own test)
STEMS = ["convolutions"]

MEASURE = """() => {
  const article = document.querySelector('article');
  const labels = [];
  for (const svg of article.querySelectorAll('svg')) {
    if (!svg.getClientRects().length) continue;          // a variant hidden at this width
    const title = svg.querySelector('title');
    for (const t of svg.querySelectorAll('text')) {
      if (!t.getClientRects().length || !t.textContent.trim()) continue;
      const m = t.getScreenCTM();
      labels.push({figure: title ? title.textContent : '(untitled svg)', text: t.textContent,
                   px: Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(t).fontSize)});
    }
  }
  const formulas = [...article.querySelectorAll('.math-block')].map(b => ({
      text: b.textContent.slice(0, 60), scroll: b.scrollWidth, client: b.clientWidth}));
  return {labels, formulas, width: article.clientWidth};
}"""


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_label_is_at_least_10_css_px_and_no_formula_scrolls(site_server, new_context,
                                                                  lang, stem):
    page = new_context(**PHONE).new_page()
    for pattern in ("**/*.js", "**/search/**", "**/*.png"):
        page.route(pattern, lambda route: route.abort())
    page.goto(page_url(site_server, lang, stem), wait_until="domcontentloaded")
    settle(page)
    found = page.evaluate(MEASURE)
    labels = found["labels"]
    # the measurement saw the figures: the singular-value chart's σ labels among them
    assert len({label["figure"] for label in labels}) >= 2, labels
    assert sum(label["text"].startswith("σ") for label in labels) >= 20, labels
    small = [label for label in labels if label["px"] < SMALLEST]
    assert not small, (f"{lang}/{stem}: {len(small)} of {len(labels)} labels under "
                       f"{SMALLEST} CSS px at 360 px, e.g. {small[:5]}")
    scrolling = [f for f in found["formulas"] if f["scroll"] > f["client"] + 1]
    assert found["formulas"] and not scrolling, f"{lang}/{stem}: cut at 360 px: {scrolling}"
