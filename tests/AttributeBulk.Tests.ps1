# Issue 14 (attribute writes in bulk, attribute queries at scale): piped Set-/Remove-NexusAttribute
# are written in batched transactions with per-item errors, pipeline order and last-write-wins;
# objects with an Attributes dictionary bind by property name; Get-NexusMetadata -Attribute
# uses an index and answers as jsonb containment does, on SQLite and PostgreSQL.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
}

Describe 'Attribute writes in bulk on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        1..12 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/$_" } } | Set-NexusMetadata
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'stores a piped batch in few transactions (one per batch, not per item)' {
        1..12 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/$_"; Key = 'n'; Value = $_ } } | Set-NexusAttribute
        (1..12 | ForEach-Object { Get-NexusAttribute -Path "/bulk/$_" -Key 'n' }) | Should -Be (1..12)
        # One transaction stamps every row of its batch with the same time; one per item would not.
        [int](Invoke-TestSql $cs "SELECT count(DISTINCT updated_at) FROM file_metadata WHERE key = 'n'") | Should -Be 1
    }

    It 'keeps pipeline order for -PassThru, and each output shows the record right after its own item' {
        $out = @(
            [pscustomobject]@{ Path = '/bulk/2'; Key = 'p'; Value = 'first' }
            [pscustomobject]@{ Path = '/bulk/1'; Key = 'p'; Value = 'one' }
            [pscustomobject]@{ Path = '/bulk/2'; Key = 'p'; Value = 'second' }
        ) | Set-NexusAttribute -PassThru
        $out.Count | Should -Be 3
        $out[0].p | Should -Be 'first'
        $out[1].p | Should -Be 'one'
        $out[2].p | Should -Be 'second'
    }

    It 'lets the last write win for a (path, key) repeated within one batch' {
        1..5 | ForEach-Object { [pscustomobject]@{ Path = '/bulk/3'; Key = 'last'; Value = $_ } } | Set-NexusAttribute
        Get-NexusAttribute -Path '/bulk/3' -Key 'last' | Should -Be 5
        @{ a = 1 }, @{ a = 2 } | ForEach-Object { [pscustomobject]@{ Path = '/bulk/3'; Attributes = $_ } } | Set-NexusAttribute
        Get-NexusAttribute -Path '/bulk/3' -Key 'a' | Should -Be 2
    }

    It 'reports a bad key, a bad value and a missing record as errors for those items and stores the rest' {
        $items = @(
            [pscustomobject]@{ Path = '/bulk/4'; Key = 'ok1'; Value = 1 }
            [pscustomobject]@{ Path = '/bulk/4'; Key = ''; Value = 2 }
            [pscustomobject]@{ Path = '/bulk/4'; Key = 'badvalue'; Value = [double]::NaN }
            [pscustomobject]@{ Path = '/bulk/missing'; Key = 'k'; Value = 3 }
            [pscustomobject]@{ Path = '/bulk/5'; Key = 'ok2'; Value = 4 }
        )
        $out = $items | Set-NexusAttribute -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 3
        $err[2].Exception.Message | Should -Match '/bulk/missing'
        $err[2].TargetObject | Should -Be '/bulk/missing'
        $err[2].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $out.Count | Should -Be 2
        Get-NexusAttribute -Path '/bulk/4' -Key 'ok1' | Should -Be 1
        Get-NexusAttribute -Path '/bulk/5' -Key 'ok2' | Should -Be 4
        (Get-NexusAttribute -Path '/bulk/4').PSObject.Properties.Name | Should -Not -Contain 'badvalue'
    }

    It 'reports the missing record in pipeline order between the outputs of the items around it' {
        $events = @(
            [pscustomobject]@{ Path = '/bulk/6'; Key = 'o'; Value = 1 }
            [pscustomobject]@{ Path = '/bulk/nothere'; Key = 'o'; Value = 2 }
            [pscustomobject]@{ Path = '/bulk/7'; Key = 'o'; Value = 3 }
        ) | Set-NexusAttribute -PassThru -ErrorAction Continue 2>&1
        $events.Count | Should -Be 3
        $events[0].o | Should -Be 1
        $events[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $events[2].o | Should -Be 3
    }

    It 'changes nothing under -WhatIf and asks per item' {
        1..3 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/8"; Key = "w$_"; Value = $_ } } | Set-NexusAttribute -WhatIf
        (Get-NexusAttribute -Path '/bulk/8').PSObject.Properties.Name | Should -Not -Contain 'w1'
    }

    It 'binds piped objects with an Attributes dictionary by property name' {
        @(
            [pscustomobject]@{ Path = '/bulk/9'; Attributes = @{ owner = 'ops'; size = 3 } }
            [pscustomobject]@{ Path = '/bulk/10'; Attributes = [ordered]@{ owner = 'dev' } }
        ) | Set-NexusAttribute -ErrorVariable err
        $err.Count | Should -Be 0
        Get-NexusAttribute -Path '/bulk/9' -Key 'owner' | Should -Be 'ops'
        Get-NexusAttribute -Path '/bulk/9' -Key 'size' | Should -Be 3
        Get-NexusAttribute -Path '/bulk/10' -Key 'owner' | Should -Be 'dev'
    }

    It 'keeps an Attributes item all-or-none when one of its values is bad' {
        [pscustomobject]@{ Path = '/bulk/11'; Attributes = @{ good = 1; bad = [double]::PositiveInfinity } } |
            Set-NexusAttribute -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        (Get-NexusAttribute -Path '/bulk/11').PSObject.Properties.Name | Should -Not -Contain 'good'
    }

    It 'removes piped attributes in batches with per-item errors for missing keys and records' {
        1..4 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/12"; Key = "r$_"; Value = $_ } } | Set-NexusAttribute
        $null = @(
            [pscustomobject]@{ Path = '/bulk/12'; Key = 'r1' }
            [pscustomobject]@{ Path = '/bulk/12'; Key = 'r1' }
            [pscustomobject]@{ Path = '/bulk/none'; Key = 'r2' }
            [pscustomobject]@{ Path = '/bulk/12'; Key = @('r2', 'r3') }
        ) | Remove-NexusAttribute -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 2
        $err[0].TargetObject | Should -Be 'r1'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[1].TargetObject | Should -Be '/bulk/none'
        (Get-NexusAttribute -Path '/bulk/12').PSObject.Properties.Name | Should -Be @('n', 'r4')
    }

    It 'leaves attributes alone under Remove-NexusAttribute -WhatIf' {
        Set-NexusAttribute -Path '/bulk/1' -Key 'keep' -Value 1
        [pscustomobject]@{ Path = '/bulk/1'; Key = 'keep' } | Remove-NexusAttribute -WhatIf
        Get-NexusAttribute -Path '/bulk/1' -Key 'keep' | Should -Be 1
    }

    It 'stores a bulk pipeline larger than one batch' {
        $paths = 1..6000 | ForEach-Object { "/many/$_" }
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_; Key = 'i'; Value = 1 } } | Set-NexusAttribute
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'i'") | Should -Be 6000
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_; Key = 'i' } } | Remove-NexusAttribute
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'i'") | Should -Be 0
    }
}

Describe 'Attribute queries by index on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        $long = 'x' * 600
        $values = [ordered]@{
            '/q/s-ops' = 'ops'; '/q/arr' = @('ops', 'x'); '/q/obj' = @{ a = @{ b = 1 }; c = @(1, 2) }
            '/q/n1' = 1; '/q/d1' = 1.5; '/q/s1' = '1'; '/q/t' = $true; '/q/f' = $false; '/q/null' = $null; '/q/long' = $long
        }
        $values.Keys | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata
        $values.Keys | ForEach-Object { [pscustomobject]@{ Path = $_; Key = 'owner'; Value = $values[$_] } } | Set-NexusAttribute
        # Text another writer may have left (SQLite keeps it as written; jsonb normalizes it).
        $raw = [ordered]@{
            '/q/s-ops-space' = '"ops" '; '/q/s-ops-escaped' = '"\u006fps"'; '/q/n1.0' = '1.0'; '/q/n1e0' = '1e0'
            '/q/cafe' = '"caf\u00e9"'; '/q/neg0' = '-0'; '/q/arr-spaced' = ' [ "ops" ]'
        }
        $raw.Keys | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata
        $cast = if ($Dialect -eq 'postgres') { '::jsonb' } else { '' }
        $i = 0
        foreach ($path in $raw.Keys) {
            $i++
            Invoke-TestSql $cs ("INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) " +
                "SELECT '70000000-0000-4000-8000-{0:d12}', path_id, 'owner', '{1}'$cast, created_at, created_at FROM file_paths WHERE virtual_path = '{2}'" -f $i, $raw[$path], $path) | Out-Null
        }

        function Find([object] $Value) {
            @(Get-NexusMetadata -Attribute @{ owner = $Value } | ForEach-Object Path | Sort-Object)
        }
        function Get-ListPlan([hashtable] $Attribute) {
            # The module loads Nexus.Core in its own context: reach its types through the store's assembly.
            $core = $store.GetType().Assembly
            $query = $core.GetType('Nexus.Core.Store.FileQuery')::new()
            $pair = [System.Collections.Generic.KeyValuePair[string, string]]
            $query.Attributes = [System.Collections.Generic.KeyValuePair[string, string][]]@(
                foreach ($key in $Attribute.Keys) { $pair::new($key, $Attribute[$key]) })
            $core.GetType('Nexus.Core.Engines.MetadataStore')::new($store).ExplainList($query)
        }
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'finds <Name> as containment does' -ForEach @(
        @{ Name = 'a string, in canonical and other text, and in an array'; Value = 'ops'; Expect = '/q/arr', '/q/arr-spaced', '/q/s-ops', '/q/s-ops-escaped', '/q/s-ops-space' }
        @{ Name = 'an array element'; Value = 'x'; Expect = , '/q/arr' }
        @{ Name = 'a sub-array (arrays only)'; Value = @('ops'); Expect = '/q/arr', '/q/arr-spaced' }
        @{ Name = 'a nested object'; Value = @{ a = @{ b = 1 } }; Expect = , '/q/obj' }
        @{ Name = 'a nested array element'; Value = @{ c = @(2) }; Expect = , '/q/obj' }
        @{ Name = 'the integer 1 (= 1.0 = 1e0)'; Value = 1; Expect = '/q/n1', '/q/n1.0', '/q/n1e0' }
        @{ Name = 'the number 1.0 (= 1)'; Value = 1.0; Expect = '/q/n1', '/q/n1.0', '/q/n1e0' }
        @{ Name = 'a decimal'; Value = 1.5; Expect = , '/q/d1' }
        @{ Name = 'the string "1" (not the number)'; Value = '1'; Expect = , '/q/s1' }
        @{ Name = 'zero (= -0)'; Value = 0; Expect = , '/q/neg0' }
        @{ Name = 'true (not 1)'; Value = $true; Expect = , '/q/t' }
        @{ Name = 'false'; Value = $false; Expect = , '/q/f' }
        @{ Name = 'null'; Value = $null; Expect = , '/q/null' }
        @{ Name = 'escaped non-ASCII text'; Value = 'café'; Expect = , '/q/cafe' }
        @{ Name = 'a long string (outside the equality index)'; Value = ('x' * 600); Expect = , '/q/long' }
        @{ Name = 'nothing for a case-different string'; Value = 'OPS'; Expect = @() }
    ) {
        Find $Value | Should -Be @($Expect | Sort-Object)
    }

    It 'plans an attribute search on indexes, not a scan of every attribute row' {
        # Enough rows that a planner with statistics prefers an index over reading the table.
        if ($Dialect -eq 'postgres') {
            Invoke-TestSql $cs "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at, current_version) SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000000', '/fill/' || i, 'local', '', 0, now(), now(), 1 FROM generate_series(1, 20000) i" | Out-Null
            Invoke-TestSql $cs "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) SELECT gen_random_uuid(), path_id, 'owner', to_jsonb('team-' || (size_bytes + length(virtual_path))), now(), now() FROM file_paths WHERE virtual_path LIKE '/fill/%'" | Out-Null
            Invoke-TestSql $cs 'ANALYZE' | Out-Null
        }
        else {
            Invoke-TestSql $cs "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000) INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at, current_version) SELECT printf('fill-%d', i), '00000000-0000-0000-0000-000000000000', '/fill/' || i, 'local', '', 0, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 1 FROM c" | Out-Null
            Invoke-TestSql $cs "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) SELECT 'm-' || path_id, path_id, 'owner', json_quote('team-' || virtual_path), created_at, created_at FROM file_paths WHERE virtual_path LIKE '/fill/%'" | Out-Null
            Invoke-TestSql $cs 'ANALYZE' | Out-Null
        }
        $plan = (Get-ListPlan @{ owner = '"ops"' }) -join "`n"
        if ($Dialect -eq 'postgres') {
            $plan | Should -Match 'idx_file_metadata_key_value_gin'
            $plan | Should -Not -Match 'Seq Scan on file_metadata'
        }
        else {
            $plan | Should -Match 'idx_file_metadata_key_scalar \(key=\? AND value=\?\)'
            $plan | Should -Match 'idx_file_metadata_key_other \(key=\?\)'
            $plan | Should -Not -Match 'SCAN m\b'
        }
        # Nested containment is narrowed by key (SQLite) or answered by the key/value GIN index (PostgreSQL).
        $nested = (Get-ListPlan @{ owner = '{"a":{"b":1}}' }) -join "`n"
        $nested | Should -Match $(if ($Dialect -eq 'postgres') { 'idx_file_metadata_key_value_gin' } else { 'idx_file_metadata_key_other \(key=\?\)' })
        Find 'ops' | Should -Be @('/q/arr', '/q/arr-spaced', '/q/s-ops', '/q/s-ops-escaped', '/q/s-ops-space')
    }
}
