"""`kompas round start|status`: a dossier's verification round with the vendors, from the shell.

kompas.cli adds the group (with its --lang option). The dossier is named by its link (or the
token in it), as the advisor holds it; the database is the web app's (kompas.store.config.database_url).
"""

from __future__ import annotations

from typing import Any

import click

from kompas.curator_cli import _load
from kompas.curator_cli import public_base
from kompas.i18n import _
from kompas.i18n import localise


def _dossier(link: str) -> tuple[Any, dict[str, Any]]:
    """The dossier behind a link or token and its answers; a usage error when there is none."""
    from kompas.store import dossier as dossier_store

    token = link.rsplit("/d/", 1)[-1].strip().strip("/").split("/")[0]
    opened = dossier_store.open_dossier(token)
    if opened is None:
        raise click.UsageError(_("Geen dossier met deze link."))
    return opened


# An advisor pastes a dossier's token, and one in 64 starts with "-": an argument that is no
# option of the command stays the dossier, so nobody has to know to type "--" first.
PASTED = {"ignore_unknown_options": True}


@click.group("round")
def round_group() -> None:
    """The verification round: ask the vendors of the probable shortlist what decides."""


@round_group.command("start", context_settings=PASTED)
@click.argument("dossier")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365))
@click.option("--base-url", default=None, help="The site's address (default: KOMPAS_PUBLIC_URL).")
def round_start(dossier: str, days: int, base_url: str | None) -> None:
    """Start a round for a dossier (its link or token); prints each vendor's link once."""
    from kompas import verification
    from kompas.store.base import open_configured
    from kompas.store.round import latest_round

    q, c = _load()
    base = public_base(base_url)
    with open_configured():
        found, answers = _dossier(dossier)
        _id, tokens = verification.start(
            found.id, answers, q, c, days=days, created_by=found.advisor or found.municipality
        )
        rnd = latest_round(found.id)
    asked = {v.platform_id: v.questions for v in rnd.vendors} if rnd else {}
    if not tokens:
        click.echo(_("Geen platform op de kortlijst heeft een leverancier."))
    for pid, token in tokens.items():
        click.echo(f"{c.platform(pid).name}: {base}/leverancier/{token}")
        labels = [localise(c.facts[f].label) for f in asked.get(pid, ()) if f in c.facts]
        if labels:
            click.echo("  " + _("vraagt naar: {facts}").format(facts=", ".join(labels)))


@round_group.command("status", context_settings=PASTED)
@click.argument("dossier")
def round_status(dossier: str) -> None:
    """Where a dossier's newest round stands: per vendor, before -> after, next questions."""
    from kompas import verification
    from kompas.present.round import round_lines
    from kompas.store.base import open_configured

    q, c = _load()
    with open_configured():
        found, answers = _dossier(dossier)
        story = verification.status(found.id, answers, q, c)
    if story is None:
        click.echo(_("Dit dossier heeft nog geen verificatieronde."))
        return
    click.echo("\n".join(round_lines(story)))
