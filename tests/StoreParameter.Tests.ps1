# Issue 10, point 3: one store argument. -Store, -Source, -Destination and -ConnectionString take
# the same forms (a connected store, a URL, an ADO.NET string, a SQLite file path where files are
# taken), with surrounding blanks ignored everywhere; a wrong string gets the same error from
# every cmdlet; Copy-NexusData's -SourceCredential/-DestinationCredential log in to one side each
# and never show the password. Point 5: one hashtable-to-attributes conversion.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Dialects = Get-TestDialects
    $script:Forms = foreach ($d in $Dialects.Dialect) {
        $names = if ($d -eq 'sqlite') { 'store', 'url', 'ado', 'path' } else { 'store', 'url', 'ado' }
        foreach ($n in $names) {
            @{ Dialect = $d; Form = $n; Padded = $false }
            if ($n -ne 'store') { @{ Dialect = $d; Form = $n; Padded = $true } }
        }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "storeparam-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null
    Push-Location $Work

    # A new SQLite store URL inside $Work (relative paths then name it from the current location).
    function New-WorkDatabase { "sqlite:///$(Join-Path $Work "$([guid]::NewGuid().ToString('N').Substring(0, 12)).db")" }

    function New-Database([string] $Dialect) { if ($Dialect -eq 'sqlite') { New-WorkDatabase } else { New-TestDatabase -Dialect postgres } }

    function Get-PgParts([string] $Url) {
        $null = $Url -match '^postgres(ql)?://(?<user>[^:]+):(?<pw>[^@]+)@(?<host>[^:/]+):(?<port>\d+)/(?<db>[^?]+)'
        [pscustomobject]@{ User = $Matches.user; Password = [uri]::UnescapeDataString($Matches.pw); Host = $Matches.host; Port = $Matches.port; Database = $Matches.db }
    }

    # The store at URL $Cs written in form $Form (store, url, ado, path), with blanks around text when $Padded.
    function Get-StoreArgument([string] $Form, [string] $Cs, [bool] $Padded) {
        if ($Form -eq 'store') { return Connect-NexusStore $Cs -NoDefault -WarningAction SilentlyContinue }
        $text = switch ($Form) {
            'url' { $Cs }
            'ado' {
                if ($Cs -like 'sqlite:*') { "Data Source=$($Cs -replace '^sqlite:///', '')" }
                else { $p = Get-PgParts $Cs; "Host=$($p.Host);Port=$($p.Port);Database=$($p.Database);Username=$($p.User);Password=$($p.Password)" }
            }
            'path' { './' + (Split-Path -Leaf ($Cs -replace '^sqlite:///', '')) }
        }
        if ($Padded) { "  `t$text `t " } else { $text }
    }

    function Close-StoreArgument($Argument) { if ($null -ne $Argument -and $Argument.GetType().Name -eq 'NexusStore') { Disconnect-NexusStore -Store $Argument } }

    # Names in $Work that start or end with a blank: what an unstripped path would have created.
    function Get-BlankNames { @(Get-ChildItem -LiteralPath $Work -Recurse -Force | Where-Object { $_.Name -ne $_.Name.Trim() }) }
}

AfterAll {
    Pop-Location
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Each store form on -Store, -Source, -Destination and -ConnectionString (<Dialect> <Form>, padded: <Padded>)' -ForEach $Forms {
    BeforeAll {
        $script:Source = if ($Dialect -eq 'sqlite') { New-WorkDatabase } else { New-TestDatabase -Dialect postgres }
        $store = Connect-NexusStore $Source -NoDefault -WarningAction SilentlyContinue
        Invoke-NexusMigration -Store $store -Confirm:$false | Out-Null
        Disconnect-NexusStore -Store $store
        Add-FixtureRows $Source
    }
    AfterAll { Remove-TestDatabase $Source }
    # A failure that made a blank-named file must not fail the tests after it too.
    AfterEach { Get-BlankNames | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue }

    It 'reads the store named by -Store (a record cmdlet and a migration cmdlet)' {
        $argument = Get-StoreArgument $Form $Source $Padded
        try {
            @(Get-NexusMetadata -Store $argument -Tenant tenant-a).Count | Should -Be 1
            @(Get-NexusMetadata -Store $argument -Tenant tenant-b -Path /docs/report.pdf).Count | Should -Be 1
            @(Get-NexusMigration -Store $argument | Where-Object State -EQ 'Applied').Count | Should -BeGreaterThan 0
        }
        finally { Close-StoreArgument $argument }
        Get-BlankNames | Should -BeNullOrEmpty
    }

    It 'copies from the store named by -Source' {
        $argument = Get-StoreArgument $Form $Source $Padded
        $target = New-WorkDatabase
        try {
            $r = @(Copy-NexusData -Source $argument -Destination $target)
            $r.Match | Should -Be @($true, $true, $true)
            $r.RowsWritten | Should -Be @(3, 15, 2)
        }
        finally { Close-StoreArgument $argument; Remove-TestDatabase $target }
        Get-BlankNames | Should -BeNullOrEmpty
    }

    It 'copies into the store named by -Destination' {
        $target = New-Database $Dialect
        $argument = Get-StoreArgument $Form $target $Padded
        try {
            $r = @(Copy-NexusData -Source $Source -Destination $argument)
            $r.Match | Should -Be @($true, $true, $true)
            Get-RowCounts $target | Should -Be '3/15/2'
        }
        finally { Close-StoreArgument $argument; Remove-TestDatabase $target }
        Get-BlankNames | Should -BeNullOrEmpty
    }

    It 'opens the store named by -ConnectionString (Connect-NexusStore, Get-NexusMigration), or refuses a file path as before' {
        $argument = Get-StoreArgument $Form $Source $Padded
        try {
            if ($Form -eq 'path') {
                $err = { Connect-NexusStore -ConnectionString $argument -NoDefault } | Should -Throw -PassThru
                $err.Exception.Message | Should -BeLike '*-Path*'
                { Get-NexusMigration -ConnectionString $argument } | Should -Throw '*-Path*'
                return
            }
            $s = Connect-NexusStore -ConnectionString $argument -NoDefault -WarningAction SilentlyContinue
            try {
                $s.Provider | Should -Be ($Dialect -eq 'sqlite' ? 'Sqlite' : 'PostgreSql')
                if ($Form -eq 'store') { [object]::ReferenceEquals($s, $argument) | Should -BeTrue }
            }
            finally { if ($Form -ne 'store') { Disconnect-NexusStore -Store $s } }
            @(Get-NexusMigration -ConnectionString $argument | Where-Object State -EQ 'Applied').Count | Should -BeGreaterThan 0
        }
        finally { Close-StoreArgument $argument }
    }
}

Describe 'A file path with blanks around it names the file, on -Source and -Destination' {
    AfterEach { Get-BlankNames | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue }

    It 'copies " ./a.db " into "	./b.db  " without creating a file or folder named with a blank' {
        $a = New-WorkDatabase
        $store = Connect-NexusStore $a -NoDefault -WarningAction SilentlyContinue
        Invoke-NexusMigration -Store $store -Confirm:$false | Out-Null
        Disconnect-NexusStore -Store $store
        Add-FixtureRows $a
        $aName = Split-Path -Leaf ($a -replace '^sqlite:///', '')
        $bName = "b-$([guid]::NewGuid().ToString('N').Substring(0, 8)).db"
        $r = @(Copy-NexusData -Source " ./$aName " -Destination "`t./$bName  ")
        $r.Match | Should -Be @($true, $true, $true)
        Test-Path -LiteralPath (Join-Path $Work $bName) | Should -BeTrue
        Get-BlankNames | Should -BeNullOrEmpty
        Remove-TestDatabase $a; Remove-TestDatabase "sqlite:///$(Join-Path $Work $bName)"
    }

    It 'refuses a -Store file that does not exist, without creating it' {
        $name = "missing-$([guid]::NewGuid().ToString('N').Substring(0, 8)).db"
        $err = { Get-NexusMetadata -Store " ./$name" -Path /a } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike "*$name*does not exist*"
        Test-Path -LiteralPath (Join-Path $Work $name) | Should -BeFalse
        Get-BlankNames | Should -BeNullOrEmpty
    }
}

Describe 'A wrong store argument gets the same error from every cmdlet' {
    BeforeAll {
        $script:Good = New-WorkDatabase
        $s = Connect-NexusStore $Good -NoDefault -WarningAction SilentlyContinue
        Disconnect-NexusStore -Store $s
        $script:Calls = [ordered]@{
            'Connect-NexusStore -ConnectionString' = { param($t) Connect-NexusStore -ConnectionString $t -NoDefault }
            'Get-NexusMigration -ConnectionString' = { param($t) Get-NexusMigration -ConnectionString $t }
            'Invoke-NexusMigration -ConnectionString' = { param($t) Invoke-NexusMigration -ConnectionString $t -Confirm:$false }
            'Invoke-NexusMigration -Store -Script' = { param($t) Invoke-NexusMigration -Store $t -Script }
            'Get-NexusMigration -Store' = { param($t) Get-NexusMigration -Store $t }
            'Get-NexusMetadata -Store' = { param($t) Get-NexusMetadata -Store $t -Path /a.txt }
            'Set-NexusAttribute -Store' = { param($t) Set-NexusAttribute -Store $t -Path /a.txt -Key k -Value 1 }
            'Test-NexusStore -Store' = { param($t) Test-NexusStore -Store $t }
            'Export-NexusData -Store' = { param($t) Export-NexusData -Store $t -Path (Join-Path $Work 'export-never') }
            'Copy-NexusData -Source' = { param($t) Copy-NexusData -Source $t -Destination (Join-Path $Work 'never.db') }
            'Copy-NexusData -Destination' = { param($t) Copy-NexusData -Source $Good -Destination $t }
        }
        function Get-Errors([string] $Text) {
            foreach ($name in $Calls.Keys) {
                $err = $null
                try { & $Calls[$name] $Text | Out-Null } catch { $err = $_ }
                [pscustomobject]@{ Call = $name; Error = $err }
            }
        }
    }
    AfterAll { Remove-TestDatabase $Good }

    It 'names the unsupported scheme of <Text>, the same way everywhere' -ForEach @(
        @{ Text = 'mysql://u@host/db' }
        @{ Text = "  mysql://u@host/db`t" }
        @{ Text = 'postgresql://u@host/db?frobnicate=1' }
    ) {
        $errors = @(Get-Errors $Text)
        foreach ($e in $errors) { $e.Error | Should -Not -BeNullOrEmpty -Because "$($e.Call) must refuse '$Text'" }
        @($errors.Error.CategoryInfo.Category | Sort-Object -Unique) | Should -Be @('InvalidArgument')
        @($errors | ForEach-Object { $_.Error.Exception.Message } | Sort-Object -Unique).Count | Should -Be 1 -Because ($errors | ForEach-Object { "$($_.Call): $($_.Error.Exception.Message)" } | Out-String)
        Test-Path -LiteralPath (Join-Path $Work 'never.db') | Should -BeFalse
    }

    It 'refuses blank text as "takes a store …" on every cmdlet' {
        $errors = @(Get-Errors "  `t ")
        foreach ($e in $errors) {
            $e.Error | Should -Not -BeNullOrEmpty -Because $e.Call
            $e.Error.CategoryInfo.Category | Should -Be 'InvalidArgument' -Because $e.Call
            $e.Error.Exception.Message | Should -BeLike '*takes a store (from Connect-NexusStore), a URL*' -Because $e.Call
        }
    }

    It 'refuses a value that is no store and no text, naming the parameter' {
        { Copy-NexusData -Source 42 -Destination (Join-Path $Work 'never.db') } | Should -Throw '*-Source takes a store*'
        { Get-NexusMetadata -Store 42 -Path /a.txt } | Should -Throw '*-Store takes a store*'
    }
}

Describe 'Copy-NexusData -SourceCredential and -DestinationCredential' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $script:Pg = Get-PgParts $env:TEST_DATABASE_URL
        $script:Canary = 'Canary-' + [guid]::NewGuid().ToString('N')
        $script:Role = 'nexus_cred_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "CREATE ROLE $Role LOGIN SUPERUSER PASSWORD '$Canary'" | Out-Null
        $script:Login = [pscredential]::new($Role, (ConvertTo-SecureString $Canary -AsPlainText -Force))
        $script:Source = New-FixtureStore postgres
        Add-FixtureRows $Source
        $sp = Get-PgParts $Source
        # The source's URL with another user and a wrong password: the credential replaces both.
        $script:SourceWrongLogin = "postgresql://somebody:not-it@$($sp.Host):$($sp.Port)/$($sp.Database)"
        function Get-Owner([string] $Cs) { Invoke-TestSql $Cs "SELECT tableowner FROM pg_tables WHERE tablename = 'file_paths'" }
        function Assert-NoCanary([string] $Text) { $Text | Should -Not -Match ([regex]::Escape($Canary)) }
    }
    AfterAll {
        Remove-TestDatabase $Source
        Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "DROP ROLE IF EXISTS $Role" | Out-Null
    }

    It 'logs in to the source with -SourceCredential only (the destination keeps its own login)' {
        $target = New-TestDatabase -Dialect postgres
        try {
            $out = Copy-NexusData -Source $SourceWrongLogin -SourceCredential $Login -Destination $target -Verbose *>&1
            @($out | Where-Object { $_.GetType().Name -eq 'TableTransferResult' }).Match | Should -Be @($true, $true, $true)
            Get-Owner $target | Should -Be $Pg.User
            Assert-NoCanary ($out | Out-String)
        }
        finally { Remove-TestDatabase $target }
    }

    It 'logs in to the destination with -DestinationCredential only' {
        $target = New-TestDatabase -Dialect postgres
        $tp = Get-PgParts $target
        try {
            $out = Copy-NexusData -Source $Source -Destination "postgresql://$($tp.Host):$($tp.Port)/$($tp.Database)" -DestinationCredential $Login -Verbose *>&1
            @($out | Where-Object { $_.GetType().Name -eq 'TableTransferResult' }).Match | Should -Be @($true, $true, $true)
            Get-Owner $target | Should -Be $Role
            Assert-NoCanary ($out | Out-String)
        }
        finally { Remove-TestDatabase $target }
    }

    It 'shows no password when the login is refused: message, record, verbose' {
        $wrong = [pscredential]::new($Role, (ConvertTo-SecureString ($Canary + '-wrong') -AsPlainText -Force))
        $Error.Clear()
        $err = { Copy-NexusData -Source $Source -SourceCredential $wrong -Destination (New-WorkDatabase) -Verbose 4>&1 | Out-Null } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        Assert-NoCanary ($err | Format-List * -Force | Out-String)
        Assert-NoCanary ($err.Exception | Format-List * -Force | Out-String)
        Assert-NoCanary ($Error | Out-String)
    }

    It 'refuses a credential for a store that is already connected, or not given' {
        $store = Connect-NexusStore $Source -NoDefault -WarningAction SilentlyContinue
        try {
            $err = { Copy-NexusData -Source $store -SourceCredential $Login -Destination (New-WorkDatabase) } | Should -Throw -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike '*-SourceCredential*already connected*'
            { Copy-NexusData -Store $store -SourceCredential $Login -Destination (New-WorkDatabase) } | Should -Throw '*-SourceCredential*not given*'
            { Copy-NexusData -Source $Source -Destination $store -DestinationCredential $Login } | Should -Throw '*-DestinationCredential*already connected*'
        }
        finally { Disconnect-NexusStore -Store $store }
    }
}

Describe 'One hashtable-to-attributes conversion (<Dialect>)' -ForEach $Dialects {
    BeforeAll {
        $script:Cs = New-Database $Dialect
        $script:Store = Connect-StoreForTest $Cs -NoDefault
        Set-NexusMetadata -Store $Store -Path /h.txt -BackendName local -PhysicalPath /p/h -Size 1
    }
    AfterAll { Disconnect-NexusStore -Store $Store; Remove-TestDatabase $Cs }

    It 'refuses a [pscustomobject] key (which PowerShell hands over wrapped) the same way in Set-NexusAttribute and Get-NexusMetadata' {
        $key = [pscustomobject]@{ Name = 'colour' }
        $set = { Set-NexusAttribute -Store $Store -Path /h.txt -Attributes @{ $key = 'red' } -ErrorAction Stop } | Should -Throw -PassThru
        $get = { Get-NexusMetadata -Store $Store -Attribute @{ $key = 'red' } -ErrorAction Stop } | Should -Throw -PassThru
        $set.Exception.Message | Should -BeLike '*key is text*pscustomobject*'
        $get.Exception.Message | Should -Be $set.Exception.Message
        $get.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @((Get-NexusAttribute -Store $Store -Path /h.txt).psobject.Properties.Name) | Should -Not -Contain ''
    }

    It 'takes a number key that carries a note as its number, in both' {
        $key = 2024 | Add-Member -NotePropertyName origin -NotePropertyValue 'import' -PassThru -Force
        Set-NexusAttribute -Store $Store -Path /h.txt -Attributes @{ $key = 'red' }
        (Get-NexusAttribute -Store $Store -Path /h.txt).'2024' | Should -Be 'red'
        @(Get-NexusMetadata -Store $Store -Attribute @{ $key = 'red' }).Path | Should -Be @('/h.txt')
    }

    It 'refuses a blank key the same way in both' {
        $set = { Set-NexusAttribute -Store $Store -Path /h.txt -Attributes @{ ' ' = 1 } -ErrorAction Stop } | Should -Throw -PassThru
        $get = { Get-NexusMetadata -Store $Store -Attribute @{ ' ' = 1 } -ErrorAction Stop } | Should -Throw -PassThru
        $get.Exception.Message | Should -Be $set.Exception.Message
        $get.CategoryInfo.Category | Should -Be $set.CategoryInfo.Category
    }
}
