"""MkDocs hook: the exercise variants that "next" loads, written beside the built site.

Variant 0 of each exercise is in its page (an exec block); every variant, in every language,
is also written to ``practice/<lang>/<id>.json`` at the site root by
:func:`lessons.practice.render.write_variants`, from the same renderer, so the browser
only swaps in HTML computed at build time.

Writing every variant costs about 2.5 s of CPU (each graph is drawn twice, in two
languages; the normalization kinds compute with numpy), more than the build may grow by.
So the files are written by a second Python process, started as soon as the site folder has
been cleaned (``on_files``), which runs on the other core while this one renders the pages;
``on_post_build`` waits for it and copies the files into the site. A failure there fails
the build, with the child's traceback. The child imports ``lessons`` afresh, so
``mkdocs serve`` never writes stale variants.

Kept between builds: the variants of one kind module (``lessons.practice.gate``, ``graph``,
…, the modules ``lessons.practice.catalog`` imports) depend on that module's source and
what it imports, read the same way as an exec block's (``exec_cache.SourceIndex.digest``,
with ``lessons.practice.render``), the package's data files and the Python and numpy
versions (``exec_cache.environment``). So each module's files are kept in
``practice/<key>/`` of the exec cache folder with a manifest of their sha256s, written last;
a build uses a module's entry only if its manifest names its key and every file checks out,
and the child writes only the modules with no such entry. A warm build starts no child at
all; an edit of ``lessons/pages/backprop.py`` in ``mkdocs serve`` writes the graph kinds
(which import it) again, and not the other three modules. Without the lessons hook's source
index, or with ``LESSONS_EXEC_CACHE=off``, the child writes everything, every build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.practice")

# the child: argv = [folder, module, ...]; each kind module's variants into folder/<module>/
# (no module named: every module of the catalog)
_WRITE = (
    "import importlib, pathlib, sys; from lessons.practice.render import write_variants\n"
    "names = sys.argv[2:] or [m.__name__ for m in importlib.import_module("
    "'lessons.practice.catalog').MODULES]\n"
    "for m in names:\n"
    "    write_variants(pathlib.Path(sys.argv[1]) / m, getattr(importlib.import_module(m), 'KINDS', ()))")
FORMAT = "lessons-practice-cache-1"
CATALOG = "lessons.practice.catalog"
# site_dir -> the writer (None when every module was kept), its folder, and the plan: for
# each kind module, its key and the folder its files come from (None: from the writer's)
_running: dict[str, tuple[subprocess.Popen | None, Path | None, dict]] = {}


def _exec_cache():
    # hooks/lessons_hooks.py (listed first in mkdocs.yml) loads hooks/exec_cache.py under
    # this name, and takes the build's source index in on_pre_build
    return sys.modules.get("lessons_exec_cache")


def _plan(config) -> dict[str, tuple[str | None, Path | None]] | None:
    """Each kind module with its key and its kept folder (None if not kept), or None when
    nothing can be kept (no source index, or the cache is off): then the child writes all."""
    cache = _exec_cache()
    index = getattr(getattr(cache, "STATE", None), "index", None)
    config_file = config.get("config_file_path")
    root = cache.cache_dir(Path(config_file).parent) if index is not None and config_file else None
    if root is None or CATALOG not in getattr(index, "imports", {}):
        return None
    modules = sorted(m for m in index.imports[CATALOG] if m.startswith("lessons.practice."))
    base = json.dumps([FORMAT, _WRITE, cache.environment()], sort_keys=True)
    plan = {}
    for module in modules:
        digest = index.digest([f"import {module}", "import lessons.practice.render"])
        key = hashlib.sha256((base + digest).encode("utf-8")).hexdigest()
        folder = root / "practice" / key
        plan[module] = (key, folder if _valid(folder, key) else None)
    return plan


def _manifest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.json")) if p.name != "manifest.json"}


def _valid(folder: Path, key: str) -> bool:
    """Whether ``folder`` holds a complete entry for ``key``: its manifest names the key, and
    every file it lists is there with its sha256 (and no other)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        files = manifest["files"]
        return (manifest.get("format") == FORMAT and manifest.get("key") == key
                and isinstance(files, dict) and bool(files) and _manifest(folder) == files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _store(written: Path, folder: Path, key: str) -> None:
    """Keep the files the child wrote for one module as the entry ``folder``, atomically:
    made whole in a temporary folder beside it (its manifest last), then renamed into place,
    so another build reading the cache at the same time (the tests run several) sees the old
    entry or the new one, never half of one. A valid entry is never replaced (nothing calls
    this for one); a corrupt one is moved aside first."""
    tmp = aside = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        shutil.copytree(written, tmp, dirs_exist_ok=True)
        data = {"format": FORMAT, "key": key, "files": _manifest(tmp)}
        (tmp / "manifest.json").write_text(json.dumps(data), "utf-8")
        if folder.exists():
            aside = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".old-"))
            os.replace(folder, aside / "entry")
        os.rename(tmp, folder)  # fails if another build stored it meanwhile: theirs is kept
        tmp = None
    except OSError:  # a read-only or full disk, or a race lost: speed, never the build
        pass
    finally:
        for leftover in (tmp, aside):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)


def _outer(config) -> bool:
    # mkdocs-static-i18n runs a build per further language inside this one, with its
    # `building` flag set: write once, for the outer build, into the site root
    i18n = config["plugins"].get("i18n")
    return not getattr(i18n, "building", False)


def on_files(files, config, **kwargs):
    if _outer(config) and config["site_dir"] not in _running:
        plan = _plan(config)
        missing = [] if plan is None else [m for m, (_, kept) in plan.items() if kept is None]
        child = folder = None
        if plan is None or missing:
            folder = Path(tempfile.mkdtemp(prefix="lessons-practice-"))
            child = subprocess.Popen([sys.executable, "-c", _WRITE, str(folder), *missing],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _running[config["site_dir"]] = (child, folder, plan)
    return files


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config, **kwargs):
    if not _outer(config):
        return
    child, folder, plan = _running.pop(config["site_dir"])
    target = Path(config["site_dir"]) / "practice"
    try:
        if child is not None:
            _, stderr = child.communicate(timeout=300)
            if child.returncode != 0:
                raise PluginError(f"writing the exercise variants failed:\n{stderr}")
        sources = []  # the folders whose practice/ go into the site
        if plan is None:
            sources = sorted(p for p in folder.iterdir() if p.is_dir())
        else:
            root = _exec_cache().cache_dir(Path(config["config_file_path"]).parent) / "practice"
            for module, (key, kept) in plan.items():
                if kept is None:  # written now: into the site from the child's own folder
                    kept = folder / module
                    if kept.is_dir():
                        _store(kept, root / key, key)
                sources.append(kept)
        if plan is not None:
            kept = sum(1 for _, k in plan.values() if k is not None)
            log.info(f"practice: the variants of {kept} kind modules kept, "
                     f"{len(plan) - kept} written ({', '.join(m for m, (_, k) in plan.items() if k is None) or 'none'})")
        shutil.rmtree(target, ignore_errors=True)
        for source in sources:
            if (source / "practice").is_dir():  # a kind module with no variants has none
                shutil.copytree(source / "practice", target, dirs_exist_ok=True)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def on_build_error(error, **kwargs):
    # a failed build never reaches on_post_build: stop the writer and drop its folder
    for child, folder, _ in _running.values():
        if child is not None:
            child.kill()
            child.wait()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    _running.clear()
