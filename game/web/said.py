"""The rules core's sentences inside its data (events, views, refusals), said in the reader's language.

A move's note, details and reason, a refusal's message, a phase's "why not" and a game's end reason are
each a `Text` (a bot, the engine) or a plain string (what a person wrote, and logs written before the
engine said them as sentences). Stored events hold a Text as its JSON (`{"msgid": ..., "params": ...}`);
here each is rendered with `game.web.text.say` in the active language, and a plain string stays as
written. A websocket's language is `game.web.text.language_of_scope`'s.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import get_language
from pydantic import ValidationError

from game.scenario.text import Local, Text
from game.web.text import say

# The event data and the view keys that may hold a sentence of the rules core.
EVENT_SENTENCES = ("note", "details", "reason", "text", "question", "answer")
SUGGESTED_SENTENCES = ("reason", "text")


def said(value: Any, language: str | None = None) -> Any:
    """`value` in `language` (default: the active one) if it is a sentence (a Text, a stored Text's
    JSON, a Local); anything else as it is."""
    if isinstance(value, str) or value is None:
        return value
    language = language or get_language() or ""
    if isinstance(value, Local):
        return value.in_language(language)
    if isinstance(value, Text):
        return _said(value.model_dump(), language)
    if isinstance(value, dict) and "msgid" in value and set(value) <= {"msgid", "params"}:
        return _said(value, language)
    return value


# Every seat's frame says the same sentences of the log and of its view again and again, and a bot's
# figures nest a dozen sentences deep: each is said once per language, found by the very object (an
# entry holds it, so its id is no other's meanwhile) or else by its JSON as stored (whose key order is
# the model's own). Each cache starts afresh when full.
_SAID: dict[tuple[str, str], str] = {}
_SAID_BY_ID: dict[tuple[int, str], tuple[dict[str, Any], str]] = {}
_SAID_MAX = 8192


def _said(sentence: dict[str, Any], language: str) -> str:
    held = _SAID_BY_ID.get((id(sentence), language))
    if held is not None and held[0] is sentence:  # the very sentence said before (a view's shared reason)
        return held[1]
    key = (repr(sentence), language)
    text = _SAID.get(key)
    if text is None:
        try:
            with translation.override(language or None):
                text = say(Text.model_validate(sentence))
        except (ValidationError, KeyError, ValueError, TypeError):
            text = str(sentence.get("msgid", ""))
        if len(_SAID) >= _SAID_MAX:
            _SAID.clear()
        _SAID[key] = text
    if len(_SAID_BY_ID) >= _SAID_MAX:
        _SAID_BY_ID.clear()
    _SAID_BY_ID[(id(sentence), language)] = (sentence, text)
    return text


# An event's data is one object for every seat and frame that sends it (the table's log, read, never
# changed): said once per language. Each entry holds its data, so its id is never another's meanwhile.
_DATA: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]] = {}


def said_data(data: dict[str, Any], language: str | None = None) -> dict[str, Any]:
    """An event's data with its sentences said (the same dict when it holds none)."""
    language = language or get_language() or ""
    key = (id(data), language)
    held = _DATA.get(key)
    if held is not None and held[0] is data:
        return held[1]
    out = _said_data(data, language)
    if out is not data:
        if len(_DATA) >= _SAID_MAX:
            _DATA.clear()
        _DATA[key] = (data, out)
    return out


def _said_data(data: dict[str, Any], language: str) -> dict[str, Any]:
    out = None
    for key in EVENT_SENTENCES:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            out = out if out is not None else dict(data)
            out[key] = said(value, language)
    move = data.get("move")
    if isinstance(move, dict) and any(not isinstance(move.get(k), (str, type(None))) for k in SUGGESTED_SENTENCES):
        out = out if out is not None else dict(data)
        out["move"] = {k: said(v, language) if k in SUGGESTED_SENTENCES else v for k, v in move.items()}
    return data if out is None else out


def said_events(events: list[Any]) -> list[Any]:
    """Events (engine Events or their JSON) with the sentences of their data said in the active language."""
    language = get_language() or ""
    out = []
    for e in events:
        data = e.get("data") if isinstance(e, dict) else e.data
        new = said_data(data or {}, language)
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
    language = get_language() or ""
    out = dict(view)
    for key in ("moves", "cards_waiting"):
        if isinstance(view.get(key), dict):
            out[key] = {k: said(v, language) for k, v in view[key].items()}
    result = view.get("result")
    if isinstance(result, dict) and not isinstance(result.get("reason"), (str, type(None))):
        out["result"] = {**result, "reason": said(result["reason"], language)}
    teams = view.get("teams")
    if isinstance(teams, dict) and any(_has_sentence_stance(t) for t in teams.values()):
        out["teams"] = {name: _said_stances(t, language) for name, t in teams.items()}
    return out


def _has_sentence_stance(team: Any) -> bool:
    stances = team.get("stances") if isinstance(team, dict) else None
    return bool(stances) and any(not isinstance(s.get("reason"), (str, type(None))) for s in stances.values())


def _said_stances(team: Any, language: str) -> Any:
    if not _has_sentence_stance(team):
        return team
    return {**team, "stances": {seat: {**s, "reason": said(s.get("reason"), language)} for seat, s in team["stances"].items()}}
