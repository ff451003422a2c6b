"""The case in each language: a text is {en: ..., vi: ...} (a plain string is English only); the
validator names every missing translation, as a warning, or as an error in a case marked bilingual."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command

from game.models import ScenarioRecord
from game.scenario import ScenarioError, parse_scenario, scenario_warnings
from game.scenario.schema import IN_LANGUAGE
from game.scenario.text import Local
from game.scenario_files import bundled_scenario_paths, check_scenario_file, load_scenario_file
from game.services import scenario_digest
from tests.conftest import FIXTURES

TINY = yaml.safe_load((FIXTURES / "tiny.yaml").read_text())


def command(name: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def tiny_with(change) -> dict:
    data = yaml.safe_load((FIXTURES / "tiny.yaml").read_text())
    change(data)
    return data


def translated(data: dict) -> dict:
    """The tiny case with every text of it also in (mock) Vietnamese."""
    walked = parse_scenario(data)
    out = yaml.safe_load(yaml.safe_dump(data))
    for problem in scenario_warnings(walked):
        *path, last = [int(p) if p.isdigit() else p for p in problem.location.replace("]", "").replace("[", ".").split(".")]
        node = out
        for part in path:
            node = node[part]
        node[last] = {"en": node[last], "vi": f"VI {node[last]}"[:12] if last == "short" else f"VI {node[last]}"}
    return out


def write(tmp_path, data, name="case.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_an_english_only_case_is_valid_and_each_missing_translation_is_a_warning_naming_its_place(tmp_path):
    path = write(tmp_path, TINY)
    code, out, err = command("validate_scenario", path)
    assert code == 0 and out.startswith("ok")
    assert "warning(s)" in err
    assert "title: no Vietnamese (vi)" in err
    assert "roles[0].title: no Vietnamese (vi)" in err and "issues[0].options[0].label: no Vietnamese (vi)" in err
    # Ids, the dates the game computes with and citations are not texts to translate.
    assert not any(part in err for part in (".id:", ".quote:", ".seed:", ".starts:", ".url:"))
    scenario, warnings = check_scenario_file(path)
    assert warnings and all(w.line for w in warnings)  # each warning points at its line in the file
    assert scenario.title.in_language("vi") == scenario.title.en == "Tiny test case"  # a reader of Vietnamese sees the English


def test_an_empty_translation_is_reported_like_a_missing_one(tmp_path):
    data = translated(TINY)
    data["roles"][0]["brief"]["vi"] = "   "
    _, warnings = check_scenario_file(write(tmp_path, data))
    assert [str(w).split(", ", 1)[1] for w in warnings] == ["roles[0].brief: no Vietnamese (vi): give it as {en: ..., vi: ...}"]


@pytest.mark.django_db
def test_a_bilingual_case_missing_a_translation_is_refused_with_its_place_and_nothing_is_loaded(tmp_path):
    data = translated(TINY) | {"bilingual": True}
    data["issues"][1]["options"][0]["label"] = data["issues"][1]["options"][0]["label"]["en"]
    del data["rounds"][0]["briefing"]["vi"]
    path = write(tmp_path, data)
    code, _, err = command("validate_scenario", path)
    assert code == 1
    assert "issues[1].options[0].label: no Vietnamese (vi)" in err and "rounds[0].briefing: no Vietnamese (vi)" in err
    assert "2 problem(s)" in err
    code, _, err = command("load_scenario", path)
    assert code == 1 and "nothing was loaded" in err
    assert not ScenarioRecord.objects.exists()
    # Complete, the same case loads.
    data["issues"][1]["options"][0]["label"] = {"en": data["issues"][1]["options"][0]["label"], "vi": "Phương án"}
    data["rounds"][0]["briefing"]["vi"] = "Tình hình"
    code, out, err = command("load_scenario", write(tmp_path, data))
    assert code == 0 and "loaded" in out and err == ""
    assert ScenarioRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ({"vi": "Chỉ tiếng Việt"}, "en"),
        ({"en": "", "vi": "Chỉ tiếng Việt"}, "needs its English (en)"),
        ({"en": "Title", "fr": "Titre"}, "fr"),
        ({"en": "Title", "vi": "x" * 201}, "its vi text is 201 characters long; at most 200"),
    ],
)
def test_a_malformed_text_is_an_error_naming_the_field(text, expected):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(tiny_with(lambda d: d["roles"][0].update(title=text)))
    assert any(p.location.startswith("roles[0].title") and expected in f"{p.location} {p.message}" for p in caught.value.problems), caught.value


def test_an_english_only_case_dumps_its_texts_as_written_so_its_digest_is_unchanged():
    scenario = parse_scenario(TINY)
    dumped = scenario.model_dump(mode="json")
    assert dumped["title"] == TINY["title"] and dumped["roles"][0]["brief"] == TINY["roles"][0]["brief"].strip()
    assert "bilingual" not in dumped
    assert scenario_digest(parse_scenario(dumped)) == scenario_digest(scenario)


@pytest.mark.parametrize("path", bundled_scenario_paths(), ids=lambda p: p.stem)
def test_the_bundled_cases_are_complete_in_both_languages(path):
    scenario, warnings = check_scenario_file(path)
    assert scenario.bilingual and warnings == []
    vn_minister = next(r for r in scenario.roles if r.id == "vn_trade")
    assert "Bộ Công Thương" in vn_minister.title.vi and vn_minister.title.en.startswith("Minister of Industry and Trade")
    assert vn_minister.counterpart.vi == "Nguyễn Hồng Diên, Bộ trưởng Bộ Công Thương"
    assert scenario.team("vn").name.vi == "Việt Nam" and scenario.team("us").name.vi == "Hoa Kỳ"
    # Citations are quoted as the sources wrote them: the same in every language, never a Local.
    for role in scenario.roles:
        assert all(not isinstance(v, Local) for c in role.citations for v in dict(c).values())


def test_a_case_dumped_in_one_language_reads_in_it(default_scenario):
    vi = default_scenario.model_dump(mode="json", context={IN_LANGUAGE: "vi"})
    en = default_scenario.model_dump(mode="json", context={IN_LANGUAGE: "en"})
    moit = next(i for i, r in enumerate(vi["roles"]) if r["id"] == "vn_trade")
    assert vi["roles"][moit]["title"] == "Bộ trưởng Bộ Công Thương, Trưởng đoàn đàm phán"
    assert en["roles"][moit]["title"] == "Minister of Industry and Trade, head of the negotiating team"
    assert vi["issues"][0]["citation"] == en["issues"][0]["citation"]
    assert load_scenario_file(bundled_scenario_paths()[0]) == default_scenario
