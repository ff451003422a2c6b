"""One test per rule the rubric used to get wrong: each pins down what a trainee would notice."""

from __future__ import annotations

from collections import Counter

from game.scoring import DEFAULT_WEIGHTS, joint_space, score_match
from tests.scoring import games


def fired(score, team):
    return Counter(a.rule for a in score.annotations if a.team == team)


def test_a_further_concession_on_an_agreed_item_is_not_reopening(tiny):
    conceded = score_match(tiny, games.concession_on_agreed_item(tiny).events)
    assert fired(conceded, "red")["backpedal.reopened"] == 0
    assert conceded.alignment["red"].backpedal_penalty == 0
    taken_back = score_match(tiny, games.concession_on_agreed_item(tiny, worse=True).events)
    assert fired(taken_back, "red")["backpedal.reopened"] == 1


def test_a_deal_below_the_batna_earns_no_joint_and_no_mandate_credit(tiny):
    score = score_match(tiny, games.below_batna_within_mandate(tiny).events)
    red = fired(score, "red")
    assert score.outcome["red"].below_batna
    assert red["power.deal_within_mandate"] == 0 and red["power.deal_below_batna"] == 1
    entry = score.leaderboard["red"]
    assert entry.joint == 0.0 and entry.outcome < 0
    # Walking away with the same alignment (outcome 0, joint 0) would have scored more.
    assert entry.score < DEFAULT_WEIGHTS["alignment"] * entry.alignment
    assert score.leaderboard["blue"].joint > 0  # Blue's deal is above its own BATNA


def test_round_end_notes_name_the_round_that_ended(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events)
    kept = [a for a in score.annotations if a.rule == "power.credibility_kept" and a.team == "blue"]
    assert [a.round for a in kept] == [1, 2]
    assert "through round 1" in str(kept[0].reason) and "through round 2" in str(kept[1].reason)
    missing = score_match(tiny, games.ideal_as_answer(tiny).events)  # (no level notes expected there)
    assert all(f"round {a.round}" in str(a.reason) for a in missing.annotations if a.rule == "levels.level_missing")


def test_credibility_is_kept_only_by_a_team_with_something_on_the_table(tiny):
    score = score_match(tiny, games.talk_only_round(tiny).events)
    assert fired(score, "red")["power.credibility_kept"] == 0  # Red only talked
    assert fired(score, "blue")["power.credibility_kept"] == 1  # Blue's offer stood through round 1


def test_an_angry_statement_is_not_composure(tiny):
    score = score_match(tiny, games.angry_answer(tiny).events)
    blue = fired(score, "blue")
    assert blue["signals.composure"] == 0
    assert blue["signals.lost_composure"] == 1 and blue["backpedal.hostile_statement"] == 1
    assert any("hostile" in str(a.reason) for a in score.annotations if a.rule == "signals.lost_composure")


def test_a_statement_is_read_in_the_language_it_is_written_in(tiny):
    """A Vietnamese trainee's words count as an English speaker's: an angry answer loses composure, a
    concession framed as a long-term choice is framed, and a calm one is neither."""
    angry = fired(score_match(tiny, games.angry_answer(tiny, "Đây là sự xúc phạm, chúng tôi sẽ ghi nhớ điều này.").events), "blue")
    assert angry["signals.lost_composure"] == 1 and angry["backpedal.hostile_statement"] == 1
    calm = fired(score_match(tiny, games.angry_answer(tiny, "Chúng tôi sẽ cân nhắc đề xuất này.").events), "blue")
    assert calm["signals.lost_composure"] == 0 and calm["signals.composure"] == 1
    framed = "Chúng tôi chọn bước đi này với tư cách đối tác lâu dài trong chuỗi cung ứng của quý vị."
    assert fired(score_match(tiny, games.patient_blue(tiny, framing=framed).events), "blue")["visibility.framed_concession"] == 1
    plain = fired(score_match(tiny, games.patient_blue(tiny, framing="Chúng tôi sẽ xem xét.").events), "blue")
    assert plain["visibility.framed_concession"] == 0


def test_restating_your_own_ideal_is_not_a_concrete_answer(tiny):
    concrete = tiny.model_copy(update={"injects": [tiny.injects[0].model_copy(update={"expects": "concrete_proposal"})]})
    score = score_match(concrete, games.ideal_as_answer(concrete).events)
    blue = fired(score, "blue")
    assert blue["signals.concrete_proposal"] == 0 and blue["signals.vague_response"] == 1


def test_a_mistake_costs_the_same_in_every_round(tiny, divided_game):
    score = score_match(tiny, divided_game.events)
    unendorsed = [a for a in score.annotations if a.team == "blue" and a.rule == "alignment.mandate_unendorsed"]
    assert [a.round for a in unendorsed] == [1, 2]
    assert unendorsed[0].effect == unendorsed[1].effect == -20.0


def test_a_blank_cheque_mandate_is_named_and_earns_no_alignment_credit(tiny):
    score = score_match(tiny, games.blank_cheque(tiny).events)
    red = fired(score, "red")
    assert red["alignment.blank_cheque"] == 1 and red["alignment.mandate_endorsed"] == 0
    assert red["alignment.red_line_crossed"] == 1 and red["power.deal_within_mandate"] == 0
    tech = score.roles["red_tech"]
    assert tech.blank_cheque and tech.mandate_red_lines_crossed == ["delivery"]
    assert tech.deal_red_lines_crossed == ["delivery"]
    assert score.roles["red_boss"].blank_cheque is False


def test_patience_on_the_core_and_framing_are_scored(tiny):
    patient = score_match(tiny, games.patient_blue(tiny).events)
    blue = fired(patient, "blue")
    assert blue["power.patient_flexible"] == 1 and blue["visibility.framed_concession"] == 1
    note = next(a for a in patient.annotations if a.rule == "power.patient_flexible")
    assert note.lesson == "Strategic Patience with Tactical Flexibility" and note.round == 1
    rushed = fired(score_match(tiny, games.patient_blue(tiny, rushed=True).events), "blue")
    assert rushed["power.rushed_concession"] == 1 and rushed["power.patient_flexible"] == 0


def test_repeated_and_out_of_context_moves_earn_nothing_and_are_marked(tiny):
    score = score_match(tiny, games.repeated_moves(tiny).events)
    blue = fired(score, "blue")
    assert blue["visibility.alignment_shown"] == 1 and blue["visibility.repeated_claim"] == 1
    assert blue["signals.probe"] == 0 and blue["signals.idle_probe"] == 1
    marks = {a.rule: a.mark for a in score.annotations if a.team == "blue"}
    assert marks["visibility.repeated_claim"] == marks["signals.idle_probe"] == "?!"


def test_every_nash_point_is_reported_and_the_nearest_is_used(default_or_skip):
    space = joint_space(default_or_skip)
    ta, tb = space.teams
    assert [(p.points[ta], p.points[tb]) for p in space.nash_points] == [(75, 68), (70, 73)]
    package = space.nash_points[1].packages[0]
    assert space.evaluate(package).distance_to_nash == 0.0


def test_the_red_line_feasible_set_is_reported_beside_the_batna_one(default_or_skip):
    space = joint_space(default_or_skip)
    assert space.zopa_count == 13505 and len(space.frontier) == 40
    assert space.red_line_count == 48 and len(space.red_line_frontier) == 7
    summary = space.summary()
    assert summary.red_line_count == 48 and len(summary.nash_points) == 2


def test_the_objectors_view_is_kept_after_the_objection_is_resolved(tiny, aligned_game, divided_game):
    aligned = score_match(tiny, aligned_game.events).roles["blue_min"]
    assert aligned.stance == "endorsed" and aligned.objection == "we cannot promise delivery we do not control"
    divided = score_match(tiny, divided_game.events).roles["blue_min"]
    assert divided.stance == "objected" and divided.objection == "a price walk-away of low leaves no room"
    # Satisfaction reads the role's priorities: price (weight 4) sits half way for Blue at mid; volume and
    # delivery (weight 1 each) at Blue's best: (4 x 0.5 + 1 + 1) / 6.
    assert divided.deal_satisfaction == 66.7


def test_a_team_that_ends_its_rounds_divided_earns_no_organisational_power_credit():
    # Two US roles object and nobody redrafts: whatever the team keeps at the table, its house is split,
    # so no round earns "credibility kept" or "patient on the core" -- while the same play aligned does.
    from game.bots import play_game
    from game.bots.scripted import strategy_player
    from game.scenario_files import default_scenario

    scenario = default_scenario()
    divided = score_match(scenario, play_game(scenario, {"vn": "vn_pragmatic", "us": strategy_player(scenario, "divided_team")}, 1))
    aligned = score_match(scenario, play_game(scenario, {"vn": "vn_pragmatic", "us": strategy_player(scenario, "principled")}, 1))
    assert fired(divided, "us")["alignment.objection_overruled"] > 0  # the house really is split
    assert fired(divided, "us")["power.credibility_kept"] == 0
    assert fired(divided, "us")["power.patient_flexible"] == 0
    assert fired(aligned, "us")["power.credibility_kept"] > 0


def test_a_card_whose_day_had_not_come_is_no_missing_backing_at_the_deal():
    # An early deal (the US bot closes in June): the US cards' acts (the June and July orders) were not
    # yet possible, so the deal's terms they would back are not "left unbacked".
    from game.bots import play_game
    from game.engine import MatchSetup, replay
    from game.engine.facts import card_possible
    from game.scenario_files import default_scenario

    scenario = default_scenario()
    events = play_game(scenario, {"vn": "vn_dealseeker", "us": "us_pragmatic"}, 2)
    state = replay(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=2), events)
    assert state.result is not None and state.result.kind == "deal"
    package = state.result.package
    not_yet = [c for c in scenario.deliverables if c.team == "us" and not card_possible(scenario, c.id, state.round)
               and any(package.get(b.issue) in b.options for b in c.backs)]
    assert not_yet, "the deal should include a term that only a not-yet-possible card backs"
    score = score_match(scenario, events)
    flagged = [a for a in score.annotations if a.team == "us" and a.rule == "execution.unbacked_deal_term"]
    assert not any(c.title in str(a.reason) for c in not_yet for a in flagged)


def test_a_dimension_no_card_could_reach_is_left_out_of_the_index():
    # The US bot closes in June, before any US card's act was possible: the execution dimension had no
    # evidence to read, so it is left out of the US index (neither 0 nor paid), while Vietnam's cards
    # were possible and its execution counts.
    from game.bots import play_game
    from game.scenario_files import default_scenario
    from game.scoring import INDEX_WEIGHTS

    scenario = default_scenario()
    score = score_match(scenario, play_game(scenario, {"vn": "vn_dealseeker", "us": "us_pragmatic"}, 2))
    us, vn = score.alignment["us"], score.alignment["vn"]
    assert score.result == "deal"
    assert us.left_out == ["execution"] and us.credit["execution"] == us.debit["execution"] == 0
    assert vn.left_out == []
    rest = {d: w for d, w in INDEX_WEIGHTS.items() if d != "execution"}
    mean = sum(w * us.subscores[d] for d, w in rest.items()) / sum(rest.values())
    assert us.index == round(mean - us.backpedal_penalty, 1)
    assert us.index > round(sum(INDEX_WEIGHTS[d] * us.subscores[d] for d in INDEX_WEIGHTS), 1) + 10


def test_a_team_whose_cards_were_possible_gets_no_pass_for_leaving_them_unused(tiny):
    # Blue's card has no date: a game without any execution evidence still counts execution, at 0.
    score = score_match(tiny, games.tiny_no_deal(tiny).events)
    assert score.alignment["blue"].left_out == [] and score.alignment["red"].left_out == []


def test_a_mistake_costs_the_same_however_many_came_before(tiny, divided_game):
    # Divided Blue goes beyond its walk-away twice; the second breach costs what the first did, even
    # though the alignment sub-score is already far below 0.
    score = score_match(tiny, divided_game.events)
    breaches = [a for a in score.annotations if a.team == "blue" and a.rule == "alignment.beyond_walkaway"]
    assert len(breaches) == 2
    assert breaches[0].effect == breaches[1].effect == 2 * breaches[0].delta
    assert score.alignment["blue"].subscores["alignment"] < -100
