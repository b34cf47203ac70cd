#!/usr/bin/env bash
# `make test`'s two database passes at once: each is one pytest process that mostly waits on its
# database or its browser, so on two cores they overlap well.
# Each pass writes its own log (var/test-logs/); both are printed, and either failing fails this.
# $1: the PostgreSQL URL (make passes POSTGRES_URL; DATABASE_URL wins when it names PostgreSQL).
# $2...: a command to run when the first pass ends, on the core it frees (`make test`: mypy and
# the production smoke test; the passes keep both cores busy until then). Its log is
# var/test-logs/checks.log, printed last; its failing fails this too.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/test-logs

# Run a pass into its log ($1) and end the log with the pass's wall time (which pass is the
# longer one decides where slow tests that need only one pass should run).
timed() {
  local log=$1 start=$SECONDS status
  shift
  "$@" > "$log" 2>&1
  status=$?
  echo "(this pass took $((SECONDS - start)) s of wall time)" >> "$log"
  return "$status"
}

# When PostgreSQL answers, each test runs in one pass where both would repeat it (tests that
# touch no database and the page crawls on SQLite, the other browser tests on PostgreSQL:
# tests/conftest.py, `pass_of`); otherwise the SQLite pass runs everything.
url="${DATABASE_URL:-}"
case "$url" in postgres://*|postgresql://*) ;; *) url="$1" ;; esac
both=0
.venv/bin/python tools/pg_reachable.py "$url" > /dev/null 2>&1 && both=1

timed var/test-logs/sqlite.log env DATABASE_URL=sqlite://:memory: SAFEOPS_BOTH_PASSES="$both" \
  .venv/bin/pytest -q -p no:cacheprovider &
sqlite=$!
timed var/test-logs/postgres.log bash tools/test-postgres.sh "$1" &
postgres=$!
wait -n -p first "$sqlite" "$postgres"; first_status=$?
checks_status=0
if [ $# -gt 1 ]; then
  timed var/test-logs/checks.log "${@:2}"; checks_status=$?
fi
if [ "$first" = "$sqlite" ]; then
  sqlite_status=$first_status
  wait "$postgres"; postgres_status=$?
else
  postgres_status=$first_status
  wait "$sqlite"; sqlite_status=$?
fi
echo "=== SQLite pass (exit $sqlite_status)"; cat var/test-logs/sqlite.log
echo "=== PostgreSQL pass (exit $postgres_status)"; cat var/test-logs/postgres.log
if [ $# -gt 1 ]; then
  echo "=== ${*:2} (exit $checks_status)"; cat var/test-logs/checks.log
fi
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ] && [ "$checks_status" -eq 0 ]
