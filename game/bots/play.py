"""The bot's public entry points: one seat's next move, the first of several seats', a whole team's, the
pacer, and a whole game.

Every function is a pure function of its arguments (the scenario, the state, the log, the seats, the
persona, the match seed and `now`): the same inputs give the same move. Nothing here catches a
MoveError: a bot move the engine refuses is a bug.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from game.bots.epilogue import epilogue_move
from game.bots.table import table_plan
from game.bots.team import caucus_move
from game.engine import FACILITATOR, Event, MatchSetup, MatchState, Move, apply_move, new_state, seat_team, visible_events
from game.engine.moves import Advance, Start
from game.engine.flow import PHASE_TITLES
from game.engine.words import gettext_noop, sentence
from game.scenario import Scenario
from game.scenario.schema import Persona

# A player policy for a team: (scenario, state, events, team, seed, now, bot_seats) -> (seat, move) | None
TeamPolicy = Callable[[Scenario, MatchState, Sequence[Event], str, int, float, Collection[str] | None], "tuple[str, Move] | None"]


# The events after which every bot seat decides as it did before them, so a server need not ask it
# again: a chat only adds to the log (game.engine.fold.LOG_ONLY) and no bot reads one.
UNMOVED_BY = frozenset({"chat_posted"})


def resolve_persona(scenario: Scenario, team: str, persona_id: str | None) -> Persona:
    """The persona to play: an id of the scenario; else a difficulty ("easy", "medium", "hard") picks the
    team's persona of that difficulty; else (unknown or empty) the team's medium persona, or its first."""
    for p in scenario.personas:
        if p.id == persona_id:
            return p
    fits = scenario.personas_for(team)
    return next((p for p in fits if p.difficulty == persona_id), None) or next(
        (p for p in fits if p.difficulty == "medium"), fits[0]
    )


def decide(
    scenario: Scenario,
    state: MatchState,
    events: Sequence[Event],
    seat: str,
    persona_id: str,
    seed: int,
    now: float = 0.0,
    *,
    bot_seats: Collection[str] | None = None,
) -> Move | None:
    """The next move for the bot in `seat`, or None when it has nothing to do now.

    `bot_seats` lists every seat played by a bot (None: every seat of this seat's team is a bot).
    In a mixed team the bots leave drafting the mandate, and the table at a human's level, to the humans.
    """
    return _seat_move(scenario, state, events, seat, persona_id, seed, bot_seats, {})


def first_move(
    scenario: Scenario,
    state: MatchState,
    events: Sequence[Event],
    seats: Sequence[tuple[str, str]],
    seed: int,
    now: float = 0.0,
    *,
    bot_seats: Collection[str] | None = None,
) -> tuple[int, Move] | None:
    """(index in `seats`, move) of the first of these (seat, persona id) pairs whose bot has a move,
    or None: what `decide` answers for each seat in turn, each seeing what its seat may see, with a
    team's plan at the table made once for all its seats. `events` is the whole log."""
    plans: dict[tuple[str, str], tuple[str, Move] | None] = {}
    seen: dict[str | None, Sequence[Event]] = {}  # what one seat of a team may see, every seat of it may (engine.can_see)
    for index, (seat, persona_id) in enumerate(seats):
        team = seat_team(scenario, seat)
        if team not in seen:
            seen[team] = visible_events(scenario, events, seat)
        move = _seat_move(scenario, state, seen[team], seat, persona_id, seed, bot_seats, plans)
        if move is not None:
            return index, move
    return None


def _seat_move(
    scenario: Scenario,
    state: MatchState,
    events: Sequence[Event],
    seat: str,
    persona_id: str,
    seed: int,
    bot_seats: Collection[str] | None,
    plans: dict[tuple[str, str], tuple[str, Move] | None],
) -> Move | None:
    """`decide`, keeping each (team, persona)'s plan for the table or the epilogue in `plans`: one
    plan names the seat that moves, the same for every seat of the team asking at this state."""
    team = seat_team(scenario, seat)
    if team is None or state.status != "running":
        return None
    if bot_seats is not None and seat not in bot_seats:
        bot_seats, plans = [*bot_seats, seat], {}  # the team as this seat's bot sees it: a plan of its own
    persona = resolve_persona(scenario, team, persona_id)
    if state.phase == "caucus":
        return caucus_move(scenario, state, events, seat, persona, seed, bot_seats)
    key = (team, persona.id)
    if key not in plans:
        if state.phase == "table":
            plans[key] = table_plan(scenario, state, events, team, persona, seed, bot_seats)
        elif state.phase == "epilogue":
            plans[key] = epilogue_move(scenario, state, team, persona, bot_seats)
        else:
            plans[key] = None
    plan = plans[key]
    return plan[1] if plan is not None and plan[0] == seat else None


def team_move(
    scenario: Scenario,
    state: MatchState,
    events: Sequence[Event],
    team: str,
    persona_id: str,
    seed: int,
    now: float = 0.0,
    bot_seats: Collection[str] | None = None,
) -> tuple[str, Move] | None:
    """The next move of any of the team's bot seats (in role order), with the seat that makes it."""
    if state.status != "running":
        return None
    persona = resolve_persona(scenario, team, persona_id)
    if state.phase == "caucus":
        for role in scenario.roles_of(team):
            if bot_seats is None or role.id in bot_seats:
                move = caucus_move(scenario, state, events, role.id, persona, seed, bot_seats)
                if move is not None:
                    return role.id, move
        return None
    if state.phase == "table":
        return table_plan(scenario, state, events, team, persona, seed, bot_seats)
    if state.phase == "epilogue":
        return epilogue_move(scenario, state, team, persona, bot_seats)
    return None


def bot_pacer_move(
    scenario: Scenario,
    state: MatchState,
    bot_seats: Collection[str],
    events: Sequence[Event] = (),
    personas: Mapping[str, str] | None = None,
    seed: int = 0,
    now: float = 0.0,
) -> Move | None:
    """When a game run by bots should move on: start it, leave a briefing or a review at once, and end
    a caucus or a table phase when no bot seat has anything left to do in it. Apply the move as the
    facilitator or as a seat in `state.pacers`. `personas` (team -> persona id) defaults to each
    team's first persona. Humans, if any, pace themselves: call this only for seats nobody waits on.
    """
    if state.status == "lobby":
        return Start(note=sentence(gettext_noop("Bot pacer: every seat is ready.")))
    if state.status != "running":
        return None
    if state.phase in ("briefing", "review"):
        return Advance(note=sentence(gettext_noop("Bot pacer: nothing for bots to do in the %(phase)s phase."), phase=sentence(PHASE_TITLES[state.phase])))
    for team in scenario.team_ids():
        seats = [r.id for r in scenario.roles_of(team) if r.id in bot_seats]
        if not seats:
            continue
        persona_id = (personas or {}).get(team) or scenario.personas_for(team)[0].id
        if team_move(scenario, state, events, team, persona_id, seed, now, bot_seats) is not None:
            return None
    return Advance(note=sentence(gettext_noop("Bot pacer: every bot seat has finished the %(phase)s phase."), phase=sentence(PHASE_TITLES[state.phase])))


# --- whole games ------------------------------------------------------------------------------------
SeatPolicy = Callable[[Scenario, MatchState, Sequence[Event], str, int, float, Collection[str] | None], "Move | None"]


@dataclass(frozen=True)
class Player:
    """How a team is played in a whole game: its table policy, and (bots only) its caucus seat by seat."""

    name: str
    team_move: TeamPolicy
    caucus_move: SeatPolicy | None = None


def resolve_player(scenario: Scenario, player: str) -> Player:
    """A player for a persona id of the scenario, or for a baseline name (see game.bots.baselines)."""
    if any(p.id == player for p in scenario.personas):
        persona = scenario.persona(player)

        def bot(sc, state, events, team, seed, now, bot_seats):
            return team_move(sc, state, events, team, player, seed, now, bot_seats)

        def seat(sc, state, events, seat_id, seed, now, bot_seats):
            return caucus_move(sc, state, events, seat_id, persona, seed, bot_seats)

        return Player(player, bot, seat)
    from game.bots.baselines import BASELINES
    from game.bots.reference import REFERENCE_OPPONENTS

    outsiders = {**BASELINES, **REFERENCE_OPPONENTS}
    if player in outsiders:
        return Player(player, outsiders[player])
    known = ", ".join([p.id for p in scenario.personas] + sorted(outsiders))
    raise ValueError(f"unknown persona or baseline {player!r} (known: {known})")


def resolve_policy(scenario: Scenario, player: str) -> TeamPolicy:
    return resolve_player(scenario, player).team_move


MAX_STEPS = 5000


def play_game(
    scenario: Scenario,
    personas: Mapping[str, str | Player],
    seed: int,
    human_seats: Iterable[str] = (),
    *,
    start_at: float = 0.0,
    epilogue: bool = False,
) -> list[Event]:
    """Play a whole game through apply_move, bots in every seat but `human_seats` (which never move).

    `personas` maps each team to a persona id of the scenario or a baseline name ("random",
    "always_concede", "never_concede") or a `Player`; a team left out is all human. A facilitator-seat pacer moves
    the game on whenever no bot has anything to do. Deterministic in its arguments; the clock is a
    counter (one second per move). With `epilogue`, a deal opens the scenario's epilogue, where every
    bot team answers the pressures put to it.
    """
    humans = set(human_seats)
    bot_seats = [r.id for r in scenario.roles if r.id not in humans]
    players = {team: p if isinstance(p := personas[team], Player) else resolve_player(scenario, p)
               for team in scenario.team_ids() if team in personas}
    seats_of = {team: [r.id for r in scenario.roles_of(team) if r.id in bot_seats] for team in players}
    state = new_state(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed, epilogue=epilogue))
    events: list[Event] = []
    now = start_at
    steps = 0

    def play(seat: str, move: Move) -> None:
        nonlocal state, now, steps
        steps += 1
        if steps > MAX_STEPS:
            raise RuntimeError(f"bot game did not finish in {MAX_STEPS} moves (a bot is looping)")
        now += 1.0
        transition = apply_move(scenario, state, seat, move, now)
        state = transition.after
        events.extend(transition.events)

    play(FACILITATOR, Start(note="Bot game: every seat is filled."))
    while state.status != "finished":
        acted = False
        if state.phase == "caucus":
            # Sweep the bot seats, each making every move it has, until a sweep changes nothing.
            for team, player in players.items():
                if player.caucus_move is None:
                    continue
                for seat in seats_of[team]:
                    while state.phase == "caucus" and (move := player.caucus_move(scenario, state, events, seat, seed, now, bot_seats)) is not None:
                        play(seat, move)
                        acted = True
        elif state.phase == "epilogue":
            for team, player in players.items():
                if seats_of[team] and (planned := player.team_move(scenario, state, events, team, seed, now, bot_seats)) is not None:
                    play(*planned)
                    acted = True
                    break
        elif state.phase == "table" and state.floor in players and seats_of[state.floor]:
            planned = players[state.floor].team_move(scenario, state, events, state.floor, seed, now, bot_seats)
            if planned is not None:
                play(*planned)
                acted = True
        if not acted:
            play(FACILITATOR, Advance(note="Bot game pacer: no bot has anything left to do in this phase."))
    return events
