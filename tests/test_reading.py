"""Reading on a phone and on paper (docs/assets/reading.css, overrides/partials/alternate.html).

Usability findings of reviews/ux.md: wide tables keep their row labels and show that they
scroll (F5), the copy button can be seen and does not cover code (F7), closed panels take no
Tab focus at 360 px (F8, F21), the theme toggle shows its focus ring (F9), print cuts nothing
(F11), and the language switch keeps the reader's place (F12).

Cheap by design: one page per browser context (phone, dark laptop, paper), reused by every
test of the module; a test navigates that page where it needs another URL.
"""

from __future__ import annotations

import re

import pytest
from browser_fixtures import make_context, page_url, set_scheme, settle, watch

PHONE = (360, 740)
A4 = (794, 1123)  # A4 at 96 px per inch


def _open(bundle, url: str):
    """The bundle's page at ``url``, loaded only if it is elsewhere (loads are the cost)."""
    page, log = bundle
    if page.url != url:
        page.goto(url)
        settle(page)
    return page


def _bundle(browser, scheme, width, height):
    context = make_context(browser, scheme, width, height)
    page = context.new_page()
    return context, (page, watch(page))


@pytest.fixture(scope="module")
def phone(browser):
    context, bundle = _bundle(browser, "default", *PHONE)
    yield bundle
    assert not bundle[1].problems(), bundle[1].problems()
    context.close()


@pytest.fixture(scope="module")
def dark(browser):
    context, bundle = _bundle(browser, "slate", 1280, 800)
    yield bundle
    assert not bundle[1].problems(), bundle[1].problems()
    context.close()


@pytest.fixture(scope="module")
def paper(browser):
    context, bundle = _bundle(browser, "default", *A4)
    bundle[0].emulate_media(media="print")
    yield bundle
    assert not bundle[1].problems(), bundle[1].problems()
    context.close()


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


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_wide_tables_keep_their_row_labels_and_show_that_they_scroll(site_server, phone, lang):
    page = _open(phone, page_url(site_server, lang, "convolutions"))
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
    # the same in the dark palette
    set_scheme(page, "slate")
    try:
        for t in page.evaluate(WIDE_TABLES):
            assert all(_rgba(c)[3] == 1 for c in t["colours"]), t["colours"]
            assert t["cue"][0] != "none"
    finally:
        set_scheme(page, "default")


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
    page = _open(phone, page_url(site_server, lang, "convolutions"))
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
    page = _open(dark, page_url(site_server, "uk", "convolutions"))
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


def _copy_contrasts(page):
    blocks = page.evaluate(COPY)
    assert blocks, "no copy button"
    out = []
    for b in blocks:
        code = _rgba(b["code"])
        assert code[3] == 1, b
        behind = _over(_rgba(b["nav"]), code)
        out.append((contrast(_over(_rgba(b["button"]), behind), behind), b))
    return out


def test_the_copy_button_is_visible_and_off_the_code(site_server, phone, dark):
    page = _open(phone, page_url(site_server, "uk", "convolutions"))
    for ratio, b in _copy_contrasts(page):
        assert ratio >= 3, (ratio, b)
        # on a phone the first line of code starts below the button bar
        assert b["navBottom"] <= b["textTop"] + 0.5, b
    page = _open(dark, page_url(site_server, "uk", "convolutions"))
    set_scheme(page, "slate")
    for ratio, b in _copy_contrasts(page):
        assert ratio >= 3, (ratio, b)


# --------------------------------------------------------------------------------------------
# F12: the language switch keeps the reader's place

def _switch_to_english(page):
    page.locator(".md-select").first.hover()
    link = page.locator('.md-select__link[hreflang="en"]')
    # to "load": a page left earlier aborts its search worker's requests (logged as failures)
    with page.expect_navigation():
        link.click()
    settle(page)
    return link


def test_the_language_switch_keeps_the_place(site_server, phone):
    # with a hash: the same heading in the other language
    page = _open(phone, page_url(site_server, "uk", "backprop") + "#example-2")
    href = page.locator('.md-select__link[hreflang="en"]').get_attribute("href")
    assert not re.match(r"^[a-z]+:|^/", href), f"the link stays relative: {href}"
    _switch_to_english(page)
    assert page.url == page_url(site_server, "en", "backprop") + "#example-2"
    assert page.locator("article #example-2").count() == 1

    # without one (dropped without a reload): the heading above the reader's place. A
    # heading is scrolled 300 px above the top of the screen, and the next one is further
    # down than that, so the reader is in that heading's section.
    page.go_back()
    page.wait_for_url("**/backprop/#example-2")
    settle(page)
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
    _switch_to_english(page)
    assert page.url == page_url(site_server, "en", "backprop") + "#" + target
    assert page.locator(f"article #{target}").count() == 1


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
def test_print_cuts_nothing(site_server, paper, lang, stem):
    page = _open(paper, page_url(site_server, lang, stem))
    printed = page.evaluate(PRINTED)
    assert printed["width"] > 600, printed
    assert not printed["cut"], f"{lang}/{stem}: wider than the printed page: {printed['cut']}"
    assert printed["chrome"] == 0, printed
    assert printed["external"] and "(" in printed["external"], printed
    assert printed["internal"] in (None, "none", "normal"), printed
