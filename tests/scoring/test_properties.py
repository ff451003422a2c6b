"""One score whichever way the log is read: for random legal games, scoring each move as the live
server does (the move's own events fed to a warm Scorer) equals a full recompute of the log, and
equals scoring the log replayed from what the database stores (its JSON)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.bots import play_game
from game.bots.baselines import BASELINES
from game.engine import FACILITATOR, Event, MatchSetup, MoveError, apply_move, new_state, parse_move, replay
from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
from game.scoring import Scorer, score_match
from tests.engine.test_properties import TINY, _resolve, raw_moves

DEFAULT = load_scenario_file(DEFAULT_SCENARIO_PATH)


def _stored(events: list[Event]) -> list[dict]:
    """The log as the database keeps it and a replay reads it back."""
    return json.loads(json.dumps([e.model_dump(mode="json") for e in events]))


def _check_one_score(scenario, setup: MatchSetup, events: list[Event], live: Scorer) -> None:
    full = score_match(scenario, events)
    assert live.score() == full
    assert score_match(scenario, _stored(events)) == full
    # The scorer judged the match the engine folded: its state is the replayed state, exactly.
    assert live.state == replay(scenario, setup, events)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_moves(), min_size=30, max_size=150))
def test_random_legal_play_scores_the_same_live_in_full_and_replayed(moves):
    setup = MatchSetup(scenario_id=TINY.id, scenario_version=TINY.version)
    state = new_state(TINY, setup)
    live = Scorer(TINY, setup=setup)
    events: list[Event] = []
    now = 0.0
    for i, (seat, raw, dt) in enumerate([(FACILITATOR, {"kind": "start"}, 0), *moves]):
        now += dt
        try:
            t = apply_move(TINY, state, seat, parse_move(_resolve(state, seat, raw)), now)
        except MoveError:
            continue
        new = [a for e in t.events for a in live.feed(e)]  # the move's transition, scored on its own
        assert all(t.events[0].seq <= a.scored_at <= t.events[-1].seq for a in new)
        assert live.state == t.after
        state = t.after
        events.extend(t.events)
        if i % 10 == 0:
            assert live.score() == score_match(TINY, events), f"diverged after event {state.version}"
    _check_one_score(TINY, setup, events, live)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([p.id for p in DEFAULT.personas_for("us")] + sorted(BASELINES)),
    st.sampled_from([p.id for p in DEFAULT.personas_for("vn")] + sorted(BASELINES)),
    st.integers(0, 2**31 - 1),
)
def test_bot_games_score_the_same_live_in_full_and_replayed(us, vn, seed):
    events = play_game(DEFAULT, {"us": us, "vn": vn}, seed)
    setup = MatchSetup(scenario_id=DEFAULT.id, scenario_version=DEFAULT.version, seed=seed)
    live = Scorer(DEFAULT, setup=setup)
    for k, event in enumerate(events, start=1):
        live.feed(event)
        if k in (len(events) // 3, 2 * len(events) // 3):
            assert live.score() == score_match(DEFAULT, events[:k])
    assert live.state.status == "finished"
    _check_one_score(DEFAULT, setup, events, live)
