"""The rules core's words (`Text`, `Local`, plain strings) in the language of the request, or of a socket.

A whole structure of them (a frame, a page's context) is said by game.web.said.said."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import parse_cookie
from django.utils import translation
from django.utils.translation import get_language, gettext

from game.scenario.text import Local, Text


def say(text: Text | Local | str | None, language: str | None = None) -> str:
    """`text` in `language` (default: the active language): a `Text` through the catalogue, a `Local` from
    its author; a plain string (free text a person wrote) as written."""
    if text is None:
        return ""
    if language is not None:
        with translation.override(language):
            return say(text)
    language = get_language() or "en"
    if isinstance(text, Text):
        return text.render(gettext, language)
    if isinstance(text, Local):
        return text.in_language(language)
    return str(text)


def language_of_scope(scope: dict[str, Any]) -> str:
    """The language a socket's person reads: LocaleMiddleware's choice for a page (the language cookie,
    else Accept-Language, else the default), made from the socket's handshake, which no middleware sees."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
    cookies = scope.get("cookies")
    if cookies is None:  # a scope without Channels' cookie middleware
        cookies = parse_cookie(headers.get("cookie", ""))
    request = SimpleNamespace(COOKIES=cookies, META={"HTTP_ACCEPT_LANGUAGE": headers.get("accept-language", "")})
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE
