"""Turn decoded scenario data into a validated Scenario, or a ScenarioError listing every problem."""

from __future__ import annotations

from pydantic import ValidationError

from game.scenario.errors import ScenarioError, ScenarioProblem, format_location
from game.scenario.schema import Scenario

_FRIENDLY = {
    "extra_forbidden": "is not a field this schema knows (check the spelling)",
    "missing": "is required but missing",
}


def parse_scenario(data: object) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError([ScenarioProblem("", f"a scenario must be a mapping of fields, not {type(data).__name__}")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            [
                ScenarioProblem(format_location(err["loc"]), _FRIENDLY.get(err["type"], err["msg"]))
                for err in exc.errors(include_url=False)
            ]
        ) from None
