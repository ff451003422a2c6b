"""Recorded bot games on the default scenario, with the states the engine produced while playing them."""

from __future__ import annotations

import pytest

import game.bots.play as bot_play
from game.bots import play_game
from game.engine import MatchSetup, replay
from game.models import Match, MatchEvent, Seat, Workshop

# (seed, us persona, vn persona): a deal, a no-deal or a tough game, several seeds.
GAMES = [
    (1, "us_pragmatic", "vn_pragmatic"),
    (2, "us_hardline", "vn_dealseeker"),
    (3, "us_dealseeker", "vn_hardline"),
    (4, "random", "vn_pragmatic"),
    (5, "never_concede", "never_concede"),
]


class Recorded:
    def __init__(self, scenario, seed, personas):
        self.seed, self.personas = seed, personas
        self.live: list = []  # (seq of the transition's last event, the engine's `after` state)
        real = bot_play.apply_move

        def spy(*args, **kwargs):
            t = real(*args, **kwargs)
            self.live.append((t.events[-1].seq, t.after))
            return t

        bot_play.apply_move = spy
        try:
            self.events = play_game(scenario, personas, seed)
        finally:
            bot_play.apply_move = real
        self.setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed)


@pytest.fixture(scope="session")
def recorded(default_scenario):
    return [Recorded(default_scenario, seed, {"us": us, "vn": vn}) for seed, us, vn in GAMES]


def store_game(record, scenario, rec, *, workshop=None, table_no=None, upto=None) -> Match:
    """A match in the database holding a recorded game's log (all of it, or its first `upto` events)."""
    events = rec.events if upto is None else rec.events[:upto]
    state = replay(scenario, rec.setup, events)
    match = Match.objects.create(
        scenario=record, mode=Match.Mode.WORKSHOP if workshop else Match.Mode.PRACTICE, label=f"Table {table_no or 1}",
        setup=rec.setup.model_dump(mode="json"), status=state.status, version=state.version, snapshot=state.to_json(),
        workshop=workshop, table_no=table_no,
    )
    Seat.objects.bulk_create([Seat(match=match, role_id=r.id, team=r.team, kind=Seat.Kind.BOT, persona="x") for r in scenario.roles])
    MatchEvent.objects.bulk_create([
        MatchEvent(match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                   round=e.round, phase=e.phase, at=e.at, data=e.data)
        for e in events
    ])
    return match


def make_workshop(user, record, code="ABCDEF") -> Workshop:
    from datetime import timedelta

    from django.utils import timezone

    return Workshop.objects.create(facilitator=user, scenario=record, title="Hanoi cohort", code=code,
                                   expires_at=timezone.now() + timedelta(hours=8))


@pytest.fixture
def record(default_scenario):
    """The default scenario's database row."""
    from game.services import scenario_load

    return scenario_load(scenario=default_scenario)[0]


@pytest.fixture
def trainer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("trainer", password="pw-123456")


@pytest.fixture
def finished(record, default_scenario, recorded, trainer):
    """A finished bot game stored as table 1 of the trainer's workshop."""
    from game.replays import selectors

    selectors.cache_clear()
    return store_game(record, default_scenario, recorded[0], workshop=make_workshop(trainer, record), table_no=1)
