"""The short format of the 2025 case: a second case authored only as data, on the same engine and bots,
loaded with the default one and chosen when creating a workshop or a practice game."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from game.bots import play_game
from game.engine import MatchSetup, replay
from game.models import Match, Workshop
from game.scenario_files import SCENARIO_DIR, load_scenario_file
from game.scenario.timing import timed_seconds, timing_plan
from game.web.forms import PHASES, WorkshopForm

SHORT_PATH = SCENARIO_DIR / "us_vietnam_2025_short.yaml"


@pytest.fixture(scope="module")
def short():
    return load_scenario_file(SHORT_PATH)


def test_the_short_case_has_fewer_rounds_and_roles_and_the_same_people(short, default_scenario):
    assert len(short.rounds) < len(default_scenario.rounds)
    for team in short.team_ids():
        assert 4 == len(short.roles_of(team)) < len(default_scenario.roles_of(team))
    full = {r.id: r for r in default_scenario.roles}
    assert all(r.counterpart == full[r.id].counterpart for r in short.roles)
    # Every card still has owners on its team, and every event plays in the round of its day.
    for card in short.deliverables:
        assert card.prepared_by and all(short.role(r).team == card.team for r in card.prepared_by)
    for rnd in short.rounds:
        assert all(rnd.starts <= short.inject(i).available_from <= rnd.ends for i in rnd.injects)


def test_the_short_case_fits_an_hour_with_the_workshop_default_timers(short):
    form = WorkshopForm(scenarios=[(short.id, short)])
    minutes = {p: form.fields[f"minutes_{p}"].initial or 0 for p, _ in PHASES}
    timed = sum(minutes[p] for rnd in short.rounds for p in rnd.phases)
    assert 60 <= timed <= 75


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_bots_play_the_short_case_to_the_end_on_the_same_engine(short, seed):
    events = play_game(short, {"us": "us_pragmatic", "vn": "vn_hardline"}, seed)
    state = replay(short, MatchSetup(scenario_id=short.id, scenario_version=short.version, seed=seed), events)
    assert state.status == "finished"
    assert max(e.round for e in events) <= len(short.rounds) - 1


@pytest.mark.django_db
def test_a_facilitator_and_a_trainee_can_choose_the_short_case():
    call_command("load_scenario", verbosity=0)
    user = get_user_model().objects.create_user(username="fran")
    fac = Client()
    fac.force_login(user)
    page = fac.get("/facilitator/").content.decode()
    assert 'value="us_vietnam_2025_short"' in page and 'value="us_vietnam_2025"' in page
    response = fac.post("/facilitator/", {
        "title": "Short cohort", "scenario": "us_vietnam_2025_short", "tables": 1,
        "weight_outcome": 45, "weight_joint": 20, "weight_alignment": 35, "minutes_caucus": 8, "minutes_table": 12,
    })
    assert response.status_code == 302
    workshop = Workshop.objects.get(title="Short cohort")
    match = Match.objects.get(workshop=workshop)
    assert match.scenario.scenario_id == "us_vietnam_2025_short" and match.seats.count() == 8

    trainee = Client()
    practice = trainee.get("/practice/").content.decode()
    assert 'href="/practice/?scenario=us_vietnam_2025_short"' in practice  # the other case, one click away
    short_page = trainee.get("/practice/", {"scenario": "us_vietnam_2025_short"}).content.decode()
    assert 'name="scenario" value="us_vietnam_2025_short"' in short_page
    assert 'value="us_treasury"' not in short_page and 'value="us_ustr"' in short_page


@pytest.mark.parametrize("minutes", [60, 90, 120])
def test_a_timing_plan_fits_each_case_into_the_session_with_time_for_briefings(short, default_scenario, minutes):
    for case in (default_scenario, short):
        plan = timing_plan(case, minutes)
        assert set(plan) == {"caucus", "table"} and plan["table"] > plan["caucus"] >= 120
        assert 0.75 * minutes * 60 <= timed_seconds(case, plan) <= 0.9 * minutes * 60
    # The short case has fewer rounds, so each of its phases gets longer in the same session.
    assert timing_plan(short, minutes)["table"] > timing_plan(default_scenario, minutes)["table"]


@pytest.mark.django_db
def test_one_choice_sets_every_timer_when_creating_a_workshop(short):
    call_command("load_scenario", verbosity=0)
    user = get_user_model().objects.create_user(username="fran")
    fac = Client()
    fac.force_login(user)
    assert '<option value="90">90 minutes</option>' in fac.get("/facilitator/").content.decode()
    response = fac.post("/facilitator/", {
        "title": "Ninety", "scenario": "us_vietnam_2025_short", "tables": 1, "session": "90",
        "weight_outcome": 45, "weight_joint": 20, "weight_alignment": 35, "minutes_caucus": 8, "minutes_table": 12,
    })
    assert response.status_code == 302
    match = Match.objects.get(workshop__title="Ninety")
    assert match.setup["phase_seconds"] == timing_plan(short, 90)
    refused = fac.post("/facilitator/", {"title": "Odd", "scenario": "us_vietnam_2025_short", "tables": 1, "session": "45",
                                         "weight_outcome": 45, "weight_joint": 20, "weight_alignment": 35})
    assert refused.status_code == 400 and not Workshop.objects.filter(title="Odd").exists()
