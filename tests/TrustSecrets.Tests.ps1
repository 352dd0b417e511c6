# Issue 9, item 8 (Secrets): no malformed connection string shows its password. Each shape below
# carries a canary password and is fed to every cmdlet that takes connection text; the canary (or
# its start or end, which a password split at an unencoded '/' or '?' would show as "the port" or
# "an option") must appear in no stream, no $Error record, no Format-List * -Force of one and no
# Export-Clixml of them.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    # {pw} is the canary password; the text around it is the malformed shape. 127.0.0.1:1 is a
    # closed port, so shapes that parse fail fast at connecting.
    $templates = [ordered]@{
        'no scheme'                          = 'postgres:{pw}@host:5432/db'
        'one slash'                          = 'postgresql:/postgres:{pw}@host/db'
        'sqlite URL with a host'             = 'sqlite://admin:{pw}@dbhost/x.db'
        'sqlite URL, user in the path'       = 'sqlite:///admin:{pw}@dbhost/x.db'
        'unencoded / after the canary'       = 'postgresql://u:{pw}/x@127.0.0.1:1/db'
        'unencoded ? after the canary'       = 'postgresql://u:{pw}?x@127.0.0.1:1/db'
        'unencoded / before the canary'      = 'postgresql://u:x/{pw}@127.0.0.1:1/db'
        'unencoded ? before the canary'      = 'postgresql://u:x?{pw}@127.0.0.1:1/db'
        'digits, then / and the canary'      = 'postgresql://u:5432/{pw}@127.0.0.1:1/db'
        'digits, then ? and the canary'      = 'postgresql://u:5432?{pw}@127.0.0.1:1/db'
        'unencoded # in the password'        = 'postgresql://u:{pw}#x@127.0.0.1:1/db'
        'unencoded @ in the password'        = 'postgresql://u:{pw}@x@127.0.0.1:1/db'
        'unencoded : in the password'        = 'postgresql://u:{pw}:x@127.0.0.1:1/db'
        'unencoded / and @ in the password'  = 'postgresql://u:a@{pw}/x@127.0.0.1:1/db'
        'percent-encoded / in the password'  = 'postgresql://u:{pw}%2Fx@127.0.0.1:1/db'
        'percent-encoded @ and ?'            = 'postgresql://u:{pw}%40%3F@127.0.0.1:1/db'
        'driver scheme with unencoded /'     = 'postgresql+psycopg2://u:{pw}/x@127.0.0.1:1/db'
        'port is text'                       = 'postgresql://u:{pw}@127.0.0.1:abc/db'
        'port out of range'                  = 'postgresql://u:{pw}@127.0.0.1:99999/db'
        'no host'                            = 'postgresql://u:{pw}@/db'
        'unclosed IPv6 bracket'              = 'postgresql://u:{pw}@[::1/db'
        'bad failover port'                  = 'postgresql://u:{pw}@127.0.0.1:1,127.0.0.1:x/db'
        'bad sslmode'                        = 'postgresql://u:{pw}@127.0.0.1:1/db?sslmode=bogus'
        'unknown URL option'                 = 'postgresql://u:{pw}@127.0.0.1:1/db?nosuch=1'
        'bad option value'                   = 'postgresql://u:{pw}@127.0.0.1:1/db?connect_timeout=abc'
        'password as URL option'             = 'postgresql://u@127.0.0.1:1/db?password={pw}&sslmode=bogus'
        'empty user'                         = 'postgres://:{pw}@127.0.0.1:1/db'
        'unsupported scheme'                 = 'mysql://u:{pw}@host/db'
        'missing colon after scheme'         = 'postgresql//u:{pw}@host/db'
        'one-letter user, no scheme'         = 'u:{pw}@host/db'
        'valid URL, nothing listening'       = 'postgresql://u:{pw}@127.0.0.1:1/db'
        'surrounding blanks'                 = '  postgresql://u:{pw}/x@127.0.0.1:1/db  '
        'ADO.NET, unknown keyword'           = 'Host=127.0.0.1;Port=1;Username=u;Password={pw};Bogus=1'
        'ADO.NET, port is text'              = 'Host=127.0.0.1;Port=abc;Password={pw}'
        'ADO.NET, unclosed quote'            = "Host=127.0.0.1;Password='{pw}"
        'ADO.NET, Pwd and bad timeout'       = 'Server=127.0.0.1;Pwd={pw};Timeout=abc'
        'ADO.NET, quoted password with @'    = 'Host=127.0.0.1;Port=1;Username=u;Password="a@{pw}";Database=db'
        'ADO.NET SQLite, unknown keyword'    = 'Data Source=x.db;Password={pw};Foo=1'
        'ADO.NET, unquoted ; in password'    = 'Host=127.0.0.1;Port=1;Password=x;{pw}=1'
        'ADO.NET, unquoted ; at the end'     = 'Host=127.0.0.1;Port=1;Password=x;{pw}'
    }
    $script:Shapes = foreach ($name in $templates.Keys) { @{ Name = $name; Template = $templates[$name] } }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    $script:Canary = 'Canary-pw-7731'
    # The start or the end of the canary is enough to count as a leak.
    $script:Leak = 'Canary|pw-7731'
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "secrets-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null

    # Runs each call with -Verbose, collecting every stream and the error that stops it; returns
    # all the text a user (or a transcript, or a log of $Error) could see.
    function Get-VisibleText([string] $Text, [scriptblock[]] $Calls) {
        $global:Error.Clear()
        $seen = [System.Collections.Generic.List[object]]::new()
        foreach ($call in $Calls) {
            try { & $call $Text *>&1 | ForEach-Object { $seen.Add($_) } }
            catch { $seen.Add($_) }
        }
        $texts = [System.Collections.Generic.List[string]]::new()
        foreach ($item in $seen) {
            $texts.Add(($item | Format-List * -Force | Out-String))
            if ($item -is [System.Management.Automation.ErrorRecord]) {
                $texts.Add($item.Exception.ToString())
                $texts.Add([string]$item.TargetObject)
                $texts.Add(($item.CategoryInfo | Format-List * -Force | Out-String))
                $texts.Add(($item.Exception | Format-List * -Force | Out-String))
            }
            else { $texts.Add([string]$item) }
        }
        $texts.Add(($global:Error | Format-List * -Force | Out-String))
        $texts.Add(($global:Error | ForEach-Object { $_.Exception | Format-List * -Force | Out-String }) -join "`n")
        $xml = Join-Path $Work 'errors.xml'
        $global:Error | Export-Clixml -LiteralPath $xml
        $texts.Add((Get-Content -LiteralPath $xml -Raw))
        [pscustomobject]@{ Text = $texts -join "`n"; Errors = @($global:Error); Seen = $seen }
    }

    # Every cmdlet that takes connection text, as a user would call it.
    $script:Calls = @(
        { param($t) Connect-NexusStore -ConnectionString $t -NoDefault -Verbose -ErrorAction Stop }
        { param($t) Copy-NexusData -Source $t -Destination 'never.db' -Verbose -ErrorAction Stop }
        { param($t) Copy-NexusData -Store $store -Destination $t -Confirm:$false -Verbose -ErrorAction Stop }
        { param($t) Invoke-NexusMigration -ConnectionString $t -Confirm:$false -Verbose -ErrorAction Stop }
        { param($t) Invoke-NexusMigration -ConnectionString $t -Script -Verbose -ErrorAction Stop }
        { param($t) Get-NexusMigration -ConnectionString $t -Verbose -ErrorAction Stop }
        {
            param($t)
            $env:NEXUS_DATABASE_URL = $t
            try { Connect-NexusStore -NoDefault -Verbose -ErrorAction Stop }
            finally { Remove-Item Env:NEXUS_DATABASE_URL }
        }
    )
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Item 8 (Secrets): malformed connection strings never show the password, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
    }
    BeforeEach {
        # Relative SQLite paths a bad shape might turn into land in a folder of this test alone.
        $here = Join-Path $Work ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $here | Out-Null
        Push-Location $here
    }
    AfterEach { Pop-Location }
    AfterAll {
        Disconnect-NexusStore -Store $store
        Remove-TestDatabase -ConnectionString $cs
    }

    It '<Name>: <Template>' -ForEach $Shapes {
        $text = $Template.Replace('{pw}', $Canary)
        $r = Get-VisibleText $text $Calls
        $r.Errors.Count | Should -BeGreaterOrEqual $Calls.Count -Because 'every call must fail (none may connect somewhere)'
        foreach ($e in $r.Errors) {
            $e.Exception.GetType().FullName | Should -Be 'Nexus.Core.Store.NexusException'
            $e.FullyQualifiedErrorId | Should -BeLike 'Nexus.*'
        }
        $hits = [regex]::Matches($r.Text, $Leak) | ForEach-Object {
            $at = [Math]::Max(0, $_.Index - 60)
            $r.Text.Substring($at, [Math]::Min(140, $r.Text.Length - $at))
        }
        $hits | Should -BeNullOrEmpty -Because 'the password must be masked everywhere'
        Get-ChildItem -LiteralPath $here -Recurse -Force | Where-Object Name -Match $Leak | Should -BeNullOrEmpty -Because 'no file may be named after the password'
    }

    It 'the error still says what is wrong and shows the masked text' {
        $err = $null
        try { Connect-NexusStore -ConnectionString "postgresql://u:$Canary/x@127.0.0.1:1/db" -NoDefault } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidConnectionString,Nexus.PowerShell.ConnectNexusStoreCommand'
        $err.Exception.Message | Should -BeLike "*'postgresql://***@127.0.0.1:1/db'*%2F*"
        $err.TargetObject | Should -Be 'postgresql://***@127.0.0.1:1/db'
        $err.CategoryInfo.TargetName | Should -Be 'postgresql://***@127.0.0.1:1/db'
    }

    It 'a URL whose "//" was lost is refused, never created as a SQLite file' {
        $err = $null
        try { Copy-NexusData -Store $store -Destination "postgres:$Canary@localhost:5432/db" -Confirm:$false } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.InvalidConnectionString,*'
        $err.Exception.Message | Should -BeLike "*'***@localhost:5432/db' looks like a URL*"
        Get-ChildItem -LiteralPath $here -Recurse -Force | Should -BeNullOrEmpty
    }

    It 'URLs that are well formed still connect: an @ in an option value, an encoded password' -Skip:($Dialect -ne 'postgres') {
        $u = [uri]($env:TEST_DATABASE_URL)
        $user, $password = $u.UserInfo.Split(':', 2)
        $url = "postgresql://${user}:$([uri]::EscapeDataString($password))@$($u.Host):$($u.Port)$($u.AbsolutePath)?application_name=ops@box"
        $s = Connect-NexusStore -ConnectionString $url -NoDefault -WarningAction SilentlyContinue
        $s.Database | Should -Be "$($u.Host):$($u.Port)$($u.AbsolutePath)"
        Disconnect-NexusStore -Store $s
    }

    It 'a wrong canary password against the real server is refused without showing it' -Skip:($Dialect -ne 'postgres') {
        $u = [uri]($env:TEST_DATABASE_URL)
        $user = $u.UserInfo.Split(':')[0]
        $r = Get-VisibleText "postgresql://${user}:$Canary@$($u.Host):$($u.Port)$($u.AbsolutePath)" $Calls[0, 3, 5]
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'Nexus.AuthenticationFailed,*'
        [regex]::Matches($r.Text, $Leak).Count | Should -Be 0
    }
}
