"""Whole games through the engine, from round 0 to a deal and to no deal."""

from __future__ import annotations

import pytest

from game.engine import FACILITATOR, MoveError, parse_move, replay
from tests.engine.scripts import Script, play_to_deal, play_to_no_deal
from game.engine.words import english


def test_a_whole_game_reaches_a_deal_on_the_agreed_package(any_scenario):
    s = play_to_deal(any_scenario)
    assert s.state.status == "finished"
    assert s.state.result.kind == "deal"
    expected = any_scenario.historical_outcome.package
    assert s.state.result.package == expected
    types = [e.type for e in s.events]
    assert types[0] == "match_started"
    assert types[-3:] == ["offer_accepted", "deal_reached", "game_ended"]
    # Round 0 is caucus only; the deal comes at the first table.
    assert any(e.type == "mandate_drafted" and e.round == 0 for e in s.events)


def test_a_game_without_agreement_ends_in_no_deal_after_the_last_round(any_scenario):
    s = play_to_no_deal(any_scenario)
    assert s.state.result.kind == "no_deal"
    assert s.state.result.package is None
    assert s.state.round == len(any_scenario.rounds) - 1
    assert "BATNA" in english(s.state.result.reason)
    with pytest.raises(MoveError) as refused:
        s.play(FACILITATOR, {"kind": "advance"})
    assert refused.value.code == "game/over"


def test_the_table_alternates_the_floor_and_ends_when_exchanges_run_out(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    assert (s.state.round, s.state.floor) == (1, "red")  # round 1 opens with red
    s.play("red_tech", {"kind": "statement", "text": "We come in good faith."})
    assert s.state.floor == "blue"
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "statement", "text": "And another thing."})
    assert refused.value.code == "move/not_your_turn"
    s.play("blue_min", {"kind": "statement", "text": "So do we."})
    s.play("red_tech", {"kind": "statement", "text": "Good."})
    s.play("blue_min", {"kind": "statement", "text": "Fine."})
    # Four exchanges were allowed: the table is over and the review has begun.
    assert s.state.phase == "review"


def test_supporting_moves_keep_the_floor_but_are_bounded(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    for _ in range(tiny.supporting_moves_per_turn):
        s.play("red_tech", {"kind": "probe", "issue": "volume", "question": "How much volume do you need?"})
    assert s.state.floor == "red"
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "probe", "issue": "price", "question": "And price?"})
    assert refused.value.code == "move/illegal"
    assert "pass the floor" in english(refused.value.message)


def test_probe_answers_truthfully_from_the_other_sheet(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    _, answer = s.play("red_tech", {"kind": "probe", "issue": "volume", "question": "Volume?"})
    # Volume has blue's widest spread (50 points): blue says it is among its most important issues.
    assert answer.type == "probe_answered" and answer.team == "blue"
    assert "most important" in english(answer.data["answer"])
    _, answer = s.play("red_tech", {"kind": "probe", "issue": "delivery", "question": "Delivery?"})
    assert "not where our main interests lie" in english(answer.data["answer"])


def test_a_deliverable_backs_nothing_until_its_owners_have_prepared_it(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    s.play("blue_min", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    assert refused.value.code == "move/illegal"
    s.play("blue_boss", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    # It takes one round to prepare: in preparation now, prepared from round 1.
    assert s.state.teams["blue"].deliverables["blue_order"].status == "in_preparation"
    s.advance_to("table")
    s.play("red_tech", {"kind": "statement", "text": "Your move."})
    assert s.state.teams["blue"].deliverables["blue_order"].status == "prepared"
    s.play("blue_min", {"kind": "commit_deliverable", "deliverable": "blue_order"})
    assert s.state.teams["blue"].deliverables["blue_order"].status == "committed"


def test_committing_an_unprepared_deliverable_is_refused_with_who_must_prepare_it(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    assert "Red technician must prepare it in caucus first" in english(refused.value.message)


def test_a_recess_sends_both_teams_back_to_caucus_keeping_the_exchange_count(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    s.play("red_tech", {"kind": "recess", "reason": "we need to circle back"})
    assert s.state.phase == "caucus"
    s.advance()
    assert s.state.phase == "table"
    assert s.state.exchanges_used == 1
    assert s.state.floor == "blue"


def test_the_leader_needs_a_leader_round_or_an_escalation(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    with pytest.raises(MoveError) as refused:
        s.play("red_boss", {"kind": "statement", "text": "I am here."})
    assert "escalates" in english(refused.value.message)
    s.play("red_tech", {"kind": "escalate"})
    s.play("red_boss", {"kind": "statement", "text": "I am here."})
    assert s.state.teams["red"].escalations_left == tiny.team("red").escalations - 1


def test_mandate_must_cover_the_agenda_and_keep_target_above_walkaway(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    s.advance_to("caucus")  # round 2's caucus: agenda price, volume, delivery
    with pytest.raises(MoveError) as refused:
        s.play("red_boss", {"kind": "draft_mandate", "issues": {"price": {"target": "high", "walkaway": "mid"}}})
    assert "missing: Volume, Delivery" in english(refused.value.message)
    with pytest.raises(MoveError) as refused:
        s.play("red_boss", {"kind": "draft_mandate", "issues": {
            "price": {"target": "low", "walkaway": "high"},
            "volume": {"target": "big", "walkaway": "small"},
            "delivery": {"target": "fast", "walkaway": "slow"}}})
    assert "swap them" in english(refused.value.message)


def test_a_redraft_needs_everyone_again_and_stale_endorsements_are_refused(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    s.play("red_boss", {"kind": "draft_mandate", "issues": {"price": {"target": "high", "walkaway": "mid"}}})
    s.play("red_tech", {"kind": "object_mandate", "version": 1, "reason": "delivery is missing from it"})
    s.play("red_boss", {"kind": "draft_mandate", "issues": {"price": {"target": "high", "walkaway": "mid"}, "delivery": {"target": "fast", "walkaway": "normal"}}})
    assert set(s.state.teams["red"].stances) == {"red_boss"}
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "endorse_mandate", "version": 1})
    assert "read version 2" in english(refused.value.message)
    s.play("red_tech", {"kind": "endorse_mandate", "version": 2})
    assert all(st.endorse for st in s.state.teams["red"].stances.values())


def test_pause_freezes_the_clock_and_resume_restores_the_remaining_time(tiny):
    s = Script(tiny)
    s.setup = s.setup.model_copy(update={"phase_seconds": {"caucus": 300}})
    from game.engine import new_state

    s.state = new_state(tiny, s.setup)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance()
    assert s.state.deadline == pytest.approx(s.now + 300)
    s.now += 100
    s.play(FACILITATOR, {"kind": "pause"})
    with pytest.raises(MoveError) as refused:
        s.play("red_boss", {"kind": "choose_speaker", "level": "technical"})
    assert refused.value.code == "game/paused"
    s.now += 1000
    s.play(FACILITATOR, {"kind": "resume"})
    assert s.state.deadline == pytest.approx(s.now + 199)
    s.play(FACILITATOR, {"kind": "extend", "seconds": 60})
    assert s.state.deadline == pytest.approx(s.now - 1 + 199 + 60)


def test_the_clock_advances_only_after_the_deadline(tiny):
    from game.engine import MatchSetup, SYSTEM, apply_move, new_state

    setup = MatchSetup(scenario_id="tiny", scenario_version="1", phase_seconds={"briefing": 60})
    state = new_state(tiny, setup)
    state = apply_move(tiny, state, FACILITATOR, parse_move({"kind": "start"}), 0.0).after
    with pytest.raises(MoveError) as early:
        apply_move(tiny, state, SYSTEM, parse_move({"kind": "tick"}), 59.0)
    assert "has not passed" in english(early.value.message)
    after = apply_move(tiny, state, SYSTEM, parse_move({"kind": "tick"}), 60.0).after
    assert after.phase == "caucus"
    # The same tick twice (two server processes racing) cannot advance twice: the second is stale.
    with pytest.raises(MoveError) as stale:
        apply_move(tiny, after, SYSTEM, parse_move({"kind": "tick"}), 61.0, expected_version=state.version)
    assert stale.value.code == "move/stale_version"


def test_players_cannot_use_facilitator_controls_unless_they_pace_practice(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    with pytest.raises(MoveError) as refused:
        s.play("red_tech", {"kind": "advance"})
    assert refused.value.code == "auth/forbidden"
    practice = Script(tiny, pacers=("red_tech",))
    practice.play(FACILITATOR, {"kind": "start"})
    practice.play("red_tech", {"kind": "advance"})
    assert practice.state.phase == "caucus"
    with pytest.raises(MoveError) as refused:
        practice.play("red_tech", {"kind": "push_inject", "inject": "shock"})
    assert refused.value.code == "auth/forbidden"


def test_unknown_seats_and_malformed_moves_are_refused_with_stable_codes(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    with pytest.raises(MoveError) as refused:
        s.play("green_spy", {"kind": "team_chat", "text": "hello"})
    assert refused.value.code == "move/not_your_seat"
    for bad in ({"kind": "teleport"}, {"kind": "team_chat"}, {"kind": "team_chat", "text": "x", "extra": 1}, {"kind": "team_chat", "text": "x" * 5000}, "propose", None):
        with pytest.raises(MoveError) as refused:
            parse_move(bad)
        assert refused.value.code == "move/malformed"


def test_scheduled_injects_arrive_with_their_round(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    assert s.state.injects == []
    s.advance_to("table")
    assert s.state.injects == ["shock"]


def test_replaying_the_log_rebuilds_the_final_state(any_scenario):
    for s in (play_to_deal(any_scenario), play_to_no_deal(any_scenario)):
        assert replay(any_scenario, s.setup, s.events) == s.state
