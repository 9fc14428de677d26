"""Smallest rendered label of the lessons' figures (Lessons 1 and 3), measured in headless Chromium.

Requirement (phone-reading issue): at 360 px every figure label is at least 10 CSS px.
How: writes one HTML page per language with ``lessons.draw.figure_html`` for each graph
Lesson 1 draws, inside a 16 px padding like Material's content column, opens it at
360×740 and 1280×800, and for every visible SVG text takes
``getScreenCTM().a × font-size`` (the CSS px it is drawn at; the computed font-size, as a
label may inherit it from the ``<svg>``). Prints, for every figure and viewport, the
variant shown, its natural and rendered width, and the smallest label;
``--shots DIR`` also saves full-page screenshots to look at.

Lesson 3 (``lessons.pages.convolutions``): its singular-value chart and receptive-field
panels go on a second page per language, in the same padding and under the site's own
``docs/assets/lessons.css`` (which caps a figure at the column's width); for every SVG it
prints the natural (viewBox) and rendered width, the smallest label (the length of the
text's screen-matrix column times its computed font size, so rotated text counts too) and
how many labels are under 10 CSS px.

    uv run python benchmarks/figure_labels.py [--shots DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessons.draw import figure_html
from lessons.pages.backprop import add_mul, sigmoid_neuron, staged
from lessons.pages.convolutions import receptive_field_figure, singular_figure

VIEWPORTS = ((360, 740), (1280, 800))
FIGURES = {
    "add_mul": add_mul,
    "sigmoid_neuron": sigmoid_neuron,
    "sigmoid_neuron_one_gate": lambda: sigmoid_neuron(one_gate=True),
    "staged": staged,
}
MEASURE = """() => [...document.querySelectorAll('.cg-figure')].map(fig => {
  const svg = [...fig.querySelectorAll('svg')].find(s => s.getClientRects().length);
  const sizes = [...svg.querySelectorAll('text')].map(
      t => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize));
  return {figure: fig.id, shown: svg.id, visible: fig.querySelectorAll('svg').length -
          [...fig.querySelectorAll('svg')].filter(s => !s.getClientRects().length).length,
          natural: svg.viewBox.baseVal.width, rendered: svg.getBoundingClientRect().width,
          smallest: Math.min(...sizes),
          scrolls: fig.querySelector('div:not([style*=none])').scrollWidth >
                   svg.closest('div').clientWidth + 0.5};
})"""


def page(lang: str) -> str:
    body = "".join(f"<h3>{name}</h3>"
                   + figure_html(make(), lang=lang, id_prefix=name.replace("_", "-"))
                   for name, make in FIGURES.items())
    return ('<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            "<style>body{margin:0;padding:0 16px;font-family:sans-serif}</style></head>"
            f"<body>{body}</body></html>")


LESSON3_MEASURE = """() => [...document.querySelectorAll('svg')].filter(s => s.querySelector('text'))
  .map(svg => {
    const sizes = [...svg.querySelectorAll('text')].map(t => {
      const m = t.getScreenCTM();
      return Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(t).fontSize);
    });
    return {figure: svg.querySelector('title').textContent, natural: svg.viewBox.baseVal.width,
            rendered: svg.getBoundingClientRect().width, smallest: Math.min(...sizes),
            labels: sizes.length, under10: sizes.filter(px => px < 10).length};
  })"""


def lesson3_page(lang: str) -> str:
    css = (ROOT / "docs" / "assets" / "lessons.css").read_text(encoding="utf-8")
    body = singular_figure(lang) + receptive_field_figure(lang)
    return ('<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            f"<style>body{{margin:0;padding:0 16px;font-family:sans-serif}}{css}</style></head>"
            f'<body><div class="md-typeset">{body}</div></body></html>')


def lesson3(browser, tmp: str, shots: Path | None) -> tuple[float, int]:
    """Lesson 3's figures at both viewports: (smallest label at 360 px, labels under 10 there)."""
    print(f"\nLesson 3\n{'lang':4} {'viewport':>8}  {'figure':44} {'natural':>8} {'rendered':>8} "
          f"{'smallest':>8} {'labels':>6} {'<10':>4}")
    worst, under = float("inf"), 0
    for lang in ("uk", "en"):
        html = Path(tmp) / f"conv-{lang}.html"
        html.write_text(lesson3_page(lang), encoding="utf-8")
        for w, h in VIEWPORTS:
            tab = browser.new_page(viewport={"width": w, "height": h})
            tab.goto(html.as_uri())
            for row in tab.evaluate(LESSON3_MEASURE):
                if w == 360:
                    worst = min(worst, row["smallest"])
                    under += row["under10"]
                print(f"{lang:4} {w:>8}  {row['figure'][:44]:44} {row['natural']:8.1f} "
                      f"{row['rendered']:8.1f} {row['smallest']:8.2f} {row['labels']:6} "
                      f"{row['under10']:4}")
            if shots:
                shots.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(shots / f"conv-figures-{lang}-{w}.png"), full_page=True)
            tab.close()
    return worst, under


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="folder for full-page screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        print(f"{'lang':4} {'viewport':>8}  {'figure':24} {'shown':28} {'natural':>8} "
              f"{'rendered':>8} {'smallest':>8}  scrolls")
        worst = float("inf")
        for lang in ("uk", "en"):
            html = Path(tmp) / f"{lang}.html"
            html.write_text(page(lang), encoding="utf-8")
            for w, h in VIEWPORTS:
                tab = browser.new_page(viewport={"width": w, "height": h})
                tab.goto(html.as_uri())
                for row in tab.evaluate(MEASURE):
                    assert row["visible"] == 1, row
                    if w == 360:
                        worst = min(worst, row["smallest"])
                    print(f"{lang:4} {w:>8}  {row['figure']:24} {row['shown']:28} "
                          f"{row['natural']:8.1f} {row['rendered']:8.1f} "
                          f"{row['smallest']:8.2f}  {row['scrolls']}")
                if args.shots:
                    args.shots.mkdir(parents=True, exist_ok=True)
                    tab.screenshot(path=str(args.shots / f"figures-{lang}-{w}.png"),
                                   full_page=True)
                tab.close()
        worst3, under3 = lesson3(browser, tmp, args.shots)
        browser.close()
    print(f"\nsmallest label at 360 px: Lesson 1 {worst:.2f} CSS px, Lesson 3 {worst3:.2f} CSS px "
          f"({under3} labels under 10 in both languages); requirement: >= 10")


if __name__ == "__main__":
    main()
