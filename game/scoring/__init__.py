"""Scoring: the training signal. Pure: reads only the scenario and the event log, folded by the
engine into its MatchState (scoring never keeps a picture of the match of its own).

    joint_space(scenario)                      # every package, exactly: frontier, Nash point, best joint
    score_match(scenario, events, weights)     # -> MatchScore: outcome, joint, alignment, annotations, ...
    Scorer(scenario).feed(event)               # the same, incrementally (live games: each move's events)
    Scorer(...).live(weights)                  # -> LiveScore: the annotations, alignment and leaderboard only
    Scorer(...).state, Scorer(...).alignment(team)   # the engine's state so far; the index so far
    may_find(event_type)                       # whether such an event can earn an annotation when it happens
    annotations_visible_to(scenario, annotations, seat, finished)
    RULES, DEFAULT_WEIGHTS                     # the rule table (docs/scoring.md lists the same)
"""

# The rule table loads first: it registers the epilogue's rules (game.scoring.epilogue), which build on it.
import game.scoring.rules  # noqa: F401, I001
from game.scoring.alignment import may_find
from game.scoring.annotations import Annotation, annotations_visible_to
from game.scoring.joint import DealFigures, FrontierPoint, JointSpace, joint_space
from game.scoring.report import (
    JointReport,
    LeaderboardEntry,
    LeaderboardWeights,
    LiveScore,
    MatchScore,
    Scorer,
    SeatContribution,
    TeamAlignment,
    TeamOutcome,
    leaderboard_weights,
    score_match,
)
from game.scoring.rules import DEFAULT_WEIGHTS, DIMENSIONS, INDEX_WEIGHTS, RULE_BY_ID, RULES, Rule

__all__ = [
    "DEFAULT_WEIGHTS", "DIMENSIONS", "INDEX_WEIGHTS", "RULES", "RULE_BY_ID", "Annotation", "DealFigures",
    "FrontierPoint", "JointReport", "JointSpace", "LeaderboardEntry", "LeaderboardWeights", "LiveScore", "MatchScore", "Rule",
    "Scorer", "SeatContribution", "TeamAlignment", "TeamOutcome", "annotations_visible_to", "joint_space",
    "leaderboard_weights", "may_find", "score_match",
]
