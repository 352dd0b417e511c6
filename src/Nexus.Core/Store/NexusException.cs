namespace Nexus.Core.Store;

/// <summary>
/// The one exception type the store throws on purpose. Its message says what to do next and
/// never contains a password; <see cref="Target"/> is the object the error is about.
/// </summary>
public sealed class NexusException : Exception
{
    public NexusException(NexusErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Target = target;
    }

    /// <summary>What kind of failure this is.</summary>
    public NexusErrorKind Kind { get; }

    /// <summary>The path, key, store or migration the error is about, if any.</summary>
    public object? Target { get; }
}
