#!/usr/bin/env bash
# Builds the module and packages it: out/packages/Nexus.<version>.nupkg, made by
# Publish-PSResource into a local folder repository (so the folder can serve Install-PSResource
# directly, or its .nupkg can be pushed to any NuGet feed).
#
# Usage: [NEXUS_VERSION=x.y.z] bash scripts/pack.sh [--no-build] [--module <dir>] [--output <dir>]
#   NEXUS_VERSION  package this version instead of version.txt's (a test or a hotfix build);
#                  without it, CHANGELOG.md's newest release must be version.txt's version.
#   --no-build     package the module folder as it is (it must already carry the version)
#   --module       the module folder to package (default out/Nexus)
#   --output       the folder repository to publish into (default out/packages)
# PSResourceGet keeps its repository list per user: the throwaway repository is registered in
# a temporary data folder, so the caller's own repository list is never touched.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1
module=$repo/out/Nexus
output=$repo/out/packages
while (($#)); do
  case $1 in
    --no-build) build=0 ;;
    --module) module=$(realpath -m -- "$2"); shift ;;   # relative to where the caller stands
    --output) output=$(realpath -m -- "$2"); shift ;;
    *) echo "pack: unknown argument '$1' (see the usage at the top of scripts/pack.sh)" >&2; exit 2 ;;
  esac
  shift
done
cd "$repo"

version=${NEXUS_VERSION:-$(tr -d '[:space:]' < version.txt)}
released=$(grep -m1 -oE '^## \[[0-9]+\.[0-9]+\.[0-9]+\]' CHANGELOG.md | tr -d '#[] ' || true)
if [[ -z ${NEXUS_VERSION:-} && $released != "$version" ]]; then
  echo "pack: version.txt says $version but CHANGELOG.md's newest release is '${released:-none}':" >&2
  echo "      move the Unreleased notes under '## [$version] - $(date -u +%F)' first" >&2
  exit 1
fi

if ((build)); then
  NEXUS_VERSION=$version bash scripts/build.sh
else
  dotnet tool restore >/dev/null
fi
[[ -f $module/Nexus.psd1 ]] || { echo "pack: no module at $module (run without --no-build)" >&2; exit 1; }

mkdir -p "$output"
settings=$(mktemp -d)
trap 'rm -rf "$settings"' EXIT
# XDG_DATA_HOME is where PSResourceGet keeps its repository list on Linux; the folder
# must exist, or PSResourceGet falls back to the current directory.
XDG_DATA_HOME=$settings dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/lib/Publish-NexusPackage.ps1 \
  -Module "$module" -Repository "$output" -Version "$version"
