"""Moves submitted at the same time from many threads (each with its own database connection), on
SQLite and on PostgreSQL: every accepted move gets its own gap-free seq, a race on one expected
version has exactly one winner, a resent msg_id is applied once, and the stored snapshot is the fold
of the log. Also when the moves are worked out on each thread's own copy of the state, as a server
process does (they are stored without the locking read if the copy is still current; the others
must fall back to the locking path and still be applied exactly once). This is the guarantee the hand-written statements of game/hot_sql.py must keep
(realtime-notes trap 5: without the row lock PostgreSQL handed out duplicate seqs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
THREADS, MOVES = 8, 15

SCRIPT = r"""
import json, sys, threading, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
from game.engine import FACILITATOR, MoveError
from game.models import Match, MatchEvent
from game import hot_sql
from game.selectors import match_state, scenario_get, scenario_of
from game.services import match_create, match_rebuild_snapshot, match_submit_move

stored_on_copy = []
_commit_if_current = hot_sql.commit_if_current
def counting_commit_if_current(*args, **kwargs):
    stored = _commit_if_current(*args, **kwargs)
    with lock:
        stored_on_copy.append(stored is not None)
    return stored
hot_sql.commit_if_current = counting_commit_if_current

THREADS, MOVES = int(sys.argv[1]), int(sys.argv[2])
match = match_create(scenario_record=scenario_get("us_vietnam_2025"))
match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
together = threading.Barrier(THREADS)
lock = threading.Lock()
out = {"race_won": 0, "race_stale": 0, "errors": []}
scenario = scenario_of(match.scenario)

def player(n):
    try:
        together.wait()
        for i in range(MOVES):
            match_submit_move(match_id=match.pk, seat="us_ustr", move={"kind": "team_chat", "text": f"{n}.{i}"}, msg_id=f"{n}.{i}")
        together.wait()
        version = Match.objects.get(pk=match.pk).version
        together.wait()
        try:
            match_submit_move(match_id=match.pk, seat="vn_trade", move={"kind": "team_chat", "text": f"race {n}"}, expected_version=version)
            key = "race_won"
        except MoveError as exc:
            assert exc.code == "move/stale_version", exc.code
            key = "race_stale"
        with lock:
            out[key] += 1
        together.wait()
        copy = match_state(Match.objects.get(pk=match.pk))  # every thread's copy, soon stale
        together.wait()
        for i in range(MOVES):
            done = match_submit_move(
                match_id=match.pk, seat="vn_trade", move={"kind": "team_chat", "text": f"copy {n}.{i}"}, msg_id=f"c{n}.{i}",
                known_state=copy, known_scenario=scenario,
            )
            copy = done.state  # the copy a server process would hold after its own move
    except Exception as exc:
        together.abort()  # the other threads stop waiting for this one
        with lock:
            out["errors"].append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=player, args=(n,)) for n in range(THREADS)]
for t in threads: t.start()
for t in threads: t.join()
again = match_submit_move(match_id=match.pk, seat="us_ustr", move={"kind": "team_chat", "text": "0.0"}, msg_id="0.0")
match.refresh_from_db()
again_on_copy = match_submit_move(
    match_id=match.pk, seat="vn_trade", move={"kind": "team_chat", "text": "copy 0.0"}, msg_id="c0.0",
    known_state=match_state(match), known_scenario=scenario,
)
match.refresh_from_db()
stored = match_state(match).to_json()
out.update(
    seqs=list(MatchEvent.objects.filter(match=match).order_by("seq").values_list("seq", flat=True)),
    version=match.version, resent_was_duplicate=again.duplicate and again_on_copy.duplicate,
    stored_on_copy=sum(stored_on_copy), fell_back=len(stored_on_copy) - sum(stored_on_copy),
    chats=MatchEvent.objects.filter(match=match, type="chat_posted").count(),
    snapshot_is_the_fold=stored == match_rebuild_snapshot(match=match).to_json(),
)
print(json.dumps(out))
"""


def _run(env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(THREADS), str(MOVES)], cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "negotiation_game.settings", "LOG_LEVEL": "WARNING", **env},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request, tmp_path):
    if request.param == "sqlite":
        return {"SQLITE_PATH": str(tmp_path / "moves.sqlite3"), "DATABASE_URL": ""}
    return {"DATABASE_URL": request.getfixturevalue("postgres_db")}


def test_simultaneous_moves_get_their_own_seq_and_a_race_has_one_winner(database_env):
    out = _run(database_env)
    assert out["errors"] == []
    assert out["race_won"] == 1 and out["race_stale"] == THREADS - 1
    assert out["seqs"] == list(range(1, out["version"] + 1))  # unique and gap-free
    # every move once (locking path, then worked out on copies), the race's winner once, the resent ids not again
    assert out["chats"] == 2 * THREADS * MOVES + 1
    assert out["resent_was_duplicate"] is True
    assert out["snapshot_is_the_fold"] is True
    # both ways were taken: stored from a current copy, and the fallback to the locking path
    assert out["stored_on_copy"] >= 1 and out["fell_back"] >= 1
