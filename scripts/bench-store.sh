#!/usr/bin/env bash
# Benchmark of the store cmdlets against raw ADO.NET (see scripts/bench/Measure-StoreSpeed.ps1).
# Builds the module, starts a throwaway PostgreSQL, measures SQLite then PostgreSQL, prints the
# medians and ratios, and stops the server.
# Then attribute writes and queries (scripts/bench/Measure-AttributeSpeed.ps1: 200,000 piped
# attributes against raw upserts, and a query on a store of 1,000,000 records built in SQL).
# Usage: bash scripts/bench-store.sh [runs] [records] [store|attributes|all] [attributes] [query-records]
# Size mode (docs/SCALE.md; scripts/bench/Measure-StoreScale.ps1): one store of N records per
# database, put/get/prefix/attribute/export/size/peak memory of each streaming cmdlet:
#        bash scripts/bench-store.sh scale 10000000 [piped-records] [sqlite|postgres|both] [report-prefix]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scale=""
if [[ "${1:-}" == scale ]]; then
  scale=${2:-10000000}
  put_count=${3:-}
  databases=${4:-both}
  report_prefix=${5:-}
fi
runs=${1:-3}
count=${2:-100000}
what=${3:-all}
attributes=${4:-200000}
query_records=${5:-1000000}

bash scripts/build.sh >/dev/null
# shellcheck source=lib/pg.sh
source scripts/lib/pg.sh
unset NEXUS_PG_DIR
trap 'pg_stop 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work="$(mktemp -d)"
pg_start >/dev/null

bench() {
  dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench/Measure-StoreSpeed.ps1 \
    -ConnectionString "$1" -Runs "$runs" -Count "$count"
}
bench_attributes() {
  dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench/Measure-AttributeSpeed.ps1 \
    -ConnectionString "$1" -Runs "$runs" -Count "$attributes" -QueryRecords "$query_records"
}
if [[ -n $scale ]]; then
  for db in sqlite postgres; do
    [[ $databases == both || $databases == "$db" ]] || continue
    cs="sqlite:///$work/scale.db"; [[ $db == sqlite ]] || cs="$TEST_DATABASE_URL"
    args=(-ConnectionString "$cs" -Count "$scale" -WorkFolder "$work")
    [[ -z $put_count ]] || args+=(-PutCount "$put_count")
    [[ -z $report_prefix ]] || args+=(-ReportPath "$report_prefix-$db.json")
    dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench/Measure-StoreScale.ps1 "${args[@]}"
  done
  exit 0
fi
for cs in "sqlite:///$work/bench.db" "$TEST_DATABASE_URL"; do
  [ "$what" = attributes ] || bench "$cs"
  [ "$what" = store ] || bench_attributes "$cs"
done
