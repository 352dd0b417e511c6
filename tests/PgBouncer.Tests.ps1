# Issue 12, PgBouncer: a real PgBouncer 1.18 in transaction mode in front of a throwaway primary
# (scripts/lib/pgscale.sh; started by this suite, stopped in AfterAll and by scripts/test.sh's EXIT
# trap). pooler: pgbouncer-transaction turns off reset-on-close and automatic preparation, and
# migrations, whose lock is a session advisory lock, go through the direct migration_url or are
# refused. The Metadata, Attribute and Chunk suites then run through PgBouncer and pass.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

Describe 'Behind PgBouncer in transaction mode' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL -or -not $env:NEXUS_SCALE_ROOT) {
    BeforeAll {
        Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
        $script:Module = Import-NexusModuleForTest
        Import-Module "$PSScriptRoot/ScaleTestHelpers.psm1" -Force
        $script:Pair = 'pgbouncer-suite'
        $vars = Start-ScalePair $Pair -PrimaryOnly -PgBouncer
        $script:Pw = $vars.PASSWORD
        $script:PrimaryPort = $vars.PRIMARY_PORT
        $script:BouncerPort = $vars.PGBOUNCER_PORT
        $env:NEXUS_TEST_BOUNCER_PW = $Pw
        $script:ConfigFile = New-ScaleConfigFile 'nexus-bouncer' @"
stores:
  bounced:
    url: postgresql://nexus@127.0.0.1:$BouncerPort/nexus_scale
    password_env: NEXUS_TEST_BOUNCER_PW
    pooler: pgbouncer-transaction
  bounced-direct-migrations:
    url: postgresql://nexus@127.0.0.1:$BouncerPort/nexus_scale
    password_env: NEXUS_TEST_BOUNCER_PW
    pooler: pgbouncer-transaction
    migration_url: postgresql://nexus@127.0.0.1:$PrimaryPort
"@
        $script:ConfigDir = Split-Path $ConfigFile
    }
    AfterAll {
        Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
        Invoke-PgScale 'stop', $Pair
        Remove-Item -Recurse -Force $ConfigDir -ErrorAction SilentlyContinue
        $env:NEXUS_TEST_BOUNCER_PW = $null
    }

    It 'refuses to migrate through PgBouncer without migration_url, saying what to add' {
        $store = Connect-NexusStore -ConfigPath $ConfigFile -Name bounced -WarningAction SilentlyContinue
        (Get-NexusStore).Settings | Where-Object Name -EQ 'pooler' | ForEach-Object Value | Should -Be 'pgbouncer-transaction'
        $failure = try { Invoke-NexusMigration -Confirm:$false -ErrorAction Stop; $null } catch { $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'Nexus.MigrationFailed*'
        $failure.Exception.Message | Should -Match 'PgBouncer in transaction mode.*migration_url'
        $store.SchemaRevision | Should -BeNullOrEmpty
    }

    It 'migrates through the direct migration_url and then works through PgBouncer' {
        $store = Connect-NexusStore -ConfigPath $ConfigFile -Name bounced-direct-migrations -WarningAction SilentlyContinue
        $out = Invoke-NexusMigration -Confirm:$false -Verbose -ErrorAction Stop 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "127.0.0.1:$BouncerPort/nexus_scale is behind PgBouncer: migrating through the direct migration_url 127.0.0.1:$PrimaryPort/nexus_scale."
        (Get-NexusStore).IsSchemaCurrent | Should -BeTrue
        1..30 | ForEach-Object { [pscustomobject]@{ Path = "/bounced/$_.txt"; Size = $_ } } | Set-NexusMetadata
        (Get-NexusMetadata -Prefix /bounced/).Count | Should -Be 30
    }

    It 'passes the Metadata, Attribute and Chunk suites through PgBouncer' {
        # The suites make their databases through the direct admin URL and use them through
        # PgBouncer; NEXUS_CONFIG gives their stores the pooler and the direct migration server.
        $suiteConfig = Join-Path $ConfigDir 'suites.yaml'
        Set-Content $suiteConfig "pooler: pgbouncer-transaction`nmigration_url: postgresql://nexus@127.0.0.1:$PrimaryPort`n"
        $suites = 'Metadata', 'Attribute', 'Chunk' | ForEach-Object { Join-Path $PSScriptRoot "$_.Tests.ps1" }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-NexusInFreshSession -NoModule -TimeoutSeconds 600 -ArgumentList (, $suites) -Environment @{
            TEST_DATABASE_URL       = "postgresql://nexus:$Pw@127.0.0.1:$BouncerPort/nexus_scale"
            NEXUS_TEST_PG_ADMIN_URL = "postgresql://nexus:$Pw@127.0.0.1:$PrimaryPort/postgres"
            NEXUS_CONFIG            = $suiteConfig
        } -ScriptBlock {
            param($suites)
            Import-Module $env:NEXUS_PESTER_PATH
            $c = New-PesterConfiguration
            $c.Run.Path = $suites
            $c.Run.PassThru = $true
            $c.Output.Verbosity = 'Normal'
            $result = Invoke-Pester -Configuration $c
            # Both dialects run (the suites' own -ForEach); count the PostgreSQL ones, which went through PgBouncer.
            $pg = @($result.Tests | Where-Object { $_.ExpandedPath -like '* on postgres.*' })
            "SUITES passed=$(@($pg | Where-Object Result -EQ 'Passed').Count) failed=$(@($pg | Where-Object Result -EQ 'Failed').Count) blocks=$($result.FailedBlocksCount) all-failed=$($result.FailedCount)"
        }
        $watch.Stop()
        $summary = $r.Output | Where-Object { $_ -match '^SUITES ' } | Select-Object -Last 1
        Write-Host "    through PgBouncer: $summary in $([int]$watch.Elapsed.TotalSeconds) s"
        $summary | Should -Match 'failed=0 blocks=0 all-failed=0' -Because ($r.Output | Where-Object { $_ -match '\[-\]|Exception|Error' } | Select-Object -First 20 | Out-String)
        [int]($summary -replace '.*passed=(\d+).*', '$1') | Should -BeGreaterThan 50
    }
}
