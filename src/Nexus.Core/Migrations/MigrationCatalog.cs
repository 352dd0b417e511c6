using System.Reflection;
using System.Text.RegularExpressions;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// The migrations embedded in this assembly for one dialect, in id order. Resources are named
/// Nexus.Migrations.&lt;dialect&gt;/NNNN_name.(up|down).sql by the project file.
/// </summary>
public sealed class MigrationCatalog
{
    private static readonly Regex FileName = new(@"^(?<id>\d{4})_(?<name>[a-z0-9_]+)\.(?<dir>up|down)\.sql$", RegexOptions.Compiled);
    private static readonly Regex DescriptionLine = new(@"^--\s*Description:\s*(?<text>.+)$", RegexOptions.Multiline | RegexOptions.Compiled);
    // A header line of its own ("-- SQLite: …", "-- Note: …") ends the description; a ':' in prose does not.
    private static readonly Regex HeaderLabel = new(@"^\w+:", RegexOptions.Compiled);
    private static readonly Dictionary<StoreProvider, MigrationCatalog> Cache = new();

    private MigrationCatalog(StoreProvider provider, IReadOnlyList<Migration> migrations)
    {
        Provider = provider;
        Migrations = migrations;
    }

    /// <summary>The dialect these scripts are written for.</summary>
    public StoreProvider Provider { get; }

    /// <summary>Every migration, oldest first.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The newest migration's id (the "head").</summary>
    public string Head => Migrations[^1].Id;

    /// <summary>The catalog of embedded scripts for a provider.</summary>
    public static MigrationCatalog For(StoreProvider provider)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(provider, out var catalog))
            {
                catalog = Load(provider);
                Cache[provider] = catalog;
            }

            return catalog;
        }
    }

    /// <summary>Finds a migration by id ("0002") or script name ("0002_versions_…").</summary>
    public Migration? Find(string idOrName) =>
        Migrations.FirstOrDefault(m => m.Id == idOrName || m.ScriptName == idOrName);

    /// <summary>
    /// A catalog read from a migration source folder (Migrations/Scripts, with sqlite/ and
    /// postgres/ inside) instead of the embedded scripts: for authors trying a new migration on a
    /// copy of a store before building, and for tests. Fails when a migration lacks one of its files.
    /// </summary>
    public static MigrationCatalog FromFolder(string scriptsFolder, StoreProvider provider)
    {
        var missing = MigrationScaffolder.FindMissingFiles(scriptsFolder);
        if (missing.Count > 0)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The migration folder '{scriptsFolder}' is incomplete: {string.Join(", ", missing)}. Every migration needs up and down scripts for sqlite and postgres.", scriptsFolder);
        }

        var folder = Path.Combine(scriptsFolder, Dialects.SqlDialects.For(provider).ScriptFolder);
        var files = Directory.EnumerateFiles(folder, "*.sql").Select(f => (Path.GetFileName(f), File.ReadAllText(f)));
        return Build(provider, files, folder);
    }

    private static MigrationCatalog Load(StoreProvider provider)
    {
        var folder = Dialects.SqlDialects.For(provider).ScriptFolder;
        var assembly = typeof(MigrationCatalog).Assembly;
        var prefix = $"Nexus.Migrations.{folder}";
        var files = assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => (r[(prefix.Length + 1)..], Read(assembly, r)));
        return Build(provider, files, $"{assembly.GetName().Name} ({folder})");
    }

    private static MigrationCatalog Build(StoreProvider provider, IEnumerable<(string FileName, string Text)> scripts, string source)
    {
        var files = new Dictionary<(string Id, string Name), (string? Up, string? Down)>();
        foreach (var (fileName, text) in scripts)
        {
            var match = FileName.Match(fileName);
            if (!match.Success)
            {
                continue;
            }

            var key = (match.Groups["id"].Value, match.Groups["name"].Value);
            files.TryGetValue(key, out var pair);
            files[key] = match.Groups["dir"].Value == "up" ? (text, pair.Down) : (pair.Up, text);
        }

        var migrations = files
            .Where(f => f.Value.Up is not null)
            .OrderBy(f => f.Key.Id, StringComparer.Ordinal)
            .Select(f => new Migration(f.Key.Id, f.Key.Name, DescribeFrom(f.Value.Up!, f.Key.Name), f.Value.Up!, f.Value.Down))
            .ToList();
        if (migrations.Count == 0)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"No migrations were found in {source}.", source);
        }

        var duplicate = migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"Migration id {duplicate.Key} is used twice in {source} ({string.Join(", ", duplicate.Select(m => m.ScriptName))}); give one of them the next free id.", source);
        }

        return new MigrationCatalog(provider, migrations);
    }

    private static string DescribeFrom(string script, string name)
    {
        var match = DescriptionLine.Match(script);
        if (!match.Success)
        {
            return name.Replace('_', ' ');
        }

        // The description may go on over the following comment lines, up to a blank one or the next header line.
        var text = match.Groups["text"].Value.Trim();
        var rest = script[(match.Index + match.Length)..].Split('\n').Skip(1);
        foreach (var line in rest.Select(l => l.Trim()))
        {
            if (!line.StartsWith("--", StringComparison.Ordinal) || line.Length <= 2 || HeaderLabel.IsMatch(line[2..].TrimStart()))
            {
                break;
            }

            text += " " + line[2..].Trim();
        }

        return text;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
