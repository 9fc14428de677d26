"""Lighthouse scores of every lesson page in both languages (median of five interleaved runs).

Targets (issue 5): 100 for accessibility, best practices and SEO, at least 95 for
performance, with Lighthouse's default mobile preset.

How: builds the site strictly with ``site_url`` pointing at the local server it then starts
(http://127.0.0.1:<port>/<site path>/), so canonical and hreflang links are what production
gets on its own host; serves it with http.server; runs the npm package ``lighthouse``
(pinned to 12.2.3, the newest that runs on Node 20; installed on first use into
``benchmarks/node_modules``, which git ignores) against the same Chromium the browser tests
drive (``CHROME_PATH``, default ``/usr/bin/chromium``). Writes
``benchmarks/results/lighthouse.json`` and prints a table.

Runs are interleaved (run 1 of every page, then run 2 of every page, …), so a burst of load
on the machine lowers one run of several pages rather than every run of one page.

    uv run python benchmarks/lighthouse.py [--runs 5] [--all-pages] [--out FILE]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
RESULTS = HERE / "results" / "lighthouse.json"
LIGHTHOUSE = "lighthouse@12.2.3"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# the metrics the performance score is made of (Lighthouse 12), in ms (CLS unitless)
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
           "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "speed-index": "SI"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
NOT_LESSONS = {"index", "glossary", "reference", "404"}
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
SITE_URL = re.search(r"^site_url:\s*(\S+)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(1)
SITE_PATH = urlsplit(SITE_URL).path


def install_lighthouse() -> None:
    if CLI.exists():
        return
    print(f"installing {LIGHTHOUSE} into {HERE / 'node_modules'} ...", flush=True)
    subprocess.run(
        ["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
         "--prefix", str(HERE), "-E", LIGHTHOUSE],
        check=True, stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(site_url: str, dest: Path) -> None:
    code = (
        "import sys; from mkdocs.commands.build import build; from mkdocs.config import load_config;"
        "build(load_config(sys.argv[1], site_url=sys.argv[2], site_dir=sys.argv[3], strict=True))"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "mkdocs.yml"), site_url, str(dest)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"strict build failed:\n{result.stderr[-3000:]}")


class Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(SITE_PATH):
            return os.path.join(self.directory, ".outside-the-site-path", "missing")
        return super().translate_path("/" + path[len(SITE_PATH):])

    def send_head(self):
        # compress text like GitHub Pages and every common static host do, or the simulated
        # mobile network would bill the page several times its real transfer size
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        compressible = path.endswith((".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"))
        if not compressible or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not os.path.isfile(path) or not self.path.split("?")[0].endswith(("/", ) + (os.path.splitext(path)[1],)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


class PlainHandler(Handler):
    """The same site path, but every file as it is on disk (what ``http.server`` sends)."""

    send_head = http.server.SimpleHTTPRequestHandler.send_head


def serve(site: Path, port: int, *, compress: bool = True) -> http.server.ThreadingHTTPServer:
    handler = Handler if compress else PlainHandler
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_lighthouse(url: str, chrome: str) -> dict[str, int]:
    result = subprocess.run(
        ["node", str(CLI), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--chrome-flags={CHROME_FLAGS}",
         f"--only-categories={','.join(CATEGORIES)}"],
        env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failed = sorted(
        audit_id for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    )
    metrics = {short: round(report["audits"][audit]["numericValue"], 3 if short == "CLS" else 0)
               for audit, short in METRICS.items()}
    return {**scores, "metrics": metrics, "_failed_binary_audits": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all-pages", action="store_true", help="not only the lessons")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args()

    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not shutil.which(chrome):
        sys.exit(f"no Chromium at {chrome}: apt-get install -y chromium, or set CHROME_PATH")
    install_lighthouse()
    docs = ROOT / "docs" / "uk"
    stems = sorted(p.relative_to(docs).with_suffix("").as_posix() for p in docs.glob("**/*.md"))
    if not args.all_pages:  # the lessons; --all-pages adds home, glossary and the reference pages
        stems = [s for s in stems if s not in NOT_LESSONS and "/" not in s]

    port = free_port()
    base = f"http://127.0.0.1:{port}{SITE_PATH}"
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as tmp:
        build(base, Path(tmp))
        server = serve(Path(tmp), port)
        try:
            urls = {}
            for stem in stems:
                for lang in ("uk", "en"):
                    page = "" if stem == "index" else f"{stem}/"
                    urls[f"{lang}/{stem}"] = f"{base}{page}" if lang == "uk" else f"{base}en/{page}"
            runs: dict[str, list] = {name: [] for name in urls}
            for i in range(args.runs):
                for name, url in urls.items():
                    runs[name].append(run_lighthouse(url, chrome))
                    last = runs[name][-1]
                    print(f"run {i + 1}/{args.runs} {name}: {last['performance']} "
                          + " ".join(f"{k} {v:g}" for k, v in last["metrics"].items()), flush=True)
            rows = {}
            for name, done in runs.items():
                medians = {c: statistics.median(r[c] for r in done) for c in CATEGORIES}
                failed = sorted({a for r in done for a in r["_failed_binary_audits"]})
                metrics = {m: statistics.median(r["metrics"][m] for r in done) for m in METRICS.values()}
                rows[name] = {**medians, "metrics_median": metrics,
                              "runs": [{**{c: r[c] for c in CATEGORIES}, "metrics": r["metrics"]} for r in done],
                              "failed_binary_audits": failed}
        finally:
            server.shutdown()

    sys.path.insert(0, str(HERE))
    from _machine import machine_info

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        **machine_info(), "lighthouse": LIGHTHOUSE, "preset": "mobile (default)",
        "runs_per_page": args.runs, "interleaved": True, "served": "gzip", "targets": TARGETS, "pages": rows,
    }, indent=2, ensure_ascii=False) + "\n", "utf-8")

    print(f"\n{'page':<22}" + "".join(f"{c:>16}" for c in CATEGORIES))
    ok = True
    for page, row in rows.items():
        print(f"{page:<22}" + "".join(f"{row[c]:>16g}" for c in CATEGORIES))
        ok &= all(row[c] >= TARGETS[c] for c in CATEGORIES)
    print(f"\n{len(rows)} pages audited, median of {args.runs} interleaved runs each (gzip); "
          f"{'all targets met' if ok else 'TARGETS MISSED'}; written to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
