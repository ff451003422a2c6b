"""The pages that hand out seats: a facilitator creates a workshop, a trainee looks up its code, takes
or resumes a seat, the facilitator moves her, a trainee starts a practice game -- whose bots wake as
soon as it starts. Every refusal is a page that says what went wrong, and changes nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator
from django.core.asgi import get_asgi_application
from django.test import Client
from django.utils import timezone

from game import seat_cookies
from game.engine import parse_move
from game.models import Match, MatchEvent, Seat, Workshop
from game.services import CODE_ALPHABET, seat_token_hash, workshop_create

pytestmark = pytest.mark.django_db

WORKSHOP_FORM = {
    "title": "Hanoi cohort", "scenario": "us_vietnam_2025", "tables": 3, "weight_outcome": 50, "weight_joint": 20,
    "weight_alignment": 30, "minutes_caucus": 10, "minutes_table": 15, "bot_us": "us_pragmatic", "bot_vn": "vn_hardline",
}


@pytest.fixture
def fac(facilitator_user):
    client = Client()
    client.force_login(facilitator_user)
    return client


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="Hanoi cohort", tables=3,
                           settings={"bots": {"us": "us_pragmatic", "vn": "vn_hardline"}})


def _secret(client: Client, match: Match) -> str | None:
    return seat_cookies.held_in({k: m.value for k, m in client.cookies.items()}).get(match.pk)


def _take(client: Client, code: str, name: str, seat: str = "auto"):
    return client.post(f"/join/{code}/", {"display_name": name, "seat": seat})


def _table_of(response) -> Match:
    match = re.fullmatch(r"/play/([A-Za-z0-9_-]+)/", response["Location"])
    assert match, response["Location"]
    return Match.objects.get(public_id=match[1])


def test_a_facilitator_creates_a_workshop_with_a_short_unambiguous_code_and_a_link(fac, record):
    response = fac.post("/facilitator/", {**WORKSHOP_FORM, "tables": 2, "bot_us": ""})
    assert response.status_code == 302, response.content
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET) and not set(code) & set("01OI")
    workshop = Workshop.objects.get(code=code)
    assert Match.objects.filter(workshop=workshop, mode="workshop").count() == 2
    assert set(Seat.objects.filter(match__workshop=workshop).values_list("team", "kind")) == {("us", "empty"), ("vn", "bot")}
    console = fac.get(response["Location"]).content.decode()
    assert f"/join/{code}/" in console and f"/ws/workshop/{workshop.public_id}/" in console


def test_workshop_creation_needs_a_signed_in_facilitator_and_valid_settings(fac, record):
    anonymous = Client().post("/facilitator/", WORKSHOP_FORM)
    assert anonymous.status_code == 302 and "/facilitator/login/" in anonymous["Location"]
    for change, message in (
        ({"tables": 0}, "greater than or equal to 1"),
        ({"weight_joint": 50}, "must add up to 100%"),
        ({"tables": 999}, "A workshop has at most 30 tables."),
    ):
        response = fac.post("/facilitator/", {**WORKSHOP_FORM, **change})
        assert response.status_code == 400 and message in response.content.decode(), change
    assert not Workshop.objects.exists()


def test_join_codes_are_checked_with_clear_messages(workshop, client):
    code = workshop.code
    # Case and dashes do not matter.
    assert client.get("/join/", {"code": code.lower()})["Location"] == f"/join/{code}/"
    assert client.get("/join/", {"code": f"{code[:3]}-{code[3:]}"})["Location"] == f"/join/{code}/"
    assert client.get(f"/join/{code.lower()}/").status_code == 200
    bad = client.get("/join/", {"code": "AB0O1I"})
    assert bad.status_code == 400 and "0, O, 1 or I" in bad.content.decode()
    unknown = client.get("/join/ZZZZZZ/")
    assert unknown.status_code == 404 and "No workshop has the code ZZZZZZ" in unknown.content.decode()
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(f"/join/{code}/")
    assert expired.status_code == 410 and "has expired. Ask your facilitator for a new one." in expired.content.decode()
    late = _take(client, code, "Late")
    assert late.status_code == 410 and not Seat.objects.filter(match__workshop=workshop, kind="human").exists()


def test_a_closed_workshop_refuses_joins(workshop, client):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    page = client.get(f"/join/{workshop.code}/")
    assert page.status_code == 410 and f"The workshop {workshop.code} has ended." in page.content.decode()
    assert _take(client, workshop.code, "Alice").status_code == 410
    assert not Seat.objects.filter(match__workshop=workshop, kind="human").exists()


def test_a_trainee_takes_a_named_seat_and_the_browser_resumes_it(workshop):
    code, client = workshop.code, Client()
    assert 'value="2:us_commerce"' in client.get(f"/join/{code}/").content.decode()
    taken = _take(client, code, "  Alice   Nguyen ", "2:us_commerce")
    match = _table_of(taken)
    assert match.table_no == 2
    stored = Seat.objects.get(match=match, role_id="us_commerce")
    assert (stored.kind, stored.team, stored.display_name) == ("human", "us", "Alice Nguyen")
    # The secret travels only in the HttpOnly seat cookie, and only its hash is stored.
    cookie = taken.cookies[seat_cookies.cookie_name(match.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    secret = _secret(client, match)
    assert stored.token_hash == seat_token_hash(secret) and secret not in taken.content.decode()
    # Reopening the join page offers the same seat back; asking again never gives a second one.
    again = client.get(f"/join/{code}/").content.decode()
    assert "Go back to your table" in again and f"/play/{match.public_id}/" in again
    assert _table_of(_take(client, code, "Alice", "3:vn_trade")) == match
    assert Seat.objects.filter(match__workshop=workshop, kind="human").count() == 1
    assert client.get(f"/play/{match.public_id}/").status_code == 200


def test_a_bare_or_forged_secret_opens_no_seat(workshop):
    client = Client()
    match = _table_of(_take(client, workshop.code, "Alice", "2:us_commerce"))
    secret = _secret(client, match)
    table = f"/play/{match.public_id}/"
    # Not in the URL, not as a header, not as an unsigned cookie, not under a forged signature.
    assert Client().get(f"{table}?{urlencode({'token': secret})}").status_code == 403
    assert Client().get(table, HTTP_X_SEAT_TOKEN=secret).status_code == 403
    for value in (secret, f"{secret}:forged-signature"):
        stranger = Client()
        stranger.cookies[seat_cookies.cookie_name(match.pk)] = value
        assert stranger.get(table).status_code == 403
        assert "Go back to your table" not in stranger.get(f"/join/{workshop.code}/").content.decode()


def test_somebody_else_cannot_take_a_held_seat(workshop):
    _take(Client(), workshop.code, "Alice", "2:us_commerce")
    mallory = Client()
    refused = mallory.post(f"/join/{workshop.code}/", {"display_name": "Mallory", "seat": "2:us_commerce"}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 400 and "That seat is taken; choose another one." in refused.content.decode()
    assert Seat.objects.get(match__workshop=workshop, match__table_no=2, role_id="us_commerce").display_name == "Alice"
    assert "Go back to your table" not in mallory.get(f"/join/{workshop.code}/").content.decode()


def test_auto_seating_balances_tables_then_teams(workshop):
    seats = [_table_of(_take(Client(), workshop.code, f"T{i}")) for i in range(7)]
    assert [m.table_no for m in seats] == [1, 2, 3, 1, 2, 3, 1]
    humans = Seat.objects.filter(match__workshop=workshop, match__table_no=1, kind="human").order_by("claimed_at")
    assert [s.team for s in humans] == ["us", "vn", "us"]


def test_only_the_workshops_facilitator_moves_a_trainee_and_her_secret_follows(workshop, fac, facilitator_user):
    alice = Client()
    first = _table_of(_take(alice, workshop.code, "Alice", "1:us_commerce"))
    move = {"seat": "1:us_commerce", "action": "move", "to": "3:vn_trade"}
    # A trainee, a stranger and another workshop's facilitator cannot; nothing moves.
    other = Client()
    other.force_login(type(facilitator_user).objects.create_user(username="another-trainer"))
    for client in (alice, Client(), other):
        client.post(f"/facilitator/w/{workshop.code}/seats/", move)
    assert Seat.objects.get(match=first, role_id="us_commerce").display_name == "Alice"
    moved = fac.post(f"/facilitator/w/{workshop.code}/seats/", move)
    assert "seats=moved" in moved["Location"]
    third = Match.objects.get(workshop=workshop, table_no=3)
    assert alice.get(f"/play/{third.public_id}/").status_code == 200 and alice.get(f"/play/{first.public_id}/").status_code == 403
    old = Seat.objects.get(match=first, role_id="us_commerce")
    assert (old.kind, old.persona, old.token_hash) == ("bot", "us_pragmatic", "")  # a bot takes the empty seat back
    again = fac.post(f"/facilitator/w/{workshop.code}/seats/", move, follow=True)
    assert "Nobody sits in that seat any more." in again.content.decode()


def test_a_practice_game_starts_from_one_form(record, client):
    before = Match.objects.count()
    response = client.post("/practice/", {"scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade",
                                          "persona": "us_dealseeker", "display_name": "Lan"})
    match = _table_of(response)
    assert match.mode == "practice" and match.setup["pacers"] == ["vn_trade"] and match.status == "running"
    assert Seat.objects.get(match=match, role_id="vn_trade").token_hash == seat_token_hash(_secret(client, match))
    others = Seat.objects.filter(match=match).exclude(role_id="vn_trade")
    assert {s.kind for s in others} == {"bot"} and {s.persona for s in others if s.team == "us"} == {"us_dealseeker"}
    assert Match.objects.count() == before + 1


@pytest.mark.parametrize(("change", "message"), [
    ({"role_id": "us_ustr"}, "is not a role of vn"),
    ({"persona": "nobody"}, "nobody"),
    ({"team": "fr"}, "Choose the United States or Vietnam."),
    ({"display_name": "x" * 41}, "Choose a team, a role and an opponent."),
])
def test_a_practice_form_with_a_wrong_choice_says_so_and_starts_nothing(record, client, change, message):
    form = {"scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade", "persona": "us_dealseeker", **change}
    response = client.post("/practice/", form)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Match.objects.exists() and not any(n.startswith(seat_cookies.PREFIX) for n in response.cookies)


def test_a_new_facilitator_is_signed_in_right_away(record, client):
    assert client.get("/facilitator/login/").status_code == 200 and client.get("/facilitator/signup/").status_code == 200
    response = client.post("/facilitator/signup/", {"username": "trainer", "password1": "a-fine-passphrase-9", "password2": "a-fine-passphrase-9"})
    assert response.status_code == 302
    assert client.post("/facilitator/", WORKSHOP_FORM).status_code == 302 and Workshop.objects.filter(facilitator__username="trainer").exists()


# --- the practice page's start reaches the bots --------------------------------------------------------
def greeting_bot(scenario, state, events, seat, persona_id, seed, now):
    """Each bot of the trainee's team says hello once, in any phase (briefing included)."""
    if any(e.actor == seat for e in events) or seat.split("_", 1)[0] != "vn":
        return None
    return parse_move({"kind": "team_chat", "text": "Welcome to the team."})


async def _page(method: str, path: str, body: bytes = b"", cookies: str = "") -> dict:
    headers = [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/x-www-form-urlencoded")]
    if cookies:
        headers.append((b"cookie", cookies.encode()))
    # A handler built now, so its middleware reads this test's settings (the session engine).
    return await HttpCommunicator(get_asgi_application(), method, path, body=body, headers=headers).get_response(timeout=20)


@pytest.mark.django_db(transaction=True)
async def test_a_practice_games_bots_wake_when_the_page_starts_it_before_any_socket_opens(record, settings, sockets):
    settings.REALTIME_BOT_DECIDE = f"{__name__}.greeting_bot"
    # The bots write while the page's response saves its session. The test database is SQLite's shared
    # in-memory cache, where a second writer fails at once ("database table is locked") instead of
    # waiting its turn as on the served database file: this test keeps its session in a signed cookie.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    form = await _page("GET", "/practice/")
    jar = "; ".join(v.decode().split(";", 1)[0] for k, v in form["headers"] if k == b"Set-Cookie")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form["body"])[1].decode()
    body = urlencode({"csrfmiddlewaretoken": csrf, "scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade",
                      "persona": "us_dealseeker", "display_name": "Lan"}).encode()
    started = await _page("POST", "/practice/", body, jar)
    assert started["status"] == 302, started["body"][:500]
    match = await database_sync_to_async(Match.objects.get)(mode="practice")
    for _ in range(100):  # the bots take turns, each after the move before
        greeted = await database_sync_to_async(
            lambda: set(MatchEvent.objects.filter(match=match, type="chat_posted").values_list("actor", flat=True))
        )()
        if len(greeted) == 4:
            break
        await asyncio.sleep(0.05)
    assert greeted == {"vn_leader", "vn_agriculture", "vn_finance", "vn_exporters"}  # no socket was ever opened
