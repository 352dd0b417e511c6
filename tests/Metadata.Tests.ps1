# Issue 3: file records — Set/Get/Test/Remove/Rename-NexusMetadata on SQLite and PostgreSQL,
# with identical expectations: fields, upsert, prefix order, wildcards, paging, soft delete and
# purge, rename, path and tenant rules, hostile input, bulk batches and pipeline stop.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/PromptHost.psm1" -Force
    $null = Import-NexusModuleForTest
    function Count-Rows([string] $Where = '1=1') {
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_paths WHERE $Where")
    }
}

Describe 'File records on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    Context 'storing and reading' {
        It 'stores a record with every field and reads it back typed, timestamps in UTC' {
            $r = Set-NexusMetadata -Path '/f/one.txt' -BackendName s3 -PhysicalPath 'bucket/one' -Size 42 -ETag 'abc123' -MimeType 'text/plain' -PassThru
            $r.GetType().FullName | Should -Be 'Nexus.Core.Store.FileRecord'
            $g = Get-NexusMetadata -Path '/f/one.txt'
            $g.Path | Should -Be '/f/one.txt'
            $g.BackendName | Should -Be 's3'
            $g.PhysicalPath | Should -Be 'bucket/one'
            $g.Size | Should -Be 42
            $g.ETag | Should -Be 'abc123'
            $g.MimeType | Should -Be 'text/plain'
            $g.Version | Should -Be 1
            $g.Tenant | Should -Be '00000000-0000-0000-0000-000000000000'
            $g.DeletedAt | Should -BeNullOrEmpty
            $g.CreatedAt.Kind | Should -Be 'Utc'
            $g.CreatedAt | Should -Be $r.CreatedAt
            ([datetime]::UtcNow - $g.CreatedAt).TotalMinutes | Should -BeLessThan 5
        }

        It 'updates in place: Version and ModifiedAt go up, CreatedAt stays' {
            $before = Get-NexusMetadata -Path '/f/one.txt'
            Start-Sleep -Milliseconds 20
            $after = Set-NexusMetadata -Path '/f/one.txt' -Size 43 -PassThru
            $after.Version | Should -Be 2
            $after.CreatedAt | Should -Be $before.CreatedAt
            $after.ModifiedAt | Should -BeGreaterThan $before.ModifiedAt
            (Get-NexusMetadata -Path '/f/one.txt').Size | Should -Be 43
            Count-Rows "virtual_path = '/f/one.txt'" | Should -Be 1
        }

        It 'binds piped objects by property name (pscustomobject, CSV rows, files)' {
            $rows = @'
Path,Size,ETag,MimeType,BackendName
/csv/a.txt,10,h1,text/plain,local
/csv/b.txt,20,h2,text/csv,local
'@ | ConvertFrom-Csv
            $rows | Set-NexusMetadata
            (Get-NexusMetadata -Path '/csv/b.txt').Size | Should -Be 20
            (Get-NexusMetadata -Path '/csv/b.txt').MimeType | Should -Be 'text/csv'
            $file = Get-Item $PSCommandPath
            $passed = @($file | Set-NexusMetadata -Path { "/files/$($_.Name)" } -PassThru)
            $passed.Count | Should -Be 1 -Because 'one piped file gives one record'
            $passed[0].Path | Should -Be "/files/$($file.Name)"
            $passed[0].Size | Should -Be $file.Length
            $passed[0].PhysicalPath | Should -Be $file.FullName
            $stored = Get-NexusMetadata -Path "/files/$($file.Name)"
            $stored.Size | Should -Be $file.Length
            $stored.PhysicalPath | Should -Be $file.FullName
        }

        It 'copies records from one store into another through the pipeline' {
            $otherCs = New-TestDatabase -Dialect $Dialect
            try {
                $other = Connect-StoreForTest $otherCs -NoDefault
                Get-NexusMetadata -Prefix '/csv/' | Set-NexusMetadata -Store $other
                $copied = Get-NexusMetadata -Store $other -Prefix '/'
                $copied.Path | Should -Be @('/csv/a.txt', '/csv/b.txt')
                $copied[1].ETag | Should -Be 'h2'
                Disconnect-NexusStore -Store $other
            }
            finally { Remove-TestDatabase -ConnectionString $otherCs }
        }

        It 'a missing path is a non-terminating ObjectNotFound error naming it; the rest still come' {
            $out = Get-NexusMetadata -Path '/f/one.txt', '/missing/x', '/csv/a.txt' -ErrorVariable err -ErrorAction SilentlyContinue
            $out.Path | Should -Be @('/f/one.txt', '/csv/a.txt')
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].FullyQualifiedErrorId | Should -Be 'Nexus.NotFound,Nexus.PowerShell.GetNexusMetadataCommand'
            $err[0].TargetObject | Should -Be '/missing/x'
            $err[0].Exception.Message | Should -BeLike "*'/missing/x'*"
        }

        It 'wildcards match case-sensitively, and a wildcard that matches nothing is silent' {
            (Get-NexusMetadata -Path '/csv/?.txt').Path | Should -Be @('/csv/a.txt', '/csv/b.txt')
            (Get-NexusMetadata -Path '/csv/[b-c]*').Path | Should -Be @('/csv/b.txt')
            Get-NexusMetadata -Path '/CSV/*' -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 0
        }

        It 'a path that holds wildcard characters is found with -LiteralPath or an escaped -Path (-Path is a pattern)' {
            Set-NexusMetadata -Path '/w/a[1].txt'
            Set-NexusMetadata -Path '/w/a1.txt'
            (Get-NexusMetadata -Path '/w/a[1].txt').Path | Should -Be '/w/a1.txt'
            (Get-NexusMetadata -LiteralPath '/w/a[1].txt').Path | Should -Be '/w/a[1].txt'
            (Get-NexusMetadata -Path '/w/a`[1`].txt').Path | Should -Be '/w/a[1].txt'
        }

        It 'Test-NexusMetadata answers $true/$false, with wildcards too' {
            Test-NexusMetadata -Path '/f/one.txt' | Should -BeTrue
            Test-NexusMetadata -Path '/f/none.txt' | Should -BeFalse
            Test-NexusMetadata -Path '/csv/*.txt' | Should -BeTrue
            Test-NexusMetadata -Path '/zzz/*' | Should -BeFalse
            ('/f/one.txt', '/nope' | Test-NexusMetadata) | Should -Be @($true, $false)
        }
    }

    Context 'listing by prefix' {
        BeforeAll {
            # Byte order, whatever the database's collation: 'B' < '_' < 'a' < '~' < 'é' < '中' < emoji.
            $script:ordered = @('/p/B', '/p/_x', '/p/a%', '/p/a_b', '/p/ab', '/p/~', '/p/é', '/p/中', '/p/😀')
            $ordered | Get-Random -Count $ordered.Count | ForEach-Object { Set-NexusMetadata -Path $_ }
            Set-NexusMetadata -Path '/pq/outside'
            Set-NexusMetadata -Path '/p' # the prefix itself is not a folder
        }

        It 'lists in ordinal (byte-wise) order' {
            (Get-NexusMetadata -Prefix '/p/').Path | Should -Be $ordered
        }

        It 'treats % and _ in a prefix as ordinary characters' {
            (Get-NexusMetadata -Prefix '/p/a%').Path | Should -Be @('/p/a%')
            (Get-NexusMetadata -Prefix '/p/a_').Path | Should -Be @('/p/a_b')
            (Get-NexusMetadata -Prefix '/p/_').Path | Should -Be @('/p/_x')
        }

        It 'is a plain text prefix ("/p" also matches "/pq/…")' {
            (Get-NexusMetadata -Prefix '/p').Path | Should -Contain '/pq/outside'
        }

        It 'pages with -First and -Skip' {
            (Get-NexusMetadata -Prefix '/p/' -First 3).Path | Should -Be $ordered[0..2]
            (Get-NexusMetadata -Prefix '/p/' -Skip 7).Path | Should -Be $ordered[7..8]
            (Get-NexusMetadata -Prefix '/p/' -Skip 2 -First 2).Path | Should -Be $ordered[2..3]
        }

        It 'reports a total count with -IncludeTotalCount' {
            $out = @(Get-NexusMetadata -Prefix '/p/' -First 1 -IncludeTotalCount)
            $out.Count | Should -Be 2 -Because 'the total count, then the one record of the page'
            $out[0].PSObject.BaseObject | Should -BeOfType [uint64]
            $out[0].PSObject.BaseObject | Should -Be $ordered.Count
            $out[0].Accuracy | Should -Be 1.0
            $out[1].Path | Should -Be $ordered[0]
        }

        It 'refuses a relative prefix with InvalidArgument' {
            Get-NexusMetadata -Prefix 'p/' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'removing' {
        BeforeEach {
            '/r/a', '/r/b', '/r/c' | ForEach-Object { Set-NexusMetadata -Path $_ }
        }
        AfterEach {
            Remove-NexusMetadata -Path '/r/*' -Purge -Confirm:$false -ErrorAction SilentlyContinue
        }

        It 'soft-deletes: the row stays with DeletedAt, Get and Test no longer see it' {
            Remove-NexusMetadata -Path '/r/a'
            Test-NexusMetadata -Path '/r/a' | Should -BeFalse
            Test-NexusMetadata -Path '/r/a' -IncludeDeleted | Should -BeTrue
            $d = Get-NexusMetadata -Path '/r/a' -IncludeDeleted
            $d.DeletedAt | Should -Not -BeNullOrEmpty
            $d.DeletedAt.Kind | Should -Be 'Utc'
            (Get-NexusMetadata -Prefix '/r/').Path | Should -Be @('/r/b', '/r/c')
            (Get-NexusMetadata -Prefix '/r/' -IncludeDeleted).Path | Should -Be @('/r/a', '/r/b', '/r/c')
            Count-Rows "virtual_path = '/r/a' AND deleted_at IS NOT NULL" | Should -Be 1
        }

        It 'storing a soft-deleted path again brings it back with a new version' {
            Remove-NexusMetadata -Path '/r/a'
            $r = Set-NexusMetadata -Path '/r/a' -Size 5 -PassThru
            $r.Version | Should -Be 2
            (Get-NexusMetadata -Path '/r/a').DeletedAt | Should -BeNullOrEmpty
        }

        It '-Purge removes the row and its attributes for good' {
            Set-NexusAttribute -Path '/r/b' -Key k -Value 1
            Remove-NexusMetadata -Path '/r/b' -Purge -Confirm:$false
            Count-Rows "virtual_path = '/r/b'" | Should -Be 0
            [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'k'") | Should -Be 0
        }

        It '-WhatIf changes nothing' {
            Remove-NexusMetadata -Path '/r/a' -WhatIf
            Remove-NexusMetadata -Path '/r/*' -Purge -WhatIf
            Count-Rows "virtual_path LIKE '/r/%' AND deleted_at IS NULL" | Should -Be 3
        }

        It 'removes records piped from Get-NexusMetadata, and wildcard matches' {
            Get-NexusMetadata -Path '/r/a', '/r/b' | Remove-NexusMetadata
            (Get-NexusMetadata -Prefix '/r/').Path | Should -Be @('/r/c')
            Remove-NexusMetadata -Path '/r/*' -Purge -Confirm:$false
            Count-Rows "virtual_path LIKE '/r/%'" | Should -Be 0
        }

        It 'a missing path is ObjectNotFound, the others are still removed' {
            Remove-NexusMetadata -Path '/r/a', '/r/nope', '/r/b' -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be '/r/nope'
            (Get-NexusMetadata -Prefix '/r/').Path | Should -Be @('/r/c')
        }

        It 'declares high impact for -Purge: it asks when $ConfirmPreference is High' {
            # The cmdlet declares Medium, so a soft delete does not ask at the default
            # $ConfirmPreference (High); -Purge raises its own High-impact question.
            $declared = (Get-Command Remove-NexusMetadata).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)
            $declared.Count | Should -Be 1
            $declared[0].SupportsShouldProcess | Should -BeTrue
            $declared[0].ConfirmImpact | Should -Be 'Medium'
            $remove = {
                param($cs, $purge)
                $store = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                try { $ConfirmPreference; Remove-NexusMetadata -Path '/r/a' -Purge:$purge }
                finally { Disconnect-NexusStore -Store $store }
            }
            $expectedPrompt = 'Confirm|Purge file record and its attributes on target "/r/a"? This cannot be undone.'

            $declined = Invoke-WithPromptHost -Answer No -ArgumentList $cs, $true -ScriptBlock $remove
            $declined.Failure | Should -BeNullOrEmpty
            $declined.Errors | Should -BeNullOrEmpty
            $declined.Output | Should -Be 'High' -Because 'the prompt must come at the default $ConfirmPreference'
            $declined.Prompts | Should -Be @($expectedPrompt)
            Count-Rows "virtual_path = '/r/a' AND deleted_at IS NULL" | Should -Be 1 -Because 'the purge was declined'

            $accepted = Invoke-WithPromptHost -Answer Yes -ArgumentList $cs, $true -ScriptBlock $remove
            $accepted.Failure | Should -BeNullOrEmpty
            $accepted.Errors | Should -BeNullOrEmpty
            $accepted.Prompts | Should -Be @($expectedPrompt)
            Count-Rows "virtual_path = '/r/a'" | Should -Be 0 -Because 'the purge was confirmed'

            $soft = Invoke-WithPromptHost -Answer No -ArgumentList $cs, $false -ScriptBlock {
                param($cs, $purge)
                $store = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                try { Remove-NexusMetadata -Path '/r/b' -Purge:$purge }
                finally { Disconnect-NexusStore -Store $store }
            }
            $soft.Failure | Should -BeNullOrEmpty
            $soft.Errors | Should -BeNullOrEmpty
            $soft.Prompts | Should -BeNullOrEmpty -Because 'a soft delete is medium impact'
            Count-Rows "virtual_path = '/r/b' AND deleted_at IS NOT NULL" | Should -Be 1
        }
    }

    Context 'renaming' {
        It 'moves a record with its attributes in one go; Version goes up' {
            Set-NexusMetadata -Path '/mv/old' -Size 7
            Set-NexusAttribute -Path '/mv/old' -Key colour -Value 'blue'
            $m = Rename-NexusMetadata -Path '/mv/old' -NewPath '/mv/new' -PassThru
            $m.Path | Should -Be '/mv/new'
            $m.Version | Should -Be 2
            Test-NexusMetadata '/mv/old' -IncludeDeleted | Should -BeFalse
            Get-NexusAttribute -Path '/mv/new' -Key colour | Should -Be 'blue'
        }

        It 'refuses to overwrite an existing path without -Force (ResourceExists), replaces it with -Force' {
            Set-NexusMetadata -Path '/mv/src' -Size 1
            Set-NexusMetadata -Path '/mv/dst' -Size 2
            Set-NexusAttribute -Path '/mv/dst' -Key old -Value 'x'
            Rename-NexusMetadata -Path '/mv/src' -NewPath '/mv/dst' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            (Get-NexusMetadata '/mv/dst').Size | Should -Be 2
            Test-NexusMetadata '/mv/src' | Should -BeTrue

            Rename-NexusMetadata -Path '/mv/src' -NewPath '/mv/dst' -Force
            (Get-NexusMetadata '/mv/dst').Size | Should -Be 1
            Test-NexusMetadata '/mv/src' | Should -BeFalse
            @((Get-NexusAttribute -Path '/mv/dst').PSObject.Properties).Count | Should -Be 0
        }

        It 'a missing source is ObjectNotFound' {
            Rename-NexusMetadata -Path '/mv/ghost' -NewPath '/mv/x' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'paths, tenants and hostile input' {
        It 'refuses <Name> with InvalidArgument naming it' -ForEach @(
            @{ Name = 'a relative path'; Path = 'relative/x' }, @{ Name = '//'; Path = '/a//b' }, @{ Name = 'a . segment'; Path = '/a/./b' },
            @{ Name = 'a .. segment'; Path = '/a/../b' }, @{ Name = 'a trailing /'; Path = '/a/' }, @{ Name = 'just /'; Path = '/' },
            @{ Name = 'an empty path'; Path = '' }, @{ Name = 'a tab'; Path = "/a`tb" }, @{ Name = 'a newline'; Path = "/a`nb" },
            @{ Name = 'a NUL'; Path = "/a$([char]0)b" }, @{ Name = 'DEL'; Path = "/a$([char]0x7f)b" }
        ) {
            Set-NexusMetadata -Path $Path -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].FullyQualifiedErrorId | Should -Be 'Nexus.InvalidArgument,Nexus.PowerShell.SetNexusMetadataCommand'
            $err[0].TargetObject | Should -Be $Path
            Get-NexusMetadata -Path $Path -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'round-trips SQL and LIKE metacharacters as ordinary characters' {
            $paths = @("/h/it's", '/h/a"b', '/h/x;DROP TABLE file_paths;--', '/h/100%', '/h/a_b', '/h/back\slash', '/h/sp ace', '/h/%')
            $paths | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata
            foreach ($p in $paths) { (Get-NexusMetadata -Path $p).Path | Should -BeExactly $p }
            (Get-NexusMetadata -Prefix '/h/').Count | Should -Be $paths.Count
            Count-Rows | Should -BeGreaterThan 8
        }

        It 'keeps Unicode normalization forms apart (NFC and NFD are different paths)' {
            $nfc = '/u/' + 'café'.Normalize([Text.NormalizationForm]::FormC)
            $nfd = '/u/' + 'café'.Normalize([Text.NormalizationForm]::FormD)
            Set-NexusMetadata -Path $nfc -Size 1
            Set-NexusMetadata -Path $nfd -Size 2
            (Get-NexusMetadata -Path $nfc).Size | Should -Be 1
            (Get-NexusMetadata -Path $nfd).Size | Should -Be 2
            (Get-NexusMetadata -Path $nfd).Path | Should -BeExactly $nfd
            (Get-NexusMetadata -Prefix '/u/').Count | Should -Be 2
        }

        It 'takes a 4096-character path and refuses 4097' {
            $long = '/' + ('d' * 4095)
            (Set-NexusMetadata -Path $long -PassThru).Path.Length | Should -Be 4096
            (Get-NexusMetadata -Path $long).Path | Should -BeExactly $long
            Set-NexusMetadata -Path ($long + 'x') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*4097*'
        }

        It 'keeps tenants apart: two tenants hold the same path' {
            Set-NexusMetadata -Path '/t/same' -Tenant acme -Size 1
            Set-NexusMetadata -Path '/t/same' -Tenant 'f3c1a4d2-0000-4000-8000-000000000001' -Size 2
            (Get-NexusMetadata -Path '/t/same' -Tenant acme).Size | Should -Be 1
            (Get-NexusMetadata -Path '/t/same' -Tenant 'f3c1a4d2-0000-4000-8000-000000000001').Size | Should -Be 2
            Test-NexusMetadata -Path '/t/same' | Should -BeFalse
            (Get-NexusMetadata -Prefix '/t/' -Tenant acme).Tenant | Should -Be 'acme'
            # Piped records carry their tenant.
            Get-NexusMetadata -Path '/t/same' -Tenant acme | Remove-NexusMetadata
            Test-NexusMetadata -Path '/t/same' -Tenant acme | Should -BeFalse
            Test-NexusMetadata -Path '/t/same' -Tenant 'f3c1a4d2-0000-4000-8000-000000000001' | Should -BeTrue
        }

        It 'refuses a tenant of <Length> characters' -ForEach @(@{ Length = 0 }, @{ Length = 37 }) {
            Set-NexusMetadata -Path '/t/x' -Tenant ('t' * $Length) -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'refuses a negative size and an ETag over 64 characters' {
            Set-NexusMetadata -Path '/bad/size' -Size -1 -ErrorVariable e1 -ErrorAction SilentlyContinue
            Set-NexusMetadata -Path '/bad/etag' -ETag ('e' * 65) -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e1[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Count-Rows "virtual_path LIKE '/bad/%'" | Should -Be 0
        }
    }

    Context 'bulk' {
        It 'stores 5000 piped records; a bad one in the middle is an error naming it, all others are kept' {
            $items = 1..5000 | ForEach-Object {
                if ($_ -eq 2500) { [pscustomobject]@{ Path = 'bulk/relative'; Size = 1 } }
                else { [pscustomobject]@{ Path = "/bulk/$_"; Size = $_ } }
            }
            $items | Set-NexusMetadata -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].TargetObject | Should -Be 'bulk/relative'
            Count-Rows "virtual_path LIKE '/bulk/%'" | Should -Be 4999
            (Get-NexusMetadata -Path '/bulk/4999').Size | Should -Be 4999
        }

        It 'emits -PassThru records in pipeline order across batches written while the next is gathered' {
            $paths = 1..12001 | ForEach-Object { "/order/$(12001 - $_)" }
            $out = $paths | ForEach-Object { [pscustomobject]@{ Path = $_; Size = 1 } } | Set-NexusMetadata -PassThru
            $out.Count | Should -Be 12001
            [string[]]$out.Path | Should -Be $paths
            Count-Rows "virtual_path LIKE '/order/%'" | Should -Be 12001
        }

        It 'a path repeated in later batches ends as its last occurrence wrote it, every write counted' {
            # Batches of 5000 are written concurrently on PostgreSQL unless they share a record.
            $items = 1..16000 | ForEach-Object {
                if ($_ % 4000 -eq 0) { [pscustomobject]@{ Path = '/again/same'; Size = $_ } }
                else { [pscustomobject]@{ Path = "/again/$_"; Size = $_ } }
            }
            $items | Set-NexusMetadata
            $r = Get-NexusMetadata -Path '/again/same'
            $r.Size | Should -Be 16000
            $r.Version | Should -Be 4
            Count-Rows "virtual_path LIKE '/again/%'" | Should -Be 15997
        }

        It 'a record only the database refuses is an error naming it; the rest of its batch and the batches around it are stored' {
            # A rule the module cannot know about (a trigger or CHECK added by an administrator).
            $rule = if ($Dialect -eq 'sqlite') {
                "CREATE TRIGGER refuse_one BEFORE INSERT ON file_paths WHEN NEW.virtual_path = '/dbrefused/7000' BEGIN SELECT RAISE(ABORT, 'refused by policy'); END"
            } else {
                "ALTER TABLE file_paths ADD CONSTRAINT refuse_one CHECK (virtual_path <> '/dbrefused/7000')"
            }
            $null = Invoke-TestSql $cs $rule
            try {
                1..12000 | ForEach-Object { [pscustomobject]@{ Path = "/dbrefused/$_"; Size = $_ } } |
                    Set-NexusMetadata -ErrorVariable err -ErrorAction SilentlyContinue
                $err.Count | Should -Be 1
                $err[0].TargetObject | Should -Be '/dbrefused/7000'
                $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
                Count-Rows "virtual_path LIKE '/dbrefused/%'" | Should -Be 11999
                (Get-NexusMetadata -Path '/dbrefused/7001').Size | Should -Be 7001
            }
            finally {
                $drop = if ($Dialect -eq 'sqlite') { 'DROP TRIGGER refuse_one' } else { 'ALTER TABLE file_paths DROP CONSTRAINT refuse_one' }
                $null = Invoke-TestSql $cs $drop
            }
        }

        It 'shows bulk progress (a count) for records stored and removed once a batch is written, and completes it' {
            $ps = New-NexusRunspacePipeline -ArgumentList $cs -ScriptBlock {
                param($cs)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                1..100 | ForEach-Object { [pscustomobject]@{ Path = "/quiet/$_" } } | Set-NexusMetadata
                'small done'
                1..12000 | ForEach-Object { [pscustomobject]@{ Path = "/progress/$_" } } | Set-NexusMetadata
                1..6000 | ForEach-Object { "/progress/$_" } | Remove-NexusMetadata
            }
            try {
                $out = $ps.Invoke()
                $out | Should -Be 'small done'
                $ps.HadErrors | Should -BeFalse
                $progress = @($ps.Streams.Progress)
                $stored = @($progress | Where-Object Activity -EQ 'Storing Nexus file records')
                $stored[0].StatusDescription | Should -Match '^5[,.]?000 so far$' -Because 'the 100-record pipeline shows none, and the first bar comes after a written batch'
                $stored[-2].StatusDescription | Should -Match '^12[,.]?000 so far$'
                $stored[-1].RecordType | Should -Be 'Completed'
                # 6000 removals in transactions of 2000: one line per transaction, then the end.
                $removed = @($progress | Where-Object Activity -EQ 'Removing Nexus file records')
                $removed.StatusDescription | Should -Be @(('{0:N0} so far' -f 2000), ('{0:N0} so far' -f 4000), ('{0:N0} so far' -f 6000), 'Done')
                [string[]]$removed.RecordType | Should -Be @('Processing', 'Processing', 'Processing', 'Completed')
            }
            finally { $ps.Dispose() }
        }

        It 'looks up many piped paths in order, with errors for the missing ones' {
            $paths = (1..3000 | ForEach-Object { "/bulk/$_" }) + '/bulk/none'
            $found = $paths | Get-NexusMetadata -ErrorVariable err -ErrorAction SilentlyContinue
            $found.Count | Should -Be 2999
            $found[0].Path | Should -Be '/bulk/1'
            $found[-1].Path | Should -Be '/bulk/3000'
            $err.Count | Should -Be 2
        }

        It 'a stopped pipeline leaves only whole batches (5000 records per transaction)' {
            $ps = New-NexusRunspacePipeline -ArgumentList $cs -ScriptBlock {
                param($cs)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                1..1000000 | ForEach-Object { [pscustomobject]@{ Path = "/stop/$_" } } | Set-NexusMetadata
            }
            try {
                $handle = $ps.BeginInvoke()
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while ((Count-Rows "virtual_path LIKE '/stop/%'") -lt 5000 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                $ps.Stop()
                $rows = Count-Rows "virtual_path LIKE '/stop/%'"
                $rows | Should -BeGreaterThan 0
                $rows % 5000 | Should -Be 0
                $rows | Should -BeLessThan 1000000
            }
            finally { $ps.Dispose() }
        }
    }
}

Describe 'Store cmdlet help' {
    It 'has full help with a synopsis, a description, described parameters and examples for <_>' -ForEach @(
        'Set-NexusMetadata', 'Get-NexusMetadata', 'Test-NexusMetadata', 'Remove-NexusMetadata', 'Rename-NexusMetadata',
        'Set-NexusAttribute', 'Get-NexusAttribute', 'Remove-NexusAttribute',
        'Add-NexusChunk', 'Remove-NexusChunk', 'Get-NexusChunk', 'Clear-NexusChunk') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s"
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $documented = @($help.parameters.parameter | Where-Object { $_.description }).name
        $declared = (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }
        foreach ($p in $declared) { $documented | Should -Contain $p }
    }
}
