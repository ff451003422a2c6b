"""The adapter to game.scoring (optional: everything works without it, just without scores).

Scoring is pure CPU work. Building a table's scorer, or catching it up with many events, runs in a
worker thread (asyncio.to_thread), never on the event loop or the database thread. Feeding a warm
scorer one move's few events runs on the event loop, where a thread hop per move would cost more
than the scoring itself (the worker has to win the GIL from the busy loop, then hand the answer back). The log comes from the table's owner in this process
(game.realtime.table.LiveTable), which holds a `TableScorer`; its result is kept per version, so ten
seats and a facilitator at one table cost one computation per move.

The score is kept incrementally: one `game.scoring.Scorer` per live table and process is fed only the
events after the ones it has seen (its figures equal `score_match`'s on the log so far): a full
`score_match` re-reads the whole log, which grows with the game (bench/scoring.py). A live table shows
the annotations, alignment and leaderboard only, so it asks for those (`Scorer.live`), not for the
whole report with its per-seat and per-role parts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from game.engine import MatchState
from game.realtime.tablelog import Table
from game.scenario import Scenario

log = logging.getLogger(__name__)

# Tests may set this to (score_match, annotations_visible_to) stand-ins.
override: tuple[Callable, Callable] | None = None

def _scoring() -> tuple[Callable, Callable] | None:
    if override is not None:
        return override
    try:
        from game.scoring import annotations_visible_to, score_match  # noqa: PLC0415 (optional)
    except ImportError:
        return None
    return score_match, annotations_visible_to


def available() -> bool:
    return _scoring() is not None


def may_annotate(events: Iterable[Any]) -> bool:
    """Whether these events can earn annotations as they happen (False for team chats: their scoring
    can wait for the next move's, which feeds them too)."""
    if override is not None:
        return True
    try:
        from game.scoring import may_find  # noqa: PLC0415 (optional)
    except ImportError:
        return True
    return any(may_find(e.type) for e in events)


def _incremental_scorer() -> Any:
    if override is not None:
        return None
    try:
        from game.scoring import Scorer  # noqa: PLC0415 (optional)
    except ImportError:
        return None
    return Scorer


INLINE_EVENTS = 8  # at most this many new events are scored on the event loop itself


@dataclass(frozen=True)
class Scored:
    scenario: Scenario
    state: MatchState
    result: Any  # game.scoring.LiveScore (or None if scoring failed)


class TableScorer:
    """The live score of one table, kept by its owner (game.realtime.table.LiveTable): an incremental
    scorer fed only the events after those it has seen, and the score of the latest version asked."""

    def __init__(self) -> None:
        self._held: tuple[Any, int, Any] | None = None  # (scorer, events fed, the log's first event)
        self._result: tuple[int, Any] | None = None  # (version, score)
        self._lock = asyncio.Lock()  # one computation at a time: a scorer is fed in order

    def _score(self, table: Table, scoring: tuple[Callable, Callable]) -> Any:
        """The score of `table`: fed incrementally when possible (runs in a worker thread or inline)."""
        scorer_cls = _incremental_scorer()
        if scorer_cls is None:
            return scoring[0](table.scenario, table.events, table.weights)
        held, self._held = self._held, None
        first = table.events[0] if table.events else None
        if held is None or held[1] > len(table.events) or held[2] is not first or (
            held[0].scenario is not table.scenario and held[0].scenario != table.scenario
        ):
            held = (scorer_cls(table.scenario), 0, first)  # a new table, or not the log it was fed (a restored database)
        scorer, fed, _ = held
        for event in table.events[fed:]:
            scorer.feed(event)  # raises: the scorer is dropped (taken above) and rebuilt next time
        result = scorer.live(table.weights)
        self._held = (scorer, len(table.events), first)
        return result

    def _feeds_few(self, table: Table) -> bool:
        """Whether `_score` would only feed a warm scorer a move's few new events (cheap: done inline)."""
        if self._held is None or _incremental_scorer() is None:
            return False
        scorer, fed, first = self._held
        events = table.events
        return first is (events[0] if events else None) and scorer.scenario is table.scenario and 0 <= len(events) - fed <= INLINE_EVENTS

    async def score(self, table_at: Callable[[], Awaitable[Table]]) -> Scored | None:
        """The state and score of the table `await table_at()` returns (None: no scoring installed)."""
        scoring = _scoring()
        if scoring is None:
            return None
        async with self._lock:
            table = await table_at()
            if self._result is not None and self._result[0] == table.version:
                result = self._result[1]
            else:
                try:
                    if self._feeds_few(table):  # a move's own events: cheaper here than a thread hop
                        result = self._score(table, scoring)
                    else:  # a first build or a long catch-up: off the event loop
                        result = await asyncio.to_thread(self._score, table, scoring)
                except Exception:  # scoring must never take a game down with it
                    log.exception("scoring failed for match %s at version %s", table.match_id, table.version)
                    result = None
                self._result = (table.version, result)
            return Scored(table.scenario, table.state, result)


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def annotations_for(
    scenario: Scenario, result: Any, seat: str, finished: bool, *, after_seq: int = 0, upto_seq: int | None = None
) -> list[dict[str, Any]]:
    """The annotations `seat` may see now (own team's live, all after the game), judged in (after_seq, upto_seq]."""
    scoring = _scoring()
    if scoring is None or result is None:
        return []
    visible: Iterable[Any] = scoring[1](scenario, getattr(result, "annotations", None) or [], seat, finished)

    def at(a: Any) -> int:
        if isinstance(a, dict):
            return a.get("scored_at", a.get("seq", 0))
        return getattr(a, "scored_at", getattr(a, "seq", 0))

    # Filter before dumping: after each move only its own few annotations are wanted, out of all so far.
    return [_plain(a) for a in visible if at(a) > after_seq and (upto_seq is None or at(a) <= upto_seq)]


def in_language(annotations: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """The annotations (as `annotations_for` gives them, one copy for a whole team) with their reasons and
    lessons in one reader's language, just before they go out on that reader's socket."""
    if override is not None or not annotations:
        return annotations
    from game.web.notes import notes_in  # noqa: PLC0415 (scoring is optional)

    return notes_in(annotations, language)


def team_scores(scenario: Scenario, result: Any, *, team: str | None = None) -> dict[str, Any] | None:
    """Per team (one team for its own seats, every team for the facilitator): the leaderboard line
    (score, outcome, joint, alignment) or at least the alignment index."""
    if result is None:
        return None
    out: dict[str, Any] = {}
    for t in [team] if team else scenario.team_ids():
        board = getattr(result, "leaderboard", None) or {}
        alignment = getattr(result, "alignment", None) or {}
        line: dict[str, Any] = _plain(board[t]) if t in board else {}
        if t in alignment:
            # The scorer's own figures: the page shows them and never recomputes a rule.
            line.setdefault("alignment", getattr(alignment[t], "index", None))
            line["subscores"] = {
                d: v for d, v in (getattr(alignment[t], "subscores", None) or {}).items()
                if d not in (getattr(alignment[t], "left_out", None) or [])
            }
            line["backpedal_penalty"] = getattr(alignment[t], "backpedal_penalty", 0)
        if line:
            out[t] = line
    return out
