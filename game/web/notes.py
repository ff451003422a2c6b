"""The scorer's words for a reader, in the active language: score notes, rule titles and triggers,
marks, dimensions and lessons. The scorer (game.scoring) keeps them as English message ids and `Text`s;
every page, export, replay and socket frame that shows them goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from game.scenario.text import Text
from game.scoring import DIMENSIONS, RULE_BY_ID, RULES, Annotation
from game.scoring.rules import MARKS
from game.web.text import say

DIMENSION_BY_ID = {d.id: d for d in DIMENSIONS}


def mark_words() -> dict[str, str]:
    """Each mark's word ("!!": "brilliant")."""
    return {mark: gettext(word) for mark, word in MARKS.items()}


def rule_titles() -> dict[str, str]:
    return {r.id: gettext(r.title) for r in RULES}


def rule_title(rule_id: str) -> str:
    rule = RULE_BY_ID.get(rule_id)
    return gettext(rule.title) if rule else rule_id


def rule_when(rule_id: str) -> str:
    rule = RULE_BY_ID.get(rule_id)
    return gettext(rule.when) if rule else ""


def dimension_title(dimension: str) -> str:
    info = DIMENSION_BY_ID.get(dimension)
    return gettext(info.title) if info else dimension


def dimensions() -> list[dict[str, str]]:
    """The dimensions as the table page's score panel and the replay show them."""
    return [{"id": d.id, "title": gettext(d.title), "short": gettext(d.short), "question": gettext(d.question)} for d in DIMENSIONS]


def reason(value: Any) -> str:
    """A note's reason: a `Text` (or its JSON, as frames and documents carry it), or a plain string
    (a note written before reasons were Texts) shown as written."""
    if isinstance(value, dict):
        value = Text.model_validate(value)
    return say(value)


def note(annotation: Annotation | dict[str, Any]) -> dict[str, Any]:
    """An annotation as JSON, its reason and lesson in the active language."""
    data = annotation.model_dump(mode="json") if isinstance(annotation, Annotation) else dict(annotation)
    data["reason"] = reason(data.get("reason"))
    if data.get("lesson"):
        data["lesson"] = gettext(data["lesson"])
    return data


def notes_in(annotations: Iterable[Annotation | dict[str, Any]] | None, language: str) -> list[dict[str, Any]] | None:
    """`note` of each annotation in `language` (a socket's reader's, not the active one); None stays None."""
    if annotations is None:
        return None
    with translation.override(language):
        return [note(a) for a in annotations]
