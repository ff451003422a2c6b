"""Joint value: every package of a scenario, enumerated once, exactly.

A package picks one option per issue, so a scenario has prod(len(options)) of them (up to 6^12 in
principle, a few hundred thousand in practice). Both sheets are additive, so instead of visiting
each package one by one we count them: a table `stage[k]` maps each pair of points
(team A's points, team B's points) reachable with the first k issues to the number of packages of
those issues that reach it. The last table is the exact distribution of every package of the
scenario; the Pareto frontier, the Nash bargaining point and the best joint total are read off it,
and the packages behind any point are recovered by walking the tables backwards. Nothing is
sampled or approximated.

`joint_space(scenario)` builds this once per scenario (id, version) and caches it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from game.scenario import Scenario

# Points are 0..100 on each sheet (validated by the scenario schema), so (a, b) packs into one int.
_SHIFT = 1 << 12
MAX_PACKAGES_LISTED = 8  # packages listed per frontier point (their number is always given in full)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrontierPoint(_Out):
    """One point of the (team A, team B) points plane and the packages that reach it."""

    points: dict[str, int]  # team id -> points, in scenario team order
    joint: int
    package_count: int  # how many packages reach exactly this point
    packages: list[dict[str, str]]  # up to MAX_PACKAGES_LISTED of them, in scenario option order


class DealFigures(_Out):
    """How one package compares with everything the scenario allows."""

    package: dict[str, str]
    points: dict[str, int]
    joint: int
    above_batna: dict[str, bool]  # at least the team's BATNA
    within_red_lines: bool  # every role of both teams can live with every term (no red line crossed)
    pareto_optimal: bool  # no other package is at least as good for both and better for one
    distance_to_frontier: float  # Euclidean, in points, to the nearest frontier point (0 on the frontier)
    left_on_table: int  # best joint gain among frontier points that make neither team worse off
    distance_to_nash: float | None  # Euclidean, in points, to the nearest Nash point (None if there is none)
    pareto_efficiency: float  # joint / best joint on the frontier, 0..1
    joint_percentile: float  # share of all packages with a lower joint total, 0..1


class JointSummary(_Out):
    teams: list[str]
    batna: dict[str, int]
    package_count: int
    zopa_count: int  # packages worth at least the BATNA to both teams
    best_joint: int
    best_joint_points: list[dict[str, int]]
    nash: FrontierPoint | None
    nash_points: list[FrontierPoint]
    nash_product: int | None
    frontier: list[FrontierPoint]
    red_line_count: int
    red_line_frontier: list[dict[str, int]]


@dataclass(frozen=True, eq=False)
class JointSpace:
    """The exact joint space of a scenario. Build it with `joint_space(scenario)`."""

    scenario_id: str
    scenario_version: str
    teams: tuple[str, str]
    batna: tuple[int, int]
    issues: tuple[str, ...]
    package_count: int
    zopa_count: int
    frontier: tuple[FrontierPoint, ...]  # sorted by team A's points, descending
    nash: FrontierPoint | None  # the first of nash_points (the one with more joint points, then the more even)
    nash_points: tuple[FrontierPoint, ...]  # every point maximising (a - BATNA_a)(b - BATNA_b) above both BATNAs
    nash_product: int | None
    red_line_count: int  # packages no role of either team rejects (every red line kept)
    red_line_frontier: tuple[tuple[int, int], ...]  # their Pareto frontier, by team A's points descending
    _red_line_options: dict[str, frozenset[str]] = field(repr=False)  # issue -> options inside every red line
    best_joint: int
    best_joint_points: tuple[tuple[int, int], ...]
    _sheets: tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]] = field(repr=False)
    _frontier_ab: tuple[tuple[int, int], ...] = field(repr=False)
    _joint_values: tuple[int, ...] = field(repr=False)  # distinct joint totals, ascending
    _joint_below: tuple[int, ...] = field(repr=False)  # packages with a joint total below each of them
    _fingerprint: tuple = field(repr=False)

    # --- figures for one package ----------------------------------------------------------------
    def points_of(self, package: Mapping[str, str]) -> tuple[int, int]:
        missing = [i for i in self.issues if i not in package]
        if missing:
            raise ValueError(f"a package needs an option for every issue; missing: {', '.join(missing)}")
        a_sheet, b_sheet = self._sheets
        try:
            return sum(a_sheet[i][package[i]] for i in self.issues), sum(b_sheet[i][package[i]] for i in self.issues)
        except KeyError as exc:
            raise ValueError(f"unknown option {exc.args[0]!r} in package") from None

    def evaluate(self, package: Mapping[str, str]) -> DealFigures:
        a, b = self.points_of(package)
        joint = a + b
        nearest = min(math.hypot(a - fa, b - fb) for fa, fb in self._frontier_ab)
        on_frontier = (a, b) in set(self._frontier_ab)
        better = [fa + fb for fa, fb in self._frontier_ab if fa >= a and fb >= b]
        nash = None
        if self.nash_points:
            # Several points can share the highest Nash product: the distance is to the nearest one.
            nash = round(min(math.hypot(a - p.points[self.teams[0]], b - p.points[self.teams[1]]) for p in self.nash_points), 2)
        index = bisect.bisect_left(self._joint_values, joint)
        below = self._joint_below[index] if index < len(self._joint_below) else self.package_count
        ta, tb = self.teams
        return DealFigures(
            package={i: package[i] for i in self.issues},
            points={ta: a, tb: b},
            joint=joint,
            above_batna={ta: a >= self.batna[0], tb: b >= self.batna[1]},
            within_red_lines=all(package[i] in self._red_line_options[i] for i in self.issues),
            pareto_optimal=on_frontier,
            distance_to_frontier=round(nearest, 2),
            left_on_table=max(better) - joint if better else 0,
            distance_to_nash=nash,
            pareto_efficiency=round(joint / self.best_joint, 4) if self.best_joint else 0.0,
            joint_percentile=round(below / self.package_count, 4),
        )

    def summary(self) -> JointSummary:
        ta, tb = self.teams
        return JointSummary(
            teams=list(self.teams),
            batna={ta: self.batna[0], tb: self.batna[1]},
            package_count=self.package_count,
            zopa_count=self.zopa_count,
            best_joint=self.best_joint,
            best_joint_points=[{ta: a, tb: b} for a, b in self.best_joint_points],
            nash=self.nash,
            nash_points=list(self.nash_points),
            nash_product=self.nash_product,
            frontier=list(self.frontier),
            red_line_count=self.red_line_count,
            red_line_frontier=[{ta: a, tb: b} for a, b in self.red_line_frontier],
        )


def _fingerprint(scenario: Scenario) -> tuple:
    return tuple(
        (t.id, t.batna, tuple((i.id, tuple(t.points[i.id][o.id] for o in i.options)) for i in scenario.issues))
        for t in scenario.teams
    ) + (red_line_options(scenario),)


def red_line_options(scenario: Scenario) -> tuple[tuple[str, frozenset[str]], ...]:
    """Per issue, the options every role of both teams can live with: worth at least, on the role's own
    team's sheet, the worst option its red line on that issue accepts."""
    sheets = {t.id: t.points for t in scenario.teams}
    allowed = {i.id: set(i.option_ids()) for i in scenario.issues}
    for role in scenario.roles:
        sheet = sheets[role.team]
        for line in role.red_lines:
            if line.issue not in allowed or line.issue not in sheet:
                continue
            floor = sheet[line.issue][line.worst_acceptable]
            allowed[line.issue] = {o for o in allowed[line.issue] if sheet[line.issue][o] >= floor}
    return tuple((i.id, frozenset(allowed[i.id])) for i in scenario.issues)


def _count(per_issue: list[list[tuple[int, int]]]) -> dict[int, int]:
    """Packed (a, b) -> how many packages reach it, from each issue's (packed step, option count)."""
    current: dict[int, int] = {0: 1}
    for weighted in per_issue:
        nxt: dict[int, int] = {}
        get = nxt.get
        for key, count in current.items():
            for step, n in weighted:
                k = key + step
                nxt[k] = get(k, 0) + count * n
        current = nxt
    return current


def _frontier(final: dict[int, int]) -> list[tuple[int, int]]:
    """Pareto frontier: sweep by A's points descending; keep each point that beats every B seen so far."""
    points = sorted(((k // _SHIFT, k % _SHIFT) for k in final), key=lambda p: (-p[0], -p[1]))
    frontier_ab: list[tuple[int, int]] = []
    best_b = -1
    for a, b in points:
        if b > best_b:
            frontier_ab.append((a, b))
            best_b = b
    return frontier_ab


def _build(scenario: Scenario, fingerprint: tuple) -> JointSpace:
    team_a, team_b = scenario.teams
    issues = [i for i in scenario.issues]
    # Per issue: packed (a, b) -> the options that give it (options with equal points are merged).
    per_issue: list[dict[int, list[str]]] = []
    for issue in issues:
        moves: dict[int, list[str]] = {}
        for option in issue.options:
            key = team_a.points[issue.id][option.id] * _SHIFT + team_b.points[issue.id][option.id]
            moves.setdefault(key, []).append(option.id)
        per_issue.append(moves)
    stages: list[dict[int, int]] = [{0: 1}]
    for moves in per_issue:
        weighted = [(key, len(opts)) for key, opts in moves.items()]
        current: dict[int, int] = {}
        get = current.get
        for key, count in stages[-1].items():
            for step, n in weighted:
                k = key + step
                current[k] = get(k, 0) + count * n
        stages.append(current)
    final = stages[-1]

    def packages_at(key: int, limit: int) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []

        def walk(k: int, level: int, chosen: list[str]) -> None:
            if len(found) >= limit:
                return
            if level == 0:
                found.append({issues[j].id: chosen[len(issues) - 1 - j] for j in range(len(issues))})
                return
            for step, opts in per_issue[level - 1].items():
                rest = k - step
                if rest in stages[level - 1]:
                    for option in opts:
                        walk(rest, level - 1, [*chosen, option])

        walk(key, len(issues), [])
        return found

    frontier_ab = _frontier(final)
    # The packages inside every role's red lines (what an aligned team can actually sign).
    red_lines = dict(fingerprint[-1])
    kept = _count([
        [(key, sum(1 for o in opts if o in red_lines[issue.id])) for key, opts in moves.items() if any(o in red_lines[issue.id] for o in opts)]
        for issue, moves in zip(issues, per_issue)
    ])

    def point(a: int, b: int) -> FrontierPoint:
        key = a * _SHIFT + b
        return FrontierPoint(points={team_a.id: a, team_b.id: b}, joint=a + b, package_count=final[key],
                             packages=packages_at(key, MAX_PACKAGES_LISTED))

    frontier = tuple(point(a, b) for a, b in frontier_ab)
    # The Nash point lies on the frontier: the product of gains grows with each team's points.
    ba, bb = team_a.batna, team_b.batna
    candidates = [(a, b) for a, b in frontier_ab if a > ba and b > bb]
    nash_points: tuple[FrontierPoint, ...] = ()
    nash_product = None
    if candidates:
        nash_product = max((a - ba) * (b - bb) for a, b in candidates)
        # Every point with the highest product is a Nash point; listed with the most joint points first,
        # then the more even split of the gains, then team A's points (a listing order, not a judgement).
        best = [p for p in candidates if (p[0] - ba) * (p[1] - bb) == nash_product]
        best.sort(key=lambda p: (-(p[0] + p[1]), abs((p[0] - ba) - (p[1] - bb)), -p[0]))
        nash_points = tuple(point(a, b) for a, b in best)
    best_joint = max(a + b for a, b in frontier_ab)
    joints: dict[int, int] = {}
    zopa = 0
    for k, n in final.items():
        a, b = k // _SHIFT, k % _SHIFT
        joints[a + b] = joints.get(a + b, 0) + n
        if a >= ba and b >= bb:
            zopa += n
    values = sorted(joints)
    below, running = [], 0
    for v in values:
        below.append(running)
        running += joints[v]
    return JointSpace(
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        teams=(team_a.id, team_b.id),
        batna=(ba, bb),
        issues=tuple(i.id for i in issues),
        package_count=running,
        zopa_count=zopa,
        frontier=frontier,
        nash=nash_points[0] if nash_points else None,
        nash_points=nash_points,
        nash_product=nash_product,
        red_line_count=sum(kept.values()),
        red_line_frontier=tuple(_frontier(kept)),
        _red_line_options={i: frozenset(o) for i, o in red_lines.items()},
        best_joint=best_joint,
        best_joint_points=tuple((a, b) for a, b in frontier_ab if a + b == best_joint),
        _sheets=(dict(team_a.points), dict(team_b.points)),
        _frontier_ab=tuple(frontier_ab),
        _joint_values=tuple(values),
        _joint_below=tuple(below),
        _fingerprint=fingerprint,
    )


_CACHE: dict[tuple[str, str], JointSpace] = {}
_CACHE_SIZE = 16


def joint_space(scenario: Scenario) -> JointSpace:
    """The joint space of `scenario`, computed once per (id, version) and cached.

    The cache also checks the points sheets and BATNAs, so an edited scenario that forgot to bump
    its version is recomputed rather than served stale figures.
    """
    key = (scenario.id, scenario.version)
    fingerprint = _fingerprint(scenario)
    cached = _CACHE.get(key)
    if cached is not None and cached._fingerprint == fingerprint:
        return cached
    space = _build(scenario, fingerprint)
    if len(_CACHE) >= _CACHE_SIZE and key not in _CACHE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = space
    return space
