using System.Management.Automation;
using Nexus.Core.Connection;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// The one answer to "which store?" that -Store, -Source, -Destination and -ConnectionString bind
/// to: a connected store (from Connect-NexusStore), or text — a URL, an ADO.NET connection string
/// or a SQLite file path. PowerShell converts an argument through the constructors itself (as
/// dbatools' DbaInstanceParameter serves -SqlInstance); the text is classified only when the store
/// is needed, by <see cref="ConnectionStringParser.ParseArgument"/>, so a wrong string gets the
/// parser's error, the same from every cmdlet.
/// </summary>
public sealed class StoreParameter
{
    // A value of another type (a number, an array …): kept to name it in the error.
    private readonly object? _unsupported;

    /// <summary>A connected store.</summary>
    public StoreParameter(NexusStore store) => Store = store;

    /// <summary>A URL, ADO.NET connection string or SQLite file path; surrounding whitespace never counts.</summary>
    public StoreParameter(string text) => Text = text.Trim();

    /// <summary>Any other value: a wrapped store or text is taken as such; the rest is refused when the store is needed.</summary>
    public StoreParameter(object value)
    {
        var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (unwrapped)
        {
            case NexusStore store:
                Store = store;
                break;
            case string text:
                Text = text.Trim();
                break;
            case Uri uri:
                // [uri]'postgresql://…': bound as text, as the string parameters it replaced did.
                Text = uri.OriginalString.Trim();
                break;
            default:
                _unsupported = unwrapped;
                break;
        }
    }

    /// <summary>The connected store given, or null when the argument is text.</summary>
    public NexusStore? Store { get; }

    /// <summary>
    /// The text given (trimmed), or null when the argument is a store. Internal: it may hold a
    /// password, and Format-List of a bound parameter shows public properties.
    /// </summary>
    internal string? Text { get; }

    /// <summary>
    /// The connected store this argument names, or null when it is text. A closed store is refused
    /// with <paramref name="closedMessage"/>.
    /// </summary>
    internal NexusStore? Connected(string subject, string hint = "Connect again with Connect-NexusStore.")
    {
        if (Store is { IsOpen: false })
        {
            throw StoreErrors.Closed(subject, Store, hint);
        }

        return Store;
    }

    /// <summary>
    /// Parses the text: a URL or connection string (the credential's user and password replace any
    /// in the text, as Connect-NexusStore -Credential does), or, when <paramref name="takesFiles"/>,
    /// a SQLite file path resolved against the current location. With <paramref name="mustExist"/>
    /// a SQLite file that does not exist is refused instead of created.
    /// </summary>
    internal StoreTarget Target(string parameter, PSCmdlet cmdlet, PSCredential? credential, bool takesFiles, bool mustExist)
    {
        var target = ConnectionStringParser.ParseArgument(CheckedText(parameter, takesFiles), Options(cmdlet, credential),
            takesFiles ? cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath : null);
        if (mustExist && target.FilePath is not null && !File.Exists(target.FilePath))
        {
            throw new NexusException(NexusErrorKind.NotFound, $"The -{parameter} store file '{target.FilePath}' does not exist.", target.FilePath);
        }

        return target;
    }

    /// <summary>The text, refused (naming what the parameter takes) when blank or when the argument is no text at all.</summary>
    internal string CheckedText(string parameter, bool takesFiles) => Text is { Length: > 0 }
        ? Text
        : throw new NexusException(NexusErrorKind.InvalidArgument, $"-{parameter} takes {Accepted(takesFiles)}.", Unsupported);

    // The refused value as the error's target, as redacted text: its ToString may hold a password.
    private string? Unsupported => _unsupported is null ? null : SecretText.Redact(Convert.ToString(_unsupported, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);

    /// <summary>The user name and password of -Credential (and the current location) as connection options.</summary>
    internal static ConnectionOptions Options(PSCmdlet cmdlet, PSCredential? credential) => new()
    {
        UserName = credential?.UserName,
        Password = credential?.GetNetworkCredential().Password,
        BaseDirectory = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath,
    };

    /// <summary>What a store parameter takes, for error messages.</summary>
    internal static string Accepted(bool takesFiles) => takesFiles
        ? "a store (from Connect-NexusStore), a URL such as 'postgresql://user@host/nexus' or 'sqlite:///nexus.db', an ADO.NET connection string, or a SQLite file path"
        : "a store (from Connect-NexusStore), a URL such as 'postgresql://user@host/nexus' or 'sqlite:///nexus.db', or an ADO.NET connection string";

    /// <summary>The store's name, or the text with any password hidden: safe to print.</summary>
    public override string ToString() =>
        Store?.Database ?? (Text is null ? Unsupported ?? string.Empty : SecretText.Redact(Text));
}
