"""The workshop debrief asks the case's questions, per round and for the whole game, and questions about
what each table actually did, from the scorer's marks."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from game import services
from game.engine import FACILITATOR
from game.models import Match, Workshop
from game.scenario_files import default_scenario

pytestmark = pytest.mark.django_db


def test_the_debrief_asks_the_cases_questions_and_about_each_tables_marked_moves():
    call_command("load_scenario", verbosity=0)
    user = get_user_model().objects.create_user(username="fran")
    fac = Client()
    fac.force_login(user)
    fac.post("/facilitator/", {"title": "Cohort", "scenario": "us_vietnam_2025", "tables": 2,
                               "weight_outcome": 45, "weight_joint": 20, "weight_alignment": 35})
    workshop = Workshop.objects.get(title="Cohort")
    one, two = Match.objects.filter(workshop=workshop).order_by("table_no")
    # Table 1's Vietnam goes to round 1's table without a mandate and proposes; table 2 never starts.
    services.match_submit_move(match_id=one.pk, seat=FACILITATOR, move={"kind": "start"})
    for _ in range(5):  # round 0's three phases, round 1's briefing and caucus: at the table
        services.match_submit_move(match_id=one.pk, seat=FACILITATOR, move={"kind": "advance"})
    sheet = default_scenario().team("vn").points
    ideal = {i: max(sheet[i], key=sheet[i].get) for i in sheet}
    services.match_submit_move(match_id=one.pk, seat="vn_trade", move={"kind": "propose", "package": ideal})
    services.match_submit_move(match_id=one.pk, seat=FACILITATOR, move={"kind": "end", "reason": "time is up"})

    html = fac.get(f"/facilitator/w/{workshop.code}/debrief/").content.decode()
    section = html.split('id="debrief-questions"', 1)[1].split("</section>", 1)[0]
    scenario = default_scenario()
    for question in scenario.debrief + scenario.rounds[0].debrief:
        assert question.en.replace("'", "&#x27;") in section
    # A question about table 1's own round 1, in the scorer's words, and none about table 2.
    round_1 = section.split("Round 1:", 1)[1].split("Round 2:", 1)[0]
    assert "Table 1, Vietnam: Vietnam came to the table with no mandate covering this round&#x27;s agenda. Why?" in round_1
    assert "Table 2, " not in section
