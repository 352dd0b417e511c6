using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>
/// What the planner plans from: a migration folder (sqlite/ and postgres/, NNNN_name.up|down.sql)
/// scaffolded and read in a temp folder, with its ids, names and descriptions.
/// </summary>
public sealed class MigrationCatalogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nexus-core-tests-" + Guid.NewGuid().ToString("N"));

    public MigrationCatalogTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string dialect, string file, string text)
    {
        Directory.CreateDirectory(Path.Combine(_folder, dialect));
        File.WriteAllText(Path.Combine(_folder, dialect, file), text);
    }

    private void WriteBoth(string id, string name, string up = "SELECT 1;")
    {
        foreach (var dialect in new[] { "sqlite", "postgres" })
        {
            Write(dialect, $"{id}_{name}.up.sql", up);
            Write(dialect, $"{id}_{name}.down.sql", "SELECT 0;");
        }
    }

    [Theory]
    [InlineData("add owner index", "add_owner_index")]
    [InlineData("  Add Owner-Index!  ", "add_owner_index")]
    [InlineData("v2: tenants / quotas", "v2_tenants_quotas")]
    [InlineData("Ünïcode näme", "n_code_n_me")]
    [InlineData("__x__", "x")]
    public void ToScriptName_makes_a_file_name_slug(string name, string expected)
    {
        Assert.Equal(expected, MigrationScaffolder.ToScriptName(name));
    }

    [Fact]
    public void ToScriptName_keeps_at_most_60_characters()
    {
        var slug = MigrationScaffolder.ToScriptName(string.Join(" ", Enumerable.Repeat("word", 30)));

        Assert.True(slug.Length <= 60);
        Assert.False(slug.EndsWith('_'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ---")]
    public void ToScriptName_refuses_a_name_without_letters_or_digits(string name)
    {
        var error = Assert.Throws<NexusException>(() => MigrationScaffolder.ToScriptName(name));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("has no letters or digits", error.Message);
    }

    [Fact]
    public void Scaffolded_migrations_get_the_next_id_and_read_back_in_order()
    {
        MigrationScaffolder.Scaffold(_folder, "first step");
        var paths = MigrationScaffolder.Scaffold(_folder, "Second Step");

        Assert.Equal(4, paths.Count);
        Assert.All(paths, p => Assert.StartsWith("0002_second_step.", Path.GetFileName(p)));
        var catalog = MigrationCatalog.FromFolder(_folder, StoreProvider.PostgreSql);
        Assert.Equal(["0001_first_step", "0002_second_step"], catalog.Migrations.Select(m => m.ScriptName));
        Assert.Equal("Second Step", catalog.Find("0002")!.Description);
        Assert.Equal("0002", catalog.Head);
        Assert.Equal(StoreProvider.PostgreSql, catalog.Provider);
    }

    [Fact]
    public void Scaffold_refuses_a_name_that_exists()
    {
        MigrationScaffolder.Scaffold(_folder, "add index");

        var error = Assert.Throws<NexusException>(() => MigrationScaffolder.Scaffold(_folder, "Add Index"));

        Assert.Equal(NexusErrorKind.AlreadyExists, error.Kind);
        Assert.Contains("A migration named 'add_index' exists already (0001_add_index)", error.Message);
    }

    [Theory]
    [InlineData("-- Description: Adds the owner index\nCREATE INDEX i ON t (owner);", "Adds the owner index")]
    [InlineData("-- Description: Adds the owner index\n-- and backfills it\n-- over two lines\n\nSELECT 1;", "Adds the owner index and backfills it over two lines")]
    [InlineData("-- Description: One line\n-- Note: not part of it\nSELECT 1;", "One line")]
    [InlineData("-- Description: One line\n--\n-- after an empty comment\nSELECT 1;", "One line")]
    [InlineData("-- Description: Indexes\n-- SQLite: ids are text\nSELECT 1;", "Indexes")]
    [InlineData("-- Description: A GIN index, so that\n-- -Attribute finds key and value together: the index\n-- is used.\n\nSELECT 1;",
        "A GIN index, so that -Attribute finds key and value together: the index is used.")] // a ':' inside prose is no new header
    [InlineData("-- Description: Lookups\n-- with {key: value} objects\nSELECT 1;", "Lookups with {key: value} objects")]
    [InlineData("CREATE TABLE t (id int);", "the name")]
    public void Descriptions_come_from_the_header(string up, string expected)
    {
        WriteBoth("0001", "the_name", up);

        Assert.Equal(expected, MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite).Migrations[0].Description);
    }

    // Every shipped description is whole sentences: none is cut where its prose holds a ':'.
    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public void Shipped_descriptions_end_with_a_full_stop(StoreProvider provider)
    {
        Assert.All(MigrationCatalog.For(provider).Migrations, m => Assert.EndsWith(".", m.Description));
    }

    [Fact]
    public void A_folder_missing_a_file_is_refused_naming_it()
    {
        WriteBoth("0001", "complete");
        Write("sqlite", "0002_half.up.sql", "SELECT 1;");
        Write("sqlite", "0002_half.down.sql", "SELECT 0;");
        Write("postgres", "0002_half.up.sql", "SELECT 1;");

        var error = Assert.Throws<NexusException>(() => MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("postgres/0002_half.down.sql is missing", error.Message);
        Assert.Equal(_folder, error.Target);
    }

    [Fact]
    public void A_folder_without_a_dialect_is_refused()
    {
        Write("sqlite", "0001_x.up.sql", "SELECT 1;");
        Write("sqlite", "0001_x.down.sql", "SELECT 0;");

        var error = Assert.Throws<NexusException>(() => MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite));

        Assert.Contains("postgres/ is missing", error.Message);
    }

    [Fact]
    public void Two_migrations_with_one_id_are_refused()
    {
        WriteBoth("0001", "one");
        WriteBoth("0001", "other");

        var error = Assert.Throws<NexusException>(() => MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite));

        Assert.Contains("Migration id 0001 is used twice", error.Message);
        Assert.Contains("0001_one", error.Message);
        Assert.Contains("0001_other", error.Message);
    }

    [Fact]
    public void Files_not_named_as_migrations_are_ignored()
    {
        WriteBoth("0001", "real");
        Write("sqlite", "README.sql", "-- notes");
        Write("sqlite", "0002_Upper.up.sql", "SELECT 1;");
        Write("sqlite", "2_short.up.sql", "SELECT 1;");

        Assert.Equal(["0001"], MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite).Migrations.Select(m => m.Id));
    }

    [Fact]
    public void Checksums_ignore_line_endings_only()
    {
        WriteBoth("0001", "a", "SELECT 1;\nSELECT 2;\n");
        var unix = MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite).Migrations[0];
        WriteBoth("0001", "a", "SELECT 1;\r\nSELECT 2;\r\n");
        var windows = MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite).Migrations[0];
        WriteBoth("0001", "a", "SELECT 1;\nSELECT 3;\n");
        var changed = MigrationCatalog.FromFolder(_folder, StoreProvider.Sqlite).Migrations[0];

        Assert.Equal(unix.Checksum, windows.Checksum);
        Assert.NotEqual(unix.Checksum, changed.Checksum);
        Assert.Equal(ChecksumState.Ok, ScriptChecksum.Verify(windows.UpScript, unix.Checksum));
    }
}
