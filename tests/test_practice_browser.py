"""The exercise checker (docs/assets/practice.js) in a real browser, on Lesson 1 at 360 px.

One page per language. On variant 0 the way a student uses it: the solution passes, a
changed number fails with a message, the page's decimal separator passes, Enter checks,
"next" loads another variant, reset clears the progress. Then every variant of every kind
goes through the real checker: its answers as a student may type them (the dot, the
comma on Ukrainian pages, more digits, the value rounded at every step) through
``lessonsPractice.parse`` and ``judge``, and its own "show the solution" through the form,
so the checker never marks a right answer wrong. No console error, no other host.
"""

from __future__ import annotations

import json

import pytest

from browser_fixtures import page_url, watch
from lessons.i18n import fmt
from lessons.practice.catalog import kinds
from lessons.practice.render import UI

KEY = "lessons.practice."


def typed_answers(lang: str) -> list[list]:
    """[text, field, expected verdict] for every field of every variant of every kind."""
    cases = []
    for k in kinds().values():
        for i in range(k.count):
            for f in k.render(k.generate(i), lang).fields:
                field = {"answer": f.answer, "digits": f.digits, "stepwise": f.stepwise,
                         "mistakes": [list(m) for m in f.mistakes], "hint": f.hint}
                shown = fmt(f.answer, lang, f.digits)  # U+2212, the page's separators
                texts = {shown, f"{f.answer:.{f.digits}f}", repr(f.answer), f" {shown} "}
                if lang == "uk":
                    texts.add(f"{f.answer:.{f.digits}f}".replace(".", ","))
                cases += [[t, field, "right"] for t in sorted(texts)]
                if f.digits == 0:  # a count is exact: half a unit off is wrong, not rounded
                    cases += [[fmt(f.answer + d, lang, 1), field, "wrong"] for d in (-0.5, 0.4)]
                if f.stepwise is not None:
                    cases.append([fmt(f.stepwise, lang, f.digits), field, "step"])
    return cases


SWEEP = """([cases, lang, files]) => {
  // the typed answers through the real parse and judge
  const P = window.lessonsPractice;
  const verdicts = cases.map(([t, f]) => P.judge(P.parse(t, lang), f)[0]);
  // every variant of every form: swap it in as "next" does, show its solution, check it
  const bad = [];
  for (const F of document.querySelectorAll("form.exercise")) {
    F.dataset.ids.split(" ").forEach(id => {
      const j = files[id];
      F.querySelector(".exercise-body").innerHTML = j.html;
      F.dataset.variant = j.id;
      F.querySelector('[data-action="solution"]').click();
      F.requestSubmit();
      const wrong = [...F.querySelectorAll('[aria-invalid="true"]')].map(e => e.name || e.id);
      const right = F.querySelector('[aria-invalid="false"]') !== null;
      if (wrong.length || !right || j.id !== id) bad.push([id, wrong]);
    });
  }
  return [verdicts, bad];
}"""

# the state of the gate exercise's form in one round trip
STATE = """() => {
  const F = document.querySelector("form.exercise[data-kind='backprop.gate']");
  return {variant: F.dataset.variant, ids: F.dataset.ids.split(" "), ready: "ready" in F.dataset,
    invalid: [...F.querySelectorAll("input[data-answer]")].map(i => i.getAttribute("aria-invalid")),
    values: [...F.querySelectorAll("input[data-answer]")].map(i => i.value),
    status: F.querySelector(".exercise-status").textContent,
    open: F.querySelector("details").open,
    stored: Object.keys(localStorage).filter(k => k.startsWith("lessons.practice.")),
    focus: document.activeElement.name || ""};
}"""


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_exercises_in_the_browser(site, site_server, new_context, lang):
    context = new_context(width=360, height=800)
    page = context.new_page()
    log = watch(page)
    # the checker is a deferred script: it has run when the DOM is ready
    page.goto(page_url(site_server, lang, "backprop") + "#practice", wait_until="domcontentloaded")
    form = page.locator("form.exercise[data-kind='backprop.gate']")
    inputs = form.locator("input[data-answer]")
    submit = form.locator('button[type="submit"]')
    state = page.evaluate(STATE)
    assert state["ready"] and state["status"] == ""
    v0, ids = state["variant"], state["ids"]
    # every variant "next" may load has its file (read here, not fetched one by one)
    files = {p.stem: json.loads(p.read_text("utf-8"))
             for p in (site / "practice" / lang).glob("*.json")}
    assert set(ids) <= set(files)

    # the solution passes and is remembered (buttons pressed with the keyboard, as
    # a keyboard-only reader does)
    form.locator('[data-action="solution"]').press("Enter")
    submit.press("Enter")
    state = page.evaluate(STATE)
    assert state["open"] and state["invalid"] == ["false"] * len(state["values"])
    assert state["status"] == UI["msg-all"][lang]
    assert state["stored"] == [KEY + v0]

    # a changed number fails: aria-invalid, a message it is described by, focus on it
    second = inputs.nth(1)
    second.fill(state["values"][1].replace("3", "4"))  # variant 0: ∂f/∂x = −3
    second.press("Enter")                              # the keyboard alone checks
    state = page.evaluate(STATE)
    assert state["invalid"][1] == "true" and state["focus"] == "x.grad"
    assert page.evaluate("""() => { const i = document.activeElement,
        m = document.getElementById(i.getAttribute("aria-describedby"));
        return m.textContent.trim() !== "" && m.closest("[aria-live]") !== null; }""")

    # the page's own way of writing numbers passes: −3,00 and -1,5 on uk, -3.0 on en
    second.fill("−3,00" if lang == "uk" else "-3.0")
    inputs.nth(0).fill("-1,5" if lang == "uk" else "−1.50")
    submit.press("Enter")
    assert page.evaluate(STATE)["invalid"][:2] == ["false", "false"]

    # "next" loads another variant from its file
    form.locator('[data-action="next"]').press("Enter")
    page.wait_for_function("v => document.querySelector('form.exercise').dataset.variant !== v",
                           arg=v0)
    state = page.evaluate(STATE)
    assert state["variant"] in ids and state["variant"] != v0
    assert state["status"] == UI["msg-new"][lang]

    # the value rounded at every step is accepted, with the hint to keep more digits
    with_step = next(files[i] for i in ids if "data-stepwise" in files[i]["html"])
    step_field = page.evaluate("""j => {
      const F = document.querySelector("form.exercise");
      F.querySelector(".exercise-body").innerHTML = j.html; F.dataset.variant = j.id;
      return F.querySelector("input[data-stepwise]").id;
    }""", with_step)
    step_input = page.locator("#" + step_field)
    step_input.fill(fmt(float(step_input.get_attribute("data-stepwise")), lang, 2))
    submit.press("Enter")
    assert step_input.get_attribute("aria-invalid") == "false"
    message = page.locator("#" + step_input.get_attribute("aria-describedby"))
    assert message.text_content() == UI["msg-step"][lang]

    # reset clears the progress of this exercise and its fields
    form.locator('[data-action="reset"]').press("Enter")
    state = page.evaluate(STATE)
    assert state["stored"] == [] and set(state["values"]) == {""}
    assert state["status"] == UI["msg-reset"][lang]

    # every answer of every variant of every kind, as typed, through the real parse and
    # judge, and every variant's own "show the solution" through the form: one call
    cases = typed_answers(lang)
    verdicts, bad = page.evaluate(SWEEP, [cases, lang, files])
    wrong = [(c[0], c[1]["answer"], v) for c, v in zip(cases, verdicts) if v != c[2]]
    assert not wrong, wrong[:5]
    assert bad == []
    assert log.problems() == []


def pages_with_exercises() -> dict[str, set[str]]:
    """Each lesson page and the kinds it shows: a kind's name starts with its page's stem
    (``normalization.batchnorm`` is on Lesson 2's page), so no list is kept here."""
    pages: dict[str, set[str]] = {}
    for name in kinds():
        pages.setdefault(name.split(".")[0], set()).add(name)
    return pages


# one variant of every choice form: choose a wrong option, check, then the right one
CHOICE = """() => {
  const out = [];
  for (const F of document.querySelectorAll("form.exercise")) {
    const g = F.querySelector("[role=radiogroup]");
    if (!g) continue;
    const wrong = g.querySelector("input:not([data-correct])"), right = g.querySelector("[data-correct]");
    wrong.checked = true; F.requestSubmit();
    const shown = [...F.querySelectorAll(".exercise-explain")].every(e => !e.hidden && e.textContent.trim());
    const first = g.getAttribute("aria-invalid");
    right.checked = true; F.requestSubmit();
    out.push([F.dataset.kind, first, g.getAttribute("aria-invalid"), shown]);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_every_lesson_pages_exercises_at_360_px(site, site_server, new_context, lang):
    """Lessons 2 and 3 (and any page with exercises but Lesson 1, tested above in depth):
    the page shows each of its kinds, every variant's solution passes the real checker,
    a wrong choice is marked and explained, and the page never scrolls sideways."""
    pages = {stem: names for stem, names in pages_with_exercises().items() if stem != "backprop"}
    assert pages, "no lesson but Lesson 1 has exercises"
    files = {p.stem: json.loads(p.read_text("utf-8"))
             for p in (site / "practice" / lang).glob("*.json")}
    context = new_context(width=360, height=800)
    page = context.new_page()
    log = watch(page)
    for stem, names in sorted(pages.items()):
        page.goto(page_url(site_server, lang, stem) + "#practice", wait_until="domcontentloaded")
        shown = page.evaluate("() => [...document.querySelectorAll('form.exercise')]"
                              ".map(F => 'ready' in F.dataset && F.dataset.kind)")
        assert sorted(shown) == sorted(names), (stem, shown)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, stem
        # every answer box can be seen and tapped: a border, 16 px text (no zoom on focus),
        # 40 px tall; and two share a row at 360 px, as practice.css says
        boxes = page.evaluate("""() => [...document.querySelectorAll("input[data-answer]")].map(i => {
            const s = getComputedStyle(i), r = i.getBoundingClientRect();
            return [parseFloat(s.borderTopWidth), parseFloat(s.fontSize), r.height, r.width]; })""")
        assert boxes and all(b >= 1 and f >= 16 and h >= 40 for b, f, h, _ in boxes), (stem, boxes[:3])
        assert max(w for *_, w in boxes) < 180, stem
        for kind_, first, last, explained in page.evaluate(CHOICE):
            assert (first, last, explained) == ("true", "false", True), (stem, kind_)
        _, bad = page.evaluate(SWEEP, [[], lang, files])
        assert bad == [], (stem, bad[:3])
    assert log.problems() == []
