"""MkDocs hooks: fresh `lessons` on every (re)build, and formulas as MathML at build time.

Formulas: pymdownx.arithmatex (generic mode) finds the TeX, and we convert it here with
latex2mathml, so a page needs no math script, no web font and no network: browsers render
MathML Core natively. A formula latex2mathml cannot convert fails the build.
"""

from __future__ import annotations

import html
import re
import sys

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)
# latex2mathml writes every minus as an infix operator, so "(-1, -2)" renders as "( − 1, − 2)".
# A minus right after an opening, a separator or another operator is a sign: say so.
_UNKNOWN = re.compile(r">(\\[A-Za-z]+)<")
_SIGN = re.compile(
    r"((?:<mo[^>]*>(?!&#x00029;|&#x0005D;|&#x0007D;|&#x0007C;)[^<]*</mo>"  # not after ) ] } |
    r"|<mtext>&#x000A0;</mtext>|<mspace[^>]*/>|<mrow>|<math[^>]*>))<mo>&#x02212;</mo>"
)


def on_pre_build(config, **kwargs):
    # `mkdocs serve` keeps the process alive; without this, edits to lessons/ would not
    # show up, because markdown-exec imports the package once and Python caches it.
    # mkdocs-static-i18n builds each further language by calling build() again inside the
    # same build (its `building` flag is set then): keep `lessons` and its caches, or every
    # language recomputes every experiment.
    i18n = config["plugins"].get("i18n") if config is not None else None
    if getattr(i18n, "building", False):
        return
    for name in [m for m in sys.modules if m == "lessons" or m.startswith("lessons.")]:
        del sys.modules[name]


def _mathml(tex: str, display: str, page) -> str:
    source = html.unescape(tex).strip()
    try:
        mathml = convert(source, display=display)
    except Exception as exc:  # latex2mathml raises many types; all are fatal here
        raise PluginError(f"{page.file.src_uri}: cannot convert formula {source!r}: "
                          f"{type(exc).__name__} {exc}") from exc
    unknown = _UNKNOWN.search(mathml)
    if unknown:  # latex2mathml passes commands it does not know through as text
        raise PluginError(f"{page.file.src_uri}: unknown TeX command {unknown.group(1)} "
                          f"in formula {source!r}")
    return _SIGN.sub(r'\1<mo form="prefix">&#x02212;</mo>', mathml)


def on_page_content(content, page, **kwargs):
    content = _BLOCK.sub(
        lambda m: '<div class="math-block">' + _mathml(m.group(1), "block", page) + "</div>",
        content,
    )
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline", page), content)
