"""Same inputs, same game: the bot is deterministic for a seed, in any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from game.bots import decide, play_game
from game.engine import MatchSetup, replay

ROOT = Path(__file__).resolve().parents[2]


def dump(events):
    return [e.model_dump(mode="json") for e in events]


def test_same_seed_same_events(tiny, default_scenario):
    for scenario, personas in ((tiny, {"red": "fair", "blue": "tough"}), (default_scenario, {"us": "us_hardline", "vn": "vn_pragmatic"})):
        a = play_game(scenario, personas, seed=11)
        b = play_game(scenario, personas, seed=11)
        assert dump(a) == dump(b)


def test_seeds_vary_the_games(default_scenario):
    games = {json.dumps(dump(play_game(default_scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, seed=s)), sort_keys=True) for s in range(4)}
    assert len(games) > 1


def test_decide_is_a_pure_function_of_its_inputs(tiny):
    events = play_game(tiny, {"red": "fair", "blue": "easy"}, seed=5)
    setup = MatchSetup(scenario_id=tiny.id, scenario_version=tiny.version, seed=5)
    for cut in range(1, len(events), 3):
        state = replay(tiny, setup, events[:cut])
        for role in tiny.roles:
            persona = "fair" if role.team == "red" else "easy"
            first = decide(tiny, state, events[:cut], role.id, persona, 5, 100.0)
            again = decide(tiny, state.model_copy(deep=True), list(events[:cut]), role.id, persona, 5, 100.0)
            assert first == again


def test_same_events_in_a_process_with_another_hash_seed(default_scenario):
    """No str hash() anywhere: a subprocess with a different PYTHONHASHSEED plays the same game."""
    here = dump(play_game(default_scenario, {"us": "us_dealseeker", "vn": "vn_hardline"}, seed=3))
    code = (
        "import json; from game.scenario_files import default_scenario; from game.bots import play_game;"
        "print(json.dumps([e.model_dump(mode='json') for e in play_game(default_scenario(), {'us': 'us_dealseeker', 'vn': 'vn_hardline'}, seed=3)]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == here


def test_the_log_replays_to_the_final_state(default_scenario):
    events = play_game(default_scenario, {"us": "us_pragmatic", "vn": "vn_dealseeker"}, seed=2)
    state = replay(default_scenario, MatchSetup(scenario_id=default_scenario.id, scenario_version=default_scenario.version, seed=2), events)
    assert state.status == "finished"
