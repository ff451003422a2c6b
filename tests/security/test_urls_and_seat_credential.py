"""No walkable ids and no leaked secrets: a table's URL takes an unguessable public id, a visitor
without a seat is refused (never sent to the join page, which would reveal the workshop's code), and
the seat's secret is neither in the page nor in the socket URL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from game import seat_cookies
from game.models import Match
from game.services import workshop_create
from tests.security.conftest import join_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="Hanoi", tables=3)


def _join(client: Client, code: str, seat: str) -> Match:
    """Take a seat through the join page; the table it leads to."""
    response = join_page(client, code, "Alice", seat)
    assert response.status_code == 302, response.content
    return Match.objects.get(public_id=response["Location"].split("/")[2])


def _secret(client: Client, match: Match) -> str | None:
    return seat_cookies.held_in({k: m.value for k, m in client.cookies.items()}).get(match.pk)


def test_a_visitor_without_a_seat_is_refused_and_never_learns_the_join_code(workshop):
    for table in Match.objects.filter(workshop=workshop):
        response = Client().get(f"/play/{table.public_id}/")
        assert response.status_code == 403
        assert workshop.code not in response.content.decode() and "Location" not in response
        # Nor through the debrief or its exports.
        for path in (f"/play/{table.public_id}/debrief/", f"/play/{table.public_id}/debrief/export.csv"):
            answer = Client().get(path)
            assert answer.status_code == 403 and workshop.code not in answer.content.decode()


def test_sequential_ids_open_nothing(workshop):
    match = _join(client := Client(), workshop.code, "1:us_commerce")
    assert len(match.public_id) >= 20 and not match.public_id.isdigit()
    # Even the seat holder: the integer key is not an address of anything.
    for path in (f"/play/{match.pk}/", f"/play/{match.pk}/debrief/", f"/replays/{match.pk}/", f"/replays/{match.pk}/export.json"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/play/{match.public_id}/").status_code == 200


def test_the_table_page_holds_no_seat_secret_and_its_socket_url_carries_none(workshop):
    client = Client()
    match = _join(client, workshop.code, "2:vn_trade")
    token = _secret(client, match)
    assert token and len(token) >= 40
    page = client.get(f"/play/{match.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and token not in html
    config = json.loads(html.split('id="table-config" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert "token" not in config and "?" not in config["ws_path"]
    cookie = client.cookies[seat_cookies.cookie_name(match.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_moved_trainee_opens_the_new_table_with_the_secret_she_holds(workshop, facilitator_user):
    from game.services import seat_move

    client = Client()
    old = _join(client, workshop.code, "1:us_commerce")
    seat_move(workshop=workshop, from_table=1, from_role="us_commerce", to_table=3, to_role="vn_leader")
    new = Match.objects.get(workshop=workshop, table_no=3)
    assert client.get(f"/play/{old.public_id}/").status_code == 403
    assert _secret(client, new) is None  # she arrives with her old table's cookie only
    page = client.get(f"/play/{new.public_id}/")
    assert page.status_code == 200
    # The page sets the new table's cookie, which is what its socket reads.
    assert _secret(client, new) == _secret(client, old)


@pytest.mark.parametrize("path", ["/play/%00/", "/play/a%20b/debrief/", "/replays/%00/", "/join/%00/", "/join/a%27b/", "/r/%00/"])
def test_an_id_outside_the_public_alphabet_is_not_found_before_any_query(client, path, django_assert_num_queries):
    # A NUL byte or a quote never reaches the database (PostgreSQL refuses NUL in a string with an error).
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 404
