using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>
/// -Target of Invoke-NexusMigration: head, base and the migration ids this module ships for the
/// store's provider (both providers' ids when no store is connected). Reads no database.
/// </summary>
public sealed class MigrationTargetCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var word = wordToComplete ?? string.Empty;
            var typed = CompletionInput.Unquote(word);
            var store = CompletionInput.StoreOf(fakeBoundParameters);
            var providers = store is null ? Enum.GetValues<StoreProvider>() : new[] { store.Provider };
            var targets = new List<(string Value, string Tip)>
            {
                ("head", "the newest migration"),
                ("base", "no migration: every migration rolled back"),
            };
            foreach (var migration in providers.SelectMany(p => MigrationCatalog.For(p).Migrations))
            {
                if (!targets.Any(t => t.Value == migration.Id))
                {
                    targets.Add((migration.Id, $"{migration.Id} {migration.Name}"));
                }
            }

            return targets.Where(t => t.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(t => CompletionInput.Result(t.Value, word, t.Value, t.Tip)).ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
