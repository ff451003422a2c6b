"""The fast strategy-ranking suite: the rubric must rank principled play first against every persona,
with either team scripted."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from game.bots import play_game
from game.bots.rubric_suite import run_suite
from game.bots.scripted import STRATEGIES, strategy_player
from game.engine.facts import card_possible
from game.scoring import score_match


@pytest.mark.parametrize("team", ["vn", "us"])
def test_the_rubric_ranks_principled_play_first_and_punishes_degenerate_play(default_or_skip, team):
    scenario = default_or_skip
    report = run_suite(scenario, team, seeds=(1,))
    assert len(STRATEGIES) >= 12
    personas = {r.persona for r in report.rows}
    assert personas == {p.id for p in scenario.personas_for(scenario.other_team(team))}
    failed = [f"{c['persona']}: {c['check']} ({c['detail']})" for c in report.checks if not c["ok"]]
    assert not failed, "\n".join(failed)
    kinds = {c["check"].split(" ")[0] for c in report.checks}
    assert len(report.checks) == 4 * len(personas), kinds


def test_principled_play_signs_no_term_before_its_card_can_back_it(default_or_skip):
    # Vietnam's deal-seeker offers the US a good package in June, before any US card's act is possible.
    # The US bot takes it at once; the principled US waits until its cards are ready, commits them and
    # signs a deal whose card-backed terms are all backed, while the team that shows its cards but
    # never commits them reaches the same table and leaves those terms unbacked.
    scenario = default_or_skip
    bot = play_game(scenario, {"vn": "vn_dealseeker", "us": "us_pragmatic"}, 2)
    principled = play_game(scenario, {"vn": "vn_dealseeker", "us": strategy_player(scenario, "principled")}, 2)
    words = play_game(scenario, {"vn": "vn_dealseeker", "us": strategy_player(scenario, "show_never_commit")}, 2)
    early_round = bot[-1].round
    assert not any(card_possible(scenario, d.id, early_round) for d in scenario.deliverables if d.team == "us")
    assert principled[-1].round > early_round
    score = score_match(scenario, principled)
    assert score.result == "deal"
    us = Counter(a.rule for a in score.annotations if a.team == "us")
    package = score.joint.deal.package
    backed_terms = [c for c in scenario.deliverables if c.team == "us" and any(package.get(b.issue) in b.options for b in c.backs)]
    assert backed_terms and us["execution.followed_through"] >= 1
    assert us["execution.unbacked_deal_term"] == 0 and us["execution.empty_promise"] == 0
    assert score.alignment["us"].left_out == []
    # Every note of the patient game is about the round and the seat of the move it judges, and names
    # the article's lesson.
    by_seq = {e.seq: e for e in principled}
    for a in score.annotations:
        move = by_seq[a.seq]
        assert a.lesson, a.rule
        if move.type in ("phase_started", "game_ended"):  # a round-end note: the round that ended
            assert a.round == move.round - (move.type == "phase_started") and a.seat is None, str(a.reason)
        else:
            assert a.round == move.round and a.seat in (None, move.actor), str(a.reason)
        assert all(int(n) == a.round for n in re.findall(r"round (\d+)", str(a.reason))), str(a.reason)
    never = score_match(scenario, words)
    assert Counter(a.rule for a in never.annotations if a.team == "us")["execution.unbacked_deal_term"] >= 1
    assert never.leaderboard["us"].score < score.leaderboard["us"].score - 5
