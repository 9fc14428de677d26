/*
 * The light/dark toggle of the header (overrides/partials/palette.html), in place of
 * Material's palette component. Why, and what it keeps of Material's: see that template.
 * Loaded async at the end of the page (mkdocs.yml, extra_javascript), so the header is parsed
 * when it runs and DOMContentLoaded does not wait for it; a page carries no copy of it.
 */
"use strict";

(function () {
  var form = document.querySelector("form.md-header__option")
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"))
  var body = document.body, head = document.head
  var theme = document.createElement("meta"), scheme = document.createElement("meta")
  theme.name = "theme-color"
  scheme.name = "color-scheme"
  head.appendChild(theme)
  head.appendChild(scheme)
  var current = 0

  /* the browser's bar takes the header's colour, as Material sets it, and the page's colour
     scheme (its scroll bar) the palette's. A light page keeps the default scheme: a change of
     scheme restyles the whole page, and light is what the default already is. */
  function browserBar() {
    var style = getComputedStyle(document.querySelector("header"))
    if (scheme.content || /dark/.test(style.colorScheme)) scheme.content = style.colorScheme
    theme.content = "#" + style.backgroundColor.match(/\d+/g).map(function (c) {
      return (+c).toString(16).padStart(2, "0")
    }).join("")
  }

  function apply(index, switching) {
    var input = inputs[index], color = {}
    current = index
    if (switching) body.setAttribute("data-md-color-switching", "")  /* no transitions */
    ;["media", "scheme", "primary", "accent"].forEach(function (key) {
      color[key] = input.getAttribute("data-md-color-" + key)
      if (body.getAttribute("data-md-color-" + key) !== color[key]) {
        body.setAttribute("data-md-color-" + key, color[key])
      }
    })
    input.checked = true
    /* the one toggle shown is the one that leads away from this palette */
    inputs.forEach(function (other, i) {
      var label = other.nextElementSibling
      if (label && label.tagName === "LABEL") label.hidden = i !== index
    })
    __md_set("__palette", { index: index, color: color })
    if (switching) {
      requestAnimationFrame(function () {
        body.removeAttribute("data-md-color-switching")
        browserBar()
      })
    }
  }

  var stored = __md_get("__palette")
  var index = stored && typeof stored.index === "number" ? stored.index
    : inputs.findIndex(function (input) {
        return matchMedia(input.getAttribute("data-md-color-media")).matches
      })
  apply(Math.max(0, Math.min(index, inputs.length - 1)), false)
  ;(window.requestIdleCallback || setTimeout)(browserBar)

  form.addEventListener("change", function (e) {
    var index = inputs.indexOf(e.target)
    if (index >= 0) apply(index, true)
  })
  /* Enter on the focused toggle moves on to the next palette, as in Material */
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return
    var next = inputs[(current + 1) % inputs.length]
    next.click()
    next.focus()
  })
})()
