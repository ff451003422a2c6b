"""python manage.py simulate: play N bot-vs-bot games and print the figures.

    python manage.py simulate --games 200 --us us_hardline --vn vn_pragmatic --seed 1 [--json] [--jobs 2]

A thin wrapper around game.bots.simulate (pure): the same seed prints the same figures, whatever
--jobs is. A plain-text progress bar goes to stderr; the figures go to stdout.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor

from django.core.management.base import BaseCommand, CommandError

from game.bots.baselines import BASELINES
from game.bots.simulate import format_report, play_one, simulate, summarise
from game.scenario import Scenario, ScenarioError
from game.scenario_files import default_scenario, load_scenario_file


def scenario_and_games(opts) -> Scenario:
    """The scenario a bot command plays (--scenario or the shipped one), once --games is checked."""
    try:
        scenario = load_scenario_file(opts["scenario"]) if opts["scenario"] else default_scenario()
    except ScenarioError as exc:
        raise CommandError(f"cannot load the scenario: {exc}") from None
    if opts["games"] < 1:
        raise CommandError("--games must be at least 1")
    return scenario


class ProgressBar:
    """`[#########-----------] 45/100 games` on one line of stderr, redrawn in place."""

    def __init__(self, stream, width: int = 30, unit: str = "games"):
        self.stream = stream
        self.width = width
        self.unit = unit
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        if filled == self.last and done != total:
            return
        self.last = filled
        self.stream.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total} {self.unit}", ending="")
        self.stream.flush()
        if done == total:
            self.stream.write("")


class Command(BaseCommand):
    help = "Play bot-vs-bot games and print the agreement rate, points, Pareto efficiency, distance to Nash and alignment."

    def add_arguments(self, parser):
        parser.add_argument("--games", type=int, default=100, help="how many games (default 100)")
        parser.add_argument("--us", metavar="PERSONA", help="persona (or baseline) for the first team (default: its medium persona)")
        parser.add_argument("--vn", metavar="PERSONA", help="persona (or baseline) for the second team (default: its medium persona)")
        parser.add_argument("--seed", type=int, default=0, help="the seed of the run (default 0)")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--games-json", action="store_true", help="with --json: include every game's figures")
        parser.add_argument("--scenario", metavar="PATH", help="a scenario file (default: the shipped scenario)")
        parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1; the figures do not depend on it)")

    def handle(self, *args, **opts):
        scenario = scenario_and_games(opts)
        first, second = scenario.team_ids()
        # --us / --vn name the two teams of the default case; for another case they mean first and second.
        flags = {"us": first, "vn": second}
        if {"us", "vn"} == {first, second}:
            flags = {"us": "us", "vn": "vn"}
        players = {}
        for flag, team in flags.items():
            player = opts[flag] or self.default_persona(scenario, team)
            known = [p.id for p in scenario.personas_for(team)] + sorted(BASELINES)
            if player not in known:
                raise CommandError(f"--{flag}: {player!r} is not a persona for {scenario.team(team).name} (choose from: {', '.join(known)})")
            players[team] = player

        bar = ProgressBar(self.stderr)
        started = time.perf_counter()
        if opts["jobs"] > 1:
            results = []
            with ProcessPoolExecutor(max_workers=opts["jobs"]) as pool:
                futures = [pool.submit(play_one, scenario, players, opts["seed"], i) for i in range(opts["games"])]
                for n, future in enumerate(futures, 1):
                    results.append(future.result())
                    bar(n, opts["games"])
            report = summarise(scenario, players, opts["seed"], results)
        else:
            report = simulate(scenario, players, games=opts["games"], seed=opts["seed"], progress=bar)
        elapsed = time.perf_counter() - started
        self.stderr.write(f"{report.games} games in {elapsed:.1f} s ({report.games / elapsed:.1f} games/s)")
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(with_games=opts["games_json"]), indent=2, sort_keys=True))
        else:
            self.stdout.write(format_report(report))

    @staticmethod
    def default_persona(scenario, team: str) -> str:
        personas = scenario.personas_for(team)
        return next((p.id for p in personas if p.difficulty == "medium"), personas[0].id)
