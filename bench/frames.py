"""In-process cost of the seats' update frames: every seat's frame for every version of a recorded game.

    .venv/bin/python bench/frames.py [--repeat N] [--seed S]

A practice game stands recorded as a bot game (game.bots.play_game, medium personas) whose first US
seat is the trainee, a pacer. Its versions are rebuilt one after another as a live table's owner
holds them (game.realtime.tablelog.Table.successor), and after each version every seat (every
role and the facilitator) gets its update frame as a seat's socket builds it: the table's view of
the seat (Table.frame), its sentences said (every other seat reads Vietnamese), only the view's keys
that changed since the seat's last frame, the frame's JSON. Prints, as the median of N runs, the
CPU time for the whole game and per seat and version: the views alone, the whole frames, and the
trainee's frames alone (a practice game sends no frames to its bots). No server, no sockets, no database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiation_game.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.utils import translation

    from game.bots import play_game
    from game.engine import FACILITATOR, MatchSetup, new_state, replay_onto
    from game.realtime import protocol as P
    from game.realtime.tablelog import Table
    from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
    from game.web.said import said_events, said_view

    scenario = load_scenario_file(DEFAULT_SCENARIO_PATH)
    medium = {t: next(p.id for p in scenario.personas_for(t) if p.difficulty == "medium") for t in scenario.team_ids()}
    events = play_game(scenario, medium, args.seed)
    trainee = scenario.roles_of(scenario.team_ids()[0])[0].id
    setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=args.seed, pacers=[trainee])
    seats = [r.id for r in scenario.roles] + [FACILITATOR]
    language = {seat: ("en", "vi")[i % 2] for i, seat in enumerate(seats)}

    def versions():
        """The game's versions as its owner holds them, each the successor of the one before (made
        after the previous version's frames, as the owner makes it after a move)."""
        table = Table(1, scenario, new_state(scenario, setup), (), None, None, "bench", None)
        for event in events:
            table = table.successor(replay_onto(scenario, table.state, [event]), (event,))
            yield table

    def views() -> float:
        """Every seat's view of every version (Table.frame); the CPU time of the views alone."""
        spent = 0.0
        for table in versions():
            t0 = time.process_time()
            for seat in seats:
                table.frame(seat, after_seq=table.version - 1, now=table.events[-1].at, static=False)
            spent += time.process_time() - t0
        return spent

    def frames(seats: list[str] = seats) -> float:
        """Every seat's update frame of every version, as its socket sends it; the frames' CPU time."""
        held: dict[str, dict] = {}
        spent = 0.0
        for table in versions():
            t0 = time.process_time()
            since = table.version - 1
            for seat in seats:
                data = table.frame(seat, after_seq=since, now=table.events[-1].at, static=False)
                with translation.override(language[seat]):
                    out, view = said_events(data["events"], table.sayings), said_view(data["view"], table.sayings)
                had = held.get(seat, {})
                changed = {k: v for k, v in view.items() if k not in had or (had[k] is not v and had[k] != v)}
                P.Events(match=1, prev_version=since, version=table.version, events=out, view=changed).model_dump_json()
                held[seat] = view
            spent += time.process_time() - t0
        return spent

    print(f"frames bench  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  a {len(events)}-version game, {len(seats)} seats, median of {args.repeat}")
    rows = (
        ("every seat's view (Table.frame)", views, len(seats)),
        ("every seat's update frame", frames, len(seats)),
        # A practice game's other seats are bots, which are sent no frames.
        ("the trainee's update frame alone", lambda: frames([trainee]), 1),
    )
    for name, run, count in rows:
        run()  # warm-up: imports, the catalogue, caches of the scenario
        whole = statistics.median(run() for _ in range(args.repeat))
        print(f"  {name:34s} CPU {1e3 * whole:8.1f} ms a game  {1e6 * whole / (count * len(events)):7.1f} us a seat and version")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
