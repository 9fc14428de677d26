"""Two strict builds of the same commit give byte-identical pages (the sitemap's dates aside).

The session's `site` fixture is one build; this test makes a second one in a fresh
interpreter with a different hash seed (set and dict-of-set orders must not leak into a
page) and compares every file.

The first build is cold: it runs every exec block and fills the run's fresh exec cache
(conftest.exec_cache_dir). The second starts after it and finds every block there, so
the comparison is also a cold build against one made wholly from the cache
(hooks/exec_cache.py): a cached output that differs from a fresh one fails here.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

from conftest import ROOT, BuildJob, background_result

_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def _comparable(path, data: bytes) -> bytes:
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = _LASTMOD.sub(b"<lastmod/>", data)
    return data


def background_builds(tmp: Path) -> dict[str, BuildJob]:
    """The second build, started beside the session's at collection (conftest)."""
    return {"reproducible: second": BuildJob(ROOT / "mkdocs.yml", tmp / "second", hash_seed="12345",
                                             after="site")}


def _cache_counts(log: str) -> tuple[int, int]:
    """(hits, runs) of the exec cache, summed over the languages, from a build's log."""
    found = re.findall(r"exec cache \([^)]*\): (\d+) hits, (\d+) runs", log)
    return sum(int(h) for h, _ in found), sum(int(r) for _, r in found)


def test_two_builds_are_identical(site):
    result = background_result("reproducible: second")
    assert result.returncode == 0, result.stderr[-3000:]
    second = Path(result.args[-1])
    first = background_result("site")
    if "LESSONS_EXEC_CACHE" not in os.environ:  # the run's own cache: cold, then warm
        hits, runs = _cache_counts(first.stderr)
        assert hits == 0 and runs > 100, f"the first build was not cold: {hits} hits, {runs} runs"
        assert _cache_counts(result.stderr) == (runs, 0), "the second build ran blocks again"
    first_files = {p.relative_to(site) for p in site.rglob("*") if p.is_file()}
    second_files = {p.relative_to(second) for p in second.rglob("*") if p.is_file()}
    assert first_files == second_files, first_files ^ second_files
    different = [
        str(rel) for rel in sorted(first_files)
        if _comparable(rel, (site / rel).read_bytes()) != _comparable(rel, (second / rel).read_bytes())
    ]
    assert not different, f"differ between two builds: {different}"
