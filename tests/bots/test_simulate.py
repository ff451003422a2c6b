"""simulate(): the same seed gives the same figures; bots beat the baselines on what matters."""

from __future__ import annotations

from game.bots.simulate import format_report, simulate


def test_same_seed_same_figures(tiny):
    a = simulate(tiny, {"red": "fair", "blue": "easy"}, games=5, seed=3)
    b = simulate(tiny, {"red": "fair", "blue": "easy"}, games=5, seed=3)
    assert a.as_dict(with_games=True) == b.as_dict(with_games=True)
    assert format_report(a) == format_report(b)


def test_progress_is_reported(tiny):
    seen = []
    simulate(tiny, {"red": "fair", "blue": "easy"}, games=3, seed=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_bot_self_play_agrees_near_the_frontier(default_scenario):
    report = simulate(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, games=4, seed=1)
    assert report.agreement_rate >= 0.75
    assert report.mean_pareto_efficiency is not None and report.mean_pareto_efficiency >= 0.95
    assert all(v >= 80 for v in report.mean_alignment.values())
    assert report.deals_below_batna == {"us": 0, "vn": 0}


def test_bots_beat_the_baselines(default_scenario):
    bots = simulate(default_scenario, {"us": "us_hardline", "vn": "vn_hardline"}, games=3, seed=2)
    never = simulate(default_scenario, {"us": "never_concede", "vn": "never_concede"}, games=2, seed=2)
    rand = simulate(default_scenario, {"us": "random", "vn": "random"}, games=6, seed=2)
    assert never.agreement_rate == 0
    assert bots.agreement_rate > never.agreement_rate
    assert bots.mean_pareto_efficiency > (rand.mean_pareto_efficiency or 0)
    assert min(bots.mean_alignment.values()) > max(rand.mean_alignment.values())
