"""MkDocs hook: the exercise variants that "next" loads, written beside the built site.

Variant 0 of each exercise is in its page (an exec block); every variant, in every language,
is also written to ``practice/<lang>/<id>.json`` at the site root by
:func:`lessons.practice.render.write_variants`, from the same renderer, so the browser
only swaps in HTML computed at build time.

Writing every variant costs about 1.2 s of CPU (each graph is drawn twice, in two
languages), more than the build may grow by. So the files are written by a second Python
process, started as soon as the site folder has been cleaned (``on_files``), which runs on
the other core while this one renders the pages; ``on_post_build`` waits for it and moves
its folder into the site. A failure there fails the build, with the child's traceback.
The child imports ``lessons`` afresh, so ``mkdocs serve`` never writes stale variants.

``mkdocs serve``: the variants depend on nothing but ``lessons`` (its source and the data
files it reads), yet waiting for the child was the largest part of a page edit's rebuild
(about 1.5 s of its 3.3 s here). So under serve the folder the child wrote is kept for the
session, with the source fingerprint it was written from (``exec_cache``, taken by
hooks/lessons_hooks.py in ``on_pre_build``), and a rebuild whose fingerprint is the same
copies it instead of starting the child. An edit under lessons/ changes the fingerprint and
the child runs again; a build with no fingerprint (the lessons hook absent) always runs it.
A plain ``mkdocs build`` never reuses anything.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

_WRITE = (
    "import sys; from lessons.practice.catalog import kinds; "
    "from lessons.practice.render import write_variants; write_variants(sys.argv[1], kinds().values())")
# site_dir -> the writer, its folder and the source fingerprint it writes from; (None, the
# kept folder, its fingerprint) when a serve rebuild reuses the kept folder
_running: dict[str, tuple[subprocess.Popen | None, Path, str | None]] = {}
_serve = {"on": False}
_kept: dict = {"fingerprint": None, "folder": None}  # serve: the last folder written, and from what


def on_startup(command, **kwargs):
    _serve["on"] = command == "serve"


def on_shutdown(**kwargs):
    if _kept["folder"] is not None:
        shutil.rmtree(_kept["folder"], ignore_errors=True)
    _kept.update(fingerprint=None, folder=None)


def _fingerprint() -> str | None:
    """The `lessons` source fingerprint of this build, if the lessons hook has taken one."""
    cache = sys.modules.get("lessons_exec_cache")
    index = getattr(getattr(cache, "STATE", None), "index", None)
    return getattr(index, "fingerprint", None)


def _outer(config) -> bool:
    # mkdocs-static-i18n runs a build per further language inside this one, with its
    # `building` flag set: write once, for the outer build, into the site root
    i18n = config["plugins"].get("i18n")
    return not getattr(i18n, "building", False)


def on_files(files, config, **kwargs):
    if _outer(config) and config["site_dir"] not in _running:
        fingerprint = _fingerprint() if _serve["on"] else None
        if fingerprint is not None and fingerprint == _kept["fingerprint"]:
            _running[config["site_dir"]] = (None, _kept["folder"], fingerprint)
            return files
        folder = Path(tempfile.mkdtemp(prefix="lessons-practice-"))
        child = subprocess.Popen([sys.executable, "-c", _WRITE, str(folder)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _running[config["site_dir"]] = (child, folder, fingerprint)
    return files


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config, **kwargs):
    if not _outer(config):
        return
    child, folder, fingerprint = _running.pop(config["site_dir"])
    target = Path(config["site_dir"]) / "practice"
    if child is None:  # serve, `lessons` unchanged: the kept variants
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder / "practice", target)
        return
    keep = False
    try:
        _, stderr = child.communicate(timeout=300)
        if child.returncode != 0:
            raise PluginError(f"writing the exercise variants failed:\n{stderr}")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder / "practice", target)
        keep = fingerprint is not None
    finally:
        if keep:
            on_shutdown()  # drop the folder kept before, if any
            _kept.update(fingerprint=fingerprint, folder=folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def on_build_error(error, **kwargs):
    # a failed build never reaches on_post_build: stop the writer and drop its folder
    for child, folder, _ in _running.values():
        if child is None:
            continue  # the kept folder: still good for the next rebuild
        child.kill()
        child.wait()
        shutil.rmtree(folder, ignore_errors=True)
    _running.clear()
