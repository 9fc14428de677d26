"""MkDocs hooks: `lessons` re-imported when it changed, exec outputs cached, formulas as MathML.

Re-import: `mkdocs serve` keeps one process for the whole session, and Python caches an
imported module, so an edit under lessons/ would not show. Dropping `lessons` from
``sys.modules`` on every rebuild (as this hook used to) made every page edit pay for
importing it again and for recomputing every experiment its ``functools.cache`` holds. Now
it is dropped only when ``exec_cache.source_fingerprint`` (a hash of every file under
lessons/ and the few outside files it reads) differs from the one it was imported under,
or when the loaded package is not the one this hook saw imported (something else put it
there: a test, another tool; then nothing is known of it and it goes). And only in part:
``exec_cache.stale_modules`` names the modules whose source changed and those that import
them; the rest, and the experiments their caches hold, stay (all go when a data file
changed). Content rather
than modification times: the hash costs about 2 ms and no clock or checkout can fool it.

Exec outputs: ``exec_cache`` (its docstring says what is keyed and why) is installed in
``on_config`` and given a fresh start per language build in ``on_pre_build``. Highlighted
code: ``highlight_cache`` (the same), installed in ``on_config``, into the same folder.

Formulas: pymdownx.arithmatex (generic mode) finds the TeX, and we convert it here with
latex2mathml, so a page needs no math script, no web font and no network: browsers render
MathML Core natively. A formula latex2mathml cannot convert fails the build.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import logging
import os
import re
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import FileSystemBytecodeCache
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError



def _helper(file: str):
    """A module of the hooks folder (``exec_cache.py``), loaded once per process under one
    name (tests load this hook file by path, without the hooks folder on sys.path, so no
    plain ``import``)."""
    name = f"lessons_{Path(file).stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


exec_cache = _helper("exec_cache.py")
highlight_cache = _helper("highlight_cache.py")
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


def _forget_lessons(stale: set[str] | None = None) -> None:
    """Drop the modules ``stale`` (all of `lessons` when None) from ``sys.modules``."""
    for name in [m for m in sys.modules if m == "lessons" or m.startswith("lessons.")]:
        if stale is None or name in stale:
            del sys.modules[name]


# `mkdocs serve --dirty`: what mkdocs and the plugins allow, measured (benchmarks/growth.py,
# CONTRIBUTING.md):
# * mkdocs renders only the pages whose Markdown is newer than their HTML; mkdocs-static-i18n
#   passes the flag to its further languages' builds (it looks for --dirty in sys.argv);
#   Material's search plugin keeps the previous index and replaces the rebuilt page's
#   entries, and hooks/search_hooks.py keeps every page's entries between builds, so the
#   search index stays whole;
# * a page's exec blocks depend on lessons/, which mkdocs knows nothing of: an edit there
#   would rebuild no page. So before a dirty rebuild the HTML of every page that showed an
#   edited module (exec_cache records it, for exec blocks and mkdocstrings directives) is
#   made older than its Markdown, and mkdocs renders it again;
# * mkdocs logs a warning for every dirty build ("A 'dirty' build is being performed..."),
#   and `strict: true` in mkdocs.yml turns it into an aborted build: that one message is
#   dropped in `serve --dirty` (every other warning still aborts). What it warns of is true
#   and stays so: a page's title or headings changed in a dirty rebuild show in the other
#   pages' navigation only after a full rebuild (restart the server).
_DIRTY_WARNING = "A 'dirty' build is being performed"
_serve = {"dirty": False}


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_WARNING)


class _TemplateBytecode(FileSystemBytecodeCache):
    """Compiled Jinja templates, kept on disk between languages, builds and serve rebuilds.

    Jinja compiles a template (to Python source, then bytecode) the first time an
    environment loads it. mkdocs makes a new theme environment for every build,
    mkdocs-static-i18n one per language, and mkdocstrings new handlers with them, so the 72
    templates the site loads (Material's and mkdocstrings-python's) were compiled once per
    language in every build and every rebuild: 144 compilations, about 1.8 s of a strict
    build here (``benchmarks/build.py``). With this cache the English pass and every later
    build load the compiled code instead.

    It cannot go stale: an entry is keyed by the template's file and holds the sha1 of the
    source it was compiled from, and Jinja checks that checksum, and a header naming its
    bytecode format and the Python version, before it uses an entry; on any mismatch it
    compiles afresh (an edited override is never served stale). Compiled code also depends
    on the environment's options (autoescape, for one), so each kind of environment has its
    own folder (``theme``, ``mkdocstrings``), under the Jinja version. An entry that does not
    load (a truncated or corrupt file) is compiled afresh, never trusted; Jinja writes
    entries atomically, so two builds at once (the tests) never read half an entry.

    Where: ``jinja/`` in the exec cache folder (``exec_cache.cache_dir``), so clearing that
    folder clears both and ``LESSONS_EXEC_CACHE=off`` turns both off.
    """

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - e.g. a bad pickle header: compile afresh
            bucket.reset()


_templates: dict[Path, _TemplateBytecode] = {}


def _template_cache(config, kind: str) -> _TemplateBytecode | None:
    """The compiled-template cache for environments of ``kind``, None when caching is off."""
    root = exec_cache.cache_dir(Path(config.config_file_path).parent)
    if root is None:
        return None
    folder = (root / "jinja" / f"{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
              / kind)
    if folder not in _templates:
        folder.mkdir(parents=True, exist_ok=True)
        _templates[folder] = _TemplateBytecode(str(folder))
    return _templates[folder]


def _cache_handler_templates(config) -> None:
    """Give each mkdocstrings handler's environment the compiled-template cache once made.

    Runs after mkdocstrings' on_config (hooks come after the plugins), which made the
    handler collection; a handler, and its environment, is made when first asked for.
    """
    handlers = getattr(config.plugins.get("mkdocstrings"), "_handlers", None)
    cache = _template_cache(config, "mkdocstrings")
    if handlers is None or cache is None:
        return
    get_handler = handlers.get_handler

    def get_handler_with_cache(name, handler_config=None):
        handler = get_handler(name, handler_config)
        env = getattr(handler, "env", None)
        if env is not None and env.bytecode_cache is None:
            env.bytecode_cache = cache
        return handler

    handlers.get_handler = get_handler_with_cache


# `mkdocs serve` polls the watched folders for changes every 0.5 s, so an edit waited 0.25 s
# on average (0.5 s at worst) before its rebuild started: a sixth of a page edit's time here.
# Polling every 0.1 s stats the few hundred watched files ten times a second (well under a
# millisecond of CPU each time). mkdocs takes the interval as a constructor argument but
# `serve` never passes one, so the default is changed for this process, under serve only.
_POLL_S = 0.1


def _poll_faster() -> None:
    import inspect

    from mkdocs import livereload

    init = livereload.LiveReloadServer.__init__
    names = list(inspect.signature(init).parameters)
    if getattr(init, "lessons_poll", False) or "polling_interval" not in names:
        return  # done already, or a mkdocs this was not written for: leave it as it is
    position = names.index("polling_interval") - 1  # among the arguments after self

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        if len(args) <= position:  # not given by position: give it by name, unless given so
            kwargs.setdefault("polling_interval", _POLL_S)
        init(self, *args, **kwargs)

    __init__.lessons_poll = True
    livereload.LiveReloadServer.__init__ = __init__


def on_startup(command, dirty, **kwargs):
    _serve["dirty"] = command == "serve" and dirty
    if command == "serve":
        _poll_faster()
    if _serve["dirty"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())


def _stale_pages(previous, index) -> list[str]:
    """Output files of the pages that showed a module changed since ``previous``."""
    if previous is None:
        return []
    if previous.data != index.data:  # a data file: every page that shows any module
        changed = set(previous.hashes) | set(index.hashes)
    else:
        changed = {m for m in set(previous.hashes) | set(index.hashes)
                   if previous.hashes.get(m) != index.hashes.get(m)}
    return exec_cache.pages_depending_on(changed) if changed else []


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's template loader, listing no file under a folder whose name starts with a dot.

    Every build, and every language of it, mkdocs lists all the theme's templates to find
    its static files (``Files.add_files_from_theme``), then drops each path with a part that
    starts with a dot (its patterns ``.*`` and ``*/.*``). Material keeps its 14,000 icons in
    ``.icons/``: walking and matching them took 0.15 s a language here, a fifth of a serve
    rebuild's fixed cost. This listing leaves out exactly what mkdocs drops; loading a
    template by name (an icon included) is Jinja's own, unchanged.
    """

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:
                    if filename.startswith("."):
                        continue
                    template = (os.path.join(dirpath, filename)[len(searchpath):]
                                .strip(os.sep).replace(os.sep, "/"))
                    found.add(template[2:] if template[:2] == "./" else template)
        return sorted(found)


def _prune_theme_listing(config) -> None:
    theme = config.theme
    get_env = theme.get_env
    if getattr(get_env, "lessons_pruned", False):
        return

    def get_env_pruned():
        env = get_env()
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:  # as mkdocs makes it; anything else stays
            env.loader = _ThemeLoader(loader.searchpath, encoding=loader.encoding,
                                      followlinks=loader.followlinks)
        return env

    get_env_pruned.lessons_pruned = True
    theme.get_env = get_env_pruned


def on_config(config, **kwargs):
    exec_cache.install()
    _prune_theme_listing(config)
    if highlight_cache.install():
        folder = exec_cache.cache_dir(Path(config.config_file_path).parent)
        highlight_cache.start(None if folder is None else exec_cache.Store(
            folder / "highlight", highlight_cache.FORMAT, "html"))
    _cache_handler_templates(config)
    return config


def on_pre_build(config, **kwargs):
    if _i18n_building(config):
        # the next language of the same build: keep `lessons` and its caches, or every
        # language recomputes every experiment
        _start_cache(config)
        return
    index, previous = exec_cache.SourceIndex(), _loaded["index"]
    if _serve["dirty"]:
        for dest in _stale_pages(previous, index):
            if os.path.exists(dest):
                os.utime(dest, (0, 0))  # older than its Markdown: mkdocs renders it again
    _loaded["index"] = index
    fingerprint = index.fingerprint
    loaded = sys.modules.get("lessons")
    if loaded is not None and loaded is not _loaded["module"]:
        _forget_lessons()  # not the package this hook saw imported: nothing is known of it
        _loaded["module"] = None
    elif loaded is not None and fingerprint != _loaded["fingerprint"]:
        # only what changed and what imports it: the modules kept keep their caches (a
        # lessons/ edit re-ran every experiment of every page whose blocks ran again, about
        # 3 s of the 7 s rebuild here)
        stale = exec_cache.stale_modules(previous, index)
        _forget_lessons(stale)
        if stale is None or "lessons" in stale:
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
    log.info(highlight_cache.stats_line())


def on_env(env, config, **kwargs):
    if env.bytecode_cache is None:
        env.bytecode_cache = _template_cache(config, "theme")
    return env


def on_page_markdown(markdown, page, **kwargs):
    exec_cache.start_page(page.file.abs_dest_path, markdown)
    return markdown


@functools.lru_cache(maxsize=4096)
def _converted(source: str, display: str) -> str:
    # the twins show the same formulas, and a serve rebuild the same again: 930 conversions,
    # 0.28 s of a build of the 10-lesson course, were done twice or more
    return convert(source, display=display)


def _mathml(tex: str, display: str, page) -> str:
    source = html.unescape(tex).strip()
    try:
        mathml = _converted(source, display)
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
