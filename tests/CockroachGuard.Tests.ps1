# Issue 13, the CockroachDB guard: a store opened on CockroachDB is refused with an error that
# says what differs for this module (src/Nexus.Core/Dialects/Postgres/CockroachGuard.cs), while
# PostgreSQL is not. CockroachDB cannot be installed here: the detector (a pure function of a
# version text and the crdb_version startup parameter) is tested through the module's own loaded
# Nexus.Core with real version strings of several releases, and a real PostgreSQL goes through
# every way a store is opened without being refused. That the guard fires when a store opens is
# proven in the core tests against a fake server (tests/Nexus.Core.Tests/CockroachGuardOnConnectTests.cs).
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    # version() texts as CockroachDB releases print them (the crdb_version parameter carries the
    # same text), and what the detector must name as the release.
    $script:Cockroach = @(
        @{ Name = 'v19.1 OSS'; Version = 'CockroachDB OSS v19.1.1 (x86_64-linux-gnu, built 2019/05/22 11:04:55, go1.12.5)'; Parameter = $null; Release = 'v19.1.1' }
        @{ Name = 'v20.1 CCL'; Version = 'CockroachDB CCL v20.1.15 (x86_64-unknown-linux-gnu, built 2021/04/26 16:11:58, go1.13.9)'; Parameter = $null; Release = 'v20.1.15' }
        @{ Name = 'v21.1 on macOS'; Version = 'CockroachDB CCL v21.1.5 (x86_64-apple-darwin19, built 2021/07/02 04:00:15, go1.15.11)'; Parameter = $null; Release = 'v21.1.5' }
        @{ Name = 'v23.1'; Version = 'CockroachDB CCL v23.1.8 (x86_64-pc-linux-gnu, built 2023/08/04 18:11:44, go1.19.10)'; Parameter = $null; Release = 'v23.1.8' }
        @{ Name = 'a v23.2 pre-release'; Version = 'CockroachDB CCL v23.2.0-alpha.6 (x86_64-pc-linux-gnu, built 2023/11/07 17:06:25, go1.20.10 X:nocoverageredesign)'; Parameter = $null; Release = 'v23.2.0-alpha.6' }
        @{ Name = 'v26.3 on arm64'; Version = 'CockroachDB CCL v26.3.2 (aarch64-unknown-linux-gnu, built 2026/09/16 12:26:13, go1.26.6)'; Parameter = $null; Release = 'v26.3.2' }
        @{ Name = 'the startup parameter alone'; Version = $null; Parameter = 'CockroachDB OSS v20.1.0'; Release = 'v20.1.0' }
        @{ Name = 'the parameter with a PostgreSQL-looking version()'; Version = 'PostgreSQL 13.0.0'; Parameter = 'CockroachDB CCL v24.1.0 (x86_64-pc-linux-gnu, built 2024/05/15 21:28:29, go1.22.2)'; Release = 'v24.1.0' }
    )
    $script:NotCockroach = @(
        @{ Name = 'PostgreSQL 15 on Debian'; Version = 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit' }
        @{ Name = 'PostgreSQL 17 on arm64'; Version = 'PostgreSQL 17.4 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 12.4.0, 64-bit' }
        @{ Name = 'a Citus coordinator (version() is its PostgreSQL)'; Version = 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit' }
        @{ Name = 'Citus'' own citus_version() text'; Version = 'Citus 13.2.2 on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit' }
        @{ Name = 'an Aurora-like managed PostgreSQL'; Version = 'PostgreSQL 15.4 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 9.5.0, 64-bit' }
        @{ Name = 'YugabyteDB'; Version = 'PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, compiled by clang version 15.0.3, 64-bit' }
        @{ Name = 'Redshift'; Version = 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.12103' }
        @{ Name = 'CockroachDB named later in the text'; Version = 'PostgreSQL 16.2 on x86_64-pc-linux-gnu, compiled by gcc, 64-bit (data migrated from CockroachDB)' }
        @{ Name = 'nothing at all'; Version = $null }
        @{ Name = 'an empty text'; Version = '' }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Module = Import-NexusModuleForTest
    # The module's own loaded Nexus.Core, reached through an open store (as AttributeBulk.Tests.ps1 does).
    $script:ProbeDb = New-TestDatabase -Dialect sqlite
    $probe = Connect-StoreForTest $ProbeDb -NoDefault
    $script:Core = $probe.GetType().Assembly
    $probe | Disconnect-NexusStore
    $script:Detector = $Core.GetType('Nexus.Core.Dialects.Postgres.CockroachDetector', $true)
    $script:Guard = $Core.GetType('Nexus.Core.Dialects.Postgres.CockroachGuard', $true)
}
AfterAll {
    Remove-TestDatabase -ConnectionString $ProbeDb
}

Describe 'The CockroachDB detector' {
    It 'takes <Name> for CockroachDB and names release <Release>' -ForEach $Cockroach {
        $Detector::IsCockroach($Version, $Parameter) | Should -BeTrue
        $Detector::Release($Version, $Parameter) | Should -Be $Release
    }

    It 'does not take <Name> for CockroachDB' -ForEach $NotCockroach {
        $Detector::IsCockroach($Version, $null) | Should -BeFalse
        $Detector::IsCockroach($Version, '') | Should -BeFalse
        $Detector::Release($Version, $null) | Should -BeNullOrEmpty
    }

    It 'reads the startup parameter that only CockroachDB sends' {
        $Detector::ParameterName | Should -Be 'crdb_version'
    }
}

Describe 'The refusal of a CockroachDB server' {
    BeforeAll {
        $refusal = $Guard.GetMethod('Refusal', [Reflection.BindingFlags]'Public,NonPublic,Static')
        $script:Error13 = $refusal.Invoke($null, @('db.example:26257/nexus', 'v23.1.8'))
    }

    It 'is an UnsupportedServer error about the server, shown as NotImplemented' {
        # The type lives in the module's own load context, so compare by name.
        $Error13.GetType().FullName | Should -Be 'Nexus.Core.Store.NexusException'
        "$($Error13.Kind)" | Should -Be 'UnsupportedServer'
        $Error13.Target | Should -Be 'db.example:26257/nexus'
        $records = $Module.ImplementingAssembly.GetType('Nexus.PowerShell.ErrorRecords', $true)
        $record = $records.GetMethod('From', [type[]]@($Error13.GetType(), [object])).Invoke($null, @($Error13, $null))
        $record.CategoryInfo.Category | Should -Be 'NotImplemented'
        $record.FullyQualifiedErrorId | Should -Be 'Nexus.UnsupportedServer'
    }

    It 'names the server, its release and that nothing was written' {
        $Error13.Message | Should -Match 'db\.example:26257/nexus is CockroachDB v23\.1\.8, not PostgreSQL'
        $Error13.Message | Should -Match 'has not written anything'
    }

    It 'lists what differs for this module: <What>' -ForEach @(
        @{ What = 'the migration lock'; Pattern = 'advisory locks .* lock nothing.*migration lock' }
        @{ What = 'jsonb_path_ops GIN'; Pattern = 'jsonb_path_ops.*0001 and 0003' }
        @{ What = 'DDL after writes'; Pattern = 'DDL\) after writes in the same transaction fail' }
        @{ What = 'binary COPY TO'; Pattern = 'COPY \.\.\. TO in binary format is not implemented' }
        @{ What = 'serializable retries'; Pattern = 'SERIALIZABLE.*40001' }
    ) {
        $Error13.Message | Should -Match $Pattern
    }

    It 'says what to use instead' {
        $Error13.Message | Should -Match 'Use PostgreSQL'
        $Error13.Message | Should -Match 'docs/COCKROACHDB\.md'
    }
}

Describe 'A real PostgreSQL is not refused' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $script:Cs = New-TestDatabase -Dialect postgres
        $script:Cs2 = New-TestDatabase -Dialect postgres
    }
    AfterAll {
        Remove-TestDatabase -ConnectionString $Cs
        Remove-TestDatabase -ConnectionString $Cs2
    }

    It 'is not CockroachDB by its own version() and startup parameters' {
        $version = Invoke-TestSql $Cs 'SELECT version()'
        $version | Should -Match '^PostgreSQL '
        $store = Connect-NexusStore -ConnectionString $Cs -NoDefault -WarningAction SilentlyContinue
        try {
            $connection = $store.OpenConnection()
            try { $parameters = $connection.PostgresParameters } finally { $connection.Dispose() }
            $parameters.ContainsKey('server_version') | Should -BeTrue   # the parameters were read
            $parameters.ContainsKey('crdb_version') | Should -BeFalse
            $Detector::IsCockroach($version, $null) | Should -BeFalse
        }
        finally { $store | Disconnect-NexusStore }
    }

    It 'opens with Connect-NexusStore, migrates with -ConnectionString and stores a record' {
        $migrated = Invoke-NexusMigration -ConnectionString $Cs -Confirm:$false
        $migrated | Should -Not -BeNullOrEmpty
        $store = Connect-NexusStore -ConnectionString $Cs -NoDefault -WarningAction SilentlyContinue
        try {
            $store.ServerVersion | Should -Match '^PostgreSQL \d+'
            Set-NexusMetadata -Store $store -Path '/crdb-guard/a' -Size 3
            (Get-NexusMetadata -Store $store -Path '/crdb-guard/a').Size | Should -Be 3
        }
        finally { $store | Disconnect-NexusStore }
    }

    It 'copies into a PostgreSQL destination named by its URL' {
        $results = @(Copy-NexusData -Source $Cs -Destination $Cs2 -Confirm:$false)
        $results.Count | Should -BeGreaterThan 0
        [int](Invoke-TestSql $Cs2 "SELECT count(*) FROM file_paths WHERE virtual_path = '/crdb-guard/a'") | Should -Be 1
    }
}
