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
