"""The negotiation core (the ANAC "BOA" split), plus what makes this bot a trainer in alignment.

- Bidding: a time-dependent concession target T(t) = R + (Umax - R)(1 - t^(1/e)), where t is the
  fraction of the game's table exchanges used so far and R = BATNA + the persona's reservation
  margin; among the packages worth at least the target, the one the opponent model rates highest
  (logrolling, not splitting the difference). The bot never retreats: its next offer is never
  worth more to it than its last one and never takes back a concession on any issue, so toughening
  slows or freezes its concessions rather than reversing them (a retreat would be a backpedal of
  its own). In the second half of the talks every round moves our offer at least by the smallest
  concession that changes a term (never below the reservation), so a firm persona is firm, not frozen.
- Opponent model: game.bots.model (frequencies of the other side's offers, plus probe answers).
- Acceptance: an offer is accepted when it meets what we last asked for, when it is worth at least
  our own next offer (we never offer less than what is on the table), when its *credited* value is at
  least as good as our own next offer (and the current target), or, in the last exchanges of the
  game, when it is worth more than the BATNA. Never below the BATNA, never outside the team's
  mandate or a bot role's red line.
- We sign terms we can back: while one of our cards that backs a term of a package is being prepared
  (ready in a round that still has a table), the talks are not closing and the other side has not
  backpedalled, we do not move our offer into that package, and we take it only if it meets our own
  next offer or comes within a credible side's trust margin of it (see `awaited_card`).
- Credibility: game.bots.credibility estimates how credible the other side is; the estimate shifts
  the target and lengthens or shortens the concession step, so it moves our offers. Before the talks
  close it also moves acceptance: a doubted side must beat what we asked by what its credibility
  costs it, and a credible side's offer within a quarter of a concession step of our next offer closes.
- Alignment: a concession by the other side (since its previous offer) counts in full if a
  deliverable they committed backs it, halfway between full and the persona's credit if they only
  showed it, and at the persona's empty_concession_credit otherwise. An offer worse for us than one
  they made before (a backpedal) raises the target by backpedal_penalty for backpedal_memory
  exchanges, once a round. Injects shift the target
  by Inject.stance_shift[team], in full in the round they land and halving every round after.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from game.bots.credibility import PHRASES, Credibility, credibility_gain, estimate
from game.bots.model import OpponentModel, learn, option_rank, probe_hint
from game.bots.seen import Seen
from game.bots.space import Bid, Choice, Space, best_bid, space_of
from game.engine import MatchState
from game.engine.state import Offer
from game.engine.words import Local, Text, and_list, chained, gettext_noop, paragraph, sentence
from game.scenario import IDEAL_POINTS, PHASE_ORDER, Scenario
from game.scenario.schema import Persona

DEADLINE_EXCHANGES = 2  # "the last exchanges of the last round": this many or fewer left
MAX_STEP = 12  # the most points one of our offers concedes below our previous one (e >= 1, before CREDIBLE_STEP)
CREDIBLE_STEP = 0.5  # that step is longer by this fraction for a fully credible other side (shorter for a divided one)
PACE_FROM = 0.5  # from this share of the game's exchanges on, every round moves our offer (see Mind._goal)
CLOSING_EXCHANGES = 4  # the talks are closing: this many or fewer exchanges left in the last round
TABLE_INDEX = PHASE_ORDER.index("table")


def stable_seed(*parts: object) -> int:
    """A seed that is the same in every process (unlike hash() of a str, which is salted)."""
    return zlib.crc32(":".join(str(p) for p in parts).encode("utf-8"))


def rng_for(*parts: object) -> random.Random:
    return random.Random(stable_seed(*parts))


# --- time ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    used: int  # table exchanges of the whole game used so far
    total: int  # table exchanges of the whole game
    round_left: int  # exchanges left in this round's table
    last_table_round: bool

    @property
    def t(self) -> float:
        return min(1.0, self.used / self.total) if self.total else 1.0

    @property
    def deadline(self) -> bool:
        return self.last_table_round and self.round_left <= DEADLINE_EXCHANGES

    @property
    def closing(self) -> bool:
        """The second half of the last round's exchanges: an offer that beats our reservation may not come again."""
        return self.last_table_round and self.round_left <= CLOSING_EXCHANGES

    @property
    def final_exchange(self) -> bool:
        return self.last_table_round and self.round_left <= 1


def game_clock(scenario: Scenario, state: MatchState) -> Clock:
    used = total = 0
    table_rounds = [r.index for r in scenario.rounds if "table" in r.phases]
    round_left = 0
    for rnd in scenario.rounds:
        if "table" not in rnd.phases:
            continue
        if rnd.index < state.round:
            used += rnd.exchange_limit
            total += rnd.exchange_limit
        elif rnd.index == state.round:
            limit = state.exchange_limit or rnd.exchange_limit
            past_table = state.phase in PHASE_ORDER and PHASE_ORDER.index(state.phase) > TABLE_INDEX  # type: ignore[arg-type]
            done = limit if past_table else min(limit, state.exchanges_used)
            used += done
            total += limit
            round_left = limit - done
        else:
            total += rnd.exchange_limit
    last = bool(table_rounds) and state.round == table_rounds[-1]
    return Clock(used, total, round_left, last)


def concession_target(reservation: float, t: float, e: float, top: float = IDEAL_POINTS) -> float:
    """T(t) = R + (Umax - R)(1 - t^(1/e)): e < 1 holds firm, e > 1 concedes early."""
    t = min(1.0, max(0.0, t))
    return reservation + (top - reservation) * (1.0 - t ** (1.0 / e))


# --- plain-language helpers -----------------------------------------------------------------------
def label(scenario: Scenario, issue: str, option: str) -> Local:
    """An option's label as the case names it, a sentence's value (said in the reader's language)."""
    return space_of(scenario).labels[(issue, option)]


def title(scenario: Scenario, issue: str) -> Local:
    """An issue's title as the case names it, a sentence's value (said in the reader's language)."""
    return space_of(scenario).titles[issue]


def target_line(target: Target) -> Text:
    """Our target and the terms it is made of (the figures behind an offer)."""
    return sentence(gettext_noop("Target %(value)s [%(parts)s]."), value=f"{target.value:.0f}", parts=chained(target.parts, gettext_noop("%(first)s; %(next)s")))


@dataclass(frozen=True)
class Target:
    value: float
    base: float
    shift: float
    penalty: float
    parts: tuple[str | Text, ...]  # the formula as written, then each shift of the target as a sentence


@dataclass(frozen=True)
class Credit:
    face: int
    credited: float
    backed: tuple[Text, ...]  # "Issue (backed by Card)"
    discounted: tuple[Local, ...]  # issue titles of empty concessions


@dataclass(frozen=True)
class Backpedal:
    offer: Offer  # their offer that was worse for us
    earlier: Offer  # their earlier offer that was better for us
    loss: int  # points on our sheet


@dataclass(frozen=True)
class Chance:
    """Their offer above our reservation and inside our lines, kept with every concession of our last offer."""

    id: str  # their offer's id
    package: dict[str, str]  # the package we may put back


@dataclass(frozen=True)
class Window:
    inject: str
    title: Local  # the inject's title, a sentence's value
    expects: str
    turns_used: int
    stated: bool  # we made a statement since it landed
    proposed: bool  # we proposed a package since it landed


@dataclass(frozen=True)
class Verdict:
    accept: bool
    credit: Credit
    why: Text  # with the figures
    plain: Text  # the same reason, as a trainee would say it


class Mind:
    """One team's reasoning at one moment. Cheap to build; every figure is computed on first use."""

    def __init__(
        self,
        scenario: Scenario,
        state: MatchState,
        team: str,
        persona: Persona,
        seed: int,
        bot_roles: Iterable[str] | None = None,
    ):
        self.scenario = scenario
        self.state = state
        self.team = team
        self.other = scenario.other_team(team)
        self.persona = persona
        self.seed = seed
        self.space: Space = space_of(scenario)
        self.sheet = self.space.points[team]
        self.batna = scenario.team(team).batna
        self.reservation = min(IDEAL_POINTS, self.batna + persona.reservation_margin)
        self.roles = [r for r in scenario.roles_of(team) if bot_roles is None or r.id in set(bot_roles)]
        self.seen = Seen(scenario, state, team)
        offers = sorted(state.offers.values(), key=lambda o: o.seq)
        self.their_offers = [o for o in offers if o.team == self.other]
        self.our_offers = [o for o in offers if o.team == team]
        self.clock = game_clock(scenario, state)
        self._choices: dict[int, tuple[dict[str, str], Choice]] = {}

    # --- what binds us: the mandate and our (bot) roles' red lines -------------------------------
    @cached_property
    def floors(self) -> list[tuple[int, Text | str]]:
        """Per issue, the least points an option may give us, and why (empty when nothing binds)."""
        floors: list[tuple[int, Text | str]] = [(0, "")] * len(self.space.issues)
        index = {issue: i for i, issue in enumerate(self.space.issues)}

        def bind(issue: str, option: str, why: Text) -> None:
            i = index[issue]
            points = self.sheet[i][self.space.options[i].index(option)]
            if points > floors[i][0]:
                floors[i] = (points, why)

        for role in self.roles:
            for line in role.red_lines:
                bind(line.issue, line.worst_acceptable, sentence(gettext_noop("%(role)s's red line (%(option)s)"), role=role.title, option=label(self.scenario, line.issue, line.worst_acceptable)))
        mandate = self.state.teams[self.team].mandate
        if mandate is not None:
            for issue, line in mandate.issues.items():
                if issue in index:
                    bind(issue, line["walkaway"], sentence(gettext_noop("our mandate's walk-away (%(option)s)"), option=label(self.scenario, issue, line["walkaway"])))
        return floors

    @cached_property
    def allowed(self) -> list[list[int]]:
        """Per issue, the options inside our lines (mandate, red lines), best for us first."""
        out = []
        for i, row in enumerate(self.sheet):
            floor = self.floors[i][0]
            out.append(sorted((k for k in range(len(row)) if row[k] >= floor), key=lambda k: (-row[k], k)))
        return out

    @cached_property
    def bid_options(self) -> list[list[int]]:
        """What we may offer next, per issue. On top of our lines:
        - never take a concession back: no option better for us than the one in our last offer;
        - move an issue only toward the other side: to an option the scenario's option order rates
          better for them than the one in our last offer (a move that hurts them is a retreat from
          their point of view, and on an issue both sides rank alike it makes the package worse for
          both); on an issue whose options our own sheet does not rank in the scenario's order, that
          order says nothing about them either, so we hold it;
        - never reopen an issue both standing offers already agree on;
        - prefer not to concede to an option one of our deliverables could back until it is prepared
          (an empty promise); dropped if that leaves no package at the goal (see `bid`)."""
        last = self.choice_of(self.our_offers[-1].package) if self.our_offers else None
        agreed = self.state.agreed
        out = []
        for i, options in enumerate(self.allowed):
            row = self.sheet[i]
            opts = options
            if last is not None:
                capped = [k for k in opts if row[k] <= row[last[i]]]
                j = last[i]
                ours_in_order = all(option_rank(self.space, self.team, i, a) <= option_rank(self.space, self.team, i, b) or row[a] >= row[b]
                                    for a in range(len(row)) for b in range(len(row)))
                toward = [
                    k for k in capped
                    if k == j or (
                        ours_in_order
                        and option_rank(self.space, self.other, i, k) > option_rank(self.space, self.other, i, j)
                    )
                ]
                opts = toward or capped or opts
            issue = self.space.issues[i]
            if issue in agreed:
                k = self.space.options[i].index(agreed[issue])
                if k in opts:
                    opts = [k]
            out.append(opts)
        return out

    @cached_property
    def unready_backing(self) -> set[tuple[int, int]]:
        """(issue, option) pairs one of our deliverables could back, none of which is prepared yet."""
        ready: set[tuple[str, str]] = set()
        backable: set[tuple[str, str]] = set()
        for card in self.scenario.deliverables:
            if card.team != self.team:
                continue
            status = self.state.teams[self.team].deliverables[card.id].status
            for back in card.backs:
                for option in back.options:
                    backable.add((back.issue, option))
                    if status in ("prepared", "committed"):
                        ready.add((back.issue, option))
        out = set()
        for issue, option in backable - ready:
            i = self.space.issues.index(issue)
            out.add((i, self.space.options[i].index(option)))
        return out

    @cached_property
    def cards_in_preparation(self) -> list[tuple[Local, int, frozenset[tuple[int, int]]]]:
        """Our cards being prepared that will be ready in a round that still has a table: each one's
        title, the round it is ready in, and the (issue, option) pairs it backs."""
        last_table = max((r.index for r in self.scenario.rounds if "table" in r.phases), default=-1)
        out = []
        for card in self.scenario.deliverables:
            if card.team != self.team:
                continue
            held = self.state.teams[self.team].deliverables[card.id]
            if held.status != "in_preparation" or held.ready_round is None or not self.state.round < held.ready_round <= last_table:
                continue
            pairs = set()
            for back in card.backs:
                i = self.space.issues.index(back.issue)
                pairs.update((i, self.space.options[i].index(option)) for option in back.options)
            out.append((card.title, held.ready_round, frozenset(pairs)))
        return out

    def awaited_card(self, choice: Choice) -> tuple[Local, int] | None:
        """One of our cards that backs a term of `choice` and is being prepared, ready in a round that
        still has a table (its title and that round), while the talks are not closing; else None.
        We sign terms we can back: until that card is ready we neither concede into such a package nor
        close on one below what we ask ourselves, so that the deal waits for the card rather than leave
        a term we could only promise (the lesson we hold the other side to). Waiting pays only while
        the other side's offers can be relied on to be there when the card is: a side that has taken
        back part of an offer (a backpedal) may not offer as much again, so we do not wait on it."""
        if self.clock.closing or self.backpedals:
            return None
        for name, ready, pairs in self.cards_in_preparation:
            if any((i, k) in pairs for i, k in enumerate(choice)):
                return name, ready
        return None

    def breaches(self, choice: Choice) -> list[tuple[Local, Text]]:
        """The issues where `choice` crosses a line we hold: (its title, why it crosses it)."""
        out = []
        for i, k in enumerate(choice):
            floor, why = self.floors[i]
            if self.sheet[i][k] < floor:
                name = title(self.scenario, self.space.issues[i])
                out.append((name, sentence(gettext_noop("%(issue)s: beyond %(line)s"), issue=name, line=why)))
        return out

    # --- the other side ---------------------------------------------------------------------------
    @cached_property
    def model(self) -> OpponentModel:
        hints: dict[int, float] = {}
        for issue, answer in self.seen.answers.items():
            hint = probe_hint(answer)
            if hint and issue in self.space.issues:
                hints[self.space.issues.index(issue)] = hint[0]
        offers = [self.choice_of(o.package) for o in self.their_offers]
        self._model_key = (self.other, tuple(offers), tuple(sorted(hints.items())), self.seed)
        return learn(self.space, self.other, offers, hints, stable_seed(self.seed, "model", self.team))

    @cached_property
    def backpedals(self) -> list[Backpedal]:
        """Their offers that take back part of an earlier one of theirs and give nothing for it: worse for
        us in total, and on no issue better for us, than that earlier offer. An offer worse in total but
        better for us on some issue trades one issue for another (a side exploring the space or
        logrolling), not a retreat: the credit we give it already weighs what it costs us."""
        choices = tuple(self.choice_of(o.package) for o in self.their_offers)
        out = []
        for n, offer in enumerate(self.their_offers):
            found = self.space.memo(("retreat", self.team, choices[: n + 1]), lambda n=n: self._retreat(choices[: n + 1]))
            if found is not None:
                earlier, loss = found
                out.append(Backpedal(offer, self.their_offers[earlier], loss))
        return out

    def _retreat(self, choices: tuple[Choice, ...]) -> tuple[int, int] | None:
        """(index, loss) of the earlier choice the last one retreats from most (the first such if tied), or None."""
        sheet = self.sheet
        last = choices[-1]
        value = self.space.value(self.team, last)
        found: tuple[int, int] | None = None
        for n, earlier in enumerate(choices[:-1]):
            loss = self.space.value(self.team, earlier) - value
            if loss > 0 and (found is None or loss > found[1]) and all(sheet[i][k] <= sheet[i][j] for i, (k, j) in enumerate(zip(last, earlier))):
                found = (n, loss)
        return found

    @cached_property
    def active_backpedal(self) -> Backpedal | None:
        """The first backpedal of the round of their latest one, while we remember it: backpedals toughen
        us once a round, so an erratic opponent is not punished on every offer."""
        if not self.backpedals:
            return None
        latest = self.backpedals[-1].offer.round
        first = next(bp for bp in self.backpedals if bp.offer.round == latest)
        if self.seen.exchanges_since(first.offer.seq) < self.persona.backpedal_memory:
            return first
        return None

    @cached_property
    def unanswered_backpedal(self) -> Backpedal | None:
        """Their latest backpedal, if we have not had the floor since they made it."""
        if self.backpedals and self.backpedals[-1].offer.seq > self.seen.last_floor_move():
            return self.backpedals[-1]
        return None

    def value(self, package: dict[str, str]) -> int:
        return self.space.value(self.team, self.choice_of(package))

    def choice_of(self, package: dict[str, str]) -> Choice:
        key = id(package)
        hit = self._choices.get(key)
        if hit is None or hit[0] is not package:
            hit = self._choices[key] = (package, self.space.choice(package))
        return hit[1]

    def backing(self) -> dict[tuple[str, str], tuple[float, str]]:
        """(issue, option) -> (credit factor, card title) for what the other side has committed or shown."""
        credit = self.persona.empty_concession_credit
        out: dict[tuple[str, str], tuple[float, str]] = {}
        for card in self.scenario.deliverables:
            if card.team != self.other:
                continue
            ds = self.state.teams[self.other].deliverables.get(card.id)
            if ds is None:
                continue
            if ds.status == "committed":
                factor = 1.0
            elif ds.shown:
                factor = (1.0 + credit) / 2
            else:
                continue  # not on the table: we do not know about it
            for back in card.backs:
                for option in back.options:
                    if out.get((back.issue, option), (0.0, ""))[0] < factor:
                        out[(back.issue, option)] = (factor, card.title)
        return out

    def credit(self, offer: Offer) -> Credit:
        """Their offer's value to us, with their concessions since their previous offer credited or discounted."""
        choice = self.space.choice(offer.package)
        # Measured against what was on the table before: their previous offer (their first is taken at face value).
        before = [o for o in self.their_offers if o.seq < offer.seq]
        anchor = self.space.choice(before[-1].package) if before else choice
        backing = self.backing()
        empty = self.persona.empty_concession_credit
        credited = float(self.space.value(self.team, anchor))
        backed, discounted = [], []
        for i, (k, a) in enumerate(zip(choice, anchor)):
            delta = self.sheet[i][k] - self.sheet[i][a]
            if delta <= 0:
                credited += delta
                continue
            issue = self.space.issues[i]
            factor, card = backing.get((issue, self.space.options[i][k]), (empty, ""))
            credited += factor * delta
            name = title(self.scenario, issue)
            if factor >= 1.0:
                backed.append(sentence(gettext_noop("%(issue)s (backed by %(card)s)"), issue=name, card=card))
            elif card:
                backed.append(sentence(gettext_noop("%(issue)s (shown, not committed: %(card)s)"), issue=name, card=card))
            else:
                discounted.append(name)
        return Credit(self.space.value(self.team, choice), credited, tuple(backed), tuple(discounted))

    # --- our side ----------------------------------------------------------------------------------
    @cached_property
    def credibility(self) -> Credibility:
        """Our estimate of the other side's credibility now (game.bots.credibility)."""
        return estimate(self.scenario, self.state, self.team)

    @cached_property
    def credibility_reason(self) -> Text | str:
        """Why we find them credible, in the words we say it to them."""
        return and_list(sentence(PHRASES[k]) for k in self.credibility.kinds(True)) or sentence(gettext_noop("nothing you did undercut your word"))

    @cached_property
    def doubt_reason(self) -> Text | str:
        """Why we doubt their word, in the words we say it to them."""
        return and_list(sentence(PHRASES[k]) for k in self.credibility.kinds(False)) or sentence(gettext_noop("your side has given us little to go on"))

    @cached_property
    def credibility_before(self) -> Credibility | None:
        """The estimate as it stood when we made our last offer (None before our first)."""
        if not self.our_offers:
            return None
        return estimate(self.scenario, self.state, self.team, self.our_offers[-1].seq)

    @cached_property
    def target(self) -> Target:
        return self._target(self.credibility.value)

    def _target(self, credibility: float) -> Target:
        p = self.persona
        base = concession_target(self.reservation, self.clock.t, p.concession)
        parts: list[str | Text] = [
            f"t={self.clock.t:.2f} ({self.clock.used}/{self.clock.total} exchanges used), "
            f"e={p.concession:g}, R={self.reservation} (BATNA {self.batna} + margin {p.reservation_margin}): T(t)={base:.0f}"
        ]
        shift = 0.0
        for inject_id, rnd, _seq in self.seen.injects:
            inj = next((x for x in self.scenario.injects if x.id == inject_id), None)
            s = inj.stance_shift.get(self.team, 0) if inj else 0
            if s:
                effect = s * 0.5 ** max(0, self.state.round - rnd)
                shift += effect
                parts.append(sentence(gettext_noop("%(effect)s for '%(inject)s'"), effect=f"{effect:+.1f}", inject=inj.title))
        # A credible side gets a lower target from us (a better deal), a divided one a higher.
        trust = -credibility_gain(p) * credibility
        if trust:
            shift += trust
            parts.append(sentence(gettext_noop("%(shift)s for their credibility (%(credibility)s)"), shift=f"{trust:+.1f}", credibility=f"{credibility:+.2f}"))
        penalty = 0.0
        bp = self.active_backpedal
        if bp is not None:
            penalty = float(p.backpedal_penalty)
            parts.append(sentence(gettext_noop("+%(penalty)s for their backpedal in %(offer)s"), penalty=p.backpedal_penalty, offer=bp.offer.id))
        value = min(float(IDEAL_POINTS), max(float(self.reservation), base + shift + penalty))
        return Target(value, base, shift, penalty, tuple(parts))

    @cached_property
    def best_chance(self) -> Chance | None:
        """Their offer most worth to us that beats our reservation and crosses none of our lines, kept
        with every concession of our last offer (None if none does). On each issue the package takes
        the option the scenario's option order rates better for them, theirs or ours, and keeps ours
        on an issue whose options our sheet does not rank in that order (see `bid_options`): so it is
        at least as good for them as what they offered, and putting it on the table takes back nothing
        we conceded. It must still beat our reservation and cross none of our lines."""
        last = self.choice_of(self.our_offers[-1].package) if self.our_offers else None
        fits = []
        for o in self.their_offers:
            choice = self.choice_of(o.package)
            if self.value(o.package) < self.reservation or self.breaches(choice):
                continue
            if last is not None:
                choice = tuple(self._kinder(i, k, j) for i, (k, j) in enumerate(zip(choice, last)))
                if self.space.value(self.team, choice) < self.reservation or self.breaches(choice):
                    continue
            fits.append((self.space.value(self.team, choice), o.seq, Chance(o.id, self.space.package(choice))))
        return max(fits, key=lambda f: f[:2], default=(None,))[-1]

    def _kinder(self, i: int, theirs: int, ours: int) -> int:
        """Of their option and ours on issue i, the one the option order rates better for them (ours
        where our sheet does not rank the issue's options in that order)."""
        row = self.sheet[i]
        in_order = all(option_rank(self.space, self.team, i, a) <= option_rank(self.space, self.team, i, b) or row[a] >= row[b]
                       for a in range(len(row)) for b in range(len(row)))
        if not in_order:
            return ours
        return theirs if option_rank(self.space, self.other, i, theirs) > option_rank(self.space, self.other, i, ours) else ours

    def best_earlier_this_round(self, offer: Offer) -> int:
        """The most any of their offers before `offer` in this round is worth to us (0 if none)."""
        return max((self.value(o.package) for o in self.their_offers if o.round == self.state.round and o.seq < offer.seq), default=0)

    @cached_property
    def last_own_value(self) -> int | None:
        return self.value(self.our_offers[-1].package) if self.our_offers else None

    @cached_property
    def goal(self) -> float:
        return self._goal(self.target.value, self.credibility.value)

    @cached_property
    def round_start_value(self) -> int | None:
        """What our standing offer was worth to us when this round's table opened (None before our first offer)."""
        before = [o for o in self.our_offers if o.round < self.state.round]
        return self.value(before[-1].package) if before else None

    def _goal(self, target: float, credibility: float) -> float:
        """The target, but never above our own last offer (toughening freezes concessions, never reverses
        them); in the second half of the talks, below our standing offer until this round has brought
        us one step below where it opened (we keep moving)."""
        goal = target
        if self.last_own_value is None:
            return goal
        goal = min(goal, self.last_own_value)
        if self._pace_due(goal, credibility):
            # In the second half of the talks every round moves our offer, whatever the target says:
            # until this round has brought us one step (the persona's, by their credibility) below
            # where it opened, each offer makes at least the smallest concession that changes a term.
            # A side that stands still for whole rounds tells the other that waiting gains nothing,
            # and an opponent that can only take or leave what stands never sees an offer it can
            # take. Never below our reservation. (When no package just below the goal changes a
            # term, `_bid_for` finds the one that does with the least extra.)
            return max(float(self.reservation), goal - 0.5)
        stepped = self.last_own_value - self._step(credibility)
        if stepped > goal:
            # One offer gives away at most one step, when a package within that step moves at all: a
            # steep end of the concession curve would otherwise hand a reciprocating opponent far
            # more than it waits for.
            last = self.choice_of(self.our_offers[-1].package)
            bid = self._best(self.bid_options, stepped)
            if bid is not None and bid.choice != last:
                goal = stepped
            else:
                # No package within the step moves: the smallest concession that does, never the
                # whole way down to the target in one offer (a firm persona's target falls fast
                # late in the game, and one such jump hands the other side far more than it asked).
                goal = self._smallest_move(goal, stepped, last)
        return goal

    def _pace_due(self, goal: float, credibility: float) -> bool:
        """Whether, in the second half of the talks, this round has not yet brought our offers one step
        below where it opened and `goal` (the target, capped by our last offer) would not do it either."""
        opened = self.round_start_value
        return self.clock.t >= PACE_FROM and opened is not None and opened - self._step(credibility) < goal

    def _step(self, credibility: float) -> float:
        """The most one offer concedes below our last one. A firm persona (e < 1) concedes in steps
        shorter by its exponent: its target falls fast late in the game, and long steps then would
        overshoot what a reciprocating opponent waits for and run through a coin-flipping one's range
        in a few offers. A credible side is met with longer steps, a divided one with shorter."""
        return MAX_STEP * min(1.0, self.persona.concession) * (1.0 + CREDIBLE_STEP * credibility)

    def _smallest_move(self, floor: float, ceiling: float, last: Choice) -> float:
        """The highest goal between `floor` and `ceiling` at which our bid differs from `last` (`floor`
        if none does). Lowering the goal only adds packages, so a package rated above `last` stays within
        reach once it is: a bisection over whole points finds the highest goal that moves."""

        def moves(goal: int) -> bool:
            bid = self._best(self.bid_options, goal)
            return bid is not None and bid.choice != last

        low, high = int(-(-floor // 1)), int(ceiling)
        if low > high or not moves(low):
            return floor
        while low < high:
            mid = (low + high + 1) // 2
            if moves(mid):
                low = mid
            else:
                high = mid - 1
        return float(low)

    def _best(self, options: list[list[int]], goal: float) -> Bid | None:
        self.model  # noqa: B018 (sets _model_key)
        last = self.choice_of(self.our_offers[-1].package) if self.our_offers else None
        key = ("bid", self.team, self._model_key, self.clock.deadline, tuple(map(tuple, options)), goal, frozenset(self.unready_backing), last)
        return self.space.memo(key, lambda: self._best_uncached(options, goal))

    def _best_uncached(self, options: list[list[int]], goal: float) -> Bid | None:
        rows = self.model_rows
        last = self.choice_of(self.our_offers[-1].package) if self.our_offers else None
        unready = self.unready_backing
        if unready:
            careful = [
                [
                    k for k in opts
                    if (i, k) not in unready or self.sheet[i][k] >= max(self.sheet[i]) or (last is not None and k == last[i])
                ] or opts
                for i, opts in enumerate(options)
            ]
            bid = best_bid(self.sheet, rows, careful, goal)
            if bid is not None:
                return bid
        return best_bid(self.sheet, rows, options, goal)

    @cached_property
    def model_rows(self) -> list[list[float]]:
        """What we estimate each option is worth to them. At the deadline the scenario's option order
        (weighted by what we read they care about) decides, not our reading of their favourite options:
        the last offer that can still be answered concedes as far toward them as our goal allows."""
        if self.clock.deadline:
            return [[w * option_rank(self.space, self.other, i, k) for k in range(len(opts))]
                    for i, (w, opts) in enumerate(zip(self.model.weights, self.space.options))]
        return self.model.rows()

    @cached_property
    def bid(self) -> Bid:
        return self._bid_for(self.moving_bid, self.target.value, self.credibility.value)

    @cached_property
    def moving_bid(self) -> Bid:
        """The package our concession curve moves to now (`_moving_bid` at our target and credibility)."""
        return self._moving_bid(self.target.value, self.credibility.value)

    def _bid_for(self, bid: Bid, target: float, credibility: float) -> Bid:
        """Our next bid, given `bid`, the package our curve moves to at this target and credibility: that
        package, unless it holds a term one of our cards in preparation backs (`awaited_card`); then the
        best package at the same goal that keeps every such term off, or else our standing offer. The pace
        rule and the news move us toward the other side, not into a deal on terms we can only promise: the
        card is ready in a round that still has a table."""
        if self.holds_for(bid) is None:
            return bid
        awaited = set().union(*(pairs for _, _, pairs in self.cards_in_preparation))
        options = [[k for k in opts if (i, k) not in awaited] for i, opts in enumerate(self.bid_options)]
        if all(options):
            kept_off = self._best(options, self._goal(target, credibility))
            if kept_off is not None:
                return kept_off
        return self.standing_bid

    def holds_for(self, bid: Bid) -> tuple[Local, int] | None:
        """The card we wait for before we move from our standing offer to `bid` (see `awaited_card`), or None."""
        if not self.our_offers or bid.choice == self.choice_of(self.our_offers[-1].package):
            return None
        return self.awaited_card(bid.choice)

    @cached_property
    def held_for(self) -> tuple[Local, int] | None:
        """The card we hold our standing offer for now: the bid our curve moves to holds a term it backs."""
        return self.holds_for(self.moving_bid) if self.our_offers else None

    @cached_property
    def standing_bid(self) -> Bid:
        """Our last offer, as a bid."""
        last = self.choice_of(self.our_offers[-1].package)
        bid = best_bid(self.sheet, self.model_rows, [[k] for k in last], 0)
        assert bid is not None
        return bid

    def _moving_bid(self, target: float, credibility: float) -> Bid:
        """The package our concession curve moves to at this target and credibility. When the goal asks
        for a concession but our reading of them rates no other package within reach above our standing
        one, the best package that changes at least one term, within one step of our last offer if one
        does: a model read from a few scattered offers is not a reason to stand still while the target falls."""
        goal = self._goal(target, credibility)
        bid = self._bid_at(goal)
        if self.clock.t >= PACE_FROM and self.last_own_value is not None and goal < self.last_own_value:
            last = self.choice_of(self.our_offers[-1].package)
            if bid.choice == last:
                start = max(goal, self.last_own_value - self._step(credibility))
                bid = self.fresh_bid(last, start) or bid
        return bid

    def _bid_at(self, goal: float) -> Bid:
        bid = self._best(self.bid_options, goal) or self._best(self.allowed, goal) or self._best(self.allowed, 0)
        assert bid is not None  # our ideal package is always inside our lines
        return bid

    @cached_property
    def bid_without_new_credibility(self) -> Bid | None:
        """The bid we would make had our estimate of their credibility not changed since our last
        offer (None when it has not changed, or before our first offer)."""
        before = self.credibility_before
        if before is None or before.value == self.credibility.value:
            return None
        target = self._target(before.value).value
        return self._bid_for(self._moving_bid(target, before.value), target, before.value)

    @cached_property
    def moved_by_credibility(self) -> bool:
        """Whether our bid gives them more than it would have had their credibility not risen since our last offer."""
        other = self.bid_without_new_credibility
        return other is not None and other.choice != self.bid.choice and self.bid.own < other.own

    def fresh_bid(self, avoid: Choice, start: float | None = None) -> Bid | None:
        """The best bid that differs from `avoid` (our standing offer), conceding as little below `start`
        (default: our goal) as possible."""
        start = self.goal if start is None else start
        goals = [start - step for step in range(0, 101, 3) if start - step >= self.reservation] or [self.reservation]
        for goal in goals:
            best: Bid | None = None
            for i, opts in enumerate(self.bid_options):
                others = [k for k in opts if k != avoid[i]]
                if not others:
                    continue
                options = [*self.bid_options[:i], others, *self.bid_options[i + 1:]]
                bid = self._best(options, goal)
                if bid is not None and (best is None or (bid.estimate, bid.own) > (best.estimate, best.own)):
                    best = bid
            if best is not None:
                return best
        return None

    @cached_property
    def windows(self) -> list[Window]:
        """Injects aimed at us still waiting for our answer: our next two turns at the table after each."""
        out = []
        for inject_id, _rnd, seq in self.seen.injects:
            inj = next((x for x in self.scenario.injects if x.id == inject_id), None)
            if inj is None or inj.expects == "none" or inj.target not in (self.team, "both"):
                continue
            used = self.seen.our_turns_since(seq)
            if used < 2:
                proposed = any(o.seq > seq for o in self.our_offers)
                out.append(Window(inj.id, inj.title, inj.expects, used, self.seen.stated_since(seq), proposed))
        return out

    @property
    def standing(self) -> Offer | None:
        oid = self.state.teams[self.team].standing_offer
        return self.state.offers[oid] if oid else None

    @property
    def theirs(self) -> Offer | None:
        oid = self.state.teams[self.other].standing_offer
        return self.state.offers[oid] if oid else None

    def assess(self, offer: Offer) -> Verdict:
        credit = self.credit(offer)
        choice = self.space.choice(offer.package)
        breaches = self.breaches(choice)
        if breaches:
            lines = and_list(name for name, _ in breaches)
            return Verdict(False, credit, sentence(gettext_noop("it crosses a line we hold: %(lines)s"), lines=chained((why for _, why in breaches), gettext_noop("%(first)s; %(next)s"))),
                           sentence(gettext_noop("it crosses a line we hold on %(issues)s"), issues=lines))
        if credit.face < self.batna:
            return Verdict(False, credit, sentence(gettext_noop("it is worth %(value)s, below our BATNA of %(batna)s"), value=credit.face, batna=self.batna),
                           sentence(gettext_noop("it is worse for us than having no deal at all")))
        # A side whose word we doubt (a negative estimate) must beat what we asked by what its
        # credibility costs it before the talks close: we hold out for more from a divided team.
        hold = 0.0 if self.clock.closing else credibility_gain(self.persona) * max(0.0, -self.credibility.value)
        if self.last_own_value is not None and credit.face >= self.last_own_value + hold:
            return Verdict(True, credit, sentence(gettext_noop("it is worth %(value)s to us, as much as we last asked for (%(asked)s)"), value=credit.face, asked=self.last_own_value),
                           sentence(gettext_noop("it gives us as much as we asked for in our own last offer")))
        if credit.face >= self.bid.own + hold:
            return Verdict(True, credit, sentence(gettext_noop("it is worth %(value)s to us, at least what our next offer would be (%(next)s)"), value=credit.face, next=self.bid.own),
                           sentence(gettext_noop("it gives us at least as much as the offer we would make next")))
        if hold and credit.face >= self.bid.own:
            return Verdict(False, credit, sentence(gettext_noop("it is worth %(value)s to us, but their credibility (%(credibility)s) costs them %(hold)s on our next offer's %(next)s"),
                                                   value=credit.face, credibility=f"{self.credibility.value:+.2f}", hold=f"{hold:.1f}", next=self.bid.own),
                           sentence(gettext_noop("it is close to what we asked, but %(doubt)s, so we need more before we sign"), doubt=self.doubt_reason))
        trust = min(credibility_gain(self.persona) * max(0.0, self.credibility.value), MAX_STEP / 4)
        if trust and credit.face >= max(self.bid.own - trust, float(self.reservation)):
            # A credible side's offer that comes within what its credibility is worth to us (at most a
            # quarter of one of our concession steps) of our own next offer closes the deal: closing with a
            # side that delivers beats haggling on.
            return Verdict(True, credit, sentence(gettext_noop("it is worth %(value)s to us, within %(trust)s (their credibility, %(credibility)s) of our next offer's %(next)s and at least our reservation value %(reservation)s"),
                                                  value=credit.face, trust=f"{trust:.1f}", credibility=f"{self.credibility.value:+.2f}", next=self.bid.own, reservation=self.reservation),
                           sentence(gettext_noop("it comes close to the offer we would make next, and %(credible)s"), credible=self.credibility_reason))
        waiting = self.awaited_card(choice)
        if waiting is not None:
            card, ready = waiting
            return Verdict(False, credit, sentence(gettext_noop("it holds terms %(card)s backs, and that card is ready only in round %(round)s"), card=card, round=ready),
                           sentence(gettext_noop("we sign terms we can back: %(card)s, which makes them real, is ready only in round %(round)s"), card=card, round=ready))
        threshold = max(float(self.bid.own), self.target.value) + hold
        if credit.credited >= threshold:
            plain = (sentence(gettext_noop("it is as good for us as the offer we would make next, counting in full what you backed: %(backed)s"), backed=and_list(credit.backed))
                     if credit.backed else sentence(gettext_noop("it is as good for us as the offer we would make next")))
            return Verdict(True, credit, sentence(gettext_noop("its credited value %(credited)s is at least our next offer's %(threshold)s"), credited=f"{credit.credited:.0f}", threshold=f"{threshold:.0f}"),
                           plain)
        if self.clock.closing and credit.face >= self.reservation and credit.face >= self.best_earlier_this_round(offer):
            return Verdict(True, credit, sentence(gettext_noop("the talks are closing (%(left)s exchanges left) and it is worth %(value)s, the best they have offered this round and at least our reservation value %(reservation)s"),
                                                  left=self.clock.round_left, value=credit.face, reservation=self.reservation),
                           sentence(gettext_noop("the talks are closing, and it is the best you have offered this round and better for us than no deal by a safe margin")))
        if self.clock.deadline and credit.face > self.batna:
            return Verdict(True, credit, sentence(gettext_noop("this is the deadline and it is worth %(value)s, above our BATNA of %(batna)s"), value=credit.face, batna=self.batna),
                           sentence(gettext_noop("time is nearly up and this deal is better for us than no deal")))
        plain = (sentence(gettext_noop("it is not yet as good for us as the offer we would make next; your moves on %(issues)s are promises no execution card backs yet, so they count for less"),
                          issues=and_list(credit.discounted))
                 if credit.discounted else sentence(gettext_noop("it is not yet as good for us as the offer we would make next")))
        return Verdict(False, credit, sentence(gettext_noop("its credited value %(credited)s is below our next offer's %(threshold)s"), credited=f"{credit.credited:.0f}", threshold=f"{threshold:.0f}"), plain)

    # --- explanations ------------------------------------------------------------------------------
    def describe_credit(self, credit: Credit) -> Text:
        text = sentence(gettext_noop("worth %(value)s to us at face value, %(credited)s credited"), value=credit.face, credited=f"{credit.credited:.0f}")
        if credit.backed:
            text = sentence(gettext_noop("%(credit)s; credited in full: %(issues)s"), credit=text, issues=and_list(credit.backed))
        if credit.discounted:
            text = sentence(gettext_noop("%(credit)s; empty concessions counted at %(share)s: %(issues)s"), credit=text,
                            share=f"{self.persona.empty_concession_credit:.0%}", issues=and_list(credit.discounted))
        return text

    def bid_reason(self, bid: Bid) -> tuple[Text, Text]:
        """Why we offer this package: a plain sentence, and the figures behind it."""
        gives, keeps = [], []
        for i, k in enumerate(bid.choice):
            issue = self.space.issues[i]
            name = title(self.scenario, issue)
            best = self.space.best_option(self.team, i)
            if self.sheet[i][k] < self.sheet[i][best]:
                gives.append(sentence(gettext_noop("%(issue)s (%(option)s)"), issue=name, option=label(self.scenario, issue, self.space.options[i][k])))
            else:
                keeps.append(name)
        cares = and_list(title(self.scenario, self.space.issues[i]) for i in self.model.top_issues())
        details = paragraph(
            target_line(self.target),
            sentence(gettext_noop("This package is worth %(value)s to us; of the %(feasible)s packages at or above the target within our lines, it is the one we"
                       " estimate they value most (%(estimate)s of their ideal; from %(seen)s of their offers we read that they care most about %(cares)s)."),
                     value=bid.own, feasible=bid.feasible, estimate=f"{bid.estimate:.2f}", seen=self.model.offers_seen, cares=cares),
        )
        if not gives:
            plain = sentence(gettext_noop("We open with the package that serves us best: it is early, and we hold our ground."))
        elif keeps:
            plain = sentence(gettext_noop("We give ground on %(gives)s and hold firm on %(keeps)s, because we read that you care most about %(cares)s."),
                             gives=and_list(gives), keeps=and_list(keeps), cares=cares)
        else:
            plain = sentence(gettext_noop("We give ground on %(gives)s, because we read that you care most about %(cares)s."), gives=and_list(gives), cares=cares)
        if self.held_for is not None and self.our_offers and bid.choice == self.choice_of(self.our_offers[-1].package):
            card, ready = self.held_for
            return paragraph(plain, sentence(gettext_noop("We keep this offer until %(card)s is ready in round %(round)s: we sign terms we can back."), card=card, round=ready)), details
        causes = []
        if self.target.penalty:
            causes.append(sentence(gettext_noop("We move more slowly because your last offer took back part of what you had offered before.")))
        if self.target.shift > 0:
            causes.append(sentence(gettext_noop("The latest news hardens our position.")))
        elif self.target.shift < 0:
            causes.append(sentence(gettext_noop("The latest news makes us readier to settle.")))
        if gives and self.clock.t >= 0.75:
            causes.append(sentence(gettext_noop("Time is running out, so we come closer to you.")))
        return paragraph(plain, *causes), details
