"""The curator's commands (`kompas catalogue link|review|accept|reject`), without a web app.

kompas.cli adds them to its `catalogue` group (COMMANDS).

They open the web app's database through kompas.store (kompas.store.config.database_url:
KOMPAS_DATABASE_URL, else the instance config.py's DATABASE_URL, else its SQLite file) and
the data files the app is configured with (kompas.store.config.data_file: KOMPAS_PLATFORMS,
else config.py's PLATFORMS_FILE, else the shipped file; the same for the questions).
Everything a vendor typed is printed escaped: a name cannot move the cursor or forge a line.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from kompas.i18n import _

# A row number: larger ones cannot be stored (SQLite's and PostgreSQL's integers).
ID = click.IntRange(1, 2**31 - 1)
CURATOR_OPTION = click.option(
    "--curator", default=lambda: os.environ.get("USER", ""), help="Who decides (kept with it)."
)


def shown(value: Any) -> str:
    """A stored value as one safe line: control and other unprintable characters escaped."""
    text = str(value)
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def configured_platforms(option: str | None = None) -> Path:
    """The catalogue file: --platforms, else the one the server reads (store.config.data_file)."""
    from kompas.store.config import PLATFORMS
    from kompas.store.config import data_file

    return Path(option) if option else data_file(PLATFORMS)


def _load(platforms: str | None = None) -> tuple[Any, Any]:
    from kompas.cli_options import load_files

    return load_files(None, platforms)


def public_base(option: str | None) -> str:
    """Where vendor links point: --base-url, KOMPAS_PUBLIC_URL or the first trusted host."""
    chosen = option or os.environ.get("KOMPAS_PUBLIC_URL", "")
    if chosen:
        parts = urlsplit(chosen)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise click.UsageError(
                f"KOMPAS_PUBLIC_URL / --base-url must be like https://kompas.example.nl "
                f"(got {shown(chosen)})"
            )
        return f"{parts.scheme}://{parts.netloc}"
    hosts = [h.strip() for h in os.environ.get("KOMPAS_TRUSTED_HOSTS", "").split(",") if h.strip()]
    if hosts:
        # A leading dot allows subdomains in Werkzeug's check; the bare domain is one of them.
        return f"https://{hosts[0].lstrip('.')}"
    if os.environ.get("KOMPAS_ENV", "development") == "development":
        return "http://127.0.0.1:5000"
    raise click.UsageError(
        "Set KOMPAS_PUBLIC_URL (or give --base-url): the link must point at the site."
    )


@click.command("link")
@click.argument("platform")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365))
@click.option("--curator", default="", help="Who creates the link (kept with it).")
@click.option("--base-url", default=None, help="The site's address (default: KOMPAS_PUBLIC_URL).")
def catalogue_link(platform: str, days: int, curator: str, base_url: str | None) -> None:
    """Create an expiring vendor link for a platform's questionnaire; prints it once."""
    from kompas.store.base import open_configured
    from kompas.store.vendor import create_link

    _q, c = _load()
    if platform not in c.index:
        raise click.UsageError(_("Onbekend platform: {ids}").format(ids=shown(platform)))
    base = public_base(base_url)
    with open_configured():
        token = create_link(platform, days=days, created_by=curator)
    click.echo(f"{base}/leverancier/{token}")


def provenance(sub: Any) -> str:
    """How a submission's link was made, in words."""
    if sub.curator_issued:
        return _("link van beheerder {who}").format(who=shown(sub.link_by) or "?")
    return _("link uit dossier {n} (gemaakt door {who}); telt pas mee na --dossier {n}").format(
        n=sub.dossier_id, who=shown(sub.link_by) or "?"
    )


@click.command("review")
def catalogue_review() -> None:
    """List the vendors' submissions, per fact with the curator's decision so far."""
    from kompas.engine.curate import yaml_value
    from kompas.store.base import open_configured
    from kompas.store.curator import submissions

    _q, c = _load()
    with open_configured():
        found = submissions(c)
    for s in found:
        click.echo(
            f"{_('inzending')} {s.id}: {shown(s.platform_id)} — {shown(s.name)} "
            f"({shown(s.role)}), {s.updated_at.date().isoformat()} — {provenance(s)}"
        )
        for a in s.answers:
            known = c.platform(a.platform_id).fact(a.fact_id)
            now = yaml_value(c.facts[a.fact_id], known.value) if known.known else known.status
            decision = s.decisions.get(a.fact_id)
            state = f"{decision[0]} ({shown(decision[1])})" if decision else _("open")
            remark = f" ({_('opmerking')}: {shown(a.remark)})" if a.remark else ""
            click.echo(
                f"  {a.fact_id}: {shown(yaml_value(c.facts[a.fact_id], a.value))}{remark} "
                f"[{_('nu')}: {shown(now)}] {_('bron')}: {shown(a.source)}, "
                f"{a.date.isoformat()} — {state}"
            )
        for fid in s.unreadable:
            click.echo(
                "  " + _("{fact}: onleesbaar opgeslagen, overgeslagen").format(fact=shown(fid))
            )
    if not found:
        click.echo(_("Geen inzendingen."))


def _submission_answer(c: Any, submission: int, fact: str) -> Any:
    from kompas.store.curator import submissions

    found = submissions(c, submission)
    if not found:
        raise click.UsageError(_("Geen verstuurde inzending {n}.").format(n=submission))
    answer = next((a for a in found[0].answers if a.fact_id == fact), None)
    if answer is None:
        raise click.UsageError(
            _("Inzending {n} beantwoordt {fact} niet.").format(n=submission, fact=shown(fact))
        )
    if fact in found[0].decisions:
        raise click.UsageError(
            _("Over {fact} van inzending {n} is al besloten.").format(n=submission, fact=fact)
        )
    return found[0], answer


def _notes(sub: Any, answer: Any, curator: str, today: dt.date) -> tuple[str, str]:
    who = ", ".join(p for p in (sub.name, sub.role) if p)
    origin_nl = "" if sub.curator_issued else f", via dossier {sub.dossier_id}"
    origin_en = "" if sub.curator_issued else f", through dossier {sub.dossier_id}"
    # The note is data in the file (Dutch with an English sibling), not an interface text.
    note = (
        f"Volgens {who} (inzending {sub.id}{origin_nl}, {answer.date.isoformat()}); "
        f"geaccepteerd door {curator} op {today.isoformat()}."
    )
    note_en = (
        f"According to {who} (submission {sub.id}{origin_en}, {answer.date.isoformat()}); "
        f"accepted by {curator} on {today.isoformat()}."
    )
    return note, note_en


@click.command("accept")
@click.argument("submission", type=ID)
@click.argument("fact")
@click.option(
    "--platforms",
    "platforms",
    type=click.Path(dir_okay=False),
    default=None,
    help="platforms.yaml to write (default: KOMPAS_PLATFORMS, else the shipped one).",
)
@click.option(
    "--dossier",
    type=ID,
    default=None,
    help="Confirm a submission made through a dossier's link: the dossier's number.",
)
@CURATOR_OPTION
def catalogue_accept(
    submission: int, fact: str, platforms: str | None, dossier: int | None, curator: str
) -> None:
    """Write one fact of a submission into platforms.yaml (evidence leverancier)."""
    from kompas.engine.curate import accept_into
    from kompas.store.base import open_configured
    from kompas.store.curator import decide

    if not curator:
        raise click.UsageError(_("Geef --curator NAAM."))
    target = configured_platforms(platforms)
    _q, c = _load(platforms)
    with open_configured():
        sub, answer = _submission_answer(c, submission, fact)
        if not sub.curator_issued and dossier != sub.dossier_id:
            raise click.UsageError(
                _(
                    "Inzending {n} kwam via een link uit dossier {d}, niet via een link van een "
                    "beheerder. Neem haar alleen over na controle, met --dossier {d}."
                ).format(n=sub.id, d=sub.dossier_id)
            )
        today = dt.date.today()
        note, note_en = _notes(sub, answer, curator, today)
        accept_into(target, answer, note, today, note_en)
        decide(sub.id, fact, "accepted", curator)
    click.echo(
        _("{fact} van {platform} staat in {path}.").format(
            fact=fact, platform=answer.platform_id, path=target
        )
    )


@click.command("reject")
@click.argument("submission", type=ID)
@click.argument("fact")
@click.option("--reason", required=True, help="Why the answer is not taken over.")
@CURATOR_OPTION
def catalogue_reject(submission: int, fact: str, reason: str, curator: str) -> None:
    """Reject one fact of a submission, with a reason; the catalogue does not change."""
    from kompas.store.base import open_configured
    from kompas.store.curator import decide

    if not curator:
        raise click.UsageError(_("Geef --curator NAAM."))
    _q, c = _load()
    with open_configured():
        sub, _answer = _submission_answer(c, submission, fact)
        decide(sub.id, fact, "rejected", curator, reason)
    click.echo(_("{fact} van inzending {n} afgewezen.").format(fact=fact, n=submission))


COMMANDS = (catalogue_link, catalogue_review, catalogue_accept, catalogue_reject)
