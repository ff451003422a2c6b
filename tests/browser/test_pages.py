"""The pages without a browser (Django's test client): quick checks of what each URL answers.

The live behaviour is tested in real Chromium next to this file; these run everywhere, Chromium or not.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from game import seat_cookies, services
from game.models import Match, Workshop
from game.selectors import scenario_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(default_scenario):
    return services.scenario_load(scenario=default_scenario)[0]


@pytest.fixture
def fac(record):
    user = get_user_model().objects.create_user(username="fran")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _finished_practice(record):
    """A practice match ended by its pacer at round 0 (no deal), and its seat token."""
    match, token = services.practice_create(scenario_record=record, team="vn", role_id="vn_trade", personas={"us": "us_hardline"})
    for kind in ("start", "advance"):
        services.match_submit_move(match_id=match.pk, seat="vn_trade", move={"kind": kind})
    services.match_submit_move(
        match_id=match.pk, seat="vn_trade",
        move={"kind": "draft_mandate", "issues": {i: {"target": "t0" if i == "us_tariff" else o, "walkaway": "t20" if i == "us_tariff" else o}
                                                 for i, o in _vn_best(record).items()}},
    )
    while Match.objects.get(pk=match.pk).status != "finished":
        services.match_submit_move(match_id=match.pk, seat="vn_trade", move={"kind": "advance"})
    return match, token


def _vn_best(record):
    sheet = record.data["teams"][1]["points"]
    return {issue: max(opts, key=opts.get) for issue, opts in sheet.items()}


def _with_seat(client: Client, match_id: int, token: str) -> Client:
    from django.http import HttpResponse

    response = seat_cookies.remember(HttpResponse(), match_id, token)
    name = seat_cookies.cookie_name(match_id)
    client.cookies[name] = response.cookies[name].value
    return client


def test_the_landing_page_offers_practice_joining_and_facilitator_sign_in(client, record):
    html = client.get("/").content.decode()
    assert 'href="/practice/"' in html and 'action="/join/"' in html and 'href="/facilitator/"' in html
    assert "Practise against the bot" in html and "Workshop code" in html


def test_practice_set_up_preselects_a_team_a_role_and_an_opponent_and_starts_on_round_0(client, record):
    html = client.get("/practice/").content.decode()
    assert len(re.findall(r'name="team" value="\w+"[^>]*checked', html)) == 1
    assert len(re.findall(r'name="role_id" value="\w+"[^>]*checked', html)) == 1
    assert "Hidden" in html and "Easy" in html and "Hard" in html
    response = client.post("/practice/", {"scenario": "us_vietnam_2025", "team": "us", "role_id": "us_ustr", "persona": "hidden"})
    assert response.status_code == 302
    match = Match.objects.get()
    assert response["Location"] == f"/play/{match.public_id}/"
    assert match.status == "running" and match.snapshot["round"] == 0 and match.snapshot["phase"] == "briefing"
    page = client.get(response["Location"]).content.decode()
    assert "Aligning the house" in page and 'Advance <span class="advance__more">to next phase</span>' in page
    assert "Your role" in page and "Confidential" in page
    config = json.loads(re.search(r'<script id="table-config" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert config["seat"] == "us_ustr" and "token" not in config and config["practice"] is True
    assert {d["team"] for d in config["scenario"]["deliverables"]} == {"us"}  # only the team's own execution cards


def test_a_bad_role_for_the_team_is_refused_with_a_message_not_an_error_page(client, record):
    response = client.post("/practice/", {"scenario": "us_vietnam_2025", "team": "us", "role_id": "vn_trade", "persona": "us_hardline"})
    assert response.status_code == 400
    assert "not a role of us" in response.content.decode()


def test_a_table_page_without_the_seat_cookie_is_a_friendly_403(client, record):
    match, _ = services.practice_create(scenario_record=record, team="vn", role_id="vn_trade")
    response = client.get(f"/play/{match.public_id}/")
    assert response.status_code == 403 and "holds no seat" in response.content.decode()
    assert client.get("/play/999999/").status_code == 404


def test_wrong_expired_and_closed_join_codes_get_a_friendly_message(client, fac, record):
    bad = client.get("/join/", {"code": "O0I1"})
    assert bad.status_code == 400 and "never contains 0, O, 1 or I" in bad.content.decode()
    unknown = client.get("/join/ABCDEF/")
    assert unknown.status_code == 404 and "No workshop has the code ABCDEF" in unknown.content.decode()
    workshop = services.workshop_create(facilitator=fac.user, scenario_record=record, title="Cohort", tables=1)
    assert client.get("/join/", {"code": workshop.code.lower()})["Location"] == f"/join/{workshop.code}/"
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(f"/join/{workshop.code}/")
    assert expired.status_code == 410 and "has expired" in expired.content.decode()


def test_joining_shows_free_seats_by_team_and_seats_the_trainee(client, fac, record):
    workshop = services.workshop_create(facilitator=fac.user, scenario_record=record, title="Cohort", tables=2,
                                        settings={"bots": {"us": "us_pragmatic"}})
    html = client.get(f"/join/{workshop.code}/").content.decode()
    assert html.count('name="seat" value="1:') == len(scenario_of(record).roles) and "Any free seat" in html
    response = client.post(f"/join/{workshop.code}/", {"display_name": "Alice", "seat": "1:us_commerce"})
    assert response.status_code == 302
    seat = Match.objects.get(workshop=workshop, table_no=1).seats.get(role_id="us_commerce")
    assert seat.display_name == "Alice" and response["Location"] == f"/play/{seat.match.public_id}/"
    again = client.get(f"/join/{workshop.code}/").content.decode()
    assert "You already have a seat here" in again
    other = Client().get(f"/join/{workshop.code}/").content.decode()
    assert "Alice" in other and 'value="1:us_commerce"' not in other


def test_a_seed_page_highlights_the_cited_quote(client, record):
    quote = "Internal alignment is the cornerstone of organizational power."
    response = client.get("/seeds/redbear_alignment/", {"q": quote, "where": "para 14"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<mark id="quote" tabindex="-1">{quote}</mark>' in html
    assert client.get("/seeds/no_such_seed/").status_code == 404


def test_the_debrief_shows_outcome_pareto_alignment_mistakes_and_exports(client, record):
    match, token = _finished_practice(record)
    _with_seat(client, match.pk, token)
    html = client.get(f"/play/{match.public_id}/debrief/").content.decode()
    for text in ("No deal", "Outcome against walking away", "Pareto frontier", "Nash", "Real 2025", "Organisational Alignment Index",
                 "The mistakes that cost most", "Leaderboard"):
        assert text in html, text
    assert "<svg" in html and 'role="img"' in html
    rows = list(csv.DictReader(io.StringIO(client.get(f"/play/{match.public_id}/debrief/export.csv").content.decode())))
    assert {r["team"] for r in rows} == {"us", "vn"} and all(r["result"] == "no_deal" for r in rows)
    data = client.get(f"/play/{match.public_id}/debrief/export.json").json()
    assert data["result"] == "no_deal" and set(data["score"]["alignment"]) == {"us", "vn"}


def test_a_running_games_debrief_sends_the_trainee_back_to_the_table(client, record):
    match, token = services.practice_create(scenario_record=record, team="vn", role_id="vn_trade")
    _with_seat(client, match.pk, token)
    assert client.get(f"/play/{match.public_id}/debrief/")["Location"] == f"/play/{match.public_id}/"


def test_the_facilitator_creates_a_workshop_watches_it_and_exports_every_table(fac, record):
    assert Client().get("/facilitator/")["Location"].startswith("/facilitator/login/")
    response = fac.post("/facilitator/", {
        "title": "Hanoi cohort", "scenario": "us_vietnam_2025", "tables": "3", "minutes_caucus": "8", "minutes_table": "12",
        "bot_us": "us_pragmatic", "bot_vn": "", "weight_outcome": "50", "weight_joint": "20", "weight_alignment": "30",
    })
    workshop = Workshop.objects.get()
    assert response["Location"] == f"/facilitator/w/{workshop.code}/"
    assert workshop.settings["phase_seconds"] == {"caucus": 480, "table": 720}
    assert workshop.settings["bots"] == {"us": "us_pragmatic"} and workshop.settings["weights"]["outcome"] == 0.5
    console = fac.get(response["Location"]).content.decode()
    assert workshop.code in console and "Start all" in console and "Push inject to all" in console
    assert fac.get(f"/facilitator/w/{workshop.code}/table/2/").status_code == 200
    assert "every table compared" in fac.get(f"/facilitator/w/{workshop.code}/debrief/").content.decode()
    rows = list(csv.DictReader(io.StringIO(fac.get(f"/facilitator/w/{workshop.code}/export.csv").content.decode())))
    assert len(rows) == 6 and {r["table"] for r in rows} == {"1", "2", "3"}
    assert len(fac.get(f"/facilitator/w/{workshop.code}/export.json").json()["tables"]) == 3
    bad = fac.post("/facilitator/", {"title": "x", "scenario": "us_vietnam_2025", "tables": "1",
                                     "weight_outcome": "50", "weight_joint": "50", "weight_alignment": "50"})
    assert bad.status_code == 400 and "add up to 100" in bad.content.decode()
    other = Client()
    other.force_login(get_user_model().objects.create_user(username="mallory"))
    assert other.get(f"/facilitator/w/{workshop.code}/").status_code == 404


def test_unknown_pages_use_the_friendly_404_template(client, settings, record):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "We could not find that page" in response.content.decode()


def test_a_hidden_persona_practice_asks_which_persona_it_was_in_the_debrief(client, record):
    response = client.post("/practice/", {"scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade", "persona": "hidden"})
    match = Match.objects.get(public_id=response["Location"].strip("/").split("/")[-1])
    persona = match.seats.get(role_id="us_treasury").persona
    while Match.objects.get(pk=match.pk).status != "finished":
        services.match_submit_move(match_id=match.pk, seat="vn_trade", move={"kind": "advance"})
    html = client.get(f"/play/{match.public_id}/debrief/").content.decode()
    assert "Which persona was playing United States?" in html
    assert html.count('name="persona"') == 3
    wrong = next(p for p in ("us_hardline", "us_pragmatic", "us_dealseeker") if p != persona)
    html = client.post(f"/play/{match.public_id}/debrief/", {"persona": wrong}).content.decode()
    assert "Not quite" in html and "It was" in html


def test_joining_again_from_the_same_browser_resumes_the_seat_instead_of_taking_a_second(client, fac, record):
    workshop = services.workshop_create(facilitator=fac.user, scenario_record=record, title="Cohort", tables=1)
    first = client.post(f"/join/{workshop.code}/", {"display_name": "Alice", "seat": "auto"})
    again = client.post(f"/join/{workshop.code}/", {"display_name": "Alice again", "seat": "auto"})
    assert first["Location"] == again["Location"]
    assert Match.objects.get(workshop=workshop).seats.filter(kind="human").count() == 1
