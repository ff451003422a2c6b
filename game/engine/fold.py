"""How each kind of event changes the state. The only code that mutates a MatchState.

`fold_event` must depend on nothing but the state and the event, so that replaying the log
always rebuilds exactly the live state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from game.engine.facts import mandate_covers_agenda, not_endorsed
from game.engine.state import (
    DeliverableState,
    EpilogueState,
    Event,
    Mandate,
    MatchSetup,
    MatchState,
    Offer,
    PressureAnswer,
    Result,
    Stance,
    TeamState,
)
from game.scenario import Scenario

Folder = Callable[[Scenario, MatchState, Event], None]
_FOLDERS: dict[str, Folder] = {}


def folds(event_type: str) -> Callable[[Folder], Folder]:
    def register(fn: Folder) -> Folder:
        _FOLDERS[event_type] = fn
        return fn

    return register


EVENT_TYPES = _FOLDERS.keys()
# A team's table moves, as the events they are stored as: those that end the team's turn and hand
# the floor to the other team (each costs one exchange), and the supporting moves a turn holds a few of.
FLOOR_PASSING_EVENTS = frozenset({"offer_proposed", "offer_accepted", "offer_rejected", "offer_withdrawn", "statement_made", "recess_called"})
SUPPORTING_EVENTS = frozenset({"deliverable_committed", "capability_shown", "probe_made", "escalated"})
TABLE_EVENTS = FLOOR_PASSING_EVENTS | SUPPORTING_EVENTS
# Every event that is a team's own move (the rest are the clock's, the facilitator's, or bookkeeping
# such as a probe's answer and the deal that follows an acceptance). Letting the bots play the floor
# and a bot's advice to its humans are the team's own too, seen only by the team.
CAUCUS_EVENTS = frozenset({"priorities_stated", "mandate_drafted", "mandate_endorsed", "mandate_objected", "deliverable_signed", "speaker_chosen"})
TEAM_MOVE_EVENTS = CAUCUS_EVENTS | TABLE_EVENTS | {"chat_posted", "floor_delegated", "move_suggested", "pressure_answered"}
# Event types that live only in the log: their fold changes nothing of the state but its version.
LOG_ONLY: set[str] = set()


def log_only(event_type: str) -> None:
    """Register `event_type` as one that only adds to the log (a no-op fold, by construction)."""
    LOG_ONLY.add(event_type)
    _FOLDERS[event_type] = _nothing


def _nothing(scenario: Scenario, state: MatchState, event: Event) -> None:
    pass


def only_add_to_log(events: Iterable[Event]) -> bool:
    """Whether folding these events changes nothing of a state but its version (all are LOG_ONLY)."""
    return all(event.type in LOG_ONLY for event in events)


def new_state(scenario: Scenario, setup: MatchSetup) -> MatchState:
    if (setup.scenario_id, setup.scenario_version) != (scenario.id, scenario.version):
        raise ValueError(
            f"setup is for scenario {setup.scenario_id} v{setup.scenario_version}, not {scenario.id} v{scenario.version}"
        )
    return MatchState(
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        seed=setup.seed,
        pacers=list(setup.pacers),
        phase_seconds=dict(setup.phase_seconds),
        plays_epilogue=setup.epilogue,
        teams={
            t.id: TeamState(
                escalations_left=t.escalations,
                deliverables={d.id: DeliverableState() for d in scenario.deliverables if d.team == t.id},
            )
            for t in scenario.teams
        },
    )


def fold_event(scenario: Scenario, state: MatchState, event: Event) -> None:
    if event.seq != state.version + 1:
        raise ValueError(f"event seq {event.seq} does not follow version {state.version}")
    _FOLDERS[event.type](scenario, state, event)
    if event.type in TABLE_EVENTS:
        team = state.teams[event.team]
        if event.type in FLOOR_PASSING_EVENTS:
            state.exchanges_used += 1
            if team.supporting_moves:  # (an assignment to a pydantic model is not free: skip the no-op)
                team.supporting_moves = 0
            team.floor_seqs.append(event.seq)
            state.floor = scenario.other_team(event.team)
        else:
            team.supporting_moves += 1
        level = _level_of(scenario, event.actor)
        if level is not None and level not in team.levels_heard:
            team.levels_heard.append(level)
            needed = scenario.rounds[state.round].levels if state.round < len(scenario.rounds) else ()
            if needed and all(lv in team.levels_heard for lv in needed):
                _record(team, f"levels:{state.round}", event.seq)
    state.version = event.seq


_LEVELS: dict[int, tuple[Scenario, dict[str, str]]] = {}


def _level_of(scenario: Scenario, seat: str) -> str | None:
    """The seat's level (None for the clock or the facilitator); a table per scenario object."""
    held = _LEVELS.get(id(scenario))
    if held is None or held[0] is not scenario:
        if len(_LEVELS) > 64:
            _LEVELS.clear()
        held = _LEVELS[id(scenario)] = (scenario, {r.id: r.level for r in scenario.roles})
    return held[1].get(seat)


def _record(team: TeamState, fact: str, seq: int) -> None:
    """Add a fact to the team's public conduct, the first time only."""
    if all(f != fact for f, _ in team.conduct):
        team.conduct.append((fact, seq))


def _endorsed_for_agenda(scenario: Scenario, state: MatchState, team: str) -> bool:
    return not not_endorsed(scenario, state, team) and mandate_covers_agenda(scenario, state, team)


def _recompute_agreed(state: MatchState) -> None:
    standing = [state.offers[t.standing_offer].package for t in state.teams.values() if t.standing_offer]
    if len(standing) < 2:
        state.agreed = {}
        return
    a, b = standing
    state.agreed = {issue: option for issue, option in a.items() if b.get(issue) == option}


# --- pacing ------------------------------------------------------------------------------------
@folds("match_started")
def _started(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.status = "running"


@folds("phase_started")
def _phase_started(scenario: Scenario, state: MatchState, event: Event) -> None:
    d = event.data
    new_round = d["round"] != state.round
    state.phase = d["phase"]
    state.phase_seq = event.seq
    if new_round:
        state.round = d["round"]
        state.round_seq = event.seq
    # Assignments to a pydantic model are not free: the many that would change nothing are skipped.
    if state.deadline != d.get("deadline"):
        state.deadline = d.get("deadline")
    if state.exchange_limit != d["exchange_limit"]:
        state.exchange_limit = d["exchange_limit"]
    if state.exchanges_used != d["exchanges_used"]:
        state.exchanges_used = d["exchanges_used"]
    if state.floor != d.get("floor"):
        state.floor = d.get("floor")
    if "deal" in d:  # the epilogue opens on the deal just agreed
        state.epilogue = EpilogueState(deal=dict(d["deal"]), package=dict(d["deal"]))
    for team in state.teams.values():
        if team.supporting_moves:
            team.supporting_moves = 0
        if new_round:
            if team.speaker_level is not None:
                team.speaker_level = None
            team.levels_heard.clear()
        for ds in team.deliverables.values():
            if ds.status == "in_preparation" and ds.ready_round is not None and ds.ready_round <= state.round:
                ds.status = "prepared"


@folds("played_on")
def _played_on(scenario: Scenario, state: MatchState, event: Event) -> None:
    """A practice game continues another game from one of its positions (game.engine.replay.play_on):
    it runs now, at the trainee's pace, so the original's phase clock and pause no longer hold."""
    state.status = "running"
    state.deadline = None
    state.paused_remaining = None


@folds("paused")
def _paused(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.status = "paused"
    state.paused_remaining = event.data.get("remaining")
    state.deadline = None


@folds("resumed")
def _resumed(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.status = "running"
    state.deadline = event.data.get("deadline")
    state.paused_remaining = None


@folds("extended")
def _extended(scenario: Scenario, state: MatchState, event: Event) -> None:
    if event.data.get("deadline") is not None:
        state.deadline = event.data["deadline"]
    if state.paused_remaining is not None:
        state.paused_remaining += event.data.get("seconds", 0)
    state.exchange_limit += event.data.get("exchanges", 0)


@folds("seats_reminded")
def _reminded(scenario: Scenario, state: MatchState, event: Event) -> None:
    """Time ran out on trainees who have not moved this phase: they are reminded and the table waits
    for them, so the phase keeps no deadline (the facilitator or the pacer moves it on)."""
    state.deadline = None


@folds("inject_pushed")
def _inject(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.injects.append(event.data["inject"])
    state.landed[event.data["inject"]] = (event.round, event.seq)


@folds("game_ended")
def _ended(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.status = "finished"
    state.deadline = None
    state.floor = None
    state.result = Result(kind=event.data["result"], package=event.data.get("package"), reason=event.data["reason"])


# --- caucus ------------------------------------------------------------------------------------
@folds("priorities_stated")
def _priorities(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].priorities[event.actor] = dict(event.data["priorities"])


@folds("mandate_drafted")
def _mandate(scenario: Scenario, state: MatchState, event: Event) -> None:
    team = state.teams[event.team]
    team.mandate = Mandate(version=event.data["version"], round=event.round, drafted_by=event.actor, issues=event.data["issues"])
    # A new draft needs every role's word again; the drafter's is implied.
    team.stances = {event.actor: Stance(endorse=True, version=event.data["version"])}


@folds("mandate_endorsed")
def _endorsed(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].stances[event.actor] = Stance(endorse=True, version=event.data["version"])


@folds("mandate_objected")
def _objected(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].stances[event.actor] = Stance(endorse=False, reason=event.data["reason"], version=event.data["version"])


@folds("deliverable_signed")
def _signed(scenario: Scenario, state: MatchState, event: Event) -> None:
    ds = state.teams[event.team].deliverables[event.data["deliverable"]]
    ds.signed_by.append(event.actor)
    ds.status = event.data["status"]
    ds.ready_round = event.data.get("ready_round")


@folds("speaker_chosen")
def _speaker(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].speaker_level = event.data["level"]


log_only("chat_posted")
log_only("move_suggested")


@folds("floor_delegated")
def _delegated(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].delegated_round = event.round if event.data["on"] else None


# --- table -------------------------------------------------------------------------------------
@folds("offer_proposed")
def _proposed(scenario: Scenario, state: MatchState, event: Event) -> None:
    team = state.teams[event.team]
    if team.standing_offer:
        state.offers[team.standing_offer].status = "superseded"
    offer_id = event.data["offer"]
    state.offers[offer_id] = Offer(
        id=offer_id, team=event.team, by=event.actor, package=dict(event.data["package"]), round=event.round, seq=event.seq
    )
    team.standing_offer = offer_id
    team.last_offer_seq = event.seq
    _recompute_agreed(state)


@folds("offer_accepted")
def _accepted(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.offers[event.data["offer"]].status = "accepted"


@folds("offer_rejected")
def _rejected(scenario: Scenario, state: MatchState, event: Event) -> None:
    offer = state.offers[event.data["offer"]]
    offer.status = "rejected"
    state.teams[offer.team].standing_offer = None
    _recompute_agreed(state)


@folds("offer_withdrawn")
def _withdrawn(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.offers[event.data["offer"]].status = "withdrawn"
    state.teams[event.team].standing_offer = None
    state.teams[event.team].last_offer_seq = event.seq
    _recompute_agreed(state)


@folds("deliverable_committed")
def _committed(scenario: Scenario, state: MatchState, event: Event) -> None:
    ds = state.teams[event.team].deliverables[event.data["deliverable"]]
    ds.status = "committed"
    ds.shown = True
    state.teams[event.team].commitments[event.data["deliverable"]] = (event.seq, event.actor)
    _record(state.teams[event.team], f"shown:{event.data['deliverable']}", event.seq)


@folds("capability_shown")
def _shown(scenario: Scenario, state: MatchState, event: Event) -> None:
    team = state.teams[event.team]
    if event.data.get("deliverable"):
        team.deliverables[event.data["deliverable"]].shown = True
        _record(team, f"shown:{event.data['deliverable']}", event.seq)
    else:
        team.alignment_shown = True
        team.alignment_seqs.append(event.seq)
        if not _endorsed_for_agenda(scenario, state, event.team):
            _record(team, f"hollow_claim:{state.round}", event.seq)


@folds("statement_made")
def _statement(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].statement_seqs.append(event.seq)


@folds("probe_made")
def _probe(scenario: Scenario, state: MatchState, event: Event) -> None:
    state.teams[event.team].probes.append((event.data["issue"], event.seq))


log_only("probe_answered")  # the answer is a function of the case (apply.probe_answer), kept in the log


@folds("recess_called")
def _recess(scenario: Scenario, state: MatchState, event: Event) -> None:
    """A recess changes whose turn it is (fold_event's table bookkeeping); one called without an
    endorsed mandate for the agenda, or a second in the round, is recorded as unplanned."""
    team = state.teams[event.team]
    first = f"recess:{state.round}"
    if any(f == first for f, _ in team.conduct) or not _endorsed_for_agenda(scenario, state, event.team):
        _record(team, f"unplanned_recess:{state.round}", event.seq)
    _record(team, first, event.seq)


@folds("escalated")
def _escalated(scenario: Scenario, state: MatchState, event: Event) -> None:
    team = state.teams[event.team]
    team.escalations_left -= 1
    team.escalated_round = event.round


log_only("deal_reached")  # game_ended (or the epilogue's phase_started) follows and carries the result


# --- the epilogue ------------------------------------------------------------------------------
@folds("pressure_answered")
def _answered(scenario: Scenario, state: MatchState, event: Event) -> None:
    """A team answers a pressure of the epilogue; a reopened term changes the deal as it stands."""
    d = event.data
    assert state.epilogue is not None, "a pressure is answered only in the epilogue"
    was = state.epilogue.package.get(d["issue"]) if d["choice"] == "reopen" else None
    state.epilogue.answers[d["pressure"]] = PressureAnswer(
        choice=d["choice"], seat=event.actor, seq=event.seq, text=d.get("text"),
        issue=d.get("issue"), option=d.get("option"), was=was,
    )
    if d["choice"] == "reopen":
        state.epilogue.package[d["issue"]] = d["option"]
