"""Learn from your mistakes: the positions of a player's most costly moves ("?" and "??"), each with
other moves to choose from, every choice scored by the same rubric as the game (game.scoring).

    positions = drill(scenario, setup, events, seat)   # at most three, most costly first

A position is the game just before the marked move. Its choices are the move that was played and the
moves the team's bot personas would make there (the engine applies each to the position); a choice's
points are the rubric's annotations of that move, credited to the seat, when it is made. Only marks
the rubric gives at the move itself are drilled, so that every choice is judged the same way.
Pure: the same log gives the same drill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from game.bots.play import decide, team_move
from game.engine import Event, MatchSetup, MoveError, apply_move, replay, visible_events
from game.scenario import Scenario
from game.scoring import score_match
from game.scoring.annotations import Annotation

MISTAKES = ("??", "?")
SIZE = 3
SEEDS = (0, 1)  # each persona decides with two seeds: a few more distinct moves to choose from


@dataclass(frozen=True)
class Choice:
    events: list[Event]  # what the move records (its first event describes it)
    points: int  # the rubric's points for the move, credited to the seat
    marks: list[str]
    played: bool = False  # the move that was made in the game


@dataclass(frozen=True)
class Position:
    seq: int  # the marked move's event
    round: int
    phase: str
    before: list[Event]  # the log up to the move (what the seat saw is the caller's to filter)
    mistake: list[Annotation]  # the rubric's marks of the move played (its reasons are shown after the answer)
    choices: list[Choice] = field(default_factory=list)


def _scored(scenario: Scenario, before: Sequence[Event], new: Sequence[Event], seat: str) -> tuple[int, list[str]]:
    """The rubric's points and marks for the move that made `new`, credited to `seat`, when made."""
    seqs = {e.seq for e in new}
    notes = [a for a in score_match(scenario, [*before, *new]).annotations if a.seq in seqs and a.scored_at in seqs and a.seat == seat]
    return sum(a.delta for a in notes), [a.mark for a in notes]


def drill(scenario: Scenario, setup: MatchSetup, events: Sequence[Event], seat: str, *, size: int = SIZE) -> list[Position]:
    """The positions of `seat`'s `size` most costly moves marked "?" or "??" (most costly first)."""
    events = list(events)
    by_seq = {e.seq: e for e in events}
    marked: dict[int, list[Annotation]] = {}
    for a in score_match(scenario, events).annotations:
        if a.seat == seat and a.scored_at == a.seq and a.seq in by_seq and by_seq[a.seq].actor == seat:
            marked.setdefault(a.seq, []).append(a)
    costly = sorted(
        (seq for seq, notes in marked.items() if any(a.mark in MISTAKES for a in notes)),
        key=lambda seq: (sum(a.delta for a in marked[seq]), seq),
    )[:size]
    team = next(r.team for r in scenario.roles if r.id == seat)
    positions = []
    for seq in costly:
        before = events[: seq - 1]
        state = replay(scenario, setup, before)
        # The move played: its first event and those that follow it at once, by the same actor.
        move_events = [by_seq[seq]]
        for e in events[seq:]:
            if e.at != by_seq[seq].at or e.actor != seat:
                break
            move_events.append(e)
        points, marks = _scored(scenario, before, move_events, seat)
        choices = [Choice(move_events, points, marks, played=True)]
        seen = {_key(move_events)}
        sight = visible_events(scenario, before, seat)
        for persona in scenario.personas_for(team):
            for seed in SEEDS:
                # The move the persona's team would make here, made by this seat.
                planned = decide(scenario, state, sight, seat, persona.id, seed + setup.seed, by_seq[seq].at)
                if planned is None:
                    team_plan = team_move(scenario, state, sight, team, persona.id, seed + setup.seed, by_seq[seq].at)
                    planned = team_plan[1] if team_plan is not None else None
                if planned is None:
                    continue
                move = planned
                try:
                    new = apply_move(scenario, state, seat, move, by_seq[seq].at).events
                except MoveError:
                    continue
                if _key(new) in seen:
                    continue
                seen.add(_key(new))
                points, marks = _scored(scenario, before, new, seat)
                choices.append(Choice(list(new), points, marks))
        positions.append(Position(seq, by_seq[seq].round, by_seq[seq].phase, before, marked[seq], _ordered(choices)))
    return positions


def _key(events: Sequence[Event]) -> tuple:
    """What makes two moves the same move (their events' types and data)."""
    return tuple((e.type, repr(sorted(e.data.items()))) for e in events[:1])


def _ordered(choices: list[Choice]) -> list[Choice]:
    """A stable order that does not give the played move away: by the kind and content of each move."""
    return sorted(choices, key=lambda c: (c.events[0].type, repr(sorted(c.events[0].data.items()))))
