"""MkDocs hook for the site as readers meet it: a "not found" page per language, lean assets.

404: Material renders ``404.html`` once per language build into the site root, so the last
language built (English) would overwrite the Ukrainian one. Here the default language's page
stays at ``/404.html`` (the file GitHub Pages and most static hosts serve for any missing
path) and every other language's page is written to ``/<lang>/404.html`` (hosts such as
Cloudflare Pages serve the nearest one). Both carry a line in the other language, and use
absolute URLs under the ``site_url`` path, so they work at any depth.

Tables: a Markdown table whose top-left header cell is empty has row labels in its first
column; they become row headers (``<th scope="row">``), so a screen reader announces them
with each value and every data cell has a header (axe-core: td-has-header).

Permalink titles: ``toc.permalink_title`` (the tooltip of every heading's ¶ link) is a
Markdown extension setting, which mkdocs-static-i18n cannot override per language, so the
English pages carried the Ukrainian tooltip. A language's i18n block sets
``extra.permalink_title``; ``on_config`` (run again for every language build) puts it into the
toc settings, and the default language's own value is remembered there first.

Page titles: Material joins the page and site names in ``<title>`` with a hyphen; a dash
(`` — ``) is the right sign in both languages. The page's ``<title>`` is rewritten after
rendering (the 404 template writes its own). Material gives the home page the bare site name,
but it knows only the default language's home as the home page, so the English home was titled
"Home — …"; every language's home gets the bare site name here.

Assets: markdown-exec links its Pyodide stylesheet and script into every page although no
page runs Python in the browser (it would load Pyodide from another host, which this site
never does), and each language build adds the plugins' stylesheets again, so English pages
linked them twice. Both cost a phone render-blocking requests; the lists are cleaned here.
"""

from __future__ import annotations

import html
import os
import re

from mkdocs.plugins import event_priority
from mkdocs.utils import write_file

_TABLE = re.compile(r"<table>.*?</table>", re.S)
_EMPTY_CORNER = re.compile(r"^<table>\s*<thead>\s*<tr>\s*<th[^>]*>\s*</th>")
_FIRST_CELL = re.compile(r"(<tr>\s*)<td([^>]*)>(.*?)</td>", re.S)
_UNUSED_ASSETS = ("assets/_markdown_exec_pyodide.css", "assets/_markdown_exec_pyodide.js")


def _languages(config) -> tuple[str | None, str | None]:
    """(language being built, default language) from mkdocs-static-i18n, or (None, None)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return None, None
    return i18n.current_language, i18n.default_language


@event_priority(-110)  # after mkdocs-static-i18n (-100) has applied the language's overrides
def on_config(config, **kwargs):
    toc = config.mdx_configs.get("toc")
    if toc and toc.get("permalink"):
        # the first build (the default language) leaves its own title in extra, so a later
        # language without one gets it back rather than the previous language's
        title = config.extra.setdefault("permalink_title", toc.get("permalink_title"))
        if title:
            toc["permalink_title"] = title
    return config


def title_with_dash(output: str, site_name: str) -> str:
    """``output`` with the hyphen between page and site name in ``<title>`` made a dash.

    Only the document's first ``<title>`` (the head's) is touched, never an SVG's.

    Examples:
        >>> title_with_dash("<title>Glossary - Site</title><svg><title>a - b</title>", "Site")
        '<title>Glossary — Site</title><svg><title>a - b</title>'
        >>> title_with_dash("<title>Site</title>", "Site")
        '<title>Site</title>'
    """
    start, end = output.find("<title>"), output.find("</title>")
    if start < 0 or end < start:
        return output
    head = output[start:end]
    # the site name may be escaped (&#39; or &#x27;) and may itself hold " - "
    sep = head.rfind(" - ")
    while sep >= 0:
        if html.unescape(head[sep + 3:]) == site_name:
            return output[:start] + head[:sep] + " — " + head[sep + 3:] + output[end:]
        sep = head.rfind(" - ", 0, sep)
    return output


def home_title(output: str, site_name: str) -> str:
    """``output`` with its first ``<title>`` (the head's) holding the site name alone.

    Examples:
        >>> home_title("<title>Home - Site</title><svg><title>a</title>", "Site")
        '<title>Site</title><svg><title>a</title>'
        >>> home_title("<p>no title</p>", "Site")
        '<p>no title</p>'
    """
    start, end = output.find("<title>"), output.find("</title>")
    if start < 0 or end < start:
        return output
    return output[:start + len("<title>")] + html.escape(site_name, quote=False) + output[end:]


def is_language_home(url: str, language: str | None) -> bool:
    """Whether the page at ``url`` is the home page of the language ``language`` or of the site.

    Examples:
        >>> [is_language_home(u, "en") for u in ("", "en/", "en/glossary/", "glossary/")]
        [True, True, False, False]
        >>> is_language_home("", None), is_language_home("en/", None)
        (True, False)
    """
    return url.strip("/") in ("", language)


def on_post_page(output, page, config, **kwargs):
    current, _ = _languages(config)
    if page.is_homepage or is_language_home(page.url, current):
        return home_title(output, config.site_name)
    return title_with_dash(output, config.site_name)


def on_post_template(output, template_name, config, **kwargs):
    if template_name != "404.html":
        return output
    current, default = _languages(config)
    if current is None or current == default:
        return output
    write_file(output.encode("utf-8"), os.path.join(config.site_dir, current, "404.html"))
    return ""  # an empty output tells MkDocs to skip writing the root 404.html again


@event_priority(-100)  # after the plugins have added their assets
def on_env(env, config, files, **kwargs):
    for key in ("extra_css", "extra_javascript"):
        kept, seen = [], set()
        for item in config[key]:
            path = str(getattr(item, "path", item))
            if path in _UNUSED_ASSETS or path in seen:
                continue
            seen.add(path)
            kept.append(item)
        config[key][:] = kept
    return env


def _row_headers(table: re.Match) -> str:
    html = table.group(0)
    if not _EMPTY_CORNER.match(html) or "<tbody>" not in html:
        return html
    head, body = html.split("<tbody>", 1)
    body = _FIRST_CELL.sub(r'\1<th scope="row"\2>\3</th>', body)
    return f"{head}<tbody>{body}"


_DOC_MODULE = '<div class="doc doc-object doc-module">'


def english_docstrings(html: str) -> str:
    """Mark mkdocstrings' module block ``lang="en"``: the docstrings are English on every page,
    and a screen reader on a Ukrainian page would read them with a Ukrainian voice."""
    return html.replace(_DOC_MODULE, _DOC_MODULE[:-1] + ' lang="en">')


def on_page_content(html, page, config, files, **kwargs):
    html = _TABLE.sub(_row_headers, html) if "<table>" in html else html
    language, _ = _languages(config)
    if language not in (None, "en") and _DOC_MODULE in html:
        html = english_docstrings(html)
    return html
