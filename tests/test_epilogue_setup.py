"""Who plays the epilogue: the facilitator's choice. The 120-minute plan plays it, the 60- and 90-minute
plans do not; the workshop form offers the choice defaulting from the plan, the practice form off."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from game.models import Match, Workshop
from game.scenario_files import SCENARIO_DIR, load_scenario_file
from game.scenario.timing import EPILOGUE_MINUTES, plays_epilogue, timed_seconds, timing_plan

SHORT = load_scenario_file(SCENARIO_DIR / "us_vietnam_2025_short.yaml")


def test_only_the_longest_plan_plays_the_epilogue_and_keeps_time_for_it(default_scenario):
    assert [plays_epilogue(default_scenario, m) for m in (60, 90, 120)] == [False, False, True]
    assert not plays_epilogue(SHORT, 120)  # the short case has no epilogue
    # The 120-minute plan leaves the epilogue its ten minutes beside the rounds' timers.
    assert timed_seconds(default_scenario, timing_plan(default_scenario, 120)) <= (120 - EPILOGUE_MINUTES) * 60 * 0.9


def create(fac, title, **fields):
    return fac.post("/facilitator/", {
        "title": title, "scenario": fields.pop("scenario", "us_vietnam_2025"), "tables": 1,
        "weight_outcome": 45, "weight_joint": 20, "weight_alignment": 35, **fields,
    })


@pytest.fixture
def fac(db):
    call_command("load_scenario", verbosity=0)
    client = Client()
    client.force_login(get_user_model().objects.create_user(username="fran"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("session, choice, plays", [
    ("120", "plan", True), ("90", "plan", False), ("60", "plan", False), ("", "plan", False),
    ("90", "yes", True), ("120", "no", False),
])
def test_the_workshop_form_sets_the_epilogue_from_the_plan_unless_the_facilitator_chooses(fac, session, choice, plays):
    page = fac.get("/facilitator/").content.decode()
    assert "Play the epilogue after a deal" in page and "only the 120-minute plan plays it" in page
    response = create(fac, f"S{session}{choice}", session=session, epilogue=choice, minutes_caucus=8, minutes_table=12)
    assert response.status_code == 302
    match = Match.objects.get(workshop__title=f"S{session}{choice}")
    assert match.setup["epilogue"] is plays
    assert Workshop.objects.get(title=f"S{session}{choice}").settings["epilogue"] is plays


@pytest.mark.django_db
def test_a_case_without_an_epilogue_cannot_be_asked_to_play_one(fac):
    response = create(fac, "Short", scenario="us_vietnam_2025_short", session="60", epilogue="yes")
    assert response.status_code == 400
    assert "This case has no epilogue" in response.content.decode()
    assert not Workshop.objects.filter(title="Short").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("ticked", [False, True])
def test_the_practice_form_offers_the_epilogue_off_by_default(db, ticked):
    call_command("load_scenario", verbosity=0)
    client = Client()
    page = client.get("/practice/?scenario=us_vietnam_2025").content.decode()
    assert 'name="epilogue"' in page and "Play the epilogue after a deal" in page
    assert 'name="epilogue" id="epilogue" checked' not in page
    form = {"scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade", "persona": "us_pragmatic"}
    if ticked:
        form["epilogue"] = "on"
    response = client.post("/practice/", form)
    assert response.status_code == 302
    assert Match.objects.get().setup["epilogue"] is ticked
