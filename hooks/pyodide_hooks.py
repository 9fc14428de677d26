"""MkDocs hook: Python in the reader's browser (Pyodide) for Lesson 1's runnable blocks.

What lands in the site, under ``assets/pyodide/`` (fetched only after a reader's first click
on a "run" button, by ``docs/assets/runner.mjs`` and ``docs/assets/run-worker.mjs``):

- Pyodide's core files from the npm package ``pyodide`` at :data:`VERSION`: ``pyodide.mjs``,
  ``pyodide.asm.mjs``, ``pyodide.asm.wasm``; its standard library ``python_stdlib.zip``
  trimmed to what Lesson 1 needs (:data:`STDLIB_KEEP`); ``pyodide-lock.json`` without its
  package list (the runner loads no package); and ``LICENSE`` (MPL-2.0, which the npm
  package does not carry: ``hooks/pyodide/LICENSE``) with a short ``NOTICE``;
- ``lessons.zip``: the modules a Lesson 1 block imports (:data:`lessons.browser.MODULES`),
  zipped from the same source files the build runs, with fixed dates (reproducible).

How the runtime is fetched: with the ordinary npm client (``npm pack pyodide@VERSION``) into
a cache outside git (``$LESSONS_PYODIDE_CACHE``, else ``$XDG_CACHE_HOME/lessons-pyodide``,
else ``~/.cache/lessons-pyodide``), checked against :data:`INTEGRITY` (the registry's sha512,
pinned here): a tarball that does not match is an error, never used. The trimmed files are
kept in the cache too, so a second build neither downloads nor unpacks anything. No
``package.json``, lock file or npm configuration is written into the repository.

Without npm (and nothing cached) a local build still succeeds: the pages get no run button,
and the build says so once, at INFO level (so ``--strict`` passes). With ``CI`` set a
missing runtime fails the build: the runner's browser tests must never skip silently.

A page with a "try" form (``<form class="try-form" data-try=…>``, Lesson 3's "count your own
stack") gets the help text and the runner's words once, before its first form, whatever
:data:`PAGES` says: the form runs ``lessons`` in Pyodide too.

The pages: on a page of :data:`PAGES`, every markdown-exec block shown with its source and
its text result (``source="block" result="text"``) becomes a runnable block
(``<div class="runnable" data-runnable>``, DESIGN.md "Runnable block"): a hidden run button
(its label gives the first download's size) and, once before the first block, the help text
and the runner's words (``lessons.browser``); ``docs/assets/run.js`` (loaded only on such a
page, ``overrides/main.html``) shows them. On any page, a "try your own" form
(``data-try``, ``lessons.markdown.try_form_html``) gets the same help and words before it if
no runnable block came first, and run.js shows its submit button.

``mkdocs serve`` and any host must send ``.wasm`` as ``application/wasm`` and ``.mjs`` as
``text/javascript``: this module registers both types with :mod:`mimetypes`, which the
development server uses (README, "Deploy").
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import io
import json
import logging
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.pyodide")

VERSION = "314.0.7"
INTEGRITY = ("sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+"
             "SNvi/6V5JEsOlD2R1A==")
PAGES = ("backprop",)
TARGET = "assets/pyodide"
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# Top-level entries of python_stdlib.zip that are kept: what Pyodide imports to start, what
# lessons.browser.MODULES import (xml.sax.saxutils pulls in urllib, http and email; html.escape
# is lessons.conv_cost's), and a few small modules a reader may reach for. Measured by importing
# every Lesson 1 module and running every runnable block in Pyodide with the whole library, then
# listing sys.modules; tests/test_pyodide_hooks.py checks the same in CPython for every module.
STDLIB_KEEP = frozenset("""
    __future__ _collections_abc _colorize _opcode_metadata _py_abc _py_warnings _pydatetime
    _pyodide _sitebuiltins _strptime _weakrefset abc annotationlib argparse ast asyncio base64
    bisect bz2 calendar codecs codeop collections colorsys compression concurrent contextlib
    contextvars copy copyreg dataclasses datetime dis email encodings enum fnmatch fractions
    functools genericpath gettext glob graphlib hashlib heapq html http importlib inspect io
    ipaddress json keyword linecache locale logging lzma ntpath numbers opcode operator os
    pathlib posixpath pprint pyodide quopri random re reprlib selectors shlex shutil signal
    site socket ssl stat statistics string struct subprocess tempfile textwrap threading
    timeit token tokenize traceback types typing urllib warnings weakref xml zipfile zipimport
""".split())
# of encodings/, only the codecs a page's text and Pyodide's start use
ENCODINGS_KEEP = frozenset({"__init__", "aliases", "ascii", "cp437", "latin_1", "utf_8",
                            "utf_8_sig"})
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# what the runner fetches besides the runtime (its share of the first download)
RUNNER_FILES = ("assets/runner.mjs", "assets/run-worker.mjs")

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")


class IntegrityError(RuntimeError):
    """A downloaded package is not the one pinned (its sha512 differs)."""


def cache_dir() -> Path:
    """Where the npm tarball and the trimmed runtime are kept, outside git."""
    if os.environ.get("LESSONS_PYODIDE_CACHE"):
        return Path(os.environ["LESSONS_PYODIDE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lessons-pyodide"


def integrity_of(path: Path) -> str:
    """The npm-style integrity string of a file: ``sha512-`` and the base64 digest."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def npm_version() -> str | None:
    """``npm --version``, or None where npm is missing or broken."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    try:
        done = subprocess.run([npm, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def fetch(version: str = VERSION, integrity: str = INTEGRITY, cache: Path | None = None,
          npm: str | None = "npm") -> Path | None:
    """The pinned npm tarball of ``pyodide@version`` in ``cache``, fetched with ``npm pack``
    if it is not there yet; None when npm is missing. A tarball whose sha512 is not
    ``integrity`` raises :class:`IntegrityError` (a cached one is fetched again first)."""
    cache = cache or cache_dir()
    tarball = cache / f"pyodide-{version}.tgz"
    if tarball.is_file():
        if integrity_of(tarball) == integrity:
            return tarball
        tarball.unlink()  # a broken or foreign cached file: fetch it again, then check that
    if npm is None or shutil.which(npm) is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        done = subprocess.run([shutil.which(npm), "pack", f"pyodide@{version}",
                               "--pack-destination", tmp, "--silent"],
                              capture_output=True, text=True, timeout=600, cwd=tmp)
        got = Path(tmp) / f"pyodide-{version}.tgz"
        if done.returncode != 0 or not got.is_file():
            raise RuntimeError(f"npm pack pyodide@{version} failed:\n{done.stderr.strip()}")
        found = integrity_of(got)
        if found != integrity:
            raise IntegrityError(f"pyodide@{version} from npm has integrity {found}, but "
                                 f"hooks/pyodide_hooks.py pins {integrity}: not using it")
        os.replace(got, tarball)
    return tarball


def _keep(name: str) -> bool:
    top, _, rest = name.partition("/")
    if top.removesuffix(".py") not in STDLIB_KEEP:
        return False
    if top == "encodings" and rest:
        return rest.removesuffix(".py") in ENCODINGS_KEEP
    return True


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A deterministic zip (sorted names, fixed dates, deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def trim_stdlib(data: bytes) -> bytes:
    """``python_stdlib.zip`` with only the entries :data:`STDLIB_KEEP` names."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return _zip([(i.filename, z.read(i)) for i in z.infolist()
                     if not i.is_dir() and _keep(i.filename)])


def trim_lock(data: bytes) -> bytes:
    """``pyodide-lock.json`` without its package list: the runner loads no package."""
    lock = json.loads(data)
    lock["packages"] = {}
    return json.dumps(lock, sort_keys=True, separators=(",", ":")).encode()


def _spec() -> str:
    """A fingerprint of how the runtime is trimmed (a new rule makes a new cached folder)."""
    text = "\n".join([VERSION, *sorted(STDLIB_KEEP), *sorted(ENCODINGS_KEEP), *CORE, "lock-1"])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def prepare(tarball: Path, cache: Path | None = None) -> Path:
    """The folder of trimmed runtime files made from ``tarball`` (made once, then cached)."""
    cache = cache or cache_dir()
    folder = cache / f"runtime-{VERSION}-{_spec()}"
    if (folder / "done").is_file():
        return folder
    tmp = Path(tempfile.mkdtemp(prefix="runtime-", dir=cache))
    try:
        with tarfile.open(tarball) as tar:
            def read(name: str) -> bytes:
                member = tar.extractfile(f"package/{name}")
                assert member is not None, name
                return member.read()

            for name in CORE:
                (tmp / name).write_bytes(read(name))
            (tmp / "python_stdlib.zip").write_bytes(trim_stdlib(read("python_stdlib.zip")))
            (tmp / "pyodide-lock.json").write_bytes(trim_lock(read("pyodide-lock.json")))
        (tmp / "done").write_text(VERSION)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def lessons_zip() -> bytes:
    """The modules a Lesson 1 block imports, from the repository's own source files."""
    sys.path.insert(0, str(ROOT))
    try:
        from lessons.browser import MODULES
    finally:
        sys.path.remove(str(ROOT))
    return _zip([(name, (ROOT / name).read_bytes()) for name in MODULES])


NOTICE = f"""Pyodide {VERSION} (https://pyodide.org), the npm package "pyodide": the files
pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip (trimmed) and
pyodide-lock.json (without its package list). Pyodide is distributed under the Mozilla
Public License 2.0 (LICENSE, beside this file); it contains CPython, under the Python
Software Foundation License. Source: https://github.com/pyodide/pyodide
lessons.zip holds modules of this site's own package, under the MIT licence.
"""

# ---- the MkDocs hook ------------------------------------------------------------------------

_state: dict = {"runtime": None, "checked": False, "sizes": (0, 0), "zip": b""}


def _outer(config) -> bool:
    i18n = config["plugins"].get("i18n")
    return not getattr(i18n, "building", False)


def _first_download(runtime: Path, zipped: bytes, docs_dir: Path) -> tuple[int, int]:
    """Bytes of a first run, (gzip-compressed, as stored): the runtime, lessons.zip and the
    runner's two scripts (the loader is already on the page)."""
    blobs = [zipped] + [(docs_dir / name).read_bytes() for name in RUNNER_FILES]
    packed, raw = _runtime_sizes(runtime)
    return (packed + sum(map(_gzip_size, blobs)), raw + sum(map(len, blobs)))


SIZES = "gzip-sizes.json"


def _runtime_files(runtime: Path) -> list[Path]:
    """The files of the prepared runtime that the site ships (not its markers)."""
    return [p for p in sorted(runtime.iterdir())
            if p.name not in ("done", SIZES) and not p.name.startswith(".tmp")]


def _runtime_sizes(runtime: Path) -> tuple[int, int]:
    """(gzip-compressed, as stored) bytes of the runtime's files, the compressed sizes kept in
    ``runtime/gzip-sizes.json`` by each file's sha256.

    Compressing the 12 MB runtime took about 1 s of every build here, for two numbers that
    never change once it is fetched; hashing it takes 0.03 s. A file whose sha256 is not the
    one kept (or no kept file, or one that does not parse) is compressed again.
    """
    try:
        kept = json.loads((runtime / SIZES).read_text("utf-8"))
        kept = kept if isinstance(kept, dict) else {}
    except (OSError, ValueError):
        kept = {}
    sizes, packed, raw = {}, 0, 0
    for path in _runtime_files(runtime):
        blob = path.read_bytes()
        digest = hashlib.sha256(blob).hexdigest()
        entry = kept.get(path.name)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == digest
                and isinstance(entry[1], int)):
            entry = [digest, _gzip_size(blob)]
        sizes[path.name] = entry
        packed, raw = packed + entry[1], raw + len(blob)
    if sizes != kept:
        try:
            fd, tmp = tempfile.mkstemp(dir=runtime, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(sizes, f, sort_keys=True)
            os.replace(tmp, runtime / SIZES)
        except OSError:  # a read-only cache: compressed again next time, never wrong
            pass
    return packed, raw


@functools.lru_cache(maxsize=64)
def _gzip_size(blob: bytes) -> int:
    # by content: the 12 MB runtime was compressed again for each language and each rebuild
    # (0.4 s a time here), though it never changes once fetched
    return len(gzip.compress(blob, 6, mtime=0))


def on_config(config, **kwargs):
    if not _state["checked"]:
        _find_runtime()
    if _state["runtime"] is not None:  # every build: the archive of the source as it is now
        _state["zip"] = lessons_zip()
        _state["sizes"] = _first_download(_state["runtime"], _state["zip"],
                                          Path(config["docs_dir"]))
    return config


def _find_runtime() -> None:
    _state["checked"] = True
    from mkdocs.exceptions import PluginError

    try:
        # the cached tarball first: asking npm for its version starts node (0.3 s a build)
        tarball = fetch(npm=None) or fetch(npm="npm" if npm_version() else None)
    except RuntimeError as error:  # IntegrityError included: never ship an unpinned runtime
        raise PluginError(str(error)) from error
    if tarball is None:
        if os.environ.get("CI"):
            raise PluginError(f"CI must ship the in-browser runner: npm is missing and "
                              f"pyodide@{VERSION} is not in {cache_dir()}")
        log.info("npm not found and Pyodide not cached: the pages get no run buttons "
                 "(install node/npm to have them)")
        return
    _state["runtime"] = prepare(tarball)


_BLOCK = re.compile(
    r'(<div class="highlight"><pre>(?:(?!</pre>).)*</pre></div>\n'
    r'<div class="result">\n<div class="highlight"><pre>(?:(?!</pre>).)*</pre></div>\n</div>)',
    re.S)


def runnable(content: str, lang: str, sizes: tuple[int, int]) -> str:
    """``content`` with every source-and-result block made a runnable block."""
    from lessons.browser import bar_html, strings_html

    gz, raw = sizes
    bar = bar_html(lang, gz, raw)
    first = True

    def wrap(m: re.Match) -> str:
        nonlocal first
        head = strings_html(lang, gz, raw) if first else ""
        first = False
        return f'{head}<div class="runnable" data-runnable>{m.group(1)}{bar}</div>'

    return _BLOCK.sub(wrap, content)


def with_try_words(content: str, lang: str, sizes: tuple[int, int]) -> str:
    """``content`` with the runner's help and words before its first "try your own" form
    (``lessons.markdown.try_form_html``) when no runnable block has put them there already:
    ``docs/assets/run.js`` shows a form's button only where they are (where Python can run)."""
    from lessons.browser import strings_html

    if '<form class="try-form"' not in content or 'id="run-ui"' in content:
        return content
    at = content.index('<form class="try-form"')
    return content[:at] + strings_html(lang, *sizes, forms_only=True) + content[at:]


def on_page_content(content, page, config, **kwargs):
    if _state["runtime"] is None:
        return content
    parts = page.file.src_uri.removesuffix(".md").split("/")
    if len(parts) != 2:
        return content
    if parts[1] in PAGES:
        content = runnable(content, parts[0], _state["sizes"])
    return with_try_words(content, parts[0], _state["sizes"])


def on_post_build(config, **kwargs):
    if not _outer(config) or _state["runtime"] is None:
        return
    target = Path(config["site_dir"]) / TARGET
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in _runtime_files(_state["runtime"]):
        shutil.copyfile(path, target / path.name)
    (target / "lessons.zip").write_bytes(_state["zip"])
    shutil.copyfile(ROOT / "hooks" / "pyodide" / "LICENSE", target / "LICENSE")
    (target / "NOTICE").write_text(NOTICE, "utf-8")
    gz, raw = _state["sizes"]
    log.info(f"pyodide: {VERSION} in {TARGET}/, a first run downloads {raw / 1e6:.1f} MB "
             f"({gz / 1e6:.1f} MB gzip)")


on_post_build.mkdocs_priority = -200  # after mkdocs-static-i18n (-100) built the other languages
