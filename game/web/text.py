"""The rules core's words (`Text`, `Local`, plain strings) in the language of the request."""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from game.scenario.text import Local, Text


def say(text: Text | Local | str | None) -> str:
    """`text` in the active language: a `Text` through the catalogue, a `Local` from its author; a plain
    string (free text a person wrote) as written."""
    if text is None:
        return ""
    language = get_language() or "en"
    if isinstance(text, Text):
        return text.render(gettext, language)
    if isinstance(text, Local):
        return text.in_language(language)
    return str(text)
