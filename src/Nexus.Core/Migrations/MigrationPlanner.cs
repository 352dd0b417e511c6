using System.Text.RegularExpressions;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Turns a target (head, base, an id, +N, -N) and a store's journal into the ordered steps that
/// reach it: downs first (newest first, each with the down script the journal recorded), then ups.
/// </summary>
internal static class MigrationPlanner
{
    private static readonly Regex Relative = new(@"^(?<sign>[+-])(?<n>\d+)$", RegexOptions.Compiled);

    public static IReadOnlyList<MigrationStep> Plan(MigrationCatalog catalog, IReadOnlyList<JournalEntry> journal, string? target, string store)
    {
        target = string.IsNullOrWhiteSpace(target) ? "head" : target.Trim();
        var applied = journal.OrderBy(e => e.MigrationId, StringComparer.Ordinal).ToList();
        var appliedIds = applied.Select(e => e.MigrationId).ToHashSet(StringComparer.Ordinal);
        var pending = catalog.Migrations.Where(m => !appliedIds.Contains(m.Id)).ToList();

        List<JournalEntry> downs;
        List<Migration> ups;
        var relative = Relative.Match(target);
        if (target.Equals("head", StringComparison.OrdinalIgnoreCase))
        {
            downs = new();
            ups = pending;
        }
        else if (target.Equals("base", StringComparison.OrdinalIgnoreCase))
        {
            downs = applied;
            ups = new();
        }
        else if (relative.Success)
        {
            var count = int.Parse(relative.Groups["n"].Value);
            if (relative.Groups["sign"].Value == "+")
            {
                if (count > pending.Count)
                {
                    throw new NexusException(NexusErrorKind.InvalidArgument,
                        $"-Target {target} asks for {count} migration(s) up, but only {pending.Count} are pending on {store}.", target, hint: "Use -Target head to apply them all.");
                }

                downs = new();
                ups = pending.Take(count).ToList();
            }
            else
            {
                if (count > applied.Count)
                {
                    throw new NexusException(NexusErrorKind.InvalidArgument,
                        $"-Target {target} asks for {count} migration(s) down, but only {applied.Count} are applied on {store}.", target, hint: "Use -Target base to revert them all.");
                }

                downs = applied.Skip(applied.Count - count).ToList();
                ups = new();
            }
        }
        else
        {
            var id = ResolveId(catalog, applied, target, store);
            downs = applied.Where(e => string.CompareOrdinal(e.MigrationId, id) > 0).ToList();
            ups = pending.Where(m => string.CompareOrdinal(m.Id, id) <= 0).ToList();
        }

        var steps = new List<MigrationStep>();
        foreach (var entry in Enumerable.Reverse(downs))
        {
            var known = catalog.Find(entry.MigrationId);
            steps.Add(new MigrationStep
            {
                Id = entry.MigrationId,
                Name = known?.Name ?? NameOf(entry.ScriptName),
                Description = entry.Description ?? known?.Description,
                Direction = MigrationDirection.Down,
                Store = store,
                Script = entry.DownScript ?? throw new NexusException(NexusErrorKind.MigrationFailed,
                    $"Migration {entry.ScriptName} was applied without a down script, so {store} cannot be taken below it.", entry.ScriptName, hint: $"Restore a backup instead, or choose a -Target at or above {entry.MigrationId}."),
            });
        }

        foreach (var migration in ups)
        {
            steps.Add(new MigrationStep
            {
                Id = migration.Id,
                Name = migration.Name,
                Description = migration.Description,
                Direction = MigrationDirection.Up,
                Store = store,
                Script = migration.UpScript,
                Migration = migration,
            });
        }

        return steps;
    }

    /// <summary>The journal's script name without its id prefix.</summary>
    public static string NameOf(string scriptName) =>
        scriptName.Length > 5 && scriptName[4] == '_' ? scriptName[5..] : scriptName;

    private static string ResolveId(MigrationCatalog catalog, IReadOnlyList<JournalEntry> applied, string target, string store)
    {
        if (catalog.Find(target) is { } known)
        {
            return known.Id;
        }

        var journaled = applied.FirstOrDefault(e => e.MigrationId == target || e.ScriptName == target);
        if (journaled is not null)
        {
            return journaled.MigrationId;
        }

        var ids = string.Join(", ", catalog.Migrations.Select(m => m.Id));
        throw new NexusException(NexusErrorKind.InvalidArgument,
            $"-Target '{target}' is not a migration of this module ({ids}) nor of {store}'s journal.", target, hint: "Use head, base, an id, or a relative step such as +1 or -1.");
    }
}
