"""The built Lesson 3 pages: computed values, folded answers, the figure, size and references."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, page_path

THOUSANDS = {"uk": "\u202f", "en": ","}


def page(site, lang):
    path = page_path(site, lang, "convolutions")
    return path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def number(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", THOUSANDS[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_page_holds_the_counts(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    # hand-derived: 14·14·49, 20·20·49, 14·20·7 + 14·14·7, 2·20·20·7, the article's figures
    for n in (9604, 19600, 1960, 1372, 3332, 5600, 5524, 12000, 1228800, 53952):
        assert number(n, lang) in text, n
    assert "13×13" in text
    decimal = "," if lang == "uk" else "."
    assert f"0{decimal}551" in text  # 27/49


@pytest.mark.parametrize("lang", LANGS)
def test_answers_are_folded(site, lang):
    _, html = page(site, lang)
    details = html.find("details")
    assert details is not None and not details.has_attr("open")
    assert number(9604, lang) in details.get_text()
    # one list of three answers: the separable count stays inside item 2, item 3 is a list item
    lists = details.find_all("ol")
    assert len(lists) == 1
    items = lists[0].find_all("li", recursive=False)
    assert len(items) == 3
    assert number(1960 + 1372, lang) in items[1].get_text() and number(20 * 20 * 14, lang) in items[1].get_text()
    assert not [p for p in details.find_all("p", recursive=False) if p.get_text(strip=True)[:2] == "3."]


@pytest.mark.parametrize("lang", LANGS)
def test_receptive_field_figure(site, lang):
    _, html = page(site, lang)
    panels = html.select("div.rf-figure svg")
    assert len(panels) == 8
    for svg in panels:
        assert svg["role"] == "img" and svg.find("title").get_text().strip()
        assert "lesson-figure" in svg["class"]
    caption = {"uk": "досяжні", "en": "reached"}[lang]
    assert caption in html.select_one("div.rf-figure").get_text()
    # 3×3 + 3×3 with d = 2: by hand the 1-D counts are [1 1 2 1 2 1 1], so the four pixels at
    # (±1, ±1) have 2·2 = 4 paths and the centre 1; no panel may put that maximum at the centre
    desc = html.find("desc", id="rf-dil12-desc").get_text()
    assert "(±1, ±1)" in desc and " 4" in desc
    assert ("centre has the most" if lang == "en" else "центрального") not in desc


@pytest.mark.parametrize("lang", LANGS)
def test_timing_table_and_caption_come_from_the_committed_results(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    assert "benchmarks/results/conv_designs.json" in text
    assert html.select("div.admonition.warning"), "the time-versus-count note"


@pytest.mark.parametrize("lang", LANGS)
def test_cli_section_shows_output_and_error(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    assert "uv run python -m lessons.conv" in text
    error = {"en": "error: layer 4 (input 2×2)", "uk": "помилка: шар 4 (вхід 2×2)"}[lang]
    assert error in text and "echo $?" in text
    if lang == "uk":
        assert "error:" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_size_math_and_references(site, lang):
    path, html = page(site, lang)
    assert path.stat().st_size < 200_000
    assert html.find("math") and not html.select(".arithmatex")
    refs = html.find(id="references")
    assert refs is not None
    links = " ".join(a["href"] for a in refs.find_next("ul").find_all("a"))
    for paper in ("1409.1556", "1512.00567", "1704.04861", "2201.03545", "1511.07122", "1702.08502",
                  "cs231n", "separable-convolutions"):
        assert paper in links, paper
    assert not re.search(r"Traceback|Error:", html.get_text().replace("error: layer", ""))


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_code_that_counts(site, lang):
    _, html = page(site, lang)
    code = " ".join(block.get_text() for block in html.select("div.highlight"))
    for name in ("def conv2d_counted(", "count += 1", "def output_size(", "def multiplications(",
                 "def receptive_field(", "def path_counts("):
        assert name in code, name
    # display calls stay out of sight
    assert "counting_code(" not in code and "source(" not in code


@pytest.mark.parametrize("lang", LANGS)
def test_dilation_counts_on_the_page(site, lang):
    _, html = page(site, lang)
    text = html.get_text()
    for n in (18 * 18 * 9, 16 * 16 * 9):  # 3×3 on 20×20, "valid", d = 1 and d = 2
        assert number(n, lang) in text, n


HOMEWORK = "/work/shared/seed/homework.txt"


@pytest.mark.parametrize("lang", LANGS)
def test_task_quotes_the_homework_verbatim_and_the_literal_reading_is_dilation(site, lang):
    import pathlib

    _, html = page(site, lang)
    task = html.find(id="task").find_next("p").get_text(" ", strip=True)
    quoted = " ".join(html.find(id="task").find_next("p").find("em").get_text().strip("“”").split())
    assert quoted == "suggest another replacement for 7x7 kernel with some other design in mind"
    seed = pathlib.Path(HOMEWORK)
    if seed.exists():  # the homework's own words, with its bold markup taken out
        assert quoted in seed.read_text(encoding="utf-8").replace("*", "")
    assert {"uk": "на іншому принципі", "en": "based on a different principle"}[lang] in task
    # the literal reading: its own bullet in the recommendation, with 18/49 of one 7×7's count
    section = html.find(id="recommendation")
    bullets = [li.get_text(" ", strip=True) for li in section.find_all_next("li", limit=12)]
    literal = [b for b in bullets if {"uk": "буквально", "en": "Read strictly"}[lang] in b]
    assert len(literal) == 1 and literal[0].startswith({"uk": "Якщо ж", "en": "Read strictly, as asking"}[lang])
    share = f"{round(100 * 18 / 49)}" + {"uk": "\u00a0%", "en": "%"}[lang]
    assert share in literal[0] and "7×7" in literal[0]


# ---- the byte budget: the page under 200 KB, and its exercises at most 40 KB more than the
# page had before them (uk 151,839 bytes without the practice section)

PAGE_BUDGET, EXERCISE_BUDGET = 192_000, 40_000


@pytest.mark.parametrize("lang", LANGS)
def test_count_your_own_form_sits_after_the_cli_with_a_real_result(site, lang):
    path, html = page(site, lang)
    forms = html.select('form.try-form[data-try="stack"]')
    assert len(forms) == 1
    form = forms[0]
    assert [i["name"] for i in form.select("input")] == ["input", "layers"]
    output = form.select_one("div.try-output[data-try-output]")
    rows = [[c.get_text() for c in tr.select("th, td")] for tr in output.select("tr")]
    total = {"uk": "разом", "en": "total"}[lang]
    # hand-derived for 7×1 then 1×7 on 20×20×1: 7 + 7 weights, 14·20·7 + 14·14·7, field 7×7
    assert rows[-1] == [total, "1×14×14", "14", number(3332, lang), "7×7"]
    # the build's own a11y hook leaves it as one focusable, named box that scrolls
    box = output.select_one("div.table-scroll")
    assert box["tabindex"] == "0" and box["role"] == "region" and len(output.select(".table-scroll")) == 1
    # it follows the command-line examples, inside their section, and brings the runner's words
    raw = path.read_text("utf-8")
    assert raw.index('id="count-your-own"') < raw.index('<form class="try-form"') < raw.index('id="practice"')
    if (site / "assets" / "pyodide").is_dir():
        assert raw.count('id="run-help"') == 1 and raw.index('id="run-ui"') < raw.index('<form class="try-form"')


@pytest.mark.parametrize("lang", LANGS)
def test_page_and_its_exercises_stay_within_the_byte_budget(site, lang):
    raw = page_path(site, lang, "convolutions").read_bytes()  # UTF-8: Cyrillic is 2 bytes a letter
    assert len(raw) < PAGE_BUDGET, len(raw)
    # the forms, as served (a form holds no other form, so each ends at the first </form>)
    forms = re.findall(rb'<form class="exercise" data-kind="([^"]+)".*?</form>', raw, re.DOTALL)
    spans = [m.span() for m in re.finditer(rb'<form class="exercise".*?</form>', raw, re.DOTALL)]
    assert forms == [b"convolutions.stack", b"convolutions.field", b"convolutions.design"]
    assert sum(b - a for a, b in spans) < EXERCISE_BUDGET
    # all three sit in the practice section, after its heading and before the references
    assert raw.index(b'id="practice"') < spans[0][0] and spans[-1][1] < raw.index(b'id="references"')
