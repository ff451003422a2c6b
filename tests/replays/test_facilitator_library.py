"""A facilitator's replay library across their workshops, filtered by workshop, table, team and
outcome; a bad filter says what is wrong and hides nothing it should not show; nobody else's tables."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game.engine import FACILITATOR
from game.models import Seat
from game.replays import selectors
from game.services import match_submit_move, scenario_load
from tests.replays.conftest import make_workshop, store_game

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(default_scenario, recorded):
    selectors.cache_clear()
    record = scenario_load(scenario=default_scenario)[0]
    trainer = get_user_model().objects.create_user("trainer", password="pw-123456")
    first = make_workshop(trainer, record, code="ABCDEF")
    second = make_workshop(trainer, record, code="GHJKLM")
    deal = next(r for r in recorded if r.events[-1].data.get("result") == "deal")
    tables = {
        ("ABCDEF", 1): store_game(record, default_scenario, deal, workshop=first, table_no=1),
        ("ABCDEF", 2): store_game(record, default_scenario, recorded[4], workshop=first, table_no=2, upto=50),
        ("GHJKLM", 1): store_game(record, default_scenario, recorded[1], workshop=second, table_no=1, upto=50),
    }
    match_submit_move(match_id=tables[("GHJKLM", 1)].pk, seat=FACILITATOR, move={"kind": "end"})
    Seat.objects.filter(match=tables[("ABCDEF", 1)], role_id="vn_trade").update(kind=Seat.Kind.HUMAN, display_name="Lan")
    client = Client()
    client.force_login(trainer)
    return client, tables


def _shown(client, query="") -> tuple[int, set[str]]:
    response = client.get(f"/replays/facilitator/{query}")
    body = response.content.decode()
    return response.status_code, {key for key in ("ABCDEF:1", "ABCDEF:2", "GHJKLM:1") if f'data-lib-row="{key}"' in body}


def test_every_table_of_every_workshop_and_each_filter(library):
    client, _ = library
    assert _shown(client) == (200, {"ABCDEF:1", "ABCDEF:2", "GHJKLM:1"})
    assert _shown(client, "?workshop=GHJKLM") == (200, {"GHJKLM:1"})
    assert _shown(client, "?table=2") == (200, {"ABCDEF:2"})
    assert _shown(client, "?team=vn") == (200, {"ABCDEF:1"})
    assert _shown(client, "?outcome=deal") == (200, {"ABCDEF:1"})
    assert _shown(client, "?outcome=no_deal") == (200, {"GHJKLM:1"})
    assert _shown(client, "?outcome=running") == (200, {"ABCDEF:2"})
    assert _shown(client, "?workshop=ABCDEF&outcome=running&table=2") == (200, {"ABCDEF:2"})
    assert "Lan" in client.get("/replays/facilitator/?team=vn").content.decode()


@pytest.mark.parametrize("query, message", [
    ("?workshop=ZZZZZZ", "You run no workshop with the code ZZZZZZ."),
    ("?table=abc", "Table: a table number, like 3."),
    ("?team=xx", "Team: choose one of the teams."),
    ("?outcome=won", "Outcome: choose deal, no deal or not finished."),
])
def test_a_bad_filter_says_what_is_wrong_and_filters_nothing(library, query, message):
    client, _ = library
    response = client.get(f"/replays/facilitator/{query}")
    assert response.status_code == 400 and message in response.content.decode()
    assert _shown(client, query)[1] == {"ABCDEF:1", "ABCDEF:2", "GHJKLM:1"}


def test_another_facilitator_sees_none_of_them_and_a_visitor_must_sign_in(library):
    other = Client()
    other.force_login(get_user_model().objects.create_user("other", password="x-123456"))
    assert _shown(other) == (200, set())
    assert _shown(other, "?workshop=ABCDEF")[0] == 400
    assert Client().get("/replays/facilitator/")["Location"].startswith("/facilitator/login/")


def test_the_replay_lists_its_keyboard_shortcuts_once_in_the_help_dialog(library):
    client, tables = library
    body = client.get(f"/replays/{tables[('ABCDEF', 1)].public_id}/").content.decode()
    assert '<dialog class="shortcuts"' in body and "<kbd>Home</kbd>" in body and "<kbd>?</kbd>" in body
    assert "Keys: ←" not in body  # the list lives in the dialog only
