using Nexus.Core.Connection;

namespace Nexus.Core.Tests;

/// <summary>The one place that decides what of a user's connection text may be shown.</summary>
public class SecretTextTests
{
    [Theory]
    [InlineData("postgresql://app:Zq7Secret@db/nexus", "postgresql://***@db/nexus")]
    [InlineData("postgresql://app@db/nexus", "postgresql://***@db/nexus")]
    [InlineData("postgresql://db/nexus", "postgresql://db/nexus")]
    [InlineData("postgres:Zq7Secret@db/nexus", "***@db/nexus")]
    [InlineData("postgresql://app:p@ss@db/nexus", "postgresql://***@db/nexus")] // up to the last '@'
    [InlineData("Host=db;Password=Zq7Secret;Database=nexus", "Host=db;Password=***;Database=nexus")]
    [InlineData("Host=db;password = Zq7Secret", "Host=db;password = ***")]
    [InlineData("Host=db;Pwd=Zq7Secret", "Host=db;Pwd=***")]
    [InlineData("Host=db;PSW=Zq7Secret", "Host=db;PSW=***")]
    [InlineData("Host=db;Password=\"Zq7;Se@cret\";Database=nexus", "Host=db;Password=***;Database=nexus")]
    [InlineData("Host=db;Password='Zq7;Secret'", "Host=db;Password=***")]
    [InlineData("postgresql://db/nexus?password=Zq7Secret&sslmode=require", "postgresql://db/nexus?password=***&sslmode=require")]
    [InlineData("sqlite:///nexus.db", "sqlite:///nexus.db")]
    [InlineData("", "")]
    public void Redact_hides_user_info_and_password_values(string text, string expected)
    {
        Assert.Equal(expected, SecretText.Redact(text));
    }

    [Theory]
    [InlineData("The port 'Zq7' is wrong", "postgresql://app:Zq7/Secret@db/nexus", "The port '***' is wrong")]
    [InlineData("option 'Secret@db' unknown", "postgresql://app:Zq7?Secret@db/nexus", "option '***@db' unknown")]
    [InlineData("bad: postgresql://app:Zq7Secret@db/nexus", "postgresql://app:Zq7Secret@db/nexus", "bad: postgresql://***@db/nexus")]
    [InlineData("keyword 'Secret' is not known", "Host=db;Password=Zq7;Secret", "keyword 'Secret' is not known")]  // an unquoted ";" ends the value: the parser words that error itself
    [InlineData("host 'db' is down", "postgresql://app:Zq7Secret@db/nexus", "host 'db' is down")]
    [InlineData("p%40ss", "postgresql://app:p%40ssword@db/x", "p%40ss")] // pieces shorter than the password's runs stay
    public void Scrub_removes_every_piece_of_the_password(string message, string input, string expected)
    {
        Assert.Equal(expected, SecretText.Scrub(message, input));
    }

    [Theory]
    [InlineData("port 'Zq7'", "postgresql://app:Zq7/Secret@db/nexus", true)]
    [InlineData("port 'Secret'", "postgresql://app:Zq7/Secret@db/nexus", true)]
    [InlineData("decoded 'p@ss/word'", "postgresql://app:p%40ss%2Fword@db/x", true)]
    [InlineData("host 'db'", "postgresql://app:Zq7Secret@db/nexus", false)]
    [InlineData("ab", "postgresql://app:ab@db/nexus", false)] // runs under 3 characters are not matched
    [InlineData(null, "postgresql://app:Zq7Secret@db/nexus", false)]
    [InlineData("", "Host=db;Password=Zq7Secret", false)]
    [InlineData("value Zq7Secret", "Host=db;Password=Zq7Secret", true)]
    public void Reveals_finds_password_pieces(string? text, string input, bool expected)
    {
        Assert.Equal(expected, SecretText.Reveals(text, input));
    }
}
