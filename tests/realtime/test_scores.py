"""Live scoring (game.realtime.scores): a table's first score is built in a worker thread; after that
each move's few events are scored on the event loop, with the same result as scoring the whole log."""

from __future__ import annotations

import asyncio

import pytest

from game.realtime import scores
from game.realtime.table import LiveTable, live_table
from game.scoring import score_match
from game.services import match_create, match_submit_move
from tests.engine.scripts import play_to_deal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pushes(monkeypatch) -> list[tuple[int, int]]:
    """Every annotation push the server makes, as (prev_version, version)."""
    made: list[tuple[int, int]] = []
    real = LiveTable._push_annotations

    async def counted(live: LiveTable, spans: list[tuple[int, int]]) -> None:
        made.append((min(p for p, _ in spans), max(v for _, v in spans)))
        await real(live, spans)

    monkeypatch.setattr(LiveTable, "_push_annotations", counted)
    return made


def figures(score):
    """What a live table shows of a score (game.scoring.LiveScore's fields; a MatchScore has them too)."""
    return score.version, score.finished, score.annotations, score.alignment, score.leaderboard


async def test_moves_are_scored_on_the_loop_once_warm_and_equal_a_full_scoring(record, default_scenario, monkeypatch):
    from channels.db import database_sync_to_async

    match = await database_sync_to_async(match_create)(scenario_record=record)
    script = play_to_deal(default_scenario)
    hops = []
    to_thread = asyncio.to_thread

    async def counted(fn, *args, **kwargs):
        hops.append(fn.__name__)
        return await to_thread(fn, *args, **kwargs)

    monkeypatch.setattr(scores.asyncio, "to_thread", counted)
    for seat, move in script.moves:
        result = await database_sync_to_async(match_submit_move)(match_id=match.pk, seat=seat, move=move)
        scored = await live_table(match.pk).score(at_least=result.state.version)
        table = live_table(match.pk).table
        assert figures(scored.result) == figures(score_match(table.scenario, table.events, table.weights))
    assert hops == ["_score"]  # the first build only


async def test_a_tables_moves_close_together_are_annotated_once_and_no_annotation_is_lost(record, default_scenario, settings, pushes):
    """Annotations go out a moment after the moves (the update frames first), once for the moves of
    a table that came together; every annotation a team may see still reaches its group, once."""
    from channels.db import database_sync_to_async
    from channels.layers import get_channel_layer

    from game.realtime import tasks
    from game.realtime.groups import team_group

    settings.REALTIME_ANNOTATIONS_SETTLE = 0.3
    match = await database_sync_to_async(match_create)(scenario_record=record)
    layer = get_channel_layer()
    inbox = {team: await layer.new_channel() for team in default_scenario.team_ids()}
    for team, channel in inbox.items():
        await layer.group_add(team_group(match.pk, team), channel)
    moves = play_to_deal(default_scenario).moves[:-1]  # short of the deal: each team sees its own annotations
    for seat, move in moves:
        await live_table(match.pk).submit(seat=seat, move=move)
    await tasks.drain()

    final = await live_table(match.pk).score()
    assert final.state.status == "running"
    assert 1 <= len(pushes) < len(moves)
    assert pushes[0][0] == 0 and pushes[-1][1] == final.state.version  # together, every move's span
    seen = 0
    for team, channel in inbox.items():
        got = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.05)
            except asyncio.TimeoutError:
                break
            got += message["annotations"]
        seat = default_scenario.roles_of(team)[0].id
        live = scores.annotations_for(final.scenario, final.result, seat, finished=False)
        assert sorted(a["id"] for a in got) == sorted(a["id"] for a in live)  # all, once each
        seen += len(live)
    assert seen


async def test_a_team_chat_is_not_scored_on_its_own_but_with_the_next_move(record, default_scenario, settings, pushes):
    """A chat cannot earn an annotation: no scoring is scheduled for it; the next move that can is
    scored with the chats before it fed in order, and equals a full scoring of the log."""
    from channels.db import database_sync_to_async

    from game.realtime import tasks

    settings.REALTIME_ANNOTATIONS_SETTLE = 0.01
    match = await database_sync_to_async(match_create)(scenario_record=record)
    moves = play_to_deal(default_scenario).moves
    start, rest = moves[0], moves[1:]
    await live_table(match.pk).submit(seat=start[0], move=start[1])
    await tasks.drain()
    pushes.clear()
    chatter = default_scenario.roles[0].id
    for n in range(3):
        await live_table(match.pk).submit(seat=chatter, move={"kind": "team_chat", "text": f"line {n}"})
    await tasks.drain()
    assert pushes == []
    result = await live_table(match.pk).submit(seat=rest[0][0], move=rest[0][1])
    await tasks.drain()
    assert pushes == [(result.state.version - len(result.events), result.state.version)]
    table = live_table(match.pk).table
    assert figures((await live_table(match.pk).score()).result) == figures(score_match(table.scenario, table.events, table.weights))
