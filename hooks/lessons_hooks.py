"""MkDocs hooks: `lessons` re-imported when it changed, exec outputs cached, formulas as MathML.

Re-import: `mkdocs serve` keeps one process for the whole session, and Python caches an
imported module, so an edit under lessons/ would not show. Dropping `lessons` from
``sys.modules`` on every rebuild (as this hook used to) made every page edit pay for
importing it again and for recomputing every experiment its ``functools.cache`` holds. Now
it is dropped only when ``exec_cache.source_fingerprint`` (a hash of every file under
lessons/ and the few outside files it reads) differs from the one it was imported under,
or when the loaded package is not the one this hook saw imported (something else put it
there: a test, another tool; then nothing is known of it and it goes). Content rather
than modification times: the hash costs about 2 ms and no clock or checkout can fool it.

Exec outputs: ``exec_cache`` (its docstring says what is keyed and why) is installed in
``on_config`` and given a fresh start per language build in ``on_pre_build``.

Formulas: pymdownx.arithmatex (generic mode) finds the TeX, and we convert it here with
latex2mathml, so a page needs no math script, no web font and no network: browsers render
MathML Core natively. A formula latex2mathml cannot convert fails the build.
"""

from __future__ import annotations

import html
import importlib.util
import logging
import os
import re
import sys
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError



def _exec_cache():
    """hooks/exec_cache.py, loaded once per process under one name (tests load this hook
    file by path, without the hooks folder on sys.path, so no plain ``import``)."""
    name = "lessons_exec_cache"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("exec_cache.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


exec_cache = _exec_cache()
log = logging.getLogger("mkdocs.hooks.lessons")

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)
# latex2mathml writes every minus as an infix operator, so "(-1, -2)" renders as "( − 1, − 2)".
# A minus right after an opening, a separator or another operator is a sign: say so.
_UNKNOWN = re.compile(r">(\\[A-Za-z]+)<")
_SIGN = re.compile(
    r"((?:<mo[^>]*>(?!&#x00029;|&#x0005D;|&#x0007D;|&#x0007C;)[^<]*</mo>"  # not after ) ] } |
    r"|<mtext>&#x000A0;</mtext>|<mspace[^>]*/>|<mrow>|<math[^>]*>))<mo>&#x02212;</mo>"
)


# what the `lessons` in sys.modules was imported under: the source fingerprint at the time
# this hook last dropped or kept it, and the package object seen after a build (None until
# then). Module state survives rebuilds: mkdocs loads a hook file once per process.
_loaded = {"fingerprint": None, "module": None, "index": None}


def _i18n_building(config) -> bool:
    # mkdocs-static-i18n builds each further language by calling build() again inside the
    # same build (its `building` flag is set then)
    i18n = config["plugins"].get("i18n") if config is not None else None
    return bool(getattr(i18n, "building", False))


def _forget_lessons() -> None:
    for name in [m for m in sys.modules if m == "lessons" or m.startswith("lessons.")]:
        del sys.modules[name]


def on_config(config, **kwargs):
    exec_cache.install()
    return config


def on_pre_build(config, **kwargs):
    if _i18n_building(config):
        # the next language of the same build: keep `lessons` and its caches, or every
        # language recomputes every experiment
        _start_cache(config)
        return
    index = exec_cache.SourceIndex()
    _loaded["index"] = index
    fingerprint = index.fingerprint
    loaded = sys.modules.get("lessons")
    if loaded is not None and not (fingerprint == _loaded["fingerprint"] and loaded is _loaded["module"]):
        _forget_lessons()
        _loaded["module"] = None
    _loaded["fingerprint"] = fingerprint
    _start_cache(config)


def _start_cache(config) -> None:
    if config is None or not config.get("config_file_path") or _loaded["index"] is None:
        return
    exec_cache.start_build(os.path.dirname(config["config_file_path"]), _loaded["index"])


def on_post_build(config, **kwargs):
    if _loaded["module"] is None:
        # imported during this build, from the files the fingerprint was taken of (an edit
        # in between makes the watcher start another build, whose fingerprint differs)
        _loaded["module"] = sys.modules.get("lessons")
    log.info(exec_cache.stats_line())


def _mathml(tex: str, display: str, page) -> str:
    source = html.unescape(tex).strip()
    try:
        mathml = convert(source, display=display)
    except Exception as exc:  # latex2mathml raises many types; all are fatal here
        raise PluginError(f"{page.file.src_uri}: cannot convert formula {source!r}: "
                          f"{type(exc).__name__} {exc}") from exc
    unknown = _UNKNOWN.search(mathml)
    if unknown:  # latex2mathml passes commands it does not know through as text
        raise PluginError(f"{page.file.src_uri}: unknown TeX command {unknown.group(1)} "
                          f"in formula {source!r}")
    return _SIGN.sub(r'\1<mo form="prefix">&#x02212;</mo>', mathml)


def on_page_content(content, page, **kwargs):
    content = _BLOCK.sub(
        lambda m: '<div class="math-block">' + _mathml(m.group(1), "block", page) + "</div>",
        content,
    )
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline", page), content)
