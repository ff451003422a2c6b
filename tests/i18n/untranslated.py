"""Finds English interface text on a page that should be in Vietnamese.

The interface's English is the message ids of the Vietnamese catalogues (locale/vi/LC_MESSAGES/
django.po and djangojs.po). A message whose translation is its own id (a name such as "BATNA") is
not English to find. A page's visible text comes as a list of pieces (each element's text, each line);
a short message counts only when it is a whole piece, so the scenario's English prose (briefs, role
titles, which stay English for now) never matches a button label such as "Table"; a message of four
words or more also counts inside a longer piece.
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
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s|%d")
LONG = 4  # words


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
    parts = PLACEHOLDER.split(plain)
    regex = r".+?".join(re.escape(p) for p in parts)
    inside = list(parts)
    while inside and not inside[0].strip():
        inside.pop(0)
    while inside and not inside[-1].strip():
        inside.pop()
    inside[0], inside[-1] = inside[0].lstrip(), inside[-1].rstrip()
    inner = r".+?".join(re.escape(p) for p in inside)
    words = len(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", plain)))
    return Message(msgid, re.compile(regex), re.compile(inner), max(parts, key=len).strip(), words >= LONG)


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


def english_on_page(pieces: list[str]) -> list[str]:
    """The interface's English messages found in these pieces of a page's visible text."""
    texts = {re.sub(r"\s+", " ", p).strip() for p in pieces}
    texts.discard("")
    whole = "\n".join(texts)
    hits = []
    for m in ui_messages():
        if m.clue not in whole:
            continue
        if any(m.pattern.fullmatch(t) for t in texts if m.clue in t) or (m.long and m.inner.search(whole)):
            hits.append(m.msgid)
    return sorted(set(hits))


class _Visible(HTMLParser):
    """The visible text of server-rendered HTML, element by element (scripts, styles, templates, hidden
    elements and the document head left out), plus the placeholders of inputs."""

    SKIP = {"script", "style", "template", "head", "title"}
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
