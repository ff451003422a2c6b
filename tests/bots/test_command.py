"""`python manage.py simulate`: a thin wrapper; the same seed prints the same figures."""

from __future__ import annotations

import io
import json

import pytest

pytest.importorskip("django")
from django.core.management import CommandError, call_command  # noqa: E402

from tests.conftest import FIXTURES  # noqa: E402


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_simulate_prints_the_figures_and_a_progress_bar():
    out, err = run("--games", "2", "--us", "us_pragmatic", "--vn", "vn_hardline", "--seed", "4")
    for label in ("agreement rate", "mean points", "mean Pareto eff.", "mean dist. to Nash", "mean alignment"):
        assert label in out
    assert "2/2 games" in err and "[" in err
    again, _ = run("--games", "2", "--us", "us_pragmatic", "--vn", "vn_hardline", "--seed", "4")
    assert again == out


def test_simulate_json_on_another_scenario_is_the_same_with_workers():
    args = ["--games", "3", "--scenario", str(FIXTURES / "tiny.yaml"), "--us", "tough", "--vn", "random", "--json", "--seed", "9"]
    one, _ = run(*args)
    two, _ = run(*args, "--jobs", "2")
    assert json.loads(one) == json.loads(two)
    data = json.loads(one)
    assert data["players"] == {"red": "tough", "blue": "random"} and data["games"] == 3


def test_simulate_refuses_an_unknown_persona():
    with pytest.raises(CommandError, match="not a persona"):
        run("--games", "1", "--us", "vn_hardline")
