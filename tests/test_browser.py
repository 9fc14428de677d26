"""The site as readers meet it, in a real browser (headless Chromium through Playwright).

Every page of both languages (discovered from docs/uk/*.md, so new lessons are covered the
moment they land) is opened from the built site served on 127.0.0.1 under the site_url path,
with every other host cut off, as a reader offline would see it. One browser for the session;
one desktop and one phone context for this module. Each page is loaded once per width, and
both palettes are checked on the loaded page by switching Material's palette attribute.

Screenshots of each lesson (desktop and 360 px, light and dark, in Ukrainian) land in
$LESSONS_SCREENSHOTS when it is set (its path is printed in the terminal summary).
Not covered here: the site search (tests/test_search.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from browser_fixtures import (
    SCREENSHOT_DIRS,
    make_context,
    page_url,
    set_scheme,
    settle,
    site_stems,
    watch,
)
from conftest import LANGS

# The module pages of the API reference share one template (mkdocstrings), one stylesheet and
# one kind of scroll box (signature and example code): the browser checks run on the longest
# of them, next to the landing page and every other page.
REFERENCE_SAMPLE = "reference/conv"
PAGES = [stem for stem in site_stems() if "/" not in stem or stem == REFERENCE_SAMPLE]
NOT_LESSONS = {"index", "glossary", "reference", "404"}
LESSONS = [stem for stem in PAGES if stem not in NOT_LESSONS and not stem.startswith("reference/")]
OTHER = {"uk": "en", "en": "uk"}
SCHEMES = ("default", "slate")  # Material's light and dark palettes
SERIOUS = {"serious", "critical"}
# screenshots: the default language (the layout is the same in both; half the time)
SHOT_LANG = "uk"

@pytest.fixture(scope="module")
def screenshot_dir():
    """Where the screenshots go (kept after the run for a reviewer; never committed), or None.

    Full-page shots cost about 1.3 s each (18 per run): they are taken when
    LESSONS_SCREENSHOTS names a folder (``LESSONS_SCREENSHOTS=/tmp/shots uv run pytest
    tests/test_browser.py``), not on every run of the suite.
    """
    if not os.environ.get("LESSONS_SCREENSHOTS"):
        return None
    path = Path(os.environ["LESSONS_SCREENSHOTS"])
    path.mkdir(parents=True, exist_ok=True)
    SCREENSHOT_DIRS.append(path)
    return path


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def desktop(browser):
    context = make_context(browser, "default", 1280, 800)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    # a narrow window (no touch emulation): Material makes wide code blocks keyboard-focusable
    # only where the device can hover, and a 360 px window at 400 % zoom is a keyboard user too
    context = make_context(browser, "default", 360, 740)
    yield context
    context.close()


def load(page, url, *, quiet=True, axe=None, found=None):
    """Go to ``url``; by default wait until the network is quiet (late requests are caught).

    With ``axe`` and a ``found`` list, keyboard access to scroll boxes is checked right after
    "load", before any wait (see ``right_after_load``), and what is wrong is appended.
    """
    response = page.goto(url, wait_until="load")
    assert response is not None, url
    if axe is not None:
        found.extend(right_after_load(axe, page))
    if quiet:
        page.wait_for_load_state("networkidle")
    settle(page)
    return response


# axe-core is slow on long pages: on the API reference (about 18,000 highlighted code tokens,
# the functions' source) one run takes 10 s on a loaded 2-core machine, nearly all of it
# colour contrast of code tokens. So axe sees every page without the inside of code blocks
# (`pre`), and two cheap checks cover them instead: `code_token_contrast` (one element per
# token class and palette, the same WCAG formula) and CODE_SCROLL (a code block that scrolls
# takes keyboard focus). Each axe rule runs where its outcome can change. Light palette:
# every rule; dark palette: the rules that depend on colours; phone width: the rules that
# depend on layout.
PALETTE_RULES = ["color-contrast", "link-in-text-block"]
# (target-size runs in the full desktop pass: the controls are the same at both widths, and
# at 360 px it costs seconds on the long API reference)
LAYOUT_RULES = ["scrollable-region-focusable", "meta-viewport"]
NOT_CODE = {"exclude": [["pre"]]}
AXE_MS = 120_000  # one axe run, at most (the slowest takes about 10 s)


def axe_start(axe, page, rules=None, context=None, skip=()):
    """Start axe-core on ``page`` (its result is read by ``axe_serious``); ``skip``: rule ids
    left out of a full run."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe.axe_script)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    if skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
    # capped: axe_serious reads the result with page.evaluate, which has no timeout of its own
    page.evaluate("""([c, o, ms]) => { window.__lessonsAxe = Promise.race([
        axe.run(c || document, o),
        new Promise((_, no) => setTimeout(() => no(new Error(`axe.run took over ${ms} ms`)), ms))]); }""",
                  [context, options, AXE_MS])


def axe_serious(page) -> list[str]:
    results = page.evaluate("() => window.__lessonsAxe")
    found = []
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


# Keyboard access must not wait for layout (DESIGN.md pitfalls: content-visibility delays it):
# hooks/a11y_hooks.py makes every box that can scroll focusable in the HTML. So this rule also
# runs right after "load" (no network-idle wait, no settle(): blocks far down are still
# skipped), at 1280 px and at 360 px, on the whole page, code blocks included (this one rule
# is cheap on them).
NO_WAIT_RULES = ["scrollable-region-focusable"]


# Lighthouse runs axe on a phone right after load, with nothing scrolled: the buttons of a
# block whose rendering is skipped (content-visibility) sit at its estimated size, on top of
# the next block's, and fail target-size. So that rule runs here too, on the controls only.
CONTROLS = ("form.exercise", "form.try-form", ".runnable")


def right_after_load(axe, page) -> list[str]:
    """Serious axe findings of NO_WAIT_RULES on ``page`` as it is now (call it before any wait),
    and of target-size on its exercise forms and runnable blocks."""
    axe_start(axe, page, NO_WAIT_RULES, None)
    found = axe_serious(page)
    controls = [[c] for c in CONTROLS if page.locator(c).count()]
    if controls:
        axe_start(axe, page, ["target-size"], {"include": controls})
        found += axe_serious(page)
    width = page.viewport_size["width"]
    return [f"{page.url} [{width} px, right after load]: {v}" for v in found]


def axe_both(axe, pages: dict, label: str, rules=None, context=NOT_CODE, skip=()) -> list[str]:
    for page in pages.values():
        axe_start(axe, page, rules, context, skip)
    return [f"{page.url} [{label}]: {v}" for page in pages.values() for v in axe_serious(page)]


UNNAMED_SVGS = """() => [...document.querySelectorAll('svg[role="img"]')]
    .filter(svg => !((svg.getAttribute('aria-label') || '').trim()
                     || svg.getAttribute('aria-labelledby')
                     || (svg.querySelector(':scope > title')?.textContent || '').trim()))
    .map(svg => svg.outerHTML.slice(0, 100))"""

MATH_SIZES = """() => [...document.querySelectorAll('.md-content math')].slice(0, 20)
    .map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })"""


CODE_CONTRAST = """() => {
    const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (f, b) => [0, 1, 2].map(i => f[i] * f[3] + b[i] * (1 - f[3])).concat([1]);
    const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const background = el => { let layers = []; for (; el; el = el.parentElement) { const c = rgba(getComputedStyle(el).backgroundColor); if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } } return layers.reverse().reduce((b, f) => over(f, b), [255, 255, 255, 1]); };
    const seen = new Map();
    for (const span of document.querySelectorAll('.md-content pre code span[class]')) {
        if (!span.textContent.trim() || span.getClientRects().length === 0) continue;
        const key = span.className + '|' + (span.closest('.hll') ? 'hll' : '');
        if (!seen.has(key)) seen.set(key, span);
    }
    const bad = [];
    for (const [key, span] of seen) {
        const bg = background(span), fg = over(rgba(getComputedStyle(span).color), bg);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < 4.5) bad.push(`code token .${key.split('|')[0]} ${JSON.stringify(span.textContent.slice(0, 20))}: contrast ${ratio.toFixed(2)} < 4.5`);
    }
    return bad;
}"""


def code_token_contrast(page, label) -> list[str]:
    """Every highlighted code token class meets 4.5:1 against its background (WCAG AA)."""
    return [f"{page.url} [{label}]: {p}" for p in page.evaluate(CODE_CONTRAST)]


def figures_and_formulas(page) -> list[str]:
    """Graph and chart SVGs have accessible names; formulas render as MathML (non-zero size)."""
    problems = [f"{page.url}: SVG figure without an accessible name: {s}"
                for s in page.evaluate(UNNAMED_SVGS)]
    sizes = page.evaluate(MATH_SIZES)
    problems += [f"{page.url}: formula {i} not rendered (size {w}x{h})"
                 for i, (w, h) in enumerate(sizes) if not (w > 0 and h > 0)]
    return problems


def switch_language(page, lang, *, axe=None, found=None):
    """Use the header's language selector like a reader: open it, pick ``lang`` (with ``axe``
    and ``found``: check keyboard access right after load, as ``load`` does)."""
    page.hover(".md-header .md-select")
    link = page.locator(f".md-header .md-select__link[hreflang='{lang}']")
    with page.expect_navigation(wait_until="load"):
        link.click()
    if axe is not None:
        found.extend(right_after_load(axe, page))
    settle(page)


def shoot(page, path):
    """A full-page screenshot for reviewers (JPEG: a long lesson is several MB as PNG)."""
    page.screenshot(path=path, full_page=True, type="jpeg", quality=70)
    assert path.stat().st_size > 10_000, f"empty screenshot {path}"


def open_twins(context, base, stem, quiet=True, axe=None, found=None):
    pages, logs = {}, []
    for lang in LANGS:
        page = context.new_page()
        logs.append(watch(page))
        url = page_url(base, lang, stem)
        response = load(page, url, quiet=quiet, axe=axe, found=found)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        pages[lang] = page
    return pages, logs


def check_in_both_palettes(axe, page, lang, stem, screenshot_dir) -> list[str]:
    """Accessibility in the light and the dark palette, figures, formulas; lesson screenshots.

    Colours come from the same stylesheets in both languages, so the colour rules (most of
    axe's time: contrast of every text node) run on the Ukrainian twin only, in both
    palettes; the English twin gets every other rule (names, landmarks, language, links).
    """
    if lang != SHOT_LANG:
        problems = axe_both(axe, {lang: page}, "light", skip=PALETTE_RULES)
        return problems + figures_and_formulas(page)
    problems = axe_both(axe, {lang: page}, "light")
    problems += code_token_contrast(page, "light")
    problems += figures_and_formulas(page)
    if stem in LESSONS and screenshot_dir is not None:
        shoot(page, screenshot_dir / f"{stem}-{lang}-desktop-default.jpg")
    set_scheme(page, "slate")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    problems += axe_both(axe, {lang: page}, "dark", PALETTE_RULES)
    problems += code_token_contrast(page, "dark")
    if stem in LESSONS and screenshot_dir is not None:
        shoot(page, screenshot_dir / f"{stem}-{lang}-desktop-slate.jpg")
    set_scheme(page, "default")
    return problems


def test_the_sampled_reference_page_exists():
    assert REFERENCE_SAMPLE in site_stems(), "the sampled module page is gone: pick another"


@pytest.mark.parametrize("stem", PAGES)
def test_page_in_both_languages(site_server, desktop, axe, screenshot_dir, stem):
    """A page and its twin, reached through the language selector and back: clean console
    and network, no other host, accessible in both palettes, named figures, rendered formulas,
    scroll boxes in keyboard reach right after load."""
    page = desktop.new_page()
    log = watch(page)
    url = page_url(site_server, "uk", stem)
    problems = []
    response = load(page, url, axe=axe, found=problems)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    problems += check_in_both_palettes(axe, page, "uk", stem, screenshot_dir)
    # right after load at 1280 px in Ukrainian; both languages get it at 360 px (test_phone_width),
    # where boxes scroll
    switch_language(page, "en")
    assert page.url == page_url(site_server, "en", stem), f"uk -> en led to {page.url}"
    page.wait_for_load_state("networkidle")
    problems += check_in_both_palettes(axe, page, "en", stem, screenshot_dir)
    switch_language(page, "uk")
    assert page.url == url, f"en -> uk led to {page.url}"
    page.close()
    problems += log.problems()
    assert not problems, "\n".join(problems)


# axe's scrollable-region-focusable for the code blocks axe skips (see NOT_CODE): a code
# block that scrolls sideways must take keyboard focus (hooks/a11y_hooks.py gives it
# tabindex="0" in the HTML; Material's script keeps it where the block scrolls).
CODE_SCROLL = """() => [...document.querySelectorAll('.md-content pre > code')]
    .filter(c => c.getClientRects().length && c.scrollWidth > c.clientWidth && c.tabIndex < 0
                 && !c.querySelector('a, button, input, [tabindex]'))
    .map(c => `code block ${c.closest('pre').id || ''} scrolls but takes no keyboard focus`)"""


OVERFLOW = """() => {
    const doc = document.documentElement;
    const out = [];
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of document.querySelectorAll('.md-content table, .md-content svg, .md-content pre, .md-content math, .md-content img')) {
        let box = el, scrolls = false;
        while (box && box !== document.body) {
            const style = getComputedStyle(box);
            if (['auto', 'scroll'].includes(style.overflowX) && box.clientWidth <= doc.clientWidth) { scrolls = true; break; }
            box = box.parentElement;
        }
        const r = el.getBoundingClientRect();
        if (!scrolls && r.right > doc.clientWidth + 1 && r.width > 0)
            out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} sticks out (${Math.round(r.right)} px) with no scroll box`);
    }
    return out;
}"""


@pytest.mark.parametrize("stem", PAGES)
def test_phone_width(site_server, phone, axe, screenshot_dir, stem):
    """At 360 px the page never scrolls sideways; wide tables, figures and formulas scroll or
    scale inside their own box, and a box that scrolls is reachable by keyboard (axe), right
    after load and once laid out."""
    # the desktop test waits for late requests; here the page is the same, so no wait
    problems = []  # first: keyboard access right after load (see right_after_load)
    pages, logs = open_twins(phone, site_server, stem, quiet=False, axe=axe, found=problems)
    problems += [f"{page.url}: {p}" for page in pages.values() for p in page.evaluate(OVERFLOW)]
    problems += axe_both(axe, pages, "360 px", LAYOUT_RULES)
    problems += [f"{page.url}: {p}" for page in pages.values() for p in page.evaluate(CODE_SCROLL)]
    if stem in LESSONS and screenshot_dir is not None:
        for lang, page in pages.items():
            if lang != SHOT_LANG:
                continue
            for scheme in SCHEMES:
                set_scheme(page, scheme)
                shoot(page, screenshot_dir / f"{stem}-{lang}-phone-{scheme}.jpg")
    for page in pages.values():
        page.close()
    problems += [p for log in logs for p in log.problems()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_missing_page_gets_the_404_page(site_server, desktop, lang):
    """A missing address under the site path shows the site's own 404 page, fully styled."""
    page = desktop.new_page()
    log = watch(page)
    missing = page_url(site_server, lang, "no-such-lesson") + "deeper/"
    response = load(page, missing)
    assert response.status == 404
    assert page.locator("h1#not-found").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
    expected_lang = "en" if lang == "en" else "uk"
    assert page.evaluate("document.documentElement.lang") == expected_lang
    home = page.locator("article a").first
    with page.expect_navigation(wait_until="load"):
        home.click()
    assert page.url == page_url(site_server, lang, "index")
    # the document's own 404 is the point of the page; anything else is a problem
    problems = [p for p in log.problems() if missing not in p and "status of 404" not in p]
    page.close()
    assert not problems, "\n".join(problems)


def test_settle_and_axe_end_when_the_browser_never_answers(desktop, monkeypatch):
    """``settle`` and the axe result come back, or fail, when no frame and no result ever come:
    ``page.evaluate`` has no timeout, so an uncapped wait would hang the whole run."""
    from playwright.sync_api import Error

    page = desktop.new_page()
    page.set_content("<!doctype html><html><head></head><body><p>x</p></body></html>")
    page.evaluate("() => { window.requestAnimationFrame = () => 0; "
                  "window.axe = {run: () => new Promise(() => {})}; }")
    start = time.monotonic()
    settle(page)
    assert time.monotonic() - start < 5
    monkeypatch.setattr(sys.modules[__name__], "AXE_MS", 300)
    axe_start(None, page)
    with pytest.raises(Error, match="axe.run took over 300 ms"):
        axe_serious(page)
    page.close()
