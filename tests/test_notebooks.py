"""The lesson notebooks and the wheel the site ships (lessons/notebook.py, hooks/notebook_hooks.py).

The expensive check runs the six notebooks top to bottom against the *shipped* wheel,
installed into one clean virtual environment made once for the test (not the project's
environment, which has the repository on its path and every test dependency, so it would
hide a file missing from the wheel or an undeclared dependency). The venv gets only what
pyproject.toml declares for the package (numpy, the ``figures`` extra) and for a kernel (the
``kernel`` group), offline from uv's cache (``uv sync --offline``, which reads the lock;
``uv pip install --offline`` revalidates cached wheels with the registry and fails offline),
then the wheel with ``--no-deps`` and ``uv pip check``, which proves the wheel's own
requirements are met by exactly that. The venv is made in the background while the site
builds (it needs no site); the six kernels run concurrently (asyncio).

That two builds give byte-identical wheels and notebooks is tests/test_reproducible.py's
check (it compares every file of two builds, downloads/ included).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page_path
from lessons.notebook import TEXT
from test_parity import FENCE

LESSONS = ("backprop", "normalization", "convolutions")
LANGS = ("uk", "en")
SITE_URL = re.search(r"^site_url:\s*(\S+)$", (ROOT / "mkdocs.yml").read_text("utf-8"),
                     re.M).group(1)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def load(site: Path, page: str, lang: str):
    return nbformat.read(site / "downloads" / f"{page}-{lang}.ipynb", as_version=4)


def wheel(site: Path) -> Path:
    found = sorted((site / "downloads").glob("lessons-*-py3-none-any.whl"))
    assert len(found) == 1, found
    return found[0]


def page_blocks(page: str, lang: str) -> list[str]:
    """The page's exec blocks, dedented, in the notebook's order: the ones inside a folded
    (``???``) admonition, the page's answers, last. Found with test_parity's fence pattern,
    not with lessons.notebook's parser."""
    text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    main, answers = [], []
    for m in FENCE.finditer(text):
        if not re.search(r"\bexec=", m.group("info")):
            continue
        body = textwrap.dedent(m.group("body")).rstrip("\n")
        folded = False
        if m.group("indent"):
            before = [l for l in text[: m.start()].split("\n") if l.strip() and not l[0].isspace()]
            folded = before[-1].startswith("???")
        (answers if folded else main).append(body)
    return main + answers


def code_cells(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


# ---- the files and the links -----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_each_lesson_page_links_its_notebook_the_repository_and_a_report(site, page, lang):
    html = page_path(site, lang, page)
    soup = BeautifulSoup(html.read_text("utf-8"), "html.parser")
    nav = soup.select_one("article nav.lesson-links")
    assert nav is not None, "no lesson links on the page"
    # right under the title: nothing but the heading comes before it
    assert nav.find_previous_sibling() is not None and nav.find_previous_sibling().name == "h1"
    assert not nav.find("img"), "a badge image is a request to another host"
    links = {a.get_text(" ", strip=True): a["href"] for a in nav.find_all("a")}
    words = {"uk": ("Завантажити блокнот", "Репозиторій", "Повідомити про помилку"),
             "en": ("Download the Jupyter notebook", "Source repository", "Report a mistake")}[lang]
    download, source, report = (next(h for t, h in links.items() if t.startswith(w)) for w in words)
    target = (html.parent / download).resolve()
    assert target == (site / "downloads" / f"{page}-{lang}.ipynb").resolve() and target.is_file()
    # a GitHub Pages project site is served from the repository of the same owner and name
    owner, name = re.match(r"https://([^.]+)\.github\.io/([^/]+)/", SITE_URL).groups()
    repository = f"https://github.com/{owner}/{name}"
    assert source == repository
    assert report.startswith(repository + "/issues/new?title=")
    assert 'download="' in str(nav)


def test_no_other_page_gets_the_links(site):
    for lang in LANGS:
        for page in ("", "glossary", "reference"):
            assert "lesson-links" not in page_path(site, lang, page).read_text("utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_notebook_holds_the_pages_code_blocks_in_order(site, page, lang):
    nb = load(site, page, lang)
    nbformat.validate(nb)
    cells = code_cells(nb)
    assert cells[1:] == page_blocks(page, lang)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code"), "a notebook ships without outputs"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_notebook_keeps_the_headings_in_the_pages_language(site, page, lang):
    nb = load(site, page, lang)
    text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    headings = [re.sub(r"\s*\{[^}]*\}\s*$", "", h) for h in
                re.findall(r"^(#{1,6} .*)$", FENCE.sub("", text), re.M)]
    answers = {"uk": "## Відповіді", "en": "## Answers"}[lang]
    in_nb = [line for c in nb.cells if c.cell_type == "markdown"
             for line in c.source.split("\n") if re.match(r"#{1,6} ", line)]
    assert [h for h in in_nb if h != answers] == headings
    if page != "normalization":  # its answers are prose only, still moved to the end
        assert in_nb[-1] == answers
    own = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    other = "en" if lang == "uk" else "uk"
    for key in ("intro", "install", "more"):  # the notebook's own sentences, in its language only
        assert TEXT[key][lang].split("{")[0][:40] in own
        assert TEXT[key][other].split("{")[0][:40] not in own
    if lang == "en":
        assert not re.search(r"[А-Яа-яІіЇїЄєҐґ]", own)


@pytest.mark.parametrize("lang", LANGS)
def test_answers_come_after_every_other_code_cell(site, lang):
    nb = load(site, "backprop", lang)
    cells = code_cells(nb)
    assert "answer_table" in cells[-1]
    assert all("answer_table" not in c for c in cells[:-1])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_exercises_section_says_the_notebook_does_not_check_and_nothing_else(site, page, lang):
    nb = load(site, page, lang)
    head = {"uk": "## Вправи", "en": "## Practice"}[lang]
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(head))
    assert TEXT["practice"][lang].split("[")[0] in cell.source
    # the page's own claim that it checks the answers contradicts the note
    checks = {"uk": r"\bперевіряє\b", "en": r"\bchecks?\b"}[lang]
    assert len(re.findall(checks, cell.source)) == 1, cell.source  # the note's own


def test_first_cell_installs_the_shipped_wheel_only_when_lessons_is_missing(site):
    from IPython.core.inputtransformer2 import TransformerManager

    url = SITE_URL.rstrip("/") + "/downloads/" + wheel(site).name
    for page in LESSONS:
        for lang in LANGS:
            first = code_cells(load(site, page, lang))[0]
            assert "try:\n    import lessons\nexcept ImportError:\n" in first
            assert f'%pip install --quiet "lessons[figures] @ {url}"' in first
            compile(TransformerManager().transform_cell(first), "<cell>", "exec")  # valid IPython


def test_wheel_holds_the_package_its_data_and_its_requirements(site):
    with zipfile.ZipFile(wheel(site)) as whl:
        names = set(whl.namelist())
        meta = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        dates = {info.date_time for info in whl.infolist()}
    for module in ROOT.joinpath("lessons").rglob("*.py"):
        assert module.relative_to(ROOT).as_posix() in names
    assert "lessons/data/glossary.toml" in names
    assert "lessons/data/benchmarks/conv_designs.json" in names  # Lesson 3's measured times
    assert "Requires-Dist: numpy" in meta and "Provides-Extra: figures" in meta
    assert "Requires-Dist: matplotlib" in meta
    assert not any("__pycache__" in n for n in names)
    assert dates == {(1980, 1, 1, 0, 0, 0)}  # SOURCE_DATE_EPOCH: no build date in the wheel


# ---- the page's text in the notebook, on small pages -----------------------------------------

def _cells(md: str, lang: str = "en", page: str = "backprop"):
    from lessons.notebook import notebook

    nb = notebook(md, page=page, lang=lang, site_url="https://o.github.io/r/", version="0.1.0")
    return [(c.cell_type, c.source) for c in nb.cells]


def _section(cells, heading: str) -> str:
    return next(s for kind, s in cells if kind == "markdown" and s.startswith(heading))


def test_the_link_to_the_whole_section_comes_first_so_a_colon_leads_into_the_code():
    md = ("# T { #t }\n\n## S { #s }\n\nHere is the code:\n\n"
          "```python exec=\"1\"\nprint(1)\n```\n")
    cells = _cells(md)
    i = next(n for n, (k, s) in enumerate(cells) if s.startswith("## S"))
    paragraphs = cells[i][1].split("\n\n")
    assert paragraphs[1] == TEXT["more"]["en"].format(url="https://o.github.io/r/en/backprop/#s")
    assert paragraphs[1].startswith("*") and paragraphs[1].endswith("*")  # italics
    assert paragraphs[-1] == "Here is the code:" and cells[i + 1] == ("code", "print(1)")


def test_a_section_keeps_all_its_text_between_its_cells_and_the_answers_note_in_place():
    md = ("# T { #t }\n\n## Task { #task }\n\nSolve it:\n\n- one\n\nTry first.\n\n"
          "??? success \"Answer\"\n\n    ```python exec=\"1\"\n    print(0)\n    ```\n\n"
          "    Then see [rounding](#r).\n\n"
          "The page then explains the answers.\n\n## S { #s }\n\nOpening, long. Two. Three.\n\n"
          "$$a = b$$\n\nwhere $b$ is given.\n\n```python exec=\"1\"\nprint(1)\n```\n\n"
          "Between, see [below](#r) and <a href=\"#r\">here</a>.\n\n"
          "!!! warning \"Careful\"\n\n    Before the code:\n\n"
          "    ```python exec=\"1\"\n    print(2)\n    ```\n\n    After the code.\n"
          "Back to text.\n")
    cells = _cells(md)
    here = "https://o.github.io/r/en/backprop/"
    i = next(n for n, (k, s) in enumerate(cells) if s.startswith("## Task"))
    assert cells[i][1].endswith("Solve it:\n\n- one\n\nTry first.\n\n" + TEXT["see_answers"]["en"]
                                + "\n\nThe page then explains the answers.")
    assert cells[i + 1][1].startswith("## S") and cells[i + 1][1].endswith(
        "Opening, long. Two. Three.\n\n$$a = b$$\n\nwhere $b$ is given.")
    assert cells[i + 2] == ("code", "print(1)")
    assert cells[i + 3] == ("markdown", f"Between, see [below]({here}#r) and "
                                        f'<a href="{here}#r">here</a>.\n\n'
                                        "> **Careful**\n>\n> Before the code:")
    assert cells[i + 4] == ("code", "print(2)")
    # the admonition goes on after the cell, still quoted; the page's text after it is not
    assert cells[i + 5] == ("markdown", "> After the code.\n\nBack to text.")
    assert cells[i + 6:] == [("markdown", "## Answers\n\n" + TEXT["answers_intro"]["en"].format(
        url=here + "#task")), ("code", "print(0)"), ("markdown", f"Then see [rounding]({here}#r).")]


def test_a_try_it_yourself_section_keeps_its_text_and_gets_its_note_after_the_first_cell():
    md = ("# T { #t }\n\n## Try { #try-your-own }\n\n!!! tip \"How\"\n\n    Download it.\n\n"
          "The tool, for example:\n\n```python exec=\"1\"\nprint(1)\n```\n\n"
          "Its syntax is simple.\n\n## S { #s }\n\nText.\n")
    cells = _cells(md)
    i = next(n for n, (k, s) in enumerate(cells) if s.startswith("## Try"))
    assert cells[i][1].endswith("> **How**\n>\n> Download it.\n\nThe tool, for example:")
    assert cells[i + 1] == ("code", "print(1)")
    assert cells[i + 2] == ("markdown", TEXT["try"]["backprop"]["en"] + "\n\nIts syntax is simple.")


def test_every_lesson_says_where_its_inputs_are_and_in_both_languages():
    from lessons.notebook import LESSONS as LISTED, TRY

    for page in LISTED:
        text = (ROOT / "docs" / "en" / f"{page}.md").read_text("utf-8")
        for lang in LANGS:
            hint = TEXT["inputs"][page][lang]
            # each function or call the hint points to is in that page's code
            for name in re.findall(r"`([A-Za-z_][\w.]*)\(?", hint):
                assert name in text, (page, lang, name)
        if any(f"{{ #{a} }}" in text for a in TRY):
            assert set(TEXT["try"][page]) == set(LANGS)


# ---- a clean venv, the shipped wheel, six kernels ---------------------------------------------

def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is missing (pip install uv)")
    return uv


def kernel_venv(folder: Path) -> Path:
    """A venv with only what the package and a kernel declare (not the package): its python."""
    uv, venv = _uv(), folder / "venv"
    # Symlinks to uv's cache instead of copies, and no bytecode for all ~5,000 files
    # (pyproject's compile-bytecode): about 2 s instead of 16 s here. The warm-up import
    # below writes bytecode for what the kernels import, once, before six of them start.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(UV_LINK_MODE="symlink", UV_COMPILE_BYTECODE="0")
    _run(uv, "venv", "-q", "--python", sys.executable, str(venv), env=env)
    _run(uv, "sync", "--offline", "--no-install-project", "--no-default-groups",
         "--group", "kernel", "--extra", "figures", "-q",
         cwd=ROOT, env={**env, "UV_PROJECT_ENVIRONMENT": str(venv)})
    python = venv / "bin" / "python"
    warm = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    _run(str(python), "-c", "import numpy, matplotlib.figure, ipykernel.kernelapp",
         env=warm, cwd=folder)
    return python


def _run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, **kw)


def install_wheel(python: Path, whl: Path) -> None:
    """The shipped wheel, without dependencies: ``uv pip check`` then proves that what the
    wheel itself requires is exactly what the venv was given."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    _run(_uv(), "pip", "install", "-q", "--offline", "--no-deps", "--python", str(python), str(whl),
         env={**env, "UV_LINK_MODE": "copy"})
    _run(_uv(), "pip", "check", "--python", str(python), env=env)


# The venv does not need the site: it is made in the background as soon as this module is
# collected, while the site builds. Under pytest-xdist every process collects the module;
# the first to claim the folder (O_EXCL, in the run's shared folder, as tests/conftest.py
# does for builds) makes it, and the process that runs the test waits for its marker.
_SHARED = os.environ.get("LESSONS_TEST_BUILDS")
_VENV_DIR = Path(_SHARED) / "notebook-venv" if _SHARED else None


def _prepare() -> None:
    marker = _VENV_DIR / "done.json"
    try:
        python = kernel_venv(_VENV_DIR)
        marker.write_text(json.dumps({"python": str(python)}), "utf-8")
    except BaseException as exc:  # the waiting test must learn of it, not time out
        marker.write_text(json.dumps({"error": repr(exc) + getattr(exc, "stderr", "")}), "utf-8")


if _VENV_DIR is not None:
    try:
        _VENV_DIR.mkdir()
    except FileExistsError:
        pass
    else:
        threading.Thread(target=_prepare, name="notebook-venv", daemon=True).start()


def prepared_venv(tmp_path: Path) -> Path:
    if _VENV_DIR is None:  # not under this suite's conftest: make one here
        return kernel_venv(tmp_path)
    marker, deadline = _VENV_DIR / "done.json", time.monotonic() + 600
    while not marker.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the notebook venv never finished")
        time.sleep(0.2)
    data = json.loads(marker.read_text("utf-8"))
    if "error" in data:
        pytest.fail(f"making the clean venv failed: {data['error']}", pytrace=False)
    return Path(data["python"])


async def _execute_all(notebooks: dict, python: Path, kernels: Path, cwd: Path) -> dict:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    spec = kernels / "lessons-clean"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "clean venv", "language": "python"}), "utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])

    async def one(nb):
        km = AsyncKernelManager(kernel_name="lessons-clean", kernel_spec_manager=specs)
        client = NotebookClient(nb, km=km, timeout=120, kernel_name="lessons-clean",
                                resources={"metadata": {"path": str(cwd)}})
        await client.async_execute()
        return nb

    results = await asyncio.gather(*(one(nb) for nb in notebooks.values()), return_exceptions=True)
    return dict(zip(notebooks, results))


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                parts.append(out.data.get("text/plain", ""))
            elif out.output_type == "error":
                parts.append("\n".join(out.traceback))
    return "\n".join(parts)


def page_values(site: Path, page: str, lang: str) -> set[str]:
    """Every number in the page's computed tables: the numbers of its tables, less those of
    the tables typed into its Markdown (which no code prints), and without the exercises
    (their answers sit in attributes)."""
    soup = BeautifulSoup(page_path(site, lang, page).read_text("utf-8"), "html.parser")
    for form in soup.select("form.exercise"):
        form.decompose()
    for sup in soup.select("sup, .footnote-ref"):  # footnote marks are the site's, not the code's
        sup.decompose()
    values = set()
    for table in soup.select("article table"):
        values.update(NUMBER.findall(table.get_text(" ")))
    source = FENCE.sub("", (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8"))
    typed = "\n".join(line for line in source.split("\n") if line.lstrip().startswith("|"))
    return values - set(NUMBER.findall(typed))


def test_notebooks_run_top_to_bottom_against_the_shipped_wheel_in_a_clean_venv(site, tmp_path):
    start = time.perf_counter()
    python = prepared_venv(tmp_path)
    venv = python.parent.parent
    waited = time.perf_counter()
    install_wheel(python, wheel(site))
    made = time.perf_counter()
    probe = subprocess.run([str(python), "-c",
                            "import lessons, lessons.pages.convolutions as c;"
                            " print(lessons.__file__);"
                            " print(c.benchmark_results()['designs'] != {})"],
                           capture_output=True, text=True, cwd=tmp_path, check=True)
    assert str(venv) in probe.stdout and probe.stdout.split()[-1] == "True"

    notebooks = {(p, l): load(site, p, l) for p in LESSONS for l in LANGS}
    for nb in notebooks.values():  # the last cell says which `lessons` ran
        nb.cells.append(nbformat.v4.new_code_cell(
            "import lessons\nprint('LESSONS FROM', lessons.__file__)"))
    work = tmp_path / "work"  # not the repository: its `lessons` folder must not be importable
    work.mkdir()
    # in a thread of its own: a Playwright test earlier in this process may have left its
    # event loop running in the main thread, where asyncio.run() refuses to start another
    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(asyncio.run,
                           _execute_all(notebooks, python, tmp_path / "kernels", work)).result()
    print(f"waited for the venv {waited - start:.1f} s, installed the wheel {made - waited:.1f} s, "
          f"six notebooks {time.perf_counter() - made:.1f} s")

    failures = []
    for (page, lang), nb in done.items():
        if isinstance(nb, BaseException):
            failures.append(f"{page}-{lang}: {type(nb).__name__}: {str(nb)[-2000:]}")
            continue
        text = outputs_text(nb)
        if f"LESSONS FROM {venv}" not in text:
            failures.append(f"{page}-{lang}: `lessons` did not come from the clean venv")
        expected = page_values(site, page, lang)
        if len(expected) < 10:
            failures.append(f"{page}-{lang}: only {len(expected)} values in the page's tables")
        missing = expected - set(NUMBER.findall(text))
        if missing:
            failures.append(f"{page}-{lang}: the page's table values {sorted(missing)[:20]} "
                            "are not in the notebook's outputs")
        rich = [o for c in nb.cells for o in c.get("outputs", [])
                if o.output_type == "display_data"]
        if not any("text/markdown" in o.data for o in rich) or not any(
                "<svg" in o.data.get("text/html", "") for o in rich):
            failures.append(f"{page}-{lang}: tables and figures are not rich output")
        forms = [o.data["text/html"] for o in rich if 'class="exercise"' in o.data.get("text/html", "")]
        if page == "backprop" and not forms:
            failures.append(f"{page}-{lang}: no exercise shown")
        printed = [o.text for c in nb.cells for o in c.get("outputs", [])
                   if o.output_type == "stream" and o.text.lstrip().startswith("<")]
        if printed:  # HTML or SVG printed as text: that block should call show(), not print()
            failures.append(f"{page}-{lang}: {len(printed)} blocks print HTML as text: "
                            f"{printed[0][:80]!r}")
        if any("<form" in h or "<button" in h for h in forms):
            failures.append(f"{page}-{lang}: an exercise keeps its form or buttons in Jupyter")
    assert not failures, "\n".join(failures)

    # CS231n's sigmoid-neuron example, worked by hand there: f = 0.73, and the gradients
    # on w0, x0, w1, x1, w2 are -0.20, 0.39, -0.39, -0.59, 0.20
    for lang, sep in (("uk", ","), ("en", ".")):
        nb = done[("backprop", lang)]
        cell = next(c for c in nb.cells if "answer_table(" in c.source)
        answers = outputs_text(nbformat.v4.new_notebook(cells=[cell]))
        for value in ("0.73", "0.20", "0.39", "0.59"):
            assert value.replace(".", sep) in answers


# ---- the page's whole text, in order, on the lesson pages ------------------------------------

def _visible(markdown: str) -> str:
    """The words a reader sees of some Markdown, whitespace normalized: no link targets,
    attribute lists, emphasis marks, admonition markers or quote marks (the notebook shows
    an admonition as a quote)."""
    text = re.sub(r"\]\([^)\s]*\)", "]", markdown)
    text = re.sub(r'href="[^"]*"', "", text)
    text = re.sub(r" *\{ *[.#:][^}]*\}", "", text)
    text = re.sub(r'^[ \t]*(?:!!!|\?\?\?\+?) *\w+(?: +"([^"]*)")?[ \t]*$', r"\1", text, flags=re.M)
    text = re.sub(r"^[ \t]*>[ \t]?", "", text, flags=re.M)
    text = text.replace("**", "").replace("[", "").replace("]", "")
    return " ".join(text.split())


def page_paragraphs(page: str, lang: str) -> tuple[list[str], list[str]]:
    """The page's prose paragraphs (front matter, headings and exec blocks aside, found with
    test_parity's fence pattern), visible text: those outside folded answers, and those in
    them (which the notebook moves to its end)."""
    text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = FENCE.sub(lambda m: "\n\n" if re.search(r"\bexec=", m.group("info")) else m.group(0),
                     text)
    main, folded, inside = [], [], False
    for para in re.split(r"\n[ \t]*\n", text):
        if not para.strip():
            continue
        if not para[0].isspace():
            inside = para.startswith("???")
            if inside or para.startswith("#"):
                continue
        (folded if inside and para[0].isspace() else main).append(_visible(para))
    return main, folded


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_every_prose_paragraph_of_the_page_is_in_its_notebook_in_order(site, page, lang):
    nb = load(site, page, lang)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    head = {"uk": "## Відповіді", "en": "## Answers"}[lang]
    cut = next((n for n, s in enumerate(markdown) if s.startswith(head)), len(markdown))
    main, folded = page_paragraphs(page, lang)
    assert len(main) > 40, len(main)
    # the page's sentences a notebook replaces or drops: each is on one paragraph of the page,
    # is gone from the notebook, and its replacement stands where it stood
    notebook_text = _visible("\n\n".join(markdown))
    for old, new in TEXT["rewrite"][page][lang]:
        old, new = _visible(old), _visible(new.replace("\x00note", ""))
        hits = [n for n, para in enumerate(main) if old in para]
        assert len(hits) == 1, (page, lang, old, hits)
        assert old not in notebook_text, (page, lang, old)
        main[hits[0]] = " ".join(main[hits[0]].replace(old, new).split())
    main = [para for para in main if para]
    for paragraphs, cells in ((main, markdown[:cut]), (folded, markdown[cut:])):
        text, at = _visible("\n\n".join(cells)), 0
        for para in paragraphs:
            found = text.find(para, at)
            assert found >= 0, (page, lang, para[:120],
                                "missing" if para not in text else "out of order")
            at = found + len(para)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_no_markdown_cell_links_to_an_anchor_of_the_same_page(site, page, lang):
    nb = load(site, page, lang)
    source = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    assert re.search(r"\]\(#", source), "the page links none of its own anchors: nothing tested"
    here = SITE_URL.rstrip("/") + ("/" if lang == "uk" else "/en/") + page + "/#"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\]\(#|href=[\"']#", cell.source), cell.source[:200]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for anchor in set(re.findall(r"\]\(#([\w-]+)\)", FENCE.sub("", source))):
        assert f"]({here}{anchor})" in text, anchor


def _page_paragraph(page: str, lang: str, needle: str) -> str:
    """The page's prose paragraph holding ``needle``, read with test_parity's fence pattern."""
    text = FENCE.sub("\n\n", (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8"))
    found = [p.strip() for p in re.split(r"\n\s*\n", text) if needle in p]
    assert len(found) == 1, (page, lang, needle, found)
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
def test_dropout_notebook_keeps_the_sentence_that_p_is_the_drop_probability(site, lang):
    nb = load(site, "normalization", lang)
    said = _page_paragraph("normalization", lang, "`lessons.dropout.dropout(x, p)`")
    assert "PyTorch" in said  # the convention the page states, which a student then runs
    cells = nb.cells
    n = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and said in c.source)
    assert cells[n + 1].cell_type == "code" and "dropout" in cells[n + 1].source
    # and the intro's pointer to the call names the same convention
    assert "PyTorch" in TEXT["inputs"]["normalization"][lang]
    assert "`dropout(x, 0.7, …)`" in TEXT["inputs"]["normalization"][lang]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_every_colon_lead_in_of_the_page_comes_right_before_its_code_cell(site, page, lang):
    """Found on the page's own text (test_parity's fences): each prose paragraph that ends with
    ":" right before an exec block outside a folded answer is the last text before that cell
    (as the notebook words it: TEXT "rewrite" may change a sentence of it)."""
    from lessons.notebook import rewrite
    nb = load(site, page, lang)
    text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    leads = []
    for m in FENCE.finditer(text):
        if not re.search(r"\bexec=", m.group("info")) or m.group("indent"):
            continue
        before = re.split(r"\n\s*\n", text[: m.start()].rstrip())[-1].strip()
        if before.endswith(":") and not before[:1].islower() \
                and not re.match(r"^(?:[-*+|$<!?]|\d+[.)] )", before):
            leads.append((rewrite(before, page=page, lang=lang),
                          textwrap.dedent(m.group("body")).rstrip("\n")))
    assert len(leads) >= 3, page
    sources = [(c.cell_type, c.source) for c in nb.cells]
    for lead, code in leads:
        n = sources.index(("code", code))
        kind, before = sources[n - 1]
        plain = re.sub(r"\]\([^)]*\)", "]", before)  # links made absolute in the notebook
        assert kind == "markdown" and plain.endswith(re.sub(r"\]\([^)]*\)", "]", lead)), \
            (page, lead[:60])


def test_the_try_notes_are_true_of_the_pages_calls():
    for lang in LANGS:
        back = (ROOT / "docs" / lang / "backprop.md").read_text("utf-8")
        calls = re.findall(r"cli_demo\((\[.*?\])(.*?)\)\)", back)
        assert calls and all("lang=" in rest and "--lang" not in args for args, rest in calls)
        assert "`lang=`" in TEXT["try"]["backprop"][lang] and "`--lang`" in TEXT["try"]["backprop"][lang]
        conv = (ROOT / "docs" / lang / "convolutions.md").read_text("utf-8")
        # a note that speaks of quotes refers to the page's prose on them
        if re.search(r"лапк|quote", TEXT["try"]["convolutions"][lang]):
            assert re.search(r"лапк|quote", FENCE.sub("", conv))
        # the cell the intro points to computes the cost of the same sizes it convolves
        cell = next(m.group("body") for m in FENCE.finditer(conv)
                    if "conv2d_counted" in m.group("body") and "exec=" in m.group("info"))
        assert "cost(" in cell and "cost" in TEXT["inputs"]["convolutions"][lang]


def test_the_english_sentences_use_one_apostrophe():
    english = "".join(v["en"] for v in TEXT.values() if "en" in v) + "".join(
        v["en"] for key in ("inputs", "try") for v in TEXT[key].values())
    assert "'" in english and "’" not in english  # as the pages' headings it quotes


def test_show_in_a_notebook_points_same_page_links_of_outputs_to_the_page_url(monkeypatch):
    import IPython.display

    import lessons.display as d

    shown = []
    monkeypatch.setattr(d, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    url = "https://example.org/site/en/backprop/"
    note, html = "See [rounding](#rounding).", '<form><a href="#example-2">2</a></form>'
    monkeypatch.setattr(d, "PAGE_URL", url)
    d.show(note)
    d.show(html)
    assert shown[0]["text/markdown"] == f"See [rounding]({url}#rounding)."
    assert f'href="{url}#example-2"' in shown[1]["text/html"]
    assert shown[0]["text/plain"] == note and shown[1]["text/plain"] == html
    monkeypatch.setattr(d, "PAGE_URL", None)  # on the site and without a URL: unchanged
    d.show(note)
    assert shown[2]["text/markdown"] == note


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_install_cell_sets_the_lessons_url_for_the_outputs_links(site, page, lang):
    first = code_cells(load(site, page, lang))[0]
    url = SITE_URL.rstrip("/") + "/" + ("" if lang == "uk" else "en/") + page + "/"
    assert first.endswith(f'import lessons.display\nlessons.display.PAGE_URL = "{url}"')


# what the notebooks say instead of the page's sentences that are wrong there (the review's
# wording, written here, not read from lessons.notebook)
INSTEAD = {
    ("backprop", "uk"): ["Ви вже працюєте в блокноті цього уроку. Інший спосіб — клонувати "
                         "репозиторій і виконувати команди в його теці за допомогою `uv run`, як у "
                         "прикладі нижче.",
                         "Спершу спробуйте розв'язати задачу самостійно на папері.\n\n"
                         "У цьому блокноті відповіді — в останньому розділі, «Відповіді».",
                         "На сайті в цьому місці є форма, що робить те саме у вашому браузері. У "
                         "блокноті наступна клітинка показує її з першим прикладом, але поля "
                         "тут не працюють: щоб спробувати свій вираз, змініть виклик "
                         "`cli_demo` вище."],
    ("backprop", "en"): ["You are already in this lesson's notebook. The other way is to clone "
                         "the repository and run commands in its folder with `uv run`, as in the "
                         "example below.",
                         "Try it on paper first.\n\nIn this notebook, the answers are in the last "
                         "section, “Answers”.",
                         "On the site, there is a form here that does the same in your browser. In "
                         "the notebook, the next cell shows it with the first example, but its "
                         "fields do nothing here: to try an expression of your own, "
                         "change the `cli_demo` call above."],
    ("normalization", "uk"): ["Спробуйте відповісти самі.\n\nУ цьому блокноті відповіді — в "
                              "останньому розділі, «Відповіді».", "на запитання про ідеї уроку.\n\n"
                              "Блокнот не перевіряє"],
    ("normalization", "en"): ["Try to answer first.\n\nIn this notebook, the answers are in the "
                              "last section, “Answers”.", "questions on the lesson's ideas.\n\n"
                              "The notebook cannot check"],
    ("convolutions", "uk"): ["(див. розділ «Відповіді» наприкінці)",
                             "Решта уроку обґрунтовує й перевіряє ці відповіді.\n\nУ цьому "
                             "блокноті відповіді — в останньому розділі, «Відповіді».",
                             "найдорожчий.\n\nБлокнот не перевіряє",
                             "На сайті в цьому місці є форма, яка просто в браузері рахує ваш "
                             "власний стос. У блокноті наступна клітинка показує її з прикладом "
                             "`7x1 1x7`, але поля тут не працюють: щоб порахувати свій "
                             "стос, змініть виклик `cli_demo` вище."],
    ("convolutions", "en"): ["(see “Answers” at the end)",
                             "The rest of the lesson derives these answers and checks them.\n\n"
                             "In this notebook, the answers are in the last section, “Answers”.",
                             "costs most.\n\nThe notebook cannot check",
                             "On the site, there is a form here that counts your own stack right "
                             "in the browser. In the notebook the next cell shows it with the "
                             "`7x1 1x7` example, but its fields do nothing here: to count your "
                             "own stack, change the `cli_demo` call above."],
}
GONE = {"uk": ["розгорніть відповідь", "розгорніть короткі", "згорнуті відповіді",
               "Далі на сторінці", "Сторінка сама перевіряє", "сторінка сама перевіряє",
               "Найпростіше — завантажити блокнот", "Форма нижче", "просто тут",
               "лише для першого прикладу", "що рахує власний стос", "лише з прикладом"],
        "en": ["open the answer", "expand the short answers", "collapsed Answers",
               "The rest of the page", "the page checks", "The page checks",
               "The easiest way is to download", "The form below", "right here",
               "for the first example only", "your own stack in the browser", "example only"]}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_the_pages_sentences_that_are_wrong_in_a_notebook_are_replaced(site, page, lang):
    nb = load(site, page, lang)
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    flat = " ".join(text.split())
    for sentence in INSTEAD[(page, lang)]:
        assert sentence in text or " ".join(sentence.split()) in flat, (page, lang, sentence)
    for phrase in GONE[lang]:
        assert phrase not in flat, (page, lang, phrase)
    assert text.count(pick_answers_note(lang)) == 1
    if page == "backprop":  # the practice paragraph, which only says the page checks, is gone
        practice = _section([(c.cell_type, c.source) for c in nb.cells],
                            {"uk": "## Вправи", "en": "## Practice"}[lang])
        assert practice.split("\n\n")[1].startswith(
            {"uk": "Блокнот не перевіряє", "en": "The notebook cannot check"}[lang])


def pick_answers_note(lang: str) -> str:
    return {"uk": "У цьому блокноті відповіді — в останньому розділі, «Відповіді».",
            "en": "In this notebook, the answers are in the last section, “Answers”."}[lang]


def test_a_sentence_the_notebook_rewrites_twice_on_a_page_is_an_error():
    from lessons.notebook import rewrite

    page = (ROOT / "docs" / "en" / "backprop.md").read_text("utf-8")
    assert ", then open the answer" not in rewrite(page, page="backprop", lang="en")
    with pytest.raises(ValueError, match="backprop"):
        rewrite(page + "\nSolve it, then open the answer.\n", page="backprop", lang="en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_notebook_opens_with_what_it_is_before_the_pages_lead(site, page, lang):
    nb = load(site, page, lang)
    first, second = nb.cells[0], nb.cells[1]
    assert first.cell_type == second.cell_type == "markdown"
    title = parse_title(page, lang)
    assert first.source.startswith(f"# {title}\n\n")
    said = {"uk": "Це блокнот Jupyter до уроку", "en": "This is the Jupyter notebook for the lesson"}
    assert first.source.split("\n\n")[1].startswith(said[lang])
    page_text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    lead = page_text.split(title, 1)[1].split("\n\n")[1].split("\n")[0]
    if not lead.startswith(("#", "`")):  # a page with a lead: it comes after the intro
        assert lead in second.source and lead not in first.source
    assert nb.cells[2].cell_type == "code" and "import lessons" in nb.cells[2].source


def parse_title(page: str, lang: str) -> str:
    text = (ROOT / "docs" / lang / f"{page}.md").read_text("utf-8")
    return re.sub(r" *\{[^}]*\}", "", re.search(r"^# (.+)$", text, re.M).group(1)).strip()


def test_the_notebooks_own_english_has_no_contractions():
    from lessons.notebook import TEXT as T

    def english(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from ([item] if key == "en" and isinstance(item, str) else english(item))
        elif isinstance(value, list):
            for item in value:
                yield from english(item)
        elif isinstance(value, tuple):
            yield value[1]  # a rewrite: what the notebook says

    found = [s for s in english(T) if re.search(r"n't\b|'(?:re|ll|ve|d)\b|\b(?:it|that)'s\b", s)]
    assert not found, found


# ---- what a notebook's text says (tests first written on branch nb6, 2026-12-02) ----

def _prose(markdown: str) -> str:
    """What a reader reads of some notebook Markdown: no code, links' targets, URLs or file
    paths (``lessons/pages/…`` names a module, not a page)."""
    text = re.sub(r"```.*?```|`[^`]*`", " ", markdown, flags=re.S)
    text = re.sub(r"\]\([^)\s]*\)|https?://\S+|<[^>]+>", " ", text)
    return re.sub(r"\S*/\S*", " ", text)


# a notebook has no page: a sentence that says "on this page" or "the page checks" is wrong there
PAGE_WORD = {"uk": re.compile(r"\bсторін(?:ка|ки|ці|ку|кою|ок|кам|ками|ках)\b", re.I),
             "en": re.compile(r"\bpages?\b", re.I)}


def test_the_page_word_pattern_finds_the_sentences_it_is_for():
    assert PAGE_WORD["uk"].search(_prose("Тепер — завдання з початку сторінки."))
    assert PAGE_WORD["uk"].search(_prose("Сторінка сама перевіряє відповіді"))
    assert PAGE_WORD["en"].search(_prose("Now the task from the top of the page."))
    assert not PAGE_WORD["en"].search(_prose("see `lessons/pages/backprop.py` and [x](#pages)"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", LESSONS)
def test_no_markdown_cell_speaks_of_a_page(site, page, lang):
    for cell in load(site, page, lang).cells:
        if cell.cell_type == "markdown":
            found = PAGE_WORD[lang].search(_prose(cell.source))
            assert not found, (page, lang, cell.source[max(0, found.start() - 120):found.end()])


@pytest.mark.parametrize("page", LESSONS)
def test_the_ukrainian_notebooks_text_cites_with_ta_in(site, page):
    # «Szegedy et al.» in Ukrainian prose reads as an English insert; the pages write
    # «Szegedy та ін.»; only the reference list keeps its entries' own form
    cells = [c.source for c in load(site, page, "uk").cells if c.cell_type == "markdown"
             and not c.source.startswith("## Джерела")]
    assert not [s[:200] for s in cells if "et al" in s]


@pytest.mark.parametrize("page", LESSONS)
def test_the_english_notebooks_text_uses_the_straight_apostrophe(site, page):
    text = _prose("\n".join(c.source for c in load(site, page, "en").cells
                             if c.cell_type == "markdown"))
    assert re.search(r"[A-Za-z]'[A-Za-z]", text), "no apostrophe at all: nothing tested"
    assert not re.findall(r"\w+’\w+", text)
