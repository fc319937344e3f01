"""Plain-text views of an advice and of the catalogue, for the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from kompas.engine.analysis import Analysis
from kompas.engine.model import Catalogue
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.engine.scoring import describe_value
from kompas.i18n import _
from kompas.i18n import localise

WIDTH = 88


def percent(value: float | None) -> str:
    """A score as a whole percentage, or a dash when there is none."""
    return "—" if value is None else f"{value:.0f}"


def bar(lower: float | None, upper: float | None, width: int = 20) -> str:
    """A text bar for a 0-100 range: solid up to the lower bound, shaded up to the upper."""
    if lower is None or upper is None:
        return "·" * width
    solid = round(width * lower / 100)
    shaded = round(width * upper / 100) - solid
    return "█" * solid + "▒" * shaded + "·" * (width - solid - shaded)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def render_advice(advice: Advice, details: int = 5) -> str:
    """The advice as terminal text: ranking, reasons, exclusions and vendor questions."""
    out = [
        _("Kompas-advies"),
        _("Vragenlijst {q}, catalogus {c}, engine {e}").format(
            q=advice.questionnaire_version, c=advice.catalogue_version, e=advice.engine_version
        ),
        "",
    ]
    if not advice.active:
        out += [
            _wrap(
                _(
                    "Geen enkel antwoord weegt mee: beantwoord eerst vragen over doelen en "
                    "eisen. Alle platforms scoren daarom gelijk."
                ),
                "",
            ),
            "",
        ]
    else:
        out.append(_("Meegewogen criteria ({n}):").format(n=len(advice.active)))
        for a in advice.active:
            level = _("eis") if a.must else _("gewicht {w:g}").format(w=a.weight)
            out.append(f"  - {a.label} ({level})")
        out.append("")
    out.append(_("Rangorde (score 0-100; █ zeker, ▒ hangt af van wat nog onbekend is)"))
    if not advice.ranking:
        out.append(
            _wrap(
                _(
                    "Geen enkel platform voldoet aan alle eisen. Bekijk de uitgesloten "
                    "platforms hieronder en overweeg een eis te laten vallen."
                ),
                "  ",
            )
        )
    for r in advice.ranking:
        flag = "  " + _("(te verifiëren)") if r.to_verify else ""
        out.append(
            f"{r.rank:>3}. {r.platform.name[:30]:<30} {percent(r.score):>3} {bar(r.lower, r.upper, 16)}"
            f"  {_('passend')} {percent(r.fit):>3}  {_('bekend')} {percent(r.coverage):>3}%{flag}"
        )
    for r in advice.ranking[:details]:
        out += ["", *platform_details(r)]
    if advice.excluded:
        out += ["", _("Uitgesloten door een eis")]
        for r in advice.excluded:
            reasons = " ".join(r.notes + tuple(c.text for c in r.excluded_by))
            out.append(_wrap(f"- {reasons}", "  "))
    questions = advice.vendor_questions(details)
    if questions:
        out += ["", _("Vragen aan de leverancier")]
        for platform_name in dict.fromkeys(q.platform_name for q in questions):
            out.append(f"  {platform_name}")
            for q in questions:
                if q.platform_name == platform_name:
                    mark = " " + _("(eis)") if q.must else ""
                    out.append(_wrap(f"- {q.question}{mark}", "    "))
    if advice.ignored:
        out += ["", _("Niet meegeteld")]
        for i in advice.ignored:
            out.append(f"  - {i.question_id}: {_reason(i.reason)}")
    out += [
        "",
        _wrap(
            _(
                "Passend = gewogen aandeel van de criteria waaraan het platform voldoet, "
                "over de criteria waarvan de feiten bekend zijn. Bekend = aandeel van het "
                "gewicht waarvan de feiten bekend zijn. Score = het midden tussen wat het "
                "platform zeker haalt en wat het kan halen als alles wat onbekend is "
                "meevalt: onbekend telt dus nooit als 'nee' en ook niet als 'ja'."
            ),
            "",
        ),
    ]
    return "\n".join(out) + "\n"


def _reason(reason: str) -> str:
    return {
        "hidden": _("vraag is niet van toepassing bij de andere antwoorden"),
        "unknown_question": _("vraag bestaat niet (meer) in de vragenlijst"),
        "invalid": _("antwoord past niet (meer) bij de vraag"),
    }.get(reason, reason)


def platform_details(r: PlatformResult) -> list[str]:
    """Reasons for one platform: pro, contra, unknown, each with its source."""
    out = [f"{r.rank}. {r.platform.name} — {r.platform.url}"]
    out += [_wrap(f"! {note}", "   ") for note in r.notes]
    for mark, items in (("+", r.pros), ("-", r.cons), ("?", r.unknowns)):
        for c in items:
            out.append(_wrap(f"{mark} {c.text}{_sources(c)}", "   "))
    return out


def _sources(c: CriterionResult) -> str:
    parts = [
        _("bron: {s}, gecontroleerd {d}").format(s=f.source, d=f.checked.isoformat())
        for f in c.facts
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
    sources: dict[str, int] = {}
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
                cell = f"[{n}] {describe_value(spec, fact, texts.texts)}"
            cells.append(cell if len(cell) < col else cell[: col - 2] + "…")
        mark = "*" if differs else " "
        label = localise(spec.label)
        lines.append(f"{mark}{label[:28]:<29}" + "".join(f"{c:<{col}}" for c in cells))
    lines += ["", _("* = verschilt tussen de platforms"), _("Bronnen:")]
    for (source, checked), n in sources.items():
        lines.append(f"  [{n}] {source} ({_('gecontroleerd')} {checked.isoformat()})")
    return "\n".join(lines) + "\n"


def render_analysis(analysis: Analysis, questionnaire: Questionnaire, catalogue: Catalogue) -> str:
    """How sure the advice is: stability, tie-break questions, combinations."""
    from kompas import narrative

    out = ["", _("Hoe zeker is dit advies?")]
    out += [
        _wrap(f"- {line}", "  ")
        for line in narrative.robustness_sentences(analysis.robustness, catalogue)
    ]
    if analysis.tied:
        out += ["", _("Vragen die het verschil maken")]
        out += [_wrap(line, "  ") for line in narrative.tie_break_sentences(analysis, catalogue)]
        for s in analysis.separators:
            out.append(_wrap(f"- {s.question} ({s.question_id})", "  "))
            out.append(_wrap(narrative.separator_sentence(s, catalogue), "    "))
    combos = analysis.combinations
    if combos.accepted:
        shown = [c for c in combos.pairs[:2] + combos.triples[:1] if combos.beats_single(c)]
        out += ["", _("Platforms naast elkaar")]
        if not shown:
            best = catalogue.platform(combos.best_single).name if combos.best_single else "-"
            out.append(
                _wrap(_("Geen combinatie doet het beter dan {p} alleen.").format(p=best), "  ")
            )
        for combo in shown:
            names = " + ".join(catalogue.platform(p).name for p in combo.platform_ids)
            out.append(f"  {names} ({_('score')} {percent(combo.score)})")
            for line in narrative.combination_sentences(combo, combos, questionnaire, catalogue):
                out.append(_wrap(f"- {line}", "    "))
    if combos.with_offline and combos.accepted is not False:
        out += ["", _("Platform met een offline aanpak")]
        for combo in combos.with_offline[:2]:
            names = " + ".join(catalogue.platform(p).name for p in combo.platform_ids)
            out.append(f"  {names} ({_('score')} {percent(combo.score)})")
            for line in narrative.combination_sentences(combo, combos, questionnaire, catalogue):
                out.append(_wrap(f"- {line}", "    "))
    return "\n".join(out) + "\n"
