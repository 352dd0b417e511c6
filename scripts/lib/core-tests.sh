# shellcheck shell=bash
# The in-process tests of Nexus.Core (tests/Nexus.Core.Tests: xUnit, no database, no pwsh).
# Source this file, then:
#   core_tests_wanted "$@"   # true when scripts/test.sh should run them for these arguments:
#                            # NEXUS_CORE_TESTS=1 always, =0 never, else only on a full run
#                            # (no suite paths given)
#   core_tests_run DIR       # dotnet test into DIR (results); sets CORE_PASSED, CORE_FAILED,
#                            # CORE_SKIPPED; returns 1 if a test failed or the run broke
# The counts come from the TRX file (its Counters element), not from console text.
core_tests_project=tests/Nexus.Core.Tests/Nexus.Core.Tests.csproj

core_tests_wanted() {
  case "${NEXUS_CORE_TESTS:-}" in
    1) return 0 ;;
    0) return 1 ;;
  esac
  (($# == 0))
}

core_tests_run() {
  local dir="$1" status=0 trx counters
  CORE_PASSED=0 CORE_FAILED=0 CORE_SKIPPED=0
  echo "test.sh: core tests (dotnet test $core_tests_project)"
  dotnet test "$core_tests_project" -c Release --nologo -v quiet \
    --results-directory "$dir" --logger "trx;LogFileName=core.trx" \
    --logger "console;verbosity=minimal" || status=$?
  trx="$dir/core.trx"
  counters="$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null || true)"
  if [[ -z "$counters" ]]; then
    echo "test.sh: the core tests did not run (build failed?), counted as 1 failure" >&2
    CORE_FAILED=1
    return 1
  fi
  _core_count() { sed -nE "s/.* $1=\"([0-9]+)\".*/\\1/p" <<<"$counters"; }
  local total executed
  total="$(_core_count total)" executed="$(_core_count executed)"
  CORE_PASSED="$(_core_count passed)"
  CORE_FAILED=$(($(_core_count failed) + $(_core_count error) + $(_core_count timeout) + $(_core_count aborted)))
  CORE_SKIPPED=$((total - executed))
  echo "test.sh: core tests: $CORE_PASSED passed, $CORE_FAILED failed, $CORE_SKIPPED skipped"
  if ((status != 0 && CORE_FAILED == 0)); then CORE_FAILED=1; fi
  ((CORE_FAILED == 0))
}
