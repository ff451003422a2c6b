"""In-process cost of storing a move: game.services.match_submit_move on an SQLite file with the
server's settings (WAL, synchronous=NORMAL, IMMEDIATE transactions), against the durable floor's
write (bench/floor.py: lock a row, insert one event) on the same database.

    .venv/bin/python bench/store.py [--moves N]

A practice match is created as the practice page creates it and played to its table phase; then
N team chats (legal in every phase) are stored one after another with the caller's copy of the
state, as a live table's owner stores them. Prints the median wall time and the CPU time per move
of each, in microseconds. No server, no sockets: the figure the write path's changes are judged by.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=2000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "store.sqlite3")
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiation_game.settings")
        os.environ.setdefault("DJANGO_DEBUG", "0")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_scenario", verbosity=0)
        from bench.floor import append_event, ensure_tables
        from game import services
        from game.selectors import match_load, scenario_get, scenario_of

        record = scenario_get("us_vietnam_2025")
        scenario = scenario_of(record)
        team = scenario.team_ids()[0]
        seat = scenario.roles_of(team)[0].id
        match, _ = services.practice_create(scenario_record=record, team=team, role_id=seat, persona_id="medium", seed=1)
        services.match_submit_move(match_id=match.pk, seat=seat, move={"kind": "start"})
        loaded = match_load(match.pk, after_seq=None)
        known = (loaded.scenario, loaded.state)

        def store(i: int) -> None:
            nonlocal known
            result = services.match_submit_move(
                match_id=match.pk, seat=seat, move={"kind": "team_chat", "text": f"chat {i}"}, msg_id=f"m{i}", known=known)
            known = (known[0], result.state)

        ensure_tables(1)
        rows = [
            (f"match_submit_move (team chat, state {len(loaded.state.model_dump_json())} B)", store),
            ("durable floor's write (bench/floor.py)", lambda i: append_event(0, "x" * 40)),
        ]
        print(f"store bench  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  SQLite file, {args.moves} moves each")
        for name, fn in rows:
            for i in range(50):
                fn(-1 - i)
            wall = []
            cpu0 = time.process_time()
            for i in range(args.moves):
                t0 = time.perf_counter()
                fn(i)
                wall.append(time.perf_counter() - t0)
            cpu = (time.process_time() - cpu0) / args.moves
            print(f"  {name:55s} median {1e6 * statistics.median(wall):7.1f} us  cpu {1e6 * cpu:7.1f} us/move")
    return 0


if __name__ == "__main__":
    sys.exit(main())
