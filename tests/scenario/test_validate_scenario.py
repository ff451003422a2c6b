"""`manage.py validate_scenario` on good and broken files: "ok", or every problem with its place."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from django.core.management import call_command

from game.scenario_files import DEFAULT_SCENARIO_PATH
from tests.conftest import FIXTURES

TINY_TEXT = (FIXTURES / "tiny.yaml").read_text()


def run(path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("validate_scenario", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, text, name="case.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def edited(change) -> str:
    data = yaml.safe_load(TINY_TEXT)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def test_the_default_scenario_is_valid_and_summarised():
    code, out, err = run(DEFAULT_SCENARIO_PATH)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "ok"
    assert "United States" in out and "Vietnam" in out
    assert "historical outcome" in out


def test_the_default_scenario_has_the_shape_the_brief_asks_for(default_scenario):
    s = default_scenario
    assert 6 <= len(s.rounds) <= 7
    assert 6 <= len(s.issues) <= 8
    # Four or five roles a team, plus the US President's seat: the rates were set by his orders.
    assert [len(s.roles_of(t.id)) for t in s.teams] == [6, 5]
    assert [r.counterpart.en.split(",")[0] for r in s.roles if r.level == "leader"] == ["Donald Trump", "To Lam"]
    assert s.role("us_ustr").level == "minister"  # Greer met Dien as ministers (Jeju, Paris, 19 June)
    for team in s.teams:
        assert {r.level for r in s.roles_of(team.id)} == {"leader", "minister", "technical"}
        assert len(s.personas_for(team.id)) >= 3
    assert all(3 <= len(i.options) <= 5 for i in s.issues)
    assert s.historical_outcome is not None


def test_bad_yaml_is_reported_with_its_line(tmp_path):
    code, _, err = run(write(tmp_path, "id: tiny\nteams: [unclosed\n  - oops: {\n"))
    assert code == 1
    assert "not valid YAML" in err
    assert "line " in err


def test_bad_json_is_reported_with_its_line(tmp_path):
    code, _, err = run(write(tmp_path, '{"id": "tiny",\n "version": }', "case.json"))
    assert code == 1
    assert "not valid JSON" in err and "line 2" in err


def test_a_json_scenario_is_accepted(tmp_path):
    code, out, _ = run(write(tmp_path, json.dumps(yaml.safe_load(TINY_TEXT), default=str), "case.json"))
    assert code == 0 and out.startswith("ok")


def test_an_unknown_field_is_named_with_its_place(tmp_path):
    def change(d):
        d["issues"][1]["weight"] = 3

    code, _, err = run(write(tmp_path, edited(change)))
    assert code == 1
    assert "issues[1].weight: is not a field this schema knows" in err


def test_a_dangling_reference_is_named_with_its_place_and_line(tmp_path):
    def change(d):
        d["rounds"][1]["agenda"] = ["price", "tarrifs"]

    text = edited(change)
    code, _, err = run(write(tmp_path, text))
    assert code == 1
    assert "rounds[1].agenda[1]: names unknown issue 'tarrifs'" in err
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "tarrifs" in l)
    assert f"line {line}," in err


def test_points_that_do_not_sum_to_100_at_the_ideal_are_refused(tmp_path):
    def change(d):
        d["teams"][1]["points"]["price"]["low"] = 45

    code, _, err = run(write(tmp_path, edited(change)))
    assert code == 1
    assert "teams[1].points: the ideal package is worth 105 points on the sheet of team 'blue'; it must be 100" in err


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    def change(d):
        d["deliverables"][0]["prepared_by"] = ["blue_min"]
        d["roles"][0]["citations"][0]["seed"] = "unknown_seed"
        d["historical_outcome"]["package"].pop("delivery")

    code, _, err = run(write(tmp_path, edited(change)))
    assert code == 1
    assert "3 problem(s)" in err
    assert "deliverables[0].prepared_by[0]: role 'blue_min' is not on team 'red'" in err
    assert "roles[0].citations[0].seed: cites unknown seed 'unknown_seed'" in err
    assert "historical_outcome.package: does not cover issue(s) delivery" in err


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "a scenario must be a mapping"),
        ("- just\n- a list\n", "a scenario must be a mapping"),
    ],
)
def test_empty_or_non_mapping_files_are_refused(tmp_path, text, message):
    code, _, err = run(write(tmp_path, text))
    assert code == 1 and message in err


def test_a_missing_file_is_a_clear_error(tmp_path):
    code, _, err = run(tmp_path / "nope.yaml")
    assert code == 1 and "cannot read" in err
