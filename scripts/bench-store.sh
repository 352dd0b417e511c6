#!/usr/bin/env bash
# Benchmark of the store cmdlets against raw ADO.NET (see scripts/bench/Measure-StoreSpeed.ps1).
# Builds the module, starts a throwaway PostgreSQL, measures SQLite then PostgreSQL, prints the
# medians and ratios, and stops the server.
# Usage: bash scripts/bench-store.sh [runs] [records]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
runs=${1:-3}
count=${2:-100000}

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
bench "sqlite:///$work/bench.db"
bench "$TEST_DATABASE_URL"
