"""Bots in seats: they move through the same service path as humans, after the move that woke them.

After every committed move that was not a bot's (a human's, the facilitator's, the clock's), the
table's owner kicks its `BotRunner`, which starts -- or re-arms -- one runner task for the table in
this process. The runner reads the state, asks each bot seat in turn `decide(scenario, state, events,
seat, persona_id, seed, now)` (or the bot's many-seat form of it, game.bots.first_move: a team's plan
made once for all its seats) -- on the event loop while game.bots' decisions at the table are quick,
else in a worker thread, never on the database thread, which every socket of the process shares --
and submits the first move it gets with `expected_version`, exactly like a human. A stale version
means someone moved first: read and decide again. At most REALTIME_BOT_MOVES_PER_TRIGGER bot moves
follow one trigger, so bots cannot loop.

The bots' moves of one moment (a team answering the same move, a caucus filling in) reach the table's
sockets in one announcement: the runner tells the table once it has nothing left to do, or once
ANNOUNCE_MOVES moves or ANNOUNCE_AFTER seconds are waiting, so each socket builds and sends one frame
for them (a frame carries every event after the socket's last version) instead of one per move.

A bot sees what its seat may see: the events are filtered with the engine's `visible_events`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.module_loading import import_string

from game import selectors
from game.engine import Event, MoveError, seat_team, visible_events
from game.engine import errors as E
from game.realtime import tasks

if TYPE_CHECKING:
    from game.realtime.table import LiveTable

log = logging.getLogger(__name__)

Decide = Callable[..., object]

_warned: set[str] = set()

INLINE_DECISIONS = 0.002  # seconds under which a round of decisions may run on the event loop
ANNOUNCE_MOVES = 8  # bot moves waiting to be announced at most (a frame stays well under REALTIME_PAGE_EVENTS)
ANNOUNCE_AFTER = 0.05  # seconds the first of them waits at most: a moment, not a delay a trainee sees


def load_decide() -> Decide | None:
    """game.bots.decide (or the REALTIME_BOT_DECIDE override), or None while no bot exists."""
    path = settings.REALTIME_BOT_DECIDE
    try:
        return import_string(path)
    except ImportError:
        if path not in _warned:
            _warned.add(path)
            log.warning("no bot available at %s: bot seats will not move", path)
        return None


@lru_cache(maxsize=16)
def _takes_bot_seats(decide: Decide) -> bool:
    try:
        return "bot_seats" in inspect.signature(decide).parameters
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=16)
def _first_of(decide: Decide) -> Callable[..., tuple[int, object] | None] | None:
    """The many-seat form of `decide` when its module offers one (game.bots.first_move: the same
    answers as asking each seat in turn, with a team's plan made once for all its seats), else None."""
    first = getattr(sys.modules.get(getattr(decide, "__module__", ""), None), "first_move", None)
    return first if callable(first) else None


@lru_cache(maxsize=16)
def _unmoved_by(decide: Decide) -> frozenset[str]:
    """The event types after which `decide` answers every seat as before them, as its module declares
    (game.bots.UNMOVED_BY); none for a decide that declares nothing."""
    return frozenset(getattr(sys.modules.get(getattr(decide, "__module__", ""), None), "UNMOVED_BY", ()))


class BotRunner:
    """The bots of one table in this process: at most one runner task, re-armed by each trigger.
    Held by the table's owner (game.realtime.table.LiveTable), whose `submit` takes their moves."""

    def __init__(self, live: LiveTable) -> None:
        self.live = live
        self._task: asyncio.Task | None = None
        self._budget = 0
        self._seen = 0  # the least version the next decision must see (this process's copy may be older)
        self._rearmed = False
        # (role id, persona) of the table's bot seats as last read; None: read them again before
        # deciding ([] : a table of trainees, not asked after every move). Seats change hands rarely,
        # and every change is announced: by whoever makes it in this process (`seats_changed`), and by
        # the table's presence frames in every process (`seats_seen`).
        self._seats: list[tuple[str, str]] | None = None
        self._quick = False  # whether the last round of decisions took less than INLINE_DECISIONS
        self._unannounced = 0  # the version of the last bot move not yet announced (0: none)
        self._waiting = 0  # how many bot moves wait for that announcement
        self._waiting_since = 0.0
        # (version, event types): no bot seat had a move at that version, and would still have none
        # after events of only those types (the bot's UNMOVED_BY); None: unknown, ask the bots.
        self._settled: tuple[int, frozenset[str]] | None = None

    def kick(self, version: int | None = None, *, seats_changed: bool = False) -> None:
        """Something happened at the table (now at `version`): let its bots react, bounded, without
        blocking the caller. `seats_changed`: a seat was just handed to a bot or back."""
        if seats_changed:
            self._seats = None
        elif self._seats == [] or (not self.busy and self._still_settled(version)):
            return
        self._budget = settings.REALTIME_BOT_MOVES_PER_TRIGGER
        self._saw(version)
        if self.busy:
            self._rearmed = True
            return
        self._task = tasks.spawn(self._run(), name=f"bots-{self.live.match_id}")

    def seats_seen(self, seats: list[dict]) -> None:
        """The table's presence (who holds each seat): bot seats other than those last read wake the
        bots, who read them again."""
        if self._seats is None:
            return
        bots = {s["role_id"] for s in seats if s["kind"] == "bot" or s.get("bot_cover")}
        if bots != {role_id for role_id, _ in self._seats}:
            self.kick(seats_changed=True)

    def _still_settled(self, version: int | None) -> bool:
        """Whether the bots, who had nothing to do when they last looked, still have nothing to do at
        `version`: every event since is one after which the bot decides as before (a chat)."""
        table = self.live.table
        if self._settled is None or table is None or table.version != version:
            return False
        at, unmoved = self._settled
        return at <= version and all(e.type in unmoved for e in table.after(at))

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _saw(self, version: int | None) -> None:
        if version is not None:
            self._seen = max(version, self._seen)

    async def _run(self) -> None:
        match_id = self.live.match_id
        try:
            decide = load_decide()
            if decide is None:
                return
            while self._budget > 0:
                self._rearmed, self._settled = False, None
                if self._seats is None:
                    self._seats = await database_sync_to_async(selectors.bot_seats)(match_id)
                seats = self._seats
                if not seats:
                    return
                table = await self.live.current(at_least=self._seen)
                if table.state.status != "running":
                    return
                moved = await self._one_bot_move(decide, table.scenario, table.state, table.events, seats)
                if moved:
                    self._budget -= 1
                elif not self._rearmed:
                    self._settled = (table.version, _unmoved_by(decide))
                    return
            log.warning("bots at match %s stopped after %s moves for one trigger", match_id, settings.REALTIME_BOT_MOVES_PER_TRIGGER)
        finally:
            self._seen = 0
            await self._announce()

    async def _one_bot_move(self, decide: Decide, scenario, state, events: Sequence[Event], seats) -> bool:
        """Ask each bot seat in turn; submit the first move. True if something changed (move or stale)."""
        match_id = self.live.match_id
        start = 0
        while start < len(seats):
            found = await self._decide(decide, scenario, state, events, seats, start)
            if found is None:
                return False
            index, move = found
            role_id = seats[index][0]
            try:
                result = await self.live.submit(
                    seat=role_id, move=move, expected_version=state.version, msg_id=f"bot.v{state.version}", from_bot=True,
                )
                self._saw(result.state.version)
                await self._moved(result.state.version)
                return True
            except MoveError as exc:
                if exc.code == E.STALE_VERSION:
                    self._saw(exc.details.get("version"))
                    return True  # someone moved first: read again and re-decide
                log.warning("bot %s at match %s made a refused move %s: %s", role_id, match_id, getattr(move, "kind", move), exc)
            start = index + 1
        return False

    async def _decide(self, decide: Decide, scenario, state, events: Sequence[Event], seats, start: int) -> tuple[int, object] | None:
        """`_first_move` from `seats[start]` on, the seats asked together. On the event loop when the
        bot answers for many seats at once (game.bots, whose decisions bench/bots.py keeps under a
        millisecond) and the table's last round took under INLINE_DECISIONS: cheaper than the
        trip to a worker thread and back. Else in a worker thread, where a slow decision blocks nobody."""
        ask = partial(_first_move, decide, self.live.match_id, scenario, state, events, seats, start, time.time())
        if self._quick:
            began = time.perf_counter()  # the loop's own time: this thread runs alone but for a switch interval
            found = ask()
            spent = time.perf_counter() - began
        else:
            found, spent = await asyncio.to_thread(_cpu_timed, ask)
        self._quick = spent < INLINE_DECISIONS and _first_of(decide) is not None
        return found

    async def _moved(self, version: int) -> None:
        """A bot move committed at `version`: announced together with the moves that follow it now."""
        if not self._waiting:
            self._waiting_since = time.monotonic()
        self._unannounced, self._waiting = version, self._waiting + 1
        if self._waiting >= ANNOUNCE_MOVES or time.monotonic() - self._waiting_since >= ANNOUNCE_AFTER:
            await self._announce()

    async def _announce(self) -> None:
        version, self._unannounced, self._waiting = self._unannounced, 0, 0
        if version:
            await self.live.announce(version)

    async def idle(self, timeout: float = 20.0) -> None:
        """Wait until the bots have nothing left to do (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self.busy:
            if time.monotonic() > deadline:
                raise TimeoutError(f"bots at match {self.live.match_id} still busy")
            await asyncio.wait([self._task], timeout=max(0.0, deadline - time.monotonic()))


def _cpu_timed(ask: Callable[[], tuple[int, object] | None]) -> tuple[tuple[int, object] | None, float]:
    """`ask()`, and the CPU time it took in this worker thread (waiting for the GIL not counted)."""
    began = time.thread_time()
    found = ask()
    return found, time.thread_time() - began


def _first_move(decide: Decide, match_id: int, scenario, state, events: Sequence[Event], seats, start: int, now: float) -> tuple[int, object] | None:
    """(index in `seats`, move) of the first bot seat from `start` on that has a move, each seeing
    what its seat may see; None if none has. A bot that fails is logged and passed over: it must not
    stop the table."""
    # A bot in a team with humans leaves the mandate, and the table at a human's level, to them.
    bot_seat_ids = tuple(role_id for role_id, _ in seats)
    first_of = _first_of(decide)
    if first_of is not None:
        try:
            found = first_of(scenario, state, events, seats[start:], state.seed, now, bot_seats=bot_seat_ids)
        except Exception:  # asked seat by seat below, where the failing bot is named and passed over
            pass
        else:
            return None if found is None else (start + found[0], found[1])
    think = partial(decide, bot_seats=bot_seat_ids) if _takes_bot_seats(decide) else decide
    seen: dict[str | None, list[Event]] = {}  # what one seat of a team may see, every seat of it may (engine.can_see)
    for index in range(start, len(seats)):
        role_id, persona = seats[index]
        team = seat_team(scenario, role_id)
        if team not in seen:
            seen[team] = visible_events(scenario, events, role_id)
        try:
            move = think(scenario, state, seen[team], role_id, persona, state.seed, now)
        except Exception:
            log.exception("bot %s at match %s failed to decide", role_id, match_id)
            continue
        if move is not None:
            return index, move
    return None
