"""Consumers that dispatch a message straight to its handler, without a hop to the database thread.

Channels 4.2+ runs `close_old_connections()` on the process's one shared database thread before
*every* handler of an async consumer (`AsyncConsumer.dispatch` awaits `aclose_old_connections()`),
and once more after every disconnect. With 400 seat sockets that is one thread hop per socket per
notification -- eight per move at a table of eight -- each queued behind the moves' transactions on
that same thread, and 300 queued hops in a reconnect storm of 300.

Our consumers never touch the ORM on the event loop: every query goes through
`database_sync_to_async` or game.realtime.dbpool, and both close stale connections around the call
on the thread that owns them, so the per-message hop protects nothing here. Kept because the bench
needs it: without it the floors' p99 goes up tenfold and more under load (docs/performance.md,
"Decisions", with the figures).
"""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer


class DirectDispatchConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        """Channels' own, without `aclose_old_connections()` at the end."""
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.disconnect(message["code"])
        raise StopConsumer()
