using System.Collections;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>The tenants that hold records in the store (at most <see cref="StoreCompleter.Limit"/> distinct ones).</summary>
public sealed class TenantCompleter : StoreCompleter
{
    /// <inheritdoc />
    protected override Func<CompletionLookups, IReadOnlyList<string>>? Prepare(string typed, IDictionary bound) =>
        lookups => lookups.Tenants(Limit).Where(t => t.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <inheritdoc />
    protected override IEnumerable<CompletionResult> Complete(IReadOnlyList<string> values, string word) =>
        values.Select(tenant => CompletionInput.Result(tenant, word, tenant,
            tenant == Tenants.Default ? tenant + " (the default tenant)" : tenant));
}
