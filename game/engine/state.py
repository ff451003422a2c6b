"""The state of one match: plain, JSON-serialisable data, rebuilt at any time by folding its events."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from game.scenario.text import Text

FACILITATOR = "facilitator"
SYSTEM = "system"

Status = Literal["lobby", "running", "paused", "finished"]
DeliverableStatus = Literal["not_started", "in_preparation", "prepared", "committed"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class MatchSetup(_Data):
    """Everything a match needs besides its scenario and its events; fixed when the match is created."""

    scenario_id: str
    scenario_version: str
    seed: int = 0
    # Seats (besides the facilitator) allowed to pace the game: the trainee in practice mode.
    pacers: list[str] = Field(default_factory=list)
    # Seconds per phase; a missing phase has no deadline.
    phase_seconds: dict[str, int] = Field(default_factory=dict)
    # Whether a deal opens the scenario's epilogue instead of ending the game (the facilitator's choice).
    epilogue: bool = False


class Mandate(_Data):
    version: int
    round: int
    drafted_by: str
    issues: dict[str, dict[str, str]]  # issue -> {"target": option, "walkaway": option}


class Stance(_Data):
    endorse: bool
    reason: Text | str | None = None  # a bot's objection is a sentence said in each reader's language
    version: int


class DeliverableState(_Data):
    signed_by: list[str] = Field(default_factory=list)
    status: DeliverableStatus = "not_started"
    ready_round: int | None = None
    shown: bool = False  # put on the table: shown, or committed


class TeamState(_Data):
    mandate: Mandate | None = None
    stances: dict[str, Stance] = Field(default_factory=dict)
    priorities: dict[str, dict[str, int]] = Field(default_factory=dict)
    deliverables: dict[str, DeliverableState] = Field(default_factory=dict)
    speaker_level: str | None = None
    escalations_left: int = 0
    escalated_round: int | None = None
    standing_offer: str | None = None
    last_offer_seq: int = 0  # seq of the team's last proposal or withdrawal
    supporting_moves: int = 0  # supporting moves made in the current turn
    alignment_shown: bool = False
    delegated_round: int | None = None  # the round a human let the team's bots play the floor
    # The team's record at the table (seqs of its events), as the other side saw it happen.
    floor_seqs: list[int] = Field(default_factory=list)  # its moves that passed the floor
    statement_seqs: list[int] = Field(default_factory=list)
    alignment_seqs: list[int] = Field(default_factory=list)  # articulations of its alignment (a capability shown without a card)
    # (issue, seq) of each of its probes; the answer is `probe_answer` of the other team and the issue
    probes: list[tuple[str, int]] = Field(default_factory=list)
    commitments: dict[str, tuple[int, str]] = Field(default_factory=dict)  # card -> (seq, seat) that committed it
    levels_heard: list[str] = Field(default_factory=list)  # levels of its seats that made a table move this round
    # What the other side saw of its conduct, (fact, seq), each fact once: "shown:<card>" (a card put on
    # the table, shown or committed), "hollow_claim:<round>" (alignment articulated while a role had not
    # endorsed the mandate), "unplanned_recess:<round>" (a recess without an endorsed mandate, or the
    # round's second), "levels:<round>" (every level the round needs has made a table move).
    conduct: list[tuple[str, int]] = Field(default_factory=list)


class Offer(_Data):
    id: str
    team: str
    by: str
    package: dict[str, str]
    round: int
    seq: int
    status: Literal["open", "superseded", "withdrawn", "rejected", "accepted"] = "open"


class PressureAnswer(_Data):
    """A team's answer to one pressure of the epilogue."""

    choice: Literal["hold", "clarify", "reopen"]
    seat: str
    seq: int
    text: str | dict[str, Any] | None = None  # as written by a person; a bot's sentence as its Text's JSON
    issue: str | None = None  # reopen: the term reopened
    option: str | None = None  # reopen: the option the team now asks
    was: str | None = None  # reopen: the option the deal gave before


class EpilogueState(_Data):
    deal: dict[str, str]  # the package both teams agreed at the table
    package: dict[str, str]  # the deal as it stands: the agreed package with every reopened term
    answers: dict[str, PressureAnswer] = Field(default_factory=dict)  # pressure id -> the pressed team's answer


class Result(_Data):
    kind: Literal["deal", "no_deal"]
    package: dict[str, str] | None = None
    reason: Text | str  # the engine's sentence; a plain string in logs written before it was one


class MatchState(_Data):
    scenario_id: str
    scenario_version: str
    seed: int = 0
    pacers: list[str] = Field(default_factory=list)
    phase_seconds: dict[str, int] = Field(default_factory=dict)
    plays_epilogue: bool = False  # the setup's `epilogue`
    version: int = 0  # seq of the last event folded in
    status: Status = "lobby"
    round: int = 0
    phase: str = "briefing"
    phase_seq: int = 0  # seq of the event that began the current phase
    deadline: float | None = None
    paused_remaining: float | None = None
    exchange_limit: int = 0
    exchanges_used: int = 0
    floor: str | None = None
    teams: dict[str, TeamState] = Field(default_factory=dict)
    offers: dict[str, Offer] = Field(default_factory=dict)
    agreed: dict[str, str] = Field(default_factory=dict)
    injects: list[str] = Field(default_factory=list)
    landed: dict[str, tuple[int, int]] = Field(default_factory=dict)  # inject -> (round, seq) when it landed
    round_seq: int = 0  # seq of the event that began the current round
    result: Result | None = None
    epilogue: EpilogueState | None = None  # set when a deal opens the epilogue

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Event(BaseModel):
    """One accepted fact. The log of these is the source of truth; the state is their fold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(ge=1)
    type: str
    actor: str  # a seat (role id), "facilitator" or "system"
    team: str | None = None  # the acting team, if any
    # "public" (everyone at the table), or "team:<id>" (that team and the facilitator only).
    visibility: str = "public"
    round: int
    phase: str
    at: float
    data: dict[str, Any] = {}
