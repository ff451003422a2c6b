"""Who is asking, as far as the server can tell: a browser's signed client id and its network address.

The client id is a random value in a signed, HttpOnly cookie (``ng_client``), set the first time a
browser reaches a page or endpoint that can claim a seat; seats record its hash, so one browser holds
one seat per workshop. A person who drops their cookies gets a new id but keeps their address: seats
record a hash of that too, and a workshop caps the seats one network may hold. Neither is a seat
credential (that is game.seat_cookies alone).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from game.throttle import CLIENT_COOKIE, client_ip

COOKIE = CLIENT_COOKIE
SALT = "ng_client"
MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Client:
    client_hash: str
    network_hash: str
    new_id: str | None  # set when the browser had no valid client id: remember() stores it


def _digest(kind: str, value: str) -> str:
    # Keyed, so the stored hashes reveal neither the id nor the address.
    return hashlib.sha256(f"{kind}:{settings.SECRET_KEY}:{value}".encode()).hexdigest()


def client_of(request: HttpRequest) -> Client:
    try:
        client_id = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        client_id = None
    new_id = None
    if not client_id:
        client_id = new_id = secrets.token_urlsafe(18)
    return Client(_digest("client", client_id), _digest("network", client_ip(request)), new_id)


def remember(response: HttpResponse, client: Client) -> HttpResponse:
    if client.new_id:
        response.set_signed_cookie(
            COOKIE, client.new_id, salt=SALT, max_age=MAX_AGE, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
        )
    return response
