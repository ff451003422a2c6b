"""A server process's copy of a table catches up with moves other processes committed by folding the
new events onto the state it holds: it must equal what those moves' transactions stored."""

from __future__ import annotations

import pytest

from game.models import Match, MatchEvent
from game.realtime import tablelog
from game.realtime.fanout import changed_message
from game.selectors import match_events, match_state
from game.services import match_create, match_rebuild_snapshot, match_submit_move
from tests.engine.scripts import play_to_deal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_copies_left():
    """Copies are per process: leave none for the next test (match ids are reused between tests)."""
    yield
    tablelog.forget_all()


def test_a_copy_caught_up_from_the_log_equals_the_stored_state(record, default_scenario):
    match = match_create(scenario_record=record)
    script = play_to_deal(default_scenario)
    first = tablelog.refresh(match.pk)  # this process's copy, read once
    # Moves committed elsewhere (not through this process's copy), up to a deal.
    for seat, move in script.moves:
        match_submit_move(match_id=match.pk, seat=seat, move=move)
    match.refresh_from_db()
    caught_up = tablelog.refresh(match.pk)
    assert caught_up.version == match.version > first.version
    assert caught_up.state == match_state(match)
    assert list(caught_up.events) == match_events(match)
    assert caught_up.state.status == "finished" and first.state.status == "lobby"  # the old copy is left as it was
    assert tablelog.refresh(match.pk) is caught_up  # nothing new: the same copy


def test_a_copy_ahead_of_the_database_is_read_again_whole(record, default_scenario):
    """The database was reset or restored under a running server: the log is behind this copy."""
    match = match_create(scenario_record=record)
    for seat, move in play_to_deal(default_scenario).moves[:6]:
        match_submit_move(match_id=match.pk, seat=seat, move=move)
    ahead = tablelog.refresh(match.pk)
    MatchEvent.objects.filter(match=match, seq__gt=2).delete()  # test-only: the log is append-only in the app
    match_rebuild_snapshot(match=match)
    reread = tablelog.refresh(match.pk)
    assert ahead.version > 2 and reread.version == 2
    assert reread.state == match_state(Match.objects.get(pk=match.pk))


def test_a_notification_carrying_the_moves_events_extends_the_copy_without_reading_the_log(
    record, default_scenario, django_assert_num_queries
):
    match = match_create(scenario_record=record)
    moves = play_to_deal(default_scenario).moves
    match_submit_move(match_id=match.pk, seat=moves[0][0], move=moves[0][1])
    tablelog.refresh(match.pk)
    first = match_submit_move(match_id=match.pk, seat=moves[1][0], move=moves[1][1])  # committed by "another process"
    second = match_submit_move(match_id=match.pk, seat=moves[2][0], move=moves[2][1])
    held = tablelog.peek(match.pk)

    tablelog.heard(changed_message(match.pk, second.state.version, second.events))  # skips the first move's events
    assert tablelog.peek(match.pk) is held  # not where they start: left for a read of the log

    with django_assert_num_queries(0):
        tablelog.heard(changed_message(match.pk, first.state.version, first.events))
        tablelog.heard(changed_message(match.pk, second.state.version, second.events))
    assert tablelog.peek(match.pk).state == second.state == match_state(Match.objects.get(pk=match.pk))
    assert list(tablelog.peek(match.pk).events) == match_events(match)


def test_a_copy_extended_by_this_processes_own_moves_equals_the_stored_game(record, default_scenario, django_assert_num_queries):
    """The server's own moves extend its copy with the engine's objects (tablelog.advance, no read
    back): played to a deal on that copy, it must still equal the log and the snapshot stored."""
    match = match_create(scenario_record=record)
    tablelog.refresh(match.pk)
    for seat, move in play_to_deal(default_scenario).moves:
        held = tablelog.peek(match.pk)
        result = match_submit_move(
            match_id=match.pk, seat=seat, move=move, known_state=held.state, known_scenario=held.scenario
        )
        with django_assert_num_queries(0):
            assert tablelog.advance(match.pk, result.state, result.events)
    copy = tablelog.peek(match.pk)
    stored = Match.objects.get(pk=match.pk)
    assert copy.state.status == "finished"
    assert copy.state == match_state(stored)
    assert list(copy.events) == match_events(stored)


def test_every_seats_view_from_the_tables_shared_parts_equals_the_engines_own(record, default_scenario):
    """Seats' views are built from per-team parts shared between seats and carried over from the
    previous version where unchanged (Table.shared): at every version of a game each must equal the
    view the engine builds from the state alone."""
    from game.engine import FACILITATOR, OBSERVER, player_view

    match = match_create(scenario_record=record)
    tablelog.refresh(match.pk)
    seats = [r.id for r in default_scenario.roles] + [FACILITATOR, OBSERVER]
    changed_at = 0  # the version of the last move that changed more than the version number
    for seat, move in play_to_deal(default_scenario, chatty=True).moves:
        held = tablelog.peek(match.pk)
        result = match_submit_move(match_id=match.pk, seat=seat, move=move, known_state=held.state, known_scenario=held.scenario)
        tablelog.advance(match.pk, result.state, result.events)
        table = tablelog.peek(match.pk)
        # The dump shared by the seats is the state's own, also when carried over from a chat's version.
        assert table.state_json == table.state.to_json()
        if move["kind"] != "team_chat":
            changed_at = table.version
        assert table.state_since == changed_at, (move["kind"], table.version)
        for viewer in seats:
            for static in (True, False):
                got = table.frame(viewer, after_seq=0, now=100.0, static=static)["view"]
                assert got == player_view(default_scenario, table.state, viewer, 100.0, static=static), (viewer, table.version)

