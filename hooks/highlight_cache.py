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

Entries: in memory for the process (the second language, serve rebuilds), and one JSON file
per key under ``highlight/`` in the exec cache folder (``exec_cache.cache_dir``, so
``LESSONS_EXEC_CACHE=off`` turns this off too and ``rm -rf .cache/exec`` clears it), each with
its key, ``FORMAT`` and the HTML's sha256; an entry that does not check out is ignored and
written again, never trusted. Writes are atomic (a temporary file, then ``os.replace``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.highlight_cache")

FORMAT = "lessons-highlight-cache-1"
_MEMORY_LIMIT = 4096  # entries kept in memory (a long serve session keeps the latest)


class _State:
    def __init__(self):
        self.original = None                 # pymdownx's Highlight.highlight
        self.signature: inspect.Signature | None = None
        self.folder: Path | None = None      # None: nothing is cached (off, or not started)
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


def start(folder: Path | None) -> None:
    """Cache into ``folder`` (None: off) from now on."""
    STATE.folder = folder


def stats_line() -> str:
    s, STATE.stats = STATE.stats, {"hit": 0, "miss": 0}
    return f"highlight cache: {s['hit']} hits, {s['miss']} highlighted"


def _key(highlighter, arguments: dict) -> str:
    settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
    payload = json.dumps([FORMAT, STATE.versions, settings, arguments], sort_keys=True,
                         ensure_ascii=False, default=repr)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return STATE.folder / "highlight" / key[:2] / f"{key}.json"


def _read(key: str) -> str | None:
    try:
        data = json.loads(_path(key).read_text("utf-8"))
        html = data["html"]
        valid = (data.get("format") == FORMAT and data.get("key") == key and isinstance(html, str)
                 and data.get("sha256") == hashlib.sha256(html.encode("utf-8")).hexdigest())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return html if valid else None


def _write(key: str, html: str) -> None:
    path = _path(key)
    data = {"format": FORMAT, "key": key, "html": html,
            "sha256": hashlib.sha256(html.encode("utf-8")).hexdigest()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only or full disk costs speed, never the build
        log.info("highlight cache: cannot write %s: %s", path, exc)


def _html_titles(highlighter) -> bool:
    """Whether a block's title may be HTML (pymdownx stores it in the page's stash then)."""
    if getattr(highlighter, "title_mode", "text") == "html":
        return True
    titles = getattr(highlighter, "auto_title_map", None) or {}
    return bool(getattr(highlighter, "auto_title", False)) and any(
        isinstance(v, dict) for v in titles.values())


def _cached(self, *args, **kwargs):
    original = STATE.original
    if STATE.folder is None or _html_titles(self):
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
        html = _read(key)
        if html is None:
            html = original(self, *args, **kwargs)
            if not isinstance(html, str):  # not what a block gives: never stored
                return html
            _write(key, html)
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
