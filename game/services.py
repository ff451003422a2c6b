"""Writes: one function per use case. The engine decides; these functions store what it decided.

Every move goes through `match_submit_move`: the engine applies it to the current state, and
`match_commit` stores it in one short transaction (a compare-and-set on the match's version).

Workshops, seats and practice games are set up here too; every refusal is a `ServiceError` with a
stable code (the HTTP views and the websocket consumers pass it on unchanged).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from game.engine.words import Text, gettext_noop, sentence
from game.engine import Event, MatchSetup, MatchState, Move, MoveError, apply_move, new_state, parse_move, play_on, replay, replay_onto
from game.models import Connection, Match, MatchEvent, ScenarioRecord, Seat, Workshop
from game.scenario import Scenario
from game.scenario.schema import PhaseName
from game import hot_sql
from game.selectors import match_events, match_load, match_setup, scenario_of
from game.web.text import say


class ServiceError(Exception):
    """A refused request: a stable `code` (e.g. "workshop/expired"), a message for people, an HTTP status."""

    def __init__(self, code: str, message: Text | str, *, status: int = 400, **details: Any):
        self.code = code
        self.text = message
        self.status = status
        self.details = details
        super().__init__(f"{code}: {message}")

    @property
    def message(self) -> str:
        """The message in the active language (a page's, or a socket's under translation.override)."""
        return say(self.text)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def scenario_digest(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class ScenarioConflict(Exception):
    """A different scenario file claims an id and version that matches already use."""


def scenario_load(*, scenario: Scenario) -> tuple[ScenarioRecord, bool]:
    """Store a validated scenario; returns (record, created_or_changed)."""
    digest = scenario_digest(scenario)
    with transaction.atomic():
        record = ScenarioRecord.objects.select_for_update().filter(scenario_id=scenario.id, version=scenario.version).first()
        if record is not None and record.digest == digest:
            return record, False
        if record is not None and record.matches.exists():
            raise ScenarioConflict(
                f"scenario {scenario.id} version {scenario.version} is already used by matches and this file differs "
                "from it; raise the version in the file so past games still replay against the text they were played with"
            )
        record = record or ScenarioRecord(scenario_id=scenario.id, version=scenario.version)
        record.title = str(scenario.title)  # the English: pages say the case's own title in their reader's language
        record.data = scenario.model_dump(mode="json")
        record.digest = digest
        record.save()
        return record, True


def match_create(
    *,
    scenario_record: ScenarioRecord,
    seed: int = 0,
    mode: str = Match.Mode.PRACTICE,
    label: str = "",
    pacers: tuple[str, ...] = (),
    phase_seconds: dict[str, int] | None = None,
    bots: dict[str, str] | None = None,
    workshop: Workshop | None = None,
    table_no: int | None = None,
    epilogue: bool = False,
) -> Match:
    """Create a match in the lobby with one seat per role; `bots` maps role ids to bot personas."""
    scenario = scenario_of(scenario_record)
    setup = MatchSetup(
        scenario_id=scenario.id, scenario_version=scenario.version, seed=seed,
        pacers=list(pacers), phase_seconds=dict(phase_seconds or {}), epilogue=epilogue and scenario.epilogue is not None,
    )
    state = new_state(scenario, setup)
    with transaction.atomic():
        match = Match.objects.create(
            scenario=scenario_record, mode=mode, label=label, setup=setup.model_dump(mode="json"),
            status=state.status, version=state.version, snapshot=state.to_json(), deadline=state.deadline,
            workshop=workshop, table_no=table_no,
        )
        Seat.objects.bulk_create(
            [
                Seat(
                    match=match, role_id=role.id, team=role.team,
                    kind=Seat.Kind.BOT if bots and role.id in bots else Seat.Kind.EMPTY,
                    persona=(bots or {}).get(role.id, ""),
                )
                for role in scenario.roles
            ]
        )
    return match


@dataclass(frozen=True)
class MoveResult:
    match_id: int
    state: MatchState
    events: list[Event]  # the move's events (a duplicate: the first event it stored)
    duplicate: bool = False  # the msg_id had already been applied; nothing new was written
    # Every event after the version the caller's copy was at, up to `state.version` (the moves of
    # others read on the way, then this one's): what the caller folds to bring its copy to `state`.
    log: tuple[Event, ...] = ()


def match_commit(
    *, match_id: int, from_version: int, state: MatchState, events: list[Event], msg_id: str | None,
) -> bool:
    """The one way a move is stored: its events appended and the snapshot of `state` saved, only if the
    row is still at `from_version` (a compare-and-set on the version) and `msg_id` is new; True if
    it was. Nothing is written (False), if another move got there first or the msg_id was applied before.

    The compare-and-set serialises moves on one match on SQLite and PostgreSQL alike (the update
    takes the row's write lock); the unique (match, seq) and (match, msg_id) constraints are the
    backstop, and their IntegrityError rolls the whole move back."""
    try:
        with transaction.atomic():
            won = hot_sql.match_advance(match_id, from_version, {
                "snapshot": state.model_dump_json(), "version": state.version, "status": state.status, "deadline": state.deadline,
                "updated_at": timezone.now(),
            })
            if not won:
                return False
            hot_sql.events_append([
                {"match": match_id, "seq": e.seq, "type": e.type, "actor": e.actor, "team": e.team, "visibility": e.visibility,
                 "round": e.round, "phase": e.phase, "at": e.at, "data": e.data, "msg_id": msg_id if i == 0 else None}
                for i, e in enumerate(events)
            ])
    except IntegrityError:
        return False
    return True


_EVENT_FIELDS = ("seq", "type", "actor", "team", "visibility", "round", "phase", "at", "data")


@dataclass(frozen=True)
class LogRead:
    events: list[Event]  # the events after the seq asked for, in order
    continues: bool  # the log holds that seq itself (False: it is shorter: a database reset or restored)
    applied: Event | None  # the first event stored with the msg_id asked about, if that was ever applied


def match_log_after(match_id: int, after_seq: int, msg_id: str | None = None) -> LogRead:
    """The match's events after `after_seq` (one read). Events are committed a move at a time, so the
    read always ends at the end of a move."""
    rows = hot_sql.events_from(match_id, after_seq, msg_id)
    events = [Event(**{k: row[k] for k in _EVENT_FIELDS}) for row in rows if row["seq"] >= after_seq]
    continues = after_seq == 0 or bool(events) and events[0].seq == after_seq
    applied = next((Event(**{k: row[k] for k in _EVENT_FIELDS}) for row in rows if msg_id is not None and row["msg_id"] == msg_id), None)
    return LogRead([e for e in events if e.seq > after_seq], continues, applied)


def match_submit_move(
    *,
    match_id: int,
    seat: str,
    move: Move | dict[str, Any],
    expected_version: int | None = None,
    msg_id: str | None = None,
    now: float | None = None,
    known: tuple[Scenario, MatchState] | None = None,
) -> MoveResult:
    """Apply one move and store it (match_commit). Raises game.engine.MoveError (nothing written) if
    the engine refuses it on the current state of the match.

    `known` is the caller's copy of the match (a live table's scenario and state); without it the
    stored snapshot is read. A copy that turns out to be behind -- the engine refuses the move or the
    compare-and-set loses -- is brought forward with the events after it, and the move is tried again;
    a msg_id found applied on the way answers as a duplicate."""
    if isinstance(move, dict):
        move = parse_move(move)
    now = time.time() if now is None else now
    if known is None:
        loaded = match_load(match_id, after_seq=None)
        known = (loaded.scenario, loaded.state)
    scenario, state = known
    read: list[Event] = []
    while True:
        refused: MoveError | None = None
        try:
            transition = apply_move(scenario, state, seat, move, now, expected_version=expected_version)
        except MoveError as exc:
            refused = exc
        else:
            if match_commit(match_id=match_id, from_version=state.version, state=transition.after, events=transition.events, msg_id=msg_id):
                return MoveResult(match_id, transition.after, transition.events, log=(*read, *transition.events))
        read_now = match_log_after(match_id, state.version, msg_id)
        newer, applied = read_now.events, read_now.applied
        if newer:
            state = replay_onto(scenario, state, newer)
            read += newer
        if applied is not None:
            return MoveResult(match_id, state, [applied], duplicate=True, log=tuple(read))
        if not newer:
            if refused is not None:
                raise refused
            raise Match.DoesNotExist(f"no match {match_id} at version {state.version}")


def match_rebuild_snapshot(*, match: Match) -> MatchState:
    """Fold the event log again and overwrite the cached snapshot with the result."""
    scenario = scenario_of(match.scenario)
    state = replay(scenario, match_setup(match), match_events(match))
    Match.objects.filter(pk=match.pk).update(
        snapshot=state.to_json(), version=state.version, status=state.status, deadline=state.deadline
    )
    return state


_MATCH_BULK = ("match__snapshot", "match__setup")  # seat queries need a match's id and table, not its state

# --- seat tokens ---------------------------------------------------------------------------------
def seat_token_new() -> str:
    """An unguessable secret (256 bits) that binds a seat to one browser."""
    return secrets.token_urlsafe(32)


def seat_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




def _display_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not 1 <= len(name) <= 40:
        raise ServiceError("request/invalid", sentence(gettext_noop("Enter a display name of 1 to 40 characters.")), field="display_name")
    return name


_HOLDER = ["kind", "persona", "display_name", "token_hash", "client_hash", "network_hash", "claimed_at", "cover"]


def _take_seat(seat: Seat, *, display_name: str, token: str, client_hash: str = "", network_hash: str = "") -> None:
    seat.kind = Seat.Kind.HUMAN
    seat.display_name = display_name
    seat.token_hash = seat_token_hash(token)
    seat.client_hash, seat.network_hash = client_hash, network_hash
    seat.claimed_at = timezone.now()
    seat.save(update_fields=["kind", "display_name", "token_hash", "client_hash", "network_hash", "claimed_at"])


def _vacate(seat: Seat, workshop: Workshop) -> None:
    """The seat goes back to the workshop's bot for its team, or stays empty; its secret stops working."""
    bot = WorkshopSettings.model_validate(workshop.settings).bots.get(seat.team)
    seat.kind = Seat.Kind.BOT if bot else Seat.Kind.EMPTY
    seat.persona = bot or ""
    seat.display_name, seat.token_hash, seat.client_hash, seat.network_hash, seat.claimed_at = "", "", "", "", None
    seat.cover = ""
    seat.save(update_fields=_HOLDER)


# --- workshops -----------------------------------------------------------------------------------
# No 0/O or 1/I: a code read aloud or off a projector is never ambiguous.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


class ScoreWeights(BaseModel):
    """How the leaderboard combines the two layers of the score (the brief's defaults)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    outcome: float = Field(default=0.45, ge=0, le=1)
    joint: float = Field(default=0.20, ge=0, le=1)
    alignment: float = Field(default=0.35, ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> ScoreWeights:
        if abs(self.outcome + self.joint + self.alignment - 1.0) > 1e-6:
            raise ValueError("the three weights must add up to 1")
        return self


Slug = Annotated[str, StringConstraints(min_length=1, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]


class WorkshopSettings(BaseModel):
    """A facilitator's choices for every table of a workshop."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    # Seconds per phase; a phase left out has no timer (the facilitator advances it).
    phase_seconds: dict[PhaseName, Annotated[int, Field(ge=5, le=4 * 3600)]] = {}
    # Whether a deal opens the case's epilogue instead of ending the game.
    epilogue: bool = False
    # Bot persona for the seats of each team that no trainee takes; a team left out keeps empty seats.
    bots: dict[Slug, Slug] = {}
    weights: ScoreWeights = ScoreWeights()
    # Most seats one network (one address) may hold; None: settings.WORKSHOP_SEATS_PER_NETWORK.
    seats_per_network: Annotated[int, Field(ge=1, le=1000)] | None = None
    # Seconds a trainee may be gone in a timed phase before a bot plays their seat (handing it back
    # when they reconnect); None: never.
    dropout_grace_seconds: Annotated[int, Field(ge=10, le=3600)] | None = 90


def _check_persona(scenario: Scenario, team: str, persona_id: str) -> None:
    if team not in scenario.team_ids():
        raise ServiceError("request/invalid", sentence(gettext_noop("There is no team “%(team)s” in this case."), team=team), field="bots")
    if persona_id not in {p.id for p in scenario.personas_for(team)}:
        known = ", ".join(p.id for p in scenario.personas_for(team))
        raise ServiceError("request/invalid", sentence(gettext_noop("The bot persona “%(persona)s” cannot play for %(team)s; choose one of: %(known)s."), persona=persona_id, team=team, known=known), field="bots")


def workshop_create(
    *,
    facilitator,
    scenario_record: ScenarioRecord,
    title: str,
    tables: int,
    settings: WorkshopSettings | dict[str, Any] | None = None,
) -> Workshop:
    """A workshop with `tables` matches in the lobby and a fresh join code; empty seats get bots as asked."""
    try:
        ws_settings = settings if isinstance(settings, WorkshopSettings) else WorkshopSettings.model_validate(settings or {})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ServiceError("request/invalid", sentence(gettext_noop("Settings: %(field)s: %(problem)s"), field=where, problem=first["msg"]), field="settings") from None
    max_tables = django_settings.WORKSHOP_MAX_TABLES
    if not 1 <= tables <= max_tables:
        raise ServiceError("request/invalid", sentence(gettext_noop("A workshop has 1 to %(max)s tables."), max=max_tables), field="tables")
    title = " ".join((title or "").split())[:120] or "Workshop"
    scenario = scenario_of(scenario_record)
    for team, persona_id in ws_settings.bots.items():
        _check_persona(scenario, team, persona_id)
    bots = {r.id: ws_settings.bots[r.team] for r in scenario.roles if r.team in ws_settings.bots}
    expires_at = timezone.now() + timedelta(hours=django_settings.WORKSHOP_CODE_TTL_HOURS)
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    facilitator=facilitator, scenario=scenario_record, title=title, code=code,
                    settings=ws_settings.model_dump(mode="json"), expires_at=expires_at,
                )
                for n in range(1, tables + 1):
                    match_create(
                        scenario_record=scenario_record, seed=secrets.randbelow(2**31), mode=Match.Mode.WORKSHOP,
                        label=f"Table {n}", phase_seconds=dict(ws_settings.phase_seconds), bots=bots,
                        workshop=workshop, table_no=n, epilogue=ws_settings.epilogue,
                    )
            return workshop
        except IntegrityError:
            if not Workshop.objects.filter(code=code).exists():
                raise
    raise ServiceError("workshop/code_exhausted", sentence(gettext_noop("Could not find a free join code; try again.")), status=503)


def workshop_code_normalize(raw: str) -> str:
    """Upper-case, without spaces or dashes; refuses anything that cannot be a join code."""
    code = re.sub(r"[\s-]", "", raw or "").upper()
    if not _CODE_RE.match(code):
        raise ServiceError(
            "workshop/bad_code",
            sentence(gettext_noop("A join code is %(length)d letters and digits, like K7M2QX (it never contains 0, O, 1 or I)."), length=CODE_LENGTH),
            status=400,
        )
    return code


def workshop_for_join(*, code: str) -> Workshop:
    """The open workshop behind a join code, or a clear refusal (bad, unknown, expired or closed code)."""
    code = workshop_code_normalize(code)
    workshop = Workshop.objects.select_related("scenario").filter(code=code).first()
    if workshop is None:
        raise ServiceError(
            "workshop/not_found", sentence(gettext_noop("No workshop has the code %(code)s. Check it with your facilitator."), code=code),
            status=404,
        )
    if workshop.status == Workshop.Status.CLOSED:
        raise ServiceError("workshop/closed", sentence(gettext_noop("The workshop %(code)s has ended."), code=code), status=410)
    if workshop.expires_at <= timezone.now():
        raise ServiceError(
            "workshop/expired", sentence(gettext_noop("The code %(code)s has expired. Ask your facilitator for a new one."), code=code),
            status=410,
        )
    return workshop


def workshop_set_network_cap(*, workshop: Workshop, seats: int) -> Workshop:
    """Change how many seats one network may hold (a room on one Wi-Fi needs more than the default)."""
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        try:
            changed = WorkshopSettings.model_validate({**locked.settings, "seats_per_network": seats})
        except ValidationError:
            raise ServiceError("request/invalid", sentence(gettext_noop("Seats per network: a number from 1 to 1000.")), field="seats_per_network") from None
        locked.settings = changed.model_dump(mode="json")
        locked.save(update_fields=["settings"])
    return locked


@dataclass(frozen=True)
class SeatGrant:
    seat: Seat
    token: str | None  # the secret, only when a seat was newly claimed (a resumed seat keeps its old one)
    resumed: bool = False


def _seat_in_workshop(workshop: Workshop, token: str | None) -> Seat | None:
    if not token:
        return None
    return (
        Seat.objects.select_related("match").defer(*_MATCH_BULK)
        .filter(match__workshop=workshop, kind=Seat.Kind.HUMAN, token_hash=seat_token_hash(token))
        .first()
    )


def seat_held_in(*, workshop: Workshop, tokens: list[str]) -> tuple[Seat, str] | tuple[None, None]:
    """The seat of this workshop that one of a browser's seat secrets holds, with that secret."""
    for token in tokens:
        seat = _seat_in_workshop(workshop, token)
        if seat is not None:
            return seat, token
    return None, None


def _check_claimant(workshop: Workshop, client_hash: str, network_hash: str) -> None:
    """One seat per person per workshop: this browser (its client id) holds none yet, and its network
    holds fewer than the workshop's cap (a browser that drops its cookies still shares its network)."""
    humans = Seat.objects.filter(match__workshop=workshop, kind=Seat.Kind.HUMAN)
    if client_hash:
        held = humans.filter(client_hash=client_hash).select_related("match").defer(*_MATCH_BULK).first()
        if held is not None:
            raise ServiceError(
                "seat/already_held",
                sentence(gettext_noop("This browser already holds a seat in this workshop (table %(table)s). One seat per person: "
                           "go back to it, or ask your facilitator to free it."), table=held.match.table_no),
                status=409, table=held.match.table_no, role_id=held.role_id,
            )
    if network_hash:
        cap = WorkshopSettings.model_validate(workshop.settings).seats_per_network or django_settings.WORKSHOP_SEATS_PER_NETWORK
        if humans.filter(network_hash=network_hash).count() >= cap:
            raise ServiceError(
                "seat/network_cap",
                sentence(gettext_noop("%(cap)d seats of this workshop are already held from your network, the most one network may hold. "
                           "If you share the venue's Wi-Fi, ask your facilitator to raise the limit."), cap=cap),
                status=409, cap=cap,
            )


def _auto_seat(workshop: Workshop, scenario: Scenario, table_no: int | None) -> Seat:
    """Balance tables, then teams: the table with fewest trainees, its team with fewest, its first free role."""
    seats = list(Seat.objects.select_related("match").defer(*_MATCH_BULK).filter(match__workshop=workshop))
    if table_no is not None:
        seats = [s for s in seats if s.match.table_no == table_no]
    humans_at: dict[int, int] = {}
    humans_in: dict[tuple[int, str], int] = {}
    for s in seats:
        if s.kind == Seat.Kind.HUMAN:
            humans_at[s.match_id] = humans_at.get(s.match_id, 0) + 1
            humans_in[(s.match_id, s.team)] = humans_in.get((s.match_id, s.team), 0) + 1
    role_order = {r.id: i for i, r in enumerate(scenario.roles)}
    team_order = {t: i for i, t in enumerate(scenario.team_ids())}
    free = [s for s in seats if s.kind != Seat.Kind.HUMAN]
    if not free:
        raise ServiceError("seat/no_free_seat", sentence(gettext_noop("Every seat is taken. Ask your facilitator to add a table.")), status=409)
    return min(
        free,
        key=lambda s: (
            humans_at.get(s.match_id, 0), s.match.table_no or 0,
            humans_in.get((s.match_id, s.team), 0), team_order.get(s.team, 0), role_order.get(s.role_id, 0),
        ),
    )


def seat_claim(
    *,
    workshop: Workshop,
    display_name: str,
    table_no: int | None = None,
    role_id: str | None = None,
    token: str | None = None,
    client_hash: str = "",
    network_hash: str = "",
) -> SeatGrant:
    """Seat a trainee: resume the seat this browser already holds, take the named seat, or auto-seat.

    `client_hash` and `network_hash` identify the claimant (game.clients): a browser that already
    holds a seat here, or a network at the workshop's cap, is refused a new one."""
    existing = _seat_in_workshop(workshop, token)
    if existing is not None:
        return SeatGrant(existing, None, resumed=True)
    name = _display_name(display_name)
    scenario = scenario_of(workshop.scenario)
    if role_id is not None and role_id not in {r.id for r in scenario.roles}:
        raise ServiceError("seat/not_found", sentence(gettext_noop("There is no role “%(role)s” in this case."), role=role_id), status=404)
    with transaction.atomic():
        # One claim at a time per workshop: two trainees never get the same seat.
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        _check_claimant(workshop, client_hash, network_hash)
        if role_id is None:
            seat = _auto_seat(workshop, scenario, table_no)
        else:
            candidates = Seat.objects.select_related("match").defer(*_MATCH_BULK).filter(match__workshop=workshop, role_id=role_id)
            if table_no is not None:
                candidates = candidates.filter(match__table_no=table_no)
            free = [s for s in candidates.order_by("match__table_no") if s.kind != Seat.Kind.HUMAN]
            if not free:
                if table_no is not None and not candidates.exists():
                    raise ServiceError("seat/not_found", sentence(gettext_noop("There is no table %(table)s."), table=table_no), status=404)
                raise ServiceError("seat/taken", sentence(gettext_noop("That seat is taken; choose another one.")), status=409)
            seat = free[0]
        new_token = seat_token_new()
        _take_seat(seat, display_name=name, token=new_token, client_hash=client_hash, network_hash=network_hash)
    return SeatGrant(seat, new_token)


def _workshop_seat(workshop: Workshop, table_no: int, role_id: str) -> Seat:
    seat = (
        Seat.objects.select_related("match").defer(*_MATCH_BULK)
        .filter(match__workshop=workshop, match__table_no=table_no, role_id=role_id).first()
    )
    if seat is None:
        raise ServiceError("seat/not_found", sentence(gettext_noop("There is no such seat in this workshop.")), status=404)
    return seat


def seat_move(*, workshop: Workshop, from_table: int, from_role: str, to_table: int, to_role: str) -> tuple[Seat, Seat]:
    """The facilitator moves a trainee to a free seat; the trainee's secret moves too, so the browser follows."""
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        source = _workshop_seat(workshop, from_table, from_role)
        target = _workshop_seat(workshop, to_table, to_role)
        if source.kind != Seat.Kind.HUMAN:
            raise ServiceError("seat/empty", sentence(gettext_noop("Nobody sits in that seat.")), status=409)
        if target.kind == Seat.Kind.HUMAN:
            raise ServiceError("seat/taken", sentence(gettext_noop("That seat is taken.")), status=409)
        target.kind, target.persona, target.cover = Seat.Kind.HUMAN, "", ""
        for field in ("display_name", "token_hash", "client_hash", "network_hash", "claimed_at"):
            setattr(target, field, getattr(source, field))
        target.save(update_fields=_HOLDER)
        _vacate(source, workshop)
    return source, target


def seat_free(*, workshop: Workshop, table_no: int, role_id: str) -> Seat:
    """The facilitator frees a trainee's seat: the trainee's browser loses it (and may join again)."""
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        seat = _workshop_seat(workshop, table_no, role_id)
        if seat.kind != Seat.Kind.HUMAN:
            raise ServiceError("seat/empty", sentence(gettext_noop("Nobody sits in that seat.")), status=409)
        _vacate(seat, workshop)
    return seat


# --- practice --------------------------------------------------------------------------------------
def _practice_persona(scenario: Scenario, team: str, persona_id: str | None, personas: dict[str, str]) -> str:
    if team in personas:
        _check_persona(scenario, team, personas[team])
        return personas[team]
    fits = scenario.personas_for(team)
    if persona_id:
        for p in fits:
            if p.id == persona_id:
                return p.id
        # A difficulty ("easy", "medium", "hard") picks that team's persona of that difficulty.
        for p in fits:
            if p.difficulty == persona_id:
                return p.id
        if persona_id not in {p.id for p in scenario.personas} and persona_id not in {"easy", "medium", "hard"}:
            raise ServiceError("request/invalid", sentence(gettext_noop("There is no bot persona or difficulty “%(persona)s”."), persona=persona_id), field="persona_id")
    medium = [p for p in fits if p.difficulty == "medium"]
    return (medium or fits)[0].id


def practice_create(
    *,
    scenario_record: ScenarioRecord,
    team: str,
    role_id: str,
    persona_id: str | None = None,
    personas: dict[str, str] | None = None,
    seed: int = 0,
    display_name: str = "Trainee",
    phase_seconds: dict[str, int] | None = None,
    epilogue: bool = False,
) -> tuple[Match, str]:
    """One trainee, one table, bots in every other seat (both teams). The trainee paces the game.
    With `epilogue`, a deal opens the case's epilogue (a case without one ends at the deal).

    `persona_id` is a persona id or a difficulty applied to both teams; `personas` maps a team to a
    persona and wins over it. Returns (match, seat token).
    """
    scenario = scenario_of(scenario_record)
    if team not in scenario.team_ids():
        raise ServiceError("practice/bad_team", sentence(gettext_noop("There is no team “%(team)s”; choose one of: %(known)s."), team=team, known=", ".join(scenario.team_ids())))
    if role_id not in {r.id for r in scenario.roles_of(team)}:
        known = ", ".join(r.id for r in scenario.roles_of(team))
        raise ServiceError("practice/bad_role", sentence(gettext_noop("“%(role)s” is not a role of %(team)s; choose one of: %(known)s."), role=role_id, team=team, known=known))
    name = _display_name(display_name)
    chosen = {t: _practice_persona(scenario, t, persona_id, dict(personas or {})) for t in scenario.team_ids()}
    bots = {r.id: chosen[r.team] for r in scenario.roles if r.id != role_id}
    token = seat_token_new()
    with transaction.atomic():
        match = match_create(
            scenario_record=scenario_record, seed=seed, mode=Match.Mode.PRACTICE, label=f"Practice: {name}",
            pacers=(role_id,), phase_seconds=phase_seconds, bots=bots, epilogue=epilogue,
        )
        _take_seat(Seat.objects.get(match=match, role_id=role_id), display_name=name, token=token)
    return match, token


def practice_play_on(
    *,
    origin: Match,
    step: int | None,
    role_id: str,
    persona_id: str | None = None,
    display_name: str = "Trainee",
    now: float | None = None,
) -> tuple[Match, str]:
    """A practice game that continues `origin` from the position after its first `step` events: its log
    starts with those events, folded again by the engine (game.engine.play_on), the trainee in
    `role_id` (either team) paces it, bots play every other seat (the origin's persona where a bot
    sat, else `persona_id` or the team's medium persona). Returns (match, seat token).
    Access to `origin` is the caller's check (the replay's); only a finished game is played on."""
    scenario = scenario_of(origin.scenario)
    role = next((r for r in scenario.roles if r.id == role_id), None)
    if role is None:
        raise ServiceError("practice/bad_role", sentence(gettext_noop("Choose a seat of either team.")), field="role_id")
    if origin.status != "finished":
        raise ServiceError("play_on/not_finished", sentence(gettext_noop("A game can be played on from its replay once it has finished.")), status=409)
    if isinstance(step, bool) or not isinstance(step, int):
        raise ServiceError("play_on/bad_step", sentence(gettext_noop("Choose an event of the replay to play on from: a whole number.")), field="step")
    name = _display_name(display_name)
    setup = MatchSetup(
        scenario_id=scenario.id, scenario_version=scenario.version, seed=match_setup(origin).seed, pacers=[role_id],
        epilogue=match_setup(origin).epilogue,
    )
    try:
        events, state = play_on(scenario, setup, match_events(origin), step, time.time() if now is None else now)
    except ValueError as exc:
        raise ServiceError("play_on/bad_step", f"{str(exc)[:1].upper()}{str(exc)[1:]}.", field="step") from None
    was_bot = dict(Seat.objects.filter(match=origin, kind=Seat.Kind.BOT).values_list("role_id", "persona"))
    chosen = {t: _practice_persona(scenario, t, persona_id, {}) for t in scenario.team_ids()}
    bots = {r.id: was_bot.get(r.id) or chosen[r.team] for r in scenario.roles if r.id != role_id}
    token = seat_token_new()
    with transaction.atomic():
        match = match_create(
            scenario_record=origin.scenario, seed=setup.seed, mode=Match.Mode.PRACTICE, label=f"Play on: {name}",
            pacers=(role_id,), bots=bots, epilogue=setup.epilogue,
        )
        MatchEvent.objects.bulk_create(
            [
                MatchEvent(
                    match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                    round=e.round, phase=e.phase, at=e.at, data=e.data,
                )
                for e in events
            ],
            batch_size=500,
        )
        Match.objects.filter(pk=match.pk).update(
            snapshot=state.to_json(), version=state.version, status=state.status, deadline=state.deadline,
            origin=origin, origin_step=step,
        )
        _take_seat(Seat.objects.get(match=match, role_id=role_id), display_name=name, token=token)
    match.refresh_from_db()
    return match, token


# --- presence --------------------------------------------------------------------------------------
def connections_touch(*, channel_names: list[str], now: float | None = None) -> None:
    """A sign of life from these connections (presence counts a connection seen within its TTL)."""
    hot_sql.connections_touch(channel_names, time.time() if now is None else now)


def connection_close(*, channel_name: str) -> None:
    hot_sql.connection_delete([channel_name])


def connections_close(calls: list[dict[str, Any]]) -> list[None]:
    """`connection_close` for many sockets closing at once; their seats were last seen now."""
    names = [c["channel_name"] for c in calls]
    seats = set(Connection.objects.filter(channel_name__in=names).values_list("match_id", "role_id"))
    hot_sql.connection_delete(names)
    if seats:
        which = Q()
        for match_id, role_id in seats:
            which |= Q(match_id=match_id, role_id=role_id)
        Seat.objects.filter(which).update(last_seen=time.time())
    return [None] * len(calls)


def seat_connect(*, public_id: str, held: Mapping[int, str], channel_name: str, now: float | None = None) -> hot_sql.SeatGrant | None:
    """The human seat at the table with this public id that the browser's seat cookie for that table
    binds (`held`: match id named by each seat cookie -> its secret's hash), with the new connection
    recorded; None, and nothing recorded, for an unknown table and a wrong secret alike. The one
    access check of a seat socket; one call: one trip to a database thread."""
    return seats_connect([{"public_id": public_id, "held": held, "channel_name": channel_name, "now": now}])[0]


def seats_connect(calls: list[dict[str, Any]]) -> list[hot_sql.SeatGrant | None]:
    """`seat_connect` for many sockets opening at once (a room joining, a reconnect storm): one
    statement finds their seats, one records their connections."""
    grants = hot_sql.seats_at_tables([(c["public_id"], c["held"]) for c in calls])
    now = time.time()
    hot_sql.connection_insert([
        (grant.match_id, grant.role_id, c["channel_name"], now if c.get("now") is None else c["now"])
        for c, grant in zip(calls, grants) if grant is not None
    ])
    back = Q()
    for grant in grants:
        if grant is not None and grant.cover == "dropout":  # the trainee is back: the bot hands the seat over
            back |= Q(match_id=grant.match_id, role_id=grant.role_id)
    if back:
        Seat.objects.filter(back, cover="dropout").update(cover="")
    return grants


# --- bots covering trainees' seats -------------------------------------------------------------------
def _cover_persona(scenario: Scenario, workshop: Workshop, team: str) -> str:
    """The persona that plays a trainee's seat: the workshop's bot for that team, or the team's first."""
    chosen = WorkshopSettings.model_validate(workshop.settings).bots.get(team)
    return chosen or scenario.personas_for(team)[0].id


def seats_cover_dropouts(*, now: float, ttl: float) -> list[tuple[int, int]]:
    """Hand to a bot every trainee's seat whose trainee has been gone longer than the workshop's grace
    period, in a running match with a phase clock (paused or untimed phases wait for the trainee).
    Gone: no connection with a sign of life within `ttl` seconds; since its last one closed (or was
    last seen, or the seat was claimed). Returns the (match id, workshop id) of the tables changed."""
    live = Connection.objects.filter(match_id=OuterRef("match_id"), role_id=OuterRef("role_id"), seen_at__gte=now - ttl)
    seats = list(
        Seat.objects.select_related("match__workshop").defer(*_MATCH_BULK).filter(
            ~Exists(live), kind=Seat.Kind.HUMAN, cover="", match__status="running", match__deadline__isnull=False,
            match__workshop__isnull=False,
        )
    )
    if not seats:
        return []
    seen: dict[tuple[int, str], float] = {}
    for match_id, role_id, seen_at in Connection.objects.filter(match_id__in={s.match_id for s in seats}).values_list(
        "match_id", "role_id", "seen_at"
    ):
        seen[(match_id, role_id)] = max(seen_at, seen.get((match_id, role_id), 0.0))
    changed: dict[int, int] = {}
    for seat in seats:
        grace = WorkshopSettings.model_validate(seat.match.workshop.settings).dropout_grace_seconds
        if grace is None:
            continue
        claimed = seat.claimed_at.timestamp() if seat.claimed_at else 0.0
        last = max(seat.last_seen or 0.0, seen.get((seat.match_id, seat.role_id), 0.0), claimed)
        if now - last < grace:
            continue
        persona = _cover_persona(scenario_of(seat.match.scenario), seat.match.workshop, seat.team)
        if Seat.objects.filter(pk=seat.pk, kind=Seat.Kind.HUMAN, cover="").update(cover="dropout", persona=persona):
            changed[seat.match_id] = seat.match.workshop_id
    return list(changed.items())


def seat_cover(*, workshop: Workshop, match_id: int, role_id: str, bot: bool, now: float | None = None) -> Seat:
    """The facilitator hands a trainee's seat to a bot (`bot`), or takes it back for the trainee (who
    then has the workshop's grace period again before a bot covers for them)."""
    seat = Seat.objects.select_related("match__scenario").filter(match_id=match_id, match__workshop=workshop, role_id=role_id).first()
    if seat is None:
        raise ServiceError("seat/not_found", sentence(gettext_noop("There is no such seat at this table.")), status=404)
    if seat.kind != Seat.Kind.HUMAN:
        raise ServiceError("seat/empty", sentence(gettext_noop("No trainee holds that seat: a bot can cover only a trainee's seat.")), status=409)
    if bot:
        seat.cover, seat.persona = "facilitator", _cover_persona(scenario_of(seat.match.scenario), workshop, seat.team)
    else:
        seat.cover, seat.last_seen = "", time.time() if now is None else now
    seat.save(update_fields=["cover", "persona", "last_seen"])
    return seat


def connections_prune(*, now: float | None = None, older_than: float = 24 * 3600) -> int:
    """Forget presence rows left behind by server processes that died long ago (the clock runs this)."""
    now = time.time() if now is None else now
    return Connection.objects.filter(seen_at__lt=now - older_than).delete()[0]
