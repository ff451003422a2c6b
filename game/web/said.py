"""The rules core's sentences inside data (events, views, refusals, a page's context), said in the reader's language.

A move's note, details and reason, a refusal's message, a phase's "why not", a game's end reason and the
case's texts are each a `Text` (a bot, the engine), a `Local` (the case's author) or a plain string
(what a person wrote, and logs written before the engine said them as sentences). Stored events hold a
Text as its JSON (`{"msgid": ..., "params": ...}`). `said` renders every one of them with
`game.web.text.say` in the active language (or the one given), anywhere in nested dicts and lists; a
plain string stays as written. A websocket's language is `game.web.text.language_of_scope`'s.

A live table's frames say the same sentences version after version: `Sayings`, held by the table
(game.realtime.tablelog.Table, carried from each version to the next), says each once per language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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
    """`value` with every sentence in it (a Text, a stored Text's JSON, a Local) said in `language`
    (default: the active one), in nested dicts, lists and tuples (each a new dict or list); anything
    else as it is."""
    if isinstance(value, str) or value is None:
        return value
    active = get_language()
    if language and language != active:
        with translation.override(language):
            return _said(value, language)
    return _said(value, active or "en")


def _said(value: Any, language: str) -> Any:
    if isinstance(value, Text):
        return say(value)
    if isinstance(value, Local):
        return value.in_language(language)
    if isinstance(value, Mapping):
        if _is_sentence(value):
            return _sentence(value)
        return {key: _said(item, language) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_said(item, language) for item in value]
    return value


def _is_sentence(value: Any) -> bool:
    """A stored Text's JSON."""
    return isinstance(value, Mapping) and "msgid" in value and value.keys() <= {"msgid", "params"}


def _sentence(stored: Mapping[str, Any]) -> str:
    try:
        return say(Text.model_validate(stored))
    except (ValidationError, KeyError, ValueError, TypeError):
        return str(stored.get("msgid", ""))


class Sayings:
    """What one live table's frames have said, per language, for its later frames (read, never changed):
    an event's data by the event's seq, a view's sentence by the place it stands in the view. Each entry
    keeps what it said and is used only for that very object or an equal one (a view's reasons are
    built again version after version, most of them the same). A place whose sentence changed takes
    it from the sentences already said at any place, found by their JSON text (many seats are told the
    same reasons, and a phase's reasons come back every round), and only a new one is said. It lives as
    long as the table's copy in its owner."""

    def __init__(self) -> None:
        self._data: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
        self._places: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self._sentences: dict[tuple[str, str], Any] = {}

    def data(self, seq: int, data: dict[str, Any], language: str) -> dict[str, Any]:
        # An event reaches the other team without its mover's private reasons (engine.visible_events):
        # the two are told apart by their keys.
        key = (seq, language, tuple(data))
        held = self._data.get(key)
        if held is not None and (held[0] is data or held[0] == data):
            return held[1]
        out = said_data(data, language)
        if out is not data:
            self._data[key] = (data, out)
        return out

    def at(self, place: tuple[Any, ...], value: Any, language: str) -> Any:
        if isinstance(value, str) or value is None:
            return value
        held = self._places.get((*place, language))
        if held is not None and (held[0] is value or held[0] == value):
            return held[1]
        try:
            # Equal text, equal sentence: a view holds plain JSON, and the same JSON says the same.
            key = (json.dumps(value, sort_keys=True), language)
        except TypeError:
            out = said(value, language)
        else:
            out = self._sentences.get(key)
            if out is None:
                out = self._sentences[key] = said(value, language)
        self._places[(*place, language)] = (value, out)
        return out


def said_data(data: dict[str, Any], language: str | None = None) -> dict[str, Any]:
    """An event's data with its sentences said (the same dict when it holds none)."""
    language = language or get_language() or ""
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


def said_events(events: list[Any], sayings: Sayings | None = None) -> list[Any]:
    """Events (engine Events or their JSON) with the sentences of their data said in the active language."""
    language = get_language() or ""
    out = []
    for e in events:
        as_dict = isinstance(e, dict)
        data = e.get("data") if as_dict else e.data
        if not data:
            out.append(e)
            continue
        new = sayings.data(e["seq"] if as_dict else e.seq, data, language) if sayings is not None else said_data(data, language)
        if new is data:
            out.append(e)
        elif as_dict:
            out.append({**e, "data": new})
        else:
            out.append(e.model_copy(update={"data": new}))
    return out


def said_view(view: dict[str, Any], sayings: Sayings | None = None) -> dict[str, Any]:
    """A seat's view with its sentences said: why each move is unavailable, why a card waits, the
    team's objections, the game's end reason, a bot team's clarification in the epilogue, the role cards. A key without sentences keeps its very object."""
    language = get_language() or ""
    seat = (view.get("viewer") or {}).get("seat")

    def at(place: tuple[Any, ...], value: Any) -> Any:
        return sayings.at((seat, *place), value, language) if sayings is not None else said(value, language)

    out = dict(view)
    for key in ("moves", "cards_waiting"):
        if isinstance(view.get(key), dict):
            out[key] = {k: at((key, k), v) for k, v in view[key].items()}
    result = view.get("result")
    if isinstance(result, dict) and not isinstance(result.get("reason"), (str, type(None))):
        out["result"] = {**result, "reason": at(("result",), result["reason"])}
    teams = view.get("teams")
    if isinstance(teams, dict) and any(_has_sentence_stance(t) for t in teams.values()):
        out["teams"] = {
            name: {**t, "stances": {s: {**st, "reason": at(("stance", name, s), st.get("reason"))} for s, st in t["stances"].items()}}
            if _has_sentence_stance(t) else t
            for name, t in teams.items()
        }
    epilogue = view.get("epilogue")
    if isinstance(epilogue, dict) and any(not isinstance(a.get("text"), (str, type(None))) for a in epilogue.get("answers", {}).values()):
        out["epilogue"] = {**epilogue, "answers": {
            p: {**a, "text": at(("epilogue", p), a.get("text"))} for p, a in epilogue["answers"].items()}}
    if "roles" in view:
        out["roles"] = said(view["roles"], language)
    return out


def _has_sentence_stance(team: Any) -> bool:
    stances = team.get("stances") if isinstance(team, dict) else None
    return bool(stances) and any(not isinstance(s.get("reason"), (str, type(None))) for s in stances.values())
