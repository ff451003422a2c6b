"""A bot team's turn at the table: supporting moves first (escalate, answer an inject, bring in the
levels the round needs, make prepared strength visible, probe, commit what backs the offer), then the
floor-passing move (accept, call out a backpedal, propose, reject, or let the offer stand).

Everything here is recomputed from the state on each call, so a turn spread over several calls (one
move per call) stays consistent: a move already made is visible in the state or the log and is not
planned again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from game.bots.space import Choice
from game.bots.strategy import Mind, label, target_line, title
from game.bots.team import Cast, bot_roles, table_cast
from game.engine import MatchState
from game.engine.facts import not_endorsed
from game.engine.fold import FLOOR_PASSING_EVENTS
from game.engine.moves import Accept, CommitDeliverable, Escalate, Move, Probe, Propose, Reject, ShowCapability, Statement, Suggest
from game.engine.words import Local, Text, and_list, chained, gettext_noop, level_title, paragraph, sentence
from game.scenario import Scenario
from game.scoring.moved import credibility_line
from game.scenario.schema import Deliverable, Persona, Role


@dataclass(frozen=True)
class FloorMove:
    move: Move
    package: Choice | None  # the package the move puts our name to (a proposal or an acceptance)


def _aligned(mind: Mind) -> bool:
    """True only if every role of the team endorsed the current mandate (so we may say so)."""
    return mind.state.teams[mind.team].mandate is not None and not not_endorsed(mind.scenario, mind.state, mind.team)


def _agenda(mind: Mind) -> list[str]:
    return list(mind.scenario.rounds[mind.state.round].agenda) or list(mind.space.issues)


def floor_move(mind: Mind) -> FloorMove:
    """The move that passes the floor. Its note says why in a sentence a trainee understands; its
    details hold the figures behind it (target, credit, time)."""
    sc = mind.scenario
    theirs = mind.theirs
    remark = figures = None
    if theirs is not None:
        verdict = mind.assess(theirs)
        figures = sentence(
            gettext_noop("Their offer %(offer)s is %(credit)s; accepted because %(why)s.") if verdict.accept
            else gettext_noop("Their offer %(offer)s is %(credit)s; not accepted because %(why)s."),
            offer=theirs.id, credit=mind.describe_credit(verdict.credit), why=verdict.why,
        )
        if verdict.accept:
            return FloorMove(
                Accept(offer=theirs.id, note=sentence(gettext_noop("We accept %(offer)s: %(why)s."), offer=theirs.id, why=verdict.plain), details=figures),
                mind.space.choice(theirs.package),
            )
        remark = sentence(gettext_noop("We do not take their offer %(offer)s: %(why)s."), offer=theirs.id, why=verdict.plain)
    agenda_titles = and_list(title(sc, i) for i in _agenda(mind))

    def floor(move_cls, note: Text, extra: Text | None = None, **fields) -> Move:
        details = paragraph(extra, figures)
        return move_cls(note=paragraph(note, remark), details=details or None, **fields)

    # Injects: composure is answered with a statement (and no retreat), reassurance with a statement
    # when we cannot truthfully articulate an aligned position, a transactional push with a package.
    must_propose = any(w.expects == "concrete_proposal" and not w.proposed and w.turns_used >= 1 for w in mind.windows)
    for w in mind.windows:
        if w.stated or must_propose:
            continue
        if w.expects == "composure":
            text = sentence(gettext_noop("We take note of the remarks and will not answer them in kind. We are here to work through %(issues)s."), issues=agenda_titles)
            why = sentence(gettext_noop("“%(inject)s” is a provocation: we keep our composure and our offer where it is."), inject=w.title)
        elif w.expects == "reassurance" and not _aligned(mind):
            text = sentence(gettext_noop("Nothing in this changes our commitment to these talks. We are here to reach a package on %(issues)s."), issues=agenda_titles)
            why = sentence(gettext_noop("“%(inject)s” unsettles the talks: we reassure them that we are still committed, and keep our offer where it is."), inject=w.title)
        else:
            continue
        return FloorMove(floor(Statement, why, text=text), None)

    # A backpedal is called out once a round, and only when we have no new offer to make: a floor spent
    # on complaints is a floor not spent negotiating.
    bp = mind.unanswered_backpedal
    idle = mind.standing is not None and mind.space.choice(mind.standing.package) == mind.bid.choice
    if bp is not None and idle and not mind.clock.deadline and not must_propose and not mind.seen.stated_since(mind.state.round_seq):
        worse = [
            title(sc, issue)
            for issue, option in bp.offer.package.items()
            if sc.team(mind.team).points[issue][option] < sc.team(mind.team).points[issue][bp.earlier.package[issue]]
        ]
        text = sentence(
            gettext_noop("Your offer %(offer)s takes back part of what you offered in %(earlier)s, on %(issues)s."
                         " We have noted it, and we will be slower to move until you hold your ground."),
            offer=bp.offer.id, earlier=bp.earlier.id, issues=and_list(worse),
        )
        why = sentence(gettext_noop("Their offer %(offer)s takes back part of what they offered before, so we say so and will move more slowly for a while."), offer=bp.offer.id)
        extra = sentence(
            gettext_noop("Backpedal: %(offer)s is worth %(loss)s points less to us than their earlier %(earlier)s. We toughen by %(penalty)s points for %(memory)s exchanges."),
            offer=bp.offer.id, loss=bp.loss, earlier=bp.earlier.id, penalty=mind.persona.backpedal_penalty, memory=mind.persona.backpedal_memory,
        )
        return FloorMove(floor(Statement, why, extra, text=text), None)
    if mind.clock.final_exchange:
        text = sentence(gettext_noop("We could not reach a package that works for us in these talks. We will report back to our capital."))
        return FloorMove(floor(Statement, sentence(gettext_noop("This is the last exchange of the talks: a new offer could not be answered.")), text=text), None)

    bid = mind.bid
    standing = mind.standing
    chance = mind.best_chance
    worth_it = chance is not None and (mind.clock.deadline or idle or mind.value(chance.package) > bid.own)
    if mind.clock.closing and worth_it and (standing is None or standing.package != chance.package):
        # The talks are closing: their best offer so far, which is inside our lines and beats our
        # reservation, is put back on the table when it beats our next offer, when we have no new
        # offer to make or when time is up, rather than let the game end without a deal.
        value = mind.value(chance.package)
        plain = sentence(gettext_noop("Time is nearly up: we put back on the table your own offer %(offer)s, which is worth more to us than no deal, "
                           "so that we can close on terms you have already proposed."), offer=chance.id)
        details = paragraph(
            sentence(gettext_noop("%(offer)s is worth %(value)s to us (reservation %(reservation)s); our next offer would be worth %(next)s."),
                     offer=chance.id, value=value, reservation=mind.reservation, next=bid.own),
            target_line(mind.target),
        )
        return FloorMove(floor(Propose, plain, details, package=dict(chance.package)), mind.space.choice(chance.package))
    concrete = next((w for w in mind.windows if w.expects == "concrete_proposal" and not w.proposed), None)
    if standing is not None and mind.space.choice(standing.package) == bid.choice and concrete is not None:
        fresh = mind.fresh_bid(bid.choice)
        if fresh is not None and mind.holds_for(fresh) is None:
            bid = fresh
    if standing is None or mind.space.choice(standing.package) != bid.choice:
        plain, details = mind.bid_reason(bid)
        before = mind.credibility_before
        if before is not None and before.value != mind.credibility.value:
            moved = mind.moved_by_credibility and bid == mind.bid
            details = paragraph(credibility_line(before.value, mind.credibility.value, moved), details)
        if concrete is not None:
            plain = paragraph(plain, sentence(gettext_noop("A concrete, measurable package answers “%(inject)s”."), inject=concrete.title))
        return FloorMove(floor(Propose, plain, details, package=mind.space.package(bid.choice)), bid.choice)
    target = target_line(mind.target)
    if theirs is not None:
        short = _shortfall(mind, theirs.package, bid.choice)
        reason = (sentence(gettext_noop("It does not meet what we need on %(issues)s; our offer %(offer)s stands."), issues=and_list(short), offer=standing.id) if short
                  else sentence(gettext_noop("It does not meet what we need; our offer %(offer)s stands."), offer=standing.id))
        why = (_held(mind, standing.id) or
               sentence(gettext_noop("Our offer %(offer)s is still the best we can do now, so we turn theirs down and let ours stand."), offer=standing.id))
        return FloorMove(floor(Reject, why, target, offer=theirs.id, reason=reason), None)
    text = sentence(gettext_noop("Our offer %(offer)s stands. We are ready to hear a counter-proposal."), offer=standing.id)
    why = _held(mind, standing.id) or sentence(gettext_noop("Our offer %(offer)s is still the best we can do now; we wait for theirs."), offer=standing.id)
    return FloorMove(floor(Statement, why, target, text=text), None)


def _held(mind: Mind, offer: str) -> Text | None:
    """Why we let our offer stand while a card of ours that backs a term we would concede is prepared (None if we are not waiting for one)."""
    if mind.held_for is None:
        return None
    card, ready = mind.held_for
    return sentence(gettext_noop("We let our offer %(offer)s stand until %(card)s is ready in round %(round)s: we sign terms we can back."),
                    offer=offer, card=card, round=ready)


def _shortfall(mind: Mind, package: dict[str, str], ours: Choice) -> list[Local]:
    """The issues where their package falls furthest short of ours, on our sheet (at most two)."""
    gaps = []
    for i, issue in enumerate(mind.space.issues):
        gap = mind.sheet[i][ours[i]] - mind.sheet[i][mind.space.options[i].index(package[issue])]
        if gap > 0:
            gaps.append((-gap, i, title(mind.scenario, issue)))
    return [t for _, _, t in sorted(gaps)[:2]]


# --- supporting moves ------------------------------------------------------------------------------
def _owner(mind: Mind, cast: Cast, card: Deliverable) -> Role:
    for role_id in card.prepared_by:
        for role in cast.by_level.values():
            if role.id == role_id and not (cast.escalate and role.level == "leader"):
                return role
    # No owner at the table: a level the round still needs speaks for the card, so the commitment
    # also brings that level to the table; otherwise the speaker does.
    for level in mind.scenario.rounds[mind.state.round].levels:
        role = cast.by_level.get(level)
        if (role is not None and level != cast.speaker.level and level not in mind.seen.levels_this_round
                and not (cast.escalate and level == "leader")):
            return role
    return cast.speaker


def _backs_terms(mind: Mind, card: Deliverable, package: Choice) -> list[Local]:
    """The terms of `package` this card backs (issue titles)."""
    out = []
    for back in card.backs:
        i = mind.space.issues.index(back.issue)
        if mind.space.options[i][package[i]] in back.options:
            out.append(title(mind.scenario, back.issue))
    return out


def _probe_order(mind: Mind) -> list[str]:
    """Agenda issues we have not probed, cheapest for us first: that is where a trade could pay."""
    spread = {issue: max(mind.sheet[i]) - min(mind.sheet[i]) for i, issue in enumerate(mind.space.issues)}
    return sorted((i for i in _agenda(mind) if i not in mind.seen.probes), key=lambda i: (spread[i], i))


MAX_PROBES_PER_ROUND = 2


def supporting_moves(mind: Mind, cast: Cast) -> list[tuple[Role, Move]]:
    """Supporting moves other than commitments, in order of priority."""
    sc, state, team = mind.scenario, mind.state, mind.team
    ts = state.teams[team]
    rnd = sc.rounds[state.round]
    others: list[tuple[Role, Move]] = []
    aligned = _aligned(mind)
    agenda_titles = and_list(title(sc, i) for i in _agenda(mind))
    speaker = cast.speaker
    pending_levels = [
        lv for lv in rnd.levels
        if lv in cast.by_level and lv != speaker.level and lv not in mind.seen.levels_this_round and not (cast.escalate and lv == "leader")
    ]

    # Reassurance, when we can say truthfully that the team stands behind one mandate; said by a level
    # the round still needs if there is one, so the reassurance also brings that level to the table.
    if aligned:
        for w in mind.windows:
            if w.expects == "reassurance" and not w.stated:
                last = max(mind.seen.our_alignment_seqs, default=0)
                landed = next(seq for i, _, seq in mind.seen.injects if i == w.inject)
                if last < landed:
                    role = cast.by_level[pending_levels.pop(0)] if pending_levels else speaker
                    text = sentence(gettext_noop("Nothing in this changes our commitment to these talks. Our team is aligned behind one mandate,"
                                                 " and we are here to reach a package on %(issues)s."), issues=agenda_titles)
                    others.append((role, ShowCapability(deliverable=None, text=text, note=sentence(
                        gettext_noop("“%(inject)s” calls for reassurance: we articulate the aligned position our whole team endorsed."), inject=w.title))))
                    break

    # Articulate our alignment once a round (power that isn't articulated is invisible), by a level
    # the round still needs if there is one.
    if aligned and not mind.seen.aligned_shown_this_round and not others:
        role = cast.by_level[pending_levels[0]] if pending_levels else speaker
        text = sentence(gettext_noop("%(role)s: our team speaks with one voice on %(issues)s; every role has endorsed our mandate."),
                        role=role.title, issues=agenda_titles)
        others.append((role, ShowCapability(deliverable=None, text=text, note=sentence(
            gettext_noop("We articulate the alignment behind our position: every role endorsed the mandate before the table.")))))
        if pending_levels:
            pending_levels = pending_levels[1:]

    probes_this_turn = any(seq > max(mind.seen.floor_seqs, default=0) for seq in mind.seen.probes.values())
    probe_room = mind.persona.probes and not probes_this_turn and mind.seen.probes_this_round < MAX_PROBES_PER_ROUND
    probe_issues = _probe_order(mind) if probe_room else []

    def probe(role: Role) -> tuple[Role, Move] | None:
        if not probe_issues:
            return None
        issue = probe_issues.pop(0)
        i = mind.space.issues.index(issue)
        name = title(sc, issue)
        spread = max(mind.sheet[i]) - min(mind.sheet[i])
        return role, Probe(issue=issue, question=sentence(gettext_noop("How much room do you have on %(issue)s?"), issue=name), note=sentence(
            gettext_noop("We ask about %(issue)s: of the agenda issues we have not asked about, it costs us least to give ground on,"
              " so if it matters to them a trade could pay. Their answer tells us what they care about."), issue=name),
            details=sentence(gettext_noop("%(spread)s points between our best and worst option on %(issue)s."), spread=spread, issue=name))

    # Bring in every level the round needs (its first table move of the round counts).
    prepared = [c for c in sc.deliverables if c.team == team and ts.deliverables[c.id].status in ("prepared", "committed")]
    for level in pending_levels:
        role = cast.by_level[level]
        card = next((c for c in prepared if role.id in c.prepared_by and not ts.deliverables[c.id].shown), None)
        if card is not None:
            others.append((role, _show(mind, card, sentence(gettext_noop("The round needs the %(level)s level; %(role)s shows a card it owns."), level=level_title(level), role=role.title))))
            continue
        move = probe(role)
        if move is not None:
            others.append(move)
        elif aligned:
            text = sentence(gettext_noop("%(role)s: our team speaks with one voice on %(issues)s."), role=role.title, issues=agenda_titles)
            others.append((role, ShowCapability(deliverable=None, text=text, note=sentence(
                gettext_noop("The round needs the %(level)s level at the table; %(role)s articulates the team's alignment."), level=level_title(level), role=role.title))))

    # Make prepared strength visible: cards backing an agenda issue, not yet shown.
    agenda = set(_agenda(mind))
    shown_now = {m.deliverable for _, m in others if isinstance(m, ShowCapability)}
    for card in prepared:
        if ts.deliverables[card.id].shown or card.id in shown_now or not any(b.issue in agenda for b in card.backs):
            continue
        others.append((_owner(mind, cast, card), _show(mind, card, sentence(gettext_noop("Power that isn't articulated is invisible: we make our prepared strength visible.")))))

    if not any(isinstance(m, Probe) for _, m in others):
        extra = probe(cast.by_level.get("technical") or speaker)
        if extra is not None:
            others.append(extra)

    return others


def _uncommitted(mind: Mind) -> list[Deliverable]:
    ts = mind.state.teams[mind.team]
    return [c for c in mind.scenario.deliverables if c.team == mind.team and ts.deliverables[c.id].status == "prepared"]


def commitments(mind: Mind, cast: Cast, floor: FloorMove) -> list[tuple[Role, Move]]:
    """Commit every prepared card that backs a term of the package we put our name to, before we do."""
    commits: list[tuple[Role, Move]] = []
    if floor.package is None:
        return commits
    for card in _uncommitted(mind):
        terms = _backs_terms(mind, card, floor.package)
        if terms:
            why = (gettext_noop("We commit %(card)s: the package we accept includes %(terms)s, which this card backs, so the term is credible rather than an empty promise.")
                   if isinstance(floor.move, Accept) else
                   gettext_noop("We commit %(card)s: the package we offer includes %(terms)s, which this card backs, so the term is credible rather than an empty promise."))
            commits.append((_owner(mind, cast, card), CommitDeliverable(deliverable=card.id, note=sentence(why, card=card.title, terms=and_list(terms)))))
    return commits


def _show(mind: Mind, card: Deliverable, why: Text) -> ShowCapability:
    backs = and_list(
        sentence(gettext_noop("%(issue)s (%(option)s)"), issue=title(mind.scenario, b.issue),
                 option=chained((label(mind.scenario, b.issue, o) for o in b.options), gettext_noop("%(first)s, %(next)s")))
        for b in card.backs
    )
    text = sentence(gettext_noop("%(card)s is prepared and ready to sign. It can underwrite %(terms)s."), card=card.title, terms=backs)
    return ShowCapability(deliverable=card.id, text=text, note=paragraph(why, sentence(gettext_noop("%(card)s is prepared; showing it."), card=card.title)))


# --- advice to a human who holds the floor -----------------------------------------------------------
def advice(
    scenario: Scenario,
    state: MatchState,
    events,
    team: str,
    persona: Persona,
    seed: int,
    bot_seats: Collection[str] | None,
) -> tuple[str, Move] | None:
    """What the team's bots would do with the floor, offered to the humans as a suggestion they can
    adopt; None when the team has no bot or this advice already stands (nothing moved since)."""
    bots = bot_roles(scenario, team, bot_seats)
    if not bots:
        return None
    mind = Mind(scenario, state, team, persona, seed, [r.id for r in bots])
    floor = floor_move(mind)
    # The advice's reasons go with the advice; the move is the one a trainee adopts as their own.
    suggested = floor.move.model_copy(update={"note": None, "details": None})
    wanted = suggested.model_dump(exclude_none=True)
    for e in reversed(events):
        if e.type in FLOOR_PASSING_EVENTS or e.type == "phase_started":
            break
        if e.type == "move_suggested" and e.team == team and e.data.get("move") == wanted:
            return None
    return bots[0].id, Suggest(text=suggestion_text(mind, floor.move), move=suggested, note=floor.move.note, details=floor.move.details)


def suggestion_text(mind: Mind, move: Move) -> Text:
    sc = mind.scenario
    if isinstance(move, Accept):
        return sentence(gettext_noop("I suggest we accept their offer %(offer)s: it is worth %(value)s points to us, and our BATNA is %(batna)s."),
                        offer=move.offer, value=mind.value(mind.theirs.package), batna=mind.batna)
    if isinstance(move, Propose):
        gives = [
            sentence(gettext_noop("%(issue)s: %(option)s"), issue=title(sc, issue), option=label(sc, issue, option))
            for i, (issue, option) in enumerate(move.package.items())
            if mind.sheet[i][mind.space.options[i].index(option)] < max(mind.sheet[i])
        ]
        if gives:
            return sentence(gettext_noop("I suggest we propose a package worth %(value)s points to us, giving ground on %(gives)s."), value=mind.value(move.package), gives=and_list(gives))
        return sentence(gettext_noop("I suggest we propose a package worth %(value)s points to us, our ideal package."), value=mind.value(move.package))
    if isinstance(move, Reject):
        return sentence(gettext_noop("I suggest we turn down their offer %(offer)s. %(reason)s"), offer=move.offer, reason=move.reason)
    return sentence(gettext_noop("I suggest we say: “%(text)s”"), text=move.text)


# --- the team's next table move ------------------------------------------------------------------------
def table_plan(
    scenario: Scenario,
    state: MatchState,
    events,
    team: str,
    persona: Persona,
    seed: int,
    bot_seats: Collection[str] | None,
) -> tuple[str, Move] | None:
    """The team's next move at the table and the bot seat that makes it, or None."""
    if state.status != "running" or state.phase != "table" or state.floor != team:
        return None
    cast = table_cast(scenario, state, team, bot_seats)
    if cast is None:
        return advice(scenario, state, events, team, persona, seed, bot_seats)
    ts = state.teams[team]
    if cast.escalate:
        leader = cast.by_level["leader"]
        return leader.id, Escalate(note=sentence(gettext_noop("Our team chose the leader level this round; %(role)s can speak only after we escalate."), role=leader.title))
    mind = Mind(scenario, state, team, persona, seed, None if bot_seats is None else [r for r in bot_seats])
    budget = scenario.supporting_moves_per_turn - ts.supporting_moves
    others = supporting_moves(mind, cast) if budget > 0 else []
    if others and budget > len(_uncommitted(mind)):
        role, move = others[0]  # room for every commitment later this turn: no need to plan the floor move yet
        return role.id, move
    floor = floor_move(mind)
    if budget > 0:
        commits = commitments(mind, cast, floor)
        if commits and budget <= len(commits):
            role, move = commits[0]
            return role.id, move
        if others:
            role, move = others[0]
            return role.id, move
        if commits:
            role, move = commits[0]
            return role.id, move
    return cast.speaker.id, floor.move
