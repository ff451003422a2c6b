"""Scoring the epilogue: a reopened signed term costs the backpedal penalty with a note naming the lesson;
holding the deal with an endorsed mandate earns the credibility credit; the final deal is the one
that stands after the epilogue."""

from __future__ import annotations

from game.engine import FACILITATOR
from game.scoring import score_match
from tests.engine.scripts import Script, play_to_deal


def finished(default_scenario, answers):
    s = play_to_deal(default_scenario, epilogue=True)
    for team, pressure, choice, fields in answers:
        seat = default_scenario.roles_of(team)[1].id
        s.play(seat, {"kind": "answer_pressure", "pressure": pressure, "choice": choice, **fields})
    if s.state.status != "finished":
        s.advance()
    return s, score_match(default_scenario, s.events)


def of(score, team, rule):
    return [a for a in score.annotations if a.team == team and a.rule == rule]


def test_reopening_a_signed_term_is_backpedaling_and_says_so(default_scenario):
    _, held = finished(default_scenario, [])
    s, score = finished(default_scenario, [("vn", "transshipment_scope_vn", "reopen", {"issue": "transshipment", "option": "existing_rules"})])
    [note] = of(score, "vn", "epilogue.reopened")
    assert note.dimension == "backpedal" and note.delta < 0
    assert "reopened Transshipment and rules of origin (No new penalty" in str(note.reason)
    assert "backpedaling on what Vietnam signed" in str(note.reason) and "credibility" in str(note.reason)
    assert note.lesson
    assert score.alignment["vn"].backpedal_penalty > held.alignment["vn"].backpedal_penalty
    # The reopened term is in the final deal, on both teams' outcome.
    assert s.state.result.package["transshipment"] == "existing_rules"
    assert score.outcome["us"].points < held.outcome["us"].points


def test_holding_with_an_endorsed_mandate_earns_the_credibility_credit(default_scenario):
    _, score = finished(default_scenario, [
        ("us", "ruling_us", "hold", {}),
        ("us", "transshipment_scope_us", "clarify", {"text": "Transshipment means goods that fail the agreed origin rules."}),
    ])
    held = of(score, "us", "epilogue.deal_held")
    assert len(held) == 2 and all(a.dimension == "power" and a.delta > 0 for a in held)
    assert any("held the deal on US reciprocal tariff on Vietnamese goods (20%)" in str(a.reason) for a in held)
    assert any("clarified the deal" in str(a.reason) for a in held)
    assert not of(score, "us", "epilogue.reopened")


def test_holding_without_an_endorsed_mandate_earns_nothing(default_scenario):
    # The US comes to the deal with no mandate of its own; Vietnam aligns in every caucus.
    s = Script(default_scenario, epilogue=True)
    s.play(FACILITATOR, {"kind": "start"})
    while s.state.phase != "epilogue":
        if s.state.phase == "caucus":
            s.align("vn")
            s.advance()
        elif s.state.phase == "table":
            opener = s.state.floor
            other = default_scenario.other_team(opener)
            s.play(s.speaker(opener), {"kind": "propose", "package": default_scenario.historical_outcome.package})
            s.play(s.speaker(other), {"kind": "accept", "offer": s.state.teams[opener].standing_offer})
        else:
            s.advance()
    for team, pressure in (("us", "ruling_us"), ("vn", "ruling_vn")):
        s.play(default_scenario.roles_of(team)[1].id, {"kind": "answer_pressure", "pressure": pressure, "choice": "hold"})
    s.advance()
    score = score_match(default_scenario, s.events)
    assert of(score, "us", "epilogue.deal_held") == []
    assert len(of(score, "vn", "epilogue.deal_held")) == 1


def epilogue_rules_fired(scenario) -> set[str]:
    """The rules a game fires whose epilogue holds one term and reopens another (for the every-rule test)."""
    _, score = finished(scenario, [
        ("us", "ruling_us", "hold", {}),
        ("vn", "transshipment_scope_vn", "reopen", {"issue": "transshipment", "option": "existing_rules"}),
    ])
    return {a.rule for a in score.annotations}
