"""The alignment-aware behaviour: backpedals toughen the bot (and it says so), teammates object to a
mandate across their red line, a bot team runs its caucus properly, and the bot reads no secrets."""

from __future__ import annotations

from game.bots import play_game
from game.bots.strategy import Mind
from game.engine import replay
from game.bots.team import needed_level
from game.scoring import score_match
from tests.bots.conftest import offers_by
from game.engine.words import english

A = {"price": "mid", "volume": "some", "delivery": "fast"}  # red: 25 + 5 + 40 = 70
B = {"price": "low", "volume": "some", "delivery": "normal"}  # red: 0 + 5 + 20 = 25: worse for red than A


def blue_backpedals(state):
    """Blue (humans) proposes A, then B (worse for red), then only talks. The facilitator gives the
    last round four more exchanges, so red has turns left after calling the backpedal out."""
    if state.phase == "table" and state.round == 2 and state.exchange_limit == 4:
        return "facilitator", {"kind": "extend", "exchanges": 4}
    if state.phase != "table" or state.floor != "blue":
        return None
    seat = "blue_boss" if state.round == 2 else "blue_min"
    mine = [o for o in state.offers.values() if o.team == "blue"]
    if not mine:
        return seat, {"kind": "propose", "package": A}
    if len(mine) == 1:
        return seat, {"kind": "propose", "package": B}
    return seat, {"kind": "statement", "text": "We are listening."}


def test_a_backpedal_toughens_the_bot_and_it_says_so(tiny, driver):
    humans = [r.id for r in tiny.roles_of("blue")]
    d = driver(tiny, {"red": "fair"}, seed=2, humans=humans, script=blue_backpedals).run()
    events = d.events
    b = next(e for e in offers_by(events, "blue") if e.data["package"] == B)
    a = next(e for e in offers_by(events, "blue") if e.data["package"] == A)
    red_after = [e for e in events if e.seq > b.seq and e.team == "red" and e.type in {"statement_made", "offer_proposed", "offer_accepted", "offer_rejected"}]
    # Its first answer is 8 points tougher and says why: a new offer that says it moves more slowly, or,
    # with no new offer to make, a statement calling the backpedal out.
    said = red_after[0]
    if said.type == "statement_made":
        text = english(said.data["text"])
        assert b.data["offer"] in text and a.data["offer"] in text
        assert "Delivery" in text and "Price" in text
        assert "takes back part of what they offered" in english(said.data["note"])
        assert "toughen by 8 points for 4 exchanges" in english(said.data["details"])
    answer = next(e for e in red_after if e.type in {"offer_proposed", "offer_rejected"})
    assert f"+8 for their backpedal in {b.data['offer']}" in english(answer.data["details"])
    state = replay(tiny, d.state_setup(), events[: answer.seq - 1])
    mind = Mind(tiny, state, "red", tiny.persona("fair"), 2)
    assert mind.target.penalty == 8
    assert mind.target.value >= mind.target.base + mind.target.shift + 8 - 1e-9
    if answer.type == "offer_proposed":
        assert "took back part of what you had offered" in english(answer.data["note"])
        asked = answer.data["package"]
    else:
        asked = state.offers[state.teams["red"].standing_offer].package
    assert tiny.points("red", asked) >= mind.target.value


def test_no_backpedal_no_statement(tiny, driver):
    def steady(state):
        if state.phase == "table" and state.floor == "blue":
            seat = "blue_boss" if state.round == 2 else "blue_min"
            if not any(o.team == "blue" for o in state.offers.values()):
                return seat, {"kind": "propose", "package": A}
            return seat, {"kind": "statement", "text": "We are listening."}
        return None

    d = driver(tiny, {"red": "fair"}, seed=2, humans=[r.id for r in tiny.roles_of("blue")], script=steady).run()
    assert not any(e.type == "statement_made" and e.team == "red" and "takes back" in e.data["text"] for e in d.events)


C = {"price": "high", "volume": "some", "delivery": "slow"}  # red: 50 + 5 + 0 = 55: worse in total than A, better on price


def test_a_trade_worse_in_total_is_not_a_backpedal(tiny, driver):
    """Blue follows A with C: less for red in total, but more on price. That trades one issue for another
    (how a side exploring the space moves), so red neither calls it out nor toughens."""

    def trades(state):
        if state.phase != "table" or state.floor != "blue":
            return None
        seat = "blue_boss" if state.round == 2 else "blue_min"
        mine = [o for o in state.offers.values() if o.team == "blue"]
        if len(mine) < 2:
            return seat, {"kind": "propose", "package": C if mine else A}
        return seat, {"kind": "statement", "text": "We are listening."}

    d = driver(tiny, {"red": "fair"}, seed=2, humans=[r.id for r in tiny.roles_of("blue")], script=trades).run()
    c = next(e for e in offers_by(d.events, "blue") if e.data["package"] == C)
    assert not any(e.type == "statement_made" and e.team == "red" and "takes back" in e.data["text"] for e in d.events)
    state = replay(tiny, d.state_setup(), d.events[: c.seq])
    mind = Mind(tiny, state, "red", tiny.persona("fair"), 2)
    assert mind.backpedals == [] and mind.target.penalty == 0


def test_bot_teammates_object_to_a_mandate_across_their_red_line(tiny, driver):
    """red_boss is human and drafts; red_tech (bot) has a red line on delivery (worst acceptable: normal)."""
    drafts = iter([
        {"price": {"target": "high", "walkaway": "mid"}, "volume": {"target": "big", "walkaway": "small"}, "delivery": {"target": "fast", "walkaway": "slow"}},
        {"price": {"target": "high", "walkaway": "mid"}, "volume": {"target": "big", "walkaway": "small"}, "delivery": {"target": "fast", "walkaway": "normal"}},
    ])
    done = []

    def human(state):
        if state.phase != "caucus" or state.round != 0:
            return None
        ts = state.teams["red"]
        if ts.mandate is None or (ts.stances.get("red_tech") and not ts.stances["red_tech"].endorse and len(done) < 2):
            issues = next(drafts)
            done.append(issues)
            return "red_boss", {"kind": "draft_mandate", "issues": issues}
        return None

    d = driver(tiny, {"red": "fair", "blue": "fair"}, seed=1, humans=["red_boss"], script=human)
    d.run(until=lambda s: s.round == 1)
    stances = [e for e in d.events if e.team == "red" and e.actor == "red_tech" and e.type in {"mandate_objected", "mandate_endorsed"}]
    assert [e.type for e in stances] == ["mandate_objected", "mandate_endorsed"]
    reason = english(stances[0].data["reason"])
    assert "Delivery" in reason and "red line" in reason and "“Normal”" in reason and "“Slow”" in reason
    assert "we cannot ship slowly" in reason
    assert stances[1].data["version"] == 2
    # The bot teammate never drafts in a mixed team: the mandate is the human's to write.
    assert all(e.actor == "red_boss" for e in d.events if e.type == "mandate_drafted" and e.team == "red")


def test_a_vital_issue_given_away_draws_an_objection(tiny, driver):
    """red_tech is human and drafts a walk-away at Red's worst price; the bot red_boss (price vital) objects."""
    issues = {"price": {"target": "high", "walkaway": "low"}, "volume": {"target": "big", "walkaway": "small"}, "delivery": {"target": "fast", "walkaway": "normal"}}

    def human(state):
        if state.phase == "caucus" and state.teams["red"].mandate is None:
            return "red_tech", {"kind": "draft_mandate", "issues": issues}
        return None

    d = driver(tiny, {"red": "fair", "blue": "fair"}, seed=1, humans=["red_tech"], script=human)
    d.run(until=lambda s: s.round == 1)
    objection = next(e for e in d.events if e.type == "mandate_objected" and e.actor == "red_boss")
    assert "Price is vital to me" in english(objection.data["reason"]) and "“Low”" in english(objection.data["reason"])


def test_a_bot_team_runs_its_caucus_properly(default_scenario):
    events = play_game(default_scenario, {"us": "us_hardline", "vn": "vn_pragmatic"}, seed=6)
    score = score_match(default_scenario, events)
    for team in ("us", "vn"):
        roles = default_scenario.roles_of(team)
        assert {e.actor for e in events if e.type == "priorities_stated" and e.team == team} == {r.id for r in roles}
        drafts = [e for e in events if e.type == "mandate_drafted" and e.team == team]
        assert drafts and drafts[0].round == 0
        assert set(drafts[0].data["issues"]) == set(default_scenario.issue_ids())
        assert not any(e.type == "mandate_objected" and e.team == team for e in events)
        endorsers = {e.actor for e in events if e.type == "mandate_endorsed" and e.team == team} | {drafts[-1].actor}
        assert endorsers == {r.id for r in roles}
        # Every round with a table: the speaker level the round needs, chosen in caucus.
        chosen = {e.round: e.data["level"] for e in events if e.type == "speaker_chosen" and e.team == team}
        for rnd in default_scenario.rounds:
            if "table" in rnd.phases and any(e.round == rnd.index and e.phase == "table" for e in events):
                assert chosen.get(rnd.index) == needed_level(default_scenario, team, rnd.index)
        # Deliverables were prepared by their owners, and alignment came before every table.
        assert any(e.type == "deliverable_signed" and e.team == team for e in events)
        rules = [a.rule for a in score.annotations if a.team == team]
        assert "alignment.no_mandate" not in rules and "alignment.mandate_unendorsed" not in rules
        assert "alignment.beyond_walkaway" not in rules and "levels.level_missing" not in rules
        assert not any(r.startswith("backpedal.") for r in rules)
        assert score.alignment[team].index >= 80


def test_the_bot_reads_nothing_private_of_the_other_team(tiny, driver):
    """Change blue's confidential sheet (same probe answers) and blue's private caucus: red plays the same."""
    swapped = [
        t.model_copy(update={"points": {**t.points, "delivery": {"fast": 10, "normal": 0, "slow": 5}}}) if t.id == "blue" else t
        for t in tiny.teams
    ]
    variant = tiny.model_copy(update={"teams": swapped})

    def blue(with_caucus):
        def play(state):
            if with_caucus and state.phase == "caucus" and state.round == 0 and state.teams["blue"].mandate is None:
                return "blue_min", {"kind": "draft_mandate", "issues": {"price": {"target": "low", "walkaway": "mid"}, "volume": {"target": "big", "walkaway": "some"}, "delivery": {"target": "fast", "walkaway": "slow"}}}
            return blue_backpedals(state)
        return play

    def red_moves(scenario, with_caucus):
        d = driver_cls(scenario, {"red": "tough"}, seed=4, humans=[r.id for r in tiny.roles_of("blue")], script=blue(with_caucus)).run()
        return [(e.type, e.actor, e.data.get("package"), e.data.get("deliverable"), e.data.get("issue")) for e in d.events if e.team == "red" and e.actor != "system"]

    driver_cls = driver
    baseline = red_moves(tiny, False)
    assert baseline
    assert red_moves(variant, False) == baseline
    assert red_moves(tiny, True) == baseline
