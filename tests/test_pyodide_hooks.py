"""The in-browser runtime's hook (hooks/pyodide_hooks.py) and what it ships.

The pinning: a tarball whose sha512 is not the pinned one fails loudly and is never kept;
without npm nothing is fetched (the build goes on without run buttons), and in CI that is an
error. The trimming keeps what Lesson 1 needs; the archive of `lessons` is reproducible; the
built site ships the runtime with its licence, within the first-run budget, and the page
markup of DESIGN.md's "Runnable block". (The blocks themselves run in
tests/test_runner_browser.py.)
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import stat
import textwrap
import zipfile

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, page_path, run_without_numpy

spec = importlib.util.spec_from_file_location("pyodide_hooks", ROOT / "hooks" / "pyodide_hooks.py")
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)


def fake_npm(tmp_path, payload: bytes):
    """An `npm` that "packs" ``payload`` as the pyodide tarball (no network)."""
    script = tmp_path / "npm"
    out = tmp_path / "payload"
    out.write_bytes(payload)
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo 10.0.0; exit 0; fi\n'
        'while [ "$#" -gt 0 ]; do if [ "$1" = "--pack-destination" ]; then dest="$2"; fi; shift; done\n'
        f'cp "{out}" "$dest/pyodide-{hooks.VERSION}.tgz"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_the_version_and_its_sha512_are_pinned():
    assert hooks.VERSION.count(".") == 2
    assert hooks.INTEGRITY.startswith("sha512-") and len(hooks.INTEGRITY) == 7 + 88


def test_a_wrong_sha512_fails_loudly_and_nothing_is_kept(tmp_path):
    cache = tmp_path / "cache"
    npm = fake_npm(tmp_path, b"not the pinned package")
    with pytest.raises(hooks.IntegrityError, match="pins sha512-"):
        hooks.fetch(cache=cache, npm=npm)
    assert not list(cache.glob("*.tgz"))


def test_a_cached_tarball_is_checked_and_reused_without_npm(tmp_path):
    cache = tmp_path / "cache"
    npm = fake_npm(tmp_path, b"pretend package")
    pinned = hooks.integrity_of(tmp_path / "payload")
    got = hooks.fetch(cache=cache, integrity=pinned, npm=npm)
    assert got == cache / f"pyodide-{hooks.VERSION}.tgz" and got.read_bytes() == b"pretend package"
    assert hooks.fetch(cache=cache, integrity=pinned, npm=None) == got  # no npm needed now
    got.write_bytes(b"tampered")  # a cached file that does not match is never used
    assert hooks.fetch(cache=cache, integrity=pinned, npm=None) is None
    assert not got.exists()


def test_without_npm_nothing_is_fetched_and_ci_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_PYODIDE_CACHE", str(tmp_path / "empty"))
    monkeypatch.setattr(hooks, "npm_version", lambda: None)
    assert hooks.fetch(npm=None) is None
    monkeypatch.setattr(hooks, "_state", {"runtime": None, "checked": False, "sizes": (0, 0),
                                          "zip": b""})
    monkeypatch.delenv("CI", raising=False)
    hooks._find_runtime()  # locally: no runtime, no error
    assert hooks._state["runtime"] is None
    monkeypatch.setenv("CI", "1")
    with pytest.raises(PluginError, match="CI must ship"):
        hooks._find_runtime()


def test_the_standard_library_is_trimmed_to_what_lesson_1_needs():
    entries = ["typing.py", "xml/etree/ElementTree.py", "encodings/utf_8.py",
               "encodings/cp1252.py", "unittest/case.py", "tkinter/__init__.py", "pydoc.py"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in entries:
            z.writestr(name, "pass\n")
    kept = zipfile.ZipFile(io.BytesIO(hooks.trim_stdlib(buffer.getvalue()))).namelist()
    assert kept == ["encodings/utf_8.py", "typing.py", "xml/etree/ElementTree.py"]
    lock = json.loads(hooks.trim_lock(json.dumps({"info": {"version": "1"},
                                                   "packages": {"numpy": {}}}).encode()))
    assert lock == {"info": {"version": "1"}, "packages": {}}


def test_the_lessons_archive_is_reproducible_and_holds_the_lesson_1_modules():
    from lessons.browser import MODULES

    first, second = hooks.lessons_zip(), hooks.lessons_zip()
    assert first == second
    z = zipfile.ZipFile(io.BytesIO(first))
    assert z.namelist() == sorted(MODULES)
    assert "lessons/conv_cost.py" in MODULES  # Lesson 3's form counts in the browser
    assert z.read("lessons/autograd.py") == (ROOT / "lessons" / "autograd.py").read_bytes()


def test_the_site_ships_the_runtime_within_its_budget(site):
    folder = site / hooks.TARGET
    if not folder.is_dir():  # no npm and nothing cached here: CI fails in the build instead
        assert not os.environ.get("CI")
        pytest.skip("no Pyodide runtime in this build (npm missing)")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["LICENSE", "NOTICE", "lessons.zip", "pyodide-lock.json", "pyodide.asm.mjs",
                     "pyodide.asm.wasm", "pyodide.mjs", "python_stdlib.zip"]
    assert "Mozilla Public License Version 2.0" in (folder / "LICENSE").read_text("utf-8")
    first = [folder / n for n in names if n not in ("LICENSE", "NOTICE")]
    first += [site / name for name in hooks.RUNNER_FILES]
    raw = sum(p.stat().st_size for p in first)
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in first)
    assert raw < 13_000_000 and packed < 5_500_000, (raw, packed)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_lesson_1_has_runnable_blocks_and_only_pages_with_python_load_the_loader(site, lang):
    if not (site / hooks.TARGET).is_dir():
        pytest.skip("no Pyodide runtime in this build (npm missing)")
    html = page_path(site, lang, "backprop").read_text("utf-8")
    assert html.count("<div class=\"runnable\" data-runnable>") == 4
    assert html.count('data-action="run"') == 4 and html.count('id="run-help"') == 1
    assert html.count("assets/run.js") == 1
    assert (site / "assets" / "run.js").stat().st_size < 4_000
    # Lesson 3 has its "count your own stack" form (and so the loader); the others nothing
    assert page_path(site, lang, "convolutions").read_text("utf-8").count("assets/run.js") == 1
    for other in ("normalization", ""):
        assert "assets/run.js" not in page_path(site, lang, other).read_text("utf-8")


# CPython 3.11 names two modules that Pyodide's 3.14 has under other names (or built in)
_RENAMED = {"_compression": "compression", "_frozen_importlib": None, "_frozen_importlib_external": None}


def test_the_kept_standard_library_holds_what_the_archive_s_modules_import():
    # CPython stands in for Pyodide here: import every module of lessons.zip (numpy blocked)
    # and run Lesson 3's form; every pure-Python standard-library module then loaded must be
    # kept (the real thing runs in tests/test_runner_browser.py)
    code = textwrap.dedent("""
        import importlib
        from lessons.browser import MODULES
        for path in MODULES:
            importlib.import_module(path[:-3].replace("/", ".").removesuffix(".__init__"))
        from lessons.conv_cost import try_stack
        try_stack({"input": "20x20x1", "layers": "7x1 1x7"}, "uk", "t")
        try_stack({"input": "x", "layers": ""}, "en", "t")
        top = {n.split(".")[0] for n in sys.modules}
        print(" ".join(sorted(n for n in top if n in sys.stdlib_module_names
                              and (getattr(sys.modules.get(n), "__file__", None) or "").endswith(".py"))))
    """)
    loaded = {_RENAMED.get(n, n) for n in run_without_numpy(code).split()} - {None}
    assert "html" in loaded and "dataclasses" in loaded and "argparse" in loaded  # conv_cost's
    assert loaded <= hooks.STDLIB_KEEP, sorted(loaded - hooks.STDLIB_KEEP)


def test_a_page_with_a_try_form_gets_the_runner_s_words_once():
    form = '<form class="try-form" data-try="stack" novalidate></form>'
    page = hooks.with_try_words(f"<p>a</p>{form}<p>b</p>{form}", "uk", (5_000_000, 12_000_000))
    assert page.count('id="run-help"') == 1 and page.count('id="run-ui"') == 1
    assert page.index('id="run-help"') < page.index("try-form") and "5,0 МБ" in page
    assert hooks.with_try_words("<p>no form</p>", "en", (1, 1)) == "<p>no form</p>"
    done = hooks.runnable(hooks.with_try_words(form, "en", (1, 1)), "en", (1, 1))
    assert hooks.with_try_words(done, "en", (1, 1)) == done  # never twice


def test_the_runtime_s_compressed_sizes_are_kept_by_content(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "done").write_text(hooks.VERSION)
    files = {"a.wasm": os.urandom(3000) + bytes(20_000), "b.mjs": b"export const x = 1;\n" * 500}
    for name, blob in files.items():
        (runtime / name).write_bytes(blob)

    def expected():
        blobs = [(runtime / n).read_bytes() for n in sorted(files)]
        return (sum(len(gzip.compress(b, 6)) for b in blobs), sum(map(len, blobs)))

    compressed = []
    real = hooks._gzip_size.__wrapped__
    monkeypatch.setattr(hooks, "_gzip_size", lambda blob: compressed.append(1) or real(blob))
    assert hooks._runtime_sizes(runtime) == expected() and len(compressed) == 2
    kept = json.loads((runtime / hooks.SIZES).read_text("utf-8"))
    assert sorted(kept) == sorted(files)  # the markers are not part of the runtime
    assert hooks._runtime_sizes(runtime) == expected() and len(compressed) == 2  # kept
    (runtime / "b.mjs").write_bytes(b"changed" * 100)  # a changed file: compressed again
    assert hooks._runtime_sizes(runtime) == expected() and len(compressed) == 3
    for broken in ("{not json", "[1, 2]", json.dumps({"a.wasm": ["0" * 64, 5]})):
        (runtime / hooks.SIZES).write_text(broken, "utf-8")
        before = len(compressed)
        assert hooks._runtime_sizes(runtime) == expected() and len(compressed) > before
    assert [p.name for p in hooks._runtime_files(runtime)] == sorted(files)
