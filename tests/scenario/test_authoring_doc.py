"""docs/scenario-authoring.md pastes what `validate_scenario` prints for broken versions of the tiny
case; each example below is one of them, and the doc must show exactly what the validator prints
(line numbers aside: they follow the fixture, the messages must not drift)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.scenario.test_translations import translated
from tests.scenario.test_validate_scenario import edited, run

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-authoring.md"


def _reference_without_date_and_address(d):
    d["rounds"][0]["citations"].append(
        {"kind": "reference", "outlet": "The Example Times", "fact": "Red and blue agreed to meet on 3 May."}
    )


def _reference_with_a_page_number_for_address(d):
    d["rounds"][0]["citations"].append(
        {"kind": "reference", "outlet": "The Example Times", "date": "3 May 2025", "url": "page 3",
         "fact": "Red and blue agreed to meet on 3 May."}
    )


def _seed_quote_with_a_loose_paragraph_reference(d):
    d["issues"][0]["citation"] = {"seed": "note", "where": "paragraph 2", "quote": "price"}


def _seed_quote_of_an_unknown_seed(d):
    d["issues"][0]["citation"] = {"seed": "notes", "where": "para 2", "quote": "price"}


def _citation_of_an_unknown_kind(d):
    d["injects"][0]["citation"] = {"kind": "book", "title": "A history of trade"}


def _bilingual_with_two_translations_missing(d):
    d.update(translated(d), bilingual=True)
    d["roles"][0]["title"]["vi"] = ""
    d["issues"][1]["options"][2]["label"] = "Small"


def _misspelt_field(d):
    d["issues"][1]["descripton"] = d["issues"][1].pop("description")


def _dangling_ids(d):
    d["rounds"][1]["agenda"] = ["price", "volumes"]
    d["roles"][1]["red_lines"][0]["worst_acceptable"] = "slowest"


def _phases_out_of_order(d):
    d["rounds"][1]["phases"] = ["caucus", "briefing", "table"]


def _points_and_levels(d):
    d["teams"][1]["points"]["price"]["low"] = 45
    d["roles"][2]["level"] = "minister"


def _owners_rounds_and_outcome(d):
    d["deliverables"][0]["prepared_by"] = ["blue_min"]
    d["rounds"][2]["index"] = 3
    d["rounds"][2]["agenda"] = []
    d["historical_outcome"]["package"].pop("delivery")


def _dated(d):
    for rnd, (starts, ends) in zip(d["rounds"], [("2025-04-01", "2025-04-01"), ("2025-04-02", "2025-04-05"), ("2025-04-08", "2025-04-09")]):
        rnd["starts"], rnd["ends"] = starts, ends
    d["injects"][0]["available_from"] = "2025-04-03"


def _events_out_of_their_rounds(d):
    _dated(d)
    d["rounds"][1]["starts"] = "2025-04-01"
    d["injects"][0]["available_from"] = "2025-04-07"
    d["deliverables"][0]["available_from"] = "2025-05-01"


def _a_loose_date(d):
    _dated(d)
    d["deliverables"][1]["available_from"] = "3 April 2025"
    del d["rounds"][2]["ends"]


def _epilogue_out_of_its_dates(d):
    _dated(d)
    d["injects"].append({"id": "ruling", "title": "The ruling", "text": "A court rules.", "available_from": "2025-05-20",
                         "citation": {"seed": "note", "quote": "ready"}})
    d["epilogue"] = {
        "title": "Aftermath", "date": "May 2025", "starts": "2025-04-09", "ends": "2025-05-10", "place": "Court",
        "briefing": "A court rules on the deal.", "citations": [{"seed": "note", "quote": "ready"}],
        "pressures": [
            {"id": "ruling_red", "inject": "ruling", "team": "red", "issues": ["price"], "question": "Keep the price?"},
            {"id": "ruling_blue", "inject": "shock", "team": "green", "issues": ["colour"], "question": "Keep it?"},
        ],
    }


EXAMPLES = {
    "epilogue-out-of-its-dates": _epilogue_out_of_its_dates,
    "dates-out-of-order": _events_out_of_their_rounds,
    "dates-loose": _a_loose_date,
    "reference-missing-fields": _reference_without_date_and_address,
    "reference-bad-address": _reference_with_a_page_number_for_address,
    "seed-quote-bad-where": _seed_quote_with_a_loose_paragraph_reference,
    "unknown-seed": _seed_quote_of_an_unknown_seed,
    "unknown-kind": _citation_of_an_unknown_kind,
    "misspelt-field": _misspelt_field,
    "bilingual-missing-translations": _bilingual_with_two_translations_missing,
    "dangling-ids": _dangling_ids,
    "phases-out-of-order": _phases_out_of_order,
    "points-and-levels": _points_and_levels,
    "owners-rounds-outcome": _owners_rounds_and_outcome,
}


def validator_output(tmp_path, monkeypatch, change) -> str:
    monkeypatch.chdir(tmp_path)
    Path("case.yaml").write_text(edited(change))
    code, _, err = run("case.yaml")
    assert code == 1
    return err.strip()


def without_line_numbers(text: str) -> str:
    return re.sub(r"\bline \d+,", "line N,", text)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_authoring_doc_shows_what_the_validator_prints(tmp_path, monkeypatch, name):
    printed = validator_output(tmp_path, monkeypatch, EXAMPLES[name])
    doc = DOC.read_text(encoding="utf-8")
    assert f"<!-- example: {name} -->" in doc, f"the doc has no example {name!r}"
    block = doc.split(f"<!-- example: {name} -->", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    expected = "$ .venv/bin/python manage.py validate_scenario case.yaml\n" + printed
    assert without_line_numbers(block.strip()) == without_line_numbers(expected), f"re-run the example and paste:\n{expected}"
