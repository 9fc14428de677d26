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

import pytest

from browser_fixtures import page_url, settle, watch
from lessons.i18n import fmt
from lessons.practice import kinds
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
                if f.stepwise is not None:
                    cases.append([fmt(f.stepwise, lang, f.digits), field, "step"])
    return cases


# the site root, as the checker finds it from its own address
ROOT_JS = ("document.querySelector('script[src*=\"practice.js\"]').src"
           ".replace(/assets\\/practice\\.js.*/, '')")
LOAD_JS = "async (F, id) => (await fetch(`${ROOT}practice/${F.dataset.lang}/${id}.json`)).json()"

SWEEP = """async ([cases, lang]) => {
  const ROOT = %s, load = %s;
  // the typed answers through the real parse and judge
  const P = window.lessonsPractice;
  const verdicts = cases.map(([t, f]) => P.judge(P.parse(t, lang), f)[0]);
  // every variant of every form: swap it in as "next" does, show its solution, check it
  const bad = [];
  for (const F of document.querySelectorAll("form.exercise")) {
    for (const id of F.dataset.ids.split(" ")) {
      const j = await load(F, id);
      F.querySelector(".exercise-body").innerHTML = j.html;
      F.dataset.variant = j.id;
      F.querySelector('[data-action="solution"]').click();
      F.requestSubmit();
      const wrong = [...F.querySelectorAll('[aria-invalid="true"]')].map(e => e.name || e.id);
      const right = F.querySelector('[aria-invalid="false"]') !== null;
      if (wrong.length || !right || j.id !== id) bad.push([id, wrong]);
    }
  }
  return [verdicts, bad];
}""" % (ROOT_JS, LOAD_JS)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_exercises_in_the_browser(site_server, new_context, lang):
    context = new_context(width=360, height=800)
    page = context.new_page()
    log = watch(page)
    page.goto(page_url(site_server, lang, "backprop") + "#practice")
    settle(page)
    form = page.locator("form.exercise[data-kind='backprop.gate']")
    assert form.get_attribute("data-ready") is not None
    v0 = form.get_attribute("data-variant")
    ids = form.get_attribute("data-ids").split()
    inputs = form.locator("input[data-answer]")
    status = form.locator(".exercise-status")

    # the solution passes and is remembered
    form.locator('[data-action="solution"]').click()
    assert form.locator("details.exercise-solution").get_attribute("open") is not None
    form.locator('button[type="submit"]').click()
    assert [inputs.nth(i).get_attribute("aria-invalid") for i in range(inputs.count())] == [
        "false"] * inputs.count()
    assert status.text_content() == UI["msg-all"][lang]
    assert page.evaluate("k => localStorage.getItem(k)", KEY + v0) == "solved"

    # a changed number fails: aria-invalid, a message it is described by, focus on it
    second = inputs.nth(1)
    right = second.input_value()
    second.fill(right.replace("3", "4"))  # variant 0: ∂f/∂x = −3
    second.press("Enter")                 # the keyboard alone checks
    assert second.get_attribute("aria-invalid") == "true"
    message = page.locator("#" + second.get_attribute("aria-describedby"))
    assert message.text_content().strip()
    assert message.evaluate("e => e.closest('[aria-live]') !== null")
    assert page.evaluate("document.activeElement.name") == second.get_attribute("name")

    # the page's own way of writing numbers passes: −3,00 / −3 on uk, -3.0 on en
    second.fill("−3,00" if lang == "uk" else "-3.0")
    if lang == "uk":
        inputs.nth(0).fill("-1,5")
    form.locator('button[type="submit"]').click()
    assert second.get_attribute("aria-invalid") == "false"
    assert inputs.nth(0).get_attribute("aria-invalid") == "false"

    # "next" loads another variant from its file
    form.locator('[data-action="next"]').click()
    page.wait_for_function("v => document.querySelector('form.exercise').dataset.variant !== v",
                           arg=v0)
    v1 = form.get_attribute("data-variant")
    assert v1 in ids and v1 != v0
    assert status.text_content() == UI["msg-new"][lang]

    # the value rounded at every step is accepted, with the hint to keep more digits
    step_field = page.evaluate("""async () => {
      const ROOT = %s, load = %s, F = document.querySelector("form.exercise");
      for (const id of F.dataset.ids.split(" ")) {
        const j = await load(F, id);
        if (!j.html.includes("data-stepwise")) continue;
        F.querySelector(".exercise-body").innerHTML = j.html; F.dataset.variant = id;
        return F.querySelector("input[data-stepwise]").id;
      }
    }""" % (ROOT_JS, LOAD_JS))
    step_input = page.locator("#" + step_field)
    stepwise = float(step_input.get_attribute("data-stepwise"))
    step_input.fill(fmt(stepwise, lang, 2))
    form.locator('button[type="submit"]').click()
    assert step_input.get_attribute("aria-invalid") == "false"
    assert page.locator("#" + step_input.get_attribute("aria-describedby")).text_content() == UI[
        "msg-step"][lang]

    # reset clears the progress of this exercise and its fields
    form.locator('[data-action="reset"]').click()
    assert page.evaluate("ids => ids.filter(id => localStorage.getItem('lessons.practice.' + id))",
                         ids) == []
    assert all(inputs.nth(i).input_value() == "" for i in range(inputs.count()))
    assert status.text_content() == UI["msg-reset"][lang]

    # every answer of every variant of every kind, as typed, through the real parse and
    # judge, and every variant's own "show the solution" through the form: one call
    cases = typed_answers(lang)
    verdicts, bad = page.evaluate(SWEEP, [cases, lang])
    wrong = [(c[0], c[1]["answer"], v) for c, v in zip(cases, verdicts) if v != c[2]]
    assert not wrong, wrong[:5]
    assert bad == []
    assert log.problems() == []
