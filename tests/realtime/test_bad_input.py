"""Bad input gets a clear error frame; the connection and the game survive; nothing is written."""

from __future__ import annotations

import json
import time

import pytest
from channels.db import database_sync_to_async

from game.engine import FACILITATOR
from game.models import Match, MatchEvent
from game.services import match_submit_move, seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seated(record, facilitator_user):
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    grants = {role: seat_claim(workshop=workshop, display_name=role, table_no=1, role_id=role) for role in ("us_commerce", "vn_trade")}
    match_id = grants["us_commerce"].seat.match_id
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "advance"})  # caucus
    return match_id, {role: g.token for role, g in grants.items()}


def counts(match_id):
    m = Match.objects.get(pk=match_id)
    return MatchEvent.objects.filter(match_id=match_id).count(), m.version


ok_chat = {"type": "move", "msg_id": "ok", "move": {"kind": "team_chat", "text": "still here"}}


BAD_FRAMES = [
    ("{not json", "protocol/invalid_json"),
    ("[1, 2]", "protocol/invalid"),
    (json.dumps({"type": "dance", "msg_id": "d1"}), "protocol/unknown_type"),
    (json.dumps({"msg_id": "d2"}), "protocol/invalid"),
    (json.dumps({"type": "ping", "msg_id": "d3", "extra": 1}), "protocol/invalid"),
    # There is no seat field: a socket acts only for the seat its secret binds.
    (json.dumps({"type": "move", "msg_id": "d4", "seat": "vn_trade", "move": {"kind": "team_chat", "text": "x"}}), "protocol/invalid"),
    (json.dumps({"type": "move", "msg_id": "d5", "move": {"kind": "team_chat", "text": "x", "as": "vn_trade"}}), "move/malformed"),
    (json.dumps({"type": "move", "msg_id": "d6", "move": {"kind": "fly"}}), "move/malformed"),
    (json.dumps({"type": "move", "msg_id": "d7", "move": {"kind": "team_chat", "text": "x" * 1001}}), "move/malformed"),
    (json.dumps({"type": "move", "msg_id": "x" * 65, "move": {"kind": "team_chat", "text": "x"}}), "protocol/invalid"),
    (json.dumps({"type": "move", "move": {"kind": "team_chat", "text": "x"}}), "protocol/invalid"),  # a move needs an id
    (json.dumps({"type": "resync", "msg_id": "d8", "last_seq": -1}), "protocol/invalid"),
    # Numbers are JSON numbers, never strings read as numbers.
    (json.dumps({"type": "resync", "msg_id": "d8s", "last_seq": "5"}), "protocol/invalid"),
    (json.dumps({"type": "hello", "msg_id": "d8h", "last_seq": "0"}), "protocol/invalid"),
    (json.dumps({"type": "move", "msg_id": "d8v", "expected_version": "5", "move": {"kind": "team_chat", "text": "x"}}), "protocol/invalid"),
    (json.dumps({"type": "move", "msg_id": "d8f", "expected_version": 5.0, "move": {"kind": "team_chat", "text": "x"}}), "protocol/invalid"),
    # The rules stay in the engine: it refuses with its own codes.
    (json.dumps({"type": "move", "msg_id": "d9", "move": {"kind": "propose", "package": {"us_tariff": "t20"}}}), "move/wrong_phase"),
    # Wrong team: a US seat cannot prepare Vietnam's decree, nor endorse Vietnam's mandate.
    (json.dumps({"type": "move", "msg_id": "d10", "move": {"kind": "prepare_deliverable", "deliverable": "vn_tariff_decree"}}), "move/illegal"),
    (json.dumps({"type": "move", "msg_id": "d11", "move": {"kind": "endorse_mandate", "version": 1}}), "move/illegal"),
    (json.dumps({"type": "move", "msg_id": "d12", "move": {"kind": "advance"}}), "auth/forbidden"),
    (json.dumps({"type": "move", "msg_id": "d13", "expected_version": 1, "move": {"kind": "team_chat", "text": "x"}}), "move/stale_version"),
]
VN_MANDATE = {
    "us_tariff": ("t0", "t46"), "transshipment": ("existing_rules", "existing_rules"), "vn_tariffs": ("mfn_only", "mfn_only"),
    "purchases": ("none", "none"), "ntb_ip": ("work_programme", "work_programme"),
    "chinese_content": ("no_commitment", "no_commitment"), "vn_asks": ("access_and_controls", "access_and_controls"),
}


async def test_bad_frames_get_a_clear_error_and_change_nothing_and_the_connection_lives(seated, sockets, settings):
    settings.REALTIME_RATE_BURST = 1000  # this test sends many frames on purpose; the flood test checks the limit
    settings.REALTIME_SEAT_CHATS_PER_MINUTE = 1000
    match_id, tokens = seated
    # Vietnam has a mandate on the table (version 1); the US has none.
    issues = {i: {"target": t, "walkaway": w} for i, (t, w) in VN_MANDATE.items()}
    await database_sync_to_async(match_submit_move)(match_id=match_id, seat="vn_trade", move={"kind": "draft_mandate", "issues": issues})
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await alice.drain(0.01)
    for n, (frame, code) in enumerate(BAD_FRAMES):
        before = await database_sync_to_async(counts)(match_id)
        await alice.send(frame)
        error = await alice.expect("error")
        assert error["code"] == code, (frame, error)
        assert error["message"]
        try:
            sent_id = json.loads(frame).get("msg_id")
        except (ValueError, AttributeError):
            sent_id = None
        if isinstance(sent_id, str) and len(sent_id) <= 64:
            assert error["msg_id"] == sent_id, (frame, error)  # the error echoes the frame's id
        if code == "move/stale_version":
            assert (await alice.expect("snapshot"))["version"] == before[1]  # refused *with* the current state
        assert await database_sync_to_async(counts)(match_id) == before, frame
        # The connection and the game survive.
        await alice.send({**ok_chat, "msg_id": f"ok{n}"})
        assert (await alice.expect_reply(f"ok{n}"))["type"] == "ack"


NESTED = [
    "[" * 1000 + "]" * 1000,
    '{"type": "ping", "msg_id": "deep", "x": ' + "[" * 1000 + "]" * 1000 + "}",
    '{"a":' * 1000 + "1" + "}" * 1000,
    '{"type": "move", "msg_id": "deep2", "move": ' + '{"kind": ' * 600 + '"x"' + "}" * 600 + "}",
    "[" * 5000,  # unterminated
]
REPEATED_KEYS = [
    # Which of two values would count is not the client's to leave to chance: refused, not "the last wins".
    '{"type": "move", "msg_id": "r1", "move": {"kind": "team_chat", "text": "x"}, "msg_id": "r2"}',
    '{"type": "move", "msg_id": "r3", "move": {"kind": "team_chat", "text": "hello", "text": "bye"}}',
    '{"type": "ping", "type": "hello"}',
]


async def test_deep_nesting_and_repeated_keys_are_refused_cleanly_without_a_traceback(seated, sockets, settings, caplog):
    settings.REALTIME_RATE_BURST = 1000
    match_id, tokens = seated
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await alice.drain(0.01)
    before = await database_sync_to_async(counts)(match_id)
    for frame in NESTED + REPEATED_KEYS:
        assert len(frame.encode()) <= 16 * 1024
        await alice.send(frame)
        error = await alice.expect("error")
        assert error["code"] in {"protocol/malformed", "protocol/invalid_json"}, (frame[:80], error)
        assert error["code"] == "protocol/malformed" or frame == "[" * 5000
        assert error["message"]
    assert await database_sync_to_async(counts)(match_id) == before
    await alice.send(ok_chat)
    assert (await alice.expect_reply("ok"))["type"] == "ack"
    assert alice.connected
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"} or r.exc_info], caplog.text


async def test_oversized_frames_are_refused_before_parsing(seated, sockets):
    match_id, tokens = seated
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    before = await database_sync_to_async(counts)(match_id)
    await alice.send("{" + " " * (16 * 1024) + "}")
    error = await alice.expect("error")
    assert error["code"] == "protocol/too_large" and error["details"]["limit"] == 16384
    await alice.send("é" * 9000)  # 9000 characters but 18000 bytes
    assert (await alice.expect("error"))["code"] == "protocol/too_large"
    await alice.comm.send_to(bytes_data=b"\x00\x01")
    assert (await alice.expect("error"))["code"] == "protocol/binary"
    assert await database_sync_to_async(counts)(match_id) == before
    await alice.send(ok_chat)
    assert (await alice.expect_reply("ok"))["type"] == "ack"


async def test_a_flood_is_cut_by_the_token_bucket_with_one_error_and_the_connection_lives(seated, sockets, settings):
    match_id, tokens = seated
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await alice.drain(0.01)
    t0 = time.monotonic()
    for i in range(60):
        await alice.send({"type": "ping", "msg_id": f"p{i}"})
    got = []
    while not await alice.silent(0.1):
        got.append(await alice.recv())
    elapsed = time.monotonic() - t0
    pongs = [f for f in got if f["type"] == "pong"]
    errors = [f for f in got if f["type"] == "error"]
    assert 20 <= len(pongs) <= 21 + 10 * elapsed  # the burst, plus what refilled meanwhile
    assert elapsed < 1  # (so one error frame, at most one a second)
    assert [e["code"] for e in errors] == ["protocol/rate_limited"]
    assert errors[0]["details"]["retry_after"] > 0
    await alice.silent(0.15)  # the bucket refills (10 per second)
    await alice.send({"type": "ping", "msg_id": "again"})
    assert (await alice.expect("pong"))["msg_id"] == "again"


async def test_every_throttled_move_is_answered_with_retry_after_and_not_applied(seated, sockets, settings):
    settings.REALTIME_SEAT_CHATS_PER_MINUTE = 1000
    match_id, tokens = seated
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await alice.drain(0.01)
    for i in range(40):  # well over the burst of 20, faster than 10 a second refill
        await alice.send({"type": "move", "msg_id": f"t{i}", "move": {"kind": "team_chat", "text": f"flood {i}"}})
    replies = [await alice.expect_reply(f"t{i}") for i in range(40)]
    acked = [r for r in replies if r["type"] == "ack"]
    throttled = [r for r in replies if r["type"] == "error"]
    assert 20 <= len(acked) < 40 and len(acked) + len(throttled) == 40
    assert {r["code"] for r in throttled} == {"protocol/rate_limited"}
    assert all(0 < r["details"]["retry_after"] <= 1 for r in throttled)  # seconds until a frame gets through
    chats = await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id, type="chat_posted").count)()
    assert chats == len(acked)


async def test_a_wrong_token_or_no_origin_is_refused_at_the_door(seated, sockets):
    match_id, tokens = seated
    stranger = sockets(seat_path(match_id, "not-a-token"))
    refused = await stranger.connect()
    assert refused["type"] == "error" and refused["code"] == "auth/bad_token"
    assert (await stranger.recv())["code"] == 4401
    # A real secret for another table opens nothing here.
    other = sockets(seat_path(match_id + 1000, tokens["us_commerce"]))
    assert (await other.connect())["code"] == "auth/bad_token"
    no_origin = sockets(seat_path(match_id, tokens["us_commerce"]), origin=False)
    ok, _ = await no_origin.comm.connect()
    assert not ok  # no Origin header: refused at the door (negotiation_game.origins)


def test_a_refused_frame_is_told_a_wait_above_zero_however_late_it_is_asked():
    from game.realtime.ratelimit import TokenBucket

    now = [0.0]
    bucket = TokenBucket(10, 2, clock=lambda: now[0])
    assert bucket.take() and bucket.take() and not bucket.take()
    now[0] += 0.0999  # the refusal's answer is built a moment later, when a token has almost come back
    assert bucket.wait_time() == 0.1  # counted from the refused frame, rounded up to the millisecond
    now[0] += 0.5
    assert bucket.take()
