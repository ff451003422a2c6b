"""The server asks its bot seats together (game.bots.first_move): the same moves, from the same seats,
as asking each seat's `decide` in turn, through a whole practice game; and it does not ask again after
events the bot declares change nothing (UNMOVED_BY: a chat)."""

from __future__ import annotations

import pytest

from game.bots import UNMOVED_BY, decide, first_move
from game.engine import FACILITATOR, MatchSetup, apply_move, new_state, seat_team, visible_events
from game.engine.moves import Advance, Start, TeamChat


def seat_by_seat(scenario, state, events, seats, bot_seats):
    for index, (seat, persona) in enumerate(seats):
        move = decide(scenario, state, visible_events(scenario, events, seat), seat, persona, state.seed, bot_seats=bot_seats)
        if move is not None:
            return index, move
    return None


@pytest.mark.parametrize("trainee, seed", [("us_ustr", 3), ("vn_exporters", 4)])
def test_the_bots_of_a_practice_game_asked_together_move_as_asked_one_by_one_and_as_before_a_chat(default_scenario, trainee, seed):
    scenario = default_scenario
    teams = {t: scenario.personas_for(t)[-1].id for t in scenario.team_ids()}
    seats = [(r.id, teams[r.team]) for r in scenario.roles if r.id != trainee]
    bot_seats = tuple(seat for seat, _ in seats)
    state = new_state(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed, pacers=[trainee]))
    events = []
    moved = set()
    now = 0.0

    def play(seat, move):
        nonlocal state, now
        now += 1.0
        transition = apply_move(scenario, state, seat, move, now)
        state = transition.after
        events.extend(transition.events)

    play(FACILITATOR, Start())
    for _ in range(2000):
        if state.status != "running":
            break
        together = first_move(scenario, state, tuple(events), seats, state.seed, now, bot_seats=bot_seats)
        assert together == seat_by_seat(scenario, state, events, seats, bot_seats)
        chat = apply_move(scenario, state, trainee, TeamChat(text="Shall we?"), now)
        assert {e.type for e in chat.events} <= UNMOVED_BY
        assert first_move(scenario, chat.after, (*events, *chat.events), seats, state.seed, now, bot_seats=bot_seats) == together
        if together is None:
            play(trainee, Advance())  # the trainee paces the game and leaves the rest to the bots
        else:
            seat, move = seats[together[0]][0], together[1]
            moved.add((seat_team(scenario, seat), state.phase))
            play(seat, move)
    assert state.status == "finished"
    assert {(t, p) for t in scenario.team_ids() for p in ("caucus", "table")} <= moved
