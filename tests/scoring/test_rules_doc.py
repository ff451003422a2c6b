"""The rubric a trainer reads (docs/scoring.md) and the rule table the code uses cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scoring import DEFAULT_WEIGHTS, DIMENSIONS, RULES, score_match
from game.scoring.rules import DEBIT_WEIGHT, HALF_CREDIT, INJECT_WINDOW_TURNS, MARKS, REDBEAR, rules_markdown
from tests.scoring import games

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scoring.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    """First cell -> cells, for every markdown table row whose first cell is a `code` id."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\|\s*`([a-z_.]+)`\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    return rows


def test_every_rule_is_in_the_doc_with_its_dimension_points_and_mark(doc):
    rows = table_rows(doc)
    for rule in RULES:
        assert rule.id in rows, f"{rule.id} is missing from docs/scoring.md"
        dimension, points, mark = rows[rule.id][:3]
        assert (dimension, points, mark) == (rule.dimension, f"{rule.points:+d}", rule.mark), rule.id
        assert rule.citation.quote in rows[rule.id][-1], f"{rule.id}: the doc cites another passage"
    stale = {r for r in rows if "." in r} - {r.id for r in RULES}
    assert not stale, f"docs/scoring.md lists rules the code does not have: {sorted(stale)}"


def test_the_doc_contains_the_generated_rule_table(doc):
    assert rules_markdown() in doc, "paste game.scoring.rules.rules_markdown() into docs/scoring.md"


def test_dimension_weights_and_leaderboard_weights_match(doc):
    for d in DIMENSIONS:
        weight = f"{d.weight:.2f}" if d.id != "backpedal" else "penalty"
        assert re.search(rf"^\| {d.id} \| {re.escape(d.title)} \| {weight} \|", doc, re.M), d.id
    o, j, a = (DEFAULT_WEIGHTS[k] for k in ("outcome", "joint", "alignment"))
    assert f"{o:.2f} × outcome + {j:.2f} × joint + {a:.2f} × alignment" in doc
    assert f"100 × credit / (credit + {HALF_CREDIT}) − {DEBIT_WEIGHT} × debit" in doc
    assert f"next {INJECT_WINDOW_TURNS} turns" in doc
    for mark, word in MARKS.items():
        assert f"`{mark}` {word}" in doc


def test_the_worked_example_is_what_the_code_computes(doc, tiny):
    aligned = score_match(tiny, games.tiny_aligned(tiny).events)
    divided = score_match(tiny, games.tiny_divided(tiny).events)
    assert f"**{aligned.alignment['blue'].index}**" in doc
    assert f"**{aligned.leaderboard['blue'].score}**" in doc
    assert f"**{divided.alignment['blue'].index}**" in doc
    assert f"**{divided.leaderboard['blue'].score}**" in doc
    assert f"backpedal penalty 8 + 5 + 8 + 6 + 8 + 8 = {divided.alignment['blue'].backpedal_penalty}" in doc
    for score in (aligned, divided):
        for a in score.annotations:
            if a.team == "blue":
                delta = f"{a.delta:+d}".replace("-", "−")
                effect = f"{a.effect:+.1f}".replace("-", "−")
                row = rf"\| {a.seq} \| [^|]+ \| [^|]+ \| `{re.escape(a.rule)}` \| {re.escape(delta)} \| {re.escape(a.mark)} \| {re.escape(effect)} \|"
                assert re.search(row, doc), f"worked example row for {a.rule} at seq {a.seq} is out of date"


def _seed_text() -> str | None:
    readme = ROOT / "seeds" / "README.md"
    if not readme.exists():
        return None
    m = re.search(rf"^\| `{REDBEAR}` \| `([^`]+)`", readme.read_text(encoding="utf-8"), re.M)
    if not m:
        return None
    return (ROOT / "seeds" / m.group(1)).read_text(encoding="utf-8")


def test_every_quoted_principle_is_verbatim_in_the_seed():
    text = _seed_text()
    if text is None:
        pytest.skip(f"seeds/README.md does not list {REDBEAR} yet")
    for quote in {r.citation.quote for r in RULES} | {d.citation.quote for d in DIMENSIONS}:
        assert quote in text, f"not verbatim in the seed: {quote!r}"
    assert {r.citation.seed for r in RULES} == {REDBEAR}
