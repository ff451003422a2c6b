"""How a bot's offer records that its estimate of the other side's credibility moved it: one line at
the head of the offer's details, written by the bot and read by the `power.moved_them` rule."""

from __future__ import annotations

import re

_LINE = re.compile(r"^Credibility estimate ([+-]\d+\.\d+) -> ([+-]\d+\.\d+): (it moved this offer|the offer is the same without the change)\.")


def credibility_line(before: float, after: float, moved: bool) -> str:
    """The line, for an offer made after the estimate changed from `before` to `after`."""
    effect = "it moved this offer" if moved else "the offer is the same without the change"
    return f"Credibility estimate {before:+.2f} -> {after:+.2f}: {effect}."


def moved_by_credibility(details: str | None) -> tuple[float, float] | None:
    """(before, after) when the details record that the credibility estimate moved the offer, else None."""
    match = _LINE.match(details or "")
    if match is None or match.group(3) != "it moved this offer":
        return None
    return float(match.group(1)), float(match.group(2))
