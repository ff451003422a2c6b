"""A replay as one JSON file: export it from one installation, import it into another.

The file (docs/replays.md, "The export file"):

    {"format": "aligned-at-the-table/replay", "format_version": 1,
     "scenario": {"id", "version", "digest"},          # the scenario must be loaded, identical, where it is imported
     "setup": {...MatchSetup, incl. seed...},
     "match": {"label", "mode", "source_match_id", "table_no", "exported_at"},
     "events": [{seq, type, actor, team, visibility, round, phase, at, data}, ...],
     "final": {"version", "status", "state_sha256", "result", "points", "index"},
     "checksum": "<sha256 of the canonical JSON of everything above>",
     "signatures": {"server": "<HMAC-SHA256 of it with this server's key>", "shared": "<... with REPLAY_SHARED_KEY>"}}

Canonical JSON: keys sorted, no spaces, UTF-8 (ensure_ascii=False). The checksum only catches damage
(anyone can recompute it); the signatures say who wrote the file: this server (SECRET_KEY) or an
installation that shares REPLAY_SHARED_KEY. A file neither verifies is refused unless the import asks
for it, and then it is stored marked "unverified". Either way the engine re-folds the events and the
file is refused if they do not fold to the recorded final state and scores.

`check_file` refuses a file with a reason (ImportRefused) and never writes; `import_file` writes only
after every check passed, in one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from pydantic import ValidationError

from game.engine import Event, MatchSetup, MatchState
from game.models import Match, MatchEvent, ReplayImport, ScenarioRecord, Seat
from game.replays.document import ReplayError, build_document
from game.scenario import Scenario
from game.selectors import match_events, match_setup, scenario_of

FORMAT = "aligned-at-the-table/replay"
FORMAT_VERSION = 1
MAX_EVENTS = 20000
MAX_DEPTH = 32  # the deepest nesting an export has is well under this; deeper is not ours
_SIGNING_SALT = "aligned-at-the-table/replay"
UNVERIFIED = ""


class ImportRefused(Exception):
    """A replay file that cannot be imported: a stable code and a reason for people."""

    def __init__(self, code: str, reason: str):
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}")


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_SEAL = ("checksum", "signatures")


def checksum_of(doc: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: v for k, v in doc.items() if k not in _SEAL})).hexdigest()


def _hmac(doc: dict[str, Any], key: str) -> str:
    return salted_hmac(_SIGNING_SALT, canonical({k: v for k, v in doc.items() if k not in _SEAL}), secret=key, algorithm="sha256").hexdigest()


def seal(doc: dict[str, Any]) -> dict[str, Any]:
    """Set the checksum and sign the document with this server's key (and the shared key, if set)."""
    doc["checksum"] = checksum_of(doc)
    doc["signatures"] = {"server": _hmac(doc, settings.SECRET_KEY)}
    if settings.REPLAY_SHARED_KEY:
        doc["signatures"]["shared"] = _hmac(doc, settings.REPLAY_SHARED_KEY)
    return doc


def verified_by(doc: dict[str, Any]) -> str:
    """Whose key the document's signature checks out with: "this server", "shared key", or UNVERIFIED."""
    given = doc.get("signatures")
    if not isinstance(given, dict):
        return UNVERIFIED
    keys = [("this server", "server", settings.SECRET_KEY), ("shared key", "shared", settings.REPLAY_SHARED_KEY)]
    for name, field, key in keys:
        value = given.get(field)
        if key and isinstance(value, str) and hmac.compare_digest(value, _hmac(doc, key)):
            return name
    return UNVERIFIED


def _depth_ok(value: Any, limit: int) -> bool:
    """No list or object nested deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def state_digest(state: MatchState) -> str:
    return hashlib.sha256(canonical(state.to_json())).hexdigest()


def _final(scenario: Scenario, setup: MatchSetup, events: list[Event]) -> dict[str, Any]:
    doc = build_document(scenario, setup, events)
    state: MatchState = doc["_state"]
    return {
        "version": state.version, "status": state.status, "state_sha256": state_digest(state),
        "result": state.result.model_dump(mode="json") if state.result else None,
        "points": doc["final"]["points"], "index": doc["final"]["index"],
    }


def file_document(
    scenario: Scenario, *, digest: str, title: str, setup: MatchSetup, events: list[Event], match_info: dict[str, Any]
) -> dict[str, Any]:
    """The export file's content for a log, signed with this server's key (the scenario's digest is passed in)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scenario": {"id": scenario.id, "version": scenario.version, "digest": digest, "title": title},
        "setup": setup.model_dump(mode="json"),
        "match": {**match_info, "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat()},
        "events": [e.model_dump(mode="json") for e in events],
        "final": _final(scenario, setup, events),
    }
    return seal(doc)


def export_document(match: Match) -> dict[str, Any]:
    """The export file of a finished match, as a dict (json.dumps it to write the file)."""
    record = match.scenario
    return file_document(
        scenario_of(record), digest=record.digest, title=record.title, setup=match_setup(match), events=match_events(match),
        match_info={"label": match.label, "mode": match.mode, "source_match_id": match.pk, "table_no": match.table_no},
    )


def export_bytes(match: Match) -> bytes:
    return json.dumps(export_document(match), ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class Checked:
    record: ScenarioRecord
    setup: MatchSetup
    events: list[Event]
    state: MatchState
    doc: dict[str, Any]
    checksum: str
    verified_by: str  # "this server", "shared key", or UNVERIFIED


def _get(doc: dict[str, Any], key: str, kind: type, what: str):
    value = doc.get(key)
    if not isinstance(value, kind):
        raise ImportRefused("replay/malformed", f"the file has no valid {what} (field {key!r})")
    return value


def check_file(raw: bytes | str, *, allow_unverified: bool = False) -> Checked:
    """Every check an import makes, without writing anything. Raises ImportRefused with the reason.

    A file that no key here verifies is refused, unless `allow_unverified` (then it is marked so)."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > settings.REPLAY_MAX_BYTES:
        raise ImportRefused(
            "replay/too_large",
            f"the file is {size:,} bytes; a replay file may be at most {settings.REPLAY_MAX_BYTES:,} bytes",
        )
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise ImportRefused("replay/too_deep", "the file nests lists or objects too deeply to be a replay export") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused("replay/not_json", f"the file is not JSON ({exc})") from None
    if not _depth_ok(doc, MAX_DEPTH):
        raise ImportRefused("replay/too_deep", f"the file nests lists or objects more than {MAX_DEPTH} deep; a replay export never does")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("replay/not_a_replay", f"the file is not a replay export (its \"format\" is not {FORMAT!r})")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(
            "replay/format_version",
            f"the file's format version is {doc.get('format_version')!r}; this installation reads version {FORMAT_VERSION}",
        )
    given = doc.get("checksum")
    if not isinstance(given, str) or given != checksum_of(doc):
        raise ImportRefused(
            "replay/checksum", "the checksum does not match the content: the file was changed or damaged after export"
        )
    signer = verified_by(doc)
    if signer == UNVERIFIED and not allow_unverified:
        raise ImportRefused(
            "replay/unverified",
            "the file's signature matches neither this server's key nor the shared key (REPLAY_SHARED_KEY): it was "
            "exported by another installation, or edited. Import it with --unverified to store it marked as unverified",
        )
    sc = _get(doc, "scenario", dict, "scenario")
    record = ScenarioRecord.objects.filter(scenario_id=sc.get("id"), version=sc.get("version")).first()
    if record is None:
        raise ImportRefused(
            "replay/scenario_missing",
            f"scenario {sc.get('id')!r} version {sc.get('version')!r} is not loaded here; load the same scenario file "
            "first (manage.py load_scenario FILE)",
        )
    if record.digest != sc.get("digest"):
        raise ImportRefused(
            "replay/scenario_mismatch",
            f"scenario {record.scenario_id} version {record.version} is loaded here but differs from the one the game "
            f"was played with (digest {str(sc.get('digest'))[:12]}… in the file, {record.digest[:12]}… here)",
        )
    scenario = scenario_of(record)
    try:
        setup = MatchSetup.model_validate(_get(doc, "setup", dict, "setup"))
    except ValidationError as exc:
        raise ImportRefused("replay/malformed", f"the setup is not valid: {exc.errors(include_url=False)[0]['msg']}") from None
    if (setup.scenario_id, setup.scenario_version) != (record.scenario_id, record.version):
        raise ImportRefused("replay/scenario_mismatch", "the setup names another scenario than the file's header")
    raw_events = _get(doc, "events", list, "event list")
    if not raw_events or len(raw_events) > MAX_EVENTS:
        raise ImportRefused("replay/malformed", f"a replay has 1 to {MAX_EVENTS} events; this file has {len(raw_events)}")
    events: list[Event] = []
    for i, item in enumerate(raw_events, start=1):
        try:
            event = Event.model_validate(item)
        except ValidationError as exc:
            raise ImportRefused("replay/bad_event", f"event #{i} is not a valid event: {exc.errors(include_url=False)[0]['msg']}") from None
        if event.seq != i:
            raise ImportRefused("replay/out_of_sequence", f"events are out of sequence: event #{i} has seq {event.seq}, expected {i}")
        events.append(event)
    try:
        built = build_document(scenario, setup, events)
    except ReplayError as exc:
        raise ImportRefused("replay/unfoldable", f"the engine cannot replay this log: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - an untrusted file's events may break the fold anywhere; never a traceback
        raise ImportRefused("replay/unfoldable", f"the engine cannot replay this log ({type(exc).__name__})") from None
    state: MatchState = built["_state"]
    final = _get(doc, "final", dict, "final state")
    if state.status != "finished":
        raise ImportRefused("replay/not_finished", "the log does not end in a finished game; only finished games can be imported")
    if final.get("state_sha256") != state_digest(state) or final.get("version") != state.version:
        raise ImportRefused(
            "replay/final_state", "replaying the events gives a different final state from the one recorded in the file"
        )
    if final.get("index") != built["final"]["index"] or final.get("points") != built["final"]["points"]:
        raise ImportRefused(
            "replay/final_score", "replaying the events gives different scores from the ones recorded in the file"
        )
    return Checked(record, setup, events, state, doc, given, signer)


def import_file(raw: bytes | str, *, allow_duplicate: bool = False, allow_unverified: bool = False) -> Match:
    """Check the file, then store it as a new finished match in one transaction. Raises ImportRefused."""
    checked = check_file(raw, allow_unverified=allow_unverified)
    if not allow_duplicate:
        earlier = ReplayImport.objects.filter(checksum=checked.checksum).first()
        if earlier is not None:
            raise ImportRefused(
                "replay/duplicate", f"this file was already imported as match {earlier.match_id} (use --again to import it twice)"
            )
    scenario = scenario_of(checked.record)
    info = checked.doc.get("match") if isinstance(checked.doc.get("match"), dict) else {}
    label = str(info.get("label") or "Game")[:40]
    with transaction.atomic():
        match = Match.objects.create(
            scenario=checked.record, mode=Match.Mode.PRACTICE, label=f"Imported: {label}"[:60],
            setup=checked.setup.model_dump(mode="json"), status=checked.state.status, version=checked.state.version,
            snapshot=checked.state.to_json(), deadline=checked.state.deadline,
        )
        Seat.objects.bulk_create([Seat(match=match, role_id=r.id, team=r.team, kind=Seat.Kind.EMPTY) for r in scenario.roles])
        MatchEvent.objects.bulk_create([
            MatchEvent(match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                       round=e.round, phase=e.phase, at=e.at, data=e.data)
            for e in checked.events
        ])
        source = f"match {info.get('source_match_id')} ({label})" if info.get("source_match_id") is not None else label
        ReplayImport.objects.create(match=match, checksum=checked.checksum, source=source[:200], verified_by=checked.verified_by)
    return match
