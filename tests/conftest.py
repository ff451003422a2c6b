"""Shared fixtures: the tiny test scenario and the shipped default scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny():
    return load_scenario_file(FIXTURES / "tiny.yaml")


@pytest.fixture(scope="session")
def default_scenario():
    return load_scenario_file(DEFAULT_SCENARIO_PATH)


@pytest.fixture(scope="session", params=["tiny", "default"])
def any_scenario(request):
    path = FIXTURES / "tiny.yaml" if request.param == "tiny" else DEFAULT_SCENARIO_PATH
    return load_scenario_file(path)
