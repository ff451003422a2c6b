"""Websocket consumers: thin adapters between frames (game.realtime.protocol) and the services.

- SeatConsumer (ws/match/<public id>/, the seat cookie): one trainee's seat at one table.
- FacilitatorConsumer (ws/workshop/<public id>/): the workshop's facilitator, all tables.

URLs name a table or workshop by its unguessable public id only; each consumer's one access check
(through game.access) resolves it to the internal id, and everything after connect uses that.

Neither checks a rule: moves go to the engine through the table's owner in this process
(game.realtime.table.LiveTable.submit), which refuses them with stable codes. What a consumer does itself is protocol hygiene -- frame size, rate,
schema -- and building every outgoing frame from the engine's per-seat filters (player_view,
visible_events) for the one seat it serves.
"""

from __future__ import annotations

import logging
import time
from functools import cached_property
from math import ceil
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from game.realtime.dispatch import DirectDispatchConsumer
from django.conf import settings
from django.utils import translation
from django.utils.functional import cached_property
from pydantic import ValidationError

from game import access, selectors, services
from game.engine import FACILITATOR, MoveError
from game.engine.flow import slowest
from game.engine.view import STATIC_VIEW_KEYS
from game.engine import errors as E
from game.realtime import protocol as P
from game.realtime import scores, timers
from game.realtime.coalesce import Settle
from game.realtime.groups import seat_group, table_group, team_group, workshop_group
from game.realtime.table import LiveTable, live_table, live_tables
from game.realtime.tablelog import Table
from game.realtime.ratelimit import TokenBucket
from game.engine.words import Text, gettext_noop, sentence
from game.web.said import Sayings, said, said_events, said_view
from game.web.text import language_of_scope

log = logging.getLogger(__name__)

CLOSE_BAD_TOKEN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_MOVED = 4409

def _validation_error(exc: ValidationError) -> tuple[str, Text, dict[str, Any]]:
    """Map pydantic's complaint about a client frame to (code, message, details)."""
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    first = errors[0]
    kind = first["type"]
    loc = [str(p) for p in first["loc"]]
    where = ".".join(loc)
    details = {"errors": [{"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors[:5]]}
    if kind == "json_invalid":
        return "protocol/invalid_json", sentence(gettext_noop("The frame is not valid JSON.")), details
    if kind in {"union_tag_invalid", "union_tag_not_found", "model_attributes_type", "model_type"} and len(loc) <= 1:
        if kind == "union_tag_invalid":
            return "protocol/unknown_type", sentence(gettext_noop("Unknown frame type; expected one of %(types)s."), types=str(first.get("ctx", {}).get("expected_tags", ""))), details
        return "protocol/invalid", sentence(gettext_noop("A frame is a JSON object with a “type”.")), details
    if len(loc) >= 2 and loc[1] == "move" and all(len(e["loc"]) >= 2 and str(e["loc"][1]) == "move" for e in errors):
        return E.MALFORMED, sentence(gettext_noop("Malformed move: %(field)s: %(problem)s"), field=".".join(loc[2:]) or "move", problem=first["msg"]), details
    if kind == "extra_forbidden":
        return "protocol/invalid", sentence(gettext_noop("Unknown field “%(field)s” in a %(frame)s frame."), field=loc[-1], frame=loc[0]), details
    # pydantic's own words name the problem (in English: they are not the project's messages).
    return "protocol/invalid", sentence(gettext_noop("%(field)s: %(problem)s"), field=where, problem=first["msg"]), details


def _move_id(text: str | None, limit: int) -> str | None:
    """The msg_id of a move or control frame (None for any other frame, or one not worth reading)."""
    if not text or len(text) > limit:
        return None
    try:
        raw = P.read_client_json(text)
    except P.FrameRefused:
        return None
    return P.msg_id_of(raw) if isinstance(raw, dict) and raw.get("type") in {"move", "control"} else None


class _Frames(DirectDispatchConsumer):
    """Size and rate checks, parsing and sending: shared by both consumers."""

    bucket: TokenBucket
    last_flood_error = float("-inf")

    @cached_property
    def language(self) -> str:
        """The language this socket's person reads: their language cookie, else Accept-Language."""
        return language_of_scope(self.scope)

    async def send_frame(self, frame: P._Out) -> None:
        await self.send(text_data=frame.model_dump_json())


    def said(self, value: Any) -> Any:
        """A sentence of the rules core (a refusal, a reason) in this socket's language."""
        with translation.override(self.language):
            return said(value)

    def said_frame(self, data: dict[str, Any], sayings: Sayings) -> dict[str, Any]:
        """A frame's data (`events`, `view`) of a table with the sentences in them said in this
        socket's language (the role cards, the case's titles and briefs, too); `sayings`: the table's."""
        with translation.override(self.language):
            return {**data, "events": said_events(data["events"], sayings), "view": said_view(data["view"], sayings)}

    async def send_error(self, code: str, message: Text | str, *, msg_id: str | None = None, **details: Any) -> None:
        await self.send_frame(P.Error(msg_id=msg_id, code=code, message=self.said(message), details=details))

    async def refuse(self, code: str, message: Text | str, close_code: int) -> None:
        await self.send_error(code, message)
        await self.close(code=close_code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        limit = settings.REALTIME_MAX_FRAME_BYTES
        if not self.bucket.take():
            message = sentence(
                gettext_noop("Too many frames: at most %(rate)s per second (bursts of %(burst)s); the extra ones are dropped."),
                rate=f"{self.bucket.rate:g}", burst=self.bucket.burst,
            )
            retry_after = round(self.bucket.wait_time(), 3)
            move_id = _move_id(text_data, limit)
            if move_id is not None:  # a dropped move is answered, so its sender knows to send it again later
                await self.send_error("protocol/rate_limited", message, msg_id=move_id, retry_after=retry_after)
                return
            now = time.monotonic()
            if now - self.last_flood_error >= 1.0:  # other frames: at most one error a second, not one per dropped frame
                self.last_flood_error = now
                await self.send_error("protocol/rate_limited", message, retry_after=retry_after)
            return
        if bytes_data is not None:
            await self.send_error("protocol/binary", sentence(gettext_noop("Binary frames are not accepted; send JSON text.")))
            return
        text = text_data or ""
        if len(text) > limit or len(text.encode()) > limit:
            await self.send_error("protocol/too_large", sentence(gettext_noop("The frame is larger than %(limit)s bytes; it was not read."), limit=limit), limit=limit)
            return
        try:
            raw = P.read_client_json(text)
        except P.FrameRefused as exc:
            await self.send_error(exc.code, exc.message)
            return
        try:
            frame = P.CLIENT_ADAPTER.validate_python(raw)
        except ValidationError as exc:
            code, message, details = _validation_error(exc)
            await self.send_error(code, message, msg_id=P.msg_id_of(raw), **details)
            return
        await self.handle(frame)

    async def handle(self, frame: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def limits(self) -> P.Limits:
        return P.Limits(
            max_frame_bytes=settings.REALTIME_MAX_FRAME_BYTES, rate_per_second=self.bucket.rate, burst=self.bucket.burst,
            page_events=settings.REALTIME_PAGE_EVENTS, chats_per_minute=settings.REALTIME_SEAT_CHATS_PER_MINUTE,
        )

    async def send_page(self, match_id: int, seat: str, frame: P.Older) -> None:
        """One page of the log before `frame.before_seq`, as `seat` may see it."""
        table = await live_table(match_id).current()
        events, more = table.page(seat, before_seq=frame.before_seq, limit=settings.REALTIME_PAGE_EVENTS)
        with translation.override(self.language):
            events = said_events(events, table.sayings)
        await self.send_frame(P.Page(msg_id=frame.msg_id, match=match_id, before_seq=frame.before_seq, events=events, more=more))

    def new_bucket(self) -> TokenBucket:
        return TokenBucket(settings.REALTIME_RATE_PER_SECOND, settings.REALTIME_RATE_BURST)


def _query(scope: dict[str, Any]) -> dict[str, str]:
    raw = scope.get("query_string", b"")[:2048].decode("latin-1")
    return {k: v[0] for k, v in parse_qs(raw).items() if v}


class SeatConsumer(_Frames):
    """One seat at one table. Every frame it sends is built for that seat, from the log, by the engine."""

    match_id: int
    seat: str | None = None
    team: str = ""
    sent_version = 0  # the version this connection's client has been brought up to
    sent_view: dict[str, Any] | None = None  # the view that client holds (without the static keys)
    covered = False  # a bot plays this seat for now (the facilitator handed it over)
    last_touch = 0.0

    async def connect(self) -> None:
        self.bucket = self.new_bucket()
        seat = await self._seat_of_scope()
        await self.accept()
        if seat is None:
            await self.refuse("auth/bad_token", sentence(gettext_noop("No seat of this table is bound to that token; join again with the code.")), CLOSE_BAD_TOKEN)
            return
        self.match_id = seat.match_id
        self.seat, self.team, self.display_name = seat.role_id, seat.team, seat.display_name or None
        self.workshop_id = seat.workshop_id
        for group in self._groups():
            await self.channel_layer.group_add(group, self.channel_name)
        self.last_touch = time.monotonic()
        since = _query(self.scope).get("last_seq", "")
        data = await self._read(int(since) if since.isdigit() and len(since) < 9 else 0)
        # presence_soon below sends the fresh one; a seat a bot covered until now reads it fresh already
        presence = await (self.live.presence_now() if seat.cover == "dropout" else self.live.presence_recent())
        self._covered_from(presence)
        await self.send_frame(
            P.Welcome(
                match=self.match_id, seat=self.seat, team=self.team, display_name=self.display_name,
                version=data["version"], view=data["view"], since=data["since"], from_seq=data["from_seq"],
                events=data["events"], presence=presence, annotations=await self._annotations(data["version"]), limits=self.limits(),
                scenario=selectors.scenario_for(data["scenario"], self.team, language=self.language),
            )
        )
        self._sent(data)
        self.live.presence_soon(self.workshop_id)
        timers.ensure_started()
        if any(s["kind"] == "bot" or s.get("bot_cover") for s in presence):
            self.live.bots.kick(data["version"], seats_changed=True)  # bots whose runner died with a restarted server pick up again

    async def _seat_of_scope(self) -> Any:
        """The one access check of a seat socket: the seat at the table the URL names by its public id
        that the browser's seat cookie for that table binds, with this connection recorded; None for
        an unknown table and a wrong secret alike. Past it only the table's internal id is used."""
        held = access.seat_credentials(self.scope)  # the seat cookies, never the URL (which proxies log)
        if not held:
            return None
        return await live_tables().seat_connect(
            public_id=self.scope["url_route"]["kwargs"]["public_id"], held=held, channel_name=self.channel_name,
        )

    @property
    def live(self) -> LiveTable:
        """The table's owner in this process, looked up each time: the registry may replace an idle one."""
        return live_table(self.match_id)

    def _groups(self) -> list[str]:
        return [table_group(self.match_id), team_group(self.match_id, self.team), seat_group(self.match_id, self.seat)]

    async def disconnect(self, code: int) -> None:
        if self.seat is None:
            return
        for group in self._groups():
            await self.channel_layer.group_discard(group, self.channel_name)
        await live_tables().connection_close(channel_name=self.channel_name)
        self.live.presence_soon(self.workshop_id)

    # --- reading what this seat may see ---------------------------------------------------------
    async def _read(self, after_seq: int, at_least: int | None = None, *, static: bool = True) -> dict[str, Any]:
        return self._frame_of(await self.live.current(at_least), after_seq, static=static)

    def _frame_of(self, table: Table, after_seq: int, *, static: bool) -> dict[str, Any]:
        if after_seq > table.version:  # a client from another database: give it the whole log
            after_seq = 0
        data = self.said_frame(table.frame(self.seat, after_seq=after_seq, now=time.time(), static=static, limit=settings.REALTIME_PAGE_EVENTS), table.sayings)
        data["since"] = after_seq
        data["scenario"] = table.scenario
        return data

    async def _annotations(self, version: int) -> list[dict[str, Any]] | None:
        scored = await self.live.score(at_least=version)
        if scored is None:
            return None
        return scores.in_language(
            scores.annotations_for(scored.scenario, scored.result, self.seat, scored.state.status == "finished"), self.language)

    async def send_snapshot(self, after_seq: int, msg_id: str | None = None) -> None:
        data = await self._read(after_seq)
        presence = await self.live.presence_now()
        await self.send_frame(
            P.Snapshot(
                msg_id=msg_id, match=self.match_id, version=data["version"], view=data["view"], since=data["since"],
                from_seq=data["from_seq"], events=data["events"], presence=presence, annotations=await self._annotations(data["version"]),
            )
        )
        self._sent(data)

    async def send_new_events(self, at_least: int | None = None) -> None:
        """Bring the client up to date: the events after the last version sent, filtered for this seat."""
        table = await self.live.current(at_least)
        if table.version <= self.sent_version:
            return
        if table.version - self.sent_version > settings.REALTIME_PAGE_EVENTS:
            # Too far behind for one bounded frame: the current view and the latest page of the log.
            await self.send_snapshot(self.sent_version)
            return
        if self._only_version_changed(table):
            # The same frame for every seat of the team at that version: built once (Table.memo).
            since = self.sent_version
            text = table.memo(("only the version", self.team, since, self.language), lambda: P.Events(
                match=self.match_id, prev_version=since, version=table.version,
                events=self.said_frame({"events": table.events_for(self.seat, since), "view": {}}, table.sayings)["events"], view={"version": table.version},
            ).model_dump_json())
            await self.send(text_data=text)
            self.sent_version = self.sent_view["version"] = table.version
            return
        since, held = self.sent_version, self.sent_view

        def build() -> tuple[str, dict[str, Any]]:
            data = self._frame_of(table, since, static=False)
            view, had = data["view"], held or {}
            # Only the keys that changed: the client merges them into the view it holds (most moves
            # change a few keys of a 6 KB view; every byte is sent, and parsed, once per seat).
            # A value of the table's shared view is the very object sent before if it did not change
            # (tablelog.Table.shared): compared by identity first.
            changed = {k: v for k, v in view.items() if k not in had or (had[k] is not v and had[k] != v)}
            frame = P.Events(match=self.match_id, prev_version=since, version=table.version, events=data["events"], view=changed)
            return frame.model_dump_json(), view

        # Every connection of this seat brought up to `since` holds the same view: one frame for them all.
        text, view = table.memo(("events", self.seat, since, held is None, self.language), build)
        await self.send(text_data=text)
        self.sent_version, self.sent_view = table.version, view

    def _only_version_changed(self, table: Table) -> bool:
        """Whether this seat's view changed in nothing but its version since the client's last frame:
        the state did not (a team chat only adds to the log), so neither did the seat's moves -- save
        for a pacer's, whose `tick` waits for the clock."""
        return (
            self.sent_view is not None and table.state_since <= self.sent_version
            and self.seat not in table.state.pacers
        )

    def _sent(self, data: dict[str, Any]) -> None:
        """A whole view went out (welcome, snapshot): what the client holds from now on."""
        self.sent_version = data["version"]
        self.sent_view = {k: v for k, v in data["view"].items() if k not in STATIC_VIEW_KEYS}

    # --- client frames --------------------------------------------------------------------------
    async def handle(self, frame: Any) -> None:
        self._touch()
        if isinstance(frame, (P.Hello, P.Resync)):
            await self.send_snapshot(frame.last_seq or 0, frame.msg_id)
        elif isinstance(frame, P.MoveFrame):
            await self._move(frame)
        elif isinstance(frame, P.Older):
            await self.send_page(self.match_id, self.seat, frame)
        elif isinstance(frame, P.Ping):
            await self.send_new_events()  # the channel layer may drop a notification: the log is the truth, catch up from it
            await self.send_frame(P.Pong(msg_id=frame.msg_id, version=self.sent_version, server_time=time.time()))
        else:  # control, watch
            await self.send_error(E.FORBIDDEN, sentence(gettext_noop("Only the workshop's facilitator can do that.")), msg_id=frame.msg_id)

    async def _move(self, frame: P.MoveFrame) -> None:
        if self.covered and frame.move.kind != "team_chat":  # one player per seat: the bot, until it is handed back
            await self.send_error(
                "seat/covered", sentence(gettext_noop("The facilitator has handed your seat to a bot for now; you can still chat with your team.")),
                msg_id=frame.msg_id,
            )
            return
        if frame.move.kind == "team_chat":
            wait = await self._chat_wait()
            if wait is not None:
                await self.send_error(
                    "seat/chat_limited",
                    sentence(
                        gettext_noop("At most %(count)s chat messages a minute per seat; try again in %(seconds)s s."),
                        count=settings.REALTIME_SEAT_CHATS_PER_MINUTE, seconds=ceil(wait),
                    ),
                    msg_id=frame.msg_id, retry_after=round(wait, 3),
                )
                return
        try:
            result = await self.live.submit(seat=self.seat, move=frame.move, expected_version=frame.expected_version, msg_id=frame.msg_id)
        except MoveError as exc:
            await self.send_error(exc.code, exc.message, msg_id=frame.msg_id, **exc.details)
            if exc.code == E.STALE_VERSION:
                await self.send_snapshot(min(self.sent_version, frame.expected_version or 0), frame.msg_id)
            return
        # The reply to the mover: its ack, then its own update from the version the owner holds now
        # (the table's other sockets hear of it from the channel layer).
        await self.send_frame(P.Ack(msg_id=frame.msg_id, version=result.state.version, duplicate=result.duplicate))
        if not result.duplicate:
            await self.send_new_events(at_least=result.state.version)

    async def _chat_wait(self) -> float | None:
        """Seconds until this seat may chat again, counted from the log (so every connection of the
        seat, on any server process, shares one allowance), or None if it may now."""
        now = time.time()
        table = await self.live.current(at_least=self.sent_version)
        recent = table.chats_of(self.seat, now - 60.0)
        limit = settings.REALTIME_SEAT_CHATS_PER_MINUTE
        if len(recent) < limit:
            return None
        return max(0.001, recent[-limit] + 60.0 - now)

    def _touch(self) -> None:
        if time.monotonic() - self.last_touch > settings.REALTIME_PRESENCE_TTL / 4:
            self.last_touch = time.monotonic()
            live_tables().mark_seen(self.channel_name)

    # --- channel-layer messages -----------------------------------------------------------------
    async def table_changed(self, message: dict[str, Any]) -> None:
        if message["version"] > self.sent_version:
            await self.send_new_events(at_least=message["version"])

    async def presence_changed(self, message: dict[str, Any]) -> None:
        self._covered_from(message["seats"])
        self.live.bots.seats_seen(message["seats"])
        await self.send_frame(P.Presence(match=self.match_id, seats=message["seats"]))

    def _covered_from(self, seats: list[dict[str, Any]]) -> None:
        """Whether the facilitator has handed this seat to a bot, as the latest presence says."""
        self.covered = any(s["role_id"] == self.seat and s.get("bot_cover") for s in seats)

    async def team_annotations(self, message: dict[str, Any]) -> None:
        if message["team"] != self.team:  # defence in depth: team groups carry only their team's
            return
        await self.send_frame(
            P.AnnotationsFrame(match=self.match_id, team=self.team, annotations=scores.in_language(message["annotations"], self.language),
                               scores=message.get("scores"))
        )

    async def seat_nudge(self, message: dict[str, Any]) -> None:
        await self.send_frame(P.NudgeFrame(match=self.match_id, text=message["text"]))

    async def seat_revoked(self, message: dict[str, Any]) -> None:
        await self.refuse("seat/moved", sentence(gettext_noop("The facilitator moved you or freed your seat; open the join page again to see where you sit now.")), CLOSE_MOVED)


class FacilitatorConsumer(_Frames):
    """The facilitator of one workshop: a live summary of every table, controls for one or all."""

    workshop = None
    watching: int | None = None
    closed = False

    async def connect(self) -> None:
        self.bucket = self.new_bucket()
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        workshop = await database_sync_to_async(access.facilitated_workshop)(self.scope.get("user"), public_id=public_id)
        await self.accept()
        if workshop is None:
            await self.refuse(E.FORBIDDEN, sentence(gettext_noop("Only the workshop's facilitator, signed in, can open its console.")), CLOSE_FORBIDDEN)
            return
        self.workshop = workshop
        self.tables = [m.pk for m in await database_sync_to_async(selectors.workshop_tables)(workshop.pk)]
        self.sent_version = {t: 0 for t in self.tables}
        self.summaries: dict[int, Settle[None]] = {}  # per table: the changes of a moment, one summary frame
        # Every table of the workshop notifies this group (content-free, like a table's own group).
        await self.channel_layer.group_add(workshop_group(workshop.pk), self.channel_name)
        await self.send_workshop(with_scenario=True)
        timers.ensure_started()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if self.workshop is None:
            return
        await self.channel_layer.group_discard(workshop_group(self.workshop.pk), self.channel_name)

    def _label(self, table: Table) -> str:
        """A workshop table's name in the console's language ("Table 2"); another match's own label."""
        if table.table_no is None:
            return table.label
        return self.said(sentence(gettext_noop("Table %(no)s"), no=table.table_no))

    async def _summary(self, match_id: int, at_least: int | None = None) -> P.TableSummary:
        live = live_table(match_id)
        table = await live.current(at_least)
        scored = await live.score(at_least=table.version)
        seats = await live.presence_now()
        s = table.state
        table_scores = scores.team_scores(scored.scenario, scored.result) if scored is not None else None
        return P.TableSummary(
            match=match_id, table_no=table.table_no, label=self._label(table), status=s.status, round=s.round, phase=s.phase,
            version=s.version, deadline=s.deadline, floor=s.floor, exchanges_used=s.exchanges_used,
            exchange_limit=s.exchange_limit, seats=seats, connected=sum(1 for x in seats if x["connected"]),
            result={**s.result.model_dump(mode="json"), "reason": self.said(s.result.reason)} if s.result else None, scores=table_scores,
        )

    async def send_workshop(self, msg_id: str | None = None, *, with_scenario: bool = False) -> None:
        w = self.workshop
        info = P.WorkshopInfo(
            id=w.pk, code=w.code, title=w.title, status=w.status, scenario=w.scenario.scenario_id,
            expires_at=w.expires_at.isoformat(), settings=w.settings,
        )
        scenario = selectors.scenario_for(selectors.scenario_of(w.scenario), None, everything=True, language=self.language) if with_scenario else None
        tables = [await self._summary(t) for t in self.tables]
        await self.send_frame(P.WorkshopFrame(msg_id=msg_id, workshop=info, tables=tables, scenario=scenario))

    async def send_table_snapshot(self, match_id: int, msg_id: str | None = None, after_seq: int = 0) -> None:
        live = live_table(match_id)
        table = await live.current()
        data = self.said_frame(table.frame(FACILITATOR, after_seq=after_seq, now=time.time(), limit=settings.REALTIME_PAGE_EVENTS), table.sayings)
        scored = await live.score()
        annotations = None
        if scored is not None:
            annotations = scores.in_language(
                scores.annotations_for(scored.scenario, scored.result, FACILITATOR, scored.state.status == "finished"), self.language)
        await self.send_frame(
            P.Snapshot(
                msg_id=msg_id, match=match_id, version=data["version"], view=data["view"], since=after_seq,
                from_seq=data["from_seq"], events=data["events"], annotations=annotations,
            )
        )
        self.sent_version[match_id] = data["version"]

    async def handle(self, frame: Any) -> None:
        if isinstance(frame, (P.Hello, P.Resync)):
            await self.send_workshop(frame.msg_id)
            if self.watching is not None:
                await self.send_table_snapshot(self.watching, frame.msg_id)
        elif isinstance(frame, P.Ping):
            await self.send_frame(P.Pong(msg_id=frame.msg_id, server_time=time.time()))
        elif isinstance(frame, P.Watch):
            if frame.table is not None and frame.table not in self.tables:
                await self.send_error("table/not_found", sentence(gettext_noop("No such table in this workshop.")), msg_id=frame.msg_id, table=frame.table)
                return
            self.watching = frame.table
            if frame.table is not None:
                await self.send_table_snapshot(frame.table, frame.msg_id)
        elif isinstance(frame, P.Control):
            await self._control(frame)
        elif isinstance(frame, P.Cover):
            await self._cover(frame)
        elif isinstance(frame, P.Nudge):
            await self._nudge(frame)
        elif isinstance(frame, P.Older):
            table = frame.table if frame.table is not None else self.watching
            if table is None or table not in self.tables:
                await self.send_error("table/not_found", sentence(gettext_noop("Name a table of this workshop to page through.")), msg_id=frame.msg_id, table=table)
                return
            await self.send_page(table, FACILITATOR, frame)
        else:  # a seat's move
            await self.send_error(E.FORBIDDEN, sentence(gettext_noop("The facilitator holds no seat; pace the tables with control frames.")), msg_id=frame.msg_id)

    async def _cover(self, frame: P.Cover) -> None:
        if frame.table not in self.tables:
            await self.send_error("table/not_found", sentence(gettext_noop("No such table in this workshop.")), msg_id=frame.msg_id, table=frame.table)
            return
        try:
            await database_sync_to_async(services.seat_cover)(
                workshop=self.workshop, match_id=frame.table, role_id=frame.role_id, bot=frame.bot,
            )
        except services.ServiceError as exc:
            await self.send_error(exc.code, exc.message, msg_id=frame.msg_id, table=frame.table)
            return
        await self.send_frame(P.Ack(msg_id=frame.msg_id))
        live = live_table(frame.table)
        live.presence_soon(self.workshop.pk)
        if frame.bot:
            live.bots.kick(seats_changed=True)

    async def _nudge(self, frame: P.Nudge) -> None:
        """A private note to one trainee: sent to that seat's group only (its open pages)."""
        if frame.table not in self.tables:
            await self.send_error("table/not_found", sentence(gettext_noop("No such table in this workshop.")), msg_id=frame.msg_id, table=frame.table)
            return
        reach = await database_sync_to_async(selectors.seat_reachable)(
            frame.table, frame.role_id, now=time.time(), ttl=settings.REALTIME_PRESENCE_TTL
        )
        if reach == "empty":
            await self.send_error("seat/empty", sentence(gettext_noop("No trainee holds that seat: a nudge goes to a trainee.")), msg_id=frame.msg_id, table=frame.table)
            return
        if reach == "offline":  # a nudge is not kept: it reaches only pages open now
            await self.send_error(
                "seat/offline", sentence(gettext_noop("That trainee has no page open now, so the nudge would not reach them; it was not sent.")),
                msg_id=frame.msg_id, table=frame.table,
            )
            return
        await self.channel_layer.group_send(seat_group(frame.table, frame.role_id), {"type": "seat.nudge", "match": frame.table, "text": frame.text})
        await self.send_frame(P.Ack(msg_id=frame.msg_id))

    async def _control(self, frame: P.Control) -> None:
        chosen_slowest = frame.table == "slowest"
        if chosen_slowest:
            held = {t: await live_table(t).current() for t in self.tables}
            table = slowest(held[self.tables[0]].scenario, {t: h.state for t, h in held.items()}) if held else None
            if table is None:
                await self.send_error("table/none_running", sentence(gettext_noop("No table is running: start the tables first.")), msg_id=frame.msg_id)
                return
            frame = frame.model_copy(update={"table": table})
        if frame.table != "all" and frame.table not in self.tables:
            await self.send_error("table/not_found", sentence(gettext_noop("No such table in this workshop.")), msg_id=frame.msg_id, table=frame.table)
            return
        targets = self.tables if frame.table == "all" else [frame.table]
        results: list[P.TableResult] = []
        for table in targets:
            try:
                result = await live_table(table).submit(seat=FACILITATOR, move=frame.move, msg_id=frame.msg_id)
                results.append(P.TableResult(table=table, version=result.state.version))
            except MoveError as exc:
                results.append(P.TableResult(table=table, error={**exc.as_dict(), "message": self.said(exc.message)}))
        if frame.table != "all" and results[0].error is not None:
            err = results[0].error
            await self.send_error(err["code"], err["message"], msg_id=frame.msg_id, table=frame.table, **err["details"])
            return
        version = results[0].version if frame.table != "all" else None
        # The slowest table's answer names the table it chose; "all" names each.
        named = results if frame.table == "all" or chosen_slowest else None
        await self.send_frame(P.Ack(msg_id=frame.msg_id, version=version, results=named))

    # --- channel-layer messages -----------------------------------------------------------------
    async def table_changed(self, message: dict[str, Any]) -> None:
        match_id = message["match"]
        if match_id not in self.sent_version or message["version"] <= self.sent_version[match_id]:
            return
        self.summary_soon(match_id)
        if match_id == self.watching:
            after = self.sent_version[match_id]
            if message["version"] - after > settings.REALTIME_PAGE_EVENTS:
                await self.send_table_snapshot(match_id, after_seq=after)
                return
            table = await live_table(match_id).current(message["version"])
            data = self.said_frame(table.frame(FACILITATOR, after_seq=after, now=time.time(), static=False), table.sayings)
            await self.send_frame(
                P.Events(match=match_id, prev_version=after, version=data["version"], events=data["events"], view=data["view"])
            )
            self.sent_version[match_id] = data["version"]
        else:
            self.sent_version[match_id] = message["version"]

    async def presence_changed(self, message: dict[str, Any]) -> None:
        if message["match"] in self.sent_version:
            self.summary_soon(message["match"])

    def summary_soon(self, match_id: int) -> None:
        """A table's summary, a moment from now: the changes of that moment (a chatty team, a room
        connecting) share one frame, read after them."""
        soon = self.summaries.get(match_id)
        if soon is None:
            soon = self.summaries[match_id] = Settle(lambda _: self._send_summary(match_id))
        soon.add(None, settings.REALTIME_SUMMARY_SETTLE)

    async def _send_summary(self, match_id: int) -> None:
        if self.closed:
            return
        await self.send_frame(P.TableSummaryFrame(table=await self._summary(match_id)))
