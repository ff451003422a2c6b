"""The acceptance rule: never below the BATNA, never across the team's lines; at the deadline, above the BATNA."""

from __future__ import annotations

import pytest

from game.bots import play_game
from game.bots.strategy import Mind, game_clock
from game.engine import MatchSetup, replay
from game.engine.words import english


def accepted_values(scenario, events, bot_teams):
    offers = {e.data["offer"]: e for e in events if e.type == "offer_proposed"}
    out = []
    for e in events:
        if e.type == "offer_accepted" and e.team in bot_teams:
            package = offers[e.data["offer"]].data["package"]
            out.append((e.team, scenario.points(e.team, package), e))
    return out


@pytest.mark.parametrize("opponent", ["random", "always_concede", "never_concede", None])
def test_bots_never_accept_below_their_batna(default_scenario, opponent):
    for us in [p.id for p in default_scenario.personas_for("us")]:
        for seed in range(4):
            vn = opponent or default_scenario.personas_for("vn")[seed % 3].id
            events = play_game(default_scenario, {"us": us, "vn": vn}, seed)
            for team, value, _ in accepted_values(default_scenario, events, {"us"} if opponent else {"us", "vn"}):
                assert value >= default_scenario.team(team).batna


def test_bots_never_accept_below_their_batna_on_the_tiny_case(tiny):
    for red in ("tough", "easy", "fair", "random", "always_concede"):
        for blue in ("tough", "easy", "fair"):
            for seed in range(5):
                events = play_game(tiny, {"red": red, "blue": blue}, seed)
                for team, value, _ in accepted_values(tiny, events, {"blue"}):
                    assert value >= tiny.team(team).batna


def test_accepted_deals_respect_the_mandate_and_red_lines(default_scenario):
    for seed in range(6):
        events = play_game(default_scenario, {"us": "us_dealseeker", "vn": "vn_dealseeker"}, seed)
        for team, _, e in accepted_values(default_scenario, events, {"us", "vn"}):
            state = replay(default_scenario, MatchSetup(scenario_id=default_scenario.id, scenario_version=default_scenario.version, seed=seed), events[: e.seq - 1])
            mind = Mind(default_scenario, state, team, default_scenario.persona(f"{team}_dealseeker"), seed)
            offer = state.offers[e.data["offer"]]
            assert not mind.breaches(mind.space.choice(offer.package))


def unbound(tiny):
    """The tiny case with no red line and nothing vital for red, so only the BATNA binds."""
    roles = [
        r.model_copy(update={"red_lines": [], "priorities": {i: min(p, 4) for i, p in r.priorities.items()}}) if r.team == "red" else r
        for r in tiny.roles
    ]
    return tiny.model_copy(update={"roles": roles})


def test_at_the_deadline_anything_above_the_batna_but_nothing_below(tiny, driver):
    """Blue (a human script) offers red a package in the last exchanges: above red's BATNA, then below."""
    tiny = unbound(tiny)
    red_batna = tiny.team("red").batna  # 30
    at = {"price": "low", "volume": "big", "delivery": "normal"}  # red: 0 + 10 + 20 = 30
    above = {"price": "low", "volume": "some", "delivery": "fast"}  # red: 0 + 5 + 40 = 45
    below = {"price": "low", "volume": "small", "delivery": "normal"}  # red: 20
    assert tiny.points("red", at) == red_batna and tiny.points("red", above) > red_batna > tiny.points("red", below)

    def script(package):
        def play(state):
            if state.phase == "table" and state.floor == "blue" and state.round == 2:
                clock = game_clock(tiny, state)
                mine = state.teams["blue"].standing_offer
                if clock.round_left <= 3 and (mine is None or state.offers[mine].package != package):
                    return "blue_boss", {"kind": "propose", "package": package}
                return "blue_boss", {"kind": "statement", "text": "We wait."}
            if state.phase == "table" and state.floor == "blue":
                return "blue_min", {"kind": "statement", "text": "We wait."}
            return None
        return play

    humans = [r.id for r in tiny.roles_of("blue")]
    for package, accepted in ((above, True), (at, False), (below, False)):
        d = driver(tiny, {"red": "tough"}, seed=1, humans=humans, script=script(package)).run()
        accepts = [e for e in d.events if e.type == "offer_accepted" and e.team == "red"]
        assert bool(accepts) == accepted, package
        if accepts:
            assert "the talks are closing" in english(accepts[0].data["note"]) or "time is nearly up" in english(accepts[0].data["note"])
