"""The opponent model: what the other side values, learned only from what it has shown at the table.

Frequency analysis of the other side's offers (the "HardHeaded" family of ANAC models):
- an issue the other side rarely changes between consecutive offers is one it cares about (weight);
- an option it offers often is one it likes (value).
Before any offer, the prior is the scenario's option order (options run, roughly, from the first
team's favourite to the second team's), weakly held. Answers to our probes (truthful but partial)
scale the issue weights. The model never reads the other side's points sheet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from game.bots.space import Choice, Space

PRIOR_STRENGTH = 1.0  # pseudo-offers behind the option-order prior
CONSTANCY_GAIN = 2.0  # weight of a never-changed issue relative to an always-changed one, minus 1
PRIOR_NOISE = 0.15  # per-game jitter of the prior, so games with different seeds differ

# What the engine's probe answers say about an issue's weight for the side that answered.
PROBE_HINTS: tuple[tuple[str, float, str], ...] = (
    ("one of our most important issues", 2.0, "one of their most important issues"),
    ("not our first concern", 1.0, "an issue that matters but is not their first concern"),
    ("not where our main interests lie", 0.5, "not where their main interests lie"),
)


def probe_hint(answer: str) -> tuple[float, str] | None:
    for phrase, factor, meaning in PROBE_HINTS:
        if phrase in answer:
            return factor, meaning
    return None


@dataclass(frozen=True)
class OpponentModel:
    weights: tuple[float, ...]  # per issue, summing to 1
    values: tuple[tuple[float, ...], ...]  # per issue per option, best = 1
    offers_seen: int

    def rows(self) -> list[list[float]]:
        """Per issue per option: weight x value, so a package's estimate is the sum over issues."""
        return [[w * v for v in vals] for w, vals in zip(self.weights, self.values)]

    def estimate(self, choice: Choice) -> float:
        return sum(w * vals[k] for w, vals, k in zip(self.weights, self.values, choice))

    def top_issues(self, n: int = 2) -> list[int]:
        return sorted(range(len(self.weights)), key=lambda i: (-self.weights[i], i))[:n]


def option_rank(space: Space, other: str, i: int, k: int) -> float:
    """Where option k of issue i stands for `other` by the scenario's option order (0 worst, 1 best):
    options run from the first team's favourite to the second team's."""
    m = len(space.options[i])
    return (m - 1 - k) / (m - 1) if space.teams.index(other) == 0 else k / (m - 1)


def learn(space: Space, other: str, offers: Sequence[Choice], hints: dict[int, float], seed: int) -> OpponentModel:
    """Fit the model to the other side's offers (oldest first) and our probe answers (issue -> factor).
    `seed` jitters the prior (stable per game and team). Memoised on its exact inputs."""
    key = ("model", other, tuple(offers), tuple(sorted(hints.items())), seed)
    return space.memo(key, lambda: _learn(space, other, offers, hints, random.Random(seed)))


def _learn(space: Space, other: str, offers: Sequence[Choice], hints: dict[int, float], rng: random.Random) -> OpponentModel:
    n_issues = len(space.issues)
    values: list[tuple[float, ...]] = []
    for i, opts in enumerate(space.options):
        m = len(opts)
        counts = [0.0] * m
        for offer in offers:
            counts[offer[i]] += 1.0
        raw = []
        for k in range(m):
            rank = option_rank(space, other, i, k)
            prior = min(1.0, max(0.0, rank + rng.uniform(-PRIOR_NOISE, PRIOR_NOISE)))
            raw.append(counts[k] + PRIOR_STRENGTH * prior)
        top = max(raw) or 1.0
        values.append(tuple(r / top for r in raw))
    pairs = max(0, len(offers) - 1)
    weights = []
    for i in range(n_issues):
        unchanged = sum(1 for a, b in zip(offers, offers[1:]) if a[i] == b[i])
        w = 1.0 + (CONSTANCY_GAIN * unchanged / pairs if pairs else 0.0)
        weights.append(w * hints.get(i, 1.0))
    total = sum(weights)
    return OpponentModel(tuple(w / total for w in weights), tuple(values), len(offers))
