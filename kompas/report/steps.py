"""Next steps for the municipality, derived from the advice with generic rules.

No question or criterion is named here. The checklist comes from (a) what the leading
platforms' vendors must still confirm, (b) every criterion that counts, phrased as
something to settle in the tender or grant conditions, (c) facts that are getting old,
and (d) steps that apply to every municipality.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kompas.engine.kernel import is_stale
from kompas.engine.kernel import stale_since
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.numbers import format_number
from kompas.present.model import Story
from kompas.present.words import join_names
from kompas.report.formatting import long_date


@dataclass(frozen=True, slots=True)
class Step:
    """One checklist item; `must` marks a must-have, `note` and `items` add detail."""

    text: str
    must: bool = False
    note: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StepGroup:
    """A heading with its checklist items."""

    title: str
    steps: tuple[Step, ...]


def vendor_steps(story: Story) -> tuple[Step, ...]:
    """The presentation model's vendor questions: one item per question, with whom to ask."""
    return tuple(
        Step(topic.question, must=topic.must, note=topic.ask_to) for topic in story.vendor_topics
    )


def criteria_steps(advice: Advice) -> tuple[Step, ...]:
    """Every criterion that counts, as something to settle before choosing."""
    steps = [
        Step(
            _(
                "Neem de eis “{criterion}” op als harde voorwaarde en leg vast hoe u die toetst."
            ).format(criterion=a.label),
            must=True,
        )
        for a in advice.active
        if a.must
    ]
    for weight in (3.0, 2.0, 1.0):
        labels = tuple(a.label for a in advice.active if not a.must and a.weight == weight)
        if labels:
            # One sentence per weight: a bulleted list of every criterion pushed the
            # council part past eight pages, and the matrix already lists them one by one.
            steps.append(
                Step(
                    _(
                        "Leg vast hoe u deze criteria (gewicht {w}) toetst bij de gunning of in "
                        "de subsidievoorwaarden: {criteria}."
                    ).format(
                        w=format_number(weight), criteria=join_names(labels, limit=len(labels))
                    )
                )
            )
    return tuple(steps)


def stale_steps(top: tuple[PlatformResult, ...], today: dt.date) -> tuple[Step, ...]:
    """Per leading platform, its stale facts (the kernel's one staleness rule) in one step.

    One step per platform, naming a few facts and the oldest date, keeps the council part
    within its pages when many sources are old.
    """
    steps = []
    for r in top:
        stale: dict[str, tuple[str, dt.date]] = {}
        for c in r.results:
            for f in c.facts:
                since = stale_since(f.source_date, f.checked)
                if since is not None and is_stale(
                    f.status == "known", f.source_date, f.checked, today
                ):
                    stale.setdefault(f.id, (f.label, since))
        if not stale:
            continue
        labels = [f"“{label}”" for label, _since in stale.values()]
        oldest = min(since for _label, since in stale.values())
        text = ngettext(
            "Controleer bij {platform} of {n} feit nog klopt; de bron (of de laatste controle) "
            "is ouder dan een jaar, de oudste van {date}: {facts}.",
            "Controleer bij {platform} of {n} feiten nog kloppen; hun bron (of de laatste "
            "controle) is ouder dan een jaar, de oudste van {date}: {facts}.",
            len(stale),
        )
        steps.append(
            Step(
                text.format(
                    platform=r.platform.name,
                    n=len(stale),
                    date=long_date(oldest),
                    facts=join_names(labels, limit=4),
                )
            )
        )
    return tuple(steps)


def generic_steps() -> tuple[Step, ...]:
    """Steps that apply to every municipality, whatever it answered."""
    texts = [
        _(
            "Bespreek de uitkomst met inwoners, vrijwilligers en welzijnspartners voordat u kiest: zij maken het platform tot een succes."
        ),
        _(
            "Begin met een proef in een of enkele buurten of kernen, en leg vooraf vast wanneer u evalueert en waaraan u het succes afmeet."
        ),
        _(
            "Leg vast wie het platform na de start beheert, modereert en vraag en aanbod koppelt, en hoeveel "
            "uur per week daarvoor beschikbaar is."
        ),
        _(
            "Laat de privacy-officer beoordelen of een DPIA nodig is, en sluit een verwerkersovereenkomst af "
            "als de leverancier persoonsgegevens verwerkt."
        ),
        _(
            "Vraag de toegankelijkheidsverklaring op van de website en apps die inwoners gaan gebruiken."
        ),
        _(
            "Controleer feiten die langer dan twaalf maanden geleden zijn gecontroleerd opnieuw bij de leverancier."
        ),
        _(
            "Bewaar dit rapport en het besluitvormingsverslag (JSON) bij het besluit, zodat de keuze later "
            "navolgbaar is (Wet open overheid)."
        ),
    ]
    return tuple(Step(t) for t in texts)


def next_steps(
    advice: Advice,
    top: tuple[PlatformResult, ...],
    today: dt.date,
    story: Story,
    vendors: bool = True,
) -> tuple[StepGroup, ...]:
    """The checklist, in groups; empty groups are left out (vendors=False: asked elsewhere)."""
    groups = (
        # What already exists comes first: the platform is chosen to connect to it.
        StepGroup(_("Bouw voort op wat er al is"), tuple(Step(line) for line in story.builds_on)),
        StepGroup(_("Navragen bij de leveranciers"), vendor_steps(story) if vendors else ()),
        StepGroup(_("Vastleggen in de gunning of subsidievoorwaarden"), criteria_steps(advice)),
        StepGroup(_("Verouderde feiten controleren"), stale_steps(top, today)),
        StepGroup(_("Voor elke gemeente"), generic_steps()),
    )
    return tuple(g for g in groups if g.steps)
