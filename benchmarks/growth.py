"""How the instructor's loop grows with the course: build time and `mkdocs serve` edit-to-visible.

A synthetic course of N lessons is made in a temporary copy of the project by reusing
today's three lesson pages under new names (lesson k > 3 is a copy of lesson k mod 3, its
exec sessions renamed so each page keeps its own, its page module ``lessons/pages/<page>.py``
copied under the new name so that each lesson has its own, and a nav line; a generated home
page lists the course's lessons). The copies' exercises still come from the original kind
modules, as a real course's lessons might share theirs. For N = 1, 3 and 10 this reports, median of ``--runs``:

* the strict build (``mkdocs build --strict``) with a cold exec cache (an empty folder)
  and a warm one (the same folder after a build);
* in ``mkdocs serve`` (``--dirty``, the mode CONTRIBUTING.md recommends, and the plain
  mode), the time from saving an edit until the served page shows it: a line added to
  ``docs/en/backprop.md``, and a changed return value of a `lessons` function
  (``lessons/pages/backprop.py``) that a block of both backprop pages prints;
* the cost per added lesson (the slope between the smallest and the largest course). The plain mode is
measured for ``--plain-sizes`` only (default: today's 3 lessons): it rebuilds every page.

Caveat, said in the results too: a copied lesson calls the shared modules' functions
(``lessons.conv``, ``lessons.normalization``, …) with the same arguments as its original,
and those cache their experiments in the process (``functools.cache``), so a cold build of
the copies costs less than a course of new lessons would. The warm and serve figures do not
depend on that.

Usage: ``uv run python benchmarks/growth.py [--sizes 1 3 10] [--runs 5] [--out FILE]``.
Results: ``benchmarks/results/growth.json`` by default.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ("backprop", "normalization", "convolutions")
COPIED = ("mkdocs.yml", "pyproject.toml", "README.md", "LICENSE")  # the wheel the build ships needs both
FOLDERS = ("docs", "hooks", "overrides", "lessons", "benchmarks/results")
MARK_FUNCTION = '\n\ndef growth_mark() -> str:\n    """A value the growth benchmark edits."""\n    return "{}"\n'
MARK_BLOCK = ('\n```python exec="1" session="backprop-{lang}"\n'
              "from lessons.pages.backprop import growth_mark\nprint(growth_mark())\n```\n")


def _env(project: Path, cache: Path | None = None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    env["LESSONS_EXEC_CACHE"] = str(cache or project / ".cache" / "exec")
    return env


def _lesson_names(count: int) -> list[tuple[str, str]]:
    """(page name, the lesson it copies) for a course of ``count`` lessons."""
    names = []
    for k in range(count):
        base = LESSONS[k % 3]
        names.append((base if k < 3 else f"{base}{k // 3 + 1}", base))
    return names


def _home(lang: str, lessons: list[tuple[str, str]]) -> str:
    title = "Синтетичний курс" if lang == "uk" else "A synthetic course"
    lines = ["---", f"description: {title}", "---", "", f"# {title}", ""]
    lines += [f"{i}. [{name}]({name}.md)" for i, (name, _) in enumerate(lessons, 1)]
    return "\n".join(lines) + "\n"


def make_course(dest: Path, count: int, *, marked: bool = True, reference: bool = True) -> Path:
    """A copy of the project in ``dest`` whose course has ``count`` lessons; returns ``dest``.

    ``marked``: with the block and function the serve measurement edits; ``reference``:
    with the API reference pages (mkdocstrings), which do not grow with the course.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copy2(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in FOLDERS:
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    lessons = _lesson_names(count)
    kept = {name for name, _ in lessons}
    for lang in ("uk", "en"):
        folder = dest / "docs" / lang
        for base in LESSONS:
            if base not in kept:
                (folder / f"{base}.md").unlink()
        for name, base in lessons:
            if name != base:
                text = (ROOT / "docs" / lang / f"{base}.md").read_text("utf-8")
                text = text.replace(f'session="{base}-', f'session="{name}-')  # -<lang>, -practice-<lang>
                # its own page module, as a lesson of a real course has: an edit of one
                # lesson's module re-runs that lesson's pages, not every copy of it
                text = re.sub(rf"\blessons\.pages\.{base}\b", f"lessons.pages.{name}", text)
                (folder / f"{name}.md").write_text(text, "utf-8")
                shutil.copy2(ROOT / "lessons" / "pages" / f"{base}.py",
                             dest / "lessons" / "pages" / f"{name}.py")
        (folder / "index.md").write_text(_home(lang, lessons), "utf-8")
        if marked and "backprop" in kept:
            with (folder / "backprop.md").open("a", encoding="utf-8") as f:
                f.write(MARK_BLOCK.format(lang=lang))
    # The notebooks are made for lessons.notebook.LESSONS: only the originals the course keeps
    # (a copied lesson gets none, which costs the build nothing: they are made beside it).
    notebook = dest / "lessons" / "notebook.py"
    source, n = re.subn(r"^LESSONS = \(.*\)$", f"LESSONS = {tuple(b for b in LESSONS if b in kept)!r}",
                        notebook.read_text("utf-8"), count=1, flags=re.M)
    assert n == 1, "LESSONS was not found in lessons/notebook.py"
    notebook.write_text(source, "utf-8")
    if marked:
        with (dest / "lessons" / "pages" / "backprop.py").open("a", encoding="utf-8") as f:
            f.write(MARK_FUNCTION.format("growth-mark-0"))
    config = (dest / "mkdocs.yml").read_text("utf-8")
    nav = "".join(f'      - "{i}. {name}": {name}.md\n' for i, (name, _) in enumerate(lessons, 1))
    config, n = re.subn(r"(  - Уроки:\n)(?:      - .*\n)+", lambda m: m.group(1) + nav, config)
    assert n == 1, "the nav's lesson list was not found in mkdocs.yml"
    if not reference:
        for lang in ("uk", "en"):
            shutil.rmtree(dest / "docs" / lang / "reference")
            (dest / "docs" / lang / "reference.md").unlink()
        config, n = re.subn(r"^  - Довідник API:\n(?:      - .*\n)+", "", config, flags=re.M)
        assert n == 1, "the nav's API reference section was not found in mkdocs.yml"
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    return dest


def build(project: Path, site: Path, cache: Path) -> float:
    """Seconds of one strict build of ``project`` (a fresh interpreter) with ``cache``."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=project, env=_env(project, cache), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"strict build failed:\n{result.stderr[-4000:]}")
    return elapsed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``mkdocs serve`` on ``project`` in a child process, and edits timed until visible."""

    def __init__(self, project: Path, *, dirty: bool = True, cache: Path | None = None,
                 timeout: float = 180):
        self.project, self.port = project, _free_port()
        # plain GETs stand in for the browser: the server answers one only once a rebuild
        # it has started is finished, as it answers the browser's reload
        args = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"]
        if dirty:
            args.append("--dirty")
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, cwd=project, env=_env(project, cache),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        config = (project / "mkdocs.yml").read_text("utf-8")
        self.base = f"http://127.0.0.1:{self.port}/" + re.search(
            r"^site_url:\s*\S+?://[^/]+/(\S*)$", config, re.M).group(1)
        self.wait_for("en/", lambda html: True, timeout)

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as r:
                return r.read().decode("utf-8")
        except OSError:
            return None

    def wait_for(self, path: str, ready, timeout: float = 60) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{self.output()[-4000:]}")
            html = self.get(path)
            if html is not None and ready(html):
                return time.perf_counter() - start
            time.sleep(0.02)
        raise TimeoutError(f"{path} not ready after {timeout} s:\n{self.output()[-4000:]}")

    def edit(self, file: Path, old: str, new: str, path: str, marker: str, timeout: float = 300) -> float:
        """Replace ``old`` by ``new`` in ``file``; seconds until ``path`` holds ``marker``."""
        text = file.read_text("utf-8")
        if old not in text:
            raise ValueError(f"{old!r} is not in {file}")
        file.write_text(text.replace(old, new, 1), "utf-8")
        return self.wait_for(path, lambda html: marker in html, timeout)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve_edits(project: Path, runs: int, *, dirty: bool, settle: float = 1.0) -> dict:
    """Median seconds from saving to visible for a page edit and a `lessons` edit."""
    page = project / "docs" / "en" / "backprop.md"
    module = project / "lessons" / "pages" / "backprop.py"
    page_times, lessons_times = [], []
    first = int(re.search(r'"growth-mark-(\d+)"', module.read_text("utf-8")).group(1))
    with Serve(project, dirty=dirty) as server:
        for i in range(first + 1, first + runs + 1):
            time.sleep(settle)  # an instructor does not save twice within a second
            marker = f"growth-page-edit-{i}"
            page_times.append(server.edit(page, "\n# ", f"\n{marker}\n\n# ", "en/backprop/", marker))
            time.sleep(settle)
            mark = f"growth-mark-{i}"
            lessons_times.append(server.edit(module, f'"growth-mark-{i - 1}"', f'"{mark}"',
                                             "en/backprop/", mark))
            # the Ukrainian page shows it too (the same rebuild: no extra wait)
            server.wait_for("backprop/", lambda html, m=mark: m in html, 30)
    return {"page_edit_s": statistics.median(page_times), "lessons_edit_s": statistics.median(lessons_times),
            "page_edit_all": [round(t, 3) for t in page_times],
            "lessons_edit_all": [round(t, 3) for t in lessons_times]}


def measure(count: int, runs: int, serve_runs: int, work: Path, plain: bool = True) -> dict:
    project = make_course(work / f"course{count}", count)
    cold, warm = [], []
    for r in range(runs):
        cache = work / f"cache{count}-{r}"
        cold.append(build(project, work / "site", cache))
        warm.append(build(project, work / "site", cache))
    result = {"lessons": count, "build_cold_s": statistics.median(cold), "build_warm_s": statistics.median(warm),
              "build_cold_all": [round(t, 2) for t in cold], "build_warm_all": [round(t, 2) for t in warm]}
    if serve_runs:
        # the serve session starts with a warm cache, as an instructor's does after a build
        shutil.copytree(work / f"cache{count}-0", project / ".cache" / "exec", dirs_exist_ok=True)
        for dirty in ((True, False) if plain else (True,)):
            result["serve_dirty" if dirty else "serve"] = serve_edits(project, serve_runs, dirty=dirty)
    print(json.dumps(result), flush=True)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--runs", type=int, default=5, help="builds per size (cold and warm)")
    parser.add_argument("--serve-runs", type=int, default=5, help="edits per kind in serve; 0 skips")
    parser.add_argument("--plain-sizes", type=int, nargs="*", default=[3],
                        help="sizes whose plain `mkdocs serve` (not --dirty) is measured too")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "growth.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    with tempfile.TemporaryDirectory(prefix="growth-") as tmp:
        rows = [measure(n, args.runs, args.serve_runs, Path(tmp), n in args.plain_sizes)
                for n in args.sizes]
    small, large = rows[0], rows[-1]
    span = large["lessons"] - small["lessons"]
    per_lesson = {k: (large[k] - small[k]) / span for k in ("build_cold_s", "build_warm_s")} if span else {}
    for mode in ("serve_dirty", "serve"):
        if span and mode in small and mode in large:
            for k in ("page_edit_s", "lessons_edit_s"):
                per_lesson[f"{mode}.{k}"] = (large[mode][k] - small[mode][k]) / span
    try:
        from _machine import machine_info  # the machine's description, as the other benchmarks record it
        about = machine_info()
    except Exception:  # noqa: BLE001 - a description is nice to have
        about = {"cpus": os.cpu_count()}
    out = {"machine": about, "median_of": {"builds": args.runs, "serve_edits": args.serve_runs},
           "command": "uv run python benchmarks/growth.py " + " ".join(sys.argv[1:] if argv is None else argv),
           "sizes": rows, "per_added_lesson": per_lesson,
           "note": "each copied lesson has its own page module, but calls the shared modules "
                   "with its original's arguments and so reuses their in-process functools "
                   "caches: a cold build of new lessons costs more than this"}
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(per_lesson, indent=2))


if __name__ == "__main__":
    main()
