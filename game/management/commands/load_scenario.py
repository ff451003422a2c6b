"""python manage.py load_scenario [PATH ...]: validate scenario files and store them (default: every
case shipped in game/scenarios/, the 2025 case first)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from game.scenario import ScenarioError
from game.management.commands.validate_scenario import write_warnings
from game.scenario_files import bundled_scenario_paths, check_scenario_file
from game.services import ScenarioConflict, scenario_load


class Command(BaseCommand):
    help = "Validate scenario files and load them into the database so matches can use them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="path")

    def handle(self, *args, paths: list[str], **options):
        failed = False
        for path in paths or [str(p) for p in bundled_scenario_paths()]:
            try:
                scenario, warnings = check_scenario_file(path)
                record, changed = scenario_load(scenario=scenario)
            except ScenarioError as exc:
                self.stderr.write(f"{path}: {len(exc.problems)} problem(s); nothing was loaded")
                for problem in exc.problems:
                    self.stderr.write(f"  {problem}")
                failed = True
                continue
            except ScenarioConflict as exc:
                self.stderr.write(f"{path}: {exc}")
                failed = True
                continue
            write_warnings(self.stderr, path, warnings)
            state = "loaded" if changed else "already up to date"
            self.stdout.write(f"{record.title} v{record.version}: {state}")
        if failed:
            sys.exit(1)
