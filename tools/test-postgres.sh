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
# The page crawls (layout and axe at two sizes, Spanish on the SA's and principal's pages, human
# labels on every role's pages) read pages, not database behaviour: they run in the SQLite pass only.
DATABASE_URL="$url" SAFEOPS_POSTGRES_PASS=1 .venv/bin/pytest -q -p no:cacheprovider tests/safeops \
  --deselect tests/safeops/browser/test_page_sweep.py::test_every_page_of_every_role_fits_a_phone_and_passes_axe \
  --deselect tests/safeops/core/test_staff_spanish.py::test_every_sa_and_principal_page_is_in_spanish \
  --deselect tests/safeops/test_human_labels.py::test_every_page_of_every_role_reads_as_words
