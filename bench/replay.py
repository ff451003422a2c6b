"""Benchmark the replay page: server time to rebuild and render a 500-event replay.

    .venv/bin/python bench/replay.py [--events 500] [--runs 7]

Builds a real bot game on the default scenario (bots in every seat, through the engine's apply_move),
lengthened with caucus chat until it has at least --events events, stores it in a throw-away SQLite
database, shares it, and times with Django's test Client (the whole view: access check, event read,
fold of every event, incremental scoring, charts, template, JSON embedding):
  - cold: the in-process replay cache cleared before every request (what the first viewer pays),
  - warm: the cache filled (every later viewer of the same match),
and, without Django's request machinery, the pure document build and the charts alone.
Target: cold page under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _long_game(scenario, target: int):
    """A bot game lengthened with caucus chat (each bot move in a caucus is followed by chat lines)."""
    import game.bots.play as bot_play
    from game.engine.apply import Transition
    from game.engine.moves import TeamChat

    per_move = 1
    while True:
        real = bot_play.apply_move

        def chatty(scenario_, state, seat, move, now, **kw):
            t = real(scenario_, state, seat, move, now, **kw)
            events = list(t.events)
            after = t.after
            if after.phase == "caucus" and after.status == "running" and seat not in ("facilitator", "system"):
                for k in range(per_move):
                    extra = real(scenario_, after, seat, TeamChat(text=f"Noted ({k + 1}): keep the line we agreed."), now)
                    events.extend(extra.events)
                    after = extra.after
            return Transition(t.before, after, events)

        bot_play.apply_move = chatty
        try:
            events = bot_play.play_game(scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, 1)
        finally:
            bot_play.apply_move = real
        if len(events) >= target:
            return events
        per_move += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-replay-")
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "db.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiation_game.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_scenario", verbosity=0)

    from game.engine import MatchSetup, replay
    from game.models import Match, MatchEvent, ScenarioRecord, Seat
    from game.replays import selectors
    from game.replays.charts import charts
    from game.replays.document import build_document, page_payload
    from game.replays.services import share_create
    from game.selectors import scenario_of

    record = ScenarioRecord.objects.get()
    scenario = scenario_of(record)
    events = _long_game(scenario, args.events)
    setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=1)
    state = replay(scenario, setup, events)
    match = Match.objects.create(scenario=record, label="Bench", setup=setup.model_dump(mode="json"), status=state.status,
                                 version=state.version, snapshot=state.to_json())
    Seat.objects.bulk_create([Seat(match=match, role_id=r.id, team=r.team, kind=Seat.Kind.BOT) for r in scenario.roles])
    MatchEvent.objects.bulk_create([
        MatchEvent(match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                   round=e.round, phase=e.phase, at=e.at, data=e.data) for e in events
    ])
    share = share_create(match=match, created_by="bench")
    client = Client()
    url = f"/r/{share.token}/"

    def timed(fn, runs):
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
        return out

    def cold():
        selectors.cache_clear()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        cold.size = len(response.content)

    cold()  # warm the imports, the scenario parse and the joint space once (per process, not per match)
    cold_ms = timed(cold, args.runs)
    warm_ms = timed(lambda: client.get(url), args.runs)
    build_ms = timed(lambda: build_document(scenario, setup, events), args.runs)
    doc = page_payload(build_document(scenario, setup, events))
    charts_ms = timed(lambda: charts(doc), args.runs)

    def fig(xs):
        return f"median {statistics.median(xs):7.1f} ms   max {max(xs):7.1f} ms"

    print(f"replay of {len(events)} events ({sum(1 for e in events if e.type == 'offer_proposed')} offers, "
          f"{len(doc['annotations'])} annotations), {args.runs} runs each")
    print(f"  page, cold (build + render):  {fig(cold_ms)}   page size {cold.size / 1024:.0f} KiB")
    print(f"  page, warm (cached document): {fig(warm_ms)}")
    print(f"  document build alone:         {fig(build_ms)}")
    print(f"  charts alone:                 {fig(charts_ms)}")
    verdict = "OK" if statistics.median(cold_ms) < 300 else "OVER TARGET"
    print(f"target: cold page under 300 ms -> {verdict}")


if __name__ == "__main__":
    main()
