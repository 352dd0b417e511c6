using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>
/// The base of the completers that read the store: they use the store the command line names
/// (-Store) or the runspace default, ask it at most <see cref="Limit"/> things within
/// <see cref="Budget"/>, and offer nothing (never an error, never a wait) when there is no store,
/// the store is slow or unreachable, or anything else goes wrong.
/// </summary>
public abstract class StoreCompleter : IArgumentCompleter
{
    /// <summary>The most values one completion asks the store for.</summary>
    protected const int Limit = 100;

    /// <summary>How long Tab may wait for the store.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var store = CompletionInput.StoreOf(fakeBoundParameters);
            if (store is null)
            {
                return Array.Empty<CompletionResult>();
            }

            // The command line is read here, on the pipeline thread; only the store work runs on another.
            var word = wordToComplete ?? string.Empty;
            var lookup = Prepare(CompletionInput.Unquote(word), fakeBoundParameters);
            if (lookup is null)
            {
                return Array.Empty<CompletionResult>();
            }

            var work = Task.Run(() => lookup(new CompletionLookups(store)));
            return work.Wait(Budget) ? Complete(work.Result, word).ToList() : Array.Empty<CompletionResult>();
        }
        catch (Exception)
        {
            // Tab must never show an error: a failed lookup simply offers nothing.
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>
    /// Reads what the lookup needs from the typed text and the bound parameters, and returns the
    /// store lookup to run (null: nothing to offer).
    /// </summary>
    protected abstract Func<CompletionLookups, IReadOnlyList<string>>? Prepare(string typed, IDictionary bound);

    /// <summary>Turns the values the store gave into completions of <paramref name="word"/>.</summary>
    protected abstract IEnumerable<CompletionResult> Complete(IReadOnlyList<string> values, string word);
}
