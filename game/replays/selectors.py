"""Reads for replays: who may open a match's replay, the replay document (cached), and the library."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from game import access
from game.hot_sql import SeatGrant
from game.models import Match, ReplayImport, ReplayShare, Seat, Workshop
from game.replays.charts import charts
from game.replays.document import build_document, page_payload
from game.scoring import score_match
from game.selectors import match_events, match_setup, scenario_of


@dataclass(frozen=True)
class Viewer:
    kind: str  # "facilitator", "participant" or "share"
    seat: SeatGrant | None = None
    share: ReplayShare | None = None

    @property
    def can_share(self) -> bool:
        return self.kind in ("facilitator", "participant")


def viewer_of(request: HttpRequest, match: Match) -> Viewer | None:
    """Who this request is to the match (game.access.replay_access): its workshop's facilitator, a
    participant, or nobody (None). A share link is checked by `share_of`."""
    found = access.replay_access(request, match)
    return Viewer(found[0], seat=found[1]) if found else None


def share_author(request: HttpRequest, viewer: Viewer) -> str:
    """How a share link records who made it; the same string decides who may revoke it."""
    if viewer.kind == "facilitator":
        return f"facilitator:{request.user.get_username()}"
    return f"seat:{viewer.seat.role_id}"


def import_of(match: Match) -> ReplayImport | None:
    """Where an imported match came from and whose key verified it (None: played here)."""
    return ReplayImport.objects.filter(match=match).first()


def share_of(token: str) -> ReplayShare | None:
    """The live share link with this token, or None (unknown or revoked)."""
    if not token or len(token) > 64:
        return None
    return ReplayShare.objects.select_related("match", "match__scenario").filter(token=token, revoked_at__isnull=True).first()


def shares_of(match: Match) -> list[ReplayShare]:
    return list(ReplayShare.objects.filter(match=match, revoked_at__isnull=True).order_by("-created_at"))


# --- the replay document, built once per match version ---------------------------------------------
_CACHE: OrderedDict[tuple[int, int, str, str], dict[str, Any]] = OrderedDict()
_LOCK = threading.Lock()
CACHE_SIZE = 32


def replay_for(match: Match, *, cache: bool = True) -> dict[str, Any]:
    """{"json": the document as JSON text, "charts": {name: svg}, "doc": the document} for a match."""
    key = (match.pk, match.version, match.scenario.digest, get_language() or "")  # the document is in the reader's language
    if cache:
        with _LOCK:
            hit = _CACHE.get(key)
            if hit is not None:
                _CACHE.move_to_end(key)
                return hit
    scenario = scenario_of(match.scenario)
    doc = build_document(scenario, match_setup(match), match_events(match))
    payload = page_payload(doc)
    built = {"doc": payload, "charts": charts(payload), "score": doc["_score"]}
    if cache:
        with _LOCK:
            _CACHE[key] = built
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return built


def cache_clear() -> None:
    with _LOCK:
        _CACHE.clear()


# --- the library --------------------------------------------------------------------------------
_SUMMARIES: dict[tuple[int, int], dict[str, Any]] = {}


def match_summary(match: Match) -> dict[str, Any]:
    """Outcome and alignment at a glance (cached per match version)."""
    key = (match.pk, match.version)
    found = _SUMMARIES.get(key)
    if found is not None:
        return found
    scenario = scenario_of(match.scenario)
    teams = []
    if match.status == "finished":
        score = score_match(scenario, match_events(match))
        for i, t in enumerate(scenario.teams):
            teams.append({
                "id": t.id, "name": t.name, "short": t.short, "cls": f"t{i}", "points": score.outcome[t.id].points,
                "batna": t.batna, "below_batna": score.outcome[t.id].below_batna, "index": score.alignment[t.id].index,
            })
        result = score.result
    else:
        result = None
    found = {"result": result, "teams": teams, "finished": match.status == "finished"}
    if match.status == "finished":
        _SUMMARIES[key] = found
    return found


def own_matches(request: HttpRequest) -> list[tuple[Match, Seat]]:
    """The matches whose seats this browser holds, newest first, with the seat held."""
    seats = access.seats_held(request)
    seen: set[int] = set()
    out = []
    for s in seats:
        if s.match_id not in seen:
            seen.add(s.match_id)
            out.append((s.match, s))
    return out


def facilitator_workshops(user) -> list[Workshop]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Workshop.objects.filter(facilitator=user).select_related("scenario").order_by("-created_at"))


def workshop_matches(workshop: Workshop) -> list[Match]:
    return list(Match.objects.filter(workshop=workshop).select_related("scenario").order_by("table_no"))


def doc_json(built: dict[str, Any]) -> str:
    return json.dumps(built["doc"], separators=(",", ":"))


# --- a facilitator's library across their workshops --------------------------------------------------
OUTCOMES = {"deal": "Deal", "no_deal": "No deal", "running": "Not finished"}


@dataclass(frozen=True)
class LibraryFilter:
    """What the facilitator's library shows: "" (or None) for any. `team`: tables where trainees
    played that team."""

    workshop: str = ""
    table: int | None = None
    team: str = ""
    outcome: str = ""


def library_filter(params, workshops: list[Workshop], team_ids: list[str]) -> tuple[LibraryFilter, list[str]]:
    """The filter a query string asks for, and a clear message for each part of it that cannot be
    (a workshop that is not this facilitator's, a table that is not a number...). A refused part
    filters nothing."""
    errors = []
    code = (params.get("workshop") or "").strip().upper()
    if code and code not in {w.code for w in workshops}:
        errors.append(f"You run no workshop with the code {code[:12]}.")
        code = ""
    raw_table = (params.get("table") or "").strip()
    table = None
    if raw_table:
        if raw_table.isdigit() and 1 <= int(raw_table) <= 999:
            table = int(raw_table)
        else:
            errors.append("Table: a table number, like 3.")
    team = params.get("team") or ""
    if team and team not in team_ids:
        errors.append("Team: choose one of the teams.")
        team = ""
    outcome = params.get("outcome") or ""
    if outcome and outcome not in OUTCOMES:
        errors.append("Outcome: choose deal, no deal or not finished.")
        outcome = ""
    return LibraryFilter(code, table, team, outcome), errors


def facilitator_tables(workshops: list[Workshop], chosen: LibraryFilter) -> list[dict[str, Any]]:
    """Every table of these workshops that the filter keeps, newest workshop first, with its summary
    and the trainees of each team."""
    matches = (
        Match.objects.filter(workshop__in=workshops).select_related("scenario", "workshop")
        .order_by("-workshop__created_at", "table_no")
    )
    if chosen.workshop:
        matches = matches.filter(workshop__code=chosen.workshop)
    if chosen.table is not None:
        matches = matches.filter(table_no=chosen.table)
    if chosen.outcome == "running":
        matches = matches.exclude(status="finished")
    elif chosen.outcome:
        matches = matches.filter(status="finished")
    rows = []
    humans: dict[int, dict[str, list[str]]] = {}
    for match_id, team, name in Seat.objects.filter(match__in=matches, kind=Seat.Kind.HUMAN).values_list("match_id", "team", "display_name"):
        humans.setdefault(match_id, {}).setdefault(team, []).append(name)
    for match in matches:
        trainees = humans.get(match.pk, {})
        if chosen.team and not trainees.get(chosen.team):
            continue
        summary = match_summary(match)
        if chosen.outcome in ("deal", "no_deal") and summary["result"] != chosen.outcome:
            continue
        rows.append({"match": match, "summary": summary, "trainees": trainees})
    return rows
