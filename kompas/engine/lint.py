"""`kompas validate`: shape and reference checks of both files, plus lints on their content."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kompas.engine.catalogue import DEFAULT_PLATFORMS
from kompas.engine.catalogue import read_catalogue
from kompas.engine.checks import Checker
from kompas.engine.conditions import NA
from kompas.engine.criterion_results import satisfy
from kompas.engine.kernel import STALE_AFTER
from kompas.engine.kernel import bounds
from kompas.engine.kernel import is_stale
from kompas.engine.kernel import raw_satisfaction
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire import read_questionnaire
from kompas.engine.research import Search
from kompas.engine.research import last_searched
from kompas.engine.research import read_log
from kompas.engine.research import shipped_log
from kompas.engine.yamlsource import Node
from kompas.errors import DataError
from kompas.errors import Location
from kompas.errors import Problem


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """All problems in the two data files, and what was loaded."""

    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    questionnaire: Questionnaire | None
    catalogue: Catalogue | None
    untranslated: tuple[Problem, ...] = ()

    def ok(self, strict: bool = False) -> bool:
        """Whether the files pass (under --strict, warnings fail too)."""
        return not self.errors and not (strict and (self.warnings or self.untranslated))


def validate(
    questions: str | Path | None = None,
    platforms: str | Path | None = None,
    *,
    today: dt.date | None = None,
) -> ValidationReport:
    """Check both data files, their cross-references and their content."""
    catalogue, ccheck = read_catalogue(platforms)
    questionnaire, qcheck = read_questionnaire(questions, catalogue)
    problems = ccheck.problems + qcheck.problems
    untranslated = ccheck.untranslated + qcheck.untranslated
    if catalogue is not None and questionnaire is not None:
        log, log_problems = _research_log(catalogue, platforms)
        lint = Checker()
        lint_content(questionnaire, catalogue, lint, today or dt.date.today(), log)
        problems += log_problems + lint.problems
    return ValidationReport(
        tuple(p for p in problems if p.severity == "error"),
        tuple(p for p in problems if p.severity != "error") + _translation_summary(untranslated),
        questionnaire,
        catalogue,
        tuple(untranslated),
    )


def _research_log(
    catalogue: Catalogue, platforms: str | Path | None
) -> tuple[tuple[Search, ...] | None, list[Problem]]:
    """The shipped research log and its own mistakes, when the shipped catalogue is checked."""
    # A broken log must fail validation instead of silently muting the staleness checks. Another
    # catalogue file keeps using the log only where it fits (None: lint_content decides).
    if platforms is not None and Path(platforms).resolve() != DEFAULT_PLATFORMS.resolve():
        return None, []
    try:
        return read_log(catalogue), []
    except DataError as exc:  # a missing or unreadable file too (load_file says which)
        return (), list(exc.problems)


def _translation_summary(untranslated: list[Problem]) -> tuple[Problem, ...]:
    """One warning per file for texts without a translation (all of them under --strict)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in untranslated:
        by_file.setdefault(problem.location.file, []).append(problem)
    return tuple(
        Problem(
            Location(file),
            "",
            f"{len(items)} text(s) without an English translation, the first at line "
            f"{items[0].location.line}: {items[0].path}",
            "kompas validate --strict lists them all",
            "warning",
        )
        for file, items in by_file.items()
    )


def lint_content(
    q: Questionnaire,
    c: Catalogue,
    check: Checker,
    today: dt.date,
    log: tuple[Search, ...] | None = None,
) -> None:
    """Warnings about content: stale facts, questions that separate nothing, hopeless platforms."""
    log = shipped_log(c) if log is None else log
    _stale_facts(c, check, today, log)
    separating = _separating_criteria(q, c)
    for question in q.questions:
        criteria = _criteria_of(question)
        if not criteria or criteria & separating:
            continue
        pairs = _reordered_pairs(q, c, criteria)
        if pairs and _searched_everywhere(q, c, criteria, log, today):
            continue  # every gap was looked for in public sources: what is left is for vendors
        if pairs:
            check.warn(
                Node(None, question.location),
                f"questions.{question.id}",
                f"its answers re-order {pairs} pair(s) of platforms, but only because some "
                "platforms document a fact that others leave unknown: every known value is "
                "the same",
                "find the missing facts; until then the question rewards whoever documents more",
            )
        else:
            check.warn(
                Node(None, question.location),
                f"questions.{question.id}",
                "no answer to this question can change how platforms compare",
                "the facts it relies on are the same (or unknown) for every platform",
            )
    for platform, other in _never_on_top(q, c):
        check.warn(
            Node(None, platform.location),
            f"platforms.{platform.id}",
            f"can never rank above {other.id!r}: the same facts are known for both, and "
            f"{other.id!r} does at least as well on every criterion and better on one",
        )


def _stale_facts(c: Catalogue, check: Checker, today: dt.date, log: tuple[Search, ...]) -> None:
    """Facts whose source is over a year old; without a source date, judged on `checked`.

    A dated fact whose search for a newer source the research log records within the last
    year, after the source's date, is not reported: the curator did what the warning asks
    (the log says what was found), and the advice still shows the fact's age.
    """
    for platform in c.platforms:
        sought = last_searched(log, platform.id, today - STALE_AFTER)
        stale = [
            f for f in platform.facts.values() if is_stale(f.known, f.source_date, f.checked, today)
        ]
        old = [
            f.source_date
            for f in stale
            if f.source_date is not None and not (f.id in sought and sought[f.id] > f.source_date)
        ]
        if old:
            check.warn(
                Node(None, platform.location),
                f"platforms.{platform.id}",
                f"{len(old)} fact(s) rest on a source dated more than 12 months ago "
                f"(oldest {min(old).isoformat()})",
                "check whether a newer source says the same and update source_date and checked",
            )
        old = [f.checked for f in stale if f.source_date is None and f.checked is not None]
        if old:
            check.warn(
                Node(None, platform.location),
                f"platforms.{platform.id}",
                f"{len(old)} fact(s) without a source date, last checked more than 12 months "
                f"ago (oldest {min(old).isoformat()}): judged on checked because the source "
                "date is unknown",
                "check them against their sources and update 'checked'",
            )


def _searched_everywhere(
    q: Questionnaire, c: Catalogue, criteria: set[str], log: tuple[Search, ...], today: dt.date
) -> bool:
    """Whether each platform leaving a fact of these criteria unknown was searched for it lately.

    Within the last year, found or not: the warning's remedy ("find the missing facts") has
    then been tried in public sources, and the unknowns go to the vendors' questions.
    """
    facts = {f for cid in criteria if cid in q.criteria for f in q.criteria[cid].facts()}
    for platform in c.platforms:
        searched = last_searched(log, platform.id, today - STALE_AFTER)
        if any(platform.fact(f).status == "unknown" and f not in searched for f in facts):
            return False
    return True


def _criteria_of(question: Any) -> set[str]:
    ids = {a.criterion for a in question.activates + question.if_yes + question.if_no}
    ids |= set(question.criteria)
    for option in question.options:
        ids |= {a.criterion for a in option.activates}
    return ids


def _separating_criteria(q: Questionnaire, c: Catalogue) -> set[str]:
    result = set()
    for criterion in q.criteria.values():
        if criterion.condition is not None and criterion.condition.answers():
            result.add(criterion.id)  # depends on the answer itself, so it may separate
            continue
        seen = {_value(satisfy(criterion, p.facts, {})) for p in c.platforms}
        if len(seen - {None}) > 1:
            result.add(criterion.id)
    return result


def _reordered_pairs(q: Questionnaire, c: Catalogue, criteria: set[str]) -> int:
    """Pairs of platforms whose score difference depends on the weight of these criteria."""
    rows = []
    for platform in c.platforms:
        row = []
        for cid in sorted(criteria):
            criterion = q.criteria.get(cid)
            if criterion is None:
                continue
            low, high = bounds(criterion, raw_satisfaction(criterion, platform.facts, {}))
            row.append(None if low is None or high is None else (low + high) / 2)
        rows.append(tuple(row))
    return sum(a != b for a, b in itertools.combinations(rows, 2))


def _value(satisfaction: Any) -> Any:
    return None if satisfaction is NA else satisfaction


def _never_on_top(q: Questionnaire, c: Catalogue) -> list[tuple[Any, Any]]:
    """Platforms another platform beats or ties under every possible set of answers."""
    fixed = [cr for cr in q.criteria.values() if not (cr.condition and cr.condition.answers())]
    # Criteria that compare with an answer (budget, scale) can separate any two platforms
    # whose facts differ, so dominance needs those facts to be identical.
    answer_facts = sorted(
        {
            f
            for cr in q.criteria.values()
            if cr.condition and cr.condition.answers()
            for f in cr.facts()
        }
    )
    rows = {
        p.id: (
            [_value(satisfy(cr, p.facts, {})) for cr in fixed],
            [(p.fact(f).status, p.fact(f).value) for f in answer_facts],
        )
        for p in c.platforms
    }
    beaten = []
    for p in c.platforms:
        mine, my_facts = rows[p.id]
        for other in c.platforms:
            theirs, their_facts = rows[other.id]
            if other.id == p.id or my_facts != their_facts or theirs == mine:
                continue
            if all(_at_least(t, m) for t, m in zip(theirs, mine, strict=True)):
                beaten.append((p, other))
                break
    return beaten


def _at_least(theirs: Any, mine: Any) -> bool:
    """Whether a satisfaction is at least another, with the same knowledge on both sides."""
    if theirs is None or mine is None:
        return theirs is None and mine is None
    return bool(theirs >= mine)
