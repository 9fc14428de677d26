"""MkDocs hook: the ``lessons`` wheel and each lesson's notebooks in the site, linked from the page.

What lands in the site (stable paths, DESIGN.md "Notebook"):

- ``downloads/lessons-<version>-py3-none-any.whl``: the package, with the benchmark results
  Lesson 3 shows as package data (pyproject.toml, ``force-include``), so it works outside
  the repository;
- ``downloads/<page>-<lang>.ipynb``: one notebook per lesson page and language, made by
  :func:`lessons.notebook.notebook` from the page's own exec blocks.

Each lesson page gets, right under its title, plain links: the notebook (in the page's
language), the source repository and "report a mistake" (``[project.urls]`` in
pyproject.toml; no badge images and no ``repo_url`` widget, both requests to another host).

Cost: building a wheel with hatchling takes about 0.4 s and importing nbformat (jsonschema)
another 0.3 s, more than the build may grow by. So, as hooks/practice_hooks.py does, both
run in a second Python process started as soon as the site folder is cleaned (``on_files``),
which works on the other core while this one renders the pages; ``on_post_build`` waits for it
and copies its folder into the site. That process runs this file as a script (below). It
reads the pages from ``docs/<lang>/<page>.md``, the same sources the build renders, and is
started afresh for every build, so ``mkdocs serve`` never ships a stale wheel or notebook.

Offline and reproducible: hatchling runs in-process in this environment (no isolated build
environment, so nothing is downloaded), with ``SOURCE_DATE_EPOCH`` fixed (1980-01-01, the
earliest a zip stores) unless the caller sets one, so every file in the wheel carries the
same date and two builds give byte-identical wheels; the notebooks' cell ids are derived
from the page (lessons/notebook.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.notebook")
EPOCH = "315532800"  # 1980-01-01T00:00:00Z


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


# ---- the child process: wheel and notebooks -------------------------------------------------

def build_downloads(out: Path, docs_dir: Path, site_url: str) -> None:
    """Write the wheel and every lesson's notebooks into ``out/downloads``."""
    from hatchling.builders.wheel import WheelBuilder

    sys.path.insert(0, str(ROOT))  # the package being shipped, not an installed copy
    import nbformat

    from lessons.i18n import LANGS
    from lessons.notebook import LESSONS, notebook, notebook_path

    downloads = out / "downloads"
    downloads.mkdir(parents=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(downloads),
                                                          versions=["standard"]))))
    version = wheel.name.split("-")[1]
    for lang in LANGS:
        for page in LESSONS:
            source = (docs_dir / lang / f"{page}.md").read_text("utf-8")
            nb = notebook(source, page=page, lang=lang, site_url=site_url, version=version)
            nbformat.validate(nb)
            (out / notebook_path(page, lang)).write_text(nbformat.writes(nb) + "\n", "utf-8")


# ---- the MkDocs hook ------------------------------------------------------------------------

_running: dict[str, tuple[subprocess.Popen, Path]] = {}  # site_dir -> the child and its folder
_urls: dict[str, str] = {}


def _outer(config) -> bool:
    # mkdocs-static-i18n builds every further language inside the outer build (its
    # `building` flag set then): make the downloads once, for the outer build
    i18n = config["plugins"].get("i18n")
    return not getattr(i18n, "building", False)


def on_config(config, **kwargs):
    _urls.update(_project().get("urls", {}))
    return config


def on_files(files, config, **kwargs):
    if _outer(config) and config["site_dir"] not in _running:
        folder = Path(tempfile.mkdtemp(prefix="lessons-downloads-"))
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", EPOCH)}
        child = subprocess.Popen(
            [sys.executable, __file__, str(folder), config["docs_dir"], config["site_url"]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        _running[config["site_dir"]] = (child, folder)
    return files


def _page_name(page) -> tuple[str, str] | None:
    """(page, lang) of a lesson page, or None for any other page."""
    from lessons.notebook import LESSONS

    parts = page.file.src_uri.removesuffix(".md").split("/")
    if len(parts) == 2 and parts[1] in LESSONS:
        return parts[1], parts[0]
    return None


def on_page_content(content, page, config, **kwargs):
    lesson = _page_name(page)
    if lesson is None or "</h1>" not in content:
        return content
    from mkdocs.utils import get_relative_url

    from lessons.notebook import links_html, notebook_path, page_url

    name, lang = lesson
    links = links_html(page=name, lang=lang, title=page.title or name,
                       page_link=page_url(config["site_url"], lang, name),
                       notebook_href=get_relative_url(notebook_path(name, lang), page.url),
                       source_url=_urls["Source"], issues_url=_urls["Issues"])
    head, rest = content.split("</h1>", 1)
    return f"{head}</h1>\n{links}{rest}"


def on_post_build(config, **kwargs):
    if not _outer(config):
        return
    from mkdocs.exceptions import PluginError

    child, folder = _running.pop(config["site_dir"])
    try:
        start = time.perf_counter()
        stdout, stderr = child.communicate(timeout=300)
        waited = time.perf_counter() - start
        if child.returncode != 0:
            raise PluginError(f"building the wheel and the notebooks failed:\n{stderr}")
        target = Path(config["site_dir"]) / "downloads"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder / "downloads", target)
        # what the downloads cost this build: the child's CPU (on the other core) and how
        # long this process waited for it after rendering every page
        log.info(f"downloads: the wheel and {len(list(target.glob('*.ipynb')))} notebooks, "
                 f"{stdout.strip()} s CPU in another process; waited {waited:.2f} s for it")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# run after hooks/practice_hooks.py's on_post_build and mkdocs-static-i18n's (-100)
on_post_build.mkdocs_priority = -200


def on_build_error(error, **kwargs):
    # a failed build never reaches on_post_build: stop the child and drop its folder
    for child, folder in _running.values():
        child.kill()
        child.wait()
        shutil.rmtree(folder, ignore_errors=True)
    _running.clear()


if __name__ == "__main__":
    _start = time.process_time()
    build_downloads(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
    print(f"{time.process_time() - _start:.2f}")  # CPU seconds, for the build's log
