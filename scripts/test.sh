#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [suite files or folders...]
# Installs what is missing, builds the module, runs the in-process core tests
# (tests/Nexus.Core.Tests; on a full run, see scripts/lib/core-tests.sh), starts a throwaway
# PostgreSQL (unless TEST_DATABASE_URL is already set), runs the Pester suites, stops the server.
# The closing line counts both: Tests: N passed, N failed[, N skipped].
# Optional: NEXUS_TEST_TAG / NEXUS_TEST_EXCLUDE_TAG (comma-separated Pester tags);
# NEXUS_CORE_TESTS=1 runs the core tests with suite paths too, NEXUS_CORE_TESTS=0 never.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
SECONDS=0

bash scripts/setup.sh

if [[ ! -f scripts/build.sh ]]; then
  echo "test.sh: scripts/build.sh is missing: cannot build the module" >&2
  exit 1
fi
echo "test.sh: building (scripts/build.sh)"
bash scripts/build.sh

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
runner=""          # process group of the test run, killed if we are interrupted
core_results=""    # the core tests' result folder while they run
# Whatever happens from here on (failure, Ctrl-C, kill), stop the run and the server we started.
trap '[[ -z $runner ]] || kill -TERM -- "-$runner" 2>/dev/null; pg_stop 2>/dev/null || true; pgscale_stop_all 2>/dev/null || true; citus_stop_all 2>/dev/null || true; rm -f "$log"; [[ -z $core_results ]] || rm -rf "$core_results"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
citus_root     # the folder the Citus suites start their cluster in
export NEXUS_MODULE_PATH="$repo/out/Nexus/Nexus.psd1"
nuget_cache="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')"
export NEXUS_PESTER_PATH="${nuget_cache%/}/pester/5.7.1/tools/Pester.psd1"
if [[ -t 1 ]]; then export NEXUS_TEST_COLOR=1; fi   # we pipe through tee: say if colours are wanted

# In the background in its own process group (setsid), so that a TERM or INT sent to this
# script is handled at once (bash defers traps while a foreground job runs) and the trap can
# end the whole run, child pwsh sessions included. pipefail gives pwsh's status, not tee's.
export NEXUS_TEST_LOG="$log"
setsid bash -o pipefail -c \
  'dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/Invoke-Tests.ps1 "$@" 2>&1 | tee "$NEXUS_TEST_LOG"' \
  run-tests "$@" &
runner=$!
status=0
wait "$runner" || status=$?
runner=""

pg_stop || true
pgscale_stop_all || true
citus_stop_all || true
# Repeat the summary after the timing line: the closing line is what CI reads.
summary="$(grep -E '^Tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)"
if [[ -z "$summary" ]]; then
  summary="Tests: 0 passed, 1 failed"   # the runner died before its summary
  [[ $status -ne 0 ]] || status=1
fi
[[ $core_status -eq 0 || $status -ne 0 ]] || status=1
# One closing line for both: the Pester counts plus the core tests' counts.
if [[ $summary =~ ^Tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
  skipped=$((${BASH_REMATCH[4]:-0} + CORE_SKIPPED))
  summary="Tests: $((BASH_REMATCH[1] + CORE_PASSED)) passed, $((BASH_REMATCH[2] + CORE_FAILED)) failed"
  if [[ -n ${BASH_REMATCH[4]:-} ]] || ((skipped > 0)); then summary+=", $skipped skipped"; fi
fi
echo "test.sh: wall time ${SECONDS}s, exit code $status"
echo "$summary"
exit "$status"
