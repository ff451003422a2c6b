"""What a negotiation case is. Pure: it parses already-decoded data; reading files is the adapter's job."""

from game.scenario.checks import translation_problems as scenario_warnings
from game.scenario.errors import ScenarioError, ScenarioProblem
from game.scenario.parse import parse_scenario
from game.scenario.schema import IDEAL_POINTS, LEVELS, PHASE_ORDER, Scenario

__all__ = ["IDEAL_POINTS", "LEVELS", "PHASE_ORDER", "Scenario", "ScenarioError", "ScenarioProblem", "parse_scenario", "scenario_warnings"]
