"""The scorer's words in the reader's language: score notes, rule titles, marks and lessons, on the
debrief, in the exports, on the replay and on a seat's socket. The same game reads in Vietnamese to a
Vietnamese reader and in English to an English one; a note stored as plain text reads as written."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from game.scenario.text import Text
from game.scoring import RULES, score_match
from game.scoring.rules import DIMENSIONS, MARKS
from game.web import notes
from game.web.text import language_of_scope
from tests.realtime.conftest import _realtime_settings, sockets  # noqa: F401 (fixtures)
from tests.replays.conftest import make_workshop, recorded, store_game  # noqa: F401 (a fixture)

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def test_every_rule_speaks_vietnamese_in_whole_sentences():
    with translation.override("vi"):
        for rule in RULES:
            for msgid in (rule.title, rule.when, rule.reason, *rule.variants.values()):
                assert translation.gettext(msgid) != msgid and VIETNAMESE.search(translation.gettext(msgid)), msgid
        for info in DIMENSIONS:
            assert translation.gettext(info.title) != info.title and translation.gettext(info.question) != info.question
        assert all(translation.gettext(word) != word for word in MARKS.values())


def test_one_games_notes_read_in_each_readers_language(default_scenario, recorded):
    score = score_match(default_scenario, recorded[0].events)
    assert len(score.annotations) > 20
    with translation.override("en"):
        english = [notes.note(a)["reason"] for a in score.annotations]
    with translation.override("vi"):
        vietnamese = [notes.note(a) for a in score.annotations]
    assert english == [str(a.reason) for a in score.annotations]
    for en, vi, a in zip(english, vietnamese, score.annotations):
        assert vi["reason"] != en and VIETNAMESE.search(vi["reason"]) and "%(" not in vi["reason"], (a.rule, vi["reason"])
        assert vi["lesson"] != a.lesson
    # A note survives JSON (a frame, a document) and is rendered from it the same way.
    dumped = json.loads(json.dumps(score.annotations[0].model_dump(mode="json")))
    with translation.override("vi"):
        assert notes.note(dumped)["reason"] == vietnamese[0]["reason"]


def test_a_note_stored_as_plain_text_reads_as_written(default_scenario, recorded):
    old = {**score_match(default_scenario, recorded[0].events).annotations[0].model_dump(mode="json"),
           "reason": "Vietnam came to the table with a mandate every role had endorsed."}
    with translation.override("vi"):
        assert notes.note(old)["reason"] == old["reason"]
        assert notes.reason(Text(msgid="A sentence no catalogue knows.")) == "A sentence no catalogue knows."


def test_a_socket_reads_its_language_from_the_cookie_else_accept_language():
    def scope(*headers):
        return {"headers": [(k.encode(), v.encode()) for k, v in headers]}

    assert language_of_scope(scope(("cookie", "django_language=vi; other=1"), ("accept-language", "en"))) == "vi"
    assert language_of_scope(scope(("accept-language", "vi-VN,vi;q=0.9,en;q=0.5"))) == "vi"
    assert language_of_scope(scope(("accept-language", "fr"))) == "en"
    assert language_of_scope({"headers": [], "cookies": {"django_language": "vi"}}) == "vi"


@pytest.fixture
def played(db, default_scenario, recorded):
    from game.services import scenario_load

    record = scenario_load(scenario=default_scenario)[0]
    trainer = get_user_model().objects.create_user("trainer")
    workshop = make_workshop(trainer, record)
    match = store_game(record, default_scenario, recorded[0], workshop=workshop, table_no=1)
    client = Client()
    client.force_login(trainer)
    return client, match, score_match(default_scenario, recorded[0].events)


def test_the_debrief_shows_the_notes_in_the_readers_language(played):
    client, match, score = played
    note = next(a for a in score.annotations if a.rule == "alignment.mandate_endorsed")
    with translation.override("vi"):
        vietnamese = notes.note(note)["reason"]
    vi = client.get(f"/play/{match.public_id}/debrief/", **VI).content.decode()
    en = client.get(f"/play/{match.public_id}/debrief/", **EN).content.decode()
    assert vietnamese in vi and str(note.reason) not in vi
    assert str(note.reason) in en and vietnamese not in en
    # The notes' dimensions and the sub-scores' titles too.
    assert "Thống nhất nội bộ trước khi vào bàn" in vi and "Internal alignment before the table" not in vi
    assert "Internal alignment before the table" in en


def test_exports_follow_the_readers_language(played):
    client, match, score = played
    base = f"/play/{match.public_id}/debrief/export"
    vi_rows = list(csv.reader(io.StringIO(client.get(f"{base}.events.csv", **VI).content.decode())))
    en_rows = list(csv.reader(io.StringIO(client.get(f"{base}.events.csv", **EN).content.decode())))
    assert en_rows[0][:3] == ["workshop", "table", "match_id"]  # English keeps the column keys
    assert vi_rows[0][:3] == ["Buổi tập huấn", "Bàn", "Mã ván"] and len(vi_rows) == len(en_rows)
    vi_json = json.loads(client.get(f"{base}.json", **VI).content)
    en_json = json.loads(client.get(f"{base}.json", **EN).content)
    assert [a["reason"] for a in en_json["score"]["annotations"]] == [str(a.reason) for a in score.annotations]
    assert all(VIETNAMESE.search(a["reason"]) for a in vi_json["score"]["annotations"])
    assert en_json["score"]["annotations"][0].keys() == vi_json["score"]["annotations"][0].keys()


def test_the_replay_follows_the_readers_language(played):
    client, match, score = played

    def document(headers):
        page = client.get(f"/replays/{match.public_id}/", **headers).content.decode()
        found = re.search(r'<script id="replay-data" type="application/json">(.*?)</script>', page, re.S)
        return json.loads(found.group(1)), page

    vi, vi_page = document(VI)
    en, en_page = document(EN)  # the same match and version: each language has its own copy
    assert [a["reason"] for a in en["annotations"]] == [str(a.reason) for a in score.annotations]
    assert all(VIETNAMESE.search(a["reason"]) for a in vi["annotations"])
    assert vi["marks"]["??"] == "sai lầm nghiêm trọng" and en["marks"]["??"] == "blunder"
    assert "Đường nhượng bộ" in vi_page and "Concession curves" in en_page


@pytest.mark.django_db(transaction=True)
async def test_a_seat_socket_sends_its_teams_notes_in_its_own_language(default_scenario, sockets):
    from game.services import match_submit_move, scenario_load, seat_claim, workshop_create
    from tests.engine.scripts import play_to_deal
    from tests.realtime.conftest import seat_path

    def setup():
        record = scenario_load(scenario=default_scenario)[0]
        owner = get_user_model().objects.create_user(username="fran")
        workshop = workshop_create(facilitator=owner, scenario_record=record, title="Hanoi cohort", tables=1)
        grant = seat_claim(workshop=workshop, display_name="Bao", table_no=1, role_id="vn_trade")
        for seat, move in play_to_deal(default_scenario).moves:
            match_submit_move(match_id=grant.seat.match_id, seat=seat, move=move)
        return grant.seat.match_id, grant.token

    match_id, token = await database_sync_to_async(setup)()
    vi = sockets(seat_path(match_id, token), [(b"accept-language", b"vi")])
    en = sockets(seat_path(match_id, token), [(b"accept-language", b"en")])
    vi_welcome, en_welcome = await vi.connect(), await en.connect()
    assert vi_welcome["type"] == en_welcome["type"] == "welcome"
    en_notes, vi_notes = en_welcome["annotations"], vi_welcome["annotations"]
    assert en_notes and len(en_notes) == len(vi_notes)
    for en_note, vi_note in zip(en_notes, vi_notes):
        assert en_note["rule"] == vi_note["rule"] and en_note["reason"] != vi_note["reason"]
        assert VIETNAMESE.search(vi_note["reason"]) and not VIETNAMESE.search(en_note["reason"])


def test_no_english_interface_text_on_the_vietnamese_debrief_and_replay(db, default_scenario):
    """A scripted game (people's moves, no bot's words, which are game.bots' to translate) on every page
    that shows its notes."""
    from game.services import scenario_load
    from tests.engine.scripts import play_to_deal
    from tests.i18n.untranslated import english_found, visible_pieces

    record = scenario_load(scenario=default_scenario)[0]
    trainer = get_user_model().objects.create_user("trainer")
    match = store_game(record, default_scenario, play_to_deal(default_scenario), workshop=make_workshop(trainer, record), table_no=1)
    client = Client()
    client.force_login(trainer)
    for url in (f"/play/{match.public_id}/debrief/", f"/replays/{match.public_id}/",
                f"/facilitator/w/{match.workshop.code}/debrief/"):
        page = client.get(url, **VI)
        assert page.status_code == 200, url
        assert english_found(visible_pieces(page.content.decode())) == [], url
        english = client.get(url, **EN)
        assert english_found(visible_pieces(english.content.decode())), url  # the same check finds the English
