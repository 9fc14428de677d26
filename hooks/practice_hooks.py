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
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

_WRITE = "import sys; from lessons.practice.render import write_variants; write_variants(sys.argv[1])"
_running: dict[str, tuple[subprocess.Popen, Path]] = {}  # site_dir -> the writer and its folder


def _outer(config) -> bool:
    # mkdocs-static-i18n runs a build per further language inside this one, with its
    # `building` flag set: write once, for the outer build, into the site root
    i18n = config["plugins"].get("i18n")
    return not getattr(i18n, "building", False)


def on_files(files, config, **kwargs):
    if _outer(config) and config["site_dir"] not in _running:
        folder = Path(tempfile.mkdtemp(prefix="lessons-practice-"))
        child = subprocess.Popen([sys.executable, "-c", _WRITE, str(folder)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _running[config["site_dir"]] = (child, folder)
    return files


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config, **kwargs):
    if not _outer(config):
        return
    child, folder = _running.pop(config["site_dir"])
    try:
        _, stderr = child.communicate(timeout=300)
        if child.returncode != 0:
            raise PluginError(f"writing the exercise variants failed:\n{stderr}")
        target = Path(config["site_dir"]) / "practice"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder / "practice", target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def on_build_error(error, **kwargs):
    # a failed build never reaches on_post_build: stop the writer and drop its folder
    for child, folder in _running.values():
        child.kill()
        child.wait()
        shutil.rmtree(folder, ignore_errors=True)
    _running.clear()
