"""The rules of the game. Pure: stdlib and pydantic only; time and randomness are passed in.

    state = new_state(scenario, setup)
    t = apply_move(scenario, state, seat, move, now)   # -> Transition(before, after, events)
    legal_moves(scenario, state, seat); move_options(...)  # what a seat may do, and why not
    player_view(scenario, state, seat)                     # what a seat may see
    player_view(..., reasons=Reasons(scenario, state))     # ... every seat of one state, its reasons worked out once
    replay(scenario, setup, events) == state               # the log is the source of truth
    replay_onto(scenario, state_at_v, events_after_v)      # ... and catching up from a known version
"""

from game.engine.apply import Transition, apply_move, legal_moves, move_options, probe_answer, seat_team
from game.engine.errors import MoveError
from game.engine.flow import PHASE_TITLES
from game.engine.fold import new_state, only_add_to_log
from game.engine.moves import MOVE_ADAPTER, Move, parse_move
from game.engine.replay import play_on, replay, replay_onto, replay_states
from game.engine.state import FACILITATOR, SYSTEM, Event, MatchSetup, MatchState
from game.engine.view import OBSERVER, Reasons, can_see, player_view, shared_view, visible_events

__all__ = [
    "FACILITATOR", "MOVE_ADAPTER", "OBSERVER", "PHASE_TITLES", "SYSTEM", "Reasons", "Event", "MatchSetup", "MatchState", "Move", "MoveError",
    "Transition", "apply_move", "can_see", "legal_moves", "move_options", "new_state", "only_add_to_log", "parse_move", "player_view", "shared_view",
    "play_on", "probe_answer", "replay", "replay_onto", "replay_states", "seat_team", "visible_events",
]
