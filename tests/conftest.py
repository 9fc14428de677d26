"""Shared fixtures: the whole site is built once per test session and shared by every site test.

The build runs in a subprocess: markdown-exec keeps its session state inside the process
for as long as it lives, so an in-process build could reuse stale state and hide a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
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


def exec_cache_dir() -> Path | None:
    """The exec-block cache every build of this test run shares (hooks/exec_cache.py).

    Fresh for each run, so the run's first build of the site is always cold (it runs every
    block and fills the cache) and never trusts what a developer's own builds left in
    ``.cache/exec``; the later builds (the reproducibility build, fault builds) reuse it.
    """
    shared = os.environ.get(_SHARED)
    return Path(shared) / "exec-cache" if shared else None


def build_site(config: Path, dest: Path, *, cwd: Path = ROOT,
               hash_seed: str = "0") -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in a fresh interpreter and return the finished process.

    Never with ``-q``: it raises the log level above WARNING, so mkdocs no longer counts
    the warnings and a strict build with a broken block or link passes
    (tests/test_faults.py proves the build fails without it).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": hash_seed}
    cache = exec_cache_dir()
    if cache is not None and "LESSONS_EXEC_CACHE" not in os.environ:
        env["LESSONS_EXEC_CACHE"] = str(cache)
    return subprocess.run(_build_command(config, dest), cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def run_without_numpy(code: str) -> str:
    """Run ``code`` in a fresh interpreter where ``import numpy`` fails; return what it printed.

    Lesson 1's modules must stay numpy-free (the in-browser runner has no numpy): a test
    imports them this way. The run must succeed.
    """
    prelude = "import sys\nsys.modules['numpy'] = None  # any `import numpy` now raises ImportError\n"
    result = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# ---- builds in the background --------------------------------------------------------------
# A build is a subprocess that waits on one core while the tests run on the other. Test
# modules that need builds of their own (fault injection, the reproducibility build) name
# them in a module-level ``background_builds(tmp: Path) -> dict[name, BuildJob]``; the jobs
# start as soon as the module is collected, two at a time, the session's site first, and a
# test fetches its result with ``background_result(name)``. Only collected modules start
# builds, so ``pytest tests/test_autograd.py`` builds nothing.
#
# The suite runs in two processes (pytest-xdist, ``-n auto`` in pyproject.toml), and every
# process collects every module. A build is still done once: the first process to claim
# its name (a lock file made with O_EXCL in a folder the whole run shares) builds it and
# writes the finished process's result beside the lock; the other process waits for that
# file. The folder is made by the first process to configure (the controller under xdist)
# and removed by it at the end.

@dataclass(frozen=True)
class BuildJob:
    config: Path
    dest: Path
    cwd: Path = ROOT
    hash_seed: str = "0"
    after: str | None = None  # a build this one waits for (e.g. to find the cache it filled)


_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="build")
_JOBS: dict[str, Future] = {}
_SHARED = "LESSONS_TEST_BUILDS"  # environment variable naming the run's shared folder
WAIT = 600  # seconds a process waits for a build another one claimed


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _claimed_build(name: str, job: BuildJob) -> subprocess.CompletedProcess:
    """Build ``job`` if this process claims ``name`` first, else wait for the one that did."""
    shared = Path(os.environ[_SHARED])
    done = shared / f"{_slug(name)}.json"
    try:
        os.close(os.open(shared / f"{_slug(name)}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        deadline = time.monotonic() + WAIT
        while not done.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"build {name!r}, claimed by another test process, never finished")
            time.sleep(0.2)
        data = json.loads(done.read_text("utf-8"))
        return subprocess.CompletedProcess(data["args"], data["returncode"], data["stdout"], data["stderr"])
    try:
        if job.after is not None:
            background_result(job.after)
        result = build_site(job.config, job.dest, cwd=job.cwd, hash_seed=job.hash_seed)
    except Exception as exc:  # the waiting process must learn of it too, not time out
        result = subprocess.CompletedProcess(_build_command(job.config, job.dest), -1, "", repr(exc))
    partial = done.with_suffix(".part")
    partial.write_text(json.dumps({"args": [str(a) for a in result.args], "returncode": result.returncode,
                                   "stdout": result.stdout, "stderr": result.stderr}), "utf-8")
    partial.replace(done)  # atomic: the waiting process never reads half a file
    return result


def _submit(name: str, job: BuildJob) -> None:
    if name in _JOBS:
        raise ValueError(f"two background builds are named {name!r}")
    _JOBS[name] = _POOL.submit(_claimed_build, name, job)


def background_result(name: str) -> subprocess.CompletedProcess:
    """Wait for the background build ``name`` and return its finished process."""
    if name not in _JOBS:
        raise KeyError(f"no background build named {name!r}; declare it in background_builds()")
    return _JOBS[name].result()


def pytest_configure(config):
    if not os.environ.get(_SHARED):  # the first process of the run (xdist's workers inherit it)
        shared = Path(tempfile.mkdtemp(prefix="lessons-builds-"))
        os.environ[_SHARED] = str(shared)
        config.add_cleanup(lambda: shutil.rmtree(shared, ignore_errors=True))
        config.add_cleanup(lambda: os.environ.pop(_SHARED, None))


def _needs_site(item) -> bool:
    return "site" in item.fixturenames or "site_server" in item.fixturenames


def pytest_collection_modifyitems(session, config, items):
    # tests that need the built site run last, so the rest run while it builds (a stable
    # sort: every process must collect the same order)
    items.sort(key=_needs_site)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = Path(os.environ[_SHARED]) / worker  # each process's own copies to build from
    base.mkdir(exist_ok=True)
    config.add_cleanup(lambda: _POOL.shutdown(wait=True, cancel_futures=True))
    if any(_needs_site(item) for item in items):
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
        _submit("site", BuildJob(ROOT / "mkdocs.yml", Path(tempfile.mkdtemp(prefix="site-")) / "site"))
    result = background_result("site")
    if result.returncode != 0:
        pytest.fail(f"strict build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return Path(result.args[-1])


def page_path(site: Path, lang: str, page: str) -> Path:
    """Where the built HTML of ``page`` (e.g. "backprop", "" for home) in ``lang`` lands."""
    prefix = site if lang == "uk" else site / lang
    return (prefix / page / "index.html") if page else prefix / "index.html"
