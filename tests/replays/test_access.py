"""Who may open a replay: participants, the workshop's facilitator, a live share link; nobody else;
and nobody at all while the game is still being played."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpResponse
from django.test import Client

from game import seat_cookies
from game.models import ReplayShare, Seat
from game.services import seat_token_hash
from tests.replays.conftest import make_workshop, store_game

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(record, default_scenario, recorded, trainer):
    workshop = make_workshop(trainer, record, code="GHJKLM")
    return store_game(record, default_scenario, recorded[1], workshop=workshop, table_no=1, upto=60)


def _seat_browser(match, role="vn_trade", token="secret-seat-token-for-tests") -> Client:
    """A browser holding the seat cookie the table pages set (game.web.seats)."""
    Seat.objects.filter(match=match, role_id=role).update(kind=Seat.Kind.HUMAN, display_name="Lan", token_hash=seat_token_hash(token))
    client = Client()
    name = seat_cookies.cookie_name(match.pk)
    client.cookies[name] = seat_cookies.remember(HttpResponse(), match.pk, token).cookies[name].value
    return client


def _trainer_browser(trainer) -> Client:
    client = Client()
    client.force_login(trainer)
    return client


def test_a_participant_opens_the_replay_with_both_caucuses_and_the_data(finished):
    response = _seat_browser(finished).get(f"/replays/{finished.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="replay-data"' in body and "replay.js" in body and "<svg" in body
    assert "caucus" in body.lower()
    assert response["Referrer-Policy"] == "same-origin"  # never to another site; own posts keep their Origin


def test_the_workshop_facilitator_opens_it(finished, trainer):
    assert _trainer_browser(trainer).get(f"/replays/{finished.public_id}/").status_code == 200


def test_strangers_get_a_friendly_404(finished):
    for client in (Client(), _trainer_browser(get_user_model().objects.create_user("other", password="x-123456"))):
        response = client.get(f"/replays/{finished.public_id}/")
        assert response.status_code == 404
        assert "could not open that replay" in response.content.decode()
        assert client.get(f"/replays/{finished.public_id}/export.json").status_code == 404
    # a seat token of another match does not open this one
    other = Client()
    other.cookies[seat_cookies.cookie_name(finished.pk)] = signing.get_cookie_signer(salt="x").sign("not-a-seat")
    assert other.get(f"/replays/{finished.public_id}/").status_code == 404
    assert Client().get("/replays/999999/").status_code == 404
    # The sequential key opens nothing, even for a participant: every URL takes the unguessable public id.
    assert _seat_browser(finished).get(f"/replays/{finished.pk}/").status_code == 404


def test_a_share_link_opens_it_read_only_until_revoked(finished):
    owner = _seat_browser(finished)
    response = owner.post(f"/replays/{finished.public_id}/share/")
    assert response.status_code == 302
    share = ReplayShare.objects.get(match=finished)
    assert len(share.token) >= 32
    assert share.token in owner.get(f"/replays/{finished.public_id}/").content.decode()
    stranger = Client()
    page = stranger.get(f"/r/{share.token}/")
    assert page.status_code == 200
    assert "Create a share link" not in page.content.decode()  # read-only: no share controls
    assert stranger.get(f"/r/{share.token}/export.json").status_code == 200
    # a share viewer cannot make or revoke links, nor reach the owner URL
    assert stranger.post(f"/replays/{finished.public_id}/share/").status_code == 404
    assert stranger.post(f"/replays/{finished.public_id}/share/{share.pk}/revoke/").status_code == 404
    assert owner.post(f"/replays/{finished.public_id}/share/{share.pk}/revoke/").status_code == 302
    assert stranger.get(f"/r/{share.token}/").status_code == 404
    assert stranger.get(f"/r/{share.token}/export.json").status_code == 404
    assert Client().get("/r/made-up-token/").status_code == 404


def test_the_facilitator_can_share_and_revoke_too(finished, trainer):
    client = _trainer_browser(trainer)
    client.post(f"/replays/{finished.public_id}/share/")
    share = ReplayShare.objects.get(match=finished)
    assert share.created_by == "facilitator:trainer"
    client.post(f"/replays/{finished.public_id}/share/{share.pk}/revoke/")
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_a_game_in_progress_has_no_replay_for_anyone(running, trainer):
    assert running.status == "running"
    player = _seat_browser(running)
    response = player.get(f"/replays/{running.public_id}/")
    assert response.status_code == 403
    assert "opens when the game ends" in response.content.decode()
    assert player.get(f"/replays/{running.public_id}/export.json").status_code == 403
    assert player.post(f"/replays/{running.public_id}/share/").status_code == 403
    assert not ReplayShare.objects.exists()
    facilitator = _trainer_browser(trainer).get(f"/replays/{running.public_id}/")
    assert facilitator.status_code == 403 and "Watch the table live" in facilitator.content.decode()
    assert Client().get(f"/replays/{running.public_id}/").status_code == 404  # strangers learn nothing


def test_the_export_downloads_one_json_file(finished):
    response = _seat_browser(finished).get(f"/replays/{finished.public_id}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["format"] == "aligned-at-the-table/replay"


def test_the_library_lists_this_browsers_games_and_the_facilitators_workshops(finished, running, trainer):
    player = _seat_browser(finished)
    body = player.get("/replays/").content.decode()
    assert f"/replays/{finished.public_id}/" in body and "alignment" in body and "Lan" in body
    assert "This browser holds no seat yet" in Client().get("/replays/").content.decode()
    fac = _trainer_browser(trainer)
    body = fac.get("/replays/").content.decode()
    assert "/replays/workshop/ABCDEF/" in body
    table = fac.get("/replays/workshop/ABCDEF/").content.decode()
    assert f"/replays/{finished.public_id}/" in table and "Deal" in table
    assert _trainer_browser(get_user_model().objects.create_user("x", password="x-123456")).get("/replays/workshop/ABCDEF/").status_code == 404


def test_only_the_seat_cookie_identifies_a_participant_and_a_given_up_seat_opens_nothing(finished):
    token = "api-cookie-seat-token"
    Seat.objects.filter(match=finished, role_id="us_treasury").update(kind=Seat.Kind.HUMAN, token_hash=seat_token_hash(token))
    client = _seat_browser(finished, role="us_treasury", token=token)
    assert client.get(f"/replays/{finished.public_id}/").status_code == 200
    # The bare secret is no credential: not as a header, not as an unsigned cookie.
    assert Client(headers={"X-Seat-Token": token}).get(f"/replays/{finished.public_id}/").status_code == 404
    unsigned = Client()
    unsigned.cookies[seat_cookies.cookie_name(finished.pk)] = token
    assert unsigned.get(f"/replays/{finished.public_id}/").status_code == 404
    # a seat that was given up (a bot took it back) no longer opens the replay
    Seat.objects.filter(match=finished, role_id="us_treasury").update(kind=Seat.Kind.BOT)
    assert client.get(f"/replays/{finished.public_id}/").status_code == 404


def test_only_the_facilitator_or_the_links_creator_can_revoke_a_share_link(finished, trainer):
    lan = _seat_browser(finished, role="vn_trade", token="lan-token")
    assert lan.post(f"/replays/{finished.public_id}/share/").status_code == 302
    share = ReplayShare.objects.get(match=finished)
    # A trainee of the other team, and a teammate, both see the link but cannot revoke it.
    for role, token in (("us_treasury", "us-token"), ("vn_leader", "teammate-token")):
        other = _seat_browser(finished, role=role, token=token)
        page = other.get(f"/replays/{finished.public_id}/").content.decode()
        assert f"/share/{share.pk}/revoke/" not in page
        refused = other.post(f"/replays/{finished.public_id}/share/{share.pk}/revoke/")
        assert refused.status_code == 403 and "cannot revoke" in refused.content.decode()
        share.refresh_from_db()
        assert share.revoked_at is None and Client().get(f"/r/{share.token}/").status_code == 200
    # The creator sees the control and revokes; so may the workshop's facilitator for any link.
    assert f"/share/{share.pk}/revoke/" in lan.get(f"/replays/{finished.public_id}/").content.decode()
    assert lan.post(f"/replays/{finished.public_id}/share/{share.pk}/revoke/").status_code == 302
    assert Client().get(f"/r/{share.token}/").status_code == 404
    assert lan.post(f"/replays/{finished.public_id}/share/").status_code == 302
    second = ReplayShare.objects.filter(match=finished, revoked_at__isnull=True).get()
    assert _trainer_browser(trainer).post(f"/replays/{finished.public_id}/share/{second.pk}/revoke/").status_code == 302
    assert Client().get(f"/r/{second.token}/").status_code == 404
