"""One version of a live table: its state, its whole log, and what each seat may be sent at that version.

Ten seats, a facilitator, the bots and the scorer of one table all read the same version; the table's
owner (game.realtime.table.LiveTable) replaces it with its successor after every move.

A `Table` is immutable once built; readers on the event loop may use the latest one without a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar


from game.engine import Event, MatchState, Reasons, only_add_to_log, player_view, replay_onto, shared_view, visible_events
from game.engine.apply import seat_team
from game.scenario import Scenario
from game.web.said import Sayings

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
    # The sentences this table's frames have said, per language: one for every version of the table.
    sayings: Sayings = field(default_factory=Sayings, compare=False, repr=False)
    # The latest earlier version's `reasons`, if any was built: what of it still holds is kept.
    _reasons_before: Reasons | None = field(default=None, compare=False, repr=False)

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
            sayings=self.sayings, _reasons_before=self.__dict__.get("reasons", self._reasons_before),
        )
        table.__dict__["state_json"] = state_json  # the cached_property's value: dumped once
        return table

    def caught_up(self, events: list[Event] | tuple[Event, ...]) -> Table | None:
        """This table after `events` read from the log, folded by the engine; None if they do not
        continue it (a database restored under a running server: load the match again)."""
        if [e.seq for e in events] != list(range(self.version + 1, self.version + 1 + len(events))):
            return None
        if not events:
            return self
        return self.successor(replay_onto(self.scenario, self.state, events), tuple(events))

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

    @cached_property
    def reasons(self) -> Reasons:
        """Why the seats' moves and cards are unavailable at this version, worked out once for them all."""
        return Reasons(self.scenario, self.state, before=self._reasons_before)

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
                shared=self.shared(seat_team(self.scenario, seat)), reasons=self.reasons,
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
