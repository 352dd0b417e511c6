namespace Nexus.Core.Store;

/// <summary>One file_metadata row of a bulk attribute write: the record's tenant and row id, the key and (for upserts) the JSON text.</summary>
/// <param name="Tenant">The record's tenant (a tenant-keyed layout stores it with the row).</param>
/// <param name="PathId">The record's row id, typed as the dialect keeps ids.</param>
/// <param name="Key">The attribute key.</param>
/// <param name="Json">The JSON text (null for a removal).</param>
internal readonly record struct AttributeRow(string Tenant, object PathId, string Key, string? Json);
