"""MkDocs hook: the site's search, per language, with Ukrainian word forms.

What readers get: on a Ukrainian page a Ukrainian query searches the Ukrainian pages only,
and any common form of a word finds the pages that use another form of it («градієнтів»
finds «градієнт»); on an English page, English pages with lunr's English stemmer. Results
keep Material's look, keyboard behaviour and section anchors, because they still come from
Material's search worker and search box: we only change what the worker is given.

Why this design (and not Pagefind): Material's search is lunr in a web worker, fed by
``search/search_index.json``. Pagefind would index per ``<html lang>`` on its own, but it has
no Ukrainian stemmer either (it would need the same dictionary work), and it brings its own
UI, so Material's search box, its keyboard handling and its look would have to be rebuilt.
Keeping Material's worker costs one small wrapper script instead.

How:

* ``on_page_context`` (before Material's search plugin strips ``data-search-*``): split each
  page into sections with Material's own parser (inline SVG figures left out), and keep
  them by page language; the split of an unchanged page is read from the cache folder
  (``_sections``) instead of being parsed again;
* ``on_post_page`` / ``on_post_template``: point the page's search worker (the ``search`` key
  of Material's ``__config``) at ``assets/search/worker.js?lang=..&index=..&worker=..``, a
  wrapper around Material's worker that loads the page language's index;
* ``on_post_build`` (last, after mkdocs-static-i18n has built every language and Material
  has written its combined index): write ``search/search_index.<lang>.json`` for every
  language, and replace the combined ``search/search_index.json`` (which Material's bundle
  still fetches) by an empty stub, so a reader downloads one language only.

Two more things the Ukrainian index gets: each section a glossary term links to carries the
term's English name as a hidden keyword (``_add_keywords``: readers type «receptive field»
on the Ukrainian site), and the glossary's table is indexed one row per term
(``_rows_as_sections``), so a hit shows one term and its definition.

For Ukrainian, the index also carries a form -> lemma table limited to the site's own
vocabulary: every Ukrainian word on the pages is lemmatized with pymorphy3 (a build-time
dependency only) and all forms of those lemmas are listed (``lessons.search_norm``). The
browser maps index tokens and query words through that one table, so they always meet.
The dictionary is loaded once per process and the table is cached by vocabulary, so the
build pays it once (about 0.1-0.3 s here) and the second language nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search")

# languages whose words go through the morphological dictionary (pymorphy3 language codes)
MORPHOLOGY = ("uk",)
WORKER = "assets/search/worker.js"
# Pages that list what the lessons teach (the home page's lesson list, the glossary's terms,
# the API reference's docstrings) match nearly every topic query, and their short sections
# outrank the lesson that teaches the topic (lunr favours short sections). They weigh less,
# unless their front matter sets search.boost, and for a phrase the worker ranks the lessons
# that have it before them (a glossary heading "Ланцюгове правило" carries the title boost).
# Keys: page paths within a language; "reference/" also covers its module pages below it.
SUPPORTING_PAGES = {"": 0.3, "glossary/": 0.3, "reference/": 0.5}


def _supporting_weight(path: str) -> float | None:
    """The weight of a supporting page (home, glossary, the API reference and its modules)."""
    if path in SUPPORTING_PAGES:
        return SUPPORTING_PAGES[path]
    return SUPPORTING_PAGES["reference/"] if path.startswith("reference/") else None
INDEX = "search/search_index.{lang}.json"
# Hidden keywords: on a page in another language than English, a section that teaches a
# glossary term gets the term's English name («receptive field», "stride") in a field of its
# own, searched (with this boost; text has 1, title 1000) but never displayed: Material's
# results show only a document's title, text and tags, so the snippet stays the lesson's
# own prose. Appending the words to the text would show them in the snippet, and tags are
# displayed as chips under the result.
KEYWORDS = "keywords"
KEYWORDS_BOOST = 10
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_MATERIAL_WORKER = re.compile(r"^(?P<prefix>.*?)(?P<path>assets/javascripts/workers/[^/?#]+)$")

_state: dict = {}


def _reset() -> None:
    _state.clear()
    _state.update(entries={}, tables={}, written={})


_reset()


def _path_in_language(url: str, lang: str) -> str:
    """A page's path within its language ("en/glossary/" -> "glossary/")."""
    return url[len(lang) + 1:] if url.startswith(f"{lang}/") else url


def _search_plugin(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or not getattr(plugin, "config", {}).get("enabled", True):
        return None
    return plugin


def _language(config) -> str:
    # mkdocs-static-i18n sets the theme language of every language's build
    return str(config.theme.get("language") or "en")


# `mkdocs serve`: the Ukrainian form table (about 0.7 s here) is computed again only when a
# rebuild changed the site's Ukrainian vocabulary, and then after the rebuild, not in it:
# the index is written at once with the previous table (a word new on the page is found
# once the table is done), and a thread writes it again with the new table a moment later.
# The thread is waited for before the next build starts (before mkdocs cleans or writes
# the site folder) and at shutdown, so an index is never left half written or stale. A
# plain `mkdocs build` computes it in the build, as before.
_serve: dict = {"on": False, "thread": None}


def _wait_for_deferred() -> None:
    thread = _serve["thread"]
    if thread is not None:
        thread.join()
        _serve["thread"] = None


def on_startup(command, dirty, **kwargs):
    _reset()
    _serve["on"] = command == "serve"


def on_pre_build(config, **kwargs):
    _wait_for_deferred()
    _state["config_dir"] = Path(config.config_file_path).parent
    i18n = config.plugins.get("i18n")
    if _serve["on"] and not getattr(i18n, "building", False):
        # Under `mkdocs serve` the plugin objects live as long as the server, and two of them
        # carry the last build's search entries into the next: mkdocs-static-i18n stacks every
        # language's entries in `search_entries` and never empties it, and Material's plugin
        # merges its previous index (`search_index_prev`, with --dirty). Each rebuild then
        # carried the entries of all the earlier ones: measured here, dirty rebuilds of one
        # page took 2.5, 4.3, 4.5, 13, 21, 71, 210 s. Their combined index is replaced by an
        # empty stub (on_post_build) and this hook's own indexes keep one entry list per page,
        # so both are emptied before each build.
        if i18n is not None and hasattr(i18n, "search_entries"):
            i18n.search_entries = []
        plugin = _search_plugin(config)
        if plugin is not None and hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None


@event_priority(100)  # before Material's search plugin, which strips data-search-* markup
def on_page_context(context, page, config, nav, **kwargs):
    if _search_plugin(config) is None:
        return context
    from material.plugins.search.plugin import SearchIndex

    lang = _language(config)
    index = SearchIndex()
    _index_page(index, _WithoutFigures(page))
    weight = _supporting_weight(_path_in_language(page.url, lang))
    if weight is not None:
        for entry in index.entries:
            entry.setdefault("boost", weight)
    else:
        # a lesson's entries are its prose: the source listings it shows are the package's
        # code, found on the API reference pages, and their English docstrings would stand in
        # for a Ukrainian section's snippet (and hide that it lacks an English term)
        for entry in index.entries:
            entry["text"] = _CODE.sub(" ", entry["text"]).strip()
    _state["entries"].setdefault(lang, {})[page.url] = index.entries
    # Material's plugin would now parse the whole page again (SVG figures and all) for its
    # combined index, which on_post_build replaces by an empty stub: that parse was thrown
    # away, and it was the build's largest single cost (about 1 s of a 3-lesson build here,
    # benchmarks/build.py). It still strips the data-search-* markup from the page.
    search_index = getattr(_search_plugin(config), "search_index", None)
    if search_index is not None:
        search_index.add_entry_from_context = _already_indexed
    return context


def _index_page(index, page) -> None:
    """``index.add_entry_from_context(page)``, with the parse of the page's HTML kept.

    Material's method parses the page's HTML into sections (its ``Parser``, Python's
    ``html.parser``), then makes an entry of each with the page's toc, url and meta. The
    parse is the cost (1.4 s of a warm strict build of the 10-lesson course of
    ``benchmarks/growth.py``, a tenth of it) and depends on the HTML alone, which is the same
    from build to build unless the page changed. So the sections (each one's id, title,
    text and whether it is excluded) are kept, keyed by the HTML and Material's version
    (``_sections``), and the entries are made from them by Material's own method as before.
    """
    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    for section in _sections(page.content or ""):
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


class _Section:
    """What Material's ``create_entry_for_section`` reads of a parsed section."""

    def __init__(self, id, title, text, excluded):  # noqa: A002 - Material's name
        self.id, self.title, self.text, self._excluded = id, list(title), list(text), excluded

    def is_excluded(self) -> bool:
        return self._excluded


# bump when what is kept of a section changes
_SECTIONS_FORMAT = 1
_parsed: dict[str, list] = {}  # key -> sections, for the rebuilds of one `mkdocs serve`


def _sections_store():
    """Where the sections are kept: an ``exec_cache.Store`` in ``search/sections/`` of the
    exec cache folder, or None (the cache is off, or this hook runs alone, in a test)."""
    import sys

    exec_cache = sys.modules.get("lessons_exec_cache")  # as in _table_path
    folder = exec_cache and "config_dir" in _state and exec_cache.cache_dir(_state["config_dir"])
    return exec_cache.Store(folder / "search" / "sections", f"lessons-search-sections-{_SECTIONS_FORMAT}",
                            "sections") if folder else None


def _rows(text: str | None) -> list | None:
    """Kept sections (JSON text) as rows, or None if they are not rows of the kept shape."""
    try:
        rows = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if isinstance(rows, list) and all(
            isinstance(r, list) and len(r) == 4 and isinstance(r[1], list)
            and isinstance(r[2], list) and isinstance(r[3], bool) for r in rows):
        return rows
    return None


def _sections(content: str) -> list[_Section]:
    """Material's parse of ``content`` into sections: from memory, from disk, or parsed.

    An entry on disk is used only if the Store finds it whole (its format, key and checksum)
    and it holds rows of the expected shape; otherwise the page is parsed again and the
    entry replaced.
    """
    import importlib.metadata

    key = hashlib.sha256(json.dumps(
        [_SECTIONS_FORMAT, importlib.metadata.version("mkdocs-material"), content],
        ensure_ascii=False).encode("utf-8")).hexdigest()
    rows = _parsed.get(key)
    store = _sections_store() if rows is None else None
    if rows is None and store is not None:
        rows = _rows(store.get(key))
    if rows is None:
        from material.plugins.search.plugin import Parser

        parser = Parser()
        parser.feed(content)
        parser.close()
        rows = [[s.id, s.title, s.text, bool(s.is_excluded())] for s in parser.data]
        if store is not None:
            store.put(key, json.dumps(rows, ensure_ascii=False))
    _parsed.pop(key, None)
    _parsed[key] = rows  # the newest last: a long serve session keeps the latest pages only
    while len(_parsed) > 512:
        del _parsed[next(iter(_parsed))]
    return [_Section(*row) for row in rows]


def _already_indexed(page) -> None:
    """Material's per-page indexing, replaced: this hook indexed the page (see above)."""


class _WithoutFigures:
    """The page as Material's search parser reads it, less its inline SVG figures.

    A figure's labels and tick numbers («поле 7×7», «досяжні: 49 з 49») are no prose: in a
    result they crowd out the sentences around the match. The prose says what they show.
    """

    _SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL | re.IGNORECASE)

    def __init__(self, page):
        self.content = _rows_as_sections(self._SVG.sub(" ", page.content or ""))
        self.meta, self.toc, self.url, self.title = page.meta, page.toc, page.url, page.title


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_LINK_ONLY = re.compile(r"\s*<a\b[^>]*>[^<]*</a>\s*", re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


def _rows_as_sections(html: str) -> str:
    """A table whose rows carry ids (the glossary's terms) as one search section per row.

    Material's parser makes a section of each heading with an id, and a table is plain text
    to it: the glossary would be one result whose snippet runs the whole table together
    («Термін English Де пояснено Коротко вибух градієнтів …»). For the index only, each row
    whose first cell holds an id becomes a heading (the first cell's text: the term) with
    the row's other cells as its text (the other language's term, the definition); a cell
    that is only a link (where the term is taught) is navigation, not content, and stays out.
    A result then shows one term and its definition, and links to its row. Tables without
    row ids stay as they are.
    """
    def table(match: re.Match) -> str:
        rows = [_CELL.findall(row) for row in _ROW.findall(match.group(0))]
        keyed = [(_ID.search(cells[0]), cells) for cells in rows if cells]
        keyed = [(m.group(1), cells) for m, cells in keyed if m]
        if not keyed:
            return match.group(0)
        out = []
        for row_id, (first, *rest) in keyed:
            title = " ".join(_TAGS.sub(" ", first).split())
            body = " — ".join(c.strip() for c in rest if c.strip() and not _LINK_ONLY.fullmatch(c))
            out.append(f'<h2 id="{row_id}">{title}</h2><p>{body}</p>')
        return "\n".join(out)

    return _TABLE.sub(table, html)


def _point_worker(output: str, lang: str) -> str:
    """Make the page's ``__config`` start our worker wrapper for ``lang``."""
    match = _CONFIG.search(output)
    if match is None:
        return output
    data = json.loads(match.group(2))
    found = _MATERIAL_WORKER.match(str(data.get("search", "")))
    if found is None:
        return output
    prefix = found.group("prefix")  # from the page to the site root
    # both paths are relative to the wrapper (assets/search/worker.js)
    params = urlencode({
        "lang": lang,
        "index": "../../" + INDEX.format(lang=lang),
        "worker": "../../" + found.group("path"),
    })
    data["search"] = f"{prefix}{WORKER}?{params}"
    text = json.dumps(data, ensure_ascii=True, sort_keys=True)
    # what Jinja's tojson escapes, so the JSON cannot end the <script> early
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return output[: match.start(2)] + text + output[match.end(2):]


def on_post_page(output, page, config, **kwargs):
    if _search_plugin(config) is None:
        return output
    return _point_worker(output, _language(config))


def on_post_template(output_content, template_name, config, **kwargs):
    if _search_plugin(config) is None:
        return output_content
    return _point_worker(output_content, _language(config))


def _morph(lang: str):
    """The morphological analyzer of ``lang``, loaded once per process (about 0.2 s)."""
    cache = _MORPH.setdefault("analyzers", {})
    if lang not in cache:
        import pymorphy3

        cache[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return cache[lang]


_MORPH: dict = {}


def _vocabulary(docs: list[dict]) -> tuple[list[str], str]:
    """The sorted Ukrainian words of ``docs``, and their sha256 (the form table's key)."""
    from lessons import search_norm

    # each section's words are kept by its title and text for the next build of this
    # process (the other language's pass, a serve rebuild): splitting every section again
    # was 0.18 s of each rebuild of the 10-lesson course, for the one page that changed
    previous, kept = _state.setdefault("words", {}), {}
    for doc in docs:
        key = (doc["title"], doc["text"])
        if key not in kept:
            kept[key] = previous.get(key)
            if kept[key] is None:
                kept[key] = frozenset(
                    w for field in key for w in search_norm.words(field)
                    if search_norm.is_cyrillic(w) and search_norm.dimensions(w) is None)
    _state["words"] = kept  # what this build's sections have: nothing older piles up
    vocabulary = sorted(set().union(*kept.values()))
    return vocabulary, hashlib.sha256("\n".join(vocabulary).encode()).hexdigest()


def _forms(lang: str, docs: list[dict]) -> dict | None:
    """The packed form -> key table of the words in ``docs`` (None for other languages)."""
    if lang not in MORPHOLOGY:
        return None
    from lessons import search_norm

    vocabulary, digest = _vocabulary(docs)
    known, cached = _state["tables"].get(lang, (None, None))
    if known != digest and (cached := _stored_table(lang, digest)) is not None:
        _state["tables"][lang] = (digest, cached)
        known = digest
    if known != digest:
        start = time.perf_counter()
        morph = _morph(lang)
        loaded = time.perf_counter()
        table = search_norm.form_table(vocabulary, morph)
        cached = search_norm.encode_table(table)
        log.info(
            "search: %s: %d words -> %d forms of %d lemmas; dictionary %.2f s, table %.2f s",
            lang, len(vocabulary), len(table), len(cached["keys"]),
            loaded - start, time.perf_counter() - loaded,
        )
        _state["tables"][lang] = (digest, cached)
        _store_table(lang, digest, cached)
    return cached


# The table is also kept on disk between builds, in the exec cache folder (``search/``), so a
# build whose pages brought no new word skips it (1.2 s here). Its key holds everything the
# table is made from: the vocabulary, the source of lessons/search_norm.py, and the versions
# of pymorphy3 and its dictionary. An entry is written atomically; one that does not parse
# or names another key is ignored and replaced.
_TABLE_FORMAT = 1


def _table_path(lang: str, digest: str) -> Path | None:
    import importlib.metadata
    import sys

    from lessons import search_norm

    # hooks/lessons_hooks.py (listed first in mkdocs.yml) loads hooks/exec_cache.py under
    # this name; without it (this hook alone, in a test) the table is not kept on disk
    exec_cache = sys.modules.get("lessons_exec_cache")
    folder = exec_cache and "config_dir" in _state and exec_cache.cache_dir(_state["config_dir"])
    if not folder:
        return None
    versions = [importlib.metadata.version(f"pymorphy3{d}") for d in ("", f"-dicts-{lang}")]
    key = hashlib.sha256(json.dumps(
        [_TABLE_FORMAT, lang, digest, versions,
         hashlib.sha256(Path(search_norm.__file__).read_bytes()).hexdigest()]).encode()).hexdigest()
    return folder / "search" / f"{key}.json"


def _stored_table(lang: str, digest: str) -> dict | None:
    path = _table_path(lang, digest)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_text("utf-8"))
        return entry["table"] if entry["key"] == path.stem else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store_table(lang: str, digest: str, table: dict) -> None:
    import os
    import tempfile

    path = _table_path(lang, digest)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp",
                                     delete=False) as f:
        json.dump({"key": path.stem, "table": table}, f, ensure_ascii=False)
    os.replace(f.name, path)


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)


@event_priority(-200)  # after mkdocs-static-i18n (-100) built the other languages
def on_post_build(config, **kwargs):
    plugin = _search_plugin(config)
    if plugin is None:
        return
    i18n = config.plugins.get("i18n")
    if _serve["on"] and getattr(i18n, "building", False):
        return  # serve: the outer build's call, after every language's, writes the indexes
    _wait_for_deferred()
    from lessons import search_norm

    site = Path(config.site_dir)
    fields = plugin.config.fields
    base_config = {
        "separator": search_norm.SEPARATOR,
        "word": search_norm.WORD,
        "pipeline": ["trimmer"],
        "fields": fields,
    }
    for lang, pages in sorted(_state["entries"].items()):
        docs = [entry for url in sorted(pages) for entry in pages[url]]
        keyworded = _add_keywords(lang, pages) if lang != "en" else 0
        fields_of = {**fields, KEYWORDS: {"boost": KEYWORDS_BOOST}} if keyworded else fields
        supporting = sorted(u for u in pages
                            if _supporting_weight(_path_in_language(u, lang)) is not None)
        data = {"config": {"lang": [lang], **base_config, "fields": fields_of,
                           "supporting": supporting},
                "docs": docs}
        path = site / INDEX.format(lang=lang)
        previous = _state["tables"].get(lang)
        if (_serve["on"] and lang in MORPHOLOGY and previous is not None
                and previous[0] != _vocabulary(docs)[1]):
            _write_index(lang, data, docs, path, previous[1])  # now, with the previous table
            _serve["thread"] = threading.Thread(target=_write_index, args=(lang, data, docs, path),
                                                name=f"search-{lang}", daemon=True)
            _serve["thread"].start()
            continue
        _write_index(lang, data, docs, path)
    # Material's bundle fetches this file and hands it to the worker, which loads the
    # page language's index instead: keep it an empty, valid index
    stub = {"config": {"lang": ["en"], **base_config}, "docs": []}
    _write(site / "search" / "search_index.json", _dump(stub))


def _write_index(lang: str, data: dict, docs: list[dict], path: Path, forms=None) -> None:
    """Write ``lang``'s index, with the form table ``forms`` (computed when None)."""
    from lessons import search_norm

    data = dict(data)
    forms = _forms(lang, docs) if forms is None else forms
    if forms is not None:
        data["config"] = {**data["config"], "endings": list(search_norm.ENDINGS)}
        data["forms"] = forms
    content = _dump(data)
    _write(path, content)
    if _serve["on"]:  # its compressed size only for the log: 0.2 s a rebuild, so not here
        sizes = (len(content),)
        line = "search: %s: %d entries, %d B"
    else:
        sizes = (len(content), len(gzip.compress(content, 9)))
        line = "search: %s: %d entries, %d B (%d B gzip)"
    if _state["written"].get(lang) != sizes:
        _state["written"][lang] = sizes
        log.info(line, lang, len(docs), *sizes)


_CODE = re.compile(r"<pre>.*?</pre>", re.S)


def _add_keywords(lang: str, pages: dict) -> int:
    """Give each section a glossary term links to the term's English name as hidden keywords.

    Ukrainian readers often type the English term («receptive field», «stride») that the
    Ukrainian lesson never writes; the glossary knows which section teaches it. A term
    whose English words the section already has, in order, adds nothing. Returns how many
    sections got keywords.
    """
    from lessons import search_norm
    from lessons.glossary import load_terms

    sections = {entry["location"]: entry for entries in pages.values() for entry in entries}
    by_page = {_path_in_language(url, lang): url for url in pages}
    added: dict[str, list[str]] = {}
    for term in load_terms():
        url = by_page.get(f"{term.page}/")
        if url is None:  # the lesson is not built: the glossary leaves the term out too
            continue
        location = f"{url}#{term.anchor}"
        entry = sections.get(location) or sections[url]
        # only the prose counts: a source listing on the page (an English docstring that
        # says "stride") is not the Ukrainian reader's text
        prose = _CODE.sub(" ", entry["text"])
        has = " ".join(search_norm.words(f"{entry['title']} {prose}"))
        if f" {' '.join(search_norm.words(term.en))} " in f" {has} ":
            continue
        added.setdefault(entry["location"], []).append(term.en)
    for location, names in added.items():
        sections[location][KEYWORDS] = "; ".join(names)
    return len(added)


def on_shutdown(**kwargs):
    _wait_for_deferred()
    _reset()

