"""Benchmark the realtime game end to end: K tables x S seats of websocket clients playing through the
real protocol against real daphne processes, next to two reference consumers (bench/floor.py) that
give the floor of the stack under the same load.

    .venv/bin/python bench/realtime.py                          # embedded: SQLite + in-memory layer, 1 process
    .venv/bin/python bench/realtime.py --redis --processes 2    # PostgreSQL + Redis, clients spread over 2 processes
    .venv/bin/python bench/realtime.py --full                   # the issue's targets: 50 x 8, 60 s, 3,000 idle, 300 storm

What runs (everything on loopback; started here and stopped after):
1. setup (a subprocess, same database): migrate, load the scenario, create K matches with no bots,
   bind S human seats a table to tokens, start every match (briefing phase, clocks of a day so no
   timer fires); create the floor's tables.
2. steady load: moves arrive at --rate per second with jittered (exponential) gaps; each picks a random
   table and seat. Game move: `team_chat` -- legal in every phase, and every seat of the table gets an
   `events` frame for it (the chat itself for the mover's team, a version bump for the other). Latency
   is from sending the move to the moment every seat of that table holds the new version. The same
   arrivals go to the echo consumer and to the durable floor: the three runs take turns in segments
   of a few seconds, so that a slow spell of the machine weighs on all three alike.
3. burst: every table moves in the same instant (--burst-rounds times).
4. reconnect storm: --storm clients drop and reconnect with their seat token and last_seq; the time
   until every one holds the table's current version.
5. idle capacity: --idle idle seat sockets are opened on ONE process, then the echo round trip is timed.
Lost or duplicated updates are counted everywhere: each seat checks that every `events` frame
continues exactly where the previous one ended (prev_version), and that it reached every version.

The last two lines are always `p99 ratio to durable floor: X.XX` and `lost updates: N`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DAY = 86400

SETUP = r"""
import json, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
from game.engine import FACILITATOR
from game.models import Seat
from game.selectors import scenario_get, scenario_of
from game.services import match_create, match_submit_move, seat_token_hash
from django.http import HttpResponse
from game import seat_cookies
from bench.floor import ensure_tables
tables, seats = int(sys.argv[1]), int(sys.argv[2])
record = scenario_get("us_vietnam_2025")
scenario = scenario_of(record)
teams = scenario.team_ids()
per_team = [[r.id for r in scenario.roles_of(t)] for t in teams]
roles = []
for i in range(max(len(p) for p in per_team)):  # alternate teams: seats 0,1 are one of each team
    roles += [p[i] for p in per_team if i < len(p)]
roles = roles[:seats]
phases = {p: %d for p in ("briefing", "caucus", "table", "review")}
out = []
for n in range(tables):
    match = match_create(scenario_record=record, seed=n, label=f"Bench {n}", phase_seconds=phases)
    entry = {"match": match.pk, "public_id": match.public_id, "seats": []}
    for role in roles:
        token = f"bench-{match.pk}-{role}"
        Seat.objects.filter(match=match, role_id=role).update(kind="human", display_name=role, token_hash=seat_token_hash(token))
        team = scenario.role(role).team if hasattr(scenario, "role") else next(r.team for r in scenario.roles if r.id == role)
        # The seat's signed cookie, as this installation's key signs it (a socket authenticates with it).
        signed = seat_cookies.remember(HttpResponse(), match.pk, token).cookies[seat_cookies.cookie_name(match.pk)].value
        entry["seats"].append({"role": role, "team": team, "token": f"{seat_cookies.cookie_name(match.pk)}={signed}"})
    result = match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
    entry["version"] = result.state.version
    out.append(entry)
ensure_tables(tables)
print(json.dumps(out))
""" % DAY


# --- statistics ----------------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary(ms: list[float]) -> str:
    if not ms:
        return "no samples"
    return f"p50 {pct(ms, 50):7.2f}  p95 {pct(ms, 95):7.2f}  p99 {pct(ms, 99):7.2f}  max {max(ms):7.2f} ms"


# --- servers -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"daphne on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"daphne on {port} did not start")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc; nan elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def stolen_ticks() -> tuple[int, int]:
    """(stolen, all) CPU ticks of the whole machine so far (Linux /proc/stat; (0, 0) elsewhere).

    On a virtual machine the hypervisor takes the CPUs away now and then ("steal"); on the project's
    VM it came in spikes of 30-60 % for a few tenths of a second, and the slowest moves of every run --
    the game's and the floors' alike -- fell in them. Shown next to each run so that a p99 can be read
    against how much of its time the machine did not have."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])
    except (OSError, ValueError):
        return 0, 0


def raise_nofile(want: int) -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        target = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class Stack:
    """The database, the channel layer and the daphne processes of one run."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="ng-bench-"))
        self.db_name: str | None = None
        self.procs: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self.logs: list = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            # Production settings (DEBUG off: no per-query recording), minus the HTTPS redirect.
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or uuid.uuid4().hex * 2,
            "DJANGO_SSL_REDIRECT": "0",
        }
        for key in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH"):
            self.env.pop(key, None)

    def describe(self) -> str:
        if self.args.redis:
            return f"PostgreSQL + Redis (channels-redis), {self.args.processes} daphne process(es)"
        return f"SQLite + in-memory layer, {self.args.processes} daphne process"

    def start(self) -> list[dict]:
        if self.args.redis:
            import psycopg  # noqa: PLC0415

            self.db_name = f"ng_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.db_name}"
            self.env["REDIS_URL"] = REDIS_URL
            self.env["REDIS_PREFIX"] = f"ngbench{uuid.uuid4().hex[:8]}"
        else:
            if self.args.processes != 1:
                raise SystemExit("the embedded default (in-memory layer) runs exactly one process; use --redis for more")
            self.env["SQLITE_PATH"] = str(self.tmp / "bench.sqlite3")
        tables = self.setup()
        ports = [free_port() for _ in range(self.args.processes)]
        self.env["DJANGO_PUBLIC_PORTS"] = ",".join(map(str, ports))  # the clients' Origin: http://127.0.0.1:<port>
        for port in ports:
            log = open(self.tmp / f"daphne-{port}.log", "w+b")  # noqa: SIM115
            self.procs.append(subprocess.Popen(
                # An endpoint string, for its listen backlog: daphne's default (Twisted's 50) overflowed in
                # the reconnect storm and the kernel's SYN retries (1 s, 3 s, 7 s) set its duration.
                [sys.executable, "manage.py", "serve", "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=1024", "bench.asgi:application"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log,
            ))
            self.ports.append(port)
            self.logs.append(log)
        for port, proc in zip(self.ports, self.procs):
            wait_port(port, proc)
        return tables

    def setup(self) -> list[dict]:
        """Create this run's tables on the fresh database (before any server starts): what the clients need."""
        return self.django([sys.executable, "-c", SETUP, str(self.args.tables), str(self.args.seats)])

    def django(self, command: list[str], stdin: str | None = None):
        """Run a Django script on this run's database (a subprocess) and return the JSON of its last line."""
        run = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600, input=stdin)
        if run.returncode != 0:
            raise SystemExit(f"{command[-1] if stdin is None else 'script'} failed:\n{run.stderr[-4000:]}")
        return json.loads(run.stdout.strip().splitlines()[-1])

    def rss(self) -> list[float]:
        return [rss_mb(p.pid) for p in self.procs]

    def cpu(self) -> float:
        """CPU seconds the server processes have used so far, all together."""
        return sum(cpu_seconds(p.pid) for p in self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.args.verbose:
            for port, log in zip(self.ports, self.logs):
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                if tail.strip():
                    print(f"--- daphne :{port} ---\n{tail}")
        for log in self.logs:
            log.close()
        if self.db_name:
            import psycopg  # noqa: PLC0415

            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- clients -------------------------------------------------------------------------------------
def _connect(url: str, port: int, cookie: str | None = None):
    from websockets.asyncio.client import connect  # noqa: PLC0415

    headers = [("Cookie", cookie)] if cookie else None
    return connect(url, origin=f"http://127.0.0.1:{port}", ping_interval=None, max_size=2**22, open_timeout=60,
                   additional_headers=headers)


@dataclass
class Counters:
    lost: int = 0
    duplicated: int = 0
    errors: list[str] = field(default_factory=list)


class Seat:
    """One seat's socket: follows the version chain of `events` frames, records when it reached each."""

    def __init__(self, table: int, public_id: str, role: str, token: str, port: int, counters: Counters) -> None:
        self.table, self.public_id, self.role, self.token, self.port = table, public_id, role, token, port
        self.counters = counters
        self.version = 0
        self.reached: list[tuple[int, float]] = []  # (version, perf_counter) in arrival order
        self.acks: dict[str, asyncio.Future] = {}
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.welcomed: asyncio.Future | None = None

    def url(self, last_seq: int | None = None) -> str:
        q = f"?last_seq={last_seq}" if last_seq is not None else ""
        return f"ws://127.0.0.1:{self.port}/ws/match/{self.public_id}/{q}"

    async def open(self, last_seq: int | None = None) -> float:
        self.welcomed = asyncio.get_running_loop().create_future()
        # `token` is the seat's cookie ("name=signed value"): the secret never goes in the URL.
        self.ws = await _connect(self.url(last_seq), self.port, cookie=self.token)
        self.reader = asyncio.create_task(self._read())
        return await self.welcomed

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame["type"]
                if kind in ("welcome", "snapshot"):
                    self.version = frame["version"]
                    self.reached.append((self.version, now))
                    if kind == "welcome" and not self.welcomed.done():
                        self.welcomed.set_result(now)
                elif kind == "events":
                    prev, version = frame["prev_version"], frame["version"]
                    if prev > self.version:
                        self.counters.lost += prev - self.version
                    elif prev < self.version:
                        self.counters.duplicated += self.version - prev
                    if version > self.version:
                        self.version = version
                        self.reached.append((version, now))
                elif kind in ("ack", "error"):
                    fut = self.acks.pop(frame.get("msg_id"), None)
                    if fut is not None and not fut.done():
                        fut.set_result(frame)
                    if kind == "error":
                        self.counters.errors.append(f"{frame.get('code')}: {frame.get('message')}")
                self.heard(frame, now)
        except Exception as exc:  # noqa: BLE001 - a closed socket ends the reader
            if self.welcomed is not None and not self.welcomed.done():
                self.welcomed.set_exception(exc)

    def heard(self, frame: dict, now: float) -> None:
        """Every frame, after the version chain has taken it in: a hook for clients that keep more."""

    async def move(self, msg_id: str, text: str) -> dict:
        return await self.send_move(msg_id, {"kind": "team_chat", "text": text})

    async def send_move(self, msg_id: str, move: dict, expected_version: int | None = None) -> dict:
        """Send one move frame; the reply (`ack` or `error`) to it."""
        fut = asyncio.get_running_loop().create_future()
        self.acks[msg_id] = fut
        frame = {"type": "move", "msg_id": msg_id, "move": move}
        if expected_version is not None:
            frame["expected_version"] = expected_version
        await self.ws.send(json.dumps(frame))
        return await fut

    def time_reached(self, version: int) -> float | None:
        for v, t in self.reached:
            if v >= version:
                return t
        return None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


class RefClient:
    """A socket of the echo or the durable-floor room: records when each update id arrived."""

    def __init__(self, kind: str, room: int, port: int, counters: Counters) -> None:
        self.kind, self.room, self.port, self.counters = kind, room, port, counters
        self.got: dict[str, float] = {}
        self.pongs: dict[str, asyncio.Future] = {}

    async def open(self) -> None:
        self.ws = await _connect(f"ws://127.0.0.1:{self.port}/ws/bench/{self.kind}/{self.room}/", self.port)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                if frame["type"] == "update":
                    if frame["id"] in self.got:
                        self.counters.duplicated += 1
                    else:
                        self.got[frame["id"]] = now
                elif frame["type"] == "pong":
                    fut = self.pongs.pop(frame["id"], None)
                    if fut is not None:
                        fut.set_result(now)
        except Exception:  # noqa: BLE001
            pass

    async def ping(self, n: str) -> float:
        fut = asyncio.get_running_loop().create_future()
        self.pongs[n] = fut
        t0 = time.perf_counter()
        await self.ws.send(json.dumps({"type": "ping", "id": n}))
        return (await fut - t0) * 1000

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.gather(self.reader, return_exceptions=True)


async def gather_limited(coros, limit: int):
    sem = asyncio.Semaphore(limit)

    async def run(c):
        async with sem:
            return await c

    return await asyncio.gather(*(run(c) for c in coros))


def arrivals(rate: float, duration: float, rng: random.Random) -> list[float]:
    """Jittered arrival offsets: a Poisson process of `rate` per second over `duration` seconds."""
    out, t = [], 0.0
    while True:
        t += rng.expovariate(rate)
        if t >= duration:
            return out
        out.append(t)


# --- runs ----------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    latencies: list[float]
    moves: int
    seconds: float
    lost: int
    duplicated: int
    errors: int = 0
    cpu_ms: float = float("nan")  # server processes' CPU per move over the run (not the database's or Redis's)
    stolen: float = float("nan")  # share of the machine's CPU time the hypervisor took during the run

    def line(self) -> str:
        rate = self.moves / self.seconds if self.seconds else 0.0
        cpu = f"  cpu {self.cpu_ms:.2f} ms/move" if self.cpu_ms == self.cpu_ms else ""
        stolen = f"  stolen {self.stolen:.0%}" if self.stolen == self.stolen else ""
        return (f"{self.name:<22} {summary(self.latencies)}  {rate:6.1f} moves/s  n={self.moves}"
                f"  lost {self.lost}  dup {self.duplicated}{cpu}{stolen}" + (f"  errors {self.errors}" if self.errors else ""))


SEGMENT = 5.0  # seconds of one steady run before the next takes its turn (Bench.steady)
WARM_UP = 2.0  # seconds of each steady run before the measured ones


@dataclass
class _Tally:
    """One steady run's segments, added up."""

    latencies: list[float] = field(default_factory=list)
    moves: int = 0
    seconds: float = 0.0
    lost: int = 0
    duplicated: int = 0
    errors: int = 0
    cpu: float = 0.0
    stolen_ticks: int = 0
    all_ticks: int = 0

    def add(self, latencies: list[float], moves: int, lost: int, duplicated: int) -> None:
        self.latencies += latencies
        self.moves += moves
        self.lost += lost
        self.duplicated += duplicated

    def result(self, name: str) -> Result:
        return Result(
            name, self.latencies, self.moves, self.seconds, self.lost, self.duplicated, self.errors,
            cpu_ms=self.cpu * 1000 / max(1, self.moves),
            stolen=self.stolen_ticks / self.all_ticks if self.all_ticks else float("nan"),
        )


class Bench:
    def __init__(self, args: argparse.Namespace, stack: Stack, tables: list[dict]) -> None:
        self.args, self.stack, self.tables = args, stack, tables
        self.rng = random.Random(args.seed)
        self.counters = Counters()
        self.seats: list[list[Seat]] = []
        self.ids = 0
        self.peak_rss: list[float] = [0.0] * len(stack.procs)

    def sample_rss(self) -> None:
        self.peak_rss = [max(a, b) for a, b in zip(self.peak_rss, self.stack.rss())]

    def port_for(self, i: int) -> int:
        return self.stack.ports[i % len(self.stack.ports)]

    async def open_seats(self) -> None:
        for t, entry in enumerate(self.tables):
            self.seats.append([
                Seat(t, entry["public_id"], s["role"], s["token"], self.port_for(i), self.counters)
                for i, s in enumerate(entry["seats"])
            ])
        await gather_limited([s.open() for row in self.seats for s in row], 50)

    def next_id(self) -> str:
        self.ids += 1
        return f"m{self.ids}"

    async def game_move(self, table: int, seat: Seat, sent: list) -> None:
        msg_id = self.next_id()
        t0 = time.perf_counter()
        reply = await seat.move(msg_id, f"hold firm on tariffs ({msg_id})")
        if reply["type"] == "ack":
            sent.append((table, reply["version"], t0))
        else:
            sent.append((table, None, t0))

    async def settle_game(self, sent: list, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        target: dict[int, int] = {}
        for table, version, _ in sent:
            if version is not None:
                target[table] = max(target.get(table, 0), version)
        while time.monotonic() < end:
            if all(s.version >= v for t, v in target.items() for s in self.seats[t]):
                return
            await asyncio.sleep(0.05)

    def game_result(self, name: str, sent: list, seconds: float) -> Result:
        lat, lost = [], 0
        for table, version, t0 in sent:
            if version is None:
                lost += 1
                continue
            times = [s.time_reached(version) for s in self.seats[table]]
            missing = sum(1 for t in times if t is None)
            if missing:
                lost += missing
                continue
            lat.append((max(times) - t0) * 1000)
        return Result(name, lat, len(sent), seconds, lost, 0)

    async def burst(self, rounds: int) -> Result:
        sent: list = []
        lost0, dup0, err0 = self.counters.lost, self.counters.duplicated, len(self.counters.errors)
        start = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(*(self.game_move(t, self.rng.choice(row), sent) for t, row in enumerate(self.seats)))
            await self.settle_game(sent)
            await asyncio.sleep(0.5)
        self.sample_rss()
        r = self.game_result(f"burst ({len(self.seats)} at once)", sent, time.perf_counter() - start)
        r.lost += self.counters.lost - lost0
        r.duplicated += self.counters.duplicated - dup0
        r.errors = len(self.counters.errors) - err0
        return r

    async def steady(self, duration: float, kinds: list[str]) -> list[Result]:
        """The steady runs, taking turns: `duration` seconds each, in segments of about SEGMENT seconds,
        each segment's arrivals (times, tables, seats) sent to the game, then the echo, then the durable
        floor (the order turning each segment). A slow spell of the machine -- they happen, on a shared
        VM -- falls on all three alike instead of on whichever ran then."""
        rooms = {kind: await self._open_room(kind) for kind in kinds if kind != "game"}
        # Warm-up, not counted: the sockets just opened are still young objects to the garbage
        # collector, and whichever run went first paid for promoting them (collections of 20-30 ms).
        for kind in kinds:
            warm = [(t, self.rng.randrange(len(self.seats)), self.rng.random()) for t in arrivals(self.args.rate, self.args.warm_up, self.rng)]
            if kind == "game":
                await self._game_segment(warm, _Tally())
            else:
                await self._ref_segment(rooms[kind], warm, _Tally())
        tallies = {kind: _Tally() for kind in kinds}
        segments = max(1, round(duration / SEGMENT))
        for i in range(segments):
            schedule = [
                (t, self.rng.randrange(len(self.seats)), self.rng.random())
                for t in arrivals(self.args.rate, duration / segments, self.rng)
            ]
            for kind in kinds[i % len(kinds):] + kinds[: i % len(kinds)]:
                if kind == "game":
                    await self._game_segment(schedule, tallies[kind])
                else:
                    await self._ref_segment(rooms[kind], schedule, tallies[kind])
        for room in rooms.values():
            await gather_limited([c.close() for row in room for c in row], 100)
        names = {"game": "game (team_chat)", "echo": "echo floor (broadcast)", "floor": "durable floor (tx+bcast)"}
        return [tallies[kind].result(names[kind]) for kind in kinds]

    async def _timed(self, tally: _Tally, run) -> None:
        """Run one segment (sending, then waiting until everything arrived), adding its send time and
        the servers' CPU and the machine's stolen time to `tally`."""
        cpu0, (stolen0, all0) = self.stack.cpu(), stolen_ticks()
        tally.seconds += await run()
        tally.cpu += self.stack.cpu() - cpu0
        stolen1, all1 = stolen_ticks()
        tally.stolen_ticks += stolen1 - stolen0
        tally.all_ticks += all1 - all0
        self.sample_rss()

    async def _game_segment(self, schedule: list[tuple[float, int, float]], tally: _Tally) -> None:
        sent: list = []
        lost0, dup0, err0 = self.counters.lost, self.counters.duplicated, len(self.counters.errors)

        async def run() -> float:
            start = time.perf_counter()
            pending = []
            for offset, table, pick in schedule:
                delay = start + offset - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                row = self.seats[table]
                pending.append(asyncio.create_task(self.game_move(table, row[int(pick * len(row))], sent)))
            await asyncio.gather(*pending)
            seconds = time.perf_counter() - start
            await self.settle_game(sent)
            return seconds

        await self._timed(tally, run)
        r = self.game_result("", sent, 1.0)
        tally.add(r.latencies, r.moves, r.lost + self.counters.lost - lost0, self.counters.duplicated - dup0)
        tally.errors += len(self.counters.errors) - err0

    async def _open_room(self, kind: str) -> list[list[RefClient]]:
        """As many reference sockets as the game has seats, room by room, spread over the processes alike."""
        counters = Counters()
        rooms = [[RefClient(kind, t, self.port_for(i), counters) for i in range(len(row))] for t, row in enumerate(self.seats)]
        await gather_limited([c.open() for row in rooms for c in row], 50)
        await asyncio.sleep(0.5)
        return rooms

    async def _ref_segment(self, rooms: list[list[RefClient]], schedule: list[tuple[float, int, float]], tally: _Tally) -> None:
        sent: list = []
        counters = rooms[0][0].counters
        dup0 = counters.duplicated

        async def run() -> float:
            start = time.perf_counter()
            for offset, room, pick in schedule:
                delay = start + offset - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                client = rooms[room][int(pick * len(rooms[room]))]
                n = self.next_id()
                sent.append((room, n, time.perf_counter()))
                await client.ws.send(json.dumps({"type": "move", "id": n}))
            seconds = time.perf_counter() - start
            end = time.monotonic() + 10
            while time.monotonic() < end and not all(n in c.got for room, n, _ in sent for c in rooms[room]):
                await asyncio.sleep(0.05)
            return seconds

        await self._timed(tally, run)
        lat, lost = [], 0
        for room, n, t0 in sent:
            times = [c.got.get(n) for c in rooms[room]]
            missing = sum(1 for t in times if t is None)
            if missing:
                lost += missing
            else:
                lat.append((max(times) - t0) * 1000)
        tally.add(lat, len(sent), lost, counters.duplicated - dup0)

    async def storm(self, count: int) -> tuple[float, int, int]:
        """Drop `count` seat sockets, reconnect them all at once; seconds until all hold the current version."""
        chosen = [s for row in self.seats for s in row][:count]
        await gather_limited([s.close() for s in chosen], 100)
        current = {t: max(s.version for s in row) for t, row in enumerate(self.seats)}
        for s in chosen:
            s.reached.clear()
        start = time.perf_counter()
        results = await asyncio.gather(*(s.open(last_seq=s.version) for s in chosen), return_exceptions=True)
        failed = sum(1 for r in results if isinstance(r, BaseException))
        behind = sum(1 for s in chosen if s.version < current[s.table])
        done = max((r for r in results if isinstance(r, float)), default=start)
        self.sample_rss()
        return done - start, failed, behind

    async def idle(self, count: int) -> tuple[int, list[float], float]:
        """Open `count` idle seat sockets on process 0, then time ping/pong on one echo socket there."""
        port = self.stack.ports[0]
        all_seats = [s for row in self.tables for s in [(row["public_id"], x["token"]) for x in row["seats"]]]
        extra: list[Seat] = []
        counters = Counters()
        specs = [all_seats[i % len(all_seats)] for i in range(count)]
        for k, (public_id, token) in enumerate(specs):
            extra.append(Seat(-1, public_id, "idle", token, port, counters))
        results = await gather_limited([s.open() for s in extra], 50)
        opened = sum(1 for r in results if isinstance(r, float))
        await asyncio.sleep(1.0)
        echo = RefClient("echo", 10_000, port, Counters())
        await echo.open()
        for i in range(50):  # warm up
            await echo.ping(f"w{i}")
        pings = [await echo.ping(f"p{i}") for i in range(self.args.pings)]
        await echo.close()
        rss = rss_mb(self.stack.procs[0].pid)
        self.sample_rss()
        await gather_limited([s.close() for s in extra], 200)
        return opened, pings, rss


async def run(args: argparse.Namespace, stack: Stack, tables: list[dict]) -> int:
    b = Bench(args, stack, tables)
    out: list[str] = []
    p = out.append
    clients = sum(len(t["seats"]) for t in tables)
    await b.open_seats()
    await asyncio.sleep(0.5)
    b.sample_rss()
    p(f"clients: {clients} seat sockets ({len(tables)} tables x {args.seats} seats), all human (no bots in seats)")
    print(f"[steady game load starts; server pids {[p.pid for p in stack.procs]}]", file=sys.stderr, flush=True)
    if args.no_refs:
        (steady,) = await b.steady(args.duration, ["game"])
        echo = floor = Result("(skipped)", [], 0, 1.0, 0, 0)
    else:
        steady, echo, floor = await b.steady(args.duration, ["game", "echo", "floor"])
    p(f"\nsteady load: {args.rate:g} moves/s jittered (Poisson), {args.duration:g} s each, taking turns in"
      f" {SEGMENT:g} s segments of the same arrivals; as many sockets a room as seats a table"
      "\n(cpu: the server processes' CPU per move; stolen: the share of the machine's CPU time a hypervisor took meanwhile)")
    for r in (steady, echo, floor):
        p("  " + r.line())
    burst = await b.burst(args.burst_rounds) if args.burst_rounds else None
    if burst:
        p("\nburst: every table moves in the same instant")
        p("  " + burst.line())
    lost = steady.lost + steady.duplicated + echo.lost + echo.duplicated + floor.lost + floor.duplicated
    if burst:
        lost += burst.lost + burst.duplicated
    if args.storm:
        n = min(args.storm, clients)
        print("[reconnect storm starts]", file=sys.stderr, flush=True)
        secs, failed, behind = await b.storm(n)
        lost += behind
        p(f"\nreconnect storm: {n} clients dropped and reconnected at once with their token and last_seq")
        p(f"  all resynced in {secs:.3f} s  failed {failed}  behind {behind}")
    if args.idle:
        opened, pings, rss = await b.idle(args.idle)
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        on_first = sum(1 for row in b.seats for s in row if s.port == stack.ports[0])
        p(f"\nidle capacity (process 1, ulimit -n soft {soft}): {opened}/{args.idle} extra idle seat sockets opened,"
          f" {opened + on_first} open on that process")
        p(f"  echo round trip with them open: {summary(pings)}  RSS {rss:.0f} MB")
    await gather_limited([s.close() for row in b.seats for s in row], 200)
    p("\nserver RSS peak: " + ", ".join(f"process {i + 1} {m:.0f} MB" for i, m in enumerate(b.peak_rss)))
    errs = b.counters.errors
    if errs:
        p(f"move errors: {len(errs)} (first: {errs[0]})")
    ratio = pct(steady.latencies, 99) / pct(floor.latencies, 99) if floor.latencies else float("nan")
    p(f"p99 ratio to durable floor: {ratio:.2f}")
    p(f"lost updates: {lost}")
    print("\n".join(out), flush=True)
    return 0 if lost == 0 else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tables", type=int, default=50)
    ap.add_argument("--seats", type=int, default=8, help="human seats a table (2..10)")
    ap.add_argument("--rate", type=float, default=50.0, help="moves per second, jittered")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of steady load per run")
    ap.add_argument("--warm-up", type=float, default=WARM_UP, help="seconds of each steady run before the measured ones (not counted)")
    ap.add_argument("--burst-rounds", type=int, default=3)
    ap.add_argument("--storm", type=int, default=300, help="clients in the reconnect storm (0: skip)")
    ap.add_argument("--idle", type=int, default=1000, help="idle sockets for the capacity run (0: skip)")
    ap.add_argument("--pings", type=int, default=500)
    ap.add_argument("--full", action="store_true", help="the issue's targets: 60 s runs, 5 bursts, 3,000 idle sockets")
    ap.add_argument("--no-refs", action="store_true", help="skip the echo and durable-floor runs (profiling)")
    add_stack_arguments(ap)
    args = ap.parse_args(argv)
    if args.full:
        args.duration, args.burst_rounds, args.idle = max(args.duration, 60.0), max(args.burst_rounds, 5), max(args.idle, 3000)
    raise_nofile(max(4096, 2 * (args.idle + args.tables * args.seats) + 512))
    return run_on_stack("bench/realtime.py", Stack(args), run, argv)


def add_stack_arguments(ap: argparse.ArgumentParser) -> None:
    """The options every bench on a Stack takes: which stack, how many processes, the seed, the logs."""
    ap.add_argument("--redis", action="store_true", help="PostgreSQL (DATABASE_URL from BENCH_PG_ADMIN_URL) + Redis layer")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true", help="print the tail of each server's log")


def run_on_stack(script: str, stack: Stack, run, argv: list[str] | None) -> int:
    """Print the machine and the stack, start it, run `run(args, stack, tables)` on it and stop it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    print(f"{Path(script).stem} bench  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  "
          f"{platform.node()}  {os.cpu_count()} cores  Python {platform.python_version()}  ulimit -n {soft}/{hard}")
    print(f"stack: {stack.describe()}; command: {' '.join([script, *(argv if argv is not None else sys.argv[1:])])}",
          flush=True)
    try:
        tables = stack.start()
        return asyncio.run(run(stack.args, stack, tables))
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
