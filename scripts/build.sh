#!/usr/bin/env bash
# Builds the module folder out/Nexus/:
#   Nexus.psd1, *.format.ps1xml, Nexus.PowerShell.dll    (the cmdlets, loaded by PowerShell)
#   en-US/                                               (cmdlet help and the about_Nexus* topics)
#   Dependencies/                                        (Nexus.Core's publish output: Npgsql,
#                                                         DbUp, SQLite and runtimes/<rid>/native)
#   LICENSE, THIRD-PARTY-NOTICES, CHANGELOG.md
# The version comes from version.txt (NEXUS_VERSION overrides it for one build) and goes into the
# manifest's ModuleVersion and every assembly's version; ReleaseNotes come from CHANGELOG.md.
# Usage: [NEXUS_VERSION=x.y.z] bash scripts/build.sh [Debug|Release]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
configuration=${1:-Release}
out=out/Nexus
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version=${NEXUS_VERSION:-$(tr -d '[:space:]' < version.txt)}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build: version '$version' is not major.minor.patch (version.txt or NEXUS_VERSION)" >&2
  exit 1
fi

dotnet tool restore >/dev/null   # pwsh, for the help syntax step below
rm -rf "$out"
mkdir -p "$out/Dependencies"
dotnet publish src/Nexus.Core/Nexus.Core.csproj -c "$configuration" -p:Version="$version" -o "$out/Dependencies" --nologo -v quiet
# ReadyToRun: the managed assemblies also carry native code for this machine's platform, so a
# fresh session does not spend seconds in the JIT before bulk work runs at full speed. The
# portable publish above keeps every platform's native SQLite and the deps.json; on another
# platform the runtime simply ignores the precompiled code and JIT-compiles as usual.
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
if [ -n "$rid" ] && [ "${NEXUS_READY_TO_RUN:-1}" = 1 ]; then
  dotnet publish src/Nexus.Core/Nexus.Core.csproj -c "$configuration" -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -p:Version="$version" -o out/build/r2r --nologo -v quiet
  cp out/build/r2r/*.dll "$out/Dependencies/"
fi
dotnet build Nexus.PowerShell.csproj -c "$configuration" -p:Version="$version" -o out/build/cmdlets --nologo -v quiet

cp out/build/cmdlets/Nexus.PowerShell.dll "$out/"
cp Nexus.psd1 "$out/"
cp src/PowerShell/Formats/*.ps1xml "$out/"
cp LICENSE THIRD-PARTY-NOTICES CHANGELOG.md "$out/"
# Symbols stay out of the module (and so out of the package): errors reach users as error
# records, not stack traces.
rm -f "$out"/Dependencies/*.pdb
dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/lib/Set-ModuleRelease.ps1 \
  -Manifest "$PWD/$out/Nexus.psd1" -Version "$version" -Changelog "$PWD/CHANGELOG.md"

# Help: one MAML file per module assembly. Each concern keeps its <command:command> elements in
# src/PowerShell/Help/<Concern>.help-part.xml; they are joined here.
mkdir -p "$out/en-US"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<helpItems schema="maml" xmlns="http://msh" xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">'
  for part in src/PowerShell/Help/*.help-part.xml; do
    [ -f "$part" ] && cat "$part"
  done
  echo '</helpItems>'
} > "$out/en-US/Nexus.PowerShell.dll-Help.xml"
# The about_ topics (Get-Help about_Nexus*): PowerShell finds them in the module's en-US folder.
cp src/PowerShell/Help/about/about_*.help.txt "$out/en-US/"
# The SYNTAX sections come from the compiled cmdlets (needs pwsh: dotnet tool restore first).
dotnet tool run pwsh -NoProfile -NonInteractive -File scripts/lib/Add-HelpSyntax.ps1 \
  -ModuleManifest "$PWD/$out/Nexus.psd1" -HelpFile "$PWD/$out/en-US/Nexus.PowerShell.dll-Help.xml"

# Keep the native SQLite builds for the platforms PowerShell 7 runs on; drop the rest (wasm,
# mips, s390x, maccatalyst…) to keep the module small.
keep='^(linux-x64|linux-arm64|linux-musl-x64|linux-musl-arm64|osx-x64|osx-arm64|win-x64|win-x86|win-arm64)$'
for dir in "$out"/Dependencies/runtimes/*/; do
  rid=$(basename "$dir")
  [[ $rid =~ $keep ]] || rm -rf "$dir"
done

# The module must not carry PowerShell's own engine.
if find "$out" -name 'System.Management.Automation.dll' | grep -q .; then
  echo "build: System.Management.Automation.dll ended up in $out" >&2
  exit 1
fi
echo "build: module $version ready at $out ($(du -sh "$out" | cut -f1))"
