"""Rebuild any match from its setup and its events: the log is the source of truth."""

from __future__ import annotations

from collections.abc import Iterable

from game.engine.fold import fold_event, new_state, only_add_to_log
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
