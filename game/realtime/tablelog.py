"""This process's copy of each live table: its latest state and its whole log, read incrementally.

Ten seats, a facilitator, the bots and the scorer of one table all need the same state and events
after every move. Reading them once per move and process (only the events after the last one held),
instead of once per socket, keeps the process's single database thread free. The
database stays the truth: a notification carries the version it announces, and a copy older than
that is refreshed from the log before anything is sent.

A `Table` is immutable once built; readers on the event loop may use the latest one without a lock.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar


from game import hot_sql, selectors
from game.realtime import dbpool
from game.engine import Event, MatchState, only_add_to_log, player_view, replay_onto, shared_view, visible_events
from game.engine.apply import seat_team
from game.scenario import Scenario

MAX_TABLES = 256
T = TypeVar("T")


@dataclass(frozen=True)
class Table:
    match_id: int
    scenario: Scenario
    state: MatchState
    events: tuple[Event, ...]  # the whole log: events[i].seq == i + 1
    workshop_id: int | None
    table_no: int | None
    label: str
    weights: dict[str, float] | None
    # Per team, the view its seats share at this version (engine.shared_view), built on first use. Its
    # values that equal the previous version's are that version's own objects (`inherited`), so the
    # seats' update frames compare them by identity, not key by key (consumers.send_new_events).
    _shared: dict[str | None, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    _inherited: dict[str | None, dict[str, Any]] | None = field(default=None, compare=False, repr=False)
    # The version from which on nothing of the state changed but its version number (a team chat only
    # adds to the log); None: this version's own. And frames built once for many seats (`memo`).
    _state_since: int | None = field(default=None, compare=False, repr=False)
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def state_since(self) -> int:
        return self.version if self._state_since is None else self._state_since

    def successor(self, state: MatchState, events: tuple[Event, ...]) -> Table:
        """This table after `events` (which lead to `state`)."""
        if only_add_to_log(events):
            # Nothing but the version changed (a chat): this version's dump with the new number, its
            # values shared, not dumped again and compared (they are read, never changed: player_view).
            state_json, unchanged = {**self.state_json, "version": state.version}, True
        else:
            state_json = state.to_json()
            unchanged = _same_but_version(self.state_json, state_json)
        table = Table(
            self.match_id, self.scenario, state, self.events + events, self.workshop_id, self.table_no, self.label,
            self.weights, _inherited=self._shared, _state_since=self.state_since if unchanged else None,
        )
        table.__dict__["state_json"] = state_json  # the cached_property's value: dumped once
        return table

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """`build()`, once for this version of the table and `key`."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def shared(self, team: str | None) -> dict[str, Any]:
        view = self._shared.get(team)
        if view is None:
            view = shared_view(self.scenario, self.state, team, state_json=self.state_json)
            before = (self._inherited or {}).get(team)
            if before is not None:
                for key, value in view.items():
                    if key in before and before[key] == value:
                        view[key] = before[key]
            self._shared[team] = view
        return view

    def after(self, seq: int) -> tuple[Event, ...]:
        return self.events[max(0, seq):]

    @cached_property
    def state_json(self) -> dict[str, Any]:
        """The state dumped once for all the seats of this table at this version (player_view copies it)."""
        return self.state.to_json()

    def frame(self, seat: str, *, after_seq: int, now: float, static: bool = True, limit: int | None = None) -> dict[str, Any]:
        """What one seat may be sent, filtered by the engine: its view and the events after `after_seq` it may see
        (with `limit`, only the latest that many: `from_seq` is the seq after which they are complete).

        `static=False` for an update: the view without the parts a connected seat already holds."""
        if limit is None:
            events, cut = self.events_for(seat, after_seq), False
        else:
            events, cut = self.page(seat, after_seq=after_seq, limit=limit)
        return {
            "version": self.version,
            "view": player_view(
                self.scenario, self.state, seat, now, static=static, state_json=self.state_json,
                shared=self.shared(seat_team(self.scenario, seat)),
            ),
            "events": events,
            "from_seq": events[0].seq - 1 if cut else after_seq,
        }

    def events_for(self, seat: str, after_seq: int, before_seq: int | None = None) -> list[Event]:
        """The events after `after_seq` (and before `before_seq`) that `seat` may see."""
        # Bots' reasons on the other team's moves are shown once the game is over (replays, debrief).
        events = self.after(after_seq) if before_seq is None else self.events[max(0, after_seq):max(0, before_seq - 1)]
        return visible_events(self.scenario, events, seat, reveal_notes=self.state.status == "finished")

    def page(self, seat: str, *, after_seq: int = 0, before_seq: int | None = None, limit: int) -> tuple[list[Event], bool]:
        """The latest `limit` events `seat` may see between `after_seq` and `before_seq`, and whether
        it may see older ones in that span (every server frame is bounded: one page at most)."""
        events = self.events_for(seat, after_seq, before_seq)
        return (events[-limit:], True) if len(events) > limit else (events, False)

    def chats_of(self, seat: str, since: float) -> list[float]:
        """When `seat` posted team chat at or after `since` (epoch seconds), oldest first, from the log."""
        times: list[float] = []
        for event in reversed(self.events):
            if event.at < since:
                break
            if event.type == "chat_posted" and event.actor == seat:
                times.append(event.at)
        return times[::-1]


def _same_but_version(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before.keys() == after.keys() and all(value == after[key] for key, value in before.items() if key != "version")


_TABLES: OrderedDict[int, Table] = OrderedDict()
_LOCK = threading.Lock()


def peek(match_id: int) -> Table | None:
    return _TABLES.get(match_id)


def refresh(match_id: int) -> Table:
    """Bring this process's copy up to the database (sync: call on a database thread).

    A copy already held catches up with one read of the events after it, folded onto its state by the
    engine (the log is the truth; the fold of a move's events is the state its transaction stored).
    A first read, or a log that does not continue the copy (a restored database?), loads the match.
    The read happens outside the lock (several database threads may refresh different tables at once:
    game/realtime/dbpool.py); the copy is replaced only if it is newer than the one held by then."""
    held = _TABLES.get(match_id)
    table = _caught_up(held) if held is not None else None
    if table is None:
        loaded = selectors.match_load(match_id, after_seq=0)
        table = Table(
            match_id, loaded.scenario, loaded.state, tuple(loaded.events), loaded.workshop_id, loaded.table_no,
            loaded.label, loaded.weights,
        )
    with _LOCK:
        current = _TABLES.get(match_id)
        if current is not None and current is not held and current.version >= table.version:
            return current  # a move of this process or another refresh got there first
        _TABLES[match_id] = table
        _TABLES.move_to_end(match_id)
        while len(_TABLES) > MAX_TABLES:
            _TABLES.popitem(last=False)
        return table


def _caught_up(held: Table) -> Table | None:
    """`held` brought up to the log, or None if the log does not continue it (a database reset or
    restored under a running server: read it all again)."""
    read = hot_sql.events_after(held.match_id, held.version)
    if read is None:
        return None
    version, fresh = read
    if version < held.version or [e.seq for e in fresh] != list(range(held.version + 1, version + 1)):
        return None
    if not fresh:
        return held
    return held.successor(replay_onto(held.scenario, held.state, fresh), tuple(fresh))


def advance(match_id: int, state: MatchState, events: list[Event] | tuple[Event, ...]) -> bool:
    """A move this process has just committed: extend the copy with its transition, no database read.

    Only when the copy is exactly at the version the move started from (else the next reader refreshes
    from the log as before). Saves the re-read of a table's own move on the one database thread.
    """
    if not events:
        return False
    # Shared, not copied: events are frozen, and nothing downstream mutates their data (apply_move
    # works on a copy of the state it is given; views, frames and the scorer only read). A JSON round
    # trip per event here was a tenth of a move's server time (py-spy, bench/realtime.py).
    events = tuple(events)
    with _LOCK:
        held = _TABLES.get(match_id)
        if held is None or held.version != events[0].seq - 1 or state.version != events[-1].seq:
            return False
        table = held.successor(state, events)
        _TABLES[match_id] = table
        _TABLES.move_to_end(match_id)
        return True


MAX_NOTIFIED_EVENTS = 32  # a notification carries a move's events only up to this many (game.realtime.fanout)


def heard(message: dict[str, Any]) -> None:
    """A table.changed notification (game.realtime.fanout.notify_changed): if it carries the move's
    events and this process's copy is exactly where they start, extend the copy by folding them -- no
    read of the log. Anything else leaves the copy as it is, and readers refresh from the log."""
    raw = message.get("events")
    held = _TABLES.get(message.get("match"))  # type: ignore[arg-type]
    if not raw or held is None or held.version >= message.get("version", 0) or len(raw) > MAX_NOTIFIED_EVENTS:
        return
    events = [Event.model_validate(e) for e in raw]
    if [e.seq for e in events] != list(range(held.version + 1, held.version + 1 + len(events))):
        return
    if events[-1].seq != message["version"]:
        return
    state = replay_onto(held.scenario, held.state, events)
    with _LOCK:
        if _TABLES.get(held.match_id) is held:
            _TABLES[held.match_id] = held.successor(state, tuple(events))


_INFLIGHT: dict[tuple[int, int], asyncio.Task] = {}


async def table(match_id: int, *, at_least: int | None = None) -> Table:
    """The table at version `at_least` or later (None: as the database has it now).

    Readers waiting for the same version share one database read."""
    held = peek(match_id)
    if at_least is None:  # as fresh as the database now: one read shared by the sockets asking together
        from game.realtime import coalesce  # noqa: PLC0415

        return await coalesce.fresh(("table", match_id), lambda: refresh(match_id))
    if held is not None and held.version >= at_least:
        return held
    key = (id(asyncio.get_running_loop()), match_id)
    running = _INFLIGHT.get(key)
    if running is not None:
        shared = await asyncio.shield(running)
        if shared.version >= at_least:
            return shared
    task = asyncio.ensure_future(dbpool.run(refresh, match_id))
    _INFLIGHT[key] = task
    try:
        return await asyncio.shield(task)
    finally:
        if _INFLIGHT.get(key) is task:
            del _INFLIGHT[key]


def forget_all() -> None:
    with _LOCK:
        _TABLES.clear()
