"""Scripted humans that play from the frames they receive (as a page would), and a facilitator who
advances when nobody has anything to do. Used by the whole-game tests."""

from __future__ import annotations

import itertools
from typing import Any

from channels.db import database_sync_to_async
from django.utils import translation

from game.engine import visible_events
from game.models import Match
from game.selectors import match_events, match_version, scenario_of
from tests.realtime.conftest import Socket, bots_idle
from game.web.said import said_events

_ids = itertools.count(1)


def secret(team: str) -> str:
    return f"SECRET-{team.upper()}-PLAN"


def human_move(view: dict[str, Any], chatted: set) -> dict[str, Any] | None:
    """What a diligent trainee does, decided from their own view only."""
    team = view["viewer"]["team"]
    seat = view["viewer"]["seat"]
    moves = view["moves"]
    mine = view["teams"][team]
    if view["status"] != "running":
        return None
    if view["phase"] == "caucus":
        if (view["round"], seat) not in chatted and moves.get("team_chat") is None:
            chatted.add((view["round"], seat))
            return {"kind": "team_chat", "text": f"{secret(team)} round {view['round']}: hold firm on tariffs"}
        mandate = mine.get("mandate")
        if mandate and moves.get("endorse_mandate") is None:
            stance = mine["stances"].get(seat)
            if not stance or not stance["endorse"] or stance["version"] != mandate["version"]:
                return {"kind": "endorse_mandate", "version": mandate["version"]}
        return None
    if view["phase"] == "table" and view["floor"] == team:
        other = next(t for t in view["teams"] if t != team)
        theirs = view["teams"][other]["standing_offer"]
        if theirs and view["round"] >= 2:
            return {"kind": "accept", "offer": theirs}
        if theirs:
            return {"kind": "reject", "offer": theirs, "reason": "too far from our mandate"}
        if mine["standing_offer"] is None:
            sheet = view["points_sheet"]
            return {"kind": "propose", "package": {i: max(opts, key=opts.get) for i, opts in sheet.items()}}
        return {"kind": "statement", "text": "We stand by our offer."}
    return None


async def settle(match_id: int, *sockets: Socket) -> None:
    """Wait for the bots to finish, then for every socket to be brought up to the table's version."""
    await bots_idle()
    version = await database_sync_to_async(match_version)(match_id)
    for s in sockets:
        await s.catch_up(version)


async def play_table(fac: Socket, table: int, humans: list[Socket], watchers: list[Socket] = (), max_steps: int = 300) -> None:
    """Start the table, then: humans act when they have something to do, else the facilitator advances."""
    everyone = [fac, *humans, *watchers]
    msg_id = f"c{next(_ids)}"
    await fac.send({"type": "control", "msg_id": msg_id, "table": table, "move": {"kind": "start"}})
    assert (await fac.expect_reply(msg_id))["type"] == "ack"
    chatted: set = set()
    for _ in range(max_steps):
        await settle(table, *everyone)
        if humans[0].view.get("status") == "finished":
            return
        acted = False
        for s in humans:
            move = human_move(s.view, chatted)
            if move is None:
                continue
            msg_id = f"h{next(_ids)}"
            await s.send({"type": "move", "msg_id": msg_id, "expected_version": s.version, "move": move})
            reply = await s.expect_reply(msg_id)
            assert reply["type"] == "ack", reply
            acted = True
            break
        if not acted:
            msg_id = f"c{next(_ids)}"
            await fac.send({"type": "control", "msg_id": msg_id, "table": table, "move": {"kind": "advance"}})
            reply = await fac.expect_reply(msg_id)
            assert reply["type"] == "ack", reply
    raise AssertionError("the game did not finish")


@database_sync_to_async
def visible_log(match_id: int, seat: str, *, reveal_notes: bool = False) -> list[dict[str, Any]]:
    match = Match.objects.select_related("scenario").get(pk=match_id)
    events = visible_events(scenario_of(match.scenario), match_events(match), seat, reveal_notes=reveal_notes)
    with translation.override("en"):  # as a socket without a language says the log's sentences
        return said_events([e.model_dump(mode="json") for e in events])


@database_sync_to_async
def full_log(match_id: int) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in match_events(Match.objects.get(pk=match_id))]
