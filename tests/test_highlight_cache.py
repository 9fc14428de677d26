"""The cache of highlighted code blocks (hooks/highlight_cache.py): same HTML, kept, never stale.

The cache is driven through Python-Markdown with pymdownx's fences, as the site uses them,
in this process; the wrapped method is put back after each test. That a whole cached build
gives the bytes of a cold one is tests/test_reproducible.py's (its second build finds every
block in the run's cache folder).
"""

from __future__ import annotations

import importlib.util

import markdown
import pytest
from pymdownx.highlight import Highlight

from conftest import ROOT

DOC = """
```python
def f(x):
    return x * 2  # twice
```

```python hl_lines="2" linenums="3" title="f.py"
a = 1
b = a + 1
```

```text
plain text <b>
```

An inline `#!python print(1)` span.
"""


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setattr(Highlight, "highlight", Highlight.highlight)  # restored afterwards
    spec = importlib.util.spec_from_file_location("highlight_cache_under_test",
                                                  ROOT / "hooks" / "highlight_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.install()
    # as hooks/lessons_hooks.py starts it: an exec_cache.Store in highlight/ of the folder
    spec = importlib.util.spec_from_file_location("exec_cache_for_highlight",
                                                  ROOT / "hooks" / "exec_cache.py")
    exec_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exec_cache)
    module.start_in = lambda folder: module.start(
        None if folder is None else exec_cache.Store(folder / "highlight", module.FORMAT, "html"))
    module.start_in(tmp_path)
    return module


def convert(text: str = DOC, **settings) -> str:
    md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences",
                                       "pymdownx.inlinehilite"],
                           extension_configs={"pymdownx.highlight": settings})
    return md.convert(text)


def test_a_cached_block_is_the_html_pymdownx_gives(cache, tmp_path):
    cache.start_in(None)  # off: pymdownx's own answer
    expected = convert()
    assert expected.count('<div class="highlight"') == 3 and "hll" in expected
    assert cache.stats_line() == "highlight cache: 0 hits, 0 highlighted"
    cache.start_in(tmp_path)
    assert convert() == expected
    assert cache.stats_line() == "highlight cache: 0 hits, 3 highlighted"  # inline: never kept
    assert len(list((tmp_path / "highlight").rglob("*.json"))) == 3
    assert convert() == expected
    assert cache.stats_line() == "highlight cache: 3 hits, 0 highlighted"
    cache.STATE.memory.clear()  # a new process: from the disk
    assert convert() == expected
    assert cache.stats_line() == "highlight cache: 3 hits, 0 highlighted"


def test_another_code_or_setting_is_highlighted_afresh(cache):
    first = convert()
    cache.stats_line()
    changed = DOC.replace("x * 2", "x * 3")
    assert convert(changed) != first
    assert cache.stats_line() == "highlight cache: 2 hits, 1 highlighted"
    numbered = convert(linenums=True)
    assert numbered != first and "linenos" in numbered
    assert cache.stats_line() == "highlight cache: 0 hits, 3 highlighted"


def test_a_corrupt_or_foreign_entry_is_highlighted_afresh(cache, tmp_path):
    expected = convert()
    entries = sorted((tmp_path / "highlight").rglob("*.json"))
    cache.stats_line()
    for broken in ("{not json", '{"format": "other"}', None):
        for entry in entries:
            if broken is None:  # the right checksum of other HTML: a wrong sha256
                text = entry.read_text("utf-8").replace("<span", "<SPAN", 1)
                entry.write_text(text, "utf-8")
            else:
                entry.write_text(broken, "utf-8")
        cache.STATE.memory.clear()
        assert convert() == expected
        assert cache.stats_line() == "highlight cache: 0 hits, 3 highlighted"


def test_html_titles_are_never_cached(cache, tmp_path):
    # an automatic title given as HTML: pymdownx puts it into the page's HTML stash
    text = "```python\nx = 1\n```\n"
    settings = {"auto_title": True, "auto_title_map": {"Python": {"title": "<b>f</b>", "mode": "html"}}}
    first = convert(text, **settings)
    assert convert(text, **settings) == first and "<b>f</b>" in first
    assert not (tmp_path / "highlight").exists()
    assert cache.stats_line() == "highlight cache: 0 hits, 0 highlighted"
