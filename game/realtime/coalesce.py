"""Fresh reads shared between concurrent callers: `await fresh(key, fn)` returns `fn()` run (on a
database thread) *after* the call began; callers arriving while one run is under way wait for the one
next run instead of each starting their own.

Used where many sockets of one table ask the database the same question at the same moment -- a
reconnect storm (300 clients at once), a burst: the answer is as fresh as if each had asked, and the
process's one database thread answers once per table instead of once per socket.

`await recent(key, fn, max_age)` accepts the answer of a read that began at most `max_age` seconds
ago, for callers that are about to be sent a fresh one anyway.

`settle(key, delay, item, run)` is the same idea for work nobody waits on: the items asked for under
`key` within `delay` seconds are handed to one `run(items)`, in the background -- the presence frame
of a table whose seats connect together, the signs of life of many sockets, the score annotations of
a table's moves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from game.realtime import dbpool, tasks


T = TypeVar("T")
I = TypeVar("I")


class _Slot:
    __slots__ = ("next", "requested")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.requested = True
        self.next: asyncio.Future = loop.create_future()


_SLOTS: dict[tuple[int, Any], _Slot] = {}
_LAST: dict[tuple[int, Any], tuple[float, Any]] = {}  # the latest answer per key, with when its read began


async def fresh(key: Any, fn: Callable[[], T]) -> T:
    loop = asyncio.get_running_loop()
    k = (id(loop), key)
    slot = _SLOTS.get(k)
    if slot is None:
        slot = _SLOTS[k] = _Slot(loop)
        loop.create_task(_runner(k, slot, fn))
    else:
        slot.requested = True
    return await asyncio.shield(slot.next)


async def recent(key: Any, fn: Callable[[], T], max_age: float) -> T:
    last = _LAST.get((id(asyncio.get_running_loop()), key))
    if last is not None and time.monotonic() - last[0] <= max_age:
        return last[1]
    return await fresh(key, fn)


async def _runner(k: tuple[int, Any], slot: _Slot, fn: Callable[[], Any]) -> None:
    loop = asyncio.get_running_loop()
    try:
        while slot.requested:
            slot.requested = False
            done, slot.next = slot.next, loop.create_future()
            began = time.monotonic()
            try:
                value = await dbpool.run(fn)
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                if not done.done():
                    done.set_exception(exc)
                    done.exception()  # mark retrieved: waiters may all have gone
                if isinstance(exc, asyncio.CancelledError):
                    raise
            else:
                _LAST[k] = (began, value)
                if len(_LAST) > 4096:  # bounded: drop the oldest answers
                    for old in list(_LAST)[:1024]:
                        del _LAST[old]
                if not done.done():
                    done.set_result(value)
    finally:
        if _SLOTS.get(k) is slot:
            del _SLOTS[k]
        if not slot.next.done():
            slot.next.cancel()


_SETTLING: dict[tuple[int, Any], list[Any]] = {}


def settle(key: Any, delay: float, item: I, run: Callable[[list[I]], Awaitable[Any]]) -> None:
    """Add `item` under `key`; `delay` seconds after the first one, `await run(items)` once with every
    item added by then (a background task: game.realtime.tasks). Items added while `run` runs wait
    for the next round."""
    k = (id(asyncio.get_running_loop()), key)
    waiting = _SETTLING.get(k)
    if waiting is not None:
        waiting.append(item)
        return
    _SETTLING[k] = [item]
    tasks.spawn(_settled(k, delay, run), name=f"settle-{key}")


async def _settled(k: tuple[int, Any], delay: float, run: Callable[[list[Any]], Awaitable[Any]]) -> None:
    try:
        await asyncio.sleep(delay)
    finally:
        items = _SETTLING.pop(k, [])
    await run(items)
