"""How a bot's offer records that its estimate of the other side's credibility moved it: one line at
the head of the offer's details, written by the bot and read by the `power.moved_them` rule."""

from __future__ import annotations

import re

from game.engine.words import Text, english, gettext_noop

_LINE = re.compile(r"^Credibility estimate ([+-]\d+\.\d+) -> ([+-]\d+\.\d+): (it moved this offer|the offer is the same without the change)\.")


def credibility_line(before: float, after: float, moved: bool) -> Text:
    """The line, for an offer made after the estimate changed from `before` to `after` (its English
    is what `moved_by_credibility` reads)."""
    msgid = (gettext_noop("Credibility estimate %(before)s -> %(after)s: it moved this offer.") if moved
             else gettext_noop("Credibility estimate %(before)s -> %(after)s: the offer is the same without the change."))
    return Text(msgid=msgid, params={"before": f"{before:+.2f}", "after": f"{after:+.2f}"})


def moved_by_credibility(details: str | dict | None) -> tuple[float, float] | None:
    """(before, after) when the details record that the credibility estimate moved the offer, else None.
    Details are a bot's sentence as stored (a Text's JSON, read in English) or, in older logs, its English."""
    try:
        details = english(details)
    except (ValueError, KeyError, TypeError):
        details = ""
    match = _LINE.match(details)
    if match is None or match.group(3) != "it moved this offer":
        return None
    return float(match.group(1)), float(match.group(2))
