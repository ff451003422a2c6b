"""A seat never sees the other team's private fields, in the state or in the log."""

from __future__ import annotations

import json

from game.engine import FACILITATOR, OBSERVER, player_view, replay_states, visible_events
from tests.engine.scripts import Script, play_to_deal
from game.engine.words import english

PRIVATE_TEAM_FIELDS = {"mandate", "stances", "priorities", "speaker_level", "escalations_left", "supporting_moves"}


def _rich_game(scenario):
    """A game where both teams draft, object, chat and prepare in private before a deal."""
    s = Script(scenario)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    for team in scenario.team_ids():
        leader = s.leader(team)
        s.play(leader, {"kind": "team_chat", "text": f"SECRET-{team}: our real bottom line"})
        s.play(leader, {"kind": "state_priorities", "priorities": {scenario.issue_ids()[0]: 5}})
        s.align(team)
        other_role = next(r.id for r in scenario.roles_of(team) if r.id != leader)
        version = s.state.teams[team].mandate.version
        s.play(other_role, {"kind": "object_mandate", "version": version, "reason": f"SECRET-{team} objection"})
    return s


def test_each_seat_sees_only_its_own_team_private_state_and_log(any_scenario):
    s = _rich_game(any_scenario)
    states = list(replay_states(any_scenario, s.setup, s.events))
    for role in any_scenario.roles:
        other = any_scenario.other_team(role.team)
        for state in states[::3] + [s.state]:
            view = player_view(any_scenario, state, role.id)
            assert PRIVATE_TEAM_FIELDS <= set(view["teams"][role.team])
            assert not PRIVATE_TEAM_FIELDS & set(view["teams"][other])
            assert view["points_sheet"] == any_scenario.team(role.team).points
            assert "seed" not in view and "pacers" not in view
            text = json.dumps(view, default=lambda local: local.model_dump())  # the case's texts in every language
            assert f"SECRET-{other}" not in text
        seen = visible_events(any_scenario, s.events, role.id)
        assert all(e.visibility in ("public", f"team:{role.team}") for e in seen)
        assert not any(f"SECRET-{other}" in json.dumps(e.data) for e in seen)
        assert any(f"SECRET-{role.team}" in json.dumps(e.data) for e in seen)


def test_confidential_briefs_are_shown_only_to_their_holder(any_scenario):
    s = play_to_deal(any_scenario)
    for role in any_scenario.roles:
        cards = player_view(any_scenario, s.state, role.id)["roles"]
        assert cards[role.id]["brief"] == role.brief
        for other_id, card in cards.items():
            other = any_scenario.role(other_id)
            shared = other.team == role.team and other.brief_visibility == "team"
            assert ("brief" in card) == (other_id == role.id or shared)
            assert ("red_lines" in card) == ("brief" in card)


def test_the_other_team_sees_committed_deliverables_but_not_preparation(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("caucus")
    s.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})
    assert player_view(tiny, s.state, "blue_min")["teams"]["red"]["deliverables"] == {}
    s.advance_to("table")
    s.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    assert player_view(tiny, s.state, "blue_min")["teams"]["red"]["deliverables"] == {"red_schedule": {"status": "committed"}}


def test_observers_see_the_public_part_and_the_facilitator_sees_everything(tiny):
    s = _rich_game(tiny)
    observer = player_view(tiny, s.state, OBSERVER)
    assert all(not PRIVATE_TEAM_FIELDS & set(t) for t in observer["teams"].values())
    assert "points_sheet" not in observer
    assert all(e.visibility == "public" for e in visible_events(tiny, s.events, OBSERVER))
    facilitator = player_view(tiny, s.state, FACILITATOR)
    assert all(PRIVATE_TEAM_FIELDS <= set(t) for t in facilitator["teams"].values())
    assert len(visible_events(tiny, s.events, FACILITATOR)) == len(s.events)


def test_a_seat_is_told_why_a_move_is_unavailable(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    moves = player_view(tiny, s.state, "blue_min")["moves"]
    assert english(moves["propose"]) == "Red team has the floor."
    assert moves["team_chat"] is None
    red = player_view(tiny, s.state, "red_tech")["moves"]
    assert red["propose"] is None
    assert english(red["accept"]) == "The other team has no offer on the table."
    assert english(red["draft_mandate"]) == "That move belongs to the Caucus phase; this is the Table phase."


def test_a_movers_note_reaches_the_other_team_only_after_the_game(tiny):
    s = Script(tiny)
    s.play(FACILITATOR, {"kind": "start"})
    s.advance_to("table")
    s.play("red_tech", {"kind": "statement", "text": "Hello.", "note": "my target is 80, my BATNA 30"})
    [mine] = [e for e in visible_events(tiny, s.events, "red_boss") if e.type == "statement_made"]
    [theirs] = [e for e in visible_events(tiny, s.events, "blue_min") if e.type == "statement_made"]
    assert mine.data["note"] == "my target is 80, my BATNA 30"
    assert "note" not in theirs.data and theirs.data["text"] == "Hello."
    assert "note" in s.events[-1].data  # the log itself keeps it, for the replay
    [revealed] = [e for e in visible_events(tiny, s.events, "blue_min", reveal_notes=True) if e.type == "statement_made"]
    assert revealed.data["note"] == "my target is 80, my BATNA 30"


def test_an_update_view_is_the_full_view_less_the_static_parts_and_shares_one_dump_safely(any_scenario):
    """A connected seat gets views without the role cards, points sheet and BATNA; the seats of one
    table share one dump of the state, and building a seat's view never changes that dump."""
    from game.engine.view import STATIC_VIEW_KEYS  # noqa: PLC0415

    s = _rich_game(any_scenario)
    shared = s.state.to_json()
    before = json.dumps(shared, sort_keys=True)
    for seat in [r.id for r in any_scenario.roles] + [FACILITATOR, OBSERVER]:
        full = player_view(any_scenario, s.state, seat)
        update = player_view(any_scenario, s.state, seat, static=False, state_json=shared)
        assert update == {k: v for k, v in full.items() if k not in STATIC_VIEW_KEYS}
    assert json.dumps(shared, sort_keys=True) == before
