"""Benchmark the realtime game on a realistic load: practice games (one trainee playing real moves,
bots in the other seats, live scoring) and workshop tables (every seat a trainee), next to the durable
floor (bench/floor.py) on the same servers, then a ladder of practice-game counts for capacity.

    .venv/bin/python bench/mixed.py                            # embedded: SQLite + in-memory layer, 1 process
    .venv/bin/python bench/mixed.py --redis --processes 2      # PostgreSQL + Redis, 2 daphne processes
    .venv/bin/python bench/mixed.py --quick                    # a short run: 10 games, ladder 10, 20

What runs (everything on loopback; started here and stopped after, as bench/realtime.py does):
1. setup (a subprocess, same database, through the services as the pages call them): practice games
   (the practice page's `practice_create` and `start`; both teams' bots of medium difficulty), --games
   for the main run and fresh ones for every ladder step, and --workshop-tables tables of a workshop
   with a trainee in every seat and phase timers of --workshop-phase-seconds.
2. every trainee opens its seat socket with its seat cookie. A trainee moves after a think time
   (exponential, mean 1 / --rate seconds; 1 / --workshop-rate at a workshop table), picks its move
   from its own view as the table page offers it (bench/trainee.py), sends it with
   `expected_version`, and waits for its `events` frame before thinking again. A practice trainee
   paces its game (`advance`); the bots answer in the server and score live.
3. main run: --games practice games and the workshop tables for --duration seconds, taking turns in
   segments with the durable floor, which replays the same arrivals (the same instants, one room a
   table, one socket a trainee). Each game turn ends when its tables are quiet (the bots' last answers
   are the game's work: their CPU counts in the game's line, not the floor's). A move's latency runs from sending it to the mover holding its
   `events` frame (and its ack); a floor update's, from sending it to the sender receiving it.
4. ladder: for each count of --ladder, that many fresh practice games open and play for --step-seconds,
   alone (the main run's sockets are closed); the largest count whose p99 is at most 100 ms, divided by
   the server processes, is the capacity.
5. checks: every seat follows the `prev_version` chain of its frames (a gap or an overlap counts, and
   the seat resyncs as the protocol says); at the end each seat pings and must hold the version the
   pong reports; every acknowledged move is looked up in the event log by its msg_id and must be there
   exactly once.

The report ends with `mixed p99 ratio to durable floor: X.XX`, `practice games per process at p99 <=
100 ms: N` and `lost or duplicated updates: N`; the script exits 1 if that last N is not 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.realtime import (  # noqa: E402
    Counters, RefClient, Seat, Stack, add_stack_arguments, gather_limited, pct, raise_nofile, run_on_stack, stolen_ticks, summary,
)
from bench.trainee import CHATS_PER_MINUTE, PhaseClock, choose  # noqa: E402

CAPACITY_P99_MS = 100.0
SEGMENT = 5.0  # seconds of game load before the floor replays them (the two take turns)
REPLY_TIMEOUT = 10.0  # seconds a trainee waits for its move's reply or frame before counting it lost

SETUP = r"""
import json, sys, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
from django.http import HttpResponse
from game import seat_cookies, services
from game.engine import FACILITATOR
from game.selectors import scenario_get, scenario_of
from bench.floor import ensure_tables
games, workshop_tables, phase = (int(a) for a in sys.argv[1:4])
record = scenario_get("us_vietnam_2025")
scenario = scenario_of(record)
teams = scenario.team_ids()

def cookie(match_id, token):
    # The seat's signed cookie, as the page sets it: a socket authenticates with it.
    name = seat_cookies.cookie_name(match_id)
    return f"{name}={seat_cookies.remember(HttpResponse(), match_id, token).cookies[name].value}"

out = []
for n in range(games):
    team = teams[n % len(teams)]
    roles = scenario.roles_of(team)
    role = roles[(n // len(teams)) % len(roles)].id
    match, token = services.practice_create(
        scenario_record=record, team=team, role_id=role, persona_id="medium", seed=n, display_name=f"Trainee {n}")
    services.match_submit_move(match_id=match.pk, seat=role, move={"kind": "start"})  # as the practice page does
    out.append({"kind": "practice", "match": match.pk, "public_id": match.public_id,
                "seats": [{"role": role, "team": team, "token": cookie(match.pk, token)}]})
if workshop_tables:
    facilitator = get_user_model().objects.create_user(username="bench-mixed", password="bench-mixed-password")
    workshop = services.workshop_create(
        facilitator=facilitator, scenario_record=record, title="Bench workshop", tables=workshop_tables,
        settings={"phase_seconds": {p: phase for p in ("briefing", "caucus", "table", "review")}, "seats_per_network": 1000},
    )
    for n in range(1, workshop_tables + 1):
        entry = {"kind": "workshop", "seats": []}
        for role in scenario.roles:
            grant = services.seat_claim(workshop=workshop, display_name=f"T{n} {role.id}", table_no=n, role_id=role.id)
            entry["match"], entry["public_id"] = grant.seat.match_id, grant.seat.match.public_id
            entry["seats"].append({"role": role.id, "team": grant.seat.team, "token": cookie(grant.seat.match_id, grant.token)})
        services.match_submit_move(match_id=entry["match"], seat=FACILITATOR, move={"kind": "start"})
        out.append(entry)
ensure_tables(len(out))
print(json.dumps(out))
"""

# Every acknowledged move (match, seat, msg_id) looked up in the event log by the msg_id it is stored with.
VERIFY = r"""
import json, sys, django
django.setup()
from collections import Counter
from game.models import MatchEvent
acked = json.load(sys.stdin)
matches = sorted({m for m, _, _ in acked})
stored = Counter(MatchEvent.objects.filter(match_id__in=matches, msg_id__isnull=False).values_list("match_id", "msg_id"))
counts = [stored[(m, f"{seat}:{msg_id}")] for m, seat, msg_id in acked]
print(json.dumps({"acked": len(acked), "missing": counts.count(0), "repeated": sum(1 for c in counts if c > 1)}))
"""


class MixedStack(Stack):
    def setup(self) -> list[dict]:
        a = self.args
        games = a.games + sum(a.ladder)  # every ladder step plays fresh games from their first round
        return self.django([sys.executable, "-c", SETUP, str(games), str(a.workshop_tables), str(a.workshop_phase_seconds)])


class Trainee(Seat):
    """A seat socket that keeps its view as the page does (merging each frame's changed keys), resyncs
    on a gap, and remembers its chats for the chat allowance."""

    def __init__(self, *args, match: int, team: str, index: int, paces: bool, rng: random.Random) -> None:
        super().__init__(*args)
        self.match, self.team, self.index = match, team, index
        self.rng = rng
        self.view: dict = {}
        self.clock = PhaseClock(rng) if paces else None
        self.chats: list[float] = []
        self.changed = asyncio.Event()
        self.pongs: dict[str, asyncio.Future] = {}
        self.resyncs = 0

    def heard(self, frame: dict, now: float) -> None:
        kind = frame["type"]
        if kind in ("welcome", "snapshot"):
            self.view = {**self.view, **frame["view"]}
        elif kind == "events":
            held = self.view.get("version", 0)
            if frame["prev_version"] > held:  # a gap (counted by the version chain): ask for what is missing
                self.resyncs += 1
                asyncio.get_running_loop().create_task(self.ws.send(json.dumps({"type": "resync", "last_seq": held})))
            elif frame["version"] > held:
                self.view = {**self.view, **frame["view"]}
        elif kind == "pong":
            fut = self.pongs.pop(frame.get("msg_id"), None)
            if fut is not None and not fut.done():
                fut.set_result(frame)
        self.changed.set()

    async def reach(self, version: int, timeout: float) -> bool:
        """Wait until this seat holds `version`; False on timeout."""
        end = time.perf_counter() + timeout
        while self.version < version:
            left = end - time.perf_counter()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False
        return True

    def may_chat(self, now: float) -> bool:
        self.chats = [t for t in self.chats if now - t < 60]
        return len(self.chats) < CHATS_PER_MINUTE

    async def ping(self, msg_id: str) -> dict:
        fut = asyncio.get_running_loop().create_future()
        self.pongs[msg_id] = fut
        await self.ws.send(json.dumps({"type": "ping", "msg_id": msg_id}))
        return await asyncio.wait_for(fut, REPLY_TIMEOUT)


@dataclass
class Tally:
    """Moves of one run: latency by kind for the applied ones, refusals by code, arrivals for the floor."""

    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refused: Counter = field(default_factory=Counter)
    refused_ms: list[float] = field(default_factory=list)
    arrivals: list[tuple[float, int, int]] = field(default_factory=list)  # (offset in the segment, table, seat)
    lost: int = 0
    seconds: float = 0.0
    events: int = 0
    cpu: float = 0.0
    stolen_ticks: int = 0
    all_ticks: int = 0

    @property
    def applied(self) -> list[float]:
        return [ms for lat in self.by_kind.values() for ms in lat]

    def line(self, name: str) -> str:
        n = len(self.applied) + sum(self.refused.values())
        cpu = f"  cpu {self.cpu * 1000 / n:.2f} ms/move" if n else ""
        cpu += f" ({self.cpu * 1000 / self.events:.2f} ms/event)" if n and self.events else ""
        stolen = f"  stolen {self.stolen_ticks / self.all_ticks:.0%}" if self.all_ticks else ""
        return (f"{name:<22} {summary(self.applied)}  {n / max(self.seconds, 1e-9):6.1f} moves/s"
                f"  {self.events / max(self.seconds, 1e-9):6.1f} events/s  n={n}{cpu}{stolen}")


class Mixed:
    def __init__(self, args: argparse.Namespace, stack: Stack, tables: list[dict]) -> None:
        self.args, self.stack, self.tables = args, stack, tables
        self.rng = random.Random(args.seed)
        self.counters = Counters()
        self.ids = 0
        self.acked: list[tuple[int, str, str]] = []
        self.duplicate_acks = 0
        self.rows: list[list[Trainee]] = []

    def port_for(self, i: int) -> int:
        return self.stack.ports[i % len(self.stack.ports)]

    def seat_all(self) -> None:
        spread = 0
        for t, entry in enumerate(self.tables):
            row = []
            for i, s in enumerate(entry["seats"]):
                row.append(Trainee(
                    t, entry["public_id"], s["role"], s["token"], self.port_for(spread), self.counters,
                    match=entry["match"], team=s["team"], index=i, paces=entry["kind"] == "practice",
                    rng=random.Random(f"{self.args.seed}-{t}-{i}"),
                ))
                spread += 1
            self.rows.append(row)

    async def open_tables(self, tables: list[int]) -> None:
        await gather_limited([s.open() for t in tables for s in self.rows[t]], 50)

    async def close_tables(self, tables: list[int]) -> None:
        await gather_limited([s.close() for t in tables for s in self.rows[t]], 200)

    def tables_of(self, kind: str) -> list[int]:
        return [t for t, e in enumerate(self.tables) if e["kind"] == kind]

    # --- the game ---------------------------------------------------------------------------------
    async def trainee(self, seat: Trainee, rate: float, start: float, until: float, tally: Tally) -> None:
        while True:
            gap = seat.rng.expovariate(rate)
            if time.perf_counter() + gap >= until:
                return
            await asyncio.sleep(gap)
            move = choose(seat.view, seat.role, seat.team, seat.rng, clock=seat.clock, may_chat=seat.may_chat(time.perf_counter()))
            if move is None:
                continue
            self.ids += 1
            msg_id = f"x{self.ids}"
            t0 = time.perf_counter()
            tally.arrivals.append((t0 - start, seat.table, seat.index))
            try:
                reply = await asyncio.wait_for(seat.send_move(msg_id, move, seat.view.get("version")), REPLY_TIMEOUT)
            except TimeoutError:
                tally.lost += 1
                continue
            replied = time.perf_counter()
            if reply["type"] == "ack":
                if reply.get("duplicate"):
                    self.duplicate_acks += 1
                self.acked.append((seat.match, seat.role, msg_id))
                if not await seat.reach(reply["version"], REPLY_TIMEOUT):
                    tally.lost += 1
                    continue
                done = max(replied, seat.time_reached(reply["version"]) or replied)
                tally.by_kind[move["kind"]].append((done - t0) * 1000)
                if move["kind"] == "team_chat":
                    seat.chats.append(t0)
                if seat.clock is not None:
                    seat.clock.moved()
            else:
                if self.args.verbose:
                    print(f"refused {seat.role} {seat.view.get('phase')} {move['kind']}: {reply.get('code')} {reply.get('message')}", file=sys.stderr)
                tally.refused[reply.get("code")] += 1
                tally.refused_ms.append((replied - t0) * 1000)
                if reply.get("code") == "move/stale_version":  # a snapshot follows: look again before deciding
                    await seat.reach(int((reply.get("details") or {}).get("version") or 0), REPLY_TIMEOUT)

    def versions(self, tables: list[int]) -> int:
        return sum(max(s.version for s in self.rows[t]) for t in tables)

    async def play(self, tables: list[int], seconds: float, tally: Tally) -> None:
        """Every trainee of `tables` plays for `seconds`; the servers' CPU and the machine's stolen time
        over it go into `tally`."""
        tally.arrivals.clear()
        cpu0, (stolen0, all0), v0 = self.stack.cpu(), stolen_ticks(), self.versions(tables)
        start = time.perf_counter()
        until = start + seconds
        plays = []
        for t in tables:
            rate = self.args.rate if self.tables[t]["kind"] == "practice" else self.args.workshop_rate
            plays += [self.trainee(s, rate, start, until, tally) for s in self.rows[t]]
        await asyncio.gather(*plays)
        tally.seconds += time.perf_counter() - start
        tally.events += self.versions(tables) - v0
        tally.cpu += self.stack.cpu() - cpu0
        stolen1, all1 = stolen_ticks()
        tally.stolen_ticks += stolen1 - stolen0
        tally.all_ticks += all1 - all0

    async def settle(self, tables: list[int], tally: Tally, still: float = 0.5, limit: float = 5.0) -> None:
        """Wait until `tables` are quiet (no new version for `still` seconds; at most `limit`): the bots'
        answers to the last trainee moves, and their scoring, are the game's work and count in `tally`
        (its CPU and events), not in the durable floor's or the next run's."""
        cpu0, v0 = self.stack.cpu(), self.versions(tables)
        end, held = time.perf_counter() + limit, v0
        while time.perf_counter() < end:
            await asyncio.sleep(still)
            now = self.versions(tables)
            if now == held:
                break
            held = now
        tally.events += self.versions(tables) - v0
        tally.cpu += self.stack.cpu() - cpu0

    # --- the durable floor --------------------------------------------------------------------------
    async def open_floor(self) -> list[list[RefClient]]:
        counters = Counters()
        rooms = [[RefClient("floor", t, s.port, counters) for s in row] for t, row in enumerate(self.rows)]
        await gather_limited([c.open() for room in rooms for c in room], 50)
        await asyncio.sleep(0.5)
        return rooms

    async def floor(self, rooms: list[list[RefClient]], arrivals: list[tuple[float, int, int]], floor: Tally) -> None:
        """Replay the game's arrivals on the floor: the same instants, rooms and senders."""
        sent: list[tuple[RefClient, list[RefClient], str, float]] = []
        cpu0, (stolen0, all0) = self.stack.cpu(), stolen_ticks()
        start = time.perf_counter()
        for offset, table, index in arrivals:
            delay = start + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.ids += 1
            n = f"f{self.ids}"
            client = rooms[table][index]
            sent.append((client, rooms[table], n, time.perf_counter()))
            await client.ws.send(json.dumps({"type": "move", "id": n}))
        floor.seconds += time.perf_counter() - start
        end = time.monotonic() + REPLY_TIMEOUT
        while time.monotonic() < end and not all(n in c.got for _, room, n, _ in sent for c in room):
            await asyncio.sleep(0.05)
        floor.cpu += self.stack.cpu() - cpu0
        stolen1, all1 = stolen_ticks()
        floor.stolen_ticks += stolen1 - stolen0
        floor.all_ticks += all1 - all0
        floor.events += len(sent)
        for client, room, n, t0 in sent:
            if n in client.got:
                floor.by_kind["floor"].append((client.got[n] - t0) * 1000)
            floor.lost += sum(1 for c in room if n not in c.got)
        floor.lost += rooms[0][0].counters.duplicated if rooms else 0
        if rooms:
            rooms[0][0].counters.duplicated = 0

    # --- checks ------------------------------------------------------------------------------------
    async def behind(self, tables: list[int]) -> int:
        """Seats that do not hold the version their pong reports (the server sends missed events first)."""
        await asyncio.sleep(1.0)
        seats = [s for t in tables for s in self.rows[t]]
        pongs = await asyncio.gather(*(s.ping(f"end{k}") for k, s in enumerate(seats)), return_exceptions=True)
        return sum(1 for s, p in zip(seats, pongs) if isinstance(p, BaseException) or s.version < p["version"])


async def run(args: argparse.Namespace, stack: Stack, tables: list[dict]) -> int:
    m = Mixed(args, stack, tables)
    out: list[str] = []
    p = out.append
    m.seat_all()
    practice = m.tables_of("practice")
    workshop = m.tables_of("workshop")
    main_tables = practice[: args.games] + workshop
    await m.open_tables(main_tables)
    humans = args.games + sum(len(m.rows[t]) for t in workshop)
    p(f"load: {args.games} practice games (1 trainee, bots in the other seats, live scoring) + {len(workshop)} workshop"
      f" tables x {len(m.rows[workshop[0]]) if workshop else 0} trainees = {humans} trainees; a trainee moves"
      f" {args.rate:g}/s (practice) or {args.workshop_rate:g}/s (workshop) on average, then waits for its frame")
    print(f"[mixed load starts; server pids {[q.pid for q in stack.procs]}]", file=sys.stderr, flush=True)

    game, floor = Tally(), Tally()
    rooms = await m.open_floor()
    await m.play(main_tables, min(args.warm_up, args.duration), Tally())  # warm-up, not counted
    segments = max(1, round(args.duration / SEGMENT))
    for _ in range(segments):
        await m.play(main_tables, args.duration / segments, game)
        await m.settle(main_tables, game)
        await m.floor(rooms, list(game.arrivals), floor)
    await gather_limited([c.close() for room in rooms for c in room], 100)
    p(f"\nmain run: {args.duration:g} s of game, then the durable floor replaying the same arrivals, in {segments} turn(s)"
      "\n(latency: send -> the mover holds its frame; events/s: every event of those tables, bots' and the clock's included)")
    for kind in sorted(game.by_kind, key=lambda k: -len(game.by_kind[k])):
        p(f"  {kind:<20} {summary(game.by_kind[kind])}  n={len(game.by_kind[kind])}")
    p("  " + game.line("all applied moves"))
    if game.refused:
        codes = ", ".join(f"{c} {n}" for c, n in game.refused.most_common())
        p(f"  {'refused':<20} {summary(game.refused_ms)}  n={sum(game.refused.values())} ({codes})")
    p("  " + floor.line("durable floor"))

    behind = await m.behind(main_tables)
    await m.close_tables(main_tables)

    ladder: list[tuple[int, float]] = []
    if args.ladder:
        p(f"\nladder: fresh practice games alone (the main run's tables closed), {args.step_seconds:g} s each")
        fresh = practice[args.games:]
        for n in args.ladder:
            step, tables, fresh = Tally(), fresh[:n], fresh[n:]
            await m.open_tables(tables)
            await asyncio.sleep(0.5)
            await m.play(tables, args.step_seconds, step)
            await m.settle(tables, step)
            ladder.append((n, pct(step.applied, 99)))
            p("  " + step.line(f"{n} practice games") + ("" if not step.refused else f"  refused {sum(step.refused.values())}"))
            game.lost += step.lost
            behind += await m.behind(tables)
            await m.close_tables(tables)

    checked = stack.django([sys.executable, "-c", VERIFY], stdin=json.dumps(m.acked))
    resyncs = sum(s.resyncs for row in m.rows for s in row)
    lost = (m.counters.lost + m.counters.duplicated + game.lost + floor.lost + behind
            + checked["missing"] + checked["repeated"] + m.duplicate_acks)
    p(f"\nupdates: {checked['acked']} acknowledged moves, {checked['missing']} missing from the event log, {checked['repeated']} stored"
      f" twice, {m.duplicate_acks} acknowledged as duplicates; version chain: {m.counters.lost} gaps ({resyncs} resyncs),"
      f" {m.counters.duplicated} overlaps; {behind} seats behind their last pong; {game.lost} moves without reply or frame;"
      f" floor {floor.lost} lost")
    stages = Counter(f"round {s.view.get('round')}" if s.view.get("status") == "running" else s.view.get("status")
                     for t in practice[: args.games] for s in m.rows[t])
    p("main run's practice games at the end: " + ", ".join(f"{n} {stage}" for stage, n in sorted(stages.items(), key=str)))
    held = [n for n, p99 in ladder if p99 <= CAPACITY_P99_MS]
    ratio = pct(game.applied, 99) / pct(floor.applied, 99) if floor.applied and game.applied else float("nan")
    p(f"mixed p99 ratio to durable floor: {ratio:.2f}")
    p(f"practice games per process at p99 <= {CAPACITY_P99_MS:.0f} ms: {max(held, default=0) // len(stack.procs)}")
    p(f"lost or duplicated updates: {lost}")
    print("\n".join(out), flush=True)
    return 0 if lost == 0 else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=40, help="practice games in the main run")
    ap.add_argument("--workshop-tables", type=int, default=2, help="workshop tables, every seat a trainee")
    ap.add_argument("--rate", type=float, default=1.7, help="moves per second of a practice trainee, on average")
    ap.add_argument("--workshop-rate", type=float, default=0.15, help="moves per second of a workshop trainee")
    ap.add_argument("--workshop-phase-seconds", type=int, default=30)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of game load in the main run")
    ap.add_argument("--warm-up", type=float, default=2.0, help="seconds of game load before the main run (not counted)")
    ap.add_argument("--ladder", default="20,40,60,80,100,120", help="practice-game counts, comma-separated ('' skips)")
    ap.add_argument("--step-seconds", type=float, default=12.0, help="seconds of each ladder step")
    ap.add_argument("--quick", action="store_true", help="10 games, 1 workshop table, 6 s, ladder 10,20 of 4 s")
    add_stack_arguments(ap)
    args = ap.parse_args(argv)
    if args.quick:
        args.games, args.workshop_tables, args.duration, args.ladder, args.step_seconds = 10, 1, 6.0, "10,20", 4.0
    args.ladder = sorted(int(n) for n in args.ladder.split(",") if n.strip())
    raise_nofile(4096)
    return run_on_stack("bench/mixed.py", MixedStack(args), run, argv)

if __name__ == "__main__":
    sys.exit(main())
