"""`mkdocs serve` never shows a stale page: an edit of a `lessons` function, then of a page.

A real ``mkdocs serve --dirty`` (the mode CONTRIBUTING.md recommends; its exec cache and
its own rules for which pages to render again are what could go stale) runs on a small
copy of the project: the real mkdocs.yml (less the exercise hook), hooks and theme, a copy
of `lessons` to edit,
and one page per language whose exec block prints what a `lessons` function returns. The
server is asked for the page until it shows the edit (benchmarks/growth.py's harness).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from growth import Serve  # noqa: E402

PAGE = """---
description: {title}.
---

# {title} {{ #home }}

```python exec="1" session="home-{lang}"
from lessons.i18n import serve_probe
print(serve_probe("{lang}"))
```
"""
PROBE = ('\n\ndef serve_probe(lang: str) -> str:\n    """What the test page prints."""\n'
         '    return f"probe-0-{lang}"\n')


def small_project(tmp: Path) -> Path:
    for name in ("hooks", "overrides"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copytree(ROOT / "lessons", tmp / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "benchmarks" / "results", tmp / "benchmarks" / "results")
    shutil.copytree(ROOT / "docs" / "assets", tmp / "docs" / "assets")
    with (tmp / "lessons" / "i18n.py").open("a", encoding="utf-8") as f:
        f.write(PROBE)
    for lang, title in (("uk", "Головна"), ("en", "Home")):
        (tmp / "docs" / lang).mkdir(parents=True)
        (tmp / "docs" / lang / "index.md").write_text(PAGE.format(title=title, lang=lang), "utf-8")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    config, n = re.subn(r"^nav:\n(?:[ \t]+.*\n|\n)*", "nav:\n  - Головна: index.md\n\n",
                        config, count=1, flags=re.M)
    assert n == 1
    # the exercise variants are written by a child process on every build (about 2 s here,
    # waited for at the end of each): not what this test is about, and the page has none
    config, n = re.subn(r"^  - hooks/practice_hooks\.py.*\n", "", config, flags=re.M)
    assert n == 1
    # nor the wheel and notebooks (a second process building a wheel from pyproject.toml)
    config, n = re.subn(r"^  - hooks/notebook_hooks\.py.*\n", "", config, flags=re.M)
    assert n == 1
    (tmp / "mkdocs.yml").write_text(config, "utf-8")
    return tmp


def test_serve_shows_a_lessons_edit_then_a_page_edit(tmp_path):
    project = small_project(tmp_path)
    probe = project / "lessons" / "i18n.py"
    with Serve(project, dirty=True) as server:
        assert "probe-0-en" in server.get("en/") and "probe-0-uk" in server.get("")
        server.edit(probe, 'f"probe-0-{lang}"', 'f"probe-1-{lang}"', "en/", "probe-1-en")
        assert "probe-1-uk" in server.get(""), "the other language's page is stale"
        server.edit(project / "docs" / "en" / "index.md", "# Home", "Edited by hand.\n\n# Home",
                    "en/", "Edited by hand.")
        page = server.get("en/")
        assert "probe-1-en" in page and "probe-0" not in page
        # and back: an entry from the first build must not come back as a stale answer
        server.edit(probe, 'f"probe-1-{lang}"', 'f"probe-0-{lang}"', "en/", "probe-0-en")
        assert "probe-0-uk" in server.get("")
        log = server.output()
    assert "Aborted" not in log and "ERROR" not in log, log[-3000:]
