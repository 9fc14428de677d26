"""Each lesson page as a Jupyter notebook in its language, made from the page's own exec blocks.

The site build (``hooks/notebook_hooks.py``) calls :func:`notebook` once per lesson page and
language with the page's Markdown, and writes the result to ``downloads/<page>-<lang>.ipynb``
beside the ``lessons`` wheel (``downloads/lessons-<version>-py3-none-any.whl``). Decisions:

- **The code is the page's code.** Every exec block of the page becomes one code cell, in the
  page's order, character for character (tests/test_notebooks.py compares them), so a
  notebook can never teach other code than its page. The blocks print through
  :func:`lessons.display.show`, which prints on the page and shows rich Markdown/HTML in
  Jupyter, so the same code renders tables and figures in both places.
- **Answers last.** A block inside a folded admonition (``??? …``, the page's "answer"
  block, which a student opens after trying) moves to a last section, «Відповіді» /
  "Answers", so the notebook, read top to bottom, still lets the student try first. The
  exercises (``## … { #practice }``) already close every lesson; their solutions are folded
  inside each exercise. Jupyter has no checker script, so a notebook shows an exercise's
  statement and folded solution only (:func:`lessons.display.notebook_html`), and the
  section's text (:data:`TEXT`, "practice") says so instead of the page's first paragraph,
  which promises the checking.
- **Text.** Each section keeps its heading (level and words, without the ``{ #id }``), a
  link to the section on the site first (in italics, so that the section's text can end
  with the colon that introduces the code below it), and then all of the page's own prose,
  in the page's order, between its code cells: paragraphs, lists, display formulas,
  Markdown tables, and admonitions as quotes (:func:`lessons.display.notebook_markdown`,
  as the notebook shows them in outputs; one that a code cell splits goes on quoted after
  the cell). Excerpts were tried and kept dropping what the kept text and the code rely
  on (a formula "the small ε" refers to, a definition, the reasons of a choice). Where a
  folded answer sat, a note says the answers are in the last section; the "try it
  yourself" sections (:data:`TRY`) get a sentence on what to change after their first
  cell, and the practice section a note that the notebook does not check answers. Links
  inside the page (``#anchor``, in Markdown or ``href``, and ``page.md``) are made
  absolute, since a notebook has no site around it. Only the sentences in :data:`TEXT`
  are this module's own.
- **No stored outputs.** A notebook carries only its code: outputs would double its size
  with SVG, could go stale against the wheel a student installs, and would make the site's
  build depend on running a kernel (seconds, and a notebook test already executes every
  notebook against the shipped wheel). A student who runs it sees exactly the page's numbers.
- **Reproducible.** Cell ids are derived from the page, the language and the cell's index
  (nbformat's own are random), and nbformat writes JSON with sorted keys, so two builds give
  byte-identical files.
- **Installing.** The first code cell installs the package only when ``import lessons``
  fails (in a clone, or a kernel that has it, nothing happens), from the wheel's absolute
  URL under ``site_url``: a downloaded notebook has no site beside it. The ``figures`` extra
  brings matplotlib, which Lessons 2 and 3 draw with.
- **No Colab link.** Colab opens notebooks from a repository, not from an arbitrary URL; that
  would mean committing six generated files that every page edit must regenerate (in both
  languages, a merge conflict whenever two people touch one page). A downloaded notebook
  uploads to Colab as it is (File → Upload notebook), and its first cell installs the wheel
  there too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from lessons.i18n import check_lang, pick

__all__ = ["LESSONS", "TEXT", "TRY", "Block", "Section", "install_code", "links_html", "notebook",
           "notebook_path", "page_url", "parse", "wheel_name"]

# the lesson pages (docs/<lang>/<page>.md) that get a notebook; the other pages hold no lesson
LESSONS = ("backprop", "normalization", "convolutions")

# the only sentences of the notebooks (and of the links on the page) this module writes itself
# the tip «Як запустити код самостійно» of Lessons 1 and 3 tells the reader to download the
# notebook they are reading: the notebook says this instead (the same on both pages)
_TIP_NOTEBOOK = {
    "uk": "Ви вже працюєте в блокноті цього уроку. Інший спосіб — клонувати репозиторій і "
          "виконувати команди в його теці за допомогою `uv run`, як у прикладі нижче.",
    "en": "You are already in this lesson's notebook. The other way is to clone the "
          "repository and run commands in its folder with `uv run`, as in the example below.",
}
_TIP = {"uk": ("Код цього уроку можна запустити й самостійно. Найпростіше — завантажити блокнот "
               "Jupyter за посиланням під заголовком уроку й відкрити його в Jupyter або Colab: "
               "його перша клітинка сама встановить пакет `lessons`, а далі досить виконати "
               "клітинки по черзі. Другий спосіб — клонувати репозиторій і виконувати команди в "
               "його теці за допомогою `uv run` (потрібно встановити uv), як у прикладі нижче.",
               _TIP_NOTEBOOK["uk"])}

TEXT = {
    "intro": {
        "uk": "Це блокнот Jupyter до уроку [«{title}»]({url}). У ньому весь текст і весь код "
              "уроку в тому самому порядку, що й на сайті: виконайте клітинки згори донизу (у JupyterLab — "
              "меню Run → Run All Cells, у класичному Jupyter Notebook — Cell → Run All, у "
              "Colab — Runtime → Run all), і ви побачите ті самі таблиці, рисунки й числа. "
              "{inputs}\n\n"
              "Вправи є й тут, але перевірити відповіді на них можна лише на сайті.",
        "en": "This is the Jupyter notebook for the lesson [“{title}”]({url}). It holds all the "
              "lesson's text and code, in the same order as on the site: run the cells from top to bottom (in "
              "JupyterLab, Run → Run All Cells; in the classic Jupyter Notebook, Cell → Run All; "
              "in Colab, Runtime → Run all) and you get the same tables, figures and numbers. "
              "{inputs}\n\n"
              "The exercises are here too, but only the site checks your answers to them.",
    },
    # where each notebook's inputs are (the intro's "change the inputs"): true of that lesson
    "inputs": {
        "backprop": {
            "uk": "Змінюйте вхідні дані й дивіться, що з цього вийде: наприклад, значення $x$, $y$ "
                  "і $z$ у першій клітинці прикладу 1 (`Value(-2.0, \"x\")`, …) або вираз і "
                  "значення в списку, переданому `cli_demo`, у розділі «Спробуйте самі».",
            "en": "Change the inputs and see what happens: for example, the values of $x$, $y$ "
                  "and $z$ in the first cell of Example 1 (`Value(-2.0, \"x\")`, …), or the "
                  "expression and values in the list passed to `cli_demo` in “Try your own "
                  "expression”.",
        },
        "normalization": {
            "uk": "Змінюйте вхідні дані й дивіться, що з цього вийде: наприклад, імовірність "
                  "занулення (за домовленістю PyTorch) у виклику `dropout(x, 0.7, …)` у розділі "
                  "2.3 або сам вхід `x`.",
            "en": "Change the inputs and see what happens: for example, the drop probability "
                  "(PyTorch convention) in the call `dropout(x, 0.7, …)` in section 2.3, or the "
                  "input `x` itself.",
        },
        "convolutions": {
            "uk": "Змінюйте вхідні дані й дивіться, що з цього вийде: наприклад, розміри "
                  "зображення й ядра в клітинці з `conv2d_counted` у розділі «Зображення 20×20 з "
                  "розв'язку студента» (а також розміри у виклику `cost` у цій клітинці) "
                  "або розмір входу й шари в аргументах `cli_demo` у розділі «Порахуйте самі».",
            "en": "Change the inputs and see what happens: for example, the image and kernel "
                  "shapes in the cell with `conv2d_counted` in “The student's 20×20 image” (and "
                  "the same sizes in the `cost` call in that cell), or the input size and layers "
                  "in the arguments of `cli_demo` in “Count it yourself”.",
        },
    },
    "install": {
        "uk": "Клітинка з кодом нижче встановлює пакет `lessons` із сайту курсу, але лише тоді, "
              "коли його ще немає. Щоб працювати в Colab, відкрийте "
              "[colab.research.google.com](https://colab.research.google.com), виберіть у меню "
              "File → Upload notebook і завантажте цей файл зі свого комп'ютера. Клітинка встановлення спрацює й у Colab.",
        "en": "The code cell below installs the `lessons` package from the course site, but "
              "only if it is not installed yet. To work in Colab, open "
              "[colab.research.google.com](https://colab.research.google.com), choose File → "
              "Upload notebook and pick this file from your computer; the install cell works in "
              "Colab too.",
    },
    "install_comment": {
        "uk": "# Пакет lessons: встановлюється, лише якщо його ще немає в цьому середовищі",
        "en": "# The lessons package: installed only if this environment does not have it yet",
    },
    # the install cell's last line: an output's link to a section of this lesson goes to the site
    "page_url_comment": {
        "uk": "# Посилання у виводі на розділи уроку ведуть на сайт",
        "en": "# Links in the output to the lesson's sections open on the site",
    },
    # first under each heading: the section's own text that follows may end with "…:" and
    # introduce the code right below it
    "more": {"uk": "*[Відкрити цей розділ на сайті]({url})*",
             "en": "*[Open this section on the site]({url})*"},
    # the "try it yourself" sections (TRY): after their first code cell
    "try": {
        "backprop": {
            "uk": "Змініть вираз і значення в списку, переданому `cli_demo`, і виконайте "
                  "клітинку ще раз. Мову таблиці тут задає аргумент `lang=` виклику `cli_demo`, "
                  "а не `--lang` у списку.",
            "en": "Change the expression and the values in the list passed to `cli_demo` and "
                  "run the cell again. Here the table's language is set by `cli_demo`'s `lang=` "
                  "argument, not by `--lang` in the list.",
        },
        "convolutions": {
            "uk": "Змініть розмір входу чи шари в аргументах `cli_demo` і виконайте клітинку "
                  "ще раз: кожен елемент списку — один аргумент команди.",
            "en": "Change the input size or the layers in the arguments of `cli_demo` and run "
                  "the cell again: each list item is one argument of the command.",
        },
    },
    "practice": {
        "uk": "Блокнот не перевіряє ваших відповідей: розгорніть розв'язок під умовою кожної "
              "вправи (після виконання її клітинки). Перевірити свої відповіді й отримати нові "
              "варіанти вправ можна [у цьому розділі на сайті]({url}).",
        "en": "The notebook cannot check your answers: expand the solution under each "
              "exercise (once its cell has run). To have your answers checked and get new "
              "variants of the exercises, use [this section on the site]({url}).",
    },
    "answers": {"uk": "Відповіді", "en": "Answers"},
    # the page's sentences that are wrong in a notebook, per page and language: (the page's
    # text, what the notebook says instead, "" to drop it), matched with any whitespace;
    # each must be on its page once (:func:`rewrite`), so a page edit cannot slip past
    "rewrite": {
        "backprop": {
            "uk": [
                _TIP["uk"],
                ("Тепер — завдання з початку сторінки.", "Тепер — завдання з початку уроку."),
                (", а потім розгорніть відповідь.", "."),
                ("Потренуйтеся: сторінка сама перевіряє ваші відповіді, а кнопка «Інший варіант» "
                 "дає нове завдання того самого типу (часто з іншою операцією чи іншим графом).",
                 ""),
                ("Форма нижче робить те саме просто тут: той самий аналізатор працює у вашому "
                 "браузері (як і приклади з кодом) і показує граф із таблицею або повідомлення "
                 "про помилку.",
                 "На сайті в цьому місці є форма, що робить те саме у вашому браузері. У блокноті "
                 "наступна клітинка показує її з першим прикладом, але поля тут не "
                 "працюють: щоб спробувати свій вираз, змініть виклик `cli_demo` вище."),
            ],
            "en": [
                ("You can also run this lesson's code yourself. The easiest way is to download the "
                 "Jupyter notebook linked under the lesson's title and open it in Jupyter or Colab: "
                 "its first cell installs the `lessons` package, and then you run the cells in "
                 "order. The other way is to clone the repository and run commands from its folder "
                 "with `uv run` (you need uv installed), as in the example below.",
                 _TIP_NOTEBOOK["en"]),
                ("Now the task from the top of the page.",
                 "Now the task from the start of the lesson."),
                (", then open the answer.", "."),
                ("Try these yourself: the page checks your answers, and “Another variant” gives "
                 "you another exercise of the same kind, often with a different gate or graph.",
                 ""),
                ("The form below does the same right here: the same parser runs in your "
                 "browser (as the code examples do) and shows the graph and its table, or the "
                 "tool's error message.",
                 "On the site, there is a form here that does the same in your browser. In the "
                 "notebook, the next cell shows it with the first example, but its fields do "
                 "nothing here: to try an expression of your own, change the `cli_demo` "
                 "call above."),
            ],
        },
        "normalization": {
            "uk": [
                ("Усі результати експериментів, таблиці й графіки на цій сторінці обчислює пакет "
                 "`lessons` під час збирання сайту.",
                 "Усі результати експериментів, таблиці й графіки нижче обчислює пакет `lessons`, "
                 "коли ви виконуєте клітинки."),
                (", а потім розгорніть короткі відповіді.", "."),
                ("Сторінка сама перевіряє ваші відповіді, а кнопка «Інший варіант» дає нове "
                 "завдання того самого типу (з іншими числами чи іншим запитанням).", ""),
            ],
            "en": [
                ("Every experimental result, table and plot on this page is computed by the "
                 "`lessons` package while the site is built.",
                 "Every experimental result, table and plot below is computed by the `lessons` "
                 "package when you run the cells."),
                (", then expand the short answers.", "."),
                ("The page checks your answers, and “Another variant” gives you another exercise "
                 "of the same kind, with other numbers or another question.", ""),
            ],
        },
        "convolutions": {
            "uk": [
                _TIP["uk"],
                ("обчислює пакет `lessons` під час збирання сайту, а кількість множень",
                 "обчислює пакет `lessons`, коли ви виконуєте клітинки, а кількість множень"),
                ("(див. згорнуті відповіді)", "(див. розділ «Відповіді» наприкінці)"),
                ("Від себе ця сторінка додає два пункти:", "Від себе цей урок додає два пункти:"),
                ("а його результати збережено разом зі сторінкою:",
                 "а його результати збережено в пакеті `lessons`:"),
                ("Далі на сторінці ці відповіді обґрунтовано й перевірено.",
                 "Решта уроку обґрунтовує й перевіряє ці відповіді.\n\n\x00note"),
                ("Сторінка сама перевіряє відповіді, а кнопка «Інший варіант» дає нову вправу "
                 "того самого типу з іншими числами.", ""),
                ("Власний стос можна порахувати й просто тут. Форма нижче розбирає розмір входу та "
                 "шари за тими самими правилами, що й команда, і показує таку саму таблицю.",
                 "На сайті в цьому місці є форма, яка просто в браузері рахує ваш власний стос. У "
                 "блокноті наступна клітинка показує її з прикладом `7x1 1x7`, але поля "
                 "тут не працюють: щоб порахувати свій стос, змініть виклик `cli_demo` вище."),
            ],
            "en": [
                ("You can also run this lesson's code yourself. The easiest way is to download the "
                 "Jupyter notebook linked under the lesson's title and open it in Jupyter or Colab: "
                 "its first cell installs the `lessons` package, and then you run the cells in "
                 "order. The other way is to clone the repository and run commands from its folder "
                 "with `uv run` (you need uv installed), as in the example below.",
                 _TIP_NOTEBOOK["en"]),
                ("is computed by the `lessons` package while the site is built, and the counts",
                 "is computed by the `lessons` package when you run the cells, and the counts"),
                ("(see the collapsed Answers box)", "(see “Answers” at the end)"),
                ("This page adds two things of its own:", "This lesson adds two things of its own:"),
                ("stored with the page:", "stored in the `lessons` package:"),
                ("The rest of the page derives these answers and checks them.",
                 "The rest of the lesson derives these answers and checks them.\n\n\x00note"),
                ("The page checks your answers, and “Another variant” gives you a new exercise of "
                 "the same kind with different numbers.", ""),
                ("You can also count a stack of your own right here. The form below reads the input "
                 "size and the layers by the same rules as the command and shows the same table.",
                 "On the site, there is a form here that counts your own stack right in the "
                 "browser. In the notebook the next cell shows it with the `7x1 1x7` example, but "
                 "its fields do nothing here: to count your own stack, change the `cli_demo` call "
                 "above."),
            ],
        },
    },
    # where the task's folded answer sits on the page (the page's sentence before it may say
    # "then open the answer"); no link: a link to a heading of the notebook itself works in
    # some viewers and not in others
    "see_answers": {"uk": "У цьому блокноті відповіді — в останньому розділі, «Відповіді».",
                    "en": "In this notebook, the answers are in the last section, “Answers”."},
    "answers_intro": {
        "uk": "Відповіді до [завдання]({url}), поставленого на початку уроку. Не зазирайте "
              "сюди, доки не спробуєте розв'язати його самостійно.",
        "en": "Here are the answers to the [task]({url}) at the start of the lesson. Do not look "
              "here until you have tried it on your own.",
    },
    # the links near the top of each lesson page (hooks/notebook_hooks.py puts them there)
    "download": {"uk": "Завантажити блокнот Jupyter", "en": "Download the Jupyter notebook"},
    "download_hint": {
        "uk": "з усім текстом і кодом уроку; його перша клітинка сама встановить пакет `lessons`; у Colab "
              "блокнот відкривають через меню File → Upload notebook",
        "en": "with the whole lesson, text and code; its first cell installs the `lessons` package; the "
              "notebook also opens in Colab via File → Upload notebook",
    },
    "source": {"uk": "Репозиторій із кодом", "en": "Source repository"},
    "report": {"uk": "Повідомити про помилку", "en": "Report a mistake"},
    "links_label": {"uk": "Матеріали уроку", "en": "Lesson resources"},
}

# the "try it yourself" sections: kept whole, text and code in the page's order, so the
# notebook keeps what the tool accepts and says where to change the input
TRY = ("try-your-own", "count-your-own")

_HEADING = re.compile(
    r"^(?P<hashes>#{1,6}) +(?P<title>.*?)(?: *\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\})? *$")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)(?P<info>.*)$")
_FOLDED = re.compile(r"^\?\?\?\+? ")  # a collapsed admonition: the page's answers
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
_ATTRS = re.compile(r" *\{ *[.#:][^}]*\}")
# where an exec block and a folded answer sat among a section's prose lines
_CODE, _ANSWER = "\x00code", "\x00answer"
_NOTE = "\x00note"  # where a rewritten sentence puts the answers note (TEXT "rewrite")


@dataclass
class Block:
    """One exec block: its code (dedented), and whether it sits in a folded answer."""

    code: str
    answer: bool = False


@dataclass
class Section:
    """One heading of the page, the prose right under it, and its exec blocks."""

    level: int
    title: str
    anchor: str
    prose: list[str] = field(default_factory=list)  # the section's lines outside blocks
    blocks: list[Block] = field(default_factory=list)
    # what its folded answer holds, in order: Markdown (dedented) and the answer's blocks
    folded: list[str | Block] = field(default_factory=list)


def wheel_name(version: str) -> str:
    """The wheel's file name, which the site serves under ``downloads/``.

    Examples:
        >>> wheel_name("0.1.0")
        'lessons-0.1.0-py3-none-any.whl'
    """
    return f"lessons-{version}-py3-none-any.whl"


def notebook_path(page: str, lang: str) -> str:
    """Where the notebook of ``page`` in ``lang`` lands in the site (a stable path).

    Examples:
        >>> notebook_path("backprop", "uk")
        'downloads/backprop-uk.ipynb'
    """
    check_lang(lang)
    if page not in LESSONS:
        raise ValueError(f"page must be one of {LESSONS}, got {page!r}")
    return f"downloads/{page}-{lang}.ipynb"


def page_url(site_url: str, lang: str, page: str = "") -> str:
    """The absolute URL of ``page`` in ``lang`` (Ukrainian at the root, English under en/).

    Examples:
        >>> page_url("https://example.org/site/", "en", "backprop")
        'https://example.org/site/en/backprop/'
        >>> page_url("https://example.org/site", "uk", "")
        'https://example.org/site/'
    """
    check_lang(lang)
    base = site_url.rstrip("/") + "/" + ("" if lang == "uk" else f"{lang}/")
    return base + (f"{page}/" if page else "")


def parse(markdown: str) -> list[Section]:
    """The page's sections in order, each with its prose lines and exec blocks.

    Text before the first heading (front matter) is dropped. An exec block is a fenced block
    whose info string has ``exec=``; it is an answer when it sits under a ``???`` admonition.

    Examples:
        >>> page = ("# T { #t }\\n\\nHi.\\n\\n??? success \\"A\\"\\n\\n"
        ...         "    ```python exec=\\"1\\"\\n    print(1)\\n    ```\\n\\n"
        ...         "## S { #s }\\n\\n```python exec=\\"1\\"\\nprint(2)\\n```\\n")
        >>> [(s.title, s.anchor, [(b.code, b.answer) for b in s.blocks]) for s in parse(page)]
        [('T', 't', [('print(1)\\n', True)]), ('S', 's', [('print(2)\\n', False)])]
    """
    sections: list[Section] = []
    lines = markdown.split("\n")
    folded = False  # inside a ??? admonition (its body is indented)
    i = 0
    while i < len(lines):
        line = lines[i]
        if folded and line and not line[0].isspace():
            folded = False  # the admonition's body has ended
        fence = _FENCE.match(line)
        if fence:
            indent, marks = fence.group("indent"), fence.group("fence")
            end = i + 1
            closing = re.compile(rf"^{re.escape(indent)}{re.escape(marks)}\s*$")
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            body = "\n".join(line[len(indent):] if line.startswith(indent) else line
                             for line in lines[i + 1:end])
            if sections and re.search(r"\bexec=", fence.group("info")):
                block = Block(body + "\n", answer=folded)
                sections[-1].blocks.append(block)
                if folded:
                    sections[-1].folded.append(block)
                else:  # where the code sits in the prose: a section's text stops there
                    sections[-1].prose.extend(["", _CODE, ""])
            elif sections:
                _add_text(sections[-1], lines[i:end + 1], folded)
            i = end + 1
            continue
        heading = _HEADING.match(line)
        if heading:
            sections.append(Section(len(heading.group("hashes")), heading.group("title").strip(),
                                    heading.group("id") or ""))
        elif sections:
            if _FOLDED.match(line):
                folded = True
                sections[-1].prose.extend(["", _ANSWER, ""])  # the task's text ends there
            else:
                _add_text(sections[-1], [line], folded)
        i += 1
    return sections


def rewrite(markdown: str, *, page: str, lang: str) -> str:
    """The page's Markdown with its sentences that are wrong in a notebook replaced or dropped
    (:data:`TEXT` "rewrite"), matched with any whitespace. A dropped sentence takes the
    spaces before it along; the line ``\\x00note`` that a replacement may hold is where the
    answers note goes instead of the folded answer's place. A sentence the page no longer
    holds is left alone (tests/test_notebooks.py checks that every one is found); one it
    holds twice is an error, since which one is meant is unclear.

    Examples:
        >>> rewrite("Try to answer first, then expand the short answers.",
        ...         page="normalization", lang="en")
        'Try to answer first.'
        >>> rewrite("A, then expand\\nthe short answers. B, then expand the short answers.",
        ...         page="normalization", lang="en")
        Traceback (most recent call last):
        ...
        ValueError: normalization (en): the page holds 2 times: ', then expand the short answers.'
    """
    for old, new in TEXT["rewrite"].get(page, {}).get(lang, []):
        pattern = r"\s+".join(map(re.escape, old.split()))
        if not new:
            pattern = r"[ \t]*" + pattern
        found = len(re.findall(pattern, markdown))
        if found > 1:
            raise ValueError(f"{page} ({lang}): the page holds {found} times: {old!r}")
        markdown = re.sub(pattern, lambda m: new, markdown)
    return markdown


def _add_text(section: Section, lines: list[str], folded: bool) -> None:
    if not folded:
        section.prose.extend(lines)
        return
    text = "\n".join(line[4:] if line.startswith("    ") else line.lstrip() for line in lines)
    if section.folded and isinstance(section.folded[-1], str):
        section.folded[-1] += "\n" + text
    else:
        section.folded.append(text)


def _absolute_links(text: str, *, site_url: str, lang: str, page: str) -> str:
    """``text`` with its links made absolute: a notebook has no site around it, so a link to
    an anchor of this page (``#rounding``), in Markdown or in an ``href``, and one to another
    page (``glossary.md#x``) point to the lesson's URL on the site."""
    here = page_url(site_url, lang, page)

    def fix(m: re.Match) -> str:
        target = m.group("target")
        if re.match(r"^[a-z]+:", target):
            return m.group(0)
        if target.startswith("#"):
            return f"]({here}{target})"
        name, _, anchor = target.partition("#")
        other = name.removesuffix(".md").removesuffix("index").strip("/")
        return f"]({page_url(site_url, lang, other)}{'#' + anchor if anchor else ''})"

    text = re.sub(r'href="#', f'href="{here}#', text)
    return _ATTRS.sub("", _LINK.sub(fix, text))


def _markdown(lines: list[str], links: dict) -> str:
    """Page lines as a notebook's Markdown: admonitions as quotes (as
    :func:`lessons.display.notebook_markdown` renders them), links absolute. An admonition
    that a code cell splits goes on after the cell: its indented rest is quoted too."""
    from lessons.display import notebook_markdown

    lines = list(lines)
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].startswith("    ")):
        n += 1
    if any(line.strip() for line in lines[:n]):  # the rest of an admonition a cell split
        rest = [line[4:] if line.startswith("    ") else line for line in lines[:n]]
        while rest and not rest[-1].strip():
            rest.pop()
        while rest and not rest[0].strip():
            rest.pop(0)
        lines[:n] = [("> " + line).rstrip() for line in rest] + [""]
    text = notebook_markdown("\n".join(lines))
    # a paragraph right after a quote would continue it (Markdown's lazy continuation)
    text = re.sub(r"^(>.*)\n(?=[^>\n])", r"\1\n\n", text, flags=re.M)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return _absolute_links(text, **links)


def _pieces(section: Section) -> list[list[str]]:
    """The section's prose lines split where its code blocks sit (outside folded answers):
    the text before the first block, then the text after each one. A folded answer's place
    is kept as the line :data:`_ANSWER`."""
    pieces: list[list[str]] = [[]]
    for line in section.prose:
        if line == _CODE:
            pieces.append([])
        else:
            pieces[-1].append(line)
    return pieces


def install_code(wheel_url: str, lang: str, here: str = "") -> str:
    """The first code cell: install the wheel (with matplotlib) only if ``lessons`` is missing.

    ``%pip`` (not ``!pip``) installs into the kernel's own environment; the import caches are
    dropped so that the cells below find the package without a restart. With ``here`` (the
    lesson's URL), it then sets :data:`lessons.display.PAGE_URL`, so that a link in an output
    to an anchor of the page (``#rounding``) opens that section on the site.

    Examples:
        >>> print(install_code("https://example.org/lessons.whl", "en", "https://example.org/en/b/"))
        # The lessons package: installed only if this environment does not have it yet
        try:
            import lessons
        except ImportError:
            %pip install --quiet "lessons[figures] @ https://example.org/lessons.whl"
            import importlib
            importlib.invalidate_caches()
        # Links in the output to the lesson's sections open on the site
        import lessons.display
        lessons.display.PAGE_URL = "https://example.org/en/b/"
    """
    return (f"{pick(TEXT['install_comment'], lang)}\n"
            "try:\n"
            "    import lessons\n"
            "except ImportError:\n"
            f'    %pip install --quiet "lessons[figures] @ {wheel_url}"\n'
            "    import importlib\n"
            "    importlib.invalidate_caches()"
            + (f"\n{pick(TEXT['page_url_comment'], lang)}\n"
               "import lessons.display\n"
               f'lessons.display.PAGE_URL = "{here}"' if here else ""))


def _cell_id(page: str, lang: str, index: int) -> str:
    return f"{page}-{lang}-{index:03d}"


def notebook(markdown: str, *, page: str, lang: str, site_url: str, version: str):
    """The notebook (an ``nbformat`` v4 node) of a lesson page's Markdown in ``lang``.

    ``markdown`` is the page's source (front matter may be there; it is dropped), ``version``
    the wheel's, whose absolute URL under ``site_url`` the first code cell installs from.
    """
    import nbformat.v4 as v4  # only the build and the tests make notebooks

    check_lang(lang)
    notebook_path(page, lang)  # checks the page
    sections = parse(rewrite(markdown, page=page, lang=lang))
    if not sections:
        raise ValueError(f"{page}: the page has no heading")
    here = page_url(site_url, lang, page)
    wheel_url = site_url.rstrip("/") + "/downloads/" + wheel_name(version)
    links = {"site_url": site_url, "lang": lang, "page": page}
    cells, answers = [], []

    def answer_cells(section: Section) -> None:
        for item in section.folded:
            if isinstance(item, Block):
                answers.append(v4.new_code_cell(item.code.rstrip("\n")))
            elif item.strip():
                answers.append(v4.new_markdown_cell(_markdown(item.split("\n"), links)))

    def section_cells(section: Section, first: list[str], *, note: str = "", tail: str = "",
                      lead: bool = True) -> None:
        """The section's whole prose, in order, between its code cells: ``first`` (the
        heading and the notebook's own lines) opens the text before the first cell, and
        ``note`` (the "try it" note) follows that cell; ``lead=False`` leaves out the text
        before the first cell (the title's lead, which the intro holds)."""
        blocks = [b for b in section.blocks if not b.answer]
        for n, piece in enumerate(_pieces(section)):
            text = list(first) if n == 0 else []
            if n == 0 and not lead:
                piece = []
            if n == 1 and note:
                text.append(note)
            lines: list[str] = []
            moved = _NOTE in section.prose
            for line in piece:
                if line == (_NOTE if moved else _ANSWER):  # where the answers went
                    lines.extend(["", pick(TEXT["see_answers"], lang), ""])
                elif line == _ANSWER:
                    continue
                else:
                    lines.append(line)
            body = _markdown(lines, links)
            if body:
                text.append(body)
            if n == 0 and tail:
                text.append(tail)
            if text:
                cells.append(v4.new_markdown_cell("\n\n".join(text)))
            if n < len(blocks):
                cells.append(v4.new_code_cell(blocks[n].code.rstrip("\n")))

    title = sections[0]
    inputs = pick(TEXT["inputs"][page], lang)
    # first what the notebook is and how to run it, then the page's lead and the install cell
    cells.append(v4.new_markdown_cell(f"# {title.title}\n\n" + pick(TEXT["intro"], lang).format(
        title=title.title, url=here, inputs=inputs)))
    intro = []
    lead = _markdown(_pieces(title)[0], links)
    if lead:  # its "computed while the site is built" is rewritten ("rewrite" above)
        intro.append(lead)
    intro.append(pick(TEXT["install"], lang))
    cells.append(v4.new_markdown_cell("\n\n".join(intro)))
    cells.append(v4.new_code_cell(install_code(wheel_url, lang, here)))
    section_cells(title, [], lead=False)  # its lead is in the intro
    answer_cells(title)

    answered = []  # the anchors of the sections whose answers moved to the end
    for section in sections[1:]:
        first = [f"{'#' * section.level} {section.title}"]
        tail = ""
        if section.anchor == "practice":  # the page's text says the page checks the answers
            tail = pick(TEXT["practice"], lang).format(url=f"{here}#practice")
        elif section.anchor:  # first: the section's text may end in ":" before its code
            first.append(pick(TEXT["more"], lang).format(url=f"{here}#{section.anchor}"))
        if section.folded:
            answered.append(section.anchor)
        note = pick(TEXT["try"][page], lang) if section.anchor in TRY and page in TEXT["try"] \
            else ""
        section_cells(section, first, note=note, tail=tail)
        answer_cells(section)
    if answers:
        head = f"## {pick(TEXT['answers'], lang)}\n\n" + pick(TEXT["answers_intro"], lang).format(
            url=f"{here}#{answered[0] if answered else 'task'}")
        cells.append(v4.new_markdown_cell(head))
        cells.extend(answers)

    for i, cell in enumerate(cells):
        cell["id"] = _cell_id(page, lang, i)
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    return nb


def links_html(*, page: str, lang: str, title: str, page_link: str, notebook_href: str,
               source_url: str, issues_url: str) -> str:
    """The links near the top of a lesson page: notebook, source code, report a mistake.

    Plain links, no badge images (each would be a request to another host) and no Material
    ``repo_url`` widget (it calls GitHub's API on every page load). ``notebook_href`` is
    relative to the page, so a local copy of the site downloads its own notebook; the
    report link opens a new issue whose title names the page.

    Examples:
        >>> html = links_html(page="backprop", lang="en", title="Backprop",
        ...                   page_link="https://x/en/backprop/",
        ...                   notebook_href="../../downloads/backprop-en.ipynb",
        ...                   source_url="https://github.com/o/r",
        ...                   issues_url="https://github.com/o/r/issues")
        >>> 'download="backprop-en.ipynb"' in html and "issues/new?title=Backprop" in html
        True
    """
    from html import escape

    check_lang(lang)
    name = notebook_path(page, lang).rsplit("/", 1)[1]
    issue = (f"{issues_url.rstrip('/')}/new?title={quote(title)}"
             f"&body={quote(page_link)}")
    hint = escape(pick(TEXT["download_hint"], lang)).replace("`lessons`", "<code>lessons</code>")
    return (
        f'<nav class="lesson-links" aria-label="{escape(pick(TEXT["links_label"], lang))}">'
        f'<a href="{escape(notebook_href)}" download="{name}" type="application/x-ipynb+json">'
        f'{escape(pick(TEXT["download"], lang))}</a>'
        f' <span class="lesson-links-hint">({hint})</span>'
        f' · <a href="{escape(source_url)}">{escape(pick(TEXT["source"], lang))}</a>'
        f' · <a href="{escape(issue)}">{escape(pick(TEXT["report"], lang))}</a>'
        "</nav>"
    )
