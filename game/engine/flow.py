"""The phase table: which moves each phase allows, and which phase follows which.

Declared as data (boardgame.io style) rather than nested ifs, so the order of a round can be read
in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.moves import CAUCUS_KINDS, EPILOGUE_KINDS, TABLE_KINDS, TEAM_FLOOR_KINDS
from game.engine.state import MatchState
from game.engine.words import gettext_noop
from game.scenario import Scenario


@dataclass(frozen=True)
class PhaseRule:
    title: str
    player_moves: frozenset[str]
    purpose: str


PHASES: dict[str, PhaseRule] = {
    "briefing": PhaseRule(gettext_noop("Briefing"), frozenset({"team_chat"}), "read the round's briefing and your confidential brief"),
    "caucus": PhaseRule(gettext_noop("Caucus"), CAUCUS_KINDS | TEAM_FLOOR_KINDS | {"team_chat"}, "align your own team in private before the table"),
    "table": PhaseRule(gettext_noop("Table"), TABLE_KINDS | TEAM_FLOOR_KINDS | {"team_chat"}, "both teams negotiate, taking the floor in turn"),
    "review": PhaseRule(gettext_noop("Round review"), frozenset({"team_chat"}), "look back at the round before the next one"),
    # After a deal, when the match plays the scenario's epilogue: not a phase of any round.
    "epilogue": PhaseRule(gettext_noop("Epilogue"), EPILOGUE_KINDS | {"team_chat"}, "answer the aftermath's pressure on your deal: hold, clarify or reopen"),
}
EPILOGUE = "epilogue"


PHASE_TITLES = {name: rule.title for name, rule in PHASES.items()}


def phase_allowing(kind: str) -> list[str]:
    return [name for name, rule in PHASES.items() if kind in rule.player_moves]


@dataclass(frozen=True)
class PhaseStep:
    round: int
    phase: str


def first_step(scenario: Scenario) -> PhaseStep:
    return PhaseStep(0, scenario.rounds[0].phases[0])


def next_step(scenario: Scenario, state: MatchState) -> PhaseStep | None:
    """The phase after the current one, or None when the last round is over (no deal)."""
    assert state.phase != EPILOGUE, "the epilogue is the last phase: it ends the game"
    phases = scenario.rounds[state.round].phases
    index = phases.index(state.phase)  # type: ignore[arg-type]
    if index + 1 < len(phases):
        return PhaseStep(state.round, phases[index + 1])
    if state.round + 1 < len(scenario.rounds):
        return PhaseStep(state.round + 1, scenario.rounds[state.round + 1].phases[0])
    return None


def recess_step(scenario: Scenario, state: MatchState) -> PhaseStep:
    """A recess sends both teams back to caucus (or, in a round without one, on to the review)."""
    phases = scenario.rounds[state.round].phases
    return PhaseStep(state.round, "caucus" if "caucus" in phases else phases[-1])


def progress(scenario: Scenario, state: MatchState) -> tuple[int, int]:
    """How far a game has come: (round, the current phase's place in that round)."""
    phases = scenario.rounds[state.round].phases
    return state.round, phases.index(state.phase) if state.phase in phases else 0  # type: ignore[arg-type]


def slowest(scenario: Scenario, states: dict[int, MatchState]) -> int | None:
    """Of several tables' states (by table id), the running table furthest behind (earliest round and
    phase; on a tie, the lowest id); None when no table is running."""
    running = [(progress(scenario, s), table) for table, s in states.items() if s.status == "running"]
    return min(running)[1] if running else None
