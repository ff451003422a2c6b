"""Where a server process runs its database work: the one shared database thread, or -- on PostgreSQL --
a small pool of threads, each with its own connection.

Channels runs every `database_sync_to_async` call on one thread per process (realtime-notes trap 2).
On PostgreSQL that thread spends most of a move waiting for the server's answers (py-spy, 50 moves/s
over two processes: `psycopg Connection.wait` was the largest entry), so moves queue behind each
other's network round trips although they touch different rows. Moves on different tables do not
conflict (each locks its own match row; the unique (match, seq) constraint stays the backstop), so
on PostgreSQL the move transaction, the log read-back and the queries of a socket's connect and
disconnect (its seat, presence) run on REALTIME_DB_THREADS threads -- a reconnect storm of 300
sockets queued 600 round trips behind each other on the one thread.

SQLite has one writer at a time whatever the threads, and its test databases may live in one
connection's memory: there, everything stays on the shared database thread, as before.
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
from django.db import close_old_connections, connection

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


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` on a database thread; returns its result."""
    global _POOL
    if not _enabled():
        return await database_sync_to_async(fn)(*args, **kwargs)
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=settings.REALTIME_DB_THREADS, thread_name_prefix="db")
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(_in_thread, fn, *args, **kwargs))
