"""Decision records: an advice as JSON that anyone can store, read back and recompute."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.errors import RecordError

RECORD_FORMAT = "kompas-decision-record/1"


def to_record(advice: Advice) -> dict[str, Any]:
    """The advice as a plain JSON-ready dict: inputs, data versions and every criterion result."""
    return {
        "format": RECORD_FORMAT,
        "created": advice.created.isoformat(),
        "engine_version": advice.engine_version,
        "questionnaire": {
            "version": advice.questionnaire_version,
            "hash": advice.questionnaire_hash,
        },
        "catalogue": {"version": advice.catalogue_version, "hash": advice.catalogue_hash},
        "answers": {k: _plain(v) for k, v in advice.answers.items()},
        "ignored_answers": [
            {"question": i.question_id, "value": _plain(i.value), "reason": i.reason}
            for i in advice.ignored
        ],
        "active_criteria": [
            {
                "id": a.id,
                "label": a.label,
                "importance": a.importance,
                "weight": a.weight,
                "must": a.must,
                "because": [{"question": b.question_id, "answer": b.answer} for b in a.because],
            }
            for a in advice.active
        ],
        "ranking": [_platform(r) for r in advice.ranking],
        # An approach that only complements a platform has no rank: the key is left out.
        "complements": [
            {k: v for k, v in _platform(r).items() if k != "rank"} for r in advice.complements
        ],
        "aside": [_platform(r) for r in advice.aside],
        "excluded": [_platform(r) for r in advice.excluded],
        "examples": [_platform(r) for r in advice.examples],
        "withdrawn": [_platform(r) for r in advice.withdrawn],
        "completeness": _completeness(advice),
        **({"local_facts": _local_facts(advice)} if advice.local_facts else {}),
    }


def _local_facts(advice: Advice) -> list[dict[str, Any]]:
    """The facts given for this advice only, as plain data that `recompute` reads back."""
    from kompas.engine.evidence import provenance
    from kompas.engine.vendor import plain_value

    return [
        {
            "platform": pid,
            "fact": fact.id,
            "value": plain_value(fact.value),
            "source": fact.source,
            "date": fact.source_date.isoformat() if fact.source_date else None,
            "note": fact.note,
            "evidence": fact.evidence,
            # In words, as the page and the PDF say it ("volgens de leverancier, 12 december
            # 2026; alleen voor dit dossier"); `recompute` does not read it.
            "said": provenance(fact.evidence, fact.source_date, exact=True, local=True),
        }
        for pid, facts in sorted(advice.local_facts.items())
        for fact in facts.values()
    ]


def local_facts_of(record: Mapping[str, Any], catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """The local facts a record was computed with; RecordError when one does not fit."""
    import dataclasses

    from kompas.engine.vendor import answer_from_record
    from kompas.errors import DataError

    result: dict[str, dict[str, Any]] = {}
    for item in record.get("local_facts") or ():
        if not isinstance(item, Mapping):
            raise RecordError("a local fact in the record is not a mapping")
        try:
            fact = answer_from_record(item, catalogue).fact()
        except DataError as exc:
            raise RecordError(f"a local fact in the record does not fit: {exc}") from None
        fact = dataclasses.replace(
            fact, note=str(item.get("note", "")), evidence=str(item.get("evidence", ""))
        )
        result.setdefault(fact_platform(item), {})[fact.id] = fact
    return result


def fact_platform(item: Mapping[str, Any]) -> str:
    """The platform id of a local fact in a record."""
    return str(item.get("platform", ""))


def _completeness(advice: Advice) -> dict[str, Any] | None:
    c = advice.completeness
    if c is None:
        return None
    return {
        "answered": c.answered,
        "total": c.total,
        "open_sections": list(c.open_sections),
        "decisive_open": list(c.decisive_open),
        "provisional": c.provisional,
    }


def _platform(r: PlatformResult) -> dict[str, Any]:
    return {
        "rank": r.rank,
        "platform": r.platform.id,
        "name": r.platform.name,
        "score": _round(r.score),
        "score_range": [_round(r.lower), _round(r.upper)],
        "fit": _round(r.fit),
        "coverage": _round(r.coverage),
        "excluded_by": [c.criterion_id for c in r.excluded_by],
        "to_verify": [c.criterion_id for c in r.to_verify],
        "criteria": [_criterion(c) for c in r.results],
    }


def _criterion(c: CriterionResult) -> dict[str, Any]:
    return {
        "id": c.criterion_id,
        "state": c.state,
        "satisfaction": c.satisfaction,
        "weight": c.weight,
        "must": c.must,
        "counted": c.counted,
        "explanation": c.text,
        "facts": [
            {
                "id": f.id,
                "status": f.status,
                "value": f.value,
                "source": f.source or None,
                "checked": f.checked.isoformat() if f.checked else None,
                **({"evidence": f.evidence, "local": True} if f.local else {}),
            }
            for f in c.facts
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list | frozenset | set):
        return list(value)
    return value


def to_json(advice: Advice) -> str:
    """The decision record as indented JSON text."""
    return json.dumps(to_record(advice), indent=2, ensure_ascii=False) + "\n"


def read_record(text: str | bytes) -> dict[str, Any]:
    """Parse a decision record; RecordError when it is not one."""
    try:
        record = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(f"not a JSON decision record: {exc}") from None
    if not isinstance(record, Mapping) or record.get("format") != RECORD_FORMAT:
        raise RecordError(f"not a Kompas decision record (expected format {RECORD_FORMAT!r})")
    if not isinstance(record.get("answers"), Mapping):
        raise RecordError("the record has no answers")
    return dict(record)


def recompute(
    record: Mapping[str, Any],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    *,
    allow_changed_data: bool = False,
) -> Advice:
    """Compute the advice again from a record's answers; RecordError if the data changed."""
    from kompas.engine.scoring import advise

    changed = []
    if record.get("questionnaire", {}).get("hash") != questionnaire.content_hash:
        changed.append("questions.yaml")
    if record.get("catalogue", {}).get("hash") != catalogue.content_hash:
        changed.append("platforms.yaml")
    if changed and not allow_changed_data:
        raise RecordError(
            "the record was made with other data (" + ", ".join(changed) + "); "
            "recompute with allow_changed_data=True to compare"
        )
    created = record.get("created")
    try:
        when = dt.datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        when = None
    answers = dict(record["answers"])
    for item in record.get("ignored_answers") or ():
        if isinstance(item, Mapping) and isinstance(item.get("question"), str):
            answers.setdefault(item["question"], item.get("value"))
    local = local_facts_of(record, catalogue)
    return advise(questionnaire, catalogue, answers, strict=False, now=when, local_facts=local)


def same_outcome(record: Mapping[str, Any], advice: Advice) -> bool:
    """Whether an advice has the same ranking, scores and exclusions as a record."""
    fresh = to_record(advice)
    keys = ("rank", "platform", "score", "fit", "coverage", "excluded_by", "to_verify")

    def strip(items: Any) -> list[Any]:
        return [{k: item.get(k) for k in keys} for item in items]

    return all(
        strip(record.get(part, [])) == strip(fresh[part])
        for part in ("ranking", "complements", "aside", "excluded", "examples", "withdrawn")
    )


def analysis_record(analysis: Any) -> dict[str, Any]:
    """Robustness, tie-break and combinations as plain data for the decision record."""
    rob = analysis.robustness
    return {
        "stability": rob.label,
        "top": list(rob.top),
        "runner_up": rob.runner_up,
        "margin": _round(rob.margin),
        "intervals": _intervals_record(rob.intervals),
        "leave_one_out": [
            {"question": x.question_id, "top": list(x.top), "changes": x.changes}
            for x in rob.leave_one_out
        ],
        "tie_break": _tie_break_record(analysis),
        "combinations": _combinations_record(analysis.combinations),
    }


def _intervals_record(intervals: Any) -> list[dict[str, Any]]:
    """Per criterion the weight range within which the leader stays, and who passes it."""

    def number(value: float) -> float | None:
        return None if value is None or math.isinf(value) else round(value, 6)

    return [
        {
            "criterion": i.criterion_id,
            "weight": i.weight,
            "lower": number(i.lower),
            "upper": number(i.upper),
            "below": i.below,
            "above": i.above,
            "critical": i.critical,
        }
        for i in intervals
    ]


def _tie_break_record(analysis: Any) -> dict[str, Any]:
    """The close pair, if any, and the questions that separate it most."""
    return {
        "pair": list(analysis.tied) if analysis.tied else None,
        "questions": [
            {
                "question": s.question_id,
                "answer": _plain(s.answer),
                "favours": s.favours,
                "gap_after": _round(s.gap_after),
                "decisive": s.decisive,
            }
            for s in analysis.separators
        ],
    }


def _combinations_record(combos: Any) -> dict[str, Any]:
    """The best pairs and triples against the best single platform, and the offline ones."""
    return {
        "accepted": combos.accepted,
        "best_single": combos.best_single,
        "best_single_score": _round(combos.best_single_score),
        "best": [
            {
                "platforms": list(c.platform_ids),
                "score": _round(c.score),
                "score_range": [_round(c.lower), _round(c.upper)],
                "coverage": _round(c.coverage),
                "gains": list(c.gains),
                "losses": list(c.losses),
                "overlaps": [{"criterion": k, "platforms": list(v)} for k, v in c.overlaps],
                "cost": _combination_cost(c),
            }
            for c in combos.pairs + combos.triples
        ],
        "with_offline": [
            {
                "platforms": list(c.platform_ids),
                "score": _round(c.score),
                "cost": _combination_cost(c),
            }
            for c in combos.with_offline
        ],
    }


def _combination_cost(combination: Any) -> dict[str, Any]:
    """A combination's combined yearly cost range in euro, or the members whose price is unknown."""
    return {
        "per_year_low": _round(combination.cost_low),
        "per_year_high": _round(combination.cost_high),
        "unknown_price": list(combination.cost_unknown),
    }
