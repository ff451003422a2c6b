"""The clock: phase deadlines advance on time, exactly once, however many server processes run it.

Every REALTIME_TIMER_INTERVAL seconds, each process's ticker reads the running matches whose
deadline has passed (one indexed query on Match.deadline) and submits a `tick` as seat "system"
(listing the trainees' seats it waits for, selectors.idle_trainees: the tick then reminds them and
the table waits, with no deadline) with expected_version = the version it read and msg_id "tick.v<version>". The engine applies a tick
only after the deadline; a second ticker racing it (another process) is refused with
move/stale_version (or recognised as the same msg_id) and does nothing. The tick then goes out like
any other move, and wakes the bots.

Started lazily by the first websocket connection of a process (REALTIME_TIMERS_IN_SERVER), or run on
its own with `manage.py run_timers`.
"""

from __future__ import annotations

import asyncio
import logging
import time

from channels.db import database_sync_to_async
from django.conf import settings

from game import selectors, services
from game.engine import SYSTEM, MoveError
from game.engine.moves import Tick
from game.realtime.table import live_table, live_tables

log = logging.getLogger(__name__)

async def tick_due(now: float | None = None) -> list[int]:
    """Advance every match whose deadline has passed; returns the ids of the matches this call ticked.
    A match with trainees the clock waits for (selectors.idle_trainees) is not advanced: its tick
    reminds them, and the table waits for them with no deadline."""
    now = time.time() if now is None else now
    due = await database_sync_to_async(selectors.due_matches)(now=now)
    out = []
    for match_id, version in due:
        waiting = await database_sync_to_async(selectors.idle_trainees)(match_id)
        if await tick_one(match_id, version, waiting):
            out.append(match_id)
    return out


async def cover_dropouts(now: float | None = None) -> list[int]:
    """Let bots play the seats of trainees gone longer than their workshop's grace period (in a timed
    phase); tell each such table and wake its bots. Returns the ids of the tables changed."""
    now = time.time() if now is None else now
    changed = await database_sync_to_async(services.seats_cover_dropouts)(now=now, ttl=settings.REALTIME_PRESENCE_TTL)
    for match_id, workshop_id in changed:
        live = live_table(match_id)
        live.presence_soon(workshop_id)
        live.bots.kick(seats_changed=True)
    return [match_id for match_id, _ in changed]


async def tick_one(match_id: int, version: int, waiting_for: list[str] | None = None) -> bool:
    """Submit one tick for a match read at `version` (reminding the seats `waiting_for` instead of
    advancing, if any); False if another ticker (or a move) got there first."""
    try:
        move = Tick(waiting_for=list(waiting_for or []))
        result = await live_table(match_id).submit(seat=SYSTEM, move=move, expected_version=version, msg_id=f"tick.v{version}")
    except MoveError as exc:
        log.debug("tick for match %s at version %s refused: %s", match_id, version, exc.code)
        return False
    return not result.duplicate


PRUNE_EVERY = 600.0  # seconds between sweeps of presence rows of long-dead processes


async def run_forever(interval: float | None = None) -> None:
    interval = settings.REALTIME_TIMER_INTERVAL if interval is None else interval
    pruned = float("-inf")
    while True:
        try:
            await tick_due()
            await cover_dropouts()
            if time.monotonic() - pruned >= PRUNE_EVERY:
                pruned = time.monotonic()
                await database_sync_to_async(services.connections_prune)()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the clock failed a round; trying again")
        await asyncio.sleep(interval)


def ensure_started() -> None:
    """Start this process's ticker once (per event loop: live_tables) if the server runs the clock."""
    if not settings.REALTIME_TIMERS_IN_SERVER:
        return
    tables = live_tables()
    if tables.clock is None or tables.clock.done():
        tables.clock = asyncio.get_running_loop().create_task(run_forever(), name="ticker")


async def stop() -> None:
    tables = live_tables()
    task, tables.clock = tables.clock, None
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
