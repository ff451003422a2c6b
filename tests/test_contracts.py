"""Scoring cannot import the engine (layers: engine -> scoring), so it names the engine's table
events itself. These checks keep the two lists from drifting apart."""

from __future__ import annotations

from game.engine import FACILITATOR
from game.engine.moves import FLOOR_PASSING_KINDS, TABLE_KINDS
from game.scoring.alignment import FLOOR_PASSING_EVENTS, TABLE_EVENTS
from tests.engine.scripts import Script


def _event_type_of_each_table_move(tiny) -> dict[str, str]:
    """Play every table move once and record the event type it is stored as."""
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    s.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})
    s.advance_to("table")
    s.play(FACILITATOR, {"kind": "extend", "exchanges": 10})
    package = {"price": "high", "volume": "big", "delivery": "fast"}
    red, blue = "red_tech", "blue_min"
    moves = [
        (red, {"kind": "probe", "issue": "price", "question": "How much room?"}),
        (red, {"kind": "show_capability", "deliverable": "red_schedule", "text": "We can deliver."}),
        (red, {"kind": "commit_deliverable", "deliverable": "red_schedule"}),
        (red, {"kind": "propose", "package": package}),
        (blue, {"kind": "escalate"}),
        (blue, {"kind": "reject", "offer": "<red>", "reason": "too expensive"}),
        (red, {"kind": "statement", "text": "We wait for yours."}),
        (blue, {"kind": "propose", "package": {**package, "price": "low"}}),
        (red, {"kind": "propose", "package": {**package, "price": "mid"}}),
        (blue, {"kind": "withdraw", "offer": "<blue>"}),
        (red, {"kind": "recess", "reason": "circle back"}),
    ]
    seen = {}
    for seat, move in moves:
        offer = move.get("offer")
        if offer == "<red>":
            move = {**move, "offer": s.state.teams["red"].standing_offer}
        elif offer == "<blue>":
            move = {**move, "offer": s.state.teams["blue"].standing_offer}
        seen[move["kind"]] = s.play(seat, move)[0].type
    s.advance_to("table")
    s.play("blue_min", {"kind": "propose", "package": package})
    seen["accept"] = s.play("red_tech", {"kind": "accept", "offer": s.state.teams["blue"].standing_offer})[0].type
    return seen


def test_scoring_knows_every_table_event_and_which_pass_the_floor(tiny):
    seen = _event_type_of_each_table_move(tiny)
    assert set(seen) == TABLE_KINDS
    assert TABLE_EVENTS == {seen[k] for k in TABLE_KINDS}
    assert FLOOR_PASSING_EVENTS == {seen[k] for k in FLOOR_PASSING_KINDS}
