"""What the state says about a team, in the words the rules use: defined once, read by the engine's
callers (scoring, the bots, replays, pages) instead of each re-deriving it from the state or the log."""

from __future__ import annotations

from game.engine.state import MatchState
from game.scenario import Scenario

# The events the game's own pacing writes (its start, each phase, its end): whoever pressed "advance"
# caused them, but they are the game's, not a move of that seat.
PACING_EVENTS = frozenset({"match_started", "phase_started", "game_ended"})


def not_endorsed(scenario: Scenario, state: MatchState, team: str) -> list[str]:
    """The team's roles (in scenario order) whose endorsement of its current mandate is missing;
    every role when there is no mandate. The drafter's endorsement is implied by the draft."""
    ts = state.teams[team]
    mandate = ts.mandate
    if mandate is None:
        return [r.id for r in scenario.roles if r.team == team]
    stances = ts.stances
    return [
        r.id for r in scenario.roles
        if r.team == team and ((s := stances.get(r.id)) is None or not s.endorse or s.version != mandate.version)
    ]


def mandate_covers_agenda(scenario: Scenario, state: MatchState, team: str) -> bool:
    """Whether the team's mandate sets lines for every issue on the current round's agenda."""
    mandate = state.teams[team].mandate
    if mandate is None:
        return False
    rounds = scenario.rounds
    agenda = rounds[state.round].agenda if state.round < len(rounds) else ()
    return all(i in mandate.issues for i in agenda)
