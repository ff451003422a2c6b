"""Work shared by callers that ask for the same thing at the same moment, owned by whoever asks.

`Fresh(fn)`: `await fresh()` returns the result of `await fn()` begun *after* the call; callers arriving
while one run is under way wait for the one next run instead of each starting their own. Many
sockets of one table asking the same question at once (a reconnect storm, a burst) get an answer as
fresh as if each had asked, for one run. `await fresh.recent(max_age)` accepts the answer of a run
begun at most `max_age` seconds ago, for callers that are about to be sent a fresh one anyway.

`Settle(run)`: `settle.add(item, delay)` for work nobody waits on: the items added within `delay`
seconds of the first are handed to one `await run(items)`, in the background (the presence frame of
a table whose seats connect together, the signs of life of many sockets, the score annotations of a
table's moves).

Each object belongs to one event loop: the one of its owner (game.realtime.table).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from game.realtime import tasks

T = TypeVar("T")
I = TypeVar("I")


class Fresh(Generic[T]):
    def __init__(self, fn: Callable[[], Awaitable[T]]) -> None:
        self._fn = fn
        self._next: asyncio.Future | None = None  # the answer of the next run to begin
        self._requested = False
        self._running = False
        self._last: tuple[float, T] | None = None  # the latest answer, with when its run began

    async def __call__(self) -> T:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        self._requested = True
        waiting = self._next
        if not self._running:
            self._running = True
            tasks.spawn(self._run(), name="fresh-read")
        return await asyncio.shield(waiting)

    async def recent(self, max_age: float) -> T:
        if self._last is not None and time.monotonic() - self._last[0] <= max_age:
            return self._last[1]
        return await self()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._requested:
                self._requested = False
                done, self._next = self._next, loop.create_future()
                began = time.monotonic()
                try:
                    value = await self._fn()
                except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                    if not done.done():
                        done.set_exception(exc)
                        done.exception()  # marked retrieved: the waiters may all have gone
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                else:
                    self._last = (began, value)
                    if not done.done():
                        done.set_result(value)
        finally:
            self._running = False


class Settle(Generic[I]):
    def __init__(self, run: Callable[[list[I]], Awaitable[Any]]) -> None:
        self._run = run
        self._items: list[I] | None = None  # None: no round is waiting

    def add(self, item: I, delay: float) -> None:
        """Add `item`; `delay` seconds after the first of a round, `await run(items)` once with every
        item added by then. Items added while `run` runs wait for the next round."""
        if self._items is not None:
            self._items.append(item)
            return
        self._items = [item]
        tasks.spawn(self._settled(delay), name="settle")

    async def _settled(self, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
        finally:
            items, self._items = self._items or [], None
        await self._run(items)
