"""python manage.py rubric_check: play the scripted strategies against every bot persona and check
that the rubric ranks them the way the article would.

    python manage.py rubric_check [--json] [--seeds 1,2,3,4,5] [--fast] [--team vn|us]

A thin wrapper around game.bots.rubric_suite (pure). Exits with an error when a required ranking fails.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from game.bots.rubric_suite import format_suite, run_suite
from game.scenario_files import default_scenario

FAST_SEEDS = (1,)
DEFAULT_SEEDS = (1, 2, 3, 4, 5)


def parse_seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(s) for s in text.split(",") if s.strip())
    except ValueError:
        raise CommandError(f"--seeds takes whole numbers separated by commas, not {text!r}") from None
    if not seeds or any(s < 0 for s in seeds):
        raise CommandError("--seeds needs at least one seed, none negative")
    return seeds


class Command(BaseCommand):
    help = "Play scripted strategies against every bot persona and check the rubric's ranking."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--seeds", help="comma-separated seeds (default 1,2,3,4,5)")
        parser.add_argument("--fast", action="store_true", help="one seed (the version make test runs)")
        parser.add_argument("--team", default="vn", help="the team the strategies play: vn (default) or us; make test checks both")

    def handle(self, *args, **opts):
        scenario = default_scenario()
        if opts["team"] not in scenario.team_ids():
            raise CommandError(f"unknown team {opts['team']!r} (teams: {', '.join(scenario.team_ids())})")
        seeds = parse_seeds(opts["seeds"]) if opts["seeds"] else FAST_SEEDS if opts["fast"] else DEFAULT_SEEDS
        report = run_suite(scenario, opts["team"], seeds)
        self.stdout.write(json.dumps(report.as_dict(), indent=2) if opts["json"] else format_suite(report))
        if not report.passed:
            raise CommandError("the rubric failed a required ranking (see the checks above)")
