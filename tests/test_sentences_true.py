"""Every sentence about how sure the advice is, is true when recomputed (hypothesis).

Leave-one-out and tie-break sentences are checked by actually removing that answer or
giving the proposed one and advising again; the "how sure" label is checked against the
ranges and the share known; a shared rank is checked in every view that shows a rank.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from types import MappingProxyType
from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import kompas
from kompas.engine import advise
from kompas.engine.answers import visible_questions
from kompas.engine.goals import is_complement
from kompas.engine.kernel import low_coverage
from kompas.engine.kernel import surely_beats
from kompas.engine.matrix import decision_matrix
from kompas.i18n import language as use
from kompas.i18n import localise
from kompas.present.words import join_names
from kompas.report.model import ReportMeta
from kompas.report.model import build_report
from kompas.textview import render_advice
from kompas.web.present import advice_csv
from tests.strategies import answers_for

Q, C = kompas.load()
# Each example explains the advice once and advises again per sentence: keep them few.
FEW = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def _explained(answers: dict[str, Any]) -> kompas.Explanation:
    return kompas.explain(Q, C, answers, strict=False, lang="nl")


def _leaders(advice: kompas.Advice) -> set[str]:
    """The scored platforms that share the first rank of an advice."""
    scored = [r for r in advice.ranking if r.score is not None]
    if not scored:
        return set()
    return {r.platform.id for r in scored if r.rank == scored[0].rank}


def _advised_without(answers: dict[str, Any], question_id: str) -> kompas.Advice:
    """The advice without one answer, the follow-ups it opens still shown with their answers.

    Computed independently of leave-one-out: every question shown now loses its condition, so
    removing the answer cannot hide a follow-up; questions hidden now keep no answer.
    """
    shown = {q.id for q in visible_questions(Q, answers)}
    sections = tuple(
        dataclasses.replace(
            s,
            questions=tuple(
                dataclasses.replace(q, show_if=None) if q.id in shown else q for q in s.questions
            ),
        )
        for s in Q.sections
    )
    kept = dataclasses.replace(Q, sections=sections, index=MappingProxyType({}))
    rest = {k: v for k, v in answers.items() if k != question_id and k in shown}
    return advise(kept, C, rest, strict=False)


def _answers_with_goals() -> st.SearchStrategy[dict[str, Any]]:
    """Random answers that always choose goals, so that there is a ranking to talk about."""
    goal = Q.question(Q.goal_question)
    ids = [o.id for o in goal.options]
    return st.builds(
        lambda rest, goals: {**rest, goal.id: goals},
        answers_for(Q),
        st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True),
    )


@FEW
@given(answers=_answers_with_goals())
def test_every_leave_one_out_sentence_is_true_when_advised_again(answers):
    """'Zonder uw antwoord op … zou X bovenaan staan' names the leaders of the advice without
    that answer (the follow-ups it opens keep theirs); an answer without such a sentence leaves
    the first place as it is."""
    e = _explained(answers)
    advice = e.advice
    now = _leaders(advice)
    candidates = {
        r.platform.id for r in advice.ranking + advice.complements + advice.aside + advice.excluded
    }
    by_text = {localise(q.text): q.id for q in Q.questions}
    said: dict[str, str] = {}
    for line in e.story.robustness.lines:
        found = re.match(r"Zonder uw antwoord op '(.+?)' (.+)$", line)
        if found:
            said[by_text[found.group(1)]] = found.group(2)
    weighing: dict[str, bool] = {}
    for x in e.analysis.robustness.leave_one_out:
        without = _advised_without(dict(advice.answers), x.question_id)
        again = _leaders(without)
        weighing[x.question_id] = any(a.weight > 0 or a.must for a in without.active)
        assert set(x.top) == again, (x.question_id, x.top, again)
        assert x.changes == (again != now), (x.question_id, again, now)
        assert x.weighs == weighing[x.question_id], (x.question_id, x.weighs)
        assert set(x.top) <= candidates, f"names a platform that is not a candidate: {x.top}"
    flips = [x for x in e.analysis.robustness.leave_one_out if x.changes]
    for question_id, sentence in said.items():
        x = next(f for f in flips if f.question_id == question_id)
        names = join_names(C.platform(p).name for p in x.top)
        if not weighing[question_id]:
            assert sentence.startswith("zou geen enkel criterium meewegen"), sentence
        elif not x.top:
            assert sentence == "zou geen enkel platform overblijven.", sentence
        elif len(x.top) == 1:
            assert sentence == f"zou {names} bovenaan staan.", sentence
        else:
            assert sentence == f"zouden {names} samen bovenaan staan.", sentence
    # Only answers that weigh: every sentence is about an answer that changes the first place.
    assert set(said) <= {x.question_id for x in flips}


@FEW
@given(answers=_answers_with_goals())
def test_every_tie_break_sentence_is_true_when_advised_again(answers):
    """'Met het antwoord … komt X … punten voor te staan' / '… valt het andere platform af'
    holds when that answer is given and the advice is computed again."""
    e = _explained(answers)
    advice, analysis = e.advice, e.analysis
    if analysis.tied is None:
        assert not e.story.robustness.tie_lines
        return
    a, b = analysis.tied
    ranked = [r.platform.id for r in advice.ranking]
    assert ranked[:2] == [a, b] or {a, b} <= _leaders(advice), (a, b, ranked[:3])
    shown = {s.question_id for s in e.story.robustness.separators}
    for s in analysis.separators:
        if s.question_id not in shown:
            continue
        trial = dict(advice.answers)
        trial[s.question_id] = s.answer
        again = advise(Q, C, trial, strict=False)
        other = b if s.favours == a else a
        out = {r.platform.id for r in again.excluded}
        if s.decisive:
            assert other in out and s.favours not in out, (s, out)
            continue
        scores = {r.platform.id: r.score for r in again.ranking + again.aside}
        assert scores.get(s.favours) is not None and scores.get(other) is not None, s
        gap = scores[s.favours] - scores[other]
        assert abs(gap - s.gap_after) < 1e-6, (s.question_id, gap, s.gap_after)


@FEW
@given(answers=_answers_with_goals())
def test_the_label_agrees_with_the_ranges_and_what_is_known(answers):
    """'Stevig' only when the leader leads alone, surely beats every other ranked platform and
    at least the minimum share is known of it; a shared first place is never 'stevig'."""
    e = _explained(answers)
    advice, label = e.advice, e.story.robustness.label
    if label != "solid":
        return
    top = advice.ranking[0]
    assert len(_leaders(advice)) == 1, "'stevig' while the first place is shared"
    for r in advice.ranking[1:]:
        if is_complement(Q, r.platform, advice.answers) and not is_complement(
            Q, top.platform, advice.answers
        ):
            continue  # an approach that only complements is no rival for the first place
        assert surely_beats(top, r), (top.platform.id, top.lower, r.platform.id, r.upper)
    assert not low_coverage(top.coverage, Q), f"'stevig' with {top.coverage}% known"
    assert top.coverage is not None and top.coverage >= 50, top.coverage


def _competition_ranks(advice: kompas.Advice) -> dict[str, int]:
    """The rank each ranked platform must have: one more than the number ahead of it in goal
    tier, role and score (equal scores share a rank: 1, 1, 3)."""

    def key(r: Any) -> tuple[int, float]:
        complement = is_complement(Q, r.platform, advice.answers)
        return int(complement), -1.0 if r.score is None else -round(r.score, 9)

    keys = {r.platform.id: key(r) for r in advice.ranking}
    return {p: 1 + sum(other < k for other in keys.values()) for p, k in keys.items()}


@FEW
@given(answers=_answers_with_goals())
def test_tied_platforms_share_a_rank_in_every_view(answers):
    """Advice, story, JSON record, CSV, text view and report rows show the same shared ranks,
    and the headline and the tie-break name every platform of a shared first place."""
    e = _explained(answers)
    advice, story = e.advice, e.story
    expected = _competition_ranks(advice)
    assert {r.platform.id: r.rank for r in advice.ranking} == expected
    assert {row.platform_id: row.rank for row in story.ranking} == expected
    record = e.record()
    assert {p["platform"]: p["rank"] for p in record["ranking"]} == expected
    rows = list(csv.reader(io.StringIO(advice_csv(advice).lstrip("\ufeff")), delimiter=";"))[1:]
    assert {row[2]: int(row[0]) for row in rows if row[0]} == expected
    with use("nl"):
        text = render_advice(advice, story)
        report = build_report(e, ReportMeta(full=True), "0" * 12)
    by_name = {r.platform.name: expected[r.platform.id] for r in advice.ranking}
    assert {row.name: row.rank for row in report.ranking} == {
        n: k for n, k in by_name.items() if n in {row.name for row in report.ranking}
    }
    for name, rank in by_name.items():
        listed = re.search(rf"^\s*(\d+)\. {re.escape(name[:30])}\s", text, re.M)
        if listed:
            assert int(listed.group(1)) == rank, (name, rank)
    second = [r.platform.name for r in advice.ranking if r.rank == 2]
    if len(second) > 1 and "nummer twee" in story.robustness.lines[0]:
        assert join_names(second, limit=len(second)) in story.robustness.lines[0]
    leaders = [r.platform.name for r in advice.ranking if r.rank == 1]
    if len(leaders) > 1 and story.has_advice:
        first = story.headline[0]
        assert all(n in first for n in leaders), (leaders, first)
        assert "staat" not in first.split(",")[0] or "gelijk" in first, first
        for line in story.robustness.tie_lines:
            assert line.startswith(join_names(leaders, limit=len(leaders))), (leaders, line)
        for line in story.robustness.lines:  # no one of them 'blijft bovenaan' on their own
            assert not any(line.startswith(f"{n} blijft bovenaan") for n in leaders), line


# Answers (found by hypothesis) whose advice has mijnbuurtje and Go Vocal share the first place.
SHARED_FIRST = {
    "doelen": ["mantelzorg", "sociale_kaart", "participatie"],
    "hoofddoel": "mantelzorg",
    "participatieniveau": "informeren",
    "instrument": "met_offline_laag",
    "aandeel_laag_digitaal": "klein",
    "vraagverlegenheid": True,
    "schaal": "straat",
    "inwoners_aantal": 1221,
    "samen_met_buurgemeenten": False,
    "initiatiefnemer": "gemeente",
    "moderatie_wie": "vrijwilligers",
    "belang_menselijke_koppeling": 3,
    "gemeente_zicht": "niets",
    "belang_gemeente_berichten": 1,
    "opslag_gegevens": "nederland_verplicht",
    "gezondheidsgegevens": False,
    "meerdere_platforms": False,
}


def test_a_shared_first_place_is_spoken_of_whole():
    """With a shared first place no weight sentence says one of them 'blijft bovenaan': the
    first place stays with them all over the whole range said, and past its end the platform
    named leads, none of them (recomputed with the kernel's scores)."""
    e = _explained(SHARED_FIRST)
    leaders = _leaders(e.advice)
    assert len(leaders) > 1, leaders
    names = [C.platform(p).name for p in leaders]
    lines = e.story.robustness.lines
    for line in lines:
        assert not any(line.startswith(f"{n} blijft bovenaan") for n in names), line
    matrix = decision_matrix(Q, C, dict(e.advice.answers))
    ids = matrix.platform_ids

    def first_with(j: int, weight: float) -> set[str]:
        weights = list(matrix.weights)
        weights[j] = weight
        return {ids[i] for i in matrix.top(tuple(weights))}

    checked = 0
    for interval in e.analysis.robustness.intervals:
        label = f"'{localise(interval.label)}'"
        line = next((x for x in lines if label in x and "eerste plaats blijft bij" in x), None)
        if line is None:
            continue
        assert all(n in line.split(" zolang ")[0] for n in names), line
        j = next(k for k, a in enumerate(matrix.active) if a.id == interval.criterion_id)
        heavier = "niet zwaarder" in line
        bound = interval.upper if heavier else interval.lower
        low, high = (interval.weight, bound) if heavier else (bound, interval.weight)
        for step in range(11):  # the bound itself is where another platform draws level
            x = min(max(low + (high - low) * step / 10, low + 1e-6), high - 1e-6)
            assert first_with(j, x) <= leaders, (line, x, first_with(j, x))
        past = first_with(j, bound + 0.01 if heavier else max(0.0, bound - 0.01))
        assert past and not past & leaders, (line, past)
        named = line.rsplit("dan komt ", 1)[1].removesuffix(" bovenaan.")
        assert all(C.platform(p).name in named for p in past), (line, past)
        checked += 1
    assert checked, lines
