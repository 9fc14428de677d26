"""How long the code blocks of the Lesson 2 page take at build time, both languages.

Runs the ``exec="1"`` blocks of ``docs/uk/normalization.md`` and then of
``docs/en/normalization.md`` the way markdown-exec does (one namespace per session, stdout
captured), each repetition in a fresh interpreter so nothing is cached or imported yet.
The budget (DESIGN.md): under 2 s for both languages together, and the second language
under 10 % of the first.

    uv run python benchmarks/normalization_blocks.py [repetitions] [--no-hook]

numpy is imported before the clock starts (mkdocs has it loaded by an earlier page);
matplotlib is billed to this page.

Between the languages the script calls ``hooks/lessons_hooks.py``'s ``on_pre_build`` the way
the real build does: mkdocs-static-i18n builds the second language by calling ``build()``
again, with its ``building`` flag set, and every ``build()`` runs the hook. If the hook drops
``lessons`` from ``sys.modules`` there, the second language loses every cached experiment and
figure and recomputes them. ``--no-hook`` skips the call (the page's own cost, as if the
hook kept the caches). With ``PYTHONDONTWRITEBYTECODE=1`` in the environment
Python recompiles matplotlib from source in every process, which adds about half a second;
``PYTHONPYCACHEPREFIX=/some/dir`` with that variable unset measures the usual case.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```python ([^\n]*exec=\"1\"[^\n]*)\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def blocks(lang: str) -> list[str]:
    text = (ROOT / "docs" / lang / "normalization.md").read_text("utf-8")
    return [m.group(2) for m in FENCE.finditer(text)]


def _pre_build_hook():
    """``on_pre_build`` of hooks/lessons_hooks.py, loaded from its file as MkDocs does."""
    spec = importlib.util.spec_from_file_location("lessons_hooks", ROOT / "hooks" / "lessons_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.on_pre_build


def run_once(hook: bool = True) -> dict:
    """Run both pages' blocks in this process; return seconds per language."""
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    import numpy  # noqa: F401  (mkdocs has numpy loaded before the page; don't bill it)
    result = {"import_numpy": time.perf_counter() - t0}
    on_pre_build = _pre_build_hook() if hook else None
    for lang in ("uk", "en"):
        if on_pre_build is not None:
            # the first language is the outer build; the second is i18n's nested build()
            on_pre_build({"plugins": {"i18n": SimpleNamespace(building=lang != "uk")}})
        namespace: dict = {}
        start, cpu = time.perf_counter(), time.process_time()
        for code in blocks(lang):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"<{lang} block>", "exec"), namespace)
        result[lang] = time.perf_counter() - start
        result[lang + "_cpu"] = time.process_time() - cpu
    return result


def main() -> None:
    if os.environ.get("_NORMALIZATION_BLOCKS_CHILD"):
        print(json.dumps(run_once(hook=os.environ["_NORMALIZATION_BLOCKS_CHILD"] == "hook")))
        return
    args = [a for a in sys.argv[1:] if a != "--no-hook"]
    hook = "--no-hook" not in sys.argv[1:]
    repetitions = int(args[0]) if args else 5
    env = {**os.environ, "_NORMALIZATION_BLOCKS_CHILD": "hook" if hook else "no-hook"}
    runs = []
    for _ in range(repetitions):
        out = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True,
                             check=True)
        runs.append(json.loads(out.stdout))
    uk = [r["uk"] for r in runs]
    en = [r["en"] for r in runs]
    total = [a + b for a, b in zip(uk, en)]
    print(f"blocks per page: {len(blocks('uk'))} (uk), {len(blocks('en'))} (en); "
          f"{repetitions} fresh processes, {os.cpu_count()} cores; bytecode cache "
          f"{'off' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'on'}; pre-build hook between "
          f"the languages {'called' if hook else 'skipped'}")
    print(f"first language (uk): median {statistics.median(uk):.3f} s, min {min(uk):.3f} s")
    print(f"second language (en): median {statistics.median(en):.3f} s, min {min(en):.3f} s "
          f"({100 * statistics.median(en) / statistics.median(uk):.0f} % of the first)")
    print(f"both languages: median {statistics.median(total):.3f} s, max {max(total):.3f} s "
          f"(budget 2 s)")
    cpu = [r["uk_cpu"] + r["en_cpu"] for r in runs]
    print(f"both languages, CPU time of the process (less sensitive to other load; includes "
          f"any BLAS threads): median {statistics.median(cpu):.3f} s, min {min(cpu):.3f} s")
    with open("/proc/loadavg", encoding="utf-8") as f:
        print(f"load average while measuring: {f.read().split()[0]}")


if __name__ == "__main__":
    main()
