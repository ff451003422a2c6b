"""Bots in seats: they move through the same service path as humans, after the move that woke them.

After every committed move that was not a bot's (a human's, the facilitator's, the clock's), `kick`
starts -- or re-arms -- one runner task per match in this process. The runner reads the state, asks
each bot seat in turn `decide(scenario, state, events, seat, persona_id, seed, now)` in a worker
thread (never on the database thread, which every socket of the process shares), and submits the first move it gets with
`expected_version`, exactly like a human. A stale version means someone moved first: read and decide
again. At most REALTIME_BOT_MOVES_PER_TRIGGER bot moves follow one trigger, so bots cannot loop.

A bot sees what its seat may see: the events are filtered with the engine's `visible_events`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable, Sequence
from functools import lru_cache, partial

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.module_loading import import_string

from game import selectors
from game.engine import Event, MoveError, visible_events
from game.engine import errors as E
from game.realtime import tablelog, tasks
from game.realtime.fanout import submit_move

log = logging.getLogger(__name__)

Decide = Callable[..., object]

_RUNNERS: dict[int, asyncio.Task] = {}
_BUDGET: dict[int, int] = {}
_SEEN: dict[int, int] = {}  # the least version the next decision must see (this process's copy may be older)
_REARMED: set[int] = set()
_warned: set[str] = set()


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


def kick(match_id: int, version: int | None = None) -> None:
    """Something happened at this table (now at `version`): let its bots react, bounded, without blocking the caller."""
    _BUDGET[match_id] = settings.REALTIME_BOT_MOVES_PER_TRIGGER
    _saw(match_id, version)
    runner = _RUNNERS.get(match_id)
    if runner is not None and not runner.done() and runner.get_loop() is asyncio.get_running_loop():
        _REARMED.add(match_id)
        return
    _RUNNERS[match_id] = tasks.spawn(_run(match_id), name=f"bots-{match_id}")


def _saw(match_id: int, version: int | None) -> None:
    if version is not None:
        _SEEN[match_id] = max(version, _SEEN.get(match_id, 0))


async def _run(match_id: int) -> None:
    try:
        decide = load_decide()
        if decide is None:
            return
        while _BUDGET.get(match_id, 0) > 0:
            _REARMED.discard(match_id)
            seats = await database_sync_to_async(selectors.bot_seats)(match_id)
            if not seats:
                return
            table = await tablelog.table(match_id, at_least=_SEEN.get(match_id))
            if table.state.status != "running":
                return
            moved = await _one_bot_move(decide, match_id, table.scenario, table.state, table.events, seats)
            if moved:
                _BUDGET[match_id] -= 1
            elif match_id not in _REARMED:
                return
        log.warning("bots at match %s stopped after %s moves for one trigger", match_id, settings.REALTIME_BOT_MOVES_PER_TRIGGER)
    finally:
        if _RUNNERS.get(match_id) is asyncio.current_task():
            del _RUNNERS[match_id]
            _SEEN.pop(match_id, None)


async def _one_bot_move(decide: Decide, match_id: int, scenario, state, events: Sequence[Event], seats) -> bool:
    """Ask each bot seat in turn; submit the first move. True if something changed (move or stale)."""
    # A bot in a team with humans leaves the mandate, and the table at a human's level, to them.
    bot_seat_ids = tuple(role_id for role_id, _ in seats)
    think = partial(decide, bot_seats=bot_seat_ids) if _takes_bot_seats(decide) else decide
    for role_id, persona in seats:
        seen = visible_events(scenario, events, role_id)
        try:
            move = await asyncio.to_thread(think, scenario, state, seen, role_id, persona, state.seed, time.time())
        except Exception:  # one broken bot must not stop the table
            log.exception("bot %s at match %s failed to decide", role_id, match_id)
            continue
        if move is None:
            continue
        try:
            result = await submit_move(
                match_id=match_id, seat=role_id, move=move, expected_version=state.version,
                msg_id=f"bot.v{state.version}", from_bot=True,
            )
            _saw(match_id, result.state.version)
            return True
        except MoveError as exc:
            if exc.code == E.STALE_VERSION:
                _saw(match_id, exc.details.get("version"))
                return True  # someone moved first: read again and re-decide
            log.warning("bot %s at match %s made a refused move %s: %s", role_id, match_id, getattr(move, "kind", move), exc)
    return False


async def idle(match_id: int | None = None, timeout: float = 20.0) -> None:
    """Wait until the bots (of one match, or all) have nothing left to do (tests, shutdown)."""
    if match_id is None:
        await tasks.drain(timeout)
        return
    deadline = time.monotonic() + timeout
    while (runner := _RUNNERS.get(match_id)) is not None and not runner.done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"bots at match {match_id} still busy")
        await asyncio.wait([runner], timeout=max(0.0, deadline - time.monotonic()))
