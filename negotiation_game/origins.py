"""Which web origins may open a websocket here, matched exactly: scheme, host and port.

Browsers send the page's origin with every websocket handshake. A handshake whose Origin is not one
of the server's own addresses is refused before any consumer runs (the browser sees a failed
connection, daphne answers 403), and the log names the refused origin, so that whoever runs the room
can tell a mistyped address from an attack.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("negotiation_game.origins")

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin: str) -> str | None:
    """`scheme://host[:port]` in lower case without a default port, or None if `origin` is not one."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.path not in {"", "/"} or parts.query or parts.username:
        return None
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def derive(hosts: Iterable[str], *, https: bool, ports: Iterable[int]) -> list[str]:
    """Each host at each port under the scheme browsers use to reach it (wildcard hosts give no origin)."""
    scheme = "https" if https else "http"
    out = []
    for host in hosts:
        if host.startswith(".") or "*" in host:
            continue
        for port in ports:
            origin = normalise(f"{scheme}://{host}:{port}")
            if origin and origin not in out:
                out.append(origin)
    return out


class WithoutTraceback(logging.Filter):
    """A refused address is expected traffic, not a fault: its log record keeps the message (which names
    the host) and drops the traceback, so the terminal of a running room shows one line per refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def _header(scope: dict, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


class OriginCheck:
    """ASGI middleware: a websocket handshake passes only if its Origin is one of settings.ALLOWED_ORIGINS."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            origin = _header(scope, b"origin")
            allowed = {o for o in map(normalise, settings.ALLOWED_ORIGINS) if o}
            if normalise(origin) not in allowed:
                logger.warning(
                    "Refused a websocket to %s from origin %r (host %r): not one of this server's addresses %s",
                    scope.get("path", "?"), origin or "(none)", _header(scope, b"host"), sorted(allowed),
                )
                # Closing before accepting: daphne answers the handshake with 403.
                if (await receive())["type"] == "websocket.connect":
                    await send({"type": "websocket.close"})
                return None
        return await self.application(scope, receive, send)
