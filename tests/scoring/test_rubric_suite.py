"""The fast strategy-ranking suite: the rubric must rank principled play first against every persona."""

from __future__ import annotations

from game.bots.rubric_suite import run_suite
from game.bots.scripted import STRATEGIES


def test_the_rubric_ranks_principled_play_first_and_punishes_degenerate_play(default_or_skip):
    report = run_suite(default_or_skip, "vn", seeds=(1,))
    assert len(STRATEGIES) >= 12
    personas = {r.persona for r in report.rows}
    assert personas == {p.id for p in default_or_skip.personas_for("us")}
    failed = [f"{c['persona']}: {c['check']} ({c['detail']})" for c in report.checks if not c["ok"]]
    assert not failed, "\n".join(failed)
    kinds = {c["check"].split(" ")[0] for c in report.checks}
    assert len(report.checks) == 4 * len(personas), kinds
