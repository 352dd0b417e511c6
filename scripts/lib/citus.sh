# shellcheck shell=bash
# A throwaway Citus cluster (a coordinator and two workers) for tests/Citus.Tests.ps1.
#
# Sourced by scripts/test.sh:   citus_root      # makes the run's root dir, exports NEXUS_CITUS_ROOT
#                               citus_stop_all  # stops every Citus server under it, deletes it
# Run by the suite:             bash scripts/lib/citus.sh start  # ensures Citus, starts the cluster
#                                                                # once per run, prints KEY=VALUE lines
#                               bash scripts/lib/citus.sh ensure # only builds/installs Citus
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

# The Debian packages the build needs (libkrb5-dev: PostgreSQL's server headers include gssapi.h).
# Each is pinned to the version of the library already installed when the package sources still
# have that version: an unpinned postgresql-server-dev-15 pulls a newer postgresql-15 in, and
# servers already running (other test runs) then fail to load plpgsql.so. That one is pinned or
# refused. Echoes "pkg=version" (or "pkg") for the missing ones, or returns 1 with the reason.
_citus_missing_build_packages() {
  local pair pkg lib ver
  for pair in postgresql-server-dev-15:postgresql-15 liblz4-dev:liblz4-1 libzstd-dev:libzstd1 libkrb5-dev:libkrb5-3; do
    lib="${pair#*:}"; pkg="${pair%%:*}"
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then continue; fi
    ver="$(dpkg-query -W -f='${Version}' "$lib" 2>/dev/null || true)"
    if [[ -n "$ver" ]] && apt-cache madison "$pkg" 2>/dev/null | awk -F' [|] ' '{print $2}' | grep -qxF "$ver"; then
      echo "$pkg=$ver"
    elif [[ "$pkg" == postgresql-server-dev-15 ]]; then
      echo "citus: the package sources have no postgresql-server-dev-15 $ver (the installed server's version); upgrade postgresql-15 and restart its servers first" >&2
      return 1
    else
      echo "$pkg"
    fi
  done
}

# Builds Citus from the vendored tarball when the extension is not installed. The build goes to
# ${XDG_CACHE_HOME:-~/.cache}/nexus-citus/<citus>-pg<postgres>/ (make install DESTDIR=stage), so
# a later run on a machine whose PostgreSQL was reinstalled only copies the staged files again.
# Returns 1 with the reason on stderr (and in CITUS_SKIP_REASON) when Citus cannot be had.
citus_ensure() {
  CITUS_SKIP_REASON=""
  if citus_installed; then return 0; fi
  local vendor cache pgver missing lock started=$SECONDS
  vendor="$(citus_vendor_dir)"
  if [[ -z "$vendor" || ! -f "$vendor/citus-$CITUS_VERSION.tar.gz" ]]; then
    CITUS_SKIP_REASON="the citus extension is not installed and its vendored source (../shared/vendor/citus/citus-$CITUS_VERSION.tar.gz) is absent: install Citus from your package repository to run the Citus tier"
    echo "citus: $CITUS_SKIP_REASON" >&2; return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    CITUS_SKIP_REASON="the citus extension is not installed and installing it into PostgreSQL's folders needs root"
    echo "citus: $CITUS_SKIP_REASON" >&2; return 1
  fi
  pgver="$(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null | cut -d- -f1)"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/nexus-citus/$CITUS_VERSION-pg${pgver:-15}"
  mkdir -p "$cache"
  # One build at a time on this machine (two test runs may start together).
  exec {lock}>"$cache/.lock"
  flock "$lock"
  if citus_installed; then exec {lock}>&-; return 0; fi
  if [[ ! -f "$cache/stage.done" ]]; then
    if ! missing="$(_citus_missing_build_packages)"; then
      CITUS_SKIP_REASON="no build packages that match the installed PostgreSQL 15"; exec {lock}>&-; return 1
    fi
    mapfile -t missing <<<"$missing"; [[ -n "${missing[0]}" ]] || missing=()
    if (( ${#missing[@]} )); then
      echo "citus: installing build packages: ${missing[*]}" >&2
      if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$cache/apt.log" 2>&1; then
        # The package lists may be stale: refresh once and retry.
        apt-get update -q >>"$cache/apt.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$cache/apt.log" 2>&1 \
          || { CITUS_SKIP_REASON="could not install the build packages (${missing[*]}), see $cache/apt.log"; echo "citus: $CITUS_SKIP_REASON" >&2; exec {lock}>&-; return 1; }
      fi
    fi
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
  [[ -d "$root/cluster" ]] && _citus_stop_cluster "$root/cluster"
  rm -rf "$root"
  unset NEXUS_CITUS_ROOT
}

# Starts one Citus node: initdb, start on a free port with shared_preload_libraries = 'citus',
# database nexus_citus with the extension. The node's own outgoing connections (coordinator to
# workers and back) find the password in PGPASSFILE (passed through runuser to the server), so
# TCP logins keep scram-sha-256. Echoes the port; its log is <dir>/<name>.log.
_citus_start_node() {
  local bin="$1" dir="$2" name="$3" port
  _pg_as "$bin/initdb" -D "$dir/$name" -U nexus --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/$name.initdb.log" 2>&1 \
    || { cat "$dir/$name.initdb.log" >&2; return 1; }
  port="$(PGPASSFILE="$dir/pgpass" _pgscale_start_server "$bin" "$dir/$name" "$dir/sock" \
    "-c shared_preload_libraries=citus -c synchronous_commit=off")" || return 1
  _pg_as "$bin/psql" -h "$dir/sock" -p "$port" -U nexus -d postgres -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE DATABASE nexus_citus" >/dev/null || return 1
  _pg_as "$bin/psql" -h "$dir/sock" -p "$port" -U nexus -d nexus_citus -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE EXTENSION citus" >/dev/null || return 1
  echo "$port"
}

# A coordinator and two workers, once per run (a second call prints the first call's values).
# Prints PASSWORD, COORDINATOR_PORT, WORKER_PORTS, CITUS_URL (database nexus_citus on the
# coordinator), SOCKET_DIR, START_SECONDS; or SKIP=<reason> when Citus cannot be had here.
citus_start() {
  local root="$NEXUS_CITUS_ROOT" dir bin pw cport w1 w2 started
  dir="$root/cluster"
  if [[ -f "$dir/env" ]]; then cat "$dir/env"; return 0; fi
  if ! citus_ensure; then echo "SKIP=$CITUS_SKIP_REASON"; return 0; fi
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
         _pg_as "$bin/psql" -h "$dir/sock" -p "$cport" -U nexus -d nexus_citus -v ON_ERROR_STOP=1 -qAt >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $cport);
SELECT citus_add_node('127.0.0.1', $w1);
SELECT citus_add_node('127.0.0.1', $w2);
SQL
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
    start)
      [[ -n "${NEXUS_CITUS_ROOT:-}" && -d "$NEXUS_CITUS_ROOT" ]] || { echo "citus: NEXUS_CITUS_ROOT is not set (run through scripts/test.sh)" >&2; exit 2; }
      # Two suites may ask at once: one starts, the other waits and reads its values. flock -o
      # keeps the lock out of the servers (they would otherwise inherit it and hold it forever).
      flock -o "$NEXUS_CITUS_ROOT/.start.lock" bash "${BASH_SOURCE[0]}" start-locked ;;
    start-locked) citus_start ;;
    *) echo "citus: unknown command '$command' (check, ensure, start)" >&2; exit 2 ;;
  esac
fi
