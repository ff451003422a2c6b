"""The rules core's sentences (a bot's reasons, a refusal, why a move is unavailable) reach each
reader in their own language: a socket in its language (cookie, else Accept-Language), a page in the
request's; a log written when they were plain English still reads as written."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.utils import translation

from game.bots.team import caucus_move
from game.engine import FACILITATOR, MOVE_ADAPTER, MoveError, apply_move, parse_move
from game.engine.words import english
from game.scenario.text import Text
from game.selectors import match_load
from game.services import match_submit_move, seat_claim, workshop_create
from game.web.describe import describe
from game.web.said import said_events, said_view
from game.web.text import language_of_scope
from tests.engine.scripts import Script
from tests.realtime.conftest import _realtime_settings, facilitator_user, record, seat_path, sockets  # noqa: F401 (fixtures)

VI = [(b"accept-language", b"vi-VN,vi;q=0.9,en;q=0.5")]
EN = [(b"accept-language", b"en-GB,en;q=0.9")]


@pytest.fixture
def us_pair(record, facilitator_user):  # noqa: F811
    """A workshop table in caucus with two US trainees (Alice, Ann) and the rest of the seats empty."""
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    tokens = {}
    for name, role in (("Alice", "us_commerce"), ("Ann", "us_ustr")):
        grant = seat_claim(workshop=workshop, display_name=name, table_no=1, role_id=role)
        tokens[role], match_id = grant.token, grant.seat.match_id
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "start"})
    match_submit_move(match_id=match_id, seat=FACILITATOR, move={"kind": "advance"})  # briefing -> caucus
    return match_id, tokens


def _bot_states_priorities(match_id: int):
    """The treasury's bot move (its priorities, with why), made for the empty seat beside Alice and Ann."""
    loaded = match_load(match_id, after_seq=None)
    persona = loaded.scenario.personas_for("us")[0]
    move = caucus_move(loaded.scenario, loaded.state, loaded.events, "us_treasury", persona, 0, ["us_treasury"])
    assert isinstance(move.note, Text)  # a bot's reason is a sentence, not English words
    return match_submit_move(match_id=match_id, seat="us_treasury", move=move), english(move.note)


@pytest.mark.django_db(transaction=True)
async def test_one_bot_reason_reaches_a_vietnamese_seat_in_vietnamese_and_an_english_seat_in_english(us_pair, sockets):  # noqa: F811
    match_id, tokens = us_pair
    alice = sockets(seat_path(match_id, tokens["us_commerce"]), headers=VI)
    ann = sockets(seat_path(match_id, tokens["us_ustr"]), headers=EN)
    welcome_vi, welcome_en = await alice.connect(), await ann.connect()
    # Why a move is unavailable, in the view each is sent: the same reason in each one's language.
    assert welcome_vi["view"]["moves"]["propose"] == "Nước đi này thuộc giai đoạn Bàn; hiện đang là giai đoạn Họp nội bộ."
    assert welcome_en["view"]["moves"]["propose"] == "That move belongs to the Table phase; this is the Caucus phase."

    result, note = await database_sync_to_async(_bot_states_priorities)(match_id)
    seq = result.events[0].seq
    heard = {}
    for name, socket in (("vi", alice), ("en", ann)):
        await socket.send({"type": "ping", "msg_id": "p1"})  # the move was made beside the table's owner: catch up from the log
        frame = await socket.expect("events")
        [event] = [e for e in frame["events"] if e["seq"] == seq]
        heard[name] = event["data"]["note"]
    assert heard["en"] == note and "states its priorities so the mandate can respect them" in note
    assert "nêu các ưu tiên của mình để khung ủy quyền tôn trọng; vai trò này quan tâm nhất đến" in heard["vi"]
    assert "states its priorities" not in heard["vi"] and "%(" not in heard["vi"]


@pytest.mark.django_db(transaction=True)
async def test_a_refused_move_over_the_socket_is_explained_in_the_sockets_language(us_pair, sockets):  # noqa: F811
    match_id, tokens = us_pair
    cookie = (b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}=vi".encode())
    alice = sockets(seat_path(match_id, tokens["us_commerce"]), headers=[cookie, *EN])  # the choice wins over the browser
    ann = sockets(seat_path(match_id, tokens["us_ustr"]), headers=EN)
    await alice.connect()
    await ann.connect()
    endorse = {"type": "move", "msg_id": "m1", "move": {"kind": "endorse_mandate", "version": 1}}
    await alice.send(endorse)
    await ann.send(endorse)
    refused_vi, refused_en = await alice.expect("error"), await ann.expect("error")
    assert refused_vi["code"] == refused_en["code"] == "move/illegal"
    assert refused_vi["message"] == "Chưa có khung ủy quyền nào được soạn thảo."
    assert refused_en["message"] == "No mandate has been drafted yet."
    # A malformed frame is explained in the socket's language too.
    await alice.send("{not json")
    assert (await alice.expect("error"))["message"].startswith("Khung dữ liệu không phải là JSON hợp lệ")


def test_a_sockets_language_is_its_cookie_else_its_accept_language_else_the_default():
    cookie = (b"cookie", f"seat_1=abc; {settings.LANGUAGE_COOKIE_NAME}=vi".encode())
    assert language_of_scope({"headers": [cookie, *EN]}) == "vi"
    assert language_of_scope({"headers": VI}) == "vi"
    assert language_of_scope({"headers": [(b"accept-language", b"fr-FR,fr;q=0.9")]}) == settings.LANGUAGE_CODE
    assert language_of_scope({"headers": [(b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}=xx".encode()), *VI]}) == "vi"


@pytest.mark.django_db
def test_a_refusal_on_a_page_form_is_in_the_readers_language(record, facilitator_user):  # noqa: F811
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    page = Client().post(f"/join/{workshop.code}/", {"display_name": "Bảo", "seat": "9:vn_trade"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 400 and "Không có bàn 9." in page.content.decode()
    page = Client().post(f"/join/{workshop.code}/", {"display_name": "Bao", "seat": "9:vn_trade"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "There is no table 9." in page.content.decode()


def test_a_person_cannot_send_a_sentence_where_their_own_words_belong(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    sentence = {"msgid": "We accept %(offer)s: %(why)s.", "params": {"offer": "o1", "why": "trust us"}}
    with pytest.raises(MoveError) as refused:
        parse_move({"kind": "team_chat", "text": "hi", "note": sentence})
    assert refused.value.code == "move/malformed" and "note" in english(refused.value.message)
    # A bot's move may carry it (built by the server, never read from a client).
    assert isinstance(MOVE_ADAPTER.validate_python({"kind": "team_chat", "text": "hi", "note": sentence}).note, Text)


@pytest.mark.parametrize("move,field", [
    ({"kind": "statement"}, "text"), ({"kind": "show_capability"}, "text"), ({"kind": "probe", "issue": "price"}, "question"),
])
def test_what_a_person_says_at_the_table_is_their_own_words_and_a_bots_is_a_sentence(move, field):
    sentence = {"msgid": "How much room do you have on %(issue)s?", "params": {"issue": "Price"}}
    with pytest.raises(MoveError) as refused:
        parse_move({**move, field: sentence})
    assert refused.value.code == "move/malformed" and field in english(refused.value.message)
    assert parse_move({**move, field: "How much room do you have on price?"}).model_dump()[field] == "How much room do you have on price?"
    assert isinstance(getattr(MOVE_ADAPTER.validate_python({**move, field: sentence}), field), Text)


def test_a_log_written_in_plain_english_still_reads_as_written(tiny):
    """Logs from before reasons were sentences: a bot's note, an objection and an end reason are plain strings."""
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    s.play("red_tech", {"kind": "draft_mandate", "issues": {
        "price": {"target": "high", "walkaway": "low"}, "volume": {"target": "big", "walkaway": "small"},
        "delivery": {"target": "fast", "walkaway": "slow"}}, "note": "Our targets are the package we would offer now."})
    s.play("red_boss", {"kind": "object_mandate", "version": 1, "reason": "Price is vital to me."})
    end = apply_move(tiny, s.state, FACILITATOR, parse_move({"kind": "end"}), 100.0)
    old = [e.model_dump(mode="json") for e in [*s.events, *end.events]]
    old[-1]["data"]["reason"] = "Ended without a deal (ended by the facilitator): both teams fall back on their BATNA."
    with translation.override("vi"):
        events = said_events(old)
        drafted = next(e for e in events if e["type"] == "mandate_drafted")
        assert drafted["data"]["note"] == "Our targets are the package we would offer now."
        objected = next(e for e in old if e["type"] == "mandate_objected")
        assert describe(tiny, objected).endswith(": Price is vital to me.") and "phản đối" in describe(tiny, objected)
        assert describe(tiny, old[-1]) == old[-1]["data"]["reason"]
        view = said_view({"result": {"kind": "no_deal", "reason": old[-1]["data"]["reason"]}, "moves": {"propose": "an old reason"}})
        assert view["result"]["reason"] == old[-1]["data"]["reason"] and view["moves"]["propose"] == "an old reason"
