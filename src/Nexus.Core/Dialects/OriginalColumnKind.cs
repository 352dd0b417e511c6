namespace Nexus.Core.Dialects;

/// <summary>What a column of the original Nexus store holds, which decides its allowed types and its conversion on adoption.</summary>
internal enum OriginalColumnKind
{
    /// <summary>Text kept as it is (paths, keys, hashes, tenant).</summary>
    Text,

    /// <summary>A row id or a reference to one (text in the original, uuid where the database has it).</summary>
    Id,

    /// <summary>A whole number (size, reference count).</summary>
    Number,

    /// <summary>A timestamp, naive UTC in the original.</summary>
    Time,

    /// <summary>An attribute value: JSON, as text in the original.</summary>
    Json,
}
