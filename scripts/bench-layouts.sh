#!/usr/bin/env bash
# The layout bench (issue 13): put and get throughput of the store cmdlets at 100k records on the
# plain, partitioned and distributed (Citus) layouts in the same run, each against its raw ADO.NET
# floor, and the time of a plain -> partitioned conversion (Convert-NexusStore) of the filled plain
# store. See scripts/bench/Measure-LayoutSpeed.ps1 for what is timed.
# Builds the module, starts a throwaway PostgreSQL (scripts/lib/pg.sh) and a Citus coordinator
# with two workers (scripts/lib/citus.sh; built first if Citus is missing), measures one layout
# after the other (each on a fresh database), prints a table, and stops every server.
# Usage: bash scripts/bench-layouts.sh [records] [runs] [tenants]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
count=${1:-100000}
runs=${2:-1}
tenants=${3:-16}

bash scripts/build.sh >/dev/null
# shellcheck source=lib/citus.sh
source scripts/lib/citus.sh   # and pg.sh
unset NEXUS_PG_DIR
work="$(mktemp -d)"
trap 'pg_stop 2>/dev/null || true; citus_stop_all 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_start >/dev/null
citus_root
citus_env="$(bash scripts/lib/citus.sh start)"
citus_var() { sed -n "s/^$1=//p" <<<"$citus_env"; }
if [[ -n "$(citus_var SKIP)" ]]; then echo "bench-layouts: no Citus here: $(citus_var SKIP)" >&2; exit 1; fi

# One fresh database per layout: two on the plain server, one on every Citus node (from the
# template that citus.sh registered the nodes in).
bin="$(pg_bindir)"
"$bin/psql" "$NEXUS_TEST_PG_ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c 'CREATE DATABASE bench_plain' -c 'CREATE DATABASE bench_partitioned'
pg_url="${TEST_DATABASE_URL%/*}"
citus_base="$(citus_var CITUS_URL)"; citus_base="${citus_base%/*}"
IFS=, read -r -a workers <<<"$(citus_var WORKER_URLS)"
for node in "$citus_base/postgres" "${workers[@]}"; do
  "$bin/psql" "$node" -qAt -v ON_ERROR_STOP=1 -c 'CREATE DATABASE bench_distributed TEMPLATE nexus_citus_template'
done

measure() {   # layout url [more arguments]
  local layout="$1" url="$2"; shift 2
  dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench/Measure-LayoutSpeed.ps1 \
    -ConnectionString "$url" -Layout "$layout" -Count "$count" -Runs "$runs" -Tenants "$tenants" "$@" | tee "$work/$layout.out"
  tail -n 1 "$work/$layout.out" > "$work/$layout.json"
}
echo "bench-layouts: $count records over $tenants tenants, $runs run(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure plain "$pg_url/bench_plain" -ConvertTo partitioned
measure partitioned "$pg_url/bench_partitioned"
measure distributed "$citus_base/bench_distributed"

echo
echo "bench-layouts: results ($count records, $tenants tenants; rates are records per second, median of $runs run(s))"
printf 'bench-layouts: %-18s %12s %12s %12s %12s\n' layout 'put module' 'put raw' 'get module' 'get raw'
for layout in plain partitioned distributed; do
  /usr/bin/python3 - "$work/$layout.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
print("bench-layouts: %-18s %12s %12s %12s %12s" % (f["layout"], f"{f['put_module_per_s']:,}", f"{f['put_raw_per_s']:,}", f"{f['get_module_per_s']:,}", f"{f['get_raw_per_s']:,}"))
if "convert_seconds" in f:
    rows = f["convert_rows"]
    print("bench-layouts: convert %s -> %s: %s s for %s records + %s attributes (%s records/s)" % (f["layout"].split(",")[0], f["convert_to"], f["convert_seconds"], f"{rows['file_paths']:,}", f"{rows['file_metadata']:,}", f"{f['convert_records_per_s']:,}"))
PY
done
echo "bench-layouts: load after $(cut -d' ' -f1-3 /proc/loadavg)"
