"""Language for the web pages: Dutch, through gettext so a translation can be complete."""

from __future__ import annotations

from flask import Flask

from kompas.i18n import _
from kompas.i18n import ngettext


def init_app(app: Flask) -> None:
    """Give templates the gettext functions and the Dutch number format."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.globals["lang"] = "nl"

    from kompas.engine.scoring import format_number

    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0f}"

    from flask import current_app

    from kompas import narrative

    app.jinja_env.globals["stability_label"] = narrative.stability_label
    app.jinja_env.globals["separator_sentence"] = narrative.separator_sentence
    app.jinja_env.globals["combination_sentences"] = narrative.combination_sentences
    app.jinja_env.tests["beats"] = lambda combo, combos: combos.beats_single(combo)
    app.jinja_env.filters["platform_name"] = lambda pid: (
        current_app.extensions["kompas"]["catalogue"].platform(pid).name
    )
