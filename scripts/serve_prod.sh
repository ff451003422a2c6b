#!/usr/bin/env bash
# The production shape, run locally (make serve-prod; docs/deploy.md): PostgreSQL + Redis, DEBUG off,
# collectstatic, $PROCESSES daphne processes on 127.0.0.1:8001.. and one `manage.py run_timers`.
# Every setting comes from the environment; the defaults below suit this machine's local services.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PROCESSES=${PROCESSES:-2}
FIRST_PORT=${FIRST_PORT:-8001}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/negotiation_game}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export REDIS_PREFIX=${REDIS_PREFIX:-ng}
export DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DJANGO_CSRF_TRUSTED_ORIGINS=${DJANGO_CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:8080,http://localhost:8080}
# The production shape is served over https by a TLS proxy (secure cookies, HSTS, hashed static files).
export DJANGO_HTTPS=${DJANGO_HTTPS:-1}
# Locally there is no TLS: no redirect to https. Behind a TLS proxy leave this at its default (on).
export DJANGO_SSL_REDIRECT=${DJANGO_SSL_REDIRECT:-0}
# Websockets are accepted from pages served through the proxy (https) or opened on a process directly.
direct=""
for i in $(seq 0 $((PROCESSES - 1))); do direct="$direct,http://127.0.0.1:$((FIRST_PORT + i))"; done
export DJANGO_ALLOWED_ORIGINS=${DJANGO_ALLOWED_ORIGINS:-https://127.0.0.1,https://localhost,$DJANGO_CSRF_TRUSTED_ORIGINS$direct}
export REALTIME_TIMERS_IN_SERVER=0  # the clock runs once, in run_timers, not in every server process
export DJANGO_SETTINGS_MODULE=negotiation_game.settings

bash scripts/services.sh >/dev/null 2>&1 || true
# Create the database if it does not exist (local PostgreSQL, trust auth).
$PY - <<'PY'
import os, psycopg
url = os.environ["DATABASE_URL"]
base, name = url.rsplit("/", 1)
with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as c:
    if not c.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
        c.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PY
$PY manage.py migrate --noinput
$PY manage.py load_scenario
$PY manage.py collectstatic --noinput -v 0

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; }
trap stop EXIT INT TERM
for i in $(seq 0 $((PROCESSES - 1))); do
  port=$((FIRST_PORT + i))
  # backlog: daphne's default listen backlog (50) overflows when hundreds of clients reconnect at once.
  $PY manage.py serve -e "tcp:port=$port:interface=127.0.0.1:backlog=1024" --proxy-headers negotiation_game.asgi:application &
  pids+=($!)
  echo "daphne $((i + 1)) of $PROCESSES on http://127.0.0.1:$port/ (pid $!)"
done
$PY manage.py run_timers &
pids+=($!)
echo "clock: manage.py run_timers (pid $!). Put a reverse proxy in front (docs/deploy.md). Ctrl-C stops everything."
wait
