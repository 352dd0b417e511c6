# Issue 14 ("Ten million records"): a small run of the size mode of the store bench
# (scripts/bench/Measure-StoreScale.ps1, which `bash scripts/bench-store.sh scale N` runs at 10M
# for docs/SCALE.md), so that the bench keeps working. It checks that the report has every
# figure, not that the figures meet their targets (a 20k store on a loaded machine says little).
# Tagged 'Bench': NEXUS_TEST_EXCLUDE_TAG=Bench leaves it out.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:bench = Join-Path $PSScriptRoot '../scripts/bench/Measure-StoreScale.ps1'
}

Describe 'Store bench size mode on <Dialect>' -Tag 'Bench' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $work = Join-Path ([IO.Path]::GetTempPath()) "nexus-bench-smoke-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory $work
        $reportPath = Join-Path $work 'report.json'
        $pwsh = (Get-Process -Id $PID).Path
        $pwshArgs = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $pwshArgs += [Environment]::GetCommandLineArgs()[0] }
        # Half the records piped, half built with SQL, so both paths of the bench run.
        $output = & $pwsh @pwshArgs -NoProfile -NonInteractive -File $script:bench -ConnectionString $cs -Count 20000 -PutCount 10000 `
            -Sample 500 -WorkFolder $work -ReportPath $reportPath -ModulePath $env:NEXUS_MODULE_PATH 2>&1
        $exitCode = $LASTEXITCODE
        $report = if (Test-Path $reportPath) { Get-Content $reportPath -Raw | ConvertFrom-Json } else { $null }
    }
    AfterAll {
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'finishes and writes a report' {
        $exitCode | Should -Be 0 -Because ($output -join "`n")
        $report | Should -Not -BeNullOrEmpty
        $report.dialect | Should -Be $Dialect
        $report.records | Should -Be 20000
        $report.sql_built_records | Should -Be 10000
    }

    It 'reports <Figure> as a positive number' -ForEach (@(
        'build_seconds', 'put_per_second', 'get_module_ms_per_path', 'get_raw_ms_per_path', 'get_ratio',
        'prefix_module_ms', 'prefix_raw_ms', 'prefix_ratio', 'attribute_ms', 'store_mb',
        'list_all_seconds', 'export_seconds', 'export_per_second', 'export_mb'
    ) | ForEach-Object { @{ Figure = $_ } }) {
        $report.$Figure | Should -BeGreaterThan 0
    }

    It 'reports the peak memory of <Figure>' -ForEach (@(
        'memory_idle_mb', 'memory_put_mb', 'memory_get_mb', 'memory_list_mb', 'memory_attribute_mb', 'memory_export_mb'
    ) | ForEach-Object { @{ Figure = $_ } }) {
        $report.$Figure | Should -BeGreaterThan 20
        $report.$Figure | Should -BeLessThan 4096
    }

    It 'answers the queries it was built for' {
        $report.prefix_records | Should -Be 1000
        $report.attribute_records | Should -Be 100
        $report.memory_worst_over_idle_mb | Should -Not -BeNullOrEmpty
    }
}
