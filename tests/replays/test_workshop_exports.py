"""A facilitator's exports: per-person rows (points and marks as the debrief shows), the round reached,
how each game ended and who ended it, and one CSV of every event across all tables of a workshop."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game.engine import FACILITATOR
from game.scoring import score_match
from game.selectors import match_events
from game.services import match_submit_move, scenario_load
from tests.replays.conftest import make_workshop, store_game

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(default_scenario, recorded):
    record = scenario_load(scenario=default_scenario)[0]
    trainer = get_user_model().objects.create_user("trainer", password="pw-123456")
    workshop = make_workshop(trainer, record)
    played = store_game(record, default_scenario, recorded[0], workshop=workshop, table_no=1)
    cut = store_game(record, default_scenario, recorded[1], workshop=workshop, table_no=2, upto=60)
    match_submit_move(match_id=cut.pk, seat=FACILITATOR, move={"kind": "end", "reason": "time is up"})
    client = Client()
    client.force_login(trainer)
    return client, workshop, played, cut


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_people_rows_carry_each_seats_points_and_marks_and_how_the_game_ended(setup, default_scenario, recorded):
    client, workshop, played, cut = setup
    rows = _csv(client, f"/facilitator/w/{workshop.code}/export.people.csv")
    assert len(rows) == 2 * len(default_scenario.roles)
    score = score_match(default_scenario, recorded[0].events)
    for row in (r for r in rows if r["table"] == "1"):
        c = score.contributions[row["role_id"]]
        assert int(row["points"]) == c.total
        assert {m: int(row[f"marks_{m}"]) for m in c.marks} == dict(c.marks)
    ended = {r["table"]: (r["ended_by"], r["round_reached"], r["result"]) for r in rows}
    assert ended["2"][0] == "The facilitator" and ended["2"][2] == "no_deal"
    last = match_events(played)[-1]
    assert last.type == "game_ended" and ended["1"][1] == str(last.round)
    team_rows = _csv(client, f"/facilitator/w/{workshop.code}/export.csv")
    assert {r["ended_by"] for r in team_rows if r["table"] == "2"} == {"The facilitator"}
    assert all("time is up" in r["end_reason"] for r in team_rows if r["table"] == "2")


def test_the_events_csv_has_every_event_of_every_table_with_its_marks(setup):
    client, workshop, played, cut = setup
    rows = _csv(client, f"/facilitator/w/{workshop.code}/export.events.csv")
    cut.refresh_from_db()
    assert len(rows) == played.version + cut.version
    assert [int(r["seq"]) for r in rows if r["table"] == "1"] == list(range(1, played.version + 1))
    assert any(r["marks"] for r in rows) and all(r["text"] for r in rows)
    assert rows[-1]["type"] == "game_ended" and rows[-1]["actor_title"] == "The facilitator"


def test_a_trainee_exports_their_own_games_people_and_events_and_nobody_else_does(setup):
    client, workshop, played, cut = setup
    assert Client().get(f"/play/{played.public_id}/debrief/export.people.csv").status_code == 403
    assert client.get(f"/play/{played.public_id}/debrief/export.xls").status_code == 404
    rows = _csv(client, f"/play/{played.public_id}/debrief/export.events.csv")
    assert {r["table"] for r in rows} == {"1"}
