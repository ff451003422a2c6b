"""Writes: one function per use case. The engine decides; these functions store what it decided.

Every move goes through `match_submit_move`: lock the match row, check the expected version, run
the engine, append the events and save the snapshot, all in one short transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from game.engine import Event, MatchSetup, MatchState, Move, apply_move, new_state, parse_move, replay
from game.models import Match, MatchEvent, ScenarioRecord, Seat
from game.scenario import Scenario
from game.selectors import event_from_row, match_events, match_setup, scenario_of


def scenario_digest(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class ScenarioConflict(Exception):
    """A different scenario file claims an id and version that matches already use."""


def scenario_load(*, scenario: Scenario) -> tuple[ScenarioRecord, bool]:
    """Store a validated scenario; returns (record, created_or_changed)."""
    digest = scenario_digest(scenario)
    with transaction.atomic():
        record = ScenarioRecord.objects.select_for_update().filter(scenario_id=scenario.id, version=scenario.version).first()
        if record is not None and record.digest == digest:
            return record, False
        if record is not None and record.matches.exists():
            raise ScenarioConflict(
                f"scenario {scenario.id} version {scenario.version} is already used by matches and this file differs "
                "from it; raise the version in the file so past games still replay against the text they were played with"
            )
        record = record or ScenarioRecord(scenario_id=scenario.id, version=scenario.version)
        record.title = scenario.title
        record.data = scenario.model_dump(mode="json")
        record.digest = digest
        record.save()
        return record, True


def match_create(
    *,
    scenario_record: ScenarioRecord,
    seed: int = 0,
    mode: str = Match.Mode.PRACTICE,
    label: str = "",
    pacers: tuple[str, ...] = (),
    phase_seconds: dict[str, int] | None = None,
    bots: dict[str, str] | None = None,
) -> Match:
    """Create a match in the lobby with one seat per role; `bots` maps role ids to bot personas."""
    scenario = scenario_of(scenario_record)
    setup = MatchSetup(
        scenario_id=scenario.id, scenario_version=scenario.version, seed=seed,
        pacers=list(pacers), phase_seconds=dict(phase_seconds or {}),
    )
    state = new_state(scenario, setup)
    with transaction.atomic():
        match = Match.objects.create(
            scenario=scenario_record, mode=mode, label=label, setup=setup.model_dump(mode="json"),
            status=state.status, version=state.version, snapshot=state.to_json(),
        )
        Seat.objects.bulk_create(
            [
                Seat(
                    match=match, role_id=role.id, team=role.team,
                    kind=Seat.Kind.BOT if bots and role.id in bots else Seat.Kind.EMPTY,
                    persona=(bots or {}).get(role.id, ""),
                )
                for role in scenario.roles
            ]
        )
    return match


@dataclass(frozen=True)
class MoveResult:
    match_id: int
    state: MatchState
    events: list[Event]
    duplicate: bool = False  # the msg_id had already been applied; nothing new was written


def match_submit_move(
    *,
    match_id: int,
    seat: str,
    move: Move | dict[str, Any],
    expected_version: int | None = None,
    msg_id: str | None = None,
    now: float | None = None,
) -> MoveResult:
    """Apply one move atomically. Raises game.engine.MoveError (nothing written) if it is refused."""
    if isinstance(move, dict):
        move = parse_move(move)
    now = time.time() if now is None else now
    with transaction.atomic():
        # The row lock serialises moves on one match (PostgreSQL); SQLite's IMMEDIATE transactions
        # do the same for the whole database. The unique (match, seq) constraint is the backstop.
        match = Match.objects.select_for_update().select_related("scenario").get(pk=match_id)
        if msg_id and MatchEvent.objects.filter(match=match, msg_id=msg_id).exists():
            first = MatchEvent.objects.get(match=match, msg_id=msg_id)
            return MoveResult(match.pk, MatchState.model_validate(match.snapshot), [event_from_row(first)], duplicate=True)
        scenario = scenario_of(match.scenario)
        state = MatchState.model_validate(match.snapshot)
        transition = apply_move(scenario, state, seat, move, now, expected_version=expected_version)
        MatchEvent.objects.bulk_create(
            [
                MatchEvent(
                    match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                    round=e.round, phase=e.phase, at=e.at, data=e.data, msg_id=msg_id if i == 0 else None,
                )
                for i, e in enumerate(transition.events)
            ]
        )
        after = transition.after
        match.snapshot = after.to_json()
        match.version = after.version
        match.status = after.status
        match.save(update_fields=["snapshot", "version", "status", "updated_at"])
    return MoveResult(match.pk, after, transition.events)


def match_rebuild_snapshot(*, match: Match) -> MatchState:
    """Fold the event log again and overwrite the cached snapshot with the result."""
    scenario = scenario_of(match.scenario)
    state = replay(scenario, match_setup(match), match_events(match))
    Match.objects.filter(pk=match.pk).update(snapshot=state.to_json(), version=state.version, status=state.status)
    return state
