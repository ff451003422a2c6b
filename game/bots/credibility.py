"""The bot's estimate of how credible the other side's position is, read only from the engine's state.

The estimate is a number in [-1, 1] (0: nothing seen either way) built from signals the other side
gave at the table. Each signal counts once, in its context (a card, an issue's option, a round, a
mandate version), so repeating a move never pumps the estimate:

rises with
- a backed concession: an option the other side conceded (better for us than its previous offer)
  that one of its committed deliverables backs; a concession committed to later is re-credited;
- power made visible: each deliverable card it put on the table (shown or committed);
- an endorsed mandate made visible: it articulated an alignment every role had endorsed;
- the right levels engaged: every level a round needs made a table move that round;
- kept word: a committed card whose term the side's later offers all keep;
falls with
- an empty promise: a conceded option one of its cards could back, none of which is committed,
  once one of those cards is possible (its `available_from` round has come): before the act that
  backs a concession could exist, leaving it unbacked breaks no promise;
- a hollow claim: alignment articulated while a role had not endorsed the mandate;
- teammates contradicting each other: two seats' offers that differ, with no answer in between;
- an unplanned recess (no endorsed mandate, or the round's second);
- a reopened item: an issue both sides' offers agreed on, moved by its next offer;
- broken word: a committed card's term left by a later offer.

The conduct facts are the engine's (`TeamState.conduct`): it judges a claim of alignment hollow, or a
recess unplanned, at the moment it is made, which is what the table perceives of a team whose own
people do not carry its claims; the bot never reads the other team's caucus itself.

`estimate(..., upto=seq)` is the estimate as it stood after event `seq`, so the bot can tell
whether its next offer moved because the estimate changed since its previous one.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import MatchState
from game.engine.facts import card_possible
from game.engine.state import Offer
from game.scenario import Scenario
from game.scenario.schema import Persona
from game.engine.words import gettext_noop

# The weight of each kind of signal, and the most that kind may add up to (in either direction).
WEIGHTS: dict[str, tuple[float, float]] = {
    "backed_concession": (0.15, 0.45),
    "card_shown": (0.08, 0.24),
    "aligned": (0.3, 0.3),
    "levels": (0.05, 0.15),
    "kept_word": (0.08, 0.24),
    "empty_promise": (-0.12, -0.48),
    "hollow_claim": (-0.2, -0.4),
    "contradiction": (-0.2, -0.4),
    "unplanned_recess": (-0.1, -0.3),
    "reopened": (-0.1, -0.3),
    "broken_word": (-0.2, -0.4),
}

# Plain words for each kind of signal, as the bot says them to the other side.
PHRASES: dict[str, str] = {
    "backed_concession": gettext_noop("your concessions are backed by commitments"),
    "card_shown": gettext_noop("you have shown what you can deliver"),
    "aligned": gettext_noop("your whole team has endorsed its position"),
    "levels": gettext_noop("the right people have been at the table"),
    "kept_word": gettext_noop("you have kept what you committed to"),
    "empty_promise": gettext_noop("some of your concessions are promises nothing backs yet"),
    "hollow_claim": gettext_noop("your team claimed a unity it did not have"),
    "contradiction": gettext_noop("your team's offers contradicted each other"),
    "unplanned_recess": gettext_noop("your team called a recess it had not planned"),
    "reopened": gettext_noop("you reopened an issue we had agreed on"),
    "broken_word": gettext_noop("a later offer of yours left a term you had committed to"),
}


def credibility_gain(persona: Persona) -> float:
    """Target points a fully credible (or fully divided) other side is worth: the more a persona credits
    the other side's word (its empty_concession_credit), the more the other side's conduct moves it."""
    return 8.0 + 16.0 * persona.empty_concession_credit


@dataclass(frozen=True)
class Signal:
    kind: str
    context: str  # what it is about (a card, an issue, a round): the signal counts once per context
    seq: int  # when it was given


@dataclass(frozen=True)
class Credibility:
    value: float  # in [-1, 1]
    signals: tuple[Signal, ...]

    def kinds(self, positive: bool) -> list[str]:
        """The kinds of signal that raised (or lowered) the estimate, in the order first given."""
        out: list[str] = []
        for s in self.signals:
            if (WEIGHTS[s.kind][0] > 0) == positive and s.kind not in out:
                out.append(s.kind)
        return out


def estimate(scenario: Scenario, state: MatchState, team: str, upto: int | None = None) -> Credibility:
    """`team`'s estimate of the other side's credibility, from what stood after event `upto` (default: now)."""
    return _estimate(scenario, state, team, state.version if upto is None else upto)


def _estimate(scenario: Scenario, state: MatchState, team: str, limit: int) -> Credibility:
    other = scenario.other_team(team)
    ts = state.teams[other]
    sheet = scenario.team(team).points
    signals: dict[tuple[str, str], int] = {}

    def add(kind: str, context: str, seq: int) -> None:
        signals.setdefault((kind, context), seq)

    committed = {card: seq for card, (seq, _) in ts.commitments.items() if seq <= limit}
    backers: dict[tuple[str, str], list[str]] = {}
    for card in scenario.deliverables:
        if card.team == other:
            for back in card.backs:
                for option in back.options:
                    backers.setdefault((back.issue, option), []).append(card.id)

    offers = sorted((o for o in state.offers.values() if o.seq <= limit), key=lambda o: o.seq)
    # The round as it stood after event `limit` (offers mark the rounds before the current one).
    now = state.round if limit >= state.round_seq else max((o.round for o in offers), default=0)
    theirs = [o for o in offers if o.team == other]
    for prev, offer in zip(theirs, theirs[1:]):
        for issue, option in offer.package.items():
            if sheet[issue][option] <= sheet[issue][prev.package[issue]]:
                continue
            cards = backers.get((issue, option), [])
            if any(c in committed for c in cards):
                add("backed_concession", f"{issue}={option}", offer.seq)
            elif any(card_possible(scenario, c, now) for c in cards):
                add("empty_promise", f"{issue}={option}", offer.seq)
    # An empty promise that a commitment now backs is re-credited: it counts as backed instead.
    for (kind, context) in list(signals):
        if kind == "empty_promise":
            issue, option = context.split("=")
            if any(c in committed for c in backers.get((issue, option), [])):
                seq = signals.pop((kind, context))
                add("backed_concession", context, seq)

    for fact, seq in ts.conduct:
        if seq > limit:
            continue
        kind, _, context = fact.partition(":")
        if kind == "shown":
            add("card_shown", context, seq)
        elif kind == "levels":
            add("levels", context, seq)
        elif kind in ("hollow_claim", "unplanned_recess"):
            add(kind, context, seq)
    hollow = {s for f, s in ts.conduct if f.startswith("hollow_claim:")}
    true_claims = [s for s in ts.alignment_seqs if s <= limit and s not in hollow]
    if true_claims:
        add("aligned", "mandate", true_claims[0])

    # Kept or broken word: the term a committed card backs, in every later offer of theirs.
    for card_id, seq in committed.items():
        card = scenario.deliverable(card_id)
        later = [o for o in theirs if o.seq > seq]
        if not later:
            continue
        kept = all(any(o.package[b.issue] in b.options for b in card.backs) for o in later)
        add("kept_word" if kept else "broken_word", card_id, later[-1].seq if kept else next(
            o.seq for o in later if not any(o.package[b.issue] in b.options for b in card.backs)))

    # Reopened items and contradictions, from the order of the offers.
    ours_before: Offer | None = None
    prev_theirs: Offer | None = None
    for offer in offers:
        if offer.team != other:
            ours_before = offer
            continue
        if prev_theirs is not None:
            if ours_before is not None:
                for issue, option in prev_theirs.package.items():
                    if ours_before.package.get(issue) == option and offer.package[issue] != option:
                        add("reopened", issue, offer.seq)
            answered = ours_before is not None and ours_before.seq > prev_theirs.seq
            if offer.by != prev_theirs.by and offer.round == prev_theirs.round and not answered and offer.package != prev_theirs.package:
                add("contradiction", str(offer.round), offer.seq)
        prev_theirs = offer

    totals: dict[str, float] = {}
    for (kind, _context) in signals:
        weight, cap = WEIGHTS[kind]
        totals[kind] = max(cap, totals.get(kind, 0.0) + weight) if weight < 0 else min(cap, totals.get(kind, 0.0) + weight)
    value = max(-1.0, min(1.0, sum(totals.values())))
    ordered = sorted((Signal(k, c, s) for (k, c), s in signals.items()), key=lambda s: (s.seq, s.kind, s.context))
    return Credibility(round(value, 4), tuple(ordered))
