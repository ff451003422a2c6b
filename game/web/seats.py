"""Which seat this browser holds at a table: a signed, http-only cookie per match.

One cookie per match (``ng_m<match id>``) so a browser can hold a practice seat and a workshop seat
at once. The table page hands the seat's token to its own websocket (``?token=``), the documented
way to authenticate a seat socket.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from game import hot_sql, services
from game.hot_sql import SeatGrant

SALT = "ng_web_seat"
PREFIX = "ng_m"
API_COOKIE = "ng_seat"  # the cookie the JSON API sets (game.views); read as a fallback


def cookie_name(match_id: int) -> str:
    return f"{PREFIX}{match_id}"


def remember(response: HttpResponse, match_id: int, token: str) -> HttpResponse:
    response.set_signed_cookie(
        cookie_name(match_id), token, salt=SALT, max_age=settings.SEAT_COOKIE_MAX_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _read(request: HttpRequest, name: str, salt: str) -> str | None:
    try:
        return request.get_signed_cookie(name, default=None, salt=salt, max_age=settings.SEAT_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None


def token_for(request: HttpRequest, match_id: int) -> str | None:
    return _read(request, cookie_name(match_id), SALT) or _read(request, API_COOKIE, API_COOKIE)


def seat_of(request: HttpRequest, match_id: int) -> tuple[SeatGrant | None, str | None]:
    """(the human seat this browser holds at the match, its token), or (None, None)."""
    token = token_for(request, match_id)
    if not token:
        return None, None
    seat = hot_sql.seat_by_token(match_id, services.seat_token_hash(token))
    return (seat, token) if seat is not None else (None, None)


def tokens(request: HttpRequest) -> list[str]:
    """Every seat token this browser holds (to resume a workshop seat from the join page)."""
    found = []
    for name in request.COOKIES:
        if name.startswith(PREFIX) and name[len(PREFIX):].isdigit():
            token = _read(request, name, SALT)
            if token:
                found.append(token)
    api = _read(request, API_COOKIE, API_COOKIE)
    if api:
        found.append(api)
    return found
