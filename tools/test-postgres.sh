#!/usr/bin/env bash
# Run the Django test suite against PostgreSQL.
# Uses DATABASE_URL when it names PostgreSQL, else the URL given as $1.
# Unreachable server: skip with the reason, or fail when SAFEOPS_REQUIRE_POSTGRES=1 (CI).
set -euo pipefail
url="${DATABASE_URL:-}"
case "$url" in postgres://*|postgresql://*) ;; *) url="$1" ;; esac

if ! reason=$(.venv/bin/python tools/pg_reachable.py "$url" 2>&1); then
  if [ "${SAFEOPS_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAIL: PostgreSQL is required here but unreachable: $reason" >&2
    exit 1
  fi
  echo "SKIPPED the PostgreSQL pass: $reason"
  echo "  (start PostgreSQL and set POSTGRES_URL or DATABASE_URL to run it)"
  exit 0
fi
echo "PostgreSQL pass against ${url%%\?*}"
# Tests that touch no database and the page crawls run in the SQLite pass only; with
# SAFEOPS_BOTH_PASSES=1 (tools/test-both.sh) the other browser tests run here only
# (tests/conftest.py, `pass_of`).
DATABASE_URL="$url" SAFEOPS_POSTGRES_PASS=1 .venv/bin/pytest -q -p no:cacheprovider tests/safeops
