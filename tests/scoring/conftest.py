"""Recorded games for the scoring tests (the scenarios come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
from tests.scoring import games


@pytest.fixture(scope="session")
def aligned_game(tiny):
    return games.tiny_aligned(tiny)


@pytest.fixture(scope="session")
def divided_game(tiny):
    return games.tiny_divided(tiny)


@pytest.fixture(scope="session")
def long_game(tiny):
    return games.long_game(tiny)


@pytest.fixture(scope="session")
def default_or_skip():
    """The shipped scenario, or a skip while it is still being written."""
    if not DEFAULT_SCENARIO_PATH.exists():
        pytest.skip("the default scenario is not there yet")
    scenario = load_scenario_file(DEFAULT_SCENARIO_PATH)
    if scenario.historical_outcome is None:
        pytest.skip("the default scenario has no historical outcome yet")
    return scenario
