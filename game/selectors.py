"""Reads. The parsed Scenario of a record is cached by digest, so it is validated once per process."""

from __future__ import annotations

from game.engine import Event, MatchSetup, MatchState
from game.models import Match, MatchEvent, ScenarioRecord
from game.scenario import Scenario, parse_scenario

_SCENARIOS: dict[str, Scenario] = {}


def scenario_of(record: ScenarioRecord) -> Scenario:
    scenario = _SCENARIOS.get(record.digest)
    if scenario is None:
        scenario = _SCENARIOS[record.digest] = parse_scenario(record.data)
    return scenario


def scenario_get(scenario_id: str, version: str | None = None) -> ScenarioRecord:
    records = ScenarioRecord.objects.filter(scenario_id=scenario_id)
    if version is not None:
        return records.get(version=version)
    # Newest version: compare numerically ("1.10" after "1.9").
    return max(records, key=lambda r: tuple(int(p) for p in r.version.split(".")))


def match_setup(match: Match) -> MatchSetup:
    return MatchSetup.model_validate(match.setup)


def match_state(match: Match) -> MatchState:
    return MatchState.model_validate(match.snapshot)


def event_from_row(row: MatchEvent) -> Event:
    return Event(
        seq=row.seq, type=row.type, actor=row.actor, team=row.team, visibility=row.visibility,
        round=row.round, phase=row.phase, at=row.at, data=row.data,
    )


def match_events(match: Match, *, after_seq: int = 0) -> list[Event]:
    rows = MatchEvent.objects.filter(match=match, seq__gt=after_seq).order_by("seq")
    return [event_from_row(r) for r in rows]
