"""How soon a lesson page is usable on a phone: 360×740, CPU slowed 4×, cold cache.

Budget (issue 10): every lesson page usable in under 1.5 s. "Usable" is the later of
DOMContentLoaded and the first idle moment after Material's mount (its DOMContentLoaded handler
and the tasks it queues); first contentful paint is reported beside it. The CPU is
slowed through the Chrome DevTools Protocol (``Emulation.setCPUThrottlingRate``, rate 4),
as the usability test in ../shared/reviews/ux.md measured it. The site is built strictly and
served with gzip on 127.0.0.1 (``benchmarks/lighthouse.py``'s server: hosts compress text),
or uncompressed with ``--plain``. Runs are interleaved across pages; each page's median of
``--runs`` (5) cold loads is reported. Writes ``benchmarks/results/phone_load.json``.

    uv run python benchmarks/phone_load.py [--runs 5] [--plain]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info  # noqa: E402
from lighthouse import NOT_LESSONS, ROOT, SITE_PATH, build, free_port, serve  # noqa: E402

RESULTS = HERE / "results" / "phone_load.json"
BUDGET_MS = 1500
RATE = 4
CHROMIUM = "/usr/bin/chromium"
# Usable: Material has mounted its components and the page has nothing left to do. Material
# mounts them in its DOMContentLoaded handler and in tasks it queues from there; the first idle
# period after that handler is the moment a tap is answered at once. (Until code blocks mounted
# lazily, `content.lazy` in mkdocs.yml, the signal was the first copy button in the page; now a
# page whose first screen has no code block has none until the reader scrolls.)
MARK_IDLE = """addEventListener('DOMContentLoaded', () => setTimeout(() =>
    requestIdleCallback(() => { window.__idle = performance.now() })), {once: true})"""
READY = "() => window.__idle !== undefined"
TIMES = """() => { const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null}; }"""


def measure(browser, url: str) -> dict[str, float]:
    """One cold load of ``url`` at 360 px with the CPU slowed ``RATE`` times, in ms."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": RATE})
    page.add_init_script(MARK_IDLE)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(READY, polling=10)
    ready = page.evaluate("() => window.__idle")
    times = page.evaluate(TIMES)
    context.close()
    return {"fcp": times["fcp"], "dcl": times["dcl"], "usable": max(times["dcl"], ready)}


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plain", action="store_true", help="serve uncompressed")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    stems = sorted(p.stem for p in (ROOT / "docs" / "uk").glob("*.md") if p.stem not in NOT_LESSONS)
    port = free_port()
    base = f"http://127.0.0.1:{port}{SITE_PATH}"
    with tempfile.TemporaryDirectory(prefix="phone-load-") as tmp:
        site = Path(tmp)
        build(base, site)
        server = serve(site, port, compress=not args.plain)
        urls = {f"{lang}/{stem}": f"{base}{'' if lang == 'uk' else 'en/'}{stem}/"
                for stem in stems for lang in ("uk", "en")}
        runs: dict[str, list] = {name: [] for name in urls}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for _ in range(args.runs):
                    for name, url in urls.items():
                        runs[name].append(measure(browser, url))
                browser.close()
        finally:
            server.shutdown()

    rows = {name: {key: round(statistics.median(r[key] for r in done))
                   for key in ("fcp", "dcl", "usable")} | {"runs": done}
            for name, done in runs.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        **machine_info(), "cpu_slowdown": RATE, "viewport": "360x740", "served": "plain" if args.plain else "gzip",
        "runs_per_page": args.runs, "interleaved": True, "budget_ms": BUDGET_MS, "pages": rows,
    }, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"{'page':<20}{'FCP ms':>10}{'DCL ms':>10}{'usable ms':>12}")
    ok = True
    for name, row in rows.items():
        print(f"{name:<20}{row['fcp']:>10}{row['dcl']:>10}{row['usable']:>12}")
        ok &= row["usable"] < BUDGET_MS
    print(f"\nmedian of {args.runs} interleaved cold loads, CPU {RATE}× slower, "
          f"{'plain' if args.plain else 'gzip'}; {'within' if ok else 'OVER'} the {BUDGET_MS} ms budget; "
          f"written to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
