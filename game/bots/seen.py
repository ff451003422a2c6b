"""What one team has seen: a single pass over the events it may see (public and its own caucus).

The bot decides from this digest and from the public parts of the state (offers, what the other
team has committed or shown) plus its own team's private state, never from the other team's
caucus, points sheet or unshown deliverables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from game.engine import Event
from game.scenario import Scenario

FLOOR_EVENTS = frozenset({"offer_proposed", "offer_accepted", "offer_rejected", "offer_withdrawn", "statement_made", "recess_called"})
TABLE_EVENTS = FLOOR_EVENTS | {"deliverable_committed", "capability_shown", "probe_made", "escalated"}


@dataclass
class Seen:
    team: str
    injects: list[tuple[str, int, int]] = field(default_factory=list)  # (inject, round pushed, seq)
    probes: dict[str, int] = field(default_factory=dict)  # issue -> seq of our probe
    answers: dict[str, str] = field(default_factory=dict)  # issue -> the answer to our probe
    floor_seqs: list[int] = field(default_factory=list)  # every floor-passing event, both teams
    our_floor_seqs: list[int] = field(default_factory=list)
    our_alignment_seqs: list[int] = field(default_factory=list)  # capability_shown without a card
    our_statement_seqs: list[int] = field(default_factory=list)
    levels_this_round: set[str] = field(default_factory=set)  # levels of our seats heard at the table this round
    aligned_shown_this_round: bool = False  # we articulated our alignment at the table this round
    probes_this_round: int = 0

    def exchanges_since(self, seq: int) -> int:
        return sum(1 for s in self.floor_seqs if s > seq)

    def last_floor_move(self) -> int:
        return self.our_floor_seqs[-1] if self.our_floor_seqs else 0

    def our_turns_since(self, seq: int) -> int:
        return sum(1 for s in self.our_floor_seqs if s > seq)

    def stated_since(self, seq: int) -> bool:
        return any(s > seq for s in self.our_statement_seqs)


def digest(scenario: Scenario, events: Iterable[Event], team: str, current_round: int) -> Seen:
    seen = Seen(team)
    private = f"team:{team}"
    levels = {r.id: r.level for r in scenario.roles}
    relevant = TABLE_EVENTS | {"inject_pushed", "probe_answered"}
    for e in events:
        t = e.type
        if t not in relevant or (e.visibility != "public" and e.visibility != private):
            continue
        if t == "inject_pushed":
            seen.injects.append((e.data["inject"], e.round, e.seq))
        elif t == "probe_answered":
            if e.team != team:  # the other team answering our probe
                seen.answers[e.data["issue"]] = e.data["answer"]
        if t in TABLE_EVENTS:
            if t in FLOOR_EVENTS:
                seen.floor_seqs.append(e.seq)
            if e.team == team:
                this_round = e.round == current_round
                if t in FLOOR_EVENTS:
                    seen.our_floor_seqs.append(e.seq)
                    if t == "statement_made":
                        seen.our_statement_seqs.append(e.seq)
                elif t == "probe_made":
                    seen.probes.setdefault(e.data["issue"], e.seq)
                    seen.probes_this_round += this_round
                elif t == "capability_shown" and not e.data.get("deliverable"):
                    seen.our_alignment_seqs.append(e.seq)
                    seen.aligned_shown_this_round |= this_round
                if this_round and e.actor in levels:
                    seen.levels_this_round.add(levels[e.actor])
    return seen
