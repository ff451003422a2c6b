"""Where a server process runs its database work: the one shared database thread, or -- on PostgreSQL --
a small pool of threads, each with its own connection.

Channels runs every `database_sync_to_async` call on one thread per process. On PostgreSQL that
thread spends most of a move waiting for the server's answers, so moves would queue behind each
other's network round trips although they touch different rows. Moves on different tables do not
conflict (each compare-and-set updates its own match row; the unique (match, seq) constraint stays
the backstop), so on PostgreSQL the move transaction, the log reads and the queries of a socket's
connect and disconnect (its seat, presence) run on REALTIME_DB_THREADS threads.

SQLite has one writer at a time whatever the threads, and its test databases may live in one
connection's memory: there, everything stays on the shared database thread.

Either way, `Batched` sends calls that arrive together (a crowd of sockets connecting) in one trip.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from game.realtime import tasks

T = TypeVar("T")

_POOL: ThreadPoolExecutor | None = None
_ENABLED: bool | None = None


def _enabled() -> bool:
    global _ENABLED
    if _ENABLED is None:
        _ENABLED = connection.vendor == "postgresql" and getattr(settings, "REALTIME_DB_THREADS", 0) > 1
    return _ENABLED


CHECK_EVERY = 1.0  # seconds between two checks of a pool thread's connection while nothing failed
_checked = threading.local()


def _in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    # Django's close_old_connections() marks the connection for a health check (a `SELECT 1` round
    # trip before the next query, with CONN_HEALTH_CHECKS): around every call that doubled the round
    # trips of a move on PostgreSQL. A pool thread checks its connection at most once a second, and
    # at once after a call that failed with a database error.
    now = time.monotonic()
    if now - getattr(_checked, "at", float("-inf")) >= CHECK_EVERY:
        _checked.at = now
        close_old_connections()
    try:
        return fn(*args, **kwargs)
    finally:
        if connection.errors_occurred:
            _checked.at = float("-inf")
            close_old_connections()


@functools.lru_cache(maxsize=64)
def _on_database_thread(fn: Callable[..., T]) -> Callable[..., Any]:
    # One wrapper per function, reused: building asgiref's wrapper inspects the function, a cost on
    # the event loop that would otherwise come with every move.
    return database_sync_to_async(fn)


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` on a database thread; returns its result."""
    global _POOL
    if not _enabled():
        return await _on_database_thread(fn)(*args, **kwargs)
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=settings.REALTIME_DB_THREADS, thread_name_prefix="db")
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(_in_thread, fn, *args, **kwargs))


class Batched:
    """`await call(**kwargs)` runs `one(**kwargs)` on a database thread, like `run`; calls that arrive
    while an earlier batch is on its way go together in the next one, run by `many([kwargs, ...])`
    (the same, in a few statements for them all): one hop for a crowd of calls instead of one each.

    For the statements of a socket's connect and disconnect: in a reconnect storm each connect would
    otherwise wait for its own hop to the one database thread, queued behind all the others. If
    `many` fails, each call runs alone, so a bad one fails alone.
    One object serves one event loop (game.realtime.table.Tables holds the process's).
    """

    LIMIT = 200  # calls in one batch (bounds the statements' parameter lists)

    def __init__(self, one: Callable[..., Any], many: Callable[[list[dict[str, Any]]], list[Any]]) -> None:
        self.one, self.many = one, many
        self._waiting: list[tuple[dict[str, Any], asyncio.Future]] = []
        self._sending = False  # a batch is on its way

    async def __call__(self, **kwargs: Any) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((kwargs, future))
        if not self._sending:
            self._sending = True
            tasks.spawn(self._send(), name=f"batch-{self.one.__name__}")
        return await future

    async def _send(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self.LIMIT], self._waiting[self.LIMIT :]
                try:
                    outcomes = await run(_batch, self.one, self.many, [kwargs for kwargs, _ in batch])
                except asyncio.CancelledError:  # the server is stopping: nobody gets an answer
                    for _, future in batch + self._waiting:
                        future.cancel()
                    self._waiting = []
                    raise
                except Exception as exc:  # the hop itself failed: every call of the batch did
                    outcomes = [(False, exc)] * len(batch)
                for (_, future), (ok, value) in zip(batch, outcomes):
                    if future.done():  # its caller went away meanwhile
                        continue
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._sending = False


def _batch(one: Callable[..., Any], many: Callable[[list[dict[str, Any]]], list[Any]], calls: list[dict[str, Any]]) -> list[tuple[bool, Any]]:
    if len(calls) > 1:
        try:
            with transaction.atomic():
                return [(True, result) for result in many(calls)]
        except Exception:  # noqa: BLE001 (one call's fault, maybe: each alone below, each with its outcome)
            pass
    outcomes: list[tuple[bool, Any]] = []
    for kwargs in calls:
        try:
            outcomes.append((True, one(**kwargs)))
        except Exception as exc:  # noqa: BLE001 (handed to that call's caller)
            outcomes.append((False, exc))
    return outcomes
