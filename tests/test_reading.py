"""Reading on a phone and on paper (docs/assets/reading.css, overrides/partials/alternate.html).

Usability findings of reviews/ux.md: wide tables keep their row labels and show that they
scroll (F5), the copy button can be seen and does not cover code (F7), closed panels take no
Tab focus at 360 px (F8, F21), the theme toggle shows its focus ring (F9), print cuts nothing
(F11), and the language switch keeps the reader's place (F12).

Also the glossary on a phone (F3: a term and its definition read without swiping) and the
display formulas at 360 px (none cut, but for a short allow-list).

Cheap by design: two browser contexts (phone, dark laptop), and in each every URL is loaded
once and kept open for the whole module (``Pages``): the tests share those pages and leave
them as they found them (scroll, focus, palette, size), so no test reloads what another one
loaded. Paper (an A4 sheet in print media) and a wide screen are the phone's page laid out
again at that size (``printed``, ``resized``), and the language switch is checked up to the
link the browser follows, on the English page already loaded, not by loading it again.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from browser_fixtures import make_context, page_url, set_scheme, settle, watch

LESSONS = ("backprop", "normalization", "convolutions")

PHONE = (360, 740)
A4 = (794, 1123)  # A4 at 96 px per inch


class Pages:
    """The pages of one browser context: each URL loaded once, kept open for the module."""

    def __init__(self, context):
        self.context, self.pages, self.logs = context, {}, []

    def get(self, url: str):
        """The page at ``url`` (loaded, laid out and still) on first use, the same page after."""
        page = self.pages.get(url)
        if page is None:
            page = self.context.new_page()
            self.logs.append(watch(page))
            page.goto(url)
            settle(page)
            self.pages[url] = page
        return page

    def problems(self) -> list[str]:
        return [p for log in self.logs for p in log.problems()]


def idle_search(context) -> None:
    """Start the pages' search worker as an empty script: it never builds the index.

    Each page's worker otherwise builds the language's index (lunr, the Ukrainian word forms)
    for 1.5-3 s of CPU after the page loads, competing with the measurements of every page
    open in the module. These tests use the search box only (it opens and takes the focus
    without the worker), never its results, which tests/test_search.py checks.
    """
    context.route("**/assets/search/worker.js*",
                  lambda route: route.fulfill(body="", content_type="text/javascript"))


def _pages(browser, scheme, width, height):
    context = make_context(browser, scheme, width, height)
    idle_search(context)
    return context, Pages(context)


@pytest.fixture(scope="module")
def phone(browser):
    context, pages = _pages(browser, "default", *PHONE)
    yield pages
    assert not pages.problems(), pages.problems()
    context.close()


@pytest.fixture(scope="module")
def dark(browser):
    context, pages = _pages(browser, "slate", 1280, 800)
    yield pages
    assert not pages.problems(), pages.problems()
    context.close()


@contextmanager
def resized(page, width: int, height: int, media: str = "screen"):
    """``page`` laid out at another size (and media), then as it was: no second load."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media=media)
    try:
        yield page
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(size)


def printed(page):
    """``page`` as it prints on A4 (print media, the sheet's width), then as it was."""
    return resized(page, *A4, media="print")


# --------------------------------------------------------------------------------------------
# colour arithmetic (WCAG 2.x), independent of the page's own CSS


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    assert len(parts) in (3, 4), css
    return (*parts[:3], parts[3] if len(parts) == 4 else 1.0)


def _over(top, bottom):
    """``top`` (rgba) composited over the opaque ``bottom``."""
    a = top[3]
    return tuple(a * t + (1 - a) * b for t, b in zip(top[:3], bottom[:3])) + (1.0,)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_arithmetic():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert _over((0, 0, 0, 0.5), (255, 255, 255, 1)) == (127.5, 127.5, 127.5, 1.0)


# --------------------------------------------------------------------------------------------
# F5: wide tables on a phone

WIDE_TABLES = """() => [...document.querySelectorAll('article .table-scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => {
    box.scrollLeft = 0
    const cells = [...box.querySelectorAll('tr')].map(tr => tr.children[0])
    const second = box.querySelector('tbody tr').children[1]
    const before = cells.map(c => c.getBoundingClientRect().left)
    const secondBefore = second.getBoundingClientRect().left
    const boxLeft = box.getBoundingClientRect().left
    const cs = getComputedStyle(box)
    const cue = [cs.backgroundImage, cs.backgroundAttachment]
    box.scrollLeft = 120
    const scrolled = box.scrollLeft
    const after = cells.map(c => c.getBoundingClientRect().left)
    const moved = secondBefore - second.getBoundingClientRect().left
    const colours = cells.map(c => getComputedStyle(c).backgroundColor)
    box.scrollLeft = 0
    return {boxLeft, before, after, moved, scrolled, cue, colours}
  })"""


MISALIGNED = """() => {
    const wrong = [];
    const side = {l: 'left', c: 'center', r: 'right'};
    document.querySelectorAll('article table').forEach((table, t) => {
      for (const [key, align] of Object.entries(side)) {
        for (const n of (table.dataset[key] || '').split(' ').filter(Boolean)) {
          for (const row of table.rows) {
            const cell = row.cells[Number(n) - 1];
            const got = cell && getComputedStyle(cell).textAlign;
            if (cell && got !== align) wrong.push(`table ${t} column ${n}: ${got}, not ${align}`);
          }
        }
      }
    });
    return wrong;
  }"""


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_wide_tables_keep_their_row_labels_and_show_that_they_scroll(site_server, phone, lang):
    page = phone.get(page_url(site_server, lang, "convolutions"))
    tables = page.evaluate(WIDE_TABLES)
    assert len(tables) >= 5, f"{lang}: the lesson has wide tables at 360 px"
    for i, t in enumerate(tables):
        assert t["scrolled"] >= 40 and t["moved"] == pytest.approx(t["scrolled"], abs=1), (
            f"{lang} table {i}: the box scrolls")
        # every first-column cell (header and body rows) is still at the box's left edge
        for before, after in zip(t["before"], t["after"]):
            assert t["boxLeft"] - 0.5 <= after <= before + 0.5, (lang, i, before, after)
        image, attachment = t["cue"]
        assert image != "none" and "local" in attachment and "scroll" in attachment, t["cue"]
        # the label cells hide what slides under them
        assert all(_rgba(c)[3] == 1 for c in t["colours"]), (lang, i, t["colours"])
    # the columns Markdown aligned keep that alignment (hooks/slim_hooks.py writes it once
    # per table, and lessons.css must win over Material's left alignment of every cell)
    wrong = page.evaluate(MISALIGNED)
    assert not wrong, f"{lang}: cells not aligned as their table says: {wrong[:5]}"
    # the same in the dark palette
    set_scheme(page, "slate")
    try:
        for t in page.evaluate(WIDE_TABLES):
            assert all(_rgba(c)[3] == 1 for c in t["colours"]), t["colours"]
            assert t["cue"][0] != "none"
    finally:
        set_scheme(page, "default")


# --------------------------------------------------------------------------------------------
# Display formulas at 360 px: a long one breaks into lines instead of being cut

CUT_FORMULAS = """() => [...document.querySelectorAll('article .math-block')].map((box, i) => ({
    i, scrolls: box.scrollWidth > box.clientWidth + 1, width: box.scrollWidth, room: box.clientWidth,
    text: box.textContent.replace(/\\s+/g, '').slice(0, 40)}))"""

# The display formulas (0-based, in page order, either language) that may still scroll at
# 360 px: none; every long one is broken into lines or into two formulas.
FORMULAS_STILL_CUT: dict[str, set[int]] = {}


def test_no_display_formula_is_cut_on_a_phone(site_server, phone):
    cut, seen = [], 0
    for lang in ("uk", "en"):
        for stem in LESSONS:
            boxes = phone.get(page_url(site_server, lang, stem)).evaluate(CUT_FORMULAS)
            seen += len(boxes)
            allowed = FORMULAS_STILL_CUT.get(stem, set())
            cut += [f"{lang}/{stem} formula {b['i']} ({b['width']} px in {b['room']}): {b['text']}"
                    for b in boxes if b["scrolls"] and b["i"] not in allowed]
    assert seen >= 2 * 15, "the lessons have display formulas"
    assert not cut, "display formulas cut at 360 px:\n" + "\n".join(cut)


# --------------------------------------------------------------------------------------------
# F3: the glossary on a phone, one block per term

GLOSSARY = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width} }
  const article = document.querySelector('article'), cs = getComputedStyle(article)
  const a = article.getBoundingClientRect()
  const column = {left: a.left + parseFloat(cs.paddingLeft), right: a.right - parseFloat(cs.paddingRight)}
  const heads = [...document.querySelectorAll('article .glossary thead th')]
  const thead = getComputedStyle(document.querySelector('article .glossary thead'))
  const rows = [...document.querySelectorAll('article .glossary tbody tr')].map(tr => {
    const [term, other, where, definition] = [...tr.children]
    const style = getComputedStyle(where, '::before')
    return {row: box(tr), display: getComputedStyle(tr).display, term: box(term), other: box(other),
            where: box(where), definition: box(definition), label: style.content,
            lineHeight: parseFloat(getComputedStyle(definition).lineHeight),
            colours: [other, where].map(c => getComputedStyle(c).color)}
  })
  const scrolls = [...document.querySelectorAll('article .glossary, article .glossary *')]
    .filter(e => !e.closest('thead'))  // hidden from sight only: clipped to a pixel
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').length
  return {column, heads: heads.map(h => h.textContent.trim()), theadShown: thead.display !== 'none' && thead.visibility !== 'hidden',
          rows, scrolls, pageWidth: document.documentElement.scrollWidth, innerWidth,
          background: getComputedStyle(document.body).backgroundColor}
}"""


def _within(inner, outer, slack=0.5):
    return inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_glossary_reads_on_a_phone_without_swiping(site_server, phone, lang):
    page = phone.get(page_url(site_server, lang, "glossary"))
    for scheme in ("default", "slate"):
        set_scheme(page, scheme)
        try:
            g = page.evaluate(GLOSSARY)
        finally:
            set_scheme(page, "default")
        assert g["pageWidth"] <= g["innerWidth"] and g["scrolls"] == 0, f"{lang}: something scrolls"
        assert len(g["rows"]) >= 20 and g["theadShown"], "the header row stays for screen readers"
        background = _rgba(g["background"])
        for r in g["rows"]:
            # every part of the entry is on screen, in the text column
            for part in ("term", "other", "where", "definition"):
                assert _within(r[part], g["column"]), (lang, part, r)
            # the definition has the whole column, right under the term (and its translation,
            # which may wrap to a line of its own): no sliver of a column, no blank rows
            assert r["definition"]["width"] >= 0.95 * (g["column"]["right"] - g["column"]["left"]), r
            assert r["definition"]["top"] >= max(r["term"]["bottom"], r["other"]["bottom"]) - 1, r
            assert r["definition"]["top"] - r["row"]["top"] <= 4 * r["lineHeight"], r
            assert r["where"]["top"] >= r["definition"]["bottom"] - 1, r
            # "where it is taught" is labelled with that column's own header
            assert r["label"] == f'"{g["heads"][2]}: "', (r["label"], g["heads"])
            # the secondary text is still text (4.5:1) in both palettes
            for colour in r["colours"]:
                assert contrast(_over(_rgba(colour), background), background) >= 4.5, (scheme, colour)


def test_the_glossary_stays_a_table_on_a_wide_screen(site_server, phone):
    with resized(phone.get(page_url(site_server, "uk", "glossary")), 1280, 800) as page:
        g = page.evaluate(GLOSSARY)
    assert g["rows"] and all(r["display"] == "table-row" for r in g["rows"])
    # the four cells of a row side by side, the header row in sight, no "where" label
    for r in g["rows"]:
        assert r["term"]["right"] <= r["other"]["left"] + 0.5 and r["where"]["right"] <= r["definition"]["left"] + 0.5
        assert r["label"] in ("none", "normal"), r["label"]


# --------------------------------------------------------------------------------------------
# F8, F21: keyboard at 360 px

FOCUSED = """() => {
  const e = document.activeElement
  // the theme toggle is a radio of no size: the label after it is what shows the focus
  const shown = e.matches('.md-option') ? e.parentElement.querySelector('label:not([hidden])') : e
  const r = shown.getBoundingClientRect()
  const visible = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
    && r.left < innerWidth && r.top < innerHeight
    && getComputedStyle(shown).visibility === 'visible'
  return {inArticle: !!e.closest('article'), visible,
          what: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30)}
}"""


@pytest.mark.parametrize("lang", ["en", "uk"])  # the order saves a page load
def test_no_invisible_tab_stop_before_the_content(site_server, phone, lang):
    page = phone.get(page_url(site_server, lang, "convolutions"))
    page.evaluate("() => { scrollTo(0, 0); document.activeElement?.blur() }")
    invisible, stops = [], 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inArticle"]:
            break
        stops += 1
        if not focused["visible"]:
            invisible.append(focused["what"])
    else:
        pytest.fail(f"{lang}: 40 Tab presses never reached the article")
    assert not invisible, f"{lang}: invisible tab stops before the content: {invisible}"
    assert stops <= 8, f"{lang}: {stops} tab stops before the content"
    # the search panel still opens from the keyboard (Material's «/» key) and takes focus
    page.keyboard.press("Escape")
    page.evaluate("() => document.activeElement?.blur()")
    page.keyboard.press("/")
    page.wait_for_function("() => document.activeElement?.matches('.md-search__input')",
                           timeout=2000)
    assert page.evaluate(FOCUSED)["visible"]
    page.keyboard.press("Escape")


# F9: the theme toggle's focus ring in the dark palette (and in the light one)
RING = """() => {
  // two radios of no size, each followed by a label; the one label shown is the toggle
  if (!document.activeElement.matches('.md-option')) return null
  const label = document.activeElement.parentElement.querySelector('label:not([hidden])')
  const cs = getComputedStyle(label)
  return {style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), colour: cs.outlineColor,
          header: getComputedStyle(document.querySelector('.md-header')).backgroundColor}
}"""


@pytest.mark.parametrize("scheme", ["slate", "default"])
def test_the_theme_toggle_shows_its_focus(site_server, dark, scheme):
    page = dark.get(page_url(site_server, "uk", "convolutions"))
    set_scheme(page, scheme)
    page.locator(".md-skip").focus()  # Tab from the top of the page
    for _ in range(6):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring:
            break
    assert ring, "Tab never reached the theme toggle"
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 1, ring
    assert contrast(_rgba(ring["colour"]), _rgba(ring["header"])) >= 3, ring


# --------------------------------------------------------------------------------------------
# F7: the copy button

COPY = """() => [...document.querySelectorAll('article pre')].filter(p => p.querySelector('.md-code__button'))
  .slice(0, 3).map(pre => {
    const code = pre.querySelector('code'), nav = pre.querySelector('.md-code__nav')
    const button = nav.querySelector('.md-code__button')
    return {button: getComputedStyle(button).color, nav: getComputedStyle(nav).backgroundColor,
            code: getComputedStyle(code).backgroundColor,
            navBottom: nav.getBoundingClientRect().bottom,
            textTop: code.getBoundingClientRect().top + parseFloat(getComputedStyle(code).paddingTop)}
  })"""


# Material mounts a code block's buttons as it first scrolls into view (`content.lazy`)
PADDINGS = """() => [...document.querySelectorAll('article pre > code')].slice(0, 3)
  .map(c => getComputedStyle(c).paddingTop)"""


def _mount_code_blocks(page, count=3):
    """Scroll the first ``count`` code blocks into view until each has its copy button.

    Returns each block's top padding before and after: the room for the button bar is there
    before the button, so the code does not jump down as the reader scrolls to it."""
    # Material sees a block come into view in a rendering step, and a tab behind another
    # one of its context (these pages are shared by the module) is not rendered
    page.bring_to_front()
    before = page.evaluate(PADDINGS)
    for i in range(count):
        block = page.locator("article pre:has(> code)").nth(i)
        block.scroll_into_view_if_needed()
        block.locator(".md-code__button").wait_for(state="attached", timeout=5000)
    page.evaluate("() => scrollTo(0, 0)")
    return before, page.evaluate(PADDINGS)


def _copy_contrasts(page):
    _mount_code_blocks(page)
    blocks = page.evaluate(COPY)
    assert blocks, "no copy button"
    out = []
    for b in blocks:
        code = _rgba(b["code"])
        assert code[3] == 1, b
        behind = _over(_rgba(b["nav"]), code)
        out.append((contrast(_over(_rgba(b["button"]), behind), behind), b))
    return out


@contextmanager
def _fresh(pages, url):
    """A new page of ``pages``' context at ``url``, in front, none of its blocks seen yet.

    Not the module's shared page: Material mounts a block when the browser sees it come into
    view, and under the full suite's load a shared page (behind the others, scrolled by earlier
    tests) at times never reported it, though brought to the front."""
    page = pages.context.new_page()
    try:
        page.goto(url)
        page.bring_to_front()
        yield page
    finally:
        page.close()


def test_the_copy_button_is_visible_and_off_the_code(site_server, phone, dark):
    url = page_url(site_server, "uk", "convolutions")
    with _fresh(phone, url) as page:
        assert page.locator("article pre:has(> code)").nth(2).locator(".md-code__button").count() == 0
        before, after = _mount_code_blocks(page)
        assert before == after and all(float(p[:-2]) > 30 for p in before), (before, after)
        for ratio, b in _copy_contrasts(page):
            assert ratio >= 3, (ratio, b)
            # on a phone the first line of code starts below the button bar
            assert b["navBottom"] <= b["textTop"] + 0.5, b
    with _fresh(dark, url) as page:
        set_scheme(page, "slate")
        for ratio, b in _copy_contrasts(page):
            assert ratio >= 3, (ratio, b)


# --------------------------------------------------------------------------------------------
# F12: the language switch keeps the reader's place

def _switch_to_english(page) -> str:
    """Choose English in the language menu: the URL the browser then follows.

    The page's own handlers run (they set the link's target as it is pressed: pointerdown,
    focus, click) and the browser is stopped only at the last step, following the link, so the
    page stays for the next test and nothing loads twice; the target is checked on the
    English page itself.
    """
    page.locator(".md-select").first.hover()
    page.evaluate("""() => addEventListener('click', e => {
      const a = e.target.closest && e.target.closest('a')
      if (a) { e.preventDefault(); window.__followed = a.href }
    }, {once: true})""")
    page.locator('.md-select__link[hreflang="en"]').click()
    return page.evaluate("() => window.__followed")


def test_the_language_switch_keeps_the_place(site_server, phone):
    uk, en = page_url(site_server, "uk", "backprop"), page_url(site_server, "en", "backprop")
    page = phone.get(uk)
    english = phone.get(en)
    href = page.locator('.md-select__link[hreflang="en"]').get_attribute("href")
    assert not re.match(r"^[a-z]+:|^/", href), f"the link stays relative: {href}"
    try:
        # without a hash: the heading above the reader's place. A heading is scrolled 300 px
        # above the top of the screen, and the next one is further down than that, so the
        # reader is in that heading's section.
        target = page.evaluate("""() => {
          history.replaceState(null, '', location.pathname)
          const heads = [...document.querySelectorAll('article h2[id], article h3[id]')]
          const y = h => h.getBoundingClientRect().top + scrollY
          const i = heads.findIndex((h, k) => k > 0 && heads[k + 1] && y(heads[k + 1]) - y(h) > 900)
          const header = document.querySelector('.md-header').offsetHeight
          scrollTo(0, y(heads[i]) - header + 300)
          return heads[i].id
        }""")
        assert target != "example-2"
        assert _switch_to_english(page) == en + "#" + target
        assert english.locator(f"article #{target}").count() == 1

        # with a hash (set without a reload): the same heading in the other language
        page.evaluate("() => { location.hash = 'example-2' }")
        assert _switch_to_english(page) == en + "#example-2"
        assert english.locator("article #example-2").count() == 1
    finally:
        page.evaluate("() => { history.replaceState(null, '', location.pathname); scrollTo(0, 0) }")
        page.mouse.move(0, PHONE[1] - 1)  # the language menu closes


# --------------------------------------------------------------------------------------------
# F11: print (A4)

PRINTED = """() => {
  const article = document.querySelector('article')
  const a = article.getBoundingClientRect(), cs = getComputedStyle(article)
  const left = a.left + parseFloat(cs.paddingLeft) - 1, right = a.right - parseFloat(cs.paddingRight) + 1
  const cut = [...article.querySelectorAll('table, .table-scroll, .math-block, .figure-scroll, svg, math')]
    .filter(e => {
      const r = e.getBoundingClientRect()
      return r.width && (r.left < left || r.right > right
        || (e.matches('.table-scroll, .math-block, .figure-scroll') && e.scrollWidth > e.clientWidth + 1))
    }).map(e => e.tagName + '.' + (typeof e.className === 'string' ? e.className : e.className.baseVal))
  const shown = s => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length).length
  const after = (s) => { const e = article.querySelector(s); return e && getComputedStyle(e, '::after').content }
  return {cut, width: right - left, chrome: shown('.md-header, .md-sidebar, .md-footer, .md-search, .md-code__nav, .md-select'),
          external: after('a[href^="http"]'), internal: after('a[href^="../"]:not(.headerlink), a[href^="#"]:not(.headerlink)')}
}"""


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("stem", ["convolutions", "backprop"])
def test_print_cuts_nothing(site_server, phone, lang, stem):
    # the phone's page, laid out as an A4 sheet (no second load), then back
    with printed(phone.get(page_url(site_server, lang, stem))) as page:
        sheet = page.evaluate(PRINTED)
    assert sheet["width"] > 600, sheet
    assert not sheet["cut"], f"{lang}/{stem}: wider than the printed page: {sheet['cut']}"
    assert sheet["chrome"] == 0, sheet
    assert sheet["external"] and "(" in sheet["external"], sheet
    assert sheet["internal"] in (None, "none", "normal"), sheet
