"""Every seat's view of whole bot games stays the same, byte for byte, version after version.

The views of a few recorded games are hashed (one digest a game) and compared with the digests in
tests/fixtures/player_view_hashes.json. A seat's frames are built from these views, so a change that
only makes building them cheaper must leave every digest as it was.

When a view changes on purpose (a new key, a reworded reason), regenerate the fixture and commit it
with that change: `.venv/bin/python -m tests.engine.test_view_hashes`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.bots import play_game
from game.engine import FACILITATOR, OBSERVER, MatchSetup, MatchState, Reasons, apply_move, new_state, player_view, replay_states
from game.engine.moves import Advance, Tick
from game.engine.state import SYSTEM, Event
from game.scenario import Scenario
from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "player_view_hashes.json"
TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny.yaml"


def _setup(scenario: Scenario, seed: int, **extra) -> MatchSetup:
    return MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed, **extra)


def _bot_game(scenario: Scenario, personas: dict[str, str], seed: int, *, epilogue: bool = False, pacer: str | None = None):
    """A whole game of `play_game`; with `pacer`, that seat's views are a practice trainee's (it may pace)."""
    events = play_game(scenario, personas, seed, epilogue=epilogue)
    return _setup(scenario, seed, epilogue=epilogue, pacers=[pacer] if pacer else []), events


def _clocked_game(scenario: Scenario, personas: dict[str, str], seed: int, trainee: str):
    """A practice game on phase clocks: `trainee` (a pacer) never moves; the bots play the other
    seats and the clock ends each phase when its deadline has passed."""
    from game.bots import bot_pacer_move, team_move  # noqa: PLC0415

    setup = _setup(scenario, seed, pacers=[trainee], phase_seconds={"briefing": 5, "caucus": 20, "table": 40, "review": 5})
    state: MatchState = new_state(scenario, setup)
    bots = [r.id for r in scenario.roles if r.id != trainee]
    events: list[Event] = []
    now = 0.0

    def play(seat: str, move) -> None:
        nonlocal state, now
        now += 1.0
        transition = apply_move(scenario, state, seat, move, now)
        state = transition.after
        events.extend(transition.events)

    for _ in range(3000):
        if state.status == "finished":
            return setup, events
        if state.status == "lobby":
            play(FACILITATOR, bot_pacer_move(scenario, state, bots, events, personas, seed, now))
            continue
        planned = next((p for team in scenario.team_ids() if (p := team_move(scenario, state, events, team, personas[team], seed, now, bots))), None)
        if planned is not None and state.phase in ("caucus", "table"):
            play(*planned)
        elif state.deadline is not None:
            now = max(now, state.deadline)
            play(SYSTEM, Tick())
        else:
            play(FACILITATOR, Advance())
    raise AssertionError("the clocked game did not finish")


def games() -> dict[str, tuple[Scenario, MatchSetup, list[Event]]]:
    default, tiny = load_scenario_file(DEFAULT_SCENARIO_PATH), load_scenario_file(TINY)
    recipes = {
        "default pragmatic vs hardline, seed 4": (default, lambda: _bot_game(default, {"us": "us_pragmatic", "vn": "vn_hardline"}, 4)),
        "default hardline vs dealseeker, seed 6, us_treasury paces": (default, lambda: _bot_game(default, {"us": "us_hardline", "vn": "vn_dealseeker"}, 6, pacer="us_treasury")),
        "default pragmatic vs hardline, seed 3, epilogue": (default, lambda: _bot_game(default, {"us": "us_pragmatic", "vn": "vn_hardline"}, 3, epilogue=True)),
        "default dealseeker vs pragmatic, seed 2, vn_leader a trainee on the clock": (default, lambda: _clocked_game(default, {"us": "us_dealseeker", "vn": "vn_pragmatic"}, 2, "vn_leader")),
        "tiny tough vs easy, seed 1": (tiny, lambda: _bot_game(tiny, {"red": "tough", "blue": "easy"}, 1)),
    }
    out = {}
    for name, (scenario, play) in recipes.items():
        setup, events = play()
        out[name] = (scenario, setup, events)
    return out


def seats(scenario: Scenario) -> list[str]:
    return [r.id for r in scenario.roles] + [FACILITATOR, OBSERVER]


def versions(scenario: Scenario, setup: MatchSetup, events: list[Event]) -> Iterator[tuple[MatchState, list[float]]]:
    """Each version of the game with the moments its views are taken at: when it was made, and when
    its phase's deadline (if any) has passed."""
    for event, state in zip(events, replay_states(scenario, setup, events)):
        yield state, [event.at] + ([state.deadline] if state.deadline is not None else [])


def _plain(value):
    return value.model_dump()  # the case's texts (Local) in the role cards


def digest(scenario: Scenario, setup: MatchSetup, events: list[Event], *, together: bool = False) -> str:
    """The hash of every seat's view of every version; `together`: each version's views built as a
    live table builds them, all its seats with one `Reasons`, handed the previous version's."""
    h = hashlib.sha256()
    reasons = None
    for state, moments in versions(scenario, setup, events):
        reasons = Reasons(scenario, state, before=reasons) if together else None
        for now in moments:
            for seat in seats(scenario):
                view = player_view(scenario, state, seat, now, reasons=reasons)
                h.update(f"{state.version} {seat} {now}\n".encode())
                h.update(json.dumps(view, default=_plain, ensure_ascii=False).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def recorded() -> dict[str, tuple[Scenario, MatchSetup, list[Event]]]:
    return games()


@pytest.mark.parametrize("together", [False, True], ids=["seat by seat", "all seats of a version together"])
def test_every_seat_sees_every_version_of_the_recorded_games_as_before(recorded, together):
    expected = json.loads(FIXTURE.read_text())
    assert sorted(expected) == sorted(recorded)
    for name, game in recorded.items():
        assert digest(*game, together=together) == expected[name], f"{name}: a seat's view changed (see this module's docstring)"


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps({name: digest(*game) for name, game in games().items()}, indent=2) + "\n")
    print(f"wrote {FIXTURE}")
