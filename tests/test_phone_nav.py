"""The phone drawer and header at 360×740: the whole site navigation in the view the drawer
opens on (F13), and the menu and search buttons usable from the keyboard (F8, issue 10).

With Material's ``navigation.sections``, a phone used to open the drawer of a lesson page on
the «Уроки» level, with «Головна», «Глосарій» and «Довідник API» one level up behind «←»
(``docs/assets/nav.css`` opens the section in place). A link counts as reachable when it is
inside the viewport and is what a tap at its centre hits (not covered by another panel).

Material's header buttons are labels of hidden checkboxes, which took no Tab focus, and the
closed drawer takes none either (reading.css): ``overrides/partials/header.html`` makes the
buttons focusable and pressable with Enter and Space.

Cheap by design: one lesson page, loaded once for the module and still (``settle``: no
transitions, so a panel is where it ends up as soon as it opens); each test puts the panels
back as it found them.
"""

from __future__ import annotations

import pytest
from browser_fixtures import make_context, page_url, settle, watch

PHONE = (360, 740)
LANG = "uk"  # the drawer's CSS and the header's script know no language
LESSON = "backprop"  # the smallest lesson page
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

# every CSS toggle (drawer, search, a lesson's contents) back to how the page was served
CLOSE_PANELS = """() => {
  document.querySelectorAll('input.md-toggle').forEach(t => { if (t.checked !== t.defaultChecked) t.click() })
  document.activeElement?.blur()
  scrollTo(0, 0)
}"""


@pytest.fixture(scope="module")
def lesson(browser, site_server):
    from test_reading import idle_search

    context = make_context(browser, "default", *PHONE)
    idle_search(context)  # the header's search box is used, never its results
    page = context.new_page()
    log = watch(page)
    page.goto(page_url(site_server, LANG, LESSON))
    settle(page)
    yield page
    assert not log.problems(), log.problems()
    context.close()


@pytest.fixture
def page(lesson):
    lesson.evaluate(CLOSE_PANELS)
    yield lesson
    lesson.evaluate(CLOSE_PANELS)


def test_the_drawer_of_a_lesson_shows_the_whole_navigation(site_server, page):
    page.locator('label.md-header__button[for="__drawer"]').click()
    hrefs = [page_url(site_server, LANG, stem) for stem in NAV_PAGES if stem != LESSON]
    unreachable = page.evaluate(REACHABLE, [hrefs, *PHONE])
    assert not unreachable, f"{LANG}: not in the drawer's first view: {unreachable}"
    # no «←» level to climb: the drawer shows its top level, no section panel over it
    titles = page.locator("nav.md-nav--primary .md-nav__item--section > .md-nav > .md-nav__title")
    assert titles.count() >= 1  # «Уроки» and «Довідник API» are sections
    assert not any(titles.nth(i).is_visible() for i in range(titles.count()))

    # the lesson's table of contents is one tap away, sliding in over the drawer
    page.locator('nav.md-nav--primary label.md-nav__link[for="__toc"]').click()
    toc = page.locator("nav.md-nav--primary .md-nav--secondary a.md-nav__link").first
    assert toc.is_visible()
    assert page.evaluate("""() => {
      const a = document.querySelector('nav.md-nav--primary .md-nav--secondary a.md-nav__link')
      const r = a.getBoundingClientRect()
      return r.left >= 0 && a.contains(document.elementFromPoint(r.left + 5, r.top + 5))
    }""")


FOCUS = """() => {
  const e = document.activeElement, r = e.getBoundingClientRect()
  const header = getComputedStyle(document.querySelector('.md-header')).backgroundColor
  const cs = getComputedStyle(e)
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
  return {for: (e.parentElement && e.parentElement.htmlFor) || null, role: e.getAttribute('role'), name: e.getAttribute('aria-label'),
          inDrawer: !!e.closest('.md-sidebar--primary'), link: e.matches('a.md-nav__link[href]'),
          shown: r.width > 0 && r.left >= 0 && r.right <= innerWidth && hit !== null && e.contains(hit),
          outline: [cs.outlineStyle, parseFloat(cs.outlineWidth), cs.outlineColor], header,
          search: document.getElementById('__search').checked,
          drawer: document.getElementById('__drawer').checked,
          input: e.matches('.md-search__input')}
}"""

# a closed drawer's first link cannot take the focus, even when asked to
DRAWER_LINK_TAKES_FOCUS = """() => {
  const a = document.querySelector('.md-sidebar--primary .md-nav__link[href]')
  a.focus()
  const taken = document.activeElement === a
  a.blur()
  return taken
}"""


def _tab_to(page, button: str, presses: int = 8) -> dict:
    """Tab from the top of the page (the skip link, the first stop) to a header button."""
    page.locator(".md-skip").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused["for"] == button:
            return focused
    pytest.fail(f"{presses} Tab presses from the top never reached the {button} button")


def test_the_menu_and_search_buttons_work_from_the_keyboard(page):
    from test_reading import _rgba, contrast

    nav_name = page.locator("nav.md-nav--primary").get_attribute("aria-label")
    assert not page.evaluate(DRAWER_LINK_TAKES_FOCUS), "the closed drawer takes the focus"

    # Tab from the top reaches the menu button: a named button with a ring that shows
    menu = _tab_to(page, "__drawer")
    assert menu["role"] == "button" and menu["name"] == nav_name and menu["shown"], menu
    style, width, colour = menu["outline"]
    assert style not in ("none", "hidden") and width >= 1, menu
    assert contrast(_rgba(colour), _rgba(menu["header"])) >= 3, menu

    # Enter opens the drawer and puts the focus on its first link, in sight; Tab walks on
    # through the drawer's links
    page.keyboard.press("Enter")
    opened = page.evaluate(FOCUS)
    assert opened["drawer"] and opened["inDrawer"] and opened["link"] and opened["shown"], opened
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["inDrawer"]
    # Escape closes it and gives the focus back to the button; the drawer takes none again
    page.keyboard.press("Escape")
    closed = page.evaluate(FOCUS)
    assert not closed["drawer"] and closed["for"] == "__drawer", closed
    assert not page.evaluate(DRAWER_LINK_TAKES_FOCUS), "the drawer, closed again, takes the focus"
    # Space presses the button too
    page.keyboard.press(" ")
    assert page.evaluate(FOCUS)["drawer"]
    page.keyboard.press("Escape")

    # the search button: on, named, and Enter opens the search with the focus in its field
    search = _tab_to(page, "__search")
    assert search["role"] == "button" and search["name"] and search["shown"], search
    assert search["outline"][0] not in ("none", "hidden"), search
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.matches('.md-search__input')", timeout=2000)
    assert page.evaluate(FOCUS)["search"]
    page.keyboard.press("Escape")
    assert not page.evaluate(FOCUS)["search"]
