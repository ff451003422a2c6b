"""python manage.py validate_scenario PATH: "ok", its warnings (translations it lacks) and a summary, or every
problem with its place in the file."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from game.scenario import Scenario, ScenarioError
from game.scenario_files import DEFAULT_SCENARIO_PATH, check_scenario_file


def scenario_summary(s: Scenario) -> list[str]:
    lines = [f"{s.title} ({s.id} v{s.version})"]
    for team in s.teams:
        roles = s.roles_of(team.id)
        lines.append(
            f"  {team.name}: {len(roles)} roles ({', '.join(str(r.title) for r in roles)}); BATNA {team.batna} points"
        )
    lines.append(f"  {len(s.issues)} issues: {', '.join(str(i.title) for i in s.issues)}")
    lines.append(f"  {len(s.rounds)} rounds, {len(s.deliverables)} deliverables, {len(s.injects)} injects, {len(s.personas)} bot personas")
    if s.historical_outcome:
        pts = ", ".join(f"{t.short} {s.points(t.id, s.historical_outcome.package)}" for t in s.teams)
        lines.append(f"  historical outcome: {s.historical_outcome.label} ({pts} points)")
    return lines


def write_warnings(out, path: str, warnings: list) -> None:
    """A usable scenario's warnings: each text that lacks a language (readers of it see the English)."""
    if warnings:
        out.write(f"{path}: {len(warnings)} warning(s); a reader of a missing language sees the English")
        for warning in warnings:
            out.write(f"  {warning}")


class Command(BaseCommand):
    help = "Validate a scenario file (YAML or JSON) against the schema and its cross references."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SCENARIO_PATH))

    def handle(self, *args, path: str, **options):
        try:
            scenario, warnings = check_scenario_file(path)
        except ScenarioError as exc:
            self.stderr.write(f"{path}: {len(exc.problems)} problem(s)")
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        self.stdout.write("ok")
        write_warnings(self.stderr, path, warnings)
        for line in scenario_summary(scenario):
            self.stdout.write(line)
