"""Bots in the epilogue: a bot side answers from its persona and its estimate of the other side's
credibility: a credible other side -> hold; a divided or unbacked one -> press to reopen."""

from __future__ import annotations

from game.bots import play_game
from game.bots.credibility import estimate
from game.bots.epilogue import epilogue_move, hold_threshold
from game.bots.play import decide, resolve_persona
from game.engine import FACILITATOR, MatchSetup, replay
from tests.engine.scripts import Script, play_to_deal
from game.engine.words import english


def test_every_bot_game_with_the_epilogue_finishes_with_each_pressure_answered(default_scenario):
    events = play_game(default_scenario, {"us": "us_pragmatic", "vn": "vn_hardline"}, seed=3, epilogue=True)
    answered = [e for e in events if e.type == "pressure_answered"]
    assert any(e.type == "deal_reached" for e in events)
    assert {e.data["pressure"] for e in answered} == {p.id for p in default_scenario.epilogue.pressures}
    assert all(e.data.get("note") for e in answered)
    setup = MatchSetup(scenario_id=default_scenario.id, scenario_version=default_scenario.version, seed=3, epilogue=True)
    state = replay(default_scenario, setup, events)
    assert state.status == "finished" and state.result.kind == "deal"


def test_an_unbacked_other_side_is_pressed_and_a_credible_one_is_held(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    hard = resolve_persona(default_scenario, "vn", "vn_hardline")
    # The US side showed nothing: the hardliner reopens a term it can improve.
    seat, move = epilogue_move(default_scenario, s.state, "vn", hard, None)
    assert move.choice == "reopen" and move.pressure == "transshipment_scope_vn"
    assert move.issue == "transshipment" and move.option == "existing_rules"
    assert "We reopen" in english(move.note)

    # The same deal with a US side that made its endorsed mandate visible at the table: the same
    # hardliner holds.
    credible = deal_with_us_alignment_shown(default_scenario)
    assert estimate(default_scenario, credible.state, "vn").value >= hold_threshold(hard)
    _, move = epilogue_move(default_scenario, credible.state, "vn", hard, None)
    assert move.choice == "hold" and "We hold the deal" in english(move.note) and "your whole team has endorsed its position" in english(move.note)


def deal_with_us_alignment_shown(scenario) -> Script:
    s = Script(scenario, epilogue=True)
    s.play(FACILITATOR, {"kind": "start"})
    package = scenario.historical_outcome.package
    while s.state.phase != "epilogue":
        if s.state.phase == "caucus":
            for team in scenario.team_ids():
                s.align(team)
            s.advance()
        elif s.state.phase == "table":
            if s.state.floor == "vn":
                s.play(s.speaker("vn"), {"kind": "propose", "package": package})
            s.play(s.speaker("us"), {"kind": "show_capability", "text": "Every agency behind this mandate has signed it."})
            if s.state.teams["vn"].standing_offer:
                s.play(s.speaker("us"), {"kind": "accept", "offer": s.state.teams["vn"].standing_offer})
            else:
                s.play(s.speaker("us"), {"kind": "propose", "package": package})
                s.play(s.speaker("vn"), {"kind": "accept", "offer": s.state.teams["us"].standing_offer})
        else:
            s.advance()
    return s


def test_a_bot_seat_answers_only_its_own_team_and_only_in_the_epilogue(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    seat = default_scenario.roles_of("us")[0].id
    move = decide(default_scenario, s.state, s.events, seat, "us_hardline", seed=0)
    assert move is not None and move.kind == "answer_pressure"
    assert default_scenario.epilogue.pressure(move.pressure).team == "us"
    # In a team with a human, the humans answer.
    bots = [r.id for r in default_scenario.roles if r.id != "us_ustr"]
    assert decide(default_scenario, s.state, s.events, seat, "us_hardline", seed=0, bot_seats=bots) is None
    done = play_to_deal(default_scenario)
    assert decide(default_scenario, done.state, done.events, seat, "us_hardline", seed=0) is None


def test_a_bot_teams_clarification_reads_in_each_readers_language(default_scenario):
    """A deal that already gives the other side the least it can on the pressed term: the bot team
    clarifies, and what it says is a sentence each reader reads in their own language (the view the
    epilogue panel shows, and the debrief's rows)."""
    from django.utils import translation

    from game.engine import MOVE_ADAPTER, apply_move, parse_move
    from game.engine.view import player_view
    from game.web.epilogue import epilogue_rows
    from game.web.said import said_view

    us = default_scenario.team("us").points["transshipment"]
    package = {**default_scenario.historical_outcome.package, "transshipment": min(us, key=us.get)}
    s = play_to_deal(default_scenario, epilogue=True, package=package)
    seat, move = epilogue_move(default_scenario, s.state, "vn", resolve_persona(default_scenario, "vn", "vn_hardline"), None)
    assert move.choice == "clarify" and english(move.text).startswith("The deal on Transshipment")
    applied = apply_move(default_scenario, s.state, seat, MOVE_ADAPTER.validate_python(move.model_dump()), 0.0)
    state = applied.after
    answer = state.epilogue.answers["transshipment_scope_vn"]
    with translation.override("vi"):
        shown = said_view(player_view(default_scenario, state, seat))["epilogue"]["answers"]["transshipment_scope_vn"]["text"]
        row = next(r for r in epilogue_rows(default_scenario, state.epilogue.model_dump(mode="json")) if r["team"] == "vn")
    assert shown == row["text"] and shown.startswith("Thỏa thuận về") and "Transshipment" not in shown
    with translation.override("en"):
        assert said_view(player_view(default_scenario, state, seat))["epilogue"]["answers"]["transshipment_scope_vn"]["text"] == english(move.text)
    # A person clarifies in their own words, and may not send a sentence of the rules core.
    assert parse_move({"kind": "answer_pressure", "pressure": "ruling_us", "choice": "clarify", "text": "It stands."}).text == "It stands."
    assert isinstance(answer.text, dict)  # stored as the sentence's JSON, said where it is read
