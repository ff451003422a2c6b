"""Writes for replays: share links (create, revoke) and imports (game.replays.exchange.import_file)."""

from __future__ import annotations

import secrets

from django.utils import timezone

from game.models import Match, ReplayShare


class ShareRefused(Exception):
    pass


def share_create(*, match: Match, created_by: str) -> ReplayShare:
    """An unguessable read-only link to the replay of a finished match (192 random bits)."""
    if match.status != "finished":
        raise ShareRefused("A replay can be shared once the game has finished.")
    return ReplayShare.objects.create(match=match, token=secrets.token_urlsafe(24), created_by=created_by[:120])


def share_revoke(*, match: Match, share_id: int, by: str) -> bool:
    """Revoke one link of this match; the link stops working at once. Only the match's facilitator
    (`by` starts "facilitator:") or whoever created the link may; False if `by` may not, or there
    was no such live link."""
    links = ReplayShare.objects.filter(match=match, pk=share_id, revoked_at__isnull=True)
    if not by.startswith("facilitator:"):
        links = links.filter(created_by=by)
    return bool(links.update(revoked_at=timezone.now()))
