namespace Nexus.Core.Dialects;

/// <summary>
/// The value types a <see cref="BulkSink"/> writes: uuids as <see cref="Guid"/>, timestamps as UTC
/// <see cref="DateTime"/>, integers as <see cref="long"/>, text and JSON as <see cref="string"/>.
/// </summary>
internal enum BulkValueType
{
    /// <summary>A uuid.</summary>
    Uuid,

    /// <summary>Plain text.</summary>
    Text,

    /// <summary>A JSON document, as its text.</summary>
    Json,

    /// <summary>A UTC timestamp.</summary>
    Timestamp,

    /// <summary>An integer that the server keeps in 4 bytes.</summary>
    Int32,

    /// <summary>An integer that the server keeps in 8 bytes.</summary>
    Int64,
}
