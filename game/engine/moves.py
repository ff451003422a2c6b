"""Every move a seat, the facilitator or the clock can make, as one discriminated union.

Moves are validated input: unknown fields are refused and every string is bounded, so a move
that parses is safe to store. Whether it is *legal* is the engine's question (game.engine.apply).
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, create_model

from game.engine.errors import MALFORMED, MoveError
from game.engine.words import Text as Sentence, gettext_noop, sentence

Id = Annotated[str, StringConstraints(min_length=1, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
Reason = Annotated[str, StringConstraints(min_length=3, max_length=500, strip_whitespace=True)]
OfferId = Annotated[str, StringConstraints(min_length=2, max_length=16, pattern=r"^o[0-9]+$")]
Level = Literal["leader", "minister", "technical"]


def _bounded(limit: int) -> AfterValidator:
    """A sentence the rules core composed (a bot's reason) is bounded like the text it stands for: its
    English must fit, and every value it names must be given."""

    def check(value: Sentence) -> Sentence:
        try:
            english = str(value)
        except (KeyError, ValueError, TypeError):
            raise ValueError("a sentence must give a value for each of its placeholders") from None
        if len(english) > limit:
            raise ValueError(f"a sentence may be at most {limit} characters long")
        return value

    return AfterValidator(check)


# What a bot says for itself (a sentence said in each reader's language) or a person writes (as written).
# A sentence is composed whole, never cut: its bound is looser than a person's text's (a bot's figures
# name every term of a package).
Said = Annotated[Sentence, _bounded(4000)] | Annotated[str, StringConstraints(max_length=1500)]
SaidReason = Annotated[Sentence, _bounded(1000)] | Reason
SaidText = Annotated[Sentence, _bounded(2000)] | Text


class _Move(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # Why the mover did it, in a sentence a trainee understands; bots always fill it in, so a replay
    # can show their reasoning. `details` holds the figures behind it (a bot's target, credit, time),
    # stored with the note and shown on request.
    note: Said | None = None
    details: Said | None = None


# --- caucus (team-private) -------------------------------------------------------------------
class StatePriorities(_Move):
    kind: Literal["state_priorities"] = "state_priorities"
    priorities: dict[Id, Annotated[int, Field(ge=1, le=5)]] = Field(min_length=1, max_length=12)


class MandateLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    target: Id
    walkaway: Id


class DraftMandate(_Move):
    kind: Literal["draft_mandate"] = "draft_mandate"
    issues: dict[Id, MandateLine] = Field(min_length=1, max_length=12)


class EndorseMandate(_Move):
    kind: Literal["endorse_mandate"] = "endorse_mandate"
    version: int = Field(ge=1)


class ObjectMandate(_Move):
    kind: Literal["object_mandate"] = "object_mandate"
    version: int = Field(ge=1)
    reason: SaidReason


class PrepareDeliverable(_Move):
    kind: Literal["prepare_deliverable"] = "prepare_deliverable"
    deliverable: Id


class ChooseSpeaker(_Move):
    kind: Literal["choose_speaker"] = "choose_speaker"
    level: Level


class TeamChat(_Move):
    kind: Literal["team_chat"] = "team_chat"
    text: Text


# --- table (both teams) ----------------------------------------------------------------------
class Propose(_Move):
    kind: Literal["propose"] = "propose"
    package: dict[Id, Id] = Field(min_length=1, max_length=12)


class Accept(_Move):
    kind: Literal["accept"] = "accept"
    offer: OfferId


class Reject(_Move):
    kind: Literal["reject"] = "reject"
    offer: OfferId
    reason: SaidReason


class CommitDeliverable(_Move):
    kind: Literal["commit_deliverable"] = "commit_deliverable"
    deliverable: Id


class ShowCapability(_Move):
    kind: Literal["show_capability"] = "show_capability"
    # A prepared deliverable to make visible, or None to articulate the team's alignment (its mandate).
    deliverable: Id | None = None
    text: SaidText


class Probe(_Move):
    kind: Literal["probe"] = "probe"
    issue: Id
    question: SaidText


class Statement(_Move):
    kind: Literal["statement"] = "statement"
    text: SaidText


class Recess(_Move):
    kind: Literal["recess"] = "recess"
    reason: SaidReason


class Escalate(_Move):
    kind: Literal["escalate"] = "escalate"


class Withdraw(_Move):
    kind: Literal["withdraw"] = "withdraw"
    offer: OfferId


# --- the epilogue (after a deal, when the match plays it) -------------------------------------
class AnswerPressure(_Move):
    """A team's answer to one pressure of the epilogue on its deal: hold the deal, clarify it (a
    statement that keeps the term), or reopen one of the terms the pressure names, asking for an
    option worse for the other side than the deal gives."""

    kind: Literal["answer_pressure"] = "answer_pressure"
    pressure: Id
    choice: Literal["hold", "clarify", "reopen"]
    text: SaidText | None = None  # what the team says: required to clarify
    issue: Id | None = None  # reopen: the term
    option: Id | None = None  # reopen: what the team now asks on it


# --- a mixed team's floor: delegation and advice (team-private) ------------------------------
class Delegate(_Move):
    """A human lets the team's bots act at the table for the rest of this round ("let my team play"),
    or (on=False) takes the floor back."""

    kind: Literal["delegate"] = "delegate"
    on: bool = True


SuggestedMove = Annotated[Union[Propose, Accept, Reject, Statement], Field(discriminator="kind")]


class Suggest(_Move):
    """Advice to the team: a floor move, with the sentence that argues for it, that a teammate may
    adopt as their own with one click. It changes nothing but the log."""

    kind: Literal["suggest"] = "suggest"
    text: SaidText
    move: SuggestedMove


# --- facilitator and clock -------------------------------------------------------------------
class Start(_Move):
    kind: Literal["start"] = "start"


class Pause(_Move):
    kind: Literal["pause"] = "pause"


class Resume(_Move):
    kind: Literal["resume"] = "resume"


class Extend(_Move):
    kind: Literal["extend"] = "extend"
    seconds: int = Field(default=0, ge=0, le=3600)
    exchanges: int = Field(default=0, ge=0, le=20)


class Advance(_Move):
    kind: Literal["advance"] = "advance"


class PushInject(_Move):
    kind: Literal["push_inject"] = "push_inject"
    inject: Id


DEFAULT_END_REASON = "ended by the facilitator"  # said in the reader's language when the facilitator gives no reason


class End(_Move):
    kind: Literal["end"] = "end"
    reason: Annotated[str, StringConstraints(max_length=300)] = DEFAULT_END_REASON


class Tick(_Move):
    """The clock: advances the phase if, and only if, its deadline has passed. `waiting_for` lists the
    trainees' seats that have made no move this phase: then the clock reminds them instead, and the
    table waits for them (the phase keeps no deadline)."""

    kind: Literal["tick"] = "tick"
    waiting_for: list[Id] = Field(default_factory=list, max_length=12)


Move = Annotated[
    Union[
        StatePriorities, DraftMandate, EndorseMandate, ObjectMandate, PrepareDeliverable, ChooseSpeaker, TeamChat,
        Propose, Accept, Reject, CommitDeliverable, ShowCapability, Probe, Statement, Recess, Escalate, Withdraw,
        AnswerPressure, Delegate, Suggest, Start, Pause, Resume, Extend, Advance, PushInject, End, Tick,
    ],
    Field(discriminator="kind"),
]
MOVE_ADAPTER: TypeAdapter[Move] = TypeAdapter(Move)


# --- the same moves as a person sends them -----------------------------------------------------
# A sentence (a Text) is the rules core's own: a bot's reason, composed from message ids of the
# catalogue. A person writes plain text, bounded like any string of a move; a client that sends a
# sentence where text belongs is refused like any other malformed move.
Note = Annotated[str, StringConstraints(max_length=1500)]
_WRITTEN = {"note": (Note | None, None), "details": (Note | None, None)}


def _as_written(cls: type[_Move], **fields: object) -> type[_Move]:
    """`cls` with every field that may hold a sentence narrowed to what a person writes."""
    return create_model(cls.__name__, __base__=cls, __module__=__name__, **_WRITTEN, **fields)  # type: ignore[call-overload]


_PersonPropose, _PersonAccept, _PersonStatement = _as_written(Propose), _as_written(Accept), _as_written(Statement, text=(Text, ...))
_PersonReject = _as_written(Reject, reason=(Reason, ...))
_PersonSuggested = Annotated[Union[_PersonPropose, _PersonAccept, _PersonReject, _PersonStatement], Field(discriminator="kind")]
_PERSON = {
    ObjectMandate: {"reason": (Reason, ...)}, Reject: None, Recess: {"reason": (Reason, ...)},
    ShowCapability: {"text": (Text, ...)}, Probe: {"question": (Text, ...)},
    Suggest: {"text": (Text, ...), "move": (_PersonSuggested, ...)}, AnswerPressure: {"text": (Optional[Text], None)},
}
_PERSON_CLASSES = {Propose: _PersonPropose, Accept: _PersonAccept, Statement: _PersonStatement, Reject: _PersonReject}
PersonMove = Annotated[
    Union[tuple(
        _PERSON_CLASSES.get(cls) or _as_written(cls, **(_PERSON.get(cls) or {}))
        for cls in Move.__origin__.__args__  # type: ignore[attr-defined]
    )],
    Field(discriminator="kind"),
]
PERSON_MOVE_ADAPTER: TypeAdapter[PersonMove] = TypeAdapter(PersonMove)

CAUCUS_KINDS = frozenset({"state_priorities", "draft_mandate", "endorse_mandate", "object_mandate", "prepare_deliverable", "choose_speaker"})
TABLE_KINDS = frozenset({"propose", "accept", "reject", "commit_deliverable", "show_capability", "probe", "statement", "recess", "escalate", "withdraw"})
EPILOGUE_KINDS = frozenset({"answer_pressure"})
# Table moves that end a team's turn and hand the floor to the other team (each costs one exchange).
FLOOR_PASSING_KINDS = frozenset({"propose", "accept", "reject", "statement", "recess", "withdraw"})
# Team moves about who plays the floor, legal in the caucus and at the table, floor or not.
TEAM_FLOOR_KINDS = frozenset({"delegate", "suggest"})
PACING_KINDS = frozenset({"start", "pause", "resume", "extend", "advance"})
FACILITATOR_KINDS = PACING_KINDS | {"push_inject", "end"}
PLAYER_KINDS = CAUCUS_KINDS | TABLE_KINDS | EPILOGUE_KINDS | TEAM_FLOOR_KINDS | {"team_chat"}
ALL_KINDS = PLAYER_KINDS | FACILITATOR_KINDS | {"tick"}


def parse_move(data: object) -> Move:
    """Validate raw (decoded JSON) data as a person's move, or raise MoveError(move/malformed)."""
    try:
        return PERSON_MOVE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        # pydantic's own words name the problem (in English: they are not the project's messages).
        raise MoveError(MALFORMED, sentence(gettext_noop("Malformed move: %(field)s: %(problem)s"), field=where or "move", problem=first["msg"])) from None
