"""Rebuild any match from its setup and its events: the log is the source of truth."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from game.engine.fold import fold_event, new_state, only_add_to_log
from game.engine.state import SYSTEM, Event, MatchSetup, MatchState
from game.scenario import Scenario


def replay(scenario: Scenario, setup: MatchSetup, events: Iterable[Event]) -> MatchState:
    state = new_state(scenario, setup)
    for event in events:
        fold_event(scenario, state, event)
    return state


def replay_onto(scenario: Scenario, state: MatchState, events: Iterable[Event]) -> MatchState:
    """The state after `events`, folded onto a copy of `state` (left unchanged): how a holder of the
    state at one version catches up with the log without reading the whole of it again."""
    events = list(events)
    # Events that only add to the log (a chat) change nothing but the version: a new top level is
    # copy enough (a server process catching up with another's move does this for every seat's table).
    if only_add_to_log(events):
        after = state.model_copy()
    else:
        after = MatchState.model_validate(state.model_dump())
    for event in events:
        fold_event(scenario, after, event)
    return after


def replay_states(scenario: Scenario, setup: MatchSetup, events: Iterable[Event]) -> Iterable[MatchState]:
    """The state after each event, in order (for stepping through a replay)."""
    state = new_state(scenario, setup)
    for event in events:
        fold_event(scenario, state, event)
        yield state.model_copy(deep=True)


def play_on(scenario: Scenario, setup: MatchSetup, events: Sequence[Event], step: int, now: float) -> tuple[list[Event], MatchState]:
    """The log and state of a new game that continues from the position after `events[:step]`:
    those events as they are, then a "played_on" event (none at step 0, which is the game before
    its start). `setup` is the new game's (its pacers, no phase clock). Raises ValueError for a step
    outside the log or a position where the game is already over."""
    if not 0 <= step <= len(events):
        raise ValueError(f"there is no step {step}: this game has steps 0 to {len(events)}")
    prefix = list(events[:step])
    state = replay(scenario, setup, prefix)
    if state.status == "finished":
        raise ValueError("the game is over at that step: choose an earlier one")
    if state.status == "lobby":
        return prefix, state
    branch = Event(
        seq=state.version + 1, type="played_on", actor=SYSTEM, team=None, round=state.round, phase=state.phase,
        at=now, data={"from_step": step},
    )
    fold_event(scenario, state, branch)
    return [*prefix, branch], state
