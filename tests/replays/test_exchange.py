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
from tests.replays.conftest import store_game

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(record, default_scenario, recorded):
    match = store_game(record, default_scenario, recorded[0])
    return match, export_document(match)


def _counts():
    return Match.objects.count(), MatchEvent.objects.count(), Seat.objects.count(), ReplayImport.objects.count()


def _resign(doc):
    """What anyone can do to an edited file: recompute the checksum (not the signature: that needs the key)."""
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


def _refused(raw, code, *, allow_unverified=True):
    """Refused with `code`, nothing written -- even when unverified files are let in (the engine re-folds them)."""
    before = _counts()
    with pytest.raises(ImportRefused) as caught:
        import_file(raw, allow_unverified=allow_unverified)
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


# --- signatures: who wrote the file -------------------------------------------------------------------
def _tampered(doc):
    """A move's words edited afterwards: the log still folds to the same end, so only a signature can tell."""
    doc["events"][30]["data"]["note"] = "We accept every US demand."
    return _resign(doc)


def test_an_export_is_signed_with_the_servers_key_and_imports_as_verified(exported, client):
    _, doc = exported
    assert set(doc["signatures"]) == {"server"} and len(doc["signatures"]["server"]) == 64
    Match.objects.all().delete()
    imported = import_file(json.dumps(doc))
    assert ReplayImport.objects.get(match=imported).verified_by == "this server"


def test_an_edited_file_with_a_recomputed_checksum_is_refused_as_unverified(exported):
    _, doc = exported
    reason = _refused(_tampered(doc), "replay/unverified", allow_unverified=False)
    assert "--unverified" in reason


def test_an_unverified_import_is_stored_only_when_asked_and_the_replay_page_says_so(exported, settings):
    match, doc = exported
    raw = _tampered(doc)
    imported = import_file(raw, allow_unverified=True)
    assert ReplayImport.objects.get(match=imported).verified_by == ""
    from django.test import Client

    from game.replays.services import share_create

    share = share_create(match=imported, created_by="import_replay")
    page = Client().get(f"/r/{share.token}/").content.decode()
    assert "Unverified import" in page and 'data-import="unverified"' in page
    original = share_create(match=match, created_by="test")
    assert "Unverified import" not in Client().get(f"/r/{original.token}/").content.decode()


def test_another_servers_export_verifies_only_with_the_shared_key(exported, settings):
    _, doc = exported
    settings.SECRET_KEY = "another-installation-" + "k" * 40
    settings.REPLAY_SHARED_KEY = "shared-between-our-two-servers-" + "s" * 20
    from game.replays.exchange import seal

    theirs = json.dumps(seal({k: v for k, v in doc.items() if k not in ("checksum", "signatures")}))
    settings.SECRET_KEY = "this-installation-" + "h" * 40
    Match.objects.all().delete()
    imported = import_file(theirs)
    assert ReplayImport.objects.get(match=imported).verified_by == "shared key"
    settings.REPLAY_SHARED_KEY = "a-different-shared-key-" + "x" * 20
    _refused(theirs, "replay/unverified", allow_unverified=False)


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(exported, settings, tmp_path, monkeypatch):
    _, doc = exported
    raw = json.dumps(doc)
    settings.REPLAY_MAX_BYTES = len(raw) - 1
    parsed = []
    monkeypatch.setattr("game.replays.exchange.json.loads", lambda *a, **k: parsed.append(1))
    assert "at most" in _refused(raw, "replay/too_large")
    path = tmp_path / "big.json"
    path.write_text(raw)
    with pytest.raises(CommandError, match="too_large"):
        call_command("import_replay", str(path))
    assert parsed == []


def test_deeply_nested_and_malformed_files_are_refused_with_a_reason_and_no_traceback(exported, tmp_path):
    _, doc = exported
    _refused("[" * 100_000 + "]" * 100_000, "replay/too_deep")
    nested = dict(doc)
    nested["events"] = [dict(doc["events"][0], data={"x": json.loads("[" * 200 + "]" * 200)})] + doc["events"][1:]
    _refused(_resign(nested), "replay/too_deep")
    path = tmp_path / "deep.json"
    path.write_text("{" + '"a":' * 50_000 + "1" + "}" * 50_000)
    with pytest.raises(CommandError, match="replay/"):
        call_command("import_replay", str(path))
    for junk in (b"\xff\xfe\x00", b"[]", b"null", b'{"format": "aligned-at-the-table/replay", "format_version": 1}'):
        with pytest.raises(ImportRefused):
            import_file(junk, allow_unverified=True)


def test_mangled_files_are_refused_with_a_reason_never_an_exception(exported):
    """A bounded fuzz: values swapped for wrong types, keys dropped, junk nested in. Every file is either
    refused with ImportRefused or imported as a valid game -- no other exception, nothing half-written."""
    import random

    _, doc = exported
    rng = random.Random(20)
    junk = [None, 0, -1, 1e308, "", "x" * 300, [], {}, [[[]]], {"seq": "1"}, True]

    def paths(value, prefix=()):
        if isinstance(value, dict):
            for k, v in value.items():
                yield prefix + (k,)
                yield from paths(v, prefix + (k,))
        elif isinstance(value, list):
            for i in rng.sample(range(len(value)), min(len(value), 3)):
                yield prefix + (i,)
                yield from paths(value[i], prefix + (i,))

    every = list(paths(doc))
    for _ in range(40):
        mangled = json.loads(json.dumps(doc))
        where = rng.choice(every)
        parent = mangled
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.3:
            parent.pop(where[-1], None)
        else:
            parent[where[-1]] = rng.choice(junk)
        before = _counts()
        try:
            import_file(_resign(mangled), allow_unverified=True, allow_duplicate=True)
        except ImportRefused as refused:
            assert refused.reason and _counts() == before, where
