"""Background tasks of this process (bot runs, score pushes), kept so they can be awaited or cancelled."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)

# The running background tasks of every event loop of the process. asyncio keeps only weak references
# to tasks, so a task nobody awaits could be collected mid-run; this set holds each until it is done
# (its done callback removes it), so it never holds a finished task or outlives a loop's work.
# `pending()` reads only the calling loop's.
_TASKS: set[asyncio.Task] = set()


def spawn(coro: Coroutine[Any, Any, Any], *, name: str | None = None) -> asyncio.Task:
    # A context of its own: a task set off by a page's request (game.web.moves) outlives the request,
    # so its database calls must not go to that request's thread (asgiref's thread-sensitive context),
    # which is gone once the page is answered; they go to the process's shared database thread.
    task = asyncio.get_running_loop().create_task(_guarded(coro), name=name, context=contextvars.Context())
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return task


async def _guarded(coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        return await coro
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("background task failed")
        return None


def pending() -> list[asyncio.Task]:
    loop = asyncio.get_running_loop()
    return [t for t in _TASKS if not t.done() and t.get_loop() is loop]


async def drain(timeout: float = 10.0) -> None:
    """Wait until this loop's background tasks (and any they start) are finished (tests, shutdown)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        tasks = pending()
        if not tasks:
            return
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise TimeoutError(f"{len(tasks)} background tasks still running")
        await asyncio.wait(tasks, timeout=left)


async def cancel_all() -> None:
    tasks = pending()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
