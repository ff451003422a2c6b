"""The keyboard shortcuts of the pages that have them, defined once: the `?` help dialog lists these,
and the pages' scripts bind the same keys (static/js/replay.js, static/js/table.js)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

HELP_KEY = ("?", gettext_lazy("Show or hide this list of shortcuts"))

SHORTCUTS: dict[str, list[tuple[str, object]]] = {
    "replay": [
        ("→", gettext_lazy("Next event (or the next marked move, with “skip to moves with marks”)")),
        ("←", gettext_lazy("Previous event")),
        ("Home", gettext_lazy("The start of the game")),
        ("End", gettext_lazy("The last event")),
        ("Space", gettext_lazy("Play or pause")),
        HELP_KEY,
    ],
    "table": [
        ("Alt+N", gettext_lazy("Advance to the next phase (when you pace the game)")),
        ("Enter", gettext_lazy("Send the chat message you are typing")),
        HELP_KEY,
    ],
}
