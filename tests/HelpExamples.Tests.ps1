# Issue 15, "Help stays true": every EXAMPLE in the help of every exported cmdlet runs, as
# written, against a fresh seeded store, and fails the suite if it writes an error or throws.
#
# How an example runs:
#   - in a new runspace of this process (no host UI: an example that would prompt fails),
#     with the module imported and the working directory a fresh copy of a seeded folder, so
#     relative paths (./nexus.db, ./blobs, ./inventory.csv) work;
#   - with ./nexus.db of that folder connected as the default store, also in $store, and named
#     by NEXUS_DATABASE_URL and DATABASE_URL (both restored afterwards);
#   - absolute folders the examples use for server files (/var/lib/nexus/, /backup/) are
#     rebased into that folder; nothing is written outside it.
# The seed (built once, copied per example): ./nexus.db, ./old.db, ./legacy.db and
# /var/lib/nexus/nexus.db hold records under /docs/, /in/, /logs/, /tmp/ and /reports/, one
# soft-deleted record, attributes (owner = ann and a timestamp-like synced on /docs/a.txt), a referenced and an
# unreferenced chunk (storage paths ./blobs/a.bin and ./blobs/b.bin: relative, so that a
# Clear-NexusChunk example removes the copy's file); ./nexus-export and /backup/nexus-20240501
# are exports of it; ./blobs holds two files; ./inventory.csv lists two records.
# PostgreSQL examples (their code names a postgresql:// URL or asks Get-Credential) run on the
# TEST_DATABASE_URL server, in a fresh database at the newest schema and empty (a copy's
# destination must be), whose URL replaces every postgresql:// URL in
# the code and is also what NEXUS_DATABASE_URL/DATABASE_URL name; Get-Credential answers with
# that server's user and password. Without TEST_DATABASE_URL they are skipped. Every other
# example runs on SQLite.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
    $examples = foreach ($name in (Get-Module Nexus).ExportedCmdlets.Keys | Sort-Object) {
        $number = 0
        foreach ($example in (Get-Help $name -Examples).examples.example) {
            $number++
            $code = ($example.code | Out-String).Trim()
            @{
                Command = $name
                Number  = $number
                Code    = $code
                Dialect = if ($code -match 'postgres(ql)?(\+\w+)?://|Get-Credential') { 'postgres' } else { 'sqlite' }
            }
        }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    $root = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-help-examples-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $template = Join-Path $root 'seed'
    foreach ($folder in 'blobs', 'backup', 'var/lib/nexus') { $null = New-Item -ItemType Directory -Path (Join-Path $template $folder) -Force }
    Set-Content -LiteralPath (Join-Path $template 'blobs/a.bin') -Value 'alpha'
    Set-Content -LiteralPath (Join-Path $template 'blobs/b.bin') -Value 'beta'
    Set-Content -LiteralPath (Join-Path $template 'inventory.csv') -Value "Path,Size`n/inventory/one.txt,10`n/inventory/two.txt,20"

    function New-SeededStore([string] $Path, [string] $ExportTo) {
        $s = Connect-NexusStore -Path $Path -NoDefault
        try {
            '/docs/a.txt', '/docs/b.txt', '/in/b.txt', '/logs/2024-01-05.log', '/logs/app.old', '/tmp/old.txt', '/reports/daily.csv', '/tmp/gone.txt' |
                ForEach-Object { [pscustomobject]@{ Path = $_; Size = 5 } } | Set-NexusMetadata -Store $s
            Remove-NexusMetadata -Store $s -Path /tmp/gone.txt -Confirm:$false
            Set-NexusAttribute -Store $s -Path /docs/a.txt -Attributes @{ owner = 'ann'; pages = 3; synced = '2024-03-01 08:30:15.123456' }
            Add-NexusChunk -Store $s -ContentHash ('a' * 64) -Size 5 -StoragePath ./blobs/a.bin
            Add-NexusChunk -Store $s -ContentHash ('b' * 64) -Size 4 -StoragePath ./blobs/b.bin
            Remove-NexusChunk -Store $s -ContentHash ('b' * 64)
            if ($ExportTo) { $null = Export-NexusData -Store $s -Path $ExportTo }
        }
        finally { Disconnect-NexusStore -Store $s }
    }
    New-SeededStore (Join-Path $template 'nexus.db') (Join-Path $template 'nexus-export')
    Copy-Item -LiteralPath (Join-Path $template 'nexus-export') -Destination (Join-Path $template 'backup/nexus-20240501') -Recurse
    foreach ($copy in 'old.db', 'legacy.db', 'var/lib/nexus/nexus.db') { New-SeededStore (Join-Path $template $copy) }

    # The PostgreSQL test server's user and password, for Get-Credential.
    $pgUser = $pgPassword = $null
    if ($env:TEST_DATABASE_URL -match '^postgres(ql)?://(?<user>[^:@/]+)(:(?<password>[^@/]*))?@') {
        $pgUser = [uri]::UnescapeDataString($Matches.user)
        $pgPassword = [uri]::UnescapeDataString([string]$Matches.password)
    }

    # Runs one example; returns what went wrong (error records and exceptions), as text.
    function Invoke-HelpExample([string] $Code, [string] $Dialect) {
        $dir = Join-Path $root ([guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item -LiteralPath $template -Destination $dir -Recurse
        $Code = [regex]::Replace($Code, '(?<=[\s''"])/(var/lib/nexus|backup)/', { param($m) "$dir/$($m.Groups[1].Value)/" })
        $url = "sqlite:///$dir/nexus.db"
        $database = $null
        if ($Dialect -eq 'postgres') {
            $database = New-TestDatabase -Dialect postgres
            $null = Invoke-NexusMigration -ConnectionString $database -Confirm:$false
            $url = $database
            $Code = [regex]::Replace($Code, 'postgres(ql)?(\+\w+)?://[^''"\s]*', { param($m) $database })
        }
        $saved = $env:NEXUS_DATABASE_URL, $env:DATABASE_URL
        $env:NEXUS_DATABASE_URL = $env:DATABASE_URL = $url
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Dir, $User, $Password)
                    Import-Module $Module
                    Set-Location -LiteralPath $Dir
                    $store = Connect-NexusStore -Path ./nexus.db
                    function global:Get-Credential {
                        [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
                    }
                }.ToString()).AddArgument($env:NEXUS_MODULE_PATH).AddArgument($dir).AddArgument([string]$pgUser).AddArgument([string]$pgPassword)
            $null = $ps.AddStatement().AddScript($Code)
            $problems = @()
            try { $null = $ps.Invoke() }
            catch { $problems += "threw: $($_.Exception.InnerException ?? $_.Exception)" }
            $problems += @($ps.Streams.Error | ForEach-Object { "error: $_ ($($_.FullyQualifiedErrorId))" })
            $problems
        }
        finally {
            $ps.Dispose()
            $env:NEXUS_DATABASE_URL, $env:DATABASE_URL = $saved
            if ($database) { Remove-TestDatabase -ConnectionString $database }
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Help examples of <_>' -ForEach ($examples.Command | Select-Object -Unique) {
    It 'Example <Number> runs without an error (<Dialect>)' -ForEach ($examples | Where-Object Command -eq $_) {
        if ($Dialect -eq 'postgres' -and -not $env:TEST_DATABASE_URL) {
            Set-ItResult -Skipped -Because 'it is a PostgreSQL example and TEST_DATABASE_URL is not set'
            return
        }
        $problems = Invoke-HelpExample -Code $Code -Dialect $Dialect
        $problems | Should -BeNullOrEmpty -Because "the example must run as written:`n$Code`n"
    }
}
