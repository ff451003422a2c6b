"""The HTTP endpoints a page calls: create a workshop, look up a code, take or resume a seat, move a
trainee, start a practice game. Errors are JSON with stable codes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from game import seat_cookies
from game.models import Match, Seat, Workshop
from game.services import CODE_ALPHABET, seat_token_hash

pytestmark = pytest.mark.django_db


def post(client, url, body, **extra):
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def fac(facilitator_user):
    client = Client()
    client.force_login(facilitator_user)
    return client


@pytest.fixture
def code(fac, record):
    response = post(fac, "/api/workshops/", {
        "title": "Hanoi cohort", "tables": 3,
        "settings": {"phase_seconds": {"caucus": 600, "table": 900}, "bots": {"us": "us_pragmatic", "vn": "vn_hardline"},
                     "weights": {"outcome": 0.5, "joint": 0.2, "alignment": 0.3}},
    })
    assert response.status_code == 201, response.content
    return response.json()["code"]


def test_a_facilitator_creates_a_workshop_with_a_short_unambiguous_code_and_a_link(fac, record):
    response = post(fac, "/api/workshops/", {"title": "Cohort", "tables": 2, "settings": {"bots": {"vn": "vn_dealseeker"}}})
    data = response.json()
    assert response.status_code == 201
    assert len(data["code"]) == 6 and set(data["code"]) <= set(CODE_ALPHABET) and not set(data["code"]) & set("01OI")
    workshop = Workshop.objects.get(code=data["code"])
    assert data["link"].endswith(f"/join/{data['code']}/") and data["ws_url"].endswith(f"/ws/workshop/{workshop.public_id}/")
    assert data["id"] == workshop.public_id and not data["id"].isdigit()  # no walkable ids in what the API hands out
    assert [t["table"] for t in data["tables"]] == [1, 2]
    assert Match.objects.filter(workshop=workshop, mode="workshop").count() == 2
    kinds = {(s["team"], s["kind"]) for s in data["seats"]}
    assert kinds == {("us", "empty"), ("vn", "bot")}


def test_workshop_creation_needs_a_signed_in_facilitator_and_valid_settings(record, fac):
    anonymous = post(Client(), "/api/workshops/", {"tables": 1})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "auth/login_required"
    for body, field in (
        ({"tables": 0}, "tables"),
        ({"tables": 1, "settings": {"bots": {"us": "vn_hardline"}}}, "bots"),
        ({"tables": 1, "settings": {"weights": {"outcome": 1, "joint": 1, "alignment": 1}}}, "settings"),
        ({"tables": 1, "settings": {"phase_seconds": {"lunch": 60}}}, "settings"),
        ({"tables": 1, "colour": "red"}, "colour"),
    ):
        response = post(fac, "/api/workshops/", body)
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "request/invalid"
        assert field in json.dumps(response.json()), (body, response.json())


def test_join_codes_are_checked_with_clear_errors(code, client):
    assert client.get(f"/api/join/{code.lower()}/").status_code == 200  # case and dashes do not matter
    assert client.get(f"/api/join/{code[:3]}-{code[3:]}/").status_code == 200
    bad = client.get("/api/join/AB0O1I/").json()["error"]
    assert bad["code"] == "workshop/bad_code" and "0, O, 1 or I" in bad["message"]
    unknown = client.get("/api/join/ZZZZZZ/")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "workshop/not_found"
    Workshop.objects.filter(code=code).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(f"/api/join/{code}/")
    assert expired.status_code == 410 and expired.json()["error"]["code"] == "workshop/expired"
    assert post(client, f"/api/join/{code}/seat/", {"display_name": "Late"}).json()["error"]["code"] == "workshop/expired"


def test_a_closed_workshop_refuses_joins(code, fac, client):
    assert post(fac, f"/api/workshops/{code}/close/", {}).status_code == 200
    assert client.get(f"/api/join/{code}/").json()["error"]["code"] == "workshop/closed"


def test_a_trainee_takes_a_named_seat_and_the_browser_resumes_it(code, client):
    info = client.get(f"/api/join/{code}/").json()
    assert "settings" not in info and all(s["free"] for s in info["seats"])
    taken = post(client, f"/api/join/{code}/seat/", {"display_name": "  Alice   Nguyen ", "table": 2, "role_id": "us_commerce"})
    assert taken.status_code == 201
    seat = taken.json()
    assert (seat["table"], seat["role_id"], seat["team"], seat["display_name"]) == (2, "us_commerce", "us", "Alice Nguyen")
    match = Match.objects.get(public_id=seat["match_id"])
    assert seat["ws_url"].endswith(f"/ws/match/{match.public_id}/") and seat["url"].endswith(f"/play/{match.public_id}/")
    # The secret travels only in the HttpOnly seat cookie: never in the JSON a script can read.
    assert "token" not in seat
    cookie = taken.cookies[seat_cookies.cookie_name(match.pk)]
    assert cookie["httponly"]
    token = seat_cookies.token_in({cookie.key: cookie.value}, match.pk)
    stored = Seat.objects.get(match=match, role_id="us_commerce")
    assert stored.token_hash == seat_token_hash(token) and token not in stored.token_hash  # only the hash is kept
    # Reopening the page: the signed cookie brings back the same seat, never a second one.
    me = client.get(f"/api/join/{code}/me/").json()
    assert (me["match_id"], me["role_id"], me["resumed"]) == (seat["match_id"], "us_commerce", True) and "token" not in me
    again = post(client, f"/api/join/{code}/seat/", {"display_name": "Alice"})
    assert again.status_code == 200 and again.json()["role_id"] == "us_commerce" and again.json()["resumed"]
    # A bare secret is no credential: neither as a header nor as an unsigned cookie.
    assert Client().get(f"/api/join/{code}/me/", HTTP_X_SEAT_TOKEN=token).status_code == 404
    unsigned = Client()
    unsigned.cookies[cookie.key] = token
    assert unsigned.get(f"/api/join/{code}/me/").status_code == 404
    # Somebody else cannot take it, and has no seat to resume.
    other = Client()
    taken_twice = post(other, f"/api/join/{code}/seat/", {"display_name": "Mallory", "table": 2, "role_id": "us_commerce"})
    assert taken_twice.status_code == 409 and taken_twice.json()["error"]["code"] == "seat/taken"
    assert other.get(f"/api/join/{code}/me/").json()["error"]["code"] == "seat/not_found"
    assert Client().get(f"/api/join/{code}/me/", HTTP_X_SEAT_TOKEN="forged").status_code == 404


def test_auto_seating_balances_tables_then_teams(code):
    seats = []
    for i in range(7):
        response = post(Client(), f"/api/join/{code}/seat/", {"display_name": f"T{i}"})
        assert response.status_code == 201
        seats.append((response.json()["table"], response.json()["team"]))
    assert [t for t, _ in seats] == [1, 2, 3, 1, 2, 3, 1]
    assert [team for t, team in seats if t == 1] == ["us", "vn", "us"]


def test_the_facilitator_moves_a_trainee_and_her_secret_follows(code, fac, client):
    seat = post(client, f"/api/join/{code}/seat/", {"display_name": "Alice", "table": 1, "role_id": "us_commerce"}).json()
    moved = post(fac, f"/api/workshops/{code}/move-seat/", {"from_table": 1, "from_role": "us_commerce", "to_table": 3, "to_role": "vn_trade"})
    assert moved.status_code == 200, moved.content
    me = client.get(f"/api/join/{code}/me/").json()
    assert (me["table"], me["role_id"], me["display_name"]) == (3, "vn_trade", "Alice")
    old = Seat.objects.get(match__public_id=seat["match_id"], role_id="us_commerce")
    assert (old.kind, old.persona, old.token_hash) == ("bot", "us_pragmatic", "")  # a bot takes the empty seat back
    assert post(fac, f"/api/workshops/{code}/move-seat/", {"from_table": 1, "from_role": "us_commerce", "to_table": 3, "to_role": "vn_trade"}).json()["error"]["code"] == "seat/empty"
    # Only the workshop's facilitator may move people.
    assert post(client, f"/api/workshops/{code}/move-seat/", {"from_table": 3, "from_role": "vn_trade", "to_table": 1, "to_role": "us_ustr"}).status_code == 401


def test_practice_game_in_one_call(record, client):
    response = post(client, "/api/practice/", {"team": "vn", "role_id": "vn_trade", "persona_id": "easy", "display_name": "Lan", "seed": 5})
    assert response.status_code == 201, response.content
    data = response.json()
    match = Match.objects.get(public_id=data["match_id"])
    assert match.mode == "practice" and match.setup["pacers"] == ["vn_trade"] and "token" not in data
    held = seat_cookies.token_in({k: m.value for k, m in response.cookies.items()}, match.pk)
    assert Seat.objects.get(match=match, role_id="vn_trade").token_hash == seat_token_hash(held)
    assert set(Seat.objects.filter(match=match).exclude(role_id="vn_trade").values_list("persona", flat=True)) == {"us_dealseeker", "vn_dealseeker"}
    wrong = post(client, "/api/practice/", {"team": "vn", "role_id": "us_ustr"}).json()["error"]
    assert wrong["code"] == "practice/bad_role" and "vn_trade" in wrong["message"]
    assert post(client, "/api/practice/", {"team": "us", "role_id": "us_ustr", "persona_id": "nobody"}).json()["error"]["code"] == "request/invalid"
    not_json = client.post("/api/practice/", {"team": "us"})
    assert not_json.status_code == 415


def test_facilitator_sign_up_and_sign_in_pages_exist(client, record):
    assert client.get("/facilitator/login/").status_code == 200
    assert client.get("/facilitator/signup/").status_code == 200
    response = client.post("/facilitator/signup/", {"username": "trainer", "password1": "a-fine-passphrase-9", "password2": "a-fine-passphrase-9"})
    assert response.status_code == 302
    assert post(client, "/api/workshops/", {"tables": 1}).status_code == 201  # signed in right away
