"""What one team has seen at the table, read from the engine's state (never from the log).

The engine folds each team's table record into the state (its floor moves, statements,
articulations of alignment, probes, the levels heard this round, and when each inject landed): all
of it public at the table. The answer to a probe is a function of the case (`probe_answer`). The bot decides from this, from the public
parts of the state (offers, what the other team has committed or shown) and from its own team's
private state, never from the other team's caucus, points sheet or unshown deliverables.
"""

from __future__ import annotations

from functools import cached_property

from game.engine import MatchState, probe_answer
from game.scenario import Scenario


class Seen:
    def __init__(self, scenario: Scenario, state: MatchState, team: str):
        ts = state.teams[team]
        self.scenario = scenario
        self.team = team
        self.injects = [(i, *state.landed[i]) for i in state.injects if i in state.landed]  # (inject, round, seq)
        self.probes: dict[str, int] = {}  # issue -> seq of our first probe of it
        for issue, seq in ts.probes:
            self.probes.setdefault(issue, seq)
        self.floor_seqs = sorted(seq for t in state.teams.values() for seq in t.floor_seqs)  # both teams
        self.our_floor_seqs = ts.floor_seqs
        self.our_alignment_seqs = ts.alignment_seqs
        self.our_statement_seqs = ts.statement_seqs
        self.levels_this_round = set(ts.levels_heard)
        self.aligned_shown_this_round = any(seq > state.round_seq for seq in ts.alignment_seqs)
        self.probes_this_round = sum(1 for _, seq in ts.probes if seq > state.round_seq)

    @cached_property
    def answers(self) -> dict[str, str]:
        """Issue -> the other team's answer to our probe (a function of the case: the engine's probe_answer)."""
        other = self.scenario.other_team(self.team)
        return {issue: probe_answer(self.scenario, other, issue) for issue in self.probes}

    def exchanges_since(self, seq: int) -> int:
        return sum(1 for s in self.floor_seqs if s > seq)

    def last_floor_move(self) -> int:
        return self.our_floor_seqs[-1] if self.our_floor_seqs else 0

    def our_turns_since(self, seq: int) -> int:
        return sum(1 for s in self.our_floor_seqs if s > seq)

    def stated_since(self, seq: int) -> bool:
        return any(s > seq for s in self.our_statement_seqs)
