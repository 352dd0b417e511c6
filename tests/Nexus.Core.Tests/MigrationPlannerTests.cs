using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>A catalog of four migrations (0001..0004) written to a temp folder, read the way authors' folders are.</summary>
public sealed class FourMigrationsFixture : IDisposable
{
    public static readonly string[] Names = ["first", "second", "third", "fourth"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nexus-core-tests-" + Guid.NewGuid().ToString("N"));

    public FourMigrationsFixture()
    {
        foreach (var dialect in new[] { "sqlite", "postgres" })
        {
            Directory.CreateDirectory(Path.Combine(_folder, dialect));
            for (var i = 0; i < Names.Length; i++)
            {
                var file = Path.Combine(_folder, dialect, $"{i + 1:D4}_{Names[i]}");
                File.WriteAllText(file + ".up.sql", $"-- Description: the {Names[i]} step\nCREATE TABLE t{i + 1} (id INTEGER);\n");
                File.WriteAllText(file + ".down.sql", $"DROP TABLE t{i + 1};\n");
            }
        }

        Catalog = MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite);
    }

    public MigrationCatalog Catalog { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>Targets (head, base, ids, +N, -N) against a journal: which steps, in which order, with which script.</summary>
public class MigrationPlannerTests(FourMigrationsFixture fixture) : IClassFixture<FourMigrationsFixture>
{
    private const string Store = "test.db";

    private MigrationCatalog Catalog => fixture.Catalog;

    // The journal after applying the first `count` catalog migrations, each with its down script.
    private List<JournalEntry> Applied(int count) =>
        Catalog.Migrations.Take(count).Select(Entry).ToList();

    private static JournalEntry Entry(Migration m) =>
        new(m.Id, m.ScriptName, m.Description, m.Checksum, "-- journaled down of " + m.Id, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), m.DownChecksum);

    private static string Describe(IEnumerable<MigrationStep> steps) =>
        string.Join(" ", steps.Select(s => (s.Direction == MigrationDirection.Up ? "+" : "-") + s.Id));

    private string Plan(int applied, string? target) =>
        Describe(MigrationPlanner.Plan(Catalog, Applied(applied), target, Store));

    [Fact]
    public void The_fixture_catalog_reads_four_migrations_in_id_order()
    {
        Assert.Equal(["0001", "0002", "0003", "0004"], Catalog.Migrations.Select(m => m.Id));
        Assert.Equal("0004", Catalog.Head);
        Assert.Equal("the second step", Catalog.Find("0002")!.Description);
        Assert.Same(Catalog.Find("0002"), Catalog.Find("0002_second"));
    }

    [Theory]
    [InlineData(0, null, "+0001 +0002 +0003 +0004")]
    [InlineData(0, "", "+0001 +0002 +0003 +0004")]
    [InlineData(0, "   ", "+0001 +0002 +0003 +0004")]
    [InlineData(0, "head", "+0001 +0002 +0003 +0004")]
    [InlineData(0, "HEAD", "+0001 +0002 +0003 +0004")]
    [InlineData(0, " head ", "+0001 +0002 +0003 +0004")]
    [InlineData(2, "head", "+0003 +0004")]
    [InlineData(4, "head", "")]
    [InlineData(0, "base", "")]
    [InlineData(2, "base", "-0002 -0001")]
    [InlineData(4, "Base", "-0004 -0003 -0002 -0001")]
    [InlineData(2, "+1", "+0003")]
    [InlineData(2, "+2", "+0003 +0004")]
    [InlineData(0, "+3", "+0001 +0002 +0003")]
    [InlineData(2, "+0", "")]
    [InlineData(2, "-1", "-0002")]
    [InlineData(2, "-2", "-0002 -0001")]
    [InlineData(4, "-3", "-0004 -0003 -0002")]
    [InlineData(2, "-0", "")]
    [InlineData(2, "0001", "-0002")]
    [InlineData(2, "0002", "")]
    [InlineData(2, "0003", "+0003")]
    [InlineData(2, "0004", "+0003 +0004")]
    [InlineData(4, "0001", "-0004 -0003 -0002")]
    [InlineData(0, "0002", "+0001 +0002")]
    [InlineData(2, "0004_fourth", "+0003 +0004")]
    [InlineData(4, "0002_second", "-0004 -0003")]
    [InlineData(2, " 0003 ", "+0003")]
    public void Plans_reach_the_target(int applied, string? target, string expected)
    {
        Assert.Equal(expected, Plan(applied, target));
    }

    [Theory]
    [InlineData(2, "+3", "-Target +3 asks for 3 migration(s) up, but only 2 are pending on test.db. Use -Target head")]
    [InlineData(4, "+1", "asks for 1 migration(s) up, but only 0 are pending")]
    [InlineData(2, "-3", "-Target -3 asks for 3 migration(s) down, but only 2 are applied on test.db. Use -Target base")]
    [InlineData(0, "-1", "asks for 1 migration(s) down, but only 0 are applied")]
    [InlineData(2, "0009", "-Target '0009' is not a migration of this module (0001, 0002, 0003, 0004) nor of test.db's journal")]
    [InlineData(2, "latest", "-Target 'latest' is not a migration of this module")]
    [InlineData(2, "0002_wrong_name", "is not a migration of this module")]
    [InlineData(2, "+x", "is not a migration of this module")]
    [InlineData(2, "1", "-Target '1' is not a migration")]
    public void Impossible_targets_are_refused_with_advice(int applied, string target, string expected)
    {
        var error = Assert.Throws<NexusException>(() => MigrationPlanner.Plan(Catalog, Applied(applied), target, Store));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expected, error.Message);
        Assert.Equal(target, error.Target);
    }

    [Fact]
    public void Up_steps_carry_the_catalog_script_and_migration()
    {
        var steps = MigrationPlanner.Plan(Catalog, Applied(1), "0002", Store);

        var step = Assert.Single(steps);
        Assert.Equal(MigrationDirection.Up, step.Direction);
        Assert.Equal("0002", step.Id);
        Assert.Equal("second", step.Name);
        Assert.Equal("0002_second", step.ScriptName);
        Assert.Equal("the second step", step.Description);
        Assert.Equal(Store, step.Store);
        Assert.Equal(Catalog.Find("0002")!.UpScript, step.Script);
        Assert.Same(Catalog.Find("0002"), step.Migration);
        Assert.Null(step.Duration);
        Assert.False(step.DestroysData);
    }

    [Fact]
    public void Down_steps_run_the_journaled_down_script_not_the_catalog_one()
    {
        var steps = MigrationPlanner.Plan(Catalog, Applied(3), "-2", Store);

        Assert.Equal(["0003", "0002"], steps.Select(s => s.Id));
        Assert.All(steps, s => Assert.Equal(MigrationDirection.Down, s.Direction));
        Assert.Equal("-- journaled down of 0003", steps[0].Script);
        Assert.Equal("third", steps[0].Name);
        Assert.Null(steps[0].Migration);
    }

    [Fact]
    public void A_journal_in_any_order_plans_the_same()
    {
        var journal = Applied(3);
        journal.Reverse();

        Assert.Equal("-0003 -0002", Describe(MigrationPlanner.Plan(Catalog, journal, "0001", Store)));
    }

    [Fact]
    public void A_down_without_a_journaled_script_is_refused()
    {
        var journal = Applied(3);
        journal[1] = journal[1] with { DownScript = null };

        var error = Assert.Throws<NexusException>(() => MigrationPlanner.Plan(Catalog, journal, "base", Store));

        Assert.Equal(NexusErrorKind.MigrationFailed, error.Kind);
        Assert.Contains("Migration 0002_second was applied without a down script, so test.db cannot be taken below it", error.Message);
        Assert.Contains("choose a -Target at or above 0002", error.Message);
    }

    [Fact]
    public void A_down_without_script_above_the_target_does_not_matter()
    {
        var journal = Applied(3);
        journal[0] = journal[0] with { DownScript = null };

        Assert.Equal("-0003 -0002", Describe(MigrationPlanner.Plan(Catalog, journal, "0001", Store)));
    }

    [Fact]
    public void A_migration_only_the_journal_knows_can_be_reverted_and_targeted()
    {
        // A newer module applied 0005; this module does not know it.
        var journal = Applied(4);
        journal.Add(new JournalEntry("0005", "0005_from_the_future", "added later", "abc", "DROP TABLE t5;", DateTime.UtcNow, null));

        Assert.Equal("", Describe(MigrationPlanner.Plan(Catalog, journal, "head", Store)));
        Assert.Equal("", Describe(MigrationPlanner.Plan(Catalog, journal, "0005", Store)));
        Assert.Equal("", Describe(MigrationPlanner.Plan(Catalog, journal, "0005_from_the_future", Store)));
        var steps = MigrationPlanner.Plan(Catalog, journal, "0004", Store);
        var step = Assert.Single(steps);
        Assert.Equal("from_the_future", step.Name);
        Assert.Equal("added later", step.Description);
        Assert.Equal("DROP TABLE t5;", step.Script);
    }

    [Theory]
    // A store whose journal skipped 0002 (applied 0001 and 0003): 0002 is pending below 0003.
    [InlineData("head", "+0002 +0004")]
    [InlineData("+1", "+0002")]
    [InlineData("0003", "+0002")]
    [InlineData("0001", "-0003")]
    [InlineData("-1", "-0003")]
    [InlineData("base", "-0003 -0001")]
    public void A_gap_in_the_journal_is_filled_by_id(string target, string expected)
    {
        var journal = new List<JournalEntry> { Entry(Catalog.Find("0001")!), Entry(Catalog.Find("0003")!) };

        Assert.Equal(expected, Describe(MigrationPlanner.Plan(Catalog, journal, target, Store)));
    }

    [Theory]
    [InlineData("0002_versions_protection_and_lookups", "versions_protection_and_lookups")]
    [InlineData("0001_x", "x")]
    [InlineData("0001_", "0001_")]
    [InlineData("initial", "initial")]
    [InlineData("00012_x", "00012_x")]
    [InlineData("", "")]
    public void NameOf_drops_the_id_prefix(string scriptName, string expected)
    {
        Assert.Equal(expected, MigrationPlanner.NameOf(scriptName));
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public void The_embedded_catalogs_plan_head_from_empty_and_back_to_base(StoreProvider provider)
    {
        var catalog = MigrationCatalog.For(provider);
        var ids = catalog.Migrations.Select(m => m.Id).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(catalog.Migrations, m => Assert.NotNull(m.DownScript));
        Assert.Equal(ids, MigrationPlanner.Plan(catalog, [], "head", "db").Select(s => s.Id));
        var journal = catalog.Migrations.Select(Entry).ToList();
        Assert.Equal(Enumerable.Reverse(ids), MigrationPlanner.Plan(catalog, journal, "base", "db").Select(s => s.Id));
    }
}
