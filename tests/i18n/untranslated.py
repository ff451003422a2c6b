"""Finds English interface text on a page that should be in Vietnamese.

The interface's English is the message ids of the Vietnamese catalogues (locale/vi/LC_MESSAGES/
django.po and djangojs.po). A message whose translation is its own id (a name such as "BATNA") is
not English to find. A page's visible text comes as a list of pieces (each element's text, each line);
a short message counts only when it is a whole piece, so prose never matches a button label such as
"Table"; a message of four words or more also counts inside a longer piece. The shipped cases' English
texts (briefs, titles, options) count the same way: a Vietnamese reader is shown the case in Vietnamese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"
CATALOGUES = ("django.po", "djangojs.po")
# Python's %(name)s, and the event phrasebook's {name} (game/web/describe.py).
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s|%d|\{\w+(?:\|\w+)?\}")
NAMED = re.compile(r"%\((\w+)\)[sd]|\{(\w+)(?:\|\w+)?\}|%[sd]")
LONG = 4  # words
# Placeholders that stand for a number (a count, points, a round, a time left): they match digits only.
NUMBERS = {"n", "count", "points", "round", "index", "last", "no", "seq", "version", "minutes", "hours", "seconds",
           "left", "limit", "used", "ok", "bad", "pos", "step", "batna", "delta", "pct", "weight", "penalty", "joint",
           "distance", "nash", "efficiency", "free", "finished", "cap", "length", "table", "value", "time", "effect",
           "a", "b"}
NUMBER = r"[\d.,:+−-]+"
NAME = r"\S+(?: \S+){0,3}"  # a name or a title: a few words, never a sentence


@dataclass(frozen=True)
class Message:
    msgid: str
    pattern: re.Pattern  # the whole message, a placeholder matching any text
    inner: re.Pattern  # the same without a placeholder at either end, for finding it inside longer text
    clue: str  # its longest fixed part: a page without it cannot contain the message
    long: bool


def _plain(text: str) -> str:
    """Text as a reader sees it: no tags, %% as %, one space between words."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text).replace("%%", "%")).strip()


def _message(msgid: str) -> Message | None:
    plain = _plain(msgid)
    if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", plain)):
        return None  # nothing English in it: symbols and placeholders only
    if PLACEHOLDER.search(plain) and len(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", plain))) == 1:
        # A joint such as "%(first)s and %(second)s" (how a list in a score note is joined): one word
        # between values reads like any prose, so it tells nothing about the interface's language.
        return None
    parts = PLACEHOLDER.split(plain)
    holes = [NUMBER if name in NUMBERS else NAME for name in _names(plain)]

    def pattern(lo: int, hi: int) -> re.Pattern:
        segments = parts[lo:hi + 1]
        if lo > 0 or hi < len(parts) - 1:
            segments[0] = segments[0].lstrip()
            segments[-1] = segments[-1].rstrip()
        return re.compile("".join(re.escape(p) + (f"(?:{holes[lo + i]})" if i < len(segments) - 1 else "")
                                  for i, p in enumerate(segments)))

    lo, hi = 0, len(parts) - 1
    while lo < hi and not parts[lo].strip():
        lo += 1
    while hi > lo and not parts[hi].strip():
        hi -= 1
    words = len(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", plain)))
    return Message(msgid, pattern(0, len(parts) - 1), pattern(lo, hi), max(parts, key=len).strip(), words >= LONG)


def _names(plain: str) -> list[str]:
    return [m.group(1) or m.group(2) or "" for m in NAMED.finditer(plain)]


@cache
def ui_messages() -> tuple[Message, ...]:
    """The English messages of the interface: every catalogue entry whose translation differs from it."""
    found = []
    for name in CATALOGUES:
        for entry in polib.pofile(str(LOCALE / name)):
            translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                if all(_plain(t) == _plain(msgid) for t in translations):
                    continue  # the same in both languages: a name, not English to translate
                message = _message(msgid)
                if message:
                    found.append(message)
    return tuple(found)


def _locals(value) -> list:
    """Every `Local` text in a scenario (a pydantic model, its lists and dicts), depth first."""
    from pydantic import BaseModel  # noqa: PLC0415

    from game.scenario.text import Local  # noqa: PLC0415

    if isinstance(value, Local):
        return [value]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in _locals(getattr(value, name))]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _locals(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _locals(v)]
    return []


@cache
def case_messages() -> tuple[Message, ...]:
    """The shipped cases' English texts that have a different Vietnamese (briefs, titles, options): on a
    Vietnamese page they mean the case was shown in the wrong language."""
    from game.scenario_files import load_scenario_file  # noqa: PLC0415

    folder = Path(__file__).resolve().parents[2] / "game" / "scenarios"
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        for text in _locals(load_scenario_file(path)):
            plain = _plain(text.en)
            if not text.vi or _plain(text.vi) == plain or not re.search(r"[A-Za-z]{2}", plain):
                continue
            exact = re.compile(re.escape(plain))
            found[plain] = Message(plain, exact, exact, plain, len(re.findall(r"[A-Za-z]+", plain)) >= LONG)
    return tuple(found.values())


def english_on_page(pieces: list[str]) -> list[str]:
    """The interface's English messages found in these pieces of a page's visible text."""
    return sorted({msgid for msgid, _ in english_found(pieces)})


def english_found(pieces: list[str]) -> list[tuple[str, str]]:
    """(message, the text it was found in) for each English message in these pieces of visible text."""
    texts = {re.sub(r"\s+", " ", p).strip() for p in pieces}
    texts.discard("")
    whole = "\n".join(texts)
    hits = []
    for m in (*ui_messages(), *case_messages()):
        if m.clue not in whole:
            continue
        whole_piece = next((t for t in texts if m.clue in t and m.pattern.fullmatch(t)), None)
        inside = m.inner.search(whole) if m.long and whole_piece is None else None
        if whole_piece is not None or inside:
            hits.append((m.msgid, whole_piece if whole_piece is not None else inside.group(0)))
    return sorted(set(hits))


class _Visible(HTMLParser):
    """The visible text of server-rendered HTML, element by element (scripts, styles, templates, hidden
    elements and the document head left out), plus the placeholders of inputs."""

    # <kbd> names a key as its cap prints it ("Home", "End"): a key's name, not interface English.
    SKIP = {"script", "style", "template", "head", "title", "kbd"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[list] = []  # [tag, text pieces, hidden]
        self.pieces: list[str] = []

    def _hidden(self) -> bool:
        return any(frame[2] for frame in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            if tag == "input" and attrs.get("placeholder") and not self._hidden():
                self.pieces.append(attrs["placeholder"])
            return
        hidden = tag in self.SKIP or "hidden" in attrs or attrs.get("aria-hidden") == "true" and tag != "html"
        self.stack.append([tag, [], hidden])

    def handle_endtag(self, tag):
        if tag in self.VOID or not any(frame[0] == tag for frame in self.stack):
            return
        while self.stack:
            frame = self.stack.pop()
            text = "".join(frame[1])
            if not frame[2] and not self._hidden():
                self.pieces.append(text)
            if self.stack:
                self.stack[-1][1].append(text if not frame[2] else "")
            if frame[0] == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1].append(data)
        if not self._hidden():
            self.pieces.append(data)


def visible_pieces(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser.pieces
