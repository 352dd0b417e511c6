# Issue 5: Export-NexusData / Import-NexusData: the documented file set, manifest checks, and
# export → import into the other dialect → export giving identical checksums.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $names = (Get-TestDialects).Dialect
    $script:Pairs = foreach ($from in $names) { foreach ($to in $names) { @{ From = $from; Dialect = $to } } }
    $script:DialectCases = Get-TestDialects
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "export-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null
    function Read-Manifest([string] $Folder) { Get-Content -Raw (Join-Path $Folder 'manifest.json') | ConvertFrom-Json }
    function New-Folder { Join-Path $Work ([guid]::NewGuid().ToString('N').Substring(0, 8)) }
    # Imports a folder into a new, empty store; returns the error and what the store holds afterwards.
    function Import-IntoNewStore([string] $Dialect, [string] $Folder) {
        $target = New-TestDatabase -Dialect $Dialect
        try {
            $t = Connect-NexusStore $target -NoDefault -WarningAction SilentlyContinue
            $err = $null
            try { Import-NexusData -Store $t -Path $Folder } catch { $err = $_ }
            Disconnect-NexusStore -Store $t
            $tables = Invoke-TestSql $target $(if ($Dialect -eq 'postgres') { "SELECT count(*) FROM information_schema.tables WHERE table_name = 'file_paths'" } else { "SELECT count(*) FROM sqlite_master WHERE name = 'file_paths'" })
            [pscustomobject]@{
                Error        = $err
                SchemaTables = $tables
                Counts       = if ($tables -eq '1') { Get-RowCounts $target } else { '0/0/0' }
            }
        }
        finally { Remove-TestDatabase $target }
    }
}

Describe 'Export from <From>, import into <Dialect>, export again' -ForEach $Pairs {
    BeforeAll {
        $source = New-FixtureStore $From
        Add-FixtureRows $source
        $target = New-TestDatabase -Dialect $Dialect
        $first = New-Folder
        $second = New-Folder
        $s = Connect-NexusStore $source -NoDefault
        $exported = @(Export-NexusData -Store $s -Path $first)
        Disconnect-NexusStore -Store $s
        $t = Connect-NexusStore $target -NoDefault -WarningAction SilentlyContinue
        $imported = @(Import-NexusData -Store $t -Path $first)
        $again = @(Export-NexusData -Store $t -Path $second)
        Disconnect-NexusStore -Store $t
    }
    AfterAll {
        Remove-TestDatabase $source
        Remove-TestDatabase $target
    }

    It 'exports one NDJSON file per table and a manifest that describes them' {
        $m = Read-Manifest $first
        $m.format | Should -Be 'nexus-export'
        $m.formatVersion | Should -Be 1
        $m.schemaRevision | Should -Be '0004'
        $m.provider | Should -Be $(if ($From -eq 'sqlite') { 'Sqlite' } else { 'PostgreSql' })
        $m.moduleVersion | Should -Not -BeNullOrEmpty
        # Read as the text it is: ConvertFrom-Json makes a Utc DateTime whose string form has no zone,
        # and parsing that again takes it as local time (hours off outside UTC).
        $createdText = (Get-Content -Raw (Join-Path $first 'manifest.json') | ConvertFrom-Json -DateKind String).createdAt
        $created = [datetimeoffset]::Parse($createdText, [cultureinfo]::InvariantCulture).UtcDateTime
        $created | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-10))
        $created | Should -BeLessOrEqual ([datetime]::UtcNow)
        $m.tables.name | Should -Be @('file_paths', 'file_metadata', 'content_chunks')
        $m.tables.rows | Should -Be @(3, 15, 2)
        foreach ($t in $m.tables) {
            $file = Join-Path $first $t.file
            (Get-FileHash -Algorithm SHA256 $file).Hash.ToLowerInvariant() | Should -Be $t.sha256
            @(Get-Content $file).Count | Should -Be $t.rows
        }
        (Get-ChildItem $first).Name | Sort-Object | Should -Be @('content_chunks.ndjson', 'file_metadata.ndjson', 'file_paths.ndjson', 'manifest.json')
        $exported.Match | Should -Be @($true, $true, $true)
        $exported.DestinationChecksum | Should -Be $m.tables.checksum
    }

    It 'writes canonical lines: uuid text, UTC microsecond times, numbers, JSON values as strings' {
        $ids = Get-FixtureIds
        $rows = Get-Content (Join-Path $first 'file_paths.ndjson') | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable -DateKind String }
        $report = $rows | Where-Object { $_.path_id -eq $ids.Report }
        $report.created_at | Should -BeOfType [string]
        $report.created_at | Should -Be '2024-01-02T03:04:05.123456Z'
        $report.deleted_at | Should -BeNullOrEmpty
        ($rows | Where-Object { $_.tenant_id -eq 'tenant-b' }).size_bytes | Should -Be 9007199254740993
        $attrs = Get-Content (Join-Path $first 'file_metadata.ndjson') | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable -DateKind String }
        ($attrs | Where-Object key -eq 'jsonnull').value | Should -Be 'null'
        ($attrs | Where-Object key -eq 'sqlnull').value | Should -BeNullOrEmpty
        ($attrs | Where-Object key -eq 'exponent').value | Should -Be '1500'
        ($attrs | Where-Object key -eq 'nested').value | Should -Be '{"a":1,"b":{"a":"x","z":[1,2,{"y":null}]}}'
    }

    It 'imports with matching checksums, the same as the manifest''s' {
        $imported.Match | Should -Be @($true, $true, $true)
        $imported.RowsWritten | Should -Be @(3, 15, 2)
        $imported.SourceChecksum | Should -Be (Read-Manifest $first).tables.checksum
        foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
            Get-TableDump $target $table | Should -Be (Get-TableDump $source $table)
        }
    }

    It 'exports again with identical table checksums and identical files' {
        (Read-Manifest $second).tables.checksum | Should -Be (Read-Manifest $first).tables.checksum
        $again.Match | Should -Be @($true, $true, $true)
        # The files themselves, hashed here, not the manifests' word for them.
        foreach ($t in (Read-Manifest $first).tables) {
            $firstHash = (Get-FileHash -Algorithm SHA256 (Join-Path $first $t.file)).Hash.ToLowerInvariant()
            $secondHash = (Get-FileHash -Algorithm SHA256 (Join-Path $second $t.file)).Hash.ToLowerInvariant()
            $secondHash | Should -Be $firstHash -Because "$($t.file) of the second export holds the same bytes"
        }
        (Read-Manifest $second).tables.sha256 | Should -Be (Read-Manifest $first).tables.sha256
    }
}

Describe 'Export and import checks on <Dialect>' -ForEach $DialectCases {
    BeforeAll {
        $source = New-FixtureStore $Dialect
        Add-FixtureRows $source
        $store = Connect-NexusStore $source -NoDefault
        $folder = New-Folder
        Export-NexusData -Store $store -Path $folder | Out-Null
    }
    AfterAll {
        Disconnect-NexusStore -Store $store
        Remove-TestDatabase $source
    }

    It '-Compress writes .ndjson.gz files holding the same lines' {
        $zipped = New-Folder
        $r = Export-NexusData -Store $store -Path $zipped -Compress
        $r.Match | Should -Be @($true, $true, $true)
        $m = Read-Manifest $zipped
        $m.compressed | Should -BeTrue
        $m.tables.file | Should -Be @('file_paths.ndjson.gz', 'file_metadata.ndjson.gz', 'content_chunks.ndjson.gz')
        $stream = [IO.Compression.GZipStream]::new([IO.File]::OpenRead((Join-Path $zipped 'file_metadata.ndjson.gz')), [IO.Compression.CompressionMode]::Decompress)
        $text = [IO.StreamReader]::new($stream).ReadToEnd(); $stream.Dispose()
        $text | Should -Be (Get-Content -Raw (Join-Path $folder 'file_metadata.ndjson'))
        $m.tables.checksum | Should -Be (Read-Manifest $folder).tables.checksum
        $target = New-TestDatabase -Dialect $Dialect
        try {
            $t = Connect-NexusStore $target -NoDefault -WarningAction SilentlyContinue
            (Import-NexusData -Store $t -Path $zipped).Match | Should -Be @($true, $true, $true)
            Disconnect-NexusStore -Store $t
            Get-RowCounts $target | Should -Be '3/15/2'
        }
        finally { Remove-TestDatabase $target }
    }

    It 'refuses to overwrite a finished export without -Force, and replaces it with -Force' {
        { Export-NexusData -Store $store -Path $folder } | Should -Throw -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.ExportNexusDataCommand'
        (Export-NexusData -Store $store -Path $folder -Force).Match | Should -Be @($true, $true, $true)
        Test-Path (Join-Path $folder 'manifest.json') | Should -BeTrue
    }

    It 'reads lines as other tools may write them: CRLF, members in another order, spaces, a line over 64 KB, no final line break' {
        $edited = New-Folder
        Copy-Item $folder $edited -Recurse
        $file = Join-Path $edited 'file_metadata.ndjson'
        $lines = [IO.File]::ReadAllLines($file) | ForEach-Object {
            # Members reversed, as one JSON object per line still.
            $members = ([regex]::Matches($_, '"(\w+)":("(?:[^"\\]|\\.)*"|[^,}]*)') | ForEach-Object Value)
            '{' + (($members[($members.Count - 1)..0]) -join ', ') + '}'
        }
        $lines[0] = $lines[0].Replace('{', '{' + (' ' * 70000))
        [IO.File]::WriteAllText($file, ($lines -join "`r`n"))
        $m = Get-Content -Raw (Join-Path $edited 'manifest.json') | ConvertFrom-Json
        ($m.tables | Where-Object name -EQ 'file_metadata').sha256 = (Get-FileHash $file -Algorithm SHA256).Hash.ToLowerInvariant()
        $m | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $edited 'manifest.json')
        $r = Import-IntoNewStore $Dialect $edited
        $r.Error | Should -BeNullOrEmpty
        $r.Counts | Should -Be '3/15/2'
    }

    It 'refuses an export whose file was changed, before writing anything' {
        $bad = New-Folder
        Copy-Item $folder $bad -Recurse
        $file = Join-Path $bad 'file_metadata.ndjson'
        (Get-Content -Raw $file).Replace('"owner"', '"0wner"') | Set-Content -NoNewline $file
        $r = Import-IntoNewStore $Dialect $bad
        $r.Error.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.ImportNexusDataCommand'
        $r.Error.Exception.Message | Should -Match 'file_metadata.ndjson.*SHA-256.*manifest'
        if ($Dialect -eq 'postgres') { $r.SchemaTables | Should -Be '0' -Because 'not even the schema was created' }
        $r.Counts | Should -Be '0/0/0'
    }

    It 'refuses rows that do not match the manifest''s checksum, and commits nothing' {
        $bad = New-Folder
        Copy-Item $folder $bad -Recurse
        $manifest = Join-Path $bad 'manifest.json'
        $m = Get-Content -Raw $manifest | ConvertFrom-Json
        $m.tables[1].checksum = '0' * 64
        $m | ConvertTo-Json -Depth 5 | Set-Content $manifest
        $r = Import-IntoNewStore $Dialect $bad
        $r.Error.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.ImportNexusDataCommand'
        $r.Error.Exception.Message | Should -Match 'file_metadata.*Nothing was committed'
        $r.Counts | Should -Be '0/0/0'
    }

    It 'refuses an unfinished export (no manifest)' {
        $partial = New-Folder
        New-Item -ItemType Directory $partial | Out-Null
        Copy-Item (Join-Path $folder 'file_paths.ndjson') $partial
        { Import-NexusData -Store $store -Path $partial } | Should -Throw -ErrorId 'Nexus.InvalidData,Nexus.PowerShell.ImportNexusDataCommand'
        { Import-NexusData -Store $store -Path $partial } | Should -Throw '*not a finished Nexus export*'
    }

    It 'refuses a non-empty store; -Merge loads into it; -Force replaces it' {
        { Import-NexusData -Store $store -Path $folder } | Should -Throw -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.ImportNexusDataCommand'
        Invoke-TestSql $source "UPDATE file_paths SET backend_id = 'changed'; INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES ('40000000-0000-4000-8000-0000000000ee', 'local-extra', 1, '/x', 1, '2024-01-01T00:00:00.000000Z')" | Out-Null
        (Import-NexusData -Store $store -Path $folder -Merge).Match | Should -Be @($true, $true, $true)
        Invoke-TestSql $source "SELECT DISTINCT backend_id FROM file_paths ORDER BY 1" | Should -Be @('local', 's3')
        Get-RowCounts $source | Should -Be '3/15/3'
        (Import-NexusData -Store $store -Path $folder -Force -Confirm:$false).Match | Should -Be @($true, $true, $true)
        Get-RowCounts $source | Should -Be '3/15/2'
    }

    It 'supports -WhatIf on export and import' {
        $nothing = New-Folder
        Export-NexusData -Store $store -Path $nothing -WhatIf | Should -BeNullOrEmpty
        Test-Path $nothing | Should -BeFalse
        Import-NexusData -Store $store -Path $folder -Force -WhatIf | Should -BeNullOrEmpty
        Get-RowCounts $source | Should -Be '3/15/2'
    }
}

Describe 'The canonical JSON text behind the checksums (docs/EXPORT-FORMAT.md)' {
    BeforeAll {
        # Nexus.Core lives in the module's own load context: reach the type through a store.
        $probe = Connect-NexusStore -ConnectionString 'sqlite:///:memory:' -NoDefault
        $script:Canonical = $probe.GetType().Assembly.GetType('Nexus.Core.Transfer.CanonicalJson')
        Disconnect-NexusStore -Store $probe
        function ConvertTo-Canonical([string] $Json) {
            $out = $null; $err = $null
            $arguments = [object[]]@($Json, $out, $err)
            $ok = $Canonical.GetMethod('TryCanonicalize').Invoke($null, $arguments)
            if ($ok) { $arguments[1] } else { "error: $($arguments[2])" }
        }
    }

    It 'turns <In> into <Out>' -ForEach @(
        @{ In = '{"b": 1, "a": {"d": [1, 2], "c": null}}'; Out = '{"a":{"c":null,"d":[1,2]},"b":1}' }
        @{ In = '{"a":1,"b":2}'; Out = '{"a":1,"b":2}' }
        @{ In = '{"k": 1, "k": 2}'; Out = '{"k":2}' }
        @{ In = '{"B": 1, "a": 2, "A": 3}'; Out = '{"A":3,"B":1,"a":2}' }
        @{ In = '[-0, 0, 42, -9223372036854775808, 9223372036854775807]'; Out = '[0,0,42,-9223372036854775808,9223372036854775807]' }
        @{ In = '[9223372036854775808, 123456789012345678901234567890]'; Out = '[9223372036854775808,123456789012345678901234567890]' }
        @{ In = '[1.50, 1e2, 1.5e3, -0.000123, 1E-2, -0.0]'; Out = '[1.50,100,1500,-0.000123,0.01,0.0]' }
        # Characters outside the BMP come out as their surrogate escapes (one fixed way).
        @{ In = '"a\u00e9\"\\\n😀"'; Out = '"aé\"\\\n\uD83D\uDE00"' }
        @{ In = '{"x": [true, false, null, {}, []]}'; Out = '{"x":[true,false,null,{},[]]}' }
    ) {
        ConvertTo-Canonical $In | Should -BeExactly $Out
    }

    It 'refuses <In>' -ForEach @(
        @{ In = '{"a": 1,}' }
        @{ In = 'not json' }
        @{ In = '"nul \u0000 inside"' }
    ) {
        ConvertTo-Canonical $In | Should -Match '^error: '
    }
}
