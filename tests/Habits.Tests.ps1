# Issue 15, "Habits": tab completion (through TabExpansion2, as a user presses Tab), table views
# that fit 80 columns, and the about_Nexus* help topics — on SQLite and PostgreSQL.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    # The type and column labels of every table view in the built module's format files.
    $tableViews = foreach ($file in Get-ChildItem -LiteralPath (Split-Path $env:NEXUS_MODULE_PATH) -Filter *.format.ps1xml) {
        $xml = [xml](Get-Content -LiteralPath $file.FullName -Raw)
        foreach ($view in $xml.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl }) {
            @{
                Type   = [string]$view.ViewSelectedBy.TypeName
                Labels = @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { [string]$_.Label })
            }
        }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $module = Import-NexusModuleForTest

    # What Tab offers at the end of a command line.
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
    function Get-CompletionText([string] $Line) { @((Get-Completion $Line).CompletionText) }
}

Describe 'Tab completion on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        '/reports/q3.pdf', '/reports/q4.pdf', '/reports/2024/a.txt', '/readme', '/my docs/a[1].txt', "/it's/x", '/gone/x' |
            ForEach-Object { [pscustomobject]@{ Path = $_; Size = 1 } } | Set-NexusMetadata
        1..150 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/f$('{0:d3}' -f $_)"; Size = 1 } } | Set-NexusMetadata
        Remove-NexusMetadata -Path /gone/x -Confirm:$false
        Set-NexusAttribute -Path /reports/q3.pdf -Attributes @{ owner = 'ops'; tags = 'q3'; 'cost centre' = 7 }
        Set-NexusMetadata -Path /acme-only/x -Tenant acme
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    Context '-Path and -Prefix: stored paths, one segment at a time' {
        It 'offers the next segment, each once: /re gives /readme and /reports/' {
            Get-CompletionText 'Get-NexusMetadata -Path /re' | Should -Be '/readme', '/reports/'
        }
        It 'offers what is directly inside a folder' {
            Get-CompletionText 'Get-NexusMetadata -Path /reports/' | Should -Be '/reports/2024/', '/reports/q3.pdf', '/reports/q4.pdf'
        }
        It 'offers a folder of 150 records once, and at most 100 of its records' {
            Get-CompletionText 'Get-NexusMetadata -Path /b' | Should -Be '/bulk/'
            $inside = Get-CompletionText 'Get-NexusMetadata -Path /bulk/'
            $inside.Count | Should -Be 100
            $inside[0] | Should -Be '/bulk/f001'
        }
        It 'lists the segment and shows the full path as the tooltip' {
            $r = Get-Completion 'Get-NexusMetadata -Path /reports/q'
            $r[0].ListItemText | Should -Be 'q3.pdf'
            $r[0].ToolTip | Should -Be '/reports/q3.pdf'
            $r[0].ResultType | Should -Be 'ParameterValue'
        }
        It 'offers no soft-deleted record' {
            Get-CompletionText 'Get-NexusMetadata -Path /go' | Should -BeNullOrEmpty
        }
        It 'completes a word without the leading slash' {
            Get-CompletionText 'Get-NexusMetadata -Path rea' | Should -Be '/readme'
        }
        It 'quotes a path with a space or a quote so that it parses back' {
            Get-CompletionText 'Get-NexusMetadata -Path /m' | Should -Be "'/my docs/'"
            Get-CompletionText 'Get-NexusMetadata -Path /it' | Should -Be "'/it''s/'"
            Get-CompletionText 'Get-NexusMetadata -Path "/my' | Should -Be '"/my docs/"'
        }
        It '-Path (wildcards) escapes wildcard characters, and the completed command finds the record' {
            $text = Get-CompletionText "Get-NexusMetadata -Path '/my docs/"
            $text | Should -Be "'/my docs/a``[1``].txt'"
            (Invoke-Expression "Get-NexusMetadata -Path $text").Path | Should -Be '/my docs/a[1].txt'
            Get-CompletionText "Remove-NexusMetadata -Path '/my docs/" | Should -Be $text
            Get-CompletionText "Test-NexusMetadata -Path '/my docs/" | Should -Be $text
        }
        It 'a literal path parameter (-Prefix, -NewPath, -Path without wildcards) is not escaped' {
            Get-CompletionText "Get-NexusMetadata -Prefix '/my docs/" | Should -Be "'/my docs/a[1].txt'"
            Get-CompletionText "Set-NexusAttribute -Path '/my docs/" | Should -Be "'/my docs/a[1].txt'"
            Get-CompletionText "Rename-NexusMetadata -Path /readme -NewPath /rep" | Should -Be '/reports/'
            Get-CompletionText 'Get-NexusAttribute /rea' | Should -Be '/readme'
        }
        It 'a typed wildcard pattern offers nothing (it is not a prefix)' {
            Get-CompletionText 'Get-NexusMetadata -Path /rep*' | Should -BeNullOrEmpty
        }
        It 'completes the paths of the -Tenant on the command line' {
            Get-CompletionText 'Get-NexusMetadata -Tenant acme -Path /' | Should -Be '/acme-only/'
            Get-CompletionText 'Get-NexusMetadata -Path /ac' | Should -BeNullOrEmpty
        }
    }

    Context '-Key, -Tenant, -Target' {
        It '-Key offers the attribute keys of the record that -Path names' {
            Get-CompletionText 'Get-NexusAttribute -Path /reports/q3.pdf -Key ' | Should -Be "'cost centre'", 'owner', 'tags'
            Get-CompletionText 'Remove-NexusAttribute /reports/q3.pdf -Key o' | Should -Be 'owner'
            Get-CompletionText 'Set-NexusAttribute -Path /reports/q3.pdf -Key t' | Should -Be 'tags'
        }
        It '-Key offers nothing without a path or for a record without attributes' {
            Get-CompletionText 'Get-NexusAttribute -Key ' | Should -BeNullOrEmpty
            Get-CompletionText 'Get-NexusAttribute -Path /readme -Key ' | Should -BeNullOrEmpty
        }
        It '-Tenant offers the stored tenants' {
            Get-CompletionText 'Get-NexusMetadata -Tenant ' | Should -Be '00000000-0000-0000-0000-000000000000', 'acme'
            Get-CompletionText 'Set-NexusMetadata -Path /x -Tenant A' | Should -Be 'acme'
        }
        It '-Target offers head, base and the migration ids' {
            Get-CompletionText 'Invoke-NexusMigration -Target ' | Should -Be 'head', 'base', '0001', '0002', '0003', '0004'
            Get-CompletionText 'Invoke-NexusMigration -Target 0' | Should -Be '0001', '0002', '0003', '0004'
            Get-CompletionText 'Invoke-NexusMigration -Target h' | Should -Be 'head'
        }
    }

    Context 'which store, and never an error or a wait' {
        It 'uses the -Store on the command line, not the default' {
            $otherCs = New-TestDatabase -Dialect sqlite
            $other = Connect-StoreForTest $otherCs -NoDefault
            try {
                Set-NexusMetadata -Store $other -Path /only-in-other/x
                Get-CompletionText 'Get-NexusMetadata -Store $other -Path /' | Should -Be '/only-in-other/'
                Get-CompletionText 'Get-NexusMetadata -Path /o' | Should -BeNullOrEmpty
            }
            finally {
                Disconnect-NexusStore -Store $other
                Remove-TestDatabase -ConnectionString $otherCs
            }
        }
        It 'answers within the budget' {
            $elapsed = Measure-Command { $null = Get-CompletionText 'Get-NexusMetadata -Path /bulk/' }
            $elapsed.TotalSeconds | Should -BeLessThan 2.5
        }
        It 'offers nothing, and writes no error, in a runspace with no store connected' {
            $ps = New-NexusRunspacePipeline -ScriptBlock {
                foreach ($line in 'Get-NexusMetadata -Path /re', 'Get-NexusAttribute -Path /reports/q3.pdf -Key ', 'Get-NexusMetadata -Tenant ') {
                    @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches).Count
                }
            }
            try {
                $counts = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                @($counts) | Should -Be 0, 0, 0
            }
            finally { $ps.Dispose() }
        }
        It 'offers nothing for a store that was closed' {
            $closedCs = New-TestDatabase -Dialect sqlite
            $closed = Connect-StoreForTest $closedCs -NoDefault
            Disconnect-NexusStore -Store $closed
            try {
                $Error.Clear()
                Get-CompletionText 'Get-NexusMetadata -Store $closed -Path /' | Should -BeNullOrEmpty
                $Error.Count | Should -Be 0
            }
            finally { Remove-TestDatabase -ConnectionString $closedCs }
        }
    }
}

Describe 'Table views fit an 80-column terminal on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        $work = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-habits-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $work
        $long = '/reports/finance/2024/quarterly/consolidated/q3-statement-final-reviewed-v2.pdf'
        $hash = 'f' * 64
        # Realistic long values for every type that has a table view.
        $samples = @{
            'Nexus.Core.Store.FileRecord'            = {
                Set-NexusMetadata -Path $long -Size 9876543210123 -MimeType 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' -BackendName 's3-eu-west-1-archive-tier'
                Set-NexusMetadata -Path /tmp/x -Size 1
                Remove-NexusMetadata -Path /tmp/x -Confirm:$false
                Get-NexusMetadata -Prefix / -IncludeDeleted
            }
            'Nexus.Core.Store.FileRecord#AllTenants' = {
                Set-NexusMetadata -Path $long -Size 9876543210 -Tenant 'c0ffee00-1234-4abc-8def-0123456789ab'
                Get-NexusMetadata -Prefix / -Tenant *
            }
            'Nexus.Core.Store.ChunkRecord'           = {
                Add-NexusChunk -ContentHash $hash -Size 4294967296 -StoragePath "/var/lib/nexus/chunks/ff/ff/$hash" -ProtectedUntil (Get-Date).AddDays(30) -PassThru
            }
            'Nexus.Core.Migrations.MigrationInfo'    = { Get-NexusMigration }
            'Nexus.Core.Migrations.MigrationStep'    = {
                $scratchCs = New-TestDatabase -Dialect $Dialect
                try { Invoke-NexusMigration -ConnectionString $scratchCs -Confirm:$false }
                finally { Remove-TestDatabase -ConnectionString $scratchCs }
            }
            'Nexus.Core.Health.HealthCheckResult'     = { Test-NexusStore -DeletedBefore (Get-Date) }
            'Nexus.Core.Health.RehearsalStep'         = { Test-NexusMigration -Target base }
            'Nexus.Core.Health.TableInfo'             = { (Get-NexusStoreInfo -Exact).Tables }
            'Nexus.Core.Session.NexusStore'           = { Get-NexusStore }
            'Nexus.Core.Store.StoreLayout'            = { (Get-NexusStore).Layout }
            'Nexus.Core.Transfer.TableTransferResult' = { Export-NexusData -Path (Join-Path $work 'an-export-folder-with-a-rather-long-name-for-the-quarterly-archive') }
            'Nexus.Core.Transfer.StoreBackupResult'   = {
                $fileCs = New-TestDatabase -Dialect sqlite
                $file = Connect-StoreForTest $fileCs -NoDefault
                try { Backup-NexusStore -Store $file -Path (Join-Path $work 'backup-of-the-production-store-before-the-quarterly-upgrade.db') }
                finally { Disconnect-NexusStore -Store $file; Remove-TestDatabase -ConnectionString $fileCs }
            }
        }
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'the <Type> table: no line over 80 characters, every header whole on one line' -ForEach $tableViews {
        $samples.Keys | Should -Contain $Type -Because 'every table view needs a sample here'
        $objects = @(& $samples[$Type] | Where-Object { $_.PSObject.TypeNames[0] -eq $Type })
        $objects.Count | Should -BeGreaterThan 0
        $lines = @(($objects | Format-Table | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() })
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual 80 -Because "'$line'" }
        $lines[1] | Should -Match '^[- ]+$' -Because 'the header must be one line, not wrapped'
        foreach ($label in $Labels) { $lines[0] | Should -Match "(^| )$([regex]::Escape($label))( |$)" -Because "column '$label' must be shown whole" }
        $lines.Count | Should -Be ($objects.Count + 2) -Because 'each object is one line'
    }

    It 'Get-NexusChunk shows a 12-character hash in the table and the whole hash in Format-List' {
        $null = Add-NexusChunk -ContentHash ('0123456789abcdef' * 4) -Size 10 -StoragePath /c/1
        $chunk = Get-NexusChunk | Where-Object ContentHash -eq ('0123456789abcdef' * 4)
        $table = $chunk | Format-Table | Out-String -Width 80
        $table | Should -Match "0123456789ab$([char]0x2026)"
        $table | Should -Not -Match '0123456789abc'
        ($chunk | Format-List | Out-String -Width 120) | Should -Match "(?m)^ContentHash\s*: $('0123456789abcdef' * 4)\s*$"
    }

    It 'Format-List shows every property of a record' {
        $record = Set-NexusMetadata -Path /list/x -MimeType text/plain -BackendName b1 -PassThru
        $text = $record | Format-List | Out-String -Width 80
        foreach ($name in 'Tenant', 'Path', 'BackendName', 'PhysicalPath', 'MimeType', 'Version', 'CreatedAt', 'ModifiedAt') {
            $text | Should -Match "(?m)^$name\s*:"
        }
    }
}

Describe 'about_Nexus help topics' {
    It 'Get-Help <Topic> shows the topic shipped in the module' -ForEach @(
        @{ Topic = 'about_Nexus'; Mentions = 'default store' }
        @{ Topic = 'about_Nexus_Migrations'; Mentions = 'Invoke-NexusMigration' }
        @{ Topic = 'about_Nexus_Moving'; Mentions = 'Copy-NexusData' }
        @{ Topic = 'about_Nexus_Testing'; Mentions = 'Archive-NexusRecords' }
    ) {
        Test-Path -LiteralPath (Join-Path $module.ModuleBase "en-US/$Topic.help.txt") | Should -BeTrue
        $help = Get-Help -Name $Topic
        $help.Name | Should -Be $Topic
        ($help | Out-String) | Should -Match $Mentions
    }
    It 'Get-Help about_Nexus* lists all four' {
        @(Get-Help about_Nexus* | Where-Object Category -eq 'HelpFile').Name | Sort-Object |
            Should -Be 'about_Nexus', 'about_Nexus_Migrations', 'about_Nexus_Moving', 'about_Nexus_Testing'
    }
}

# Ctrl+C safety's plumbing: every cmdlet's one cancellation source (NexusCmdlet.Stopping.cs) is
# disposed with the cmdlet (a migration's lock wait allocates its WaitHandle, an OS event), and a
# stop that arrives as the cmdlet ends neither throws nor loses the token. The stop itself is
# proven end to end by the Ctrl+C tests (Metadata.Tests.ps1, Transfer.Tests.ps1).
Describe 'The cancellation source of a cmdlet' {
    BeforeAll {
        $assembly = $module.ImplementingAssembly
        $base = $assembly.GetType('Nexus.PowerShell.NexusCmdlet', $true)
        $flags = [Reflection.BindingFlags]'NonPublic,Instance'
        $sourceField = $base.GetField('_stop', $flags)
        $stopProcessing = $base.GetMethod('StopProcessing', $flags)
        $stopToken = $base.GetProperty('StopToken', $flags)
        function New-Cmdlet([string] $Type) { [Activator]::CreateInstance($assembly.GetType("Nexus.PowerShell.$Type", $true)) }
    }

    It 'is disposed with <Type>' -ForEach @(
        @{ Type = 'GetNexusMetadataCommand' }
        @{ Type = 'InvokeNexusMigrationCommand' }
        @{ Type = 'CopyNexusDataCommand' }
    ) {
        $cmdlet = New-Cmdlet $Type
        $source = $sourceField.GetValue($cmdlet)
        $source.Token.WaitHandle | Should -Not -BeNullOrEmpty
        $cmdlet.Dispose()
        # A method, not a property: PowerShell reads a property that throws as $null.
        { $source.CancelAfter([timespan]::FromHours(1)) } | Should -Throw -ExpectedMessage '*disposed*'
    }

    It 'is tripped by a stop before the end' {
        $cmdlet = New-Cmdlet 'InvokeNexusMigrationCommand'
        try {
            $null = $stopProcessing.Invoke($cmdlet, @())
            $stopToken.GetValue($cmdlet).IsCancellationRequested | Should -BeTrue
        }
        finally { $cmdlet.Dispose() }
    }

    It 'takes a stop after the end as a no-op, and its token still reads' {
        $cmdlet = New-Cmdlet 'InvokeNexusMigrationCommand'
        $cmdlet.Dispose()
        { $null = $stopProcessing.Invoke($cmdlet, @()) } | Should -Not -Throw
        $stopToken.GetValue($cmdlet).IsCancellationRequested | Should -BeFalse
        { $cmdlet.Dispose() } | Should -Not -Throw -Because 'PowerShell may dispose twice'
    }
}
