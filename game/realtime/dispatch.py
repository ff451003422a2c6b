"""Consumers that dispatch a message straight to its handler, without a hop to the database thread.

Channels 4.2+ runs `close_old_connections()` on the process's one shared database thread before
*every* handler of an async consumer (`AsyncConsumer.dispatch` awaits `aclose_old_connections()`).
With 400 seat sockets that is one thread hop per socket per notification -- eight per move at a table
of eight, before the presence and score frames -- each queued behind the moves' transactions on that
same thread: Channels runs every database call of a process on that one thread.

Our consumers never touch the ORM on the event loop: every query goes through
`database_sync_to_async` or game.realtime.dbpool, and both close stale connections around the call
on the thread that owns them. So the per-message hop protects nothing here and is skipped -- as is the one Channels makes after
every disconnect, which in a reconnect storm queued 300 hops on the thread the 300 reconnecting
seats were waiting on (py-spy: about a tenth of the storm's CPU).
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
