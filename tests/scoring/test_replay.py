"""Scores come from the log alone (test_properties.py: live, full and replayed scoring agree)."""

from __future__ import annotations

import json

import pytest

from game.scoring import MatchScore, Scorer, may_find, score_match
from tests.scoring import games


def test_recomputing_from_the_log_gives_identical_scores(tiny, divided_game):
    first = score_match(tiny, divided_game.events).model_dump_json()
    again = score_match(tiny, list(divided_game.events)).model_dump_json()
    assert first == again


def test_the_score_is_json_and_round_trips(tiny, aligned_game):
    score = score_match(tiny, aligned_game.events)
    data = json.loads(score.model_dump_json())
    assert MatchScore.model_validate(data) == score
    assert set(data) >= {"outcome", "joint", "alignment", "annotations", "contributions", "leaderboard", "weights"}


def test_events_must_come_once_and_in_order(tiny, aligned_game):
    scorer = Scorer(tiny, aligned_game.events[:5])
    with pytest.raises(ValueError, match="in order"):
        scorer.feed(aligned_game.events[3])


def test_a_fork_scores_independently(tiny, divided_game):
    events = divided_game.events
    half = len(events) // 2
    base = Scorer(tiny, events[:half])
    before = base.score()
    fork = base.fork()
    fork.feed_all(events[half:])
    assert base.score() == before  # the original did not move
    assert fork.score() == score_match(tiny, events)




@pytest.mark.parametrize("game", ["aligned", "divided", "no_deal"])
def test_the_live_score_after_every_event_has_the_full_reports_figures(tiny, game):
    """A live table asks for the annotations, alignment and leaderboard only (Scorer.live): after every
    event they are those of the full report, weights included."""
    events = {"aligned": games.tiny_aligned, "divided": games.tiny_divided, "no_deal": games.tiny_no_deal}[game](tiny).events
    scorer = Scorer(tiny)
    weights = {"outcome": 0.2, "joint": 0.3, "alignment": 0.5}
    for event in events:
        scorer.feed(event)
        for w in (None, weights):
            live, full = scorer.live(w), scorer.score(w)
            assert (live.version, live.finished, live.annotations) == (full.version, full.finished, full.annotations)
            assert (live.alignment, live.leaderboard) == (full.alignment, full.leaderboard)
    assert scorer.live().finished and scorer.live().annotations


@pytest.mark.parametrize("game", ["aligned", "divided", "no_deal"])
def test_an_event_that_may_not_find_earns_no_annotation_when_fed(tiny, game):
    """A live server skips scoring moves whose events cannot earn annotations as they happen (a team
    chat): feeding such an event never produces one, and some events of every game can."""
    events = {"aligned": games.tiny_aligned, "divided": games.tiny_divided, "no_deal": games.tiny_no_deal}[game](tiny).events
    scorer = Scorer(tiny)
    for event in events:
        new = scorer.feed(event)
        if not may_find(event.type):
            assert new == [], event.type
    assert any(may_find(e.type) for e in events) and not may_find("chat_posted")
