"""Live scoring (game.realtime.scores): a table's first score is built in a worker thread; after that
each move's few events are scored on the event loop, with the same result as scoring the whole log."""

from __future__ import annotations

import asyncio

import pytest

from game.realtime import scores, tablelog
from game.scoring import score_match
from game.services import match_create, match_submit_move
from tests.engine.scripts import play_to_deal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_copies_left():
    yield
    tablelog.forget_all()


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
        scored = await scores.current(match.pk, at_least=result.state.version)
        table = tablelog.peek(match.pk)
        assert scored.result == score_match(table.scenario, table.events, table.weights)
    assert hops == ["_score"]  # the first build only
