"""Benchmark a room on a laptop: the server `make room` starts (SQLite, the in-memory layer, one daphne
process, DEBUG off) holding one workshop of 10 tables x 6 trainees, bots in the other seats and the
phase clock running.

    .venv/bin/python bench/room.py                          # 10 tables x 6 trainees, 60 s of play at 6 chats/s
    .venv/bin/python bench/room.py --rate 30 --duration 120 # a very chatty room

What runs (everything on loopback; started here and stopped after):
1. setup (a subprocess, same database): a workshop of --tables tables whose empty seats get each team's
   first bot persona, with short phase timers (--phase-seconds) so the clock moves every table on
   during the run; --trainees seats a table taken as a join takes them; every table started at once.
2. the server: `python -m negotiation_game.room --address 127.0.0.1` -- the room command itself.
3. the room arrives: every trainee's socket opens at once; the time until every one is welcomed.
4. play: trainees chat with their team at --rate a second in all (60 trainees writing every 10 s is
   6 a second), jittered, while the clock advances every table through its phases and the bots play
   their seats. Latency of a chat: sent -> every trainee at that table holds the new version.
5. the Wi-Fi comes back: every trainee's socket drops and reconnects at once with its seat token and
   last_seq; the time until every one holds its table's current version.
The server's CPU (share of one core) and peak memory, the bots' moves, the phase changes and lost or
duplicated updates are printed. Figures, not pass/fail: docs/deploy.md "A room on a laptop".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.realtime import (  # noqa: E402
    Counters, Seat, arrivals, cpu_seconds, free_port, gather_limited, pct, rss_mb, summary, wait_port,
)

SETUP = r"""
import json, sys, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
from game.engine import FACILITATOR
from game.selectors import scenario_get, scenario_of
from django.http import HttpResponse
from game import seat_cookies
from game.services import match_submit_move, seat_claim, workshop_create
tables, trainees, phase = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
record = scenario_get("us_vietnam_2025")
scenario = scenario_of(record)
teams = scenario.team_ids()
bots = {t: scenario.personas_for(t)[0].id for t in teams}
per_team = [[r.id for r in scenario.roles_of(t)] for t in teams]
roles = []
for i in range(max(len(p) for p in per_team)):  # alternate teams: 6 trainees are 3 a side
    roles += [p[i] for p in per_team if i < len(p)]
roles = roles[:trainees]
facilitator = get_user_model().objects.create_user(username="bench-room", password="bench-room-password")
workshop = workshop_create(
    facilitator=facilitator, scenario_record=record, title="Bench room", tables=tables,
    settings={"phase_seconds": {p: phase for p in ("briefing", "caucus", "table", "review")}, "bots": bots},
)
out = []
for n in range(1, tables + 1):
    entry = {"seats": []}
    for role in roles:
        grant = seat_claim(workshop=workshop, display_name=f"T{n} {role}", table_no=n, role_id=role)
        entry["match"], entry["public_id"] = grant.seat.match_id, grant.seat.match.public_id
        # A seat's socket carries its seat cookie ("name=signed value"), as a trainee's browser does.
        signed = seat_cookies.remember(HttpResponse(), grant.seat.match_id, grant.token).cookies[seat_cookies.cookie_name(grant.seat.match_id)].value
        entry["seats"].append({"role": role, "team": grant.seat.team, "token": f"{seat_cookies.cookie_name(grant.seat.match_id)}={signed}"})
    out.append(entry)
for entry in out:
    match_submit_move(match_id=entry["match"], seat=FACILITATOR, move={"kind": "start"})
print(json.dumps(out))
"""

COUNT = r"""
import json, django
django.setup()
from collections import Counter
from game.models import MatchEvent, Seat
bots = set(Seat.objects.filter(kind="bot").values_list("match_id", "role_id"))
events = MatchEvent.objects.values_list("match_id", "actor", "type")
print(json.dumps({
    "bot_moves": sum(1 for m, actor, _ in events if (m, actor) in bots),
    "phase_changes": sum(1 for _, _, kind in events if kind == "phase_started"),
    "events": len(events),
}))
"""


class Room:
    """The server of the run: `python -m negotiation_game.room` on 127.0.0.1, its own database and key."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="ng-bench-room-"))
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SQLITE_PATH"))}
        self.env = {
            **env, "SQLITE_PATH": str(self.tmp / "room.sqlite3"), "DJANGO_SECRET_KEY_FILE": str(self.tmp / "secret_key"),
            "DJANGO_SETTINGS_MODULE": "negotiation_game.settings", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
        }
        self.proc: subprocess.Popen | None = None

    def manage(self, script: str, *argv: str) -> dict | list:
        run = subprocess.run([sys.executable, "-c", script, *argv], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            raise SystemExit(f"failed:\n{run.stderr[-4000:]}")
        return json.loads(run.stdout.strip().splitlines()[-1])

    def start(self) -> list[dict]:
        tables = self.manage(SETUP, str(self.args.tables), str(self.args.trainees), str(self.args.phase_seconds))
        self.log = open(self.tmp / "room.log", "w+b")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "negotiation_game.room", "--address", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_port(self.port, self.proc, timeout=120)
        return tables

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.args.verbose:
            self.log.seek(0)
            print(self.log.read().decode(errors="replace")[-3000:])
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


async def run(args: argparse.Namespace, room: Room, tables: list[dict]) -> None:
    rng = random.Random(args.seed)
    counters = Counters()
    seats = [[Seat(t, e["public_id"], s["role"], s["token"], room.port, counters) for s in e["seats"]] for t, e in enumerate(tables)]
    everyone = [s for row in seats for s in row]
    pid = room.proc.pid
    peak = rss_mb(pid)

    # The room arrives: everyone opens the table page at once.
    t0 = time.perf_counter()
    await gather_limited([s.open() for s in everyone], len(everyone))
    arrive = (time.perf_counter() - t0) * 1000
    print(f"room arrives: {len(everyone)} sockets welcomed in {arrive:.0f} ms")

    # Play: chats at the room's rate while the clock and the bots move every table on.
    sent: list[tuple[int, int | None, float]] = []
    ids = 0

    async def chat(t: int, seat: Seat) -> None:
        nonlocal ids
        ids += 1
        start = time.perf_counter()
        reply = await seat.move(f"c{ids}", f"hold firm on tariffs ({ids})")
        sent.append((t, reply.get("version") if reply["type"] == "ack" else None, start))

    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    tasks, begin = [], time.perf_counter()
    for offset in arrivals(args.rate, args.duration, rng):
        delay = begin + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t = rng.randrange(len(seats))
        tasks.append(asyncio.create_task(chat(t, rng.choice(seats[t]))))
        if len(tasks) % 50 == 0:
            peak = max(peak, rss_mb(pid))
    await asyncio.gather(*tasks)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        s.version >= v for t, v, _ in sent if v is not None for s in seats[t]
    ):
        await asyncio.sleep(0.05)
    cpu_share = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0)
    latencies, missing = [], 0
    for t, version, start in sent:
        reached = [s.time_reached(version) for s in seats[t]] if version is not None else [None]
        if None in reached:
            missing += 1
        else:
            latencies.append((max(reached) - start) * 1000)
    refused = sum(1 for _, v, _ in sent if v is None)
    print(f"play: {len(sent)} chats in {args.duration:.0f} s ({len(sent) / args.duration:.1f}/s), "
          f"{summary(latencies)}; refused {refused}, not delivered {missing}")
    print(f"server CPU during play: {cpu_share:.0%} of one core; peak memory {max(peak, rss_mb(pid)):.0f} MB")

    # The Wi-Fi comes back: everyone reconnects at once with token and last_seq.
    held = {id(s): s.version for s in everyone}
    await asyncio.gather(*(s.close() for s in everyone))
    t0 = time.perf_counter()
    await gather_limited([s.open(last_seq=held[id(s)]) for s in everyone], len(everyone))
    welcomed = (time.perf_counter() - t0) * 1000
    print(f"Wi-Fi back: {len(everyone)} trainees reconnected with last_seq, all welcomed in {welcomed:.0f} ms")
    await asyncio.gather(*(s.close() for s in everyone))

    counts = room.manage(COUNT)
    print(f"meanwhile: {counts['bot_moves']} bot moves, {counts['phase_changes']} phase changes, {counts['events']} events in all")
    if counters.errors:
        kinds: dict[str, int] = {}
        for e in counters.errors:
            kinds[e.split(":")[0]] = kinds.get(e.split(":")[0], 0) + 1
        print(f"error frames: {kinds}")
    print(f"chat p99: {pct(latencies, 99):.1f} ms")
    print(f"lost updates: {counters.lost + missing}  duplicated: {counters.duplicated}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tables", type=int, default=10)
    ap.add_argument("--trainees", type=int, default=6, help="trainees a table (the other seats are bots)")
    ap.add_argument("--rate", type=float, default=6.0, help="chats a second across the room, jittered")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of play")
    ap.add_argument("--phase-seconds", type=int, default=6, help="every phase's timer, so the clock and the bots work during the run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true", help="print the tail of the server's log")
    args = ap.parse_args()
    print(f"room: {args.tables} tables x {args.trainees} trainees, bots in the other seats; "
          f"`make room` server (SQLite, in-memory layer, 1 daphne process, DEBUG off); {os.cpu_count()} CPUs")
    room = Room(args)
    try:
        tables = room.start()
        asyncio.run(run(args, room, tables))
    finally:
        room.stop()


if __name__ == "__main__":
    main()
