"""Recorded games for the scoring tests: scripted moves played through the real engine.

Each function returns a `Game` whose `events` are the log the engine produced. The tiny games
reach the same final package with Blue playing aligned or divided, while Red plays the same way.
"""

from __future__ import annotations

from game.engine import FACILITATOR, MatchSetup, Move, apply_move, new_state, parse_move
from game.engine.facts import cards_waiting
from game.engine.state import Event, MatchState
from game.scenario import Scenario

FINAL = {"price": "mid", "volume": "big", "delivery": "fast"}  # Red 75, Blue 80 on the tiny sheets


class Game:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version)
        self.state: MatchState = new_state(scenario, self.setup)
        self.events: list[Event] = []
        self.now = 1_000.0

    def play(self, seat: str, move: dict | Move) -> list[Event]:
        """A person's move (a dict), or a bot's (a Move, which may hold the rules core's sentences)."""
        self.now += 1
        t = apply_move(self.scenario, self.state, seat, parse_move(move) if isinstance(move, dict) else move, self.now)
        self.state = t.after
        self.events.extend(t.events)
        return t.events

    def start(self) -> None:
        self.play(FACILITATOR, {"kind": "start"})

    def advance_to(self, phase: str, round_: int | None = None) -> None:
        while self.state.status == "running" and not (
            self.state.phase == phase and (round_ is None or self.state.round == round_)
        ):
            self.play(FACILITATOR, {"kind": "advance"})

    def offer(self, team: str) -> str:
        offer = self.state.teams[team].standing_offer
        assert offer, f"{team} has no offer on the table"
        return offer

    def seq_of(self, type_: str, actor: str | None = None) -> int:
        return next(e.seq for e in self.events if e.type == type_ and (actor is None or e.actor == actor))


# --- Red plays the same way in both tiny games --------------------------------------------------
RED_MANDATE = {
    "price": {"target": "high", "walkaway": "mid"},
    "volume": {"target": "big", "walkaway": "some"},
    "delivery": {"target": "fast", "walkaway": "normal"},
}


def _red_caucus(g: Game) -> None:
    g.play("red_boss", {"kind": "draft_mandate", "issues": RED_MANDATE})
    g.play("red_tech", {"kind": "endorse_mandate", "version": 1})
    g.play("red_tech", {"kind": "prepare_deliverable", "deliverable": "red_schedule"})


def tiny_aligned(scenario: Scenario) -> Game:
    """Blue aligns before the table, backs its price concession with a committed order, shows it, keeps calm."""
    g = Game(scenario)
    g.start()
    g.advance_to("caucus", 0)
    _red_caucus(g)
    g.play("blue_boss", {"kind": "draft_mandate", "issues": {
        "price": {"target": "low", "walkaway": "mid"},
        "volume": {"target": "big", "walkaway": "some"},
        "delivery": {"target": "fast", "walkaway": "slow"},
    }})
    g.play("blue_min", {"kind": "object_mandate", "version": 1, "reason": "we cannot promise delivery we do not control"})
    g.play("blue_boss", {"kind": "draft_mandate", "issues": {
        "price": {"target": "low", "walkaway": "mid"},
        "volume": {"target": "big", "walkaway": "some"},
        "delivery": {"target": "fast", "walkaway": "normal"},
    }})
    g.play("blue_min", {"kind": "endorse_mandate", "version": 2})  # the redraft resolves the objection
    g.play("blue_min", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    g.play("blue_boss", {"kind": "prepare_deliverable", "deliverable": "blue_order"})
    # Round 1: the "shock" inject (composure) lands on both teams; Red opens.
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "show_capability", "deliverable": "red_schedule", "text": "Our delivery schedule is signed."})
    g.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "probe", "issue": "price", "question": "How much room is there on price?"})
    g.play("blue_min", {"kind": "show_capability", "deliverable": "blue_order", "text": "Our purchase order is signed."})
    g.play("blue_min", {"kind": "commit_deliverable", "deliverable": "blue_order"})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    g.play("red_tech", {"kind": "statement", "text": "We will study your offer."})
    g.play("blue_min", {"kind": "statement", "text": "Our offer stands, and the order behind it is signed."})
    # Round 2: leader level; Blue opens.
    g.advance_to("table", 2)
    g.play("blue_boss", {"kind": "show_capability", "text": "Everyone on our side has endorsed this mandate."})
    g.play("blue_boss", {"kind": "statement", "text": "This is a deal we can deliver."})
    g.play("red_boss", {"kind": "accept", "offer": g.offer("blue")})
    return g


def tiny_divided(scenario: Scenario) -> Game:
    """Blue reaches the same package divided: an overruled objection, offers beyond the walk-away, an
    unprepared order (empty promise), a hollow claim, a recess, a worse offer and two voices."""
    g = Game(scenario)
    g.start()
    g.advance_to("caucus", 0)
    _red_caucus(g)
    g.play("blue_boss", {"kind": "draft_mandate", "issues": {
        "price": {"target": "low", "walkaway": "low"},
        "volume": {"target": "big", "walkaway": "some"},
        "delivery": {"target": "fast", "walkaway": "slow"},
    }})
    g.play("blue_min", {"kind": "object_mandate", "version": 1, "reason": "a price walk-away of low leaves no room"})
    g.play("blue_min", {"kind": "prepare_deliverable", "deliverable": "blue_order"})  # the boss never signs
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "show_capability", "deliverable": "red_schedule", "text": "Our delivery schedule is signed."})
    g.play("red_tech", {"kind": "commit_deliverable", "deliverable": "red_schedule"})
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "show_capability", "text": "We are completely united."})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    g.play("red_tech", {"kind": "statement", "text": "We will study your offer."})
    g.play("blue_min", {"kind": "recess", "reason": "we need to check with the capital"})
    # Round 2: the boss takes price back and reopens delivery; the minister contradicts him.
    g.advance_to("table", 2)
    g.play("blue_boss", {"kind": "propose", "package": {"price": "low", "volume": "big", "delivery": "normal"}})
    g.play("red_boss", {"kind": "statement", "text": "That is a step backwards."})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    g.play("red_boss", {"kind": "accept", "offer": g.offer("blue")})
    return g


def tiny_no_deal(scenario: Scenario) -> Game:
    """Both teams state their ideal and reject each other's until the last table runs out."""
    g = Game(scenario)
    g.start()
    while g.state.status == "running":
        if g.state.phase != "table":
            g.play(FACILITATOR, {"kind": "advance"})
            continue
        team = g.state.floor
        other = scenario.other_team(team)
        seat = {"red": "red_boss" if g.state.round == 2 else "red_tech", "blue": "blue_boss" if g.state.round == 2 else "blue_min"}[team]
        theirs = g.state.teams[other].standing_offer
        if theirs:
            g.play(seat, {"kind": "reject", "offer": theirs, "reason": "too far from what we need"})
        elif g.state.teams[team].standing_offer:
            g.play(seat, {"kind": "statement", "text": "Our position stands."})
        else:
            sheet = scenario.team(team).points
            g.play(seat, {"kind": "propose", "package": {i: max(sheet[i], key=sheet[i].get) for i in sheet}})
    return g


def tiny_below_batna(scenario: Scenario) -> Game:
    """Red accepts a package worth 20 to it (BATNA 30): a deal below the BATNA."""
    g = Game(scenario)
    g.start()
    g.advance_to("table", 1)
    g.play("red_tech", {"kind": "statement", "text": "We are listening."})
    g.play("blue_min", {"kind": "propose", "package": {"price": "low", "volume": "small", "delivery": "normal"}})
    g.play("red_tech", {"kind": "accept", "offer": g.offer("blue")})
    return g


def long_game(scenario: Scenario, exchanges: int = 40) -> Game:
    """A long table on the tiny scenario (the facilitator extends it): probes, shows, offers back and forth."""
    g = Game(scenario)
    g.start()
    g.advance_to("caucus", 0)
    _red_caucus(g)
    g.play("blue_boss", {"kind": "draft_mandate", "issues": {
        "price": {"target": "low", "walkaway": "high"},
        "volume": {"target": "big", "walkaway": "small"},
        "delivery": {"target": "fast", "walkaway": "slow"},
    }})
    g.play("blue_min", {"kind": "endorse_mandate", "version": 1})
    g.advance_to("table", 1)
    g.play(FACILITATOR, {"kind": "extend", "exchanges": 20})
    g.play(FACILITATOR, {"kind": "extend", "exchanges": 20})
    packages = [
        {"price": p, "volume": v, "delivery": d}
        for p in ("high", "mid", "low") for v in ("big", "some") for d in ("fast", "normal")
    ]
    for n in range(exchanges):
        team = g.state.floor
        seat = "red_tech" if team == "red" else "blue_min"
        g.play(seat, {"kind": "probe", "issue": ("price", "volume", "delivery")[n % 3], "question": "Where is your room?"})
        if n % 4 == 0:
            g.play(seat, {"kind": "show_capability", "text": "We are aligned."})
        package = packages[(n * 5 + (0 if team == "red" else 3)) % len(packages)]
        if g.state.teams[team].standing_offer and g.state.offers[g.state.teams[team].standing_offer].package == package:
            g.play(seat, {"kind": "statement", "text": "Our offer stands."})
        else:
            g.play(seat, {"kind": "propose", "package": package})
        if g.state.phase != "table":
            break
    if g.state.status == "running":
        g.play(FACILITATOR, {"kind": "end", "reason": "time is up"})
    return g


# --- the default scenario: Vietnam aligned or divided, the US playing the same way ----------------
def signable_package(scenario: Scenario, subject: str) -> dict[str, str]:
    """The historical package with each term that crosses a red line of one of `subject`'s roles moved to
    the worst option every one of them accepts: a deal an aligned team could sign."""
    sheet = scenario.team(subject).points
    package = dict(scenario.historical_outcome.package)
    for role in scenario.roles_of(subject):
        for line in role.red_lines:
            if sheet[line.issue][package[line.issue]] < sheet[line.issue][line.worst_acceptable]:
                package[line.issue] = line.worst_acceptable
    return package


def default_game(scenario: Scenario, *, aligned: bool, subject: str = "vn") -> Game:
    """The subject team reaches `signable_package` (the same deal aligned or divided); the other team
    makes statements until the last table, where it accepts the subject's standing offer."""
    g = Game(scenario)
    other = scenario.other_team(subject)
    final = signable_package(scenario, subject)
    sheet = scenario.team(subject).points
    ideal = {i: max(sheet[i], key=sheet[i].get) for i in sheet}
    roles = scenario.roles_of(subject)
    leader = next(r.id for r in roles if r.level == "leader")
    minister = next(r.id for r in roles if r.level == "minister")
    useful = [d for d in scenario.deliverables if d.team == subject
              and any(final[b.issue] in b.options for b in d.backs)]
    last_table = max(r.index for r in scenario.rounds if "table" in r.phases)
    turn = 0
    g.start()
    while g.state.status == "running":
        rnd = scenario.rounds[g.state.round]
        if g.state.phase == "caucus" and g.state.round == 0:
            walkaway = final if aligned else ideal
            g.play(leader, {"kind": "draft_mandate", "issues": {
                i: {"target": ideal[i], "walkaway": walkaway[i]} for i in scenario.issue_ids()}})
            for r in roles:
                if r.id != leader:
                    if aligned:
                        g.play(r.id, {"kind": "endorse_mandate", "version": 1})
                    elif r.id == minister:
                        g.play(r.id, {"kind": "object_mandate", "version": 1, "reason": "a walk-away at our ideal leaves no room"})
        if aligned and g.state.phase == "caucus":
            # Each card as soon as its day has come (the view lists the others as waiting).
            waiting = cards_waiting(scenario, g.state, subject)
            for d in useful:
                for owner in d.prepared_by:
                    if d.id not in waiting and owner not in g.state.teams[subject].deliverables[d.id].signed_by:
                        g.play(owner, {"kind": "prepare_deliverable", "deliverable": d.id})
        if g.state.phase != "table":
            g.play(FACILITATOR, {"kind": "advance"})
            continue
        team = g.state.floor
        if team == other:
            speaker = next(r.id for r in scenario.roles_of(other) if r.level != "leader")
            mine = g.state.teams[subject].standing_offer
            if g.state.round == last_table and mine and g.state.offers[mine].package == final:
                g.play(speaker, {"kind": "accept", "offer": mine})
            else:
                g.play(speaker, {"kind": "statement", "text": "We hear you."})
            continue
        turn += 1
        ts = g.state.teams[subject]
        if aligned:
            levels = [lv for lv in ("leader", "minister", "technical") if lv in rnd.levels]
            level = levels[turn % len(levels)] if levels else "minister"
            seat = next((r.id for r in roles if r.level == level), minister)
            supporting = 0
            for d in useful:
                if supporting < scenario.supporting_moves_per_turn and ts.deliverables[d.id].status == "prepared":
                    g.play(seat, {"kind": "commit_deliverable", "deliverable": d.id})
                    supporting += 1
            if supporting < scenario.supporting_moves_per_turn and g.state.teams[subject].alignment_shown is False:
                g.play(seat, {"kind": "show_capability", "text": "Every ministry behind this table has endorsed our mandate."})
                supporting += 1
            if supporting < scenario.supporting_moves_per_turn:
                g.play(seat, {"kind": "probe", "issue": rnd.agenda[0], "question": "What do you need most here?"})
            ts = g.state.teams[subject]
            pending = [d for d in useful if ts.deliverables[d.id].status != "committed"]
            if not ts.standing_offer and not pending:
                g.play(seat, {"kind": "propose", "package": final})
            else:
                g.play(seat, {"kind": "statement", "text": "We will deliver what we put on the table."})
        else:
            seat = minister
            if g.state.round == 1 and not ts.standing_offer:
                g.play(seat, {"kind": "show_capability", "text": "We are completely united."})
                g.play(seat, {"kind": "propose", "package": final})
            elif g.state.round == 1:
                g.play(seat, {"kind": "recess", "reason": "we must check with the capital"})
            elif g.state.round == 2 and ts.standing_offer and g.state.offers[ts.standing_offer].package == final:
                g.play(seat, {"kind": "propose", "package": {**final, "us_tariff": "t10"}})
            elif ts.standing_offer and g.state.offers[ts.standing_offer].package != final:
                g.play(seat, {"kind": "propose", "package": final})
            else:
                g.play(seat, {"kind": "statement", "text": "Our position stands."})
    return g


# --- short games, one per rule of the rubric a test pins down ----------------------------------
BLUE_MANDATE = {
    "price": {"target": "low", "walkaway": "mid"},
    "volume": {"target": "big", "walkaway": "some"},
    "delivery": {"target": "fast", "walkaway": "normal"},
}


def _aligned_start(scenario: Scenario, red_mandate: dict | None = None) -> Game:
    """Both teams aligned in round 0 (Red's mandate may be replaced), then to round 1's table."""
    g = Game(scenario)
    g.start()
    g.advance_to("caucus", 0)
    g.play("red_boss", {"kind": "draft_mandate", "issues": red_mandate or RED_MANDATE})
    g.play("red_tech", {"kind": "endorse_mandate", "version": 1})
    g.play("blue_boss", {"kind": "draft_mandate", "issues": BLUE_MANDATE})
    g.play("blue_min", {"kind": "endorse_mandate", "version": 1})
    g.advance_to("table", 1)
    return g


def concession_on_agreed_item(scenario: Scenario, *, worse: bool = False) -> Game:
    """Both offers agree on price mid; Red then moves price to low (a concession to Blue), or with
    `worse` back to high (taking the agreed term back)."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "mid", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "propose", "package": {"price": "mid", "volume": "small", "delivery": "slow"}})
    g.play("red_tech", {"kind": "propose", "package": {"price": "high" if worse else "low", "volume": "big", "delivery": "fast"}})
    return g


def below_batna_within_mandate(scenario: Scenario) -> Game:
    """Red's endorsed mandate allows a package worth 20 (BATNA 30); Red accepts exactly that."""
    g = _aligned_start(scenario, {
        "price": {"target": "high", "walkaway": "low"},
        "volume": {"target": "big", "walkaway": "small"},
        "delivery": {"target": "fast", "walkaway": "normal"},
    })
    g.play("red_tech", {"kind": "statement", "text": "We are listening."})
    g.play("blue_min", {"kind": "propose", "package": {"price": "low", "volume": "small", "delivery": "normal"}})
    g.play("red_tech", {"kind": "accept", "offer": g.offer("blue")})
    return g


def talk_only_round(scenario: Scenario) -> Game:
    """Red only talks in round 1 (Blue proposes); the game moves on to round 2 and ends."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "statement", "text": "We are listening."})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    g.play("red_tech", {"kind": "statement", "text": "We will study your offer."})
    g.advance_to("table", 2)
    g.play(FACILITATOR, {"kind": "end", "reason": "time is up"})
    return g


def angry_answer(scenario: Scenario, text: str = "This insult is outrageous... we will remember it.") -> Game:
    """After the "shock" (it expects composure), Blue answers with an angry statement (`text`)."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "statement", "text": text})
    g.play("red_tech", {"kind": "statement", "text": "We will wait."})
    g.play("blue_min", {"kind": "statement", "text": "We stay at the table."})
    return g


def ideal_as_answer(scenario: Scenario) -> Game:
    """The inject expects a concrete proposal (the scenario passed in says so); Blue answers with its
    own ideal package, twice: no move towards Red."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "propose", "package": {"price": "low", "volume": "big", "delivery": "fast"}})
    g.play("red_tech", {"kind": "statement", "text": "Well?"})
    g.play("blue_min", {"kind": "statement", "text": "Our offer stands."})
    return g


def blank_cheque(scenario: Scenario) -> Game:
    """Red's technician endorses a mandate whose delivery walk-away (slow) crosses its own red line
    (normal); Red then accepts a deal with slow delivery."""
    g = _aligned_start(scenario, {
        "price": {"target": "high", "walkaway": "mid"},
        "volume": {"target": "big", "walkaway": "some"},
        "delivery": {"target": "fast", "walkaway": "slow"},
    })
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "slow"}})
    g.play("red_tech", {"kind": "accept", "offer": g.offer("blue")})
    return g


def patient_blue(scenario: Scenario, *, rushed: bool = False,
                 framing: str = "We choose this step as a long-term partner of your supply chains.") -> Game:
    """Blue concedes price (not its core issue, volume) inside its mandate and frames the concession as a
    strategic choice; with `rushed`, it gives away most of its room in one proposal instead."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    package = {"price": "high", "volume": "small", "delivery": "fast"} if rushed else FINAL
    g.play("blue_min", {"kind": "propose", "package": package})
    g.play("red_tech", {"kind": "statement", "text": "We will study your offer."})
    g.play("blue_min", {"kind": "statement", "text": framing})
    g.advance_to("table", 2)
    g.play(FACILITATOR, {"kind": "end", "reason": "time is up"})
    return g


def repeated_moves(scenario: Scenario) -> Game:
    """Blue articulates its alignment twice in one turn and probes an issue off the round's agenda."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "show_capability", "text": "Every role has endorsed our mandate."})
    g.play("blue_min", {"kind": "show_capability", "text": "Every role has endorsed our mandate."})
    g.play("blue_min", {"kind": "probe", "issue": "delivery", "question": "And delivery?"})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    return g


def moved_by_commitment(scenario: Scenario) -> Game:
    """Red commits its schedule; Blue's next proposal is better for Red than its previous one."""
    g = _aligned_start(scenario)
    g.play("red_tech", {"kind": "propose", "package": {"price": "high", "volume": "big", "delivery": "fast"}})
    g.play("blue_min", {"kind": "propose", "package": {"price": "low", "volume": "big", "delivery": "fast"}})
    g.play("red_tech", {"kind": "show_capability", "text": "Both of our roles endorsed this mandate."})
    g.play("red_tech", {"kind": "statement", "text": "Our offer stands."})
    g.play("blue_min", {"kind": "propose", "package": FINAL})
    return g


def rule_games(scenario: Scenario) -> list[Game]:
    return [
        concession_on_agreed_item(scenario), concession_on_agreed_item(scenario, worse=True),
        below_batna_within_mandate(scenario), talk_only_round(scenario), angry_answer(scenario),
        blank_cheque(scenario), patient_blue(scenario), patient_blue(scenario, rushed=True),
        repeated_moves(scenario), moved_by_commitment(scenario),
    ]
