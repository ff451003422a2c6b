"""The adapter to game.scoring (optional: everything works without it, just without scores).

Scoring is pure CPU work. Building a table's scorer, or catching it up with many events, runs in a
worker thread (asyncio.to_thread), never on the event loop or the database thread. Feeding a warm
scorer one move's few events runs on the event loop: 0.02 ms median (bench/scoring.py), where a
thread hop per move cost more than the scoring itself (the worker has to win the GIL from the busy
loop, then hand the answer back). The log comes from this process's copy of the table
(game.realtime.tablelog); results are cached per (match, version), so ten seats and a facilitator at
one table cost one computation per move.

The score is kept incrementally: one `game.scoring.Scorer` per live table and process is fed only the
events after the ones it has seen (`Scorer.score()` equals `score_match` on the log so far). A full
`score_match` re-reads the whole log (7 ms for a 172-event bot game, up to 84 ms for some 76-event
games, bench/scoring.py), and it ran after every move, competing for the GIL with the event loop and
the database thread (bench/realtime.py)."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from game.engine import MatchState
from game.realtime import tablelog
from game.scenario import Scenario

log = logging.getLogger(__name__)

# Tests may set this to (score_match, annotations_visible_to) stand-ins.
override: tuple[Callable, Callable] | None = None

_CACHE_SIZE = 256


_RESULTS: OrderedDict[tuple[int, int], tuple[int, Any]] = OrderedDict()  # (loop id, match) -> (version, score)
_LOCKS: dict[tuple[int, int], asyncio.Lock] = {}
# (loop id, match) -> (scorer, events fed, the log's first event): only touched under that key's lock.
_SCORERS: dict[tuple[int, int], tuple[Any, int, Any]] = {}


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


def _score(key: tuple[int, int], table: tablelog.Table, scoring: tuple[Callable, Callable]) -> Any:
    """The score of `table` (in a worker thread, under the key's lock): fed incrementally when possible."""
    scorer_cls = _incremental_scorer()
    if scorer_cls is None:
        return scoring[0](table.scenario, table.events, table.weights)
    held = _SCORERS.pop(key, None)
    first = table.events[0] if table.events else None
    if held is None or held[1] > len(table.events) or held[2] is not first or (
        held[0].scenario is not table.scenario and held[0].scenario != table.scenario
    ):
        held = (scorer_cls(table.scenario), 0, first)  # a new table, or not the log it was fed (a restored database)
    scorer, fed, _ = held
    for event in table.events[fed:]:
        scorer.feed(event)  # raises: the scorer is dropped (popped above) and rebuilt next time
    result = scorer.score(table.weights)
    _SCORERS[key] = (scorer, len(table.events), first)
    return result


INLINE_EVENTS = 8  # at most this many new events are scored on the event loop itself


def _feeds_few(key: tuple[int, int], table: tablelog.Table) -> bool:
    """Whether `_score` would only feed a warm scorer a move's few new events (~0.05 ms; bench/scoring.py)."""
    held = _SCORERS.get(key)
    if held is None or _incremental_scorer() is None:
        return False
    scorer, fed, first = held
    events = table.events
    return first is (events[0] if events else None) and scorer.scenario is table.scenario and 0 <= len(events) - fed <= INLINE_EVENTS


@dataclass(frozen=True)
class Scored:
    scenario: Scenario
    state: MatchState
    result: Any  # game.scoring.MatchScore (or None if scoring failed)


async def current(match_id: int, *, at_least: int | None = None) -> Scored | None:
    """The match's state and its score at version `at_least` or later (None: now), from this process's
    copy of the table."""
    scoring = _scoring()
    if scoring is None:
        return None
    key = (id(asyncio.get_running_loop()), match_id)
    lock = _LOCKS.setdefault(key, asyncio.Lock())
    async with lock:
        table = await tablelog.table(match_id, at_least=at_least)
        cached = _RESULTS.get(key)
        if cached is not None and cached[0] == table.version:
            result = cached[1]
        else:
            try:
                if _feeds_few(key, table):  # a move's own events: cheaper here than a thread hop
                    result = _score(key, table, scoring)
                else:  # a first build or a long catch-up: off the event loop
                    result = await asyncio.to_thread(_score, key, table, scoring)
            except Exception:  # scoring must never take a game down with it
                log.exception("scoring failed for match %s at version %s", match_id, table.version)
                result = None
            _RESULTS[key] = (table.version, result)
            _RESULTS.move_to_end(key)
            while len(_RESULTS) > _CACHE_SIZE:
                old, _ = _RESULTS.popitem(last=False)
                _LOCKS.pop(old, None)
                _SCORERS.pop(old, None)
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


def team_scores(scenario: Scenario, result: Any, *, team: str | None = None) -> dict[str, Any] | None:
    """Per team (one team for its own seats, every team for the facilitator): the leaderboard line
    (score, outcome, joint, alignment) or at least the alignment index."""
    if result is None:
        return None
    out: dict[str, Any] = {}
    for t in [team] if team else scenario.team_ids():
        board = getattr(result, "leaderboard", None) or {}
        alignment = getattr(result, "alignment", None) or {}
        if t in board:
            out[t] = _plain(board[t])
        elif t in alignment:
            out[t] = {"alignment": getattr(alignment[t], "index", None)}
    return out
