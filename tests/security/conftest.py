from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game.services import scenario_load


@pytest.fixture
def record(default_scenario):
    return scenario_load(scenario=default_scenario)[0]


@pytest.fixture
def facilitator_user():
    return get_user_model().objects.create_user(username="fran")


def join_page(client: Client, code: str, name: str, seat: str = "auto", **extra):
    """Take a seat through the join page's form: `seat` is "auto" or "<table>:<role id>"."""
    return client.post(f"/join/{code}/", {"display_name": name, "seat": seat}, **extra)
