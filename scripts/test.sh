#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, lints, runs pytest (SQLite),
# then the web tests once more on a throw-away PostgreSQL (scripts/pg.sh) when one can be started.
# Arguments go to the first pytest run (a partial run then skips the PostgreSQL run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
rc=0  # lint and each pytest run all run; the first failure's code is the exit code
.venv/bin/ruff check src tests benchmarks || rc=$?
.venv/bin/python -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider "$@" || { r=$?; [ "$rc" != 0 ] || rc=$r; }

pg_skip=""
if [ "$#" -gt 0 ]; then
  pg_skip="a partial run (arguments given)"
elif [ "${SIFUND_TEST_POSTGRES:-1}" = "0" ]; then
  pg_skip="SIFUND_TEST_POSTGRES=0"
elif ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  pg_skip="no PostgreSQL server installed (/usr/lib/postgresql/*/bin)"
fi
if [ -z "$pg_skip" ]; then
  trap 'exit 130' INT TERM  # a signal, too, goes through the EXIT trap that stops the server
  SIFUND_PG_DIR=$(mktemp -d /tmp/sifund-pg.XXXXXX)
  export SIFUND_PG_DIR
  trap 'bash scripts/pg.sh stop; rmdir "$SIFUND_PG_DIR" 2>/dev/null || true' EXIT
  if url=$(bash scripts/pg.sh start 2>"$SIFUND_PG_DIR.err"); then
    echo "PostgreSQL run: tests/web on $url"
    SIFUND_DATABASE_URL=$url .venv/bin/python -m pytest -n 2 -q -p no:cacheprovider tests/web \
      -m "not browser" --ignore=tests/web/test_e2e_browser.py || { r=$?; [ "$rc" != 0 ] || rc=$r; }
  else
    pg_skip="PostgreSQL could not be started: $(head -1 "$SIFUND_PG_DIR.err")"
  fi
  rm -f "$SIFUND_PG_DIR.err"
fi
[ -z "$pg_skip" ] || echo "PostgreSQL run skipped: $pg_skip"
exit "$rc"
