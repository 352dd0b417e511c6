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
        $cs = New-StoreByOriginalSystem -Dialect $Dialect
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

    # As an operator whose original service keeps running on the store adopts it: -KeepOriginalTypes
    # (on PostgreSQL attribute values stay JSON text, which the original reads with json.loads).
    function Invoke-Adoption {
        [CmdletBinding()]
        param([string] $ConnectionString, [hashtable] $Extra = @{ KeepOriginalTypes = $true })
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

    Context 'a store the module created (migration 0004: the original''s alembic_version row)' {
        BeforeAll {
            $cs = New-TestDatabase -Dialect $Dialect
            Invoke-NexusMigration -ConnectionString $cs -Confirm:$false | Out-Null
        }
        AfterAll { Remove-TestDatabase -ConnectionString $cs }

        It "carries the original's head row, so its alembic current reports 58d58578fce0 and upgrade head is a no-op" {
            Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be '58d58578fce0'
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0 \(head\)'
            $before = Get-SchemaSnapshot $cs
            $r = Invoke-OriginalAlembic $cs upgrade head -AllowFailure
            $r.ExitCode | Should -Be 0 -Because $r.Output
            $r.Output | Should -Not -Match 'Running upgrade|already exists'
            Get-SchemaSnapshot $cs | Should -Be $before
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0 \(head\)'
        }

        It 'the original writes and reads records on it, and the cmdlets read them' {
            $results = Invoke-OriginalOps $cs @(
                @{ op = 'put'; path = '/orig/one.txt'; size = 11; etag = 'e1'; mime_type = 'text/plain' }
                @{ op = 'put'; path = '/orig/two.bin'; size = 22 }
                @{ op = 'get'; path = '/orig/one.txt' }
                @{ op = 'list'; prefix = '/orig/' }
                @{ op = 'exists'; path = '/orig/two.bin' })
            foreach ($r in $results) { $r.PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r | ConvertTo-Json -Compress)" }
            $results[2].record.size | Should -Be 11
            $results[2].record.etag | Should -Be 'e1'
            @($results[3].records.path) | Should -Be @('/orig/one.txt', '/orig/two.bin')
            $results[4].exists | Should -BeTrue

            $store = Connect-NexusStore $cs -NoDefault
            try {
                $all = @(Get-NexusMetadata -Store $store -Tenant * -Prefix /orig/)
                $all.Path | Should -Be @('/orig/one.txt', '/orig/two.bin')
                $all.Size | Should -Be @(11, 22)
                $one = Get-NexusMetadata -Store $store -Tenant (Get-TenantOf $cs '/orig/one.txt') -Path /orig/one.txt
                $one.ETag | Should -Be 'e1'
                $one.MimeType | Should -Be 'text/plain'
                $one.CreatedAt.Kind | Should -Be 'Utc'
            }
            finally { Disconnect-NexusStore $store }
        }

        It 'the original adds attributes (0004 gave file_metadata.updated_at a default), and the cmdlets read them' {
            $results = Invoke-OriginalOps $cs @(
                @{ op = 'put'; path = '/orig/attrs.txt'; size = 5 }
                @{ op = 'set'; path = '/orig/attrs.txt'; key = 'author'; value_json = '"dora"' }
                @{ op = 'set'; path = '/orig/attrs.txt'; key = 'nested'; value_json = '{"a": [1, "two"]}' }
                @{ op = 'set'; path = '/orig/attrs.txt'; key = 'author'; value_json = '"erin"' })
            foreach ($r in $results) { $r.PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r | ConvertTo-Json -Compress)" }
            if ($Dialect -eq 'sqlite') {
                # On PostgreSQL the module's value column is jsonb, which the original's json.loads
                # cannot read (documented): there the values are read back through the module only.
                $read = Invoke-OriginalOps $cs @(
                    @{ op = 'getattr'; path = '/orig/attrs.txt'; key = 'author' }
                    @{ op = 'getattr'; path = '/orig/attrs.txt'; key = 'nested' })
                foreach ($r in $read) { $r.PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r | ConvertTo-Json -Compress)" }
                $read[0].value_json | Should -Be '"erin"'
                ConvertTo-Canonical (ConvertFrom-OriginalJson $read[1].value_json) | Should -Be '{"a":[1,"two"]}'
            }
            $store = Connect-NexusStore $cs -NoDefault
            try {
                $attributes = Get-NexusAttribute -Store $store -Tenant (Get-TenantOf $cs '/orig/attrs.txt') -Path /orig/attrs.txt
                $attributes.author | Should -Be 'erin'
                ConvertTo-Canonical $attributes.nested | Should -Be '{"a":[1,"two"]}'
            }
            finally { Disconnect-NexusStore $store }
            Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE updated_at IS NOT NULL AND key IN ('author', 'nested')" | Should -Be '2'
        }

        It "the original's alembic downgrade fails before changing anything (not supported; help says why)" {
            $before = Get-SchemaSnapshot $cs
            $r = Invoke-OriginalAlembic $cs downgrade base -AllowFailure
            $r.ExitCode | Should -Not -Be 0
            $r.Output | Should -Match 'idx_file_metadata_path_id'
            Get-SchemaSnapshot $cs | Should -Be $before
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0'
            (Get-Help Invoke-NexusMigration -Full | Out-String) -replace '\s+', ' ' | Should -Match 'not supported on an adopted store nor on a store the module created'
        }

        It 'going below 0004 removes the row 0004 wrote; going back up writes it again' {
            (Invoke-NexusMigration -ConnectionString $cs -Target 0003 -Confirm:$false).Id | Should -Be '0004'
            if ($Dialect -eq 'postgres') { Get-TableNames $cs | Should -Not -Contain 'alembic_version' }
            else { Invoke-TestSql $cs 'SELECT count(*) FROM alembic_version' | Should -Be '0' }
            (Invoke-OriginalAlembic $cs current) | Should -Not -Match '58d58578fce0'
            (Invoke-NexusMigration -ConnectionString $cs -Confirm:$false).Id | Should -Be '0004'
            Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0 \(head\)'
        }

        It 'going below 0004 takes back only the default 0004 gave; both ways the store stays healthy and the original writes again' {
            $healthy = {
                param($what)
                $s = Connect-NexusStore $cs -NoDefault
                try { $h = @(Test-NexusStore -Store $s -Check Integrity, ForeignKeys, SchemaObjects) }
                finally { Disconnect-NexusStore $s }
                $h | Where-Object Status -EQ 'Fail' | Select-Object Check, Details | Out-String | Should -BeNullOrEmpty -Because $what
                ($h | Where-Object Check -EQ 'SchemaObjects').Status | Should -Be 'Pass' -Because $what
            }
            & $healthy 'at 0004'
            (Invoke-NexusMigration -ConnectionString $cs -Target 0003 -Confirm:$false).Id | Should -Be '0004'
            $s = Connect-NexusStore $cs -NoDefault
            try { $r = Test-NexusStore -Store $s -Check SchemaObjects }
            finally { Disconnect-NexusStore $s }
            $r.Status | Should -Be 'Warn' -Because 'behind head only'
            $r.Details | Should -Match '^Nothing is missing'
            # On SQLite the emptied alembic_version table 0004 made stays below it (see its down script).
            @($r.Rows | ForEach-Object { $_.object }) -notmatch 'alembic_version' | Should -BeNullOrEmpty
            (Invoke-NexusMigration -ConnectionString $cs -Confirm:$false).Id | Should -Be '0004'
            & $healthy 'up again'
            $results = Invoke-OriginalOps $cs @(@{ op = 'set'; path = '/orig/attrs.txt'; key = 'again'; value_json = '3' })
            $results[0].PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($results[0] | ConvertTo-Json -Compress)"
        }
    }

    Context 'an adopted store at 0004' {
        It "keeps the original's alembic_version row when 0004 goes down and up again" {
            $cs = New-FilledOriginalStore $Dialect
            try {
                $null = Invoke-Adoption $cs -WarningAction SilentlyContinue
                $before = Get-SchemaSnapshot $cs
                Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be '58d58578fce0'
                @(Invoke-NexusMigration -ConnectionString $cs -Target 0003 -Confirm:$false).DestroysData | Should -Be @($false)
                Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be '58d58578fce0'
                Invoke-OriginalAlembic $cs current | Should -Match '58d58578fce0 \(head\)'
                # The default adoption gave file_metadata.updated_at stays below 0004: the original still adds attributes.
                $r = Invoke-OriginalOps $cs @(@{ op = 'set'; path = '/docs/a.txt'; key = 'below0004'; value_json = '1' })
                $r[0].PSObject.Properties['error'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
                (Invoke-NexusMigration -ConnectionString $cs -Confirm:$false).Id | Should -Be '0004'
                Invoke-TestSql $cs 'SELECT count(*) FROM alembic_version' | Should -Be '1'
                Get-SchemaSnapshot $cs | Should -Be $before
            }
            finally { Remove-TestDatabase -ConnectionString $cs }
        }
    }

    Context 'attribute values on PostgreSQL: jsonb for the module, or JSON text while the original runs' {
        It 'by default converts to jsonb and says the original cannot read it; -KeepOriginalTypes keeps text, queried by containment; -ConvertOriginalTypes converts later' -Skip:($Dialect -ne 'postgres') {
            $converted = New-FilledOriginalStore $Dialect
            $kept = New-FilledOriginalStore $Dialect
            try {
                $null = Invoke-Adoption $converted @{} -WarningVariable warnConverted -WarningAction SilentlyContinue
                "$warnConverted" | Should -Match 'file_metadata.value is now jsonb.*cannot read.*-KeepOriginalTypes'
                Invoke-TestSql $converted "SELECT data_type FROM information_schema.columns WHERE table_name = 'file_metadata' AND column_name = 'value'" | Should -Be 'jsonb'
                (Invoke-OriginalOps $converted @(@{ op = 'getattr'; path = '/docs/a.txt'; key = 'author' }))[0].error | Should -Match 'JSONDecodeError|TypeError'

                $null = Invoke-NexusMigration -ConnectionString $kept -Adopt -KeepOriginalTypes -Confirm:$false -WarningVariable warnKept -WarningAction SilentlyContinue
                "$warnKept" | Should -Match "kept as the original's JSON text.*Invoke-NexusMigration -ConvertOriginalTypes"
                Invoke-TestSql $kept "SELECT data_type FROM information_schema.columns WHERE table_name = 'file_metadata' AND column_name = 'value'" | Should -Be 'text'
                $tenantA = Get-TenantOf $kept '/docs/a.txt'
                $store = Connect-NexusStore $kept -NoDefault
                try {
                    (Get-NexusMetadata -Store $store -Tenant $tenantA -Attribute @{ nested = @{ a = @{ b = @(2) } } }).Path | Should -Be '/docs/a.txt'
                    Set-NexusAttribute -Store $store -Tenant $tenantA -Path /docs/a.txt -Key added -Value @{ n = 1 } -Confirm:$false
                }
                finally { Disconnect-NexusStore $store }
                (Invoke-OriginalOps $kept @(@{ op = 'getattr'; path = '/docs/a.txt'; key = 'added' }))[0].value_json | Should -Be '{"n": 1}'

                Invoke-NexusMigration -ConnectionString $kept -ConvertOriginalTypes -Confirm:$false | Out-Null
                Invoke-TestSql $kept "SELECT data_type FROM information_schema.columns WHERE table_name = 'file_metadata' AND column_name = 'value'" | Should -Be 'jsonb'
                Invoke-TestSql $kept "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_file_metadata_value_gin'" | Should -Be '1'
                $store = Connect-NexusStore $kept -NoDefault
                try {
                    (Get-NexusAttribute -Store $store -Tenant $tenantA -Path /docs/a.txt).added.n | Should -Be 1
                    (Get-NexusMetadata -Store $store -Tenant $tenantA -Attribute @{ added = @{ n = 1 } }).Path | Should -Be '/docs/a.txt'
                }
                finally { Disconnect-NexusStore $store }
            }
            finally {
                Remove-TestDatabase -ConnectionString $converted
                Remove-TestDatabase -ConnectionString $kept
            }
        }
    }

    Context 'everything the original wrote is reachable' {
        BeforeAll {
            $cs = New-StoreByOriginalSystem -Dialect $Dialect
            $odd = @('/a//b', '/a/b/', '/a/./b', "/a/`tb", 'a/b')
            $ops = @(@{ op = 'put'; path = '/plain/one'; size = 1 }, @{ op = 'put'; path = '/plain/two'; size = 2 })
            foreach ($p in $odd) { $ops += @{ op = 'put'; path = $p; size = 3 }, @{ op = 'set'; path = $p; key = 'k'; value_json = '"v"' } }
            (Invoke-OriginalOps $cs $ops) | Where-Object { $_.PSObject.Properties['error'] } | Should -BeNullOrEmpty
            $null = Invoke-Adoption $cs -WarningVariable adoptionWarnings -WarningAction SilentlyContinue
            $tenantOf = @{}
            $tab = if ($Dialect -eq 'sqlite') { 'char(9)' } else { 'chr(9)' }
            foreach ($line in Invoke-TestSql $cs "SELECT tenant_id || '|' || replace(virtual_path, $tab, '<TAB>') FROM file_paths") {
                $t, $p = $line -split '\|', 2
                $tenantOf[$p.Replace('<TAB>', "`t")] = $t
            }
        }
        AfterAll { Remove-TestDatabase -ConnectionString $cs }

        It 'Get-NexusMetadata -Tenant * lists every tenant''s records, showing Tenant; Get-NexusTenant counts them' {
            $store = Connect-NexusStore $cs -NoDefault
            try {
                @(Get-NexusMetadata -Store $store -Prefix /).Count | Should -Be 0 -Because 'the original gave every record a random tenant'
                $all = @(Get-NexusMetadata -Store $store -Prefix /plain/ -Tenant *)
                $all.Path | Should -Be @('/plain/one', '/plain/two')
                $all.Tenant | Should -Be @($tenantOf['/plain/one'], $tenantOf['/plain/two'])
                ($all | Format-Table | Out-String) | Should -Match '(?m)^Tenant\s+Size\s+Deleted\s+Path'
                @(Get-NexusMetadata -Store $store -Prefix / -Tenant *).Count | Should -Be 6 -Because "'a/b' is not under '/'"
                $tenants = @(Get-NexusTenant -Store $store)
                $tenants.Count | Should -Be 7
                $sorted = [string[]]@($tenantOf.Values)
                [Array]::Sort($sorted, [StringComparer]::Ordinal)
                $tenants.Tenant | Should -Be $sorted
                ($tenants.Records | Measure-Object -Sum).Sum | Should -Be 7
                # '*' names all tenants only when listing: a write never lands in a tenant named '*'.
                $err = $null
                Set-NexusMetadata -Store $store -Tenant * -Path /x -Size 1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
                "$err" | Should -Match 'only lists records'
            }
            finally { Disconnect-NexusStore $store }
        }

        It 'adoption names each path the module''s rules refuse, with the command that normalizes it' {
            $notes = @($adoptionWarnings | ForEach-Object { "$_" } | Where-Object { $_ -match 'Rename-NexusMetadata' })
            $notes.Count | Should -Be 5
            $notes | Should -Contain ("The path '/a//b' of tenant '$($tenantOf['/a//b'])' contains an empty segment ('//'): -Path cannot name it, -LiteralPath can. To normalize it: Rename-NexusMetadata -Tenant '$($tenantOf['/a//b'])' -LiteralPath '/a//b' -NewPath '/a/b'")
            ($notes -join "`n") | Should -Match ([regex]::Escape("-LiteralPath `"/a/``tb`" -NewPath '/a/_b'"))
            ($notes -join "`n") | Should -Match ([regex]::Escape("-LiteralPath 'a/b' -NewPath '/a/b'"))
        }

        It 'reads, changes and removes each such record by -LiteralPath, exactly, and -Path still refuses it' -ForEach @(
            @{ Odd = '/a//b' }, @{ Odd = '/a/b/' }, @{ Odd = '/a/./b' }, @{ Odd = "/a/`tb" }, @{ Odd = 'a/b' }
        ) {
            $t = $tenantOf[$Odd]
            $store = Connect-NexusStore $cs -NoDefault
            try {
                (Get-NexusMetadata -Store $store -Tenant $t -LiteralPath $Odd).Path | Should -BeExactly $Odd
                Test-NexusMetadata -Store $store -Tenant $t -LiteralPath $Odd | Should -BeTrue
                (Get-NexusAttribute -Store $store -Tenant $t -LiteralPath $Odd).k | Should -Be 'v'
                Set-NexusAttribute -Store $store -Tenant $t -LiteralPath $Odd -Key k2 -Value 2 -Confirm:$false
                (Get-NexusAttribute -Store $store -Tenant $t -LiteralPath $Odd -Key k2) | Should -Be 2
                Remove-NexusAttribute -Store $store -Tenant $t -LiteralPath $Odd -Key k2 -Confirm:$false
                $err = $null
                Get-NexusMetadata -Store $store -Tenant $t -Path $Odd -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $err | Should -Not -BeNullOrEmpty
                Remove-NexusMetadata -Store $store -Tenant $t -LiteralPath $Odd -Confirm:$false
                Test-NexusMetadata -Store $store -Tenant $t -LiteralPath $Odd | Should -BeFalse
                (Get-NexusMetadata -Store $store -Tenant $t -LiteralPath $Odd -IncludeDeleted).DeletedAt | Should -Not -BeNullOrEmpty
            }
            finally { Disconnect-NexusStore $store }
        }

        It 'the command adoption suggests renames the record to its normalized path' {
            $cs2 = New-StoreByOriginalSystem -Dialect $Dialect
            try {
                Invoke-OriginalOps $cs2 @(@{ op = 'put'; path = '/x//y/'; size = 4 }) | Out-Null
                $null = Invoke-Adoption $cs2 -WarningVariable w -WarningAction SilentlyContinue
                $command = ("$w" -split 'To normalize it: ')[1]
                $command | Should -Match '^Rename-NexusMetadata '
                $store = Connect-NexusStore $cs2 -NoDefault
                try {
                    Invoke-Expression "$command -Store `$store -Confirm:`$false"
                    $t = Get-TenantOf $cs2 '/x/y'
                    (Get-NexusMetadata -Store $store -Tenant $t -Path /x/y).Size | Should -Be 4
                }
                finally { Disconnect-NexusStore $store }
            }
            finally { Remove-TestDatabase -ConnectionString $cs2 }
        }
    }

    Context 'timestamp-like strings round-trip byte for byte' {
        BeforeAll {
            $cs = New-StoreByOriginalSystem -Dialect $Dialect
            $written = [ordered]@{
                iso    = '"2024-03-01T08:30:15.5Z"'
                python = '"2024-03-01 08:30:15.123456"'
                deep   = '{"at": "2024-03-01T08:30:15Z", "n": [1, "2024-01-01T00:00:00Z"]}'
            }
            $ops = @(@{ op = 'put'; path = '/t'; size = 1 })
            foreach ($k in $written.Keys) { $ops += @{ op = 'set'; path = '/t'; key = $k; value_json = $written[$k] } }
            (Invoke-OriginalOps $cs $ops) | Where-Object { $_.PSObject.Properties['error'] } | Should -BeNullOrEmpty
            $null = Invoke-Adoption $cs -WarningAction SilentlyContinue
            $tenant = Get-TenantOf $cs '/t'
            $valueText = if ($Dialect -eq 'sqlite') { 'value' } else { 'value::text' }
            function Get-StoredText([string] $Key) { Invoke-TestSql $cs "SELECT $valueText FROM file_metadata WHERE key = '$Key'" }
        }
        AfterAll { Remove-TestDatabase -ConnectionString $cs }

        It 'comes back as DateTime by default (documented), and -DateKind String keeps the text at any depth' {
            $store = Connect-NexusStore $cs -NoDefault
            try {
                Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key iso | Should -BeOfType [datetime]
                Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key iso -DateKind String | Should -BeExactly '2024-03-01T08:30:15.5Z'
                $all = Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -DateKind String
                $all.deep.at | Should -BeExactly '2024-03-01T08:30:15Z'
                $all.deep.n[1] | Should -BeExactly '2024-01-01T00:00:00Z'
                $all.python | Should -BeExactly '2024-03-01 08:30:15.123456'
            }
            finally { Disconnect-NexusStore $store }
        }

        It 'a value read with -DateKind String and written back keeps its stored text; the original reads it unchanged' {
            $before = @{ iso = Get-StoredText iso; python = Get-StoredText python }
            $store = Connect-NexusStore $cs -NoDefault
            try {
                foreach ($key in 'iso', 'python', 'deep') {
                    $value = Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key $key -DateKind String
                    Set-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key $key -Value $value -Confirm:$false
                }
                $deep = Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key deep -DateKind String
            }
            finally { Disconnect-NexusStore $store }
            Get-StoredText iso | Should -BeExactly $before.iso
            Get-StoredText python | Should -BeExactly $before.python
            $deep.at | Should -BeExactly '2024-03-01T08:30:15Z'
            $deep.n[1] | Should -BeExactly '2024-01-01T00:00:00Z'
            $r = Invoke-OriginalOps $cs @('iso', 'python', 'deep' | ForEach-Object { @{ op = 'getattr'; path = '/t'; key = $_ } })
            $r[0].value_json | Should -BeExactly $written.iso
            $r[1].value_json | Should -BeExactly $written.python
            ConvertTo-Canonical (ConvertFrom-OriginalJson $r[2].value_json) | Should -Be (ConvertTo-Canonical (ConvertFrom-OriginalJson $written.deep))
        }

        It 'without -DateKind String the written-back DateTime changes the text (why the switch exists)' {
            $store = Connect-NexusStore $cs -NoDefault
            try {
                $value = Get-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key iso
                Set-NexusAttribute -Store $store -Tenant $tenant -Path /t -Key iso -Value $value -Confirm:$false
            }
            finally { Disconnect-NexusStore $store }
            Get-StoredText iso | Should -Not -Be $written.iso
        }
    }

    Context 'an original SQLite file opened without writing' {
        It 'is not changed by Connect-NexusStore; it goes to WAL when adopted, and -Verbose says so' -Skip:($Dialect -ne 'sqlite') {
            $cs = New-FilledOriginalStore $Dialect
            try {
                $file = $cs -replace '^sqlite:///', ''
                function Get-JournalModeByte { $bytes = [System.IO.File]::ReadAllBytes($file); $bytes[18] }  # 1 rollback journal, 2 WAL
                $hash = (Get-FileHash -LiteralPath $file).Hash
                Get-JournalModeByte | Should -Be 1
                $store = Connect-NexusStore $cs -NoDefault -WarningAction SilentlyContinue
                try { $null = Get-NexusMigration -Store $store -WarningAction SilentlyContinue }
                finally { Disconnect-NexusStore $store }
                (Get-FileHash -LiteralPath $file).Hash | Should -Be $hash
                Get-JournalModeByte | Should -Be 1
                Test-Path -LiteralPath "$file-wal" | Should -BeFalse

                $log = Invoke-NexusMigration -ConnectionString $cs -Adopt -Confirm:$false -Verbose -WarningAction SilentlyContinue 4>&1
                ($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Switched .* to WAL journal mode now that it is migrated'
                Get-JournalModeByte | Should -Be 2
                (Invoke-OriginalOps $cs @(@{ op = 'getattr'; path = '/docs/a.txt'; key = 'author' }))[0].value_json | Should -Be '"alice"'
            }
            finally { Remove-TestDatabase -ConnectionString $cs }
        }
    }

    Context 'NaN, Infinity and -Infinity the original wrote' {
        BeforeAll {
            function New-NonFiniteStore {
                $cs = New-StoreByOriginalSystem -Dialect $Dialect
                (Invoke-OriginalOps $cs @(
                    @{ op = 'put'; path = '/n/a'; size = 1 }
                    @{ op = 'put'; path = '/n/b'; size = 1 }
                    @{ op = 'set'; path = '/n/a'; key = 'k1'; value_json = '{"x": NaN, "y": [Infinity, -Infinity], "s": "NaN stays a word"}' }
                    @{ op = 'set'; path = '/n/b'; key = 'k2'; value_json = 'Infinity' }
                    @{ op = 'set'; path = '/n/b'; key = 'fine'; value_json = '1.5' })) | Where-Object { $_.PSObject.Properties['error'] } | Should -BeNullOrEmpty
                Invoke-TestSql $cs "SELECT value FROM file_metadata WHERE key = 'k2'" | Should -Be 'Infinity'
                $cs
            }
        }

        It 'by default adoption refuses, naming every path and key, and changes nothing' {
            $cs = New-NonFiniteStore
            try {
                $before = Get-SchemaSnapshot $cs
                $err = $null
                try { Invoke-Adoption $cs } catch { $err = $_ }
                $err | Should -Not -BeNullOrEmpty
                $err.Exception.Message | Should -Match "2 attribute value\(s\).*NaN, Infinity or -Infinity.*nothing was changed: '/n/a' \(tenant '[^']+'\) key 'k1'; '/n/b' \(tenant '[^']+'\) key 'k2'\..*-NonFiniteNumbers AsString"
                $err.CategoryInfo.Category | Should -Be 'InvalidData'
                Get-SchemaSnapshot $cs | Should -Be $before
                (Invoke-OriginalOps $cs @(@{ op = 'getattr'; path = '/n/b'; key = 'k2' }))[0].value_json | Should -Be 'Infinity'
            }
            finally { Remove-TestDatabase -ConnectionString $cs }
        }

        It '-NonFiniteNumbers AsString stores them as JSON strings, reporting each path and key' {
            $cs = New-NonFiniteStore
            try {
                $null = Invoke-Adoption $cs @{ KeepOriginalTypes = $true; NonFiniteNumbers = 'AsString' } -WarningVariable w -WarningAction SilentlyContinue
                $changed = @($w | ForEach-Object { "$_" } | Where-Object { $_ -match 'NonFiniteNumbers AsString' })
                $changed.Count | Should -Be 2
                $changed[0] | Should -Match "^Attribute 'k1' of '/n/a' \(tenant '[^']+'\) held 3 NaN/Infinity/-Infinity"
                $changed[1] | Should -Match "^Attribute 'k2' of '/n/b'"
                $store = Connect-NexusStore $cs -NoDefault
                try {
                    $a = Get-NexusAttribute -Store $store -Tenant (Get-TenantOf $cs '/n/a') -Path /n/a
                    $a.k1.x | Should -BeExactly 'NaN'
                    $a.k1.y | Should -Be @('Infinity', '-Infinity')
                    $a.k1.s | Should -BeExactly 'NaN stays a word'
                    $b = Get-NexusAttribute -Store $store -Tenant (Get-TenantOf $cs '/n/b') -Path /n/b
                    $b.k2 | Should -BeExactly 'Infinity'
                    $b.fine | Should -Be 1.5
                }
                finally { Disconnect-NexusStore $store }
                (Invoke-OriginalOps $cs @(@{ op = 'getattr'; path = '/n/b'; key = 'k2' }))[0].value_json | Should -Be '"Infinity"'
            }
            finally { Remove-TestDatabase -ConnectionString $cs }
        }
    }
}
