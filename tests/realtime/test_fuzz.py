"""A seeded fuzzer through the whole ASGI stack: a bounded number of frames of every shape -- garbage
text, random JSON, deep nesting, repeated keys, real frames with fields removed, retyped, stretched
or added, binary frames and oversized ones -- to a seat's socket and to the console. Every frame is
answered, none raises on the server (no traceback, no closed connection), and a frame refused with
an error changes nothing in the database."""

from __future__ import annotations

import json
import logging
import random
import string

import pytest
from channels.db import database_sync_to_async

from game.engine import FACILITATOR
from game.models import Match, MatchEvent, Seat
from game.services import match_submit_move, seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 20
FRAMES_PER_SOCKET = 300
REPLIES = {"ack", "error", "pong", "snapshot", "page", "workshop"}

VALID = [
    {"type": "hello", "msg_id": "h1", "last_seq": 0},
    {"type": "resync", "msg_id": "r1", "last_seq": 3},
    {"type": "ping", "msg_id": "p1"},
    {"type": "older", "msg_id": "o1", "before_seq": 4},
    {"type": "watch", "msg_id": "w1", "table": 1},
    {"type": "cover", "msg_id": "c1", "table": 1, "role_id": "us_commerce", "bot": True},
    {"type": "control", "msg_id": "k1", "table": 1, "move": {"kind": "pause"}},
    {"type": "move", "msg_id": "m1", "expected_version": 3, "move": {"kind": "team_chat", "text": "hi"}},
    {"type": "move", "msg_id": "m2", "move": {"kind": "statement", "text": "We are here."}},
    {"type": "move", "msg_id": "m3", "move": {"kind": "propose", "package": {"us_tariff": "t20"}}},
    {"type": "move", "msg_id": "m4", "move": {"kind": "draft_mandate", "issues": {"us_tariff": {"target": "t0", "walkaway": "t46"}}}},
    {"type": "move", "msg_id": "m5", "move": {"kind": "endorse_mandate", "version": 1}},
    {"type": "move", "msg_id": "m6", "move": {"kind": "reject", "offer": "o1", "reason": "no"}},
]
ODD_VALUES = [None, True, False, 0, -1, 1.5, 2**63, -(2**70), "", "5", "x" * 70, "é" * 300, "\u0000", "\ud7ff", [], {}, [1, [2]], {"a": {"b": 1}}, 1e308]


def _random_json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(ODD_VALUES + [rng.randint(-10, 10), "".join(rng.choices(string.printable, k=rng.randint(0, 12)))])
    if roll < 0.7:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["type", "msg_id", "move", "kind", "x", "table", "last_seq"]): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _mutate(rng: random.Random, frame: dict):
    frame = json.loads(json.dumps(frame))
    target = frame["move"] if "move" in frame and rng.random() < 0.5 else frame
    key = rng.choice(list(target))
    action = rng.randrange(5)
    if action == 0:
        del target[key]
    elif action == 1:
        target[key] = rng.choice(ODD_VALUES)
    elif action == 2:
        target["".join(rng.choices(string.ascii_lowercase, k=5))] = rng.choice(ODD_VALUES)
    elif action == 3:
        target[key] = str(target[key]) * rng.randint(50, 400)
    else:
        frame["type"] = rng.choice(["Hello", "move ", "", "controls", "MOVE", "events", "welcome"])
    return frame


def fuzz_frames(rng: random.Random, n: int):
    """n frames (str, or bytes for a binary frame), of every shape, reproducibly."""
    for i in range(n):
        shape = i % 10
        if shape == 0:
            yield "".join(rng.choices(string.printable + "{}[]\":,é\u2028", k=rng.randint(1, 200)))
        elif shape == 1:
            yield json.dumps(_random_json(rng))
        elif shape == 2:
            depth = rng.randint(17, 3000)
            yield rng.choice(["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, "[" * depth])[:16000]
        elif shape == 3:
            text = json.dumps(rng.choice(VALID))
            yield text[:-1] + ', "msg_id": "dup"}'
        elif shape in (4, 5, 6):
            yield json.dumps(_mutate(rng, rng.choice(VALID)))
        elif shape == 7:
            yield bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif shape == 8:
            yield '{"type": "ping", "pad": "' + "x" * rng.randint(16 * 1024, 64 * 1024) + '"}'
        else:
            text = json.dumps(rng.choice(VALID))
            cut = rng.randint(0, len(text))
            yield text[:cut] + rng.choice(["", "}", "]]", "\\", '"', "NaN", "Infinity", "\x00"]) + text[cut:]


@pytest.fixture
def table(record, facilitator_user):
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    grant = seat_claim(workshop=workshop, display_name="Alice", table_no=1, role_id="us_commerce")
    match_id = grant.seat.match_id
    for kind in ("start", "advance"):
        match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": kind})
    return workshop, match_id, grant.token


def _state(match_id):
    m = Match.objects.get(pk=match_id)
    seats = list(Seat.objects.filter(match_id=match_id).order_by("id").values_list("kind", "cover", "persona", "token_hash"))
    return MatchEvent.objects.filter(match_id=match_id).count(), m.version, m.status, seats


async def _fuzz(sock, rng, match_id, n) -> dict[str, int]:
    codes: dict[str, int] = {}
    for frame in fuzz_frames(rng, n):
        before = await database_sync_to_async(_state)(match_id)
        if isinstance(frame, bytes):
            await sock.comm.send_to(bytes_data=frame)
        else:
            await sock.send(frame)
        reply = await sock.recv()
        while reply["type"] not in REPLIES:
            assert reply["type"] != "__closed__", (frame[:200], reply)
            reply = await sock.recv()
        if reply["type"] == "error":
            codes[reply["code"]] = codes.get(reply["code"], 0) + 1
            assert reply["message"]
            assert await database_sync_to_async(_state)(match_id) == before, (frame[:200], reply)
        else:
            codes[reply["type"]] = codes.get(reply["type"], 0) + 1
    await sock.send({"type": "ping", "msg_id": "alive"})
    assert (await sock.expect("pong"))["msg_id"] == "alive"
    return codes


async def test_fuzzed_frames_raise_nothing_and_refused_ones_change_nothing(table, sockets, facilitator_cookie, settings, caplog):
    caplog.set_level(logging.WARNING)
    settings.REALTIME_RATE_BURST = 10_000  # the fuzzer is one trainee sending many frames on purpose
    settings.REALTIME_SEAT_CHATS_PER_MINUTE = 10_000
    workshop, match_id, token = table
    rng = random.Random(SEED)
    alice = sockets(seat_path(match_id, token))
    await alice.connect()
    await alice.drain(0.05)
    seat_codes = await _fuzz(alice, rng, match_id, FRAMES_PER_SOCKET)
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    await fac.connect()
    console_codes = await _fuzz(fac, rng, match_id, FRAMES_PER_SOCKET // 2)
    # Every kind of refusal was exercised, and the server logged no exception.
    refused = set(seat_codes) | set(console_codes)
    for code in ("protocol/invalid_json", "protocol/invalid", "protocol/malformed", "protocol/unknown_type", "protocol/too_large",
                 "protocol/binary", "move/malformed"):
        assert code in refused, (code, seat_codes, console_codes)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], caplog.text
