"""The outcome layer and the leaderboard: points, BATNA, advantage, flags and weights."""

from __future__ import annotations

import pytest

from game.scoring import DEFAULT_WEIGHTS, leaderboard_weights, score_match
from tests.scoring import games


def test_a_deal_scores_the_package_on_each_sheet(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events)
    assert score.finished and score.result == "deal"
    red, blue = score.outcome["red"], score.outcome["blue"]
    assert (red.points, blue.points) == (75, 80)  # mid / big / fast
    assert red.advantage == round((75 - 30) / (100 - 30), 4)
    assert blue.advantage == round((80 - 20) / (100 - 20), 4)
    assert not red.below_batna and not blue.below_batna
    assert score.joint.deal.package == games.FINAL
    assert score.joint.deal.pareto_optimal
    assert score.joint.historical.points == {"red": 50, "blue": 50}
    assert score.joint.historical_label == tiny.historical_outcome.label


def test_no_deal_scores_the_batna_and_no_joint_value(tiny):
    g = games.tiny_no_deal(tiny)
    assert g.state.result.kind == "no_deal"
    score = score_match(tiny, g.events)
    assert score.result == "no_deal"
    for team in tiny.teams:
        o = score.outcome[team.id]
        assert (o.deal, o.points, o.advantage, o.below_batna) == (False, team.batna, 0.0, False)
        assert score.leaderboard[team.id].outcome == 0.0
        assert score.leaderboard[team.id].joint == 0.0  # no deal creates no joint value
    assert score.joint.deal is None
    assert score.joint.historical is not None  # the debrief still shows what the real negotiators got


def test_a_deal_below_the_batna_is_flagged(tiny):
    score = score_match(tiny, games.tiny_below_batna(tiny).events)
    red = score.outcome["red"]
    assert red.deal and red.points == 20 and red.batna == 30
    assert red.below_batna
    assert red.advantage == round(-10 / 70, 4)
    assert score.leaderboard["red"].outcome == -14.3  # what it lost against walking away
    assert score.leaderboard["red"].joint == 0.0  # no joint credit for a deal below the BATNA
    assert not score.outcome["blue"].below_batna


def test_a_running_game_shows_the_batna_until_there_is_a_deal(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events[:25])
    assert not score.finished and score.result is None
    assert score.outcome["red"].points == 30 and not score.outcome["red"].deal


def test_leaderboard_combines_the_layers_with_default_weights(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events)
    assert score.weights.model_dump() == DEFAULT_WEIGHTS
    for team in ("red", "blue"):
        entry = score.leaderboard[team]
        assert entry.outcome == round(score.outcome[team].advantage * 100, 1)
        assert entry.joint == round(score.joint.deal.pareto_efficiency * 100, 1)
        assert entry.alignment == score.alignment[team].index
        assert entry.score == round(0.45 * entry.outcome + 0.20 * entry.joint + 0.35 * entry.alignment, 1)


def test_a_workshop_may_override_the_weights(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events, weights={"outcome": 1, "joint": 0, "alignment": 1})
    assert score.weights.model_dump() == {"outcome": 0.5, "joint": 0.0, "alignment": 0.5}
    entry = score.leaderboard["blue"]
    assert entry.score == round(0.5 * entry.outcome + 0.5 * entry.alignment, 1)
    only_alignment = score_match(tiny, aligned_game.events, weights={"alignment": 2})
    assert only_alignment.leaderboard["blue"].score == only_alignment.alignment["blue"].index


@pytest.mark.parametrize("weights, message", [
    ({"outcome": 0.5, "luck": 0.5}, "unknown"),
    ({"outcome": -0.1, "joint": 0.6, "alignment": 0.5}, "not negative"),
    ({"outcome": 0, "joint": 0, "alignment": 0}, "all be zero"),
    ({"outcome": float("nan")}, "finite"),
])
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ValueError, match=message):
        leaderboard_weights(weights)
