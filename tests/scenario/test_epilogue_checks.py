"""The validator on a scenario's epilogue: bad epilogue data is refused with a message that names its place."""

from __future__ import annotations

import pytest
import yaml

from game.scenario import ScenarioError
from game.scenario_files import DEFAULT_SCENARIO_PATH, parse_scenario_text

DEFAULT_TEXT = DEFAULT_SCENARIO_PATH.read_text()


def problems(change) -> list[str]:
    data = yaml.safe_load(DEFAULT_TEXT)
    change(data)
    with pytest.raises(ScenarioError) as exc:
        parse_scenario_text(yaml.safe_dump(data, sort_keys=False))
    return [f"{p.location}: {p.message}" for p in exc.value.problems]


def inject(data, inject_id):
    return next(i for i in data["injects"] if i["id"] == inject_id)


def test_the_default_scenario_has_a_cited_epilogue_of_the_framework_and_the_ruling():
    scenario = parse_scenario_text(DEFAULT_TEXT)
    ep = scenario.epilogue
    assert ep.inject_ids() == ["framework_26oct", "court_ruling_20feb", "export_list_20feb"]
    assert {scenario.inject(i).available_from for i in ep.inject_ids()} == {"2025-10-26", "2026-02-20"}
    for inject_id in ep.inject_ids():
        citation = scenario.inject(inject_id).citation
        assert citation.kind == "reference" and citation.outlet and citation.url.startswith("https://")
    assert {p.team for p in ep.pressures} == {"us", "vn"}
    assert any("transshipment" in p.issues for p in ep.pressures)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["epilogue"].update(starts="2025-08-01"),
         "epilogue.starts: the epilogue starts on 2025-08-01, before the last round ends (2025-08-07)"),
        (lambda d: d["epilogue"].update(ends="2025-10-01"),
         "epilogue.ends: the epilogue ends (2025-10-01) before it starts (2025-10-26)"),
        (lambda d: inject(d, "court_ruling_20feb").update(available_from="2026-03-01"),
         "epilogue.pressures[2].inject: inject 'court_ruling_20feb' happened on 2026-03-01, but the epilogue runs 2025-10-26 to 2026-02-20"),
        (lambda d: d["epilogue"]["pressures"][0].update(inject="nowhere"),
         "epilogue.pressures[0].inject: names unknown inject 'nowhere'"),
        (lambda d: d["epilogue"]["pressures"][0].update(team="china"),
         "epilogue.pressures[0].team: names unknown team 'china'"),
        (lambda d: d["epilogue"]["pressures"][0].update(issues=["rice"]),
         "epilogue.pressures[0].issues[0]: names unknown issue 'rice'"),
        (lambda d: d["epilogue"]["pressures"][1].update(id="ruling_us"),
         "epilogue.pressures: id 'ruling_us' is used more than once"),
        (lambda d: inject(d, "framework_26oct").pop("available_from"),
         "epilogue.pressures[0].inject: inject 'framework_26oct' has no available_from"),
        (lambda d: d["rounds"][6]["injects"].append("court_ruling_20feb"),
         "rounds[6].injects[3]: inject 'court_ruling_20feb' happened on 2026-02-20, but round 6 runs 2025-07-02 to 2025-08-07"),
        (lambda d: d["epilogue"]["citations"][0].pop("url"),
         "epilogue.citations[0].url: is required but missing: a reference needs its url"),
    ],
)
def test_bad_epilogue_data_is_refused_with_its_place(change, expected):
    found = problems(change)
    assert any(p.startswith(expected) for p in found), found


def test_an_epilogue_inject_without_the_epilogue_could_never_land():
    found = problems(lambda d: d.pop("epilogue"))
    assert "injects[11].available_from: inject 'framework_26oct' happened on 2025-10-26, after the last round ends (2025-08-07): it could never be pushed" in found


def test_a_case_without_an_epilogue_dumps_as_before(tiny):
    assert "epilogue" not in tiny.model_dump(mode="json")
