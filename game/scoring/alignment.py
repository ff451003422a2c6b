"""The Organisational Alignment Index: judging each event of a match by the rule table.

`AlignmentTracker` follows a match one event at a time (so scoring can follow a live game
incrementally) and records a `Finding` each time a rule of game.scoring.rules fires. The match
itself (mandates, stances, cards, offers, floor, phase, result) is the engine's `MatchState`, folded
by the engine's own `fold_event`: each event is judged against the state just before it and, where a
rule needs the outcome, the state just after. What the tracker keeps besides is only the memory its
rules need (objections not yet resolved, inject windows, what a team did this round), never a second
picture of the match.

Events are taken as the engine's `Event` objects or as their JSON dicts.
"""

from __future__ import annotations

import copy
from functools import cache
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.engine import Event, MatchSetup, MatchState, new_state
from game.engine.facts import card_possible, mandate_covers_agenda, not_endorsed
from game.engine.fold import FLOOR_PASSING_EVENTS, TABLE_EVENTS, fold_event
from game.engine.words import and_list, english
from game.scenario import LEVELS, Scenario
from game.scenario.text import Local, Text, Value, gettext_noop
from game.scoring.epilogue import judge_answer
from game.scoring.moved import moved_by_credibility
from game.scoring.rules import (
    FRAMING_WORDS,
    HOSTILE_WORDS,
    INJECT_WINDOW_TURNS,
    PROBES_PER_ROUND,
    RULE_BY_ID,
    RUSHED_SHARE,
    SUBSCORES,
)


# A list in a reason names at most this many items and counts the rest ("A, B, C and 4 more"), so the
# reason stays one readable sentence.
LISTED_AT_MOST = 3

# What a reason calls a finding about the whole team, and a role's level ("the minister level").
THE_TEAM = Text(msgid=gettext_noop("the team"))
LEVEL_WORDS: dict[str, Text] = {
    "leader": Text(msgid=gettext_noop("leader")),
    "minister": Text(msgid=gettext_noop("minister")),
    "technical": Text(msgid=gettext_noop("technical")),
}
ALL_DIMENSIONS = frozenset(SUBSCORES)
WITHOUT_EXECUTION = ALL_DIMENSIONS - {"execution"}


@dataclass(slots=True)
class Finding:
    """A rule that fired: the raw material of an Annotation."""

    seq: int
    scored_at: int
    round: int
    team: str
    seat: str | None
    rule: str
    reason: Text


def as_event(event: Any) -> Event:
    return event if isinstance(event, Event) else Event.model_validate(event)


_INDEXES: dict[int, ScenarioIndex] = {}


class ScenarioIndex:
    """Lookups the scorer needs, computed once per scenario object (immutable, shared by forks and by
    every scorer of that scenario: `ScenarioIndex.of`)."""

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioIndex:
        held = _INDEXES.get(id(scenario))
        if held is None or held.scenario is not scenario:
            if len(_INDEXES) > 64:
                _INDEXES.clear()
            held = _INDEXES[id(scenario)] = cls(scenario)
        return held

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.team_ids = tuple(scenario.team_ids())
        self.other = {t: scenario.other_team(t) for t in self.team_ids}
        self.team_name = {t.id: t.name for t in scenario.teams}
        self.sheet = {t.id: t.points for t in scenario.teams}
        self.role_team = {r.id: r.team for r in scenario.roles}
        self.role_level = {r.id: r.level for r in scenario.roles}
        self.role_title = {r.id: r.title for r in scenario.roles}
        self.roles_of = {t: tuple(r.id for r in scenario.roles if r.team == t) for t in self.team_ids}
        self.levels_of = {t: frozenset(r.level for r in scenario.roles if r.team == t) for t in self.team_ids}
        self.issue_ids = tuple(scenario.issue_ids())
        self.issue_title = {i.id: i.title for i in scenario.issues}
        self.option_label = {(i.id, o.id): o.label for i in scenario.issues for o in i.options}
        self.deliverables_of = {t: tuple(d for d in scenario.deliverables if d.team == t) for t in self.team_ids}
        self.deliverable = {d.id: d for d in scenario.deliverables}
        # (team, issue, option) -> the team's deliverables that back it, in scenario order
        self.backers: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for d in scenario.deliverables:
            for backing in d.backs:
                for option in backing.options:
                    key = (d.team, backing.issue, option)
                    self.backers[key] = (*self.backers.get(key, ()), d.id)
        # A team's ideal option per issue (ties: the one least generous to the other team).
        self.ideal = {
            t: {
                i: max(self.sheet[t][i], key=lambda o, t=t, i=i: (self.sheet[t][i][o], -self.sheet[self.other[t]][i][o]))
                for i in self.issue_ids
            }
            for t in self.team_ids
        }
        self.round_levels = [tuple(lv for lv in LEVELS if lv in r.levels) for r in scenario.rounds]
        self.injects = {i.id: i for i in scenario.injects}
        self.batna = {t.id: t.batna for t in scenario.teams}
        # Red lines: (team, issue) -> [(role, the least points on the team's sheet the role accepts)].
        self.red_lines: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for r in scenario.roles:
            for line in r.red_lines:
                if line.issue not in self.sheet[r.team]:
                    continue
                floor = self.sheet[r.team][line.issue][line.worst_acceptable]
                self.red_lines.setdefault((r.team, line.issue), []).append((r.id, floor))
        # A team's core issues: those its roles weigh most (average priority of 4 or more out of 5; when
        # no issue reaches it, the issues with the highest total priority).
        self.core = {}
        for t in self.team_ids:
            total = {i: sum(r.priorities.get(i, 1) for r in scenario.roles if r.team == t) for i in self.issue_ids}
            core = [i for i in self.issue_ids if total[i] >= 4 * len(self.roles_of[t])]
            self.core[t] = frozenset(core or [i for i in self.issue_ids if total[i] == max(total.values(), default=0)])

    def crossed_red_lines(self, team: str, options: Mapping[str, str]) -> dict[str, list[str]]:
        """Role -> the issues on which `options` (a package, or a mandate's walk-aways) crosses its red line."""
        crossed: dict[str, list[str]] = {}
        sheet = self.sheet[team]
        for issue, option in options.items():
            for role, floor in self.red_lines.get((team, issue), ()):
                if sheet[issue][option] < floor:
                    crossed.setdefault(role, []).append(issue)
        return crossed

    def points(self, team: str, package: Mapping[str, str]) -> int:
        sheet = self.sheet[team]
        return sum(sheet[i][o] for i, o in package.items())

    def term(self, issue: str, option: str) -> Text:
        return Text(msgid=gettext_noop("%(issue)s (%(option)s)"),
                    params={"issue": self.issue_title[issue], "option": self.option_label[(issue, option)]})

    def terms(self, pairs: list[tuple[str, str]]) -> Value:
        """Issues with their options when there are one or two; issue titles only when there are more."""
        if len(pairs) <= 2:
            return and_list([self.term(i, o) for i, o in pairs], most=LISTED_AT_MOST)
        return and_list([self.issue_title[i] for i, _ in pairs], most=LISTED_AT_MOST)

    def seat_name(self, seat: str | None) -> Value:
        if seat in self.role_title:
            return self.role_title[seat]
        return seat or THE_TEAM


def has_words(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text contains any of the words or phrases (lower case, at a word start)."""
    low = " " + " ".join(text.lower().split())
    return any(f" {w}" in low or f"\"{w}" in low or f"({w}" in low for w in words)


@dataclass
class _Window:
    """An inject waiting for a team's answer."""

    inject: str
    title: Local  # the inject's title, said in the reader's language
    expects: str
    turns_left: int
    statement: tuple[int, str] | None = None  # (seq, seat) of the first statement made in the window


@dataclass
class _Team:
    """What the rules remember of a team beyond the match state."""

    id: str
    objections: dict[str, int] = field(default_factory=dict)  # unresolved: seat -> version objected to
    objected: dict[str, str] = field(default_factory=dict)  # seat -> the reason of its latest objection (kept when resolved)
    overruled: set[str] = field(default_factory=set)
    alignment_shown: int | None = None  # the mandate version whose alignment the team last articulated
    best_for_other: int | None = None  # most the team has offered, on the other team's sheet
    # latest (seq, seat, how: a reason variant of power.moved_them, card title) since the other side's last proposal
    credible: tuple[int, str, str | None, Value] | None = None
    their_last_points: int | None = None  # this team's points of the other team's last proposal
    windows: list[_Window] = field(default_factory=list)
    # per round
    acted: bool = False
    committed: bool = False  # committed a deliverable this round
    conceded: dict[str, None] = field(default_factory=dict)  # issues conceded this round, in order
    rushed: bool = False
    beyond: bool = False  # offered or accepted something beyond the mandate's walk-away this round
    probed: set[str] = field(default_factory=set)  # issues probed (the whole game)
    backpedals: int = 0
    made_visible: bool = False
    recesses: int = 0
    fired: dict[str, int] = field(default_factory=dict)  # rule -> times this round (for caps)


class AlignmentTracker:
    """Judges events into findings. `feed` each event in order; read `findings` at any time."""

    def __init__(self, scenario: Scenario, index: ScenarioIndex | None = None, setup: MatchSetup | None = None):
        self.ix = index or ScenarioIndex.of(scenario)
        # The setup (seed, pacers, deadlines) changes no judgement; it only makes `state` the match's own.
        self.state: MatchState = new_state(scenario, setup or MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version))
        self.teams = {t: _Team(t) for t in self.ix.team_ids}
        self.findings: list[Finding] = []
        self._accept: tuple[int, str] | None = None  # (seq, seat) of the deal's acceptance
        self._event: Event | None = None
        self._round_of: dict[int, int] = {}  # seq -> round, for findings about an earlier move

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def finished(self) -> bool:
        return self.state.status == "finished"

    @property
    def deal(self) -> dict[str, str] | None:
        result = self.state.result
        return dict(result.package) if result is not None and result.kind == "deal" and result.package else None

    def fork(self) -> AlignmentTracker:
        """An independent copy (for a bot trying moves); the scenario and its index are shared."""
        # Findings are immutable: the copy shares them in a list of its own.
        return copy.deepcopy(self, {id(self.ix): self.ix, id(self.ix.scenario): self.ix.scenario, id(self.findings): list(self.findings)})

    # --- recording ----------------------------------------------------------------------------
    def _fire(self, rule_id: str, team: str, seat: str | None, *, seq: int | None = None, round_: int | None = None,
              variant: str | None = None, **values: Any) -> None:
        rule = RULE_BY_ID[rule_id]
        t = self.teams[team]
        if rule.cap_per_round is not None:
            if t.fired.get(rule_id, 0) >= rule.cap_per_round:
                return
        t.fired[rule_id] = t.fired.get(rule_id, 0) + 1
        if rule.dimension == "backpedal":
            t.backpedals += 1
        ev = self._event
        assert ev is not None
        cause = ev.seq if seq is None else seq
        # A finding belongs to the round of the move it judges; a round-end finding to the round that ended.
        rnd = round_ if round_ is not None else self._round_of.get(cause, ev.round)
        words = {"team": self.ix.team_name[team], "other": self.ix.team_name[self.ix.other[team]],
                 "seat": self.ix.seat_name(seat), "round": rnd, **values}
        self.findings.append(Finding(
            seq=cause, scored_at=ev.seq, round=rnd, team=team, seat=seat,
            rule=rule_id, reason=Text(msgid=rule.variants[variant] if variant else rule.reason, params=words),
        ))

    # --- reading the match state --------------------------------------------------------------
    def in_play(self, team: str) -> frozenset[str]:
        """The dimensions on which the team could have earned evidence by now. Execution needs a card
        whose act is possible (its date has come) in a round the match has reached; every other
        dimension is open from the first table move."""
        cards = self.ix.deliverables_of[team]
        if any(card_possible(self.ix.scenario, d.id, self.state.round) for d in cards):
            return ALL_DIMENSIONS
        return WITHOUT_EXECUTION
    def _mandate_status(self, team: str) -> tuple[str, list[str]]:
        """("endorsed" | "unendorsed" | "none", roles that have not endorsed) for the current round."""
        if not mandate_covers_agenda(self.ix.scenario, self.state, team):
            return "none", []
        missing = not_endorsed(self.ix.scenario, self.state, team)
        return ("unendorsed" if missing else "endorsed"), missing

    def _beyond_walkaway(self, team: str, package: Mapping[str, str]) -> list[str]:
        mandate = self.state.teams[team].mandate
        if mandate is None:
            return []
        sheet = self.ix.sheet[team]
        return [
            i for i, line in mandate.issues.items()
            if i in package and sheet[i][package[i]] < sheet[i][line["walkaway"]]
        ]

    def _standing(self, team: str):
        offer_id = self.state.teams[team].standing_offer
        return self.state.offers[offer_id] if offer_id else None

    def _last_proposal(self, team: str) -> dict[str, str] | None:
        for offer in reversed(self.state.offers.values()):
            if offer.team == team:
                return offer.package
        return None

    def _card_status(self, team: str, card: str) -> str:
        return self.state.teams[team].deliverables[card].status

    def _resolve_objection(self, team: str, seat: str) -> None:
        t = self.teams[team]
        if seat in t.objections:
            del t.objections[seat]
            t.overruled.discard(seat)
            self._fire("alignment.objection_resolved", team, seat)

    # --- feeding ------------------------------------------------------------------------------
    def feed(self, event: Any) -> None:
        """Judge one more event: `_before_<type>` reads the state before it, the engine's fold
        applies it, `_on_<type>` reads the state after it."""
        ev = as_event(event)
        if ev.seq != self.state.version + 1:
            raise ValueError(f"event seq {ev.seq} does not follow {self.state.version}: feed events once, in order")
        self._event = ev
        self._round_of[ev.seq] = ev.round
        table_move = ev.type in TABLE_EVENTS and ev.team in self.teams and ev.actor in self.ix.role_team
        if table_move:
            self._table_move(ev)
        before, after = _handlers(ev.type)
        if before is not None:
            before(self, ev)
        fold_event(self.ix.scenario, self.state, ev)
        if after is not None:
            after(self, ev)
        if table_move:
            self._after_table_move(ev)
        self._event = None

    # pacing
    def _before_phase_started(self, ev: Event) -> None:
        if ev.data["round"] != self.state.round:
            self._close_round()

    def _on_inject_pushed(self, ev: Event) -> None:
        inject = self.ix.injects.get(ev.data["inject"])
        if inject is None or inject.expects == "none":
            return
        for team in self.ix.team_ids:
            if inject.target in ("both", team):
                self.teams[team].windows.append(_Window(inject.id, inject.title, inject.expects, INJECT_WINDOW_TURNS))

    def _on_game_ended(self, ev: Event) -> None:
        self._close_round()
        for team in self.ix.team_ids:
            t = self.teams[team]
            for w in t.windows:
                # A window still open at the end is judged only in the team's favour.
                if w.expects == "composure" and w.statement is not None:
                    seq, seat = w.statement
                    self._fire("signals.composure", team, seat, seq=seq, inject=w.title)
            t.windows = []
        deal = self.deal
        if deal:
            self._score_deal(deal)

    def _close_round(self) -> None:
        """Judge the round the state is in (called before the next round's start is folded, or at the end)."""
        rnd = self.state.round
        needed = self.ix.round_levels[rnd] if rnd < len(self.ix.round_levels) else ()
        for team in self.ix.team_ids:
            t = self.teams[team]
            if not t.acted:  # the team made no table move this round
                continue
            # Organisational power is alignment made credible: a round ending with the house split (its
            # mandate missing or not endorsed by every role) earns neither credit below.
            aligned = self._mandate_status(team)[0] == "endorsed"
            # Credibility is a word kept: only a team with something on the table has one to keep.
            on_table = t.committed or self.state.teams[team].standing_offer is not None or bool(self.state.teams[team].commitments)
            if aligned and t.backpedals == 0 and on_table:
                self._fire("power.credibility_kept", team, None, round_=rnd)
            # Flexibility inside the mandate: a round with a concession beyond the walk-away or a backpedal is not patient.
            if aligned and t.conceded and not t.rushed and not t.beyond and t.backpedals == 0 and not (set(t.conceded) & self.ix.core[team]):
                core = sorted(self.ix.core[team], key=self.ix.issue_ids.index)
                self._fire("power.patient_flexible", team, None, round_=rnd,
                           moved=and_list([self.ix.issue_title[i] for i in t.conceded], most=LISTED_AT_MOST),
                           core=and_list([self.ix.issue_title[i] for i in core], most=LISTED_AT_MOST))
            if not t.made_visible:
                # Strength never put on the table: prepared cards not yet shown or committed, and an
                # endorsed mandate whose alignment the team has not articulated since it was endorsed.
                ready = [self.ix.deliverable[c].title for c, ds in self.state.teams[team].deliverables.items() if ds.status == "prepared" and not ds.shown]
                status, _ = self._mandate_status(team)
                mandate = self.state.teams[team].mandate
                unshown = status == "endorsed" and mandate is not None and t.alignment_shown != mandate.version
                if ready or unshown:
                    variant = ("both" if ready else "mandate") if unshown else None
                    self._fire("visibility.invisible_power", team, None, round_=rnd, variant=variant, cards=and_list(ready, most=LISTED_AT_MOST))
            for level in needed:
                if level in self.ix.levels_of[team] and level not in self.state.teams[team].levels_heard:
                    self._fire("levels.level_missing", team, None, round_=rnd, level=LEVEL_WORDS[level])
        for t in self.teams.values():
            t.acted = False
            t.committed = False
            t.conceded = {}
            t.rushed = False
            t.beyond = False
            t.backpedals = 0
            t.made_visible = False
            t.recesses = 0
            t.fired = {}

    # caucus
    def _on_mandate_drafted(self, ev: Event) -> None:
        self._resolve_objection(ev.team, ev.actor)

    def _on_mandate_endorsed(self, ev: Event) -> None:
        self._resolve_objection(ev.team, ev.actor)

    def _on_mandate_objected(self, ev: Event) -> None:
        self.teams[ev.team].objections[ev.actor] = ev.data["version"]
        self.teams[ev.team].objected[ev.actor] = ev.data.get("reason", "")

    # table: what every table move is checked for
    def _table_move(self, ev: Event) -> None:
        team, seat = ev.team, ev.actor
        t = self.teams[team]
        if not t.acted:
            t.acted = True
            status, missing = self._mandate_status(team)
            mandate = self.state.teams[team].mandate
            crossed = self.ix.crossed_red_lines(team, {i: line["walkaway"] for i, line in mandate.issues.items()}) if mandate else {}
            if status == "endorsed" and crossed:
                # Every role signed, but the walk-away gives away a line one of them cannot live with.
                issues = sorted({i for v in crossed.values() for i in v}, key=self.ix.issue_ids.index)
                self._fire("alignment.blank_cheque", team, seat, issues=and_list([self.ix.issue_title[i] for i in issues], most=LISTED_AT_MOST),
                           roles=and_list([self.ix.seat_name(r) for r in sorted(crossed, key=self.ix.roles_of[team].index)], most=LISTED_AT_MOST))
            elif status == "endorsed":
                self._fire("alignment.mandate_endorsed", team, seat)
            elif status == "unendorsed":
                self._fire("alignment.mandate_unendorsed", team, seat, missing=and_list([self.ix.seat_name(r) for r in missing], most=LISTED_AT_MOST))
            else:
                self._fire("alignment.no_mandate", team, seat)
            for objector in sorted(t.objections, key=self.ix.roles_of[team].index):
                if objector not in t.overruled:
                    t.overruled.add(objector)
                    self._fire("alignment.objection_overruled", team, seat, objector=self.ix.seat_name(objector))
        level = self.ix.role_level[seat]
        if level in self.ix.round_levels[self.state.round] and level not in self.state.teams[team].levels_heard:
            self._fire("levels.level_used", team, seat, level=LEVEL_WORDS[level])

    def _after_table_move(self, ev: Event) -> None:
        t = self.teams[ev.team]
        if ev.type in FLOOR_PASSING_EVENTS:
            for w in list(t.windows):
                w.turns_left -= 1
                if w.turns_left <= 0:
                    t.windows.remove(w)
                    if w.expects == "composure" and w.statement is not None:
                        seq, seat = w.statement
                        self._fire("signals.composure", ev.team, seat, seq=seq, inject=w.title)
                    elif w.expects == "concrete_proposal":
                        self._fire("signals.vague_response", ev.team, None, inject=w.title)

    def _answer_windows(self, ev: Event, *, worse: bool = False, reassuring: bool = False, moves: bool = True) -> None:
        """Judge the move against every inject still waiting for this team's answer."""
        team, seat = ev.team, ev.actor
        t = self.teams[team]
        for w in list(t.windows):
            if w.expects == "composure":
                # The reason's variant for how the team lost it ("" for a recess: the rule's own reason).
                how = {"recess_called": "", "offer_withdrawn": "withdrew"}.get(ev.type)
                if how is None and worse:
                    how = "worse"
                if how is None and ev.type == "statement_made" and has_words(english(ev.data.get("text")), HOSTILE_WORDS):
                    how = "hostile"
                if how is not None:
                    t.windows.remove(w)
                    self._fire("signals.lost_composure", team, seat, inject=w.title, variant=how or None)
                elif ev.type == "statement_made" and w.statement is None:
                    w.statement = (ev.seq, seat)
            elif w.expects == "concrete_proposal":
                # A proposal answers only if it moves (concedes something); restating a position is not concrete.
                if ev.type == "deliverable_committed" or (ev.type == "offer_proposed" and moves):
                    t.windows.remove(w)
                    if ev.type == "offer_proposed":
                        self._fire("signals.concrete_proposal", team, seat, inject=w.title)
                    else:
                        self._fire("signals.concrete_proposal", team, seat, inject=w.title, variant="commitment",
                                   deliverable=self.ix.deliverable[ev.data["deliverable"]].title)
            elif w.expects == "reassurance":
                if worse:
                    t.windows.remove(w)
                elif ev.type == "statement_made" or reassuring:
                    t.windows.remove(w)
                    self._fire("signals.reassurance", team, seat, inject=w.title)

    # table moves
    def _before_offer_proposed(self, ev: Event) -> None:
        team, seat = ev.team, ev.actor
        other = self.ix.other[team]
        t, o = self.teams[team], self.teams[other]
        package = dict(ev.data["package"])
        own_sheet, other_sheet = self.ix.sheet[team], self.ix.sheet[other]

        beyond = self._beyond_walkaway(team, package)
        if beyond:
            t.beyond = True
            self._fire("alignment.beyond_walkaway", team, seat,
                       issues=self.ix.terms([(i, package[i]) for i in beyond]))
        for_other = self.ix.points(other, package)
        worse = t.best_for_other is not None and for_other < t.best_for_other
        if worse:
            self._fire("backpedal.worse_offer", team, seat)
        # Reopening takes back an agreed term: changing it to something better for the other side is a concession.
        reopened = [i for i, opt in self.state.agreed.items()
                    if package.get(i) != opt and other_sheet[i][package[i]] < other_sheet[i][opt]]
        if reopened:
            self._fire("backpedal.reopened", team, seat, issues=and_list([self.ix.issue_title[i] for i in reopened], most=LISTED_AT_MOST))
        # A teammate's offer still standing from this table phase, unanswered by the other side.
        s = self._standing(team)
        if (s is not None and s.by != seat and s.seq > self.state.phase_seq
                and self.state.teams[other].last_offer_seq < s.seq):
            differ = [i for i in self.ix.issue_ids if s.package.get(i) != package.get(i)]
            if differ:
                self._fire("backpedal.contradiction", team, seat, teammate=self.ix.seat_name(s.by),
                           issues=and_list([self.ix.issue_title[i] for i in differ], most=LISTED_AT_MOST))
        if seat in t.objections and beyond:
            self._fire("backpedal.objector_offer", team, seat, issues=self.ix.terms([(i, package[i]) for i in beyond]))

        # Concessions: what this proposal gives the other side beyond the team's previous one (or its ideal).
        reference = self._last_proposal(team) or self.ix.ideal[team]
        given = self.ix.points(team, reference) - self.ix.points(team, package)
        room = 100 - self.ix.batna[team]
        if given > RUSHED_SHARE * room:
            t.rushed = True
            self._fire("power.rushed_concession", team, seat, given=given, room=room)
        moved = False
        for issue in self.ix.issue_ids:
            new, ref = package[issue], reference[issue]
            if new == ref or other_sheet[issue][new] <= other_sheet[issue][ref] or own_sheet[issue][new] > own_sheet[issue][ref]:
                continue
            moved = True
            t.conceded[issue] = None
            backers = self.ix.backers.get((team, issue, new), ())
            committed = [d for d in backers if self._card_status(team, d) == "committed"]
            # A card whose act is not yet possible (its date has not come) could not make the concession real.
            possible = [d for d in backers if card_possible(self.ix.scenario, d, self.state.round)]
            term = self.ix.term(issue, new)
            if committed:
                self._fire("execution.backed_concession", team, seat, issue=term, deliverable=self.ix.deliverable[committed[0]].title)
            elif possible:
                self._fire("execution.empty_promise", team, seat, issue=term, deliverable=self.ix.deliverable[possible[0]].title)

        self._answer_windows(ev, worse=worse, moves=moved)

        # Did the other team's credible move shift this proposal in its favour? Only the proposer can
        # say why it moved: a bot's offer records it when its credibility estimate moved the offer.
        if o.credible is not None and moved_by_credibility(ev.data.get("details")) is not None:
            seq, credible_seat, how, card = o.credible
            self._fire("power.moved_them", other, credible_seat, seq=seq, variant=how, deliverable=card)
        o.credible = None
        o.their_last_points = for_other
        t.best_for_other = for_other if t.best_for_other is None else max(t.best_for_other, for_other)

    def _before_offer_accepted(self, ev: Event) -> None:
        team, seat = ev.team, ev.actor
        self._accept = (ev.seq, seat)
        standing = self._standing(self.ix.other[team])
        if standing is not None:
            beyond = self._beyond_walkaway(team, standing.package)
            if beyond:
                self._fire("alignment.beyond_walkaway", team, seat, variant="accepted",
                           issues=self.ix.terms([(i, standing.package[i]) for i in beyond]))
        self._answer_windows(ev)

    def _on_offer_rejected(self, ev: Event) -> None:
        self._answer_windows(ev)

    def _on_offer_withdrawn(self, ev: Event) -> None:
        self._answer_windows(ev)

    def _on_statement_made(self, ev: Event) -> None:
        t = self.teams[ev.team]
        text = english(ev.data.get("text"))  # a bot's statement is a sentence: its words are read in English
        hostile = has_words(text, HOSTILE_WORDS)
        if t.conceded and has_words(text, FRAMING_WORDS) and not hostile:
            self._fire("visibility.framed_concession", ev.team, ev.actor)
        if hostile:
            self._fire("backpedal.hostile_statement", ev.team, ev.actor)
        self._answer_windows(ev)

    def _before_recess_called(self, ev: Event) -> None:
        t = self.teams[ev.team]
        status, missing = self._mandate_status(ev.team)
        why = None  # the reason's variant: "" for no mandate (the rule's own reason)
        if status == "none":
            why = ""
        elif status == "unendorsed":
            why = "unendorsed"
        elif t.recesses >= 1:
            why = "second"
        t.recesses += 1
        if why is not None:
            self._fire("backpedal.unplanned_recess", ev.team, ev.actor, variant=why or None,
                       missing=and_list([self.ix.seat_name(r) for r in missing], most=LISTED_AT_MOST))
        self._answer_windows(ev)

    def _on_deliverable_committed(self, ev: Event) -> None:
        t = self.teams[ev.team]
        t.made_visible = True
        t.committed = True
        title = self.ix.deliverable[ev.data["deliverable"]].title
        t.credible = (ev.seq, ev.actor, None, title)
        self._fire("execution.commitment", ev.team, ev.actor, deliverable=title)
        self._answer_windows(ev)

    def _before_capability_shown(self, ev: Event) -> None:
        t = self.teams[ev.team]
        card = ev.data.get("deliverable")
        genuine = True
        if card:
            title = self.ix.deliverable[card].title
            t.credible = (ev.seq, ev.actor, "shown", title)
            if not self.state.teams[ev.team].deliverables[card].shown:  # a committed card is on the table already
                self._fire("visibility.capability_shown", ev.team, ev.actor, deliverable=title)
            else:
                self._fire("visibility.repeated_claim", ev.team, ev.actor, deliverable=title)
        else:
            status, missing = self._mandate_status(ev.team)
            mandate = self.state.teams[ev.team].mandate
            if status == "endorsed" and mandate is not None:
                if t.fired.get("visibility.alignment_shown"):
                    genuine = False
                    self._fire("visibility.repeated_claim", ev.team, ev.actor, variant="alignment")
                else:
                    t.credible = (ev.seq, ev.actor, "alignment", "")
                    t.alignment_shown = mandate.version
                    self._fire("visibility.alignment_shown", ev.team, ev.actor)
            else:
                genuine = False
                if t.fired.get("visibility.hollow_alignment"):
                    self._fire("visibility.repeated_claim", ev.team, ev.actor, variant="hollow")
                else:
                    self._fire("visibility.hollow_alignment", ev.team, ev.actor, variant=None if status == "none" else "unendorsed",
                               missing=and_list([self.ix.seat_name(r) for r in missing], most=LISTED_AT_MOST))
        if genuine:
            t.made_visible = True
        self._answer_windows(ev, reassuring=genuine)

    def _on_probe_made(self, ev: Event) -> None:
        t = self.teams[ev.team]
        issue = ev.data["issue"]
        title = self.ix.issue_title.get(issue, issue)
        agenda = self.ix.scenario.rounds[self.state.round].agenda if self.state.round < len(self.ix.scenario.rounds) else []
        why = None  # the reason's variant: "" off the agenda (the rule's own reason)
        if issue not in agenda:
            why = ""
        elif issue in t.probed:
            why = "again"
        elif t.fired.get("signals.probe", 0) >= PROBES_PER_ROUND:
            why = "too_many"
        t.probed.add(issue)
        if why is not None:
            self._fire("signals.idle_probe", ev.team, ev.actor, issue=title, variant=why or None, probes=PROBES_PER_ROUND)
        else:
            self._fire("signals.probe", ev.team, ev.actor, issue=title)
        self._answer_windows(ev)

    def _on_escalated(self, ev: Event) -> None:
        self._answer_windows(ev)

    def _on_pressure_answered(self, ev: Event) -> None:
        judge_answer(self, ev)

    # the end
    def _score_deal(self, package: dict[str, str]) -> None:
        accepted = self._accept or (self.state.version, "")
        accept_seq = accepted[0]
        accepted_offer = next((o for o in self.state.offers.values() if o.status == "accepted"), None)
        proposed = (accepted_offer.seq, accepted_offer.by) if accepted_offer is not None else (0, "")
        # Each team's part in the deal: the acceptance for one, the accepted proposal for the other.
        moves = {self.ix.role_team.get(seat): (seq, seat) for seq, seat in (accepted, proposed) if seat}
        for team in self.ix.team_ids:
            seq, seat = moves.get(team, (accept_seq, None))
            beyond = self._beyond_walkaway(team, package)
            crossed = self.ix.crossed_red_lines(team, package)
            points = self.ix.points(team, package)
            below = points < self.ix.batna[team]
            if below:
                self._fire("power.deal_below_batna", team, seat, seq=seq, points=points, batna=self.ix.batna[team])
            if beyond:
                self._fire("power.deal_beyond_mandate", team, seat, seq=seq,
                           issues=self.ix.terms([(i, package[i]) for i in beyond]))
            elif not below and not crossed and self._mandate_status(team)[0] == "endorsed":
                self._fire("power.deal_within_mandate", team, seat, seq=seq)
            for role in sorted(crossed, key=self.ix.roles_of[team].index):
                self._fire("alignment.red_line_crossed", team, seat, seq=seq, role=self.ix.seat_name(role),
                           issues=self.ix.terms([(i, package[i]) for i in crossed[role]]))
            commitments = self.state.teams[team].commitments
            for card in self.ix.deliverables_of[team]:
                terms = self.ix.terms([(b.issue, package[b.issue]) for b in card.backs if package.get(b.issue) in b.options])
                if card.id in commitments:
                    seq, committer = commitments[card.id]
                    if terms:
                        self._fire("execution.followed_through", team, committer, seq=seq, deliverable=card.title,
                                   terms=terms)
                    else:
                        self._fire("execution.commitment_dropped", team, committer, seq=seq, deliverable=card.title)
                elif terms and card_possible(self.ix.scenario, card.id, self.state.round):
                    # A card whose act was not yet possible when the deal was made is no missing backing.
                    self._fire("execution.unbacked_deal_term", team, None, seq=accept_seq, deliverable=card.title,
                               terms=terms)


@cache
def _handlers(event_type: str) -> tuple[Any, Any]:
    """The tracker's (before, after) methods for an event type (None where it has none)."""
    return getattr(AlignmentTracker, f"_before_{event_type}", None), getattr(AlignmentTracker, f"_on_{event_type}", None)


def may_find(event_type: str) -> bool:
    """Whether feeding an event of this type can produce a finding (an annotation) at that event: only
    a table move or an event the tracker handles can. A team chat, say, cannot; a live server need not
    score one the moment it happens (the next scoring feeds it anyway)."""
    return event_type in TABLE_EVENTS or _handlers(event_type) != (None, None)
