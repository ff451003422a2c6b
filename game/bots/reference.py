"""Reference opponents: independent, textbook negotiating agents to measure the bot against.

They are outsiders to this project's ideas: they skip the caucus, never show or commit a card, know
only their own points sheet and BATNA (their reservation), and act at the table only.

- boulware, linear, conceder: time-dependent agents (Faratin et al.). Target
  T(t) = BATNA + (100 - BATNA)(1 - t^(1/e)) with e = 0.2 (firm until late), 1 and 2 (concedes
  early); t is the game clock the bot uses. Each bid is a package whose value lies in a narrow band
  just above the target, drawn at random (seeded), so they explore the space issue by issue the way
  an agent without an opponent model does. They accept an offer worth at least their next bid, and
  at the deadline anything worth at least their BATNA.
- tit_for_tat: relative tit-for-tat. It opens with its ideal package and gives up, on its own sheet,
  as many points as the other side's offers have given it since their first one; it accepts an offer
  worth at least its next bid, and at the deadline anything worth at least its BATNA.
- random_acceptor: proposes random packages worth at least its BATNA and accepts any offer worth at
  least its BATNA with even odds (seeded).
- hardliner: never moves (the never_concede baseline): its ideal package, every offer rejected.

Each has the team-policy signature of game.bots.play (scenario, state, events, team, seed, now,
bot_seats) -> (seat, move) | None.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence

from game.bots.baselines import floor_seats, ladder, never_concede, our_offer, their_offer
from game.bots.space import space_of
from game.bots.strategy import concession_target, game_clock, rng_for
from game.engine import Event, MatchState, Move
from game.engine.moves import Accept, Propose, Reject, Statement
from game.scenario import IDEAL_POINTS, Scenario

BID_BAND = 3  # a time-dependent agent bids a package worth at most this many points above its target

# (scenario, state, events, team) -> the points the agent asks for now, on its own sheet
Asking = Callable[[Scenario, MatchState, Sequence[Event], str], float]


def _bid(scenario: Scenario, team: str, target: float, seed: int, salt: str, version: int) -> tuple[int, ...]:
    """A package worth at least `target`, at most BID_BAND above the cheapest such value, drawn at random."""
    order, points = ladder(scenario, team)
    low = min(bisect_left(points, target), len(order) - 1)
    high = bisect_left(points, points[low] + BID_BAND + 1)
    rng = rng_for(seed, salt, team, version)
    return space_of(scenario).table().choice(order[rng.randrange(low, max(low + 1, high))])


def _asking_agent(name: str, asking: Asking) -> Callable:
    """An agent that bids just above what `asking` says and accepts what is worth at least that."""

    def agent(scenario, state, events: Sequence[Event], team, seed, now, bot_seats: Collection[str] | None = None) -> tuple[str, Move] | None:
        seats = floor_seats(scenario, state, team, bot_seats)
        if not seats:
            return None
        space = space_of(scenario)
        batna = scenario.team(team).batna
        target = max(float(batna), asking(scenario, state, events, team))
        theirs, mine = their_offer(scenario, state, team), our_offer(state, team)
        if theirs is not None:
            value = space.value(team, space.choice(theirs.package))
            if value >= target or (game_clock(scenario, state).deadline and value >= batna):
                return seats[0], Accept(offer=theirs.id, note=f"{name}: {theirs.id} is worth {value}, at least our target {target:.0f}.")
        mine_choice = space.choice(mine.package) if mine is not None else None
        choice = _bid(scenario, team, target, seed, name, state.version)
        if mine_choice is not None and space.value(team, mine_choice) >= target and space.value(team, mine_choice) <= space.value(team, choice):
            choice = mine_choice  # our standing offer already meets the target: let it stand
        if choice != mine_choice:
            return seats[0], Propose(package=space.package(choice), note=f"{name}: target {target:.0f}.")
        if theirs is not None:
            return seats[0], Reject(offer=theirs.id, reason="It does not meet our target.", note=f"{name}: target {target:.0f}.")
        return seats[0], Statement(text="Our offer stands.", note=f"{name}: target {target:.0f}.")

    agent.__name__ = name
    return agent


def _time_based(e: float) -> Asking:
    def asking(scenario, state, events, team) -> float:
        return concession_target(scenario.team(team).batna, game_clock(scenario, state).t, e)

    return asking


def _tit_for_tat(scenario, state, events, team) -> float:
    space = space_of(scenario)
    other = scenario.other_team(team)
    values = [space.value(team, space.choice(o.package)) for o in sorted(state.offers.values(), key=lambda o: o.seq) if o.team == other]
    given = max(0, values[-1] - values[0]) if values else 0
    return float(IDEAL_POINTS - given)


def random_acceptor(scenario, state, events: Sequence[Event], team, seed, now, bot_seats: Collection[str] | None = None) -> tuple[str, Move] | None:
    seats = floor_seats(scenario, state, team, bot_seats)
    if not seats:
        return None
    space = space_of(scenario)
    batna = scenario.team(team).batna
    rng = rng_for(seed, "random_acceptor", team, state.version)
    theirs, mine = their_offer(scenario, state, team), our_offer(state, team)
    if theirs is not None:
        value = space.value(team, space.choice(theirs.package))
        if value >= batna and rng.random() < 0.5:
            return seats[0], Accept(offer=theirs.id, note=f"Random acceptor: {theirs.id} is worth {value}, at least our BATNA; the coin said yes.")
    order, points = ladder(scenario, team)
    low = bisect_left(points, batna)
    while True:
        package = space.package(space.table().choice(order[rng.randrange(low, len(order))]))
        if mine is None or package != mine.package:
            return seats[0], Propose(package=package, note="Random acceptor: a random package worth at least our BATNA.")


REFERENCE_OPPONENTS: dict[str, Callable] = {
    "boulware": _asking_agent("boulware", _time_based(0.2)),
    "linear": _asking_agent("linear", _time_based(1.0)),
    "conceder": _asking_agent("conceder", _time_based(2.0)),
    "tit_for_tat": _asking_agent("tit_for_tat", _tit_for_tat),
    "random_acceptor": random_acceptor,
    "hardliner": never_concede,
}
