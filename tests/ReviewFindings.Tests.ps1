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
