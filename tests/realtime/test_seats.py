"""One table through the ASGI stack: welcome, presence, reconnect and resync, conflicting moves,
resent moves, and a trainee moved by the facilitator."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from game.engine import FACILITATOR
from game.models import Connection, MatchEvent
from game.realtime import table as table_module
from game.realtime.table import live_tables
from game.realtime.fanout import notify_seats_changed
from game.services import match_submit_move, seat_claim, seat_move, workshop_create
from tests.realtime.conftest import public_id_of, seat_cookie, seat_path
from tests.realtime.driver import visible_log

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def table(record, facilitator_user):
    """A workshop of two tables, no bots; three trainees at table 1 (two US, one VN)."""
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=2)
    tokens = {}
    for name, role in (("Alice", "us_commerce"), ("Ann", "us_ustr"), ("Bao", "vn_trade")):
        grant = seat_claim(workshop=workshop, display_name=name, table_no=1, role_id=role)
        tokens[role] = grant.token
        match_id = grant.seat.match_id
    return workshop, match_id, tokens


def fac_move(match_id, kind, **kw):
    return match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": kind, **kw})


async def to_caucus(match_id):
    await database_sync_to_async(fac_move)(match_id, "start")
    await database_sync_to_async(fac_move)(match_id, "advance")  # briefing -> caucus


async def pair_in_caucus(table, sockets, first="us_commerce", second="us_ustr"):
    """The table in caucus, with two of its trainees connected (by default the two US ones, Alice and Ann)."""
    _, match_id, tokens = table
    await to_caucus(match_id)
    one = sockets(seat_path(match_id, tokens[first]))
    two = sockets(seat_path(match_id, tokens[second]))
    await one.connect()
    await two.connect()
    return match_id, one, two


async def test_welcome_carries_view_log_presence_and_limits_and_presence_follows_connections(table, sockets):
    _, match_id, tokens = table
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    welcome = await alice.connect()
    assert welcome["type"] == "welcome" and welcome["seat"] == "us_commerce" and welcome["team"] == "us"
    assert welcome["view"]["viewer"] == {"seat": "us_commerce", "team": "us"}
    assert welcome["limits"] == {"max_frame_bytes": 16384, "rate_per_second": 10.0, "burst": 20, "page_events": 100, "chats_per_minute": 20}
    # The case as a US seat may read it: public parts and the US team's own cards, nothing confidential.
    case = welcome["scenario"]
    assert {d["team"] for d in case["deliverables"]} == {"us"} and case["issues"] and case["rounds"]
    for secret_key in ("points", "batna", "brief", "red_lines", "priorities", "stance_shift", "expects", "personas"):
        assert f'"{secret_key}"' not in alice.raw[0].split('"scenario"', 1)[1], secret_key
    me = next(p for p in welcome["presence"] if p["role_id"] == "us_commerce")
    assert me == {"role_id": "us_commerce", "team": "us", "kind": "human", "display_name": "Alice", "connected": True, "bot_cover": False}
    assert (await alice.expect("presence"))  # her own arrival, broadcast to the table
    bao = sockets(seat_path(match_id, tokens["vn_trade"]))
    await bao.connect()
    seen = await alice.expect("presence")
    assert {p["role_id"] for p in seen["seats"] if p["connected"]} == {"us_commerce", "vn_trade"}
    await bao.close()
    gone = await alice.expect("presence")
    assert {p["role_id"] for p in gone["seats"] if p["connected"]} == {"us_commerce"}
    await bao.comm.wait()
    assert await alice.silent()


async def test_a_reconnecting_seat_misses_nothing_mid_round(table, sockets):
    _, match_id, tokens = table
    await to_caucus(match_id)
    ann = sockets(seat_path(match_id, tokens["us_ustr"]))
    await ann.connect()
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()
    await alice.send({"type": "move", "msg_id": "a1", "expected_version": alice.version, "move": {"kind": "team_chat", "text": "one"}})
    ack = await alice.expect_reply("a1")
    await ann.catch_up(ack["version"])
    last_seq = ann.events[-1]["seq"]
    await ann.close()
    # While Ann is away: her team chats, the other team caucuses, the facilitator pauses the game.
    for i, text in enumerate(("two", "three")):
        await alice.send({"type": "move", "msg_id": f"b{i}", "move": {"kind": "team_chat", "text": text}})
        assert (await alice.expect_reply(f"b{i}"))["type"] == "ack"
    await database_sync_to_async(match_submit_move)(match_id=match_id, seat="vn_trade", move={"kind": "team_chat", "text": "vn only"})
    await database_sync_to_async(fac_move)(match_id, "pause")
    # She comes back saying what she already has: she gets exactly what she missed.
    back = sockets(seat_path(match_id, tokens["us_ustr"], last_seq=last_seq))
    welcome = await back.connect()
    assert welcome["since"] == last_seq
    missed = [e["data"].get("text", e["type"]) for e in welcome["events"]]
    assert missed == ["two", "three", "paused"]
    assert ann.events + welcome["events"] == await visible_log(match_id, "us_ustr")
    # A resync at any time replays from the seq given.
    await back.send({"type": "resync", "msg_id": "r1", "last_seq": 0})
    snap = await back.expect("snapshot", msg_id="r1")
    assert snap["events"] == await visible_log(match_id, "us_ustr") and snap["version"] == welcome["version"]


async def test_two_simultaneous_conflicting_moves_one_accepted_one_refused_with_the_state(table, sockets):
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    version = alice.version
    assert ann.version == version
    sheet = alice.view["points_sheet"]
    agenda = ["us_tariff", "transshipment", "vn_tariffs", "purchases", "ntb_ip", "chinese_content", "vn_asks"]
    draft = {"kind": "draft_mandate", "issues": {}}
    draft["issues"] = {i: {"target": max(sheet[i], key=sheet[i].get), "walkaway": min(sheet[i], key=sheet[i].get)} for i in agenda}
    before = await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id).count)()
    await asyncio.gather(
        alice.send({"type": "move", "msg_id": "x", "expected_version": version, "move": draft}),
        ann.send({"type": "move", "msg_id": "y", "expected_version": version, "move": draft}),
    )
    replies = [await alice.expect_reply("x"), await ann.expect_reply("y")]
    assert sorted(r["type"] for r in replies) == ["ack", "error"]
    refused, accepted = sorted(replies, key=lambda r: r["type"] == "ack")
    assert refused["code"] == "move/stale_version" and refused["details"]["version"] == accepted["version"]
    loser = alice if refused is replies[0] else ann
    snap = await loser.expect("snapshot", msg_id=refused["msg_id"])  # the current state comes with the refusal
    assert snap["version"] == accepted["version"] and snap["view"]["teams"]["us"]["mandate"]["version"] == 1
    assert await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id).count)() == before + 1


async def test_a_resent_move_is_acknowledged_but_not_applied_twice(table, sockets):
    match_id, alice, bao = await pair_in_caucus(table, sockets, "us_commerce", "vn_trade")
    frame = {"type": "move", "msg_id": "m-1", "move": {"kind": "team_chat", "text": "hello team"}}
    await alice.send(frame)
    first = await alice.expect_reply("m-1")
    await alice.send(frame)
    again = await alice.expect_reply("m-1")
    assert first["duplicate"] is False and again["duplicate"] is True and again["version"] == first["version"]
    # Another seat may use the same msg_id: ids are per seat.
    await bao.send({"type": "move", "msg_id": "m-1", "move": {"kind": "team_chat", "text": "xin chao"}})
    assert (await bao.expect_reply("m-1"))["duplicate"] is False
    chats = await database_sync_to_async(list)(MatchEvent.objects.filter(match_id=match_id, type="chat_posted").values_list("data", flat=True))
    assert [c["text"] for c in chats] == ["hello team", "xin chao"]


async def test_a_moves_ack_comes_before_its_update_and_each_exactly_once(table, sockets):
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    await alice.drain()
    for n in range(3):
        await alice.send({"type": "move", "msg_id": f"c{n}", "move": {"kind": "team_chat", "text": f"line {n}"}})
        ack = await alice.expect_reply(f"c{n}")
        update = await alice.expect("events", version=ack["version"])
        assert [e["data"]["text"] for e in update["events"]] == [f"line {n}"]
        await ann.catch_up(ack["version"])
    kinds = [f["type"] for f in alice.frames if f["type"] in {"ack", "events"}]
    assert kinds == ["ack", "events"] * 3
    assert await alice.silent(0.2), "an ack or an update went out twice"


async def test_a_moves_ack_and_update_still_come_when_the_notification_is_lost(table, sockets, monkeypatch):
    # The channel layer is best-effort: the mover's ack and update are the reply to its move, not
    # the notification; the other seats catch up from the log on their next ping.
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    await alice.drain()
    await ann.drain()

    async def lost(*args, **kwargs):
        return None

    monkeypatch.setattr(table_module, "notify_groups", lost)
    await alice.send({"type": "move", "msg_id": "lost-1", "move": {"kind": "team_chat", "text": "anyone there?"}})
    ack = await alice.expect_reply("lost-1", timeout=2)
    update = await alice.recv(timeout=2)
    assert ack["duplicate"] is False
    assert update["type"] == "events" and update["version"] == ack["version"]
    assert [e["data"]["text"] for e in update["events"]] == ["anyone there?"]
    assert await ann.silent(0.2), "nobody told the other seat: it catches up on its next ping"
    await ann.send({"type": "ping", "msg_id": "p1"})
    await ann.expect("pong", msg_id="p1")
    assert ann.version == ack["version"] and ann.events[-1]["data"]["text"] == "anyone there?"


async def test_a_trainee_moved_by_the_facilitator_is_disconnected_and_resumes_at_the_new_seat(table, sockets):
    workshop, match_id, tokens = table
    alice = sockets(seat_path(match_id, tokens["us_commerce"]))
    await alice.connect()

    def move_her():
        source, target = seat_move(workshop=workshop, from_table=1, from_role="us_commerce", to_table=2, to_role="vn_leader")
        notify_seats_changed([source.match_id, target.match_id], revoked=[(source.match_id, source.role_id)])
        return target.match_id

    new_match = await database_sync_to_async(move_her)()
    error = await alice.expect("error")
    assert error["code"] == "seat/moved"
    assert (await alice.recv())["code"] == 4409
    # The same browser secret now opens the new seat, and no longer the old one.
    again = sockets(seat_path(new_match, tokens["us_commerce"]))
    welcome = await again.connect()
    assert (welcome["seat"], welcome["team"], welcome["display_name"]) == ("vn_leader", "vn", "Alice")
    old = sockets(seat_path(match_id, tokens["us_commerce"]))
    assert (await old.connect())["code"] == "auth/bad_token"


async def test_a_seat_socket_never_waits_for_channels_stale_connection_check(table, sockets, monkeypatch):
    """Channels queues close_old_connections() on the one database thread before every handler and after
    every disconnect; our consumers skip it (game/realtime/dispatch.py): eight hops a move at a table
    of eight, and in a reconnect storm of 300, 300 hops on the thread the reconnecting seats wait on."""
    import channels.consumer
    import channels.generic.websocket

    hops = []

    async def counted() -> None:
        hops.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    monkeypatch.setattr(channels.generic.websocket, "aclose_old_connections", counted)
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    await alice.send({"type": "move", "msg_id": "c1", "move": {"kind": "team_chat", "text": "we hold on tariffs"}})
    await alice.expect_reply("c1")
    await ann.expect("events")
    await alice.close()
    await ann.close()
    assert hops == []



async def test_the_seat_cookie_opens_the_seat_and_a_token_in_the_url_does_not(table, sockets):
    """The seat's secret is never in a URL (proxies log URLs): only the table's signed HttpOnly cookie opens it."""
    from game import seat_cookies

    _, match_id, tokens = table
    path = f"/ws/match/{public_id_of(match_id)}/"
    bao = sockets(path, headers=[seat_cookie(match_id, tokens["vn_trade"])])
    welcome = await bao.connect()
    assert welcome["type"] == "welcome" and welcome["seat"] == "vn_trade", welcome
    in_url = sockets(f"{path}?token={tokens['vn_trade']}")
    assert (await in_url.connect())["code"] == "auth/bad_token"
    name = seat_cookies.cookie_name(match_id)
    forged = sockets(path, headers=[(b"cookie", f"{name}={tokens['vn_trade']}:forged".encode())])
    assert (await forged.connect())["code"] == "auth/bad_token"
    # Another table's cookie is no key to this table.
    elsewhere = sockets(f"/ws/match/{public_id_of(match_id + 1)}/", headers=[seat_cookie(match_id, tokens["vn_trade"])])
    assert (await elsewhere.connect())["code"] == "auth/bad_token"


async def test_a_seat_socket_opens_at_the_tables_public_id_only_never_its_sequential_number(table, sockets):
    """A visitor cannot walk tables by counting: /ws/match/<n>/ is refused even with that table's own
    seat cookie, and an unknown or malformed id is refused exactly as a wrong secret is."""
    _, match_id, tokens = table
    cookie = [seat_cookie(match_id, tokens["vn_trade"])]
    wrong_secret = sockets(f"/ws/match/{public_id_of(match_id)}/", headers=[seat_cookie(match_id, "not-a-seat-secret")])
    refusal = await wrong_secret.connect()
    assert refusal["code"] == "auth/bad_token"
    for path in (f"/ws/match/{match_id}/", "/ws/match/AAAAAAAAAAAAAAAAAAAAAA/", "/ws/match/%00/", f"/ws/match/{'x' * 40}/"):
        refused = sockets(path, headers=cookie)
        assert await refused.connect() == refusal, path
        assert (await refused.recv())["code"] == 4401
    bao = sockets(f"/ws/match/{public_id_of(match_id)}/", headers=cookie)
    welcome = await bao.connect()
    assert welcome["type"] == "welcome" and welcome["seat"] == "vn_trade" and welcome["match"] == match_id
    assert await database_sync_to_async(Connection.objects.filter(match_id=match_id, role_id="vn_trade").count)() == 1


async def test_sockets_opening_and_closing_together_share_database_trips_and_a_bad_secret_fails_alone(table, sockets, monkeypatch):
    """A room reconnecting at once: every seat still gets its own welcome (and a forged secret its own
    refusal), but their seat lookups and connection records go to the database in a few batches
    (game.realtime.dbpool.Batched), not one trip each."""
    from game import services

    batches = []

    def counted(calls):
        batches.append(len(calls))
        return services.seats_connect(calls)

    closed = []

    def counted_closes(calls):
        closed.append(len(calls))
        return services.connections_close(calls)

    monkeypatch.setattr(live_tables().seat_connect, "many", counted)
    monkeypatch.setattr(live_tables().connection_close, "many", counted_closes)
    _, match_id, tokens = table
    crowd = [sockets(seat_path(match_id, tokens[role])) for role in ("us_commerce", "us_ustr", "vn_trade") * 4]
    forged = sockets(seat_path(match_id, "not-a-seat-secret"))
    welcomes = await asyncio.gather(*(s.connect() for s in crowd), forged.connect())
    assert [w["seat"] for w in welcomes[:-1]] == ["us_commerce", "us_ustr", "vn_trade"] * 4
    assert welcomes[-1]["type"] == "error" and welcomes[-1]["code"] == "auth/bad_token"
    opened = await database_sync_to_async(lambda: sorted(Connection.objects.filter(match_id=match_id).values_list("role_id", flat=True)))()
    assert opened == ["us_commerce"] * 4 + ["us_ustr"] * 4 + ["vn_trade"] * 4
    await asyncio.gather(*(s.close() for s in crowd))
    assert await database_sync_to_async(Connection.objects.filter(match_id=match_id).count)() == 0
    assert batches and max(batches) > 1 and sum(batches) <= 13  # 13 sockets, fewer trips (one alone takes the single path)
    assert closed and max(closed) > 1 and sum(closed) <= 12  # and their closes


async def test_signs_of_life_are_written_together_and_a_move_does_not_wait_for_them(table, sockets, settings, monkeypatch):
    """Every client pings every 15 s; each ping (or move) after a quarter of the presence TTL is a sign
    of life. They go to the database in one statement a moment later, not one each before the frame."""
    from game import services

    settings.REALTIME_PRESENCE_TTL = 0.4  # a sign of life is due every 0.1 s
    settings.REALTIME_SEEN_SETTLE = 0.2
    written: list[list[str]] = []
    real = services.connections_touch

    def counted(*, channel_names: list[str], now: float | None = None) -> None:
        written.append(channel_names)
        real(channel_names=channel_names, now=now)

    monkeypatch.setattr(services, "connections_touch", counted)
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    seen_at = database_sync_to_async(lambda: dict(Connection.objects.values_list("channel_name", "seen_at")))
    before = await seen_at()
    await asyncio.sleep(0.15)
    await alice.send({"type": "move", "msg_id": "c1", "move": {"kind": "team_chat", "text": "we hold on tariffs"}})
    await ann.send({"type": "ping", "msg_id": "p1"})
    assert (await alice.expect_reply("c1"))["type"] == "ack"
    await ann.expect("pong", msg_id="p1")
    assert written == []  # the move was applied and acknowledged before any sign of life was written
    await asyncio.sleep(0.4)
    assert len(written) == 1 and len(written[0]) == 2  # both, in one statement
    after = await seen_at()
    assert set(written[0]) == set(before) and all(after[c] > before[c] for c in before)


async def test_a_chat_sends_one_frame_per_team_and_every_view_still_folds_to_the_whole_view(table, sockets, default_scenario, monkeypatch):
    """A team chat changes nothing of the state but its version: the seats of a team get the very
    same frame, built once. Between state changes the views must still fold to the full view."""
    from game.realtime import protocol as P

    built = []

    class Counted(P.Events):
        def model_dump_json(self, **kwargs):
            built.append(self.version)
            return super().model_dump_json(**kwargs)

    monkeypatch.setattr(P, "Events", Counted)
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    bao = sockets(seat_path(match_id, table[2]["vn_trade"]))
    await bao.connect()
    everyone = (alice, ann, bao)

    async def play(sock, msg_id, move) -> list[dict]:
        await sock.send({"type": "move", "msg_id": msg_id, "move": move})
        assert (await sock.expect_reply(msg_id))["type"] == "ack"
        return [await s.expect("events") for s in everyone]

    issue = default_scenario.issue_ids()[0]
    chat = await play(alice, "c1", {"kind": "team_chat", "text": "we hold on tariffs"})
    us_frames = [alice.raw[alice.frames.index(chat[0])], ann.raw[ann.frames.index(chat[1])]]
    assert us_frames[0] == us_frames[1] and chat[0]["view"] == {"version": chat[0]["version"]}
    assert chat[0]["events"] and not chat[2]["events"]  # the chat is the US team's own
    assert built.count(chat[0]["version"]) == 2  # one frame per team, for three seats
    changed = await play(ann, "p1", {"kind": "state_priorities", "priorities": {issue: 5}})
    assert len(changed[1]["view"]) > 1  # the state moved: more than the version
    await play(bao, "c2", {"kind": "team_chat", "text": "xin chào"})
    await play(alice, "c3", {"kind": "team_chat", "text": "and on transshipment"})
    for sock in everyone:
        held = dict(sock.view)
        await sock.send({"type": "resync", "msg_id": "check", "last_seq": sock.version})
        assert (await sock.expect("snapshot"))["view"] == held


async def test_a_table_of_trainees_is_not_asked_about_bots_per_move_and_a_seat_handed_to_a_bot_wakes_it(table, sockets, monkeypatch):
    """After every trainee's move the table's bots are woken; a table found without bot seats is not
    asked again until a seat change is announced (here: a presence frame listing a bot)."""
    from game import selectors
    from game.models import Seat
    from game.realtime import bots
    from tests.realtime.conftest import bots_idle

    asked = []
    real = selectors.bot_seats

    def counted(match_id):
        asked.append(match_id)
        return real(match_id)

    monkeypatch.setattr(bots.selectors, "bot_seats", counted)
    match_id, alice, ann = await pair_in_caucus(table, sockets)
    for n in range(4):
        await alice.send({"type": "move", "msg_id": f"c{n}", "move": {"kind": "team_chat", "text": f"line {n}"}})
        await alice.expect_reply(f"c{n}")
        await bots_idle(match_id)
    assert asked == [match_id]  # once, not once per move

    def hand_to_a_bot():
        Seat.objects.filter(match_id=match_id, role_id="vn_leader").update(kind="bot", persona="vn_pragmatic")
        notify_seats_changed([match_id])

    await database_sync_to_async(hand_to_a_bot)()
    await alice.expect("presence")
    await bots_idle(match_id)
    assert asked[1:] and set(asked) == {match_id}  # the bot seat was found
