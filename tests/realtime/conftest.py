"""Helpers for tests through the whole ASGI stack: the real application, an Origin header, frames
kept per socket, every socket disconnected and every background task finished at the end."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client

from game.realtime import tasks, timers
from game.realtime.table import live_table
from game.services import scenario_load
from negotiation_game.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")  # the default DJANGO_PUBLIC_PORTS
SCRIPTED = "tests.realtime.scripted_bot.decide"


class Socket:
    """One websocket client: sends frames, keeps every frame it receives, folds views like a page would."""

    def __init__(self, path: str, headers: list[tuple[bytes, bytes]] | None = None, origin: bool = True):
        self.path = path
        cookie = [path.cookie] if isinstance(path, SeatPath) else []
        self.comm = WebsocketCommunicator(application, path, headers=([ORIGIN] if origin else []) + cookie + list(headers or []))
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.view: dict[str, Any] = {}
        self.version = 0
        self.events: list[dict[str, Any]] = []  # every event received, in order, across welcome/snapshot/events
        self.connected = False
        self.close_code: int | None = None

    async def connect(self) -> dict[str, Any] | None:
        ok, _ = await self.comm.connect(timeout=5)
        assert ok, f"connection to {self.path} refused"
        self.connected = True
        return await self.recv()

    async def recv(self, timeout: float = 5) -> dict[str, Any]:
        out = await self.comm.receive_output(timeout)
        if out["type"] == "websocket.close":
            self.close_code = out.get("code")
            self.connected = False
            return {"type": "__closed__", "code": self.close_code}
        text = out["text"]
        self.raw.append(text)
        frame = json.loads(text)
        self.frames.append(frame)
        self._fold(frame)
        return frame

    def _fold(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind in {"welcome", "snapshot"}:
            self.view = frame["view"]
            self.version = frame["version"]
            known = {e["seq"] for e in self.events}
            self.events.extend(e for e in frame["events"] if e["seq"] not in known)
        elif kind == "table_summary":
            self.version = max(self.version, frame["table"]["version"])
        elif kind == "events":
            self.view = {**self.view, **frame["view"]}
            self.version = frame["version"]
            known = {e["seq"] for e in self.events}
            self.events.extend(e for e in frame["events"] if e["seq"] not in known)

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.comm.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))

    async def expect(self, kind: str, timeout: float = 5, **fields: Any) -> dict[str, Any]:
        """Receive until a frame of `kind` (with these field values) arrives; others are kept."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            frame = await self.recv(max(0.01, end - loop.time()))
            if frame["type"] == kind and all(frame.get(k) == v for k, v in fields.items()):
                return frame
            if frame["type"] == "__closed__":
                raise AssertionError(f"closed ({frame['code']}) while waiting for {kind} {fields}")

    async def expect_reply(self, msg_id: str, timeout: float = 5) -> dict[str, Any]:
        """The ack or error that answers the frame with this msg_id."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            frame = await self.recv(max(0.01, end - loop.time()))
            if frame["type"] in {"ack", "error"} and frame.get("msg_id") == msg_id:
                return frame
            if frame["type"] == "__closed__":
                raise AssertionError(f"closed ({frame['code']}) while waiting for the reply to {msg_id}")

    async def catch_up(self, version: int, timeout: float = 5) -> None:
        """Receive until this socket has been brought up to `version` (no sleeping)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while self.version < version:
            frame = await self.recv(max(0.01, end - loop.time()))
            if frame["type"] == "__closed__":
                raise AssertionError(f"closed ({frame['code']}) while catching up to {version}")

    async def drain(self, quiet: float = 0.05) -> list[dict[str, Any]]:
        """Receive everything already queued (until `quiet` seconds pass with nothing)."""
        got = []
        while not await self.comm.receive_nothing(quiet):
            frame = await self.recv()
            got.append(frame)
            if frame["type"] == "__closed__":
                break
        return got

    async def silent(self, timeout: float = 0.1) -> bool:
        return await self.comm.receive_nothing(timeout)

    async def close(self) -> None:
        await self.comm.disconnect()
        self.connected = False


@pytest.fixture(autouse=True)
def _realtime_settings(settings):
    settings.REALTIME_BOT_DECIDE = SCRIPTED
    settings.REALTIME_TIMERS_IN_SERVER = False  # timer tests switch it on
    settings.REALTIME_TIMER_INTERVAL = 0.2
    from tests.realtime import scripted_bot

    scripted_bot.calls.clear()


@pytest.fixture
async def sockets():
    """A factory of Sockets; all are disconnected, bots and timers stopped at the end of the test."""
    made: list[Socket] = []

    def make(path: str, headers: list[tuple[bytes, bytes]] | None = None, origin: bool = True) -> Socket:
        s = Socket(path, headers, origin)
        made.append(s)
        return s

    yield make
    await timers.stop()
    try:
        await tasks.drain(timeout=10)
    finally:
        await tasks.cancel_all()
        for s in made:
            try:
                await s.comm.disconnect()
            except Exception:
                pass
        await asyncio.sleep(0)


@pytest.fixture
def record(default_scenario):
    return scenario_load(scenario=default_scenario)[0]


@pytest.fixture
def facilitator_user():
    return get_user_model().objects.create_user(username="fran")  # no password: hashing one is slow, force_login needs none


@pytest.fixture
def facilitator_cookie(facilitator_user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(facilitator_user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


class SeatPath(str):
    """A seat socket's path; `cookie` is the header carrying the seat's credential (never in the URL)."""

    cookie: tuple[bytes, bytes]


def seat_cookie(match_id: int, token: str) -> tuple[bytes, bytes]:
    """The Cookie header a browser sends after the page set the seat's signed cookie."""
    from django.http import HttpResponse

    from game import seat_cookies

    response = seat_cookies.remember(HttpResponse(), match_id, token)
    name = seat_cookies.cookie_name(match_id)
    return (b"cookie", f"{name}={response.cookies[name].value}".encode())


def _public_id(match_id: int) -> str:
    from django.db import connections

    from game.models import Match

    try:
        return Match.objects.filter(pk=match_id).values_list("public_id", flat=True).first() or "no-such-table"
    finally:
        connections.close_all()  # this thread's own connection, so the test database can be dropped


def public_id_of(match_id: int) -> str:
    """The table's public id, the only id its socket's URL takes. Read on a thread of its own, so the
    tests' event loop can call it (their data is committed: transactional tests)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_public_id, match_id).result()


def seat_path(match_id: int, token: str, **query: Any) -> SeatPath:
    extra = "&".join(f"{k}={v}" for k, v in query.items())
    path = SeatPath(f"/ws/match/{public_id_of(match_id)}/" + (f"?{extra}" if extra else ""))
    path.cookie = seat_cookie(match_id, token)
    return path


async def bots_idle(match_id: int | None = None) -> None:
    if match_id is not None:
        await live_table(match_id).bots.idle()
    await tasks.drain()


Predicate = Callable[[dict[str, Any]], bool]
