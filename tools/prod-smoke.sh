#!/usr/bin/env bash
# Start the production configuration here and check it end to end (docs/deploy.md):
# DEBUG off, generated SECRET_KEY and FIELD_ENCRYPTION_KEY, collectstatic, gunicorn with two
# uvicorn workers (`safeops serve --no-worker`), `safeops worker`, PostgreSQL database
# safeops_smoke (dropped and created), Redis db 5. There is no TLS proxy here, so cookies are
# not marked Secure (SECURE_COOKIES=false); everything else is as in production.
#
# PostgreSQL or Redis unreachable: skip with the reason, or fail when SAFEOPS_REQUIRE_POSTGRES=1.
# Any failure exits non-zero naming the step. Processes are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${SMOKE_POSTGRES_SERVER:-postgres://postgres@127.0.0.1:5432}"
DB_NAME="safeops_smoke"
REDIS="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/5}"
PORT="${SMOKE_PORT:-8235}"  # outside the test suite's server ports (8240-8259)
BIN=.venv/bin
WORK="$(mktemp -d /tmp/safeops-smoke.XXXXXX)"
PIDS=()
STEP="start"

cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    echo "prod-smoke FAILED at step: $STEP" >&2
    for log in "$WORK"/*.log; do
      [ -f "$log" ] && { echo "--- $(basename "$log") (last lines)" >&2; tail -n 25 "$log" >&2; }
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip_or_fail() {
  if [ "${SAFEOPS_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAIL: prod-smoke needs $1" >&2
    exit 1
  fi
  echo "SKIPPED prod-smoke: $1"
  exit 0
}

step() { STEP="$1"; echo "prod-smoke: $1"; }

step "PostgreSQL and Redis reachable"
reason=$($BIN/python tools/pg_reachable.py "$PG_URL/postgres" 2>&1) \
  || skip_or_fail "PostgreSQL at $PG_URL ($reason)"
reason=$($BIN/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" \
  "$REDIS" 2>&1 | tail -n 1) || skip_or_fail "Redis at $REDIS ($reason)"

step "fresh database $DB_NAME"
$BIN/python - "$PG_URL/postgres" "$DB_NAME" <<'EOF'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF

export DJANGO_SETTINGS_MODULE=safeops.settings.base
export DEBUG=false
SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
FIELD_ENCRYPTION_KEY="$($BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export SECRET_KEY FIELD_ENCRYPTION_KEY
export DATABASE_URL="$PG_URL/$DB_NAME"
export REDIS_URL="$REDIS"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT"
export SECURE_COOKIES=false
export SAFEOPS_VAR_DIR="$WORK/var"
export SERVER_WORKERS=2
export LOG_LEVEL=WARNING
unset SERVER_BIND SAFEOPS_SERVE_JOBS

step "safeops check --deploy (errors only)"
$BIN/safeops check --deploy --fail-level ERROR >"$WORK/check.log" 2>&1

step "safeops migrate"
$BIN/safeops migrate --noinput -v0 >"$WORK/migrate.log" 2>&1

step "safeops collectstatic"
$BIN/safeops collectstatic --noinput -v0 >"$WORK/collectstatic.log" 2>&1

step "safeops seed-demo (small district)"
$BIN/safeops seed-demo --schools 40 >"$WORK/seed.log" 2>&1

step "port $PORT free"
if $BIN/python -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$PORT" 2>/dev/null; then
  echo "port $PORT is in use (set SMOKE_PORT)" >&2
  exit 1
fi

step "start the server (gunicorn, 2 uvicorn workers) and the job worker"
$BIN/safeops serve --host 127.0.0.1 --port "$PORT" --no-worker >"$WORK/server.log" 2>&1 &
PIDS+=($!)
$BIN/safeops worker >"$WORK/worker.log" 2>&1 &
PIDS+=($!)

step "server answers /healthz"
for _ in $(seq 240); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then break; fi
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "the server exited" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz"

step "end-to-end checks"
$BIN/python tools/prod_smoke_client.py "http://127.0.0.1:$PORT"

step "job worker still running"
kill -0 "${PIDS[1]}"

STEP="done"
echo "prod-smoke passed"
