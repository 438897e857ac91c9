#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the tests (Debian postgresql; ../shared/notes/stack.md E).
#   bash scripts/pg.sh [start]   start it; prints the SIFUND_DATABASE_URL (one line on stdout)
#   bash scripts/pg.sh stop      stop it and delete its folder (safe to call twice, or when never started)
# The cluster lives in $SIFUND_PG_DIR (default /tmp/sifund-pg-$UID): data, socket and server.log.
# As root the server runs as the postgres user (initdb refuses root); otherwise as the caller.
# trust authentication for the postgres superuser (it needs CREATEDB for pytest-django's test_… databases).
# When PostgreSQL cannot be started: exit 2 with one line on stderr saying why.
set -euo pipefail
DIR=${SIFUND_PG_DIR:-/tmp/sifund-pg-$(id -u)}
DATA="$DIR/data"

as_pg() {
  if [ "$(id -u)" = "0" ]; then "$(command -v runuser || echo /usr/sbin/runuser)" -u postgres -- "$@"; else "$@"; fi
}

pgbin() {
  local bins
  bins=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V) || true
  [ -n "$bins" ] || return 1
  echo "$bins" | tail -1
}

stop() {
  local bin
  if [ -f "$DATA/postmaster.pid" ] && bin=$(pgbin); then
    as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  # only a folder this script made (it holds the marker), never whatever SIFUND_PG_DIR names
  if [ -f "$DIR/.sifund-pg" ]; then rm -rf "$DIR"; fi
}

fail() {
  echo "$1" >&2
  stop
  exit 2
}

start() {
  local bin port
  bin=$(pgbin) || { echo "no PostgreSQL server (/usr/lib/postgresql/*/bin missing)" >&2; exit 2; }
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] || { echo "no initdb/pg_ctl in $bin" >&2; exit 2; }
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root but there is no postgres user to run the server" >&2; exit 2
  fi
  stop  # a cluster left over from an interrupted run
  if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    echo "$DIR exists and is not a cluster of this script; set SIFUND_PG_DIR elsewhere" >&2; exit 2
  fi
  mkdir -p "$DATA" && touch "$DIR/.sifund-pg"
  [ "$(id -u)" = "0" ] && chown -R postgres:postgres "$DIR"
  as_pg test -w "$DATA" || fail "the postgres user cannot write $DATA (choose SIFUND_PG_DIR under /tmp)"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$bin/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || fail "initdb failed: $(tail -1 "$DIR/initdb.log")"
  as_pg "$bin/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1 || fail "PostgreSQL did not start: $(tail -1 "$DIR/server.log" 2>/dev/null)"
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres sifund >/dev/null 2>&1 \
    || fail "createdb failed on 127.0.0.1:$port"
  echo "postgresql://postgres@127.0.0.1:$port/sifund"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: bash scripts/pg.sh [start|stop]" >&2; exit 64 ;;
esac
