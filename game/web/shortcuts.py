"""The keyboard shortcuts of the pages that have them, defined once: the `?` help dialog lists these,
and the pages' scripts bind the same keys (static/js/replay.js, static/js/table.js)."""

from __future__ import annotations

HELP_KEY = ("?", "Show or hide this list of shortcuts")

SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    "replay": [
        ("→", "Next event (or the next marked move, with “skip to moves with marks”)"),
        ("←", "Previous event"),
        ("Home", "The start of the game"),
        ("End", "The last event"),
        ("Space", "Play or pause"),
        HELP_KEY,
    ],
    "table": [
        ("Alt+N", "Advance to the next phase (when you pace the game)"),
        ("Enter", "Send the chat message you are typing"),
        HELP_KEY,
    ],
}
