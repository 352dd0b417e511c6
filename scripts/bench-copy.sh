#!/usr/bin/env bash
# Copy-NexusData against pgloader, SQLite to PostgreSQL, side by side in one run.
# Usage: bash scripts/bench-copy.sh [records=1000000] [runs=3]
# Builds the module, installs pgloader (Debian package) if missing, starts a throwaway
# PostgreSQL (scripts/lib/pg.sh), builds a SQLite store of <records> file records with
# 2 attributes each and 1 chunk per 4 files, and prints the median times, their ratio, the
# floor (psql: binary COPY into bare tables plus the index builds) and the copy's peak working set. See scripts/bench-copy.ps1.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
records=${1:-1000000}
runs=${2:-3}

command -v sqlite3 >/dev/null 2>&1 || apt-get install -y sqlite3 >/dev/null
command -v pgloader >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y pgloader >/dev/null; }
dotnet tool restore >/dev/null
bash scripts/build.sh >/dev/null

# shellcheck source=lib/pg.sh
source scripts/lib/pg.sh
unset NEXUS_PG_DIR
work="$(mktemp -d "${TMPDIR:-/tmp}/nexus-bench.XXXXXX")"
trap 'pg_stop 2>/dev/null || true; rm -rf "$work"' EXIT
pg_start
export PATH="$(pg_config --bindir):$PATH"
dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench-copy.ps1 -Records "$records" -Runs "$runs" -Work "$work"
