"""One line per event, in the reader's language: the wording is data (`PHRASES`, English message ids
translated in locale/), used here for the debrief, the replay and the exports, and sent translated to
the table page (`words()`, in the page's config), where static/js/describe.js fills the same phrases.
No sentence is written twice.

A phrase names its fields in braces:
- {who}: the actor's title ("The facilitator", "The clock", a role's title);
- {team}: the acting team's name;
- {phase}, {deliverable}, {issue}, {inject}: the title of what the event's data names;
- {level}: the speaking level's title (game/web/labels.py);
- {name|min}: the data's number `name` in minutes (a duration given in seconds);
- any other {name}: the event's data `name` as it is ("" when it is missing).
An event type has one or more variants [conditions, phrase]; the first whose conditions all hold is
used. A condition is a data field that must be set ("deliverable"), or a field and its value
("status=prepared"). An event type without a phrase is shown as its type, in words.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, gettext_noop

from game.engine import FACILITATOR, PHASE_TITLES, SYSTEM
from game.engine.fold import TEAM_MOVE_EVENTS
from game.scenario import LEVELS, Scenario
from game.web.labels import LEVEL_TITLES
from game.web.said import said
from game.web.text import say

Variant = tuple[tuple[str, ...], str]


def _one(phrase: str) -> list[Variant]:
    return [((), phrase)]


PHRASES: dict[str, list[Variant]] = {
    "match_started": _one(gettext_noop("The game started.")),
    "phase_started": _one(gettext_noop("Round {round}: {phase} began.")),
    "paused": _one(gettext_noop("The facilitator paused the game.")),
    "resumed": _one(gettext_noop("The game resumed.")),
    "extended": [
        (("seconds", "exchanges"), gettext_noop("The phase was extended by {seconds|min} min and {exchanges} exchanges.")),
        (("seconds",), gettext_noop("The phase was extended by {seconds|min} min.")),
        (("exchanges",), gettext_noop("The phase was extended by {exchanges} exchanges.")),
        ((), gettext_noop("The phase was extended.")),
    ],
    "inject_pushed": _one(gettext_noop("News: {inject}")),
    "seats_reminded": _one(gettext_noop("Time is up for this phase: the table waits for everyone to make a move.")),
    "played_on": _one(gettext_noop("Play on from here: this practice game continues another game from its event {from_step}.")),
    "game_ended": [(("reason",), "{reason}"), ((), gettext_noop("The game ended."))],
    "priorities_stated": _one(gettext_noop("{who} stated their priorities.")),
    "mandate_drafted": _one(gettext_noop("{who} drafted mandate v{version}.")),
    "mandate_endorsed": _one(gettext_noop("{who} endorsed mandate v{version}.")),
    "mandate_objected": _one(gettext_noop("{who} objected to mandate v{version}: {reason}")),
    "deliverable_signed": [
        (("status=prepared",), gettext_noop("{who} signed off {deliverable}. It is prepared.")),
        ((), gettext_noop("{who} signed off {deliverable}.")),
    ],
    "speaker_chosen": _one(gettext_noop("{who} chose the {level} level to speak for the team.")),
    "chat_posted": _one(gettext_noop("{who}: {text}")),
    "offer_proposed": _one(gettext_noop("{who} proposed a package ({offer}).")),
    "offer_accepted": _one(gettext_noop("{who} accepted {offer}.")),
    "offer_rejected": _one(gettext_noop("{who} rejected {offer}: {reason}")),
    "offer_withdrawn": _one(gettext_noop("{who} withdrew {offer}.")),
    "statement_made": _one(gettext_noop("{who}: “{text}”")),
    "recess_called": _one(gettext_noop("{who} called a recess: {reason}")),
    "deliverable_committed": _one(gettext_noop("{who} committed {deliverable} at the table.")),
    "capability_shown": [
        (("deliverable",), gettext_noop("{who} made visible {deliverable}: “{text}”")),
        ((), gettext_noop("{who} made visible the team's alignment: “{text}”")),
    ],
    "probe_made": _one(gettext_noop("{who} probed {issue}: “{question}”")),
    "probe_answered": _one(gettext_noop("{team} answered: {answer}")),
    "escalated": _one(gettext_noop("{who} escalated to leader level ({escalations_left} escalations left).")),
    "deal_reached": _one(gettext_noop("Deal reached.")),
    "floor_delegated": [
        (("on",), gettext_noop("{who} let the team's bots play this round.")),
        ((), gettext_noop("{who} took the floor back from the team's bots.")),
    ],
    "move_suggested": _one(gettext_noop("{who} advised: {text}")),
    "pressure_answered": [
        (("choice=reopen",), gettext_noop("{who} reopened {issue} of the deal, going back on a signed term.")),
        (("choice=clarify",), gettext_noop("{who} clarified the deal and kept the term: “{text}”")),
        ((), gettext_noop("{who} held the deal.")),
    ],
}
# Who acts besides the roles, and what stands in for a name the reader's copy of the case lacks (a
# page knows only its own team's execution cards until the other team puts one on the table).
SEATS = {FACILITATOR: gettext_noop("The facilitator"), SYSTEM: gettext_noop("The clock")}
UNKNOWN = {"who": gettext_noop("Someone"), "team": gettext_noop("The other team"), "deliverable": gettext_noop("an execution card"), "inject": gettext_noop("an event")}
SECONDS_PER = {"min": 60}

_FIELD = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


def words() -> dict[str, Any]:
    """The phrasebook as JSON, for a page to describe events in these same words (with the phase
    titles, the speaking levels in order, and the event types that are a team's own move)."""
    return {
        "phrases": {t: [[list(when), gettext(phrase)] for when, phrase in variants] for t, variants in PHRASES.items()},
        "phases": _translated(PHASE_TITLES), "seats": _translated(SEATS), "unknown": _translated(UNKNOWN),
        "seconds_per": SECONDS_PER,
        "levels": list(LEVELS), "level_titles": {k: str(v) for k, v in LEVEL_TITLES.items()}, "team_moves": sorted(TEAM_MOVE_EVENTS),
    }


def _translated(words_by_key: dict[str, str]) -> dict[str, str]:
    return {key: gettext(text) for key, text in words_by_key.items()}


def _title(items, key: str | None, attr: str = "title") -> str | None:
    """The case's name of an item (a role, a team, an issue, a card, an inject) in the reader's language."""
    for item in items:
        if item.id == key:
            return say(getattr(item, attr))
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
    phrase = gettext(next(p for when, p in variants if all(_holds(d, c) for c in when)))

    def field(match: re.Match) -> str:
        name, unit = match.group(1), match.group(2)
        if unit:
            return _in_units(int(d.get(name) or 0), SECONDS_PER[unit])
        if name == "who":
            actor = e.get("actor")
            return gettext(SEATS[actor]) if actor in SEATS else _title(scenario.roles, actor) or gettext(UNKNOWN["who"])
        if name == "team":
            return _title(scenario.teams, e.get("team"), "name") or gettext(UNKNOWN["team"])
        if name == "level":
            level = d.get("level")
            return str(LEVEL_TITLES[level]) if level in LEVEL_TITLES else level or ""
        if name == "phase":
            phase = d.get("phase")
            return gettext(PHASE_TITLES[phase]) if phase in PHASE_TITLES else phase or ""
        lookups = {"deliverable": scenario.deliverables, "issue": scenario.issues, "inject": scenario.injects}
        if name in lookups:
            return _title(lookups[name], d.get(name)) or (gettext(UNKNOWN[name]) if name in UNKNOWN else str(d.get(name) or ""))
        value = said(d.get(name))  # a bot's reason, the engine's answer: said in the reader's language
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
        parts.append(f"{say(issue.title)}: {say(label)}")
    return "; ".join(parts)
