#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [suite files or folders...]
# Installs what is missing, builds the module, runs the in-process core tests
# (tests/Nexus.Core.Tests; on a full run, see scripts/lib/core-tests.sh), starts a throwaway
# PostgreSQL (unless TEST_DATABASE_URL is already set), runs the Pester suites, then the layout
# tiers (below), stops every server. The closing line counts everything:
# Tests: N passed, N failed[, N skipped].
# Layout tiers (issue 13): after the main run, tests/Metadata, Attribute and Chunk.Tests.ps1 run
# again with NEXUS_TEST_LAYOUT=partitioned on the same PostgreSQL, and with
# NEXUS_TEST_LAYOUT=distributed NEXUS_TEST_CITUS=1 on a Citus coordinator with two workers
# (scripts/lib/citus.sh; Citus is prepared in the background from the start of the run). On a
# full run always; with suite paths only when NEXUS_TEST_LAYOUTS=1 (NEXUS_TEST_LAYOUTS=0: never).
# Optional: NEXUS_TEST_TAG / NEXUS_TEST_EXCLUDE_TAG (comma-separated Pester tags);
# NEXUS_CORE_TESTS=1 runs the core tests with suite paths too, NEXUS_CORE_TESTS=0 never.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
SECONDS=0

bash scripts/setup.sh

# shellcheck source=lib/pg.sh
source scripts/lib/pg.sh
# shellcheck source=lib/pgscale.sh
source scripts/lib/pgscale.sh   # primary + replica + PgBouncer, started lazily by their suites
# shellcheck source=lib/citus.sh
source scripts/lib/citus.sh     # Citus coordinator + 2 workers (built if missing), started lazily by its suites
# shellcheck source=lib/core-tests.sh
source scripts/lib/core-tests.sh
unset NEXUS_PG_DIR   # pg_stop must never stop a server that a caller of ours started
log="$(mktemp)"      # copy of the output, to print its summary line again at the end
tier_logs=()         # the layout tiers' outputs
runner=""          # process group of the test run, killed if we are interrupted
core_results=""    # the core tests' result folder while they run
# Whatever happens from here on (failure, Ctrl-C, kill), stop the run and the servers we started.
trap '[[ -z $runner ]] || kill -TERM -- "-$runner" 2>/dev/null; pg_stop 2>/dev/null || true; pgscale_stop_all 2>/dev/null || true; citus_prepare_stop 2>/dev/null || true; citus_stop_all 2>/dev/null || true; rm -f "$log" "${tier_logs[@]}"; [[ -z $core_results ]] || rm -rf "$core_results"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The layout tiers: on a full run unless NEXUS_TEST_LAYOUTS=0, with suite paths only when =1.
layouts_wanted() {
  case "${NEXUS_TEST_LAYOUTS:-}" in
    1) return 0 ;;
    0) return 1 ;;
  esac
  (($# == 0))
}
# Citus is wanted by the distributed tier and by the Citus suites (a folder may hold them).
citus_wanted() {
  local arg
  layouts_wanted "$@" && return 0
  for arg in "$@"; do
    [[ -d $arg || $arg == *Citus* || $arg == *LayoutPlacement* ]] && return 0
  done
  return 1
}

# Citus first, in the background: its package step may upgrade the server packages, which must
# happen before any server of ours starts (pg_start waits for that step), and its build (minutes
# on a machine without Citus) overlaps the .NET build, the core tests and the suites.
citus_root     # the folder the Citus suites start their cluster in
if citus_wanted "$@"; then citus_prepare_start; fi

if [[ ! -f scripts/build.sh ]]; then
  echo "test.sh: scripts/build.sh is missing: cannot build the module" >&2
  exit 1
fi
echo "test.sh: building (scripts/build.sh)"
bash scripts/build.sh

# The core tests first (seconds, no server). A failure fails the command at the end, but the
# Pester suites still run, so one run reports everything.
CORE_PASSED=0 CORE_FAILED=0 CORE_SKIPPED=0
core_status=0
if core_tests_wanted "$@"; then
  core_results="$(mktemp -d)"
  core_tests_run "$core_results" || core_status=1
  rm -rf "$core_results"
  core_results=""
else
  echo "test.sh: core tests skipped (suite paths given; NEXUS_CORE_TESTS=1 runs them too)"
fi

citus_prepare_wait_packages
if [[ -z "${TEST_DATABASE_URL:-}" ]]; then
  pg_start
else
  echo "test.sh: using the PostgreSQL at TEST_DATABASE_URL (not starting one)"
  export NEXUS_TEST_PG_ADMIN_URL="${NEXUS_TEST_PG_ADMIN_URL:-${TEST_DATABASE_URL%/*}/postgres}"
fi

# The tests run in a zone that is not UTC (and has daylight saving), so that a module that
# confuses local time with UTC fails them instead of passing by luck on a UTC machine.
# Set after pg_start: the throwaway server keeps its own zone. NEXUS_TEST_TZ picks another zone.
export TZ="${NEXUS_TEST_TZ:-America/New_York}"
pgscale_root   # the folder the replica and PgBouncer suites start their servers in
export NEXUS_MODULE_PATH="$repo/out/Nexus/Nexus.psd1"
nuget_cache="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')"
export NEXUS_PESTER_PATH="${nuget_cache%/}/pester/5.7.1/tools/Pester.psd1"
if [[ -t 1 ]]; then export NEXUS_TEST_COLOR=1; fi   # we pipe through tee: say if colours are wanted

# In the background in its own process group (setsid), so that a TERM or INT sent to this
# script is handled at once (bash defers traps while a foreground job runs) and the trap can
# end the whole run, child pwsh sessions included. pipefail gives pwsh's status, not tee's.
# run_pester LOG [suite paths...]: one Pester run (scripts/Invoke-Tests.ps1) copied into LOG.
run_pester() {
  local out="$1" rc=0; shift
  NEXUS_TEST_LOG="$out" setsid bash -o pipefail -c \
    'dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/Invoke-Tests.ps1 "$@" 2>&1 | tee "$NEXUS_TEST_LOG"' \
    run-tests "$@" &
  runner=$!
  wait "$runner" || rc=$?
  runner=""
  return "$rc"
}
status=0
run_pester "$log" "$@" || status=$?

# The layout tiers: the same three suites on the other layouts.
layout_suites=(tests/Metadata.Tests.ps1 tests/Attribute.Tests.ps1 tests/Chunk.Tests.ps1)
if layouts_wanted "$@"; then
  tier_logs+=("$(mktemp)")
  echo "test.sh: layout tier 'partitioned' (${layout_suites[*]}) on the same PostgreSQL"
  NEXUS_TEST_LAYOUT=partitioned run_pester "${tier_logs[-1]}" "${layout_suites[@]}" || status=1

  tier_logs+=("$(mktemp)")
  tier_started=$SECONDS
  citus_env="$(bash scripts/lib/citus.sh start)" || citus_env="SKIP=scripts/lib/citus.sh start failed (see above)"
  citus_var() { sed -n "s/^$1=//p" <<<"$citus_env"; }
  if [[ -n "$(citus_var SKIP)" ]]; then
    # Counted, not hidden: every test of the tier is reported skipped, with the reason.
    echo "test.sh: layout tier 'distributed' skipped: $(citus_var SKIP)"
    NEXUS_TEST_LAYOUT=distributed NEXUS_TEST_SKIP_REASON="$(citus_var SKIP)" \
      run_pester "${tier_logs[-1]}" "${layout_suites[@]}" || status=1
  else
    echo "test.sh: layout tier 'distributed' (${layout_suites[*]}) on the Citus coordinator 127.0.0.1:$(citus_var COORDINATOR_PORT), workers $(citus_var WORKER_PORTS) (ready after $((SECONDS - tier_started))s)"
    TEST_DATABASE_URL="$(citus_var CITUS_URL)" \
    NEXUS_TEST_PG_ADMIN_URL="$(citus_var CITUS_URL | sed 's#/nexus_citus$#/postgres#')" \
    NEXUS_TEST_CITUS=1 NEXUS_TEST_CITUS_WORKER_URLS="$(citus_var WORKER_URLS)" NEXUS_TEST_LAYOUT=distributed \
      run_pester "${tier_logs[-1]}" "${layout_suites[@]}" || status=1
  fi
  echo "test.sh: layout tier 'distributed' took $((SECONDS - tier_started))s"
fi

pg_stop || true
pgscale_stop_all || true
citus_prepare_stop || true
citus_stop_all || true
# Repeat the summary after the timing line: the closing line is what CI reads. Each Pester run
# (the main one, then each layout tier) ends with its own Tests: line; they are added up.
passed=$CORE_PASSED failed=$CORE_FAILED skipped=$CORE_SKIPPED any_skipped=0
for out in "$log" "${tier_logs[@]}"; do
  line="$(grep -E '^Tests: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1 || true)"
  if [[ $line =~ ^Tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
    passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
    [[ -z ${BASH_REMATCH[4]:-} ]] || any_skipped=1
    if [[ $out != "$log" ]]; then echo "test.sh: layout tier: $line"; fi
  else
    failed=$((failed + 1))   # that runner died before its summary
    [[ $status -ne 0 ]] || status=1
  fi
done
[[ $core_status -eq 0 || $status -ne 0 ]] || status=1
summary="Tests: $passed passed, $failed failed"
if ((any_skipped || skipped > 0)); then summary+=", $skipped skipped"; fi
echo "test.sh: wall time ${SECONDS}s, exit code $status"
echo "$summary"
exit "$status"
