#!/usr/bin/env bash
# `make test`'s two database passes at once: each is one pytest process that mostly waits on its
# database or its browser, so on two cores they overlap well (about 11 minutes instead of 15).
# Each pass writes its own log (var/test-logs/); both are printed, and either failing fails this.
# $1: the PostgreSQL URL (make passes POSTGRES_URL; DATABASE_URL wins when it names PostgreSQL).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/test-logs
DATABASE_URL=sqlite://:memory: .venv/bin/pytest -q -p no:cacheprovider > var/test-logs/sqlite.log 2>&1 &
sqlite=$!
bash tools/test-postgres.sh "$1" > var/test-logs/postgres.log 2>&1 &
postgres=$!
wait "$sqlite"; sqlite_status=$?
wait "$postgres"; postgres_status=$?
echo "=== SQLite pass (exit $sqlite_status)"; cat var/test-logs/sqlite.log
echo "=== PostgreSQL pass (exit $postgres_status)"; cat var/test-logs/postgres.log
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
