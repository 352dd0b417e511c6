using DbUp.Engine;
using DbUp.Engine.Transactions;

namespace Nexus.Core.Migrations;

/// <summary>DbUp's view of the catalog (<see cref="IScriptProvider"/>): the up scripts, in id order.</summary>
internal sealed class CatalogScriptProvider : IScriptProvider
{
    private readonly IReadOnlyList<Migration> _migrations;

    public CatalogScriptProvider(IReadOnlyList<Migration> migrations) => _migrations = migrations;

    public IEnumerable<SqlScript> GetScripts(IConnectionManager connectionManager) =>
        _migrations.Select(m => new SqlScript(m.ScriptName, m.UpScript));
}
