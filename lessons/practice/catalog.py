"""Every exercise kind of the course by name: for the build hook that writes every variant
(``hooks/practice_hooks.py``), the instructor's command line (``python -m lessons.practice``)
and the tests.

A page's exercise block does not come through here: it imports its kind from the kind's own
module (``from lessons.practice.gate import GATE``), so the block's cached output
(``hooks/exec_cache.py``) depends on that lesson's exercises only, not on every lesson's.
"""

from __future__ import annotations

from lessons.practice import Kind, convolutions, gate, graph, normalization

__all__ = ["MODULES", "kind", "kinds"]

# the modules that define kinds, each naming its module-level ``Kind`` objects in ``KINDS``:
# plain imports rather than a registry filled at import time, so what exists is read here
# and importing a kind's module has no side effect
MODULES = (gate, graph, normalization, convolutions)


def kinds() -> dict[str, Kind]:
    """Every exercise kind by name, from the modules in ``MODULES``.

    Examples:
        >>> list(kinds())[:3]
        ['backprop.gate', 'backprop.graph', 'backprop.sign']
    """
    found: dict[str, Kind] = {}
    for module in MODULES:
        for k in module.KINDS:
            if k.name in found:
                raise ValueError(f"two exercise kinds are named {k.name!r}")
            found[k.name] = k
    return found


def kind(name: str) -> Kind:
    """The kind called ``name``, or a ValueError that lists the known ones.

    Examples:
        >>> kind("backprop.gate").count > 1
        True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    known = kinds()
    if name not in known:
        raise ValueError(f"no exercise kind {name!r}; known: {', '.join(sorted(known))}")
    return known[name]
