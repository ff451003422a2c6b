"""Joint value: the frontier, the Nash point and every figure, checked against a brute force."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.scenario.schema import Issue, Option
from game.scoring import joint_space
from game.scoring.joint import MAX_PACKAGES_LISTED


# --- an independent brute force: visit every package one by one --------------------------------
def brute_force(scenario):
    (a, ba), (b, bb) = ((t.points, t.batna) for t in scenario.teams)
    issues = [i.id for i in scenario.issues]
    packages = []
    for options in itertools.product(*[i.option_ids() for i in scenario.issues]):
        package = dict(zip(issues, options))
        packages.append((package, sum(a[i][package[i]] for i in issues), sum(b[i][package[i]] for i in issues)))
    points = {(pa, pb) for _, pa, pb in packages}

    def dominated(p):
        return any(q[0] >= p[0] and q[1] >= p[1] and q != p for q in points)

    frontier = sorted((p for p in points if not dominated(p)), reverse=True)
    gains = [((pa - ba) * (pb - bb), (pa, pb)) for _, pa, pb in packages if pa > ba and pb > bb]
    best_product = max(g for g, _ in gains) if gains else None
    nash_points = {p for g, p in gains if g == best_product}
    return {
        "packages": packages,
        "frontier": frontier,
        "count_at": {p: sum(1 for _, pa, pb in packages if (pa, pb) == p) for p in frontier},
        "best_joint": max(pa + pb for _, pa, pb in packages),
        "nash_product": best_product,
        "nash_points": nash_points,
        "zopa": sum(1 for _, pa, pb in packages if pa >= ba and pb >= bb),
    }


def check_against_brute_force(scenario):
    space = joint_space(scenario)
    truth = brute_force(scenario)
    ta, tb = space.teams
    assert space.package_count == len(truth["packages"])
    assert [(p.points[ta], p.points[tb]) for p in space.frontier] == truth["frontier"]
    for p in space.frontier:
        assert p.package_count == truth["count_at"][(p.points[ta], p.points[tb])]
        assert len(p.packages) == min(p.package_count, MAX_PACKAGES_LISTED)
        for package in p.packages:
            assert space.points_of(package) == (p.points[ta], p.points[tb])
    assert space.best_joint == truth["best_joint"]
    assert space.zopa_count == truth["zopa"]
    assert space.nash_product == truth["nash_product"]
    if truth["nash_product"] is None:
        assert space.nash is None
    else:
        assert (space.nash.points[ta], space.nash.points[tb]) in truth["nash_points"]
    frontier = truth["frontier"]
    for package, pa, pb in truth["packages"]:
        figures = space.evaluate(package)
        assert figures.points == {ta: pa, tb: pb}
        assert figures.joint == pa + pb
        assert figures.pareto_optimal == ((pa, pb) in frontier)
        assert figures.distance_to_frontier == round(min(math.hypot(pa - x, pb - y) for x, y in frontier), 2)
        assert figures.pareto_efficiency == round((pa + pb) / truth["best_joint"], 4)
        lower = sum(1 for _, qa, qb in truth["packages"] if qa + qb < pa + pb)
        assert figures.joint_percentile == round(lower / len(truth["packages"]), 4)
        better = [x + y for x, y in frontier if x >= pa and y >= pb]
        assert figures.left_on_table == max(better) - (pa + pb)
    return space


def test_tiny_frontier_and_nash_match_a_brute_force(tiny):
    space = check_against_brute_force(tiny)
    # By hand: only price is contested, so the frontier is volume big + delivery fast at each price.
    assert [tuple(p.points.values()) for p in space.frontier] == [(100, 60), (75, 80), (50, 100)]
    # Gains over the BATNAs (30, 20): 70*40 = 2800 > 45*60 = 2700 > 20*80 = 1600.
    assert tuple(space.nash.points.values()) == (100, 60) and space.nash_product == 2800
    assert space.best_joint == 160


def test_the_historical_outcome_gets_the_same_figures(tiny):
    space = joint_space(tiny)
    figures = space.evaluate(tiny.historical_outcome.package)  # mid / some / normal: 50 + 50
    assert figures.points == {"red": 50, "blue": 50}
    assert not figures.pareto_optimal
    assert figures.left_on_table == 160 - 100  # (100, 60) and (75, 80) both dominate (50, 50)
    assert figures.pareto_efficiency == 0.625
    assert figures.distance_to_nash == round(math.hypot(50, 10), 2)


def _sheet_strategy(draw, issue_sizes):
    """A valid points sheet: every option 0..its issue's best, the bests summing to 100."""
    n = len(issue_sizes)
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n - 1, max_size=n - 1)))
    bests = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, 100])]
    sheet = []
    for size, best in zip(issue_sizes, bests):
        values = draw(st.lists(st.integers(0, best), min_size=size, max_size=size))
        values[draw(st.integers(0, size - 1))] = best
        sheet.append(values)
    return sheet


@st.composite
def scenarios(draw, tiny):
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=4))
    issues = [
        Issue(id=f"i{k}", title=f"Issue {k}", description="generated", citation=tiny.issues[0].citation,
              options=[Option(id=f"o{j}", label=f"Option {j}") for j in range(size)])
        for k, size in enumerate(sizes)
    ]
    teams = []
    for team in tiny.teams:
        sheet = _sheet_strategy(draw, sizes)
        points = {f"i{k}": {f"o{j}": v for j, v in enumerate(values)} for k, values in enumerate(sheet)}
        teams.append(team.model_copy(update={"points": points, "batna": draw(st.integers(0, 99))}))
    return tiny.model_copy(update={"issues": issues, "teams": teams})


def test_random_scenarios_match_a_brute_force(tiny):
    @settings(max_examples=60, deadline=None)
    @given(scenarios(tiny))
    def check(scenario):
        # Same id and version as tiny: the cache must notice the sheets changed.
        check_against_brute_force(scenario)

    check()
    # And the real tiny scenario is still served correctly afterwards.
    assert joint_space(tiny).best_joint == 160


def test_the_space_is_cached_per_scenario_version(tiny):
    assert joint_space(tiny) is joint_space(tiny)
    bumped = tiny.model_copy(update={"version": "2"})
    assert joint_space(bumped) is not joint_space(tiny)


def test_evaluate_refuses_partial_or_unknown_packages(tiny):
    space = joint_space(tiny)
    with pytest.raises(ValueError, match="missing: delivery"):
        space.evaluate({"price": "mid", "volume": "big"})
    with pytest.raises(ValueError, match="unknown option"):
        space.evaluate({"price": "mid", "volume": "big", "delivery": "teleport"})


def test_the_default_scenario_is_enumerated_exactly(default_or_skip):
    """(Its speed is measured by bench/scoring.py.)"""
    scenario = default_or_skip.model_copy(update={"version": "uncached"})  # not cached yet
    space = joint_space(scenario)
    assert space.package_count == math.prod(len(i.options) for i in scenario.issues)
    assert space.nash is not None
    # Spot-check the frontier: no package of the scenario dominates a frontier point.
    ta, tb = space.teams
    front = [(p.points[ta], p.points[tb]) for p in space.frontier]
    for package in itertools.islice(
        (dict(zip(scenario.issue_ids(), opts)) for opts in itertools.product(*[i.option_ids() for i in scenario.issues])),
        0, None, 7,
    ):
        a, b = space.points_of(package)
        assert not any(a >= x and b >= y and (a, b) != (x, y) for x, y in front)
    historical = space.evaluate(scenario.historical_outcome.package)
    assert 0 < historical.pareto_efficiency <= 1
