"""Shared fixtures: the whole site is built once per test session and shared by every site test.

The build runs in a subprocess: markdown-exec keeps its session state inside the process
for as long as it lives, so an in-process build could reuse stale state and hide a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["browser_fixtures"]  # site_server, browser, new_context: see that module

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("uk", "en")
# the path part of site_url ("/nn-fundamentals/"): the site is served under it
SITE_PATH = "/" + re.search(r"^site_url:\s*\S+?://[^/]+/(\S*)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(1)


def require(available: bool, what: str, hint: str) -> None:
    """Skip a test whose tool is missing, but fail it in CI (``CI`` set), which must run it.

    A skip where CI has what the test needs would hide a failure; locally, a missing
    optional tool (node, a dictionary) should not turn the suite red.
    """
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {what} is missing ({hint})", pytrace=False)
    pytest.skip(f"{what} is missing: {hint}")


def _build_command(config: Path, dest: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)]


def build_site(config: Path, dest: Path, *, cwd: Path = ROOT,
               hash_seed: str = "0") -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in a fresh interpreter and return the finished process.

    Never with ``-q``: it raises the log level above WARNING, so mkdocs no longer counts
    the warnings and a strict build with a broken block or link passes
    (tests/test_faults.py proves the build fails without it).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": hash_seed}
    return subprocess.run(_build_command(config, dest), cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


# ---- builds in the background --------------------------------------------------------------
# A build is a subprocess that waits on one core while the tests run on the other. Test
# modules that need builds of their own (fault injection, the reproducibility build) name
# them in a module-level ``background_builds(tmp: Path) -> dict[name, BuildJob]``; the jobs
# start as soon as the module is collected, two at a time, the session's site first, and a
# test fetches its result with ``background_result(name)``. Only collected modules start
# builds, so ``pytest tests/test_autograd.py`` builds nothing.

@dataclass(frozen=True)
class BuildJob:
    config: Path
    dest: Path
    cwd: Path = ROOT
    hash_seed: str = "0"


_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="build")
_JOBS: dict[str, Future] = {}


def _submit(name: str, job: BuildJob) -> None:
    if name in _JOBS:
        raise ValueError(f"two background builds are named {name!r}")
    _JOBS[name] = _POOL.submit(build_site, job.config, job.dest, cwd=job.cwd, hash_seed=job.hash_seed)


def background_result(name: str) -> subprocess.CompletedProcess:
    """Wait for the background build ``name`` and return its finished process."""
    if name not in _JOBS:
        raise KeyError(f"no background build named {name!r}; declare it in background_builds()")
    return _JOBS[name].result()


def pytest_collection_modifyitems(session, config, items):
    base = Path(tempfile.mkdtemp(prefix="lessons-builds-"))
    config.add_cleanup(lambda: shutil.rmtree(base, ignore_errors=True))
    config.add_cleanup(lambda: _POOL.shutdown(wait=True, cancel_futures=True))
    if any("site" in item.fixturenames for item in items):
        _submit("site", BuildJob(ROOT / "mkdocs.yml", base / "site"))
    modules = {m for item in items if (m := getattr(item, "module", None)) is not None}
    for module in sorted(modules, key=lambda m: m.__name__):
        declare = getattr(module, "background_builds", None)
        if declare is not None:
            folder = base / module.__name__
            folder.mkdir()
            for name, job in declare(folder).items():
                _submit(name, job)


@pytest.fixture(scope="session")
def site() -> Path:
    """The strictly built site (both languages), built once per test session."""
    if "site" not in _JOBS:  # a test asked for it in a way collection did not see
        _submit("site", BuildJob(ROOT / "mkdocs.yml", Path(tempfile.mkdtemp(prefix="site-"))))
    result = background_result("site")
    if result.returncode != 0:
        pytest.fail(f"strict build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return Path(result.args[-1])


def page_path(site: Path, lang: str, page: str) -> Path:
    """Where the built HTML of ``page`` (e.g. "backprop", "" for home) in ``lang`` lands."""
    prefix = site if lang == "uk" else site / lang
    return (prefix / page / "index.html") if page else prefix / "index.html"
