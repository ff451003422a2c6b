"""A table's socket sends the case in its reader's language (the language cookie, else the browser's
Accept-Language, as for the pages): two trainees of one table read it each in their own."""

from __future__ import annotations

import pytest

from game.services import seat_claim, workshop_create
from tests.realtime.conftest import seat_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_trainees(record, facilitator_user):
    """Bao and Lan, two Vietnam seats at one table."""
    workshop = workshop_create(facilitator=facilitator_user, scenario_record=record, title="T", tables=1)
    bao = seat_claim(workshop=workshop, display_name="Bao", table_no=1, role_id="vn_trade")
    lan = seat_claim(workshop=workshop, display_name="Lan", table_no=1, role_id="vn_finance")
    return bao.seat.match_id, bao, lan


async def test_each_seat_is_sent_the_case_and_its_brief_in_its_own_language(two_trainees, sockets, default_scenario):
    match_id, bao, lan = two_trainees
    in_vietnamese = await sockets(seat_path(match_id, bao.token), [(b"accept-language", b"vi-VN,vi;q=0.9")]).connect()
    # The language cookie (the switch) wins over the browser's Accept-Language.
    path = seat_path(match_id, lan.token)
    path.cookie = (b"cookie", path.cookie[1] + b"; django_language=en")
    in_english = await sockets(path, [(b"accept-language", b"vi")]).connect()

    trade = default_scenario.role("vn_trade")
    card = in_vietnamese["view"]["roles"]["vn_trade"]
    assert (card["title"], card["brief"]) == (trade.title.vi, trade.brief.vi)
    assert card["red_lines"][0]["reason"] == trade.red_lines[0].reason.vi
    case = in_vietnamese["scenario"]
    assert [t["name"] for t in case["teams"]] == ["Hoa Kỳ", "Việt Nam"]
    assert case["rounds"][0]["briefing"] == default_scenario.rounds[0].briefing.vi

    assert in_english["view"]["roles"]["vn_trade"]["title"] == trade.title.en  # a teammate's card: no brief
    assert "brief" not in in_english["view"]["roles"]["vn_trade"]
    assert in_english["view"]["roles"]["vn_finance"]["brief"] == default_scenario.role("vn_finance").brief.en
    assert [t["name"] for t in in_english["scenario"]["teams"]] == ["United States", "Vietnam"]
