"""Faults survived, nothing lost: real daphne processes (`manage.py serve`) on PostgreSQL and Redis
(the scale-out settings), each a throwaway instance of this test's own, killed and restarted mid-game.

Clients behave as the table page does: on a dropped connection they reconnect with `last_seq` and
resend the move they had no answer for, with the same msg_id. After each fault every move is in the
log exactly once, every acknowledged one included, and each client's log has no gap and no repeat.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.realtime.local_services import LocalPostgres, LocalRedis, free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]

SET_UP_DATABASE = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); call_command('load_scenario', verbosity=0)"
)
NEW_MATCHES = r"""
import json, sys, django
django.setup()
from game.engine import FACILITATOR
from game.models import Seat
from game.selectors import scenario_get
from django.http import HttpResponse
from game import seat_cookies
from game.services import match_create, match_submit_move, seat_token_hash
made = []
for _ in range(int(sys.argv[1])):
    match = match_create(scenario_record=scenario_get("us_vietnam_2025"), pacers=())
    tokens = {}
    for role in ("us_commerce", "us_ustr", "vn_trade"):
        tokens[role] = f"token-{role}-{match.pk}"
        Seat.objects.filter(match=match, role_id=role).update(kind="human", display_name=role, token_hash=seat_token_hash(tokens[role]))
        # What the seat's browser sends: its seat cookie, "name=signed value".
        signed = seat_cookies.remember(HttpResponse(), match.pk, tokens[role]).cookies[seat_cookies.cookie_name(match.pk)].value
        tokens[role] = f"{seat_cookies.cookie_name(match.pk)}={signed}"
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "advance"})
    made.append([match.pk, match.public_id, tokens])
print(json.dumps(made))
"""


class Cluster:
    """PostgreSQL, Redis and daphne processes of this test's own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pg = LocalPostgres()
        self.redis = LocalRedis(folder)
        self.env = {
            **os.environ, "DATABASE_URL": self.pg.url, "REDIS_URL": self.redis.url, "REDIS_PREFIX": f"ngfault{uuid.uuid4().hex[:8]}",
            "DJANGO_SETTINGS_MODULE": "negotiation_game.settings", "REALTIME_TIMERS_IN_SERVER": "0", "LOG_LEVEL": "WARNING",
        }
        self.env.pop("SQLITE_PATH", None)
        self.servers: dict[int, subprocess.Popen] = {}
        self.logs: list[Path] = []

    def up(self) -> None:
        self.pg.init()
        self.redis.start()
        done = subprocess.run([sys.executable, "-c", SET_UP_DATABASE], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        done = subprocess.run([sys.executable, "-c", NEW_MATCHES, "4"], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        self.matches = [tuple(m) for m in json.loads(done.stdout.strip().splitlines()[-1])]

    def new_match(self) -> tuple[int, str, dict[str, str]]:
        """(the match's id, its public id -- the one its sockets' URL takes --, its seats' cookies)."""
        return self.matches.pop()

    def serve(self, *ports: int, count: int = 1) -> list[int]:
        """Start daphne processes (`manage.py serve`, as `make run` does) on these ports, or on `count` free ones."""
        ports = ports or tuple(free_port() for _ in range(count))
        for port in ports:
            log = self.folder / f"daphne-{port}-{len(self.logs)}.log"
            self.logs.append(log)
            with open(log, "wb") as out:
                self.servers[port] = subprocess.Popen(
                    [sys.executable, "manage.py", "serve", "-b", "127.0.0.1", "-p", str(port), "negotiation_game.asgi:application"],
                    # Each page's Origin is the process that served it.
                    cwd=ROOT, env={**self.env, "DJANGO_PUBLIC_PORTS": str(port)}, stdout=out, stderr=subprocess.STDOUT,
                )
        for port in ports:
            wait_port(port, timeout=40, proc=self.servers[port])
        return list(ports)

    def kill(self, port: int) -> None:
        proc = self.servers.pop(port)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def down(self) -> None:
        for port in list(self.servers):
            self.kill(port)
        self.redis.kill()
        self.pg.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("faults"))
    try:
        c.up()
        yield c
    finally:
        c.down()


def _counts(cluster: Cluster, match_id: int) -> dict[str, int]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(cluster.pg.url) as conn:
        rows = conn.execute(
            "select data->>'text', count(*) from game_matchevent where match_id = %s and type = 'chat_posted' group by 1", (match_id,)
        ).fetchall()
        seqs = [r[0] for r in conn.execute("select seq from game_matchevent where match_id = %s order by seq", (match_id,))]
    assert seqs == list(range(1, len(seqs) + 1))  # the log has no gap and no repeat
    return dict(rows)


class Client:
    """One seat's browser tab: reconnects with last_seq, resends an unanswered move with its msg_id."""

    def __init__(self, port: int, public_id: str, token: str):
        self.port, self.public_id, self.token = port, public_id, token
        self.ws = None
        self.version = 0
        self.events: list[tuple[int, str, str | None]] = []  # (seq, type, chat text) of every event received
        self.reconnects = -1

    async def connect(self, deadline: float) -> None:
        from websockets.asyncio.client import connect  # noqa: PLC0415

        while True:
            url = f"ws://127.0.0.1:{self.port}/ws/match/{self.public_id}/?last_seq={self.version}"
            try:
                self.ws = await connect(url, origin=f"http://127.0.0.1:{self.port}", open_timeout=2, max_size=None,
                                        additional_headers=[("Cookie", self.token)])
                self.take(json.loads(await asyncio.wait_for(self.ws.recv(), 5)))
                self.reconnects += 1
                return
            except Exception:  # noqa: BLE001 - the server is down or restarting: try again
                self.ws = None
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)

    def take(self, frame: dict) -> None:
        if frame["type"] in {"welcome", "snapshot", "events"}:
            # Kept as received: a repeat (or a gap) would show in the tests' checks.
            self.events.extend((e["seq"], e["type"], e["data"].get("text")) for e in frame["events"])
            self.version = max(self.version, frame["version"])

    async def request(self, frame: dict, during=None, timeout: float = 30) -> dict:
        from websockets.exceptions import ConnectionClosed  # noqa: PLC0415

        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.ws is None:
                    await self.connect(deadline)
                await self.ws.send(json.dumps(frame))
                if during is not None:
                    fault, during = during, None
                    await fault()
                while True:
                    reply = json.loads(await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic())))
                    self.take(reply)
                    if reply.get("msg_id") == frame["msg_id"] and reply["type"] in {"ack", "error", "pong"}:
                        return reply
            except (ConnectionClosed, OSError):
                self.ws = None
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

    async def chat(self, text: str, during=None) -> dict:
        reply = await self.request({"type": "move", "msg_id": f"m-{text}", "move": {"kind": "team_chat", "text": text}}, during)
        assert reply["type"] == "ack", reply
        return reply

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def _play_through(cluster: Cluster, ports: list[int], fault, *, cuts_connections: bool, rounds: int = 8) -> None:
    match_id, public_id, tokens = await asyncio.to_thread(cluster.new_match)
    ann = Client(ports[0], public_id, tokens["us_commerce"])
    ben = Client(ports[-1], public_id, tokens["us_ustr"])
    bao = Client(ports[-1], public_id, tokens["vn_trade"])
    deadline = time.monotonic() + 30
    for c in (ann, ben, bao):
        await c.connect(deadline)
    sent = []
    for n in range(rounds):
        # Halfway, the fault strikes while Ann's move is on its way: she has no answer for it.
        sent.append(f"ann-{n}")
        await ann.chat(sent[-1], during=fault if n == rounds // 2 else None)
        sent.append(f"ben-{n}")
        await ben.chat(sent[-1])
    for c, role in ((ann, "us_commerce"), (ben, "us_ustr"), (bao, "vn_trade")):
        await c.chat(f"end-{role}")  # each client is live again (and brought up to date on the way)
        sent.append(f"end-{role}")
    for c in (ann, ben, bao):
        await c.request({"type": "ping", "msg_id": "up-to-date"})  # a ping brings the client up to the log
    counts = await asyncio.to_thread(_counts, cluster, match_id)
    assert counts == {text: 1 for text in sent}  # every move once: none lost, none applied twice
    if cuts_connections:
        assert ann.reconnects >= 1  # the fault did cut her connection (and she came back)
    # Each client holds the log it may see without gap or repeat: the US seats every US chat once,
    # Vietnam's seat none of them.
    us_chats = sorted(t for t in sent if not t.endswith("vn_trade"))
    for c in (ann, ben, bao):
        assert [e[0] for e in c.events] == sorted({e[0] for e in c.events})  # in order, none twice
    for c in (ann, ben):
        assert sorted(t for _, kind, t in c.events if kind == "chat_posted") == us_chats
    assert [t for _, kind, t in bao.events if kind == "chat_posted"] == ["end-vn_trade"]
    for c in (ann, ben, bao):
        await c.close()


def test_a_server_killed_mid_game_and_restarted_loses_and_repeats_nothing(cluster):
    [port] = cluster.serve()

    async def kill_and_restart():
        cluster.kill(port)
        cluster.serve(port)

    try:
        asyncio.run(_play_through(cluster, [port], kill_and_restart, cuts_connections=True))
    finally:
        cluster.kill(port)


@pytest.fixture(scope="module")
def two_servers(cluster):
    ports = cluster.serve(count=2)
    yield ports
    for port in ports:
        cluster.kill(port)


def test_redis_restarted_mid_game_under_two_servers_loses_and_repeats_nothing(cluster, two_servers):
    async def restart_redis():
        cluster.redis.restart()

    # Moves go on through the database; the channel layer is only a notifier (clients catch up from the log).
    asyncio.run(_play_through(cluster, two_servers, restart_redis, cuts_connections=False))


def test_postgres_restarted_mid_game_under_two_servers_loses_and_repeats_nothing(cluster, two_servers):
    async def restart_postgres():
        cluster.pg.restart()

    # The servers' database connections are cut; they reconnect (game/realtime/dbpool.py) and the
    # sockets stay open.
    asyncio.run(_play_through(cluster, two_servers, restart_postgres, cuts_connections=False))


def test_frames_of_1_and_10_mib_get_too_large_and_the_connection_lives(cluster, two_servers):
    port = two_servers[0]
    _, public_id, tokens = cluster.new_match()

    async def main():
        c = Client(port, public_id, tokens["us_commerce"])
        await c.connect(time.monotonic() + 20)
        for size in (1024 * 1024, 10 * 1024 * 1024):
            await c.ws.send('{"type": "ping", "msg_id": "big", "pad": "' + "x" * size + '"}')
            reply = json.loads(await asyncio.wait_for(c.ws.recv(), 20))
            while reply["type"] == "presence":
                reply = json.loads(await asyncio.wait_for(c.ws.recv(), 20))
            assert reply["type"] == "error" and reply["code"] == "protocol/too_large", reply
        assert (await c.chat("still-here"))["type"] == "ack"
        await c.close()

    asyncio.run(main())


@pytest.fixture
def caucus_seat(record, facilitator_user):
    from game.engine import FACILITATOR  # noqa: PLC0415
    from game.services import match_submit_move, seat_claim, workshop_create  # noqa: PLC0415

    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    grant = seat_claim(workshop=workshop, display_name="Alice", table_no=1, role_id="us_commerce")
    for kind in ("start", "advance"):
        match_submit_move(match_id=grant.seat.match_id, seat=FACILITATOR, move={"kind": kind})
    return grant.seat.match_id, grant.token


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("wait_before_dying", [0.0, 0.2], ids=["dies-at-once", "dies-after-commit"])
async def test_a_socket_that_dies_mid_move_resends_it_and_it_is_applied_once(caucus_seat, sockets, wait_before_dying):
    from channels.db import database_sync_to_async  # noqa: PLC0415

    from game.models import MatchEvent  # noqa: PLC0415
    from tests.realtime.conftest import seat_path  # noqa: PLC0415

    match_id, token = caucus_seat
    move = {"type": "move", "msg_id": "m-once", "move": {"kind": "team_chat", "text": "exactly once"}}
    first = sockets(seat_path(match_id, token))
    await first.connect()
    await first.send(move)
    if wait_before_dying:
        await asyncio.sleep(wait_before_dying)  # the move is applied; its ack is lost with the socket
    await first.close()
    again = sockets(seat_path(match_id, token))
    await again.connect()
    for _ in range(2):  # and a second resend, for good measure
        await again.send(move)
        assert (await again.expect_reply("m-once"))["type"] == "ack"
    chats = await database_sync_to_async(MatchEvent.objects.filter(match_id=match_id, type="chat_posted").count)()
    assert chats == 1
