"""Simple baselines to measure the bot against. They skip the caucus entirely and act at the table only.

- random: a uniformly random legal table move (random package, random probe, ...) by a random seat
  that may act; accepts or rejects at random.
- always_concede: concedes on every turn, evenly from its ideal package down to its BATNA over its
  expected number of turns, with no opponent model (the package just above its falling target), and
  accepts any offer worth at least its BATNA.
- never_concede: proposes its ideal package, rejects everything, never accepts.

Each has the team-policy signature of game.bots.play (scenario, state, events, team, seed, now,
bot_seats) -> (seat, move) | None.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence

from game.bots.space import space_of
from game.bots.strategy import game_clock, rng_for
from game.bots.team import may_speak
from game.engine import Event, MatchState, Move, legal_moves
from game.engine.moves import (
    Accept,
    CommitDeliverable,
    Escalate,
    Probe,
    Propose,
    Recess,
    Reject,
    ShowCapability,
    Statement,
    Withdraw,
)
from game.scenario import IDEAL_POINTS, Scenario


def my_floor(state: MatchState, team: str) -> bool:
    return state.status == "running" and state.phase == "table" and state.floor == team


def speaking_seats(scenario: Scenario, state: MatchState, team: str, bot_seats: Collection[str] | None) -> list[str]:
    return [r.id for r in scenario.roles_of(team) if (bot_seats is None or r.id in bot_seats) and may_speak(scenario, state, r)]


def floor_seats(scenario: Scenario, state: MatchState, team: str, bot_seats: Collection[str] | None) -> list[str]:
    """The seats that may speak for `team` now, or [] when it does not hold the floor at the table."""
    return speaking_seats(scenario, state, team, bot_seats) if my_floor(state, team) else []


def their_offer(scenario: Scenario, state: MatchState, team: str):
    oid = state.teams[scenario.other_team(team)].standing_offer
    return state.offers[oid] if oid else None


def our_offer(state: MatchState, team: str):
    oid = state.teams[team].standing_offer
    return state.offers[oid] if oid else None


def random_player(scenario, state, events: Sequence[Event], team, seed, now, bot_seats=None) -> tuple[str, Move] | None:
    if not my_floor(state, team):
        return None
    rng = rng_for(seed, "random", team, state.version)
    space = space_of(scenario)
    seats = [r.id for r in scenario.roles_of(team) if bot_seats is None or r.id in bot_seats]
    rng.shuffle(seats)
    for seat in seats:
        kinds = [k for k in legal_moves(scenario, state, seat, now) if k != "team_chat"]
        if not kinds:
            continue
        kind = rng.choice(kinds)
        note = f"Random baseline: a uniformly random legal move ({kind})."
        theirs, mine = their_offer(scenario, state, team), our_offer(state, team)
        if kind == "propose":
            while True:
                choice = tuple(rng.randrange(len(o)) for o in space.options)
                package = space.package(choice)
                if mine is None or package != mine.package:
                    return seat, Propose(package=package, note=note)
        if kind == "accept":
            return seat, Accept(offer=theirs.id, note=note)
        if kind == "reject":
            return seat, Reject(offer=theirs.id, reason="Not this package.", note=note)
        if kind == "withdraw":
            return seat, Withdraw(offer=mine.id, note=note)
        if kind == "commit_deliverable":
            ready = [d for d, ds in state.teams[team].deliverables.items() if ds.status == "prepared"]
            return seat, CommitDeliverable(deliverable=rng.choice(sorted(ready)), note=note)
        if kind == "show_capability":
            return seat, ShowCapability(deliverable=None, text="We are ready to negotiate.", note=note)
        if kind == "probe":
            return seat, Probe(issue=rng.choice(space.issues), question="What matters to you here?", note=note)
        if kind == "statement":
            return seat, Statement(text="We continue to listen.", note=note)
        if kind == "recess":
            return seat, Recess(reason="We need to consult.", note=note)
        if kind == "escalate":
            return seat, Escalate(note=note)
    return None


_LADDERS: dict[tuple[int, str], tuple[list[int], list[int]]] = {}


def ladder(scenario: Scenario, team: str) -> tuple[list[int], list[int]]:
    """Every package index sorted by our points (ascending), and those points, for bisection."""
    space = space_of(scenario)
    key = (id(space), team)
    if key not in _LADDERS:
        points = space.table().points[team]
        order = sorted(range(len(points)), key=lambda n: (points[n], n))
        _LADDERS[key] = (order, [points[n] for n in order])
    return _LADDERS[key]


def always_concede(scenario, state, events: Sequence[Event], team, seed, now, bot_seats=None) -> tuple[str, Move] | None:
    seats = floor_seats(scenario, state, team, bot_seats)
    if not seats:
        return None
    space = space_of(scenario)
    batna = scenario.team(team).batna
    theirs = their_offer(scenario, state, team)
    if theirs is not None:
        value = space.value(team, space.choice(theirs.package))
        if value >= batna:
            return seats[0], Accept(offer=theirs.id, note=f"Always-concede baseline: {theirs.id} is worth {value}, at least our BATNA {batna}.")
    clock = game_clock(scenario, state)
    turns = max(1, clock.total // 2)
    made = sum(1 for o in state.offers.values() if o.team == team)
    target = IDEAL_POINTS - (IDEAL_POINTS - batna) * min(1.0, made / turns)
    order, points = ladder(scenario, team)
    at = min(bisect_left(points, target), len(order) - 1)
    package = space.package(space.table().choice(order[at]))
    mine = our_offer(state, team)
    if mine is not None and mine.package == package:
        package = space.package(space.table().choice(order[max(0, at - 1)]))
        if mine.package == package:
            return seats[0], Statement(text="Our offer stands.", note="Always-concede baseline: nothing lower to offer.")
    return seats[0], Propose(package=package, note=f"Always-concede baseline: target {target:.0f}, conceding evenly to our BATNA.")


def never_concede(scenario, state, events: Sequence[Event], team, seed, now, bot_seats=None) -> tuple[str, Move] | None:
    seats = floor_seats(scenario, state, team, bot_seats)
    if not seats:
        return None
    space = space_of(scenario)
    ideal = space.package(space.ideal(team))
    mine, theirs = our_offer(state, team), their_offer(scenario, state, team)
    if mine is None or mine.package != ideal:
        return seats[0], Propose(package=ideal, note="Never-concede baseline: our ideal package, always.")
    if theirs is not None:
        return seats[0], Reject(offer=theirs.id, reason="Only our own package will do.", note="Never-concede baseline.")
    return seats[0], Statement(text="Our offer stands.", note="Never-concede baseline.")


BASELINES = {"random": random_player, "always_concede": always_concede, "never_concede": never_concede}
