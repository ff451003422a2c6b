"""One line of plain English per event, for the debrief and exports (static/js/describe.js mirrors it)."""

from __future__ import annotations

from typing import Any

from game.engine import PHASE_TITLES
from game.scenario import Scenario


def _name(find, key: str | None, attr: str, fallback: str = "") -> str:
    """The display name of a scenario item, or its raw id if the scenario does not know it."""
    try:
        return getattr(find(key), attr)
    except StopIteration:
        return key or fallback


def _role(scenario: Scenario, seat: str | None) -> str:
    if seat == "facilitator":
        return "The facilitator"
    if seat == "system":
        return "The clock"
    return _name(scenario.role, seat, "title", "Someone")


def _team(scenario: Scenario, team: str | None) -> str:
    return _name(scenario.team, team, "name")


def _card(scenario: Scenario, card_id: str | None) -> str:
    return _name(scenario.deliverable, card_id, "title")


def _issue(scenario: Scenario, issue_id: str | None) -> str:
    return _name(scenario.issue, issue_id, "title")


def package_text(scenario: Scenario, package: dict[str, str]) -> str:
    parts = []
    for issue in scenario.issues:
        option = package.get(issue.id)
        label = next((o.label for o in issue.options if o.id == option), option)
        parts.append(f"{issue.title}: {label}")
    return "; ".join(parts)


def describe(scenario: Scenario, event: Any, *, short: bool = False) -> str:
    e = event if isinstance(event, dict) else event.model_dump(mode="json")
    d = e.get("data") or {}
    who = _role(scenario, e.get("actor"))
    t = e["type"]
    if t == "match_started":
        return "The game started."
    if t == "phase_started":
        return f"Round {d.get('round')}: {PHASE_TITLES.get(d.get('phase'), d.get('phase'))} began."
    if t == "paused":
        return "The facilitator paused the game."
    if t == "resumed":
        return "The game resumed."
    if t == "extended":
        bits = [f"{d['seconds']} s" for _ in [0] if d.get("seconds")] + [f"{d['exchanges']} exchanges" for _ in [0] if d.get("exchanges")]
        return "The phase was extended" + (f" by {' and '.join(bits)}." if bits else ".")
    if t == "inject_pushed":
        try:
            return f"News: {scenario.inject(d.get('inject')).title}"
        except StopIteration:
            return "News arrived."
    if t == "game_ended":
        return d.get("reason") or "The game ended."
    if t == "priorities_stated":
        return f"{who} stated their priorities."
    if t == "mandate_drafted":
        return f"{who} drafted mandate v{d.get('version')}."
    if t == "mandate_endorsed":
        return f"{who} endorsed mandate v{d.get('version')}."
    if t == "mandate_objected":
        return f"{who} objected to mandate v{d.get('version')}: {d.get('reason', '')}"
    if t == "deliverable_signed":
        status = {"prepared": " It is prepared.", "in_preparation": ""}.get(d.get("status"), "")
        return f"{who} signed off {_card(scenario, d.get('deliverable'))}.{status}"
    if t == "speaker_chosen":
        return f"{who} chose the {d.get('level')} level to speak for the team."
    if t == "chat_posted":
        return f"{who}: {d.get('text', '')}"
    if t == "offer_proposed":
        if short:
            return f"{who} proposed a package ({d.get('offer')})."
        return f"{who} proposed a package ({d.get('offer')}): {package_text(scenario, d.get('package') or {})}."
    if t == "offer_accepted":
        return f"{who} accepted {d.get('offer')}."
    if t == "offer_rejected":
        return f"{who} rejected {d.get('offer')}: {d.get('reason', '')}"
    if t == "offer_withdrawn":
        return f"{who} withdrew {d.get('offer')}."
    if t == "statement_made":
        return f"{who}: \u201c{d.get('text', '')}\u201d"
    if t == "recess_called":
        return f"{who} called a recess: {d.get('reason', '')}"
    if t == "deliverable_committed":
        return f"{who} committed {_card(scenario, d.get('deliverable'))} at the table."
    if t == "capability_shown":
        what = _card(scenario, d.get("deliverable")) if d.get("deliverable") else "the team's alignment"
        return f"{who} made visible {what}: \u201c{d.get('text', '')}\u201d"
    if t == "probe_made":
        return f"{who} probed {_issue(scenario, d.get('issue'))}: \u201c{d.get('question', '')}\u201d"
    if t == "probe_answered":
        return f"{_team(scenario, e.get('team'))} answered: {d.get('answer', '')}"
    if t == "escalated":
        return f"{who} escalated to leader level ({d.get('escalations_left')} escalations left)."
    if t == "deal_reached":
        return "Deal reached."
    return t.replace("_", " ")
