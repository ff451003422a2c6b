"""The trainee's seat is the trainee's: bot teammates advise a seated human instead of playing the
floor, unless the human lets the team play the round."""

from __future__ import annotations

from game.engine import MoveError, apply_move, parse_move
from game.engine.fold import FLOOR_PASSING_EVENTS as FLOOR_EVENTS
from game.engine.moves import FLOOR_PASSING_KINDS
from tests.bots.conftest import Driver
from game.engine.words import english
from game.web.said import said_data

TRAINEE = "vn_trade"  # Vietnam's minister of industry and trade, head of the negotiating team


def idle_trainee(state):
    return None


def test_bot_teammates_never_take_the_floor_from_a_seated_human(default_scenario):
    d = Driver(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=3, humans=[TRAINEE], script=idle_trainee).run()
    vn_floor = [e for e in d.events if e.team == "vn" and e.type in FLOOR_EVENTS]
    assert vn_floor == []  # no proposal, no accept, no reject, no exchange used by the bots
    assert not any(e.type == "deal_reached" for e in d.events)
    suggestions = [e for e in d.events if e.type == "move_suggested"]
    assert suggestions and all(e.team == "vn" and e.visibility == "team:vn" for e in suggestions)
    assert all(e.data["move"]["kind"] in {"propose", "accept", "reject", "statement"} and english(e.data["text"]).startswith("I suggest we") for e in suggestions)
    # one suggestion per turn, not one per call
    per_turn = {}
    for e in suggestions:
        per_turn.setdefault((e.round, sum(1 for f in d.events if f.seq < e.seq and f.type in FLOOR_EVENTS)), []).append(e)
    assert all(len(v) == 1 for v in per_turn.values())


def adopt_every_suggestion(d: Driver):
    def play(state):
        if state.phase != "table" or state.floor != "vn":
            return None
        last = next((e for e in reversed(d.events) if e.type == "move_suggested"), None)
        if last is None or any(e.seq > last.seq and e.type in FLOOR_EVENTS for e in d.events):
            return None
        return TRAINEE, said_data(last.data, "en")["move"]  # the move as the trainee's page shows it, said

    return play


def test_a_suggestion_is_adopted_with_its_own_move_and_the_game_reaches_a_deal(default_scenario):
    d = Driver(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=3, humans=[TRAINEE])
    d.script = adopt_every_suggestion(d)
    d.run()
    vn_floor = [e for e in d.events if e.team == "vn" and e.type in FLOOR_EVENTS]
    assert vn_floor and all(e.actor == TRAINEE for e in vn_floor)
    assert any(e.type == "offer_proposed" for e in vn_floor)
    assert d.state.result is not None and d.state.result.kind == "deal"


def test_delegating_a_round_lets_the_bots_play_that_round_only(default_scenario):
    d = Driver(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=3, humans=[TRAINEE])

    def delegate_round_1(state):
        if state.round == 1 and state.phase == "caucus" and state.teams["vn"].delegated_round != 1:
            return TRAINEE, {"kind": "delegate"}
        return None

    d.script = delegate_round_1
    d.run()
    bot_floor = [e for e in d.events if e.team == "vn" and e.type in FLOOR_EVENTS]
    assert bot_floor and {e.round for e in bot_floor} == {1}
    assert all(e.actor != TRAINEE for e in bot_floor)


def test_taking_the_floor_back_stops_the_bots(default_scenario):
    d = Driver(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=3, humans=[TRAINEE])

    def on_then_off(state):
        if state.round == 1 and state.phase == "caucus" and state.teams["vn"].delegated_round != 1 and not any(e.type == "floor_delegated" for e in d.events):
            return TRAINEE, {"kind": "delegate"}
        if state.round == 1 and state.phase == "caucus" and state.teams["vn"].delegated_round == 1:
            return TRAINEE, {"kind": "delegate", "on": False}
        return None

    d.script = on_then_off
    d.run()
    assert [e.data["on"] for e in d.events if e.type == "floor_delegated"] == [True, False]
    assert not [e for e in d.events if e.team == "vn" and e.type in FLOOR_EVENTS]


def test_a_suggestion_that_is_not_a_move_the_team_could_make_is_refused(default_scenario):
    d = Driver(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=3, humans=[TRAINEE], script=idle_trainee)
    d.run(until=lambda s: s.phase == "table" and s.floor == "vn" and s.teams["us"].standing_offer is not None)
    before = d.state
    for bad in (
        {"kind": "suggest", "text": "Take it", "move": {"kind": "accept", "offer": "o1"}},
        {"kind": "suggest", "text": "This", "move": {"kind": "propose", "package": {"us_tariff": "rate_20"}}},
        {"kind": "suggest", "text": "This", "move": {"kind": "escalate"}},
    ):
        try:
            apply_move(default_scenario, before, TRAINEE, parse_move(bad), d.now)
        except MoveError as exc:
            assert exc.message
        else:
            raise AssertionError(f"{bad} was accepted")
    assert "suggest" not in FLOOR_PASSING_KINDS
