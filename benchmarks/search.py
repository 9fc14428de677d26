"""Search: what a reader downloads per language, what the build pays, how fast results come.

    uv run python benchmarks/search.py [--site DIR] [--repeat N]

* payload: the files a reader's browser fetches for search, per language, raw and gzip
  (level 9, as a static host compresses them): the bundle's stub index, the language's
  index (with the Ukrainian form table), our worker wrapper and Material's worker;
* build time: loading the Ukrainian dictionary and making the form table from the built
  site's Ukrainian vocabulary (what hooks/search_hooks.py adds to a build);
* latency: in headless Chromium, on a lesson page of each language, every query of
  tests/test_search.py is typed; the time from the last keystroke (End) to the last change
  of the rendered result list (the list has settled for 150 ms) is measured; median, 95th
  percentile and max per language. Plus the time from navigation start to a ready search
  box (index fetched, lunr index built in the worker).

Without --site the site is built first (strict) into a temporary folder. Results go to
benchmarks/results/search.json (with the machine they ran on).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

from _machine import machine_info
from conftest import LANGS, SITE_PATH, build_site

RESULTS = ROOT / "benchmarks" / "results" / "search.json"

WATCH_JS = """() => {
  window.__bench = {key: 0, render: 0}
  document.addEventListener('keydown', e => {
    if (e.key === 'End') window.__bench.key = performance.now()
  }, true)
  new MutationObserver(() => { window.__bench.render = performance.now() })
    .observe(document.querySelector('.md-search-result'),
             {childList: true, subtree: true, characterData: true})
}"""
META = "document.querySelector('.md-search-result__meta').textContent.trim()"


def payload(site: Path) -> dict:
    """Bytes a reader fetches for search, per language (raw, gzip -9)."""
    page = (site / "backprop" / "index.html").read_text("utf-8")
    material = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    shared = {
        "search/search_index.json (stub)": site / "search" / "search_index.json",
        "assets/search/worker.js": site / "assets" / "search" / "worker.js",
        f"{material.relative_to(site)} (Material)": material,
    }
    assert "assets/search/worker.js" in page, "the pages do not use the search worker"
    out = {}
    for lang in LANGS:
        files = {**shared, f"search/search_index.{lang}.json": site / "search" /
                 f"search_index.{lang}.json"}
        rows = {}
        for name, path in files.items():
            data = path.read_bytes()
            rows[name] = {"raw": len(data), "gzip": len(gzip.compress(data, 9))}
        index = json.loads(files[f"search/search_index.{lang}.json"].read_text("utf-8"))
        out[lang] = {
            "files": rows,
            "total_raw": sum(r["raw"] for r in rows.values()),
            "total_gzip": sum(r["gzip"] for r in rows.values()),
            "entries": len(index["docs"]),
            "forms": sum(len(line.split(" ")) for line in index.get("forms", {}).get("keys", [])),
        }
    return out


def build_cost(site: Path, repeat: int) -> dict:
    """Dictionary load (first) and form-table time (best of N) on the site's Ukrainian words."""
    import pymorphy3

    from lessons import search_norm

    docs = json.loads((site / "search" / "search_index.uk.json").read_text("utf-8"))["docs"]
    vocabulary = sorted({w for d in docs for f in (d["title"], d["text"])
                         for w in search_norm.words(f) if search_norm.is_cyrillic(w)})
    load, table = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        morph = pymorphy3.MorphAnalyzer(lang="uk")
        t1 = time.perf_counter()
        forms = search_norm.encode_table(search_norm.form_table(vocabulary, morph))
        t2 = time.perf_counter()
        load.append(t1 - t0)
        table.append(t2 - t1)
    # the first load is what a build pays (pymorphy3 keeps the dictionary for the process)
    return {"ukrainian_words": len(vocabulary), "lemmas": len(forms["keys"]),
            "dictionary_load_s": round(load[0], 3), "form_table_s": round(min(table), 3)}


def latency(site: Path) -> dict:
    """Keystroke-to-results times in Chromium for the test queries, per language."""
    from browser_fixtures import CHROMIUM_FLAGS, _SiteHandler, chromium_path, page_url
    from playwright.sync_api import sync_playwright
    from test_search import QUERIES, SEARCH_FROM

    handler = functools.partial(_SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
    out = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=CHROMIUM_FLAGS)
            for lang in LANGS:
                page = browser.new_page()
                t0 = time.perf_counter()
                page.goto(page_url(base, lang, SEARCH_FROM))
                config = json.loads(page.locator("#__config").text_content())
                placeholder = config["translations"]["search.result.placeholder"].strip()
                page.evaluate(WATCH_JS)
                box = page.locator("input.md-search__input")
                box.click()
                page.wait_for_function(f"p => {META} === p", arg=placeholder, polling=10)
                ready = time.perf_counter() - t0
                # in the page's own clock: from navigation start to a ready search box
                ready_page = page.evaluate("performance.now()") / 1000
                dcl = page.evaluate("performance.getEntriesByType('navigation')[0]"
                                    ".domContentLoadedEventEnd") / 1000
                times = []
                for query in [q for q in QUERIES if q.lang == lang]:
                    box.fill(query.text)
                    box.press("End")
                    page.wait_for_function(f"p => {META} !== p", arg=placeholder)
                    # settled: no change of the result list for 150 ms
                    page.wait_for_function(
                        "() => performance.now() - window.__bench.render > 150", polling=50)
                    b = page.evaluate("window.__bench")
                    times.append(b["render"] - b["key"])
                    box.fill("")
                    box.press("End")
                    page.wait_for_function(f"p => {META} === p", arg=placeholder)
                times.sort()
                out[lang] = {
                    "queries": len(times),
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                    "max_ms": round(times[-1], 1),
                    "page_load_to_ready_search_s": round(ready, 3),
                    "navigation_start_to_ready_search_s": round(ready_page, 3),
                    "dom_content_loaded_to_ready_search_s": round(ready_page - dcl, 3),
                }
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the build-time part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        site = args.site
        build_s = None
        if site is None:
            site = Path(tmp) / "site"
            t0 = time.perf_counter()
            result = build_site(ROOT / "mkdocs.yml", site)
            build_s = round(time.perf_counter() - t0, 2)
            if result.returncode != 0:
                sys.exit(f"strict build failed:\n{result.stdout}\n{result.stderr}")
        report = {
            **machine_info(),
            "whole_build_s": build_s,
            "payload": payload(site),
            "build_cost": build_cost(site, args.repeat),
            "latency": latency(site),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for lang in LANGS:
        p, lat = report["payload"][lang], report["latency"][lang]
        print(f"{lang}: search payload {p['total_raw'] / 1024:.1f} KB raw, "
              f"{p['total_gzip'] / 1024:.1f} KB gzip ({p['entries']} entries, "
              f"{p['forms']} forms); latency over {lat['queries']} queries: median "
              f"{lat['median_ms']} ms, p95 {lat['p95_ms']} ms, max {lat['max_ms']} ms; "
              f"search ready {lat['navigation_start_to_ready_search_s']} s after navigation "
              f"({lat['dom_content_loaded_to_ready_search_s']} s after DOMContentLoaded)")
        for name, row in p["files"].items():
            print(f"    {name:58s} {row['raw']:>8} B  {row['gzip']:>7} B gzip")
    c = report["build_cost"]
    print(f"build: dictionary {c['dictionary_load_s']} s + form table {c['form_table_s']} s "
          f"({c['ukrainian_words']} Ukrainian words, {c['lemmas']} lemmas); whole build "
          f"{report['whole_build_s']} s")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
