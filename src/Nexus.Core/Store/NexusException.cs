namespace Nexus.Core.Store;

/// <summary>
/// The exception the store throws on purpose. Like Npgsql's PostgresException (MessageText, Hint),
/// it keeps what happened (<see cref="Fact"/>) apart from what to do about it (<see cref="Hint"/>);
/// <see cref="Exception.Message"/> is both, in that order, and never contains a password.
/// <see cref="Target"/> is the object the error is about. Subclasses carry data a caller needs.
/// </summary>
public class NexusException : Exception
{
    public NexusException(NexusErrorKind kind, string message, object? target = null, Exception? inner = null, string? hint = null)
        : base(hint is null ? message : message + " " + hint, inner)
    {
        Kind = kind;
        Target = target;
        Fact = message;
        Hint = hint;
    }

    /// <summary>What kind of failure this is.</summary>
    public NexusErrorKind Kind { get; }

    /// <summary>The path, key, store or migration the error is about, if any.</summary>
    public object? Target { get; }

    /// <summary>What went wrong, without advice (the message when there is no hint).</summary>
    public string Fact { get; }

    /// <summary>What to do next (a command to run, a parameter to add), if the error has advice to give.</summary>
    public string? Hint { get; }
}
