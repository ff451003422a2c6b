"""Fixtures for the bot tests: a driver that plays bots through `decide` (the server's path) while a
script plays the human seats, and helpers to read a finished log."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from game.bots import bot_pacer_move, decide
from game.engine import FACILITATOR, Event, MatchSetup, MatchState, Move, apply_move, new_state, parse_move
from game.scenario import Scenario

# A script for the human seats: (state) -> (seat, raw move dict) or None when the humans wait.
HumanScript = Callable[[MatchState], "tuple[str, dict] | None"]


class Driver:
    """Plays a match move by move: bots via decide() for each bot seat, humans via a script, and the
    bot pacer (as the facilitator) when nobody has anything to do."""

    def __init__(self, scenario: Scenario, personas: dict[str, str], *, seed: int = 0, humans: Iterable[str] = (), script: HumanScript | None = None):
        self.scenario = scenario
        self.personas = personas
        self.seed = seed
        self.humans = set(humans)
        self.bot_seats = [r.id for r in scenario.roles if r.id not in self.humans and r.team in personas]
        self.script = script
        self.state = new_state(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed))
        self.events: list[Event] = []
        self.now = 0.0
        self.bot_moves: list[tuple[str, Move]] = []

    def state_setup(self) -> MatchSetup:
        return MatchSetup(scenario_id=self.scenario.id, scenario_version=self.scenario.version, seed=self.seed)

    def play(self, seat: str, move: Move | dict) -> list[Event]:
        self.now += 1.0
        if isinstance(move, dict):
            move = parse_move(move)
        t = apply_move(self.scenario, self.state, seat, move, self.now)
        self.state = t.after
        self.events.extend(t.events)
        return t.events

    def bot_step(self) -> bool:
        for seat in self.bot_seats:
            team = self.scenario.role(seat).team
            move = decide(self.scenario, self.state, self.events, seat, self.personas[team], self.seed, self.now, bot_seats=self.bot_seats)
            if move is not None:
                self.bot_moves.append((seat, move))
                self.play(seat, move)
                return True
        return False

    def step(self) -> None:
        if self.script is not None and self.state.status == "running":
            planned = self.script(self.state)
            if planned is not None:
                self.play(*planned)
                return
        if self.bot_step():
            return
        pace = bot_pacer_move(self.scenario, self.state, self.bot_seats, self.events, self.personas, self.seed, self.now)
        assert pace is not None, "nobody can move and the pacer has nothing to do"
        self.play(FACILITATOR, pace)

    def run(self, *, until: Callable[[MatchState], bool] | None = None, limit: int = 3000) -> "Driver":
        for _ in range(limit):
            if self.state.status == "finished" or (until is not None and until(self.state)):
                return self
            self.step()
        raise AssertionError("the match did not finish")


@pytest.fixture
def driver() -> type[Driver]:
    return Driver


def offers_by(events: list[Event], team: str) -> list[Event]:
    return [e for e in events if e.type == "offer_proposed" and e.team == team]
