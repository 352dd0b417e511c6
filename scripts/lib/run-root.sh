# shellcheck shell=bash
# The root folder of one test run's extra servers (pgscale.sh's replica pairs, citus.sh's
# cluster), shared so that both sweep and mark their folders the same way. Sourced by pgscale.sh
# (and so by citus.sh, which sources pgscale.sh).
#
#   run_root <prefix> <variable> <stop_all>
#
# First sweeps the ${TMPDIR:-/tmp}/<prefix>.* folders of runs that died without cleaning up (their
# owner.pid process is gone): <stop_all> runs once for each, in a subshell with <variable> set to
# it (it stops the servers there and deletes the folder). Folders of live runs are left alone.
# Then makes this run's folder, marks it with this shell's pid and exports <variable>.
run_root() {
  local prefix="$1" variable="$2" stop_all="$3" d root
  for d in "${TMPDIR:-/tmp}/$prefix".*; do
    [[ -d "$d" ]] || continue
    if kill -0 "$(cat "$d/owner.pid" 2>/dev/null || echo 0)" 2>/dev/null; then continue; fi
    (export "$variable=$d"; "$stop_all")
  done
  root="$(mktemp -d "${TMPDIR:-/tmp}/$prefix.XXXXXX")"
  echo "$$" > "$root/owner.pid"
  chmod 755 "$root"
  printf -v "$variable" '%s' "$root"
  export "${variable?}"
}
