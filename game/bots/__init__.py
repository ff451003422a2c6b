"""The bot: one model that plays any seat, deterministic for a seed. Pure: stdlib, pydantic and the core.

    decide(scenario, state, events, seat, persona_id, seed, now) -> Move | None   # one bot seat
    first_move(scenario, state, events, [(seat, persona_id)], seed, now)           # -> (index, Move) | None
    UNMOVED_BY                                                                     # events no decision depends on
    team_move(scenario, state, events, team, persona_id, seed, now, bot_seats)     # -> (seat, Move) | None
    bot_pacer_move(scenario, state, bot_seats, events, personas, seed, now)        # start / advance
    play_game(scenario, {team: persona_id}, seed, human_seats=()) -> list[Event]   # a whole game
    persona_quiz(scenario, team, persona_id)                                       # "which persona was it?"

See docs/bots.md for the strategy, the personas and measured quality.
"""

from game.bots.baselines import BASELINES
from game.bots.play import UNMOVED_BY, bot_pacer_move, decide, first_move, play_game, resolve_policy, team_move
from game.bots.quiz import PersonaQuiz, persona_quiz
from game.bots.space import space_of

__all__ = ["BASELINES", "UNMOVED_BY", "PersonaQuiz", "bot_pacer_move", "decide", "first_move", "persona_quiz", "play_game", "resolve_policy", "space_of", "team_move"]
