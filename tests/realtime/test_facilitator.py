"""The facilitator's console: only the workshop's facilitator gets in and paces tables, one or all."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client

from game.models import MatchEvent
from game.services import seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(
        facilitator=facilitator_user, scenario_record=record, title="Two tables", tables=2,
        settings={"phase_seconds": {"caucus": 600}},
    )


@pytest.fixture
def trainee(workshop):
    grant = seat_claim(workshop=workshop, display_name="Alice", table_no=1, role_id="us_commerce")
    return grant.seat.match_id, grant.token


def _cookie_for(username):
    user = get_user_model().objects.create_user(username=username)
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def test_only_the_workshops_signed_in_facilitator_opens_the_console(workshop, trainee, sockets):
    anonymous = sockets(f"/ws/workshop/{workshop.public_id}/")
    refused = await anonymous.connect()
    assert refused["code"] == "auth/forbidden"
    assert (await anonymous.recv())["code"] == 4403
    other = sockets(f"/ws/workshop/{workshop.public_id}/", [await database_sync_to_async(_cookie_for)("mallory")])
    assert (await other.connect())["code"] == "auth/forbidden"
    # A trainee's seat secret is no key to the console either.
    match_id, token = trainee
    with_token = sockets(f"/ws/workshop/{workshop.public_id}/?token={token}")
    assert (await with_token.connect())["code"] == "auth/forbidden"


async def test_the_console_opens_at_the_workshops_public_id_only_never_its_sequential_number(workshop, sockets, facilitator_cookie):
    """A visitor cannot walk workshops by counting: even their own facilitator is refused at
    /ws/workshop/<n>/, and an unknown or malformed id is refused exactly as a stranger is."""
    stranger = sockets(f"/ws/workshop/{workshop.public_id}/")
    refusal = await stranger.connect()
    assert refusal["code"] == "auth/forbidden"
    for path in (f"/ws/workshop/{workshop.pk}/", "/ws/workshop/AAAAAAAAAAAAAAAAAAAAAA/", "/ws/workshop/%00/", f"/ws/workshop/{'x' * 40}/"):
        refused = sockets(path, [facilitator_cookie])
        assert await refused.connect() == refusal, path
        assert (await refused.recv())["code"] == 4403
    console = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    assert (await console.connect())["workshop"]["code"] == workshop.code


async def test_a_player_who_sends_controls_gets_auth_forbidden_and_nothing_is_written(workshop, trainee, sockets):
    match_id, token = trainee
    alice = sockets(seat_path(match_id, token))
    await alice.connect()
    for frame in (
        {"type": "control", "msg_id": "c1", "table": match_id, "move": {"kind": "start"}},
        {"type": "control", "msg_id": "c2", "table": "all", "move": {"kind": "end"}},
        {"type": "watch", "msg_id": "c3", "table": match_id},
        {"type": "move", "msg_id": "c4", "move": {"kind": "start"}},  # a pacing move from a seat that is no pacer
    ):
        await alice.send(frame)
        reply = await alice.expect_reply(frame["msg_id"])
        assert reply["type"] == "error" and reply["code"] == "auth/forbidden", reply
    assert await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id).count)() == 0


async def test_facilitator_paces_one_table_or_all_and_watches_a_summary_of_each(workshop, trainee, sockets, facilitator_cookie):
    match_id, token = trainee
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    hello = await fac.connect()
    assert hello["type"] == "workshop" and hello["workshop"]["code"] == workshop.code
    tables = [t["match"] for t in hello["tables"]]
    assert len(tables) == 2 and tables[0] == match_id
    alice = sockets(seat_path(match_id, token))
    await alice.connect()
    summary = await fac.expect("table_summary")
    assert summary["table"]["connected"] == 1

    async def control(msg_id, table, kind, **kw):
        await fac.send({"type": "control", "msg_id": msg_id, "table": table, "move": {"kind": kind, **kw}})
        return await fac.expect_reply(msg_id)

    started = await control("s", "all", "start")
    assert [r["table"] for r in started["results"]] == tables and all(r["version"] for r in started["results"])
    assert (await control("a", match_id, "advance"))["version"]
    await fac.send({"type": "watch", "msg_id": "w", "table": match_id})
    snap = await fac.expect("snapshot", msg_id="w")
    assert snap["view"]["viewer"]["seat"] == "facilitator" and snap["view"]["phase"] == "caucus"
    deadline = snap["view"]["deadline"]
    assert deadline is not None
    assert (await control("p", match_id, "pause"))["type"] == "ack"
    assert (await control("p2", match_id, "pause"))["code"] == "game/paused"  # already paused: the engine says so
    assert (await control("e", match_id, "extend", seconds=120))["type"] == "ack"
    assert (await control("r", match_id, "resume"))["type"] == "ack"
    assert (await control("i", "all", "push_inject", inject="decree_73"))["type"] == "ack"
    ended = (await control("x", match_id, "end", reason="time is up"))["version"]
    await alice.catch_up(ended)
    await fac.expect("events", version=ended)
    await fac.drain(0.5)  # the summaries of that moment follow as one frame per table
    assert alice.view["status"] == "finished"
    assert any(e["type"] == "inject_pushed" and e["data"] == {"inject": "decree_73", "scheduled": False} for e in alice.events)
    paused = next(e for e in alice.events if e["type"] == "paused")
    resumed = next(e for e in alice.events if e["type"] == "resumed")
    assert resumed["data"]["deadline"] - resumed["at"] == pytest.approx(paused["data"]["remaining"] + 120, abs=1)
    # The watched table streamed its events with the facilitator's (complete) view; the summary followed.
    events = [f for f in fac.frames if f["type"] == "events" and f["match"] == match_id]
    assert events and events[-1]["view"]["status"] == "finished"
    last = [f["table"] for f in fac.frames if f["type"] == "table_summary" and f["table"]["match"] == match_id][-1]
    assert last["status"] == "finished" and last["result"]["kind"] == "no_deal"
    other = [f["table"] for f in fac.frames if f["type"] == "table_summary" and f["table"]["match"] == tables[1]][-1]
    assert other["status"] == "running" and other["phase"] == "briefing"
    # A table of another workshop is out of reach.
    assert (await control("z", 999999, "end"))["code"] == "table/not_found"
