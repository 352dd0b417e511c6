#!/usr/bin/env bash
# Export-NexusData (plain and -Compress) and Import-NexusData timed on an embedded SQLite store.
# No peer and no target: it measures the export line writer and the import line reader.
# Usage: bash scripts/bench-files.sh [records=200000] [runs=3]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
records=${1:-200000}
runs=${2:-3}

command -v sqlite3 >/dev/null 2>&1 || apt-get install -y sqlite3 >/dev/null
dotnet tool restore >/dev/null
bash scripts/build.sh >/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/nexus-bench-files.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/bench/Measure-FileSpeed.ps1 -Records "$records" -Runs "$runs" -Work "$work"
