"""The phone drawer (360×740): the whole site navigation in the view it opens on (F13).

With Material's ``navigation.sections``, a phone used to open the drawer of a lesson page on
the «Уроки» level, with «Головна», «Глосарій» and «Довідник API» one level up behind «←»
(``docs/assets/nav.css`` opens the section in place). A link counts as reachable when it is
inside the viewport and is what a tap at its centre hits (not covered by another panel).
"""

from __future__ import annotations

import pytest
from browser_fixtures import page_url, watch

PHONE = {"width": 360, "height": 740}
# every page of the navigation must be one tap away in the drawer of a lesson page
NAV_PAGES = ["index", "backprop", "normalization", "convolutions", "glossary", "reference"]

REACHABLE = """([hrefs, width, height]) => hrefs.map(href => {
  const links = [...document.querySelectorAll('nav.md-nav--primary .md-nav__link')]
    .filter(a => a.href === href)
  return links.some(a => {
    const r = a.getBoundingClientRect()
    if (!r.width || !r.height || r.right > width || r.bottom > height || r.left < 0) return false
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return hit !== null && a.contains(hit)
  }) ? null : href
}).filter(Boolean)"""


# one language: the drawer's CSS knows no language, and each run costs a page load
@pytest.mark.parametrize("lang", ["uk"])
def test_the_drawer_of_a_lesson_shows_the_whole_navigation(site, site_server, new_context, lang):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = new_context(**PHONE).new_page()
    log = watch(page)
    lesson = "backprop"  # the smallest lesson page
    # the drawer and the TOC panel are CSS toggles: the DOM is all they need
    page.goto(page_url(site_server, lang, lesson), wait_until="domcontentloaded")
    page.locator('label.md-header__button[for="__drawer"]').click()
    # the drawer slides in: wait until the glossary link is what a tap there would hit
    hrefs = [page_url(site_server, lang, stem) for stem in NAV_PAGES if stem != lesson]
    arg = [hrefs, PHONE["width"], PHONE["height"]]
    try:
        page.wait_for_function(f"a => ({REACHABLE})(a).length === 0", arg=arg, timeout=3000)
    except PlaywrightTimeout:
        pass  # the assertion names the links a tap cannot reach
    unreachable = page.evaluate(REACHABLE, arg)
    assert not unreachable, f"{lang}: not in the drawer's first view: {unreachable}"
    # no «←» level to climb: the drawer shows its top level, no section panel over it
    titles = page.locator("nav.md-nav--primary .md-nav__item--section > .md-nav > .md-nav__title")
    assert titles.count() >= 1  # «Уроки» and «Довідник API» are sections
    assert not any(titles.nth(i).is_visible() for i in range(titles.count()))

    # the lesson's table of contents is one tap away, sliding in over the drawer
    page.locator('nav.md-nav--primary label.md-nav__link[for="__toc"]').click()
    toc = page.locator("nav.md-nav--primary .md-nav--secondary a.md-nav__link").first
    toc.wait_for(state="visible", timeout=3000)
    page.wait_for_function("""() => {
      const a = document.querySelector('nav.md-nav--primary .md-nav--secondary a.md-nav__link')
      const r = a.getBoundingClientRect()
      return r.left >= 0 && a.contains(document.elementFromPoint(r.left + 5, r.top + 5))
    }""", timeout=3000)
    assert not log.problems(), log.problems()
