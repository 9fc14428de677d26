"""Browser fixtures: the built site served on 127.0.0.1 and one headless Chromium per session.

Registered for every test module by ``pytest_plugins = ["browser_fixtures"]`` in
``tests/conftest.py``; any test (site search, glossary, a lesson's figures) can use them.

Fixtures
--------
``site_server`` (session)
    Serves the strictly built ``site`` fixture with ``http.server`` in a background thread on
    ``127.0.0.1`` (a free port) under the path of ``site_url`` (``SITE_PATH`` in conftest, e.g.
    ``/nn-fundamentals/``), like the hosted site. A missing file gets the site's ``404.html``
    with status 404 (the nearest one up the tree: GitHub Pages serves the root one,
    Cloudflare Pages the nearest). Its value is the base URL,
    e.g. ``http://127.0.0.1:41234/nn-fundamentals/``.
``browser`` (session)
    One headless Chromium shared by the whole session. The executable comes from the
    environment variable ``CHROMIUM_PATH`` (default ``/usr/bin/chromium``; CI points it at
    the runner's own Chrome). Where none is found the tests that use it are skipped with an
    install hint; with ``CI`` set they fail instead, because CI must run them.
``new_context`` (function)
    ``new_context(scheme="default", width=1280, height=800)`` returns a fresh browser context
    (closed at the end of the test) whose pages start in the given Material palette
    (``"default"`` light or ``"slate"`` dark, stored the way Material stores the reader's
    choice) and in which every request to a host other than 127.0.0.1 is aborted and recorded.
    Use ``watch(page)`` on each page to collect what went wrong.
``make_context(browser, scheme, width, height)`` / ``set_scheme(page, scheme)`` / ``settle(page)``
    The same without the fixture (for module-scoped contexts); a palette switch on a loaded
    page (Material's palette is the ``data-md-color-scheme`` attribute of ``body``); and
    ``settle``, to call after a page loads: it stops transitions and lays out the blocks
    that lessons.css lets a phone skip while off screen, so measurements see everything.
``watch(page) -> PageLog``
    Records console errors, uncaught page errors, failed requests (network failures and HTTP
    status >= 400) and requests to other hosts for one page; ``log.problems()`` lists them.
``page_url(base, lang, stem)``
    The served URL of a page: ``page_url(site_server, "en", "backprop")``; ``stem`` "index"
    is the home page.

Helpers for other test modules: ``site_stems()`` (the page stems discovered from
``docs/uk/**/*.md``, e.g. "reference/conv", never a hard-coded list); ``SCREENSHOT_DIRS`` (append a folder of
screenshots and the terminal summary names it).

Pitfall (DESIGN.md): Playwright's ``keyboard.type`` sends no key events for characters off
the US layout (Cyrillic), and Material's search listens for key events: after ``fill`` or
``type``, press a key such as ``End`` or the search sees nothing.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, SITE_PATH

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
# folders of screenshots a test wrote (test_browser's lessons): listed in the terminal summary
SCREENSHOT_DIRS: list[Path] = []
INSTALL_HINT = (
    "no Chromium found at {path!r}: install one (Debian/Ubuntu: `apt-get update && "
    "apt-get install -y chromium`) or point CHROMIUM_PATH at a Chrome/Chromium executable"
)


def site_stems() -> list[str]:
    """Page stems of the site, discovered from docs/uk (pages appear as lessons land):
    "backprop" for docs/uk/backprop.md, "reference/conv" for docs/uk/reference/conv.md."""
    folder = ROOT / "docs" / "uk"
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.md"))


def page_url(base: str, lang: str, stem: str) -> str:
    """Served URL of page ``stem`` in ``lang`` under ``base`` (the ``site_server`` value)."""
    prefix = base if lang == "uk" else f"{base}{lang}/"
    return prefix if stem == "index" else f"{prefix}{stem}/"


# --------------------------------------------------------------------------------------------
# the server


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under SITE_PATH only; anything else is a 404 with the site's page."""

    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(SITE_PATH):
            return os.path.join(self.directory, ".outside-the-site-path", "missing")  # never exists
        return super().translate_path("/" + path[len(SITE_PATH):])

    def _not_found_page(self) -> Path | None:
        # the nearest 404.html up the tree (/en/404.html for /en/...), else the root one
        root = Path(self.directory)
        path = unquote(urlsplit(self.path).path)
        parts = path[len(SITE_PATH):].split("/")[:-1] if path.startswith(SITE_PATH) else []
        for depth in range(len(parts), -1, -1):
            candidate = root.joinpath(*parts[:depth], "404.html")
            if candidate.is_file():
                return candidate
        return None

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == 404 else None
        if page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def site_server(site):
    """Base URL of the built site served on 127.0.0.1 under the site_url path."""
    handler = functools.partial(_SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------
# the browser


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    found = shutil.which(path)
    return found if found and os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skipped with a hint where none exists)."""
    path = chromium_path()
    if path is None:
        message = INSTALL_HINT.format(path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: " + message, pytrace=False)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test group installs it
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed (uv sync --group test)", pytrace=False)
        pytest.skip("playwright is not installed: uv sync --group test")
    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


@dataclass
class PageLog:
    """What went wrong while a page loaded: each list should stay empty."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every recorded problem, one line each."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request to another host: {m}" for m in self.foreign_requests]
        )


def watch(page) -> PageLog:
    """Start recording console errors, failed and foreign requests of ``page``."""
    log = PageLog()
    page.on(
        "console",
        lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def on_finished(response):
        if response.status >= 400:
            log.failed_requests.append(f"{response.status} {response.url}")

    def on_failed(request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS:  # foreign ones are logged below
            log.failed_requests.append(f"{request.failure} {request.url}")

    page.on("response", on_finished)
    page.on("requestfailed", on_failed)
    page._lessons_log = log  # the context's router appends foreign requests here
    return log


def _palette_script(scheme: str) -> str:
    # Material keeps the reader's palette choice in localStorage under "<base path>.__palette"
    # (scope "/nn-fundamentals/" -> key "/nn-fundamentals/.__palette"), with the index of the
    # chosen entry of `theme.palette` (0 = light "default", 1 = dark "slate" in mkdocs.yml).
    index = {"default": 0, "slate": 1}[scheme]
    value = json.dumps({"index": index, "color": {"media": "", "scheme": scheme,
                                                  "primary": "indigo", "accent": "indigo"}})
    return (
        "(() => { try { for (const scope of [" + json.dumps(SITE_PATH) + ", "
        + json.dumps(SITE_PATH + "en/") + "]) localStorage.setItem(scope + '.__palette', "
        + json.dumps(value) + "); } catch (e) {} })();"
    )


def make_context(browser, scheme: str = "default", width: int = 1280, height: int = 800, **kwargs):
    """A browser context in a Material palette with every host but 127.0.0.1 cut off.

    The caller closes it. ``scheme`` is ``"default"`` (light) or ``"slate"`` (dark); the
    palette can also be switched on a loaded page with ``set_scheme(page, scheme)``.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme="dark" if scheme == "slate" else "light",
        **kwargs,
    )
    context.add_init_script(_palette_script(scheme))

    def route(route, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS or request.url.startswith(
            ("data:", "blob:", "about:")
        ):
            return route.continue_()
        log = getattr(request.frame.page, "_lessons_log", None) if request.frame else None
        if log is not None:
            log.foreign_requests.append(request.url)
        return route.abort("blockedbyclient")

    context.route("**/*", route)
    return context


_SETTLE = """async () => {
    // Test pages only. Material animates colour changes, so a check right after a palette
    // switch would read colours half-way: no transitions. lessons.css lets a phone skip
    // laying out blocks far below the screen (content-visibility: auto); a reader scrolls
    // them into view, so the tests lay everything out at once to see what the reader sees.
    if (document.getElementById('lessons-test-settle')) return;
    const style = document.createElement('style');
    style.id = 'lessons-test-settle';
    style.textContent = '*, *::before, *::after { transition: none !important; } '
        + '.md-typeset * { content-visibility: visible !important; }';
    document.head.append(style);
    // let resize observers (scroll boxes become focusable) see the new layout: two frames.
    // Each wait is capped: headless Chromium may schedule no frame for a while, and
    // page.evaluate has no timeout of its own, so an uncapped wait could hang the run.
    const frame = () => new Promise(r => { requestAnimationFrame(r); setTimeout(r, 250); });
    await frame();
    await frame();
}"""


def settle(page) -> None:
    """Lay out the whole page and stop animations, so what tests measure is what readers see."""
    page.evaluate(_SETTLE)


def set_scheme(page, scheme: str) -> None:
    """Switch a loaded page to Material's light ("default") or dark ("slate") palette."""
    settle(page)
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)


@pytest.fixture
def new_context(browser):
    """Factory of browser contexts (see ``make_context``), all closed after the test."""
    contexts = []

    def make(scheme: str = "default", width: int = 1280, height: int = 800, **kwargs):
        context = make_context(browser, scheme, width, height, **kwargs)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    """Say where the screenshots are, so a reviewer can look at them.

    Under pytest-xdist this runs in the controller, which ran no test and so holds no
    folder in SCREENSHOT_DIRS: the folder named by $LESSONS_SCREENSHOTS is listed too.
    """
    folders = list(dict.fromkeys(SCREENSHOT_DIRS + (
        [Path(os.environ["LESSONS_SCREENSHOTS"])] if os.environ.get("LESSONS_SCREENSHOTS") else [])))
    for folder in folders:
        count = sum(1 for _ in folder.glob("*.jpg"))
        if count:
            terminalreporter.write_line(f"screenshots of the lessons ({count}): {folder}")
