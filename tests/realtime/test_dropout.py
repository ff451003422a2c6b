"""A dropped-out trainee's seat is covered: after the workshop's grace period in a timed phase a bot
plays it, marked as such to everyone, and hands it back the moment the trainee reconnects; the
facilitator can hand a seat to a bot or take it back from the console. The clock is injected: no
test waits for the grace period."""

from __future__ import annotations

import time

import pytest
from channels.db import database_sync_to_async

from game import selectors
from game.engine import FACILITATOR
from game.models import MatchEvent, Seat
from game.realtime import timers
from game.services import match_submit_move, seat_claim, workshop_create
from tests.realtime.conftest import bots_idle, seat_path

pytestmark = pytest.mark.django_db(transaction=True)


def _table(record, user, **settings):
    workshop = workshop_create(
        facilitator=user, scenario_record=record, title="T", tables=1,
        settings={"phase_seconds": {"caucus": 600}, "bots": {"us": "us_pragmatic"}, **settings},
    )
    grants = {r: seat_claim(workshop=workshop, display_name=n, table_no=1, role_id=r) for r, n in (("us_commerce", "Alice"), ("vn_trade", "Bao"))}
    match_id = grants["us_commerce"].seat.match_id
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "advance"})  # the caucus: timed
    return workshop, match_id, {r: g.token for r, g in grants.items()}


@pytest.fixture
def timed(record, facilitator_user):
    return _table(record, facilitator_user)


def _alice(presence):
    return next(p for p in presence if p["role_id"] == "us_commerce")


def _endorsed_by_alices_seat(match_id) -> bool:
    return MatchEvent.objects.filter(match_id=match_id, actor="us_commerce", type="mandate_endorsed").exists()


async def test_a_bot_covers_a_dropped_out_seat_after_the_grace_period_and_hands_it_back(timed, sockets):
    _, match_id, tokens = timed
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    bao = sockets(seat_path(match_id, tokens["vn_trade"]))
    await alice.connect()
    await bao.connect()
    await bots_idle()
    await alice.close()
    gone = time.time()
    # Within the grace period nothing happens; the seat waits for Alice.
    assert await timers.cover_dropouts(now=gone + 60) == []
    assert "us_commerce" not in dict(await database_sync_to_async(selectors.bot_seats)(match_id))
    # Past it, a bot plays her seat, and everyone at the table is told.
    assert await timers.cover_dropouts(now=gone + 91) == [match_id]
    frame = await bao.expect("presence")
    while not _alice(frame["seats"])["bot_cover"]:
        frame = await bao.expect("presence")
    assert _alice(frame["seats"]) == {"role_id": "us_commerce", "team": "us", "kind": "human", "display_name": "Alice",
                                      "connected": False, "bot_cover": True}
    await bots_idle()
    assert await database_sync_to_async(_endorsed_by_alices_seat)(match_id)  # the bot moved for her seat
    assert await timers.cover_dropouts(now=gone + 95) == []  # once is enough (and Bao, still here, is not covered)
    # Alice is back: the seat is hers again at once, and the bot stops playing it.
    again = sockets(seat_path(match_id, tokens["us_commerce"]))
    welcome = await again.connect()
    assert _alice(welcome["presence"])["bot_cover"] is False
    assert "us_commerce" not in dict(await database_sync_to_async(selectors.bot_seats)(match_id))
    frame = await bao.expect("presence")
    while _alice(frame["seats"])["bot_cover"] or not _alice(frame["seats"])["connected"]:
        frame = await bao.expect("presence")


async def test_no_cover_while_paused_in_an_untimed_phase_or_when_the_workshop_says_never(record, facilitator_user, sockets):
    _, paused_match, _ = await database_sync_to_async(_table)(record, facilitator_user)
    await database_sync_to_async(match_submit_move)(match_id=paused_match, seat=FACILITATOR, move={"kind": "pause"})
    _, never_match, _ = await database_sync_to_async(_table)(record, facilitator_user, dropout_grace_seconds=None)
    _, slow_match, _ = await database_sync_to_async(_table)(record, facilitator_user, dropout_grace_seconds=600)
    later = time.time() + 300
    assert await timers.cover_dropouts(now=later) == []  # nobody has been gone long enough anywhere
    assert await timers.cover_dropouts(now=later + 400) == [slow_match]  # only the table whose grace has passed
    covered = await database_sync_to_async(lambda: set(Seat.objects.exclude(cover="").values_list("match_id", flat=True)))()
    assert covered == {slow_match}


async def test_the_facilitator_hands_a_seat_to_a_bot_and_takes_it_back_from_the_console(timed, sockets, facilitator_cookie):
    workshop, match_id, tokens = timed
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    await fac.connect()
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await fac.send({"type": "cover", "msg_id": "cv1", "table": match_id, "role_id": "us_commerce", "bot": True})
    assert (await fac.expect_reply("cv1"))["type"] == "ack"
    summary = await fac.expect("table_summary")
    while not _alice(summary["table"]["seats"])["bot_cover"]:
        summary = await fac.expect("table_summary")
    frame = await alice.expect("presence")
    while not _alice(frame["seats"])["bot_cover"]:
        frame = await alice.expect("presence")
    # The facilitator's hand-over outlasts a reconnect; only the facilitator takes it back.
    await alice.close()
    again = sockets(seat_path(match_id, tokens["us_commerce"]))
    assert _alice((await again.connect())["presence"])["bot_cover"] is True
    # Meanwhile the seat is the bot's: Alice's moves wait (her team chat does not).
    await again.send({"type": "move", "msg_id": "mv", "move": {"kind": "statement", "text": "me!"}})
    assert (await again.expect_reply("mv"))["code"] == "seat/covered"
    await again.send({"type": "move", "msg_id": "ch", "move": {"kind": "team_chat", "text": "the bot has my seat"}})
    assert (await again.expect_reply("ch"))["type"] == "ack"
    await fac.send({"type": "cover", "msg_id": "cv2", "table": match_id, "role_id": "us_commerce", "bot": False})
    assert (await fac.expect_reply("cv2"))["type"] == "ack"
    frame = await again.expect("presence")
    while _alice(frame["seats"])["bot_cover"]:
        frame = await again.expect("presence")
    # Refusals: a seat no trainee holds, a table of another workshop, and a trainee asking.
    await fac.send({"type": "cover", "msg_id": "cv3", "table": match_id, "role_id": "us_treasury", "bot": True})
    assert (await fac.expect_reply("cv3"))["code"] == "seat/empty"
    await fac.send({"type": "cover", "msg_id": "cv4", "table": match_id + 999, "role_id": "us_commerce", "bot": True})
    assert (await fac.expect_reply("cv4"))["code"] == "table/not_found"
    await again.send({"type": "cover", "msg_id": "cv5", "table": match_id, "role_id": "vn_trade", "bot": True})
    assert (await again.expect_reply("cv5"))["code"] == "auth/forbidden"
    assert await database_sync_to_async(lambda: list(Seat.objects.exclude(cover="").values_list("role_id", flat=True)))() == []
