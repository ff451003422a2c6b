"""Server frames stay bounded however long a table's log grows, and chat is limited per seat.

A team that chatted a great deal (800 messages of 1 KB) still loads its table: the welcome, `hello`,
`resync 0` and the facilitator's `watch` carry one page of the log, and the rest comes page by page
on request -- each page only what that seat may see. Chat is limited per seat across all of its
sockets, and the console gets one summary per table and moment, not one per chat.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from game.engine import FACILITATOR
from game.models import MatchEvent
from game.realtime.table import live_table
from game.services import match_submit_move, seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)

FRAME_BOUND = 256 * 1024  # far below daphne's default 1 MiB a browser-facing frame would break


@pytest.fixture
def chatty(record, facilitator_user):
    """A table in caucus whose US team has posted 800 chats of 1 KB (and Vietnam a few secrets)."""
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    grants = {r: seat_claim(workshop=workshop, display_name=r, table_no=1, role_id=r) for r in ("us_commerce", "us_ustr", "vn_trade")}
    match_id = grants["us_commerce"].seat.match_id
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "advance"})
    for n in range(800):
        if n % 100 == 0:
            match_submit_move(match_id=match_id, seat="vn_trade", move={"kind": "team_chat", "text": f"VN-SECRET-{n}"})
        text = f"{n:04d} " + "x" * 995
        match_submit_move(match_id=match_id, seat="us_commerce", move={"kind": "team_chat", "text": text})
    return workshop, match_id, {r: g.token for r, g in grants.items()}


def _size(sock) -> int:
    return len(sock.raw[-1].encode())


async def _page_back(sock, first_seq: int, **extra) -> list[dict]:
    """Every event before `first_seq`, page by page, as `older` replies."""
    got, before, n = [], first_seq, 0
    while True:
        n += 1
        await sock.send({"type": "older", "msg_id": f"o{n}", "before_seq": before, **extra})
        page = await sock.expect("page", msg_id=f"o{n}")
        assert _size(sock) < FRAME_BOUND
        assert all(e["seq"] < before for e in page["events"])
        got = page["events"] + got
        if not page["more"]:
            return got
        before = page["events"][0]["seq"]


async def test_a_long_log_loads_in_bounded_frames_and_pages_back_to_the_start(chatty, sockets, facilitator_cookie, settings):
    workshop, match_id, tokens = chatty
    total = await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id).count)()
    assert total > 800
    ann = sockets(seat_path(match_id, tokens["us_ustr"]))
    welcome = await ann.connect()
    assert welcome["type"] == "welcome" and _size(ann) < FRAME_BOUND
    assert welcome["version"] == total and len(welcome["events"]) == settings.REALTIME_PAGE_EVENTS
    assert welcome["from_seq"] == welcome["events"][0]["seq"] - 1 > 0 and welcome["events"][-1]["seq"] == total
    # hello and resync 0 are bounded the same way, and the connection lives.
    for frame in ({"type": "hello", "msg_id": "h"}, {"type": "resync", "msg_id": "r", "last_seq": 0}):
        await ann.send(frame)
        snap = await ann.expect("snapshot", msg_id=frame["msg_id"])
        assert _size(ann) < FRAME_BOUND and snap["from_seq"] > 0 and len(snap["events"]) == settings.REALTIME_PAGE_EVENTS
    # Paging back brings the whole log the seat may see, and nothing else: Vietnam's chat never comes.
    older = await _page_back(ann, welcome["events"][0]["seq"])
    seen = older + welcome["events"]
    assert [e["seq"] for e in seen] == sorted({e["seq"] for e in seen})
    assert sum(1 for e in seen if e["type"] == "chat_posted") == 800
    assert "VN-SECRET" not in json.dumps(seen) and all(e["visibility"] in {"public", "team:us"} for e in seen)
    assert seen[0]["seq"] == 1
    # Vietnam's seat sees its own few chats and the public log, bounded too.
    bao = sockets(seat_path(match_id, tokens["vn_trade"]))
    vn_welcome = await bao.connect()
    assert _size(bao) < FRAME_BOUND and "xxxxxxxxxx" not in bao.raw[-1]
    assert sum(1 for e in vn_welcome["events"] if e["type"] == "chat_posted") == 8
    # The facilitator's watch of that table is bounded and does not kill the console socket.
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    await fac.connect()
    await fac.send({"type": "watch", "msg_id": "w", "table": match_id})
    snap = await fac.expect("snapshot", msg_id="w")
    assert _size(fac) < FRAME_BOUND and snap["from_seq"] > 0
    everything = await _page_back(fac, snap["events"][0]["seq"])
    assert len(everything) + len(snap["events"]) == total  # the facilitator sees both teams' caucus
    await fac.send({"type": "ping", "msg_id": "alive"})
    assert (await fac.expect("pong"))["msg_id"] == "alive"


async def test_a_socket_far_behind_gets_a_bounded_snapshot_not_a_huge_update(chatty, sockets, settings):
    _, match_id, tokens = chatty
    ann = sockets(seat_path(match_id, tokens["us_ustr"], last_seq=5))  # a client that held only the start
    welcome = await ann.connect()
    assert welcome["since"] == 5 and welcome["from_seq"] > 5 and _size(ann) < FRAME_BOUND
    # Many moves while the socket waits: it is brought up to date in one bounded frame.
    settings.REALTIME_PAGE_EVENTS = 10
    for n in range(15):
        await live_table(match_id).submit(seat="us_commerce", move={"kind": "team_chat", "text": f"late {n}"})
    await ann.send({"type": "ping", "msg_id": "p"})
    await ann.expect("pong")
    caught = [f for f in ann.frames if f["type"] in {"events", "snapshot"}][-1]
    assert caught["version"] == welcome["version"] + 15 and len(caught["events"]) <= 10


@pytest.fixture
def caucus(record, facilitator_user):
    """A table in caucus with two US trainees."""
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    grants = [seat_claim(workshop=workshop, display_name=r, table_no=1, role_id=r) for r in ("us_commerce", "us_ustr")]
    match_id = grants[0].seat.match_id
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "advance"})
    return workshop, match_id, grants


async def test_chat_is_limited_per_seat_across_all_its_sockets_with_a_retry_after(caucus, sockets, settings):
    _, match_id, grants = caucus
    tabs = [sockets(seat_path(match_id, grants[0].token)) for _ in range(4)]
    for tab in tabs:
        await tab.connect()
    limit = settings.REALTIME_SEAT_CHATS_PER_MINUTE
    replies = []
    for n in range(12):  # 4 sockets x 12 = 48 chats, each socket within its own frame rate
        for i, tab in enumerate(tabs):
            await tab.send({"type": "move", "msg_id": f"c{i}.{n}", "move": {"kind": "team_chat", "text": f"{i}.{n}"}})
            replies.append(await tab.expect_reply(f"c{i}.{n}"))
    acks = [r for r in replies if r["type"] == "ack"]
    refused = [r for r in replies if r["type"] == "error"]
    assert len(acks) == limit and len(refused) == 48 - limit
    assert {r["code"] for r in refused} == {"seat/chat_limited"}
    assert all(0 < r["details"]["retry_after"] <= 60 for r in refused)
    chats = await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id, type="chat_posted").count)()
    assert chats == limit


async def test_the_console_gets_one_summary_per_table_and_moment_not_one_per_chat(caucus, facilitator_cookie, sockets):
    workshop, match_id, grants = caucus
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    await fac.connect()
    for n in range(30):
        last = await live_table(match_id).submit(seat=grants[n % 2].seat.role_id, move={"kind": "team_chat", "text": f"chat {n}"})
    await fac.drain(0.6)
    summaries = [f["table"] for f in fac.frames if f["type"] == "table_summary"]
    assert 1 <= len(summaries) <= 5
    assert summaries[-1]["version"] == last.state.version  # the last one is current
