"""What each side did in the epilogue, for the debrief and the replay: one row per pressure, read from
the engine's folded state (its `epilogue`), in the reader's words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from game.scenario import Scenario
from game.web.said import said
from game.web.text import say

CHOICES = {
    "hold": gettext_noop("Held the deal"),
    "clarify": gettext_noop("Clarified the deal and kept the term"),
    "reopen": gettext_noop("Reopened a term"),
}
UNANSWERED = gettext_noop("No answer: the term stayed as agreed")


def _label(scenario: Scenario, issue: str, option: str | None) -> str:
    return say(next((o.label for o in scenario.issue(issue).options if o.id == option), option or ""))


def epilogue_rows(scenario: Scenario, epilogue: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per pressure of the case's epilogue: the team asked, the news, the question and its answer (empty
    when the game never reached the epilogue). `epilogue` is the state's epilogue as JSON."""
    if scenario.epilogue is None or not epilogue:
        return []
    rows = []
    for pressure in scenario.epilogue.pressures:
        answer = epilogue["answers"].get(pressure.id)
        row = {
            "team": pressure.team, "team_name": say(scenario.team(pressure.team).name),
            "news": say(scenario.inject(pressure.inject).title), "question": say(pressure.question),
            "choice": answer["choice"] if answer else None,
            "verdict": gettext(CHOICES[answer["choice"]] if answer else UNANSWERED),
            "text": said((answer or {}).get("text")), "term": None,
        }
        if answer and answer["choice"] == "reopen":
            issue = answer["issue"]
            row["term"] = gettext("%(issue)s: from “%(was)s” to “%(option)s”") % {
                "issue": say(scenario.issue(issue).title), "was": say(_label(scenario, issue, answer["was"])),
                "option": say(_label(scenario, issue, answer["option"]))}
        rows.append(row)
    return rows
