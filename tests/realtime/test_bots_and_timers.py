"""Bots through the service path (practice mode carries a game to its end; loops are bounded; a stale
bot re-decides; the consumer never waits for a bot), and the clock (on time, exactly once)."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command
from django.utils.module_loading import import_string

from game.engine import FACILITATOR, SYSTEM
from game.models import Match, MatchEvent, Seat
from game.realtime import bots as realtime_bots
from game.realtime import timers
from game.services import match_create, match_submit_move, practice_create, seat_token_hash
from tests.realtime import quiet_bot, scripted_bot
from tests.realtime.conftest import bots_idle, seat_path
from tests.realtime.driver import settle, visible_log

pytestmark = pytest.mark.django_db(transaction=True)


def test_practice_create_seats_one_trainee_who_paces_and_bots_everywhere_else(record):
    match, token = practice_create(scenario_record=record, team="vn", role_id="vn_finance", persona_id="hard", seed=9, display_name="Linh")
    seats = {s.role_id: s for s in Seat.objects.filter(match=match)}
    me = seats.pop("vn_finance")
    assert me.kind == "human" and me.display_name == "Linh" and me.token_hash == seat_token_hash(token) and len(token) >= 40
    assert {s.kind for s in seats.values()} == {"bot"}
    assert {s.persona for s in seats.values() if s.team == "us"} == {"us_hardline"}
    assert {s.persona for s in seats.values() if s.team == "vn"} == {"vn_hardline"}
    assert match.mode == "practice" and match.workshop is None and match.setup["pacers"] == ["vn_finance"]
    assert match.setup["seed"] == 9


async def play_practice(sockets, match, token, max_steps=200):
    """The trainee only endorses her team's mandate and advances when the bots have nothing left to do."""
    me = sockets(seat_path(match.pk, token))
    await me.connect()
    await me.send({"type": "move", "msg_id": "start", "expected_version": 0, "move": {"kind": "start"}})
    assert (await me.expect_reply("start"))["type"] == "ack"
    for step in range(max_steps):
        await settle(match.pk, me)
        if me.view["status"] == "finished":
            return me
        team = me.view["viewer"]["team"]
        mandate = me.view["teams"][team].get("mandate")
        stance = me.view["teams"][team]["stances"].get(me.view["viewer"]["seat"])
        if me.view["phase"] == "caucus" and mandate and me.view["moves"]["endorse_mandate"] is None and not (
            stance and stance["endorse"] and stance["version"] == mandate["version"]
        ):
            move = {"kind": "endorse_mandate", "version": mandate["version"]}
        else:
            move = {"kind": "advance"}
        await me.send({"type": "move", "msg_id": f"s{step}", "expected_version": me.version, "move": move})
        reply = await me.expect_reply(f"s{step}")
        assert reply["type"] == "ack" or reply["code"] == "move/stale_version", reply
    raise AssertionError("the practice game did not finish")


async def test_in_practice_the_bots_carry_the_game_to_its_end(record, sockets):
    match, token = await database_sync_to_async(practice_create)(
        scenario_record=record, team="us", role_id="us_farm_lobby", persona_id="medium", seed=1, display_name="Sam"
    )
    me = await play_practice(sockets, match, token)
    log = await database_sync_to_async(lambda: list(MatchEvent.objects.filter(match=match).order_by("seq")))()
    by_bots = [e for e in log if e.actor not in {"us_farm_lobby", SYSTEM, FACILITATOR}]
    assert {e.type for e in by_bots} >= {"mandate_drafted", "mandate_endorsed", "offer_proposed"}
    assert {e.team for e in by_bots if e.phase == "caucus"} == {"us", "vn"}  # both teams caucus
    assert any(e.type in {"offer_proposed", "offer_accepted"} and e.team == "us" for e in by_bots)  # her team speaks
    assert log[-1].type == "game_ended"
    # The frame that announced the end of the game may carry the bots' reasons (notes are revealed
    # once the game is over), so compare the log with and without them.
    assert _without_notes(me.events) == _without_notes(await visible_log(match.pk, "us_farm_lobby"))


def _without_notes(events):
    return [{**e, "data": {k: v for k, v in e["data"].items() if k != "note"}} for e in events]


async def test_the_real_bot_plays_a_practice_game_when_it_exists(record, sockets, settings):
    try:
        import_string("game.bots.decide")
    except ImportError:
        pytest.skip("game.bots.decide does not exist yet (the bots issue is in progress)")
    settings.REALTIME_BOT_DECIDE = "game.bots.decide"
    match, token = await database_sync_to_async(practice_create)(
        scenario_record=record, team="vn", role_id="vn_exporters", persona_id="medium", seed=4, display_name="Lan"
    )
    me = await play_practice(sockets, match, token, max_steps=400)
    assert me.view["result"]["kind"] in {"deal", "no_deal"}
    log = await database_sync_to_async(lambda: list(MatchEvent.objects.filter(match=match)))()
    table_moves = {(e.team, e.type) for e in log if e.phase == "table" and e.actor not in {"vn_exporters", SYSTEM, FACILITATOR}}
    assert {team for team, _ in table_moves} == {"us", "vn"}  # both teams' bots speak at the table, hers too
    assert {e.team for e in log if e.phase == "caucus" and e.actor != "vn_exporters"} == {"us", "vn"}
    print(f"\nreal-bot practice game: {len(log)} events, result {me.view['result']['kind']}")


async def test_bot_moves_after_one_trigger_are_bounded(record, sockets, settings):
    settings.REALTIME_BOT_DECIDE = "tests.realtime.scripted_bot.chatty"
    settings.REALTIME_BOT_MOVES_PER_TRIGGER = 5
    match, token = await database_sync_to_async(practice_create)(scenario_record=record, team="us", role_id="us_ustr", seed=2)
    me = sockets(seat_path(match.pk, token))
    await me.connect()
    await me.send({"type": "move", "msg_id": "go", "move": {"kind": "start"}})
    await me.expect_reply("go")
    await bots_idle()
    chats = await database_sync_to_async(MatchEvent.objects.filter(match=match, type="chat_posted").count)()
    assert chats == 5
    await me.send({"type": "move", "msg_id": "again", "move": {"kind": "team_chat", "text": "enough"}})
    await me.expect_reply("again")
    await bots_idle()
    assert await database_sync_to_async(MatchEvent.objects.filter(match=match, type="chat_posted").count)() == 5 + 1 + 5


async def test_a_thinking_bot_blocks_nobody_and_re_decides_when_a_human_moved_first(record, sockets, settings):
    settings.REALTIME_BOT_DECIDE = "tests.realtime.scripted_bot.slow"
    scripted_bot.slow_seen.clear()
    match, token = await database_sync_to_async(practice_create)(scenario_record=record, team="us", role_id="us_ustr", seed=2)
    me = sockets(seat_path(match.pk, token))
    await me.connect()
    await me.send({"type": "move", "msg_id": "go", "move": {"kind": "start"}})
    await me.expect_reply("go")
    await bots_idle()
    await me.send({"type": "move", "msg_id": "adv", "move": {"kind": "advance"}})  # caucus: the bot starts thinking
    await me.expect_reply("adv")
    await asyncio.sleep(0.05)
    await me.send({"type": "ping", "msg_id": "p"})
    await me.expect("pong", msg_id="p")
    # Answered while the bot is still thinking (0.3 s): its chat has not arrived before the pong.
    assert not any(e["type"] == "chat_posted" and e["actor"] == "us_treasury" for e in me.events)
    await me.send({"type": "move", "msg_id": "mine", "move": {"kind": "team_chat", "text": "I speak first"}})
    await me.expect_reply("mine")
    await bots_idle()
    assert len(scripted_bot.slow_seen) == 2 and scripted_bot.slow_seen[1] > scripted_bot.slow_seen[0]
    chats = await database_sync_to_async(list)(MatchEvent.objects.filter(match=match, type="chat_posted").order_by("seq").values_list("actor", flat=True))
    assert chats == ["us_ustr", "us_treasury"]


@pytest.fixture
def timed_match(record):
    """A running match whose briefing (2 s) ends half a second from now."""
    match = match_create(scenario_record=record, phase_seconds={"briefing": 2, "caucus": 600})
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}, now=time.time() - 1.5)
    match.refresh_from_db()
    return match


async def started_practice(record, sockets):
    """A practice game the trainee (us_ustr) has started, her socket up to date once the bots are done."""
    match, token = await database_sync_to_async(practice_create)(scenario_record=record, team="us", role_id="us_ustr", seed=2)
    me = sockets(seat_path(match.pk, token))
    await me.connect()
    await me.send({"type": "move", "msg_id": "go", "move": {"kind": "start"}})
    await me.expect_reply("go")
    await settle(match.pk, me)
    return match, me


async def test_the_bots_answers_to_one_move_reach_the_trainee_together(record, sockets, monkeypatch):
    monkeypatch.setattr(realtime_bots, "ANNOUNCE_AFTER", 60.0)  # only the count bounds a moment here
    match, me = await started_practice(record, sockets)
    await me.send({"type": "move", "msg_id": "adv", "expected_version": me.version, "move": {"kind": "advance"}})  # caucus: both teams' bots fill it in
    advanced = (await me.expect_reply("adv"))["version"]
    await settle(match.pk, me)
    log = await database_sync_to_async(list)(MatchEvent.objects.filter(match=match, seq__gt=advanced).order_by("seq"))
    bot_moves = [e for e in log if e.msg_id]
    assert len(bot_moves) > realtime_bots.ANNOUNCE_MOVES and all(e.msg_id.split(":")[0] != "us_ustr" for e in bot_moves)
    frames = [f for f in me.frames if f["type"] == "events" and f["version"] > advanced]
    # Every bot move reaches her, once, in a chain of frames each carrying up to ANNOUNCE_MOVES of
    # them (her own move's frame may carry the first ones too).
    assert [f["prev_version"] for f in frames[1:]] == [f["version"] for f in frames[:-1]] and me.version == log[-1].seq
    seen = [e["seq"] for f in frames for e in f["events"]]
    assert len(seen) == len(set(seen)) and {e.seq for e in log if e.team == "us"} <= set(seen)
    assert len(frames) <= -(-len(bot_moves) // realtime_bots.ANNOUNCE_MOVES) + 1 < len(bot_moves)


async def test_bots_with_nothing_to_do_are_not_asked_again_after_a_chat_but_are_after_a_move(record, sockets, settings):
    settings.REALTIME_BOT_DECIDE = "tests.realtime.quiet_bot.decide"
    match, me = await started_practice(record, sockets)
    quiet_bot.asked.clear()
    for n in range(2):
        await me.send({"type": "move", "msg_id": f"chat{n}", "move": {"kind": "team_chat", "text": "Ready when you are."}})
        await me.expect_reply(f"chat{n}")
        await settle(match.pk, me)
    assert quiet_bot.asked == []
    await me.send({"type": "move", "msg_id": "adv", "expected_version": me.version, "move": {"kind": "advance"}})
    advanced = (await me.expect_reply("adv"))["version"]
    await settle(match.pk, me)
    assert quiet_bot.asked and min(v for v, _ in quiet_bot.asked) == advanced
    assert me.version > advanced  # the caucus: the bots moved


async def test_a_deadline_advances_the_phase_on_time_with_nobody_sending_anything(timed_match, sockets, settings):
    settings.REALTIME_TIMERS_IN_SERVER = True
    token = "t" * 43
    await database_sync_to_async(Seat.objects.filter(match=timed_match, role_id="us_ustr").update)(kind="human", token_hash=seat_token_hash(token))
    me = sockets(seat_path(timed_match.pk, token))
    welcome = await me.connect()  # the first connection starts this process's clock
    assert welcome["view"]["phase"] == "briefing"
    deadline = timed_match.deadline
    frame = await me.expect("events", timeout=3)
    tick = next(e for e in frame["events"] if e["type"] == "phase_started")
    assert tick["actor"] == SYSTEM and tick["data"]["phase"] == "caucus"
    assert deadline <= tick["at"] < deadline + settings.REALTIME_TIMER_INTERVAL + 0.5
    assert me.view["deadline"] == pytest.approx(tick["at"] + 600)


async def test_two_tickers_racing_on_one_due_match_advance_it_exactly_once(timed_match):
    await asyncio.sleep(max(0.0, timed_match.deadline - time.time()) + 0.01)
    # Two processes' tickers read the same due match at the same version, then both submit a tick.
    due_a, due_b = await asyncio.gather(timers.tick_due(), timers.tick_due())
    assert sorted([due_a, due_b]) == [[], [timed_match.pk]]
    version = timed_match.version
    assert await asyncio.gather(timers.tick_one(timed_match.pk, version), timers.tick_one(timed_match.pk, version)) == [False, False]
    ticks = await database_sync_to_async(list)(MatchEvent.objects.filter(match=timed_match, actor=SYSTEM).values_list("type", flat=True))
    assert ticks == ["phase_started"]


async def test_a_stale_ticker_does_nothing(timed_match):
    await asyncio.sleep(max(0.0, timed_match.deadline - time.time()) + 0.01)
    version = timed_match.version
    # Someone moved after this ticker read the match: its tick is refused as stale.
    await database_sync_to_async(match_submit_move)(match_id=timed_match.pk, seat="us_ustr", move={"kind": "team_chat", "text": "hi"})
    assert await timers.tick_one(timed_match.pk, version) is False
    assert await timers.tick_due() == [timed_match.pk]  # the next round reads the new version and ticks
    assert await database_sync_to_async(MatchEvent.objects.filter(match=timed_match, actor=SYSTEM).count)() == 1


def test_run_timers_command_ticks_due_matches_once(timed_match, capsys):
    time.sleep(max(0.0, timed_match.deadline - time.time()) + 0.01)
    call_command("run_timers", "--once")
    call_command("run_timers", "--once")
    assert Match.objects.get(pk=timed_match.pk).snapshot["phase"] == "caucus"
    assert MatchEvent.objects.filter(match=timed_match, actor=SYSTEM).count() == 1
    assert "advanced 1" in capsys.readouterr().out


@pytest.fixture
def idle_caucus(record):
    """A running match with one trainee (us_ustr), whose one-second caucus has just begun."""
    match = match_create(scenario_record=record, phase_seconds={"briefing": 1, "caucus": 1})
    Seat.objects.filter(match=match, role_id="us_ustr").update(kind="human", token_hash=seat_token_hash("t" * 43))
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}, now=time.time() - 5)
    match.refresh_from_db()
    return match


async def _caucus_deadline_passed(match) -> Match:
    assert await timers.tick_due() == [match.pk]  # the briefing ends: nobody is waited for in a briefing
    match = await database_sync_to_async(Match.objects.get)(pk=match.pk)
    assert match.snapshot["phase"] == "caucus"
    await asyncio.sleep(max(0.0, match.deadline - time.time()) + 0.01)
    return match


async def test_a_trainee_idle_past_the_timer_is_reminded_and_the_table_waits(idle_caucus):
    await _caucus_deadline_passed(idle_caucus)
    assert await timers.tick_due() == [idle_caucus.pk]
    clock = await database_sync_to_async(list)(MatchEvent.objects.filter(match=idle_caucus, actor=SYSTEM).order_by("seq").values_list("type", "data"))
    assert [t for t, _ in clock] == ["phase_started", "seats_reminded"]
    assert clock[-1][1]["seats"] == ["us_ustr"]
    match = await database_sync_to_async(Match.objects.get)(pk=idle_caucus.pk)
    assert match.snapshot["phase"] == "caucus" and match.snapshot["deadline"] is None
    assert await timers.tick_due() == []  # no deadline: the table waits, and the trainee is reminded once
    # The trainee moves; the table goes on when the facilitator (or, in practice, the trainee) advances it.
    await database_sync_to_async(match_submit_move)(match_id=idle_caucus.pk, seat="us_ustr", move={"kind": "team_chat", "text": "Here."})
    assert await timers.tick_due() == []
    await database_sync_to_async(match_submit_move)(match_id=idle_caucus.pk, seat=FACILITATOR, move={"kind": "advance"})
    match = await database_sync_to_async(Match.objects.get)(pk=idle_caucus.pk)
    assert match.snapshot["phase"] == "review"


async def test_a_trainee_who_has_moved_this_phase_is_not_waited_for(idle_caucus):
    await database_sync_to_async(match_submit_move)(match_id=idle_caucus.pk, seat=FACILITATOR, move={"kind": "advance"})
    match = await database_sync_to_async(Match.objects.get)(pk=idle_caucus.pk)
    assert match.snapshot["phase"] == "caucus"
    await database_sync_to_async(match_submit_move)(match_id=idle_caucus.pk, seat="us_ustr", move={"kind": "team_chat", "text": "Ready."})
    await asyncio.sleep(max(0.0, match.deadline - time.time()) + 0.01)
    assert await timers.tick_due() == [idle_caucus.pk]
    match = await database_sync_to_async(Match.objects.get)(pk=idle_caucus.pk)
    assert match.snapshot["phase"] != "caucus"
    assert not await database_sync_to_async(MatchEvent.objects.filter(match=idle_caucus, type="seats_reminded").exists)()


def test_only_the_clock_waits_for_trainees_and_only_for_real_seats(idle_caucus):
    from game.engine import MoveError

    with pytest.raises(MoveError):
        match_submit_move(match_id=idle_caucus.pk, seat=SYSTEM, move={"kind": "tick", "waiting_for": ["nobody_here"]}, now=time.time() + 60)
    assert not MatchEvent.objects.filter(match=idle_caucus, type="seats_reminded").exists()


def _at_the_table(record, trainee: str) -> Match:
    """A match at round 1's table (one-second timer, Vietnam holding the floor) with one trainee."""
    match = match_create(scenario_record=record, phase_seconds={"table": 1})
    Seat.objects.filter(match=match, role_id=trainee).update(kind="human", token_hash=seat_token_hash("t" * 43))
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
    while Match.objects.get(pk=match.pk).snapshot["phase"] != "table":
        match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "advance"})
    match.refresh_from_db()
    assert match.snapshot["floor"] == "vn" and match.deadline is not None
    return match


async def test_at_the_table_the_clock_waits_only_for_the_team_holding_the_floor(record):
    holding = await database_sync_to_async(_at_the_table)(record, "vn_trade")
    waiting = await database_sync_to_async(_at_the_table)(record, "us_ustr")
    await asyncio.sleep(max(0.0, max(holding.deadline, waiting.deadline) - time.time()) + 0.01)
    assert sorted(await timers.tick_due()) == sorted([holding.pk, waiting.pk])
    reminded = await database_sync_to_async(list)(MatchEvent.objects.filter(type="seats_reminded").values_list("match_id", "data"))
    assert reminded == [(holding.pk, {"seats": ["vn_trade"]})]
    phases = {m: s["phase"] for m, s in await database_sync_to_async(list)(Match.objects.filter(pk__in=[holding.pk, waiting.pk]).values_list("pk", "snapshot"))}
    assert phases == {holding.pk: "table", waiting.pk: "review"}  # a trainee not holding the floor holds nobody up
