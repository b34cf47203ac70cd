#!/usr/bin/env bash
# `make test` after lint: the two database passes at once (tools/test-both.sh), and mypy and the
# production smoke test on the core the shorter pass frees when it ends. The passes keep both
# cores busy until then (vmstat: 0-2 % idle), so the checks run in what was the longer pass's
# tail rather than after it. Each job writes its own log (var/test-logs/); all are printed, and
# any failing fails this.
# $1: the PostgreSQL URL (make passes POSTGRES_URL).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/test-logs
make="${MAKE:-make}"
start=$SECONDS

# test-both.sh creates this file when its first pass ends.
marker=var/test-logs/first-pass-done
rm -f "$marker"
bash tools/test-both.sh "$1" &
databases=$!
while [ ! -e "$marker" ] && kill -0 "$databases" 2>/dev/null; do sleep 2; done
checks_start=$SECONDS
"$make" --no-print-directory typecheck prod-smoke > var/test-logs/checks.log 2>&1
checks_status=$?
echo "(the checks took $((SECONDS - checks_start)) s of wall time)" >> var/test-logs/checks.log
wait "$databases"; databases_status=$?
echo "=== mypy and the production smoke test (exit $checks_status)"
cat var/test-logs/checks.log
echo "make test took $((SECONDS - start)) s of wall time after lint"
[ "$databases_status" -eq 0 ] && [ "$checks_status" -eq 0 ]
