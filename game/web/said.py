"""The rules core's sentences inside its data (events, views, refusals), said in the reader's language.

A move's note, details and reason, a refusal's message, a phase's "why not" and a game's end reason are
each a `Text` (a bot, the engine) or a plain string (what a person wrote, and logs written before the
engine said them as sentences). Stored events hold a Text as its JSON (`{"msgid": ..., "params": ...}`);
here each is rendered with `game.web.text.say` in the active language, and a plain string stays as
written. A websocket has no LocaleMiddleware: `language_of_scope` chooses its language the way the
middleware chooses a page's (the language cookie, else Accept-Language, else the default).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import check_for_language, parse_accept_lang_header
from pydantic import ValidationError

from game.scenario.text import Local, Text
from game.web.text import say

# The event data and the view keys that may hold a sentence of the rules core.
EVENT_SENTENCES = ("note", "details", "reason", "text", "answer")
SUGGESTED_SENTENCES = ("reason", "text")


def said(value: Any) -> Any:
    """`value` in the active language if it is a sentence (a Text, a stored Text's JSON, a Local);
    anything else as it is."""
    if isinstance(value, (Text, Local)):
        return say(value)
    if isinstance(value, dict) and "msgid" in value and set(value) <= {"msgid", "params"}:
        try:
            return say(Text.model_validate(value))
        except (ValidationError, KeyError, ValueError, TypeError):
            return str(value.get("msgid", ""))
    return value


def said_data(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data with its sentences said (the same dict when it holds none)."""
    out = None
    for key in EVENT_SENTENCES:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            out = out if out is not None else dict(data)
            out[key] = said(value)
    move = data.get("move")
    if isinstance(move, dict) and any(not isinstance(move.get(k), (str, type(None))) for k in SUGGESTED_SENTENCES):
        out = out if out is not None else dict(data)
        out["move"] = {k: said(v) if k in SUGGESTED_SENTENCES else v for k, v in move.items()}
    return data if out is None else out


def said_events(events: list[Any]) -> list[Any]:
    """Events (engine Events or their JSON) with the sentences of their data said."""
    out = []
    for e in events:
        data = e.get("data") if isinstance(e, dict) else e.data
        new = said_data(data or {})
        if new is data or data is None:
            out.append(e)
        elif isinstance(e, dict):
            out.append({**e, "data": new})
        else:
            out.append(e.model_copy(update={"data": new}))
    return out


def said_view(view: dict[str, Any]) -> dict[str, Any]:
    """A seat's view with its sentences said: why each move is unavailable, why a card waits, the
    team's objections, the game's end reason. A key without sentences keeps its very object."""
    out = dict(view)
    for key in ("moves", "cards_waiting"):
        if isinstance(view.get(key), dict):
            out[key] = {k: said(v) for k, v in view[key].items()}
    result = view.get("result")
    if isinstance(result, dict) and not isinstance(result.get("reason"), (str, type(None))):
        out["result"] = {**result, "reason": said(result["reason"])}
    teams = view.get("teams")
    if isinstance(teams, dict) and any(_has_sentence_stance(t) for t in teams.values()):
        out["teams"] = {name: _said_stances(t) for name, t in teams.items()}
    return out


def _has_sentence_stance(team: Any) -> bool:
    stances = team.get("stances") if isinstance(team, dict) else None
    return bool(stances) and any(not isinstance(s.get("reason"), (str, type(None))) for s in stances.values())


def _said_stances(team: Any) -> Any:
    if not _has_sentence_stance(team):
        return team
    return {**team, "stances": {seat: {**s, "reason": said(s.get("reason"))} for seat, s in team["stances"].items()}}


def language_of_scope(scope: dict[str, Any]) -> str:
    """The language a websocket's pages are read in: its language cookie, else its Accept-Language,
    else the site's default (as django.middleware.locale.LocaleMiddleware chooses for a page)."""
    headers = {k.lower(): v for k, v in scope.get("headers") or []}
    cookie = "; ".join(v.decode("latin-1") for k, v in scope.get("headers") or [] if k.lower() == b"cookie")
    cookies = parse_cookie(cookie)
    code = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if code and check_for_language(code):
        try:
            return get_supported_language_variant(code)
        except LookupError:
            pass
    for accepted, _ in parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1")[:255]):
        if accepted == "*":
            break
        try:
            return get_supported_language_variant(accepted)
        except LookupError:
            continue
    return get_supported_language_variant(settings.LANGUAGE_CODE)
