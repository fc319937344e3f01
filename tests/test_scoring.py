"""Scoring on the small test data: fit, coverage, exclusions and the four no-answer states."""

from __future__ import annotations

import pytest

import kompas
from kompas.errors import AnswerError

FULL = {
    "doelen": ["burenhulp", "prikbord"],
    "belang_hosting": 3,
    "reclame": False,
    "schaal": "wijk",
    "budget": 6000,
    "moderatie": 2,
}


def test_ranking_fit_and_coverage(mini):
    """Fit is the weighted share met over known criteria; coverage the known share of weight."""
    q, c = mini
    advice = kompas.advise(q, c, FULL)
    # delta, an offline approach, is excluded: the must-have "no ads" does not apply to it,
    # and a requirement that does not apply is not one it meets.
    assert [r.platform.id for r in advice.ranking] == ["alfa", "charlie"]
    assert advice.result("delta").excluded
    alfa = advice.result("alfa")
    # weights: burenhulp 3, prikbord 2, eu 3, no ads 3 (must), scale 2, moderation 2, budget 3
    # alfa meets all but budget, which is half met (range 5000-8000 straddles 6000).
    assert alfa.fit == pytest.approx(100 * (18 - 1.5) / 18)
    assert alfa.coverage == pytest.approx(100.0)
    charlie = advice.result("charlie")
    # charlie: ads, hosting, scale unknown (3 + 3 + 2 of 18); budget 1000-20000 half met,
    # moderation by volunteers 0.5, burenhulp met, prikbord unmet.
    assert charlie.coverage == pytest.approx(100 * 10 / 18)
    assert charlie.fit == pytest.approx(100 * (3 + 0 + 1 + 1.5) / 10)


def test_must_have_excludes_with_reason(mini):
    """A must-have that a platform does not meet excludes it and says which."""
    q, c = mini
    advice = kompas.advise(q, c, FULL)
    bravo = advice.result("bravo")
    assert bravo.excluded
    assert [r.criterion_id for r in bravo.excluded_by] == ["geen_reclame"]
    assert bravo in advice.excluded and bravo not in advice.ranking
    assert "Bravo" in bravo.excluded_by[0].text


def test_unknown_must_have_is_verified_not_excluded(mini):
    """An unknown must-have keeps the platform, flags it and asks the vendor."""
    q, c = mini
    advice = kompas.advise(q, c, FULL)
    charlie = advice.result("charlie")
    assert not charlie.excluded
    assert [r.criterion_id for r in charlie.to_verify] == ["geen_reclame"]
    asked = [(v.platform_id, v.criterion_id, v.must) for v in advice.vendor_questions()]
    assert ("charlie", "geen_reclame", True) in asked


def test_skipped_question_leaves_criterion_inactive(mini):
    """State 1: a skipped question switches nothing on."""
    q, c = mini
    advice = kompas.advise(q, c, {"doelen": ["burenhulp"]})
    assert [a.id for a in advice.active] == ["functie_burenhulp"]
    assert all(len(r.results) == 1 for r in advice.ranking)


def test_does_not_matter_has_weight_zero(mini):
    """State 2: 'maakt niet uit' shows the criterion with weight 0 and no effect on fit."""
    q, c = mini
    with_zero = kompas.advise(q, c, {"doelen": ["burenhulp"], "belang_hosting": 0})
    without = kompas.advise(q, c, {"doelen": ["burenhulp"]})
    assert [a.weight for a in with_zero.active if a.id == "data_in_eu"] == [0.0]
    for r in with_zero.ranking:
        assert r.fit == without.result(r.platform.id).fit
        assert r.result("data_in_eu") is not None and not r.result("data_in_eu").counted


def test_not_applicable_never_counts_as_met(mini):
    """State 3: hosting and ads do not apply to an offline approach: that is not a pass.

    A must-have that does not apply excludes the approach (it does not meet the platform
    requirement); it is shown as not applicable, not as met, and never as fully known at 100.
    """
    q, c = mini
    advice = kompas.advise(
        q, c, {"belang_hosting": "must", "reclame": False, "doelen": ["burenhulp"]}
    )
    delta = advice.result("delta")
    assert delta.excluded
    assert {r.criterion_id for r in delta.excluded_by} == {"data_in_eu", "geen_reclame"}
    for criterion in ("data_in_eu", "geen_reclame"):
        result = delta.result(criterion)
        assert (result.state, result.satisfaction, result.counted) == ("not_applicable", 0.0, True)
    assert delta.score is not None and delta.score < 100.0


def test_not_applicable_weighs_as_unmet_without_must(mini):
    """A wish (not a must) that does not apply lowers the score like an unmet one."""
    q, c = mini
    advice = kompas.advise(q, c, {"belang_hosting": 3, "doelen": ["burenhulp"]})
    delta = advice.result("delta")
    assert not delta.excluded
    # burenhulp (3) met, data in EU (3) not applicable: 3 of 6.
    assert delta.score == pytest.approx(50.0)
    assert delta.fit == pytest.approx(50.0) and delta.coverage == 100.0


def test_not_applicable_can_count_as_unmet(mini):
    """State 3, other rule: a criterion may say that not applicable means not met."""
    q, c = mini
    advice = kompas.advise(q, c, {"belang_open_source": "must"})
    delta = advice.result("delta")
    assert delta.excluded
    result = delta.excluded_by[0]
    assert (result.state, result.satisfaction) == ("not_applicable", 0.0)
    assert result.text == "Open source is niet van toepassing op Delta; telt als niet voldaan."


def test_unknown_is_never_no(mini):
    """State 4: an unknown fact lowers coverage, not fit."""
    q, c = mini
    advice = kompas.advise(q, c, {"belang_hosting": 3})
    charlie = advice.result("charlie")
    assert charlie.fit is None and charlie.coverage == 0.0
    assert charlie.result("data_in_eu").state == "unknown"


def test_answer_driven_condition(mini):
    """A condition can compare a fact with an answer (scale, budget)."""
    q, c = mini
    small = kompas.advise(q, c, {"schaal": "gemeente", "budget": 100})
    assert small.result("bravo").result("past_schaal").state == "met"
    assert small.result("alfa").result("past_schaal").state == "unmet"
    assert small.result("bravo").result("binnen_budget").state == "met"
    assert small.result("alfa").result("binnen_budget").state == "unmet"
    assert small.result("charlie").result("binnen_budget").state == "unmet"


def test_hidden_answers_are_ignored(mini):
    """An answer to a question whose show_if is false is set aside, not fatal."""
    q, c = mini
    advice = kompas.advise(q, c, {"doelen": ["prikbord"], "belang_burenhulp": 3})
    assert [(i.question_id, i.reason) for i in advice.ignored] == [("belang_burenhulp", "hidden")]
    assert "functie_burenhulp" not in [a.id for a in advice.active]


@pytest.mark.parametrize(
    ("answers", "question"),
    [
        ({"bestaat_niet": 1}, "bestaat_niet"),
        ({"schaal": "planeet"}, "schaal"),
        ({"doelen": ["burenhulp", "vliegen"]}, "doelen"),
        ({"belang_hosting": 7}, "belang_hosting"),
        ({"reclame": "misschien"}, "reclame"),
        ({"budget": -5}, "budget"),
        ({"budget": "veel"}, "budget"),
        ({"opmerking": 12}, "opmerking"),
    ],
    ids=[
        "unknown-question",
        "unknown-option",
        "unknown-in-list",
        "importance-range",
        "yesno-text",
        "below-min",
        "not-a-number",
        "text-type",
    ],
)
def test_bad_answers_name_the_question(mini, answers, question):
    """Answers that do not fit raise AnswerError naming the question."""
    q, c = mini
    with pytest.raises(AnswerError) as info:
        kompas.advise(q, c, answers)
    assert info.value.question_id == question


def test_lenient_answers_set_invalid_ones_aside(mini):
    """strict=False (used for stored dossiers) reports stale answers instead of failing."""
    q, c = mini
    advice = kompas.advise(
        q, c, {"bestaat_niet": 1, "schaal": "planeet", "budget": 5}, strict=False
    )
    assert {(i.question_id, i.reason) for i in advice.ignored} == {
        ("bestaat_niet", "unknown_question"),
        ("schaal", "invalid"),
    }
    assert advice.answers == {"budget": 5}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("15.000", 15000), ("2,5", 2.5), ("1.234,50", 1234.5), ("€ 800", 800), (12, 12), ("7", 7)],
)
def test_numbers_are_read_the_dutch_way(mini, raw, expected):
    """Budget answers typed the Dutch way are read as meant."""
    q, c = mini
    advice = kompas.advise(q, c, {"budget": raw})
    assert advice.answers["budget"] == expected


def test_ties_share_a_rank_and_order_by_name(mini):
    """With nothing answered everyone ties: one rank, alphabetical, no fit."""
    q, c = mini
    advice = kompas.advise(q, c, {})
    assert {r.rank for r in advice.ranking} == {1}
    assert [r.platform.name for r in advice.ranking] == ["Alfa", "Bravo", "Charlie", "Delta"]
    assert all(r.fit is None and r.coverage is None for r in advice.ranking)


def test_explanations_trace_to_sources(mini):
    """Every counted result names its fact, value, source and checked date."""
    q, c = mini
    advice = kompas.advise(q, c, FULL)
    eu = advice.result("alfa").result("data_in_eu")
    assert eu.text == "Alfa bewaart gegevens in de EU (Nederland)."
    (fact,) = eu.facts
    assert (fact.id, fact.value, fact.source, fact.checked.isoformat()) == (
        "hosting",
        "Nederland",
        "https://alfa.example/c",
        "2026-11-01",
    )
    assert [(b.question_id, b.answer) for b in eu.because] == [("belang_hosting", "3")]
