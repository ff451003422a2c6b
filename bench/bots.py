"""Benchmark the bot: time per bot decision (median, p99) and whole bot-vs-bot games per second, on one core.

    .venv/bin/python bench/bots.py [--games N] [--scenario PATH]

Plays every persona pairing of the scenario through the same loop as game.bots.play_game, timing
each bot decision (a caucus move for one seat, or a team's next table move) and, separately, the
engine's apply_move, so the figures show what the bot costs and what the engine costs. No Django.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.bots.play import resolve_player  # noqa: E402
from game.bots.space import space_of  # noqa: E402
from game.engine import FACILITATOR, MatchSetup, apply_move, new_state  # noqa: E402
from game.engine.moves import Advance, Start  # noqa: E402
from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file  # noqa: E402


def timed_game(scenario, personas, seed, decisions, engine):
    """play_game's loop, with the time of every bot decision and every apply_move recorded."""
    players = {team: resolve_player(scenario, personas[team]) for team in scenario.team_ids()}
    bot_seats = [r.id for r in scenario.roles]
    state = new_state(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed))
    events = []
    now = 0.0
    clock = time.perf_counter

    def play(seat, move):
        nonlocal state, now
        now += 1.0
        t0 = clock()
        tr = apply_move(scenario, state, seat, move, now)
        engine.append(clock() - t0)
        state = tr.after
        events.extend(tr.events)

    play(FACILITATOR, Start())
    while state.status != "finished":
        acted = False
        if state.phase == "caucus":
            for team, player in players.items():
                for role in scenario.roles_of(team):
                    while state.phase == "caucus":
                        t0 = clock()
                        move = player.caucus_move(scenario, state, events, role.id, seed, now, bot_seats)
                        decisions.append(clock() - t0)
                        if move is None:
                            break
                        play(role.id, move)
                        acted = True
        elif state.phase == "table":
            t0 = clock()
            planned = players[state.floor].team_move(scenario, state, events, state.floor, seed, now, bot_seats)
            decisions.append(clock() - t0)
            if planned is not None:
                play(*planned)
                acted = True
        if not acted:
            play(FACILITATOR, Advance())
    return events


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5, help="games per persona pairing (default 5)")
    parser.add_argument("--scenario", default=str(DEFAULT_SCENARIO_PATH))
    args = parser.parse_args()
    scenario = load_scenario_file(args.scenario)
    a, b = scenario.team_ids()
    pairs = [(x.id, y.id) for x in scenario.personas_for(a) for y in scenario.personas_for(b)]

    t0 = time.perf_counter()
    space_of(scenario).table()
    build = time.perf_counter() - t0

    decisions: list[float] = []
    engine: list[float] = []
    timed_game(scenario, {a: pairs[0][0], b: pairs[0][1]}, 0, [], [])  # warm up
    games = 0
    t0 = time.perf_counter()
    for i, (x, y) in enumerate(pairs):
        for seed in range(args.games):
            timed_game(scenario, {a: x, b: y}, 1000 * i + seed, decisions, engine)
            games += 1
    wall = time.perf_counter() - t0
    bot_total, engine_total = sum(decisions), sum(engine)

    print(f"scenario          {scenario.id} v{scenario.version}: {len(space_of(scenario).table())} packages"
          f" (package table built in {build * 1000:.1f} ms)")
    print(f"games             {games} ({len(pairs)} persona pairings x {args.games} seeds), one core")
    print(f"bot decisions     {len(decisions)}: median {statistics.median(decisions) * 1e6:.0f} us,"
          f" p99 {pct(decisions, 0.99) * 1e6:.0f} us, max {max(decisions) * 1e3:.1f} ms")
    print(f"engine moves      {len(engine)}: median {statistics.median(engine) * 1e6:.0f} us,"
          f" p99 {pct(engine, 0.99) * 1e6:.0f} us (apply_move, incl. its copy of the state)")
    print(f"per game          {wall / games * 1000:.1f} ms = bots {bot_total / games * 1000:.1f} ms"
          f" + engine {engine_total / games * 1000:.1f} ms + loop {(wall - bot_total - engine_total) / games * 1000:.1f} ms")
    print(f"throughput        {games / wall:.1f} games/s; 1000 games in {1000 * wall / games:.0f} s"
          f" (bots alone: {1000 * bot_total / games:.0f} s)")


if __name__ == "__main__":
    main()
