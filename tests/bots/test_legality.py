"""Bots never make an illegal move: play_game lets a MoveError through, so finishing is the proof."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.bots import BASELINES, play_game
from game.engine import MatchSetup, replay
from game.engine.facts import cards_waiting
from game.scenario_files import default_scenario as load_default
from game.scenario_files import load_scenario_file
from tests.conftest import FIXTURES
from game.engine.words import english

TINY = load_scenario_file(FIXTURES / "tiny.yaml")
DEFAULT = load_default()
PLAYERS_TINY = [p.id for p in TINY.personas] + sorted(BASELINES)


def finished(scenario, events, seed):
    state = replay(scenario, MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed), events)
    return state.status == "finished"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    red=st.sampled_from(PLAYERS_TINY),
    blue=st.sampled_from(PLAYERS_TINY),
    humans=st.lists(st.sampled_from([r.id for r in TINY.roles]), max_size=2, unique=True),
)
def test_tiny_games_are_legal_for_any_seed_players_and_empty_seats(seed, red, blue, humans):
    events = play_game(TINY, {"red": red, "blue": blue}, seed, human_seats=humans)
    assert finished(TINY, events, seed)
    assert not any(e.actor in humans for e in events)


def _default_players(team):
    return [p.id for p in DEFAULT.personas_for(team)] + sorted(BASELINES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    us=st.sampled_from(_default_players("us")),
    vn=st.sampled_from(_default_players("vn")),
    humans=st.lists(st.sampled_from([r.id for r in DEFAULT.roles]), max_size=2, unique=True),
)
def test_default_games_are_legal_for_any_seed_players_and_empty_seats(seed, us, vn, humans):
    events = play_game(DEFAULT, {"us": us, "vn": vn}, seed, human_seats=humans)
    assert finished(DEFAULT, events, seed)


def test_the_server_path_decide_per_seat_is_legal(driver, default_scenario, tiny):
    for scenario, personas in ((tiny, {"red": "tough", "blue": "fair"}), (default_scenario, {"us": "us_hardline", "vn": "vn_dealseeker"})):
        d = driver(scenario, personas, seed=9).run()
        assert d.state.status == "finished"
        assert d.bot_moves


def test_every_bot_move_carries_its_reason(default_scenario):
    events = play_game(default_scenario, {"us": "us_pragmatic", "vn": "vn_hardline"}, seed=4)
    seats = {r.id for r in default_scenario.roles}
    follow_ups = {"deal_reached", "game_ended", "phase_started", "inject_pushed", "probe_answered"}  # emitted by the engine
    moves = [e for e in events if e.actor in seats and e.type not in follow_ups]
    assert moves
    for e in moves:
        assert e.data.get("note"), f"{e.type} by {e.actor} has no note"


DEBUGGER_TOKENS = re.compile(r"\bt=|\be=|\bR=|T\(t\)|\[|credited value|BATNA \d|margin \d|\d\.\d\d")


def test_every_bot_reason_reads_as_plain_sentences_with_the_figures_apart(default_scenario):
    events = play_game(default_scenario, {"us": "us_hardline", "vn": "vn_dealseeker"}, seed=6)
    seats = {r.id for r in default_scenario.roles}
    notes = [e for e in events if e.actor in seats and e.data.get("note")]
    assert notes
    for e in notes:
        note = english(e.data["note"])
        assert not note.lstrip("'\u201c")[0].islower() and note.rstrip()[-1] in ".?!\u201d'", f"{e.type}: {note!r}"
        assert not DEBUGGER_TOKENS.search(note), f"{e.type} reads like a debugger: {note!r}"
    proposals = [e for e in notes if e.type == "offer_proposed"]
    assert proposals and all("Target " in english(e.data["details"]) and "exchanges used" in english(e.data["details"]) for e in proposals)


def random_human(scenario, humans, rng):
    """Human seats that make random legal moves (caucus and table) a third of the time."""
    from game.engine import legal_moves

    options = {i.id: i.option_ids() for i in scenario.issues}

    def play(state):
        if rng.random() > 0.35:
            return None
        seats = list(humans)
        rng.shuffle(seats)
        for seat in seats:
            team = scenario.role(seat).team
            kinds = [k for k in legal_moves(scenario, state, seat) if k not in {"team_chat", "advance", "start", "pause", "resume", "extend"}]
            if not kinds:
                continue
            kind = rng.choice(kinds)
            ts = state.teams[team]
            other = state.teams[scenario.other_team(team)]
            sheet = scenario.team(team).points
            if kind == "state_priorities":
                return seat, {"kind": kind, "priorities": {rng.choice(list(options)): rng.randint(1, 5)}}
            if kind == "draft_mandate":
                issues = {}
                for issue, opts in options.items():
                    a, b = rng.choice(opts), rng.choice(opts)
                    target, walk = (a, b) if sheet[issue][a] >= sheet[issue][b] else (b, a)
                    issues[issue] = {"target": target, "walkaway": walk}
                return seat, {"kind": kind, "issues": issues}
            if kind in ("endorse_mandate", "object_mandate"):
                stance = ts.stances.get(seat)
                if kind == "endorse_mandate" and stance and stance.endorse and stance.version == ts.mandate.version:
                    continue
                move = {"kind": kind, "version": ts.mandate.version}
                if kind == "object_mandate":
                    move["reason"] = f"not yet {rng.randint(0, 10**6)}"
                return seat, move
            if kind == "prepare_deliverable":
                # A card whose day has come: the view lists the others as waiting, with why.
                waiting = cards_waiting(scenario, state, team)
                card = next(d for d in scenario.deliverables if d.team == team and seat in d.prepared_by and seat not in ts.deliverables[d.id].signed_by and d.id not in waiting)
                return seat, {"kind": kind, "deliverable": card.id}
            if kind == "choose_speaker":
                return seat, {"kind": kind, "level": rng.choice(sorted({r.level for r in scenario.roles_of(team)}))}
            if kind == "propose":
                package = {i: rng.choice(o) for i, o in options.items()}
                mine = state.offers[ts.standing_offer].package if ts.standing_offer else None
                if package != mine:
                    return seat, {"kind": kind, "package": package}
                continue
            if kind in ("accept", "reject"):
                move = {"kind": kind, "offer": other.standing_offer}
                if kind == "reject":
                    move["reason"] = "not for us"
                return seat, move
            if kind == "withdraw":
                return seat, {"kind": kind, "offer": ts.standing_offer}
            if kind == "commit_deliverable":
                return seat, {"kind": kind, "deliverable": next(d for d, ds in sorted(ts.deliverables.items()) if ds.status == "prepared")}
            if kind == "show_capability":
                return seat, {"kind": kind, "deliverable": None, "text": "We are aligned."}
            if kind == "probe":
                return seat, {"kind": kind, "issue": rng.choice(list(options)), "question": "Why?"}
            if kind == "statement":
                return seat, {"kind": kind, "text": "We listen."}
            if kind == "recess":
                return seat, {"kind": kind, "reason": "to consult"}
            if kind == "escalate":
                return seat, {"kind": kind}
        return None

    return play


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**31 - 1),
    red=st.sampled_from([p.id for p in TINY.personas]),
    blue=st.sampled_from([p.id for p in TINY.personas]),
    humans=st.lists(st.sampled_from([r.id for r in TINY.roles]), min_size=1, max_size=3, unique=True),
)
def test_bots_stay_legal_whatever_their_human_teammates_and_opponents_do(driver, seed, red, blue, humans):
    import random

    d = driver(TINY, {"red": red, "blue": blue}, seed=seed, humans=humans, script=random_human(TINY, humans, random.Random(seed)))
    d.run(limit=4000)
    assert d.state.status == "finished"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**31 - 1),
    us=st.sampled_from([p.id for p in DEFAULT.personas_for("us")]),
    vn=st.sampled_from([p.id for p in DEFAULT.personas_for("vn")]),
    humans=st.lists(st.sampled_from([r.id for r in DEFAULT.roles]), min_size=1, max_size=4, unique=True),
)
def test_default_bots_stay_legal_whatever_the_humans_do(driver, seed, us, vn, humans):
    import random

    d = driver(DEFAULT, {"us": us, "vn": vn}, seed=seed, humans=humans, script=random_human(DEFAULT, humans, random.Random(seed)))
    d.run(limit=6000)
    assert d.state.status == "finished"
