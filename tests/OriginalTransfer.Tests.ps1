# Issue #11: Copy-NexusData and Import-NexusData from a store (or an export) whose attribute values
# hold NaN, Infinity or -Infinity, as the original system writes them (Python's json.dumps). The
# default refuses before writing anything, naming every path, tenant and key; -NonFiniteNumbers
# AsString stores them as the JSON strings "NaN", "Infinity" and "-Infinity" and warns for each.
# The source stores are made by the original system's own code (../shared/vendor/nexus-original),
# adopted, and then given the values the original writes; skipped, with the reason, without it.
# Where it applies: a source store on SQLite (an adopted store whose JSON text holds them), any
# destination, and an export into either database. A PostgreSQL store at 0003 or later cannot
# hold them (jsonb refuses them, and so does 0003's value::jsonb index on the JSON text that
# -KeepOriginalTypes keeps), which the last Describe shows.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/OriginalSystem.psm1" -Force
    $OriginalSkip = Get-OriginalSkipReason
    $Destinations = Get-TestDialects
    $HasPostgres = (Get-TestDialects).Dialect -contains 'postgres'
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/OriginalSystem.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null

    $script:NonFinite = [ordered]@{
        k1 = '{"x": NaN, "y": [Infinity, -Infinity], "s": "NaN stays a word"}'
        k2 = 'Infinity'
    }

    function Get-TenantOf([string] $ConnectionString, [string] $Path) {
        Invoke-TestSql $ConnectionString "SELECT tenant_id FROM file_paths WHERE virtual_path = '$Path'"
    }

    function Get-ValueText([string] $ConnectionString, [string] $Key) {
        $text = if ($ConnectionString -like 'sqlite:*') { 'value' } else { 'value::text' }
        Invoke-TestSql $ConnectionString "SELECT $text FROM file_metadata WHERE key = '$Key'"
    }

    # The original's store API; fails the test on any operation's error.
    function Invoke-OriginalOpsChecked([string] $ConnectionString, [object[]] $Operations) {
        foreach ($r in (Invoke-OriginalOps $ConnectionString $Operations)) {
            $r.PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r | ConvertTo-Json -Compress)"
        }
    }

    # An adopted original SQLite store (-KeepOriginalTypes: the original keeps running on it) whose
    # JSON text holds NaN/Infinity as the original writes them. The adopted column's json_valid
    # check refuses them to the original's own inserts now, so they are written as raw text with
    # the sqlite3 shell, as a file from before the check holds them.
    function New-NonFiniteSource {
        $cs = New-StoreByOriginalSystem -Dialect sqlite
        Invoke-OriginalOpsChecked $cs @(
            @{ op = 'put'; path = '/n/a'; size = 1 }
            @{ op = 'put'; path = '/n/b'; size = 2 }
            @{ op = 'set'; path = '/n/b'; key = 'fine'; value_json = '1.5' })
        Invoke-NexusMigration -ConnectionString $cs -Adopt -KeepOriginalTypes -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        Invoke-OriginalOpsChecked $cs @(
            @{ op = 'set'; path = '/n/a'; key = 'k1'; value_json = '0' }
            @{ op = 'set'; path = '/n/b'; key = 'k2'; value_json = '0' })
        Invoke-TestSql $cs @"
PRAGMA ignore_check_constraints = ON;
UPDATE file_metadata SET value = '$($NonFinite.k1)' WHERE key = 'k1';
UPDATE file_metadata SET value = '$($NonFinite.k2)' WHERE key = 'k2';
"@ | Out-Null
        Get-ValueText $cs k2 | Should -Be 'Infinity'
        $cs
    }

    # The values the destination holds, as the cmdlets read them.
    function Get-CopiedValues([string] $ConnectionString, [string] $TenantA, [string] $TenantB) {
        $store = Connect-NexusStore $ConnectionString -NoDefault -WarningAction SilentlyContinue
        try {
            [pscustomobject]@{
                A = Get-NexusAttribute -Store $store -Tenant $TenantA -Path /n/a
                B = Get-NexusAttribute -Store $store -Tenant $TenantB -Path /n/b
            }
        }
        finally { Disconnect-NexusStore $store }
    }

    function Assert-StoredAsStrings($Values) {
        $Values.A.k1.x | Should -BeExactly 'NaN'
        $Values.A.k1.y | Should -Be @('Infinity', '-Infinity')
        $Values.A.k1.s | Should -BeExactly 'NaN stays a word'
        $Values.B.k2 | Should -BeExactly 'Infinity'
        $Values.B.fine | Should -Be 1.5
    }

    function Assert-NamesEveryValue([string] $Message, [string] $TenantA, [string] $TenantB) {
        $Message | Should -Match ([regex]::Escape("2 attribute value(s) in "))
        $Message | Should -Match 'NaN, Infinity or -Infinity.*so nothing was written to'
        $Message | Should -Match ([regex]::Escape("'/n/a' (tenant '$TenantA') key 'k1'; '/n/b' (tenant '$TenantB') key 'k2'."))
        $Message | Should -Match '-NonFiniteNumbers AsString'
    }

    # Connecting may have created the schema; no row may have been loaded.
    function Assert-NothingLoaded([string] $ConnectionString) {
        if ((Get-TableNames $ConnectionString) -contains 'file_paths') {
            Invoke-TestSql $ConnectionString 'SELECT (SELECT count(*) FROM file_paths) + (SELECT count(*) FROM file_metadata)' | Should -Be '0'
        }
    }

    function Assert-Warned($Warnings, [string] $TenantA, [string] $TenantB) {
        $changed = @($Warnings | ForEach-Object { "$_" } | Where-Object { $_ -match 'NonFiniteNumbers AsString' })
        $changed | Should -Be @(
            "Attribute 'k1' of '/n/a' (tenant '$TenantA') held 3 NaN/Infinity/-Infinity number(s); stored as JSON strings (-NonFiniteNumbers AsString)."
            "Attribute 'k2' of '/n/b' (tenant '$TenantB') held 1 NaN/Infinity/-Infinity number(s); stored as JSON strings (-NonFiniteNumbers AsString).")
    }

    # An export (Export-NexusData of a store) whose file_metadata holds the original's non-finite
    # numbers as they were written, with a manifest that vouches for exactly those rows (file
    # SHA-256 and row checksum over the rows as they are in the file), as an exporter that kept
    # them would write it.
    function New-NonFiniteExport([string] $Folder, [string] $From) {
        $s = Connect-NexusStore $From -NoDefault
        try { Export-NexusData -Store $s -Path $Folder | Out-Null }
        finally { Disconnect-NexusStore $s }
        $file = Join-Path $Folder 'file_metadata.ndjson'
        $lines = Get-Content -LiteralPath $file
        # The strings the AsString copy stored, back to bare numbers (a quote inside the value's text
        # is written \" or \u0022).
        $lines = $lines | ForEach-Object { $_ -replace '(\\"|\\u0022)(NaN|-Infinity|Infinity)(\\"|\\u0022)', '$2' }
        [System.IO.File]::WriteAllText($file, (($lines -join "`n") + "`n"))
        ($lines -join "`n") | Should -Match ([regex]::Escape('\"x\":NaN'))
        $manifestPath = Join-Path $Folder 'manifest.json'
        $manifest = Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json
        $entry = $manifest.tables | Where-Object name -EQ 'file_metadata'
        # The module's own row checksum (Nexus.Core is loaded in the module's own load context).
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Nexus.Core' } | Select-Object -First 1
        $checksum = [Activator]::CreateInstance($core.GetType('Nexus.Core.Transfer.TableChecksum', $true))
        foreach ($line in $lines) {
            $row = ConvertFrom-Json -InputObject $line -AsHashtable -DateKind String
            $values = foreach ($column in $entry.columns) {
                $v = $row[$column]
                if ($null -eq $v) { $null }
                elseif ($column -in 'metadata_id', 'path_id') { [guid]$v }
                elseif ($column -in 'created_at', 'updated_at') { [datetime]::ParseExact($v, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", [cultureinfo]::InvariantCulture, 'AdjustToUniversal,AssumeUniversal') }
                else { [string]$v }
            }
            $checksum.Add([object[]]@($values))
        }
        $entry.checksum = $checksum.Value
        $entry.sha256 = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
        $manifest | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $manifestPath
    }
}

Describe 'Copy-NexusData from an adopted SQLite store holding NaN/Infinity into <Dialect>' -ForEach $Destinations -Skip:([bool]$OriginalSkip) {
    BeforeAll {
        $To = $Dialect
        $source = New-NonFiniteSource
        $tenantA = Get-TenantOf $source '/n/a'
        $tenantB = Get-TenantOf $source '/n/b'
    }
    AfterAll { Remove-TestDatabase -ConnectionString $source }

    It 'refuses by default before writing anything, naming every path, tenant and key' {
        $destination = New-TestDatabase -Dialect $To
        try {
            $err = $null
            try { Copy-NexusData -Source $source -Destination $destination -Confirm:$false } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            Assert-NamesEveryValue $err.Exception.Message $tenantA $tenantB
            @(Get-TableNames $destination) | Should -BeNullOrEmpty -Because 'not even the schema was created'
            Get-ValueText $source k2 | Should -Be 'Infinity'
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }

    It '-NonFiniteNumbers AsString stores JSON strings, warns for each value, and the copy verifies' {
        $destination = New-TestDatabase -Dialect $To
        try {
            $results = @(Copy-NexusData -Source $source -Destination $destination -NonFiniteNumbers AsString -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue)
            $results.Count | Should -Be 3
            $results.Match | Should -Be @($true, $true, $true)
            ($results | Where-Object Table -EQ 'file_metadata').RowsWritten | Should -Be 3
            Assert-Warned $w $tenantA $tenantB
            Assert-StoredAsStrings (Get-CopiedValues $destination $tenantA $tenantB)
            Get-ValueText $destination k2 | Should -Be '"Infinity"'
            Get-ValueText $source k2 | Should -Be 'Infinity' -Because 'the source is only read'
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }

    It 'with -SkipInvalid and the default policy, sets those rows aside in the reject file' {
        $destination = New-TestDatabase -Dialect $To
        $rejects = Join-Path $env:NEXUS_TEST_RUN_DIR "nonfinite-rejects-$([guid]::NewGuid().ToString('N').Substring(0, 8)).ndjson"
        try {
            $results = @(Copy-NexusData -Source $source -Destination $destination -SkipInvalid -RejectPath $rejects -Confirm:$false)
            ($results | Where-Object Table -EQ 'file_metadata').RowsSkipped | Should -Be 2
            @(Get-Content -LiteralPath $rejects).Count | Should -Be 2
            Invoke-TestSql $destination "SELECT key FROM file_metadata" | Should -Be 'fine'
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }
}

Describe 'Import-NexusData of an export holding NaN/Infinity into <Dialect>' -ForEach (Get-TestDialects) -Skip:([bool]$OriginalSkip) {
    BeforeAll {
        # The export is made from an AsString copy (Export-NexusData only writes JSON), then given the
        # original's bare numbers back, with a manifest that vouches for them.
        $source = New-NonFiniteSource
        $tenantA = Get-TenantOf $source '/n/a'
        $tenantB = Get-TenantOf $source '/n/b'
        $copy = New-TestDatabase -Dialect sqlite
        Copy-NexusData -Source $source -Destination $copy -NonFiniteNumbers AsString -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        $folder = Join-Path $env:NEXUS_TEST_RUN_DIR "nonfinite-export-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-NonFiniteExport $folder $copy
    }
    AfterAll {
        Remove-TestDatabase -ConnectionString $source
        Remove-TestDatabase -ConnectionString $copy
    }

    It 'refuses by default before writing anything, naming every path, tenant and key' {
        $destination = New-TestDatabase -Dialect $Dialect
        try {
            $store = Connect-NexusStore $destination -NoDefault -WarningAction SilentlyContinue
            try {
                $err = $null
                try { Import-NexusData -Store $store -Path $folder -Confirm:$false } catch { $err = $_ }
            }
            finally { Disconnect-NexusStore $store }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.ImportNexusDataCommand'
            Assert-NamesEveryValue $err.Exception.Message $tenantA $tenantB
            Assert-NothingLoaded $destination
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }

    It '-NonFiniteNumbers AsString stores JSON strings, warns for each, and verifies (the manifest against the rows as read)' {
        $destination = New-TestDatabase -Dialect $Dialect
        try {
            $store = Connect-NexusStore $destination -NoDefault -WarningAction SilentlyContinue
            try { $results = @(Import-NexusData -Store $store -Path $folder -NonFiniteNumbers AsString -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue) }
            finally { Disconnect-NexusStore $store }
            $results.Match | Should -Be @($true, $true, $true)
            Assert-Warned $w $tenantA $tenantB
            Assert-StoredAsStrings (Get-CopiedValues $destination $tenantA $tenantB)
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }

    It 'still refuses an export whose rows are not the ones its manifest vouches for' {
        $damaged = "$folder-damaged"
        Copy-Item -LiteralPath $folder -Destination $damaged -Recurse
        $file = Join-Path $damaged 'file_metadata.ndjson'
        [System.IO.File]::WriteAllText($file, [System.IO.File]::ReadAllText($file).Replace('-Infinity', 'Infinity'))
        $manifestPath = Join-Path $damaged 'manifest.json'
        $manifest = Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json
        ($manifest.tables | Where-Object name -EQ 'file_metadata').sha256 = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
        $manifest | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $manifestPath
        $destination = New-TestDatabase -Dialect $Dialect
        try {
            $store = Connect-NexusStore $destination -NoDefault -WarningAction SilentlyContinue
            try {
                { Import-NexusData -Store $store -Path $damaged -NonFiniteNumbers AsString -Confirm:$false -WarningAction SilentlyContinue } |
                    Should -Throw -ExpectedMessage '*do not have the checksums its manifest records (file_metadata)*'
            }
            finally { Disconnect-NexusStore $store }
            Assert-NothingLoaded $destination
        }
        finally { Remove-TestDatabase -ConnectionString $destination }
    }
}

Describe 'A PostgreSQL store cannot hold NaN/Infinity, so a copy from it never meets them' -Skip:([bool]$OriginalSkip -or -not $HasPostgres) {
    It 'the original''s own write of them is refused on an adopted store, even with -KeepOriginalTypes (0003''s value::jsonb index)' {
        $cs = New-StoreByOriginalSystem -Dialect postgres
        try {
            Invoke-OriginalOpsChecked $cs @(@{ op = 'put'; path = '/n/b'; size = 2 })
            Invoke-NexusMigration -ConnectionString $cs -Adopt -KeepOriginalTypes -Confirm:$false -WarningAction SilentlyContinue | Out-Null
            $r = Invoke-OriginalOps $cs @(@{ op = 'set'; path = '/n/b'; key = 'k2'; value_json = $NonFinite.k2 })
            $r[0].error | Should -Match 'invalid input syntax for type json'
            Invoke-TestSql $cs 'SELECT count(*) FROM file_metadata' | Should -Be '0'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }
}
