"""A seed document as a page: every paragraph numbered ("para N" = the N-th non-empty line, as the
scenario's citations count them) and the cited quote highlighted."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote as urlquote

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from game import selectors
from game.web import queries

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


@dataclass(frozen=True)
class SeedDoc:
    id: str
    title: str
    outlet: str
    date: str
    file: str
    paragraphs: list[tuple[int, SafeString, bool]]  # (para number, html, holds the highlight)
    found: bool  # the quote was found and highlighted


def seed_ref(seed_id: str):
    """The SeedRef of any loaded scenario that names this seed, or None."""
    for record in queries.scenario_records():
        scenario = selectors.scenario_of(record)
        for seed in scenario.seeds:
            if seed.id == seed_id:
                return seed
    return None


def citation_url(seed: str, quote: str | None = None, where: str | None = None) -> str:
    url = f"/seeds/{seed}/"
    params = []
    if quote:
        params.append("q=" + urlquote(quote, safe=""))
    if where:
        params.append("where=" + urlquote(where, safe=""))
    return url + ("?" + "&".join(params) if params else "") + "#quote"


def _fold(text: str) -> str:
    """Loose form for matching: straight quotes and dashes, single spaces (one char per char kept)."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def _find(paragraph: str, quote: str) -> tuple[int, int] | None:
    at = paragraph.find(quote)
    if at >= 0:
        return at, at + len(quote)
    folded, q = _fold(paragraph), _fold(quote)
    at = folded.find(q)
    if at >= 0:
        return at, at + len(q)
    # Last resort: whitespace-insensitive.
    pattern = r"\s+".join(re.escape(part) for part in q.split())
    m = re.search(pattern, folded) if pattern else None
    return (m.start(), m.end()) if m else None


def load(seed_id: str, quote: str | None = None, where: str | None = None) -> SeedDoc | None:
    ref = seed_ref(seed_id)
    if ref is None:
        return None
    path = (SEEDS_DIR / ref.file).resolve()
    if path.parent != SEEDS_DIR.resolve() or not path.is_file():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    para_hint = None
    if where:
        m = re.search(r"(\d+)", where)
        para_hint = int(m.group(1)) if m else None
    paragraphs: list[tuple[int, SafeString, bool]] = []
    found = False
    for n, line in enumerate(lines, start=1):
        span = _find(line, quote) if quote and not found else None
        if span:
            a, b = span
            html = f'{escape(line[:a])}<mark id="quote" tabindex="-1">{escape(line[a:b])}</mark>{escape(line[b:])}'
            paragraphs.append((n, mark_safe(html), True))
            found = True
        else:
            paragraphs.append((n, escape(line), False))
    if quote and not found and para_hint and 1 <= para_hint <= len(paragraphs):
        n, html, _ = paragraphs[para_hint - 1]
        paragraphs[para_hint - 1] = (n, mark_safe(f'<mark id="quote" tabindex="-1">{html}</mark>'), True)
    return SeedDoc(ref.id, ref.title, ref.outlet, str(ref.date), ref.file, paragraphs, found)
