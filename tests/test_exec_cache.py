"""The cache of exec-block outputs (hooks/exec_cache.py): its key, its sessions, its entries.

Most tests drive the cache through markdown-exec's own runner in this process (no build).
One compares a build of the real site with a cold cache against the suite's shared build
(tests/conftest.py), file by file: a cache hit must give the bytes a run gives.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("exec_cache_under_test",
                                              ROOT / "hooks" / "exec_cache.py")
exec_cache = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exec_cache)


# ---- the key ----------------------------------------------------------------------------

@pytest.fixture
def package(tmp_path) -> Path:
    """A copy of the lessons package (and the outside files it reads) to edit."""
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "benchmarks" / "results", tmp_path / "benchmarks" / "results")
    for lang in ("uk", "en"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        for page in (ROOT / "docs" / lang).glob("*.md"):
            (tmp_path / "docs" / lang / page.name).write_text("", "utf-8")
    return tmp_path / "lessons"


CONV_BLOCK = "from lessons.conv import Conv, cost\nprint(cost([Conv(3)], 8, 8).params)"
GLOSSARY_BLOCK = "from lessons.glossary import glossary_table\nprint(glossary_table('en'))"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_key_changes_when_a_function_the_block_reaches_changes(package):
    before = exec_cache.SourceIndex(package)
    _edit(package / "conv_cost.py", "def cost(", "def _unused():\n    return 1\n\n\ndef cost(")
    after = exec_cache.SourceIndex(package)
    assert before.digest([CONV_BLOCK]) != after.digest([CONV_BLOCK])
    assert before.fingerprint != after.fingerprint
    # a block that reaches no module of the edit keeps its key
    assert "lessons.conv" not in before.closure([GLOSSARY_BLOCK])
    assert before.digest([GLOSSARY_BLOCK]) == after.digest([GLOSSARY_BLOCK])


def test_a_module_reached_through_another_counts(package):
    index = exec_cache.SourceIndex(package)
    reached = index.closure(["from lessons.pages.convolutions import cost_table"])
    # what lessons/pages/convolutions.py imports, read independently from its source
    direct = set(re.findall(r"^\s*from lessons\.(\w+)", (package / "pages" / "convolutions.py")
                            .read_text("utf-8"), re.M))
    assert direct and {f"lessons.{m}" for m in direct} <= set(reached)
    block = "from lessons.pages.convolutions import cost_table"
    before = index.digest([block])
    module = sorted(direct)[0]
    _edit(package / f"{module}.py", '"""', '"""Edited. ', )
    after = exec_cache.SourceIndex(package).digest([block])
    assert before != after


def test_a_data_file_or_an_outside_input_changes_every_key(package):
    before = exec_cache.SourceIndex(package)
    (package / "data" / "glossary.toml").write_text(
        (package / "data" / "glossary.toml").read_text("utf-8") + "\n# edited\n", "utf-8")
    after = exec_cache.SourceIndex(package)
    assert before.digest([CONV_BLOCK]) != after.digest([CONV_BLOCK])
    results = sorted((package.parent / "benchmarks" / "results").glob("*.json"))[0]
    results.write_text(results.read_text("utf-8") + "\n", "utf-8")
    assert exec_cache.SourceIndex(package).data != after.data
    (package.parent / "docs" / "en" / "new-lesson.md").write_text("", "utf-8")  # a page's name
    renamed = exec_cache.SourceIndex(package)
    assert renamed.digest([GLOSSARY_BLOCK]) != after.digest([GLOSSARY_BLOCK])


def test_a_module_that_imports_by_name_reaches_its_whole_package(package):
    # lessons itself has no such module any more (it cost every page a re-run on any edit,
    # test below); the rule still holds for one that an instructor writes
    (package / "practice" / "by_name.py").write_text(
        "import importlib\n\n\ndef load(name):\n"
        "    return importlib.import_module(f'lessons.practice.{name}')\n", "utf-8")
    index = exec_cache.SourceIndex(package)
    practice = {p.stem for p in (package / "practice").glob("*.py")} - {"__init__", "by_name"}
    assert {f"lessons.practice.{m}" for m in practice} <= index.imports["lessons.practice.by_name"]
    assert "lessons.practice.graph" not in index.imports["lessons.practice"]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_a_lesson_s_blocks_reach_no_other_lesson_s_code(package, lang):
    # what each page's blocks import, read from the pages (every session of a page at once):
    # an edit of one lesson's modules re-runs that lesson's blocks only. Each lesson has
    # modules the others must not reach.
    own = {"backprop": {"lessons.autograd", "lessons.expression", "lessons.pages.backprop",
                        "lessons.practice.gate", "lessons.practice.graph"},
           "normalization": {"lessons.normalization", "lessons.mlp", "lessons.pages.normalization",
                             "lessons.practice.normalization"},
           "convolutions": {"lessons.conv", "lessons.conv_cost", "lessons.pages.convolutions",
                            "lessons.practice.convolutions"}}
    index = exec_cache.SourceIndex(package)
    fence = re.compile(r'^```python exec="1"[^\n]*\n(.*?)^```', re.S | re.M)
    for page, mine in own.items():
        codes = fence.findall((ROOT / "docs" / lang / f"{page}.md").read_text("utf-8"))
        reached = set(index.closure(codes))
        assert mine <= reached, (page, mine - reached)
        others = set().union(*(m for p, m in own.items() if p != page))
        assert not reached & others, (page, sorted(reached & others))
        assert "lessons.practice.catalog" not in reached, page


def test_a_lessons_edit_reimports_what_changed_and_what_imports_it(package):
    before = exec_cache.SourceIndex(package)
    assert exec_cache.stale_modules(None, before) is None  # nothing known: everything
    assert exec_cache.stale_modules(before, exec_cache.SourceIndex(package)) == set()
    _edit(package / "pages" / "backprop.py", '"""', '"""Edited. ')
    after = exec_cache.SourceIndex(package)
    stale = exec_cache.stale_modules(before, after)
    # every importer, read from the sources independently of the index: grep for the name
    importers = {f"lessons.{p.relative_to(package).with_suffix('').as_posix().replace('/', '.')}"
                 for p in package.rglob("*.py")
                 if re.search(r"^\s*(from lessons\.pages\.backprop import|import lessons\.pages\.backprop"
                              r"|from lessons\.pages import .*\bbackprop\b)", p.read_text("utf-8"), re.M)}
    assert "lessons.practice.graph" in importers
    assert {"lessons.pages.backprop"} | importers <= stale
    # reached through an importer: the catalog imports every kind module
    assert "lessons.practice.catalog" in stale
    assert "lessons.practice" not in stale  # the kinds' shared classes import no kind
    # and nothing the edited module does not reach back from
    for kept in ("lessons", "lessons.autograd", "lessons.mlp", "lessons.pages.normalization",
                 "lessons.pages", "lessons.i18n"):
        assert kept not in stale, kept
    # a package's own file: everything under it too
    _edit(package / "pages" / "__init__.py", '"""', '"""Edited. ')
    under = exec_cache.stale_modules(after, exec_cache.SourceIndex(package))
    assert {m for m in after.hashes if m.startswith("lessons.pages.")} <= under
    # a data file: every module
    (package / "data" / "glossary.toml").write_text("# edited\n", "utf-8")
    assert exec_cache.stale_modules(after, exec_cache.SourceIndex(package)) is None


def test_every_outside_file_lessons_reads_is_an_input_of_the_key():
    # a module that builds a path out of the package (Path(__file__)...parent.parent, or
    # parents[n >= 1]) must read only what EXTRA_INPUTS covers, or an edit there would
    # leave a page stale
    covered = {pattern.split("/")[0] for pattern, _ in exec_cache.EXTRA_INPUTS}
    outside = re.compile(r"Path\(__file__\)[^\n]*?(?:\.parent\.parent|parents\[(\d+)\])([^\n]*)")
    for path in (ROOT / "lessons").rglob("*.py"):
        depth = len(path.relative_to(ROOT / "lessons").parts)  # 1 for lessons/x.py
        for match in outside.finditer(path.read_text("utf-8")):
            level = int(match.group(1)) if match.group(1) else 1
            if level < depth:  # parents[n] with n < depth stays inside the package
                continue
            names = re.findall(r'"([^"/]+)"', match.group(2))
            assert names and names[0] in covered, f"{path}: {match.group(0)}"


def test_env_var_turns_the_cache_off_or_moves_it(monkeypatch, tmp_path):
    monkeypatch.delenv(exec_cache.ENV, raising=False)
    assert exec_cache.cache_dir(tmp_path) == tmp_path / ".cache" / "exec"
    for off in ("off", "0", "false", "NO", ""):
        monkeypatch.setenv(exec_cache.ENV, off)
        assert exec_cache.cache_dir(tmp_path) is None
    monkeypatch.setenv(exec_cache.ENV, str(tmp_path / "elsewhere"))
    assert exec_cache.cache_dir(tmp_path) == tmp_path / "elsewhere"


# ---- entries ------------------------------------------------------------------------------

def test_a_corrupt_or_foreign_entry_is_ignored(tmp_path):
    store = exec_cache.Store(tmp_path)
    key, other = "ab" + "0" * 62, "cd" + "1" * 62
    store.put(key, "42\n")
    store.put(other, "7\n")
    assert store.get(key) == "42\n"
    path = store._path(key)
    path.write_text(store._path(other).read_text("utf-8"), "utf-8")  # another key's entry
    assert store.get(key) is None
    store.put(key, "42\n")
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**data, "output": "43\n"}), "utf-8")  # checksum no longer fits
    assert store.get(key) is None
    path.write_text(json.dumps({**data, "format": "another-version"}), "utf-8")
    assert store.get(key) is None
    path.write_text('{"format": ', "utf-8")  # half a file
    assert store.get(key) is None
    path.write_bytes(b"\xff\xfe")
    assert store.get(key) is None


# ---- sessions, through markdown-exec's runner -----------------------------------------------

@pytest.fixture
def runner(tmp_path, monkeypatch):
    """The cache installed over markdown-exec's runner, with a folder of its own."""
    from markdown_exec._internal.formatters import python as md_python

    original = md_python._run_python
    state = exec_cache.STATE
    saved = (state.original, state.module)
    state.original, state.module = None, None
    monkeypatch.setenv(exec_cache.ENV, str(tmp_path / "cache"))
    assert exec_cache.install()
    index = exec_cache.SourceIndex()

    def build(blocks: list[str], session: str = "test-cache") -> list[str]:
        """One "build": a fresh session in markdown-exec (a new process) and a fresh chain."""
        md_python._sessions_globals.pop(session, None)
        md_python._sessions_counter.pop(session, None)
        exec_cache.start_build(tmp_path, index)
        return [md_python._run_python(code, session=session) for code in blocks]

    yield build
    md_python._run_python = original
    state.original, state.module = saved
    state.store = None


def test_a_later_miss_first_runs_the_skipped_blocks_of_its_session(runner):
    exec_cache.stats_line()  # reset the counts
    first = runner(["x = 6", "print(x * 7)"])
    assert first == ["", "42\n"]
    assert runner(["x = 6", "print(x * 7)"]) == first
    assert exec_cache.STATE.stats == {"hit": 2, "run": 2, "replay": 0}
    exec_cache.stats_line()
    # both earlier blocks hit (nothing runs), the new third one misses: `x` must exist
    assert runner(["x = 6", "print(x * 7)", "print(x + 1)"]) == ["", "42\n", "7\n"]
    assert exec_cache.STATE.stats == {"hit": 2, "run": 1, "replay": 2}


def test_the_key_changes_when_an_earlier_block_of_the_session_changes(runner):
    assert runner(["x = 6", "print(x * 7)"])[1] == "42\n"
    # the second block's code is the same; the first one is not, so it must not hit
    assert runner(["x = 5", "print(x * 7)"])[1] == "35\n"
    # another session's chain is its own
    assert runner(["x = 5", "print(x * 7)"], session="other")[1] == "35\n"


def test_a_block_sees_the_same_name_cached_or_not(runner):
    # markdown-exec numbers a session's blocks and names the block's module after it
    uncached = runner(["a = 1", "print(__name__)", "print(__name__)"])
    assert runner(["a = 1", "print(__name__)", "print(__name__, 'new')"])[2] == \
        uncached[2].rstrip("\n") + " new\n"


def test_a_failing_block_is_never_stored(runner, tmp_path):
    from markdown_exec._internal.formatters.base import ExecutionError

    for _ in range(2):
        with pytest.raises(ExecutionError):
            runner(["raise RuntimeError('boom')"])
    assert not list((tmp_path / "cache").rglob("*.json"))


# ---- a cold and a warm build, file by file --------------------------------------------------
# tests/test_reproducible.py: the run's first build of the whole site is cold (a fresh
# cache, conftest.exec_cache_dir), the second is made wholly from the cache it filled, and
# every file of the two is compared.


def test_the_hooks_run_under_a_plain_interpreter():
    # mkdocs loads hooks/lessons_hooks.py by path; it loads exec_cache.py beside it the same
    # way (no hooks folder on sys.path), once per process
    code = ("import importlib.util, sys; "
            "s = importlib.util.spec_from_file_location('h', sys.argv[1]); "
            "m = importlib.util.module_from_spec(s); s.loader.exec_module(m); "
            "print(m.exec_cache is sys.modules['lessons_exec_cache'])")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "hooks" / "lessons_hooks.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
