"""The Organisational Alignment Index on recorded games: aligned beats divided on the same deal."""

from __future__ import annotations

from collections import Counter

import pytest

from game.engine import FACILITATOR, MOVE_ADAPTER
from game.engine.facts import card_possible
from game.engine.words import paragraph
from game.scoring import RULES, annotations_visible_to, score_match
from game.scoring.moved import credibility_line
from game.scoring.rules import SUBSCORES
from game.scenario_files import default_scenario
from tests.scoring import games
from tests.scoring.test_epilogue_scoring import epilogue_rules_fired


def rules_fired(score, team):
    return Counter(a.rule for a in score.annotations if a.team == team)


def test_same_deal_aligned_team_scores_clearly_higher(tiny, aligned_game, divided_game):
    aligned, divided = score_match(tiny, aligned_game.events), score_match(tiny, divided_game.events)
    assert aligned_game.state.result.package == divided_game.state.result.package == games.FINAL
    assert aligned.outcome == divided.outcome  # the same package: the same outcome layer
    assert aligned.alignment["blue"].index >= divided.alignment["blue"].index + 40
    assert aligned.alignment["blue"].index >= 70
    assert divided.alignment["blue"].backpedal_penalty > 0
    # Red played the same moves in both games and is scored the same.
    assert aligned.alignment["red"] == divided.alignment["red"]
    # Aligned Blue is at least as good on every dimension, and better on most.
    better = [d for d in SUBSCORES if aligned.alignment["blue"].subscores[d] > divided.alignment["blue"].subscores[d]]
    assert all(aligned.alignment["blue"].subscores[d] >= divided.alignment["blue"].subscores[d] for d in SUBSCORES)
    assert len(better) >= 5
    assert aligned.leaderboard["blue"].score > divided.leaderboard["blue"].score


def test_the_aligned_game_earns_what_it_did(tiny, aligned_game):
    fired = rules_fired(score_match(tiny, aligned_game.events), "blue")
    assert fired["alignment.objection_resolved"] == 1  # the minister's objection, resolved by a redraft
    assert fired["alignment.mandate_endorsed"] == 2  # rounds 1 and 2
    assert fired["execution.commitment"] == 1
    assert fired["execution.backed_concession"] == 1  # price to mid, backed by the committed order
    assert fired["execution.followed_through"] == 1
    assert fired["visibility.capability_shown"] == 1 and fired["visibility.alignment_shown"] == 1
    assert fired["signals.probe"] == 1 and fired["signals.composure"] == 1
    assert fired["levels.level_used"] == 2  # minister in round 1, leader in round 2
    assert fired["power.credibility_kept"] == 2 and fired["power.deal_within_mandate"] == 1
    assert not [r for r in fired if RULES_BY_SIGN[r] < 0]


RULES_BY_SIGN = {r.id: r.points for r in RULES}


def test_the_divided_game_pays_for_each_failure(tiny, divided_game):
    fired = rules_fired(score_match(tiny, divided_game.events), "blue")
    assert fired["alignment.mandate_unendorsed"] == 2
    assert fired["alignment.objection_overruled"] == 1  # once per objection, not every round
    assert fired["alignment.beyond_walkaway"] == 2
    assert fired["execution.empty_promise"] == 2  # the order was never prepared
    assert fired["execution.unbacked_deal_term"] == 1
    assert fired["visibility.hollow_alignment"] == 1
    assert fired["signals.lost_composure"] == 1  # the recess right after the shock
    assert fired["backpedal.unplanned_recess"] == 1
    assert fired["backpedal.worse_offer"] == 1  # the boss takes price back to low
    assert fired["backpedal.reopened"] == 1  # ... and reopens delivery, agreed on both offers
    assert fired["backpedal.contradiction"] == 1  # the minister answers the boss with another package
    assert fired["backpedal.objector_offer"] == 2
    assert fired["power.deal_beyond_mandate"] == 1
    assert fired["power.credibility_kept"] == 0


def test_every_annotation_points_at_the_move_that_caused_it(tiny, aligned_game, divided_game, long_game):
    for game in (aligned_game, divided_game, long_game, games.tiny_no_deal(tiny)):
        score = score_match(tiny, game.events)
        by_seq = {e.seq: e for e in game.events}
        roles = {r.id: r.team for r in tiny.roles}
        for a in score.annotations:
            assert a.seq in by_seq and a.scored_at in by_seq and a.seq <= a.scored_at
            event = by_seq[a.seq]
            # A round-end judgement belongs to the round that ended, not to the one the next phase starts.
            ended = event.type == "phase_started" and a.seat is None
            assert a.round == (event.round - 1 if ended else event.round), a
            if a.seat is not None:
                assert by_seq[a.seq].actor == a.seat, a
                assert roles[a.seat] == a.team
            assert a.citation.seed == "redbear_alignment" and a.citation.quote and a.lesson
            assert str(a.reason).endswith(".") and "%(" not in str(a.reason), a.reason
        assert [a.id for a in score.annotations] == list(range(len(score.annotations)))


def test_subscores_are_the_sum_of_their_annotations_effects(tiny, divided_game):
    score = score_match(tiny, divided_game.events)
    for team, alignment in score.alignment.items():
        for dimension in SUBSCORES:
            effects = sum(round(a.effect * 10) for a in score.annotations if a.team == team and a.dimension == dimension)
            assert round(alignment.subscores[dimension] * 10) == effects  # from 0: no evidence, no score
        penalty = -sum(a.delta for a in score.annotations if a.team == team and a.dimension == "backpedal")
        assert alignment.backpedal_penalty == penalty
        assert 0 <= alignment.index <= 100


def test_contributions_add_up_per_seat(tiny, divided_game):
    score = score_match(tiny, divided_game.events)
    assert set(score.contributions) == {r.id for r in tiny.roles}
    for seat, c in score.contributions.items():
        mine = [a for a in score.annotations if a.seat == seat]
        assert c.annotations == [a.id for a in mine]
        assert c.total == sum(a.delta for a in mine) == sum(c.points.values())
        assert sum(c.marks.values()) == len(mine)
    # The divided minister carries the blunders; the boss carries the backpedal.
    assert score.contributions["blue_min"].marks["??"] >= 3
    assert score.contributions["blue_boss"].points["backpedal"] == -14


def test_annotations_are_private_to_the_team_until_the_game_is_over(tiny, divided_game):
    score = score_match(tiny, divided_game.events)
    live_red = annotations_visible_to(tiny, score.annotations, "red_tech", finished=False)
    assert live_red and {a.team for a in live_red} == {"red"}
    live_blue = annotations_visible_to(tiny, score.annotations, "blue_boss", finished=False)
    assert {a.team for a in live_blue} == {"blue"}
    assert annotations_visible_to(tiny, score.annotations, FACILITATOR, finished=False) == score.annotations
    assert annotations_visible_to(tiny, score.annotations, "observer", finished=False) == []
    assert annotations_visible_to(tiny, score.annotations, "red_tech", finished=True) == score.annotations


def test_multi_level_engagement_counts_the_acting_roles_level(tiny):
    g = games.Game(tiny)
    g.start()
    g.advance_to("table", 2)  # round 2 needs the leader level; Blue opens
    g.play("blue_min", {"kind": "statement", "text": "The minister speaks."})
    g.play("red_boss", {"kind": "statement", "text": "The leader speaks."})
    g.play("blue_min", {"kind": "statement", "text": "The minister again."})
    g.play("red_tech", {"kind": "statement", "text": "The technician."})
    assert rules_fired(score_match(tiny, g.events), "blue")["levels.level_missing"] == 0  # judged at the round's end
    g.play(FACILITATOR, {"kind": "end"})
    score = score_match(tiny, g.events)
    assert rules_fired(score, "red")["levels.level_used"] == 1
    assert rules_fired(score, "blue")["levels.level_missing"] == 1  # Blue never brought its leader


def test_a_planned_recess_is_not_a_backpedal_but_a_second_one_is(tiny):
    g = games.Game(tiny)
    g.start()
    g.advance_to("caucus", 1)
    g.play("red_boss", {"kind": "draft_mandate", "issues": games.RED_MANDATE})
    g.play("red_tech", {"kind": "endorse_mandate", "version": 1})
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "recess", "reason": "a planned pause to consult our exporters"})
    g.advance_to("table", 1)
    g.play("blue_min", {"kind": "statement", "text": "We wait."})
    g.play("red_tech", {"kind": "recess", "reason": "again"})
    fired = rules_fired(score_match(tiny, g.events), "red")
    assert fired["backpedal.unplanned_recess"] == 1


@pytest.mark.parametrize("details,fires", [
    (paragraph(credibility_line(0.0, 0.3, True), "Target 70."), True),  # the bot says its estimate moved the offer
    (paragraph(credibility_line(0.0, 0.3, False), "Target 70."), False),  # its estimate changed, the offer would not have
    (str(credibility_line(0.0, 0.3, True)) + " Target 70.", True),  # a log written before bots' details were sentences
    (None, False),  # a better offer that gives no such cause (a human's) claims nothing
])
def test_a_credible_move_is_brilliant_only_when_it_moved_the_other_sides_offer(tiny, details, fires):
    g = games.Game(tiny)
    g.start()
    g.advance_to("caucus", 0)
    g.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "propose", "package": {"price": "low", "volume": "big", "delivery": "fast"}})
    g.play("red_tech", {"kind": "show_capability", "deliverable": "red_schedule", "text": "Our schedule is signed."})
    shown = g.events[-1].seq
    g.play("red_tech", {"kind": "statement", "text": "Your move."})
    move = {"kind": "propose", "package": games.FINAL, "note": "We come closer."}  # better for Red than low
    if details:
        move["details"] = details
    [proposed, *_] = g.play("blue_min", MOVE_ADAPTER.validate_python(move))  # a bot's move
    moved = [a for a in score_match(tiny, g.events).annotations if a.rule == "power.moved_them"]
    assert len(moved) == (1 if fires else 0)
    if fires:
        assert (moved[0].team, moved[0].seat, moved[0].seq, moved[0].mark) == ("red", "red_tech", shown, "!!")
        assert moved[0].scored_at == proposed.seq


def test_an_inject_asking_for_a_concrete_proposal_is_answered_by_a_package(tiny):
    concrete = tiny.model_copy(update={"injects": [tiny.injects[0].model_copy(update={"expects": "concrete_proposal"})]})
    answered, ignored = games.Game(concrete), games.Game(concrete)
    for g in (answered, ignored):
        g.start()
        g.advance_to("table", 1)
    answered.play("red_tech", {"kind": "propose", "package": games.FINAL})
    for text in ("Words.", "More words."):
        ignored.play("red_tech", {"kind": "statement", "text": text})
        ignored.play("blue_min", {"kind": "statement", "text": "Noted."})
    assert rules_fired(score_match(concrete, answered.events), "red")["signals.concrete_proposal"] == 1
    fired = rules_fired(score_match(concrete, ignored.events), "red")
    assert fired["signals.vague_response"] == 1 and fired["signals.concrete_proposal"] == 0


def test_rule_caps_hold_within_a_round(tiny, long_game):
    score = score_match(tiny, long_game.events)
    per_round = Counter((a.team, a.round, a.rule) for a in score.annotations)
    caps = {r.id: r.cap_per_round for r in RULES if r.cap_per_round}
    assert any(rule == "signals.probe" for _, _, rule in per_round)
    for (_, _, rule), n in per_round.items():
        if rule in caps:
            assert n <= caps[rule]


def test_the_default_scenario_aligned_vietnam_beats_divided_vietnam(default_or_skip):
    scenario = default_or_skip
    aligned_game = games.default_game(scenario, aligned=True)
    divided_game = games.default_game(scenario, aligned=False)
    assert aligned_game.state.result.kind == divided_game.state.result.kind == "deal"
    # Both reach the historical package as far as Vietnam's roles could sign it: the record's
    # transshipment and vn_asks terms cross three of their red lines, so those two sit at the lines.
    final = games.signable_package(scenario, "vn")
    assert final != scenario.historical_outcome.package
    assert aligned_game.state.result.package == divided_game.state.result.package == final
    aligned, divided = score_match(scenario, aligned_game.events), score_match(scenario, divided_game.events)
    assert aligned.outcome == divided.outcome
    assert aligned.alignment["vn"].index >= divided.alignment["vn"].index + 40
    fired = rules_fired(aligned, "vn")
    assert fired["alignment.red_line_crossed"] == fired["alignment.blank_cheque"] == 0
    assert fired["execution.backed_concession"] >= 3 and fired["execution.empty_promise"] == 0
    # The divided team concedes without its cards; only a card whose act was already possible makes
    # such a concession an empty promise.
    empty = [a for a in divided.annotations if a.team == "vn" and a.rule == "execution.empty_promise"]
    assert len(empty) >= 2
    cards = {str(d.title): d.id for d in scenario.deliverables if d.team == "vn"}
    for a in empty:
        named = [c for title, c in cards.items() if title in str(a.reason)]
        assert named and all(card_possible(scenario, c, a.round) for c in named), str(a.reason)


def test_the_default_scenario_aligned_us_beats_divided_us_reaching_the_same_deal(default_or_skip):
    # The divided US (the minister objects, nobody redrafts, its walk-aways at its ideal) signs the same
    # package as the aligned one: the whole gap is alignment, and it is worth at least 20 leaderboard points.
    scenario = default_or_skip
    aligned_game = games.default_game(scenario, aligned=True, subject="us")
    divided_game = games.default_game(scenario, aligned=False, subject="us")
    assert aligned_game.state.result.package == divided_game.state.result.package
    aligned, divided = score_match(scenario, aligned_game.events), score_match(scenario, divided_game.events)
    assert aligned.outcome == divided.outcome
    assert aligned.leaderboard["us"].score >= divided.leaderboard["us"].score + 20
    assert rules_fired(divided, "us")["alignment.objection_overruled"] >= 1


def test_a_commitment_the_deal_does_not_use_is_dropped_and_a_statement_reassures(tiny):
    calm = tiny.model_copy(update={"injects": [tiny.injects[0].model_copy(update={"expects": "reassurance"})]})
    g = games.Game(calm)
    g.start()
    g.advance_to("caucus", 0)
    g.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    g.play("red_tech", {"kind": "statement", "text": "We are here to make this work for both of us."})
    g.play("blue_min", {"kind": "propose", "package": {"price": "high", "volume": "some", "delivery": "fast"}})
    g.play("red_tech", {"kind": "accept", "offer": g.offer("blue")})
    score = score_match(calm, g.events)
    fired = rules_fired(score, "red")
    assert fired["signals.reassurance"] == 1
    assert fired["execution.commitment_dropped"] == 1  # the schedule backs volume big; the deal says some
    assert fired["execution.followed_through"] == 0


def test_no_evidence_scores_nothing_not_half(tiny, aligned_game):
    score = score_match(tiny, [])
    assert (score.version, score.finished, score.result, score.annotations) == (0, False, None, [])
    assert all(a.index == 0.0 and set(a.subscores.values()) == {0.0} for a in score.alignment.values())
    assert score_match(tiny, aligned_game.events).alignment["blue"].index > 50


def test_every_rule_can_fire(tiny, aligned_game, divided_game, long_game):
    """No dead rules: together, the recorded games of this folder trigger every rule of the table."""
    concrete = tiny.model_copy(update={"injects": [tiny.injects[0].model_copy(update={"expects": "concrete_proposal"})]})
    calm = tiny.model_copy(update={"injects": [tiny.injects[0].model_copy(update={"expects": "reassurance"})]})
    fired = set()
    for game in (aligned_game, divided_game, long_game, games.tiny_no_deal(tiny), games.tiny_below_batna(tiny),
                 *games.rule_games(tiny)):
        fired |= {a.rule for a in score_match(tiny, game.events).annotations}
    # concrete answer / vague answer, and a missing level at a round's end
    answered = games.Game(concrete)
    answered.start()
    answered.advance_to("table", 1)
    answered.play("red_tech", {"kind": "propose", "package": games.FINAL})
    answered.play("blue_min", {"kind": "statement", "text": "Noted."})
    answered.play("red_tech", {"kind": "statement", "text": "Well?"})
    answered.play("blue_min", {"kind": "statement", "text": "Still noted."})
    answered.advance_to("table", 2)  # a leader round: Blue's minister speaks, its leader never does
    answered.play("blue_min", {"kind": "statement", "text": "The minister speaks for us."})
    answered.play(FACILITATOR, {"kind": "end"})
    fired |= {a.rule for a in score_match(concrete, answered.events).annotations}
    # reassurance and a dropped commitment
    g = games.Game(calm)
    g.start()
    g.advance_to("caucus", 0)
    g.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    g.play("red_tech", {"kind": "statement", "text": "We are here to make this work."})
    g.play("blue_min", MOVE_ADAPTER.validate_python({"kind": "propose", "package": {"price": "high", "volume": "some", "delivery": "fast"},
                                                     "note": "Your commitment moved us.", "details": credibility_line(0.0, 0.2, True)}))
    g.play("red_tech", {"kind": "accept", "offer": g.offer("blue")})
    fired |= {a.rule for a in score_match(calm, g.events).annotations}
    fired |= epilogue_rules_fired(default_scenario())  # the tiny case has no epilogue
    assert fired == {r.id for r in RULES}, sorted({r.id for r in RULES} - fired)
