"""MkDocs hook: the exercise variants that "next" loads, written beside the built site.

Variant 0 of each exercise is in its page (an exec block); every variant, in every language,
is also written to ``practice/<lang>/<id>.json`` at the site root by
:func:`lessons.practice.render.write_variants`, from the same renderer, so the browser
only swaps in HTML computed at build time.

``lessons`` is imported inside the hook, not at the top: ``hooks/lessons_hooks.py`` drops
``lessons*`` from ``sys.modules`` before every build of ``mkdocs serve``, and a module
object imported here once would keep serving the old code.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config, **kwargs):
    # mkdocs-static-i18n runs a build per further language inside this one, with its
    # `building` flag set: write once, at the end of the outer build, into the site root
    i18n = config["plugins"].get("i18n")
    if getattr(i18n, "building", False):
        return
    from lessons.practice.render import write_variants

    write_variants(config["site_dir"])
