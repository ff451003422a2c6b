"""Who may see and do what: the one access policy of the pages, the replays and the sockets.

Two kinds of people reach a table:
- a trainee, who has no account. Her one credential is the seat cookie (game.seat_cookies): a signed,
  HttpOnly cookie per table holding the seat's secret. Her seat is the human seat bound to that
  secret's hash.
- a facilitator: the signed-in Django user who created the workshop.

A replay share link (/r/<token>/, game.replays) is a narrower thing: it opens one finished replay,
read-only, to whoever holds the link. It is not a seat and opens no table.

Every check answers "no" for "not allowed" and "no such thing" alike, so a refusal tells a visitor
nothing, and none of them writes anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from game import hot_sql, seat_cookies, services
from game.hot_sql import SeatGrant
from game.models import Match, Seat, Workshop, public_id_shaped

Source = HttpRequest | Mapping[str, Any]  # a page's request, or a websocket's ASGI scope


def _secrets(source: Source) -> dict[int, str]:
    """match id named by each genuine seat cookie -> the seat secret it holds."""
    cookies = source.COOKIES if isinstance(source, HttpRequest) else seat_cookies.cookies_of_scope(source)
    return seat_cookies.held_in(cookies)


# --- trainees: the seat cookie ---------------------------------------------------------------------
def seat_credentials(source: Source) -> dict[int, str]:
    """match id named by each seat cookie -> the hash of the secret it holds: what a seat socket's
    connect (game.services.seat_connect) looks its seat up by, in the same trip that records the
    connection. A socket needs the cookie of its own table, which the table page sets."""
    return {match_id: services.seat_token_hash(secret) for match_id, secret in _secrets(source).items()}


def seat_and_secret(source: Source, match: Match) -> tuple[SeatGrant | None, str | None]:
    """(the human seat this browser holds at the match, the secret that binds it), or (None, None).

    The match's own cookie decides when the browser has one. Without it, any secret the browser holds
    counts: a facilitator's move takes a trainee's secret to another table, so she arrives there with
    her old table's cookie (the table page then sets the new table's: `seat_cookies.remember`)."""
    held = _secrets(source)
    candidates = [held[match.pk]] if match.pk in held else list(held.values())
    if not candidates:
        return None, None
    by_hash = {services.seat_token_hash(secret): secret for secret in candidates}
    grants = hot_sql.seats_at_tables([(match.public_id, {match.pk: token_hash}) for token_hash in by_hash])
    for token_hash, grant in zip(by_hash, grants):
        if grant is not None:
            return grant, by_hash[token_hash]
    return None, None


def seat_for(source: Source, match: Match) -> SeatGrant | None:
    """The human seat this browser holds at the match, or None."""
    return seat_and_secret(source, match)[0]


def workshop_seat(request: HttpRequest, workshop: Workshop) -> tuple[Seat | None, str | None]:
    """(the seat this browser holds anywhere in the workshop, its secret), or (None, None): the join
    page offers it back instead of a second seat."""
    return services.seat_held_in(workshop=workshop, tokens=list(_secrets(request).values()))


def seats_held(request: HttpRequest) -> list[Seat]:
    """Every human seat this browser's cookies bind, at any table, the newest table first (with its
    match, scenario and workshop): a trainee's own past games."""
    hashes = list(seat_credentials(request).values())
    if not hashes:
        return []
    return list(
        Seat.objects.filter(kind=Seat.Kind.HUMAN, token_hash__in=hashes)
        .select_related("match", "match__scenario", "match__workshop").order_by("-match__created_at")
    )


# --- facilitators: the signed-in owner of the workshop ------------------------------------------------
def can_facilitate(user: Any, workshop: Workshop | None) -> bool:
    """Whether `user` runs this workshop (an anonymous visitor and a practice game: never)."""
    return bool(workshop is not None and user is not None and user.is_authenticated and workshop.facilitator_id == user.pk)


def facilitated_workshop(user: Any, *, code: str | None = None, public_id: str | None = None) -> Workshop | None:
    """The workshop with this join code (any case) or public id, if `user` runs it; None for an
    unknown or malformed one and for anyone else alike."""
    if user is None or not user.is_authenticated:
        return None
    found = Workshop.objects.select_related("scenario").filter(facilitator_id=user.pk)
    if public_id is not None:
        return found.filter(public_id=public_id).first() if public_id_shaped(public_id) else None
    return found.filter(code=(code or "").upper()[:16]).first()


# --- what each may open --------------------------------------------------------------------------------
def debrief_access(request: HttpRequest, match: Match) -> tuple[bool, SeatGrant | None]:
    """(may open the table's debrief, the seat held): a trainee of the table (once the game ends: the
    caller keeps spoilers out) or the workshop's facilitator."""
    seat = seat_for(request, match)
    if seat is not None:
        return True, seat
    return can_facilitate(request.user, match.workshop if match.workshop_id else None), None


def replay_access(request: HttpRequest, match: Match) -> tuple[str, SeatGrant | None] | None:
    """("facilitator", None) or ("participant", the seat held) for whoever may open the match's replay
    by its address; None for anyone else (a share link is checked by the replays' own lookup)."""
    if can_facilitate(request.user, match.workshop if match.workshop_id else None):
        return "facilitator", None
    seat = seat_for(request, match)
    return ("participant", seat) if seat is not None else None
