"""Lesson 1's runnable blocks in a real browser (DESIGN.md "Runnable block"), both languages.

One page per language, reused for every step so Python starts as few times as the steps need
(the first run, and once more after "stop"): before any click the page is the build's (only
the small loader, no request for the runner or Python); then every block runs and prints
exactly what the build printed (the parity test); an edited block runs again (a fork's
gradient); a printed SVG shows as a figure whose ids are unique on the page; an error shows
its traceback from the reader's line on; reset brings the code back; stop ends
``while True: pass`` and the next run works. The try-your-own form goes first (its first
submit starts Python and says so): a refused expression or value shows the CLI's message in
the page's language, a changed one its figure and node table, with ids of its own. Every request goes to 127.0.0.1, the console
stays clean, and axe-core finds nothing serious with the runner open.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from browser_fixtures import make_context, page_url, settle, watch
from lessons.browser import UI
from lessons.i18n import fmt, fmt_int
from test_browser import NOT_CODE, axe_serious, axe_start

BLOCKS = 4  # Examples 1, 2 and 3 and the gradient check
WAIT = 60_000  # ms: a cold start of Python on a busy 2-core machine, with room to spare


def done(page, index: int) -> None:
    page.wait_for_function(
        "i => document.querySelectorAll('[data-runnable]')[i].dataset.state === 'done'",
        arg=index, timeout=WAIT)


def click(page, index: int, action: str) -> None:
    page.locator("[data-runnable]").nth(index).locator(f'button[data-action="{action}"]').click()


def run(page, index: int, code: str | None = None) -> dict:
    """Run block ``index`` (with ``code`` typed in first) and return what it shows."""
    block = page.locator("[data-runnable]").nth(index)
    if code is not None:
        block.locator("textarea").fill(code)
    page.evaluate("i => { document.querySelectorAll('[data-runnable]')[i].dataset.state = '' }",
                  index)
    click(page, index, "run")
    done(page, index)
    return shown(page, index)


def shown(page, index: int) -> dict:
    return page.evaluate("""i => {
        const b = document.querySelectorAll('[data-runnable]')[i];
        const out = b.querySelector('[data-output]');
        return {
            text: [...out.querySelectorAll('pre:not(.run-error) code')].map(c => c.textContent).join(''),
            error: [...out.querySelectorAll('pre.run-error code')].map(c => c.textContent).join(''),
            note: [...out.querySelectorAll('.run-note')].map(p => p.textContent).join(''),
            figures: out.querySelectorAll('figure svg[role="img"]').length,
            code: b.querySelector('textarea') ? b.querySelector('textarea').value : null,
            build: b.querySelector('.result code').textContent,
            resultShown: !b.querySelector('.result').hidden,
        };
    }""", index)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_runnable_blocks(browser, site_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    context = make_context(browser, "default", 1280, 800)
    try:
        page = context.new_page()
        log = watch(page)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_url(site_server, lang, "backprop"), wait_until="load")
        page.wait_for_load_state("networkidle")
        settle(page)

        # before any click: the build's blocks, their buttons, the loader and nothing more
        assert page.locator("[data-runnable]").count() == BLOCKS
        assert page.locator('[data-runnable] button[data-action="run"]:visible').count() == BLOCKS
        assert page.locator("#run-help:visible").count() == 1
        assert page.locator("[data-runnable] textarea").count() == 0
        assert not [u for u in requests if "pyodide" in u or "runner.mjs" in u]
        scripts = [u for u in requests if "/assets/run" in u]
        assert [urlsplit(u).path.rsplit("/", 1)[1] for u in scripts] == ["run.js"]
        label = page.locator('[data-runnable] button[data-action="run"]').first.text_content()
        assert ("МБ" if lang == "uk" else "MB") in label
        assert page.locator('form[data-try] button[data-action="try"]:visible').count() == 1

        # the try-your-own form first (it starts Python, with the loading note): a bad
        # expression, then a changed one
        try_your_own(page, lang)

        # every block, run as it is, prints what the build printed
        originals = []
        for i in range(BLOCKS):
            result = run(page, i)
            assert result["error"] == "", result["error"]
            assert result["text"] == result["build"], (i, result["text"], result["build"])
            assert not result["resultShown"]
            originals.append(result["code"])
        assert page.locator("[data-runnable] textarea").count() == BLOCKS

        # edit and run again: a fork's gradient (x used twice)
        fork = ('from lessons.autograd import Value\n\nx = Value(3.0, "x")\nf = x * x + x\n'
                'f.backward()\nprint("df/dx =", x.grad)\n')
        assert run(page, 2, fork)["text"] == "df/dx = 7.0\n"

        # a printed SVG is a figure, and no id on the page is repeated
        svg = ('from lessons.autograd import Value\nfrom lessons.draw import to_svg\n\n'
               'x, y = Value(-2.0, "x"), Value(5.0, "y")\nf = x * y\nf.backward()\n'
               f'print(to_svg(f, lang="{lang}"))\n')
        for _ in range(2):  # twice: a second run's figure gets ids of its own too
            assert run(page, 0, svg)["figures"] == 1
        duplicates = page.evaluate("""() => {
            const seen = {};
            for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;
            return Object.keys(seen).filter(k => seen[k] > 1);
        }""")
        assert duplicates == []

        # an error: the traceback from the reader's line on, without the runner's frames
        error = run(page, 1, "x = 1\n1 / 0\n")["error"]
        assert 'File "<block>", line 2' in error and "ZeroDivisionError" in error
        assert "lessons/browser.py" not in error and "exec(" not in error

        # axe with the runner open (editors, buttons, outputs, a figure)
        axe_start(Axe(), page, None, NOT_CODE)
        assert axe_serious(page) == []

        # reset brings the build's code back
        click(page, 1, "reset")
        after = shown(page, 1)
        assert after["code"] == originals[1] and after["resultShown"]

        # stop ends a run that never finishes; the next run starts Python again and works.
        # Once, in Ukrainian: stop is the same script on both pages, and a second start of
        # Python costs 6-8 s of the suite (test_the_runner_words_are_complete checks both
        # languages have every word).
        if lang == "uk":
            stop_and_run_again(page, lang)

        assert log.problems() == []
        assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []
    finally:
        context.close()


def submit(page, expression: str, values: str) -> dict:
    """Fill and submit the try-your-own form; what its output then shows."""
    form = page.locator("form[data-try]")
    form.locator("input[name=expression]").fill(expression)
    form.locator("input[name=values]").fill(values)
    page.evaluate("() => { document.querySelector('form[data-try]').dataset.state = '' }")
    form.locator('button[data-action="try"]').click()
    page.wait_for_function(
        "() => document.querySelector('form[data-try]').dataset.state === 'done'", timeout=WAIT)
    return page.evaluate("""() => {
        const out = document.querySelector('form[data-try] [data-try-output]');
        const alert = out.querySelector('[role=alert]');
        return {
            alert: alert ? alert.textContent : null,
            figures: out.querySelectorAll('svg[role="img"]').length,
            ids: [...out.querySelectorAll('[id]')].map(e => e.id),
            rows: [...out.querySelectorAll('tbody tr')].map(
                tr => [...tr.children].map(c => c.textContent)),
        };
    }""")


def try_your_own(page, lang: str) -> None:
    """A refused expression shows the CLI's message inline; a valid one its graph and table."""
    from lessons.expression import try_graph

    form = page.locator("form[data-try]")
    form.locator("input[name=expression]").fill("__import__('os')")
    form.locator('button[data-action="try"]').click()
    # the first submit starts Python: the runner says so while it loads
    page.wait_for_selector("form[data-try] [data-try-output] .run-note", timeout=5_000)
    assert form.locator(".run-note").text_content() == UI["loading"][lang]
    page.wait_for_function(
        "() => document.querySelector('form[data-try]').dataset.state === 'done'", timeout=WAIT)
    fields = {"expression": "__import__('os')", "values": "x=-2 y=5 z=-4"}
    expected = try_graph(fields, lang, "t")["error"]  # CPython, the same parser
    alert = form.locator("[role=alert]").text_content()
    assert alert == f"{UI['error'][lang]}: {expected}"
    assert ("викликати" in alert) == (lang == "uk")

    bad_value = submit(page, "x * y", "x=abc y=1")
    assert bad_value["alert"] == (f"{UI['error'][lang]}: "
                                  + try_graph({"expression": "x * y", "values": "x=abc y=1"},
                                              lang, "t")["error"])

    # a changed expression (x used twice, a decimal comma on the Ukrainian page)
    values = "x=0,5 y=3" if lang == "uk" else "x=0.5 y=3"
    shown = submit(page, "x * x + y", values)
    reference = try_graph({"expression": "x * x + y", "values": values}, lang, "t")["html"]
    assert shown["alert"] is None and shown["figures"] == reference.count("<svg") >= 1
    assert len(shown["rows"]) == reference.count("<tr>") - 1 == 4
    assert shown["rows"][0][1:] == ["x", "—", fmt(0.5, lang, 4), fmt(2 * 0.5, lang, 4)]
    assert shown["ids"] and all(i.startswith("try") for i in shown["ids"])
    again = submit(page, "x * x + y", values)  # a second result gets ids of its own
    assert set(again["ids"]).isdisjoint(shown["ids"])


def stop_and_run_again(page, lang: str) -> None:
    """Stop ``while True: pass`` in the last block, then run its own code again."""
    block = page.locator("[data-runnable]").nth(3)
    block.locator("textarea").fill("while True:\n    pass\n")
    click(page, 3, "run")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-runnable]')[3].dataset.state === 'running'")
    page.wait_for_timeout(300)
    click(page, 3, "stop")
    done(page, 3)
    assert shown(page, 3)["note"] == UI["stopped"][lang]
    click(page, 3, "reset")
    again = run(page, 3)
    assert again["error"] == "" and again["text"] == again["build"]


def test_the_runner_words_are_complete():
    for key, words in UI.items():
        assert set(words) == {"uk", "en"} and all(words.values()), key
    assert json.dumps(UI, ensure_ascii=False)


def test_the_stack_form_counts_in_the_browser(browser, site_server):
    """Lesson 3's "count your own stack" (one language: the English texts are the same code
    path, checked in CPython by tests/test_conv_cost.py): a refused layer shows the CLI's
    message, a valid stack the CLI's table, with nothing requested from another host."""
    from lessons.conv_cost import try_stack

    lang = "uk"
    context = make_context(browser, "default", 360, 740)
    try:
        page = context.new_page()
        log = watch(page)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_url(site_server, lang, "convolutions"), wait_until="load")
        form = page.locator('form[data-try="stack"]')
        button = form.locator('button[data-action="try"]')
        assert button.is_visible() and page.locator("#run-help:visible").count() == 1

        def count(input: str, layers: str) -> dict:  # noqa: A002 - the field's name
            form.locator("input[name=input]").fill(input)
            form.locator("input[name=layers]").fill(layers)
            page.evaluate("() => { document.querySelector('form[data-try]').dataset.state = '' }")
            button.click()
            page.wait_for_function(
                "() => document.querySelector('form[data-try]').dataset.state === 'done'",
                timeout=WAIT)
            return page.evaluate("""() => {
                const out = document.querySelector('form[data-try] [data-try-output]');
                const alert = out.querySelector('[role=alert]');
                return {alert: alert ? alert.textContent : null,
                        rows: [...out.querySelectorAll('tbody tr')].map(
                            tr => [...tr.children].map(c => c.textContent.trim()))};
            }""")

        fields = {"input": "20x20x1", "layers": "7x7 q4"}
        refused = count(**fields)
        assert refused["alert"] == f"{UI['error'][lang]}: {try_stack(fields, lang)['error']}"
        assert "параметр" in refused["alert"] or "шар" in refused["alert"]

        fields = {"input": "56x56x64", "layers": "3x3 same dw 1x1 c128"}
        counted = count(**fields)
        reference = try_stack(fields, lang)["html"]
        assert counted["alert"] is None and len(counted["rows"]) == reference.count("<tr") - 1
        # the separable pair's multiplications, by hand: 3·3·64 taps and 64·128 taps per pixel
        assert fmt_int(56 * 56 * (9 * 64 + 64 * 128), lang) in counted["rows"][-1]
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in requests), requests
        assert log.problems() == []
    finally:
        context.close()
