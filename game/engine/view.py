"""What one seat may see: its own team's private state and log, and only the public part of the other's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.engine.apply import move_options, seat_team
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
    state_json: dict[str, Any] | None = None, shared: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The state as `seat` may see it. The facilitator sees everything; observers see the public part.

    `static=False` leaves out what never changes during a game (STATIC_VIEW_KEYS: the role cards, the
    points sheet and the BATNA), for updates to a seat that already has them. `state_json` is
    `state.to_json()` if the caller has it already: the seats of one table share one dump (it is
    copied, never changed). `shared` is `shared_view(...)` for this seat's team if the caller has it.
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
        # Plain JSON like the rest of the view: each reason a Text's JSON, said where it is shown.
        data["moves"] = {kind: _json(why) for kind, why in move_options(scenario, state, seat, now).items()}
        data["cards_waiting"] = {card: _json(why) for card, why in cards_waiting(scenario, state, team).items()}
    return data


# Most of a seat's reasons are the same sentence objects view after view (a phase's "not now" reasons are
# built once): each is dumped once, and the one dump is the object every view holds (read, never changed).
_DUMPED: dict[int, tuple[Any, Any]] = {}


def _json(why: Any) -> Any:
    held = _DUMPED.get(id(why))
    if held is not None and held[0] is why:
        return held[1]
    dumped = said(why)
    if dumped is not why:
        if len(_DUMPED) >= 4096:
            _DUMPED.clear()
        _DUMPED[id(why)] = (why, dumped)
    return dumped


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
