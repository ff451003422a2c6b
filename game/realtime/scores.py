"""The adapter to game.scoring (optional: everything works without it, just without scores).

`score_match(scenario, events, weights)` is pure CPU work proportional to the log, so it runs in a
worker thread (asyncio.to_thread), never on the event loop or the database thread. The log comes from
this process's copy of the table (game.realtime.tablelog); results are cached per (match, version), so
ten seats and a facilitator at one table cost one computation per move.
"""

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
                result = await asyncio.to_thread(scoring[0], table.scenario, table.events, table.weights)
            except Exception:  # scoring must never take a game down with it
                log.exception("scoring failed for match %s at version %s", match_id, table.version)
                result = None
            _RESULTS[key] = (table.version, result)
            _RESULTS.move_to_end(key)
            while len(_RESULTS) > _CACHE_SIZE:
                old, _ = _RESULTS.popitem(last=False)
                _LOCKS.pop(old, None)
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
    out = [_plain(a) for a in visible]

    def at(a: dict[str, Any]) -> int:
        return a.get("scored_at", a.get("seq", 0))

    return [a for a in out if at(a) > after_seq and (upto_seq is None or at(a) <= upto_seq)]


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
