"""Nothing before its day: cards and injects carry the date they became possible, rounds their first and
last day; the validator refuses a case that schedules an event outside its round or a card that could
never be played, and the engine refuses a card or an inject before its round."""

from __future__ import annotations

import pytest
import yaml

from game.engine import FACILITATOR, MoveError
from game.engine.facts import cards_waiting
from game.engine.view import player_view
from game.scenario import ScenarioError
from game.scenario_files import parse_scenario_text
from tests.conftest import FIXTURES
from tests.engine.scripts import Script
from game.engine.words import english

TINY_TEXT = (FIXTURES / "tiny.yaml").read_text()
BOUNDS = [("2025-04-01", "2025-04-01"), ("2025-04-02", "2025-04-05"), ("2025-04-08", "2025-04-09")]


def dated(change=None) -> dict:
    """The tiny case with round dates, the blue order possible from round 1 and the shock on round 1's second day."""
    data = yaml.safe_load(TINY_TEXT)
    for rnd, (starts, ends) in zip(data["rounds"], BOUNDS):
        rnd["starts"], rnd["ends"] = starts, ends
    data["deliverables"][1]["available_from"] = "2025-04-03"
    data["injects"][0]["available_from"] = "2025-04-03"
    if change:
        change(data)
    return data


def parse(data: dict):
    return parse_scenario_text(yaml.safe_dump(data, sort_keys=False))


def problems(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as refused:
        parse(data)
    return [str(p) for p in refused.value.problems]


def test_a_dated_case_is_valid_and_says_from_which_round_each_card_plays():
    s = parse(dated())
    assert s.first_round_from(s.deliverable("blue_order").available_from) == 1
    assert s.first_round_from(s.deliverable("red_schedule").available_from) == 0  # undated: from the start


def test_an_inject_scheduled_in_a_round_that_ends_before_it_happened_is_refused():
    def early(data):
        data["rounds"][0]["injects"] = ["shock"]
        data["rounds"][1]["injects"] = []

    [problem] = problems(dated(early))
    assert "rounds[0].injects[0]" in problem
    assert "inject 'shock' happened on 2025-04-03, but round 0 runs 2025-04-01 to 2025-04-01: it would land before it happened" in problem


def test_an_inject_scheduled_long_after_its_day_is_refused_too():
    def late(data):
        data["rounds"][1]["injects"] = []
        data["rounds"][2]["injects"] = ["shock"]

    [problem] = problems(dated(late))
    assert "rounds[2].injects[0]" in problem and "it would land after it happened" in problem


def test_overlapping_rounds_are_refused():
    def overlap(data):
        data["rounds"][1]["starts"] = "2025-04-01"

    [problem] = problems(dated(overlap))
    assert "rounds[1].starts" in problem
    assert "round 1 starts on 2025-04-01, before round 0 ends (2025-04-01); rounds must not overlap" in problem


def test_a_card_possible_only_after_the_last_round_is_refused():
    def too_late(data):
        data["deliverables"][0]["available_from"] = "2025-05-01"

    [problem] = problems(dated(too_late))
    assert "deliverables[0].available_from" in problem
    assert "card 'red_schedule' becomes possible on 2025-05-01, after the last round ends (2025-04-09): it could never be played" in problem


def test_a_card_that_would_be_ready_only_after_the_last_round_is_refused():
    def slow(data):
        data["deliverables"][1]["available_from"] = "2025-04-08"  # round 2, the last, and it takes a round

    [problem] = problems(dated(slow))
    assert "deliverables[1].preparation_rounds" in problem and "ready only after the last round" in problem


def test_dated_cards_need_dated_rounds_and_dates_are_written_yyyy_mm_dd():
    def undated_round(data):
        del data["rounds"][2]["starts"], data["rounds"][2]["ends"]

    assert any("every round needs starts and ends" in p for p in problems(dated(undated_round)))

    def sloppy(data):
        data["deliverables"][1]["available_from"] = "3 April 2025"

    assert any("deliverables[1].available_from" in p and "YYYY-MM-DD" in p for p in problems(dated(sloppy)))


def test_the_engine_refuses_a_card_before_its_round_and_changes_nothing():
    s = Script(parse(dated()))
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    before = s.state
    with pytest.raises(MoveError) as refused:
        s.play("blue_min", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    assert refused.value.code == "move/illegal"
    assert english(refused.value.message) == "Purchase order was not possible before 3 April 2025: it can be prepared from round 1 (day 2)."
    assert s.state is before
    # The seat's view says so, card by card, and the prepare button is off for the same reason.
    view = player_view(s.scenario, s.state, "blue_min")
    assert view["cards_waiting"] == {"blue_order": refused.value.message.model_dump()}
    assert view["moves"]["prepare_deliverable"] == refused.value.message.model_dump()
    # From its round on, the card is prepared as usual.
    s.advance_to("review")
    s.advance_to("caucus")
    assert s.state.round == 1 and cards_waiting(s.scenario, s.state, "blue") == {}
    s.play("blue_min", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    assert s.state.teams["blue"].deliverables["blue_order"].signed_by == ["blue_min"]


def test_the_facilitator_cannot_push_an_inject_before_its_round():
    s = Script(parse(dated()))
    s.play(FACILITATOR, {"kind": "start"})
    with pytest.raises(MoveError) as refused:
        s.play(FACILITATOR, {"kind": "push_inject", "inject": "shock"})
    assert english(refused.value.message) == "A shock happened on 3 April 2025: it can be pushed from round 1 (day 2)."
    assert "shock" not in s.state.injects


# --- the default case: the record's dates -----------------------------------------------------------

def test_the_default_case_places_every_event_in_the_round_of_its_day(default_scenario):
    s = default_scenario
    at = {i: r.index for r in s.rounds for i in r.injects}
    assert at["colony_remark"] == at["navarro_rebuff"] == at["tariff_46"] == 1  # reported by 7 April
    assert at["china_visit"] == 2 and s.inject("china_visit").available_from == "2025-04-14"
    for rnd in s.rounds:
        assert rnd.starts is not None and rnd.ends is not None
        for inject_id in rnd.injects:
            assert rnd.starts <= s.inject(inject_id).available_from <= rnd.ends
    for before, after in zip(s.rounds, s.rounds[1:]):
        assert before.ends < after.starts


@pytest.mark.parametrize("card,first", [
    ("vn_written_response", 3),  # presented in Paris on 4 June
    ("vn_farm_mous", 3),  # signed 2–6 June
    ("vn_transship_directive", 2),  # 15 April
    ("us_tariff_order", 6),  # 31 July
    ("us_mes_review", 6),  # asked for in Vietnam's readout of 2 July
])
def test_the_default_case_cards_play_from_the_round_of_their_day(default_scenario, card, first):
    assert default_scenario.first_round_from(default_scenario.deliverable(card).available_from) == first


def test_the_default_case_invents_no_annex_or_co_signature(default_scenario):
    s = default_scenario
    boeing = s.deliverable("vn_boeing_order")
    assert "annex" not in boeing.title.en.lower() + boeing.description.en.lower()
    assert "phụ lục" not in boeing.title.vi.lower() + boeing.description.vi.lower()
    assert "26 October 2025" in boeing.description.en  # where the firm figure of 50 aircraft comes from
    assert "26/10/2025" in boeing.description.vi
    assert s.deliverable("us_export_controls").prepared_by == ["us_commerce"]
    assert "0% list" not in s.deliverable("us_mes_review").description.en
