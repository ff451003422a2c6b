"""Reads. The parsed Scenario of a record is cached by digest, so it is validated once per process."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from typing import Any

from game import hot_sql
from game.engine import Event, MatchSetup, MatchState
from game.models import Connection, Match, MatchEvent, ScenarioRecord, Seat, Workshop
from game.scenario import Scenario, parse_scenario
from game.scenario.schema import IN_LANGUAGE
from game.scenario.text import SOURCE_LANGUAGE

_SCENARIOS: dict[str, Scenario] = {}


def scenario_of(record: ScenarioRecord) -> Scenario:
    scenario = _SCENARIOS.get(record.digest)
    if scenario is None:
        scenario = _SCENARIOS[record.digest] = parse_scenario(record.data)
    return scenario


def scenario_by_digest(record_id: int, digest: str) -> Scenario:
    """The parsed scenario of a record known by id and digest: read from the database only the first time."""
    scenario = _SCENARIOS.get(digest)
    return scenario if scenario is not None else scenario_of(ScenarioRecord.objects.get(pk=record_id))


def scenario_get(scenario_id: str, version: str | None = None) -> ScenarioRecord:
    records = ScenarioRecord.objects.filter(scenario_id=scenario_id)
    if version is not None:
        return records.get(version=version)
    # Newest version: compare numerically ("1.10" after "1.9").
    return max(records, key=lambda r: tuple(int(p) for p in r.version.split(".")))


def match_setup(match: Match) -> MatchSetup:
    return MatchSetup.model_validate(match.setup)


def match_state(match: Match) -> MatchState:
    return state_from_snapshot(match.snapshot, match.version)


def state_from_snapshot(snapshot: dict[str, Any], version: int) -> MatchState:
    """The state at the row's `version` from its stored snapshot. Every move stores its snapshot
    (game.services.match_commit); a database written before chats did so may hold a snapshot of an
    earlier version whose later events (chats: engine fold.LOG_ONLY) change nothing but the version number."""
    state = MatchState.model_validate(snapshot)
    if state.version < version:
        state.version = version
    return state


def event_from_row(row: MatchEvent) -> Event:
    return Event(
        seq=row.seq, type=row.type, actor=row.actor, team=row.team, visibility=row.visibility,
        round=row.round, phase=row.phase, at=row.at, data=row.data,
    )


def match_events(match: Match, *, after_seq: int = 0) -> list[Event]:
    rows = MatchEvent.objects.filter(match=match, seq__gt=after_seq).order_by("seq")
    return [event_from_row(r) for r in rows]


# --- seats, presence and what each connection is sent -----------------------------------------------
def table_seats(match_id: int, *, now: float, ttl: float) -> list[dict[str, Any]]:
    """Every seat of a table: who holds it (human, bot or nobody) and whether it is connected now.

    Public at the table: names and presence, never tokens or personas. (One statement: it is read
    whenever sockets come and go -- game/hot_sql.py.)
    """
    return [
        {"role_id": role, "team": team, "kind": kind, "display_name": name or None, "connected": live, "bot_cover": bool(cover)}
        for role, team, kind, name, cover, live in hot_sql.seats_with_presence(match_id, now - ttl)
    ]


@dataclass(frozen=True)
class Loaded:
    """A match as read in one go: its scenario, current state and the events after some seq."""

    match_id: int
    scenario: Scenario
    state: MatchState
    events: list[Event]
    workshop_id: int | None
    table_no: int | None
    label: str
    weights: dict[str, float] | None  # the workshop's leaderboard weights, if it set any


def match_load(match_id: int, *, after_seq: int | None = 0) -> Loaded:
    """The match with its events after `after_seq` (None: no events at all)."""
    match = Match.objects.select_related("scenario", "workshop").defer("scenario__data").get(pk=match_id)
    events = match_events(match, after_seq=after_seq) if after_seq is not None and after_seq < match.version else []
    events = [e for e in events if e.seq <= match.version]  # a move committed since the row was read waits for next time
    weights = (match.workshop.settings or {}).get("weights") if match.workshop else None
    return Loaded(
        match.pk, scenario_of(match.scenario), match_state(match), events, match.workshop_id, match.table_no, match.label, weights
    )


def match_version(match_id: int) -> int:
    return Match.objects.values_list("version", flat=True).get(pk=match_id)


def due_matches(*, now: float) -> list[tuple[int, int]]:
    """(match id, version) of every running match whose phase deadline has passed, soonest first."""
    return hot_sql.due_matches(now)


WAITING_PHASES = ("caucus", "table")  # the phases in which the clock waits for an idle trainee


def idle_trainees(match_id: int) -> list[str]:
    """The trainees' seats the clock waits for: in a caucus, every seat a trainee plays itself (no bot
    covers it) that has made no move since the phase began; at the table, those of the team holding
    the floor when none of them has moved this phase and the team has not let its bots play the round."""
    match = Match.objects.get(pk=match_id)
    state = match_state(match)
    if state.status != "running" or state.phase not in WAITING_PHASES:
        return []
    humans = Seat.objects.filter(match_id=match_id, kind=Seat.Kind.HUMAN, cover="").values_list("role_id", "team")
    if state.phase == "table":
        floor = state.floor
        if floor is None or state.teams[floor].delegated_round == state.round:
            return []
        humans = humans.filter(team=floor)
    seats = list(humans.values_list("role_id", flat=True))
    if not seats:
        return []
    moved = set(MatchEvent.objects.filter(match_id=match_id, seq__gt=state.phase_seq, actor__in=seats).values_list("actor", flat=True))
    if state.phase == "table":
        return [] if moved else sorted(seats)
    return sorted(s for s in seats if s not in moved)


def bot_seats(match_id: int) -> list[tuple[str, str]]:
    """(role id, persona) of the seats a bot plays -- its own, and trainees' it covers -- in scenario order."""
    playing = Q(kind=Seat.Kind.BOT) | Q(kind=Seat.Kind.HUMAN, cover__gt="")
    return list(Seat.objects.filter(playing, match_id=match_id).order_by("id").values_list("role_id", "persona"))


def workshop_tables(workshop_id: int) -> list[Match]:
    return list(Match.objects.filter(workshop_id=workshop_id).order_by("table_no"))


def workshop_seats(workshop: Workshop) -> list[dict[str, Any]]:
    """Every seat of every table, for the join page and the facilitator (no secrets)."""
    scenario = scenario_of(workshop.scenario)
    rows = (
        Seat.objects.filter(match__workshop=workshop).select_related("match").defer("match__snapshot", "match__setup")
        .order_by("match__table_no", "id")
    )
    return [
        {
            "table": s.match.table_no, "match_id": s.match.public_id, "role_id": s.role_id, "team": s.team,
            "title": scenario.role(s.role_id).title, "level": scenario.role(s.role_id).level,
            "kind": s.kind, "display_name": s.display_name or None, "free": s.kind != Seat.Kind.HUMAN,
        }
        for s in rows
    ]


_CASES: dict[tuple[str, str, str | None, bool, str], tuple[Scenario, dict[str, Any]]] = {}


def scenario_for(scenario: Scenario, team: str | None, *, everything: bool = False, language: str = SOURCE_LANGUAGE) -> dict[str, Any]:
    """(Cached per scenario object and language: scenario_of keeps one per digest.)"""
    key = (scenario.id, scenario.version, team, everything, language)
    cached = _CASES.get(key)
    if cached is None or cached[0] is not scenario:
        cached = _CASES[key] = (scenario, _scenario_for(scenario, team, everything=everything, language=language))
    return cached[1]


def _scenario_for(scenario: Scenario, team: str | None, *, everything: bool = False, language: str = SOURCE_LANGUAGE) -> dict[str, Any]:
    """The scenario as a seat of `team` may read it, every text in `language`: the public case (issues
    and options, rounds and briefings, injects, seeds, role titles), plus that team's own execution
    cards. Never a points sheet, a BATNA, a confidential brief, a red line or the bot's hints (those
    come in the view). `everything` (the facilitator) adds every team's cards and the personas."""
    data = scenario.model_dump(mode="json", context={IN_LANGUAGE: language})
    out: dict[str, Any] = {
        "id": data["id"], "version": data["version"], "title": data["title"], "summary": data["summary"],
        "seeds": data["seeds"],
        "teams": [{"id": t["id"], "name": t["name"], "short": t["short"]} for t in data["teams"]],
        "roles": [
            {k: r[k] for k in ("id", "team", "title", "level", "counterpart", "summary")} for r in data["roles"]
        ],
        "issues": data["issues"],
        "rounds": data["rounds"],
        "injects": [{k: i[k] for k in ("id", "title", "text", "target", "citation")} for i in data["injects"]],
        "deliverables": [d for d in data["deliverables"] if everything or d["team"] == team],
        "historical_outcome": data["historical_outcome"],
        "supporting_moves_per_turn": data["supporting_moves_per_turn"],
        "epilogue": data.get("epilogue"),  # public: the aftermath's questions to each team
    }
    if everything:
        out["personas"] = data["personas"]
    return out


def seat_reachable(match_id: int, role_id: str, *, now: float, ttl: float) -> str:
    """Whether a note can reach this seat's trainee now: "yes" (a page of theirs is open), "offline"
    (a trainee holds it, no page is open) or "empty" (no trainee holds it)."""
    if not Seat.objects.filter(match_id=match_id, role_id=role_id, kind=Seat.Kind.HUMAN).exists():
        return "empty"
    live = Connection.objects.filter(match_id=match_id, role_id=role_id, seen_at__gte=now - ttl).exists()
    return "yes" if live else "offline"


def seats_last_active(workshop: Workshop, *, now: float, ttl: float) -> dict[tuple[int, str], tuple[float | None, bool]]:
    """(table number, role id) -> (epoch seconds of the trainee's last sign of activity: a move, a
    connection's sign of life, or its closing; whether a connection showed life within `ttl`), per
    trainee's seat."""
    seats = list(Seat.objects.filter(match__workshop=workshop, kind=Seat.Kind.HUMAN).values_list("match_id", "match__table_no", "role_id", "last_seen"))
    if not seats:
        return {}
    ids = {m for m, _, _, _ in seats}
    moved = dict(
        ((m, a), at) for m, a, at in MatchEvent.objects.filter(match_id__in=ids).values("match_id", "actor")
        .annotate(at=models.Max("at")).values_list("match_id", "actor", "at")
    )
    seen = dict(
        ((m, r), at) for m, r, at in Connection.objects.filter(match_id__in=ids).values("match_id", "role_id")
        .annotate(at=models.Max("seen_at")).values_list("match_id", "role_id", "at")
    )
    out = {}
    for match_id, table_no, role_id, last_seen in seats:
        times = [t for t in (moved.get((match_id, role_id)), seen.get((match_id, role_id)), last_seen) if t is not None]
        out[(table_no, role_id)] = (max(times) if times else None, seen.get((match_id, role_id), 0.0) >= now - ttl)
    return out
