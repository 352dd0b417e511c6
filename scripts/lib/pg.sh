# shellcheck shell=bash
# Throwaway PostgreSQL 15 for the tests. Source this file, then:
#   pg_start   # starts a server on a free 127.0.0.1 port; exports TEST_DATABASE_URL,
#              # NEXUS_TEST_PG_ADMIN_URL (same superuser, database 'postgres') and NEXUS_PG_DIR
#   pg_stop    # stops it and deletes its temp dir (safe to call twice or without pg_start)
# Everything (data, socket, log, password file) lives in one temp dir owned by
# 'postgres', because initdb refuses to run as root.

# Directory of the PostgreSQL 15 server binaries (not on PATH on Debian).
pg_bindir() {
  local d=""
  if command -v pg_config >/dev/null 2>&1; then d="$(pg_config --bindir)"; fi
  [[ -x "$d/initdb" ]] || d=/usr/lib/postgresql/15/bin
  [[ -x "$d/initdb" ]] || { echo "pg: initdb not found (run scripts/setup.sh)" >&2; return 1; }
  echo "$d"
}

# Runs a command as the 'postgres' OS user when we are root, else as ourselves.
# The cd keeps pg_ctl from failing on a cwd that postgres cannot read.
_pg_as() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Removes servers and dirs left behind by runs that died without pg_stop
# (their owner.pid process is gone). Servers of live runs are left alone.
_pg_sweep_leftovers() {
  local bin="$1" d owner
  for d in "${TMPDIR:-/tmp}"/nexus-pg.*; do
    [[ -d "$d" ]] || continue
    owner="$(cat "$d/owner.pid" 2>/dev/null || true)"
    if [[ -n "$owner" ]] && kill -0 "$owner" 2>/dev/null; then continue; fi
    if [[ -f "$d/data/postmaster.pid" ]]; then
      _pg_as "$bin/pg_ctl" -D "$d/data" stop -m immediate >/dev/null 2>&1 || true
    fi
    rm -rf "$d"
  done
}

# A port nobody listens on (connect via bash's /dev/tcp fails). The server start
# below retries with another port if one is taken in between.
_pg_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

pg_start() {
  local bin dir pw port try
  bin="$(pg_bindir)" || return 1
  _pg_sweep_leftovers "$bin"

  dir="$(mktemp -d "${TMPDIR:-/tmp}/nexus-pg.XXXXXX")"
  echo "$$" > "$dir/owner.pid"          # lets a later run sweep this dir if we die
  pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"  # URL-safe
  printf '%s\n' "$pw" > "$dir/pwfile"
  mkdir "$dir/data" "$dir/sock"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi
  chmod 700 "$dir"

  # Superuser 'nexus' with the random password. Host (TCP) logins need the password
  # (scram-sha-256); the unix socket sits in our private 0700 dir, so trust is fine there.
  _pg_as "$bin/initdb" -D "$dir/data" -U nexus --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }

  for try in 1 2 3 4 5; do
    port="$(_pg_free_port)"
    # Speed over durability: the data is thrown away anyway.
    if _pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null 2>&1; then
      break
    fi
    port=""
    if [[ -f "$dir/data/postmaster.pid" ]]; then   # started but pg_ctl gave up: stop it first
      _pg_as "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
    fi
  done
  if [[ -z "$port" ]]; then
    echo "pg: server did not start; log:" >&2; cat "$dir/server.log" >&2; rm -rf "$dir"; return 1
  fi

  export NEXUS_PG_DIR="$dir"
  export NEXUS_TEST_PG_ADMIN_URL="postgresql://nexus:$pw@127.0.0.1:$port/postgres"
  export TEST_DATABASE_URL="postgresql://nexus:$pw@127.0.0.1:$port/nexus_test"
  "$bin/psql" "$NEXUS_TEST_PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE nexus_test" >/dev/null \
    || { pg_stop; return 1; }
  echo "pg: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

pg_stop() {
  local dir="${NEXUS_PG_DIR:-}" bin pid
  [[ -n "$dir" && -d "$dir" ]] || return 0
  bin="$(pg_bindir)" || return 1
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    pid="$(head -n 1 "$dir/data/postmaster.pid")"
    _pg_as "$bin/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
    # The daemonised postmaster is reaped by init, not by us: wait (max 10 s) until
    # it is really gone, so nothing is left in the process table when we return.
    for _ in {1..50}; do [[ -e "/proc/$pid" ]] || break; sleep 0.2; done
  fi
  rm -rf "$dir"
  unset NEXUS_PG_DIR
  echo "pg: stopped" >&2
}
