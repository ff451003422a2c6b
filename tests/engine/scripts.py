"""Scripted games that work on any valid scenario, used by the engine, service and view tests."""

from __future__ import annotations

from game.engine import FACILITATOR, MatchSetup, MatchState, apply_move, new_state, parse_move
from game.engine.state import Event
from game.scenario import Scenario


class Script:
    """Plays moves through the engine, keeping the state and the whole log."""

    def __init__(self, scenario: Scenario, *, seed: int = 0, pacers: tuple[str, ...] = (), chatty: bool = False, epilogue: bool = False):
        self.scenario = scenario
        self.chatty = chatty  # a team chat after every other move of a running game, the teams in turn
        self.setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed, pacers=list(pacers), epilogue=epilogue)
        self.state: MatchState = new_state(scenario, self.setup)
        self.events: list[Event] = []
        self.moves: list[tuple[str, dict]] = []  # every accepted (seat, move), to re-play elsewhere
        self.now = 1_000.0

    def play(self, seat: str, move: dict) -> list[Event]:
        self.now += 1
        t = apply_move(self.scenario, self.state, seat, parse_move(move), self.now)
        self.state = t.after
        self.events.extend(t.events)
        self.moves.append((seat, move))
        if self.chatty and move["kind"] != "team_chat" and self.state.status == "running":
            team = self.scenario.team_ids()[len(self.moves) % 2]
            self.play(self.scenario.roles_of(team)[0].id, {"kind": "team_chat", "text": f"note {len(self.moves)}"})
        return t.events

    def advance(self) -> None:
        self.play(FACILITATOR, {"kind": "advance"})

    def advance_to(self, phase: str) -> None:
        while self.state.phase != phase and self.state.status == "running":
            self.advance()

    def leader(self, team: str) -> str:
        return next(r.id for r in self.scenario.roles_of(team) if r.level == "leader")

    def speaker(self, team: str) -> str:
        """A seat that may speak at the table this round (not the leader, unless the round needs one)."""
        levels = self.scenario.rounds[self.state.round].levels
        roles = self.scenario.roles_of(team)
        for role in roles:
            if role.level in levels and role.level != "leader":
                return role.id
        if "leader" in levels:
            return self.leader(team)
        return next(r.id for r in roles if r.level != "leader")

    def align(self, team: str) -> None:
        """Draft a mandate (ideal target, any-option walk-away) on this round's agenda; everybody endorses."""
        sheet = self.scenario.team(team).points
        agenda = self.scenario.rounds[self.state.round].agenda or self.scenario.issue_ids()[:1]
        issues = {
            i: {"target": max(sheet[i], key=sheet[i].get), "walkaway": min(sheet[i], key=sheet[i].get)} for i in agenda
        }
        drafter = self.leader(team)
        [drafted] = self.play(drafter, {"kind": "draft_mandate", "issues": issues})
        for role in self.scenario.roles_of(team):
            if role.id != drafter:
                self.play(role.id, {"kind": "endorse_mandate", "version": drafted.data["version"]})


def play_to_deal(scenario: Scenario, *, chatty: bool = False, epilogue: bool = False, package: dict[str, str] | None = None) -> Script:
    """Both teams align in every caucus; at the first table, one team proposes a package the other
    accepts (`package`, else the historical outcome's; `chatty`: with a team chat after each of those
    moves). With `epilogue`, the match plays the scenario's epilogue, and the script stops when the deal
    opens it."""
    s = Script(scenario, chatty=chatty, epilogue=epilogue)
    s.play(FACILITATOR, {"kind": "start"})
    while s.state.status == "running" and s.state.phase != "epilogue":
        if s.state.phase == "caucus":
            for team in scenario.team_ids():
                s.align(team)
            s.advance()
        elif s.state.phase == "table":
            opener = s.state.floor
            other = scenario.other_team(opener)
            agreed = package or (scenario.historical_outcome.package if scenario.historical_outcome else {i.id: i.options[0].id for i in scenario.issues})
            s.play(s.speaker(opener), {"kind": "propose", "package": agreed})
            offer = s.state.teams[opener].standing_offer
            s.play(s.speaker(other), {"kind": "accept", "offer": offer})
        else:
            s.advance()
    return s


def play_to_no_deal(scenario: Scenario) -> Script:
    """Every table: each team states, proposes its own ideal and rejects the other's until time runs out."""
    s = Script(scenario)
    s.play(FACILITATOR, {"kind": "start"})
    while s.state.status == "running":
        if s.state.phase == "table":
            team = s.state.floor
            other = scenario.other_team(team)
            theirs = s.state.teams[other].standing_offer
            if theirs:
                s.play(s.speaker(team), {"kind": "reject", "offer": theirs, "reason": "too far from what we need"})
            else:
                sheet = scenario.team(team).points
                ideal = {i: max(sheet[i], key=sheet[i].get) for i in scenario.issue_ids()}
                if s.state.teams[team].standing_offer:
                    s.play(s.speaker(team), {"kind": "statement", "text": "Our position stands."})
                else:
                    s.play(s.speaker(team), {"kind": "propose", "package": ideal})
        else:
            s.advance()
    return s
