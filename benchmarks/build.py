"""How long the site takes to build, and where the time goes.

Measures, each in a fresh interpreter (nothing cached, nothing imported yet):

1. the whole strict build, both languages (budget: under 10 s on the 2-core machine);
2. the strict build of one language only (``LESSONS_ONLY_LANG=uk``, read by mkdocs.yml);
3. the time spent executing markdown-exec code blocks, per page and language, by running
   MkDocs in-process with markdown-exec's Python runner wrapped in a timer (budgets: every
   page's blocks, both languages together, under 2 s; the second language's blocks under
   10 % of the first's, because heavy results are cached per process);
4. the size of every built page's HTML (budget: a lesson page under 200 KB).

Writes ``benchmarks/results/build.json`` and prints a table.

    uv run python benchmarks/build.py [repetitions]        # default 3; medians are reported
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "build.json"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


def timed_build(extra_env: dict | None = None) -> tuple[float, Path]:
    """Wall time of one ``mkdocs build --strict`` in a fresh interpreter, and its folder."""
    dest = Path(tempfile.mkdtemp(prefix="bench-site-"))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
        cwd=ROOT, env={**ENV, **(extra_env or {})}, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"strict build failed:\n{result.stderr[-3000:]}")
    return seconds, dest


def _blocks_in_process() -> None:
    """Child mode: build in-process with a timer around every Python code block."""
    from markdown_exec._internal.formatters import python as md_python
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    times: dict[str, list[float]] = defaultdict(list)
    run = md_python._run_python

    def timed_run(code, returncode=None, session=None, id=None, **extra):  # noqa: A002
        start = time.perf_counter()
        try:
            return run(code, returncode, session, id, **extra)
        finally:
            times[session or "(no session)"].append(time.perf_counter() - start)

    md_python._run_python = timed_run
    dest = tempfile.mkdtemp(prefix="bench-blocks-")
    start = time.perf_counter()
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=dest, strict=True))
    total = time.perf_counter() - start
    print(json.dumps({"build_seconds": total, "sessions": times}))


def block_times() -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--blocks-child"], cwd=ROOT, env=ENV,
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"in-process build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def page_sizes(site: Path) -> dict[str, int]:
    sizes = {}
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        sizes["/" if rel == "." else f"/{rel}/"] = page.stat().st_size
    return sizes


def main(repetitions: int) -> dict:
    whole, one = [], []
    site = None
    for _ in range(repetitions):
        seconds, site = timed_build()
        whole.append(seconds)
        one.append(timed_build({"LESSONS_ONLY_LANG": "uk"})[0])
    runs = [block_times() for _ in range(repetitions)]
    per_session: dict[str, float] = {}
    for session in runs[0]["sessions"]:
        per_session[session] = statistics.median(sum(r["sessions"][session]) for r in runs)
    pages: dict[str, dict[str, float]] = defaultdict(dict)
    for session, seconds in per_session.items():
        page, _, lang = session.rpartition("-")
        if lang in ("uk", "en"):
            pages[page][lang] = seconds
    first = sum(v.get("uk", 0.0) for v in pages.values())
    second = sum(v.get("en", 0.0) for v in pages.values())
    from _machine import machine_info

    report = {
        **machine_info(),
        "repetitions": repetitions,
        "whole_build_seconds": {"median": statistics.median(whole), "runs": whole},
        "one_language_build_seconds": {"median": statistics.median(one), "runs": one},
        "block_seconds_per_page": {p: {**v, "both": sum(v.values())} for p, v in sorted(pages.items())},
        "block_seconds_first_language": first,
        "block_seconds_second_language": second,
        "second_language_ratio": second / first if first else None,
        "html_bytes": page_sizes(site),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return report


def print_table(report: dict) -> None:
    print(f"whole strict build, both languages: {report['whole_build_seconds']['median']:.2f} s"
          f" (budget 10 s; runs {', '.join(f'{s:.2f}' for s in report['whole_build_seconds']['runs'])})")
    print(f"one language (uk) only:            {report['one_language_build_seconds']['median']:.2f} s")
    print("\ncode blocks per page (s)      uk       en     both   (budget: both < 2 s)")
    for page, v in report["block_seconds_per_page"].items():
        print(f"  {page:<24} {v.get('uk', 0):7.3f}  {v.get('en', 0):7.3f}  {v['both']:7.3f}")
    ratio = report["second_language_ratio"]
    print(f"\nsecond language / first: {ratio:.1%} (budget < 10 %)" if ratio is not None else "")
    print("\nHTML size per page (KB)")
    for url, size in report["html_bytes"].items():
        print(f"  {url:<28} {size / 1024:8.1f}")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--blocks-child"]:
        _blocks_in_process()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        print_table(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
