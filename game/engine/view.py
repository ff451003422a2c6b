"""What one seat may see: its own team's private state and log, and only the public part of the other's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.engine.apply import MoveOptions, seat_team
from game.engine.facts import cards_waiting
from game.engine.state import FACILITATOR, Event, MatchState
from game.engine.words import said
from game.scenario import Scenario

OBSERVER = "observer"  # someone watching the table: public information only
STATIC_VIEW_KEYS = ("roles", "points_sheet", "batna")  # fixed for a whole game: sent once, on (re)connect
PRIVATE_REASONS = ("note", "details")  # event data only the mover's team sees during the game


def can_see(event: Event, seat: str, team: str | None) -> bool:
    if seat == FACILITATOR or event.visibility == "public":
        return True
    return team is not None and event.visibility == f"team:{team}"


def visible_events(scenario: Scenario, events: Iterable[Event], seat: str, *, reveal_notes: bool = False) -> list[Event]:
    """The part of the log `seat` may see. A mover's private note and its details (a bot's reasoning
    names its target and BATNA) reach the other team only when `reveal_notes` is set, i.e. after the game."""
    team = seat_team(scenario, seat)
    visible = []
    for e in events:
        if not can_see(e, seat, team):
            continue
        if "note" in e.data and not reveal_notes and seat != FACILITATOR and e.team != team:
            e = e.model_copy(update={"data": {k: v for k, v in e.data.items() if k not in PRIVATE_REASONS}})
        visible.append(e)
    return visible


def _public_team(team_state: dict[str, Any]) -> dict[str, Any]:
    return {
        "standing_offer": team_state["standing_offer"],
        "alignment_shown": team_state["alignment_shown"],
        # Only what has been put on the table: committed or shown deliverables.
        "deliverables": {
            d: {"status": "committed" if ds["status"] == "committed" else "shown"}
            for d, ds in team_state["deliverables"].items()
            if ds["shown"] or ds["status"] == "committed"
        },
    }


def _role_card(scenario: Scenario, role_id: str, *, confidential: bool) -> dict[str, Any]:
    role = scenario.role(role_id)
    card: dict[str, Any] = {"id": role.id, "title": role.title, "level": role.level, "summary": role.summary, "counterpart": role.counterpart}
    if confidential:
        card.update(
            brief=role.brief,
            priorities=dict(role.priorities),
            # The reason stays the case's text (in every language) until a page says it to its reader.
            red_lines=[{**line.model_dump(), "reason": line.reason} for line in role.red_lines],
            owns=[d.id for d in scenario.deliverables if role.id in d.prepared_by],
            citations=[c.model_dump() for c in role.citations],
        )
    return card


def player_view(
    scenario: Scenario, state: MatchState, seat: str, now: float = 0.0, *, static: bool = True,
    state_json: dict[str, Any] | None = None, shared: dict[str, Any] | None = None, reasons: Reasons | None = None,
) -> dict[str, Any]:
    """The state as `seat` may see it. The facilitator sees everything; observers see the public part.

    `static=False` leaves out what never changes during a game (STATIC_VIEW_KEYS: the role cards, the
    points sheet and the BATNA), for updates to a seat that already has them. `state_json` is
    `state.to_json()` if the caller has it already: the seats of one table share one dump (it is
    copied, never changed). `shared` is `shared_view(...)` for this seat's team if the caller has it,
    `reasons` the `Reasons` of this state that the caller builds every seat's view with.
    """
    team = seat_team(scenario, seat)
    if seat == FACILITATOR:
        data = dict(state.to_json() if state_json is None else state_json)
        data["viewer"] = {"seat": seat, "team": None}
        if static:
            data["roles"] = {r.id: _role_card(scenario, r.id, confidential=True) for r in scenario.roles}
        return data
    data = dict(shared_view(scenario, state, team, state_json=state_json) if shared is None else shared)
    data["viewer"] = {"seat": seat, "team": team}
    if static:
        data["roles"] = {
            r.id: _role_card(scenario, r.id, confidential=r.id == seat or (r.team == team and r.brief_visibility == "team"))
            for r in scenario.roles
        }
    if team is not None:
        if static:
            data["points_sheet"] = scenario.team(team).points
            data["batna"] = scenario.team(team).batna
        reasons = Reasons(scenario, state) if reasons is None else reasons
        data["moves"] = reasons.moves(seat, now)
        data["cards_waiting"] = reasons.cards_waiting(team)
    return data


class Reasons:
    """Why each kind of move, and each of a team's cards, is unavailable at one state, for the views
    of every seat of a table at that state: worked out once for the seats that share them (a team's
    cards wait for all its seats; seats alike share their moves' reasons: apply.MoveOptions).

    Each reason is its JSON, plain like the rest of a view, and said where it is shown; the objects
    end up in the seats' views: read them, never change them. `before` is the same table's Reasons at
    an earlier version: the cards' reasons it worked out are kept while the round is the same (they
    depend on the round alone: facts.card_too_early)."""

    def __init__(self, scenario: Scenario, state: MatchState, *, before: Reasons | None = None) -> None:
        self.scenario, self.state = scenario, state
        self._options = MoveOptions(scenario, state, as_json=True)
        self._cards: dict[str, dict[str, Any]] = dict(before._cards) if before is not None and before.state.round == state.round else {}

    def moves(self, seat: str, now: float) -> dict[str, Any]:
        return self._options.of(seat, now)

    def cards_waiting(self, team: str) -> dict[str, Any]:
        cards = self._cards.get(team)
        if cards is None:
            cards = self._cards[team] = {card: said(why) for card, why in cards_waiting(self.scenario, self.state, team).items()}
        return cards


def shared_view(scenario: Scenario, state: MatchState, team: str | None, *, state_json: dict[str, Any] | None = None) -> dict[str, Any]:
    """The part of player_view that every seat of `team` (None: an observer) shares: the state without
    its setup, with only the public part of every other team. Its values end up in each seat's view:
    read them, never change them."""
    data = dict(state.to_json() if state_json is None else state_json)
    data["teams"] = {t: ts if t == team else _public_team(ts) for t, ts in data["teams"].items()}
    return _without_setup(data)


def _without_setup(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("pacers", "phase_seconds", "seed"):
        data.pop(key, None)
    return data
