"""Play on from here: a practice game from any step of a finished game's replay, the trainee in any
seat, bots in the others, the log starting with the original's events; refusals change nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game import seat_cookies
from game.engine import FACILITATOR, replay
from game.models import Match, MatchEvent, Seat
from game.selectors import match_events, match_setup, match_state
from game.services import match_submit_move
from tests.replays.test_access import _seat_browser, _trainer_browser

pytestmark = pytest.mark.django_db


def _post(client: Client, match: Match, **data):
    return client.post(f"/replays/{match.public_id}/play-on/", data)


def test_playing_on_copies_the_log_up_to_the_step_and_seats_the_trainee_with_bots(finished, default_scenario, recorded):
    client = _seat_browser(finished)
    step = 40
    response = _post(client, finished, step=step, role_id="us_ustr")  # the other team's seat
    assert response.status_code == 302
    new = Match.objects.exclude(pk=finished.pk).get()
    assert response["Location"] == f"/play/{new.public_id}/"
    assert new.origin_id == finished.pk and new.origin_step == step and new.mode == Match.Mode.PRACTICE
    events = match_events(new)
    assert [e.model_dump(exclude={"at"}) for e in events[:step]] == [e.model_dump(exclude={"at"}) for e in recorded[0].events[:step]]
    assert events[step].type == "played_on" and len(events) == step + 1
    # the snapshot is the engine's fold of that log, and the position is the original's at that step
    folded = replay(default_scenario, match_setup(new), events)
    assert match_state(new).model_dump() == folded.model_dump()
    before = replay(default_scenario, recorded[0].setup, recorded[0].events[:step])
    assert folded.round == before.round and folded.phase == before.phase and folded.offers == before.offers
    assert folded.status == "running" and folded.deadline is None and folded.pacers == ["us_ustr"]
    seats = {s.role_id: s for s in Seat.objects.filter(match=new)}
    assert seats["us_ustr"].kind == Seat.Kind.HUMAN
    assert all(s.kind == Seat.Kind.BOT for r, s in seats.items() if r != "us_ustr")
    assert seat_cookies.cookie_name(new.pk) in response.cookies  # the browser now holds the new seat
    assert client.get(f"/play/{new.public_id}/").status_code == 200


def test_from_step_zero_the_new_game_starts_fresh(finished):
    response = _post(_trainer_browser(Match.objects.get(pk=finished.pk).workshop.facilitator), finished, step=0, role_id="vn_trade")
    assert response.status_code == 302
    new = Match.objects.exclude(pk=finished.pk).get()
    assert new.status == "running" and match_events(new)[0].type == "match_started"


def test_its_debrief_compares_the_two_outcomes(finished):
    client = _seat_browser(finished)
    _post(client, finished, step=30, role_id="vn_trade")
    new = Match.objects.exclude(pk=finished.pk).get()
    match_submit_move(match_id=new.pk, seat=FACILITATOR, move={"kind": "end"})
    body = client.get(f"/play/{new.public_id}/debrief/").content.decode()
    assert "Played on from another game" in body and "from its event 30" in body
    assert f"/replays/{finished.public_id}/#e30" in body
    assert "Original game" in body and "This game" in body


@pytest.mark.parametrize("data, message", [
    ({"step": "9999", "role_id": "vn_trade"}, "There is no step 9999"),
    ({"step": "-3", "role_id": "vn_trade"}, "Choose an event of the replay to play on from: a whole number."),
    ({"step": "abc", "role_id": "vn_trade"}, "Choose an event of the replay to play on from: a whole number."),
    ({"step": "10", "role_id": "nobody"}, "Choose a seat of either team"),
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(finished, data, message):
    response = _post(_seat_browser(finished), finished, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Match.objects.count() == 1 and MatchEvent.objects.exclude(match=finished).count() == 0


def test_the_final_position_cannot_be_played_on(finished):
    response = _post(_seat_browser(finished), finished, step=str(finished.version), role_id="vn_trade")
    assert response.status_code == 400 and "game is over at that step" in response.content.decode()
    assert Match.objects.count() == 1


def test_someone_elses_replay_cannot_be_played_on(finished):
    stranger = Client()
    response = _post(stranger, finished, step=10, role_id="vn_trade")
    assert response.status_code == 404
    other = get_user_model().objects.create_user("other", password="x-123456")
    assert _post(_trainer_browser(other), finished, step=10, role_id="vn_trade").status_code == 404
    assert Match.objects.count() == 1
