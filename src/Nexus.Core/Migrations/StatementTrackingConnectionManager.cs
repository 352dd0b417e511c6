using System.Data;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;

namespace Nexus.Core.Migrations;

/// <summary>
/// Wraps DbUp's connection manager so that every statement of a script runs as its own command
/// (split by <see cref="SqlStatementSplitter"/>) and the last command handed out is remembered:
/// when DbUp reports a failure, that command's text is the statement that failed.
/// </summary>
internal sealed class StatementTrackingConnectionManager : IConnectionManager
{
    private readonly IConnectionManager _inner;

    public StatementTrackingConnectionManager(IConnectionManager inner) => _inner = inner;

    /// <summary>The text of the last command created for DbUp (the failing one after an error).</summary>
    public string? LastStatement { get; private set; }

    public TransactionMode TransactionMode
    {
        get => _inner.TransactionMode;
        set => _inner.TransactionMode = value;
    }

    public bool IsScriptOutputLogged
    {
        get => _inner.IsScriptOutputLogged;
        set => _inner.IsScriptOutputLogged = value;
    }

    public int? ExecutionTimeoutSeconds
    {
        get => _inner.ExecutionTimeoutSeconds;
        set => _inner.ExecutionTimeoutSeconds = value;
    }

    public IDisposable OperationStarting(IUpgradeLog upgradeLog, List<SqlScript> executingScripts) =>
        _inner.OperationStarting(upgradeLog, executingScripts);

    public void ExecuteCommandsWithManagedConnection(Action<Func<IDbCommand>> action) =>
        _inner.ExecuteCommandsWithManagedConnection(factory => action(Track(factory)));

    public T ExecuteCommandsWithManagedConnection<T>(Func<Func<IDbCommand>, T> actionWithResult) =>
        _inner.ExecuteCommandsWithManagedConnection(factory => actionWithResult(Track(factory)));

    public IEnumerable<string> SplitScriptIntoCommands(string scriptContents) => SqlStatementSplitter.Split(scriptContents);

    public bool TryConnect(IUpgradeLog upgradeLog, out string errorMessage) => _inner.TryConnect(upgradeLog, out errorMessage);

    private Func<IDbCommand> Track(Func<IDbCommand> factory) => () =>
    {
        var command = factory();
        _last = command;
        return command;
    };

    private IDbCommand? _last;

    /// <summary>Reads the statement text of the last command (kept after it was disposed).</summary>
    public string? TakeLastStatement()
    {
        try
        {
            LastStatement = _last?.CommandText;
        }
        catch (ObjectDisposedException)
        {
            LastStatement = null;
        }

        return LastStatement;
    }
}
