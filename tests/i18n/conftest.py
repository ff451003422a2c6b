from __future__ import annotations

import pytest
from django.utils import translation

from game.services import scenario_load


@pytest.fixture
def scenario_record(default_scenario):
    """The default case, installed (the pages need a scenario to show)."""
    return scenario_load(scenario=default_scenario)[0]


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request through LocaleMiddleware leaves its language active in this thread: after each test,
    the code that runs outside a request (and the next test) reads the default language again."""
    yield
    translation.deactivate()
