"""Shared fixtures: the whole site is built once per test session and shared by every site test.

The build runs in a subprocess: markdown-exec keeps its session state inside the process
for as long as it lives, so an in-process build could reuse stale state and hide a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def build_site(config: Path, dest: Path, *, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in a fresh interpreter and return the finished process.

    Never with ``-q``: it raises the log level above WARNING, so mkdocs no longer counts
    the warnings and a strict build with a broken block or link passes
    (tests/test_faults.py proves the build fails without it).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
         "-d", str(dest)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The strictly built site (both languages), built once per test session."""
    dest = tmp_path_factory.mktemp("site")
    result = build_site(ROOT / "mkdocs.yml", dest)
    if result.returncode != 0:
        pytest.fail(f"strict build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return dest


def page_path(site: Path, lang: str, page: str) -> Path:
    """Where the built HTML of ``page`` (e.g. "backprop", "" for home) in ``lang`` lands."""
    prefix = site if lang == "uk" else site / lang
    return (prefix / page / "index.html") if page else prefix / "index.html"
