"""The package space and the bidder's optimiser, against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from game.bots.space import best_bid, space_of


def brute_force(own, score, allowed, target):
    best, count = None, 0
    for choice in itertools.product(*allowed):
        points = sum(own[i][k] for i, k in enumerate(choice))
        if points < target:
            continue
        count += 1
        value = sum(score[i][k] for i, k in enumerate(choice))
        if best is None or value > best[0]:
            best = (value, points)
    return best, count


@st.composite
def problems(draw):
    n = draw(st.integers(1, 5))
    own = [draw(st.lists(st.integers(0, 25), min_size=2, max_size=5)) for _ in range(n)]
    score = [[draw(st.floats(0, 1)) for _ in row] for row in own]
    allowed = [draw(st.lists(st.sampled_from(range(len(row))), min_size=1, max_size=len(row), unique=True)) for row in own]
    target = draw(st.integers(0, sum(max(r) for r in own) + 2))
    return own, score, allowed, target


@settings(max_examples=300, deadline=None)
@given(problems())
def test_best_bid_is_the_brute_force_optimum(problem):
    own, score, allowed, target = problem
    bid = best_bid(own, score, allowed, target)
    best, count = brute_force(own, score, allowed, target)
    if best is None:
        assert bid is None
        return
    assert bid is not None
    assert abs(bid.estimate - best[0]) <= 1e-6
    assert bid.own >= target and bid.own == sum(own[i][k] for i, k in enumerate(bid.choice))
    assert all(k in allowed[i] for i, k in enumerate(bid.choice))
    assert bid.feasible == count


def test_package_table_matches_the_scenario_points(any_scenario):
    space = space_of(any_scenario)
    table = space.table()
    expected = 1
    for options in space.options:
        expected *= len(options)
    assert len(table) == expected
    for n in range(0, len(table), max(1, len(table) // 97)):
        package = space.package(table.choice(n))
        assert table.index(table.choice(n)) == n
        for team in any_scenario.team_ids():
            assert table.points[team][n] == any_scenario.points(team, package)
    assert max(table.points[any_scenario.teams[0].id]) == 100


def test_space_is_cached_per_scenario_and_per_points_sheets(tiny):
    assert space_of(tiny) is space_of(tiny)
    teams = [t.model_copy(update={"points": {**t.points, "price": {"high": 0, "mid": 25, "low": 50}}}) if t.id == "red" else t for t in tiny.teams]
    variant = tiny.model_copy(update={"teams": teams})
    assert space_of(variant) is not space_of(tiny)
    assert space_of(variant).points["red"][0] == (0, 25, 50)
