from __future__ import annotations

import pytest

from game.services import scenario_load


@pytest.fixture
def scenario_record(default_scenario):
    """The default case, installed (the pages need a scenario to show)."""
    return scenario_load(scenario=default_scenario)[0]
