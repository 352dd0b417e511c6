# Helpers of the "beyond one server" suites (Replica, PgBouncer): the extra servers that
# scripts/lib/pgscale.sh starts under the run's NEXUS_SCALE_ROOT (scripts/test.sh).

$script:PgScale = Join-Path $PSScriptRoot '../scripts/lib/pgscale.sh'

# Runs scripts/lib/pgscale.sh with the given arguments; throws with its output on failure.
function Invoke-PgScale([string[]] $Arguments) {
    $out = & bash $script:PgScale @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "pgscale $($Arguments -join ' ') failed: $out" }
    $out
}

# Starts pair <Name> (a primary and, unless -PrimaryOnly, its streaming replica) and, with
# -PgBouncer, PgBouncer in front of it; returns PASSWORD, PRIMARY_PORT, REPLICA_PORT,
# PGBOUNCER_PORT as a hashtable. Stop it with Invoke-PgScale 'stop', <Name>.
function Start-ScalePair([string] $Name, [switch] $PrimaryOnly, [switch] $PgBouncer) {
    $lines = @(Invoke-PgScale (@('pair', $Name) + @(if ($PrimaryOnly) { 'primary-only' })))
    if ($PgBouncer) { $lines += @(Invoke-PgScale 'pgbouncer', $Name) }
    $vars = @{}
    foreach ($line in $lines) { if ($line -match '^(\w+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
    $vars
}

# A fresh folder holding one configuration file with the given text; returns the file's path.
function New-ScaleConfigFile([string] $Prefix, [string] $Text) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("$Prefix-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $dir
    $file = Join-Path $dir 'nexus.yaml'
    Set-Content -LiteralPath $file -Value $Text
    $file
}

Export-ModuleMember -Function Invoke-PgScale, Start-ScalePair, New-ScaleConfigFile
