"""A move an HTTP view makes for a trainee (the `start` of her practice game): it takes the same path
as a move from a socket, a bot or the clock (its table's owner, game.realtime.table.LiveTable.submit), so the table's
sockets hear of it and its bots wake at once, and it is refused with the engine's MoveError alike."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync

from game.realtime.table import live_table
from game.services import MoveResult


def submit(*, match_id: int, seat: str, move: dict[str, Any]) -> MoveResult:
    """Apply `move` for `seat` and fan it out after commit, from a view's (sync) thread."""
    async def submit_on_owner() -> MoveResult:
        return await live_table(match_id).submit(seat=seat, move=move)

    return async_to_sync(submit_on_owner)()
