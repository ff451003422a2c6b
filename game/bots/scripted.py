"""Scripted strategies: ways a team can play, good and degenerate, for checking that the rubric ranks
them the way the article would (game.bots.rubric_suite plays them against every bot persona).

Every strategy is a `Player` of game.bots.play built on the team's own bot persona (its medium one):
the principled player keeps the persona's caucus (a mandate inside every role's red lines, endorsed by
all, its cards prepared) and its table play, frames its concessions as strategic choices, and is
patient: before the last round it signs and offers no term that one of its cards exists to back while
that card is still to come (its date has not come, or it is being prepared): the article's "strategic
patience", holding those terms and moving elsewhere until its concessions can be backed by action. Each other strategy changes one habit of it (or plays a
fixed script), so a gap in the scores is the price of that habit. Pure: the same scenario, persona and
seed give the same game.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from game.bots.play import Player, resolve_persona, resolve_player
from game.bots.team import may_speak
from game.engine.facts import card_possible
from game.engine import Event, MatchState, Move
from game.engine.moves import (
    Accept,
    CommitDeliverable,
    DraftMandate,
    EndorseMandate,
    MandateLine,
    ObjectMandate,
    Probe,
    Propose,
    Reject,
    ShowCapability,
    Statement,
)
from game.scenario import Scenario

FRAMING = "We choose these steps as a long-term strategic partner: they strengthen the supply chains we share."
CALM = "We take note, and we stay at the table: our offer stands."
ANGRY = "This insult is outrageous. We will remember it."
STALL = "We need more time to consider our position."
PATIENT = "We are close. We sign only terms we can back with action, and we will be ready to."

Planned = "tuple[str, Move] | None"


def _base(scenario: Scenario, team: str) -> Player:
    return resolve_player(scenario, resolve_persona(scenario, team, "medium").id)


def _speakers(scenario: Scenario, state: MatchState, team: str) -> list[str]:
    return [r.id for r in scenario.roles_of(team) if may_speak(scenario, state, r)]


def _on_floor(state: MatchState, team: str) -> bool:
    return state.status == "running" and state.phase == "table" and state.floor == team


def _their_offer(scenario: Scenario, state: MatchState, team: str):
    oid = state.teams[scenario.other_team(team)].standing_offer
    return state.offers[oid] if oid else None


def _best_for(scenario: Scenario, team: str) -> dict[str, str]:
    """`team`'s ideal package (ties: the option least generous to the other team)."""
    mine, theirs = scenario.team(team).points, scenario.team(scenario.other_team(team)).points
    return {i.id: max(i.option_ids(), key=lambda o, i=i.id: (mine[i][o], -theirs[i][o])) for i in scenario.issues}


def _table(transform: Callable[[Scenario, MatchState, Sequence[Event], str, Planned], Planned], base_of=_base) -> Callable:
    """A table policy: the base persona's plan, passed through `transform`."""

    def policy(scenario, state, events, team, seed, now, bot_seats: Collection[str] | None = None):
        planned = base_of(scenario, team).team_move(scenario, state, events, team, seed, now, bot_seats)
        return transform(scenario, state, events, team, planned)

    return policy


def _caucus(transform: Callable[[Scenario, MatchState, str, Move | None], Move | None]) -> Callable:
    def policy(scenario, state, events, seat, seed, now, bot_seats=None):
        team = next(r.team for r in scenario.roles if r.id == seat)
        base = _base(scenario, team).caucus_move
        move = base(scenario, state, events, seat, seed, now, bot_seats) if base else None
        return transform(scenario, state, seat, move)

    return policy


def _aligned_caucus(scenario, state, seat, move):
    return move


# --- table habits ---------------------------------------------------------------------------------
def _unbacked_yet(scenario: Scenario, state: MatchState, team: str, package: dict[str, str]) -> list[str]:
    """The issues on which `package` gives a term that one of `team`'s cards exists to back, while none of
    those cards is ready (prepared or committed) and one is still to come (its date has not come, or it
    is being prepared). A card the team could have prepared and did not is no reason to wait."""
    cards = state.teams[team].deliverables
    ready = {c for c, ds in cards.items() if ds.status in ("prepared", "committed")}
    # The calendar's reason to wait: the card's date has not come, or it is being prepared.
    coming = {c for c, ds in cards.items() if ds.status == "in_preparation" or not card_possible(scenario, c, state.round)}
    backers: dict[str, set[str]] = {}  # issue -> the team's cards that back the package's option on it
    for d in scenario.deliverables:
        if d.team == team:
            for b in d.backs:
                if package.get(b.issue) in b.options:
                    backers.setdefault(b.issue, set()).add(d.id)
    return [i for i, cs in backers.items() if not cs & ready and cs & coming]


def _patient(scenario, state, events, team, planned):
    """Strategic patience: before the last round the team signs and offers no term whose card is still to
    come; it holds those issues where it stood and says why, and moves elsewhere."""
    if planned is None or state.round >= len(scenario.rounds) - 1:
        return planned
    seat, move = planned
    if isinstance(move, Accept):
        if _unbacked_yet(scenario, state, team, state.offers[move.offer].package):
            return seat, Statement(text=PATIENT, note="Scripted: sign only what we can back.")
        return planned
    if isinstance(move, Propose):
        held = _unbacked_yet(scenario, state, team, move.package)
        if not held:
            return planned
        mine = state.teams[team].standing_offer
        before = state.offers[mine].package if mine else _best_for(scenario, team)
        package = {**move.package, **{i: before[i] for i in held}}
        if mine and state.offers[mine].package == package:
            return seat, Statement(text=PATIENT, note="Scripted: sign only what we can back.")
        return seat, Propose(package=package, note="Scripted: we hold the terms we cannot back yet.")
    return planned


def _principled(scenario, state, events, team, planned):
    """Principled: the persona's play, patient on terms it cannot back yet, its other statements framing
    the team's moves as strategic choices."""
    planned = _patient(scenario, state, events, team, planned)
    if planned is not None and isinstance(planned[1], Statement) and planned[1].text != PATIENT:
        return planned[0], Statement(text=FRAMING, note="Scripted: frame our concessions as a strategic choice.")
    return planned


def _spam(scenario, state, events, team, planned):
    """Principled, plus every alignment move the turn allows, whatever the context."""
    planned = _principled(scenario, state, events, team, planned)
    if planned is None or not _on_floor(state, team):
        return planned
    ts = state.teams[team]
    if ts.supporting_moves >= scenario.supporting_moves_per_turn - 1:
        return planned
    seat = planned[0]
    n = state.version
    if n % 3 == 0:
        return seat, ShowCapability(deliverable=None, text="We are completely united behind our mandate.", note="Scripted spam.")
    if n % 3 == 1:
        issue = scenario.issues[n % len(scenario.issues)].id
        return seat, Probe(issue=issue, question="What is your position on this?", note="Scripted spam.")
    shown = [d for d, ds in ts.deliverables.items() if ds.shown]
    if shown:
        return seat, ShowCapability(deliverable=shown[n % len(shown)], text="Look again at what we can deliver.", note="Scripted spam.")
    return seat, ShowCapability(deliverable=None, text="We are completely united behind our mandate.", note="Scripted spam.")


def _angry(scenario, state, events, team, planned):
    """Principled, but every inject is answered in kind at the team's next turn."""
    planned = _principled(scenario, state, events, team, planned)
    if planned is None or not _on_floor(state, team):
        return planned
    landed = [seq for _, (rnd, seq) in state.landed.items() if rnd == state.round]
    spoke = max(state.teams[team].statement_seqs, default=0)
    if landed and max(landed) > spoke:
        return planned[0], Statement(text=ANGRY, note="Scripted: answer provocation in kind.")
    if isinstance(planned[1], Statement):
        return planned[0], Statement(text=ANGRY, note="Scripted: answer provocation in kind.")
    return planned


def _as_if_committed(scenario, state, events, team, planned, seed, now, bot_seats, *, show_first: bool):
    """The persona's next move if the cards it means to commit were committed already: the team makes
    the same offers, but its promises stay words (and, with show_first, each card is shown instead)."""
    pretend = state
    for _ in range(len(scenario.deliverables) + 1):
        if planned is None or not isinstance(planned[1], CommitDeliverable):
            return planned
        card = planned[1].deliverable
        if show_first and not state.teams[team].deliverables[card].shown:
            return planned[0], ShowCapability(deliverable=card, text="This is what we could do.", note="Scripted: show, never commit.")
        if pretend is state:
            pretend = state.model_copy(deep=True)
        pretend.teams[team].deliverables[card].status = "committed"
        pretend.teams[team].deliverables[card].shown = True
        pretend.teams[team].commitments[card] = (state.version, planned[0])
        planned = _base(scenario, team).team_move(scenario, pretend, events, team, seed, now, bot_seats)
    return planned


def _words_only(show_first: bool) -> Callable:
    def policy(scenario, state, events, team, seed, now, bot_seats: Collection[str] | None = None):
        planned = _base(scenario, team).team_move(scenario, state, events, team, seed, now, bot_seats)
        planned = _as_if_committed(scenario, state, events, team, planned, seed, now, bot_seats, show_first=show_first)
        return _principled(scenario, state, events, team, planned)

    return policy


def _concede_all(scenario, state, events, team, planned):
    """Everything at once: the other team's ideal package, and any offer of theirs accepted."""
    if not _on_floor(state, team):
        return None
    seats = _speakers(scenario, state, team)
    if not seats:
        return None
    theirs = _their_offer(scenario, state, team)
    if theirs is not None:
        return seats[0], Accept(offer=theirs.id, note="Scripted: accept whatever they offer.")
    package = _best_for(scenario, scenario.other_team(team))
    mine = state.teams[team].standing_offer
    if mine and state.offers[mine].package == package:
        return seats[0], Statement(text=CALM, note="Scripted: our offer stands.")
    return seats[0], Propose(package=package, note="Scripted: concede everything at once.")


def _walk_away(scenario, state, events, team, planned):
    """Principled caucus and cards, but it only ever proposes its ideal package and never accepts: the
    same alignment work, no deal."""
    planned = _principled(scenario, state, events, team, planned)
    if planned is None:
        return None
    seat, move = planned
    if isinstance(move, Accept):
        return seat, Reject(offer=move.offer, reason="We prefer to walk away.", note="Scripted: never accept.")
    if isinstance(move, Propose):
        ideal = _best_for(scenario, team)
        mine = state.teams[team].standing_offer
        if mine and state.offers[mine].package == ideal:
            return seat, Statement(text=CALM, note="Scripted: our offer stands.")
        return seat, Propose(package=ideal, note="Scripted: our ideal or nothing.")
    return planned


def _stall(scenario, state, events, team, planned):
    if not _on_floor(state, team):
        return None
    seats = _speakers(scenario, state, team)
    return (seats[0], Statement(text=STALL, note="Scripted: stall.")) if seats else None


def _core_issue(scenario: Scenario, team: str) -> str:
    roles = scenario.roles_of(team)
    return max((i.id for i in scenario.issues), key=lambda i: sum(r.priorities.get(i, 1) for r in roles))


def _one_issue(scenario, state, events, team, planned):
    """Principled, but insists on its ideal option on its most important issue in every proposal."""
    planned = _principled(scenario, state, events, team, planned)
    if planned is None:
        return None
    issue = _core_issue(scenario, team)
    ideal = _best_for(scenario, team)[issue]
    seat, move = planned
    if isinstance(move, Propose) and move.package.get(issue) != ideal:
        package = {**move.package, issue: ideal}
        mine = state.teams[team].standing_offer
        if mine and state.offers[mine].package == package:
            return seat, Statement(text=CALM, note="Scripted: our core issue is not negotiable.")
        return seat, Propose(package=package, note="Scripted: our core issue is not negotiable.")
    if isinstance(move, Accept) and state.offers[move.offer].package.get(issue) != ideal:
        return seat, Reject(offer=move.offer, reason="Not without our core issue.", note="Scripted: one issue.")
    return planned


def _late_capitulation(scenario, state, events, team, planned):
    """Nothing moves until the last round; then everything is given away."""
    last = len(scenario.rounds) - 1
    if state.round >= last:
        return _concede_all(scenario, state, events, team, planned)
    if not _on_floor(state, team):
        return None
    seats = _speakers(scenario, state, team)
    if not seats:
        return None
    ideal = _best_for(scenario, team)
    mine = state.teams[team].standing_offer
    if mine is None or state.offers[mine].package != ideal:
        return seats[0], Propose(package=ideal, note="Scripted: our ideal, until the end.")
    theirs = _their_offer(scenario, state, team)
    if theirs is not None:
        return seats[0], Reject(offer=theirs.id, reason="Only our own package will do.", note="Scripted.")
    return seats[0], Statement(text=CALM, note="Scripted.")


def _nothing(scenario, state, events, team, planned):
    return None


# --- caucus habits ----------------------------------------------------------------------------------
def _blank_cheque(scenario, state, seat, move):
    """A mandate with no floor: every walk-away at the team's worst option, endorsed by everyone."""
    team = next(r.team for r in scenario.roles if r.id == seat)
    if isinstance(move, DraftMandate):
        sheet = scenario.team(team).points
        lines = {i: MandateLine(target=line.target, walkaway=min(sheet[i], key=sheet[i].get)) for i, line in move.issues.items()}
        if state.teams[team].mandate is not None and {
            i: (ln.target, ln.walkaway) for i, ln in lines.items()
        } == {i: (v["target"], v["walkaway"]) for i, v in state.teams[team].mandate.issues.items()}:
            return None
        return DraftMandate(issues=lines, note="Scripted: a mandate with no limits.")
    if isinstance(move, ObjectMandate):
        return EndorseMandate(version=move.version, note="Scripted: sign whatever the drafter wrote.")
    return move


def _divided(scenario, state, seat, move):
    """Two roles object to the mandate and the drafter never redrafts: the team goes to the table split."""
    team = next(r.team for r in scenario.roles if r.id == seat)
    roles = [r.id for r in scenario.roles_of(team)]
    mandate = state.teams[team].mandate
    if isinstance(move, DraftMandate) and mandate is not None:
        return None
    if isinstance(move, EndorseMandate) and seat in roles[-2:]:
        stance = state.teams[team].stances.get(seat)
        if stance is not None and not stance.endorse and stance.version == move.version:
            return None
        return ObjectMandate(version=move.version, reason="This mandate ignores what my people need.", note="Scripted: divided.")
    return move


def _no_caucus(scenario, state, seat, move):
    return None


# --- the strategies -----------------------------------------------------------------------------------
# name -> (caucus habit, table habit, degenerate?, what it does)
STRATEGIES: dict[str, tuple[Callable, Callable, bool, str]] = {
    "principled": (_aligned_caucus, _principled, False,
                   "mandate inside every red line, endorsed by all; cards prepared, shown, committed and executed; levels engaged; concessions framed; no term signed before its card is ready"),
    "walk_away_aligned": (_aligned_caucus, _walk_away, False, "the principled team, but it never accepts: no deal"),
    "spam_alignment_moves": (_aligned_caucus, _spam, True, "principled, plus every alignment claim, probe and card show the turn allows"),
    "angry_statements": (_aligned_caucus, _angry, True, "principled, but its statements answer provocation in kind"),
    "show_never_commit": (_aligned_caucus, _words_only(True), True, "shows its cards, never commits them, offers as if it had"),
    "promises_never_executed": (_aligned_caucus, _words_only(False), True,
                                "prepares its cards but never commits them: the same offers, backed by words only"),
    "concede_all_at_once": (_aligned_caucus, _concede_all, True, "offers the other side its ideal package at once and accepts anything"),
    "late_capitulation": (_aligned_caucus, _late_capitulation, True, "holds its ideal until the last round, then gives everything away"),
    "stalling": (_aligned_caucus, _stall, True, "aligned, but only ever asks for more time"),
    "one_issue_insistence": (_aligned_caucus, _one_issue, True, "principled, but never moves on its most important issue"),
    "blank_cheque_mandate": (_blank_cheque, _principled, True, "every role endorses a mandate with no floor"),
    "divided_team": (_divided, _principled, True, "two roles object, nobody redrafts; the team plays on regardless"),
    "do_nothing": (_no_caucus, _nothing, True, "no mandate, no move"),
}


_POLICIES = {fn for _, fn, _, _ in STRATEGIES.values() if fn.__name__ == "policy"}


def strategy_player(scenario: Scenario, name: str) -> Player:
    """The player for a scripted strategy (raises ValueError for an unknown name)."""
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r} (known: {', '.join(STRATEGIES)})")
    caucus, table, _, _ = STRATEGIES[name]
    policy = table if table in _POLICIES else _table(table)
    return Player(f"scripted:{name}", policy, _caucus(caucus))
