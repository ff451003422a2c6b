"""Export -> import: the same states and scores; tampered or mismatched files refused, nothing written."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from game.models import Match, MatchEvent, ReplayImport, ScenarioRecord, Seat
from game.replays.document import build_document
from game.replays.exchange import FORMAT, ImportRefused, checksum_of, export_document, import_file
from game.scoring import score_match
from game.selectors import match_events, match_setup
from game.services import scenario_load
from tests.replays.conftest import store_game

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(default_scenario):
    return scenario_load(scenario=default_scenario)[0]


@pytest.fixture
def exported(record, default_scenario, recorded):
    match = store_game(record, default_scenario, recorded[0])
    return match, export_document(match)


def _counts():
    return Match.objects.count(), MatchEvent.objects.count(), Seat.objects.count(), ReplayImport.objects.count()


def _resign(doc):
    doc["checksum"] = checksum_of(doc)
    return json.dumps(doc)


def test_the_file_holds_format_scenario_setup_events_and_checksum(exported, default_scenario, recorded):
    match, doc = exported
    assert doc["format"] == FORMAT and doc["format_version"] == 1
    assert doc["scenario"]["id"] == default_scenario.id and doc["scenario"]["version"] == default_scenario.version
    assert len(doc["scenario"]["digest"]) == 64 and len(doc["checksum"]) == 64
    assert doc["setup"]["seed"] == recorded[0].seed
    assert [e["seq"] for e in doc["events"]] == list(range(1, len(recorded[0].events) + 1))
    assert doc["checksum"] == checksum_of(doc)


def test_round_trip_into_a_fresh_database_replays_identically(exported, default_scenario):
    match, doc = exported
    raw = json.dumps(doc)
    before_states = build_document(default_scenario, match_setup(match), match_events(match))
    before_score = score_match(default_scenario, match_events(match))
    # A fresh installation: no matches at all, only the same scenario loaded.
    Match.objects.all().delete()
    assert MatchEvent.objects.count() == 0
    imported = import_file(raw)
    after_states = build_document(default_scenario, match_setup(imported), match_events(imported))
    assert after_states["states"] == before_states["states"]
    assert after_states["blocks"] == before_states["blocks"] and after_states["scores"] == before_states["scores"]
    assert after_states["_state"] == before_states["_state"]
    assert score_match(default_scenario, match_events(imported)) == before_score
    assert imported.status == "finished" and imported.snapshot == before_states["_state"].to_json()
    assert ReplayImport.objects.get(match=imported).checksum == doc["checksum"]


def test_the_command_imports_and_can_print_a_share_link(exported, tmp_path, capsys):
    match, doc = exported
    path = tmp_path / "replay.json"
    path.write_text(json.dumps(doc))
    Match.objects.all().delete()
    call_command("import_replay", str(path), "--share")
    out = capsys.readouterr().out
    assert "imported as match" in out and "/r/" in out


def test_export_command_writes_the_file(exported, tmp_path):
    match, doc = exported
    path = tmp_path / "out.json"
    call_command("export_replay", str(match.pk), "--output", str(path))
    written = json.loads(path.read_text())
    assert written["checksum"] == checksum_of(written) and written["events"] == doc["events"]


def _refused(raw, code):
    before = _counts()
    with pytest.raises(ImportRefused) as caught:
        import_file(raw)
    assert caught.value.code == code, caught.value.reason
    assert _counts() == before  # nothing written
    return caught.value.reason


def test_a_changed_byte_breaks_the_checksum(exported):
    _, doc = exported
    doc["events"][30]["data"]["note"] = "edited afterwards"
    assert "checksum" in _refused(json.dumps(doc), "replay/checksum")


def test_events_out_of_sequence_are_refused_even_with_a_fresh_checksum(exported):
    _, doc = exported
    doc["events"][10], doc["events"][11] = doc["events"][11], doc["events"][10]
    assert "out of sequence" in _refused(_resign(doc), "replay/out_of_sequence")


def test_an_event_the_engine_cannot_fold_is_refused(exported):
    _, doc = exported
    doc["events"][12]["type"] = "teleported"
    assert "event 13" in _refused(_resign(doc), "replay/unfoldable")


def test_a_different_final_state_is_refused(exported):
    # An offer's package rewritten (and the checksum recomputed): the log still folds, but not to the
    # final state the file recorded.
    _, doc = exported
    offer = next(e for e in doc["events"] if e["type"] == "offer_proposed")
    issue = "us_tariff"
    offer["data"]["package"][issue] = "t46" if offer["data"]["package"][issue] != "t46" else "t20"
    assert "different final state" in _refused(_resign(doc), "replay/final_state")


def test_a_final_score_that_does_not_match_is_refused(exported):
    _, doc = exported
    doc["final"]["index"]["us"] = 100.0
    assert "different scores" in _refused(_resign(doc), "replay/final_score")


def test_a_truncated_log_is_refused(exported):
    _, doc = exported
    doc["events"] = doc["events"][:-3]
    _refused(_resign(doc), "replay/not_finished")


def test_a_missing_or_different_scenario_is_refused(exported, record):
    _, doc = exported
    raw = json.dumps(doc)
    ScenarioRecord.objects.filter(pk=record.pk).update(digest="0" * 64)
    assert "differs" in _refused(raw, "replay/scenario_mismatch")
    changed = {**doc, "scenario": {**doc["scenario"], "version": "9.9"}}
    assert "not loaded" in _refused(_resign(changed), "replay/scenario_missing")


def test_not_json_and_not_a_replay_are_refused():
    _refused(b"{nope", "replay/not_json")
    _refused(json.dumps({"format": "something else"}), "replay/not_a_replay")


def test_importing_the_same_file_twice_is_refused_unless_asked(exported):
    _, doc = exported
    raw = json.dumps(doc)
    import_file(raw)
    _refused(raw, "replay/duplicate")
    assert import_file(raw, allow_duplicate=True).pk


def test_the_command_prints_the_reason_and_fails(exported, tmp_path):
    _, doc = exported
    doc["events"][3]["at"] = 0.5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="checksum"):
        call_command("import_replay", str(path))
