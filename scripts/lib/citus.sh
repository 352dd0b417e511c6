# shellcheck shell=bash
# A throwaway Citus cluster (a coordinator and two workers) for the Citus suites and the
# distributed test tier.
#
# Sourced by scripts/test.sh:   citus_root                   # makes the run's root dir, exports NEXUS_CITUS_ROOT
#                               citus_prepare_start          # packages + build in the background, at once
#                               citus_prepare_wait_packages  # before the first server starts
#                               citus_prepare_stop           # (trap) ends a preparation still running
#                               citus_stop_all               # stops every Citus server under it, deletes it
# Run by the suites:            bash scripts/lib/citus.sh start  # waits for the preparation (or ensures
#                                                                # Citus), starts the cluster once per
#                                                                # run, prints KEY=VALUE lines
#                               bash scripts/lib/citus.sh ensure # only builds/installs Citus
#                               bash scripts/lib/citus.sh packages [upgrade]  # only the build packages
# When Citus cannot be had, `start` prints SKIP=<reason> and exits 0, so the suite can say why.
#
# Citus is normally installed from a package repository (see README.md). This machine's package
# sources have none, so citus_ensure builds the vendored source (../shared/vendor/citus) into a
# cache OUTSIDE the repository and copies the result into PostgreSQL 15's lib/share folders.
# Servers run as the 'postgres' OS user (initdb refuses root), like scripts/lib/pg.sh.

_citus_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pgscale.sh
source "$_citus_here/pgscale.sh"   # pg.sh, _pgscale_start_server and _pgscale_stop_server

CITUS_VERSION=13.2.2
CITUS_SHA256=56fa053b379fb9f9cd235819bcad1043a6ac7a472a2dafb37c106bf87dce7921

# The vendor folder: NEXUS_CITUS_VENDOR, else the first shared/vendor/citus above the repository
# (a worktree may sit one level deeper than the main checkout). Echoes nothing when absent.
citus_vendor_dir() {
  if [[ -n "${NEXUS_CITUS_VENDOR:-}" ]]; then
    if [[ -f "$NEXUS_CITUS_VENDOR/citus-$CITUS_VERSION.tar.gz" ]]; then echo "$NEXUS_CITUS_VENDOR"; fi
    return
  fi
  local dir
  dir="$(cd "$_citus_here/../.." && pwd)"
  while [[ "$dir" != / ]]; do
    dir="$(dirname "$dir")"
    if [[ -f "$dir/shared/vendor/citus/citus-$CITUS_VERSION.tar.gz" ]]; then
      echo "$dir/shared/vendor/citus"; return
    fi
  done
}

# PostgreSQL's pg_config (the server one: it names the server's lib and share folders).
_citus_pg_config() { echo "$(pg_bindir)/pg_config"; }

citus_installed() {
  [[ -f /usr/share/postgresql/15/extension/citus.control && -f /usr/lib/postgresql/15/lib/citus.so ]]
}

# What dpkg has installed of a package ("" when not installed) and what the package sources
# offer of it (one version a line; the candidate first is not guaranteed).
_citus_installed_version() {
  if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null
  fi
}
_citus_offered_versions() { apt-cache madison "$1" 2>/dev/null | awk -F' [|] ' '{print $2}'; }
_citus_offers() { _citus_offered_versions "$1" | grep -qxF "$2"; }
_citus_candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '^(none)$' || true; }

# The PostgreSQL 15 servers (postmasters and backends) running on this machine, as "pid args" lines.
_citus_running_servers() {
  local bin; bin="$(pg_bindir 2>/dev/null)" || return 0
  ps -eo pid=,args= 2>/dev/null | awk -v exe="$bin/postgres" '$2 == exe' || true
}

_citus_apt_install() {
  local log="$1"; shift
  echo "citus: apt-get install $*" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1; then
    # The package lists may be stale: refresh once and retry.
    apt-get update -q -o DPkg::Lock::Timeout=300 >>"$log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1
  fi
}

# Installs the Debian packages the build needs: postgresql-server-dev-15 at exactly the installed
# server's version, liblz4-dev, libzstd-dev and libkrb5-dev (PostgreSQL's server headers include
# gssapi.h) pinned to their installed libraries where the sources still have those versions.
# When the sources offer postgresql-server-dev-15 only at another version than the installed
# server (a machine whose package lists moved on: Debian's point release or security update),
# `citus_packages upgrade` upgrades the server packages to that same version first. Only
# scripts/test.sh asks for that, before it starts any PostgreSQL server (an upgrade under running
# servers pulls their binaries away: they then fail to load plpgsql.so); it is refused anyway
# while any PostgreSQL 15 server runs on this machine. Returns 1 with CITUS_SKIP_REASON set.
citus_packages() {
  local upgrade="${1:-}" log="${XDG_CACHE_HOME:-$HOME/.cache}/nexus-citus/apt.log" server dev target="" pkg pair lib ver lock
  local -a install=()
  CITUS_SKIP_REASON=""
  mkdir -p "$(dirname "$log")"
  # One package step at a time on this machine (two test runs may start together).
  exec {lock}>"$(dirname "$log")/.packages.lock"
  flock "$lock"
  server="$(_citus_installed_version postgresql-15)"
  if [[ -z "$server" ]]; then
    CITUS_SKIP_REASON="Debian's postgresql-15 is not installed (the Citus build needs its server headers at the server's version)"
    echo "citus: $CITUS_SKIP_REASON" >&2; exec {lock}>&-; return 1
  fi
  dev="$(_citus_installed_version postgresql-server-dev-15)"
  if [[ "$dev" != "$server" ]]; then
    if ! _citus_offers postgresql-server-dev-15 "$server"; then
      echo "citus: the package sources do not list postgresql-server-dev-15 $server; refreshing them (apt-get update)" >&2
      apt-get update -q -o DPkg::Lock::Timeout=300 >>"$log" 2>&1 || true
    fi
    if _citus_offers postgresql-server-dev-15 "$server"; then
      install+=("postgresql-server-dev-15=$server")
    else
      target="$(_citus_candidate postgresql-server-dev-15)"
      if [[ -z "$target" ]]; then
        CITUS_SKIP_REASON="the package sources have no postgresql-server-dev-15 at all (the Citus build needs PostgreSQL 15's server headers)"
      elif [[ "$upgrade" != upgrade ]]; then
        CITUS_SKIP_REASON="the package sources have postgresql-server-dev-15 only at $target, not at the installed server's $server; scripts/test.sh upgrades the server to $target before it starts PostgreSQL (a full run, or NEXUS_TEST_LAYOUTS=1)"
      elif [[ -n "$(_citus_running_servers)" ]]; then
        CITUS_SKIP_REASON="postgresql-server-dev-15 is offered only at $target (server: $server), and the server packages cannot be upgraded to it now: PostgreSQL 15 servers are running on this machine (another test run?)"
      else
        for pkg in postgresql-15 postgresql-client-15 postgresql-server-dev-15 libpq-dev libpq5; do
          _citus_offers "$pkg" "$target" || { CITUS_SKIP_REASON="postgresql-server-dev-15 is offered at $target but $pkg is not"; break; }
          install+=("$pkg=$target")
        done
        if [[ -z "$CITUS_SKIP_REASON" ]]; then
          echo "citus: upgrading PostgreSQL 15 from $server to $target (postgresql-15, -client-15, -server-dev-15, libpq) so that the server matches the headers Citus is built against; no PostgreSQL server runs yet (test.sh starts its servers after this)" >&2
        fi
      fi
      if [[ -n "$CITUS_SKIP_REASON" ]]; then echo "citus: $CITUS_SKIP_REASON" >&2; exec {lock}>&-; return 1; fi
    fi
  fi
  for pair in liblz4-dev:liblz4-1 libzstd-dev:libzstd1 libkrb5-dev:libkrb5-3; do
    lib="${pair#*:}"; pkg="${pair%%:*}"
    [[ -z "$(_citus_installed_version "$pkg")" ]] || continue
    ver="$(_citus_installed_version "$lib")"
    if [[ -n "$ver" ]] && _citus_offers "$pkg" "$ver"; then install+=("$pkg=$ver"); else install+=("$pkg"); fi
  done
  if (( ${#install[@]} )) && ! _citus_apt_install "$log" "${install[@]}"; then
    CITUS_SKIP_REASON="could not install the build packages (${install[*]}), see $log"
    echo "citus: $CITUS_SKIP_REASON" >&2; exec {lock}>&-; return 1
  fi
  exec {lock}>&-
  if [[ -n "$target" ]]; then echo "citus: PostgreSQL 15 is now $(_citus_installed_version postgresql-15)" >&2; fi
}

# Builds Citus from the vendored tarball when the extension is not installed. The build goes to
# ${XDG_CACHE_HOME:-~/.cache}/nexus-citus/<citus>-pg<postgres>/ (make install DESTDIR=stage), so
# a later run on a machine whose PostgreSQL was reinstalled only copies the staged files again.
# `citus_ensure upgrade` lets the package step upgrade the server packages (see citus_packages).
# Returns 1 with the reason on stderr (and in CITUS_SKIP_REASON) when Citus cannot be had.
citus_ensure() {
  local upgrade="${1:-}"
  CITUS_SKIP_REASON=""
  if citus_installed; then return 0; fi
  local vendor cache pgver lock started=$SECONDS
  vendor="$(citus_vendor_dir)"
  if [[ -z "$vendor" || ! -f "$vendor/citus-$CITUS_VERSION.tar.gz" ]]; then
    CITUS_SKIP_REASON="the citus extension is not installed and its vendored source (../shared/vendor/citus/citus-$CITUS_VERSION.tar.gz) is absent: install Citus from your package repository to run the Citus tier"
    echo "citus: $CITUS_SKIP_REASON" >&2; return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    CITUS_SKIP_REASON="the citus extension is not installed and installing it into PostgreSQL's folders needs root"
    echo "citus: $CITUS_SKIP_REASON" >&2; return 1
  fi
  # A build staged for the installed server is only copied again; else the packages come first
  # (they may upgrade the server, which changes the cache folder).
  pgver="$(_citus_installed_version postgresql-15 | cut -d- -f1)"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/nexus-citus/$CITUS_VERSION-pg${pgver:-15}"
  if [[ ! -f "$cache/stage.done" ]]; then
    citus_packages "$upgrade" || return 1
    pgver="$(_citus_installed_version postgresql-15 | cut -d- -f1)"
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/nexus-citus/$CITUS_VERSION-pg${pgver:-15}"
  fi
  mkdir -p "$cache"
  # One build at a time on this machine (two test runs may start together).
  exec {lock}>"$cache/.lock"
  flock "$lock"
  if citus_installed; then exec {lock}>&-; return 0; fi
  if [[ ! -f "$cache/stage.done" ]]; then
    echo "$CITUS_SHA256  $vendor/citus-$CITUS_VERSION.tar.gz" | sha256sum -c --quiet - \
      || { CITUS_SKIP_REASON="citus-$CITUS_VERSION.tar.gz does not have the expected SHA-256"; echo "citus: $CITUS_SKIP_REASON" >&2; exec {lock}>&-; return 1; }
    echo "citus: building Citus $CITUS_VERSION in $cache (a few minutes; log: $cache/build.log)" >&2
    rm -rf "$cache/src" "$cache/stage"
    mkdir -p "$cache/src"
    if ! (
      set -e
      tar xzf "$vendor/citus-$CITUS_VERSION.tar.gz" -C "$cache/src" --strip-components=1
      cd "$cache/src"
      if [[ -f "$vendor/pg15-headers.patch" ]]; then patch -p1 < "$vendor/pg15-headers.patch"; fi
      PG_CONFIG="$(_citus_pg_config)" ./configure --without-libcurl PG_CONFIG="$(_citus_pg_config)"
      # with_llvm=no: no JIT bitcode (.bc) files, which would double the compile time for nothing here.
      make -j2 with_llvm=no
      make install with_llvm=no DESTDIR="$cache/stage"
    ) >"$cache/build.log" 2>&1; then
      CITUS_SKIP_REASON="the Citus build failed, see $cache/build.log"
      echo "citus: $CITUS_SKIP_REASON" >&2; tail -n 20 "$cache/build.log" >&2; exec {lock}>&-; return 1
    fi
    touch "$cache/stage.done"
    echo "citus: built in $((SECONDS - started))s" >&2
  fi
  # The staged tree holds exactly what `make install` puts into the lib and share folders.
  cp -a "$cache/stage/." /
  exec {lock}>&-
  citus_installed || { CITUS_SKIP_REASON="Citus was built but citus.control/citus.so are not where PostgreSQL 15 looks"; echo "citus: $CITUS_SKIP_REASON" >&2; return 1; }
  echo "citus: installed Citus $CITUS_VERSION from $cache/stage" >&2
}

# Says why the Citus tier cannot run here (echoes nothing when it can): cheap, for test discovery.
citus_check() {
  if citus_installed; then return 0; fi
  local vendor; vendor="$(citus_vendor_dir)"
  if [[ -z "$vendor" ]]; then
    echo "the citus extension is not installed and its vendored source (../shared/vendor/citus/citus-$CITUS_VERSION.tar.gz) is absent: install Citus from your package repository to run the Citus tier"
  elif [[ $(id -u) -ne 0 ]]; then
    echo "the citus extension is not installed and installing it into PostgreSQL's folders needs root"
  fi
}

# The preparation in the background (scripts/test.sh starts it at its very beginning, so that the
# build overlaps the .NET build and the other suites): the package step, which may upgrade the
# server packages (no server of ours runs yet), then the build. Files under NEXUS_CITUS_ROOT:
# prepare.log (its output), packages.done (the package step is over, whatever its outcome: our
# servers may start), prepare.done ("OK" or "SKIP=<reason>", then "SECONDS=<n>").
citus_prepare_start() {
  local root="$NEXUS_CITUS_ROOT"
  if citus_installed; then
    touch "$root/packages.done"; printf 'OK\nSECONDS=0\n' > "$root/prepare.done"; return 0
  fi
  echo "citus: preparing Citus in the background (packages, then the build; log: $root/prepare.log)"
  setsid bash "$_citus_here/citus.sh" prepare "$root" >"$root/prepare.log" 2>&1 < /dev/null &
  echo "$!" > "$root/prepare.pid"
}

# The running preparation's pid (its process group), or nothing.
_citus_prepare_pid() {
  local pid; pid="$(cat "${NEXUS_CITUS_ROOT:-/nonexistent}/prepare.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

# Waits until the file exists or the preparation is gone (max $2 seconds).
_citus_prepare_wait_for() {
  local file="$1" limit="$2" waited=0
  while [[ ! -f "$file" && -n "$(_citus_prepare_pid)" ]] && (( waited < limit )); do sleep 1; waited=$((waited + 1)); done
  echo "$waited"
}

# Before our first PostgreSQL server starts: waits for the package step (an upgrade of the server
# packages must not run under our servers).
citus_prepare_wait_packages() {
  local root="${NEXUS_CITUS_ROOT:-}" waited
  [[ -n "$root" && -f "$root/prepare.pid" && ! -f "$root/packages.done" ]] || return 0
  echo "citus: waiting for the Citus package step before starting PostgreSQL"
  waited="$(_citus_prepare_wait_for "$root/packages.done" 900)"
  echo "citus: package step over (waited ${waited}s); $(grep -E '^citus: (upgrading|PostgreSQL 15 is now|apt-get install)' "$root/prepare.log" | tr '\n' ' ')"
}

# The preparation's outcome: waits for it (max 30 min), returns 1 with CITUS_SKIP_REASON when
# Citus cannot be had. Without a preparation (a run that did not start one) it does nothing.
citus_prepare_wait() {
  local root="${NEXUS_CITUS_ROOT:-}" waited
  CITUS_SKIP_REASON=""
  [[ -n "$root" && -f "$root/prepare.pid" ]] || return 0
  if [[ ! -f "$root/prepare.done" ]]; then
    echo "citus: waiting for the Citus build (log: $root/prepare.log)" >&2
    waited="$(_citus_prepare_wait_for "$root/prepare.done" 1800)"
    echo "citus: waited ${waited}s for the build" >&2
  fi
  if [[ ! -f "$root/prepare.done" ]]; then
    CITUS_SKIP_REASON="the Citus preparation ended without a result, see $root/prepare.log"; return 1
  fi
  CITUS_SKIP_REASON="$(sed -n 's/^SKIP=//p' "$root/prepare.done")"
  [[ -z "$CITUS_SKIP_REASON" ]]
}

# Ends a preparation still running (the trap of scripts/test.sh). An apt/dpkg step is let finish
# first (max 5 min): a dpkg killed in the middle leaves the machine's packages half-configured.
citus_prepare_stop() {
  local root="${NEXUS_CITUS_ROOT:-}" pid
  pid="$(_citus_prepare_pid)"
  [[ -n "$pid" ]] || return 0
  [[ -f "$root/packages.done" ]] || _citus_prepare_wait_for "$root/packages.done" 300 >/dev/null
  kill -TERM -- "-$pid" 2>/dev/null || true
}

# The body of the background preparation (`citus.sh prepare <root>`).
_citus_prepare_run() {
  local root="$1" started=$SECONDS outcome=OK
  # Whatever happens, say that the package step is over and give an outcome.
  trap 'exit 143' TERM
  # (Expanded now: $root is local and gone when the EXIT trap runs.)
  # shellcheck disable=SC2064
  trap "[[ -f '$root/packages.done' ]] || touch '$root/packages.done'; [[ -f '$root/prepare.done' ]] || echo 'SKIP=the Citus preparation was stopped' > '$root/prepare.done'" EXIT
  # The cheap reasons first (no source, not root): then nothing is installed for nothing.
  CITUS_SKIP_REASON="$(citus_check)"
  if [[ -n "$CITUS_SKIP_REASON" ]]; then
    outcome="SKIP=$CITUS_SKIP_REASON"
  elif ! citus_installed && ! citus_packages upgrade; then
    outcome="SKIP=$CITUS_SKIP_REASON"
  fi
  touch "$root/packages.done"
  if [[ $outcome == OK ]] && ! citus_ensure; then outcome="SKIP=$CITUS_SKIP_REASON"; fi
  printf '%s\nSECONDS=%s\n' "$outcome" "$((SECONDS - started))" > "$root/prepare.done.tmp"
  mv "$root/prepare.done.tmp" "$root/prepare.done"
  echo "citus: preparation over in $((SECONDS - started))s: $outcome"
}

# The root for this run's Citus servers; a later run sweeps it if we die without cleaning up.
citus_root() {
  run_root nexus-citus NEXUS_CITUS_ROOT citus_stop_all   # scripts/lib/run-root.sh (through pgscale.sh)
}

# Stops the Citus servers of one cluster dir.
_citus_stop_cluster() {
  local dir="$1" bin data
  bin="$(pg_bindir)" || return 1
  for data in "$dir"/*/; do _pgscale_stop_server "$bin" "${data%/}"; done
}

# Stops every Citus server under the root and deletes it (safe to call twice, or without a root).
citus_stop_all() {
  local root="${NEXUS_CITUS_ROOT:-}"
  [[ -n "$root" && -d "$root" ]] || return 0
  citus_prepare_stop   # a preparation of a run that died without its trap
  [[ -d "$root/cluster" ]] && _citus_stop_cluster "$root/cluster"
  rm -rf "$root"
  unset NEXUS_CITUS_ROOT
}

# Starts one Citus node: initdb, start on a free port with shared_preload_libraries = 'citus',
# database nexus_citus_template with the extension. The node's own outgoing connections
# (coordinator to workers and back) find the password in PGPASSFILE (passed through runuser to the
# server), so TCP logins keep scram-sha-256. Echoes the port; its log is <dir>/<name>.log.
_citus_start_node() {
  local bin="$1" dir="$2" name="$3" port
  _pg_as "$bin/initdb" -D "$dir/$name" -U nexus --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/$name.initdb.log" 2>&1 \
    || { cat "$dir/$name.initdb.log" >&2; return 1; }
  port="$(PGPASSFILE="$dir/pgpass" _pgscale_start_server "$bin" "$dir/$name" "$dir/sock" \
    "-c shared_preload_libraries=citus -c synchronous_commit=off")" || return 1
  _citus_psql "$bin" "$dir" "$port" postgres -c "CREATE DATABASE nexus_citus_template" >/dev/null || return 1
  _citus_psql "$bin" "$dir" "$port" nexus_citus_template -c "CREATE EXTENSION citus" >/dev/null || return 1
  echo "$port"
}

_citus_psql() {
  local bin="$1" dir="$2" port="$3" db="$4"; shift 4
  _pg_as "$bin/psql" -h "$dir/sock" -p "$port" -U nexus -d "$db" -X -v ON_ERROR_STOP=1 -qAt "$@"
}

# Citus keeps its metadata (the coordinator, the workers) per database, so every test database
# would need the extension on three nodes and the nodes registered (about 1.4 s on this machine).
# Instead each node holds nexus_citus_template, registered once; a test database is then
# CREATE DATABASE ... TEMPLATE nexus_citus_template on each node (about 0.35 s for the three).
# A template must have no sessions: it stops accepting connections and Citus' maintenance daemon
# (which keeps one open in every Citus database) is ended; the daemon does not come back.
_citus_close_template() {
  local bin="$1" dir="$2" port="$3"
  _citus_psql "$bin" "$dir" "$port" postgres >/dev/null <<'SQL'
SET client_min_messages = error;  -- a session may end between the listing and the signal
ALTER DATABASE nexus_citus_template WITH ALLOW_CONNECTIONS false;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'nexus_citus_template';
SQL
}

# A database made from the template on every node (the order does not matter: nothing connects
# from one node to another until the database is used).
_citus_create_database() {
  local bin="$1" dir="$2" name="$3" port; shift 3
  for port in "$@"; do
    _citus_psql "$bin" "$dir" "$port" postgres -c "CREATE DATABASE $name TEMPLATE nexus_citus_template" >/dev/null || return 1
  done
}

# A coordinator and two workers, once per run (a second call prints the first call's values).
# Prints PASSWORD, COORDINATOR_PORT, WORKER_PORTS, CITUS_URL (database nexus_citus on the
# coordinator), WORKER_URLS (database postgres on each worker, comma-separated), SOCKET_DIR,
# PG_BIN, START_SECONDS; or SKIP=<reason> when Citus cannot be had here. Every node also holds
# nexus_citus_template, from which tests/TestHelpers.psm1 makes its Citus test databases.
citus_start() {
  local root="$NEXUS_CITUS_ROOT" dir bin pw cport w1 w2 started
  dir="$root/cluster"
  if [[ -f "$dir/env" ]]; then cat "$dir/env"; return 0; fi
  if ! citus_prepare_wait || ! citus_ensure; then echo "SKIP=$CITUS_SKIP_REASON"; return 0; fi
  started=$SECONDS
  bin="$(pg_bindir)" || return 1
  rm -rf "$dir"; mkdir -p "$dir/sock"
  pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  printf '%s\n' "$pw" > "$dir/pwfile"
  printf '127.0.0.1:*:*:nexus:%s\n' "$pw" > "$dir/pgpass"
  chmod 600 "$dir/pgpass"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi
  chmod 700 "$dir"
  # A half-started cluster is stopped at once, so that no server outlives a failed start.
  if ! { cport="$(_citus_start_node "$bin" "$dir" coordinator)" &&
         w1="$(_citus_start_node "$bin" "$dir" worker1)" &&
         w2="$(_citus_start_node "$bin" "$dir" worker2)" &&
         _citus_psql "$bin" "$dir" "$cport" nexus_citus_template >/dev/null <<SQL &&
SELECT citus_set_coordinator_host('127.0.0.1', $cport);
SELECT citus_add_node('127.0.0.1', $w1);
SELECT citus_add_node('127.0.0.1', $w2);
SQL
         _citus_close_template "$bin" "$dir" "$cport" &&
         _citus_close_template "$bin" "$dir" "$w1" &&
         _citus_close_template "$bin" "$dir" "$w2" &&
         _citus_create_database "$bin" "$dir" nexus_citus "$cport" "$w1" "$w2"
  }; then
    echo "citus: the cluster did not start; logs follow" >&2
    tail -n 20 "$dir"/*.log >&2 2>/dev/null || true
    _citus_stop_cluster "$dir"; return 1
  fi
  {
    echo "PASSWORD=$pw"
    echo "COORDINATOR_PORT=$cport"
    echo "WORKER_PORTS=$w1,$w2"
    echo "CITUS_URL=postgresql://nexus:$pw@127.0.0.1:$cport/nexus_citus"
    echo "WORKER_URLS=postgresql://nexus:$pw@127.0.0.1:$w1/postgres,postgresql://nexus:$pw@127.0.0.1:$w2/postgres"
    echo "SOCKET_DIR=$dir/sock"
    echo "PG_BIN=$bin"
    echo "START_SECONDS=$((SECONDS - started))"
  } > "$dir/env.tmp"
  mv "$dir/env.tmp" "$dir/env"
  echo "citus: coordinator on 127.0.0.1:$cport, workers on $w1 and $w2 (started in $((SECONDS - started))s)" >&2
  cat "$dir/env"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  command="${1:-}"; shift || true
  case "$command" in
    check) citus_check ;;
    ensure) citus_ensure ;;
    packages) citus_packages "$@" ;;
    prepare) _citus_prepare_run "$@" ;;
    start)
      [[ -n "${NEXUS_CITUS_ROOT:-}" && -d "$NEXUS_CITUS_ROOT" ]] || { echo "citus: NEXUS_CITUS_ROOT is not set (run through scripts/test.sh)" >&2; exit 2; }
      # Two suites may ask at once: one starts, the other waits and reads its values. flock -o
      # keeps the lock out of the servers (they would otherwise inherit it and hold it forever).
      flock -o "$NEXUS_CITUS_ROOT/.start.lock" bash "${BASH_SOURCE[0]}" start-locked ;;
    start-locked) citus_start ;;
    *) echo "citus: unknown command '$command' (check, ensure, packages [upgrade], start)" >&2; exit 2 ;;
  esac
fi
