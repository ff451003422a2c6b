"""The production settings pass `check --deploy`, and bench/realtime.py runs end to end (a tiny smoke run).

Benchmarks are not tests: nothing here asserts a time. The smoke run checks that the bench works,
loses no update and ends its report with the two lines other tools read.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SQLITE_PATH"))}
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy():
    env = _env(
        DJANGO_SETTINGS_MODULE="negotiation_game.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="games.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://games.example.org",
        DATABASE_URL="postgres://ng@db.example.org:5432/ng",  # parsed, never connected to by the checks
        REDIS_URL="redis://cache.example.org:6379/0",
    )
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_realtime_bench_smoke_run_loses_nothing_and_ends_with_the_two_lines():
    run = subprocess.run(
        [sys.executable, "bench/realtime.py", "--tables", "2", "--seats", "3", "--rate", "10", "--duration", "1.5",
         "--warm-up", "0.3", "--burst-rounds", "1", "--storm", "6", "--idle", "10", "--pings", "20"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert re.fullmatch(r"p99 ratio to durable floor: \d+\.\d\d", lines[-2]), lines[-2]
    assert lines[-1] == "lost updates: 0"
    assert "game (team_chat)" in run.stdout and "durable floor" in run.stdout and "echo floor" in run.stdout


def test_room_bench_smoke_run_plays_a_room_through_the_room_command_and_loses_nothing():
    run = subprocess.run(
        [sys.executable, "bench/room.py", "--tables", "2", "--trainees", "2", "--rate", "5", "--duration", "2", "--phase-seconds", "5"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "room arrives: 4 sockets welcomed" in run.stdout and "Wi-Fi back: 4 trainees reconnected" in run.stdout
    assert "refused 0, not delivered 0" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "lost updates: 0  duplicated: 0"
