using System.Management.Automation;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Turns store exceptions into ErrorRecords with a category, an id, a target and, when the error
/// has advice, its hint as ErrorDetails.RecommendedAction (the message shown stays the exception's).
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(NexusException error, object? target = null)
    {
        var record = new ErrorRecord(error, "Nexus." + error.Kind, Category(error.Kind), target ?? error.Target);
        if (error.Hint is not null)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.Hint };
        }

        return record;
    }

    public static ErrorRecord From(Exception error, string errorId, ErrorCategory category, object? target) =>
        error is NexusException nexus ? From(nexus, target) : new ErrorRecord(error, errorId, category, target);

    public static ErrorCategory Category(NexusErrorKind kind) => kind switch
    {
        NexusErrorKind.InvalidConnectionString => ErrorCategory.InvalidArgument,
        NexusErrorKind.UnsupportedScheme => ErrorCategory.InvalidArgument,
        NexusErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
        NexusErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        NexusErrorKind.DatabaseNotFound => ErrorCategory.ObjectNotFound,
        NexusErrorKind.ReadOnly => ErrorCategory.PermissionDenied,
        NexusErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        NexusErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        NexusErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        NexusErrorKind.SchemaMismatch => ErrorCategory.InvalidOperation,
        NexusErrorKind.MigrationFailed => ErrorCategory.InvalidOperation,
        NexusErrorKind.StoreClosed => ErrorCategory.ResourceUnavailable,
        NexusErrorKind.Timeout => ErrorCategory.OperationTimeout,
        NexusErrorKind.InvalidData => ErrorCategory.InvalidData,
        NexusErrorKind.DiskFull => ErrorCategory.WriteError,
        NexusErrorKind.StoreCorrupt => ErrorCategory.InvalidData,
        NexusErrorKind.Busy => ErrorCategory.ResourceBusy,
        NexusErrorKind.OutcomeUnknown => ErrorCategory.InvalidResult,
        NexusErrorKind.InvalidConfiguration => ErrorCategory.InvalidData,
        NexusErrorKind.UnsupportedServer => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
