"""A match's score: outcome, joint value and alignment, annotations, contributions and leaderboard.

    score_match(scenario, events)          # full recompute from the log
    scorer = Scorer(scenario)              # or incrementally, as events arrive (a live move's events):
    new_annotations = scorer.feed(event)   #   the annotations this event produced
    scorer.score()                         #   == score_match(scenario, events so far)

Both read only the scenario and the event log (folded by the engine: see game.scoring.alignment),
so a replay recomputes exactly the same scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from game.engine import MatchSetup, MatchState
from game.scenario import IDEAL_POINTS, Scenario
from game.scenario.text import Local, Text
from game.scoring.alignment import AlignmentTracker, Finding, ScenarioIndex
from game.scoring.annotations import Annotation
from game.scoring.joint import DealFigures, FrontierPoint, JointSpace, joint_space
from game.scoring.rules import (
    BACKPEDAL,
    DEFAULT_WEIGHTS,
    DIMENSIONS,
    INDEX_WEIGHTS,
    MARKS,
    RULE_BY_ID,
    SUBSCORES,
    subscore,
)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LeaderboardWeights(_Out):
    outcome: float
    joint: float
    alignment: float


class TeamOutcome(_Out):
    team: str
    deal: bool
    points: int  # of the agreed package on the team's sheet, or its BATNA if there is no deal
    batna: int
    advantage: float  # (points - BATNA) / (100 - BATNA); negative below the BATNA
    below_batna: bool  # a deal worth less than walking away: flagged as a mistake


class JointReport(_Out):
    deal: DealFigures | None
    historical: DealFigures | None
    historical_label: Local | None  # the case's text: a page says it in its reader's language
    nash: FrontierPoint | None  # the first of nash_points
    nash_points: list[FrontierPoint]  # every package point with the highest Nash product
    nash_product: int | None
    best_joint: int
    package_count: int
    zopa_count: int
    frontier: list[dict[str, int]]  # the frontier's points; joint_space(scenario) has their packages
    red_line_count: int  # packages inside every role's red lines, on both teams
    red_line_frontier: list[dict[str, int]]  # their frontier: what two aligned teams can reach


class TeamAlignment(_Out):
    team: str
    index: float  # 0..100: weighted mean of the sub-scores in play minus the backpedal penalty
    subscores: dict[str, float]  # the six dimensions: at most 100, 0 without evidence, below 0 when mistakes outweigh
    left_out: list[str] = []  # dimensions out of the index: no evidence was possible yet (see in_play)
    credit: dict[str, int]  # points earned per dimension
    debit: dict[str, int]  # points lost per dimension (positive numbers)
    backpedal_penalty: int  # index points lost to backpedaling


class RoleSatisfaction(_Out):
    """How the team's mandate and the deal sit against one role's red lines and priorities."""

    role: str
    team: str
    title: Local  # the case's title of the role: a page says it in its reader's language
    stance: Literal["endorsed", "objected", "silent"]  # on the team's current mandate
    objection: Text | str | None  # the reason of the role's latest objection (kept after it was resolved): a bot's is a sentence
    mandate_red_lines_crossed: list[str]  # issues whose walk-away crosses the role's red line
    blank_cheque: bool  # endorsed a mandate that crosses its own red line
    mandate_satisfaction: float | None  # 0..100: the walk-aways, weighted by the role's priorities
    deal_red_lines_crossed: list[str]
    deal_satisfaction: float | None  # 0..100: the deal's terms, weighted by the role's priorities


class SeatContribution(_Out):
    seat: str
    team: str
    title: Local  # the case's title of the role: a page says it in its reader's language
    level: str
    points: dict[str, int]  # per dimension (and "backpedal"), summed over this seat's annotations
    total: int
    marks: dict[str, int]  # how many of each mark
    annotations: list[int]  # ids of this seat's annotations


class LeaderboardEntry(_Out):
    team: str
    score: float  # weighted mix of the three layers, up to 100 (below 0 only for a deal below the BATNA)
    outcome: float  # advantage x 100, clamped to -100..100 (negative: a deal below the BATNA)
    joint: float  # Pareto efficiency x 100 of the deal; 0 without a deal
    alignment: float  # the alignment index


class MatchScore(_Out):
    scenario_id: str
    scenario_version: str
    version: int  # seq of the last event scored
    finished: bool
    result: Literal["deal", "no_deal"] | None  # None while the game is running
    outcome: dict[str, TeamOutcome]
    joint: JointReport
    alignment: dict[str, TeamAlignment]
    annotations: list[Annotation]
    contributions: dict[str, SeatContribution]
    roles: dict[str, RoleSatisfaction]
    leaderboard: dict[str, LeaderboardEntry]
    weights: LeaderboardWeights


@dataclass(frozen=True)
class LiveScore:
    """The part of a MatchScore a live table shows after each move (Scorer.live)."""

    version: int
    finished: bool
    annotations: list[Annotation]
    alignment: dict[str, TeamAlignment]
    leaderboard: dict[str, LeaderboardEntry]


_DEFAULT_WEIGHTS = LeaderboardWeights(**DEFAULT_WEIGHTS)  # frozen: one object serves every score


def leaderboard_weights(weights: Mapping[str, float] | LeaderboardWeights | None = None) -> LeaderboardWeights:
    """Validate a workshop's weights: known layers only, none negative, normalised to sum to 1.

    A layer left out weighs 0. Raises ValueError for unknown layers, negative or non-finite weights,
    or weights that sum to 0.
    """
    if weights is None:
        return _DEFAULT_WEIGHTS
    raw = weights.model_dump() if isinstance(weights, LeaderboardWeights) else dict(weights)
    unknown = sorted(set(raw) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValueError(f"unknown leaderboard weight(s): {', '.join(unknown)} (use {', '.join(DEFAULT_WEIGHTS)})")
    values = {k: float(raw.get(k, 0.0)) for k in DEFAULT_WEIGHTS}
    if any(not math.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError("leaderboard weights must be finite and not negative")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("leaderboard weights must not all be zero")
    return LeaderboardWeights(**{k: round(v / total, 6) for k, v in values.items()})


def _tenths(credit: int, debit: int) -> int:
    """A sub-score in tenths of a point (see rules.subscore), so sums of effects are exact."""
    return round(10 * subscore(credit, debit))


def _clamp(x: float, lo: float = 0.0, hi: float = 100.0) -> float:
    return max(lo, min(hi, x))


class Scorer:
    """Scores a match event by event. `score()` at any point equals a full recompute of the log so far."""

    def __init__(self, scenario: Scenario, events: Iterable[Any] = (), *, setup: MatchSetup | None = None):
        self.scenario = scenario
        self.space: JointSpace = joint_space(scenario)
        self._index = ScenarioIndex.of(scenario)
        self.tracker = AlignmentTracker(scenario, self._index, setup)
        self.annotations: list[Annotation] = []
        self._credit = {t: {d: 0 for d in SUBSCORES} for t in self._index.team_ids}
        self._debit = {t: {d: 0 for d in SUBSCORES} for t in self._index.team_ids}
        self._penalty = {t: 0 for t in self._index.team_ids}
        self._last: tuple[tuple[Any, ...], MatchScore] | None = None
        self._joint: tuple[Any, JointReport] | None = None
        self.feed_all(events)

    @property
    def version(self) -> int:
        return self.tracker.version

    @property
    def state(self) -> MatchState:
        """The match after the events fed so far, folded by the engine (read it; never change it)."""
        return self.tracker.state

    def fork(self) -> Scorer:
        clone = Scorer.__new__(Scorer)
        clone.scenario, clone.space, clone._index = self.scenario, self.space, self._index
        clone.tracker = self.tracker.fork()
        clone.annotations = list(self.annotations)
        clone._credit = {t: dict(v) for t, v in self._credit.items()}
        clone._debit = {t: dict(v) for t, v in self._debit.items()}
        clone._penalty = dict(self._penalty)
        clone._last = self._last
        clone._joint = self._joint
        return clone

    def feed(self, event: Any) -> list[Annotation]:
        """Score one more event (events must come once each, in seq order); return its new annotations."""
        before = len(self.tracker.findings)
        self.tracker.feed(event)
        return [self._annotate(f) for f in self.tracker.findings[before:]]

    def feed_all(self, events: Iterable[Any]) -> Scorer:
        for event in events:
            self.feed(event)
        return self

    def _annotate(self, f: Finding) -> Annotation:
        rule = RULE_BY_ID[f.rule]
        if rule.dimension == BACKPEDAL:
            self._penalty[f.team] -= rule.points
            effect = float(rule.points)
        else:
            credit, debit = self._credit[f.team], self._debit[f.team]
            old = _tenths(credit[rule.dimension], debit[rule.dimension])
            if rule.points >= 0:
                credit[rule.dimension] += rule.points
            else:
                debit[rule.dimension] -= rule.points
            effect = (_tenths(credit[rule.dimension], debit[rule.dimension]) - old) / 10
        annotation = Annotation.model_validate({  # (from a dict: measurably cheaper than keyword arguments)
            "id": len(self.annotations), "seq": f.seq, "scored_at": f.scored_at, "round": f.round, "team": f.team,
            "seat": f.seat, "rule": rule.id, "dimension": rule.dimension, "delta": rule.points, "effect": effect,
            "mark": rule.mark, "reason": f.reason, "lesson": rule.lesson, "citation": rule.citation,
        })
        self.annotations.append(annotation)
        return annotation

    # --- the report ---------------------------------------------------------------------------
    def alignment(self, team: str) -> TeamAlignment:
        """The team's alignment index and sub-scores from the annotations so far (no full report)."""
        credit, debit = self._credit[team], self._debit[team]
        subscores = {d: _tenths(credit[d], debit[d]) / 10 for d in SUBSCORES}
        # A dimension the calendar kept out of reach (no evidence possible yet, none earned) neither pays
        # nor costs: the index is the weighted mean of the others.
        possible = self.tracker.in_play(team)
        left_out = [d for d in SUBSCORES if d not in possible and not credit[d] and not debit[d]]
        weights = {d: INDEX_WEIGHTS[d] for d in SUBSCORES if d not in left_out}
        mean = sum(w * subscores[d] for d, w in weights.items()) / sum(weights.values())
        return TeamAlignment(
            team=team, index=round(_clamp(mean - self._penalty[team]), 1), subscores=subscores, left_out=left_out,
            credit=dict(credit), debit=dict(debit), backpedal_penalty=self._penalty[team],
        )

    def score(self, weights: Mapping[str, float] | LeaderboardWeights | None = None) -> MatchScore:
        w = leaderboard_weights(weights)
        tracker = self.tracker
        # Everything in the report but its version follows from the annotations, the deal, the end and
        # the weights: most events (a chat, a draft) change none of them, and a live server asks for
        # the score after every move.
        # The roles' view also follows the caucus (mandates, stances), which makes no annotation: it is
        # part of the key.
        # The round is part of it too: a card's date coming puts the execution dimension in play.
        inputs = (len(self.annotations), tracker.deal, tracker.finished, w, self._caucus_key(), tracker.state.round)
        if self._last is not None and self._last[0] == inputs:
            return self._last[1].model_copy(update={"version": tracker.version})
        report = self._report(w)
        self._last = (inputs, report)
        return report

    def _joint_report(self, deal: dict[str, str] | None) -> JointReport:
        """The joint layer: it changes only with the deal (none until the game ends in one), so the
        report built for the current deal is kept (frozen, shared by the reports that follow)."""
        key = tuple(sorted(deal.items())) if deal else None
        if self._joint is None or self._joint[0] != key:
            space, historical = self.space, self.scenario.historical_outcome
            self._joint = (key, JointReport(
                deal=space.evaluate(deal) if deal else None,
                historical=space.evaluate(historical.package) if historical else None,
                historical_label=historical.label if historical else None,
                nash=space.nash, nash_points=list(space.nash_points), nash_product=space.nash_product,
                best_joint=space.best_joint, package_count=space.package_count, zopa_count=space.zopa_count,
                frontier=[p.points for p in space.frontier], red_line_count=space.red_line_count,
                red_line_frontier=[dict(zip(space.teams, ab)) for ab in space.red_line_frontier],
            ))
        return self._joint[1]

    def _caucus_key(self) -> tuple:
        teams = self.tracker.state.teams
        return tuple(
            (t, ts.mandate.version if ts.mandate else 0,
             tuple((r, st.endorse, st.version) for r, st in sorted(ts.stances.items())),
             tuple(sorted(self.tracker.teams[t].objected.items())))
            for t, ts in teams.items()
        )

    def _roles(self, deal: dict[str, str] | None) -> dict[str, RoleSatisfaction]:
        ix, state = self._index, self.tracker.state
        roles: dict[str, RoleSatisfaction] = {}
        for role in self.scenario.roles:
            ts = state.teams[role.team]
            mandate = ts.mandate
            walkaways = {i: line["walkaway"] for i, line in mandate.issues.items()} if mandate else {}
            crossed = ix.crossed_red_lines(role.team, walkaways).get(role.id, [])
            stance = ts.stances.get(role.id)
            endorsed = mandate is not None and (role.id == mandate.drafted_by or (
                stance is not None and stance.endorse and stance.version == mandate.version))
            objected = stance is not None and not stance.endorse and mandate is not None and stance.version == mandate.version
            roles[role.id] = RoleSatisfaction(
                role=role.id, team=role.team, title=role.title,
                stance="endorsed" if endorsed else "objected" if objected else "silent",
                objection=self.tracker.teams[role.team].objected.get(role.id),
                mandate_red_lines_crossed=crossed, blank_cheque=endorsed and bool(crossed),
                mandate_satisfaction=_satisfaction(ix, role, walkaways) if walkaways else None,
                deal_red_lines_crossed=ix.crossed_red_lines(role.team, deal).get(role.id, []) if deal else [],
                deal_satisfaction=_satisfaction(ix, role, deal) if deal else None,
            )
        return roles

    def live(self, weights: Mapping[str, float] | LeaderboardWeights | None = None) -> LiveScore:
        """What a live table shows after a move: the annotations, alignment and leaderboard of
        `score()` (the same figures), without the report's per-seat and per-role parts."""
        _, _, alignment, leaderboard = self._standing(leaderboard_weights(weights))
        return LiveScore(self.tracker.version, self.tracker.finished, list(self.annotations), alignment, leaderboard)

    def _standing(
        self, w: LeaderboardWeights
    ) -> tuple[dict[str, TeamOutcome], JointReport, dict[str, TeamAlignment], dict[str, LeaderboardEntry]]:
        """Each team's outcome, the joint layer, each team's alignment and leaderboard line."""
        ix = self._index
        deal = self.tracker.deal
        outcome: dict[str, TeamOutcome] = {}
        for team in self.scenario.teams:
            points = ix.points(team.id, deal) if deal else team.batna
            outcome[team.id] = TeamOutcome(
                team=team.id, deal=deal is not None, points=points, batna=team.batna,
                advantage=round((points - team.batna) / (IDEAL_POINTS - team.batna), 4),
                below_batna=deal is not None and points < team.batna,
            )
        joint = self._joint_report(deal)
        deal_figures = joint.deal
        alignment = {team: self.alignment(team) for team in ix.team_ids}
        leaderboard: dict[str, LeaderboardEntry] = {}
        for team in ix.team_ids:
            # A deal below the BATNA costs what it lost against walking away (the outcome goes negative).
            o = round(_clamp(outcome[team].advantage * 100, -100.0), 1)
            # No deal creates no joint value, and a deal below a team's BATNA creates none for that team:
            # the joint layer scores 0 (documented in docs/scoring.md).
            j = round(deal_figures.pareto_efficiency * 100, 1) if deal_figures and not outcome[team].below_batna else 0.0
            a = alignment[team].index
            leaderboard[team] = LeaderboardEntry(
                team=team, score=round(_clamp(w.outcome * o + w.joint * j + w.alignment * a, -100.0), 1), outcome=o, joint=j, alignment=a,
            )
        return outcome, joint, alignment, leaderboard

    def _report(self, w: LeaderboardWeights) -> MatchScore:
        tracker = self.tracker
        outcome, joint, alignment, leaderboard = self._standing(w)
        dims = [d.id for d in DIMENSIONS]
        contributions: dict[str, SeatContribution] = {}
        by_seat: dict[str, list[Annotation]] = {r.id: [] for r in self.scenario.roles}
        for a in self.annotations:
            if a.seat in by_seat:
                by_seat[a.seat].append(a)
        for role in self.scenario.roles:
            mine = by_seat[role.id]
            points = {d: 0 for d in dims}
            marks = {m: 0 for m in MARKS}
            for a in mine:
                points[a.dimension] += a.delta
                marks[a.mark] += 1
            contributions[role.id] = SeatContribution(
                seat=role.id, team=role.team, title=role.title, level=role.level, points=points,
                total=sum(points.values()), marks=marks, annotations=[a.id for a in mine],
            )
        deal = tracker.deal
        return MatchScore(
            scenario_id=self.scenario.id, scenario_version=self.scenario.version, version=tracker.version,
            finished=tracker.finished,
            result=("deal" if deal else "no_deal") if tracker.finished else None,
            outcome=outcome, joint=joint, alignment=alignment, annotations=list(self.annotations),
            contributions=contributions, roles=self._roles(deal), leaderboard=leaderboard, weights=w,
        )


def _satisfaction(ix: ScenarioIndex, role, options: Mapping[str, str]) -> float | None:
    """0..100: where `options` sit between the worst and the best option of each issue on the role's
    team's sheet, weighted by the role's priorities."""
    sheet = ix.sheet[role.team]
    total = weight = 0.0
    for issue, option in options.items():
        values = sheet[issue].values()
        lo, hi = min(values), max(values)
        w = role.priorities.get(issue, 1)
        weight += w
        total += w * ((sheet[issue][option] - lo) / (hi - lo) if hi > lo else 1.0)
    return round(100 * total / weight, 1) if weight else None


def score_match(
    scenario: Scenario, events: Iterable[Any], weights: Mapping[str, float] | LeaderboardWeights | None = None
) -> MatchScore:
    """Score a match from its scenario and its event log (engine Events or their JSON dicts)."""
    return Scorer(scenario, events).score(weights)
