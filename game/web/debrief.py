"""What a debrief shows, assembled from the scorer's report (game.scoring): no rule is decided here."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from game import selectors
from game.engine import PHASE_TITLES, visible_events
from game.engine.facts import PACING_EVENTS
from game.models import Match
from game.scenario import Scenario
from game.scoring import DIMENSIONS, MatchScore, score_match
from game.scoring.rules import MARKS, SUBSCORES
from game.web import notes, queries
from game.web.charts import Deal, pareto_svg
from game.web.citations import citation_view
from game.web.describe import SEATS, describe
from game.web.seeds import citation_url
from game.web.said import said
from game.web.text import say

DIM_INFO = {d.id: d for d in DIMENSIONS}
# A role's stance on its team's current mandate, as the debrief names it.
STANCES = {"endorsed": gettext_noop("endorsed"), "objected": gettext_noop("objected"), "silent": gettext_noop("silent")}


def team_class(scenario: Scenario, team: str) -> str:
    """CSS class of a team: t0 (first team, navy) or t1 (second team, deep red)."""
    return f"t{scenario.team_ids().index(team)}"


@dataclass
class TableReport:
    match: Match
    scenario: Scenario
    score: MatchScore
    events: list[Any]
    names: dict[str, dict[str, str]]
    finished: bool
    teams: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.match.table_no:  # a workshop table, named in the reader's language
            return gettext("Table %(no)s") % {"no": self.match.table_no}
        return self.match.label or gettext("Table %(no)s") % {"no": self.match.pk}


def _event_index(events: list[Any]) -> dict[int, Any]:
    return {e.seq: e for e in events}


def _move_line(scenario: Scenario, event: Any | None, round_no: int) -> str:
    if event is None:
        return ""
    if event.type in PACING_EVENTS:
        return gettext("Judged at the end of round %(round)s") % {"round": round_no}
    phase = gettext(PHASE_TITLES[event.phase]) if event.phase in PHASE_TITLES else event.phase
    return gettext("Round %(round)s, %(phase)s: %(move)s") % {
        "round": event.round, "phase": phase.lower(), "move": describe(scenario, event, short=True)}


def table_report(match: Match) -> TableReport:
    loaded = selectors.match_load(match.pk, after_seq=0)
    scenario = loaded.scenario
    score = score_match(scenario, loaded.events, loaded.weights)
    names = queries.seat_names(match.pk)
    report = TableReport(match, scenario, score, loaded.events, names, loaded.state.status == "finished")
    by_seq = _event_index(loaded.events)

    # Result and the agreed package.
    state = loaded.state
    package = state.result.package if state.result and state.result.package else None
    rows = []
    for issue in scenario.issues:
        if package:
            option = package.get(issue.id)
            label = next((o.label for o in issue.options if o.id == option), option)
            rows.append({"issue": say(issue.title), "option": say(label), "points": {t: scenario.team(t).points[issue.id][option] for t in scenario.team_ids()}})
    hist = scenario.historical_outcome
    last = loaded.events[-1] if loaded.events else None
    ended = last if last is not None and last.type == "game_ended" else None
    report.result = {
        "status": state.status,
        "kind": state.result.kind if state.result else None,
        "reason": say(state.result.reason) if state.result else "",
        "rows": rows,
        "round": state.round,
        # Who ended the game: the facilitator, the clock, the player who advanced past the last round,
        # or the player whose acceptance made the deal.
        "ended_by": (gettext(SEATS[ended.actor]) if ended.actor in SEATS else say(scenario.role(ended.actor).title)) if ended else "",
        "historical_label": say(hist.label) if hist else None,
        "nash_points": " and ".join(
            "(" + ", ".join(str(p.points[t]) for t in scenario.team_ids()) + ")" for p in score.joint.nash_points),
        "historical_sources": [citation_view(scenario, c) for c in hist.citations] if hist else [],
    }

    # Annotations with the move that caused each.
    marks = notes.mark_words()
    for a in score.annotations:
        ev = by_seq.get(a.seq)
        report.annotations.append({
            **notes.note(a),
            "team_name": say(scenario.team(a.team).name),
            "team_class": team_class(scenario, a.team),
            "seat_title": say(scenario.role(a.seat).title) if a.seat else gettext("the whole team"),
            "rule_title": notes.rule_title(a.rule),
            "dimension_title": notes.dimension_title(a.dimension),
            "move": _move_line(scenario, ev, a.round),
            "cite_url": citation_url(a.citation.seed, a.citation.quote),
            "mark_word": marks.get(a.mark, ""),
        })

    # Per team: outcome, alignment, mistakes, people.
    for team in scenario.teams:
        t = team.id
        outcome = score.outcome[t]
        align = score.alignment[t]
        board = score.leaderboard[t]
        mistakes = mistakes_of([x for x in report.annotations if x["team"] == t])
        people = []
        for role in scenario.roles_of(t):
            c = score.contributions[role.id]
            seat = names.get(role.id, {})
            people.append({
                "title": say(role.title), "level": role.level,
                "who": seat.get("display_name") or (gettext("Bot") if seat.get("kind") == "bot" else gettext("Empty seat")),
                "kind": seat.get("kind", "empty"), "total": c.total,
                "marks": [(m, n) for m, n in c.marks.items() if n],
            })
        issue_title = {i.id: say(i.title) for i in scenario.issues}
        roles = []
        for role in scenario.roles_of(t):
            r = score.roles[role.id]
            roles.append({
                "title": say(role.title), "stance": r.stance, "stance_label": gettext(STANCES[r.stance]),
                "objection": say(r.objection) if r.objection else None, "blank_cheque": r.blank_cheque,
                "mandate_crossed": [issue_title[i] for i in r.mandate_red_lines_crossed],
                "deal_crossed": [issue_title[i] for i in r.deal_red_lines_crossed],
                "mandate_satisfaction": r.mandate_satisfaction, "deal_satisfaction": r.deal_satisfaction,
                "human": names.get(role.id, {}).get("kind") == "human",
            })
        report.teams.append({
            "id": t, "name": say(team.name), "short": say(team.short), "cls": team_class(scenario, t),
            "batna_label": say(team.batna_label),
            "outcome": {
                "deal": outcome.deal, "points": outcome.points, "batna": outcome.batna,
                "advantage_pct": round(outcome.advantage * 100), "below_batna": outcome.below_batna,
                "delta": outcome.points - outcome.batna,
            },
            "alignment": {
                "index": align.index, "penalty": align.backpedal_penalty,
                "subscores": [
                    {"id": d, "title": notes.dimension_title(d), "value": align.subscores[d], "weight": round(DIM_INFO[d].weight * 100),
                     "left_out": d in align.left_out}
                    for d in SUBSCORES
                ],
            },
            "board": board.model_dump(mode="json"),
            "mistakes": mistakes,
            "people": people,
            "roles": roles,
            "objectors": [r for r in roles if r["objection"]],
        })
    return report


def played_on_comparison(report: TableReport) -> dict[str, Any] | None:
    """For a game played on from another game's position: both outcomes side by side, per team."""
    origin = report.match.origin
    if origin is None:
        return None
    before = table_report(origin)
    rows = []
    for mine, theirs in zip(report.teams, before.teams):
        rows.append({
            "name": mine["name"], "cls": mine["cls"],
            "origin": {"points": theirs["outcome"]["points"], "index": theirs["alignment"]["index"], "score": theirs["board"]["score"]},
            "this": {"points": mine["outcome"]["points"], "index": mine["alignment"]["index"], "score": mine["board"]["score"]},
        })
    return {
        "origin": origin, "step": report.match.origin_step, "rows": rows,
        "origin_result": before.result, "this_result": report.result,
    }


def drill_view(scenario: Scenario, position: Any, seat: str, answer: tuple[int, int] | None) -> dict[str, Any]:
    """One drill position as the page shows it: what the seat saw just before, the moves to choose
    from, and, once answered, every move's points and the original mark's reason."""
    seen = visible_events(scenario, position.before, seat)
    answered = answer is not None and answer[0] == position.seq
    played = next(c for c in position.choices if c.played)
    return {
        "seq": position.seq, "round": position.round,
        "phase": gettext(PHASE_TITLES[position.phase]) if position.phase in PHASE_TITLES else position.phase,
        "recent": [describe(scenario, e, short=True) for e in seen[-5:]],
        "choices": [
            {"index": i, "text": describe(scenario, c.events[0]), "points": c.points, "marks": c.marks, "played": c.played,
             "better": c.points > played.points, "chosen": answered and answer[1] == i}
            for i, c in enumerate(position.choices)
        ],
        "answered": answered,
        "played_points": played.points,
        "reasons": [
            {"mark": a.mark, "reason": notes.reason(a.reason), "rule": notes.rule_title(a.rule), "delta": a.delta}
            for a in position.mistake
        ],
    }


def mistakes_of(annotations: list[dict[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """The rules that cost the team most (most negative points), each with the moves that show it."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in annotations:
        if a["delta"] < 0:
            groups[a["rule"]].append(a)
    ranked = sorted(groups.items(), key=lambda kv: (sum(a["delta"] for a in kv[1]), -len(kv[1]), kv[0]))
    out = []
    for rule_id, items in ranked[:limit]:
        worst = min(items, key=lambda a: (a["delta"], a["id"]))
        out.append({
            "rule": rule_id, "title": notes.rule_title(rule_id), "when": notes.rule_when(rule_id),
            "mark": worst["mark"], "mark_word": worst["mark_word"], "count": len(items),
            "points": sum(a["delta"] for a in items), "dimension_title": worst["dimension_title"],
            "examples": items[:3], "cite_url": worst["cite_url"], "quote": worst["citation"]["quote"],
        })
    return out


def pareto_for(scenario: Scenario, score: MatchScore, deals: list[Deal], chart_id: str = "pareto"):
    ids = tuple(scenario.team_ids())
    joint = score.joint
    return pareto_svg(
        team_names=tuple(say(scenario.team(t).name) for t in ids), team_ids=ids, frontier=joint.frontier,
        batna=tuple(scenario.team(t).batna for t in ids),
        nash=tuple(joint.nash.points[t] for t in ids) if joint.nash else None,
        nash_points=[tuple(p.points[t] for t in ids) for p in joint.nash_points],
        red_line_frontier=joint.red_line_frontier,
        historical=tuple(joint.historical.points[t] for t in ids) if joint.historical else None,
        deals=deals, chart_id=chart_id,
    )


def deal_of(report: TableReport, *, label: str, highlight: bool = False) -> Deal | None:
    deal = report.score.joint.deal
    if deal is None:
        return None
    a, b = report.scenario.team_ids()
    return Deal(label=label, title=gettext("%(table)s deal") % {"table": report.label}, a=deal.points[a], b=deal.points[b], highlight=highlight)


# --- exports -----------------------------------------------------------------------------------
CSV_FIELDS = [
    "workshop", "table", "match_id", "status", "result", "round_reached", "ended_by", "end_reason", "team", "team_name", "points", "batna", "advantage",
    "below_batna", "joint_points", "pareto_efficiency", "distance_to_frontier", "distance_to_nash",
    "alignment_index", *[f"alignment_{d}" for d in SUBSCORES], "backpedal_penalty", "leaderboard_score",
    "humans",
]


def rows_for(report: TableReport, workshop_code: str = "") -> list[dict[str, Any]]:
    rows = []
    deal = report.score.joint.deal
    for t in report.teams:
        tid = t["id"]
        align = report.score.alignment[tid]
        humans = [
            f"{say(report.scenario.role(role).title)}: {s['display_name']}"
            for role, s in report.names.items() if s["kind"] == "human" and report.scenario.role(role).team == tid
        ]
        rows.append({
            "workshop": workshop_code, "table": report.match.table_no or "", "match_id": report.match.public_id,
            "status": report.result["status"], "result": report.result["kind"] or "",
            "round_reached": report.result["round"], "ended_by": report.result["ended_by"],
            "end_reason": report.result["reason"] if report.finished else "",
            "team": tid, "team_name": t["name"], "points": t["outcome"]["points"], "batna": t["outcome"]["batna"],
            "advantage": report.score.outcome[tid].advantage, "below_batna": t["outcome"]["below_batna"],
            "joint_points": deal.joint if deal else "", "pareto_efficiency": deal.pareto_efficiency if deal else "",
            "distance_to_frontier": deal.distance_to_frontier if deal else "",
            "distance_to_nash": deal.distance_to_nash if deal and deal.distance_to_nash is not None else "",
            "alignment_index": align.index, **{f"alignment_{d}": align.subscores[d] for d in SUBSCORES},
            "backpedal_penalty": align.backpedal_penalty, "leaderboard_score": report.score.leaderboard[tid].score,
            "humans": "; ".join(humans),
        })
    return rows


# Each export column's header in the reader's language; in English it is the column's key, so the
# formulas of a spreadsheet built on an English export keep working.
COLUMN_HEADERS = {
    "workshop": pgettext_lazy("export column", "workshop"),
    "table": pgettext_lazy("export column", "table"),
    "match_id": pgettext_lazy("export column", "match_id"),
    "status": pgettext_lazy("export column", "status"),
    "result": pgettext_lazy("export column", "result"),
    "round_reached": pgettext_lazy("export column", "round_reached"),
    "ended_by": pgettext_lazy("export column", "ended_by"),
    "end_reason": pgettext_lazy("export column", "end_reason"),
    "team": pgettext_lazy("export column", "team"),
    "team_name": pgettext_lazy("export column", "team_name"),
    "points": pgettext_lazy("export column", "points"),
    "batna": pgettext_lazy("export column", "batna"),
    "advantage": pgettext_lazy("export column", "advantage"),
    "below_batna": pgettext_lazy("export column", "below_batna"),
    "joint_points": pgettext_lazy("export column", "joint_points"),
    "pareto_efficiency": pgettext_lazy("export column", "pareto_efficiency"),
    "distance_to_frontier": pgettext_lazy("export column", "distance_to_frontier"),
    "distance_to_nash": pgettext_lazy("export column", "distance_to_nash"),
    "alignment_index": pgettext_lazy("export column", "alignment_index"),
    "alignment_power": pgettext_lazy("export column", "alignment_power"),
    "alignment_alignment": pgettext_lazy("export column", "alignment_alignment"),
    "alignment_execution": pgettext_lazy("export column", "alignment_execution"),
    "alignment_visibility": pgettext_lazy("export column", "alignment_visibility"),
    "alignment_signals": pgettext_lazy("export column", "alignment_signals"),
    "alignment_levels": pgettext_lazy("export column", "alignment_levels"),
    "backpedal_penalty": pgettext_lazy("export column", "backpedal_penalty"),
    "leaderboard_score": pgettext_lazy("export column", "leaderboard_score"),
    "humans": pgettext_lazy("export column", "humans"),
    "role_id": pgettext_lazy("export column", "role_id"),
    "role": pgettext_lazy("export column", "role"),
    "level": pgettext_lazy("export column", "level"),
    "who": pgettext_lazy("export column", "who"),
    "kind": pgettext_lazy("export column", "kind"),
    "marks_!!": pgettext_lazy("export column", "marks_!!"),
    "marks_!": pgettext_lazy("export column", "marks_!"),
    "marks_?!": pgettext_lazy("export column", "marks_?!"),
    "marks_?": pgettext_lazy("export column", "marks_?"),
    "marks_??": pgettext_lazy("export column", "marks_??"),
    "team_points": pgettext_lazy("export column", "team_points"),
    "seq": pgettext_lazy("export column", "seq"),
    "round": pgettext_lazy("export column", "round"),
    "phase": pgettext_lazy("export column", "phase"),
    "at": pgettext_lazy("export column", "at"),
    "type": pgettext_lazy("export column", "type"),
    "actor": pgettext_lazy("export column", "actor"),
    "actor_title": pgettext_lazy("export column", "actor_title"),
    "visibility": pgettext_lazy("export column", "visibility"),
    "text": pgettext_lazy("export column", "text"),
    "marks": pgettext_lazy("export column", "marks"),
}


def to_csv(rows: list[dict[str, Any]], fields: list[str] = CSV_FIELDS) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writerow({f: str(COLUMN_HEADERS[f]) for f in fields})
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


PEOPLE_FIELDS = [
    "workshop", "table", "match_id", "status", "result", "round_reached", "ended_by", "team", "team_name", "role_id",
    "role", "level", "who", "kind", "points", *[f"marks_{m}" for m in MARKS], "team_points", "alignment_index",
]


def people_rows(report: TableReport, workshop_code: str = "") -> list[dict[str, Any]]:
    """One row per seat, as the debrief's "who did what" shows it: the person, their points and marks."""
    rows = []
    for t in report.teams:
        roles = report.scenario.roles_of(t["id"])
        for role, person in zip(roles, t["people"]):
            marks = dict(person["marks"])
            rows.append({
                "workshop": workshop_code, "table": report.match.table_no or "", "match_id": report.match.public_id,
                "status": report.result["status"], "result": report.result["kind"] or "",
                "round_reached": report.result["round"], "ended_by": report.result["ended_by"],
                "team": t["id"], "team_name": t["name"], "role_id": role.id, "role": person["title"], "level": person["level"],
                "who": person["who"], "kind": person["kind"], "points": person["total"],
                **{f"marks_{m}": marks.get(m, 0) for m in MARKS},
                "team_points": t["outcome"]["points"], "alignment_index": t["alignment"]["index"],
            })
    return rows


EVENT_FIELDS = [
    "workshop", "table", "match_id", "seq", "round", "phase", "at", "type", "actor", "actor_title", "team", "visibility",
    "text", "marks", "points",
]


def event_rows(report: TableReport, workshop_code: str = "") -> list[dict[str, Any]]:
    """One row per event of the log, with the marks and points the scorer gave the move it records."""
    by_seq: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in report.annotations:
        by_seq[a["seq"]].append(a)
    rows = []
    for e in report.events:
        notes = by_seq.get(e.seq, [])
        rows.append({
            "workshop": workshop_code, "table": report.match.table_no or "", "match_id": report.match.public_id,
            "seq": e.seq, "round": e.round, "phase": e.phase,
            "at": datetime.fromtimestamp(e.at, tz=timezone.utc).isoformat(timespec="seconds"),
            "type": e.type, "actor": e.actor,
            "actor_title": gettext(SEATS[e.actor]) if e.actor in SEATS else say(next((r.title for r in report.scenario.roles if r.id == e.actor), e.actor)),
            "team": e.team or "", "visibility": e.visibility, "text": describe(report.scenario, e, short=True),
            "marks": " ".join(a["mark"] for a in notes), "points": sum(a["delta"] for a in notes) if notes else "",
        })
    return rows


def to_json(report: TableReport) -> dict[str, Any]:
    return {
        "table": report.match.table_no, "match_id": report.match.public_id, "label": report.label,
        "status": report.result["status"], "result": report.result["kind"], "reason": report.result["reason"],
        "round_reached": report.result["round"], "ended_by": report.result["ended_by"],
        "people": people_rows(report),
        "seats": {
            role: {"team": report.scenario.role(role).team, "title": say(report.scenario.role(role).title), **s}
            for role, s in report.names.items()
        },
        "score": {**report.score.model_dump(mode="json"), "annotations": [notes.note(a) for a in report.score.annotations]},
    }


# Marks that make a table's move worth a question in the debrief: its mistakes and its best moves.
QUESTION_MARKS = {"??": gettext_noop("Why?"), "?": gettext_noop("Why?"), "!!": gettext_noop("What made it work?")}


def _asked(report: TableReport, marked: list[dict[str, Any]], per_table: int) -> list[dict[str, Any]]:
    marked = sorted(marked, key=lambda a: (-abs(a["delta"]), a["id"]))
    return [{
        "table": report.label, "team_name": a["team_name"], "team_class": a["team_class"], "mark": a["mark"],
        "text": gettext("%(table)s, %(team)s: %(reason)s. %(question)s") % {
            "table": report.label, "team": say(a["team_name"]), "reason": a["reason"].rstrip("."), "question": gettext(QUESTION_MARKS[a["mark"]])},
    } for a in marked[:per_table]]


def debrief_questions(scenario: Scenario, reports: list[TableReport], per_table: int = 3) -> dict[str, Any]:
    """The debrief's questions: the case's own, per round and for the whole game, and, under each
    round, questions about what each table actually did there, from the scorer's marks (its costliest
    mistakes and its brilliant moves, `per_table` at most per table and round). The epilogue's answers
    are asked about under the epilogue, with its own questions."""
    def marked(report: TableReport, in_epilogue: bool) -> list[dict[str, Any]]:
        return [a for a in report.annotations if a["mark"] in QUESTION_MARKS and a["rule"].startswith("epilogue.") == in_epilogue]

    rounds = []
    for rnd in scenario.rounds:
        asked = [q for report in reports for q in _asked(report, [a for a in marked(report, False) if a["round"] == rnd.index], per_table)]
        if rnd.debrief or asked:
            rounds.append({"index": rnd.index, "title": rnd.title, "date": rnd.date, "authored": list(rnd.debrief), "tables": asked})
    epilogue = None
    if scenario.epilogue is not None:
        asked = [q for report in reports for q in _asked(report, marked(report, True), per_table)]
        epilogue = {"title": scenario.epilogue.title, "date": scenario.epilogue.date, "authored": list(scenario.epilogue.debrief), "tables": asked}
    return said({"game": list(scenario.debrief), "rounds": rounds, "epilogue": epilogue})
