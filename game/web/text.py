"""The rules core's words (`Text`, `Local`, plain strings) in the language of the request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils import translation
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


def said(data: Any, language: str | None = None) -> Any:
    """A copy of `data` (dicts, lists, tuples) with every `Text` and `Local` in it said in `language`
    (default: the active one): what a page's script or a socket frame is sent."""
    if language is not None:
        with translation.override(language):
            return said(data)
    if isinstance(data, (Text, Local)):
        return say(data)
    if isinstance(data, Mapping):
        return {key: said(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [said(value) for value in data]
    return data


def language_of_scope(scope: Mapping[str, Any]) -> str:
    """A websocket's reader language, chosen as LocaleMiddleware chooses a page's: the language cookie
    (the switch on every page), else the browser's Accept-Language, else the default."""
    from game.seat_cookies import cookies_of_scope  # noqa: PLC0415 (game.web.text is imported early)

    request = HttpRequest()
    request.COOKIES = cookies_of_scope(scope)
    for key, value in scope.get("headers", []):
        if key == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin-1")
    return translation.get_language_from_request(request)
