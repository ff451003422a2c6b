"""The drill page from a finished game's debrief: the trainee's costliest positions, an answer scored
by the rubric with the original reason shown after it; bad answers and other people are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from game.replays import selectors
from game.services import scenario_load
from tests.replays.conftest import make_workshop, store_game
from tests.replays.test_access import _seat_browser, _trainer_browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return get_user_model().objects.create_user("trainer", password="pw-123456")


@pytest.fixture
def finished(default_scenario, recorded, trainer):
    selectors.cache_clear()
    record = scenario_load(scenario=default_scenario)[0]
    return store_game(record, default_scenario, recorded[4], workshop=make_workshop(trainer, record), table_no=1)  # never_concede


def test_the_trainee_answers_and_sees_the_score_and_the_original_reason(finished):
    client = _seat_browser(finished)
    assert "Drill your costliest mistakes" in client.get(f"/play/{finished.public_id}/debrief/").content.decode()
    page = client.get(f"/play/{finished.public_id}/drill/").content.decode()
    assert "Learn from your mistakes" in page and "Position 1" in page
    assert "Why your move was marked" not in page  # the reason comes after the answer
    seq = page.split('name="position" value="')[1].split('"')[0]
    answered = client.post(f"/play/{finished.public_id}/drill/", {"position": seq, "choice": "0"})
    body = answered.content.decode()
    assert answered.status_code == 200 and "Why your move was marked" in body and "The move you played." in body and "Rubric:" in body


@pytest.mark.parametrize("data, message", [
    ({"position": "99999", "choice": "0"}, "That position is not one of this drill"),
    ({"position": "", "choice": "0"}, "That position is not one of this drill"),
])
def test_a_bad_answer_gets_a_clear_error(finished, data, message):
    response = _seat_browser(finished).post(f"/play/{finished.public_id}/drill/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert "Why your move was marked" not in response.content.decode()


def test_a_bad_choice_gets_a_clear_error(finished):
    client = _seat_browser(finished)
    seq = client.get(f"/play/{finished.public_id}/drill/").content.decode().split('name="position" value="')[1].split('"')[0]
    response = client.post(f"/play/{finished.public_id}/drill/", {"position": seq, "choice": "42"})
    assert response.status_code == 400 and "Choose one of the moves offered" in response.content.decode()


def test_only_the_trainee_of_the_game_drills_it(finished, trainer):
    assert Client().get(f"/play/{finished.public_id}/drill/").status_code == 403
    assert _trainer_browser(trainer).get(f"/play/{finished.public_id}/drill/").status_code == 403  # no seat: no mistakes of theirs
