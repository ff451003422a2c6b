"""The console acts on one seat and one table: a private nudge reaches that trainee's pages only;
"advance the slowest table" advances the running table furthest behind; bad requests change nothing."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from game.models import Match, MatchEvent
from game.services import seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="Three tables", tables=3)


@pytest.fixture
def seats(workshop):
    alice = seat_claim(workshop=workshop, display_name="Alice", table_no=1, role_id="us_commerce")
    bob = seat_claim(workshop=workshop, display_name="Bob", table_no=1, role_id="vn_trade")
    return alice, bob


async def _console(sockets, workshop, cookie):
    console = sockets(f"/ws/workshop/{workshop.public_id}/", [cookie])
    await console.connect()
    return console


async def test_a_nudge_reaches_that_seat_only(workshop, seats, sockets, facilitator_cookie):
    alice, bob = seats
    a = sockets(seat_path(alice.seat.match_id, alice.token))
    b = sockets(seat_path(bob.seat.match_id, bob.token))
    await a.connect()
    await b.connect()
    console = await _console(sockets, workshop, facilitator_cookie)
    await console.send({"type": "nudge", "msg_id": "n1", "table": alice.seat.match_id, "role_id": "us_commerce", "text": "  Draft your mandate now  "})
    assert (await console.expect_reply("n1"))["type"] == "ack"
    got = await a.expect("nudge")
    assert got["text"] == "Draft your mandate now" and got["match"] == alice.seat.match_id
    assert not [f for f in await b.drain() if f["type"] == "nudge"]


@pytest.mark.parametrize("frame, code", [
    ({"role_id": "us_treasury", "text": "hello"}, "seat/empty"),  # no trainee there
    ({"role_id": "us_commerce", "text": "   "}, "protocol/invalid"),  # nothing to say
    ({"role_id": "us_commerce", "text": "x" * 281}, "protocol/invalid"),
])
async def test_a_nudge_to_no_trainee_or_without_text_is_refused(workshop, seats, sockets, facilitator_cookie, frame, code):
    alice, _ = seats
    console = await _console(sockets, workshop, facilitator_cookie)
    await console.send({"type": "nudge", "msg_id": "n2", "table": alice.seat.match_id, **frame})
    reply = await console.expect_reply("n2")
    assert reply["type"] == "error" and reply["code"] == code, reply


async def test_a_nudge_to_a_trainee_with_no_page_open_is_not_sent_and_says_so(workshop, seats, sockets, facilitator_cookie):
    alice, _ = seats  # holds the seat, but no page of hers is open
    console = await _console(sockets, workshop, facilitator_cookie)
    await console.send({"type": "nudge", "msg_id": "n4", "table": alice.seat.match_id, "role_id": "us_commerce", "text": "hello"})
    reply = await console.expect_reply("n4")
    assert reply["code"] == "seat/offline" and "was not sent" in reply["message"]


async def test_a_trainee_cannot_send_a_nudge(workshop, seats, sockets):
    alice, bob = seats
    a = sockets(seat_path(alice.seat.match_id, alice.token))
    await a.connect()
    await a.send({"type": "nudge", "msg_id": "n3", "table": bob.seat.match_id, "role_id": "vn_trade", "text": "boo"})
    assert (await a.expect_reply("n3"))["code"] == "auth/forbidden"


async def test_advance_the_slowest_table_advances_the_running_table_furthest_behind(workshop, sockets, facilitator_cookie):
    console = await _console(sockets, workshop, facilitator_cookie)
    await console.send({"type": "control", "msg_id": "s0", "table": "slowest", "move": {"kind": "advance"}})
    assert (await console.expect_reply("s0"))["code"] == "table/none_running"  # nothing started: nothing changes
    tables = await database_sync_to_async(lambda: list(Match.objects.filter(workshop=workshop).order_by("table_no")))()
    await console.send({"type": "control", "msg_id": "s1", "table": "all", "move": {"kind": "start"}})
    await console.expect_reply("s1")
    for n, table in enumerate((tables[0], tables[2])):  # tables 1 and 3 move ahead; table 2 stays behind
        await console.send({"type": "control", "msg_id": f"a{n}", "table": table.pk, "move": {"kind": "advance"}})
        await console.expect_reply(f"a{n}")
    before = await database_sync_to_async(lambda: {m.pk: m.version for m in Match.objects.filter(workshop=workshop)})()
    await console.send({"type": "control", "msg_id": "s2", "table": "slowest", "move": {"kind": "advance"}})
    reply = await console.expect_reply("s2")
    assert reply["type"] == "ack" and reply["results"][0]["table"] == tables[1].pk
    after = await database_sync_to_async(lambda: {m.pk: m.version for m in Match.objects.filter(workshop=workshop)})()
    assert after[tables[1].pk] > before[tables[1].pk]
    assert after[tables[0].pk] == before[tables[0].pk] and after[tables[2].pk] == before[tables[2].pk]
    last = await database_sync_to_async(lambda: MatchEvent.objects.filter(match=tables[1]).order_by("-seq").first())()
    assert last.type in ("phase_started", "inject_pushed") and last.actor == "facilitator"
