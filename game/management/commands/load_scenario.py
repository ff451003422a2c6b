"""python manage.py load_scenario [PATH]: validate a scenario file and store it (default: the 2025 case)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from game.scenario import ScenarioError
from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
from game.services import ScenarioConflict, scenario_load


class Command(BaseCommand):
    help = "Validate a scenario file and load it into the database so matches can use it."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SCENARIO_PATH))

    def handle(self, *args, path: str, **options):
        try:
            scenario = load_scenario_file(path)
            record, changed = scenario_load(scenario=scenario)
        except ScenarioError as exc:
            self.stderr.write(f"{path}: {len(exc.problems)} problem(s); nothing was loaded")
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        except ScenarioConflict as exc:
            self.stderr.write(f"{path}: {exc}")
            sys.exit(1)
        state = "loaded" if changed else "already up to date"
        self.stdout.write(f"{record.title} v{record.version}: {state}")
