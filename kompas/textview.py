"""Plain-text views of an advice and of the catalogue, for the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

from kompas.engine.criterion_results import describe_value
from kompas.engine.criterion_results import fact_ref
from kompas.engine.evidence import evidence_phrase
from kompas.engine.model import Catalogue
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import FactRef
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_number
from kompas.present.model import CombinationStory
from kompas.present.model import PlatformStory
from kompas.present.model import Story
from kompas.present.words import ignored_reason

WIDTH = 88


def percent(value: float | None) -> str:
    """A score as a whole percentage, or a dash when there is none."""
    return "—" if value is None else format_number(value, 0)


def bar(
    lower: float | None, upper: float | None, width: int = 20, little_known: bool = False
) -> str:
    """A text bar for a 0-100 range: solid up to the lower bound (striped when little is
    known), shaded up to the upper."""
    if lower is None or upper is None:
        return "·" * width
    solid = round(width * lower / 100)
    shaded = round(width * upper / 100) - solid
    sure = "▓" if little_known else "█"
    return sure * solid + "▒" * shaded + "·" * (width - solid - shaded)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def render_advice(advice: Advice, story: Story, details: int = 5, sources: bool = True) -> str:
    """The advice as terminal text: headline, shortlist, ranking, reasons and vendor questions."""
    out = [
        *_opening(advice, story),
        *_attention(story),
        *_criteria(advice),
        *_first_questions(story),
        *_shortlist(story),
        *_ranking(story),
    ]
    for p in story.platforms[:details]:
        out += ["", *platform_details(p, sources)]
    out += [*_the_rest(story, details), *_vendor_questions(story), *_not_counted(advice)]
    out += ["", _wrap(_legend(), "")]
    return "\n".join(out) + "\n"


def _opening(advice: Advice, story: Story) -> list[str]:
    """The title, the versions, the headline and summary, and what the advice builds on."""
    out = [
        _("Kompas-advies"),
        _("Vragenlijst {q}, catalogus {c}, engine {e}").format(
            q=advice.questionnaire_version, c=advice.catalogue_version, e=advice.engine_version
        ),
        "",
    ]
    if story.provisional:
        out += [_("VOORLOPIG ADVIES"), ""]
    out += [_wrap(line, "") for line in story.headline + story.summary]
    out.append("")
    if story.builds_on:
        out.append(_("Bouw voort op wat er al is"))
        out += [_wrap(f"- {line}", "  ") for line in story.builds_on]
        out.append("")
    return out


def _attention(story: Story) -> list[str]:
    """The warnings, then the open questions that could change the advice most."""
    out = [_wrap(f"! {w.text}", "") for w in story.warnings]
    if story.decisive_open:
        out.append(_("Beantwoord eerst deze vragen, die het advies het meest kunnen veranderen:"))
        out += [_wrap(f"- {text} ({qid})", "  ") for qid, _section, text in story.decisive_open]
    if story.warnings or story.decisive_open:
        out.append("")
    return out


def _criteria(advice: Advice) -> list[str]:
    """The criteria that count, each with its weight or as a must."""
    if not advice.active:
        return []
    out = [_("Meegewogen criteria ({n}):").format(n=len(advice.active))]
    for a in advice.active:
        level = _("eis") if a.must else _("gewicht {w}").format(w=format_number(a.weight, 2))
        out.append(f"  - {a.label} ({level})")
    out.append("")
    return out


def _first_questions(story: Story) -> list[str]:
    """The vendor questions that could change the advice most, before the ranking."""
    if not story.deciding:
        return []
    out = [_("Eerste vragen aan de leveranciers (wat het meest kan veranderen)")]
    for f in story.deciding:
        mark = " " + _("(eis)") if f.must else ""
        out.append(_wrap(f"- {f.platform_name}: {f.question}{mark}", "  "))
    out.append("")
    return out


def _shortlist(story: Story) -> list[str]:
    """The shortlist the reader sees on every page, with score and range, then a blank line."""
    if not story.shortlist:
        return []
    note = " ".join(x for x in (story.shortlist_note, story.shortlist_aside) if x)
    out = [_("De kortlijst"), _wrap(note, "")]
    for row in story.shortlist:
        scores = _("score {s}, bandbreedte {l}–{u}").format(
            s=percent(row.score), l=percent(row.lower), u=percent(row.upper)
        )
        out.append(f"{row.rank:>3}. {row.name:<30}  {scores}")
    out.append("")
    return out


def _ranking(story: Story) -> list[str]:
    """The ranking table: rank, name, score with its bar, fit, how much is known, standing."""
    out = [
        _(
            "Rangorde (score 0-100; █ zeker, ▒ hangt af van wat nog onbekend is, ▓ lijkt "
            "vast te staan maar er is nog weinig bekend)"
        )
    ]
    for row in story.ranking:
        flags = [x for x in (row.standing, _("te verifiëren") if row.to_verify else "") if x]
        flag = f"  ({'; '.join(flags)})" if flags else ""
        out.append(
            f"{row.rank:>3}. {row.name[:30]:<30} {percent(row.score):>3} {bar(row.lower, row.upper, 16, row.striped)}"
            f"  {_('passend')} {percent(row.fit):>3}  {_('bekend')} {percent(row.coverage):>3}%{flag}"
        )
    return out


def _the_rest(story: Story, details: int) -> list[str]:
    """Every platform not detailed: red flags, exclusions, below the line, examples, stopped."""
    out: list[str] = []
    # The red flags of the platforms not detailed above: they show whatever was asked.
    flagged = [f for p in story.platforms[details:] for f in p.flags]
    if flagged:
        out += ["", _("Let op bij de andere platforms in de rangorde")]
        out += [_wrap(f"! {f}", "  ") for f in flagged]
    if story.exclusions:
        out += ["", _("Uitgesloten door een eis")]
        for x in story.exclusions:
            reasons = " ".join(r.text for r in x.reasons)
            out.append(_wrap(f"- {x.name}: {reasons}", "  "))
    if story.complements:
        out += ["", _("Aanvulling (zonder rang)"), _wrap(story.complements_note, "")]
        out += [_wrap(f"- {a.text}", "  ") for a in story.complements]
    if story.below:
        out += ["", _("Dient geen van uw doelen (onder de streep)"), _wrap(story.below_note, "")]
        out += [_wrap(f"- {a.text}", "  ") for a in story.below]
    for title, asides in (
        (_("Voorbeelden om van te leren (geen kandidaat)"), story.examples),
        (_("Gestopt (niet in de rangorde)"), story.withdrawn),
    ):
        if asides:
            out += ["", title]
            out += [_wrap(f"- {a.text}", "  ") for a in asides]
    return out


def _vendor_questions(story: Story) -> list[str]:
    """What to ask the vendors, each with whom to ask."""
    if not story.vendor_topics:
        return []
    out = ["", _("Vragen aan de leverancier")]
    for topic in story.vendor_topics:
        mark = " " + _("(eis)") if topic.must else ""
        out.append(_wrap(f"- {topic.question}{mark}", "  "))
        out.append(_wrap(topic.ask_to, "    "))
    return out


def _not_counted(advice: Advice) -> list[str]:
    """The answers that do not count, each with why."""
    if not advice.ignored:
        return []
    out = ["", _("Niet meegeteld")]
    out += [f"  - {i.question_id}: {ignored_reason(i.reason)}" for i in advice.ignored]
    return out


def _legend() -> str:
    """What fit, known and score mean, so the table can be read without the manual."""
    return _(
        "Passend = gewogen aandeel van de criteria waaraan het platform voldoet, "
        "over de criteria waarvan de feiten bekend zijn. Bekend = aandeel van het "
        "gewicht waarvan de feiten bekend zijn. Score = het midden tussen wat het "
        "platform zeker haalt en wat het kan halen als alles wat onbekend is "
        "meevalt: onbekend telt dus nooit als 'nee' en ook niet als 'ja'."
    )


def platform_details(p: PlatformStory, sources: bool = True) -> list[str]:
    """Reasons for one platform: met, partly met, not met, unknown, each with its source."""
    flag = f" ({_('te verifiëren')})" if p.to_verify else ""
    out = [f"{p.rank}. {p.name} — {p.url or _('geen eigen website bekend')}{flag}"]
    out += [_wrap(f"! {w}", "   ") for w in p.warnings]
    for d in p.drawbacks:
        line = _("Kanttekening: {text}").format(text=d.text)
        if sources:
            line += " [" + _("bron: {s}, {said}").format(s=d.source, said=d.said) + "]"
        out.append(_wrap(line, "   "))
    for mark, items in (("+", p.pros), ("±", p.partial), ("-", p.cons), ("?", p.unknowns)):
        for c in items:
            must = f" ({_('eis')})" if mark == "?" and c.must else ""
            source = _sources(c.facts) if sources else ""
            out.append(_wrap(f"{mark} {c.text}{must}{source}", "   "))
    return out


def _sources(facts: Iterable[FactRef]) -> str:
    parts = [
        _("bron: {s}, gecontroleerd {d}").format(s=f.source, d=f.checked.isoformat())
        for f in facts
        if f.status == "known" and f.checked
    ]
    return f" [{'; '.join(parts)}]" if parts else ""


def render_catalogue(catalogue: Catalogue) -> str:
    """One line per platform."""
    width = max((len(p.id) for p in catalogue.platforms), default=2) + 2
    lines = [
        f"{p.id:<{width}}{p.name:<36}{localise(catalogue.categories.get(p.category, p.category))}"
        for p in catalogue.platforms
    ]
    lines.append(
        _("{n} platforms, catalogus {v}").format(n=len(catalogue.platforms), v=catalogue.version)
    )
    return "\n".join(lines) + "\n"


def render_comparison(
    catalogue: Catalogue, platforms: Iterable[Platform], texts: Questionnaire
) -> str:
    """Facts of a few platforms side by side, with numbered sources."""
    chosen = list(platforms)
    col = max(18, (WIDTH - 30) // max(1, len(chosen)))
    sources: dict[tuple[str, Any], int] = {}
    evidence: dict[int, str] = {}
    lines = [" " * 30 + "".join(f"{p.name[: col - 1]:<{col}}" for p in chosen)]
    for spec in catalogue.facts.values():
        cells = []
        first = chosen[0].fact(spec.id)
        differs = any(not p.fact(spec.id).same_as(first) for p in chosen[1:])
        for p in chosen:
            fact = p.fact(spec.id)
            if fact.status == "unknown":
                cell = _("onbekend")
            elif fact.status == "not_applicable":
                cell = _("n.v.t.")
            else:
                n = sources.setdefault((fact.source, fact.checked), len(sources) + 1)
                phrase = evidence_phrase(fact_ref(spec, fact, texts.texts))
                if phrase and n not in evidence:
                    evidence[n] = phrase
                cell = f"[{n}] {describe_value(spec, fact, texts.texts)}"
            cells.append(cell if len(cell) < col else cell[: col - 2] + "…")
        mark = "*" if differs else " "
        label = localise(spec.label)
        lines.append(f"{mark}{label[:28]:<29}" + "".join(f"{c:<{col}}" for c in cells))
    lines += ["", _("* = verschilt tussen de platforms"), _("Bronnen:")]
    for (source, checked), n in sources.items():
        said = f"{evidence[n]}; " if n in evidence else ""
        lines.append(f"  [{n}] {source} ({said}{_('gecontroleerd')} {checked.isoformat()})")
    return "\n".join(lines) + "\n"


def render_analysis(story: Story) -> str:
    """How sure the advice is: stability, tie-break questions, combinations."""
    rob = story.robustness
    out = ["", _("Hoe zeker is dit advies?")]
    out += [_wrap(f"- {line}", "  ") for line in rob.lines]
    if rob.tie_lines:
        out += ["", _("Vragen die het verschil maken")]
        out += [_wrap(line, "  ") for line in rob.tie_lines]
        for s in rob.separators:
            out.append(_wrap(f"- {s.question} ({s.question_id})", "  "))
            out.append(_wrap(s.text, "    "))
    combos = story.combinations
    if combos.status in ("better", "not_better", "none"):
        out += ["", _("Platforms naast elkaar")]
        out.append(_wrap(combos.note, "  "))
        for combo in combos.shown:
            out += _combination(combo)
    if combos.offline:
        out += ["", _("Platform met een offline aanpak")]
        for combo in combos.offline:
            out += _combination(combo)
    return "\n".join(out) + "\n"


def _combination(combo: CombinationStory) -> list[str]:
    out = [f"  {combo.names} ({_('score')} {percent(combo.score)})"]
    out += [
        _wrap(f"- {line}", "    ") for line in combo.lines + ((combo.cost,) if combo.cost else ())
    ]
    return out
