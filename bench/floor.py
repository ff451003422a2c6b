"""Two reference consumers that give the floor of this stack (daphne + Channels + the channel layer
+ the database), measured under the same load as the game:

- EchoConsumer: a frame {"id": ...} is broadcast to every socket of its room; nothing else.
- DurableFloorConsumer: per frame, one transaction (lock the room's row by bumping its counter,
  insert one event row) and then the same broadcast -- what any durable multiplayer server pays.

Both answer {"type": "ping"} with a pong (the idle-capacity run's echo). Tables are plain SQL
(`ensure_tables`), so the bench needs no migration of its own; they work on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from game.realtime.dispatch import DirectDispatchConsumer
from django.db import connection, transaction

DDL = [
    "CREATE TABLE IF NOT EXISTS bench_room (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS bench_event (room_id INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,"
    " PRIMARY KEY (room_id, seq))",
]


def ensure_tables(rooms: int) -> None:
    """Create the two tables and `rooms` rows (sync; run in the bench's setup step)."""
    with transaction.atomic(), connection.cursor() as c:
        for ddl in DDL:
            c.execute(ddl)
        c.execute("DELETE FROM bench_event")
        c.execute("DELETE FROM bench_room")
        for room in range(rooms):
            c.execute("INSERT INTO bench_room (id, seq) VALUES (%s, 0)", [room])


BUMP = "UPDATE bench_room SET seq = seq + 1 WHERE id = %s RETURNING seq"
INSERT = "INSERT INTO bench_event (room_id, seq, data) VALUES (%s, %s, %s)"


def append_event(room: int, data: str) -> int:
    """One short transaction: lock the room row (UPDATE ... RETURNING) and insert one event, through
    Django's transaction API as the game's moves are."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute(BUMP, [room])
        seq = c.fetchone()[0]
        c.execute(INSERT, [room, seq, data])
    return seq


class EchoConsumer(DirectDispatchConsumer):  # dispatched as the game's consumers are
    durable = False

    async def connect(self) -> None:
        self.room = int(self.scope["url_route"]["kwargs"]["room"])
        self.group = f"bench.{'floor' if self.durable else 'echo'}.{self.room}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        msg = json.loads(text_data or "{}")
        if msg.get("type") == "ping":
            await self.send(text_data=json.dumps({"type": "pong", "id": msg.get("id")}))
            return
        seq = await database_sync_to_async(append_event)(self.room, text_data) if self.durable else 0
        await self.channel_layer.group_send(self.group, {"type": "bench.update", "id": msg.get("id"), "seq": seq})

    async def bench_update(self, message: dict) -> None:
        await self.send(text_data=json.dumps({"type": "update", "id": message["id"], "seq": message["seq"]}))


class DurableFloorConsumer(EchoConsumer):
    durable = True
