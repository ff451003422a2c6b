"""The whole team, not one player: the caucus (priorities, mandate, endorsement, preparation, speaker)
and who of the team's bot seats acts at the table.

A bot team is the model of good organisational alignment at its persona's skill: every role states
its priorities; the coordinator drafts a mandate covering every issue, with walk-aways derived from
the persona's reservation value and inside every role's red lines; every role endorses it; the
owners prepare the deliverables that back the concessions the mandate allows; the coordinator
chooses the speaker level the round needs. A bot team shares its members' briefs internally (as a
well-aligned team would); it never reads the other team's.

Bot teammates in a human team never draft: they state their priorities, endorse a mandate that
respects their role's red lines and vital issues, object with a reason naming the issue and the
line when it does not, and prepare their deliverables once they have endorsed a mandate that plans
the concession those deliverables back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from game.bots.space import best_bid, space_of
from game.bots.strategy import Mind, label, title
from game.engine import MatchState
from game.engine.facts import card_possible, mandate_covers_agenda, not_endorsed
from game.engine.moves import (
    ChooseSpeaker,
    DraftMandate,
    EndorseMandate,
    MandateLine,
    Move,
    ObjectMandate,
    PrepareDeliverable,
    StatePriorities,
)
from game.engine.state import Mandate
from game.engine.words import Text, and_list, chained, gettext_noop, level_title, paragraph, sentence
from game.scenario import IDEAL_POINTS, LEVELS, Scenario
from game.scenario.schema import Deliverable, Persona, Role

VITAL = 5  # a priority this high makes the team's worst option on that issue unacceptable to the role


def all_bots(scenario: Scenario, team: str, bot_seats: Collection[str] | None) -> bool:
    return bot_seats is None or all(r.id in bot_seats for r in scenario.roles_of(team))


def bot_roles(scenario: Scenario, team: str, bot_seats: Collection[str] | None) -> list[Role]:
    return [r for r in scenario.roles_of(team) if bot_seats is None or r.id in bot_seats]


def coordinator(scenario: Scenario, team: str) -> Role:
    """Who drafts a bot team's mandate: its first minister (the head of the negotiating team)."""
    roles = scenario.roles_of(team)
    return next((r for r in roles if r.level == "minister"), next((r for r in roles if r.level != "leader"), roles[0]))


def needed_level(scenario: Scenario, team: str, round_index: int) -> str:
    """The highest level the round's agenda needs that the team has (minister when the round says nothing)."""
    have = {r.level for r in scenario.roles_of(team)}
    levels = scenario.rounds[round_index].levels
    for level in LEVELS:
        if level in levels and level in have:
            return level
    for level in ("minister", "technical", "leader"):
        if level in have:
            return level
    return LEVELS[0]


def may_speak(scenario: Scenario, state: MatchState, role: Role) -> bool:
    if role.level != "leader":
        return True
    return "leader" in scenario.rounds[state.round].levels or state.teams[role.team].escalated_round == state.round


# --- mandates ---------------------------------------------------------------------------------------
def mandate_floors(mind: Mind) -> list[tuple[int, Text | str]]:
    """Per issue, the least points the team can live with: every bot role's red lines and vital issues."""
    space, sheet = mind.space, mind.sheet
    floors: list[tuple[int, Text | str]] = [(0, "")] * len(space.issues)
    for role in mind.roles:
        for line in role.red_lines:
            i = space.issues.index(line.issue)
            points = sheet[i][space.options[i].index(line.worst_acceptable)]
            if points > floors[i][0]:
                floors[i] = (points, sentence(gettext_noop("%(role)s's red line"), role=role.title))
        for issue, priority in role.priorities.items():
            if priority >= VITAL and issue in space.issues:
                i = space.issues.index(issue)
                above_worst = sorted(set(sheet[i]))[1:2]
                if above_worst and above_worst[0] > floors[i][0]:
                    floors[i] = (above_worst[0], sentence(gettext_noop("vital to %(role)s"), role=role.title))
    return floors


def draft_bot_mandate(mind: Mind) -> DraftMandate:
    """Target: the option of the package we would offer now. Walk-away: the worst option that still
    fits in a package worth our reservation value, inside every role's red line and vital issue."""
    space, sheet, scenario = mind.space, mind.sheet, mind.scenario
    floors = mandate_floors(mind)
    slack = IDEAL_POINTS - mind.reservation
    walkaways = bot_walkaways(scenario, mind.team, mind.persona, mind.roles)
    walk = [space.options[i].index(walkaways[issue]) for i, issue in enumerate(space.issues)]
    inside = [sorted((k for k in range(len(row)) if row[k] >= row[walk[i]]), key=lambda k: (-row[k], k)) for i, row in enumerate(sheet)]
    planned_options = [[k for k in opts if k in inside[i]] or inside[i] for i, opts in enumerate(mind.bid_options)]
    bid = best_bid(sheet, mind.model_rows, planned_options, mind.goal) or best_bid(sheet, mind.model_rows, inside, 0)
    assert bid is not None
    issues = {}
    bound = []
    for i, issue in enumerate(space.issues):
        issues[issue] = MandateLine(target=space.options[i][bid.choice[i]], walkaway=space.options[i][walk[i]])
        reachable = min(p for p in sheet[i] if max(sheet[i]) - p <= slack)
        if reachable < floors[i][0]:
            bound.append(sentence(gettext_noop("%(issue)s (%(why)s)"), issue=title(scenario, issue), why=floors[i][1]))
    note = paragraph(
        sentence(gettext_noop("Our targets are the package we would offer now; our walk-aways are the least we can accept on each issue"
                   " and still do safely better than no deal.")),
        sentence(gettext_noop("Some walk-aways are held higher by our own people: %(issues)s."), issues=and_list(bound)) if bound else None,
    )
    details = sentence(
        gettext_noop("Mandate drafted in round %(round)s: target package worth %(value)s to us (target %(target)s); walk-aways fit in a package"
          " worth our reservation value %(reservation)s (BATNA %(batna)s + margin %(margin)s)."),
        round=mind.state.round, value=bid.own, target=f"{mind.target.value:.0f}", reservation=mind.reservation, batna=mind.batna,
        margin=mind.persona.reservation_margin,
    )
    return DraftMandate(issues=issues, note=note, details=details)


def bot_walkaways(scenario: Scenario, team: str, persona: Persona, roles: list[Role] | None = None) -> dict[str, str]:
    """Per issue, the walk-away a bot team drafts (see draft_bot_mandate): fixed for a game."""
    # The memo key holds every input the result depends on (the space holds the points sheets).
    key = (
        "walkaways",
        team,
        scenario.team(team).batna,
        persona.reservation_margin,
        tuple(
            (tuple((line.issue, line.worst_acceptable) for line in r.red_lines), tuple(sorted(r.priorities.items())))
            for r in (roles if roles is not None else scenario.roles_of(team))
        ),
    )
    return space_of(scenario).memo(key, lambda: _bot_walkaways(scenario, team, persona, roles))


def _bot_walkaways(scenario: Scenario, team: str, persona: Persona, roles: list[Role] | None) -> dict[str, str]:
    sheet = scenario.team(team).points
    reservation = min(IDEAL_POINTS, scenario.team(team).batna + persona.reservation_margin)
    floors: dict[str, int] = {}
    for role in roles if roles is not None else scenario.roles_of(team):
        for line in role.red_lines:
            floors[line.issue] = max(floors.get(line.issue, 0), sheet[line.issue][line.worst_acceptable])
        for issue, priority in role.priorities.items():
            above_worst = sorted(set(sheet[issue].values()))[1:2]
            if priority >= VITAL and above_worst:
                floors[issue] = max(floors.get(issue, 0), above_worst[0])
    out = {}
    for issue in scenario.issue_ids():
        row = sheet[issue]
        options = scenario.issue(issue).option_ids()
        best = max(row.values())
        ok = [o for o in options if row[o] >= floors.get(issue, 0) and best - row[o] <= IDEAL_POINTS - reservation]
        out[issue] = min(ok, key=lambda o: (row[o], options.index(o)))
    return out


def needs_redraft(scenario: Scenario, state: MatchState, team: str, persona: Persona, mandate: Mandate) -> bool:
    """A bot team keeps its mandate while it still covers the agenda, nobody objects to it and its
    walk-aways are still the ones the team would draft: a standing, endorsed mandate is alignment enough."""
    ts = state.teams[team]
    if any(not s.endorse and s.version == mandate.version for s in ts.stances.values()):
        return True
    if not mandate_covers_agenda(scenario, state, team):
        return True
    walk = bot_walkaways(scenario, team, persona)
    return any(mandate.issues.get(i, {}).get("walkaway") != w for i, w in walk.items())


def objections(scenario: Scenario, role: Role, mandate: Mandate) -> list[Text]:
    """Why this role cannot endorse the mandate: each names the issue and the line it crosses."""
    sheet = scenario.team(role.team).points
    out = []
    for line in role.red_lines:
        entry = mandate.issues.get(line.issue)
        if entry is None:
            continue
        walkaway = entry["walkaway"]
        if sheet[line.issue][walkaway] < sheet[line.issue][line.worst_acceptable]:
            name = title(scenario, line.issue)
            out.append(sentence(
                gettext_noop("On %(issue)s, the walk-away “%(walkaway)s” crosses my red line: the worst I can accept is “%(worst)s” (%(why)s)."),
                issue=name, walkaway=label(scenario, line.issue, walkaway), worst=label(scenario, line.issue, line.worst_acceptable), why=line.reason,
            ))
    for issue, priority in sorted(role.priorities.items()):
        entry = mandate.issues.get(issue)
        if entry is None or priority < VITAL or any(line.issue == issue for line in role.red_lines):
            continue
        points = sheet[issue]
        if len(set(points.values())) > 1 and points[entry["walkaway"]] == min(points.values()):
            name = title(scenario, issue)
            out.append(sentence(
                gettext_noop("%(issue)s is vital to me (priority %(priority)s/5), and the walk-away “%(walkaway)s” is our worst option on it: that gives it away entirely."),
                issue=name, priority=priority, walkaway=label(scenario, issue, entry["walkaway"]),
            ))
    return out


def _objection(reasons: list[Text]) -> Text:
    """A role's objections in one reason, as many as fit in a move's reason (the first always)."""
    reason = reasons[0]
    for more in reasons[1:]:
        longer = sentence(gettext_noop("%(first)s Also: %(next)s"), first=reason, next=more)
        if len(str(longer)) > 500:
            break
        reason = longer
    return reason


def planned(scenario: Scenario, card: Deliverable, mandate: Mandate) -> bool:
    """Whether the mandate allows a term this deliverable backs (a deal with that term and the card
    left unsigned would be an empty promise)."""
    sheet = scenario.team(card.team).points
    for back in card.backs:
        entry = mandate.issues.get(back.issue)
        if entry is None:
            continue
        floor = sheet[back.issue][entry["walkaway"]]
        if any(sheet[back.issue][o] >= floor for o in back.options):
            return True
    return False


# --- the caucus, seat by seat -------------------------------------------------------------------------
def caucus_move(
    scenario: Scenario,
    state: MatchState,
    events,
    seat: str,
    persona,
    seed: int,
    bot_seats: Collection[str] | None,
) -> Move | None:
    role = scenario.role(seat)
    team = role.team
    ts = state.teams[team]
    whole = all_bots(scenario, team, bot_seats)
    coord = coordinator(scenario, team)
    rnd = scenario.rounds[state.round]

    if seat not in ts.priorities and role.priorities:
        top = sorted(role.priorities.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        return StatePriorities(
            priorities=dict(role.priorities),
            note=sentence(gettext_noop("%(role)s states its priorities so the mandate can respect them; it cares most about %(issues)s."),
                          role=role.title, issues=and_list(title(scenario, i) for i, _ in top)),
        )

    mandate = ts.mandate
    if whole:
        if seat == coord.id:
            teammates_ready = all(r.id in ts.priorities or not r.priorities for r in scenario.roles_of(team))
            if teammates_ready and (mandate is None or needs_redraft(scenario, state, team, persona, mandate)):
                mind = Mind(scenario, state, team, persona, seed, None)
                return draft_bot_mandate(mind)
        if mandate is None:
            return None  # wait for the coordinator's draft

    if mandate is not None:
        stance = ts.stances.get(seat)
        if stance is None or stance.version != mandate.version:
            reasons = objections(scenario, role, mandate)
            if reasons:
                return ObjectMandate(
                    version=mandate.version,
                    reason=_objection(reasons),
                    note=sentence(gettext_noop("%(role)s objects to mandate v%(version)s: it must respect the role's red lines and vital issues."),
                                  role=role.title, version=mandate.version),
                )
            vital = any(p >= VITAL for p in role.priorities.values())
            return EndorseMandate(
                version=mandate.version,
                note=sentence(
                    gettext_noop("%(role)s endorses mandate v%(version)s: it respects the role's red lines and vital issues.") if vital
                    else gettext_noop("%(role)s endorses mandate v%(version)s: it respects the role's red lines."),
                    role=role.title, version=mandate.version,
                ),
            )
        if stance.endorse:
            for card in scenario.deliverables:
                if card.team == team and seat in card.prepared_by and seat not in ts.deliverables[card.id].signed_by:
                    if planned(scenario, card, mandate) and card_possible(scenario, card.id, state.round):
                        backs = and_list(title(scenario, b.issue) for b in card.backs)
                        return PrepareDeliverable(
                            deliverable=card.id,
                            note=sentence(
                                gettext_noop("%(role)s signs off %(card)s: our mandate allows a term on %(issues)s that this card backs, so it will be credible"
                                  " at the table (ready in %(rounds)s round(s)).") if card.preparation_rounds
                                else gettext_noop("%(role)s signs off %(card)s: our mandate allows a term on %(issues)s that this card backs, so it will be"
                                       " credible at the table."),
                                role=role.title, card=card.title, issues=backs, rounds=card.preparation_rounds,
                            ),
                        )

    if whole and seat == coord.id and "table" in rnd.phases and mandate is not None:
        everyone = not not_endorsed(scenario, state, team)
        level = needed_level(scenario, team, state.round)
        if everyone and ts.speaker_level != level:
            note = (sentence(gettext_noop("The %(level)s level speaks for us this round: the round's agenda needs the %(levels)s level(s)."),
                             level=level_title(level), levels=chained((level_title(lv) for lv in rnd.levels), gettext_noop("%(first)s, %(next)s")))
                    if rnd.levels else sentence(gettext_noop("The %(level)s level speaks for us this round: the round names no level."), level=level_title(level)))
            return ChooseSpeaker(level=level, note=note)
    return None


# --- who acts at the table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cast:
    speaker: Role  # makes the floor-passing moves
    escalate: bool  # the speaker is the leader and must escalate first
    by_level: dict[str, Role]  # a bot role per level that may act at the table now


def table_cast(scenario: Scenario, state: MatchState, team: str, bot_seats: Collection[str] | None) -> Cast | None:
    """The bot seats that act for the team at the table now, or None if the table is a human's to play
    (a human teammate is seated and has not let the team play this round)."""
    ts = state.teams[team]
    roles = scenario.roles_of(team)
    bots = [r for r in roles if bot_seats is None or r.id in bot_seats]
    humans = [r for r in roles if not (bot_seats is None or r.id in bot_seats)]
    if not bots:
        return None
    level = ts.speaker_level or needed_level(scenario, team, state.round)
    escalate = False
    leader = next((r for r in bots if r.level == "leader"), None)
    if level == "leader" and leader is not None and not may_speak(scenario, state, leader):
        if ts.escalations_left > 0 and ts.supporting_moves < scenario.supporting_moves_per_turn:
            escalate = True
        else:
            level = next((lv for lv in ("minister", "technical") if any(r.level == lv for r in roles)), level)
    if humans and ts.delegated_round != state.round:
        return None  # a human is seated: the floor is theirs unless they let the team play this round
    speaker = next((r for r in bots if r.level == level), None)
    if speaker is None:
        speaker = next((r for r in bots if may_speak(scenario, state, r)), None)
        if speaker is None:
            return None
    by_level: dict[str, Role] = {}
    for r in bots:
        if (may_speak(scenario, state, r) or (escalate and r.level == "leader")) and r.level not in by_level:
            by_level[r.level] = r
    return Cast(speaker, escalate, by_level)
