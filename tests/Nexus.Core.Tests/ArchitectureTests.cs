using System.Reflection;
using NetArchTest.Rules;
using Xunit;

namespace Nexus.Core.Tests;

/// <summary>
/// The folder arrows of docs/ARCHITECTURE.md: each folder of Nexus.Core (one namespace each) uses
/// only the folders below it, and only Dialects/ and Connection/ touch a database driver. Read
/// from the compiled assembly (NetArchTest), so a fully qualified name counts as much as a using.
/// </summary>
public class ArchitectureTests
{
    /// <summary>The folders, bottom to top: a folder may depend on those before it, never after.</summary>
    private static readonly string[] Folders =
        ["Store", "Connection", "Configuration", "Dialects", "Session", "Migrations", "Transfer", "Layouts", "Health", "Engines"];

    /// <summary>The namespaces that may name a driver type.</summary>
    private static readonly string[] DriverFolders = ["Dialects", "Connection"];

    private static readonly string[] Drivers = ["Microsoft.Data.Sqlite", "Npgsql", "SQLitePCL"];

    private static readonly Assembly Core = typeof(Nexus.Core.Store.FileRecord).Assembly;

    /// <summary>Every arrow that must not exist: from each folder to each folder above it.</summary>
    public static IEnumerable<object[]> ForbiddenArrows() =>
        from lower in Enumerable.Range(0, Folders.Length)
        from upper in Enumerable.Range(lower + 1, Folders.Length - lower - 1)
        select new object[] { Folders[lower], Folders[upper] };

    public static IEnumerable<object[]> DriverNames() => Drivers.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(ForbiddenArrows))]
    public void A_folder_does_not_use_a_folder_above_it(string folder, string above)
    {
        var result = Types.InAssembly(Core)
            .That().ResideInNamespace($"Nexus.Core.{folder}")
            .ShouldNot().HaveDependencyOn($"Nexus.Core.{above}")
            .GetResult();

        var offenders = Unexpected(result);
        Assert.True(offenders.Count == 0,
            $"{folder}/ uses {above}/, which sits above it in docs/ARCHITECTURE.md: {string.Join(", ", offenders)}");
    }

    [Theory]
    [MemberData(nameof(DriverNames))]
    public void Only_Dialects_and_Connection_name_a_driver(string driver)
    {
        var result = Types.InAssembly(Core)
            .That().DoNotResideInNamespace($"Nexus.Core.{DriverFolders[0]}")
            .And().DoNotResideInNamespace($"Nexus.Core.{DriverFolders[1]}")
            .ShouldNot().HaveDependencyOn(driver)
            .GetResult();

        var offenders = Unexpected(result);
        Assert.True(offenders.Count == 0,
            $"Only Dialects/ and Connection/ may use {driver}; move this behind ISqlDialect: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Every_folder_is_a_namespace_of_the_assembly()
    {
        // A renamed folder would make the rules above pass by checking nothing.
        var namespaces = Core.GetTypes().Select(t => t.Namespace).OfType<string>().ToHashSet();
        foreach (var folder in Folders)
        {
            Assert.Contains($"Nexus.Core.{folder}", namespaces);
        }
    }

    private static List<string> Unexpected(TestResult result) =>
        (result.FailingTypeNames ?? []).Order(StringComparer.Ordinal).ToList();
}
