"""Benchmark scoring: the joint-space (Pareto frontier, Nash point) precompute, and scoring a long game.

    .venv/bin/python bench/scoring.py [--repeat N] [--seed S]

- frontier precompute: game.scoring.joint_space(scenario), its per-process cache cleared before each run;
- full recompute: game.scoring.score_match on a long bot-vs-bot game (game.bots.play_game), as a replay
  or a restarted server pays it once per table;
- incremental: what the live server pays per move since game/realtime/scores.py feeds one Scorer per
  table (Scorer.feed of the new event + Scorer.score()), for every event of the same game.
No Django, no I/O.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.bots import play_game  # noqa: E402
from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file  # noqa: E402
from game.scoring import Scorer, joint_space, score_match  # noqa: E402
from game.scoring import joint as joint_module  # noqa: E402


def ms(seconds: list[float]) -> str:
    s = sorted(x * 1000 for x in seconds)
    return f"median {statistics.median(s):8.2f} ms  min {s[0]:8.2f}  max {s[-1]:8.2f}  (n={len(s)})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    loaded = load_scenario_file(DEFAULT_SCENARIO_PATH)
    scenario = loaded[0] if isinstance(loaded, tuple) else loaded

    precompute = []
    for _ in range(args.repeat):
        joint_module._CACHE.clear()
        t0 = time.perf_counter()
        space = joint_space(scenario)
        precompute.append(time.perf_counter() - t0)

    # The longest of a few bot-vs-bot games (every persona pairing would be bench/bots.py's job).
    games = []
    for i, seed in enumerate(range(args.seed, args.seed + 4)):
        by_team = {}
        for t in scenario.team_ids():
            own = [p.id for p in scenario.personas_for(t)] or ["random"]
            by_team[t] = own[i % len(own)]
        games.append(play_game(scenario, by_team, seed))
    events = max(games, key=len)

    full = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        score_match(scenario, events)
        full.append(time.perf_counter() - t0)

    per_move = []
    scorer = Scorer(scenario)
    for event in events:
        t0 = time.perf_counter()
        scorer.feed(event)
        scorer.score()
        per_move.append(time.perf_counter() - t0)
    assert scorer.score() == score_match(scenario, events), "incremental and full scores differ"

    print(f"scoring bench  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  scenario {scenario.id}")
    print(f"frontier precompute (joint_space, cache cleared): {ms(precompute)}"
          f"  ({len(getattr(space, 'frontier', []) or [])} frontier points)")
    print(f"full recompute, {len(events)}-event bot game (score_match): {ms(full)}")
    print(f"incremental per move (Scorer.feed + score, as the server does): {ms(per_move)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
