"""Fault injection: the strict build must fail loudly, never ship a broken page.

Each case builds a small copy of the site (the real mkdocs.yml, hooks and theme, but only
the home page in both languages) with one fault in the English page only, in a fresh
interpreter (markdown-exec keeps session state inside a process, which could hide a
failure). A clean copy is built too and must pass, so a failure can only come from the
fault. The builds run in the background from collection on (conftest.background_builds).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, BuildJob, background_result

HOME_UK = """---
description: Тест.
---

# Головна { #home }

[Там само](#home)

```python exec="1" session="home-uk"
print(6 * 7)
```
"""
HOME_EN = HOME_UK.replace("Головна", "Home").replace("Тест", "Test").replace(
    "Там само", "Same page").replace("home-uk", "home-en")

FAULTS = {
    # what the English page gets appended, and what the build log must say
    "failing block": ('\n```python exec="1" session="home-en"\nraise RuntimeError("boom")\n```\n',
                      r"RuntimeError|boom"),
    "broken link": ("\n[a page that does not exist](missing.md)\n", r"missing\.md"),
    "broken anchor": ("\n[a heading that does not exist](#no-such-heading)\n", r"no-such-heading"),
    "bad formula": ("\n$$\\left( x$$\n", r"formula"),
}


def small_site(tmp: Path) -> Path:
    """The real configuration with a one-page nav, over a docs folder of its own."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("hooks", "overrides"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copytree(ROOT / "docs" / "assets", tmp / "docs" / "assets")
    (tmp / "lessons").symlink_to(ROOT / "lessons")  # mkdocs.yml watches it
    for lang, text in (("uk", HOME_UK), ("en", HOME_EN)):
        (tmp / "docs" / lang).mkdir(parents=True)
        (tmp / "docs" / lang / "index.md").write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"^nav:\n(?:[ \t]+.*\n|\n)*", "nav:\n  - Головна: index.md\n\n", config,
                        count=1, flags=re.M)
    assert n == 1, "mkdocs.yml has no nav section to replace"
    # no wheel and notebooks: a one-page copy has no lesson, and the real build tests them
    config, n = re.subn(r"^  - hooks/notebook_hooks\.py.*\n", "", config, flags=re.M)
    assert n == 1, "mkdocs.yml no longer lists the notebook hook"
    (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp / "mkdocs.yml"


def _with_fault(tmp: Path, fault: str) -> BuildJob:
    config = small_site(tmp)
    page = tmp / "docs" / "en" / "index.md"
    page.write_text(page.read_text("utf-8") + FAULTS[fault][0], encoding="utf-8")
    return BuildJob(config, tmp / "site", cwd=tmp)


def _without_twin(tmp: Path) -> BuildJob:
    config = small_site(tmp)
    text = config.read_text("utf-8").replace("  - Головна: index.md\n",
                                             "  - Головна: index.md\n  - Extra: extra.md\n")
    config.write_text(text, encoding="utf-8")
    (tmp / "docs" / "uk" / "extra.md").write_text("# Extra { #extra }\n", encoding="utf-8")
    return BuildJob(config, tmp / "site", cwd=tmp)


def background_builds(tmp: Path) -> dict[str, BuildJob]:
    """The copies this module builds, started in the background at collection (conftest)."""
    jobs = {"faults: clean": BuildJob(small_site(tmp / "clean"), tmp / "clean" / "site",
                                      cwd=tmp / "clean")}
    for i, fault in enumerate(FAULTS):
        jobs[f"faults: {fault}"] = _with_fault(tmp / f"fault{i}", fault)
    jobs["faults: no twin"] = _without_twin(tmp / "twin")
    return jobs


@pytest.fixture(scope="module")
def clean_copy():
    result = background_result("faults: clean")
    assert result.returncode == 0, result.stdout + result.stderr
    site = Path(result.args[-1])
    assert "42" in (site / "en" / "index.html").read_text("utf-8")
    return site


@pytest.mark.parametrize("fault", FAULTS)
def test_strict_build_fails_on_a_fault_in_the_english_page_only(clean_copy, fault):
    result = background_result(f"faults: {fault}")
    assert result.returncode != 0, f"{fault}: the strict build passed"
    assert re.search(FAULTS[fault][1], result.stdout + result.stderr), result.stdout + result.stderr


def test_strict_build_fails_when_a_page_has_no_twin(clean_copy):
    result = background_result("faults: no twin")
    assert result.returncode != 0, "a page missing in English passed the strict build"
