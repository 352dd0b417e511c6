using System.Management.Automation;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>Turns store exceptions into ErrorRecords with a category, an id and a target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(NexusException error, object? target = null) =>
        new(error, "Nexus." + error.Kind, Category(error.Kind), target ?? error.Target);

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
