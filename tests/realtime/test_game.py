"""Whole games through the ASGI stack: humans and bots at a workshop table, a spy, reconnects."""

from __future__ import annotations

from importlib import import_module

import pytest
from channels.db import database_sync_to_async

from game import selectors
from game.scoring import score_match
from game.services import seat_claim, workshop_create
from tests.realtime.conftest import seat_path
from tests.realtime.driver import full_log, play_table, secret, visible_log

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(
        facilitator=facilitator_user, scenario_record=record, title="Hanoi cohort", tables=1,
        settings={"bots": {"us": "us_pragmatic", "vn": "vn_pragmatic"}},
    )


def claim(workshop, name, role):
    grant = seat_claim(workshop=workshop, display_name=name, table_no=1, role_id=role)
    return grant.seat.match_id, grant.token


@pytest.mark.parametrize("bot", ["scripted", "game.bots.decide"])
async def test_two_humans_and_bots_play_a_workshop_table_to_a_deal(workshop, sockets, facilitator_cookie, settings, bot):
    if bot != "scripted":
        pytest.importorskip("game.bots", reason="the bots issue is in progress")
        if not hasattr(import_module("game.bots"), "decide"):
            pytest.skip("game.bots.decide does not exist yet")
        settings.REALTIME_BOT_DECIDE = bot
    match_id, us_token = await database_sync_to_async(claim)(workshop, "Alice", "us_commerce")
    _, vn_token = await database_sync_to_async(claim)(workshop, "Bao", "vn_trade")
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    us = sockets(seat_path(match_id, us_token))
    vn = sockets(seat_path(match_id, vn_token))
    assert (await fac.connect())["type"] == "workshop"
    assert (await us.connect())["type"] == "welcome"
    assert (await vn.connect())["type"] == "welcome"

    await play_table(fac, match_id, [us, vn])

    log = await full_log(match_id)
    assert log[-1]["type"] == "game_ended" and log[-1]["data"]["result"] == "deal"
    bot_actors = {e["actor"] for e in log} - {"us_commerce", "vn_trade", "facilitator", "system"}
    assert bot_actors, "the bots never moved"
    for sock, seat in ((us, "us_commerce"), (vn, "vn_trade")):
        assert sock.view["status"] == "finished" and sock.view["result"]["kind"] == "deal"
        # Nothing missed, nothing extra: exactly the log as this seat may see it, in order. The move that
        # ends the game goes out after the end, when every mover's reasons are revealed.
        during, after = await visible_log(match_id, seat), await visible_log(match_id, seat, reveal_notes=True)
        last_move = max(i for i, e in enumerate(after) if e["type"] == "offer_accepted")
        assert sock.events == during[:last_move] + after[last_move:]
        assert any(e["actor"] in bot_actors for e in sock.events), "bot moves reach humans like anyone else's"
        # Every events frame continues where the last one stopped.
        version = None
        for frame in sock.frames:
            if frame["type"] in {"welcome", "snapshot"}:
                version = frame["version"]
            elif frame["type"] == "events":
                assert frame["prev_version"] == version
                version = frame["version"]
        # Events frames carry only the keys of the view that changed; merged, they are the whole view.
        held = dict(sock.view)
        await sock.send({"type": "resync", "msg_id": "check", "last_seq": sock.version})
        assert (await sock.expect("snapshot"))["view"] == held
    assert any(len(f["view"]) < len(us.view) - 3 for f in us.frames if f["type"] == "events")
    # The facilitator saw every table change as a summary.
    summaries = [f for f in fac.frames if f["type"] == "table_summary"]
    assert summaries[-1]["table"]["status"] == "finished"
    assert summaries[-1]["table"]["scores"]["us"]["alignment"] >= 0  # live scores, game.scoring being present
    # The page's bars are the scorer's own figures (the browser keeps no copy of a scoring rule).
    loaded = await database_sync_to_async(selectors.match_load)(match_id, after_seq=0)
    final = score_match(loaded.scenario, loaded.events, loaded.weights)
    for team in ("us", "vn"):
        live = summaries[-1]["table"]["scores"][team]
        expected = final.alignment[team]
        assert live["subscores"] == {d: v for d, v in expected.subscores.items() if d not in expected.left_out}
        assert live["backpedal_penalty"] == expected.backpedal_penalty


async def test_a_spy_on_the_other_team_receives_nothing_private_in_a_whole_game(workshop, sockets, facilitator_cookie, settings):
    match_id, us_token = await database_sync_to_async(claim)(workshop, "Alice", "us_commerce")
    _, vn_token = await database_sync_to_async(claim)(workshop, "Bao", "vn_trade")
    _, spy_token = await database_sync_to_async(claim)(workshop, "Spy", "vn_finance")
    fac = sockets(f"/ws/workshop/{workshop.public_id}/", [facilitator_cookie])
    us, vn, spy = (sockets(seat_path(match_id, t)) for t in (us_token, vn_token, spy_token))
    for s in (fac, us, vn, spy):
        await s.connect()

    await play_table(fac, match_id, [us, vn], watchers=[spy])

    log = await full_log(match_id)
    us_private = [e for e in log if e["visibility"] == "team:us"]
    assert us_private, "the US team did caucus in private"
    assert any(secret("us") in str(e["data"]) for e in us_private)
    # Filter before sending: no US-private event, text or state ever reached the spy's socket.
    assert all(e["visibility"] in {"public", "team:vn"} for f in spy.frames for e in f.get("events", []))
    assert not any(secret("us") in raw for raw in spy.raw)
    assert not any('"team:us"' in raw for raw in spy.raw)
    for frame in spy.frames:
        view = frame.get("view")
        if view and "teams" in view:
            assert set(view["teams"]["us"]) <= {"standing_offer", "alignment_shown", "deliverables"}
    during, after = await visible_log(match_id, "vn_finance"), await visible_log(match_id, "vn_finance", reveal_notes=True)
    last_move = max(i for i, e in enumerate(after) if e["type"] == "offer_accepted")
    assert spy.events == during[:last_move] + after[last_move:]  # reasons are revealed with the game's end
    # ... while the spy's own team's secrets did reach it.
    assert any(secret("vn") in raw for raw in spy.raw)
    # Score annotations: the spy's team's live, the other team's only once the game is over.
    ended = False
    live_vn = 0
    for frame in spy.frames:
        ended = ended or any(e["type"] == "game_ended" for e in frame.get("events", []))
        for a in frame.get("annotations") or []:
            assert a["team"] == "vn" or ended, a
            live_vn += a["team"] == "vn" and not ended
    assert live_vn > 0
    assert not any(f["type"] == "annotations" and f["team"] != "vn" for f in spy.frames)
    assert any(a["team"] == "us" for f in us.frames if f["type"] == "annotations" for a in f["annotations"])
    # Afterwards the spy reloads in small pages, asks hello and resync 0, and pages back through the
    # whole log: still nothing of the US caucus, and exactly the log it may see.
    settings.REALTIME_PAGE_EVENTS = 7
    seen_before = len(spy.raw)
    again = sockets(seat_path(match_id, spy_token))
    welcome = await again.connect()
    for frame in ({"type": "hello", "msg_id": "h"}, {"type": "resync", "msg_id": "r", "last_seq": 0}):
        await again.send(frame)
        assert len((await again.expect("snapshot", msg_id=frame["msg_id"]))["events"]) <= 7
    paged, before, more = list(welcome["events"]), welcome["events"][0]["seq"], welcome["from_seq"] > 0
    while more:
        await again.send({"type": "older", "msg_id": f"o{before}", "before_seq": before})
        page = await again.expect("page", msg_id=f"o{before}")
        assert 0 < len(page["events"]) <= 7
        paged[:0], before, more = page["events"], page["events"][0]["seq"], page["more"]
    assert paged == after  # after the game, with every mover's reasons
    assert not any(secret("us") in raw or '"team:us"' in raw for raw in again.raw)
    assert len(spy.raw) == seen_before
