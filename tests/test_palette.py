"""The light/dark toggle (``overrides/partials/palette.html``), which replaces Material's palette
component so that a page load forces no whole-page style recalculation for it (issue 10).

It must do what Material's did: a first visit follows the system's preference, a click or
Enter switches and is remembered on the next page (Material's own "__palette" entry, which its
inline script reads), only the toggle leading away from the current palette is shown, and the
browser's bar takes the header's colour. Material's component must not be mounted as well.
"""

from __future__ import annotations

from browser_fixtures import page_url

STATE = """() => {
  const key = Object.keys(localStorage).find(k => k.endsWith('.__palette'))
  const header = getComputedStyle(document.querySelector('header')).backgroundColor
  return {
    scheme: document.body.getAttribute('data-md-color-scheme'),
    shown: [...document.querySelectorAll('form.md-header__option label')].filter(l => !l.hidden).map(l => l.title),
    stored: key ? JSON.parse(localStorage.getItem(key)).index : null,
    switching: document.body.hasAttribute('data-md-color-switching'),
    bar: document.querySelector('meta[name=theme-color]')?.content,
    header: '#' + header.match(/\\d+/g).map(c => (+c).toString(16).padStart(2, '0')).join(''),
    material: document.querySelectorAll('[data-md-component=palette]').length,
  }
}"""


def test_the_palette_toggle_follows_the_system_then_the_reader(browser, site_server):
    # a reader with a dark system, first visit: nothing stored, so none of the fixtures'
    # stored palettes (browser_fixtures.make_context) in this context
    context = browser.new_context(color_scheme="dark", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_url(site_server, "uk", "backprop"))
        page.wait_for_function("() => document.querySelector('meta[name=theme-color]')?.content")
        state = page.evaluate(STATE)
        assert state["material"] == 0, state
        assert state["scheme"] == "slate" and state["stored"] == 1, state
        assert state["shown"] == ["Увімкнути світлу тему"], state
        assert state["bar"] == state["header"], state

        page.locator("form.md-header__option label:not([hidden])").click()
        page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")
        state = page.evaluate(STATE)
        assert state["scheme"] == "default" and state["stored"] == 0, state
        assert state["shown"] == ["Увімкнути темну тему"], state
        assert state["bar"] == state["header"], state

        # remembered on the next page, though the system is still dark
        page.goto(page_url(site_server, "uk", "convolutions"))
        assert page.evaluate(STATE)["scheme"] == "default"

        # Enter on the focused toggle moves on to the next palette and keeps the focus there
        page.locator("form.md-header__option input:checked").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")
        state = page.evaluate(STATE)
        assert state["scheme"] == "slate" and state["stored"] == 1, state
        assert page.evaluate("() => document.activeElement.id") == "__palette_1"
        assert not errors, errors
    finally:
        context.close()
