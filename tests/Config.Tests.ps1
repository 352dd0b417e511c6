# Issue 12, configuration: ./nexus.yaml, ~/.nexus/config.yaml, NEXUS_CONFIG / -ConfigPath, the
# original system's environment variables, named stores (-Name, Tab completion), pool settings,
# precedence (parameter > environment > file > default) and Get-NexusStore's sources.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Module = Import-NexusModuleForTest
    $script:ConfigVariables = 'NEXUS_CONFIG', 'NEXUS_DATABASE_URL', 'DATABASE_URL', 'NEXUS_DB_POOL_SIZE',
        'NEXUS_DB_MAX_OVERFLOW', 'NEXUS_DB_POOL_RECYCLE', 'NEXUS_READ_REPLICA_URL', 'NEXUS_TEST_CONFIG_PW'

    # A fresh folder holding the given files (name => text); returns its path.
    function New-ConfigFolder([hashtable] $Files) {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("nexus-config-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $dir
        foreach ($name in $Files.Keys) { Set-Content -LiteralPath (Join-Path $dir $name) -Value $Files[$name] -NoNewline }
        $dir
    }

    # The error record of a command that must fail.
    function Get-Failure([scriptblock] $Script) {
        try { & $Script; $null } catch { $_ }
    }

    function Get-Setting($Store, [string] $Name) { $Store.Settings | Where-Object Name -EQ $Name }
}

AfterAll {
    Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
}

Describe 'The configuration file on SQLite' {
    BeforeEach { $script:Saved = @{}; foreach ($v in $ConfigVariables) { $Saved[$v] = [Environment]::GetEnvironmentVariable($v); [Environment]::SetEnvironmentVariable($v, $null) } }
    AfterEach {
        Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
        Pop-Location -ErrorAction SilentlyContinue
        foreach ($v in $ConfigVariables) { [Environment]::SetEnvironmentVariable($v, $Saved[$v]) }
    }

    It 'reads database_url from ./nexus.yaml when nothing else is given' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "# the original system's file`nmode: embedded`ndatabase_url: sqlite:///from-file.db`n" }
        Push-Location $dir
        $store = Connect-NexusStore
        $store.Database | Should -Be (Join-Path $dir 'from-file.db')
        $url = Get-Setting $store 'url'
        $url.Source | Should -Be 'File'
        $url.Origin | Should -BeLike "database_url ($dir/nexus.yaml:3)"
    }

    It 'reads a JSON file too (JSON is YAML)' {
        $dir = New-ConfigFolder @{ 'nexus.json' = '{ "database_url": "sqlite:///from-json.db" }' }
        $store = Connect-NexusStore -ConfigPath (Join-Path $dir 'nexus.json')
        $store.Database | Should -BeLike '*from-json.db'
        (Get-Setting $store 'config_file').Source | Should -Be 'Parameter'
    }

    It 'lets NEXUS_DATABASE_URL win over the file, and NEXUS_CONFIG point at another file' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "database_url: sqlite:///local.db`n"; 'other.yaml' = "database_url: sqlite:///other.db`n" }
        Push-Location $dir
        $env:NEXUS_CONFIG = Join-Path $dir 'other.yaml'
        (Connect-NexusStore).Database | Should -BeLike '*other.db'
        $env:NEXUS_DATABASE_URL = 'sqlite:///env.db'
        $store = Connect-NexusStore
        $store.Database | Should -BeLike '*env.db'
        (Get-Setting $store 'url').Origin | Should -Be 'NEXUS_DATABASE_URL'
    }

    It 'falls back to ~/.nexus/config.yaml' {
        $home2 = New-ConfigFolder @{}
        $null = New-Item -ItemType Directory (Join-Path $home2 '.nexus')
        Set-Content (Join-Path $home2 '.nexus/config.yaml') "database_url: sqlite:///$home2/home.db"
        $work = New-ConfigFolder @{}
        $r = Invoke-NexusInFreshSession -Environment @{ HOME = $home2 } -ArgumentList $work -ScriptBlock {
            param($work)
            Set-Location $work
            (Connect-NexusStore).Database
        }
        $r.Output | Should -Contain "$home2/home.db"
    }

    It 'rejects <Case> naming the file, the key and the line' -ForEach @(
        @{ Case = 'an unknown key'; Text = "database_url: sqlite:///a.db`ndatabse_pool: 3`n"; Key = 'databse_pool'; Line = 2 }
        @{ Case = 'an unknown pool key'; Text = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n    pool:`n      maxx: 3`n"; Key = 'stores.prod.pool.maxx'; Line = 5 }
        @{ Case = 'a wrong type'; Text = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n    pool:`n      max: lots`n"; Key = 'stores.prod.pool.max'; Line = 5 }
        @{ Case = 'a mapping where a number belongs'; Text = "pool_size:`n  a: 1`n"; Key = 'pool_size'; Line = 2 }
        @{ Case = 'min larger than max'; Text = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n    pool: { max: 2, min: 5 }`n"; Key = 'stores.prod.pool.min'; Line = 4 }
        @{ Case = 'an unknown read_preference'; Text = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n    read_replica_urls: [postgresql://app@r1/nexus]`n    read_preference: nearest`n"; Key = 'stores.prod.read_preference'; Line = 5 }
        @{ Case = 'a password in a URL'; Text = "stores:`n  prod:`n    url: postgresql://app:S3cretPw@db/nexus`n"; Key = 'stores.prod.url'; Line = 3 }
        @{ Case = 'a password in a replica URL'; Text = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n    read_replica_urls:`n      - postgresql://app:S3cretPw@r1/nexus`n"; Key = 'stores.prod.read_replica_urls[0]'; Line = 5 }
        @{ Case = 'a Password= in a connection string'; Text = "database_url: 'Host=db;Username=app;Password=S3cretPw'`n"; Key = 'database_url'; Line = 1 }
        @{ Case = 'broken YAML'; Text = "stores:`n  prod: [unclosed`n"; Key = $null; Line = 3 }
    ) {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = $Text }
        $file = Join-Path $dir 'nexus.yaml'
        $failure = Get-Failure { Connect-NexusStore -ConfigPath $file -Name prod }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'Nexus.InvalidConfiguration*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
        $failure.Exception.Message | Should -BeLike "$file`:$Line`:*"
        if ($Key) { $failure.Exception.Message.Contains("'$Key'") | Should -BeTrue -Because $failure.Exception.Message }
        $failure.Exception.Message | Should -Not -Match 'S3cretPw'
    }

    It 'names the stores the file has when -Name is not one of them' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n  staging:`n    url: postgresql://app@db2/nexus`n" }
        $failure = Get-Failure { Connect-NexusStore -ConfigPath (Join-Path $dir 'nexus.yaml') -Name qa }
        $failure.Exception.Message | Should -Match "no store named 'qa'.*prod, staging"
    }

    It 'refuses a -ConfigPath or NEXUS_CONFIG that does not exist' {
        (Get-Failure { Connect-NexusStore -ConfigPath ./no-such.yaml }).Exception.Message | Should -Match 'no-such.yaml.*does not exist'
        $env:NEXUS_CONFIG = '/nonexistent/nexus.yaml'
        (Get-Failure { Connect-NexusStore }).Exception.Message | Should -Match 'NEXUS_CONFIG'
    }

    It 'completes -Name with the stores of ./nexus.yaml' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "stores:`n  prod:`n    url: postgresql://app@db/nexus`n  prod-eu:`n    url: postgresql://app@db2/nexus`n  staging:`n    url: postgresql://app@db3/nexus`n" }
        Push-Location $dir
        $line = 'Connect-NexusStore -Name pr'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('prod', 'prod-eu')
    }
}

Describe 'Named stores and pool settings on PostgreSQL' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $script:Cs = New-TestDatabase -Dialect postgres
        $null = $Cs -match '^postgres(ql)?://(?<user>[^:]+):(?<pw>[^@]+)@(?<hp>[^/]+)/(?<db>[^?]+)'
        $script:Pw = $Matches.pw
        $script:NoPasswordUrl = "postgresql://$($Matches.user)@$($Matches.hp)/$($Matches.db)"
    }
    AfterAll { Remove-TestDatabase -ConnectionString $Cs }
    BeforeEach {
        $script:Saved = @{}; foreach ($v in $ConfigVariables) { $Saved[$v] = [Environment]::GetEnvironmentVariable($v); [Environment]::SetEnvironmentVariable($v, $null) }
        $env:NEXUS_TEST_CONFIG_PW = $Pw
    }
    AfterEach {
        Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
        Pop-Location -ErrorAction SilentlyContinue
        foreach ($v in $ConfigVariables) { [Environment]::SetEnvironmentVariable($v, $Saved[$v]) }
    }

    It 'connects to a named store with its pool settings, password from password_env' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = @"
stores:
  prod:
    url: $NoPasswordUrl
    password_env: NEXUS_TEST_CONFIG_PW
    pool:
      max: 4
      min: 1
      timeout: 5
      lifetime: 60
      idle_lifetime: 30
"@ }
        Push-Location $dir
        $store = Connect-NexusStore -Name prod -WarningAction SilentlyContinue
        $store.Name | Should -Be 'prod'
        $store.MaxPoolSize | Should -Be 4
        $store.MinPoolSize | Should -Be 1
        foreach ($pair in @(@('pool.max', 4, 6), @('pool.min', 1, 7), @('pool.timeout', 5, 8), @('pool.lifetime', 60, 9), @('pool.idle_lifetime', 30, 10))) {
            $setting = Get-Setting $store $pair[0]
            $setting.Value | Should -Be $pair[1]
            $setting.Source | Should -Be 'File'
            $setting.Origin | Should -Be "stores.prod.$($pair[0]) ($dir/nexus.yaml:$($pair[2]))"
        }
        (Get-Setting $store 'password').Origin | Should -Match '^NEXUS_TEST_CONFIG_PW \(password_env'
        # Parameters beat the file.
        $store = Connect-NexusStore -Name prod -MaxPoolSize 9 -WarningAction SilentlyContinue
        (Get-Setting $store 'pool.max').Source | Should -Be 'Parameter'
        $store.MaxPoolSize | Should -Be 9
    }

    It 'says which variable password_env names when it is not set' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "stores:`n  prod:`n    url: $NoPasswordUrl`n    password_env: NEXUS_TEST_CONFIG_PW`n" }
        $env:NEXUS_TEST_CONFIG_PW = $null
        $failure = Get-Failure { Connect-NexusStore -ConfigPath (Join-Path $dir 'nexus.yaml') -Name prod }
        $failure.Exception.Message | Should -Match 'nexus.yaml:4.*NEXUS_TEST_CONFIG_PW, which is not set'
    }

    It 'takes a -Credential over password_env' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "stores:`n  prod:`n    url: $NoPasswordUrl`n    password_env: NEXUS_TEST_CONFIG_PW`n" }
        $env:NEXUS_TEST_CONFIG_PW = 'wrong-password'
        $user = ($NoPasswordUrl -split '[/@]')[2]
        $credential = [pscredential]::new($user, (ConvertTo-SecureString $Pw -AsPlainText -Force))
        $store = Connect-NexusStore -ConfigPath (Join-Path $dir 'nexus.yaml') -Name prod -Credential $credential -WarningAction SilentlyContinue
        (Get-Setting $store 'password').Source | Should -Be 'Parameter'
    }

    It 'applies parameter > environment > file > default to the pool of the default store' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "database_url: $NoPasswordUrl`npassword_env: NEXUS_TEST_CONFIG_PW`npool_size: 5`nmax_overflow: 1`npool_recycle: 120`n"; 'empty.yaml' = '' }
        Push-Location $dir
        $store = Connect-NexusStore -WarningAction SilentlyContinue
        $store.MaxPoolSize | Should -Be 6 -Because 'pool_size + max_overflow, as SQLAlchemy counts'
        (Get-Setting $store 'pool.max').Source | Should -Be 'File'
        (Get-Setting $store 'pool.lifetime').Value | Should -Be 120

        $env:NEXUS_DB_POOL_SIZE = '10'
        $env:NEXUS_DB_POOL_RECYCLE = '300'
        $store = Connect-NexusStore -WarningAction SilentlyContinue
        $store.MaxPoolSize | Should -Be 11
        (Get-Setting $store 'pool.max').Origin | Should -Be 'NEXUS_DB_POOL_SIZE'
        (Get-Setting $store 'pool.lifetime').Value | Should -Be 300
        (Get-Setting $store 'pool.lifetime').Source | Should -Be 'Environment'

        $store = Connect-NexusStore -MaxPoolSize 3 -WarningAction SilentlyContinue
        $store.MaxPoolSize | Should -Be 3
        (Get-Setting $store 'pool.max').Source | Should -Be 'Parameter'

        $env:NEXUS_DB_POOL_SIZE = $null; $env:NEXUS_DB_POOL_RECYCLE = $null
        $env:NEXUS_DATABASE_URL = $Cs
        $store = Connect-NexusStore -ConfigPath ./empty.yaml -WarningAction SilentlyContinue
        $store.MaxPoolSize | Should -Be 100
        (Get-Setting $store 'pool.max').Source | Should -Be 'Default'
        (Get-Setting $store 'url').Source | Should -Be 'Environment'

        $env:NEXUS_DB_POOL_SIZE = 'many'
        (Get-Failure { Connect-NexusStore -WarningAction SilentlyContinue }).Exception.Message | Should -Match "NEXUS_DB_POOL_SIZE is 'many'"
    }

    It 'never shows the password, in the store or its settings' {
        $env:NEXUS_DATABASE_URL = $Cs
        $null = Connect-NexusStore -WarningAction SilentlyContinue
        $shown = (Get-NexusStore | Format-List * | Out-String) + ((Get-NexusStore).Settings | Format-Table -AutoSize | Out-String -Width 400)
        $shown | Should -Match 'NEXUS_DATABASE_URL'
        $shown | Should -Not -Match ([regex]::Escape($Pw))
    }

    It 'fails a fourth concurrent connection with a clear pool-exhausted error after pool.timeout when max is 3' {
        $dir = New-ConfigFolder @{ 'nexus.yaml' = "stores:`n  small:`n    url: $NoPasswordUrl`n    password_env: NEXUS_TEST_CONFIG_PW`n    pool: { max: 3, timeout: 2 }`n" }
        $store = Connect-NexusStore -ConfigPath (Join-Path $dir 'nexus.yaml') -Name small -WarningAction SilentlyContinue
        $held = 1..3 | ForEach-Object { $store.OpenConnection('Write') }
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $failure = Get-Failure { $store.OpenConnection('Write') }
            $watch.Stop()
            $failure | Should -Not -BeNullOrEmpty
            $failure.Exception.InnerException.Kind | Should -Be 'Timeout'
            $failure.Exception.InnerException.Message | Should -Match 'pool.*3 connections.*pool.max'
            $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.5
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
        }
        finally { $held | ForEach-Object { $_.Dispose() } }
        # Once one is returned, the pool serves again.
        $again = $store.OpenConnection('Write'); $again.Dispose()
    }
}
