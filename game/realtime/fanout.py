"""Telling a table's sockets (and its facilitator's) that something changed, through the channel layer.

Every message is content-free or public at the table: "table.changed" {version} after a move has
committed (each socket then sends what its seat may see of the new version), "presence.changed"
{seats}. The channel layer is a best-effort notifier; the event log is the truth.
"""

from __future__ import annotations

import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from game import selectors
from game.models import Match
from game.realtime.groups import seat_group, table_group, workshop_group


def _groups(match_id: int, workshop_id: int | None) -> list[str]:
    """The table's group, and its facilitator's if it is a workshop table."""
    return [table_group(match_id)] + ([workshop_group(workshop_id)] if workshop_id else [])


async def notify_groups(match_id: int, workshop_id: int | None, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    for group in _groups(match_id, workshop_id):
        await layer.group_send(group, message)


def presence_of(match_id: int) -> list[dict[str, Any]]:
    """Every seat of the table and whether it is connected now (sync: call on a database thread)."""
    return selectors.table_seats(match_id, now=time.time(), ttl=settings.REALTIME_PRESENCE_TTL)


def notify_seats_changed(match_ids: list[int], revoked: list[tuple[int, str]] = ()) -> None:
    """From sync code (HTTP views), after the service has committed: seats changed hands."""
    layer = get_channel_layer()
    for match_id, role_id in revoked:
        async_to_sync(layer.group_send)(seat_group(match_id, role_id), {"type": "seat.revoked", "match": match_id})
    for match_id in dict.fromkeys(match_ids):
        message = {"type": "presence.changed", "match": match_id, "seats": presence_of(match_id)}
        workshop_id = Match.objects.filter(pk=match_id).values_list("workshop_id", flat=True).first()
        for group in _groups(match_id, workshop_id):
            async_to_sync(layer.group_send)(group, message)
