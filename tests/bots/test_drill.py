"""The mistakes drill: the positions of a seat's most costly "?"/"??" moves, each with the move played
and other moves, every one scored by the game's own rubric."""

from __future__ import annotations

from game.bots import play_game
from game.bots.drill import drill
from game.engine import MatchSetup, replay
from game.scoring import score_match


def _game(scenario, seed=5, personas=None):
    events = play_game(scenario, personas or {"us": "never_concede", "vn": "never_concede"}, seed)
    return events, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed)


def test_the_three_most_costly_marked_moves_are_drilled_most_costly_first(default_scenario):
    events, setup = _game(default_scenario)
    positions = drill(default_scenario, setup, events, "us_treasury")
    assert 1 <= len(positions) <= 3
    totals = [sum(a.delta for a in p.mistake) for p in positions]
    assert totals == sorted(totals)
    every = [a for a in score_match(default_scenario, events).annotations if a.seat == "us_treasury" and a.mark in ("?", "??") and a.scored_at == a.seq]
    worst = min(sum(b.delta for b in every if b.seq == a.seq) for a in every)
    assert totals[0] == worst  # the costliest marked move comes first
    for p in positions:
        assert any(a.mark in ("?", "??") for a in p.mistake)
        assert [e.seq for e in p.before] == list(range(1, p.seq))


def test_each_choice_is_the_engines_move_at_that_position_scored_by_the_rubric(default_scenario):
    events, setup = _game(default_scenario)
    position = drill(default_scenario, setup, events, "vn_trade")[0]
    played = [c for c in position.choices if c.played]
    assert len(played) == 1 and played[0].events[0] == events[position.seq - 1]
    assert played[0].points == sum(a.delta for a in position.mistake)
    assert len(position.choices) >= 2
    state = replay(default_scenario, setup, position.before)
    for choice in position.choices:
        assert choice.events[0].seq == position.seq  # the move made at this very position
        assert choice.events[0].actor == "vn_trade"
        rescored = score_match(default_scenario, [*position.before, *choice.events]).annotations
        assert choice.points == sum(a.delta for a in rescored if a.seq in {e.seq for e in choice.events} and a.seat == "vn_trade" and a.scored_at == a.seq)
    assert state.version == position.seq - 1  # the position is the state just before the move


def test_a_seat_without_marked_mistakes_has_nothing_to_drill(default_scenario):
    events, setup = _game(default_scenario, 1, {"us": "us_pragmatic", "vn": "vn_pragmatic"})
    assert drill(default_scenario, setup, events, "vn_trade") == []
