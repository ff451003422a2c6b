"""One line of plain English per event: the wording is data (`PHRASES`), used here for the debrief,
the replay and the exports, and sent as it is to the table page (`words()`, in the page's config),
where static/js/describe.js fills the same phrases. No sentence is written twice.

A phrase names its fields in braces:
- {who}: the actor's title ("The facilitator", "The clock", a role's title);
- {team}: the acting team's name;
- {phase}, {deliverable}, {issue}, {inject}: the title of what the event's data names;
- {name|min}: the data's number `name` in minutes (a duration given in seconds);
- any other {name}: the event's data `name` as it is ("" when it is missing).
An event type has one or more variants [conditions, phrase]; the first whose conditions all hold is
used. A condition is a data field that must be set ("deliverable"), or a field and its value
("status=prepared"). An event type without a phrase is shown as its type, in words.
"""

from __future__ import annotations

import re
from typing import Any

from game.engine import FACILITATOR, PHASE_TITLES, SYSTEM
from game.engine.fold import TEAM_MOVE_EVENTS
from game.scenario import LEVELS, Scenario

Variant = tuple[tuple[str, ...], str]


def _one(phrase: str) -> list[Variant]:
    return [((), phrase)]


PHRASES: dict[str, list[Variant]] = {
    "match_started": _one("The game started."),
    "phase_started": _one("Round {round}: {phase} began."),
    "paused": _one("The facilitator paused the game."),
    "resumed": _one("The game resumed."),
    "extended": [
        (("seconds", "exchanges"), "The phase was extended by {seconds|min} min and {exchanges} exchanges."),
        (("seconds",), "The phase was extended by {seconds|min} min."),
        (("exchanges",), "The phase was extended by {exchanges} exchanges."),
        ((), "The phase was extended."),
    ],
    "inject_pushed": _one("News: {inject}"),
    "seats_reminded": _one("Time is up for this phase: the table waits for everyone to make a move."),
    "played_on": _one("Play on from here: this practice game continues another game from its event {from_step}."),
    "game_ended": [(("reason",), "{reason}"), ((), "The game ended.")],
    "priorities_stated": _one("{who} stated their priorities."),
    "mandate_drafted": _one("{who} drafted mandate v{version}."),
    "mandate_endorsed": _one("{who} endorsed mandate v{version}."),
    "mandate_objected": _one("{who} objected to mandate v{version}: {reason}"),
    "deliverable_signed": [
        (("status=prepared",), "{who} signed off {deliverable}. It is prepared."),
        ((), "{who} signed off {deliverable}."),
    ],
    "speaker_chosen": _one("{who} chose the {level} level to speak for the team."),
    "chat_posted": _one("{who}: {text}"),
    "offer_proposed": _one("{who} proposed a package ({offer})."),
    "offer_accepted": _one("{who} accepted {offer}."),
    "offer_rejected": _one("{who} rejected {offer}: {reason}"),
    "offer_withdrawn": _one("{who} withdrew {offer}."),
    "statement_made": _one("{who}: \u201c{text}\u201d"),
    "recess_called": _one("{who} called a recess: {reason}"),
    "deliverable_committed": _one("{who} committed {deliverable} at the table."),
    "capability_shown": [
        (("deliverable",), "{who} made visible {deliverable}: \u201c{text}\u201d"),
        ((), "{who} made visible the team's alignment: \u201c{text}\u201d"),
    ],
    "probe_made": _one("{who} probed {issue}: \u201c{question}\u201d"),
    "probe_answered": _one("{team} answered: {answer}"),
    "escalated": _one("{who} escalated to leader level ({escalations_left} escalations left)."),
    "deal_reached": _one("Deal reached."),
    "floor_delegated": [
        (("on",), "{who} let the team's bots play this round."),
        ((), "{who} took the floor back from the team's bots."),
    ],
    "move_suggested": _one("{who} advised: {text}"),
    "pressure_answered": [
        (("choice=reopen",), "{who} reopened {issue} of the deal, going back on a signed term."),
        (("choice=clarify",), "{who} clarified the deal and kept the term: \u201c{text}\u201d"),
        ((), "{who} held the deal."),
    ],
}
# Who acts besides the roles, and what stands in for a name the reader's copy of the case lacks (a
# page knows only its own team's execution cards until the other team puts one on the table).
SEATS = {FACILITATOR: "The facilitator", SYSTEM: "The clock"}
UNKNOWN = {"who": "Someone", "team": "The other team", "deliverable": "an execution card", "inject": "an event"}
SECONDS_PER = {"min": 60}

_FIELD = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


def words() -> dict[str, Any]:
    """The phrasebook as JSON, for a page to describe events in these same words (with the phase
    titles, the speaking levels in order, and the event types that are a team's own move)."""
    return {
        "phrases": {t: [[list(when), phrase] for when, phrase in variants] for t, variants in PHRASES.items()},
        "phases": PHASE_TITLES, "seats": SEATS, "unknown": UNKNOWN, "seconds_per": SECONDS_PER,
        "levels": list(LEVELS), "team_moves": sorted(TEAM_MOVE_EVENTS),
    }


def _title(items, key: str | None, attr: str = "title") -> str | None:
    for item in items:
        if item.id == key:
            return getattr(item, attr)
    return None


def _holds(data: dict[str, Any], condition: str) -> bool:
    name, _, value = condition.partition("=")
    return data.get(name) == value if value else bool(data.get(name))


def _in_units(seconds: int, per: int) -> str:
    """Seconds in a larger unit, to the nearest tenth (half up), without a trailing ".0"."""
    tenths = (seconds * 10 + per // 2) // per
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def describe(scenario: Scenario, event: Any, *, short: bool = False) -> str:
    """The event in one line. `short=False` spells out a proposal's whole package."""
    e = event if isinstance(event, dict) else event.model_dump(mode="json")
    d = e.get("data") or {}
    variants = PHRASES.get(e["type"])
    if variants is None:
        return e["type"].replace("_", " ")
    phrase = next(p for when, p in variants if all(_holds(d, c) for c in when))

    def field(match: re.Match) -> str:
        name, unit = match.group(1), match.group(2)
        if unit:
            return _in_units(int(d.get(name) or 0), SECONDS_PER[unit])
        if name == "who":
            actor = e.get("actor")
            return SEATS.get(actor) or _title(scenario.roles, actor) or UNKNOWN["who"]
        if name == "team":
            return _title(scenario.teams, e.get("team"), "name") or UNKNOWN["team"]
        if name == "phase":
            return PHASE_TITLES.get(d.get("phase"), d.get("phase") or "")
        lookups = {"deliverable": scenario.deliverables, "issue": scenario.issues, "inject": scenario.injects}
        if name in lookups:
            return _title(lookups[name], d.get(name)) or UNKNOWN.get(name) or str(d.get(name) or "")
        value = d.get(name)
        return "" if value is None else str(value)

    text = _FIELD.sub(field, phrase)
    if e["type"] == "offer_proposed" and not short:
        text = f"{text[:-1]}: {package_text(scenario, d.get('package') or {})}."
    return text


def package_text(scenario: Scenario, package: dict[str, str]) -> str:
    parts = []
    for issue in scenario.issues:
        option = package.get(issue.id)
        label = next((o.label for o in issue.options if o.id == option), option)
        parts.append(f"{issue.title}: {label}")
    return "; ".join(parts)
