"""The presentation model tells one consistent story on the shipped examples and crafted answers."""

from __future__ import annotations

import ast
import pathlib
from typing import Any

import pytest
import yaml

import kompas
from kompas.engine import advise
from kompas.engine.analysis import analyse
from kompas.engine.kernel import surely_beats
from kompas.engine.matrix import decision_matrix
from kompas.i18n import language
from kompas.numbers import format_amount
from kompas.numbers import format_number
from kompas.numbers import format_points
from kompas.numbers import parse_number
from kompas.present.model import Story
from kompas.present.story import present
from kompas.textview import render_advice
from kompas.textview import render_analysis

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _story(shipped: Any, answers: dict[str, Any]) -> tuple[kompas.Advice, Story]:
    q, c = shipped
    result = advise(q, c, answers, strict=False)
    return result, present(result, analyse(q, c, dict(result.answers)), q, c)


def _answers(path: pathlib.Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _all_text(story: Story) -> list[str]:
    rob = story.robustness
    lines = [*story.headline, *story.summary, *(w.text for w in story.warnings)]
    lines += [*rob.lines, *rob.tie_lines, *(s.text for s in rob.separators)]
    for p in story.platforms:
        lines += p.warnings
    return lines


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_contenders_are_the_set_no_ranked_platform_surely_beats(shipped, example):
    """A is surely better than B only when A's lowest reachable score is above B's highest."""
    result, story = _story(shipped, _answers(example))
    short = {row.platform_id for row in story.contenders}
    assert short, "the contenders are never empty when platforms are ranked"
    for r in result.ranking:
        beaten = any(surely_beats(a, r) for a in result.ranking)
        assert (r.platform.id in short) == (not beaten), r.platform.id
    # Excluded platforms are never contenders, nor on the shortlist.
    assert not (short | {row.platform_id for row in story.shortlist}) & {
        r.platform.id for r in result.excluded
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_deciding_facts_are_unknowns_of_shortlisted_platforms_in_order(shipped, example):
    """The first vendor questions come from the shortlist (and the ranking's leader when it is
    off it), the most decisive first."""
    result, story = _story(shipped, _answers(example))
    short = {row.platform_id for row in story.shortlist} | {story.ranking[0].platform_id}
    for f in story.deciding:
        assert f.platform_id in short
        r = result.result(f.platform_id)
        assert f.criterion_id in {c.criterion_id for c in r.unknowns}
        # Resolving one unknown never moves a score further than its whole range allows.
        assert 0 <= f.value <= ((r.upper or 0) - (r.lower or 0)) / 2 + 1e-9
    keys = [(not f.changes_top, not f.must, -f.value) for f in story.deciding]
    assert keys == sorted(keys)
    # Vendor questions: each question once, with every platform it concerns.
    ids = [t.criterion_id for t in story.vendor_topics]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_plus_is_only_a_real_advantage(shipped, example):
    """Partly met criteria get their own wording, never the '+' of a met one."""
    _result, story = _story(shipped, _answers(example))
    text = " ".join(render_advice(_result, story, len(story.platforms), sources=False).split())
    partial = [c for p in story.platforms for c in p.partial]
    assert partial or example.stem != "burenhulp-dorp", "this example has partly met criteria"
    for p in story.platforms:
        r = _result.result(p.platform_id)
        states = {c.criterion_id: c.state for c in r.results}
        assert all(states[c.criterion_id] == "met" for c in p.pros)
        assert all(states[c.criterion_id] == "partial" for c in p.partial)
    for c in partial:
        assert f"+ {' '.join(c.text.split())}" not in text
        assert f"± {' '.join(c.text.split())}" in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_excluded_platforms_are_never_in_the_running(shipped, example):
    """An excluded platform is never also 'in beeld', uncertain in rank or on the shortlist."""
    result, story = _story(shipped, _answers(example))
    excluded = {r.platform.name for r in result.excluded}
    for line in _all_text(story):
        for name in excluded:
            if name in line:
                assert "in beeld" not in line and "onzeker" not in line, line
    for x in story.exclusions:
        ids = [r.criterion_id for r in x.reasons]
        assert len(ids) == len(set(ids)), "each reason once"


def musts_all(result: kompas.Advice) -> set[str]:
    """The labels of the must-haves some ranked platform leaves unknown."""
    return {c.label for r in result.ranking for c in r.to_verify}


def test_each_unknown_must_have_is_said_once(shipped):
    """One warning per unknown must-have, naming the platforms it concerns."""
    result, story = _story(shipped, _answers(ROOT / "examples" / "strenge-eisen.yaml"))
    musts = {c.label for r in result.ranking for c in r.to_verify}
    assert len(musts) >= 2
    verify = [w.text for w in story.warnings if w.kind == "verify"]
    for label in musts:
        assert sum(f"'{label}'" in w for w in verify) == 1, label
    # In a platform's own details each unknown must-have is listed once, marked as a must.
    for p in story.platforms:
        r = result.result(p.platform_id)
        musts = [c.criterion_id for c in p.unknowns if c.must]
        assert sorted(musts) == sorted(c.criterion_id for c in r.to_verify)
        assert p.to_verify == bool(r.to_verify)
        assert not any(c.label in w for c in r.to_verify for w in p.warnings)
    # The CLI says each must-have once at the top, then once per platform it concerns.
    text = " ".join(render_advice(result, story, details=len(story.platforms)).split())
    for label in musts_all(result):
        concerned = sum(1 for r in result.ranking if label in {c.label for c in r.to_verify})
        assert text.count(f"'{label}'") == 1, label
        assert concerned >= 1


def test_a_tie_is_a_tie_everywhere(shipped):
    """With answers that leave the leaders level, no sentence ranks one above the other."""
    q, _c = shipped
    # One goal and nothing else leaves several platforms level (every one meets it or not).
    for option in q.question("doelen").options:
        result, story = _story(shipped, {"doelen": [option.id]})
        leaders = [r for r in result.ranking if r.rank == result.ranking[0].rank]
        if len(leaders) > 1:
            break
    assert len(leaders) > 1, "no single-goal dossier leaves several platforms level"
    assert story.ties and set(story.ties[0]) == {r.platform.name for r in leaders}
    assert "gelijk bovenaan" in story.headline[0]
    assert "gelijk bovenaan" in story.robustness.lines[0]
    for line in _all_text(story):
        assert "het best" not in line and "Daarna volgen" not in line, line
        assert "nummer twee" not in line, line
    rows = [row for row in story.ranking if row.rank == leaders[0].rank]
    assert all(row.tied and row.standing == "gedeelde plaats" for row in rows)
    out = render_advice(result, story) + render_analysis(story)
    assert story.headline[0].split("(")[0].strip()[:60] in out.replace("\n  ", " ")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_robustness_sentences_agree_with_the_scores(shipped, example):
    """'… dan komt X bovenaan' only when X really leads at that weight; weights on 0-3."""
    q, c = shipped
    result, story = _story(shipped, _answers(example))
    analysis = analyse(q, c, dict(result.answers))
    matrix = decision_matrix(q, c, dict(result.answers))
    names = {p.id: p.name for p in c.platforms}
    checked = 0
    for line in story.robustness.lines:
        assert "%" not in line, line
    for interval in analysis.robustness.intervals:
        j = next(k for k, a in enumerate(matrix.active) if a.id == interval.criterion_id)
        line = next(
            (x for x in story.robustness.lines if f"'{interval.label}'" in x and "bovenaan" in x),
            None,
        )
        if line is None:
            continue
        heavier = "zwaarder" in line or "of meer" in line
        weight = interval.upper + 0.01 if heavier else max(0.0, interval.lower - 0.01)
        weights = list(matrix.weights)
        weights[j] = weight
        leaders = {names[matrix.platform_ids[i]] for i in matrix.top(tuple(weights))}
        named = line.rsplit("dan komt ", 1)[1].removesuffix(" bovenaan.")
        assert all(n in named for n in leaders), (line, leaders)
        checked += 1
    assert checked or not analysis.robustness.critical


def test_english_numbers_are_formatted_and_parsed_the_english_way():
    """Babel writes and reads numbers per language: 12,500 and 2.5 in English."""
    with language("en"):
        assert format_points(5.2) == "5.2"
        assert format_number(12500) == "12,500"
        assert format_amount(500, 1000) == "500 to 1,000 euros"
        assert parse_number("15,000") == 15000
        assert parse_number("2.5") == 2.5
        assert parse_number("€ 8,000") == 8000
        assert parse_number("veel") is None
    with language("nl"):
        assert format_points(5.2) == "5,2"
        assert format_number(12500) == "12.500"
        assert format_amount(500, 1000) == "500 tot 1.000 euro"
        assert parse_number("15.000") == 15000
        assert parse_number("2,5") == 2.5
        assert parse_number("2.5") == 2.5
        assert parse_number("nan") is None


def test_english_story_uses_english_numbers(shipped):
    """The CLI's English text says '3.1 points', never '3,1 points'."""
    with language("en"):
        result, story = _story(shipped, _answers(ROOT / "examples" / "burenhulp-dorp.yaml"))
        text = render_advice(result, story) + render_analysis(story)
    assert "points" in text
    import re

    assert not re.search(r"\d,\d points", text), text
    assert re.search(r"\d\.\d points", text)


def test_web_number_answers_are_read_in_the_page_language(shipped):
    """An English page reads '15,000' as fifteen thousand, a Dutch one reads '15.000' so."""
    from kompas.web.forms import answer_value

    q, _c = shipped
    question = next(x for x in q.questions if x.type == "number")
    with language("en"):
        assert answer_value(question, "15,000") == 15000
    with language("nl"):
        assert answer_value(question, "15.000") == 15000
        assert answer_value(question, "2,5") == 2.5


def test_no_import_cycles_in_kompas():
    """kompas.web (and the rest of kompas) imports without cycles, function-level ones too."""
    root = ROOT / "kompas"
    modules = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    target = full if full in modules else node.module
                    if target in modules and target != name:
                        graph[name].add(target)
            elif isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules} - {name}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


def _example_story_parts(shipped: Any) -> tuple[kompas.Advice, Any]:
    q, c = shipped
    answers = _answers(ROOT / "examples" / "burenhulp-dorp.yaml")
    result = advise(q, c, answers, strict=False)
    return result, analyse(q, c, dict(result.answers))


def test_leave_one_out_grammar_zou_and_zouden(shipped):
    """One platform 'zou' lead without an answer; two 'zouden' lead together."""
    from dataclasses import replace

    from kompas.engine.leave_one_out import LeaveOneOut

    q, c = shipped
    result, analysis = _example_story_parts(shipped)
    a, b = (r.platform.id for r in result.ranking[:2])
    loo = (
        LeaveOneOut("doelen", "Doelen", (b,), True),
        LeaveOneOut("schaal", "Schaal", (a, b), True),
    )
    analysis = replace(analysis, robustness=replace(analysis.robustness, leave_one_out=loo))
    lines = present(result, analysis, q, c).robustness.lines
    one = c.platform(b).name
    both = f"{c.platform(a).name} en {c.platform(b).name}"
    assert f"Zonder uw antwoord op 'Doelen' zou {one} bovenaan staan." in lines
    assert f"Zonder uw antwoord op 'Schaal' zouden {both} samen bovenaan staan." in lines


def test_tie_break_never_proposes_weighing_what_the_advisor_said_does_not_matter(shipped):
    """A question answered 'maakt niet uit' (0) is not proposed back with a weight."""
    from dataclasses import replace

    from kompas.engine.tiebreak import Separator

    q, c = shipped
    question = next(x for x in q.questions if x.type == "importance")
    answers = {**_answers(ROOT / "examples" / "burenhulp-dorp.yaml"), question.id: 0}
    result = advise(q, c, answers, strict=False)
    analysis = analyse(q, c, dict(result.answers))
    a, b = (r.platform.id for r in result.ranking[:2])
    proposal = Separator(question.id, question.text, question.section, 3, "3", a, 9.0, False)
    analysis = replace(analysis, tied=(a, b), separators=(proposal,))
    story = present(result, analysis, q, c)
    assert story.robustness.separators == ()
    assert "zonder uw doelen tegen te spreken" in story.robustness.tie_lines[0]


def test_combinations_state_their_combined_cost_or_whose_price_is_unknown(shipped):
    """With the kernel's cost fields, a combination says what it costs together, per language."""
    from dataclasses import replace

    q, c = shipped
    result, analysis = _example_story_parts(shipped)
    best = analysis.combinations.pairs[0]
    known = replace(best, cost_low=500.0, cost_high=1000.0, cost_unknown=())
    unknown = replace(best, cost_low=None, cost_high=None, cost_unknown=(best.platform_ids[1],))
    # Both beat the single platform, so both are shown (goals first may leave the example's
    # pairs below the best single platform).
    combos = replace(
        analysis.combinations, accepted=True, by_size={2: (known, unknown)}, best_single_score=0.0
    )
    analysis = replace(analysis, combinations=combos)
    shown = present(result, analysis, q, c).combinations.shown
    assert shown[0].cost == "Samen kosten ze 500 tot 1.000 euro per jaar."
    name = c.platform(best.platform_ids[1]).name
    assert (
        shown[1].cost
        == f"De gezamenlijke kosten zijn niet bekend: de prijs van {name} is onbekend."
    )
    with language("en"):
        shown = present(result, analysis, q, c).combinations.shown
    assert shown[0].cost == "Together they cost 500 to 1,000 euros a year."


def test_tie_break_never_proposes_a_goal_the_advisor_did_not_choose(shipped):
    """A goal offered in an answered question and left out is not proposed back elsewhere."""
    from dataclasses import replace

    from kompas.engine.tiebreak import Separator

    q, c = shipped
    goals = q.question("doelen")
    chosen, left_out = goals.options[0], goals.options[1]
    declined = {a.criterion for a in left_out.activates} - {a.criterion for a in chosen.activates}
    other = next(
        (x, o)
        for x in q.questions
        if x.id != "doelen" and x.type == "single"
        for o in x.options
        if declined & {a.criterion for a in o.activates}
    )
    question, option = other
    fine = next(
        o
        for o in question.options
        if not ({a.criterion for a in o.activates} & {a.criterion for a in left_out.activates})
        and o.activates
    )
    result = advise(q, c, {"doelen": [chosen.id]}, strict=False)
    analysis = analyse(q, c, dict(result.answers))
    a, b = (r.platform.id for r in result.ranking[:2])

    def proposal(o: Any) -> Separator:
        return Separator(question.id, question.text, question.section, o.id, o.label, a, 9.0, False)

    analysis = replace(analysis, tied=(a, b), separators=(proposal(option), proposal(fine)))
    shown = present(result, analysis, q, c).robustness.separators
    assert [s.text for s in shown] == [
        f"Met het antwoord '{fine.label}' komt {c.platform(a).name} 9 punten voor te staan."
    ]


def test_a_provisional_advice_says_so_on_page_cli_and_report(shipped):
    """With important sections open, the advice is 'voorlopig' everywhere, and says what to answer."""
    from dataclasses import replace

    from kompas.engine.result import Completeness
    from kompas.report import render_report_html

    q, c = shipped
    result = advise(q, c, {"doelen": ["burenhulp"]}, strict=False)
    open_questions = tuple(x.id for x in q.questions if x.id not in result.answers)[:3]
    sections = tuple(s.id for s in q.sections[1:3])
    result = replace(
        result,
        completeness=Completeness(1, 40, sections, open_questions, provisional=True),
    )
    analysis = analyse(q, c, dict(result.answers))
    story = present(result, analysis, q, c)
    assert story.provisional
    first = story.warnings[0]
    assert first.kind == "provisional"
    assert first.text.startswith("Voorlopig advies: 1 van de 40 vragen is beantwoord (2%).")
    for s in q.sections[1:3]:
        assert f"'{s.title}'" in first.text
    assert [qid for qid, _s, _t in story.decisive_open] == list(open_questions)
    text = render_advice(result, story)
    assert "VOORLOPIG ADVIES" in text
    assert all(f"({qid})" in text for qid in open_questions)
    html = render_report_html(kompas.pipeline.explain_advice(result, q, c))
    assert "Voorlopig advies" in html
    # Without completeness (or when it is not provisional) nothing says 'voorlopig'.
    plain = present(replace(result, completeness=None), analysis, q, c)
    assert not plain.provisional and all(w.kind != "provisional" for w in plain.warnings)
    assert "Voorlopig" not in render_report_html(replace(result, completeness=None), q, c)


def test_one_criterion_and_no_requirement_read_as_plain_dutch_and_english(shipped):
    """One answer that weighs one goal: 'criterium', not '1 criteria'; no '0 eisen'."""
    q, _c = shipped
    goal = next(q_ for q_ in q.questions if q_.id == "doelen")
    one = {goal.id: [goal.options[0].id]}
    result, story = _story(shipped, one)
    assert len(result.active) == 1
    assert story.headline[0].startswith("Op basis van 1 meegewogen criterium ")
    assert "geen daarvan is een eis" in story.rests_on[0]
    assert "0 eisen" not in " ".join(story.rests_on)
    # Counts after a colon: '1 bekend', never '1 bekende feiten'.
    assert any(line.startswith("Feiten over ") for line in story.rests_on)
    assert not any("1 bekende feiten" in line for line in story.rests_on)
    with language("en"):
        _result, english = _story(shipped, one)
    assert english.headline[0].startswith("Based on 1 weighted criterion, ")
    assert "none of them a requirement" in english.rests_on[0]
    # Many criteria and a must-have keep the plural and name the requirements.
    result, story = _story(shipped, _answers(ROOT / "examples" / "burenhulp-dorp.yaml"))
    musts = sum(1 for a in result.active if a.must)
    assert story.headline[0].startswith(f"Op basis van {len(result.active)} meegewogen criteria ")
    assert f"waarvan {musts} eis" in story.rests_on[0]
