"""Rebuild any match from its setup and its events: the log is the source of truth."""

from __future__ import annotations

from collections.abc import Iterable

from game.engine.fold import fold_event, new_state
from game.engine.state import Event, MatchSetup, MatchState
from game.scenario import Scenario


def replay(scenario: Scenario, setup: MatchSetup, events: Iterable[Event]) -> MatchState:
    state = new_state(scenario, setup)
    for event in events:
        fold_event(scenario, state, event)
    return state


def replay_onto(scenario: Scenario, state: MatchState, events: Iterable[Event]) -> MatchState:
    """The state after `events`, folded onto a copy of `state` (left unchanged): how a holder of the
    state at one version catches up with the log without reading the whole of it again."""
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
