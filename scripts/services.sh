#!/usr/bin/env bash
# Start the local PostgreSQL and Redis if they are installed but not running. Never fails the
# build by itself: the tests that need a service say why they cannot run (or fail under CI=true).
set -u
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || echo "could not start PostgreSQL"
  fi
else
  echo "PostgreSQL is not installed here; its tests will be skipped (or fail under CI=true)"
fi
if command -v redis-server >/dev/null 2>&1; then
  if ! (command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
    echo "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || echo "could not start Redis"
  fi
else
  echo "Redis is not installed here; its tests will be skipped (or fail under CI=true)"
fi
exit 0
