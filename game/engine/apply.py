"""Applying a move: guards in a fixed order, then the move's events, each folded as it is emitted.

`apply_move` never changes the state it is given. A refused move raises MoveError and produces
nothing; an accepted one returns Transition(before, after, events).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from game.engine import errors as E
from game.engine.errors import MoveError
from game.engine.flow import EPILOGUE, PHASES, PhaseStep, first_step, next_step, phase_allowing, recess_step
from game.engine.facts import card_too_early, inject_too_early, pressures_open
from game.engine.fold import LOG_ONLY, fold_event
from game.engine.moves import (
    ALL_KINDS,
    CAUCUS_KINDS,
    DEFAULT_END_REASON,
    FACILITATOR_KINDS,
    FLOOR_PASSING_KINDS,
    PACING_KINDS,
    PLAYER_KINDS,
    TABLE_KINDS,
    Move,
)
from game.engine.state import FACILITATOR, SYSTEM, Event, MatchState
from game.engine.words import Text, gettext_noop, joined, level_title, said, sentence
from game.scenario import Scenario


@dataclass(frozen=True)
class Transition:
    before: MatchState
    after: MatchState
    events: list[Event]


def seat_team(scenario: Scenario, seat: str) -> str | None:
    """The team a seat plays for, or None for the facilitator, the clock and unknown seats."""
    for role in scenario.roles:
        if role.id == seat:
            return role.team
    return None


@dataclass
class _Ctx:
    scenario: Scenario
    state: MatchState  # the state being built; mutated only by fold_event
    seat: str
    now: float
    team: str | None
    events: list[Event] = field(default_factory=list)
    shallow: bool = False  # `state` is a shallow copy: only events that fold nothing but the version may be emitted
    details: Text | str | None = None  # the move's details, stored beside its note on the event the move makes

    def emit(self, type_: str, data: dict[str, Any] | None = None, *, visibility: str = "public", actor: str | None = None, team: str | None = None, note: Text | str | None = None, at_step: PhaseStep | None = None) -> Event:
        payload = dict(data or {})
        if note:
            payload["note"] = said(note)
            if self.details:
                payload["details"] = said(self.details)
        event = Event(
            seq=self.state.version + 1,
            type=type_,
            actor=actor or self.seat,
            team=team if team is not None else self.team,
            visibility=visibility,
            # An event belongs to the phase it happened in; a phase_started belongs to the phase it opens.
            round=at_step.round if at_step else self.state.round,
            phase=at_step.phase if at_step else self.state.phase,
            at=self.now,
            data=payload,
        )
        if self.shallow and type_ not in LOG_ONLY:  # checked before the fold: the given state stays as it was
            raise AssertionError(f"{type_} changes the state: its move cannot be in LOG_ONLY_MOVES")
        fold_event(self.scenario, self.state, event)
        self.events.append(event)
        return event

    @property
    def private(self) -> str:
        return f"team:{self.team}"

    @property
    def round(self):
        return self.scenario.rounds[self.state.round]

    @property
    def other(self) -> str:
        assert self.team is not None
        return self.scenario.other_team(self.team)


def _illegal(message: Text | str, **details: Any) -> MoveError:
    return MoveError(E.ILLEGAL, message, **details)


# --- the guards, in order ----------------------------------------------------------------------
def _check_actor(scenario: Scenario, state: MatchState, seat: str, kind: str) -> str | None:
    if seat == SYSTEM:
        if kind != "tick":
            raise MoveError(E.NOT_YOUR_SEAT, sentence(gettext_noop("The clock can only advance the phase when its deadline has passed.")))
        return None
    if seat == FACILITATOR:
        if kind not in FACILITATOR_KINDS:
            raise MoveError(E.NOT_YOUR_SEAT, sentence(gettext_noop("The facilitator paces the game but holds no seat at the table.")))
        return None
    team = seat_team(scenario, seat)
    if team is None:
        raise MoveError(E.NOT_YOUR_SEAT, sentence(gettext_noop("“%(seat)s” is not a seat in this case."), seat=seat))
    if kind in FACILITATOR_KINDS or kind == "tick":
        if kind in PACING_KINDS and seat in state.pacers:
            return team
        raise MoveError(E.FORBIDDEN, sentence(gettext_noop("Only the facilitator can do that.")))
    return team


def _check_status(state: MatchState, kind: str) -> None:
    if state.status == "finished":
        raise MoveError(E.GAME_OVER, sentence(gettext_noop("The game is over.")))
    if state.status == "lobby" and kind != "start":
        raise MoveError(E.NOT_STARTED, sentence(gettext_noop("The game has not started yet.")))
    if state.status == "paused" and kind not in {"resume", "end", "extend", "team_chat", "push_inject"}:
        raise MoveError(E.PAUSED, sentence(gettext_noop("The game is paused.")))


@lru_cache(maxsize=None)
def _wrong_phase_reasons(phase: str) -> dict[str, Text]:
    """Every player move that `phase` does not allow, with the reason it is refused."""
    this = sentence(PHASES[phase].title)
    return {
        kind: sentence(gettext_noop("That move belongs to the %(phases)s phase; this is the %(phase)s phase."), phases=_either(phase_allowing(kind)), phase=this)
        for kind in sorted(PLAYER_KINDS - PHASES[phase].player_moves)
    }


def _either(phases: list[str]) -> Text:
    """Phase titles joined with "or" (a move belongs to one or two phases)."""
    said_phases = [sentence(PHASES[p].title) for p in phases]
    either = said_phases[0]
    for other in said_phases[1:]:
        either = sentence(gettext_noop("%(first)s or %(second)s"), first=either, second=other)
    return either


def _check_phase_and_turn(ctx: _Ctx, kind: str) -> None:
    if kind not in PLAYER_KINDS:
        return
    wrong_phase = _wrong_phase_reasons(ctx.state.phase).get(kind)
    if wrong_phase is not None:
        raise MoveError(E.WRONG_PHASE, wrong_phase)
    if kind not in TABLE_KINDS:
        return
    if ctx.state.floor != ctx.team:
        raise MoveError(E.NOT_YOUR_TURN, sentence(gettext_noop("%(team)s has the floor."), team=ctx.scenario.team(ctx.state.floor).name) if ctx.state.floor else sentence(gettext_noop("Nobody holds the floor.")))
    if kind not in FLOOR_PASSING_KINDS and ctx.state.teams[ctx.team].supporting_moves >= ctx.scenario.supporting_moves_per_turn:
        raise _illegal(sentence(gettext_noop("You have used this turn's %(count)s supporting moves; propose, accept, reject, withdraw, speak or recess to pass the floor."), count=ctx.scenario.supporting_moves_per_turn))
    role = ctx.scenario.role(ctx.seat)
    if role.level == "leader" and kind != "escalate" and "leader" not in ctx.round.levels and ctx.state.teams[ctx.team].escalated_round != ctx.state.round:
        raise _illegal(sentence(gettext_noop("The leader speaks at the table only in leader-level rounds or after the team escalates.")))


def _guard(scenario: Scenario, state: MatchState, seat: str, kind: str, now: float, expected_version: int | None, move: Move | None = None) -> _Ctx:
    if kind not in ALL_KINDS:
        raise MoveError(E.MALFORMED, sentence(gettext_noop("Unknown move “%(kind)s”."), kind=kind))
    team = _check_actor(scenario, state, seat, kind)
    _check_status(state, kind)
    if expected_version is not None and expected_version != state.version:
        raise MoveError(E.STALE_VERSION, sentence(gettext_noop("The game has moved on (you saw version %(seen)s; it is now at version %(now)s)."), seen=expected_version, now=state.version), version=state.version)
    ctx = _Ctx(scenario, state, seat, now, team)
    _check_phase_and_turn(ctx, kind)
    reason = PRECONDITIONS.get(kind, _always)(ctx, move)
    if reason:
        raise _illegal(reason)
    return ctx


# --- pacing ------------------------------------------------------------------------------------
def _enter(ctx: _Ctx, step: PhaseStep) -> None:
    s = ctx.state
    new_round = step.round != s.round or s.version <= 1
    rnd = ctx.scenario.rounds[step.round]
    limit, used, floor = (rnd.exchange_limit, 0, None) if new_round else (s.exchange_limit, s.exchanges_used, s.floor)
    if step.phase == "table" and used == 0:
        floor = rnd.opens or ctx.scenario.teams[0].id
    seconds = s.phase_seconds.get(step.phase)
    ctx.emit(
        "phase_started",
        {"round": step.round, "phase": step.phase, "deadline": ctx.now + seconds if seconds else None,
         "exchange_limit": limit, "exchanges_used": used, "floor": floor},
        team=None,
        at_step=step,
    )
    if new_round:
        for inject_id in rnd.injects:
            if inject_id not in s.injects:
                ctx.emit("inject_pushed", {"inject": inject_id, "scheduled": True}, team=None)


def _advance(ctx: _Ctx, why: Text) -> None:
    if ctx.state.phase == EPILOGUE:
        _end_epilogue(ctx, why)
        return
    step = next_step(ctx.scenario, ctx.state)
    if step is None:
        reason = sentence(gettext_noop("The last round ended without a deal (%(why)s): both teams fall back on their BATNA."), why=why)
        ctx.emit("game_ended", {"result": "no_deal", "reason": said(reason)}, team=None)
    else:
        _enter(ctx, step)


def _after_floor_pass(ctx: _Ctx) -> None:
    if ctx.state.status == "running" and ctx.state.phase == "table" and ctx.state.exchanges_used >= ctx.state.exchange_limit:
        _advance(ctx, sentence(gettext_noop("no exchanges left this round")))


def _do_start(ctx: _Ctx, move: Move) -> None:
    ctx.emit("match_started", team=None, note=move.note)
    _enter(ctx, first_step(ctx.scenario))


def _do_advance(ctx: _Ctx, move: Move) -> None:
    _advance(ctx, sentence(gettext_noop("advanced by the facilitator")) if ctx.seat == FACILITATOR else sentence(gettext_noop("advanced by the player")))


def _do_tick(ctx: _Ctx, move: Move) -> None:
    if move.waiting_for:
        if ctx.seat != SYSTEM:
            raise _illegal(sentence(gettext_noop("Only the clock waits for trainees.")))
        unknown = [s for s in move.waiting_for if seat_team(ctx.scenario, s) is None]
        if unknown:
            raise _illegal(sentence(gettext_noop("“%(seat)s” is not a seat in this case."), seat=unknown[0]))
        ctx.emit("seats_reminded", {"seats": sorted(set(move.waiting_for))}, team=None)
        return
    _advance(ctx, sentence(gettext_noop("time ran out")))


def _do_pause(ctx: _Ctx, move: Move) -> None:
    remaining = None if ctx.state.deadline is None else max(0.0, ctx.state.deadline - ctx.now)
    ctx.emit("paused", {"remaining": remaining}, team=None)


def _do_resume(ctx: _Ctx, move: Move) -> None:
    remaining = ctx.state.paused_remaining
    ctx.emit("resumed", {"deadline": None if remaining is None else ctx.now + remaining}, team=None)


def _do_extend(ctx: _Ctx, move: Move) -> None:
    deadline = ctx.state.deadline + move.seconds if (ctx.state.deadline is not None and move.seconds) else None
    ctx.emit("extended", {"seconds": move.seconds, "exchanges": move.exchanges, "deadline": deadline}, team=None)


def _do_push_inject(ctx: _Ctx, move: Move) -> None:
    if move.inject not in {i.id for i in ctx.scenario.injects}:
        raise _illegal(sentence(gettext_noop("There is no event “%(inject)s” in this case."), inject=move.inject))
    too_early = inject_too_early(ctx.scenario, ctx.state, move.inject)
    if too_early:
        raise _illegal(too_early)
    ctx.emit("inject_pushed", {"inject": move.inject, "scheduled": False}, team=None)


def _do_end(ctx: _Ctx, move: Move) -> None:
    # The facilitator's reason is free text, shown as written; the move's default is the engine's.
    why = sentence(gettext_noop("ended by the facilitator")) if move.reason == DEFAULT_END_REASON else move.reason
    if ctx.state.phase == EPILOGUE:  # the deal was made: ending the epilogue ends the game with it
        _end_epilogue(ctx, why)
        return
    reason = sentence(gettext_noop("Ended without a deal (%(why)s): both teams fall back on their BATNA."), why=why)
    ctx.emit("game_ended", {"result": "no_deal", "reason": said(reason)}, team=None)


# --- caucus ------------------------------------------------------------------------------------
def _known_issue(ctx: _Ctx, issue_id: str) -> None:
    if issue_id not in ctx.scenario.issue_ids():
        raise _illegal(sentence(gettext_noop("There is no issue “%(issue)s” in this case."), issue=issue_id))


def _known_option(ctx: _Ctx, issue_id: str, option_id: str) -> None:
    _known_issue(ctx, issue_id)
    if option_id not in ctx.scenario.issue(issue_id).option_ids():
        raise _illegal(sentence(gettext_noop("The issue “%(issue)s” has no option “%(option)s”."), issue=issue_id, option=option_id))


def _do_state_priorities(ctx: _Ctx, move: Move) -> None:
    for issue_id in move.priorities:
        _known_issue(ctx, issue_id)
    ctx.emit("priorities_stated", {"priorities": dict(move.priorities)}, visibility=ctx.private, note=move.note)


def _do_draft_mandate(ctx: _Ctx, move: Move) -> None:
    sheet = ctx.scenario.team(ctx.team).points
    for issue_id, line in move.issues.items():
        _known_option(ctx, issue_id, line.target)
        _known_option(ctx, issue_id, line.walkaway)
        if sheet[issue_id][line.target] < sheet[issue_id][line.walkaway]:
            title = ctx.scenario.issue(issue_id).title
            raise _illegal(sentence(gettext_noop("On %(issue)s, the target is worth less to your team than the walk-away; swap them."), issue=title))
    missing = [i for i in ctx.round.agenda if i not in move.issues]
    if missing:
        titles = joined(ctx.scenario.issue(i).title for i in missing)
        raise _illegal(sentence(gettext_noop("The mandate must cover every issue on this round's agenda; missing: %(issues)s."), issues=titles))
    current = ctx.state.teams[ctx.team].mandate
    version = 1 if current is None else current.version + 1
    issues = {i: {"target": line.target, "walkaway": line.walkaway} for i, line in move.issues.items()}
    ctx.emit("mandate_drafted", {"version": version, "issues": issues}, visibility=ctx.private, note=move.note)


def _check_mandate_version(ctx: _Ctx, version: int) -> None:
    current = ctx.state.teams[ctx.team].mandate
    if current is None or current.version != version:
        raise _illegal(
            sentence(gettext_noop("Mandate version %(version)s is not the current draft (read version %(current)s)."), version=version, current=current.version)
            if current else sentence(gettext_noop("Mandate version %(version)s is not the current draft."), version=version)
        )


def _do_endorse_mandate(ctx: _Ctx, move: Move) -> None:
    _check_mandate_version(ctx, move.version)
    stance = ctx.state.teams[ctx.team].stances.get(ctx.seat)
    if stance and stance.endorse and stance.version == move.version:
        raise _illegal(sentence(gettext_noop("You have already endorsed this draft.")))
    ctx.emit("mandate_endorsed", {"version": move.version}, visibility=ctx.private, note=move.note)


def _do_object_mandate(ctx: _Ctx, move: Move) -> None:
    _check_mandate_version(ctx, move.version)
    stance = ctx.state.teams[ctx.team].stances.get(ctx.seat)
    if stance and not stance.endorse and stance.version == move.version and stance.reason == move.reason:
        raise _illegal(sentence(gettext_noop("You have already raised that objection to this draft.")))
    ctx.emit("mandate_objected", {"version": move.version, "reason": said(move.reason)}, visibility=ctx.private, note=move.note)


def _do_prepare_deliverable(ctx: _Ctx, move: Move) -> None:
    ids = [d.id for d in ctx.scenario.deliverables if d.team == ctx.team]
    if move.deliverable not in ids:
        raise _illegal(sentence(gettext_noop("Your team has no execution card “%(card)s”."), card=move.deliverable))
    card = ctx.scenario.deliverable(move.deliverable)
    if ctx.seat not in card.prepared_by:
        owners = joined(ctx.scenario.role(r).title for r in card.prepared_by)
        raise _illegal(sentence(gettext_noop("Only %(owners)s can prepare %(card)s."), owners=owners, card=card.title))
    too_early = card_too_early(ctx.scenario, ctx.state, card.id)
    if too_early:
        raise _illegal(too_early)
    ds = ctx.state.teams[ctx.team].deliverables[card.id]
    if ctx.seat in ds.signed_by:
        raise _illegal(sentence(gettext_noop("You have already signed off %(card)s."), card=card.title))
    signed = [*ds.signed_by, ctx.seat]
    data: dict[str, Any] = {"deliverable": card.id, "status": "in_preparation", "ready_round": None}
    if set(signed) >= set(card.prepared_by):
        data["ready_round"] = ctx.state.round + card.preparation_rounds
        if card.preparation_rounds == 0:
            data["status"] = "prepared"
    ctx.emit("deliverable_signed", data, visibility=ctx.private, note=move.note)


def _do_choose_speaker(ctx: _Ctx, move: Move) -> None:
    if move.level not in {r.level for r in ctx.scenario.roles_of(ctx.team)}:
        raise _illegal(sentence(gettext_noop("Your team has nobody at %(level)s level."), level=level_title(move.level)))
    ctx.emit("speaker_chosen", {"level": move.level}, visibility=ctx.private, note=move.note)


def _do_team_chat(ctx: _Ctx, move: Move) -> None:
    ctx.emit("chat_posted", {"text": move.text}, visibility=ctx.private)


# --- table -------------------------------------------------------------------------------------
def _standing(ctx: _Ctx, team: str):
    offer_id = ctx.state.teams[team].standing_offer
    return ctx.state.offers[offer_id] if offer_id else None


def _do_propose(ctx: _Ctx, move: Move) -> None:
    for issue_id, option_id in move.package.items():
        _known_option(ctx, issue_id, option_id)
    missing = [i.title for i in ctx.scenario.issues if i.id not in move.package]
    if missing:
        raise _illegal(sentence(gettext_noop("A proposal is a full package; choose an option for: %(issues)s."), issues=joined(missing)))
    mine = _standing(ctx, ctx.team)
    if mine and mine.package == dict(move.package):
        raise _illegal(sentence(gettext_noop("That package is already your offer on the table.")))
    package = {i: move.package[i] for i in ctx.scenario.issue_ids()}
    ctx.emit("offer_proposed", {"offer": f"o{ctx.state.version + 1}", "package": package}, note=move.note)
    _after_floor_pass(ctx)


def _their_open_offer(ctx: _Ctx, offer_id: str):
    theirs = _standing(ctx, ctx.other)
    if theirs is None or theirs.id != offer_id:
        raise _illegal(sentence(gettext_noop("%(offer)s is not the other team's offer on the table."), offer=offer_id))
    return theirs


def _do_accept(ctx: _Ctx, move: Move) -> None:
    offer = _their_open_offer(ctx, move.offer)
    ctx.emit("offer_accepted", {"offer": offer.id}, note=move.note)
    ctx.emit("deal_reached", {"offer": offer.id, "package": dict(offer.package)})
    if ctx.state.plays_epilogue and ctx.scenario.epilogue is not None:
        _open_epilogue(ctx, dict(offer.package))
    else:
        ctx.emit("game_ended", {"result": "deal", "package": dict(offer.package), "reason": said(sentence(gettext_noop("Both teams agreed a package.")))}, team=None)


def _do_reject(ctx: _Ctx, move: Move) -> None:
    offer = _their_open_offer(ctx, move.offer)
    ctx.emit("offer_rejected", {"offer": offer.id, "reason": said(move.reason)}, note=move.note)
    _after_floor_pass(ctx)


def _do_withdraw(ctx: _Ctx, move: Move) -> None:
    mine = _standing(ctx, ctx.team)
    if mine is None or mine.id != move.offer:
        raise _illegal(sentence(gettext_noop("%(offer)s is not your offer on the table."), offer=move.offer))
    ctx.emit("offer_withdrawn", {"offer": mine.id}, note=move.note)
    _after_floor_pass(ctx)


def _own_deliverable(ctx: _Ctx, deliverable_id: str):
    ds = ctx.state.teams[ctx.team].deliverables.get(deliverable_id)
    if ds is None:
        raise _illegal(sentence(gettext_noop("Your team has no execution card “%(card)s”."), card=deliverable_id))
    card = ctx.scenario.deliverable(deliverable_id)
    if ds.status == "not_started":
        owners = joined(ctx.scenario.role(r).title for r in card.prepared_by)
        raise _illegal(sentence(gettext_noop("%(card)s has not been prepared; %(owners)s must prepare it in caucus first."), card=card.title, owners=owners))
    if ds.status == "in_preparation":
        missing = [ctx.scenario.role(r).title for r in card.prepared_by if r not in ds.signed_by]
        if missing:
            raise _illegal(sentence(gettext_noop("%(card)s is still in preparation (still waiting for %(roles)s)."), card=card.title, roles=joined(missing)))
        raise _illegal(sentence(gettext_noop("%(card)s is still in preparation (ready in round %(round)s)."), card=card.title, round=ds.ready_round))
    return card, ds


def _do_commit_deliverable(ctx: _Ctx, move: Move) -> None:
    card, ds = _own_deliverable(ctx, move.deliverable)
    if ds.status == "committed":
        raise _illegal(sentence(gettext_noop("%(card)s is already committed."), card=card.title))
    ctx.emit("deliverable_committed", {"deliverable": card.id}, note=move.note)


def _do_show_capability(ctx: _Ctx, move: Move) -> None:
    if move.deliverable is not None:
        _own_deliverable(ctx, move.deliverable)
    ctx.emit("capability_shown", {"deliverable": move.deliverable, "text": said(move.text)}, note=move.note)


def probe_answer(scenario: Scenario, team: str, issue_id: str) -> Text:
    """A truthful but partial answer from `team`'s confidential sheet and red lines."""
    sheet = scenario.team(team).points
    spread = {i: max(opts.values()) - min(opts.values()) for i, opts in sheet.items()}
    ranked = sorted(spread, key=lambda i: (-spread[i], i))
    third = max(1, len(ranked) // 3)
    position = ranked.index(issue_id)
    title = scenario.issue(issue_id).title
    red_line = any(line.issue == issue_id for r in scenario.roles_of(team) for line in r.red_lines)
    if position < third:
        answer = gettext_noop("%(issue)s is one of our most important issues. Some of our people have a line they will not cross on it.") if red_line else gettext_noop("%(issue)s is one of our most important issues.")
    elif position < 2 * third:
        answer = gettext_noop("%(issue)s matters to us, but it is not our first concern. Some of our people have a line they will not cross on it.") if red_line else gettext_noop("%(issue)s matters to us, but it is not our first concern.")
    else:
        answer = gettext_noop("%(issue)s is not where our main interests lie; there may be room here. Some of our people have a line they will not cross on it.") if red_line else gettext_noop("%(issue)s is not where our main interests lie; there may be room here.")
    return sentence(answer, issue=title)


def _do_probe(ctx: _Ctx, move: Move) -> None:
    _known_issue(ctx, move.issue)
    ctx.emit("probe_made", {"issue": move.issue, "question": said(move.question)}, note=move.note)
    ctx.emit("probe_answered", {"issue": move.issue, "answer": said(probe_answer(ctx.scenario, ctx.other, move.issue))}, actor=SYSTEM, team=ctx.other)


def _do_statement(ctx: _Ctx, move: Move) -> None:
    ctx.emit("statement_made", {"text": said(move.text)}, note=move.note)
    _after_floor_pass(ctx)


def _do_recess(ctx: _Ctx, move: Move) -> None:
    ctx.emit("recess_called", {"reason": said(move.reason)}, note=move.note)
    if ctx.state.exchanges_used >= ctx.state.exchange_limit:
        _after_floor_pass(ctx)
    else:
        _enter(ctx, recess_step(ctx.scenario, ctx.state))


def _do_escalate(ctx: _Ctx, move: Move) -> None:
    ctx.emit("escalated", {"escalations_left": ctx.state.teams[ctx.team].escalations_left - 1}, note=move.note)


# --- the epilogue ------------------------------------------------------------------------------
def _open_epilogue(ctx: _Ctx, deal: dict[str, str]) -> None:
    """The deal does not end the game: the aftermath's events land and press each team about it."""
    seconds = ctx.state.phase_seconds.get(EPILOGUE)
    step = PhaseStep(ctx.state.round, EPILOGUE)
    ctx.emit(
        "phase_started",
        {"round": step.round, "phase": EPILOGUE, "deadline": ctx.now + seconds if seconds else None,
         "exchange_limit": ctx.state.exchange_limit, "exchanges_used": ctx.state.exchanges_used, "floor": None, "deal": deal},
        team=None, at_step=step,
    )
    for inject_id in ctx.scenario.epilogue.inject_ids():
        ctx.emit("inject_pushed", {"inject": inject_id, "scheduled": True}, team=None)


def _end_epilogue(ctx: _Ctx, why: Text | str) -> None:
    """The game ends with the deal as it stands after the epilogue; a pressure left unanswered leaves
    its terms as agreed."""
    ep = ctx.state.epilogue
    reopened = [a for a in ep.answers.values() if a.choice == "reopen"]
    if reopened:
        terms = [sentence(gettext_noop("%(issue)s (by %(team)s)"), issue=ctx.scenario.issue(a.issue).title, team=ctx.scenario.team(seat_team(ctx.scenario, a.seat)).name) for a in reopened]
        listed = terms[0]
        for term in terms[1:]:
            listed = sentence(gettext_noop("%(first)s, %(next)s"), first=listed, next=term)
        reason = sentence(
            gettext_noop("Both teams agreed a package; in the epilogue, %(terms)s was reopened (%(why)s).") if len(reopened) == 1
            else gettext_noop("Both teams agreed a package; in the epilogue, %(terms)s were reopened (%(why)s)."),
            terms=listed, why=why,
        )
    else:
        reason = sentence(gettext_noop("Both teams agreed a package; the deal held through the epilogue (%(why)s)."), why=why)
    ctx.emit("game_ended", {"result": "deal", "package": dict(ep.package), "reason": said(reason)}, team=None)


CHOSEN = {
    "hold": gettext_noop("Your team has already answered this question: it chose to hold the deal."),
    "clarify": gettext_noop("Your team has already answered this question: it chose to clarify the deal."),
    "reopen": gettext_noop("Your team has already answered this question: it chose to reopen a term."),
}


def _do_answer_pressure(ctx: _Ctx, move: Move) -> None:
    ep = ctx.scenario.epilogue
    if ep is None or move.pressure not in {p.id for p in ep.pressures}:
        raise _illegal(sentence(gettext_noop("There is no pressure “%(pressure)s” in this epilogue."), pressure=move.pressure))
    pressure = ep.pressure(move.pressure)
    if pressure.team != ctx.team:
        raise MoveError(E.NOT_YOUR_TURN, sentence(gettext_noop("That question is put to %(team)s; your team answers only its own."), team=ctx.scenario.team(pressure.team).name))
    answer = ctx.state.epilogue.answers.get(pressure.id)
    if answer is not None:
        raise _illegal(sentence(CHOSEN[answer.choice]))
    data: dict[str, Any] = {"pressure": pressure.id, "choice": move.choice}
    if move.choice == "clarify" and not move.text:
        raise _illegal(sentence(gettext_noop("A clarification is a statement: write what your team says to keep the term.")))
    if move.choice == "reopen":
        if move.issue is None or move.option is None:
            raise _illegal(sentence(gettext_noop("To reopen, name the term (issue) and what your team now asks on it (option).")))
        if move.issue not in pressure.issues:
            titles = joined(ctx.scenario.issue(i).title for i in pressure.issues)
            raise _illegal(sentence(gettext_noop("This pressure puts only %(issues)s in question; reopen one of those."), issues=titles))
        _known_option(ctx, move.issue, move.option)
        now = ctx.state.epilogue.package[move.issue]
        theirs = ctx.scenario.team(ctx.other).points[move.issue]
        if theirs[move.option] >= theirs[now]:
            label = next(o.label for o in ctx.scenario.issue(move.issue).options if o.id == now)
            raise _illegal(sentence(
                gettext_noop("Reopening asks %(team)s for more than the deal gives; choose an option of %(issue)s worse for them than “%(option)s”."),
                team=ctx.scenario.team(ctx.other).name, issue=ctx.scenario.issue(move.issue).title, option=label,
            ))
        data.update(issue=move.issue, option=move.option)
    elif move.issue is not None or move.option is not None:
        raise _illegal(sentence(gettext_noop("Only a reopening names a term; to hold or clarify, leave the issue and option out.")))
    if move.text:
        data["text"] = said(move.text)
    ctx.emit("pressure_answered", data, note=move.note)
    if not any(pressures_open(ctx.scenario, ctx.state, t) for t in ctx.scenario.team_ids()):
        _end_epilogue(ctx, sentence(gettext_noop("every question of the epilogue answered")))


# --- a mixed team's floor ----------------------------------------------------------------------
def _do_delegate(ctx: _Ctx, move: Move) -> None:
    ctx.emit("floor_delegated", {"on": move.on}, visibility=ctx.private, note=move.note)


def _do_suggest(ctx: _Ctx, move: Move) -> None:
    """Advice must be a move the team could make now, so adopting it is one click, never a refusal
    for a malformed package or a stale offer."""
    advice = move.move
    if advice.kind == "propose":
        for issue_id, option_id in advice.package.items():
            _known_option(ctx, issue_id, option_id)
        missing = [i.title for i in ctx.scenario.issues if i.id not in advice.package]
        if missing:
            raise _illegal(sentence(gettext_noop("A suggested proposal is a full package; it lacks: %(issues)s."), issues=joined(missing)))
    elif advice.kind in ("accept", "reject"):
        _their_open_offer(ctx, advice.offer)
    ctx.emit("move_suggested", {"text": said(move.text), "move": advice.model_dump(exclude_none=True)}, visibility=ctx.private, note=move.note)


HANDLERS: dict[str, Callable[[_Ctx, Move], None]] = {
    name.removeprefix("_do_"): fn for name, fn in globals().items() if name.startswith("_do_")
}


# --- preconditions: why a kind of move is unavailable right now (shown on disabled buttons) ------
def _always(ctx: _Ctx, move: Move | None) -> Text | None:
    return None


def _pre_start(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if ctx.state.status == "lobby" else sentence(gettext_noop("The game has already started."))


def _pre_pause(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if ctx.state.status == "running" else sentence(gettext_noop("The game is not running."))


def _pre_resume(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if ctx.state.status == "paused" else sentence(gettext_noop("The game is not paused."))


def _pre_tick(ctx: _Ctx, move: Move | None) -> Text | None:
    if ctx.state.deadline is None:
        return sentence(gettext_noop("This phase has no deadline."))
    if ctx.now < ctx.state.deadline:
        return sentence(gettext_noop("The phase's deadline has not passed yet."))
    return None


def _pre_mandate_stance(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if ctx.state.teams[ctx.team].mandate else sentence(gettext_noop("No mandate has been drafted yet."))


def _pre_prepare(ctx: _Ctx, move: Move | None) -> Text | None:
    team = ctx.state.teams[ctx.team]
    waiting = None
    for card in ctx.scenario.deliverables:
        if card.team == ctx.team and ctx.seat in card.prepared_by and ctx.seat not in team.deliverables[card.id].signed_by:
            waiting = card_too_early(ctx.scenario, ctx.state, card.id)
            if waiting is None:
                return None
    return waiting or sentence(gettext_noop("You have no execution card left to prepare."))


def _pre_accept_reject(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if _standing(ctx, ctx.other) else sentence(gettext_noop("The other team has no offer on the table."))


def _pre_withdraw(ctx: _Ctx, move: Move | None) -> Text | None:
    return None if _standing(ctx, ctx.team) else sentence(gettext_noop("Your team has no offer on the table."))


def _pre_commit(ctx: _Ctx, move: Move | None) -> Text | None:
    if move is not None:
        return None  # a named deliverable gets a more specific reason from the handler
    ready = [d for d, ds in ctx.state.teams[ctx.team].deliverables.items() if ds.status == "prepared"]
    return None if ready else sentence(gettext_noop("No prepared execution card is waiting to be committed; prepare one in caucus."))


def _pre_answer_pressure(ctx: _Ctx, move: Move | None) -> Text | None:
    if pressures_open(ctx.scenario, ctx.state, ctx.team):
        return None
    if ctx.scenario.pressures_on(ctx.team):
        return sentence(gettext_noop("Your team has answered every question of the epilogue; the other team is still deciding."))
    return sentence(gettext_noop("The epilogue puts no question to your team."))


def _pre_escalate(ctx: _Ctx, move: Move | None) -> Text | None:
    team = ctx.state.teams[ctx.team]
    if team.escalated_round == ctx.state.round:
        return sentence(gettext_noop("Your team has already escalated this round."))
    if team.escalations_left <= 0:
        return sentence(gettext_noop("Your team has no escalations left."))
    return None


# Each gets the move when one is being applied, or None when only asking whether the kind is available.
PRECONDITIONS: dict[str, Callable[[_Ctx, Move | None], Text | None]] = {
    "start": _pre_start,
    "pause": _pre_pause,
    "resume": _pre_resume,
    "tick": _pre_tick,
    "endorse_mandate": _pre_mandate_stance,
    "object_mandate": _pre_mandate_stance,
    "prepare_deliverable": _pre_prepare,
    "accept": _pre_accept_reject,
    "reject": _pre_accept_reject,
    "withdraw": _pre_withdraw,
    "commit_deliverable": _pre_commit,
    "escalate": _pre_escalate,
    "answer_pressure": _pre_answer_pressure,
}


# --- public API --------------------------------------------------------------------------------
# Moves that emit only events of fold.LOG_ONLY (enforced by _Ctx.emit, before anything is folded).
LOG_ONLY_MOVES = frozenset({"team_chat", "suggest"})


def apply_move(scenario: Scenario, state: MatchState, seat: str, move: Move, now: float, *, expected_version: int | None = None) -> Transition:
    """Validate `move` by `seat` and return the transition it causes; raise MoveError if refused."""
    ctx = _guard(scenario, state, seat, move.kind, now, expected_version, move)
    # Guards only read; the handler folds events into a copy. A dump/validate round trip copies
    # the state about three times faster than model_copy(deep=True). A move whose events only add
    # to the log needs no more than a new top level for the version (the commonest move, a chat:
    # the deep copy was a sixth of its service call).
    if move.kind in LOG_ONLY_MOVES:
        ctx.state, ctx.shallow = state.model_copy(), True
    else:
        ctx.state = MatchState.model_validate(state.model_dump())
    after = ctx.state
    ctx.details = move.details
    HANDLERS[move.kind](ctx, move)
    return Transition(before=state, after=after, events=ctx.events)


def move_options(scenario: Scenario, state: MatchState, seat: str, now: float = 0.0) -> dict[str, Text | str | None]:
    """Every kind of move this seat might make, mapped to None if available or the reason it is not."""
    return MoveOptions(scenario, state).of(seat, now)


# Kinds whose guards read more of the asking seat than its team, whether it paces and whether it leads
# its team: which cards the seat prepares, and the moment asked (the clock's deadline).
OWN_KINDS = frozenset({"prepare_deliverable", "tick"})


class MoveOptions:
    """`move_options` for the seats of one state, asked one after another (a view for every seat of a
    table after every move): an answer that seats alike share is worked out once.

    A player's guards read of its seat only its team, whether it may pace (the pacing kinds) and whether
    it is a leader (who speaks at the table only in leader rounds), except for OWN_KINDS: seats alike in
    those share every other kind's answer. With `as_json`, each reason is its JSON, as a view holds it
    (each object read, never changed)."""

    def __init__(self, scenario: Scenario, state: MatchState, *, as_json: bool = False) -> None:
        self.scenario, self.state, self.as_json = scenario, state, as_json
        self._alike: dict[tuple[Any, ...], dict[str, Any]] = {}

    def of(self, seat: str, now: float = 0.0) -> dict[str, Any]:
        state = self.state
        if seat == FACILITATOR:
            kinds = sorted(FACILITATOR_KINDS)
        elif seat == SYSTEM:
            kinds = ["tick"]
        else:
            kinds = sorted(PLAYER_KINDS | (PACING_KINDS if seat in state.pacers else set()))
        team = seat_team(self.scenario, seat)
        alike = (seat,) if team is None else (team, seat in state.pacers, self.scenario.role(seat).level == "leader")
        shared = self._alike.get(alike)
        if shared is None:
            shared = self._alike[alike] = {kind: self._why(seat, team, kind, now) for kind in kinds if kind not in OWN_KINDS}
        return {kind: shared[kind] if kind in shared else self._why(seat, team, kind, now) for kind in kinds}

    def _why(self, seat: str, team: str | None, kind: str, now: float) -> Any:
        # In a running game, a seat's moves of another phase fail the phase check (the guards before it
        # pass for every seat of a team): their reasons are known without running the guards.
        if team is not None and self.state.status == "running":
            known = _wrong_phase_json(self.state.phase) if self.as_json else _wrong_phase_reasons(self.state.phase)
            if kind in known:
                return known[kind]
        try:
            _guard(self.scenario, self.state, seat, kind, now, None)
            return None
        except MoveError as exc:
            return said(exc.message) if self.as_json else exc.message


@lru_cache(maxsize=None)
def _wrong_phase_json(phase: str) -> dict[str, Any]:
    """_wrong_phase_reasons(phase), each reason its JSON (read, never changed)."""
    return {kind: said(why) for kind, why in _wrong_phase_reasons(phase).items()}


def legal_moves(scenario: Scenario, state: MatchState, seat: str, now: float = 0.0) -> list[str]:
    """The kinds of move this seat may make now (arguments still have to be legal)."""
    return [kind for kind, reason in move_options(scenario, state, seat, now).items() if reason is None]


assert set(HANDLERS) == ALL_KINDS, sorted(ALL_KINDS ^ set(HANDLERS))
assert CAUCUS_KINDS <= set(HANDLERS)
