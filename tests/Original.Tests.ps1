# Side by side with the original Nexus system (issue #11): stores made by the original's own
# Alembic revision 58d58578fce0, written and read by its own SQLAlchemy models and store API
# (../shared/vendor/nexus-original, run by tests/original/driver.py), adopted and used by the module,
# then used by the original again. Skipped, with the reason, where the vendor folder is absent.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/OriginalSystem.psm1" -Force
    $OriginalSkip = Get-OriginalSkipReason
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/OriginalSystem.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null

    # Attribute values the original writes (json.dumps of Python values), as JSON text.
    $script:OriginalValues = [ordered]@{
        author = '"alice"'
        count  = '42'
        ratio  = '2.5'
        flag   = 'true'
        tags   = '["x", 1, false, null]'
        nested = '{"a": {"b": [1, 2]}, "c": "d"}'
    }

    function ConvertTo-Canonical($Value) {
        # Both sides' values as compact JSON with sorted keys, so equal values compare equal.
        function Sort-Value($v) {
            if ($v -is [System.Collections.IDictionary]) {
                $o = [ordered]@{}
                foreach ($k in @($v.Keys | Sort-Object -CaseSensitive)) { $o[$k] = Sort-Value $v[$k] }
                return $o
            }
            if ($v -is [psobject] -and $v.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
                $o = [ordered]@{}
                foreach ($k in @($v.PSObject.Properties.Name | Sort-Object -CaseSensitive)) { $o[$k] = Sort-Value $v.$k }
                return $o
            }
            if ($v -is [System.Collections.IList]) { return , @($v | ForEach-Object { Sort-Value $_ }) }
            $v
        }
        ConvertTo-Json -InputObject (Sort-Value $Value) -Depth 20 -Compress
    }

    function ConvertFrom-OriginalJson([string] $Json) {
        ConvertFrom-Json -InputObject $Json -AsHashtable -NoEnumerate -DateKind String
    }

    # A store made and filled by the original: records under random tenants (as its API does), attributes.
    function New-FilledOriginalStore([string] $Dialect) {
        $cs = New-OriginalStore -Dialect $Dialect
        $ops = @(
            @{ op = 'put'; path = '/docs/a.txt'; size = 12; etag = 'h1'; mime_type = 'text/plain' }
            @{ op = 'put'; path = '/docs/b.bin'; size = 0 }
        )
        foreach ($key in $OriginalValues.Keys) { $ops += @{ op = 'set'; path = '/docs/a.txt'; key = $key; value_json = $OriginalValues[$key] } }
        $results = Invoke-OriginalOps $cs $ops
        $results | Where-Object { $_.PSObject.Properties['error'] } | Should -BeNullOrEmpty
        $cs
    }

    function Get-TenantOf([string] $ConnectionString, [string] $Path) {
        Invoke-TestSql $ConnectionString "SELECT tenant_id FROM file_paths WHERE virtual_path = '$Path'"
    }

    function Invoke-Adoption([string] $ConnectionString, [hashtable] $Extra = @{}) {
        Invoke-NexusMigration -ConnectionString $ConnectionString -Adopt -Confirm:$false @Extra
    }
}

Describe 'The original system tier' {
    It 'runs the original code from ../shared/vendor/nexus-original (or says why it is skipped)' {
        $reason = Get-OriginalSkipReason
        if ($reason) {
            Write-Host "Original.Tests: SKIPPED: $reason"
            Set-ItResult -Skipped -Because $reason
            return
        }
        (Get-OriginalVendorPath) | Should -Exist
    }
}

Describe 'Beside the original system on <Dialect>' -ForEach (Get-TestDialects) -Skip:([bool]$OriginalSkip) {
    Context 'a store the original made and filled' {
        BeforeAll {
            $cs = New-FilledOriginalStore $Dialect
            $tenantA = Get-TenantOf $cs '/docs/a.txt'
            $tenantB = Get-TenantOf $cs '/docs/b.bin'
            $null = Invoke-Adoption $cs
            $store = Connect-NexusStore $cs -NoDefault
        }
        AfterAll {
            if ($store) { Disconnect-NexusStore $store }
            Remove-TestDatabase -ConnectionString $cs
        }

        It 'was made by the original: its Alembic revision, a random tenant per record' {
            $tenantA | Should -Not -Be $tenantB
            Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be '58d58578fce0'
        }

        It 'reads every record and value the original wrote through the cmdlets' {
            $record = Get-NexusMetadata -Store $store -Tenant $tenantA -Path /docs/a.txt
            $record.Size | Should -Be 12
            $record.MimeType | Should -Be 'text/plain'
            $record.ETag | Should -Be 'h1'
            (Get-NexusMetadata -Store $store -Tenant $tenantB -Path /docs/b.bin).Size | Should -Be 0
            $attributes = Get-NexusAttribute -Store $store -Tenant $tenantA -Path /docs/a.txt
            foreach ($key in $OriginalValues.Keys) {
                ConvertTo-Canonical $attributes.$key | Should -Be (ConvertTo-Canonical (ConvertFrom-OriginalJson $OriginalValues[$key])) -Because "attribute $key"
            }
        }

        It 'the original reads its own records and values back after adoption' {
            $ops = @(@{ op = 'get'; path = '/docs/a.txt' }, @{ op = 'list'; prefix = '/docs/' })
            foreach ($key in $OriginalValues.Keys) { $ops += @{ op = 'getattr'; path = '/docs/a.txt'; key = $key } }
            $results = Invoke-OriginalOps $cs $ops
            $results[0].record.size | Should -Be 12
            @($results[1].records.path) | Should -Be @('/docs/a.txt', '/docs/b.bin')
            $i = 2
            foreach ($key in $OriginalValues.Keys) {
                $results[$i].PSObject.Properties['error'] | Should -BeNullOrEmpty
                ConvertTo-Canonical (ConvertFrom-OriginalJson $results[$i].value_json) |
                    Should -Be (ConvertTo-Canonical (ConvertFrom-OriginalJson $OriginalValues[$key])) -Because "attribute $key"
                $i++
            }
        }

        It 'what the module writes, the original reads equal' {
            $values = [ordered]@{ owner = 'bob'; level = 7; share = 0.125; on = $false; list = @('p', 2); map = [ordered]@{ z = 1; y = @{ q = 'r' } } }
            foreach ($key in $values.Keys) { Set-NexusAttribute -Store $store -Tenant $tenantA -Path /docs/a.txt -Key $key -Value $values[$key] -Confirm:$false }
            $results = Invoke-OriginalOps $cs @($values.Keys | ForEach-Object { @{ op = 'getattr'; path = '/docs/a.txt'; key = $_ } })
            $i = 0
            foreach ($key in $values.Keys) {
                $results[$i].PSObject.Properties['error'] | Should -BeNullOrEmpty
                ConvertTo-Canonical (ConvertFrom-OriginalJson $results[$i].value_json) | Should -Be (ConvertTo-Canonical $values[$key]) -Because "attribute $key"
                $i++
            }
        }
    }

    Context 'the original keeps working on an adopted store' {
        BeforeAll {
            $cs = New-FilledOriginalStore $Dialect
            if ($Dialect -eq 'sqlite') {
                # The original's two timestamp forms: SQLAlchemy's own and ISO-8601 with T/Z.
                Invoke-TestSql $cs "UPDATE file_paths SET updated_at = '2024-03-01T08:30:15.5Z' WHERE virtual_path = '/docs/b.bin'" | Out-Null
            }
            $timesBefore = Invoke-TestSql $cs 'SELECT virtual_path, created_at, updated_at FROM file_paths ORDER BY virtual_path'
            $tenantA = Get-TenantOf $cs '/docs/a.txt'
            $null = Invoke-Adoption $cs
        }
        AfterAll { Remove-TestDatabase -ConnectionString $cs }

        It 'the original adds records and attributes, and the cmdlets read them' {
            $results = Invoke-OriginalOps $cs @(
                @{ op = 'put'; path = '/late/c.txt'; size = 7 }
                @{ op = 'set'; path = '/docs/a.txt'; key = 'late'; value_json = '{"v": [1, "two"]}' }
                @{ op = 'set'; path = '/late/c.txt'; key = 'first'; value_json = '"yes"' }
                @{ op = 'set'; path = '/docs/a.txt'; key = 'author'; value_json = '"carol"' })
            foreach ($r in $results) { $r.PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r | ConvertTo-Json -Compress)" }

            $store = Connect-NexusStore $cs -NoDefault
            try {
                $attributes = Get-NexusAttribute -Store $store -Tenant $tenantA -Path /docs/a.txt
                ConvertTo-Canonical $attributes.late | Should -Be '{"v":[1,"two"]}'
                $attributes.author | Should -Be 'carol'
                $tenantC = Get-TenantOf $cs '/late/c.txt'
                (Get-NexusMetadata -Store $store -Tenant $tenantC -Path /late/c.txt).Size | Should -Be 7
                (Get-NexusAttribute -Store $store -Tenant $tenantC -Path /late/c.txt).first | Should -Be 'yes'
            }
            finally { Disconnect-NexusStore $store }
            # The column the original leaves out got the time of its insert.
            Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'late' AND updated_at IS NOT NULL" | Should -Be '1'
        }

        It "the original's alembic current reports its revision and upgrade head changes nothing" {
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0 \(head\)'
            $before = Get-SchemaSnapshot $cs
            Invoke-OriginalAlembic $cs upgrade head | Should -Not -Match 'Running upgrade'
            Get-SchemaSnapshot $cs | Should -Be $before
        }

        It "the original's alembic downgrade fails before changing anything, and help says it is not supported" {
            $before = Get-SchemaSnapshot $cs
            $count = Invoke-TestSql $cs 'SELECT count(*) FROM file_metadata'
            $r = Invoke-OriginalAlembic $cs downgrade base -AllowFailure
            $r.ExitCode | Should -Not -Be 0
            $r.Output | Should -Match 'idx_file_metadata_path_id'
            Get-SchemaSnapshot $cs | Should -Be $before
            Invoke-TestSql $cs 'SELECT count(*) FROM file_metadata' | Should -Be $count
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0'
            (Get-Help Invoke-NexusMigration -Full | Out-String) -replace '\s+', ' ' | Should -Match "alembic downgrade. is not supported on an adopted store"
        }

        It 'adoption keeps the timestamps as the original wrote them, and both sides read them' -Skip:($Dialect -ne 'sqlite') {
            $after = Invoke-TestSql $cs "SELECT virtual_path, created_at, updated_at FROM file_paths WHERE virtual_path LIKE '/docs/%' ORDER BY virtual_path"
            $after | Should -Be $timesBefore
            $tenantB = Get-TenantOf $cs '/docs/b.bin'
            $store = Connect-NexusStore $cs -NoDefault
            try { $b = Get-NexusMetadata -Store $store -Tenant $tenantB -Path /docs/b.bin }
            finally { Disconnect-NexusStore $store }
            $b.ModifiedAt | Should -Be ([datetime]::new(2024, 3, 1, 8, 30, 15, 500, [DateTimeKind]::Utc))
            $b.ModifiedAt.Kind | Should -Be 'Utc'
            $created = ($timesBefore[1] -split '\|')[1]
            $b.CreatedAt | Should -Be ([datetime]::SpecifyKind([datetime]::ParseExact($created, 'yyyy-MM-dd HH:mm:ss.ffffff', [cultureinfo]::InvariantCulture), 'Utc'))
            # Debian's SQLAlchemy 1.4 reads only its own form: the original's rows stay readable to it.
            $r = Invoke-OriginalOps $cs @(@{ op = 'get'; path = '/docs/a.txt' }) -Sa14Reader
            $r[0].PSObject.Properties['error'] | Should -BeNullOrEmpty
            $r[0].record.created_at | Should -Be (($timesBefore[0] -split '\|')[1])
        }
    }
}
