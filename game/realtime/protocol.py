"""The websocket protocol: one tagged union per direction, validated straight from the raw JSON text.

Client -> server frames forbid unknown fields and bound every string; the server's frames are built
from these models too, so docs/protocol.md and `manage.py protocol_schema` describe exactly what is
sent. A move inside a `move` or `control` frame is the engine's `Move` union as a person sends it (game.engine.moves.PersonMove).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from game.engine import Event
from game.engine.moves import PersonMove
from game.engine.words import Text, gettext_noop, sentence

PROTOCOL_VERSION = 1

MsgId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
# Numbers are JSON numbers: "5" is refused, not read as 5 (a client that sends strings has a bug to see).
Seq = Annotated[int, Field(ge=0, le=10_000_000, strict=True)]
TableId = Annotated[int, Field(ge=1, le=2**53, strict=True)]  # a table is a match; its id
Short = Annotated[str, StringConstraints(max_length=200)]
MAX_DEPTH = 16  # the deepest legitimate frame (a mandate in a move) nests 5 levels


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # Any client frame may carry an id; the server's reply (ack, snapshot, pong or error) echoes it.
    msg_id: MsgId | None = None


# --- client -> server -------------------------------------------------------------------------------
class Hello(_In):
    """Ask for the current state; `last_seq` = the last event seq you hold (omit for the whole log)."""

    type: Literal["hello"]
    last_seq: Seq | None = None


class Resync(_In):
    """You suspect a gap: send the last event seq you hold; the server replies with a snapshot."""

    type: Literal["resync"]
    last_seq: Seq


class MoveFrame(_In):
    """Make a move for your seat. `expected_version` = the version you saw; a stale one is refused."""

    type: Literal["move"]
    msg_id: MsgId  # required: a resent move with the same id is acknowledged, never applied twice
    expected_version: Seq | None = None
    move: PersonMove


class Ping(_In):
    type: Literal["ping"]


class Control(_In):
    """Facilitator only: a pacing move (start, pause, resume, extend, advance, push_inject, end)."""

    type: Literal["control"]
    msg_id: MsgId
    # "slowest": the running table furthest behind (game.engine.flow.slowest), for one "advance".
    table: TableId | Literal["all", "slowest"]
    move: PersonMove


class Watch(_In):
    """Facilitator only: follow one table's full log (or stop following it with null)."""

    type: Literal["watch"]
    table: TableId | None


class Cover(_In):
    """Facilitator only: hand a trainee's seat to a bot (`bot`: true) or take it back for the trainee."""

    type: Literal["cover"]
    msg_id: MsgId
    table: TableId
    role_id: Annotated[str, StringConstraints(min_length=1, max_length=48)]
    bot: bool


class Nudge(_In):
    """Facilitator only: a private note to one trainee's seat; only that seat's pages show it."""

    type: Literal["nudge"]
    msg_id: MsgId
    table: TableId
    role_id: Annotated[str, StringConstraints(min_length=1, max_length=48)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=280)]


class Older(_In):
    """Ask for a page of older events: those you may see with seq < `before_seq` (the first one you hold).
    The facilitator names the table it watches."""

    type: Literal["older"]
    before_seq: Seq
    table: TableId | None = None


ClientFrame = Annotated[Union[Hello, Resync, MoveFrame, Ping, Control, Watch, Older, Cover, Nudge], Field(discriminator="type")]
CLIENT_ADAPTER: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


class FrameRefused(ValueError):
    """A client frame refused before its schema is checked: `code` is one of PROTOCOL_ERRORS."""

    def __init__(self, code: str, message: Text):
        super().__init__(str(message))
        self.code, self.message = code, message


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deeply the JSON text nests arrays and objects (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise FrameRefused("protocol/malformed", sentence(gettext_noop("The key “%(key)s” appears twice in one object."), key=key))
        seen[key] = value
    return seen


def read_client_json(text: str) -> Any:
    """The JSON value of a client frame: bounded nesting, no repeated key (the last one would silently
    win), nothing but standard JSON. Raises FrameRefused."""
    if nesting_depth(text) > MAX_DEPTH:
        raise FrameRefused("protocol/malformed", sentence(gettext_noop("The frame nests deeper than %(depth)s levels."), depth=MAX_DEPTH))
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except FrameRefused:
        raise
    except (ValueError, RecursionError) as exc:
        raise FrameRefused("protocol/invalid_json", sentence(gettext_noop("The frame is not valid JSON: %(problem)s"), problem=str(exc))) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_client_frame(text: str) -> ClientFrame:
    """Validate one raw client frame (the JSON text itself); raises FrameRefused or pydantic.ValidationError."""
    return CLIENT_ADAPTER.validate_python(read_client_json(text))


def msg_id_of(raw: Any) -> str | None:
    """The msg_id of a frame that failed validation, if it has a usable one, so the error can echo it."""
    msg_id = raw.get("msg_id") if isinstance(raw, dict) else None
    return msg_id if isinstance(msg_id, str) and 0 < len(msg_id) <= 64 else None


# --- server -> client -------------------------------------------------------------------------------
class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeatPresence(_Out):
    role_id: str
    team: str
    kind: Literal["human", "bot", "empty"]
    display_name: str | None = None
    connected: bool
    bot_cover: bool = False  # a bot plays this trainee's seat for now (they dropped out, or the facilitator said so)


class Limits(_Out):
    max_frame_bytes: int
    rate_per_second: float
    burst: int
    page_events: int  # the most events one server frame carries; older ones come a page at a time
    chats_per_minute: int  # team chat messages one seat may send a minute, across all its connections


class Welcome(_Out):
    """Sent once, right after a seat connects: who you are, the state as you may see it, the log."""

    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    match: int
    seat: str
    team: str
    display_name: str | None = None
    version: int
    view: dict[str, Any]
    since: int
    # `events` holds every event you may see with from_seq < seq <= version, at most limits.page_events
    # of them (from_seq > since: the ones in between were left out; ask for them with `older`).
    from_seq: int
    events: list[Event]
    presence: list[SeatPresence]
    annotations: list[dict[str, Any]] | None = None  # your team's score annotations, if scoring is on
    limits: Limits
    scenario: dict[str, Any]  # the public case, plus your own team's execution cards


class Snapshot(_Out):
    """The full current state for you, and the events you may see after `since` (reply to hello/resync)."""

    type: Literal["snapshot"] = "snapshot"
    msg_id: str | None = None
    match: int
    version: int
    view: dict[str, Any]
    since: int
    from_seq: int  # as in the welcome: the events are those after from_seq (>= since)
    events: list[Event]
    presence: list[SeatPresence] | None = None
    annotations: list[dict[str, Any]] | None = None


class Events(_Out):
    """New events you may see, and your view after them (without the static `roles`, `points_sheet`, `batna`)."""

    type: Literal["events"] = "events"
    match: int
    prev_version: int
    version: int
    events: list[Event]
    view: dict[str, Any]


class TableResult(_Out):
    table: int
    version: int | None = None
    error: dict[str, Any] | None = None  # {code, message, details} when refused at that table


class Ack(_Out):
    """Your move (or control) was applied; `duplicate` = it had been applied already (a resend)."""

    type: Literal["ack"] = "ack"
    msg_id: str
    version: int | None = None
    duplicate: bool = False
    results: list[TableResult] | None = None  # control frames: one per table


class Error(_Out):
    type: Literal["error"] = "error"
    msg_id: str | None = None
    code: str
    message: str
    details: dict[str, Any] = {}


class Page(_Out):
    """The reply to `older`: the latest events you may see before `before_seq`, oldest first."""

    type: Literal["page"] = "page"
    msg_id: str | None = None
    match: int
    before_seq: int
    events: list[Event]
    more: bool  # you may see events older than the first one here: ask again with its seq


class Presence(_Out):
    type: Literal["presence"] = "presence"
    match: int
    seats: list[SeatPresence]


class Pong(_Out):
    type: Literal["pong"] = "pong"
    msg_id: str | None = None
    version: int | None = None
    server_time: float


class AnnotationsFrame(_Out):
    """Score annotations for your team only (live); the other team's arrive after the game."""

    type: Literal["annotations"] = "annotations"
    match: int
    team: str
    annotations: list[dict[str, Any]]
    scores: dict[str, Any] | None = None


class TableSummary(_Out):
    match: int
    table_no: int | None = None
    label: str
    status: str
    round: int
    phase: str
    version: int
    deadline: float | None = None
    floor: str | None = None
    exchanges_used: int
    exchange_limit: int
    seats: list[SeatPresence]
    connected: int  # seats with a live connection
    result: dict[str, Any] | None = None
    scores: dict[str, Any] | None = None  # per team, when game.scoring is available


class TableSummaryFrame(_Out):
    type: Literal["table_summary"] = "table_summary"
    table: TableSummary


class WorkshopInfo(_Out):
    id: int
    code: str
    title: str
    status: str
    scenario: str
    expires_at: str
    settings: dict[str, Any]


class WorkshopFrame(_Out):
    """Sent to the facilitator on connect and on hello: the workshop and a summary of every table."""

    type: Literal["workshop"] = "workshop"
    msg_id: str | None = None
    workshop: WorkshopInfo
    tables: list[TableSummary]
    scenario: dict[str, Any] | None = None  # the whole case (every team's cards), on connect only


class NudgeFrame(_Out):
    """A private note from the facilitator to this seat (sent to no one else, and not kept)."""

    type: Literal["nudge"] = "nudge"
    match: int
    text: str


ServerFrame = Annotated[
    Union[Welcome, Snapshot, Events, Page, Ack, Error, Presence, Pong, AnnotationsFrame, TableSummaryFrame, WorkshopFrame, NudgeFrame],
    Field(discriminator="type"),
]
SERVER_ADAPTER: TypeAdapter[ServerFrame] = TypeAdapter(ServerFrame)

# Error codes of the protocol itself (the engine's move/... and game/... codes come through unchanged).
PROTOCOL_ERRORS = {
    "protocol/invalid_json": "the frame is not valid JSON",
    "protocol/malformed": "the frame nests too deeply or repeats a key in one object",
    "protocol/unknown_type": "the frame's `type` is not one this endpoint knows",
    "protocol/invalid": "the frame does not match its schema (unknown field, wrong type, string too long...)",
    "protocol/too_large": "the frame is larger than limits.max_frame_bytes; it was not read",
    "protocol/binary": "binary frames are not accepted; send JSON text",
    "protocol/rate_limited": "too many frames; the ones over the limit are dropped until the bucket refills",
    "move/malformed": "the move inside a move/control frame does not match the move schema",
    "auth/bad_token": "no seat of this table is bound to that token (the connection is closed, 4401)",
    "auth/forbidden": "you may not do that (facilitator-only frame, or not your workshop: 4403 on connect)",
    "seat/moved": "the facilitator moved you to another seat (the connection is closed, 4409)",
    "table/not_found": "no such table in this workshop",
    "seat/covered": "the facilitator handed this seat to a bot for now: moves wait until it is handed back (team chat stays open)",
    "seat/chat_limited": "this seat sent its share of team chat for now (every connection of the seat counts); details.retry_after seconds",
}


def schema() -> dict[str, Any]:
    """The JSON Schema of both directions (printed by `manage.py protocol_schema`)."""
    return {
        "title": "Negotiation game websocket protocol",
        "version": PROTOCOL_VERSION,
        "client_to_server": CLIENT_ADAPTER.json_schema(),
        "server_to_client": SERVER_ADAPTER.json_schema(),
        "errors": PROTOCOL_ERRORS,
    }
