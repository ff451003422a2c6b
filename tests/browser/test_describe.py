"""The table page describes events in the server's words: static/js/describe.js, given the phrasebook
the page's config carries, writes exactly the line the debrief and the replay write."""

from __future__ import annotations

import json
from pathlib import Path

from game.bots import play_game
from game.engine import Event
from game.selectors import scenario_for
from game.web.describe import PHRASES, describe, words
from game.web.said import said_events

DESCRIBE_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "describe.js"


def _extra_events(scenario, last: Event) -> list[dict]:
    """Events a bot game does not produce: every variant of a phrase, and an unknown type."""
    base = {"seq": last.seq + 1, "round": 1, "phase": "table", "at": 0.0, "visibility": "public"}
    card = scenario.deliverables[0]
    other = scenario.other_team(card.team)
    return [
        {**base, "type": "extended", "actor": "facilitator", "data": {"seconds": 120, "exchanges": 0}},
        {**base, "type": "extended", "actor": "facilitator", "data": {"seconds": 90, "exchanges": 2}},
        {**base, "type": "extended", "actor": "facilitator", "data": {"seconds": 0, "exchanges": 2}},
        {**base, "type": "extended", "actor": "facilitator", "data": {}},
        {**base, "type": "paused", "actor": "facilitator", "data": {"remaining": 30}},
        {**base, "type": "resumed", "actor": "facilitator", "data": {}},
        {**base, "type": "game_ended", "actor": "facilitator", "data": {"result": "no_deal"}},
        {**base, "type": "deliverable_signed", "actor": card.prepared_by[0], "team": card.team, "data": {"deliverable": card.id, "status": "prepared"}},
        {**base, "type": "deliverable_signed", "actor": card.prepared_by[0], "team": card.team, "data": {"deliverable": card.id, "status": "in_preparation"}},
        {**base, "type": "capability_shown", "actor": card.prepared_by[0], "team": card.team, "data": {"deliverable": None, "text": "One voice."}},
        {**base, "type": "probe_answered", "actor": "system", "team": other, "data": {"issue": scenario.issues[0].id, "answer": "It matters."}},
        {**base, "type": "mandate_objected", "actor": card.prepared_by[0], "team": card.team, "data": {"version": 2, "reason": "too soft"}},
        {**base, "type": "chat_posted", "actor": card.prepared_by[0], "team": card.team, "data": {"text": "Hold firm."}},
        {**base, "type": "recess_called", "actor": card.prepared_by[0], "team": card.team, "data": {"reason": "circle back"}},
        {**base, "type": "offer_withdrawn", "actor": card.prepared_by[0], "team": card.team, "data": {"offer": "o4"}},
        {**base, "type": "escalated", "actor": card.prepared_by[0], "team": card.team, "data": {"escalations_left": 1}},
        {**base, "type": "floor_delegated", "actor": card.prepared_by[0], "team": card.team, "visibility": card.team, "data": {"on": True}},
        {**base, "type": "floor_delegated", "actor": card.prepared_by[0], "team": card.team, "visibility": card.team, "data": {"on": False}},
        {**base, "type": "move_suggested", "actor": card.prepared_by[0], "team": card.team, "visibility": card.team,
         "data": {"text": "I suggest we accept their offer o3.", "move": {"kind": "accept", "offer": "o3"}}},
        {**base, "type": "seats_reminded", "actor": "system", "data": {"seats": [card.prepared_by[0]]}},
        {**base, "type": "played_on", "actor": "system", "data": {"from_step": 40}},
        {**base, "type": "pressure_answered", "actor": card.prepared_by[0], "team": card.team,
         "data": {"pressure": "p", "choice": "clarify", "text": "The term stands as written."}},
        {**base, "type": "pressure_answered", "actor": card.prepared_by[0], "team": card.team, "data": {"pressure": "p", "choice": "hold"}},
        {**base, "type": "pressure_answered", "actor": card.prepared_by[0], "team": card.team,
         "data": {"pressure": "p", "choice": "reopen", "issue": scenario.issues[0].id, "option": scenario.issues[0].options[0].id}},
        {**base, "type": "something_new", "actor": "system", "data": {}},
    ]


def test_the_table_pages_describer_writes_the_servers_lines(browser, default_scenario):
    # As a socket sends them: the rules core's sentences (a probe's answer, a bot's reason) said.
    events = said_events([e.model_dump(mode="json") for e in play_game(default_scenario, {"us": "us_dealseeker", "vn": "vn_hardline"}, 3)])
    events += _extra_events(default_scenario, Event.model_validate(events[-1]))
    assert set(PHRASES) <= {e["type"] for e in events}  # every phrase, and every variant of it
    expected = [describe(default_scenario, e, short=True) for e in events]

    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>describe</title>")
        case = scenario_for(default_scenario, None, everything=True)
        runner = (
            DESCRIBE_JS.read_text()
            + f"\nconst D = makeDescriber({json.dumps(case)}, {json.dumps(words())});"
            + f"\nwindow.described = {json.dumps(events)}.map(D.describe);"
        )
        page.add_script_tag(content=runner, type="module")
        page.wait_for_function("window.described !== undefined")
        got = page.evaluate("window.described")
    finally:
        page.close()
    assert got == expected
    assert "The phase was extended by 2 min." in got and "The phase was extended by 1.5 min and 2 exchanges." in got
