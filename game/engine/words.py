"""Building the rules core's sentences (`Text`) for refusals and bots' reasons.

Every message id is written where it is used, marked with `gettext_noop` so that makemessages finds it;
these helpers only assemble a Text from it and its values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.scenario.text import LANGUAGES, Local, Text, gettext_noop

__all__ = ["Local", "Text", "gettext_noop", "joined", "sentence"]


def sentence(msgid: str, **params: Any) -> Text:
    """A whole sentence: an English message id with named %(placeholders)s and their values."""
    return Text(msgid=msgid, params=params)


def joined(items: Iterable[str | Local], separator: str = ", ") -> Local:
    """A list of names (issue titles, role titles) in each language, joined with `separator`; a plain
    string is the same in every language."""
    items = list(items)
    by_language = {}
    for language in LANGUAGES:
        by_language[language] = separator.join(_in(item, language) for item in items)
    return Local(**by_language)


def _in(item: str | Local, language: str) -> str:
    return item.in_language(language) if isinstance(item, Local) else str(item)


# A day as a reader says it: the day, the month's name and the year, in each language's order and words.
_MONTHS = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"), gettext_noop("May"),
    gettext_noop("June"), gettext_noop("July"), gettext_noop("August"), gettext_noop("September"), gettext_noop("October"),
    gettext_noop("November"), gettext_noop("December"),
)


def spoken_day(iso: str) -> Text:
    """An IsoDate (2025-04-15) as a sentence's value: "15 April 2025" in English."""
    year, month, day = (int(p) for p in iso.split("-"))
    return sentence(gettext_noop("%(day)s %(month)s %(year)s"), day=day, month=sentence(_MONTHS[month - 1]), year=year)


def said(value: Any) -> Any:
    """A move's sentence as event data stores it: a Text as its JSON, anything else as it is."""
    return value.model_dump() if isinstance(value, Text) else value


def and_list(items: Iterable[str | Local | Text], most: int | None = None) -> Text | str | Local:
    """Names joined as a reader lists them ("A, B and C"), each said in the reader's language; with
    `most`, a longer list names its first `most` and counts the rest ("A, B, C and 4 more"), so a
    sentence stays readable."""
    items = list(items)
    if not items:
        return ""
    if most is not None and len(items) > most:
        named = chained(items[:most], gettext_noop("%(first)s, %(next)s"))
        return sentence(gettext_noop("%(first)s and %(more)s more"), first=named, more=len(items) - most)
    listed = items[-1]
    if len(items) >= 2:
        listed = sentence(gettext_noop("%(first)s and %(last)s"), first=items[-2], last=items[-1])
        for item in reversed(items[:-2]):
            listed = sentence(gettext_noop("%(first)s, %(rest)s"), first=item, rest=listed)
    return listed


def paragraph(*parts: Text | str | None) -> Text | str:
    """Whole sentences one after another (each ends with its own stop); empty parts are left out."""
    return chained([p for p in parts if p], gettext_noop("%(first)s %(next)s"))


def chained(items: Iterable[Text | str | Local], msgid: str) -> Text | str | Local:
    """Items joined pairwise by `msgid` (a message id with %(first)s and %(next)s, marked where written)."""
    items = list(items)
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = sentence(msgid, first=text, next=item)
    return text


# A speaking level named inside a sentence ("the minister level").
LEVEL_WORDS = {"leader": gettext_noop("leader"), "minister": gettext_noop("minister"), "technical": gettext_noop("technical")}


def level_title(level: str) -> Text | str:
    """A level's word in a sentence; an unknown level as it is."""
    return sentence(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


def english(value: Any) -> str:
    """The English of a sentence as a move or an event holds it (a Text, its JSON, a Local or a plain
    string); "" for None."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = Local.model_validate(value) if "en" in value else Text.model_validate(value)
    return str(value)
