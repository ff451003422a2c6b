"""What the state says about a team, in the words the rules use: defined once, read by the engine's
callers (scoring, the bots, replays, pages) instead of each re-deriving it from the state or the log."""

from __future__ import annotations

from game.engine.state import MatchState
from game.scenario import Scenario
from game.engine.words import Text, gettext_noop, sentence, spoken_day

# The events the game's own pacing writes (its start, each phase, its end): whoever pressed "advance"
# caused them, but they are the game's, not a move of that seat.
PACING_EVENTS = frozenset({"match_started", "phase_started", "game_ended"})


def not_endorsed(scenario: Scenario, state: MatchState, team: str) -> list[str]:
    """The team's roles (in scenario order) whose endorsement of its current mandate is missing;
    every role when there is no mandate. The drafter's endorsement is implied by the draft."""
    ts = state.teams[team]
    mandate = ts.mandate
    if mandate is None:
        return [r.id for r in scenario.roles if r.team == team]
    stances = ts.stances
    return [
        r.id for r in scenario.roles
        if r.team == team and ((s := stances.get(r.id)) is None or not s.endorse or s.version != mandate.version)
    ]


def mandate_covers_agenda(scenario: Scenario, state: MatchState, team: str) -> bool:
    """Whether the team's mandate sets lines for every issue on the current round's agenda."""
    mandate = state.teams[team].mandate
    if mandate is None:
        return False
    rounds = scenario.rounds
    agenda = rounds[state.round].agenda if state.round < len(rounds) else ()
    return all(i in mandate.issues for i in agenda)


def card_possible(scenario: Scenario, card_id: str, round_index: int) -> bool:
    """Whether the act a card stands for was possible in round `round_index` (its day has come)."""
    first = scenario.first_round_from(scenario.deliverable(card_id).available_from)
    return first is not None and round_index >= first


def card_too_early(scenario: Scenario, state: MatchState, card_id: str) -> Text | None:
    """Why a card cannot be prepared in the current round because the act it stands for was not yet
    possible, or None when its day has come (or it has none)."""
    if card_possible(scenario, card_id, state.round):
        return None
    card = scenario.deliverable(card_id)
    first = scenario.first_round_from(card.available_from)
    if first is None:
        return sentence(gettext_noop("%(card)s was not possible before %(day)s: no round of this case allows it."), card=card.title, day=spoken_day(card.available_from))
    return sentence(
        gettext_noop("%(card)s was not possible before %(day)s: it can be prepared from round %(round)s (%(date)s)."),
        card=card.title, day=spoken_day(card.available_from), round=first, date=scenario.rounds[first].date,
    )


def inject_too_early(scenario: Scenario, state: MatchState, inject_id: str) -> Text | None:
    """Why an inject cannot land in the current round because its event has not happened yet."""
    inject = scenario.inject(inject_id)
    if scenario.epilogue is not None and inject_id in scenario.epilogue.inject_ids():
        if state.phase == "epilogue":
            return None
        return sentence(gettext_noop("%(inject)s happened on %(day)s, after the talks: it lands in the epilogue, after a deal."), inject=inject.title, day=spoken_day(inject.available_from))
    first = scenario.first_round_from(inject.available_from)
    if first is not None and state.round >= first:
        return None
    if first is None:
        return sentence(gettext_noop("%(inject)s happened on %(day)s: no round of this case comes after it."), inject=inject.title, day=spoken_day(inject.available_from))
    return sentence(
        gettext_noop("%(inject)s happened on %(day)s: it can be pushed from round %(round)s (%(date)s)."),
        inject=inject.title, day=spoken_day(inject.available_from), round=first, date=scenario.rounds[first].date,
    )


def pressures_open(scenario: Scenario, state: MatchState, team: str) -> list[str]:
    """The epilogue's pressures on `team` it has not answered yet (none outside the epilogue)."""
    if state.epilogue is None or state.phase != "epilogue":
        return []
    return [p.id for p in scenario.pressures_on(team) if p.id not in state.epilogue.answers]


def cards_waiting(scenario: Scenario, state: MatchState, team: str) -> dict[str, Text]:
    """The team's cards whose day has not come, each with why."""
    out = {}
    for card in scenario.deliverables:
        if card.team == team and (why := card_too_early(scenario, state, card.id)):
            out[card.id] = why
    return out
