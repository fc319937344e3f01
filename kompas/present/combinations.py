"""Which combinations of platforms to show, and their sentences."""

from __future__ import annotations

from kompas.engine.combinations import Combination
from kompas.engine.combinations import Combinations
from kompas.engine.criterion_results import describe_value
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_amount
from kompas.present.model import CombinationsStory
from kompas.present.model import CombinationStory
from kompas.present.words import join_names
from kompas.present.words import whole

COMBINATIONS_SHOWN = 2  # best pairs shown (plus the best triple)
OFFLINE_SHOWN = 2  # platform + offline approach pairs shown


def _cost_sentence(combination: Combination, catalogue: Catalogue) -> str:
    """The combined yearly cost, when the kernel provides it."""
    low: float | None = getattr(combination, "cost_low", None)
    high: float | None = getattr(combination, "cost_high", None)
    unknown: tuple[str, ...] = getattr(combination, "cost_unknown", ())
    if unknown:
        return _(
            "De gezamenlijke kosten zijn niet bekend: de prijs van {names} is onbekend."
        ).format(names=join_names(catalogue.platform(p).name for p in unknown))
    if low is not None:
        return _("Samen kosten ze {amount} per jaar.").format(amount=format_amount(low, high))
    return ""


def combination_sentences(
    combination: Combination,
    combinations: Combinations,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> list[str]:
    """What each member brings, overlaps, the combined facts and the comparison with one platform."""
    labels = {cid: localise(c.label) for cid, c in questionnaire.criteria.items()}
    lines = []
    for pid, criteria in combination.covers.items():
        name = catalogue.platform(pid).name
        if criteria:
            lines.append(
                _("{name} brengt: {labels}.").format(
                    name=name, labels=", ".join(labels[c] for c in criteria)
                )
            )
        else:
            lines.append(
                _(
                    "{name} vult vooral aan waar de andere onbekend is of niet van toepassing."
                ).format(name=name)
            )
    for cid, members in combination.overlaps:
        lines.append(
            _(
                "Overlap bij '{label}': {names} doen allebei hetzelfde. Dat kan inwoners over "
                "twee plekken verdelen (versnippering)."
            ).format(
                label=labels[cid], names=join_names(catalogue.platform(p).name for p in members)
            )
        )
    for cid, fact in combination.sums:
        spec = catalogue.facts.get(fact.id)
        if spec is None:
            continue
        if fact.known:
            value = describe_value(spec, fact, questionnaire.texts)
            lines.append(
                _("Samen, voor '{label}': {value}.").format(label=labels[cid], value=value)
            )
        elif fact.status == "unknown":
            lines.append(
                _(
                    "Samen, voor '{label}': onbekend, want van minstens één platform is dit niet "
                    "bekend."
                ).format(label=labels[cid])
            )
    lines.append(_against_single(combination, combinations, labels, catalogue))
    return lines


def _against_single(
    combination: Combination,
    combinations: Combinations,
    labels: dict[str, str],
    catalogue: Catalogue,
) -> str:
    """How the combination scores against the best single platform."""
    single = catalogue.platform(combinations.best_single).name if combinations.best_single else ""
    if combinations.beats_single(combination):
        gains = ", ".join(labels[c] for c in combination.gains) or _("wat onbekend is")
        return _(
            "Deze combinatie scoort {score} tegen {single} {best} als enige platform: ze "
            "wint op {gains}."
        ).format(
            score=whole(combination.score),
            single=single,
            best=whole(combinations.best_single_score or 0),
            gains=gains,
        )
    return _(
        "Deze combinatie scoort {score} en doet het niet beter dan {single} alleen ({best})."
    ).format(
        score=whole(combination.score),
        single=single,
        best=whole(combinations.best_single_score or 0),
    )


def _combination_story(
    combination: Combination,
    combinations: Combinations,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> CombinationStory:
    return CombinationStory(
        combination.platform_ids,
        " + ".join(catalogue.platform(p).name for p in combination.platform_ids),
        combination.score,
        tuple(combination_sentences(combination, combinations, questionnaire, catalogue)),
        _cost_sentence(combination, catalogue),
    )


def _chosen(combos: Combinations, catalogue: Catalogue) -> tuple[str, str, list[Combination]]:
    """Which combinations to show and what to say above them: those that beat the best
    single platform, else the best one with the note that it does not."""
    candidates = combos.pairs[:COMBINATIONS_SHOWN] + combos.triples[:1]
    better = [c for c in candidates if combos.beats_single(c)]
    if not candidates:
        status, note, chosen = (
            "none",
            _("Er is geen combinatie waarin elk platform iets toevoegt."),
            [],
        )
    elif not better:
        single = catalogue.platform(combos.best_single).name if combos.best_single else "—"
        status, note, chosen = (
            "not_better",
            _(
                "Geen combinatie doet het beter dan {p} alleen. De beste combinatie waarin elk "
                "platform iets toevoegt:"
            ).format(p=single),
            list(candidates[:1]),
        )
    else:
        status, note, chosen = (
            "better",
            _("Deze combinaties scoren beter dan het best passende platform alleen:"),
            better,
        )
    return status, note, chosen


def combinations_story(
    combos: Combinations, questionnaire: Questionnaire, catalogue: Catalogue
) -> CombinationsStory:
    """Which combinations to show: the one rule for page, CLI and report."""
    offline: tuple[CombinationStory, ...] = ()
    offline_note = ""
    if combos.with_offline and combos.accepted is not False:
        offline = tuple(
            _combination_story(c, combos, questionnaire, catalogue)
            for c in combos.with_offline[:OFFLINE_SHOWN]
        )
        offline_note = _(
            "U wilt ook inwoners zonder internet bereiken. Zo scoort een platform samen met "
            "een aanpak zonder software:"
        )
    if combos.accepted is False:
        return CombinationsStory(
            "declined",
            _(
                "U gaf aan dat meerdere platforms naast elkaar niet wenselijk zijn; daarom staan "
                "hier geen combinaties."
            ),
            "",
            (),
            "",
            (),
        )
    if combos.accepted is None and questionnaire.combinations_question:
        return CombinationsStory(
            "ask",
            _(
                "Wilt u weten of twee of drie platforms naast elkaar beter passen? Beantwoord "
                "dan eerst de vraag:"
            ),
            questionnaire.combinations_question,
            (),
            offline_note,
            offline,
        )
    status, note, chosen = _chosen(combos, catalogue)
    return CombinationsStory(
        status,
        note,
        "",
        tuple(_combination_story(c, combos, questionnaire, catalogue) for c in chosen),
        offline_note,
        offline,
    )
