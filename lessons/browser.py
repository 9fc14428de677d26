"""Run a code block of a lesson page in the reader's browser (Pyodide), as the build ran it.

Lesson 1's code is pure Python, so a reader can change an example and run it on the page:
``docs/assets/runner.js`` starts Pyodide in a Web Worker on the first click, unpacks
:data:`MODULES` (one archive the build makes from these same source files,
``hooks/pyodide_hooks.py``) and calls `run` for each run.

What `run` does, and why:

* The code runs as markdown-exec runs a block at build time: as ``__main__``, with what it
  prints captured. Each run starts from a fresh namespace, so a block never depends on an
  earlier run (its output can be compared with the build's, ``tests/test_runner_browser.py``).
* An error shows as the traceback Python prints, without the runner's own frames: the
  first frame is the reader's code (``<block>``, with its line), then whatever it called.
* Every SVG the code prints is also returned as a figure, with its ``id``s (and the
  references to them) prefixed, so a live figure never repeats an id of the build's
  figures or of another run; the printed text itself stays as the build printed it.

Only the standard library and these modules are imported: no numpy in the browser.

Examples:
    >>> result = run("print(1 + 1)", "r1")
    >>> result["stdout"], result["error"]
    ('2\\n', '')
    >>> print(run("x = 1\\n1 / 0", "r2")["error"].strip())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      File "<block>", line 2, in <module>
        1 / 0
    ...
    ZeroDivisionError: division by zero
"""

from __future__ import annotations

import contextlib
import io
import linecache
import re
import traceback

from lessons.i18n import check_lang

__all__ = ["MODULES", "FILENAME", "TRY", "UI", "bar_html", "prefix_ids", "run", "split_figures",
           "strings_html", "try_form"]

# the lessons modules a Lesson 1 block may import in the browser, and Lesson 3's form
# (lessons.conv_cost.try_stack): the archive holds these
MODULES = (
    "lessons/__init__.py",
    "lessons/autograd.py",
    "lessons/browser.py",
    "lessons/console.py",
    "lessons/conv_cost.py",
    "lessons/display.py",
    "lessons/draw.py",
    "lessons/expression.py",
    "lessons/i18n.py",
    "lessons/markdown.py",
    "lessons/pages/__init__.py",
    "lessons/pages/backprop.py",
)
FILENAME = "<block>"  # the reader's code in a traceback

# the runner's interface, by language: "run" and "help" are in the page (help once, before
# the first runnable block), the others reach docs/assets/runner.mjs as JSON
# ({gzip}, {raw}: megabytes of the first run's download, gzip-compressed and as stored)
UI = {
    "run": {"uk": "Запустити в браузері ({gzip} МБ)", "en": "Run in your browser ({gzip} MB)"},
    "help": {
        "uk": "Приклади з кодом можна змінювати й запускати просто тут, у браузері. Під час "
              "першого запуску сторінка завантажить Python для браузера (Pyodide): {gzip} МБ, "
              "а якщо сервер не стискає файли, — {raw} МБ. Pyodide потребує близько 120 МБ "
              "пам'яті. Код виконується на вашому пристрої й нікуди не надсилається.",
        "en": "You can change the code examples and run them right here, in your browser. "
              "The first run downloads Python for the browser (Pyodide): {gzip} MB, or "
              "{raw} MB if the server does not compress files. Pyodide needs about 120 MB of "
              "memory. The code runs on your device and is not sent anywhere.",
    },
    # the help of a page whose only Python is a "try your own" form (Lesson 3's stack)
    "help_form": {
        "uk": "Результат форми обчислює Python, що працює у вашому браузері (Pyodide). Коли ви "
              "вперше натиснете кнопку форми, сторінка завантажить Python: {gzip} МБ, а якщо сервер не "
              "стискає файли, — {raw} МБ. Pyodide потребує близько 120 МБ пам'яті. Усе "
              "обчислюється на вашому пристрої, а введені дані нікуди не надсилаються.",
        "en": "The form's result is computed by Python running in your browser (Pyodide). The first "
              "time you press the form's button, the page downloads Python: {gzip} MB, or {raw} MB if "
              "the server does not compress files. Pyodide needs about 120 MB of memory. "
              "Everything is computed on your device; nothing you type is sent anywhere.",
    },
    "again": {"uk": "Запустити", "en": "Run"},
    "stop": {"uk": "Зупинити", "en": "Stop"},
    "reset": {"uk": "Повернути початковий код", "en": "Restore the original code"},
    "code": {"uk": "Код прикладу (його можна змінювати)", "en": "Example code (you can edit it)"},
    "output": {"uk": "Результат у браузері", "en": "Output in your browser"},
    "loading": {"uk": "Завантаження Python… Перший запуск може тривати кілька секунд.",
                "en": "Loading Python… The first run may take a few seconds."},
    "running": {"uk": "Виконання…", "en": "Running…"},
    "stopped": {"uk": "Зупинено. Наступний запуск знову завантажить Python.",
                "en": "Stopped. The next run loads Python again."},
    "empty": {"uk": "Код нічого не вивів.", "en": "The code printed nothing."},
    "failed": {"uk": "Не вдалося запустити Python у цьому браузері:",
               "en": "Could not start Python in this browser:"},
    "figure": {"uk": "Рисунок, побудований кодом", "en": "Figure drawn by the code"},
    "error": {"uk": "Помилка", "en": "Error"},  # before a "try your own" form's message
}
# the "try your own" forms: kind -> (module, function), imported on first use;
# the function is ``f(fields: dict[str, str], lang, prefix) -> {"html": ...} | {"error": ...}``
TRY = {
    "graph": ("lessons.expression", "try_graph"),   # Lesson 1: your own expression
    "stack": ("lessons.conv_cost", "try_stack"),    # Lesson 3: your own stack of layers
}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def _pick(key: str, lang: str) -> str:
    return UI[key]["uk" if lang == "uk" else "en"]


def _megabytes(size: int, lang: str) -> str:
    text = f"{size / 1e6:.1f}"
    return text.replace(".", ",") if lang == "uk" else text


def bar_html(lang: str, gzip: int, raw: int) -> str:
    """The run button of one block, hidden until docs/assets/run.js shows it.

    Examples:
        >>> bar_html("en", 5_012_000, 12_100_000)  # doctest: +ELLIPSIS
        '<div class="run-bar" hidden><button ...data-action="run"...>Run in your browser (5.0 MB)</button></div>'
    """
    label = _pick("run", lang).format(gzip=_megabytes(gzip, lang))
    return ('<div class="run-bar" hidden><button type="button" class="md-button" '
            f'data-action="run" aria-describedby="run-help">{label}</button></div>')


def strings_html(lang: str, gzip: int, raw: int, *, forms_only: bool = False) -> str:
    """The help paragraph (once a page, before its first runnable block, or before its first
    form on a page that has no runnable block: ``forms_only``) and the runner's other words
    as JSON, hidden until docs/assets/run.js shows the paragraph.

    Examples:
        >>> html = strings_html("uk", 5_012_000, 12_100_000)
        >>> "5,0 МБ" in html and "12,1 МБ" in html and "120 МБ" in html
        True
        >>> "Результат форми" in strings_html("uk", 1, 1, forms_only=True)
        True
    """
    import json

    words = {k: _pick(k, lang) for k in UI if k not in ("run", "help", "help_form")}
    sizes = {"gzip": _megabytes(gzip, lang), "raw": _megabytes(raw, lang)}
    data = json.dumps(words, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    help_text = _pick("help_form" if forms_only else "help", lang).format(**sizes)
    return (f'<p class="run-help" id="run-help" hidden>{help_text}</p>'
            f'<script type="application/json" id="run-ui">{data}</script>')


def prefix_ids(svg: str, prefix: str) -> str:
    """``svg`` with every ``id`` and every reference to one (``#id``, ``url(#id)``, ARIA
    id lists) prefixed by ``prefix`` and a hyphen.

    Examples:
        >>> print(prefix_ids('<svg id="a" aria-labelledby="a-t"><title id="a-t">T</title>'
        ...                  '<style>#a .e{marker-end:url(#a-m)}</style><marker id="a-m"/></svg>', "r1"))
        <svg id="r1-a" aria-labelledby="r1-a-t"><title id="r1-a-t">T</title><style>#r1-a
        .e{marker-end:url(#r1-a-m)}</style><marker id="r1-a-m"/></svg>
    """
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    svg = re.sub(rf'\bid="({names})"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(rf"#({names})(?![\w-])", rf"#{prefix}-\1", svg)

    def labels(m: re.Match) -> str:
        refs = " ".join(f"{prefix}-{r}" if r in ids else r for r in m.group(2).split())
        return f'{m.group(1)}="{refs}"'

    return re.sub(r'\b(aria-labelledby|aria-describedby)="([^"]*)"', labels, svg)


def split_figures(text: str, prefix: str) -> list[list[str]]:
    """``text`` cut into ``["text", ...]`` and ``["svg", ...]`` parts, each SVG with its ids
    prefixed by ``prefix`` and the figure's number (``r1-0-…``, ``r1-1-…``).

    Examples:
        >>> split_figures('a\\n<svg id="g"></svg>\\nb', "r1")
        [['text', 'a\\n'], ['svg', '<svg id="r1-0-g"></svg>'], ['text', '\\nb']]
    """
    parts: list[list[str]] = []
    end = 0
    for k, m in enumerate(_SVG.finditer(text)):
        if m.start() > end:
            parts.append(["text", text[end:m.start()]])
        parts.append(["svg", prefix_ids(m.group(), f"{prefix}-{k}")])
        end = m.end()
    if end < len(text):
        parts.append(["text", text[end:]])
    return parts


def _traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` from the reader's first frame on (the runner's are dropped)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        tb = None  # a syntax error has no frame of the reader's: its line says where
    return "".join(traceback.format_exception(type(exc), exc, tb))


def run(code: str, prefix: str) -> dict:
    """Run ``code`` as a page's block; what it printed, its figures and its error, if any.

    Returns ``{"stdout": str, "parts": split_figures(stdout, prefix), "error": str}``;
    ``error`` is "" when the code finished.
    """
    out = io.StringIO()
    error = ""
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    # a line cache entry, so the traceback can show the reader's line
    linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            exec(compile(code, FILENAME, "exec"), namespace)  # noqa: S102 - the reader's own code
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
            error = _traceback(exc)
    stdout = out.getvalue()
    return {"stdout": stdout, "parts": split_figures(stdout, prefix), "error": error}


def try_form(kind: str, fields: dict[str, str], lang: str, prefix: str) -> dict:
    """What a "try your own" form shows for ``fields``: ``{"html": ...}`` or ``{"error": ...}``.

    Calls the function :data:`TRY` names for ``kind`` (imported on first use), which answers
    in ``lang`` and starts every id of its figures with ``prefix``. The worker
    (``docs/assets/run-worker.mjs``) calls this for every submitted form.

    The imports are written out, not made from :data:`TRY`'s strings (``importlib``): the
    build's cache of block outputs reads what a module imports from its source, and counts a
    module that imports by a computed name as importing the whole package. No page imports
    this module (a form's markup is :func:`lessons.markdown.try_form_html`), so Lesson 1's
    engine and Lesson 3's cost model stay out of each other's pages either way.

    Examples:
        >>> try_form("graph", {"expression": "x.y", "values": "x=1"}, "en", "t1")
        {'error': "attribute access (like x.__class__) is not allowed: 'x.y'"}
        >>> try_form("nope", {}, "en", "t1")
        Traceback (most recent call last):
        ...
        ValueError: kind must be one of ['graph', 'stack'], got 'nope'
    """
    if kind not in TRY:
        raise ValueError(f"kind must be one of {sorted(TRY)}, got {kind!r}")
    if kind == "graph":
        from lessons.expression import try_graph as answer
    else:
        from lessons.conv_cost import try_stack as answer
    return answer(fields, lang, prefix)
