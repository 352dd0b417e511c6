# shellcheck shell=bash
# Extra throwaway servers for the "beyond one server" tests (tests/Replica.Tests.ps1,
# tests/PgBouncer.Tests.ps1): a primary, a streaming replica made with `pg_basebackup -R`, and
# (on request) PgBouncer in transaction mode, all on free 127.0.0.1 ports, all under one root
# dir so that one call stops everything whatever happened.
#
# Sourced by scripts/test.sh:   pgscale_root     # makes the root, exports NEXUS_SCALE_ROOT
#                               pgscale_stop_all # stops every server under it, deletes it
# Run by the suites:            bash scripts/lib/pgscale.sh pair <name>       # prints KEY=VALUE lines
#                               bash scripts/lib/pgscale.sh pgbouncer <name>  # PgBouncer in front of pair <name>
#                               bash scripts/lib/pgscale.sh ctl <name> <primary|replica> <stop|start|promote>
#                               bash scripts/lib/pgscale.sh stop <name>
# Servers run as the 'postgres' OS user (initdb refuses root), like scripts/lib/pg.sh.

_pgscale_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pg.sh
source "$_pgscale_here/pg.sh"
# shellcheck source=run-root.sh
source "$_pgscale_here/run-root.sh"

# The root for this run's extra servers; a later run sweeps it if we die without cleaning up.
pgscale_root() {
  run_root nexus-pgscale NEXUS_SCALE_ROOT pgscale_stop_all
}

# Stops the server of one data dir (immediate: a crash, the data is thrown away) and waits
# (max 10 s) until its postmaster is gone. Nothing to do when it does not run.
_pgscale_stop_server() {
  local bin="$1" data="$2" pid
  [[ -f "$data/postmaster.pid" ]] || return 0
  pid="$(head -n 1 "$data/postmaster.pid")"
  _pg_as "$bin/pg_ctl" -D "$data" stop -m immediate -w >/dev/null 2>&1 || true
  for _ in {1..50}; do [[ -e "/proc/$pid" ]] || break; sleep 0.2; done
}

# Stops the servers (PostgreSQL and PgBouncer) of one pair dir.
_pgscale_stop_pair() {
  local dir="$1" bin data
  bin="$(pg_bindir)" || return 1
  if [[ -f "$dir/pgbouncer.pid" ]]; then kill -TERM "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
  for data in "$dir/primary" "$dir/replica"; do _pgscale_stop_server "$bin" "$data"; done
}

# Stops every server under the root and deletes it.
pgscale_stop_all() {
  local root="${NEXUS_SCALE_ROOT:-}" dir
  [[ -n "$root" && -d "$root" ]] || return 0
  for dir in "$root"/*/; do [[ -d "$dir" ]] && _pgscale_stop_pair "${dir%/}"; done
  rm -rf "$root"
  unset NEXUS_SCALE_ROOT
}

# Starts a PostgreSQL data dir on a free port (5 tries); echoes the port.
_pgscale_start_server() {
  local bin="$1" data="$2" sock="$3" extra="$4" port try
  for try in 1 2 3 4 5; do
    port="$(_pg_free_port)"
    if _pg_as "$bin/pg_ctl" -D "$data" -l "$data.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c full_page_writes=off -c max_connections=100 $extra" \
      >/dev/null 2>&1; then
      echo "$port"; return 0
    fi
    if [[ -f "$data/postmaster.pid" ]]; then _pg_as "$bin/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true; fi
  done
  echo "pgscale: server $data did not start:" >&2; cat "$data.log" >&2; return 1
}

# A primary with database nexus_scale, and its streaming replica (not with 'primary-only').
# Writes <dir>/env.
pgscale_pair() {
  local name="$1" only="${2:-}" bin dir pw pport rport=""
  bin="$(pg_bindir)" || return 1
  dir="$NEXUS_SCALE_ROOT/$name"
  mkdir -p "$dir/sock"
  pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  printf '%s\n' "$pw" > "$dir/pwfile"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi
  chmod 700 "$dir"
  _pg_as "$bin/initdb" -D "$dir/primary" -U nexus --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  pport="$(_pgscale_start_server "$bin" "$dir/primary" "$dir/sock" "-c wal_level=replica -c max_wal_senders=5")" || return 1
  _pg_as "$bin/psql" -h "$dir/sock" -p "$pport" -U nexus -d postgres -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE DATABASE nexus_scale" >/dev/null || return 1
  if [[ "$only" != primary-only ]]; then
  # The replica streams from the primary over its unix socket (trust inside our 0700 dir).
  _pg_as "$bin/pg_basebackup" -h "$dir/sock" -p "$pport" -U nexus -D "$dir/replica" -R -X stream -c fast \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; return 1; }
  rport="$(_pgscale_start_server "$bin" "$dir/replica" "$dir/sock" "-c hot_standby=on -c wal_receiver_status_interval=1s")" || return 1
  fi
  {
    echo "PASSWORD=$pw"
    echo "PRIMARY_PORT=$pport"
    echo "REPLICA_PORT=$rport"
    echo "SOCKET_DIR=$dir/sock"
    echo "PG_BIN=$bin"
  } > "$dir/env"
  cat "$dir/env"
}

# PgBouncer (transaction mode) in front of pair <name>'s primary; appends PGBOUNCER_PORT to env.
pgscale_pgbouncer() {
  local name="$1" dir port try pw pport
  dir="$NEXUS_SCALE_ROOT/$name"
  # shellcheck disable=SC1091
  pw="$(sed -n 's/^PASSWORD=//p' "$dir/env")"; pport="$(sed -n 's/^PRIMARY_PORT=//p' "$dir/env")"
  printf '"nexus" "%s"\n' "$pw" > "$dir/userlist.txt"
  for try in 1 2 3 4 5; do
    port="$(_pg_free_port)"
    cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pport
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 20
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/pgbouncer.ini" "$dir/userlist.txt"; fi
    rm -f "$dir/pgbouncer.pid"
    if _pg_as "$(command -v pgbouncer || echo /usr/sbin/pgbouncer)" -d "$dir/pgbouncer.ini" >>"$dir/pgbouncer.start.log" 2>&1; then
      for _ in {1..50}; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
          echo "PGBOUNCER_PORT=$port" >> "$dir/env"; echo "PGBOUNCER_PORT=$port"; return 0
        fi
        sleep 0.1
      done
    fi
  done
  echo "pgscale: pgbouncer did not start:" >&2; cat "$dir/pgbouncer.log" "$dir/pgbouncer.start.log" >&2 2>/dev/null; return 1
}

# pg_ctl on one server of pair <name>: stop (immediate: a crash, as a killed server), start, promote.
pgscale_ctl() {
  local name="$1" which="$2" action="$3" dir bin data sock
  dir="$NEXUS_SCALE_ROOT/$name"; bin="$(pg_bindir)" || return 1; data="$dir/$which"
  case "$action" in
    stop) _pg_as "$bin/pg_ctl" -D "$data" stop -m immediate -w >/dev/null ;;
    promote) _pg_as "$bin/pg_ctl" -D "$data" promote -w >/dev/null ;;
    start)
      local port; port="$(sed -n "s/^${which^^}_PORT=//p" "$dir/env")"
      _pg_as "$bin/pg_ctl" -D "$data" -l "$data.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c full_page_writes=off" >/dev/null ;;
    *) echo "pgscale: unknown action $action" >&2; return 2 ;;
  esac
}

pgscale_stop() {
  local dir="$NEXUS_SCALE_ROOT/$1"
  [[ -d "$dir" ]] || return 0
  _pgscale_stop_pair "$dir"
  rm -rf "$dir"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  [[ -n "${NEXUS_SCALE_ROOT:-}" && -d "$NEXUS_SCALE_ROOT" ]] || { echo "pgscale: NEXUS_SCALE_ROOT is not set (run through scripts/test.sh)" >&2; exit 2; }
  command="$1"; shift
  case "$command" in
    pair) pgscale_pair "$@" ;;
    pgbouncer) pgscale_pgbouncer "$@" ;;
    ctl) pgscale_ctl "$@" ;;
    stop) pgscale_stop "$@" ;;
    *) echo "pgscale: unknown command $command" >&2; exit 2 ;;
  esac
fi
