"""One access policy (game.access) for the pages, the replays and the sockets: the same browser is the
same trainee to a page and to a socket; a facilitator runs only her own workshops; every refusal says
nothing about what exists and changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from game import access, seat_cookies
from game.models import Match, Seat
from game.services import match_submit_move, workshop_create
from tests.security.conftest import join_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(record, facilitator_user):
    return workshop_create(facilitator=facilitator_user, scenario_record=record, title="Hanoi", tables=2)


@pytest.fixture
def other_trainer():
    client = Client()
    client.force_login(get_user_model().objects.create_user(username="other-trainer"))
    return client


def _seated(workshop, seat: str = "1:us_commerce") -> tuple[Client, Match]:
    client = Client()
    response = join_page(client, workshop.code, "Alice", seat)
    return client, Match.objects.get(public_id=response["Location"].split("/")[2])


def _request(client: Client):
    request = RequestFactory().get("/")
    request.COOKIES = {k: m.value for k, m in client.cookies.items()}
    request.user = AnonymousUser()
    return request


def _scope(client: Client) -> dict:
    jar = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
    return {"type": "websocket", "headers": [(b"cookie", jar.encode())]}


def test_a_page_and_a_socket_see_the_same_trainee_in_the_same_cookies(workshop):
    client, match = _seated(workshop)
    by_page, by_socket = access.seat_for(_request(client), match), access.seat_for(_scope(client), match)
    assert by_page == by_socket and (by_page.role_id, by_page.display_name) == ("us_commerce", "Alice")
    other_table = Match.objects.get(workshop=workshop, table_no=2)
    assert access.seat_for(_request(client), other_table) is None and access.seat_for(_scope(client), other_table) is None
    # What a socket's connect looks its seat up by: this table's cookie, hashed.
    assert set(access.seat_credentials(_scope(client))) == {match.pk}


def test_a_forged_cookie_is_nobody_to_a_page_and_to_a_socket(workshop):
    client, match = _seated(workshop)
    name = seat_cookies.cookie_name(match.pk)
    forged = Client()
    forged.cookies[name] = client.cookies[name].value[:-3] + "xyz"  # the secret with a broken signature
    assert access.seat_for(_request(forged), match) is None and access.seat_for(_scope(forged), match) is None
    assert access.seat_credentials(_scope(forged)) == {}
    assert forged.get(f"/play/{match.public_id}/").status_code == 403


def test_a_facilitator_runs_her_own_workshops_only(workshop, facilitator_user):
    other = get_user_model().objects.create_user(username="someone-else")
    assert access.can_facilitate(facilitator_user, workshop)
    assert not access.can_facilitate(other, workshop) and not access.can_facilitate(AnonymousUser(), workshop)
    assert not access.can_facilitate(facilitator_user, None)  # a practice game has no facilitator
    assert access.facilitated_workshop(facilitator_user, code=workshop.code.lower()) == workshop
    assert access.facilitated_workshop(facilitator_user, public_id=workshop.public_id) == workshop
    for user, found in ((other, {"code": workshop.code}), (AnonymousUser(), {"code": workshop.code}),
                        (other, {"public_id": workshop.public_id}), (facilitator_user, {"public_id": "no such id!"})):
        assert access.facilitated_workshop(user, **found) is None


def test_another_workshops_facilitator_is_refused_everywhere_and_changes_nothing(workshop, other_trainer):
    trainee, match = _seated(workshop)
    code = workshop.code
    for path in (f"/facilitator/w/{code}/", f"/facilitator/w/{code}/table/1/", f"/facilitator/w/{code}/debrief/",
                 f"/facilitator/w/{code}/packs/", f"/facilitator/w/{code}/export.csv", f"/replays/{match.public_id}/"):
        assert other_trainer.get(path).status_code == 404, path
    for path in (f"/play/{match.public_id}/", f"/play/{match.public_id}/debrief/", f"/play/{match.public_id}/debrief/export.json"):
        assert other_trainer.get(path).status_code == 403, path
    other_trainer.post(f"/facilitator/w/{code}/seats/", {"seat": "1:us_commerce", "action": "free"})
    assert Seat.objects.get(match=match, role_id="us_commerce").display_name == "Alice"


def test_a_trainee_opens_her_own_table_only_and_its_replay_only_once_it_ends(workshop, facilitator_user):
    alice, match = _seated(workshop)
    bao, other = _seated(workshop, "2:vn_trade")
    assert alice.get(f"/play/{other.public_id}/").status_code == 403
    assert access.replay_access(_request(alice), match)[0] == "participant"
    assert access.replay_access(_request(bao), match) is None
    for path in (f"/replays/{match.public_id}/", f"/play/{match.public_id}/drill/"):
        assert bao.get(path).status_code in (403, 404), path
    assert alice.get(f"/replays/{match.public_id}/").status_code == 403  # still being played
    match_submit_move(match_id=match.pk, seat="facilitator", move={"kind": "start"})
    match_submit_move(match_id=match.pk, seat="facilitator", move={"kind": "end"})
    assert alice.get(f"/replays/{match.public_id}/").status_code == 200
    assert bao.get(f"/replays/{match.public_id}/").status_code == 404
    fac = Client()
    fac.force_login(facilitator_user)
    assert fac.get(f"/replays/{match.public_id}/").status_code == 200
