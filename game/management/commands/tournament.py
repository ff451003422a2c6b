"""python manage.py tournament: the bot against the reference opponents, every persona as each side.

    python manage.py tournament --games 20 --seed 1 [--json] [--persona us_hardline ...] [--opponent boulware ...]

A thin wrapper around game.bots.tournament (pure). The table (or JSON) goes to stdout, progress and
any broken soundness promise to stderr. Unknown personas or opponents are refused with the valid ones.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from game.bots.reference import REFERENCE_OPPONENTS
from game.bots.tournament import SELF_PLAY, format_table, personas, soundness_failures, tournament
from game.management.commands.simulate import ProgressBar, scenario_and_games


class Command(BaseCommand):
    help = "Play every persona against every reference opponent and print agreement, points, distances, backpedals and deals below BATNA."

    def add_arguments(self, parser):
        parser.add_argument("--games", type=int, default=20, help="games a pairing (default 20)")
        parser.add_argument("--seed", type=int, default=0, help="the seed of the run (default 0)")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--persona", action="append", metavar="ID", help="only this persona (repeatable; default: every persona)")
        parser.add_argument("--opponent", action="append", metavar="NAME", help=f"only this opponent (repeatable; '{SELF_PLAY}' for self-play)")
        parser.add_argument("--scenario", metavar="PATH", help="a scenario file (default: the shipped scenario)")

    def handle(self, *args, **opts):
        scenario = scenario_and_games(opts)
        valid_personas = list(dict.fromkeys(p for p, _ in personas(scenario)))
        valid_opponents = [*REFERENCE_OPPONENTS, SELF_PLAY]
        for flag, given, valid in (("persona", opts["persona"], valid_personas), ("opponent", opts["opponent"], valid_opponents)):
            unknown = [name for name in given or () if name not in valid]
            if unknown:
                raise CommandError(f"--{flag}: unknown {', '.join(map(repr, unknown))} (choose from: {', '.join(valid)})")
        started = time.perf_counter()
        report = tournament(scenario, games=opts["games"], seed=opts["seed"], persona_ids=opts["persona"], opponents=opts["opponent"],
                            progress=ProgressBar(self.stderr, unit="pairings"))
        self.stderr.write(f"{len(report.rows)} pairings x {report.games} games in {time.perf_counter() - started:.1f} s")
        for failure in soundness_failures(report):
            self.stderr.write(f"unsound: {failure}")
        if opts["json"]:
            self.stdout.write(json.dumps({**report.as_dict(), "unsound": soundness_failures(report)}, indent=2, sort_keys=True))
        else:
            self.stdout.write(format_table(report))
