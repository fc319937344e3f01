"""Leave-one-out leaves out the answer only: an answer that merely opens a follow-up question
is never said to change the top (issue 19; docs/design.md, "Leave-one-out")."""

from __future__ import annotations

from pathlib import Path

import kompas
from kompas.i18n import localise
from tests.test_profiles_sense import NEWCOMERS_CITY

ROOT = Path(__file__).resolve().parent.parent
# Gebiedonline's scale as docs/pending-platforms.md proposes it: with it, the population answer
# (which only opens 'netwerken_per_kern') used to be said to change the first place.
SCALE = """      scale:
        value: [buurt, wijk, gemeente, regio]
        source: https://gebiedonline.nl/faq
        checked: 2026-12-07
        evidence: leverancier
        source_date: unknown
        undated: niet_nagegaan
"""


def _with_scale(tmp: str) -> tuple[kompas.Questionnaire, kompas.Catalogue]:
    """The shipped data with Gebiedonline's scale (pasted into a copy while it is pending)."""
    text = (ROOT / "platforms.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: gebiedonline\n")
    facts = text.index("    facts:\n", start) + len("    facts:\n")
    if "      scale:" in text[facts : text.index("\n  - id: ", facts)]:
        return kompas.load()  # the scale has been pasted into the shipped catalogue
    path = Path(tmp) / "platforms.yaml"
    path.write_text(text[:facts] + SCALE + text[facts:], encoding="utf-8")
    return kompas.load(ROOT / "questions.yaml", path)


def test_a_gate_alone_never_changes_the_top(tmp_path):
    """With the scale, Gebiedonline leads; leaving out the population answer keeps
    'netwerken_per_kern' (it weighs), so only that answer is named."""
    q, c = _with_scale(str(tmp_path))
    assert c.platform("gebiedonline").facts["scale"].value  # the paste took
    e = kompas.explain(q, c, dict(NEWCOMERS_CITY), lang="nl")
    leaders = [r.platform.id for r in e.advice.ranking if r.rank == 1]
    assert leaders == ["gebiedonline"], leaders
    by_id = {x.question_id: x for x in e.analysis.robustness.leave_one_out}
    assert not by_id["inwoners_aantal"].changes, by_id["inwoners_aantal"]
    assert by_id["netwerken_per_kern"].changes, by_id["netwerken_per_kern"]
    lines = " ".join(e.story.robustness.lines)
    assert localise(q.question("inwoners_aantal").text) not in lines, lines
    assert f"'{localise(q.question('netwerken_per_kern').text)}'" in lines, lines


def test_every_named_answer_weighs(tmp_path):
    """U7 on the data with the scale: every answer a leave-one-out sentence names weighs."""
    q, c = _with_scale(str(tmp_path))
    e = kompas.explain(q, c, dict(NEWCOMERS_CITY), lang="nl")
    lines = " ".join(e.story.robustness.lines)
    weighing = {b.question_id for a in e.advice.active if a.must or a.weight > 0 for b in a.because}
    named = {
        x.question_id
        for x in e.analysis.robustness.leave_one_out
        if x.changes and f"'{localise(x.question)}'" in lines
    }
    assert named and named <= weighing, (named, weighing)
