"""One seat per person per workshop: a browser that holds a seat gets no second one (its client id is
checked by the server, not only its seat cookie), a network holds at most the workshop's cap, and the
facilitator frees or moves seats from the console."""

from __future__ import annotations

import pytest
from django.test import Client

from game.models import Match, Seat
from game.services import workshop_create
from tests.security.conftest import join_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="Hanoi", tables=2,
                           settings={"bots": {"us": "us_pragmatic"}})


def _claim(client: Client, code: str, name: str, addr: str = "10.0.0.1", seat: str = "auto"):
    return join_page(client, code, name, seat, REMOTE_ADDR=addr)


def _outcome(response) -> str:
    """"seated", or the page's message."""
    if response.status_code == 302:
        return "seated"
    assert response.status_code == 400, response.status_code
    return response.content.decode().split("<strong>Not seated.</strong>", 1)[1].split("</div>", 1)[0].strip()


def _drop_seat_cookies(client: Client) -> None:
    for name in [n for n in client.cookies if n.startswith("ng_m")]:
        del client.cookies[name]


def test_a_browser_that_dropped_its_seat_cookie_cannot_take_the_other_teams_seat(workshop):
    alice = Client()
    assert _outcome(_claim(alice, workshop.code, "Alice", seat="1:us_commerce")) == "seated"
    _drop_seat_cookies(alice)
    second = _outcome(_claim(alice, workshop.code, "Alice", seat="1:vn_trade"))
    assert "This browser already holds a seat in this workshop (table 1). One seat per person" in second
    assert Seat.objects.filter(match__workshop=workshop, kind="human").count() == 1


def test_dropping_every_cookie_still_meets_the_per_network_cap(workshop, settings):
    settings.WORKSHOP_SEATS_PER_NETWORK = 3
    outcomes = [_outcome(_claim(Client(), workshop.code, f"Sock {i}")) for i in range(5)]
    assert outcomes[:3] == ["seated"] * 3
    assert all(o.startswith("3 seats of this workshop are already held from your network") for o in outcomes[3:])
    # Another network is not affected, and the message says what to do.
    assert _outcome(_claim(Client(), workshop.code, "Binh", addr="10.0.0.2")) == "seated"
    assert "ask your facilitator to raise the limit" in _outcome(_claim(Client(), workshop.code, "Sock 6"))
    assert Seat.objects.filter(match__workshop=workshop, kind="human").count() == 4


def test_the_facilitator_raises_the_network_cap_from_the_console_mid_workshop(workshop, facilitator_user, settings):
    settings.WORKSHOP_SEATS_PER_NETWORK = 1
    assert _outcome(_claim(Client(), workshop.code, "First")) == "seated"
    assert "the most one network may hold" in _outcome(_claim(Client(), workshop.code, "Second"))
    fac = Client()
    fac.force_login(facilitator_user)
    assert 'name="seats_per_network"' in fac.get(f"/facilitator/w/{workshop.code}/").content.decode()
    bad = fac.post(f"/facilitator/w/{workshop.code}/seats/", {"action": "cap", "seats_per_network": "lots"}, follow=True)
    assert "a number from 1 to 1000" in bad.content.decode()
    saved = fac.post(f"/facilitator/w/{workshop.code}/seats/", {"action": "cap", "seats_per_network": "40"})
    assert "seats=cap" in saved["Location"]
    assert _outcome(_claim(Client(), workshop.code, "Second")) == "seated"
    # Only the workshop's facilitator can change it.
    Client().post(f"/facilitator/w/{workshop.code}/seats/", {"action": "cap", "seats_per_network": "1000"})
    workshop.refresh_from_db()
    assert workshop.settings["seats_per_network"] == 40


def test_one_client_cannot_claim_every_free_seat_and_a_workshop_may_raise_its_cap(record, facilitator_user):
    big = workshop_create(facilitator=facilitator_user, scenario_record=record, title="Venue", tables=2,
                          settings={"seats_per_network": 15})
    seated = sum(_outcome(_claim(Client(), big.code, f"T{i}", addr="10.9.9.9")) == "seated" for i in range(18))
    assert seated == 15  # the room's Wi-Fi gets what the facilitator allowed, not every seat


def test_the_facilitator_frees_and_moves_seats_from_the_console(workshop, facilitator_user):
    alice, bao = Client(), Client()
    _claim(alice, workshop.code, "Alice", seat="1:us_commerce")
    _claim(bao, workshop.code, "Bao", addr="10.0.0.3", seat="1:vn_trade")
    fac = Client()
    fac.force_login(facilitator_user)
    console = fac.get(f"/facilitator/w/{workshop.code}/").content.decode()
    assert 'value="1:us_commerce"' in console and "Free the seat" in console and "Alice" in console
    # A trainee (or a stranger) cannot use the control.
    assert alice.post(f"/facilitator/w/{workshop.code}/seats/", {"seat": "1:vn_trade", "action": "free"}).status_code == 302
    assert Seat.objects.get(match__table_no=1, match__workshop=workshop, role_id="vn_trade").kind == "human"
    moved = fac.post(f"/facilitator/w/{workshop.code}/seats/", {"seat": "1:us_commerce", "action": "move", "to": "2:us_ustr"})
    assert moved.status_code == 302 and "seats=moved" in moved["Location"]
    old = Seat.objects.get(match__workshop=workshop, match__table_no=1, role_id="us_commerce")
    new = Seat.objects.get(match__workshop=workshop, match__table_no=2, role_id="us_ustr")
    assert (old.kind, old.persona, old.token_hash) == ("bot", "us_pragmatic", "") and (new.kind, new.display_name) == ("human", "Alice")
    table2 = Match.objects.get(workshop=workshop, table_no=2)
    assert alice.get(f"/play/{table2.public_id}/").status_code == 200  # her browser follows
    freed = fac.post(f"/facilitator/w/{workshop.code}/seats/", {"seat": "1:vn_trade", "action": "free"})
    assert "seats=freed" in freed["Location"]
    seat = Seat.objects.get(match__workshop=workshop, match__table_no=1, role_id="vn_trade")
    assert (seat.kind, seat.display_name, seat.token_hash, seat.client_hash) == ("empty", "", "", "")
    table1 = Match.objects.get(workshop=workshop, table_no=1)
    assert bao.get(f"/play/{table1.public_id}/").status_code == 403
    # Freed, Bao may join again (his browser holds no seat in the workshop any more).
    assert _outcome(_claim(bao, workshop.code, "Bao", addr="10.0.0.3")) == "seated"
    nobody = fac.post(f"/facilitator/w/{workshop.code}/seats/", {"seat": "2:vn_leader", "action": "free"}, follow=True)
    assert "Nobody sits in that seat" in nobody.content.decode()
