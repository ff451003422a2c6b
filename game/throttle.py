"""Request throttles: how many times one address or one client may do a thing in a window.

Counted in Django's cache (per process by default; Redis when REDIS_URL is set, so every server
process shares the counts). A refused request is answered 429 with `Retry-After` and a message that
says when to try again. The limits are settings.THROTTLES; facilitator sign-in lockout is
django-axes (settings.AXES_*), whose lockout page is `login_locked_out` here.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

CLIENT_COOKIE = "ng_client"  # game.clients' browser id; only its presence and value key a count here


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: REMOTE_ADDR, or with settings.TRUSTED_PROXY_HOPS proxies in
    front of the server, the address the outermost of them saw (X-Forwarded-For, counted from the right)."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"


@dataclass(frozen=True)
class Refused:
    action: str
    retry_after: int  # whole seconds until the window that refused the request ends

    @property
    def message(self) -> str:
        if self.retry_after < 120:
            wait = ngettext("%(n)d second", "%(n)d seconds", self.retry_after) % {"n": self.retry_after}
        else:
            minutes = math.ceil(self.retry_after / 60)
            wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        return gettext("Too many attempts to %(what)s from here. Try again in %(wait)s.") % {
            "what": settings.THROTTLES[self.action]["what"], "wait": wait,
        }


def hit(action: str, *idents: str, now: float | None = None) -> Refused | None:
    """Count one attempt at `action` for each identity (an address, a client id, a seat); the first
    identity over its limit refuses the request (and the attempt is still counted against the rest)."""
    rule = settings.THROTTLES[action]
    period, limit = int(rule["period"]), int(rule["limit"])
    now = time.time() if now is None else now
    window = int(now // period)
    refused = None
    for ident in idents:
        key = f"throttle:{action}:{ident}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: this attempt starts a new count
            cache.set(key, 1, timeout=period + 1)
            count = 1
        if count > limit and refused is None:
            refused = Refused(action, max(1, math.ceil((window + 1) * period - now)))
    return refused


def throttled(action: str, *, per_client: str | None = None, methods: tuple[str, ...] = ("GET", "POST")):
    """A view decorator: count the request against `action` per address (and `per_client` per browser,
    by its client cookie when it sends one); over a limit, answer with the 429 page instead of running the view."""

    def wrap(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                refused = hit(action, f"ip:{client_ip(request)}")
                client = request.COOKIES.get(CLIENT_COOKIE)
                if per_client and client:
                    refused = hit(per_client, f"client:{hashlib.sha256(client.encode()).hexdigest()}") or refused
                if refused is not None:
                    return page_refusal(request, refused)
            return view(request, *args, **kwargs)

        return wrapped

    return wrap


def page_refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    response = render(request, "throttled.html", {"message": refused.message, "retry_after": refused.retry_after}, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer: the sign-in page again, with when to retry (429, Retry-After)."""
    from django.contrib.auth.forms import AuthenticationForm  # noqa: PLC0415 (needs the app registry)

    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many failed sign-ins for this account from here. Sign-in is locked for %(minutes)d minute; "
        "try again then, or ask an administrator to unlock it (manage.py axes_reset).",
        "Too many failed sign-ins for this account from here. Sign-in is locked for %(minutes)d minutes; "
        "try again then, or ask an administrator to unlock it (manage.py axes_reset).",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "registration/login.html", {"form": AuthenticationForm(request), "locked": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
