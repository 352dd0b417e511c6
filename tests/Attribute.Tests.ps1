# Issue 3: attributes — Set/Get/Remove-NexusAttribute and Get-NexusMetadata -Attribute on SQLite
# and PostgreSQL: the round-trip table of values, limits, bad keys and values, search by value.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
    function Count-Attributes {
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata")
    }
}

Describe 'Attributes on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        Set-NexusMetadata -Path '/a/file'
        Set-NexusMetadata -Path '/a/other'
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    Context 'values round-trip with their shape' {
        It 'round-trips <Name>' -ForEach @(
            @{ Name = 'an ASCII string'; Value = 'hello'; Type = [string] }
            @{ Name = 'Unicode text'; Value = "Grüße 中文 😀 ‮rtl"; Type = [string] }
            @{ Name = 'an empty string'; Value = ''; Type = [string] }
            @{ Name = 'SQL text'; Value = "'; DROP TABLE file_metadata; --"; Type = [string] }
            @{ Name = 'Int64 max'; Value = [long]::MaxValue; Type = [long] }
            @{ Name = 'Int64 min'; Value = [long]::MinValue; Type = [long] }
            @{ Name = 'an int (as long)'; Value = 42; Type = [long] }
            @{ Name = 'zero'; Value = 0; Type = [long] }
            @{ Name = 'a double'; Value = 3.14159; Type = [double] }
            @{ Name = 'a whole double'; Value = 2.0; Type = [double] }
            @{ Name = 'a huge double'; Value = 1.5e300; Type = [double] }
            @{ Name = 'a tiny double'; Value = -2.5e-300; Type = [double] }
            @{ Name = 'true'; Value = $true; Type = [bool] }
            @{ Name = 'false'; Value = $false; Type = [bool] }
            @{ Name = 'a UTC DateTime'; Value = [datetime]::new(2024, 2, 29, 23, 59, 58, 123, [DateTimeKind]::Utc).AddTicks(4560); Type = [datetime] }
        ) {
            Set-NexusAttribute -Path '/a/file' -Key 'v' -Value $Value
            $back = Get-NexusAttribute -Path '/a/file' -Key 'v'
            $back | Should -BeOfType $Type
            $back | Should -Be $Value
        }

        It 'round-trips $null' {
            Set-NexusAttribute -Path '/a/file' -Key 'n' -Value $null
            $back = Get-NexusAttribute -Path '/a/file' -Key 'n' -ErrorVariable err
            $err.Count | Should -Be 0
            $null -eq $back | Should -BeTrue
            (Get-NexusAttribute -Path '/a/file').PSObject.Properties.Name | Should -Contain 'n'
        }

        It 'stores a local DateTime as the same instant in UTC' {
            $local = [datetime]::new(2024, 6, 1, 12, 0, 0, [DateTimeKind]::Local)
            # In UTC a local time is already the UTC instant and a module that ignores Kind passes.
            [TimeZoneInfo]::Local.GetUtcOffset($local) | Should -Not -Be ([timespan]::Zero) -Because 'scripts/test.sh runs the tests in a zone that is not UTC (TZ)'
            Set-NexusAttribute -Path '/a/file' -Key 'when' -Value $local
            $back = Get-NexusAttribute -Path '/a/file' -Key 'when'
            $back.Kind | Should -Be 'Utc'
            $back | Should -Be $local.ToUniversalTime()
        }

        It 'round-trips arrays (nested, mixed, empty)' {
            Set-NexusAttribute -Path '/a/file' -Key 'arr' -Value @(1, 'two', 3.5, $true, $null, @('x', 'y'))
            $back = Get-NexusAttribute -Path '/a/file' -Key 'arr'
            , $back | Should -BeOfType ([object[]])
            $back.Count | Should -Be 6
            $back[0] | Should -BeOfType ([long])
            $back[1] | Should -Be 'two'
            $back[2] | Should -Be 3.5
            $back[3] | Should -BeTrue
            $null -eq $back[4] | Should -BeTrue
            $back[5] | Should -Be @('x', 'y')
            Set-NexusAttribute -Path '/a/file' -Key 'empty' -Value @()
            $empty = Get-NexusAttribute -Path '/a/file' -Key 'empty'
            , $empty | Should -BeOfType ([object[]])
            $empty.Count | Should -Be 0
        }

        It 'round-trips nested hashtables and [pscustomobject]s as objects with the same properties' {
            $value = @{ name = 'n'; size = 12; inner = [pscustomobject]@{ deep = @{ x = 1.5; list = @(1, 2) }; flag = $false } }
            Set-NexusAttribute -Path '/a/file' -Key 'obj' -Value $value
            $back = Get-NexusAttribute -Path '/a/file' -Key 'obj'
            $back | Should -BeOfType ([pscustomobject])
            ($back.PSObject.Properties.Name | Sort-Object) | Should -Be @('inner', 'name', 'size')
            $back.size | Should -BeOfType ([long])
            $back.inner.flag | Should -BeFalse
            $back.inner.deep.x | Should -Be 1.5
            $back.inner.deep.list | Should -Be @(1, 2)
        }

        It 'gives the same property order on every database' {
            Set-NexusAttribute -Path '/a/file' -Key 'order' -Value ([ordered]@{ zz = 1; a = 2; mm = 3 })
            (Get-NexusAttribute -Path '/a/file' -Key 'order').PSObject.Properties.Name | Should -Be @('a', 'mm', 'zz')
        }

        It 'keeps integers beyond Int64 (UInt64 max) exact' {
            Set-NexusAttribute -Path '/a/file' -Key 'u' -Value ([uint64]::MaxValue)
            (Get-NexusAttribute -Path '/a/file' -Key 'u') | Should -Be ([decimal][uint64]::MaxValue)
        }
    }

    Context 'setting, getting, removing' {
        It 'sets several in one call and returns all attributes as one object' {
            Set-NexusAttribute -Path '/a/other' -Attributes @{ colour = 'red'; count = 3; tags = @('a', 'b') }
            $all = Get-NexusAttribute -Path '/a/other'
            @($all).Count | Should -Be 1
            $all.colour | Should -Be 'red'
            $all.count | Should -Be 3
            $all.tags | Should -Be @('a', 'b')
        }

        It 'replaces a value under the same key (one row per key)' {
            Set-NexusAttribute -Path '/a/other' -Key colour -Value 'green'
            Get-NexusAttribute -Path '/a/other' -Key colour | Should -Be 'green'
            [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'colour'") | Should -Be 1
        }

        It 'a bad value among several stores none of them' {
            $before = Count-Attributes
            Set-NexusAttribute -Path '/a/other' -Attributes ([ordered]@{ good = 1; bad = [double]::PositiveInfinity }) -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Count-Attributes | Should -Be $before
        }

        It 'refuses <Name> with a clear InvalidArgument error and stores nothing' -ForEach @(
            @{ Name = 'NaN'; Value = [double]::NaN; Message = '*NaN*' }
            @{ Name = 'Infinity'; Value = [double]::NegativeInfinity; Message = '*Infinity*' }
            @{ Name = 'a value over 1 MiB'; Value = ('x' * (1024 * 1024)); Message = '*1 MiB*' }
            @{ Name = 'a script block'; Value = { 1 }; Message = '*script block*' }
            @{ Name = 'an arbitrary .NET object'; Value = [System.IO.FileInfo]::new('/tmp/x'); Message = '*FileInfo*' }
            @{ Name = 'a NUL character'; Value = "a$([char]0)b"; Message = '*NUL*' }
        ) {
            $before = Count-Attributes
            Set-NexusAttribute -Path '/a/other' -Key 'refused' -Value $Value -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].FullyQualifiedErrorId | Should -Be 'Nexus.InvalidArgument,Nexus.PowerShell.SetNexusAttributeCommand'
            $err[0].Exception.Message | Should -BeLike $Message
            Count-Attributes | Should -Be $before
        }

        It 'refuses the key <Name>' -ForEach @(
            @{ Name = 'empty'; Key = '' }, @{ Name = 'blank'; Key = '   ' }, @{ Name = 'tab only'; Key = "`t" },
            @{ Name = 'of 256 characters'; Key = ('k' * 256) }, @{ Name = 'with a newline'; Key = "a`nb" }
        ) {
            Set-NexusAttribute -Path '/a/other' -Key $Key -Value 1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'takes a key of 255 characters and keys with SQL and JSON-path characters' {
            foreach ($key in @(('k' * 255), "it's", '$.a[0]', 'a.b', '%_')) {
                Set-NexusAttribute -Path '/a/other' -Key $key -Value $key
                Get-NexusAttribute -Path '/a/other' -Key $key | Should -BeExactly $key
            }
        }

        It 'a missing key is ObjectNotFound; a missing file is ObjectNotFound' {
            Get-NexusAttribute -Path '/a/other' -Key nope -ErrorVariable e1 -ErrorAction SilentlyContinue
            $e1[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Set-NexusAttribute -Path '/a/ghost' -Key k -Value 1 -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-NexusAttribute -Path '/a/ghost' -ErrorVariable e3 -ErrorAction SilentlyContinue
            $e3[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'removes attributes; a missing key is ObjectNotFound, -WhatIf removes nothing' {
            Set-NexusAttribute -Path '/a/other' -Attributes @{ gone1 = 1; gone2 = 2 }
            Remove-NexusAttribute -Path '/a/other' -Key gone1 -WhatIf
            Get-NexusAttribute -Path '/a/other' -Key gone1 | Should -Be 1
            Remove-NexusAttribute -Path '/a/other' -Key gone1, gone2, never -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].TargetObject | Should -Be 'never'
            (Get-NexusAttribute -Path '/a/other').PSObject.Properties.Name | Should -Not -Contain 'gone1'
        }

        It 'works on records piped from Get-NexusMetadata' {
            Get-NexusMetadata -Prefix '/a/' | Set-NexusAttribute -Key piped -Value 'yes'
            (Get-NexusMetadata -Prefix '/a/' | Get-NexusAttribute -Key piped) | Should -Be @('yes', 'yes')
        }
    }

    Context 'finding records by attribute value' {
        BeforeAll {
            Set-NexusMetadata -Path '/s/1'; Set-NexusMetadata -Path '/s/2'; Set-NexusMetadata -Path '/s/3'
            Set-NexusAttribute -Path '/s/1' -Attributes @{ owner = 'ann'; level = 2; tags = @('red', 'big'); meta = @{ a = 1; b = 'x' } }
            Set-NexusAttribute -Path '/s/2' -Attributes @{ owner = 'bob'; level = 2.0; tags = @('red') }
            Set-NexusAttribute -Path '/s/3' -Attributes @{ owner = "o'hara"; level = 3 }
        }

        It 'finds <Name>' -ForEach @(
            @{ Name = 'an equal string'; Filter = @{ owner = 'ann' }; Expected = @('/s/1') }
            @{ Name = 'a quote in a value'; Filter = @{ owner = "o'hara" }; Expected = @('/s/3') }
            @{ Name = 'numbers by value (2 = 2.0)'; Filter = @{ level = 2 }; Expected = @('/s/1', '/s/2') }
            @{ Name = 'an element of an array'; Filter = @{ tags = 'red' }; Expected = @('/s/1', '/s/2') }
            @{ Name = 'a sub-array'; Filter = @{ tags = @('big', 'red') }; Expected = @('/s/1') }
            @{ Name = 'a partial object'; Filter = @{ meta = @{ b = 'x' } }; Expected = @('/s/1') }
            @{ Name = 'several keys at once'; Filter = @{ owner = 'bob'; level = 2 }; Expected = @('/s/2') }
        ) {
            (Get-NexusMetadata -Prefix '/s/' -Attribute $Filter).Path | Should -Be $Expected
        }

        It 'finds nothing for <Name>' -ForEach @(
            @{ Name = 'a different type (the string "2")'; Filter = @{ level = '2' } }
            @{ Name = 'a case-different string'; Filter = @{ owner = 'ANN' } }
            @{ Name = 'an unknown key'; Filter = @{ nothing = 1 } }
            @{ Name = 'LIKE wildcards'; Filter = @{ owner = '%' } }
        ) {
            Get-NexusMetadata -Prefix '/s/' -Attribute $Filter | Should -BeNullOrEmpty
        }
    }
}
