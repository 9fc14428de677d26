"""Translation parity: every page has a twin, with the same code blocks and heading anchors."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

UK, EN = ROOT / "docs" / "uk", ROOT / "docs" / "en"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.S | re.M)
ANCHOR = re.compile(r"^#{1,6} .*?\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\}\s*$", re.M)
HEADING = re.compile(r"^#{1,6} ", re.M)


def pages(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))


def mask(text: str) -> str:
    """Hide what legitimately differs between the twins: the language code."""
    text = re.sub(r"""lang\s*=\s*(['"])(uk|en)\1""", 'lang="??"', text)
    return re.sub(r"""session=(['"])([\w-]+)-(uk|en)\1""", r'session="\2-??"', text)


def exec_blocks(text: str) -> list[str]:
    blocks = []
    for m in FENCE.finditer(text):
        if re.search(r"\bexec=", m.group("info")):
            blocks.append(mask(m.group("info").strip() + "\n" + m.group("body")))
    return blocks


def strip_code(text: str) -> str:
    return FENCE.sub("", text)


def test_every_page_has_a_twin():
    assert pages(UK) == pages(EN)


@pytest.mark.parametrize("page", pages(UK))
def test_same_exec_blocks_in_the_same_order(page):
    uk, en = exec_blocks((UK / page).read_text("utf-8")), exec_blocks((EN / page).read_text("utf-8"))
    assert len(uk) == len(en), f"{page}: {len(uk)} exec blocks in uk, {len(en)} in en"
    for i, (a, b) in enumerate(zip(uk, en)):
        assert a == b, f"{page}: exec block {i + 1} differs beyond the language code"


@pytest.mark.parametrize("page", pages(UK))
def test_same_heading_anchors(page):
    uk, en = (strip_code((d / page).read_text("utf-8")) for d in (UK, EN))
    assert ANCHOR.findall(uk) == ANCHOR.findall(en)
    # every heading carries an explicit ASCII anchor, so links match across languages
    for text in (uk, en):
        assert len(HEADING.findall(text)) == len(ANCHOR.findall(text)), f"{page}: heading without {{ #id }}"


@pytest.mark.parametrize("page", pages(UK))
def test_every_block_sets_its_own_session(page):
    for folder, lang in ((UK, "uk"), (EN, "en")):
        for m in FENCE.finditer((folder / page).read_text("utf-8")):
            info = m.group("info")
            if re.search(r"\bexec=", info):
                session = re.search(r"""session=(['"])([\w-]+)\1""", info)
                assert session and session.group(2).endswith(f"-{lang}"), (
                    f"{folder.name}/{page}: exec block without a per-language session: {info}")


@pytest.mark.parametrize("page", pages(UK))
def test_blocks_a_reader_sees_hold_no_markdown_plumbing(page):
    """A block shown with its source prints no Markdown fences of its own: markdown-exec's
    ``result="text"`` wraps the output, so the reader sees only the real call."""
    for folder in (UK, EN):
        for m in FENCE.finditer((folder / page).read_text("utf-8")):
            if re.search(r"\bsource=", m.group("info")):
                assert not re.search(r"""print\(\s*(['"])(```|~~~)""", m.group("body")), (
                    f"{folder.name}/{page}: a shown block prints a fence; use result=\"text\"")
