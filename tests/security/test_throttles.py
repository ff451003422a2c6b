"""Throttles per address and per browser: join-code lookups, seat claims, practice games, sign-up and
sign-in (django-axes locks a username out after repeated wrong passwords). A refused request is a
429 with Retry-After and a message that says when to try again; other addresses are not affected."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game.models import Match
from game.services import workshop_create
from tests.security.conftest import join_page

pytestmark = pytest.mark.django_db


def _limit(settings, action: str, limit: int, period: int = 60) -> None:
    settings.THROTTLES = {**settings.THROTTLES, action: {**settings.THROTTLES[action], "limit": limit, "period": period}}


def _assert_refused(response) -> None:
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 1 <= retry <= 3600
    assert "Try again in" in response.content.decode()


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="W", tables=2)


def test_join_code_lookups_are_throttled_per_address(workshop, settings):
    _limit(settings, "join_lookup", 5)
    client = Client()
    answers = [client.get("/join/ZZZZZZ/", REMOTE_ADDR="10.1.1.1").status_code for _ in range(5)]
    assert answers == [404] * 5
    _assert_refused(client.get(f"/join/{workshop.code}/", REMOTE_ADDR="10.1.1.1"))  # even a right code
    _assert_refused(Client().get(f"/join/{workshop.code}/", REMOTE_ADDR="10.1.1.1"))  # and from another browser
    assert Client().get(f"/join/{workshop.code}/", REMOTE_ADDR="10.1.1.2").status_code == 200


def test_seat_claims_are_throttled_per_browser_and_per_address(workshop, settings):
    _limit(settings, "seat_claim_client", 2)
    _limit(settings, "seat_claim", 4)
    one = Client()
    one.get(f"/join/{workshop.code}/", REMOTE_ADDR="10.2.0.1")  # the page gives the browser its client id
    for name in ("A", "B"):  # the second is refused (one seat per person) but still counts
        join_page(one, workshop.code, name, REMOTE_ADDR="10.2.0.1")
    _assert_refused(join_page(one, workshop.code, "C", REMOTE_ADDR="10.2.0.1"))
    # Fresh browsers from the same address run into the address's limit.
    join_page(Client(), workshop.code, "D", REMOTE_ADDR="10.2.0.1")
    _assert_refused(join_page(Client(), workshop.code, "E", REMOTE_ADDR="10.2.0.1"))
    _assert_refused(join_page(Client(), workshop.code, "F", REMOTE_ADDR="10.2.0.1"))
    assert join_page(Client(), workshop.code, "G", REMOTE_ADDR="10.2.0.9").status_code == 302


def test_practice_games_are_throttled_and_a_refused_one_creates_nothing(record, settings):
    _limit(settings, "practice_create", 3, period=600)
    form = {"scenario": "us_vietnam_2025", "team": "vn", "role_id": "vn_trade", "persona": "us_pragmatic"}
    for _ in range(3):
        assert Client().post("/practice/", form, REMOTE_ADDR="10.3.0.1").status_code == 302
    before = Match.objects.count()
    _assert_refused(Client().post("/practice/", form, REMOTE_ADDR="10.3.0.1"))
    assert Match.objects.count() == before
    assert Client().post("/practice/", form, REMOTE_ADDR="10.3.0.2").status_code == 302


def test_wrong_passwords_lock_the_facilitator_account_out_with_a_clear_message(settings):
    get_user_model().objects.create_user("trainer", password="the-right-passphrase-1")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post("/facilitator/login/", {"username": "trainer", "password": "guess"}, REMOTE_ADDR="10.4.0.1")
        assert wrong.status_code == 200  # the usual "wrong password" form
    locked = client.post("/facilitator/login/", {"username": "trainer", "password": "guess"}, REMOTE_ADDR="10.4.0.1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert "Sign-in is locked for 15 minutes" in locked.content.decode()
    # Locked means locked: the right password is refused too, and nobody is signed in.
    right = client.post("/facilitator/login/", {"username": "trainer", "password": "the-right-passphrase-1"}, REMOTE_ADDR="10.4.0.1")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # The same account from another address still signs in.
    other = Client()
    assert other.post("/facilitator/login/", {"username": "trainer", "password": "the-right-passphrase-1"}, REMOTE_ADDR="10.4.0.2").status_code == 302


def test_sign_in_attempts_and_sign_ups_are_throttled_per_address(settings):
    _limit(settings, "login", 3, period=600)
    _limit(settings, "signup", 1, period=3600)
    for i in range(3):
        Client().post("/facilitator/login/", {"username": f"user{i}", "password": "x"}, REMOTE_ADDR="10.5.0.1")
    _assert_refused(Client().post("/facilitator/login/", {"username": "user9", "password": "x"}, REMOTE_ADDR="10.5.0.1"))
    good = {"username": "newtrainer", "password1": "a-fine-passphrase-9", "password2": "a-fine-passphrase-9"}
    assert Client().post("/facilitator/signup/", good, REMOTE_ADDR="10.5.0.2").status_code == 302
    again = {**good, "username": "another"}
    _assert_refused(Client().post("/facilitator/signup/", again, REMOTE_ADDR="10.5.0.2"))
    assert not get_user_model().objects.filter(username="another").exists()


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_counted(workshop, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    _limit(settings, "join_lookup", 2)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        Client().get(f"/join/{workshop.code}/", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    _assert_refused(Client().get(f"/join/{workshop.code}/", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy))
    # A client cannot dodge the count by prepending addresses of its own: the proxy's entry is the last.
    _assert_refused(Client().get(f"/join/{workshop.code}/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", **proxy))
    assert Client().get(f"/join/{workshop.code}/", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 200
