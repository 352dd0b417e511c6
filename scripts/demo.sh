#!/usr/bin/env bash
# The README's main job: set up from nothing (PowerShell as a pinned .NET tool), build the
# module, and run a short end-to-end demo on the embedded SQLite default.
# Usage: bash scripts/demo.sh [folder for the demo store]   (default: out/demo)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "demo: dotnet tool restore (pwsh)"
dotnet tool restore >/dev/null
bash scripts/build.sh
dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/demo.ps1 -Folder "${1:-out/demo}"
