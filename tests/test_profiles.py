"""Municipality profiles: common-sense expectations for the advice, written from the research.

Every profile describes one municipality's situation and what an advisor who has read
/work/shared/research/domain.md ("domain.md" below, cited by section) would expect the
advice to say: who should lead (or be on the shortlist: the ranked platforms that no other
ranked platform surely beats, A.lower > B.upper), who must drop out and why, what the advice
must warn about, and what must not happen. The expectations were written before the engine
was run against them (issue 12, "How it is checked"); they test meaning, not frozen output.

Where a platform must be named, the docstring says why; elsewhere the tests read platform
properties (category, facts, availability) from the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import pytest

import kompas
from kompas.engine.analysis import analyse

# Availability values that make a platform a candidate a municipality can adopt (contract 12).
CANDIDATES = {"landelijk", "regionaal", "onbekend"}
# The questions issue 12 adds (contract 12): profiles use them where the situation needs them.
NEW_QUESTIONS = {"doelen_onmisbaar", "budget_hard"}


# ---------------------------------------------------------------- helpers


def check_profile(q: kompas.Questionnaire, answers: Mapping[str, Any]) -> None:
    """Fail with a clear message when a profile's answers do not fit questions.yaml."""
    for qid, value in answers.items():
        assert qid in q.index, f"question {qid!r} is not in questions.yaml" + (
            " (a new question of issue 12, see contract12.md)" if qid in NEW_QUESTIONS else ""
        )
        question = q.index[qid]
        if question.type in ("single", "multiple"):
            for option in [value] if isinstance(value, str) else value:
                assert question.option(option) is not None, f"{qid}: no option {option!r}"


def advise(shipped: Any, answers: Mapping[str, Any]) -> kompas.Advice:
    """The advice for a profile's answers on the shipped data (answers checked first)."""
    q, c = shipped
    check_profile(q, answers)
    return kompas.advise(q, c, answers)


def ids(results: Iterable[kompas.PlatformResult]) -> set[str]:
    """The platform ids of some results."""
    return {r.platform.id for r in results}


def shortlist(advice: kompas.Advice) -> list[kompas.PlatformResult]:
    """Ranked platforms that no other ranked platform surely beats (A.lower > B.upper)."""
    return [
        b
        for b in advice.ranking
        if not any(
            a is not b and a.lower is not None and b.upper is not None and a.lower > b.upper
            for a in advice.ranking
        )
    ]


def anywhere(advice: kompas.Advice, platform_id: str) -> kompas.PlatformResult:
    """A platform's result wherever the advice put it (ranking, below the line, excluded,
    example, withdrawn)."""
    try:
        return advice.result(platform_id)
    except KeyError:
        raise AssertionError(f"{platform_id} appears nowhere in the advice") from None


def fact(platform: kompas.Platform, fact_id: str) -> kompas.Fact:
    """One fact of a platform (unknown when the catalogue says nothing)."""
    return platform.fact(fact_id)


def known(platform: kompas.Platform, fact_id: str) -> Any:
    """A known fact's value, or None when it is unknown or not applicable."""
    f = platform.fact(fact_id)
    return f.value if f.known else None


def state(result: kompas.PlatformResult, criterion_id: str) -> str | None:
    """The state of one criterion for one platform (None when the criterion is not active)."""
    r = result.result(criterion_id)
    return r.state if r else None


def excluded_by(result: kompas.PlatformResult) -> set[str]:
    """The must-haves that exclude a platform."""
    return {r.criterion_id for r in result.excluded_by}


def to_verify(result: kompas.PlatformResult) -> set[str]:
    """The must-haves whose facts are unknown for a platform ("te verifiëren")."""
    return {r.criterion_id for r in result.to_verify}


def assert_sound(c: kompas.Catalogue, advice: kompas.Advice) -> None:
    """What must hold for every profile (issue 12 point 3), whatever the answers."""
    # Availability: only candidates are ranked; own instances are examples, stopped projects
    # are withdrawn, both unranked (domain.md §2.2 nos. 17 and 25-32: one-off municipal sites).
    for r in advice.ranking:
        assert r.platform.availability in CANDIDATES, (
            f"{r.platform.id} is ranked although its availability is {r.platform.availability}"
        )
    for r in advice.examples:
        assert r.platform.availability == "eigen_gemeente" and r.rank is None, r.platform.id
    for r in advice.withdrawn:
        assert r.platform.availability == "gestopt" and r.rank is None, r.platform.id
    ranked = ids(advice.ranking)
    assert not ranked & ids(advice.excluded), "a platform is both ranked and excluded"
    # Completeness is always known (the kernel fills it).
    assert advice.completeness is not None, "advice.completeness is not filled"
    for r in advice.ranking:
        assert r.lower is not None and r.upper is not None and r.score is not None
        assert 0 <= r.lower <= r.score <= r.upper <= 100, r.platform.id
        # Not applicable never counts as an advantage.
        for cr in r.pros:
            assert cr.state != "not_applicable", (
                f"{r.platform.id}: '{cr.label}' does not apply but is counted as a plus"
            )


# ---------------------------------------------------------------- 1. village square


VILLAGE_SQUARE = {
    "doelen": ["contact", "activiteiten", "burenhulp"],
    "hoofddoel": "contact",
    "instrument": "ja",
    "doelgroepen": ["alle_inwoners"],
    "schaal": "dorp",
    "inwoners_aantal": 6500,
    "bestaande_initiatieven": ["facebook", "whatsapp"],
    "initiatiefnemer": "bewoners",
    "moderatie_wie": "vrijwilligers",
    "capaciteit": "geen",
    "exploitant": ["bewoners", "cooperatie", "stichting"],
    "data_eigenaar": ["bewoners"],
    "budget_per_jaar": 2000,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def test_village_square_run_by_residents(shipped):
    """A village of 6,500 whose residents want their own online village square.

    Situation: the dorpsraad and volunteers will run it (bottom-up, domain.md §1.7
    "implementation strategies"; §1.3 toolkit: "informal implies residents in the lead");
    the municipality only gives a small yearly contribution (EUR 2,000); the village already
    has Facebook and WhatsApp groups; it must not carry advertisements, because a municipality
    that recommends a platform endorses what it shows (Nextdoor's sponsored posts and letters
    in members' names, domain.md §2.2 no. 5).

    Expectations:
    - Gebiedonline is on the shortlist: a non-profit cooperative whose member networks own
      their data, with notice board, agenda and help requests, hosted in NL, EUR 1,000 a year
      (EUR 500 on request) - inside the budget (domain.md §2.2 no. 23, §2.3). It is named
      because it is the one catalogue entry whose documented facts meet every wish here.
    - The leader is not a platform documented as leaving residents without control (a
      company owning the data), because the municipality chose residents in the lead.
    - Every platform known to show advertisements drops out on that must-have (Nextdoor).
    - Koggenbuurtjes, Koggenland's own municipally funded village square (domain.md §2.2
      no. 17), is shown as an example to learn from, not as a candidate.
    - An offline approach is not the leader: the village asked for an online square.
    """
    _q, c = shipped
    advice = advise(shipped, VILLAGE_SQUARE)
    assert "gebiedonline" in ids(shortlist(advice))
    top = advice.top
    assert top is not None
    assert state(top, "bewoners_regie") != "unmet", top.platform.id
    assert top.platform.category != "offline"
    for p in c.platforms:
        if known(p, "ads") is True:
            r = anywhere(advice, p.id)
            assert "geen_reclame" in excluded_by(r) or r in advice.examples + advice.withdrawn
    assert "koggenbuurtjes" in ids(advice.examples)
    assert "koggenbuurtjes" not in ids(advice.ranking)
    assert_sound(c, advice)


# ---------------------------------------------------------------- 2. burenhulp, older residents


BURENHULP_OLDER = {
    "doelen": ["burenhulp"],
    "hoofddoel": "burenhulp",
    "instrument": "met_offline_laag",
    "doelgroepen": ["ouderen", "laag_digitaal"],
    "aandeel_laag_digitaal": "groot",
    "offline_deelname": "via_aanbieder",
    "vraagverlegenheid": True,
    "schaal": "gemeente",
    "inwoners_aantal": 18000,
    "initiatiefnemer": "welzijn",
    "moderatie_wie": "professionals",
    "belang_menselijke_koppeling": 3,
    "budget_per_jaar": 10000,
    "reclame_acceptabel": False,
    "meerdere_platforms": True,
}


def test_burenhulp_for_older_residents_with_phone_intake(shipped):
    """A municipality of 18,000 with many older residents who are not online.

    Situation: the welfare organisation will run burenhulp; many older residents lack digital
    skills (about 2.5 million Dutch lack basic skills, domain.md §3 row 4), so residents
    must be able to ask for help by telephone (the BUUV Amsterdam-Zuid phone intake,
    domain.md §1.6 and §2.2 no. 8); people are reluctant to ask (vraagverlegenheid, §1.5 and
    §3 row 3), so someone must actively match requests.

    Expectations:
    - The shortlist holds at least one platform (not an offline approach) whose help
      requests, access without internet and human matching are all documented - BUUV and
      mijnbuurtje's buurtverbinders are such (domain.md §2.2 nos. 4 and 8).
    - Every platform documented to have no access without internet (Facebook groups,
      domain.md §2.2 no. 18) drops out on that must-have.
    - A ranked platform whose offline access nobody knows keeps that must-have "te
      verifiëren" (unknown is never read as yes or as no).
    - The leader is not an offline approach: the municipality wants a platform with a
      personal layer; an offline approach is a complement, offered in the pairs with an
      offline approach (each such pair has exactly one offline member).
    - Leeuwarden Helpt and Doe Mee Bergen op Zoom are those municipalities' own 2020 matching
      desks (domain.md §2.2 nos. 25-32, "municipal matching desks"): not candidates here.
    """
    q, c = shipped
    advice = advise(shipped, BURENHULP_OLDER)
    fitting = [
        r
        for r in shortlist(advice)
        if r.platform.category != "offline"
        and state(r, "functie_burenhulp") == "met"
        and state(r, "offline_toegang") == "met"
        and state(r, "menselijke_koppeling") == "met"
    ]
    assert fitting, [r.platform.id for r in shortlist(advice)]
    for p in c.platforms:
        if known(p, "offline_access") is False:
            assert "offline_toegang" in excluded_by(anywhere(advice, p.id)), p.id
    for r in advice.ranking:
        if fact(r.platform, "offline_access").status == "unknown":
            assert "offline_toegang" in to_verify(r), r.platform.id
    assert advice.top is not None and advice.top.platform.category != "offline"
    assert not {"leeuwarden_helpt", "doe_mee_bergen_op_zoom"} & ids(advice.ranking)
    pairs = analyse(q, c, BURENHULP_OLDER).combinations.with_offline
    assert pairs, "no platform + offline approach pairs although offline access is a must"
    for pair in pairs:
        categories = [c.platform(pid).category for pid in pair.platform_ids]
        assert categories.count("offline") == 1, pair.platform_ids
    assert_sound(c, advice)


# ---------------------------------------------------------------- 3. participatory budgeting


PARTICIPATORY_BUDGETING = {
    "doelen": ["participatie"],
    "hoofddoel": "participatie",
    "participatieniveau": "meebeslissen",
    "instrument": "ja",
    "schaal": "gemeente",
    "inwoners_aantal": 60000,
    "initiatiefnemer": "gemeente",
    "open_source_wens": "eis",
    "opslag_gegevens": "eu_voorkeur",
    "budget_per_jaar": 25000,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def test_participatory_budgeting_with_open_source(shipped):
    """A city of 60,000 that lets residents decide how to spend a neighbourhood budget.

    Situation: the council wants residents to co-decide (meebeslissen, the top rung of the
    ladder, domain.md §1.1 and §4.4) through participatory budgeting, and requires fully open
    source software so that the tool stays reusable (domain.md §4.5).

    Expectations:
    - OpenStad (MIT) and Consul Democracy (AGPLv3) are both on the shortlist and one of them
      leads: both are fully open source and document participatory budgeting and voting;
      Groningen let residents allocate EUR 25,000 with Consul (domain.md §2.2 nos. 13 and 15,
      §4.5). They are named because they are the only fully open-source participation tools.
    - Every platform documented as not (fully) open source drops out on that must-have: Go
      Vocal is AGPLv3 with commercial-only modules (domain.md §4.5).
    - An offline approach, to which open source does not apply, never looks as if it meets
      the open-source requirement and is not on the shortlist: "not applicable" is shown as
      such, never as met (issue 12 point 3).
    - A platform without a participation function does not "reach" the chosen level because
      the level is unknown: with no participation function the level is unmet or not
      applicable, never unknown (dependent facts).
    """
    _q, c = shipped
    advice = advise(shipped, PARTICIPATORY_BUDGETING)
    short = ids(shortlist(advice))
    assert {"openstad", "consul_democracy"} <= short, short
    assert advice.top is not None and advice.top.platform.id in {"openstad", "consul_democracy"}
    for p in c.platforms:
        if known(p, "open_source") in ("deels", "nee"):
            assert "open_source_volledig" in excluded_by(anywhere(advice, p.id)), p.id
    for p in c.platforms:
        if fact(p, "open_source").status == "not_applicable":
            r = anywhere(advice, p.id)
            assert state(r, "open_source_volledig") in ("not_applicable", "unmet"), p.id
            assert p.id not in short, f"{p.id} is on the shortlist for an open-source must-have"
    for p in c.platforms:
        functions = known(p, "functions")
        if functions is not None and "participatie" not in functions:
            r = anywhere(advice, p.id)
            assert state(r, "participatieniveau_past") in ("unmet", "not_applicable"), p.id
            assert r.result("participatieniveau_past").satisfaction in (0, 0.0, None), p.id
    assert_sound(c, advice)


# ---------------------------------------------------------------- 4. budget zero


BUDGET_ZERO = {
    "doelen": ["burenhulp", "contact"],
    "doelen_onmisbaar": ["burenhulp"],
    "hoofddoel": "burenhulp",
    "schaal": "gemeente",
    "inwoners_aantal": 12000,
    "budget_per_jaar": 0,
    "budget_hard": True,
    "financiering_aard": "onzeker",
    "belang_gratis": 3,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def licence_platforms(c: kompas.Catalogue) -> list[kompas.Platform]:
    """Platforms documented to charge the municipality a licence or subscription."""
    return [p for p in c.platforms if "gemeente_licentie" in (known(p, "funding_model") or ())]


def test_budget_zero_hard_limit(shipped):
    """A municipality of 12,000 with no money at all for a platform, and that is final.

    Situation: burenhulp is indispensable, the budget is EUR 0 and a hard limit (the council
    will not add money; funding cliffs after pilots are a known failure, domain.md §3 row 5),
    and advertising is not acceptable.

    Expectations:
    - Every platform documented to charge a municipal licence (Hoplr's Service Dashboard,
      mijnbuurtje commissioned by municipalities, Go Vocal, domain.md §2.3) drops out on the
      budget: a known licence model never fits a budget of 0, even when the amount is unknown.
    - Every platform with a known price above 0 drops out on the budget (Gebiedonline,
      EUR 500-1,000 a year, domain.md §2.2 no. 23).
    - A ranked platform whose price is unknown keeps the budget "te verifiëren".
    - Nextdoor is free but shows sponsored posts (domain.md §2.2 no. 5): it drops out on the
      advertising must-have, not on the budget.
    - Every platform documented not to offer help requests drops out on the indispensable goal.
    """
    _q, c = shipped
    advice = advise(shipped, BUDGET_ZERO)
    licensed = licence_platforms(c)
    assert licensed, "the catalogue documents licence models (domain.md §2.3)"
    for p in licensed:
        assert "binnen_budget" in excluded_by(anywhere(advice, p.id)), p.id
    for p in c.platforms:
        cost = known(p, "cost_per_year")
        if cost is not None and cost["min"] > 0:
            assert "binnen_budget" in excluded_by(anywhere(advice, p.id)), p.id
    for r in advice.ranking:
        if fact(r.platform, "cost_per_year").status == "unknown":
            assert "binnen_budget" in to_verify(r), r.platform.id
    nextdoor = anywhere(advice, "nextdoor")
    assert "geen_reclame" in excluded_by(nextdoor)
    assert "binnen_budget" not in excluded_by(nextdoor)
    for p in c.platforms:
        functions = known(p, "functions")
        if functions is not None and "burenhulp" not in functions:
            assert "functie_burenhulp" in excluded_by(anywhere(advice, p.id)), p.id
    assert_sound(c, advice)


def test_budget_zero_differs_from_eight_thousand(shipped):
    """The same municipality, comparing EUR 0 with EUR 8,000 (the issue's observation).

    Expectations (domain.md §2.3, §6 "pricing not found" for Hoplr and mijnbuurtje):
    - At EUR 8,000 (hard) a licence platform with an unknown price stays in the running with
      the budget "te verifiëren"; at EUR 0 it drops out. So the ranking is not "almost the
      same" as the issue saw: the set of ranked platforms differs.
    - With a soft budget of EUR 0, a licence platform is scored as not fitting the budget
      (unmet), never as possibly free (unknown) or fitting (met).
    """
    _q, c = shipped
    zero = advise(shipped, BUDGET_ZERO)
    eight = advise(shipped, {**BUDGET_ZERO, "budget_per_jaar": 8000})
    soft = advise(shipped, {**BUDGET_ZERO, "budget_hard": False})
    unknown_price = [p for p in licence_platforms(c) if not fact(p, "cost_per_year").known]
    assert unknown_price
    for p in unknown_price:
        r = anywhere(eight, p.id)
        assert "binnen_budget" not in excluded_by(r), p.id
        if r in eight.ranking:
            assert "binnen_budget" in to_verify(r), p.id
        assert state(anywhere(soft, p.id), "binnen_budget") == "unmet", p.id
    assert ids(zero.ranking) != ids(eight.ranking)


# ---------------------------------------------------------------- 5. almost empty dossier


def test_almost_empty_dossier(shipped):
    """An advisor who has only ticked "burenhulp" and asks for the advice.

    Situation: one answer out of dozens. domain.md §1.2 (Initiate: define the goal and
    results first) and §5.2 show how much a choice rests on: scale, target groups, who runs
    it, budget.

    Expectations:
    - The advice knows it rests on one answer: completeness.answered == 1, it is
      "voorlopig" (provisional), and it lists the most decisive unanswered questions, which
      are real, unanswered question ids.
    - No ranked platform shows 100% "bekend": one answer says almost nothing.
    - No false precision at the top: several platforms document help requests, so the
      shortlist holds more than one platform.
    - The leader documents help requests.
    """
    q, c = shipped
    answers = {"doelen": ["burenhulp"]}
    advice = advise(shipped, answers)
    done = advice.completeness
    assert done is not None
    assert done.answered == 1
    assert done.provisional is True
    assert done.share < 20
    assert done.decisive_open, "no decisive open questions listed"
    for qid in done.decisive_open:
        assert qid in q.index and qid not in answers, qid
    for r in advice.ranking:
        assert r.coverage is None or r.coverage < 100, f"{r.platform.id}: {r.coverage}% bekend"
    assert len(shortlist(advice)) > 1
    assert advice.top is not None and state(advice.top, "functie_burenhulp") == "met"
    assert_sound(c, advice)


# ---------------------------------------------------------------- 6. contradictory must-haves


CONTRADICTORY = {
    "doelen": ["participatie", "burenhulp"],
    "doelen_onmisbaar": ["participatie", "burenhulp"],
    "hoofddoel": "participatie",
    "participatieniveau": "meebeslissen",
    "offline_deelname": "via_aanbieder",
    "open_source_wens": "eis",
    "reclame_acceptabel": False,
    "budget_per_jaar": 5000,
    "meerdere_platforms": False,
}


def test_contradictory_must_haves(shipped):
    """A municipality that demands one open-source tool for both co-deciding and burenhulp.

    Situation: both goals are indispensable, the software must be fully open source, and
    residents without internet must be able to take part through the provider. The research
    knows no such tool: the open-source tools are participation tools only (OpenStad, Consul,
    domain.md §2.1 nos. 13 and 15, §4.5), the burenhulp platforms are not open source
    ("No (not found)" throughout §2.1).

    Expectations:
    - Every platform documented to lack one of the two goals drops out on that goal.
    - No ranked platform is shown as surely meeting everything: each keeps at least one
      must-have "te verifiëren", and its lowest reachable score is below its highest.
    - An offline approach never slips through because open source or a function "does not
      apply": no offline approach is ranked.
    """
    _q, c = shipped
    advice = advise(shipped, CONTRADICTORY)
    for p in c.platforms:
        functions = known(p, "functions")
        if functions is None:
            continue
        r = anywhere(advice, p.id)
        if "participatie" not in functions:
            assert "functie_participatie" in excluded_by(r), p.id
        if "burenhulp" not in functions:
            assert "functie_burenhulp" in excluded_by(r), p.id
    for r in advice.ranking:
        assert to_verify(r), f"{r.platform.id} is shown as meeting contradictory must-haves"
        assert r.lower < r.upper, r.platform.id
    assert not [r.platform.id for r in advice.ranking if r.platform.category == "offline"]
    assert_sound(c, advice)


# ---------------------------------------------------------------- 7. mantelzorg coordination


MANTELZORG = {
    "doelen": ["mantelzorg"],
    "doelen_onmisbaar": ["mantelzorg"],
    "hoofddoel": "mantelzorg",
    "doelgroepen": ["mantelzorgers"],
    "vraagverlegenheid": True,
    "gezondheidsgegevens": True,
    "schaal": "gemeente",
    "initiatiefnemer": "welzijn",
    "budget_per_jaar": 5000,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def test_mantelzorg_coordination(shipped):
    """A steunpunt mantelzorg that wants families to plan the care around one person.

    Situation: KING's third category - platforms for supporters of people needing care and
    for mantelzorgers, to plan care and share information (domain.md §1.3); health data are
    involved, so data must stay in the EU (AVG, domain.md §4.2).

    Expectations:
    - Every shortlisted platform documents care coordination around one person (Caren's
      shared care page and agenda, WeHelpen's closed help network, domain.md §2.2 nos. 1
      and 24), and at least one such platform is ranked.
    - Every platform documented to lack care coordination drops out on the indispensable goal;
      so no offline approach is ranked.
    - Nextdoor drops out: its data may go to the US (domain.md §2.2 no. 5).
    - A ranked platform whose hosting nobody knows keeps "data in de EU" te verifiëren - the
      advice must warn, since hosting is documented only for Gebiedonline and Hoplr (§6).
    """
    _q, c = shipped
    advice = advise(shipped, MANTELZORG)
    assert advice.ranking
    for r in shortlist(advice):
        assert "mantelzorg_coordinatie" in (known(r.platform, "functions") or ()), r.platform.id
    for p in c.platforms:
        functions = known(p, "functions")
        if functions is not None and "mantelzorg_coordinatie" not in functions:
            assert "functie_mantelzorg" in excluded_by(anywhere(advice, p.id)), p.id
    assert not [r.platform.id for r in advice.ranking if r.platform.category == "offline"]
    assert "data_in_eu" in excluded_by(anywhere(advice, "nextdoor"))
    for r in advice.ranking:
        if fact(r.platform, "hosting").status == "unknown":
            assert "data_in_eu" in to_verify(r), r.platform.id
    assert_sound(c, advice)


# ---------------------------------------------------------------- 8. combination within budget


COMBINATION = {
    "doelen": ["burenhulp", "vrijwilligerswerk", "contact"],
    "hoofddoel": "burenhulp",
    "schaal": "gemeente",
    "inwoners_aantal": 30000,
    "bestaande_initiatieven": ["vacaturebank"],
    "budget_per_jaar": 3000,
    "budget_hard": True,
    "reclame_acceptabel": False,
    "meerdere_platforms": True,
}


def test_combination_within_budget(shipped):
    """A municipality of 30,000 that accepts two platforms side by side, within EUR 3,000.

    Situation: burenhulp, volunteer vacancies and neighbourhood contact; the volunteer centre
    already has a vacancy bank (most municipalities have one, domain.md §2.2 no. 21); the
    council accepts several platforms if the combined cost is clear (fragmentation is a known
    risk, domain.md §3 row 1).

    Expectations:
    - Pairs are offered, and the best pair covers all three goals between its members.
    - Every combination states its combined yearly cost: when every member's price is known,
      cost_low/cost_high are the sums of the members' ranges; otherwise cost_unknown names
      exactly the members whose price is unknown, and no upper bound is invented.
    - No combination holds a platform that is not a candidate (another municipality's own
      instance or a stopped project - the issue saw one lead the best combination) or a
      platform that fails a must-have. The one exception is an offline approach that drops
      out alone only because a must-have does not apply to it (an offline approach shows no
      ads, stores no data): beside a platform it is the personal layer the research says a
      platform needs (domain.md §3 row 12), so a combination may hold it as a complement,
      never as its only member or with only offline members.
    - The budget is a hard limit, so no combination is offered whose known combined minimum
      cost is above EUR 3,000.
    """
    q, c = shipped
    advice = advise(shipped, COMBINATION)
    combos = analyse(q, c, COMBINATION).combinations
    assert combos.accepted is True
    assert combos.pairs, "no pairs offered"
    best = combos.pairs[0]
    covered = {crit for members in best.covers.values() for crit in members}
    assert {"functie_burenhulp", "functie_vacatures", "functie_ontmoeting"} <= covered, covered
    out = {r.platform.id: r for r in advice.excluded}
    for combo in combos.pairs + combos.triples:
        members = [c.platform(pid) for pid in combo.platform_ids]
        assert any(p.category != "offline" for p in members), combo.platform_ids
        for p in members:
            assert p.availability in CANDIDATES, f"{p.id} ({p.availability}) in a combination"
            if p.id in out:
                states = {r.state for r in out[p.id].excluded_by}
                assert p.category == "offline" and states == {"not_applicable"}, (
                    f"{p.id}, excluded by {sorted(excluded_by(out[p.id]))}, in a combination"
                )
        unknown = {p.id for p in members if not fact(p, "cost_per_year").known}
        assert set(combo.cost_unknown) == unknown, combo.platform_ids
        if not unknown:
            costs = [known(p, "cost_per_year") for p in members]
            assert combo.cost_low == pytest.approx(sum(x["min"] for x in costs))
            assert combo.cost_high == pytest.approx(sum(x["max"] for x in costs))
        else:
            assert combo.cost_high is None, combo.platform_ids
        assert combo.cost_low is None or combo.cost_low <= COMBINATION["budget_per_jaar"]
    assert_sound(c, advice)


# ---------------------------------------------------------------- 9. large city


LARGE_CITY = {
    "doelen": ["burenhulp", "contact", "sociale_kaart"],
    "hoofddoel": "burenhulp",
    "instrument": "met_offline_laag",
    "succes": "Na een jaar in elke wijk minstens honderd matches.",
    "doelgroepen": ["alle_inwoners", "nieuwkomers", "ouderen"],
    "aandeel_laag_digitaal": "gemiddeld",
    "offline_deelname": "namens_inwoner",
    "taal": "wenselijk",
    "vraagverlegenheid": True,
    "schaal": "gemeente",
    "inwoners_aantal": 350000,
    "netwerken_per_kern": True,
    "samen_met_buurgemeenten": False,
    "bestaande_initiatieven": ["sociale_kaart", "facebook"],
    "initiatiefnemer": "welzijn",
    "moderatie_wie": "professionals",
    "capaciteit": "ruim",
    "exploitant": ["welzijnsorganisatie", "sociale_onderneming", "stichting", "bedrijf"],
    "belang_menselijke_koppeling": 3,
    "gemeente_zicht": "op_verzoek",
    "belang_gemeente_berichten": 2,
    "data_eigenaar": ["gemeente", "organisatie"],
    "opslag_gegevens": "eu_verplicht",
    "belang_adrescontrole": 2,
    "belang_huisstijl": 1,
    "open_source_wens": "voorkeur",
    "belang_export": 3,
    "budget_per_jaar": 50000,
    "financiering_aard": "structureel",
    "looptijd": "meerjarig",
    "wie_betaalt": ["gemeente"],
    "belang_gratis": 2,
    "reclame_acceptabel": False,
    "inkoop_route": "meervoudig",
    "belang_toegankelijkheid": 3,
    "belang_avg": 3,
    "meerdere_platforms": False,
}


def test_large_city_with_professional_moderation(shipped):
    """A city of 350,000 whose welfare organisation moderates and matches professionally.

    Situation: a city-wide environment with networks per district, run by sociaal makelaars
    (BUUV Haarlem's model, domain.md §2.2 no. 8; Leeuwarden's argument that a moderated
    platform keeps unreliable providers out, §3 row 7); data must stay in the EU (AVG,
    §4.2); WCAG 2.1 AA matters (§4.1). The dossier is complete: every visible question is
    answered except the free-text remarks.

    Expectations:
    - The advice is not provisional and has no open section: every section is answered.
    - The leader is not documented as unmoderated, and every platform that relies on users
      moderating themselves (Facebook groups, WhatsApp groups, domain.md §2.2 nos. 18 and
      19: moderation burden on volunteer admins) scores below every ranked platform that
      documents both help requests and moderation by professionals (SamSam's welfare
      organisation watching the back end, domain.md §1.6).
    - Mijnbuurtje's trained volunteers (buurtverbinders, domain.md §2.2 no. 4) only partly
      meet "professional moderation": its state is partial, not met.
    - Nextdoor drops out on "data in de EU" (possible US transfer, domain.md §2.2 no. 5).
    - A ranked platform whose hosting is unknown keeps that must-have "te verifiëren".
    - The leader is not an offline approach and documents help requests.
    """
    _q, c = shipped
    advice = advise(shipped, LARGE_CITY)
    done = advice.completeness
    assert done is not None
    assert done.provisional is False, done
    assert done.open_sections == (), done.open_sections
    top = advice.top
    assert top is not None
    assert state(top, "moderatie_professioneel") != "unmet", top.platform.id
    professional = [
        r
        for r in advice.ranking
        if known(r.platform, "moderation") == "professionals"
        and "burenhulp" in (known(r.platform, "functions") or ())
        and r.platform.category != "offline"
    ]
    assert professional, "no ranked platform documents professional moderation and burenhulp"
    floor = min(r.score for r in professional)
    for r in advice.ranking:
        if known(r.platform, "moderation") == "zelfregulering":
            assert r.score < floor, f"{r.platform.id} ({r.score}) vs professionals ({floor})"
    assert state(anywhere(advice, "mijnbuurtje"), "moderatie_professioneel") == "partial"
    assert "data_in_eu" in excluded_by(anywhere(advice, "nextdoor"))
    for r in advice.ranking:
        if fact(r.platform, "hosting").status == "unknown":
            assert "data_in_eu" in to_verify(r), r.platform.id
    assert top.platform.category != "offline"
    assert state(top, "functie_burenhulp") == "met"
    assert_sound(c, advice)


# ---------------------------------------------------------------- 10. region


REGION = {
    "doelen": ["vrijwilligerswerk", "burenhulp", "sociale_kaart"],
    "doelen_onmisbaar": ["vrijwilligerswerk"],
    "hoofddoel": "vrijwilligerswerk",
    "schaal": "regio",
    "inwoners_aantal": 120000,
    "netwerken_per_kern": True,
    "samen_met_buurgemeenten": True,
    "initiatiefnemer": "gemeente",
    "wie_betaalt": ["gemeente", "buurgemeenten"],
    "budget_per_jaar": 30000,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def test_region_of_several_municipalities(shipped):
    """Five municipalities (120,000 residents) choosing one volunteering platform together.

    Situation: connect to what neighbouring municipalities already use to get critical mass
    (domain.md §1.3 toolkit principles); volunteer vacancies are indispensable, help requests
    and a social map are wishes; the municipalities pay together.

    Expectations:
    - NLvoorelkaar is on the shortlist: a national platform deployed through local
      "<place> voor Elkaar" variants with both volunteer vacancies and personal help
      requests (domain.md §2.2 no. 2). It is named because it is the one adoptable platform
      documenting both.
    - The leader documents volunteer vacancies (the indispensable goal).
    - Every platform documented to lack volunteer vacancies drops out on that goal.
    - Koggenbuurtjes (one municipality's own site, domain.md §2.2 no. 17) is not a candidate
      for a region, even though it documents vacancies and help requests.
    """
    _q, c = shipped
    advice = advise(shipped, REGION)
    assert "nlvoorelkaar" in ids(shortlist(advice))
    top = advice.top
    assert top is not None and state(top, "functie_vacatures") == "met"
    for p in c.platforms:
        functions = known(p, "functions")
        if functions is not None and "vrijwilligersvacatures" not in functions:
            assert "functie_vacatures" in excluded_by(anywhere(advice, p.id)), p.id
    assert "koggenbuurtjes" not in ids(advice.ranking)
    assert_sound(c, advice)


# ---------------------------------------------------------------- 11. pilot on one-off money


PILOT = {
    "doelen": ["contact", "burenhulp"],
    "hoofddoel": "contact",
    "schaal": "wijk",
    "inwoners_aantal": 8000,
    "budget_per_jaar": 5000,
    "financiering_aard": "eenmalig",
    "looptijd": "pilot",
    "na_pilot_geregeld": False,
    "belang_export": 3,
    "reclame_acceptabel": False,
    "meerdere_platforms": False,
}


def test_pilot_on_one_off_money(shipped):
    """A district of 8,000 with one-off pilot money and nothing arranged for afterwards.

    Situation: funding cliffs after a pilot are a recurring failure (Hart voor de K-buurt
    lost its subsidy, a Maastricht buurtplatform board resigned after cuts, domain.md §3
    row 5); so the platform must be able to keep running without a yearly municipal
    payment, and the data must leave with the residents if it stops.

    Expectations:
    - Every platform documented to charge the municipality a licence (domain.md §2.3:
      Hoplr's Service Dashboard, Go Vocal, mijnbuurtje commissioned by municipalities) does
      not meet "runs without a fixed municipal contribution": a known licence model is a
      fixed yearly cost even when its amount is unknown (unmet, not unknown).
    - The leader is not such a licence platform.
    - Gebiedonline is on the shortlist: the local network pays the cooperative (EUR 500-1,000
      a year, within the pilot budget), owns its data and can export it (domain.md §2.2
      no. 23) - the one catalogue entry documenting data export, hence named.
    """
    _q, c = shipped
    advice = advise(shipped, PILOT)
    licensed = licence_platforms(c)
    assert licensed
    for p in licensed:
        assert state(anywhere(advice, p.id), "zonder_vaste_gemeentekosten") == "unmet", p.id
    top = advice.top
    assert top is not None and top.platform.id not in {p.id for p in licensed}
    assert "gebiedonline" in ids(shortlist(advice))
    assert_sound(c, advice)


# ---------------------------------------------------------------- 12. every profile


ALL_PROFILES = {
    "village_square": VILLAGE_SQUARE,
    "burenhulp_older": BURENHULP_OLDER,
    "participatory_budgeting": PARTICIPATORY_BUDGETING,
    "budget_zero": BUDGET_ZERO,
    "contradictory": CONTRADICTORY,
    "mantelzorg": MANTELZORG,
    "combination": COMBINATION,
    "large_city": LARGE_CITY,
    "region": REGION,
    "pilot": PILOT,
}


@pytest.mark.parametrize("name", sorted(ALL_PROFILES))
def test_no_unreachable_hundred(shipped, name):
    """In no profile does a ranked platform show "passend 100" and "bekend 100%" on unknowns.

    domain.md §6 lists how little is documented (pricing, hosting, open source for most
    platforms). A platform whose weighted criteria include an unknown fact, or a fact that
    does not apply and is not counted as unmet, cannot be shown as fully known; the issue saw Buurtcirkel at 100/100/100% under an
    open-source must-have that does not apply to it.
    """
    advice = advise(shipped, ALL_PROFILES[name])
    for r in advice.ranking:
        weighed = [cr for cr in r.results if cr.weight > 0 or cr.must]
        # A not-applicable fact that counts as "not met" is known; one that drops out is not.
        if any(
            cr.state == "unknown" or (cr.state == "not_applicable" and cr.satisfaction != 0)
            for cr in weighed
        ):
            assert r.coverage is None or r.coverage < 100, (
                f"{name}: {r.platform.id} shows {r.coverage}% bekend"
            )
