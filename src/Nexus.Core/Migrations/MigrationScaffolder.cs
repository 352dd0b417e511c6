using System.Text.RegularExpressions;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Writes a new migration's four files (up and down for each dialect) into a migration source
/// folder, under the next free id, and checks that every migration there has all four.
/// </summary>
public static class MigrationScaffolder
{
    private static readonly string[] Dialects = { "sqlite", "postgres" };
    private static readonly Regex FileName = new(@"^(?<id>\d{4})_(?<name>[a-z0-9_]+)\.(?<dir>up|down)\.sql$", RegexOptions.Compiled);

    /// <summary>The file-name form of a migration name: "Add owner index" → add_owner_index.</summary>
    public static string ToScriptName(string name)
    {
        var slug = Regex.Replace(name.Trim().ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');
        if (slug.Length == 0)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The migration name '{name}' has no letters or digits.", name, hint: "Give a short description such as \"add owner index\".");
        }

        return slug.Length > 60 ? slug[..60].TrimEnd('_') : slug;
    }

    /// <summary>Creates the four files of the next migration; returns their full paths.</summary>
    public static IReadOnlyList<string> Scaffold(string scriptsFolder, string name)
    {
        if (!Directory.Exists(scriptsFolder))
        {
            throw new NexusException(NexusErrorKind.NotFound,
                $"The migration folder '{scriptsFolder}' does not exist.", scriptsFolder, hint: "Give -Path the Migrations/Scripts folder of the Nexus source tree.");
        }

        var slug = ToScriptName(name);
        var existing = ReadIds(scriptsFolder);
        if (existing.FirstOrDefault(e => e.Name == slug) is { Name: not null } clash)
        {
            throw new NexusException(NexusErrorKind.AlreadyExists,
                $"A migration named '{slug}' exists already ({clash.Id}_{clash.Name}).", slug, hint: "Choose another name.");
        }

        var next = existing.Count == 0 ? 1 : existing.Max(e => int.Parse(e.Id)) + 1;
        var id = next.ToString("D4");
        var paths = new List<string>();
        foreach (var dialect in Dialects)
        {
            var folder = Path.Combine(scriptsFolder, dialect);
            Directory.CreateDirectory(folder);
            foreach (var direction in new[] { "up", "down" })
            {
                var path = Path.Combine(folder, $"{id}_{slug}.{direction}.sql");
                if (File.Exists(path))
                {
                    throw new NexusException(NexusErrorKind.AlreadyExists, $"'{path}' exists already.", path);
                }

                paths.Add(path);
            }
        }

        foreach (var path in paths)
        {
            var dialect = Path.GetFileName(Path.GetDirectoryName(path)!);
            var up = path.EndsWith(".up.sql", StringComparison.Ordinal);
            File.WriteAllText(path, Header(id, name.Trim(), dialect, up));
        }

        return paths;
    }

    /// <summary>Names the files that are missing or misnamed in a migration source folder (empty when complete).</summary>
    public static IReadOnlyList<string> FindMissingFiles(string scriptsFolder)
    {
        var problems = new List<string>();
        foreach (var dialect in Dialects)
        {
            var folder = Path.Combine(scriptsFolder, dialect);
            if (!Directory.Exists(folder))
            {
                problems.Add($"{dialect}/ is missing");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var all = ReadIds(scriptsFolder);
        foreach (var (id, name) in all)
        {
            foreach (var dialect in Dialects)
            {
                foreach (var direction in new[] { "up", "down" })
                {
                    if (!File.Exists(Path.Combine(scriptsFolder, dialect, $"{id}_{name}.{direction}.sql")))
                    {
                        problems.Add($"{dialect}/{id}_{name}.{direction}.sql is missing");
                    }
                }
            }
        }

        return problems;
    }

    private static List<(string Id, string Name)> ReadIds(string scriptsFolder) =>
        Dialects
            .Select(d => Path.Combine(scriptsFolder, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.sql"))
            .Select(f => FileName.Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => (m.Groups["id"].Value, m.Groups["name"].Value))
            .Distinct()
            .ToList();

    private static string Header(string id, string title, string dialect, bool up)
    {
        var engine = dialect == "sqlite" ? "SQLite" : "PostgreSQL";
        return up
            ? $"""
              -- Migration {id}: {title}
              -- Description: {title}
              -- {engine}: runs in one transaction with its journal row; write statements ending in ';'.
              -- Keep the down script its exact inverse, and write the same change for the other dialect.

              """
            : $"""
              -- Migration {id}: {title} (down)
              -- {engine}. Undoes {id}'s up script exactly; it is journaled when {id} is applied and runs
              -- newest first on a downgrade. SQLite table rebuilds: copy-and-swap (foreign keys are checked).

              """;
    }
}
