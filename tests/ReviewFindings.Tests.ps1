# Review of the session's merges (issue 10, point 3): a store argument given as a [uri] binds as
# its text, as the string parameters StoreParameter replaced did; a value of another type is
# refused without its text (which may hold a password) in the error's target or category line.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
}

Describe 'A [uri] store argument, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Connect-StoreForTest $cs -NoDefault | Disconnect-NexusStore
    }
    AfterAll {
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'Connect-NexusStore -ConnectionString [uri] connects to that store' {
        $store = Connect-NexusStore -ConnectionString ([uri]$cs) -NoDefault -ErrorAction Stop
        try {
            $store.IsOpen | Should -BeTrue
            $store.SchemaRevision | Should -Be $store.HeadRevision
        }
        finally { Disconnect-NexusStore -Store $store }
    }

    It 'Get-NexusMetadata -Store [uri] reads that store' {
        { Get-NexusMetadata -Store ([uri]$cs) -Prefix / -ErrorAction Stop } | Should -Not -Throw
        Set-NexusMetadata -Store ([uri]$cs) -Path /review/uri.txt -Size 3 -ErrorAction Stop
        (Get-NexusMetadata -Store ([uri]$cs) -Path /review/uri.txt -ErrorAction Stop).Size | Should -Be 3
    }
}

Describe 'A store argument of another type' {
    It 'is refused by <Command> without the password in the target or the category line' -ForEach @(
        @{ Command = 'Copy-NexusData' }
        @{ Command = 'Connect-NexusStore' }
    ) {
        $secret = 'S3cretReviewPw'
        $value = [System.Text.StringBuilder]::new("postgresql://bob:$secret@127.0.0.1:1/nexus")
        $err = $null
        try {
            if ($Command -eq 'Copy-NexusData') { Copy-NexusData -Source $value -Destination ./never.db -ErrorAction Stop }
            else { Connect-NexusStore -ConnectionString $value -NoDefault -ErrorAction Stop }
        }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Kind | Should -Be 'InvalidArgument'
        "$($err.TargetObject)" | Should -Not -BeLike "*$secret*"
        "$($err.CategoryInfo)" | Should -Not -BeLike "*$secret*"
        ($err | Out-String) | Should -Not -BeLike "*$secret*"
        Test-Path ./never.db | Should -BeFalse
    }
}

Describe 'Migration cmdlets given a connected store as -ConnectionString with -Credential, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        $credential = [pscredential]::new('someone_else', (ConvertTo-SecureString 'NotUsedPw1' -AsPlainText -Force))
    }
    AfterAll {
        if ($store.IsOpen) { Disconnect-NexusStore -Store $store }
        Remove-TestDatabase -ConnectionString $cs
    }

    It '<Command> refuses the credential instead of running under the store''s own login' -ForEach @(
        @{ Command = 'Invoke-NexusMigration' }
        @{ Command = 'Get-NexusMigration' }
        @{ Command = 'Test-NexusMigration' }
    ) {
        $err = $null
        $extra = if ($Command -eq 'Invoke-NexusMigration') { @{ Confirm = $false } } else { @{} }
        try { & $Command -ConnectionString $store -Credential $credential @extra -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Kind | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*already connected; -Credential cannot change its login*'
        $err.ErrorDetails.RecommendedAction | Should -Be 'Give its URL as -ConnectionString to log in with -Credential.'
        $store.IsOpen | Should -BeTrue -Because 'a store the caller connected is not closed by the refusal'
    }
}

# The same hole through -Store and the session's default store: a connected store's login is
# fixed, so -Credential is refused in the same words, never silently not used.
Describe 'Migration cmdlets given a connected store as -Store, or the default store, with -Credential, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        $credential = [pscredential]::new('someone_else', (ConvertTo-SecureString 'NotUsedPw1' -AsPlainText -Force))
        $journal = { @(Get-NexusMigration -Store $store | Where-Object Applied | ForEach-Object Id) -join ',' }
        $applied = & $journal

        function Assert-CredentialRefused([scriptblock] $Call) {
            $err = $null
            try { & $Call | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because '-Credential must not be silently ignored'
            $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.InvalidArgument,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Kind | Should -Be 'InvalidArgument'
            # The message then says what to do (the hint), as every Nexus error does.
            $err.Exception.Message.StartsWith("The store $($store.Database) is already connected; -Credential cannot change its login.") | Should -BeTrue -Because $err.Exception.Message
            $err.ErrorDetails.RecommendedAction | Should -Be 'Give its URL as -ConnectionString to log in with -Credential.'
            $store.IsOpen | Should -BeTrue -Because 'a store the caller connected is not closed by the refusal'
            & $journal | Should -Be $applied -Because 'nothing ran'
        }
    }
    AfterAll {
        if ($store.IsOpen) { Disconnect-NexusStore -Store $store }
        Remove-TestDatabase -ConnectionString $cs
    }

    It '<Name> refuses the credential' -ForEach @(
        @{ Name = 'Invoke-NexusMigration -Store'; Call = { Invoke-NexusMigration -Store $store -Credential $credential -Target base -Force -Confirm:$false -ErrorAction Stop } }
        @{ Name = 'Invoke-NexusMigration -Store -Script'; Call = { Invoke-NexusMigration -Store $store -Credential $credential -Script -ErrorAction Stop } }
        @{ Name = 'Invoke-NexusMigration -ConnectionString -Script'; Call = { Invoke-NexusMigration -ConnectionString $store -Credential $credential -Script -ErrorAction Stop } }
        @{ Name = 'Get-NexusMigration -Store'; Call = { Get-NexusMigration -Store $store -Credential $credential -ErrorAction Stop } }
        @{ Name = 'Test-NexusMigration -Store'; Call = { Test-NexusMigration -Store $store -Credential $credential -ErrorAction Stop } }
    ) {
        Assert-CredentialRefused $Call
    }

    Context 'with the store as the session''s default' {
        BeforeAll {
            # The same database as $store, so the message names the same store.
            $default = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
        }
        AfterAll {
            Disconnect-NexusStore -Store $default
        }

        It '<Command> <Shown> refuses the credential' -ForEach @(
            @{ Command = 'Invoke-NexusMigration'; Shown = '-Target base'; Extra = @{ Target = 'base'; Force = $true; Confirm = $false } }
            @{ Command = 'Invoke-NexusMigration'; Shown = '-Script'; Extra = @{ Script = $true } }
            @{ Command = 'Get-NexusMigration'; Shown = ''; Extra = @{} }
            @{ Command = 'Test-NexusMigration'; Shown = ''; Extra = @{} }
        ) {
            Assert-CredentialRefused { & $Command -Credential $credential @Extra -ErrorAction Stop }
        }
    }
}

# -Script with a connected store as -ConnectionString wrote the default store's script (or said
# that no store was connected): it scripts the store it is given, as -Store does.
Describe 'Invoke-NexusMigration -Script -ConnectionString given a connected store, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $atBase = Connect-StoreForTest $cs -NoDefault
        $null = Invoke-NexusMigration -Store $atBase -Target base -Force -Confirm:$false
        $otherCs = New-TestDatabase -Dialect $Dialect
        $default = Connect-StoreForTest $otherCs   # at head, the session's default
    }
    AfterAll {
        Disconnect-NexusStore -Store $atBase
        Disconnect-NexusStore -Store $default
        Remove-TestDatabase -ConnectionString $cs
        Remove-TestDatabase -ConnectionString $otherCs
    }

    It 'scripts that store, not the default one' {
        $expected = Invoke-NexusMigration -Store $atBase -Script -ErrorAction Stop
        $expected | Should -Match 'CREATE TABLE'
        Invoke-NexusMigration -ConnectionString $atBase -Script -ErrorAction Stop | Should -Be $expected
    }

    It 'refuses -Store and -ConnectionString together' {
        { Invoke-NexusMigration -Store $default -ConnectionString $atBase -Script -ErrorAction Stop } |
            Should -Throw -ExpectedMessage 'Give either -Store or -ConnectionString, not both.'
    }
}
