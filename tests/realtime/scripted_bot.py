"""A tiny scripted bot with game.bots.decide's signature, so the runner is tested whatever state the
real bot is in. It plays legal, dull moves: the leader drafts an ideal mandate each caucus and the
others endorse it; at the table the team's speaker proposes the historical package and accepts the
other side's offer once a few exchanges have passed (or in the last round)."""

from __future__ import annotations

from game.engine import parse_move, seat_team

calls: list[str] = []  # seats asked, for tests that want to see the bot was consulted


def _speaker(scenario, state, team):
    levels = scenario.rounds[state.round].levels
    roles = scenario.roles_of(team)
    for role in roles:
        if role.level in levels and role.level != "leader":
            return role.id
    if "leader" in levels:
        return next(r.id for r in roles if r.level == "leader")
    return next(r.id for r in roles if r.level != "leader")


def decide(scenario, state, events, seat, persona_id, seed, now):
    calls.append(seat)
    team = seat_team(scenario, seat)
    mine = state.teams[team]
    if state.phase == "caucus":
        leader = next(r.id for r in scenario.roles_of(team) if r.level == "leader")
        if mine.mandate is None or mine.mandate.round != state.round:
            if seat != leader:
                return None
            sheet = scenario.team(team).points
            agenda = scenario.rounds[state.round].agenda or scenario.issue_ids()[:1]
            issues = {i: {"target": max(sheet[i], key=sheet[i].get), "walkaway": min(sheet[i], key=sheet[i].get)} for i in agenda}
            return parse_move({"kind": "draft_mandate", "issues": issues, "note": "scripted: ideal targets"})
        stance = mine.stances.get(seat)
        if stance is None or not stance.endorse or stance.version != mine.mandate.version:
            return parse_move({"kind": "endorse_mandate", "version": mine.mandate.version, "note": "scripted"})
        return None
    if state.phase == "table" and state.floor == team and seat == _speaker(scenario, state, team):
        other = scenario.other_team(team)
        theirs = state.teams[other].standing_offer
        last_round = state.round == len(scenario.rounds) - 1
        if theirs and (state.exchanges_used >= 2 or last_round):
            return parse_move({"kind": "accept", "offer": theirs, "note": "scripted: good enough"})
        if mine.standing_offer is None:
            package = scenario.historical_outcome.package if scenario.historical_outcome else {i.id: i.options[0].id for i in scenario.issues}
            return parse_move({"kind": "propose", "package": package, "note": "scripted"})
        return parse_move({"kind": "statement", "text": "Our offer stands.", "note": "scripted"})
    return None


def chatty(scenario, state, events, seat, persona_id, seed, now):
    """A bot that always has something to say: the runner must stop it (bounded moves per trigger)."""
    calls.append(seat)
    if state.phase in {"briefing", "caucus", "table", "review"}:
        return parse_move({"kind": "team_chat", "text": f"chatter {state.version}"})
    return None


slow_seen: list[int] = []


def slow(scenario, state, events, seat, persona_id, seed, now):
    """Thinks for a while (in its worker thread) before chatting once per round; records the versions it saw."""
    import time

    if seat != "us_treasury" or state.phase != "caucus":
        return None
    if any(e.actor == seat and e.type == "chat_posted" and e.round == state.round for e in events):
        return None
    slow_seen.append(state.version)
    time.sleep(0.3)
    return parse_move({"kind": "team_chat", "text": f"considered at version {state.version}"})
