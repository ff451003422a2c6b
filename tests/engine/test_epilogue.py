"""The epilogue: a deal opens the aftermath when the match plays it; each team answers the pressures put
to it (hold, clarify, reopen a term), and the game ends with the deal as it then stands."""

from __future__ import annotations

import pytest

from game.engine import FACILITATOR, MoveError, legal_moves, move_options, replay
from game.engine.words import english
from tests.engine.scripts import play_to_deal


def answer(s, team, pressure, choice, **fields):
    seat = s.scenario.roles_of(team)[1].id
    return s.play(seat, {"kind": "answer_pressure", "pressure": pressure, "choice": choice, **fields})


def test_without_the_epilogue_a_deal_still_ends_the_game(default_scenario):
    s = play_to_deal(default_scenario)
    assert s.state.status == "finished" and s.state.epilogue is None
    assert s.state.result.package == default_scenario.historical_outcome.package


def test_a_deal_opens_the_epilogue_with_its_dated_news(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    assert s.state.status == "running" and s.state.phase == "epilogue"
    assert s.state.epilogue.deal == default_scenario.historical_outcome.package
    assert s.state.injects[-3:] == ["framework_26oct", "court_ruling_20feb", "export_list_20feb"]
    seat = default_scenario.roles_of("vn")[0].id
    assert "answer_pressure" in legal_moves(default_scenario, s.state, seat)
    assert english(move_options(default_scenario, s.state, seat)["propose"]) == "That move belongs to the Table phase; this is the Epilogue phase."


def test_holding_and_clarifying_keep_the_deal_and_the_last_answer_ends_the_game(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    answer(s, "us", "transshipment_scope_us", "clarify", text="Transshipment means goods that fail the agreed origin rules.")
    answer(s, "us", "ruling_us", "hold")
    answer(s, "vn", "transshipment_scope_vn", "hold")
    answer(s, "vn", "ruling_vn", "hold")
    assert s.state.status == "running"
    answer(s, "vn", "export_list_vn", "clarify", text="Our supply-chain commitments stand.")
    assert s.state.status == "finished"
    assert s.state.result.kind == "deal"
    assert s.state.result.package == default_scenario.historical_outcome.package
    assert "held through the epilogue" in english(s.state.result.reason)
    answers = s.state.epilogue.answers
    assert answers["transshipment_scope_us"].text.startswith("Transshipment means")
    assert {a.choice for a in answers.values()} == {"hold", "clarify"}


def test_reopening_a_term_changes_the_final_deal_against_the_other_side(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    answer(s, "vn", "transshipment_scope_vn", "reopen", issue="transshipment", option="existing_rules")
    assert s.state.epilogue.package["transshipment"] == "existing_rules"
    assert s.state.epilogue.answers["transshipment_scope_vn"].was == "unilateral_40"
    s.advance()  # the facilitator closes the epilogue; the other questions stay unanswered
    assert s.state.status == "finished"
    final = s.state.result.package
    assert final["transshipment"] == "existing_rules"
    us_sheet = default_scenario.team("us").points
    assert us_sheet["transshipment"]["existing_rules"] < us_sheet["transshipment"]["unilateral_40"]
    assert "Transshipment and rules of origin (by Vietnam) was reopened" in english(s.state.result.reason)
    assert replay(default_scenario, s.setup, s.events) == s.state


@pytest.mark.parametrize(
    "team, move, code, message",
    [
        ("us", {"pressure": "ruling_vn", "choice": "hold"}, "move/not_your_turn", "That question is put to Vietnam"),
        ("vn", {"pressure": "no_such", "choice": "hold"}, "move/illegal", "There is no pressure “no_such”"),
        ("vn", {"pressure": "ruling_vn", "choice": "clarify"}, "move/illegal", "A clarification is a statement"),
        ("vn", {"pressure": "ruling_vn", "choice": "reopen", "issue": "us_tariff", "option": "t0"}, "move/illegal",
         "This pressure puts only Vietnam's tariffs on US goods, Purchase commitments in question"),
        ("vn", {"pressure": "ruling_vn", "choice": "reopen", "issue": "vn_tariffs", "option": "zero_all"}, "move/illegal",
         "Reopening asks United States for more than the deal gives"),
        ("vn", {"pressure": "ruling_vn", "choice": "reopen"}, "move/illegal", "To reopen, name the term"),
        ("vn", {"pressure": "ruling_vn", "choice": "hold", "issue": "vn_tariffs"}, "move/illegal", "Only a reopening names a term"),
        ("us", {"pressure": "transshipment_scope_us", "choice": "reopen", "issue": "transshipment", "option": "flat_40"},
         "move/illegal", "worse for them than"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_reason_and_change_nothing(default_scenario, team, move, code, message):
    s = play_to_deal(default_scenario, epilogue=True)
    before = s.state
    seat = default_scenario.roles_of(team)[1].id
    with pytest.raises(MoveError) as exc:
        s.play(seat, {"kind": "answer_pressure", **move})
    assert exc.value.code == code and message in english(exc.value.message)
    assert s.state is before and s.state.epilogue.answers == {}


def test_a_question_is_answered_once_and_only_in_the_epilogue(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    answer(s, "vn", "ruling_vn", "hold")
    with pytest.raises(MoveError, match="already answered this question: it chose to hold"):
        answer(s, "vn", "ruling_vn", "reopen", issue="purchases", option="none")
    answer(s, "us", "ruling_us", "hold")
    answer(s, "us", "transshipment_scope_us", "hold")
    seat = default_scenario.roles_of("us")[1].id
    assert english(move_options(default_scenario, s.state, seat)["answer_pressure"]) == (
        "Your team has answered every question of the epilogue; the other team is still deciding.")


def test_an_answer_before_the_deal_is_a_wrong_phase_move(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    early = s.__class__(default_scenario, epilogue=True)
    early.play(FACILITATOR, {"kind": "start"})
    with pytest.raises(MoveError) as exc:
        answer(early, "vn", "ruling_vn", "hold")
    assert exc.value.code == "move/wrong_phase" and "That move belongs to the Epilogue phase" in english(exc.value.message)
    # Its news cannot be pushed before the deal either.
    with pytest.raises(MoveError, match="after the talks: it lands in the epilogue"):
        early.play(FACILITATOR, {"kind": "push_inject", "inject": "court_ruling_20feb"})
    assert s.state.phase == "epilogue"


def test_ending_the_game_in_the_epilogue_keeps_the_deal(default_scenario):
    s = play_to_deal(default_scenario, epilogue=True)
    answer(s, "us", "ruling_us", "reopen", issue="us_tariff", option="t30")
    s.play(FACILITATOR, {"kind": "end", "reason": "time is up"})
    assert s.state.result.kind == "deal" and s.state.result.package["us_tariff"] == "t30"
    assert "time is up" in english(s.state.result.reason)
