"""What a negotiation case is: the pydantic schema of a scenario file.

A scenario is data, so a facilitator can author a new case without touching Python. Every model
forbids unknown fields (a typo in a scenario file is an error, not a silently ignored key) and
every cross reference (an agenda naming an issue, a deliverable naming its owners, a citation
naming a seed) is checked in `Scenario._check_references`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    Tag,
    PlainSerializer,
    SerializationInfo,
    model_serializer,
    model_validator,
)

from game.scenario.checks import check_references
from game.scenario.text import LANGUAGES, SOURCE_LANGUAGE, Local

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# YAML reads an unquoted 2025-04-02 as a date; a scenario's dates are labels, so keep them as written.
DateText = Annotated[str, BeforeValidator(lambda v: v.isoformat() if hasattr(v, "isoformat") else v), StringConstraints(min_length=1, max_length=60)]


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _iso_date(value: object) -> object:
    """A calendar date written YYYY-MM-DD (YAML may hand it over already read as a date)."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, str) and (m := re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= _days_in(year, month):
            return value
    raise ValueError("must be a calendar date written YYYY-MM-DD, e.g. 2025-04-15")


def spoken_date(iso: str) -> str:
    """An IsoDate as a reader says it: 2025-04-15 -> 15 April 2025."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


# A date the game computes with (when a card or an event became possible, a round's first and last
# day), as opposed to DateText, a label shown to players. Written YYYY-MM-DD, so that comparing two
# of them as text compares the days.
IsoDate = Annotated[str, BeforeValidator(_iso_date)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]

def _stripped(value: object) -> object:
    """A case text as written, without the spaces around it (a plain string or one per language)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: v.strip() if isinstance(v, str) else v for k, v in value.items()}
    return value


def _within(max_length: int):
    def check(text: Local) -> Local:
        if not text.en:
            raise ValueError(f"needs its English ({SOURCE_LANGUAGE}): the text every reader falls back on")
        for code in LANGUAGES:
            if len(getattr(text, code)) > max_length:
                raise ValueError(f"its {code} text is {len(getattr(text, code))} characters long; at most {max_length}")
        return text

    return check


# The serialisation context key that dumps a case in one language:
# `scenario.model_dump(mode="json", context={IN_LANGUAGE: "vi"})` gives every text as its Vietnamese
# (or its English where the Vietnamese is missing), as a page's script reads the case.
IN_LANGUAGE = "language"


def _dumped(text: Local | str, info: SerializationInfo) -> str | dict[str, str]:
    if not isinstance(text, Local):  # a copy made with model_copy(update=...) holds what it was given
        return text
    language = (info.context or {}).get(IN_LANGUAGE)
    if language:
        return text.in_language(language)
    # An English-only text dumps as the plain string it was written as, so a case written before texts
    # carried translations keeps the digest its stored games and exported replays name.
    return text.model_dump() if any(getattr(text, code) for code in LANGUAGES if code != SOURCE_LANGUAGE) else text.en


def _case_text(max_length: int) -> Any:
    """A human-facing text of the case, in each language: a plain string (English only) or
    {en: ..., vi: ...}. A missing translation is a warning (an error in a bilingual scenario); the
    reader then sees the English."""
    return Annotated[Local, BeforeValidator(_stripped), AfterValidator(_within(max_length)), PlainSerializer(_dumped)]


# A case's words for people (not ids, dates the game computes with, or citations, which stay as written).
ShortLocal = _case_text(200)
LongLocal = _case_text(4000)
# A team's name where space is short (a chart's legend, a score line).
TeamShort = _case_text(12)
# A date as players read it ("2–9 April 2025"); written in each language like any other label.
DateLocal = Annotated[Local, BeforeValidator(lambda v: _stripped(v.isoformat() if hasattr(v, "isoformat") else v)), AfterValidator(_within(60)), PlainSerializer(_dumped)]


Level = Literal["leader", "minister", "technical"]
LEVELS: tuple[Level, ...] = ("leader", "minister", "technical")
PhaseName = Literal["briefing", "caucus", "table", "review"]
PHASE_ORDER: tuple[PhaseName, ...] = ("briefing", "caucus", "table", "review")

# The ideal package of every points sheet is worth exactly this many points.
IDEAL_POINTS = 100


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeedQuote(Strict):
    """A passage of a seed document that states the fact: the seed, the paragraph ("para N", the N-th
    non-empty line of the file) and the passage copied verbatim from that paragraph."""

    # Left out of dumps: a citation without a kind reads as a seed quote, so a scenario written before
    # references existed keeps the digest its stored games and exported replays name.
    kind: Literal["seed_quote"] = Field(default="seed_quote", exclude=True)
    seed: Slug
    quote: Annotated[str, StringConstraints(min_length=3, max_length=600, strip_whitespace=True)]
    where: Annotated[str, StringConstraints(pattern=r"^para [1-9][0-9]{0,3}$")] | None = None


class Reference(Strict):
    """A public source outside the seeds: who published it, when, where to read it, and the fact it
    reports written in the scenario's own words (a reference never copies the outlet's sentences)."""

    kind: Literal["reference"] = "reference"
    outlet: ShortText
    date: DateText
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=400)]
    fact: Annotated[str, StringConstraints(min_length=10, max_length=600, strip_whitespace=True)]


def _citation_kind(value: object) -> str | None:
    """A citation's kind: as written, or (for files written before references existed) a seed quote
    unless it carries a reference's fields."""
    if isinstance(value, dict):
        if "kind" in value:
            return value["kind"] if value["kind"] in CITATION_KINDS else None
        return "reference" if REFERENCE_FIELDS & value.keys() else "seed_quote"
    return getattr(value, "kind", None)


CITATION_KINDS = ("seed_quote", "reference")
REFERENCE_FIELDS = frozenset({"outlet", "url", "fact"})
Citation = Annotated[
    Annotated[SeedQuote, Tag("seed_quote")] | Annotated[Reference, Tag("reference")],
    Discriminator(
        _citation_kind,
        custom_error_type="citation_kind",
        custom_error_message="kind must be seed_quote (seed, where, quote) or reference (outlet, date, url, fact)",
    ),
]


class SeedRef(Strict):
    id: Slug
    title: ShortText
    outlet: ShortText
    date: DateText
    file: ShortText


class Option(Strict):
    id: Slug
    label: ShortLocal


class Issue(Strict):
    id: Slug
    title: ShortLocal
    description: LongLocal
    # Ordered: from the first team's most favoured to the second team's most favoured, roughly.
    options: list[Option] = Field(min_length=2, max_length=6)
    citation: Citation

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]


class Team(Strict):
    id: Slug
    name: ShortLocal
    short: TeamShort
    # Points per issue per option; the best option of each issue summed over issues = 100.
    points: dict[Slug, dict[Slug, int]]
    batna: int = Field(ge=0, lt=IDEAL_POINTS)
    batna_label: ShortLocal
    batna_citation: Citation
    escalations: int = Field(default=2, ge=0, le=10)


class RedLine(Strict):
    issue: Slug
    # The least favourable option this role can live with, on its own team's sheet.
    worst_acceptable: Slug
    reason: ShortLocal
    citation: Citation


class Role(Strict):
    id: Slug
    team: Slug
    title: ShortLocal
    level: Level
    counterpart: ShortLocal  # the historical person the role is modelled on
    summary: ShortLocal  # one line, shown when choosing a role
    brief: LongLocal  # confidential
    # How much each issue matters to this role, 1 (little) .. 5 (vital).
    priorities: dict[Slug, Annotated[int, Field(ge=1, le=5)]]
    red_lines: list[RedLine] = []
    citations: list[Citation] = Field(min_length=1)
    # Whether teammates may read this role's confidential brief ("team") or only its holder ("role").
    brief_visibility: Literal["role", "team"] = "role"


class Backing(Strict):
    """The concession a deliverable makes credible: an issue and the options it underwrites."""

    issue: Slug
    options: list[Slug] = Field(min_length=1)


class Deliverable(Strict):
    """An execution card: something a team can actually do, which backs a concession at the table."""

    id: Slug
    team: Slug
    title: ShortLocal
    kind: Literal["decree", "directive", "mou", "purchase_order", "draft_text", "statement"]
    description: LongLocal
    backs: list[Backing] = Field(min_length=1)
    prepared_by: list[Slug] = Field(min_length=1)
    # Rounds of caucus it takes after every owner has signed (0 = ready in the same caucus).
    preparation_rounds: int = Field(default=0, ge=0, le=3)
    # The day the act became possible in the case's history: the card cannot be prepared (so neither
    # committed nor shown) in a round that ends before it.
    available_from: IsoDate | None = None
    citation: Citation


class Inject(Strict):
    id: Slug
    title: ShortLocal
    text: LongLocal
    # Who the inject is aimed at; everybody sees it.
    target: Slug | Literal["both"] = "both"
    # What a well-aligned response looks like, for scoring and for the bot.
    expects: Literal["composure", "concrete_proposal", "reassurance", "none"] = "none"
    # How much tougher (+) or softer (-) a bot on each team becomes, in points of target utility.
    stance_shift: dict[Slug, Annotated[int, Field(ge=-20, le=20)]] = {}
    # The day the event happened: it is scheduled only in a round whose dates include it, and cannot be
    # pushed in a round that ends before it.
    available_from: IsoDate | None = None
    citation: Citation


class Round(Strict):
    index: int = Field(ge=0)
    title: ShortLocal
    date: DateLocal
    # The round's first and last day: what the dates of cards and injects are checked against.
    starts: IsoDate | None = None
    ends: IsoDate | None = None
    place: ShortLocal
    briefing: LongLocal
    citations: list[Citation] = Field(min_length=1)
    agenda: list[Slug] = []
    injects: list[Slug] = []
    phases: list[PhaseName] = Field(min_length=1)
    exchange_limit: int = Field(default=6, ge=0, le=60)
    # Which levels the agenda needs at the table this round (for multi-level engagement).
    levels: list[Level] = []
    # Which team holds the floor first at the table.
    opens: Slug | None = None
    # Questions a facilitator asks every table about this round in the debrief.
    debrief: list[ShortLocal] = []

    @model_validator(mode="after")
    def _phases_in_order(self) -> Round:
        order = [PHASE_ORDER.index(p) for p in self.phases]
        if order != sorted(set(order)):
            raise ValueError("phases must be distinct and in the order briefing, caucus, table, review")
        if "table" in self.phases and self.exchange_limit == 0:
            raise ValueError("a round with a table phase needs an exchange_limit of at least 1")
        return self


class Pressure(Strict):
    """One question the aftermath puts to a team about the deal its table made: hold the deal, clarify
    it (a statement that keeps the term), or reopen one of `issues` to the other side's cost."""

    id: Slug
    # The dated event that raises it: an inject of the scenario, landing when the epilogue opens.
    inject: Slug
    # The team it presses to reopen.
    team: Slug
    # The terms of the deal it puts in question: the only ones the pressed team may reopen.
    issues: list[Slug] = Field(min_length=1, max_length=12)
    # The question, as the pressed team reads it.
    question: ShortLocal


class Epilogue(Strict):
    """The aftermath of a deal, played after it when the facilitator chooses: dated events press each
    team to reopen terms of the deal its own table made."""

    title: ShortLocal
    date: DateLocal
    # Its first and last day: every pressure's inject happened between them, after the last round.
    starts: IsoDate
    ends: IsoDate
    place: ShortLocal
    briefing: LongLocal
    citations: list[Citation] = Field(min_length=1)
    pressures: list[Pressure] = Field(min_length=1, max_length=12)
    # Questions a facilitator asks every table about what it did in the epilogue.
    debrief: list[ShortLocal] = []

    def inject_ids(self) -> list[str]:
        """The injects of its pressures, each once, in order: what lands when the epilogue opens."""
        return list(dict.fromkeys(p.inject for p in self.pressures))

    def pressure(self, pressure_id: str) -> Pressure:
        return next(p for p in self.pressures if p.id == pressure_id)


class Persona(Strict):
    """A documented parameter set for the bot (see docs/bots.md)."""

    id: Slug
    team: Slug | Literal["any"] = "any"
    name: ShortLocal
    description: LongLocal
    difficulty: Literal["easy", "medium", "hard"]
    # Concession exponent e of T(t) = R + (Umax - R)(1 - t^(1/e)): e < 1 holds firm, e > 1 concedes early.
    concession: float = Field(gt=0, le=10)
    # Reservation value above the BATNA, in points: the bot will not go below BATNA + margin.
    reservation_margin: int = Field(default=0, ge=0, le=50)
    # How much an empty (unbacked) concession by the other side counts, 0..1.
    empty_concession_credit: float = Field(default=0.5, ge=0, le=1)
    # Points added to the target after the other side backpedals, and for how many exchanges.
    backpedal_penalty: int = Field(default=8, ge=0, le=40)
    backpedal_memory: int = Field(default=4, ge=0, le=20)
    probes: bool = True


class HistoricalOutcome(Strict):
    label: ShortLocal
    package: dict[Slug, Slug]
    # The terms come from more than one public act, so each act that set some of them is cited.
    citations: list[Citation] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_citation_is_a_list_of_one(cls, data: object) -> object:
        # Files written when the outcome had a single `citation` still load.
        if isinstance(data, dict) and "citation" in data and "citations" not in data:
            data = {**data, "citations": [data["citation"]]}
            del data["citation"]
        return data

    @model_serializer(mode="wrap")
    def _one_citation_dumps_as_before(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # An outcome with one citation dumps in the single-`citation` form, so a scenario written before
        # outcomes cited several acts keeps its digest.
        data = handler(self)
        if len(self.citations) == 1:
            data["citation"] = data.pop("citations")[0]
        return data


class Scenario(Strict):
    id: Slug
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+){0,2}$")]
    title: ShortLocal
    summary: LongLocal
    seeds: list[SeedRef] = Field(min_length=1)
    teams: list[Team] = Field(min_length=2, max_length=2)
    roles: list[Role]
    issues: list[Issue] = Field(min_length=1, max_length=12)
    deliverables: list[Deliverable] = []
    injects: list[Inject] = []
    rounds: list[Round] = Field(min_length=1)
    personas: list[Persona] = Field(min_length=1)
    historical_outcome: HistoricalOutcome | None = None
    # Most table moves a team may make in one turn before it must pass the floor.
    supporting_moves_per_turn: int = Field(default=3, ge=1, le=10)
    # Questions about the whole game for the debrief.
    debrief: list[ShortLocal] = []
    # The aftermath, played after a deal when the facilitator chooses it.
    epilogue: Epilogue | None = None
    # A bilingual case promises every text in every language: a missing translation is an error, not a
    # warning (see checks.translation_problems).
    bilingual: bool = False

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        # Raises ScenarioError (not a ValueError), so pydantic passes it through with every problem.
        check_references(self)
        return self

    # --- lookups -------------------------------------------------------------------------------
    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams if t.id == team_id)

    def team_ids(self) -> list[str]:
        return [t.id for t in self.teams]

    def other_team(self, team_id: str) -> str:
        return next(t.id for t in self.teams if t.id != team_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def roles_of(self, team_id: str) -> list[Role]:
        return [r for r in self.roles if r.team == team_id]

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def issue_ids(self) -> list[str]:
        return [i.id for i in self.issues]

    def deliverable(self, deliverable_id: str) -> Deliverable:
        return next(d for d in self.deliverables if d.id == deliverable_id)

    def inject(self, inject_id: str) -> Inject:
        return next(i for i in self.injects if i.id == inject_id)

    def first_round_from(self, day: str | None) -> int | None:
        """The first round that ends on or after `day` (round 0 for no date), None if every round
        ends before it."""
        if day is None:
            return 0
        return next((r.index for r in self.rounds if r.ends is not None and r.ends >= day), None)

    def pressures_on(self, team_id: str) -> list[Pressure]:
        """The epilogue's pressures on a team (none without an epilogue)."""
        return [p for p in self.epilogue.pressures if p.team == team_id] if self.epilogue else []

    @model_serializer(mode="wrap")
    def _without_an_epilogue_dumps_as_before(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A case without an epilogue (or not marked bilingual) dumps without the key, so it keeps the
        # digest its stored games name.
        data = handler(self)
        if self.epilogue is None:
            data.pop("epilogue", None)
        if not self.bilingual:
            data.pop("bilingual", None)
        return data

    def persona(self, persona_id: str) -> Persona:
        return next(p for p in self.personas if p.id == persona_id)

    def personas_for(self, team_id: str) -> list[Persona]:
        return [p for p in self.personas if p.team in (team_id, "any")]

    def points(self, team_id: str, package: dict[str, str]) -> int:
        """Points of a (possibly partial) package on a team's confidential sheet."""
        sheet = self.team(team_id).points
        return sum(sheet[issue][option] for issue, option in package.items())

    def seed(self, seed_id: str) -> SeedRef:
        return next(s for s in self.seeds if s.id == seed_id)
