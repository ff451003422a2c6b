"""Words for people, in the reader's language, kept pure.

The rules core never translates; it says *what* to say, and the pages say it in the reader's language:

- `Local` is a text the case's author writes in each language (a brief, a role's title, an issue's
  name). A scenario file may give a plain string (English only) or `{en: ..., vi: ...}`.
- `Text` is a sentence the rules core composes (a score note, a mark's reason, a bot's reason): an
  English message id with named placeholders (`"Credibility kept on %(issue)s"`), marked with
  `gettext_noop` so Django's `makemessages` puts it in the catalogue, and its values — a number, a
  plain string shown as written, a `Local`, or another `Text`.

`str()` of either is its English. The Django layer (`game.web.text.say`) renders either in the
request's language; the catalogue (locale/*/LC_MESSAGES/django.po) holds the translations of every
`Text` message id, the scenario file those of every `Local`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, model_validator

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "vi")


def gettext_noop(message: str) -> str:
    """Marks `message` as an English message id for the catalogue; returns it unchanged."""
    return message


class Local(BaseModel):
    """An author's text in each language; a missing translation reads as the English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    vi: str = ""

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_english(cls, data: Any) -> Any:
        return {"en": data} if isinstance(data, str) else data

    def in_language(self, language: str) -> str:
        """The text in `language` (a code such as "vi" or "vi-VN"), else the English."""
        code = (language or SOURCE_LANGUAGE).split("-")[0].lower()
        return (getattr(self, code, "") if code in LANGUAGES else "") or self.en

    def missing(self) -> list[str]:
        """The languages this text lacks (empty or blank)."""
        return [code for code in LANGUAGES if not str(getattr(self, code, "")).strip()]

    def __str__(self) -> str:
        return self.en


Value = Union[int, float, str, Local, "Text"]


class Text(BaseModel):
    """A composed sentence: an English message id and its named values, translated where shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    msgid: str
    params: dict[str, Value] = {}

    def render(self, translate: Callable[[str], str], language: str) -> str:
        """The sentence in `language`: the message id through `translate`, each value rendered in turn."""
        values = {name: _render(value, translate, language) for name, value in self.params.items()}
        message = translate(self.msgid)
        # A message id without values may hold a literal "%"; only a sentence with values is formatted.
        return message % values if values else message

    def __str__(self) -> str:
        return self.render(_english, SOURCE_LANGUAGE)


def _english(message: str) -> str:
    return message


def _render(value: Value, translate: Callable[[str], str], language: str) -> int | float | str:
    if isinstance(value, Text):
        return value.render(translate, language)
    if isinstance(value, Local):
        return value.in_language(language)
    return value


Text.model_rebuild()
