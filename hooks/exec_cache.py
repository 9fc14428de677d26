"""A cache of markdown-exec's python block outputs across builds (used by hooks/lessons_hooks.py).

Why: a build runs every exec block of every page in both languages, about two thirds of a
build here, and `mkdocs serve` does it again for every edit. Most edits change one page, or
one function of `lessons`: the other blocks would print exactly what they printed last time.

Why our own code: markdown-exec has no cache (its issue #4 "Cache" is open; a filesystem
cache proposed in its pull request #93 was closed unmerged, and it keyed a block by its own
code and options only, which is wrong for sessions: a block's output depends on the blocks
before it in its session and on the package they import). mkdocs-jupyter and MyST-NB cache
whole notebooks, not fenced blocks in Markdown. So this module wraps the one function through
which markdown-exec runs a python block, ``markdown_exec._internal.formatters.python._run_python``
(code in, printed text out; ``_format_python`` looks the name up on every call, so replacing
the module attribute is enough). Everything markdown-exec does with the text afterwards
(Markdown conversion, tabs, source display, ids, the table of contents) still runs on every
build, so a hit gives the same HTML as a run. If markdown-exec's internals move (another
version), ``install`` finds no such function, says so in the log, and the site builds
uncached: slower, never wrong.

The key of a block (sha256) holds:

* ``FORMAT`` (bump it when the key or the entry layout changes);
* the versions that can change an output: Python (full ``sys.version``), the CPU
  architecture (a float through BLAS can differ in its last bits between CPUs), numpy,
  matplotlib, markdown-exec;
* the source the block can reach (``SourceIndex.digest``): the modules of ``lessons`` its
  session's blocks import, with every module those import, transitively (read from the
  modules' syntax trees: an ``import`` anywhere in a module counts, in a function body too;
  a module that imports by name at run time, ``importlib.import_module``, counts as
  importing every module of its own package), plus every data file of the package and
  the files outside it that `lessons` reads (``EXTRA_INPUTS``: the benchmark results the
  convolutions page shows, and the names, not the text, of the pages, from which the
  glossary decides which terms to list). So an edit of ``lessons/pages/convolutions.py``
  re-runs the convolutions page's blocks and nothing else, while an edit of
  ``lessons/i18n.py``, which every page imports, re-runs them all. A block whose code does
  not parse gets the whole package's fingerprint (it fails anyway);
* the block's session name and the code and options of every block of that session so far
  in this language's build, up to and including this one (for a block without a session:
  its own code and options only);
* the working directory and ``COLUMNS`` at run time (markdown-exec's ``workdir`` and
  ``width`` options act through them).

No page path or language is in the key: a block's output depends on what it runs, and the
language is in its code (``lang="uk"``) and its session name; two pages that run the same
code share the entry.

Sessions: a hit skips running a block, so its session's globals are not advanced. When a
later block of the same session misses, the earlier blocks of the chain that were skipped
run first, in order, their output thrown away, and then the block itself. markdown-exec
numbers the blocks of a session (the number is in the block's ``__name__`` and tracebacks);
that counter is set before every run to what it would have been without the cache, so a
run after skipped blocks sees the same name as in an uncached build.

A block that fails (markdown-exec's ``ExecutionError``) is never stored: it runs, and
fails, on every build.

Entries: one JSON file per key, ``<dir>/<key[:2]>/<key>.json`` with the key and the
output's sha256; an entry that does not parse, names another key, has a wrong checksum or
another ``FORMAT`` is ignored (and replaced by the next run), never trusted. Writes are
atomic (a temporary file, then ``os.replace``), so two builds at once (the tests) never
read half an entry.

Where: ``.cache/exec/`` beside mkdocs.yml (git-ignored). ``LESSONS_EXEC_CACHE=off`` (or
``0``, ``false``, ``no``) turns it off; any other value is the folder to use. Clearing it is
deleting the folder; nothing else holds state between processes.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.exec_cache")

FORMAT = "lessons-exec-cache-1"
ENV = "LESSONS_EXEC_CACHE"
DEFAULT_DIR = Path(".cache") / "exec"
VERSIONED = ("numpy", "matplotlib", "markdown-exec")
# Files outside lessons/ that lessons reads, as globs relative to the project root (the
# folder that holds lessons/), each with what of it counts: "content" or "name" (its path
# only). tests/test_exec_cache.py fails when a module of lessons builds a path out of the
# package that is not covered here.
EXTRA_INPUTS = (
    ("benchmarks/results/*.json", "content"),  # lessons/pages/convolutions.py: RESULTS
    ("docs/*/*.md", "name"),                    # lessons/glossary.py: the pages that exist
)
_OFF = {"off", "0", "false", "no"}


def lessons_dir() -> Path:
    """The folder of the `lessons` package that markdown-exec will import (not imported here)."""
    spec = importlib.util.find_spec("lessons")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the lessons package is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _package_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def stale_modules(previous: SourceIndex | None, index: SourceIndex) -> set[str] | None:
    """The modules of ``index``'s package to import afresh after ``previous``: every module
    whose source changed, every module that imports one of them (directly or through others),
    and every module under a changed package. None means all of them: nothing is known of
    what was loaded, or a data file changed (any module may read it).

    What is kept is a module whose source and whose every import are unchanged, so its
    ``functools`` caches still hold what it would compute again.
    """
    if previous is None or previous.data != index.data or previous.package != index.package:
        return None
    changed = {m for m in set(previous.hashes) | set(index.hashes)
               if previous.hashes.get(m) != index.hashes.get(m)}
    importers: dict[str, set[str]] = {}
    for graph in (previous.imports, index.imports):  # the old edges too: what was loaded by them
        for module, deps in graph.items():
            for dep in deps:
                importers.setdefault(dep, set()).add(module)
    stale: set[str] = set()
    todo = set(changed)
    while todo:
        name = todo.pop()
        if name in stale:
            continue
        stale.add(name)
        todo |= importers.get(name, set())
        todo |= {m for m in set(index.hashes) | set(previous.hashes) if m.startswith(name + ".")}
    return stale


def source_fingerprint(package: Path | None = None) -> str:
    """sha256 over every file of `lessons` and the outside files it reads (``EXTRA_INPUTS``).

    Content, not modification times: a fresh checkout or a ``git stash`` round trip changes
    every mtime and no output; the whole package is about 0.5 MB, read and hashed (with its
    import graph, ``SourceIndex``) in about 20 ms.
    """
    return SourceIndex(package).fingerprint


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, package: str, current: str, is_package: bool) -> set[str]:
    """Names of the modules under ``package`` that the code of ``tree`` imports (in module
    ``current``, for relative imports; "" for an exec block), parents included."""
    found: set[str] = set()

    def add(name: str) -> None:
        while name:
            found.add(name)
            name = name.rpartition(".")[0]

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current if is_package else current.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            add(module)
            for alias in node.names:  # `from lessons import conv` imports a submodule
                found.add(f"{module}.{alias.name}")
    return {n for n in found if n == package or n.startswith(package + ".")}


# An import statement at the start of a line, in any block of a module (a function body
# too), a parenthesized name list across lines included. Parsing every module with `ast`
# costs about 0.75 s here, this about 20 ms. A docstring line that happens to read like an
# import only adds a dependency (a needless re-run, never a stale page); what it cannot see
# is an import after a `;` or a `:` on one line, which this package does not write.
_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#]*)"
    r"|import[ \t]+(?P<plain>[^\n#]*))", re.M)


def _source_imports(text: str, package: str, current: str, is_package: bool) -> set[str]:
    """The modules under ``package`` a module's source imports (see ``_IMPORT_LINE``)."""
    lines = []
    for m in _IMPORT_LINE.finditer(text):
        if m.group("plain") is not None:
            lines.append(f"import {m.group('plain').strip()}")
        else:
            names = " ".join(m.group("names").strip("() \t\n").replace("\\", " ").split())
            lines.append(f"from {m.group('module')} import {names.rstrip(',') or '_'}")
    found: set[str] = set()
    for line in lines:
        try:
            found |= _imported(ast.parse(line), package, current, is_package)
        except SyntaxError:  # not an import after all (prose in a docstring)
            continue
    return found


_DYNAMIC = re.compile(r"\bimport_module\s*\(|\b__import__\s*\(")


class SourceIndex:
    """The modules and data files of `lessons`, hashed, with their import graph."""

    def __init__(self, package: Path | None = None):
        self.package = package = package or lessons_dir()
        root = package.parent
        self.name = package.name
        self.hashes: dict[str, str] = {}
        self.imports: dict[str, set[str]] = {}
        files: dict[str, Path] = {}
        data = hashlib.sha256()
        for path in _package_files(package):
            content = path.read_bytes()
            if path.suffix == ".py":
                name = _module_name(path, root)
                files[name] = path
                self.hashes[name] = hashlib.sha256(content).hexdigest()
            else:
                data.update(b"D\0" + path.relative_to(root).as_posix().encode() + b"\0")
                data.update(hashlib.sha256(content).digest())
        for pattern, what in EXTRA_INPUTS:
            for path in sorted(root.glob(pattern)):
                data.update(b"X\0" + path.relative_to(root).as_posix().encode() + b"\0")
                if what == "content":
                    data.update(hashlib.sha256(path.read_bytes()).digest())
        self.data = data.hexdigest()
        for name, path in files.items():
            text = path.read_text("utf-8")
            is_package = path.name == "__init__.py"
            deps = _source_imports(text, self.name, name, is_package)
            if _DYNAMIC.search(text):  # imports by a name made at run time: all its package
                folder = name if is_package else name.rpartition(".")[0]
                deps |= {m for m in files if m == folder or m.startswith(folder + ".")}
            self.imports[name] = {d for d in deps if d in files}
        self._parsed: dict[str, frozenset[str] | None] = {}
        self.fingerprint = hashlib.sha256(json.dumps(
            [self.hashes, self.data], sort_keys=True).encode()).hexdigest()

    def closure(self, codes: list[str]) -> list[str] | None:
        """The package's modules the blocks ``codes`` reach; None if one does not parse."""
        todo: set[str] = set()
        for code in codes:
            imported = self._block_imports(code)
            if imported is None:
                return None
            todo |= imported
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in self.hashes and name not in seen:
                seen.add(name)
                todo |= self.imports[name] - seen
        return sorted(seen)

    def _block_imports(self, code: str) -> set[str] | None:
        """The package's modules one block imports (None if it does not parse), parsed once:
        a block's key holds its session's earlier blocks, so each code is asked for again by
        every later block of its session (4,000 parses a build, a tenth of a warm build)."""
        if code not in self._parsed:
            try:
                self._parsed[code] = frozenset(_imported(ast.parse(code), self.name, "", False))
            except SyntaxError:
                self._parsed[code] = None
        return self._parsed[code]

    def digest(self, codes: list[str]) -> str:
        """What of the package's source the blocks ``codes`` depend on, as one sha256."""
        modules = self.closure(codes)
        if modules is None:
            return self.fingerprint
        return hashlib.sha256(json.dumps(
            [{m: self.hashes[m] for m in modules}, self.data], sort_keys=True).encode()).hexdigest()


def environment() -> dict[str, str]:
    """What else an output depends on: the interpreter, the CPU and the numeric libraries."""
    versions = {}
    for name in VERSIONED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return {"python": sys.version, "machine": platform.machine(), **versions}


def cache_dir(config_dir: str | os.PathLike) -> Path | None:
    """The cache folder (``LESSONS_EXEC_CACHE`` or ``.cache/exec`` beside mkdocs.yml), None if off."""
    value = os.environ.get(ENV)
    if value is None:
        return Path(config_dir) / DEFAULT_DIR
    if value.strip().lower() in _OFF or not value.strip():
        return None
    return Path(value).expanduser()


def block_key(base: str, session: str | None, chain: list[dict]) -> str:
    """The key of the last block of ``chain`` (the session's blocks so far, each a dict of its
    code and options) under ``base`` (format, environment and the source it can reach)."""
    payload = json.dumps({"base": base, "session": session, "chain": chain},
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Store:
    """Entries on disk, one JSON file per key, validated on every read.

    An entry holds its ``format``, its key, its text (under ``field``) and the text's sha256;
    one that does not parse, or names another format or key, or whose checksum is wrong, is
    ignored (and replaced by the next ``put``), never trusted. Writes are atomic (a temporary
    file, then ``os.replace``), so builds running at once never read half an entry. The
    other build caches (hooks/highlight_cache.py, the search sections of
    hooks/search_hooks.py) keep their entries in a Store of their own format and folder.
    """

    def __init__(self, folder: Path, format: str = FORMAT, field: str = "output"):  # noqa: A002
        self.folder, self.format, self.field = folder, format, field

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            output = data[self.field]
            valid = (data.get("format") == self.format and data.get("key") == key
                     and isinstance(output, str)
                     and data.get("sha256") == hashlib.sha256(output.encode("utf-8")).hexdigest())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return output if valid else None

    def put(self, key: str, output: str) -> None:
        path = self._path(key)
        data = {"format": self.format, "key": key, self.field: output,
                "sha256": hashlib.sha256(output.encode("utf-8")).hexdigest()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:  # a read-only or full disk costs speed, never the build
            log.info("cache: cannot write %s: %s", path, exc)


class _State:
    def __init__(self):
        self.original = None      # markdown-exec's _run_python
        self.module = None        # markdown_exec._internal.formatters.python
        self.store: Store | None = None
        self.base = ""            # format + environment
        self.index: SourceIndex | None = None
        self.chains: dict = {}    # session -> {"base": counter at start, "blocks": [...], "ran": n}
        self.page: str | None = None  # the output file of the page being rendered
        self.page_modules: dict[str, set[str]] = {}  # output file -> lessons modules it shows
        self.stats = {"hit": 0, "run": 0, "replay": 0}


STATE = _State()


def install() -> bool:
    """Wrap markdown-exec's python runner once per process. False if its internals moved."""
    if STATE.original is not None:
        return True
    try:
        from markdown_exec._internal.formatters import python as module
    except ImportError:
        module = None
    runner = getattr(module, "_run_python", None)
    if runner is None or not hasattr(module, "_sessions_counter") or not hasattr(module, "_format_python"):
        log.info("exec cache: off, this markdown-exec has no _run_python/_sessions_counter")
        return False
    STATE.module, STATE.original = module, runner
    module._run_python = _cached_run
    return True


def start_build(config_dir: str | os.PathLike, index: SourceIndex) -> None:
    """Begin one language's build: a fresh chain for every session, the store and key base."""
    folder = cache_dir(config_dir)
    STATE.store = Store(folder) if folder is not None and STATE.original is not None else None
    STATE.base = json.dumps({"format": FORMAT, "env": environment()}, sort_keys=True)
    STATE.index = index
    STATE.chains = {}


_DIRECTIVE = re.compile(r"^:::[ \t]*([\w.]+)", re.M)  # mkdocstrings: `::: lessons.conv`


def start_page(dest: str, markdown: str) -> None:
    """A page is about to be rendered into ``dest``: what it shows of `lessons` is recorded
    afresh (its exec blocks add theirs as they run; its mkdocstrings directives here)."""
    STATE.page = dest
    modules = STATE.page_modules[dest] = set()
    index = STATE.index
    if index is not None:
        for name in _DIRECTIVE.findall(markdown):
            found = index.closure([f"import {name}"])
            modules |= set(found or index.hashes)


def pages_depending_on(changed: set[str]) -> list[str]:
    """The output files of the pages that showed any of the modules ``changed``."""
    return sorted(dest for dest, modules in STATE.page_modules.items() if modules & changed)


def stats_line() -> str:
    s, STATE.stats = STATE.stats, {"hit": 0, "run": 0, "replay": 0}
    where = STATE.store.folder if STATE.store else "off"
    return f"exec cache ({where}): {s['hit']} hits, {s['run']} runs, {s['replay']} replays"


def _cached_run(code: str, returncode: int | None = None, session: str | None = None,
                id: str | None = None, **extra):  # noqa: A002 - markdown-exec's signature
    original, module = STATE.original, STATE.module
    if STATE.store is None:  # off, or a build that did not go through start_build
        return original(code, returncode=returncode, session=session, id=id, **extra)
    counter = module._sessions_counter
    chain = STATE.chains.get(session) if session is not None else None
    if chain is None:
        chain = {"base": counter[session], "blocks": [], "ran": 0}
        if session is not None:
            STATE.chains[session] = chain
    block = {"code": code, "returncode": returncode, "id": id, "extra": extra,
             "cwd": os.getcwd(), "columns": os.environ.get("COLUMNS")}
    chain["blocks"].append(block)
    position = len(chain["blocks"])
    codes = [b["code"] for b in chain["blocks"]]
    source = STATE.index.digest(codes)
    if STATE.page is not None:
        STATE.page_modules.setdefault(STATE.page, set()).update(
            STATE.index.closure(codes) or STATE.index.hashes)
    key = block_key(STATE.base + source, session, chain["blocks"])
    cached = STATE.store.get(key)
    if cached is not None:
        STATE.stats["hit"] += 1
        counter[session] = chain["base"] + position
        return cached
    # a miss: first bring the session's globals to where they would be, by running the
    # blocks this build skipped (their output is already on the page)
    for n in range(chain["ran"] + 1, position):
        earlier = chain["blocks"][n - 1]
        counter[session] = chain["base"] + n - 1
        STATE.stats["replay"] += 1
        original(earlier["code"], returncode=earlier["returncode"], session=session,
                 id=earlier["id"], **earlier["extra"])
    counter[session] = chain["base"] + position - 1
    try:
        output = original(code, returncode=returncode, session=session, id=id, **extra)
    finally:  # a failed block ran too: the next block goes on from there, as uncached
        chain["ran"] = position
    STATE.stats["run"] += 1
    STATE.store.put(key, output)
    return output
