"""The one seat credential: a signed, HttpOnly cookie per match (``ng_m<match id>``) holding the seat's secret.

Pages set it (`remember`); game.access reads it, for pages, replays and the seat websocket alike, and
nothing else does. The secret is never in a page, a URL or a JSON body. One cookie per match, so a
browser can hold a practice seat and a workshop seat at once. The signature only proves the server
set the cookie; the seat is the one bound to the secret's hash (game.services.seat_token_hash).
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PREFIX = "ng_m"
SALT = "ng_web_seat"  # changing it would sign every trainee out of their seat


def cookie_name(match_id: int) -> str:
    return f"{PREFIX}{match_id}"


def remember(response: HttpResponse, match_id: int, token: str) -> HttpResponse:
    """Set the seat's cookie on a response (HttpOnly: no script of the page can read it)."""
    response.set_signed_cookie(
        cookie_name(match_id), token, salt=SALT, max_age=settings.SEAT_COOKIE_MAX_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _unsign(name: str, value: str) -> str | None:
    # Read exactly as a view would (Django's cookie salting is not public API), so pages and sockets agree.
    request = HttpRequest()
    request.COOKIES[name] = value
    return request.get_signed_cookie(name, default=None, salt=SALT, max_age=settings.SEAT_COOKIE_MAX_AGE)


def held_in(cookies: Mapping[str, str]) -> dict[int, str]:
    """match id -> the seat secret this browser holds for it, for every genuine seat cookie (a
    forged, unsigned or expired one is left out)."""
    found = {}
    for name, value in cookies.items():
        if name.startswith(PREFIX) and name[len(PREFIX):].isdigit():
            token = _unsign(name, value)
            if token:
                found[int(name[len(PREFIX):])] = token
    return found


def cookies_of_scope(scope: Mapping) -> dict[str, str]:
    """The cookies of a websocket handshake (an ASGI scope's Cookie header)."""
    jar: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            parsed = SimpleCookie()
            try:
                parsed.load(value.decode("latin-1"))
            except CookieError:
                continue
            jar.update({k: m.value for k, m in parsed.items()})
    return jar
