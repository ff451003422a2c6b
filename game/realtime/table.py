"""The owner of each live table in this server process: every move, bot, score and notification of
a table goes through its `LiveTable` (the shape of lichess's round actor and its game proxy).

A `LiveTable` holds the table's current version (game.realtime.tablelog.Table: state, scenario, log,
the seats' views built once per version), serialises the table's moves and reads of the log under
one lock, applies each move with the engine and stores it through the one write path
(game.services.match_submit_move), replies to the mover with the result, and then tells the table's
channel-layer group that the version moved on. The notification carries no content: a socket of
this process finds the new version already here; another process's owner reads the events after
its own version from the log (the database is the truth; the channel layer may drop a message).

A person's move is stored before any bot's move that has not started yet, across the process's
tables (`PeopleFirst`). It also holds what belongs to the table alone: its live score (scores.TableScorer), its bots'
runner (bots.BotRunner), the shared read of its presence, and the pauses that gather a moment's
presence changes and score annotations into one frame.

`Tables` is the process's registry of owners, one per event loop and living as long as that loop
(`live_tables()`): an owner is created on first use and dropped, least recently used first and
only while idle, beyond MAX_TABLES.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from game import selectors, services
from game.engine import Move
from game.realtime import dbpool, scores
from game.realtime.bots import BotRunner
from game.realtime.coalesce import Fresh, Settle
from game.realtime.fanout import notify_groups, presence_of
from game.realtime.groups import team_group
from game.realtime.tablelog import Table
from game.services import MoveResult


class LiveTable:
    def __init__(self, match_id: int) -> None:
        self.match_id = match_id
        self.table: Table | None = None  # the latest version this process knows; replaced, never changed
        self._lock = asyncio.Lock()  # the one writer of `table`: a move or a read of the log at a time
        self._read = Fresh(self._catch_up)
        self.scorer = scores.TableScorer()
        self.bots = BotRunner(self)
        self._presence = Fresh(lambda: dbpool.run(presence_of, match_id))
        self._presence_soon: Settle[int | None] = Settle(self._send_presence)
        self._annotations_soon: Settle[tuple[int, int]] = Settle(self._push_annotations)

    @property
    def idle(self) -> bool:
        return not self._lock.locked() and not self.bots.busy

    # --- the table's state ---------------------------------------------------------------------
    async def current(self, at_least: int | None = None) -> Table:
        """The table at version `at_least` or later; None: as the database has it now (one read of
        the log shared by every caller asking together)."""
        table = self.table
        if at_least is not None and table is not None and table.version >= at_least:
            return table
        return await self._read()

    async def _catch_up(self) -> Table:
        async with self._lock:
            return await self._catch_up_locked()

    async def _catch_up_locked(self) -> Table:
        held = self.table
        table = None
        if held is not None:
            read = await dbpool.run(services.match_log_after, self.match_id, held.version)
            table = held.caught_up(read.events) if read.continues else None
        if table is None:  # a first read, or a log that does not continue the copy: load the match
            loaded = await dbpool.run(selectors.match_load, self.match_id, after_seq=0)
            table = Table(
                self.match_id, loaded.scenario, loaded.state, tuple(loaded.events), loaded.workshop_id, loaded.table_no,
                loaded.label, loaded.weights,
            )
        self.table = table
        return table

    # --- moves ---------------------------------------------------------------------------------
    async def submit(
        self, *, seat: str, move: Move | dict[str, Any], expected_version: int | None = None, msg_id: str | None = None,
        from_bot: bool = False,
    ) -> MoveResult:
        """Apply and store a move (raises game.engine.MoveError, nothing written), then tell the table.

        `msg_id` is namespaced by seat before it is stored, so two seats' ids never collide. A bot's
        move is announced by its runner (`announce`), once for the moves of a moment."""
        stored_id = f"{seat}:{msg_id}" if msg_id else None
        lane = live_tables().people_first
        if from_bot:
            await lane.bots_turn()  # before the table's lock: a bot waiting here holds up no one
        async with contextlib.nullcontext() if from_bot else lane.person(), self._lock:
            held = self.table or await self._catch_up_locked()
            result = await dbpool.run(
                services.match_submit_move, match_id=self.match_id, seat=seat, move=move, expected_version=expected_version,
                msg_id=stored_id, known=(held.scenario, held.state),
            )
            if result.log:
                self.table = held.successor(result.state, result.log)
        if not result.duplicate:
            if not from_bot:
                await self.announce(result.state.version)
            if scores.available() and scores.may_annotate(result.events):
                version = result.state.version
                self._annotations_soon.add((version - len(result.events), version), settings.REALTIME_ANNOTATIONS_SETTLE)
            if not from_bot:
                self.bots.kick(result.state.version)
        return result

    async def announce(self, version: int) -> None:
        """Tell the table's sockets, in every process, that the table is at `version` (or later)."""
        await notify_groups(self.match_id, self.table.workshop_id, {"type": "table.changed", "match": self.match_id, "version": version})

    # --- score ---------------------------------------------------------------------------------
    async def score(self, at_least: int | None = None) -> scores.Scored | None:
        """The state and score at version `at_least` or later (None: now); None without scoring."""
        return await self.scorer.score(lambda: self.current(at_least))

    async def _push_annotations(self, spans: list[tuple[int, int]]) -> None:
        """Score once for the moves of a moment, and send each team group only the new annotations it
        may see. The score is coaching: the table's update frames go out first."""
        prev_version, version = min(p for p, _ in spans), max(v for _, v in spans)
        scored = await self.score(at_least=version)
        if scored is None or scored.result is None:
            return
        layer = get_channel_layer()
        finished = scored.state.status == "finished"
        for team in scored.scenario.team_ids():
            seat = scored.scenario.roles_of(team)[0].id  # any seat of the team sees what the team sees
            new = scores.annotations_for(scored.scenario, scored.result, seat, finished, after_seq=prev_version, upto_seq=version)
            if new:
                await layer.group_send(
                    team_group(self.match_id, team),
                    {"type": "team.annotations", "match": self.match_id, "team": team, "annotations": new,
                     "scores": scores.team_scores(scored.scenario, scored.result, team=team)},
                )

    # --- presence ------------------------------------------------------------------------------
    async def presence_now(self) -> list[dict[str, Any]]:
        """Who is connected at the table, read after this call began (one read for callers asking together)."""
        return await self._presence()

    async def presence_recent(self) -> list[dict[str, Any]]:
        """Who is connected, as read at most a second ago: for a welcome, which a presence frame
        follows a moment later (so a storm of reconnects does not read it per socket)."""
        return await self._presence.recent(1.0)

    def presence_soon(self, workshop_id: int | None) -> None:
        """Tell the table (and its facilitator) who is connected, a moment from now: connections that
        open or close together share one presence frame, read after the pause."""
        self._presence_soon.add(workshop_id, settings.REALTIME_PRESENCE_SETTLE)

    async def _send_presence(self, workshop_ids: list[int | None]) -> None:
        seats = await self.presence_now()
        workshop_id = next((w for w in workshop_ids if w is not None), None)
        await notify_groups(self.match_id, workshop_id, {"type": "presence.changed", "match": self.match_id, "seats": seats})


class PeopleFirst:
    """The order in which this process's tables store their moves: a person's move (a trainee's, the
    facilitator's, the clock's) is stored before any bot's move that has not started yet. A bot's
    move starts when no person's move is waiting or being stored, in any table of the process: the
    database thread is shared, and a bot answering a moment later goes unnoticed where a person's own
    move answered late does not. A bot waits at most `patience` seconds: in a room whose people keep
    the lane busy without a break, the bots still answer, a moment late rather than never."""

    def __init__(self, patience: float = 0.05) -> None:
        self._people = 0
        self._clear = asyncio.Event()
        self._clear.set()
        self.patience = patience

    @contextlib.asynccontextmanager
    async def person(self) -> AsyncIterator[None]:
        self._people += 1
        self._clear.clear()
        try:
            yield
        finally:
            self._people -= 1
            if not self._people:
                self._clear.set()

    async def bots_turn(self) -> None:
        if not self._people:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wait_clear(), self.patience)

    async def _wait_clear(self) -> None:
        while self._people:
            await self._clear.wait()


class Tables:
    """The live tables of this process's event loop, and the work its sockets share."""

    MAX_TABLES = 256

    def __init__(self) -> None:
        self._live: OrderedDict[int, LiveTable] = OrderedDict()
        self._seen: Settle[str] = Settle(self._write_seen)
        # A crowd of sockets opening or closing at once (a room joining, a reconnect storm) shares database trips.
        self.seat_connect = dbpool.Batched(services.seat_connect, services.seats_connect)
        self.connection_close = dbpool.Batched(services.connection_close, services.connections_close)
        self.clock: asyncio.Task | None = None  # game.realtime.timers
        self.people_first = PeopleFirst()

    def get(self, match_id: int) -> LiveTable:
        live = self._live.get(match_id)
        if live is None:
            live = self._live[match_id] = LiveTable(match_id)
            for old_id, old in list(self._live.items()):
                if len(self._live) <= self.MAX_TABLES:
                    break
                if old.idle and old is not live:
                    del self._live[old_id]
        else:
            self._live.move_to_end(match_id)
        return live

    def all(self) -> list[LiveTable]:
        return list(self._live.values())

    def mark_seen(self, channel_name: str) -> None:
        """A sign of life from a connection, written together with those of the next second in one
        statement. Presence counts a connection for REALTIME_PRESENCE_TTL after its last sign of life,
        so one written a second late changes nothing anyone sees."""
        self._seen.add(channel_name, settings.REALTIME_SEEN_SETTLE)

    async def _write_seen(self, channel_names: list[str]) -> None:
        await dbpool.run(services.connections_touch, channel_names=sorted(set(channel_names)))


_BY_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Tables] = weakref.WeakKeyDictionary()


def live_tables() -> Tables:
    """The registry of the running event loop (a server process runs one loop; a test, one per test)."""
    loop = asyncio.get_running_loop()
    tables = _BY_LOOP.get(loop)
    if tables is None:
        tables = _BY_LOOP[loop] = Tables()
    return tables


def live_table(match_id: int) -> LiveTable:
    return live_tables().get(match_id)
