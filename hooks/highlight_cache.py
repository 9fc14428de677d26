"""A cache of highlighted code blocks across languages and builds (used by hooks/lessons_hooks.py).

Why: every code block of a page (a listing, an exec block's source) goes through Pygments on
every build, in both languages: 580 blocks, 1.2 s of a warm strict build of the 10-lesson
course of ``benchmarks/growth.py`` and 0.4 s of today's three lessons, for HTML that is the
same as last time unless the code changed. The twins show the same code, so the second
language repeats most of the first's work too.

Why our own code: neither pymdownx nor Pygments keeps results. This module wraps the one
method through which pymdownx's fences and listings are highlighted,
``pymdownx.highlight.Highlight.highlight`` (code and options in, HTML out), as exec_cache
wraps markdown-exec's runner. If pymdownx's method moves or changes its signature, ``install``
says so in the log and nothing is cached: slower, never wrong.

The key (sha256) holds ``FORMAT``, the Pygments and pymdownx versions, every setting of the
highlighter (``vars(self)`` less the Markdown instance: the style, line numbers, anchors,
languages added in mkdocs.yml) and every argument of the call (the code, its language, line
numbers, highlighted lines, classes, id, title, the block's number on the page). What is
never cached: an inline code span (the method returns an element tree then, not text) and a
highlighter whose titles may be HTML (its ``title_mode``, or an automatic title given as a
dict: the method then puts the title into the page's HTML stash, a side effect a cached
answer would skip).

Entries: in memory for the process (the second language, serve rebuilds), and on disk in
the ``exec_cache.Store`` that hooks/lessons_hooks.py hands to ``start``: ``highlight/`` in the
exec cache folder, so ``LESSONS_EXEC_CACHE=off`` turns this off too and ``rm -rf .cache/exec``
clears it. The Store validates every entry it reads (format, key, the HTML's sha256).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import json
import logging

log = logging.getLogger("mkdocs.hooks.highlight_cache")

FORMAT = "lessons-highlight-cache-1"
_MEMORY_LIMIT = 4096  # entries kept in memory (a long serve session keeps the latest)


class _State:
    def __init__(self):
        self.original = None                 # pymdownx's Highlight.highlight
        self.signature: inspect.Signature | None = None
        self.store = None                    # an exec_cache.Store; None: off, or not started
        self.versions = ""
        self.memory: dict[str, str] = {}
        self.stats = {"hit": 0, "miss": 0}


STATE = _State()


def install() -> bool:
    """Wrap pymdownx's highlighter once per process. False if its method is not as expected."""
    if STATE.original is not None:
        return True
    try:
        from pymdownx.highlight import Highlight
    except ImportError:
        return False
    method = getattr(Highlight, "highlight", None)
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        signature = None
    expected = {"self", "src", "language", "inline"}
    if signature is None or not expected <= set(signature.parameters):
        log.info("highlight cache: off, this pymdownx's Highlight.highlight is not as expected")
        return False
    STATE.original, STATE.signature = method, signature
    STATE.versions = json.dumps([importlib.metadata.version(name) for name in ("pygments", "pymdown-extensions")])
    Highlight.highlight = _cached
    return True


def start(store) -> None:
    """Cache into ``store`` (an ``exec_cache.Store``; None: off) from now on."""
    STATE.store = store


def stats_line() -> str:
    s, STATE.stats = STATE.stats, {"hit": 0, "miss": 0}
    return f"highlight cache: {s['hit']} hits, {s['miss']} highlighted"


def _key(highlighter, arguments: dict) -> str:
    settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
    payload = json.dumps([FORMAT, STATE.versions, settings, arguments], sort_keys=True,
                         ensure_ascii=False, default=repr)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _html_titles(highlighter) -> bool:
    """Whether a block's title may be HTML (pymdownx stores it in the page's stash then)."""
    if getattr(highlighter, "title_mode", "text") == "html":
        return True
    titles = getattr(highlighter, "auto_title_map", None) or {}
    return bool(getattr(highlighter, "auto_title", False)) and any(
        isinstance(v, dict) for v in titles.values())


def _cached(self, *args, **kwargs):
    original = STATE.original
    if STATE.store is None or _html_titles(self):
        return original(self, *args, **kwargs)
    try:
        bound = STATE.signature.bind(self, *args, **kwargs)
    except TypeError:  # a call this was not written for: let pymdownx answer it
        return original(self, *args, **kwargs)
    bound.apply_defaults()
    arguments = {k: v for k, v in bound.arguments.items() if k != "self"}
    if arguments.get("inline"):
        return original(self, *args, **kwargs)
    key = _key(self, arguments)
    html = STATE.memory.get(key)
    if html is None:
        html = STATE.store.get(key)
        if html is None:
            html = original(self, *args, **kwargs)
            if not isinstance(html, str):  # not what a block gives: never stored
                return html
            STATE.store.put(key, html)
            STATE.stats["miss"] += 1
        else:
            STATE.stats["hit"] += 1
    else:
        STATE.stats["hit"] += 1
        del STATE.memory[key]  # the newest last
    STATE.memory[key] = html
    while len(STATE.memory) > _MEMORY_LIMIT:
        del STATE.memory[next(iter(STATE.memory))]
    return html
