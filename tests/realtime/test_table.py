"""The owner of a live table in a server process (game.realtime.table.LiveTable): the copy it holds,
extended by its own moves and caught up from the log with moves other processes committed, must
equal what those moves' transactions stored."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from game.models import Match, MatchEvent
from game.realtime.table import live_table
from game.selectors import match_events, match_state
from game.services import match_create, match_rebuild_snapshot, match_submit_move
from tests.engine.scripts import play_to_deal

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(match_id: int) -> tuple:
    match = Match.objects.get(pk=match_id)
    return match.version, match_state(match), match_events(match)


async def test_a_copy_caught_up_from_the_log_equals_the_stored_state(record, default_scenario):
    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    first = await live.current()  # this process's copy, read once
    # Moves committed elsewhere (another process: not through this owner), up to a deal.
    for seat, move in play_to_deal(default_scenario).moves:
        await database_sync_to_async(match_submit_move)(match_id=match.pk, seat=seat, move=move)
    version, state, events = await database_sync_to_async(_stored)(match.pk)
    caught_up = await live.current(at_least=version)  # as after that process's notification
    assert caught_up.version == version > first.version
    assert caught_up.state == state and list(caught_up.events) == events
    assert caught_up.state.status == "finished" and first.state.status == "lobby"  # the old version is left as it was
    assert await live.current() is caught_up  # nothing new: the same copy


async def test_a_copy_ahead_of_the_database_is_read_again_whole(record, default_scenario):
    """The database was reset or restored under a running server: the log is behind this copy."""
    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    for seat, move in play_to_deal(default_scenario).moves[:6]:
        await live.submit(seat=seat, move=move)
    ahead = live.table

    def restore() -> None:
        MatchEvent.objects.filter(match=match, seq__gt=2).delete()  # test-only: the log is append-only in the app
        match_rebuild_snapshot(match=Match.objects.get(pk=match.pk))

    await database_sync_to_async(restore)()
    reread = await live.current()
    version, state, _ = await database_sync_to_async(_stored)(match.pk)
    assert ahead.version > 2 and reread.version == version == 2 and reread.state == state


async def test_a_stale_copy_still_applies_a_move_once_on_the_current_state(record, default_scenario):
    """Another process moved and its notification has not arrived: the owner's move is refused by
    the compare-and-set, the events after its copy are read, and the move is applied on top of them."""
    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    moves = play_to_deal(default_scenario).moves
    before = (await live.submit(seat=moves[0][0], move=moves[0][1])).state.version
    elsewhere = await database_sync_to_async(match_submit_move)(match_id=match.pk, seat=moves[1][0], move=moves[1][1])
    assert elsewhere.state.version > before == live.table.version
    result = await live.submit(seat=moves[2][0], move=moves[2][1], msg_id="m2")
    assert result.state.version == elsewhere.state.version + len(result.events)
    assert [e.seq for e in result.log] == list(range(before + 1, result.state.version + 1))
    version, state, events = await database_sync_to_async(_stored)(match.pk)
    assert live.table.state == state and list(live.table.events) == events
    again = await live.submit(seat=moves[2][0], move=moves[2][1], msg_id="m2")  # resent: applied once
    assert again.duplicate and again.state.version == version


async def test_a_copy_extended_by_the_owners_own_moves_equals_the_stored_game(record, default_scenario):
    """The owner's own moves extend its copy with the engine's objects (no read back): played to a
    deal, it must still equal the log and the snapshot stored."""
    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    for seat, move in play_to_deal(default_scenario).moves:
        await live.submit(seat=seat, move=move)
    version, state, events = await database_sync_to_async(_stored)(match.pk)
    assert live.table.state.status == "finished"
    assert live.table.version == version and live.table.state == state and list(live.table.events) == events


async def test_every_seats_view_from_the_tables_shared_parts_equals_the_engines_own(record, default_scenario):
    """Seats' views are built from per-team parts shared between seats and carried over from the
    previous version where unchanged (Table.shared): at every version of a game each must equal the
    view the engine builds from the state alone."""
    from game.engine import FACILITATOR, OBSERVER, player_view

    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    seats = [r.id for r in default_scenario.roles] + [FACILITATOR, OBSERVER]
    changed_at = 0  # the version of the last move that changed more than the version number
    for seat, move in play_to_deal(default_scenario, chatty=True).moves:
        await live.submit(seat=seat, move=move)
        table = live.table
        # The dump shared by the seats is the state's own, also when carried over from a chat's version.
        assert table.state_json == table.state.to_json()
        if move["kind"] != "team_chat":
            changed_at = table.version
        assert table.state_since == changed_at, (move["kind"], table.version)
        for viewer in seats:
            for static in (True, False):
                got = table.frame(viewer, after_seq=0, now=100.0, static=static)["view"]
                assert got == player_view(default_scenario, table.state, viewer, 100.0, static=static), (viewer, table.version)


async def test_every_seats_frame_said_through_the_tables_sayings_equals_it_said_afresh(record, default_scenario):
    """A table says its frames' sentences once per language and reuses them from version to version
    (game.web.said.Sayings): at every version of a game, in Vietnamese and English, each seat's view
    and events must read exactly as said from scratch, a reason that changed included."""
    from django.utils import translation

    from game.engine import FACILITATOR
    from game.web.said import said_events, said_view

    match = await database_sync_to_async(match_create)(scenario_record=record)
    live = live_table(match.pk)
    seats = [r.id for r in default_scenario.roles] + [FACILITATOR]
    reasons_seen = set()
    for seat, move in play_to_deal(default_scenario, chatty=True).moves:
        await live.submit(seat=seat, move=move)
        table = live.table
        for language in ("vi", "en"):
            with translation.override(language):
                for viewer in seats:
                    frame = table.frame(viewer, after_seq=max(0, table.version - 3), now=100.0, static=False)
                    kept = said_view(frame["view"], table.sayings)
                    assert kept == said_view(frame["view"]), (viewer, language, table.version)
                    assert said_events(frame["events"], table.sayings) == said_events(frame["events"]), (viewer, table.version)
                    reasons_seen.update(v for v in kept.get("moves", {}).values() if v)
    assert len(reasons_seen) > 10  # the views carried many different reasons, in both languages


async def test_a_bots_move_waits_while_a_persons_move_is_being_stored():
    """A person's move is stored before any bot's move that has not started yet (PeopleFirst): a bot
    asking its turn while a person's move is under way starts only once no person's move is left."""
    import asyncio

    from game.realtime.table import PeopleFirst

    lane = PeopleFirst(patience=5.0)
    await asyncio.wait_for(lane.bots_turn(), 1.0)  # nobody's move under way: a bot goes at once
    order: list[str] = []

    async def bot() -> None:
        await lane.bots_turn()
        order.append("bot")

    async def person(name: str, hold: float) -> None:
        async with lane.person():
            await asyncio.sleep(hold)
            order.append(name)

    first = asyncio.create_task(person("first person", 0.05))
    await asyncio.sleep(0)
    waiting_bot = asyncio.create_task(bot())
    await asyncio.sleep(0.01)
    second = asyncio.create_task(person("second person", 0.08))  # arrives while the first is stored
    await asyncio.gather(first, second, waiting_bot)
    assert order == ["first person", "second person", "bot"]


async def test_a_bot_is_not_kept_waiting_for_ever_by_a_busy_room():
    """People whose moves keep the lane busy without a break hold a bot's move up by at most the lane's
    patience: the bots still answer, a moment late."""
    import asyncio

    from game.realtime.table import PeopleFirst

    lane = PeopleFirst(patience=0.05)
    busy = True
    in_flight = 0

    async def move(hold: float) -> None:
        nonlocal in_flight
        async with lane.person():
            in_flight += 1
            await asyncio.sleep(hold)
            in_flight -= 1

    async def room() -> None:
        while busy:  # each move starts before the one before it is stored: the lane is never clear
            asyncio.get_running_loop().create_task(move(0.03))
            await asyncio.sleep(0.01)

    people = asyncio.create_task(room())
    await asyncio.sleep(0.02)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(lane.bots_turn(), 2.0)
    waited, people_storing = loop.time() - started, in_flight
    busy = False
    await people
    await asyncio.sleep(0.05)
    assert people_storing > 0  # the bot went while people's moves were still being stored
    assert 0.04 <= waited < 1.0, waited
