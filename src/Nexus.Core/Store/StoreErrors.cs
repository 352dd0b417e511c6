namespace Nexus.Core.Store;

/// <summary>The "not found" and "closed" errors of the store, worded the same by the engine and the cmdlets.</summary>
public static class StoreErrors
{
    /// <summary>A path with no (live) record.</summary>
    public static NexusException NoRecord(string tenant, string path, bool deletedToo = false) =>
        new(NexusErrorKind.NotFound,
            $"There is no {(deletedToo ? string.Empty : "live ")}record at '{TextRules.Printable(path)}' for tenant '{tenant}'.",
            path, hint: $"List what exists with Get-NexusMetadata -Prefix{(deletedToo ? string.Empty : " (add -IncludeDeleted for soft-deleted records)")}.");

    /// <summary>A key a record has no attribute for.</summary>
    public static NexusException NoAttribute(string tenant, string path, string key) =>
        new(NexusErrorKind.NotFound,
            $"The record at '{TextRules.Printable(path)}' (tenant '{tenant}') has no attribute '{TextRules.Printable(key)}'.",
            key, hint: "List its attributes with Get-NexusAttribute -Path.");

    /// <summary>A content hash with no chunk.</summary>
    public static NexusException NoChunk(string hash) =>
        new(NexusErrorKind.NotFound,
            $"There is no chunk with content hash '{TextRules.Printable(hash)}'.",
            hash, hint: "List chunks with Get-NexusChunk.");

    /// <summary>A store used after Disconnect-NexusStore (<paramref name="store"/> names it: "The store …").</summary>
    public static NexusException Closed(string store, object target, string hint = "Connect again with Connect-NexusStore.") =>
        new(NexusErrorKind.StoreClosed, $"{store} was closed with Disconnect-NexusStore.", target, hint: hint);
}
