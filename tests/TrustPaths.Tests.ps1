# Issue 9, items 1 and 6 ("Trust first"), on SQLite and PostgreSQL:
#  1. -Path is always a wildcard pattern and -LiteralPath (-LP) always exact, as Remove-Item and
#     Test-Path; piped FileRecords name exactly themselves; a pattern that matches several records
#     asks before removing them (even at the default $ConfirmPreference) and -WhatIf lists each one.
#  6. A piped value Set-NexusMetadata cannot convert is an error naming it, never a silent 0; and an
#     integer attribute beyond Int64 comes back exact, as a BigInteger.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    function Get-LivePaths([string] $Prefix) { @((Get-NexusMetadata -Prefix $Prefix).Path) }

    function Count-Rows([string] $Path) {
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_paths WHERE virtual_path = '$Path'")
    }

    # Runs -Script in a child pwsh that CAN prompt: its console host reads the answers from
    # stdin (one line each), so a confirmation question shows up, with its text, in the output.
    # (Start-NexusChildProcess runs -NonInteractive, where any prompt fails.)
    function Invoke-AnsweringSession([string] $ConnectionString, [string] $Script, [string[]] $Answers) {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-answering-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Encoding utf8 -Value @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
Import-Module `$env:NEXUS_MODULE_PATH
`$null = Connect-NexusStore -ConnectionString `$env:NEXUS_ANSWERING_STORE -WarningAction SilentlyContinue
$Script
"@
        try {
            $exe = (Get-Process -Id $PID).Path
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
                $start.ArgumentList.Add([Environment]::GetCommandLineArgs()[0])
            }
            foreach ($a in '-NoProfile', '-File', $file) { $start.ArgumentList.Add($a) }
            $start.Environment['NEXUS_ANSWERING_STORE'] = $ConnectionString   # not written to the script file
            $start.RedirectStandardInput = $true
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($start)
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            foreach ($answer in $Answers) { $process.StandardInput.WriteLine($answer) }
            $process.StandardInput.Close()
            if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'answering session timed out' }
            # The console wraps long lines; the tests read the text without the wrapping.
            [pscustomobject]@{ ExitCode = $process.ExitCode; Text = ($stdout.Result -replace '\r?\n', ''); StdErr = $stderr.Result }
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Trust: -Path, -LiteralPath and values on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    Context 'item 1: -Path is a wildcard, -LiteralPath is exact' {
        It 'a retried remove acts on the same records both times (never "literal first, then wildcard")' {
            Set-NexusMetadata -Path '/wa/a[1].txt'
            Set-NexusMetadata -Path '/wa/a1.txt'
            # As Remove-Item: '[1]' is a character class, so the pattern names /wa/a1.txt.
            Remove-NexusMetadata -Path '/wa/a[1].txt' -Purge -Confirm:$false
            Get-LivePaths '/wa/' | Should -Be @('/wa/a[1].txt')
            # Run again: the pattern matches nothing, so nothing else is touched.
            Remove-NexusMetadata -Path '/wa/a[1].txt' -Purge -Confirm:$false -ErrorVariable err
            $err.Count | Should -Be 0
            Get-LivePaths '/wa/' | Should -Be @('/wa/a[1].txt')
            Count-Rows '/wa/a[1].txt' | Should -Be 1
        }

        It '-LiteralPath (-LP) removes exactly that record; run again it is ObjectNotFound and nothing else goes' {
            Set-NexusMetadata -Path '/wb/a[1].txt'
            Set-NexusMetadata -Path '/wb/a1.txt'
            Remove-NexusMetadata -LiteralPath '/wb/a[1].txt' -Purge -Confirm:$false
            Get-LivePaths '/wb/' | Should -Be @('/wb/a1.txt')
            Remove-NexusMetadata -LP '/wb/a[1].txt' -Purge -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be '/wb/a[1].txt'
            Get-LivePaths '/wb/' | Should -Be @('/wb/a1.txt')
        }

        It 'an escaped -Path names one record exactly (backtick or [WildcardPattern]::Escape), and a retry is ObjectNotFound' {
            Set-NexusMetadata -Path '/wc/b[1].txt'
            Set-NexusMetadata -Path '/wc/b1.txt'
            Set-NexusMetadata -Path '/wc/c*.txt'
            Set-NexusMetadata -Path '/wc/cc.txt'
            Remove-NexusMetadata -Path '/wc/b`[1`].txt'
            Remove-NexusMetadata -Path '/wc/b`[1`].txt' -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Remove-NexusMetadata -Path ([WildcardPattern]::Escape('/wc/c*.txt'))
            Get-LivePaths '/wc/' | Should -Be @('/wc/b1.txt', '/wc/cc.txt')
        }

        It 'Test-NexusMetadata follows Test-Path: -Path is a pattern, -LiteralPath exact' {
            Set-NexusMetadata -Path '/wd/y[1]'
            Test-NexusMetadata -Path '/wd/y[1]' | Should -BeFalse       # the pattern names /wd/y1, never stored
            Test-NexusMetadata -Path '/wd/y`[1`]' | Should -BeTrue
            Test-NexusMetadata -LP '/wd/y[1]' | Should -BeTrue
            Set-NexusMetadata -Path '/wd/x1'
            Test-NexusMetadata -Path '/wd/x[1]' | Should -BeTrue       # matches /wd/x1, as Test-Path would
            Test-NexusMetadata -LiteralPath '/wd/x[1]' | Should -BeFalse
        }

        It 'Get-NexusMetadata: -Path is a pattern, -LiteralPath exact, an escaped -Path exact' {
            Set-NexusMetadata -Path '/we/a[1].txt'
            Set-NexusMetadata -Path '/we/a1.txt'
            (Get-NexusMetadata -Path '/we/a[1].txt').Path | Should -Be @('/we/a1.txt')
            (Get-NexusMetadata -LiteralPath '/we/a[1].txt').Path | Should -Be @('/we/a[1].txt')
            (Get-NexusMetadata -Path '/we/a`[1`].txt').Path | Should -Be @('/we/a[1].txt')
            (Get-NexusMetadata -LiteralPath '/we/*' -ErrorAction SilentlyContinue -ErrorVariable err) | Should -BeNullOrEmpty
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a pattern PowerShell cannot parse is InvalidArgument, names -LiteralPath, and removes nothing' {
            Set-NexusMetadata -Path '/wf/a['
            Remove-NexusMetadata -Path '/wf/a[' -Purge -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*-LiteralPath*'
            Count-Rows '/wf/a[' | Should -Be 1
            Remove-NexusMetadata -LiteralPath '/wf/a[' -Purge -Confirm:$false
            Count-Rows '/wf/a[' | Should -Be 0
        }

        It 'piped records name exactly themselves: piping the same records twice never reaches another record' {
            Set-NexusMetadata -Path '/wg/x[1]'
            Set-NexusMetadata -Path '/wg/x1'
            Set-NexusMetadata -Path '/wg/other' -Tenant 'tenant-b'
            $records = Get-NexusMetadata -Path '/wg/x`[1`]'
            $records | Remove-NexusMetadata
            $records | Remove-NexusMetadata -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-LivePaths '/wg/' | Should -Be @('/wg/x1')
            # A listing piped on: each record in its own tenant, even without -Tenant.
            @(Get-NexusMetadata -Prefix '/wg/' -Tenant 'tenant-b') + @(Get-NexusMetadata -Prefix '/wg/') |
                Remove-NexusMetadata -Purge -Confirm:$false
            Get-NexusMetadata -Prefix '/wg/' -Tenant 'tenant-b' | Should -BeNullOrEmpty
            Count-Rows '/wg/x1' | Should -Be 0
            Count-Rows '/wg/x[1]' | Should -Be 1    # soft-deleted before, not piped now: kept
        }

        It 'piped records bind to -InputObject; strings and objects with a Path property bind to -Path; a LiteralPath property to -LiteralPath' {
            Set-NexusMetadata -Path '/wh/p*'
            Set-NexusMetadata -Path '/wh/pq'
            Get-NexusMetadata -LiteralPath '/wh/p*' | Test-NexusMetadata | Should -Be @($true)
            Remove-NexusMetadata -LiteralPath '/wh/pq'
            # The record /wh/p* piped is itself, even though its path would match as a pattern.
            (Get-NexusMetadata -LiteralPath '/wh/p*' | Get-NexusMetadata).Path | Should -Be @('/wh/p*')
            Set-NexusMetadata -Path '/wh/pq'
            ([pscustomobject]@{ LiteralPath = '/wh/p*' } | Remove-NexusMetadata -PassThru).Path | Should -Be @('/wh/p*')
            Set-NexusMetadata -Path '/wh/p*'
            ([pscustomobject]@{ Path = '/wh/p*' } | Remove-NexusMetadata -Force -PassThru).Path | Should -Be @('/wh/p*', '/wh/pq')
        }

        It 'Set-NexusMetadata, Rename-NexusMetadata and the attribute cmdlets take their one path exactly (-LiteralPath is another name)' {
            Set-NexusMetadata -Path '/wi/a[1]' -Size 1
            Set-NexusMetadata -LiteralPath '/wi/b*' -Size 2
            Get-LivePaths '/wi/' | Should -Be @('/wi/a[1]', '/wi/b*')
            Set-NexusAttribute -Path '/wi/a[1]' -Key k -Value 'v'
            Get-NexusAttribute -LiteralPath '/wi/a[1]' -Key k | Should -Be 'v'
            Remove-NexusAttribute -LP '/wi/a[1]' -Key k
            Rename-NexusMetadata -LiteralPath '/wi/b*' -NewPath '/wi/c?'
            Get-LivePaths '/wi/' | Should -Be @('/wi/a[1]', '/wi/c?')
        }
    }

    Context 'item 1: a wildcard remove of several records asks first; -WhatIf lists each' {
        BeforeEach {
            '/wq/a', '/wq/b', '/wq/c', '/wr/only' | ForEach-Object { Set-NexusMetadata -Path $_ }
        }

        It 'asks once at the default $ConfirmPreference, naming the pattern and the count; No removes nothing, Yes removes all' {
            $r = Invoke-AnsweringSession $cs -Answers 'N', 'Y' -Script @'
Remove-NexusMetadata -Path '/wq/*'
'left: ' + ((Get-NexusMetadata -Prefix /wq/).Path -join ',')
Remove-NexusMetadata -Path '/wq/*'
'left: ' + ((Get-NexusMetadata -Prefix /wq/).Path -join ',')
'@
            $r.ExitCode | Should -Be 0 -Because $r.StdErr
            ([regex]::Matches($r.Text, "The wildcard path '/wq/\*' matches 3 records")).Count | Should -Be 2
            $r.Text | Should -Match 'Soft-delete all 3\?'
            $r.Text | Should -Match 'left: /wq/a,/wq/b,/wq/c.*left: $'
            Get-LivePaths '/wq/' | Should -BeNullOrEmpty
        }

        It 'does not ask for a pattern that matches one record, nor under -Force or -Confirm:$false' {
            $r = Invoke-AnsweringSession $cs -Answers @() -Script @'
Remove-NexusMetadata -Path '/wr/o*'
Remove-NexusMetadata -Path '/wq/[ab]' -Force
Remove-NexusMetadata -Path '/wq/*' -Purge -Confirm:$false
'done'
'@
            $r.ExitCode | Should -Be 0 -Because $r.StdErr
            $r.Text | Should -Not -Match 'Confirm'
            $r.Text | Should -Match 'done'
            Get-LivePaths '/wq/' | Should -BeNullOrEmpty
            Get-LivePaths '/wr/' | Should -BeNullOrEmpty
            Count-Rows '/wq/a' | Should -Be 0
        }

        It 'an unattended (non-interactive) session is stopped by the question instead of removing several records' {
            $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
                param($cs)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                try { Remove-NexusMetadata -Path '/wq/*'; 'removed' } catch { $_.Exception.Message }
            }
            $r.Output | Should -Contain 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.'
            Get-LivePaths '/wq/' | Should -Be @('/wq/a', '/wq/b', '/wq/c')
        }

        It '-WhatIf lists every record it would touch, one line each, and changes nothing' {
            $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
                param($cs)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                Remove-NexusMetadata -Path '/wq/*' -WhatIf
                Remove-NexusMetadata -Path '/wq/*', '/wr/*' -Purge -WhatIf
            }
            $lines = @($r.Output | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 7
            $lines[0] | Should -Be 'What if: Performing the operation "Soft-delete file record" on target "/wq/a".'
            $lines[5] | Should -Be 'What if: Performing the operation "Purge file record and its attributes" on target "/wq/c".'
            $lines[6] | Should -BeLike '*"/wr/only".'
            Get-LivePaths '/wq/' | Should -Be @('/wq/a', '/wq/b', '/wq/c')
        }
    }

    Context 'item 6: values are never changed without an error' {
        It 'a piped Size that is not a whole number is an error naming it; the rest of the pipeline is stored' {
            $out = [pscustomobject]@{ Path = '/v/abc'; Size = 'abc' },
                [pscustomobject]@{ Path = '/v/huge'; Size = 1e30 },
                [pscustomobject]@{ Path = '/v/half'; Size = 1.5 },
                [pscustomobject]@{ Path = '/v/good'; Size = '12' } |
                Set-NexusMetadata -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $out.Path | Should -Be @('/v/good')
            $out.Size | Should -Be 12
            $err.Count | Should -Be 3
            $err.CategoryInfo.Category | Sort-Object -Unique | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike "Size 'abc' is not a whole number*'/v/abc'*"
            $err[0].TargetObject | Should -Be '/v/abc'
            $err[1].Exception.Message | Should -BeLike "Size '1E+30' is not a whole number*"
            $err[2].Exception.Message | Should -BeLike "Size '1.5' is not a whole number*"
            Get-LivePaths '/v/' | Should -Be @('/v/good')
        }

        It 'whole numbers of any type and text convert; a file Length binds as before' {
            $file = New-TemporaryFile
            try {
                Set-Content -LiteralPath $file -Value 'hello' -NoNewline
                [pscustomobject]@{ Path = '/v/int'; Size = 7 },
                    [pscustomobject]@{ Path = '/v/double'; Size = 8.0 },
                    [pscustomobject]@{ Path = '/v/text'; Size = ' 9 ' },
                    [pscustomobject]@{ Path = '/v/max'; Size = [long]::MaxValue },
                    [pscustomobject]@{ Path = '/v/file'; Length = (Get-Item $file).Length } |
                    Set-NexusMetadata
                Set-NexusMetadata -Path '/v/cmdline' -Size 10
            }
            finally { Remove-Item -LiteralPath $file }
            (Get-NexusMetadata -Path '/v/int', '/v/double', '/v/text', '/v/max', '/v/file', '/v/cmdline').Size |
                Should -Be @(7, 8, 9, [long]::MaxValue, 5, 10)
        }

        It 'Add-NexusChunk: a piped Size or ProtectedUntil that does not convert is an error naming it, never rounded or dropped' {
            $out = [pscustomobject]@{ ContentHash = 'tv-half'; Size = 1.5; StoragePath = '/b/half' },
                [pscustomobject]@{ ContentHash = 'tv-when'; Size = 1; StoragePath = '/b/when'; ProtectedUntil = 'next tuesday' },
                [pscustomobject]@{ ContentHash = 'tv-good'; Size = '3'; StoragePath = '/b/good'; ProtectedUntil = '2099-01-02T03:04:05Z' } |
                Add-NexusChunk -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $out.ContentHash | Should -Be @('tv-good')
            $out.Size | Should -Be 3
            $out.ProtectedUntil.ToUniversalTime() | Should -Be ([datetime]::new(2099, 1, 2, 3, 4, 5, [DateTimeKind]::Utc))
            $err.Count | Should -Be 2
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike "Size '1.5' is not a whole number*"
            $err[1].Exception.Message | Should -BeLike "ProtectedUntil 'next tuesday' is not a date and time*"
            [int](Invoke-TestSql $cs "SELECT count(*) FROM content_chunks WHERE content_hash IN ('tv-half', 'tv-when')") | Should -Be 0
        }

        It 'a 30-digit integer attribute round-trips exactly, as a BigInteger, on its own and nested' {
            Set-NexusMetadata -Path '/v/big'
            $big = [System.Numerics.BigInteger]::Parse('123456789012345678901234567890')
            $parsed = '{"n": -987654321098765432109876543210}' | ConvertFrom-Json
            Set-NexusAttribute -Path '/v/big' -Attributes @{ big = $big; nested = @{ list = @(1, $big) }; parsed = $parsed }
            $back = Get-NexusAttribute -Path '/v/big' -Key big
            $back | Should -BeOfType ([System.Numerics.BigInteger])
            $back.ToString() | Should -Be '123456789012345678901234567890'
            (Get-NexusAttribute -Path '/v/big' -Key nested).list[1].ToString() | Should -Be '123456789012345678901234567890'
            (Get-NexusAttribute -Path '/v/big' -Key parsed).n.ToString() | Should -Be '-987654321098765432109876543210'
            Invoke-TestSql $cs "SELECT value FROM file_metadata WHERE key = 'big'" | Should -Be '123456789012345678901234567890'
        }
    }
}
